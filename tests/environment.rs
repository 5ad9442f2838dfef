//! Credentials and base URL from the environment. This file holds one test
//! only: changing the environment is unsound while other threads read it.

mod common;

use common::TOKEN;
use lox24::{Client, ConfigError, Error};

fn config_error(result: Result<Client, Error>) -> ConfigError {
    match result {
        Err(Error::Config(e)) => e,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn the_environment_supplies_token_and_base_url() {
    // SAFETY: this binary holds this one test, so no other thread reads the
    // environment while it changes.
    unsafe {
        std::env::remove_var("LOX24_TOKEN");
        std::env::remove_var("LOX24_BASE_URL");
    }
    let err = config_error(Client::from_env());
    assert!(matches!(
        err,
        ConfigError::MissingCredentials {
            variable: "LOX24_TOKEN"
        }
    ));
    let err = config_error(Client::builder().build());
    assert!(err.to_string().contains("LOX24_TOKEN"), "{err}");

    unsafe {
        std::env::set_var("LOX24_TOKEN", TOKEN);
        std::env::set_var("LOX24_BASE_URL", "http://127.0.0.1:4010/");
    }
    let client = Client::from_env().unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:4010");
    assert!(format!("{client:?}").contains("1234567"));

    unsafe { std::env::set_var("LOX24_TOKEN", "no-colon") };
    let err = config_error(Client::from_env());
    assert!(
        matches!(err, ConfigError::MalformedCredentials { .. }),
        "{err:?}"
    );
    unsafe {
        std::env::remove_var("LOX24_TOKEN");
        std::env::remove_var("LOX24_BASE_URL");
    }
}
