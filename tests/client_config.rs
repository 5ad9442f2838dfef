//! Building a client: credentials, base URL, redirects.

mod common;

use common::{
    TOKEN,
    raw_server::{RawServer, Reply},
};
use lox24::{Client, ConfigError, Error, NewGroup};

fn config_error(result: Result<Client, Error>) -> ConfigError {
    match result {
        Err(Error::Config(e)) => e,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn plain_http_is_refused_for_hosts_off_this_machine() {
    for url in [
        "http://api.lox24.eu",
        "http://192.168.1.10:8080",
        "http://[2001:db8::1]",
    ] {
        let err = config_error(Client::builder().token(TOKEN).base_url(url).build());
        assert!(
            matches!(err, ConfigError::InvalidBaseUrl { .. }),
            "{url}: {err:?}"
        );
        assert!(err.to_string().contains("use https"), "{err}");
    }
    for url in [
        "http://127.0.0.1:9",
        "http://localhost:9/",
        "http://[::1]:9",
        "https://api.lox24.eu",
    ] {
        let client = Client::builder()
            .token(TOKEN)
            .base_url(url)
            .build()
            .expect(url);
        assert!(!client.base_url().ends_with('/'));
    }
}

#[test]
fn the_default_base_url_is_production() {
    let client = Client::builder().token(TOKEN).build().unwrap();
    assert_eq!(client.base_url(), "https://api.lox24.eu");
}

#[test]
fn credentials_in_every_form_agree() {
    let a = Client::builder().token(TOKEN).build().unwrap();
    let b = Client::builder()
        .customer_id_and_key("1234567", common::API_KEY)
        .build()
        .unwrap();
    let c = Client::new(TOKEN.parse().unwrap()).unwrap();
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    assert_eq!(format!("{b:?}"), format!("{c:?}"));
}

#[tokio::test]
async fn redirects_are_not_followed_so_the_token_stays_put() {
    let elsewhere = RawServer::start(Reply::http("201 Created", &[], "{}")).await;
    let location = format!("{}/groups", elsewhere.url);
    let server = RawServer::start(Reply::http(
        "307 Temporary Redirect",
        &[("location", &location)],
        "",
    ))
    .await;

    let err = common::client_at(&server.url)
        .create_group(&NewGroup::new("VIP"))
        .await
        .unwrap_err();

    assert_eq!(err.status(), Some(307), "{err:?}");
    assert!(matches!(err, Error::UnexpectedResponse(_)));
    assert_eq!(server.received().len(), 1);
    assert!(elsewhere.received().is_empty(), "the redirect was followed");
}

#[tokio::test]
async fn the_request_on_the_wire_has_exactly_the_documented_headers() {
    let server = RawServer::start(Reply::http(
        "201 Created",
        &[("content-type", "application/ld+json")],
        r#"{"@id": "/groups/1", "id": 1, "name": "VIP"}"#,
    ))
    .await;

    common::client_at(&server.url)
        .create_group(&NewGroup::new("VIP"))
        .await
        .unwrap();

    let request = &server.received()[0];
    assert_eq!(request.request_line(), "POST /groups HTTP/1.1");
    let mut names: Vec<String> = request
        .head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':').map(|(n, _)| n.to_ascii_lowercase()))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "accept",
            "content-length",
            "content-type",
            "host",
            "user-agent",
            "x-lox24-auth-token"
        ]
    );
    assert_eq!(request.header("x-lox24-auth-token"), Some(TOKEN));
    assert_eq!(request.header("accept"), Some("application/ld+json"));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("user-agent"), Some(common::USER_AGENT));
    assert_eq!(request.body, br#"{"name":"VIP"}"#);
}

/// Every request method's future can be spawned on a multi-threaded runtime.
#[test]
fn request_futures_are_send() {
    fn send<T: Send>(_: T) {}
    let client = Client::builder()
        .token("1234567:e3f3a759b6677959b6ebfc0123456789")
        .base_url("http://127.0.0.1:1")
        .build()
        .unwrap();
    let (group, bulk) = (lox24::GroupId::new(1), lox24::BulkId::new("x"));
    let entries = [lox24::PhoneEntry::new("+491701234567")];
    let new_bulk = lox24::NewBulk::new("Shop", "Hi").to_group(group);
    send(client.create_group(&lox24::NewGroup::new("x")));
    send(client.list_groups());
    send(client.list_group_phones(&group));
    send(client.export_group_csv(&group));
    send(client.add_phones(&group, &entries));
    send(client.get_bulk(&bulk));
    send(client.create_bulk(&new_bulk));
    send(client.list_bulks(&lox24::BulkQuery::new()));
    send(client.upload_phones(&group, &entries).into_future());
}
