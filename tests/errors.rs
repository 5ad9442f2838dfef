//! Every documented error status, in every body shape, mapped to `lox24::Error`.

mod common;

use std::time::Duration;

use common::{
    REQUEST_ID, client, client_at,
    raw_server::{RawServer, Reply},
    variant,
};
use httpmock::{Method::POST, MockServer};
use lox24::{Error, GroupId, NewBulk, NewGroup, PhoneEntry, TransportErrorKind, Violation};
use serde_json::json;

const STATUSES: [(u16, &str); 12] = [
    (400, "InvalidInput"),
    (401, "Unauthorized"),
    (402, "InsufficientFunds"),
    (403, "Forbidden"),
    (404, "NotFound"),
    // LOX24 documents it for a number blocked twice; any operation maps it.
    (409, "Conflict"),
    (422, "Unprocessable"),
    (429, "Blocked"),
    // POST /groups creates a group: after a 500, 502 or 504 it may exist.
    (500, "Ambiguous(Server)"),
    (502, "Ambiguous(Server)"),
    (503, "Server"),
    (504, "Ambiguous(Server)"),
];

/// Answers `POST /groups` with `status`, `content_type` and `body`.
async fn group_error(status: u16, content_type: &str, body: &str) -> Error {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/groups");
            then.status(status)
                .header("content-type", content_type)
                .header("x-lox24-request-id", REQUEST_ID)
                .body(body);
        })
        .await;
    let err = client(&server)
        .create_group(&NewGroup::new("VIP"))
        .await
        .expect_err("an error status");
    mock.assert_async().await;
    err
}

#[tokio::test]
async fn problem_details_map_to_their_status_with_violations() {
    // The shape of LOX24's 400 in the Symfony notifier's tests.
    let body = json!({
        "type": "https://tools.ietf.org/html/rfc2616#section-10",
        "title": "An error occurred",
        "detail": "service_code: Service's code is invalid or unavailable.",
        "violations": [{
            "propertyPath": "service_code",
            "message": "Service's code is invalid or unavailable.",
            "code": "c1051bb4-d103-4f74-8988-acbcafc7fdc3"
        }]
    })
    .to_string();
    for (status, expected) in STATUSES {
        let err = group_error(status, "application/problem+json", &body).await;
        assert_eq!(variant(&err), expected, "{status}");
        assert_eq!(err.status(), Some(status));
        assert_eq!(err.request_id(), Some(REQUEST_ID));
        let api = err.api_error().expect("an API error");
        assert_eq!(api.title(), Some("An error occurred"));
        assert_eq!(
            api.message(),
            Some("service_code: Service's code is invalid or unavailable.")
        );
        assert_eq!(
            err.violations(),
            &[Violation {
                property_path: "service_code".into(),
                message: "Service's code is invalid or unavailable.".into(),
                code: Some("c1051bb4-d103-4f74-8988-acbcafc7fdc3".into()),
            }]
        );
        assert_eq!(api.body_excerpt(), None);
    }
}

#[tokio::test]
async fn hydra_errors_map_to_their_status_with_violations() {
    let body = json!({
        "@context": "/contexts/ConstraintViolationList",
        "@type": "ConstraintViolationList",
        "hydra:title": "An error occurred",
        "hydra:description": "name: This value should not be blank.\nname_a: This value is too long.",
        "violations": [
            {"propertyPath": "name", "message": "This value should not be blank."},
            {"propertyPath": "name_a", "message": "This value is too long. It should have 50 characters or less."}
        ]
    })
    .to_string();
    for (status, expected) in STATUSES {
        let err = group_error(status, "application/ld+json", &body).await;
        assert_eq!(variant(&err), expected, "{status}");
        let api = err.api_error().expect("an API error");
        assert_eq!(api.title(), Some("An error occurred"));
        assert!(
            api.message()
                .unwrap()
                .starts_with("name: This value should not be blank.")
        );
        let paths: Vec<_> = err
            .violations()
            .iter()
            .map(|v| (&*v.property_path, v.code.as_deref()))
            .collect();
        assert_eq!(paths, [("name", None), ("name_a", None)]);
    }
}

#[tokio::test]
async fn html_plain_and_empty_bodies_keep_their_status_and_an_excerpt() {
    let html = "<html><head><title>429 Too Many Requests</title></head>\
                <body><h1>Too Many Requests</h1><p>Your IP is blocked.</p></body></html>";
    for (status, expected) in STATUSES {
        let err = group_error(status, "text/html", html).await;
        assert_eq!(variant(&err), expected, "{status}");
        let api = err.api_error().unwrap();
        assert_eq!(
            api.body_excerpt(),
            Some("429 Too Many Requests Too Many Requests Your IP is blocked.")
        );
        assert_eq!((api.message(), api.violations()), (None, &[][..]));
        assert_eq!(err.request_id(), Some(REQUEST_ID));

        let err = group_error(
            status,
            "text/plain",
            "Client ID or API key isn't active or invalid!",
        )
        .await;
        assert_eq!(variant(&err), expected, "{status}");
        assert_eq!(
            err.api_error().unwrap().body_excerpt(),
            Some("Client ID or API key isn't active or invalid!")
        );

        let err = group_error(status, "application/json", "").await;
        assert_eq!(variant(&err), expected, "{status}");
        assert_eq!(err.api_error().unwrap().body_excerpt(), None);

        // Cut-off JSON is an excerpt, not a decoding failure.
        let err = group_error(status, "application/json", r#"{"detail": "name: Th"#).await;
        assert_eq!(variant(&err), expected, "{status}");
        assert_eq!(
            err.api_error().unwrap().body_excerpt(),
            Some(r#"{"detail": "name: Th"#)
        );
    }
}

#[tokio::test]
async fn the_other_operations_map_errors_the_same_way() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/groups/5/phones/batch");
            then.status(404)
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(json!({"title": "An error occurred", "detail": "Not Found"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/bulks");
            then.status(402)
                .json_body(json!({"hydra:description": "Not enough funds"}));
        })
        .await;
    let client = client(&server);

    let err = client
        .add_phones(&GroupId::new(5), &[PhoneEntry::new("+4930")])
        .await
        .unwrap_err();
    assert_eq!(variant(&err), "NotFound");
    assert_eq!(
        (err.request_id(), err.api_error().unwrap().message()),
        (Some(REQUEST_ID), Some("Not Found"))
    );
    // What was not found: the request, as sent.
    assert_eq!(
        err.api_error().unwrap().request(),
        Some("POST /groups/5/phones/batch")
    );
    assert_eq!(
        err.to_string(),
        format!(
            "not found at LOX24: POST /groups/5/phones/batch (HTTP 404, request id {REQUEST_ID}: \
             Not Found)"
        )
    );

    let err = client
        .create_bulk(&NewBulk::new("Shop", "Hi").to_group(GroupId::new(5)))
        .await
        .unwrap_err();
    assert_eq!(variant(&err), "InsufficientFunds");
    assert_eq!(err.api_error().unwrap().message(), Some("Not enough funds"));
    // What to do, as the other refusals say it.
    assert!(
        err.to_string().starts_with(
            "not enough credit on the LOX24 account; top up its balance (Client::account shows it) \
             before sending again (HTTP 402"
        ),
        "{err}"
    );
}

#[tokio::test]
async fn undocumented_statuses_are_unexpected_responses() {
    for (status, body) in [
        (418, "I'm a teapot"),
        (302, ""),
        (200, r#"{"id": 1, "name": "x"}"#),
    ] {
        let err = group_error(status, "text/plain", body).await;
        let Error::UnexpectedResponse(e) = &err else {
            panic!("{status}: expected UnexpectedResponse, got {err:?}");
        };
        assert_eq!(
            (e.status(), e.request_id()),
            (Some(status), Some(REQUEST_ID))
        );
        assert_eq!(e.body_excerpt(), (!body.is_empty()).then_some(body));
    }
}

#[tokio::test]
async fn a_success_body_that_is_html_is_an_unexpected_response() {
    let err = group_error(201, "text/html", "<html><body>Created</body></html>").await;
    let Error::UnexpectedResponse(e) = &err else {
        panic!("expected UnexpectedResponse, got {err:?}");
    };
    assert_eq!((e.status(), e.request_id()), (Some(201), Some(REQUEST_ID)));
    assert_eq!(e.body_excerpt(), Some("Created"));
    assert!(
        e.reason()
            .starts_with("the body is not the JSON the spec describes"),
        "{}",
        e.reason()
    );
}

#[tokio::test]
async fn blocked_says_how_long_to_wait() {
    let err = group_error(429, "text/plain", "blocked").await;
    assert_eq!(err.retry_after(), Some(lox24::LOCKOUT));
    assert!(err.to_string().contains("wait 10 minutes"), "{err}");
    assert!(!err.is_retryable());

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/groups");
            then.status(429).header("retry-after", "90");
        })
        .await;
    let err = client(&server)
        .create_group(&NewGroup::new("x"))
        .await
        .unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(90)));
    assert!(err.to_string().contains("wait 90 seconds"), "{err}");
}

#[tokio::test]
async fn retryable_and_effect_follow_the_status() {
    for (status, retryable, effect) in [
        (400, false, false),
        (401, false, false),
        (402, false, false),
        (403, false, false),
        (404, false, false),
        (409, false, false),
        (422, false, false),
        (429, false, false),
        // Ambiguous for a POST: sending it again may create a duplicate.
        (500, false, true),
        (502, false, true),
        (503, true, false),
        (504, false, true),
    ] {
        let err = group_error(status, "text/plain", "x").await;
        assert_eq!(
            (err.is_retryable(), err.may_have_taken_effect()),
            (retryable, effect),
            "{status}"
        );
    }
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    // Bind, note the port, close: nothing listens there any more.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);

    let err = client_at(&url)
        .create_group(&NewGroup::new("x"))
        .await
        .unwrap_err();
    let Error::Transport(e) = &err else {
        panic!("expected Transport, got {err:?}")
    };
    assert_eq!(e.kind(), TransportErrorKind::Connect);
    assert!(err.is_retryable());
    assert!(!err.may_have_taken_effect());
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let server = RawServer::start(Reply::Hang).await;
    let client = lox24::Client::builder()
        .token(common::TOKEN)
        .base_url(&server.url)
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();

    let err = client.create_group(&NewGroup::new("x")).await.unwrap_err();

    let Error::Ambiguous(inner) = &err else {
        panic!("expected Ambiguous, got {err:?}")
    };
    let Error::Transport(e) = inner.as_ref() else {
        panic!("expected Transport inside, got {inner:?}")
    };
    assert_eq!(e.kind(), TransportErrorKind::Timeout);
    assert!(err.may_have_taken_effect(), "the server had the request");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_interrupted() {
    let server = RawServer::start(Reply::Close).await;

    let err = client_at(&server.url)
        .create_group(&NewGroup::new("x"))
        .await
        .unwrap_err();

    let Error::Ambiguous(inner) = &err else {
        panic!("expected Ambiguous, got {err:?}")
    };
    let Error::Transport(e) = inner.as_ref() else {
        panic!("expected Transport inside, got {inner:?}")
    };
    assert_eq!(e.kind(), TransportErrorKind::Interrupted);
    assert!(err.may_have_taken_effect());
    assert_eq!(server.received().len(), 1);
}
