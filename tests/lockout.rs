//! The lockout rule (issue 12, item 4): LOX24 blocks an IP address for ten
//! minutes after more than three bad-credential requests within a minute.
//! While a client's credentials are unproven it never has more than one
//! request on its way and never sends more than three within any 60
//! seconds, whatever timeouts, retries, dropped futures, clones and
//! concurrency do; once they are proven, a revoked key costs at most the
//! requests already on their way.
//!
//! The servers answer 401 only after the client has given up waiting, so
//! the client never sees it, the case the guard cannot learn from. Time is
//! tokio's paused clock: minutes pass at once, and the arrival time of each
//! request is exact.

mod common;

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use common::raw_server::{RawServer, Reply};
use futures_util::future::join_all;
use lox24::{Client, Error, GroupId, PhoneEntry, RetryPolicy, upload::NotSentReason};
use tokio::time::Instant;

/// How long the client waits for an answer.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(1);

/// A server that answers every request with 401 after `delay`, noting when
/// each arrived.
async fn late_401(delay: Duration) -> (RawServer, Arc<Mutex<Vec<Instant>>>) {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let log = arrivals.clone();
    let server = RawServer::start_with(move |_| {
        log.lock().unwrap().push(Instant::now());
        async move {
            tokio::time::sleep(delay).await;
            Reply::http(
                "401 Unauthorized",
                &[("content-type", "application/json")],
                r#"{"title":"Unauthorized"}"#,
            )
        }
    })
    .await;
    (server, arrivals)
}

/// A client with LOX24's default retry policy (four attempts) and the
/// short timeout.
fn client(url: &str) -> Client {
    Client::builder()
        .token(common::TOKEN)
        .base_url(url)
        .timeout(CLIENT_TIMEOUT)
        .retry(RetryPolicy::default())
        .build()
        .expect("valid")
}

/// The rule, checked on the arrival times: at most three within any 60
/// seconds, and each request after the previous one was given up (one on
/// its way at a time).
fn assert_within_the_rule(arrivals: &[Instant], apart: Duration) {
    for (i, at) in arrivals.iter().enumerate() {
        let within = arrivals[i..]
            .iter()
            .take_while(|later| later.duration_since(*at) < Duration::from_secs(60))
            .count();
        assert!(
            within <= 3,
            "{within} requests within 60 s from request {i}"
        );
    }
    for pair in arrivals.windows(2) {
        assert!(
            pair[1].duration_since(pair[0]) >= apart,
            "two requests on their way at once: {:?} apart",
            pair[1].duration_since(pair[0])
        );
    }
}

/// Before: the timed-out request was retried, four requests.
#[tokio::test(start_paused = true)]
async fn an_unanswered_request_with_unproven_credentials_is_not_retried() {
    let (server, arrivals) = late_401(CLIENT_TIMEOUT * 3).await;
    let error = client(&server.url)
        .get_group(&GroupId::new(7))
        .await
        .expect_err("no answer in time");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(arrivals.lock().unwrap().len(), 1);
}

/// Before: all 50 batches went out one after another.
#[tokio::test(start_paused = true)]
async fn an_upload_with_unproven_credentials_stops_at_its_first_unanswered_batch() {
    let (server, arrivals) = late_401(CLIENT_TIMEOUT * 3).await;
    let input: Vec<_> = (0..500)
        .map(|i| PhoneEntry::new(format!("+4917{i:08}")))
        .collect();
    let report = client(&server.url)
        .upload_phones(&GroupId::new(7), &input)
        .batch_size(10)
        .concurrency(8)
        .await;
    assert_eq!(arrivals.lock().unwrap().len(), 1);
    assert_eq!(report.failed_batches().len(), 1);
    assert_eq!(report.summary().unknown, 10);
    assert_eq!(report.summary().not_sent, 490);
    assert!(matches!(
        report.outcome(10).as_deref(),
        Some(lox24::upload::Outcome::NotSent {
            reason: NotSentReason::Stopped,
            ..
        })
    ));
    assert!(
        matches!(report.error(), Some(Error::Ambiguous(e)) if matches!(**e, Error::Transport(_))),
        "{:?}",
        report.error()
    );
}

/// Before: 136 requests.
#[tokio::test(start_paused = true)]
async fn forty_concurrent_calls_on_clones_keep_to_three_a_minute_one_at_a_time() {
    let (server, arrivals) = late_401(CLIENT_TIMEOUT * 3).await;
    let client = client(&server.url);
    let started = Instant::now();
    let calls = (0..40).map(|i| {
        let client = client.clone();
        async move { client.get_group(&GroupId::new(i + 1)).await }
    });
    let results = join_all(calls).await;
    assert!(
        results
            .iter()
            .all(|r| matches!(r, Err(Error::Transport(_))))
    );
    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 40, "each call sent once, none retried");
    assert_within_the_rule(&arrivals, CLIENT_TIMEOUT);
    let first_minute = arrivals
        .iter()
        .filter(|at| at.duration_since(started) < Duration::from_secs(60))
        .count();
    assert_eq!(first_minute, 3);
}

/// Before: all ten went out.
#[tokio::test(start_paused = true)]
async fn calls_dropped_by_the_callers_timeout_keep_to_three_a_minute() {
    let (server, arrivals) = late_401(Duration::from_secs(30)).await;
    let client = Client::builder()
        .token(common::TOKEN)
        .base_url(&server.url)
        .timeout(Duration::from_secs(20))
        .build()
        .expect("valid");
    for i in 0..10 {
        let id = GroupId::new(i + 1);
        let call = client.get_group(&id);
        let outcome = tokio::time::timeout(Duration::from_millis(100), call).await;
        assert!(outcome.is_err(), "the caller gave up first");
    }
    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 3);
    assert_within_the_rule(&arrivals, Duration::from_millis(100));
}

/// Unproven, retries of answers that prove nothing (503) keep to the rule
/// too, and the call still succeeds once LOX24 is back.
#[tokio::test(start_paused = true)]
async fn retries_of_503_with_unproven_credentials_keep_to_three_a_minute() {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let log = arrivals.clone();
    let server = RawServer::with_handler(move |_| {
        let mut log = log.lock().unwrap();
        log.push(Instant::now());
        if log.len() < 4 {
            Reply::http("503 Service Unavailable", &[], "busy")
        } else {
            Reply::http(
                "200 OK",
                &[("content-type", "application/json")],
                r#"{"id": 7, "name": "VIP", "count_items": 0}"#,
            )
        }
    })
    .await;
    let group = client(&server.url)
        .get_group(&GroupId::new(7))
        .await
        .expect("the fourth attempt succeeds");
    assert_eq!(group.name, "VIP");
    let arrivals = arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 4);
    assert_within_the_rule(&arrivals, Duration::ZERO);
}

/// Once an answer proved the credentials, a key revoked mid-upload costs
/// at most the requests already on their way.
#[tokio::test(start_paused = true)]
async fn a_key_revoked_mid_upload_costs_at_most_the_requests_on_their_way() {
    let count = Arc::new(Mutex::new(0usize));
    let seen = count.clone();
    let server = RawServer::with_handler(move |request| {
        let mut seen = seen.lock().unwrap();
        *seen += 1;
        if *seen == 1 {
            let entries: Vec<serde_json::Value> =
                serde_json::from_slice(&request.body).unwrap_or_default();
            let items: Vec<_> = entries
                .iter()
                .enumerate()
                .map(|(i, e)| serde_json::json!({"status": 201, "body": {"id": i.to_string(), "phone": e["phone"]}}))
                .collect();
            Reply::http(
                "201 Created",
                &[("content-type", "application/json")],
                &serde_json::Value::Array(items).to_string(),
            )
        } else {
            Reply::http("401 Unauthorized", &[], "revoked")
        }
    })
    .await;
    let input: Vec<_> = (0..1000)
        .map(|i| PhoneEntry::new(format!("+4917{i:08}")))
        .collect();
    let report = client(&server.url)
        .upload_phones(&GroupId::new(7), &input)
        .batch_size(10)
        .concurrency(4)
        .await;
    let sent = *count.lock().unwrap();
    assert!(
        (2..=5).contains(&sent),
        "{sent} requests: one proving, at most four on their way"
    );
    assert_eq!(report.summary().created, 10);
    assert!(matches!(report.error(), Some(Error::Unauthorized(_))));
}

/// Before: an address where nothing listens cost the lockout window. Each
/// attempt was counted as a request with unproven credentials, so the
/// fourth (the first call's last retry) waited 65 s, and the CLI took 65 s
/// to say the address was unreachable. An attempt that could not connect
/// sent nothing: it is not counted, and nothing waits.
#[tokio::test(start_paused = true)]
async fn attempts_that_could_not_connect_do_not_count_against_the_window() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bound");
    let address = listener.local_addr().expect("an address");
    drop(listener);
    let nowhere = client(&format!("http://{address}"));
    let started = Instant::now();
    for _ in 0..3 {
        match nowhere.get_group(&GroupId::new(7)).await {
            Err(Error::Transport(e)) => {
                assert_eq!(e.kind(), lox24::TransportErrorKind::Connect, "{e:?}");
            }
            other => panic!("expected a connect error, got {other:?}"),
        }
    }
    // Three calls of four attempts each: only the retry policy's backoff.
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(30), "{waited:?}");

    // The count still holds for requests that reached a server.
    let (server, arrivals) = late_401(CLIENT_TIMEOUT * 3).await;
    let reached = client(&server.url);
    for _ in 0..4 {
        let _ = reached.get_group(&GroupId::new(7)).await;
    }
    assert_within_the_rule(&arrivals.lock().unwrap(), CLIENT_TIMEOUT);
    assert_eq!(arrivals.lock().unwrap().len(), 4);
}
