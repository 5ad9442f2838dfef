//! Helpers shared by the integration tests. Every server here listens on
//! 127.0.0.1 only.
#![allow(dead_code)]

pub mod answers;
pub mod hydra;
pub mod raw_server;

use httpmock::{Mock, MockServer};
use lox24::{Client, Error};

/// A token of the documented form; the key part is what must never leak.
pub const TOKEN: &str = "1234567:e3f3a759b6677959b6ebfc0123456789";
pub const API_KEY: &str = "e3f3a759b6677959b6ebfc0123456789";
/// A request id of the documented form (32 alphanumerics).
pub const REQUEST_ID: &str = "7c1e3b0a9d8f4e2b6a5c4d3e2f1a0b9c";
pub const USER_AGENT: &str = concat!("lox24-rust/", env!("CARGO_PKG_VERSION"));

/// A client for `base_url` with the test token and short timeouts. It sends
/// every request once (no retries), so that each test sees exactly the
/// requests it makes; the retry tests build their own clients.
pub fn client_at(base_url: &str) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(base_url)
        .retry(lox24::RetryPolicy::none())
        .connect_timeout(std::time::Duration::from_secs(5))
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .expect("a valid test configuration")
}

pub fn client(server: &MockServer) -> Client {
    client_at(&server.base_url())
}

/// What every request of the client carries: the token, `accept`, the user
/// agent, and no `api-version` (the generator's header LOX24 does not know).
pub fn sent_by_client(when: httpmock::When, accept: &str) -> httpmock::When {
    when.header("x-lox24-auth-token", TOKEN)
        .header("accept", accept)
        .header("user-agent", USER_AGENT)
        .header_missing("api-version")
}

/// A mock of a request without a body (`"GET"`, `"DELETE"`) to `path`, with
/// the client's headers and `accept`, answered with `status`, the request
/// id and `answer` as JSON-LD (no body when `answer` is null).
pub async fn bodiless<'a>(
    server: &'a MockServer,
    method: &str,
    path: &str,
    accept: &str,
    status: u16,
    answer: serde_json::Value,
) -> Mock<'a> {
    server
        .mock_async(|when, then| {
            sent_by_client(when.method(method).path(path), accept).header_missing("content-type");
            let then = then.status(status).header("x-lox24-request-id", REQUEST_ID);
            if !answer.is_null() {
                then.header("content-type", "application/ld+json; charset=utf-8")
                    .json_body(answer);
            }
        })
        .await
}

/// A mock of `DELETE path` as LOX24 documents it: `Accept:
/// application/json`, no body either way, 204.
pub async fn deleted<'a>(server: &'a MockServer, path: &str) -> Mock<'a> {
    let nothing = serde_json::Value::Null;
    bodiless(server, "DELETE", path, "application/json", 204, nothing).await
}

/// A mock that answers every request, to prove that none was sent.
pub async fn catch_all(server: &MockServer) -> Mock<'_> {
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await
}

/// The variant's name, to compare without building an `ApiError`.
pub fn variant(err: &Error) -> &'static str {
    match err {
        Error::InvalidInput(_) => "InvalidInput",
        Error::Unauthorized(_) => "Unauthorized",
        Error::InsufficientFunds(_) => "InsufficientFunds",
        Error::Forbidden(_) => "Forbidden",
        Error::NotFound(_) => "NotFound",
        Error::Conflict(_) => "Conflict",
        Error::Unprocessable(_) => "Unprocessable",
        Error::Blocked(_) => "Blocked",
        Error::Server(_) => "Server",
        Error::Transport(_) => "Transport",
        Error::UnexpectedResponse(_) => "UnexpectedResponse",
        Error::Validation(_) => "Validation",
        Error::Config(_) => "Config",
        Error::NotCancellable(_) => "NotCancellable",
        Error::WaitTimeout(_) => "WaitTimeout",
        Error::LockedOut => "LockedOut",
        Error::Ambiguous(inner) => match variant(inner) {
            "Server" => "Ambiguous(Server)",
            "Transport" => "Ambiguous(Transport)",
            _ => "Ambiguous(other)",
        },
        _ => "other",
    }
}

/// Every item of a listing, which must start and read without an error.
pub async fn read_all<T>(listing: Result<lox24::Listing<T>, Error>) -> Vec<T>
where
    T: serde::de::DeserializeOwned + Send + 'static,
{
    use futures_util::TryStreamExt;
    listing
        .expect("the first page")
        .try_collect()
        .await
        .expect("every page")
}

/// The field and the rule (`pattern`, `too_long`, `invalid` …) of a
/// validation error; any other error fails the test.
pub fn refused<T: std::fmt::Debug>(result: Result<T, Error>) -> (String, String) {
    match result {
        Err(Error::Validation(e)) => {
            let problem = serde_json::to_value(e.problem()).expect("a problem serialises");
            let rule = problem["rule"].as_str().unwrap_or_default().to_owned();
            (e.field().to_owned(), rule)
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}
