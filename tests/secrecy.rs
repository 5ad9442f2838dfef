//! The API key never shows: not in `Debug`, `Display`, errors or logs.

mod common;

use std::sync::{Arc, Mutex};

use common::{API_KEY, REQUEST_ID, TOKEN, client};
use httpmock::{Method::POST, MockServer};
use lox24::{Client, Credentials, NewGroup};
use serde_json::json;

/// Collects everything every `tracing` subscriber level would print.
#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Log {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Log {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

fn capture() -> (Log, tracing::subscriber::DefaultGuard) {
    let log = Log::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    (log, tracing::subscriber::set_default(subscriber))
}

#[test]
fn debug_output_shows_the_customer_id_only() {
    let credentials: Credentials = TOKEN.parse().unwrap();
    let client = Client::builder()
        .credentials(credentials.clone())
        .base_url("http://127.0.0.1:1")
        .build()
        .unwrap();
    for text in [
        format!("{credentials:?}"),
        format!("{credentials:#?}"),
        format!("{client:?}"),
        format!("{client:#?}"),
    ] {
        assert!(!text.contains(API_KEY), "{text}");
        assert!(text.contains("1234567"), "{text}");
    }
}

#[test]
fn malformed_credentials_are_described_without_the_secret() {
    for token in [
        API_KEY.to_string(),
        format!("12 34:{API_KEY}"),
        format!("1234567:{API_KEY}\n x"),
    ] {
        let err = Client::builder()
            .token(&token)
            .base_url("http://127.0.0.1:1")
            .build()
            .unwrap_err();
        assert!(
            err.to_string().contains("malformed LOX24 credentials"),
            "{err}"
        );
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(!text.contains(API_KEY), "{text}");
        }
    }
}

#[tokio::test(flavor = "current_thread")]
async fn errors_and_logs_never_carry_the_token() {
    let (log, _guard) = capture();
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/groups")
                .header("x-lox24-auth-token", TOKEN);
            then.status(401)
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(json!({"title": "An error occurred", "detail": "Invalid credentials."}));
        })
        .await;

    let err = client(&server)
        .create_group(&NewGroup::new("VIP"))
        .await
        .unwrap_err();

    assert!(matches!(err, lox24::Error::Unauthorized(_)), "{err:?}");
    let log = log.text();
    assert!(log.contains("status=401"), "the request was logged: {log}");
    for text in [err.to_string(), format!("{err:?}"), format!("{err:#}"), log] {
        assert!(!text.contains(API_KEY), "{text}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn each_request_is_a_span_with_operation_status_duration_and_request_id() {
    let (log, _guard) = capture();
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/groups");
            then.status(201)
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(json!({"id": 3, "name": "VIP"}));
        })
        .await;

    client(&server)
        .create_group(&NewGroup::new("VIP"))
        .await
        .unwrap();

    let log = log.text();
    let line = log
        .lines()
        .find(|l| l.contains("LOX24 answered"))
        .unwrap_or_else(|| panic!("no answer event in {log}"));
    for field in [
        "lox24.request{",
        "operation=\"create_group\"",
        "method=POST",
        "path=\"/groups\"",
        "status=201",
        &format!("request_id=\"{REQUEST_ID}\""),
        "duration_ms=",
    ] {
        assert!(line.contains(field), "{field} missing from {line}");
    }
}

/// Issue 12, item 8: a base URL with the key in its userinfo, query or
/// fragment is refused, and the error does not repeat the key.
#[test]
fn a_refused_base_url_is_shown_without_its_secrets() {
    for (url, shown) in [
        (
            "https://7654321:SECRETKEY@api.lox24.eu",
            "https://***@api.lox24.eu",
        ),
        (
            "https://api.lox24.eu/?token=SECRETKEY",
            "https://api.lox24.eu/?***",
        ),
        (
            "https://api.lox24.eu/#SECRETKEY",
            "https://api.lox24.eu/#***",
        ),
        (
            "http://7654321:SECRETKEY@example.com/?x=SECRETKEY",
            "http://***@example.com/?***",
        ),
        ("7654321:SECRETKEY@api.lox24.eu", "***@api.lox24.eu"),
        ("https://SECRETKEY@[::1", "https://***@[::1"),
    ] {
        let error = Client::builder()
            .token(TOKEN)
            .base_url(url)
            .build()
            .expect_err(url);
        let (display, debug) = (error.to_string(), format!("{error:?}"));
        for text in [&display, &debug] {
            assert!(!text.contains("SECRETKEY"), "{url}: {text}");
        }
        match error {
            lox24::Error::Config(lox24::ConfigError::InvalidBaseUrl { url: kept, .. }) => {
                assert_eq!(kept, shown, "{url}")
            }
            other => panic!("{url}: {other:?}"),
        }
    }
}

/// Issue 12, item 8: a reqwest client passed in follows redirects by
/// default, and a 302 carried the token to another host. The client's
/// redirect policy is now set by this crate whatever is passed in: the 302
/// is an answer like any other, and the other host sees nothing.
#[tokio::test]
async fn a_redirect_is_never_followed_whatever_http_client_is_passed_in() {
    use common::raw_server::{RawServer, Reply};
    let elsewhere = RawServer::start(Reply::http("200 OK", &[], "{}")).await;
    let location = format!(
        "{}/groups/7",
        elsewhere.url.replace("127.0.0.1", "localhost")
    );
    let redirecting = RawServer::start(Reply::http(
        "302 Found",
        &[("location", location.as_str())],
        "",
    ))
    .await;
    let client = Client::builder()
        .token(TOKEN)
        .base_url(&redirecting.url)
        .retry(lox24::RetryPolicy::none())
        .http_client(reqwest::Client::builder())
        .build()
        .unwrap();
    let error = client
        .get_group(&lox24::GroupId::new(7))
        .await
        .expect_err("a 302 is not an answer of get_group");
    assert_eq!(error.status(), Some(302));
    assert_eq!(redirecting.received().len(), 1);
    assert_eq!(
        elsewhere.received().len(),
        0,
        "the token went to {location}"
    );
}
