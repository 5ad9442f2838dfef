//! One answer served for one request, and what the client made of it: the
//! error statuses of an operation mapped to their variants, and answers no
//! client should trust (an HTML page, JSON cut short) as typed errors.

use std::{fmt::Debug, future::Future};

use httpmock::MockServer;
use lox24::{Client, Error};
use serde_json::{Value, json};

use super::{REQUEST_ID, client, variant};

/// The message every error answer of these tests carries.
pub const MESSAGE: &str = "text: This value should not be blank.";

/// What the error statuses of a request on one resource (read, delete, its
/// sub-lists) become: it may be repeated, so a 500 is only a server error.
pub const ON_A_RESOURCE: [(u16, &str); 6] = [
    (401, "Unauthorized"),
    (403, "Forbidden"),
    (404, "NotFound"),
    (429, "Blocked"),
    (500, "Server"),
    (503, "Server"),
];

/// What the error statuses of a list of the account become.
pub const ON_A_LIST: [(u16, &str); 4] = [
    (401, "Unauthorized"),
    (403, "Forbidden"),
    (429, "Blocked"),
    (503, "Server"),
];

/// What the error statuses of a request that creates something become:
/// after a 500 or 502 it may exist, so those are ambiguous.
pub const ON_CREATING: [(u16, &str); 8] = [
    (400, "InvalidInput"),
    (401, "Unauthorized"),
    (403, "Forbidden"),
    (422, "Unprocessable"),
    (429, "Blocked"),
    (500, "Ambiguous(Server)"),
    (502, "Ambiguous(Server)"),
    (503, "Server"),
];

/// A problem-details body with one violation, as LOX24's validation answers
/// are written.
pub fn problem() -> Value {
    json!({
        "type": "https://tools.ietf.org/html/rfc2616#section-10",
        "title": "An error occurred",
        "detail": MESSAGE,
        "violations": [{"propertyPath": "text", "message": "This value should not be blank."}]
    })
}

/// Serves `status` with `content_type` and `body` to `method path` (`"GET"` …) and
/// returns what `call` made of it, after checking that exactly one request
/// reached it. Each call gets a client of its own: a 401 locks a client out.
pub async fn served<T, Fut>(
    method: &str,
    path: &str,
    status: u16,
    content_type: &str,
    body: &str,
    call: impl FnOnce(Client) -> Fut,
) -> Result<T, Error>
where
    Fut: Future<Output = Result<T, Error>>,
{
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(method).path(path);
            then.status(status)
                .header("content-type", content_type)
                .header("x-lox24-request-id", REQUEST_ID)
                .body(body);
        })
        .await;
    let outcome = call(client(&server)).await;
    mock.assert_calls_async(1).await;
    outcome
}

/// For each `(status, variant)`: LOX24's problem answer with that status is
/// that variant of [`Error`], with the status, the request id, the message
/// and the violations.
pub async fn assert_error_statuses<T, Fut>(
    method: &str,
    path: &str,
    statuses: &[(u16, &str)],
    call: impl Fn(Client) -> Fut,
) where
    T: Debug,
    Fut: Future<Output = Result<T, Error>>,
{
    let body = problem().to_string();
    for &(status, expected) in statuses {
        let err = served(
            method,
            path,
            status,
            "application/problem+json",
            &body,
            &call,
        )
        .await
        .expect_err("an error status");
        assert_eq!(variant(&err), expected, "{method} {path} {status}: {err:?}");
        assert_eq!(
            (err.status(), err.request_id()),
            (Some(status), Some(REQUEST_ID)),
            "{method} {path} {status}"
        );
        let api = err.api_error().expect("an answer");
        assert_eq!(api.message(), Some(MESSAGE), "{status}");
        assert_eq!(err.violations()[0].property_path, "text", "{status}");
    }
}

/// A proxy's HTML page and a JSON body cut short, both with the
/// operation's `success` status, are [`Error::UnexpectedResponse`] with the
/// status, the request id and the start of the body.
pub async fn assert_untrusted_answers<T, Fut>(
    method: &str,
    path: &str,
    success: u16,
    call: impl Fn(Client) -> Fut,
) where
    T: Debug,
    Fut: Future<Output = Result<T, Error>>,
{
    let html = "<html><body><h1>Maintenance</h1><p>Back soon.</p></body></html>";
    let cut = r#"{"@context": "/contexts/x", "@id": "/x/1", "uuid": "9fe26332-cd"#;
    for (content_type, body, excerpt) in [
        ("text/html", html, "Maintenance Back soon."),
        ("application/ld+json", cut, cut),
    ] {
        let err = served(method, path, success, content_type, body, &call)
            .await
            .expect_err("an answer that cannot be read");
        let Error::UnexpectedResponse(e) = &err else {
            panic!("{method} {path} with {content_type}: expected UnexpectedResponse, got {err:?}");
        };
        assert_eq!(
            (e.status(), e.request_id(), e.body_excerpt()),
            (Some(success), Some(REQUEST_ID), Some(excerpt)),
            "{method} {path} with {content_type}"
        );
    }
}
