//! The client-wide retry policy and the lockout guard, on single operations.

mod common;

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use common::{
    REQUEST_ID, TOKEN,
    raw_server::{RawServer, Reply},
};
use lox24::{Client, Error, NewGroup, RetryPolicy};

const GROUP_CREATED: &str = r#"{"id": 42, "name": "VIP"}"#;

fn answer(status: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut all = vec![
        ("content-type", "application/json"),
        ("x-lox24-request-id", REQUEST_ID),
    ];
    all.extend_from_slice(headers);
    Reply::http(status, &all, body)
}

/// Answers the requests in turn with `replies`, the last one from then on.
async fn server(replies: Vec<Reply>) -> RawServer {
    let calls = Arc::new(AtomicUsize::new(0));
    RawServer::start_with(move |_| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        let reply = replies[n.min(replies.len() - 1)].clone();
        async move { reply }
    })
    .await
}

fn client(url: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(url)
        .timeout(Duration::from_secs(5))
        .retry(policy)
        .build()
        .expect("a valid test configuration")
}

fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .with_base_delay(Duration::from_millis(1))
        .with_max_delay(Duration::from_millis(5))
}

#[tokio::test]
async fn a_503_is_retried_until_it_succeeds() {
    let server = server(vec![
        answer("503 Service Unavailable", &[], "{}"),
        answer("503 Service Unavailable", &[], "{}"),
        answer("201 Created", &[], GROUP_CREATED),
    ])
    .await;
    let group = client(&server.url, fast())
        .create_group(&NewGroup::new("VIP"))
        .await
        .expect("created on the third attempt");
    assert_eq!(group.id, lox24::GroupId::new(42));
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|r| r.body == received[0].body));
}

#[tokio::test]
async fn attempts_are_bounded_and_none_means_once() {
    let server = server(vec![answer("503 Service Unavailable", &[], "{}")]).await;
    let err = client(&server.url, fast().with_max_attempts(3))
        .create_group(&NewGroup::new("VIP"))
        .await
        .expect_err("always 503");
    assert!(
        matches!(&err, Error::Server(e) if e.status() == 503),
        "{err:?}"
    );
    assert_eq!(server.received().len(), 3);

    let server = self::server(vec![answer("503 Service Unavailable", &[], "{}")]).await;
    client(&server.url, RetryPolicy::none())
        .create_group(&NewGroup::new("VIP"))
        .await
        .expect_err("always 503");
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn retry_after_is_waited_for_up_to_the_cap() {
    // Within the cap: retried (a 0-second wait keeps the test fast).
    let server = server(vec![
        answer("503 Service Unavailable", &[("retry-after", "0")], "{}"),
        answer("201 Created", &[], GROUP_CREATED),
    ])
    .await;
    client(&server.url, fast())
        .create_group(&NewGroup::new("VIP"))
        .await
        .expect("retried");
    assert_eq!(server.received().len(), 2);

    // Beyond the cap: not retried, and the error says how long to wait.
    let server = self::server(vec![answer(
        "503 Service Unavailable",
        &[("retry-after", "120")],
        "{}",
    )])
    .await;
    let err = client(
        &server.url,
        fast().with_max_retry_after(Duration::from_secs(60)),
    )
    .create_group(&NewGroup::new("VIP"))
    .await
    .expect_err("503");
    assert_eq!(server.received().len(), 1);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
}

#[tokio::test]
async fn refusals_are_never_retried() {
    for status in [
        "400 Bad Request",
        "401 Unauthorized",
        "402 Payment Required",
        "403 Forbidden",
        "404 Not Found",
        "422 Unprocessable Entity",
        "429 Too Many Requests",
    ] {
        let server = server(vec![answer(status, &[], "{}")]).await;
        let err = client(&server.url, fast())
            .create_group(&NewGroup::new("VIP"))
            .await
            .expect_err(status);
        assert_eq!(server.received().len(), 1, "{status}");
        assert_eq!(
            err.status().map(|s| s.to_string()),
            Some(status[..3].to_owned())
        );
    }
}

#[tokio::test]
async fn an_ambiguous_post_failure_is_reported_not_repeated() {
    let server = server(vec![answer("502 Bad Gateway", &[], "{}")]).await;
    let err = client(&server.url, fast())
        .create_group(&NewGroup::new("VIP"))
        .await
        .expect_err("502");
    assert_eq!(server.received().len(), 1);
    let Error::Ambiguous(inner) = &err else {
        panic!("{err:?}")
    };
    assert!(matches!(inner.as_ref(), Error::Server(e) if e.status() == 502));
    assert_eq!(
        (err.status(), err.request_id()),
        (Some(502), Some(REQUEST_ID))
    );
    assert!(err.may_have_taken_effect() && !err.is_retryable());
    assert!(
        err.to_string()
            .starts_with("LOX24 may or may not have carried out the request")
    );
}

#[tokio::test]
async fn at_least_once_repeats_an_ambiguous_post() {
    let server = server(vec![
        answer("500 Internal Server Error", &[], "{}"),
        answer("201 Created", &[], GROUP_CREATED),
    ])
    .await;
    client(&server.url, fast().at_least_once(true))
        .create_group(&NewGroup::new("VIP"))
        .await
        .expect("retried");
    assert_eq!(server.received().len(), 2);

    // Should the retries run out, the error still says it may have taken
    // effect. (The credentials are proven first: with unproven ones, a
    // request without an answer is not repeated; see tests/lockout.rs.)
    let server = self::server(vec![
        answer("201 Created", &[], GROUP_CREATED),
        Reply::Close,
        answer("503 Service Unavailable", &[], "{}"),
    ])
    .await;
    let client = client(&server.url, fast().at_least_once(true).with_max_attempts(2));
    client
        .create_group(&NewGroup::new("VIP"))
        .await
        .expect("proves the credentials");
    let err = client
        .create_group(&NewGroup::new("VIP"))
        .await
        .expect_err("503 at the end");
    assert_eq!(server.received().len(), 3);
    assert!(
        matches!(&err, Error::Ambiguous(inner) if inner.status() == Some(503)),
        "{err:?}"
    );
}

#[tokio::test]
async fn after_a_401_nothing_is_sent_until_reset() {
    let server = server(vec![
        answer("401 Unauthorized", &[], "{}"),
        answer("201 Created", &[], GROUP_CREATED),
    ])
    .await;
    let client = client(&server.url, fast());
    let err = client
        .create_group(&NewGroup::new("VIP"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)));
    assert!(client.is_locked_out());

    // Clones share the lockout.
    let clone = client.clone();
    let err = clone.create_group(&NewGroup::new("VIP")).await.unwrap_err();
    assert!(matches!(err, Error::LockedOut), "{err:?}");
    assert!(!err.may_have_taken_effect() && !err.is_retryable());
    assert!(err.to_string().starts_with("not sent:"), "{err}");
    assert_eq!(server.received().len(), 1);

    client.reset_lockout();
    assert!(!clone.is_locked_out());
    client
        .create_group(&NewGroup::new("VIP"))
        .await
        .expect("sent again");
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn until_the_credentials_are_proved_requests_go_one_at_a_time() {
    // Eight requests at once with wrong credentials: one reaches the
    // server, the others wait for its answer and are refused.
    let server = server(vec![answer("401 Unauthorized", &[], "{}")]).await;
    let client = client(&server.url, fast());
    let group = NewGroup::new("VIP");
    let calls = (0..8).map(|_| client.create_group(&group));
    let results = futures_util::future::join_all(calls).await;

    assert_eq!(server.received().len(), 1);
    let unauthorized = results
        .iter()
        .filter(|r| matches!(r, Err(Error::Unauthorized(_))))
        .count();
    let locked_out = results
        .iter()
        .filter(|r| matches!(r, Err(Error::LockedOut)))
        .count();
    assert_eq!((unauthorized, locked_out), (1, 7));
}

#[tokio::test]
async fn a_lockout_during_a_backoff_ends_the_retries() {
    // One request waits to retry a 503 while another gets a 401: the retry
    // is not sent.
    let calls = Arc::new(AtomicUsize::new(0));
    let (first_failed_tx, first_failed) = tokio::sync::watch::channel(false);
    let server = RawServer::start_with(move |request| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        let (tx, mut rx) = (first_failed_tx.clone(), first_failed.clone());
        async move {
            let name: serde_json::Value = serde_json::from_slice(&request.body).unwrap_or_default();
            match (n, name["name"].as_str()) {
                (0, _) => answer("201 Created", &[], GROUP_CREATED),
                (_, Some("retried")) => {
                    tx.send_replace(true);
                    // A fixed wait (no jitter) far longer than the 401 takes.
                    answer("503 Service Unavailable", &[("retry-after", "1")], "{}")
                }
                _ => {
                    let _ = rx.wait_for(|failed| *failed).await;
                    answer("401 Unauthorized", &[], "{}")
                }
            }
        }
    })
    .await;
    let client = client(&server.url, fast());
    client
        .create_group(&NewGroup::new("first"))
        .await
        .expect("proves the credentials");
    let retried = NewGroup::new("retried");
    let refused = NewGroup::new("refused");
    let (retried, refused) =
        tokio::join!(client.create_group(&retried), client.create_group(&refused));
    assert!(matches!(refused, Err(Error::Unauthorized(_))));
    assert!(matches!(retried, Err(Error::LockedOut)), "{retried:?}");
    assert_eq!(server.received().len(), 3, "the retry was not sent");
}
