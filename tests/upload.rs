//! The upload engine over loopback HTTP: per-entry outcomes in input order,
//! retries, ambiguous failures, stop conditions, cancellation and resume.

mod common;

use std::{
    future::IntoFuture,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::Duration,
};

use common::{
    REQUEST_ID, TOKEN, USER_AGENT,
    raw_server::{RawServer, Received, Reply},
};
use lox24::number::{Country, PhonePolicy};
use lox24::{
    Client, Error, GroupId, PhoneEntry, PhoneId, RetryPolicy, ValidationProblem, Violation,
    upload::{NotSentReason, Outcome, Rejection, Stop, UnknownReason, UploadReport},
};
use serde_json::{Value, json};
use tokio::sync::watch;

const GROUP: GroupId = GroupId::new(7117);
const PATH: &str = "/groups/7117/phones/batch";

fn phone(i: u64) -> String {
    format!("+4917{i:08}")
}

fn phones(n: u64) -> Vec<PhoneEntry> {
    (0..n).map(|i| PhoneEntry::new(phone(i))).collect()
}

/// The id the test servers give a phone: its digits.
fn id_of(phone: &str) -> PhoneId {
    PhoneId::new(phone.trim_start_matches('+'))
}

fn created(phone: &str) -> Outcome {
    Outcome::Created {
        id: Some(id_of(phone)),
    }
}

fn not_sent(phone: &str, reason: NotSentReason) -> Outcome {
    Outcome::NotSent {
        phone: Some(phone.to_owned()),
        reason,
    }
}

/// The entries of a batch request.
fn entries(request: &Received) -> Vec<Value> {
    serde_json::from_slice(&request.body).expect("a JSON array of entries")
}

/// The phones of a batch request.
fn sent_phones(request: &Received) -> Vec<String> {
    entries(request)
        .iter()
        .map(|e| e["phone"].as_str().expect("a phone").to_owned())
        .collect()
}

/// A 201 answer creating every entry of the request, as LOX24 writes it.
fn all_created(request: &Received) -> Reply {
    let items: Vec<Value> = entries(request)
        .into_iter()
        .map(|entry| {
            let phone = entry["phone"].as_str().unwrap_or_default().to_owned();
            json!({"status": 201, "body": {
                "id": id_of(&phone).as_str(), "phone": phone,
                "a": null, "b": null, "c": null, "d": null, "e": null, "callback_data": null,
                "subscribed_at": null, "unsubscribed_at": null, "unsubscribe_reason": null
            }})
        })
        .collect();
    json_reply("201 Created", &Value::Array(items))
}

fn json_reply(status: &str, body: &Value) -> Reply {
    Reply::http(
        status,
        &[
            ("content-type", "application/json"),
            ("x-lox24-request-id", REQUEST_ID),
        ],
        &body.to_string(),
    )
}

fn status_reply(status: &str) -> Reply {
    json_reply(
        status,
        &json!({"title": "An error occurred", "detail": status}),
    )
}

/// A client with fast retries (1 ms) and a short timeout.
fn client_with(url: &str, attempts: u32) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(url)
        .timeout(Duration::from_secs(5))
        .retry(
            RetryPolicy::default()
                .with_max_attempts(attempts)
                .with_base_delay(Duration::from_millis(1))
                .with_max_delay(Duration::from_millis(5)),
        )
        .build()
        .expect("a valid test configuration")
}

fn outcomes(report: &UploadReport) -> Vec<Outcome> {
    report.entries().map(|(_, o)| o.into_owned()).collect()
}

#[tokio::test]
async fn mixed_outcomes_come_back_per_entry_in_input_order() {
    let server = RawServer::start_with(|request| async move {
        let items = json!([
            {"status": 201, "body": {"id": "981", "phone": "+491701234567", "a": "Anna"}},
            {"status": 400, "body": {
                "type": "https://tools.ietf.org/html/rfc2616#section-10",
                "title": "An error occurred",
                "detail": "phone: This value is not a valid phone number."
            }},
            {"status": 201, "body": {"id": 982, "phone": "+491701234568", "callback_data": "crm-77"}}
        ]);
        assert_eq!(entries(&request).len(), 3);
        json_reply("201 Created", &items)
    })
    .await;
    let input = vec![
        PhoneEntry::new("+491701234567").column(lox24::Column::A, "Anna"),
        PhoneEntry::new("0".repeat(31)),
        PhoneEntry::new("not a number"),
        PhoneEntry::new(""),
        PhoneEntry::new("+491701234568").callback_data("crm-77"),
    ];

    // Numbers go as written, so that LOX24 is the one to refuse the bad one.
    let report = common::client_at(&server.url)
        .upload_phones(&GROUP, &input)
        .phone_policy(PhonePolicy::PassThrough)
        .await;

    let received = server.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(request.request_line(), format!("POST {PATH} HTTP/1.1"));
    assert_eq!(request.header("x-lox24-auth-token"), Some(TOKEN));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.header("user-agent"), Some(USER_AGENT));
    assert_eq!(request.header("api-version"), None);
    // The two entries that break a limit are not sent.
    assert_eq!(
        entries(request),
        vec![
            json!({"phone": "+491701234567", "a": "Anna"}),
            json!({"phone": "not a number"}),
            json!({"phone": "+491701234568", "callback_data": "crm-77"}),
        ]
    );

    let mut problem = lox24::ItemProblem::default();
    problem.title = Some("An error occurred".into());
    problem.detail = Some("phone: This value is not a valid phone number.".into());
    assert_eq!(
        outcomes(&report),
        vec![
            Outcome::Created {
                id: Some(PhoneId::new("981"))
            },
            Outcome::Rejected {
                phone: "0".repeat(31),
                reason: Box::new(Rejection::Local {
                    error: lox24::ValidationError::new(
                        "phone",
                        ValidationProblem::TooLong {
                            max: 30,
                            actual: 31
                        }
                    ),
                }),
            },
            Outcome::Rejected {
                phone: "not a number".into(),
                reason: Box::new(Rejection::Item {
                    status: 400,
                    problem,
                    request_id: Some(REQUEST_ID.into()),
                }),
            },
            Outcome::Rejected {
                phone: "".into(),
                reason: Box::new(Rejection::Local {
                    error: lox24::ValidationError::new("phone", ValidationProblem::Missing),
                }),
            },
            Outcome::Created {
                id: Some(PhoneId::new("982"))
            },
        ]
    );
    let summary = report.summary();
    assert_eq!(
        (
            summary.created,
            summary.rejected,
            summary.not_sent,
            summary.unknown
        ),
        (2, 3, 0, 0)
    );
    assert_eq!(report.request_ids(), [REQUEST_ID]);
    assert!(report.is_complete());
    assert!(report.stop().is_none() && report.error().is_none());
}

#[tokio::test]
async fn numbers_are_sent_in_e164_and_what_cannot_be_one_is_rejected_locally() {
    let server = RawServer::start_with(|request| async move { all_created(&request) }).await;
    let client = common::client_at(&server.url);
    let input = vec![
        PhoneEntry::new("0049 170 1234567"),
        PhoneEntry::new("0170 1234568"),
        PhoneEntry::new("+49 170 1234569").column(lox24::Column::B, "kept"),
        PhoneEntry::new("call me"),
    ];

    // The default: international forms rewritten, a national number refused
    // for want of a country.
    let report = client.upload_phones(&GROUP, &input).await;
    assert_eq!(
        entries(&server.received()[0]),
        vec![
            json!({"phone": "+491701234567"}),
            json!({"phone": "+491701234569", "b": "kept"}),
        ]
    );
    let local = |field: &str, outcome: &Outcome| match outcome {
        Outcome::Rejected { phone, reason } => match &**reason {
            Rejection::Local { error } => {
                assert_eq!(error.field(), field);
                phone.clone()
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    };
    let got = outcomes(&report);
    assert_eq!(got[0], created("+491701234567"));
    assert_eq!(local("phone", &got[1]), "0170 1234568");
    assert_eq!(got[2], created("+491701234569"));
    assert_eq!(local("phone", &got[3]), "call me");

    // With a country, the national number is completed; resuming the first
    // report with the same input sends exactly the entries not created.
    let report = client
        .resume_upload(report, &input)
        .phone_policy(PhonePolicy::Normalize(Country::from_iso("DE").ok()))
        .await;
    assert_eq!(server.received().len(), 1, "rejected entries are final");
    assert_eq!(report.summary().created, 2);

    let report = client
        .upload_phones(&GROUP, &input)
        .phone_policy(PhonePolicy::Normalize(Country::from_iso("DE").ok()))
        .await;
    assert_eq!(
        sent_phones(&server.received()[1]),
        ["+491701234567", "+491701234568", "+491701234569"]
    );
    assert_eq!(outcomes(&report)[1], created("+491701234568"));

    // Strict: only E.164 as written.
    let report = client
        .upload_phones(&GROUP, &input)
        .phone_policy(PhonePolicy::Strict)
        .await;
    assert_eq!(report.summary().created, 0);
    assert_eq!(report.summary().rejected, 4);
    assert_eq!(server.received().len(), 2, "nothing to send");
}

#[tokio::test]
async fn the_json_ld_answer_decodes_like_the_plain_one() {
    let server = RawServer::start_with(|request| async move {
        let members: Vec<Value> = sent_phones(&request)
            .iter()
            .map(|phone| {
                json!({"status": 201, "body": {
                    "@context": "/contexts/Phone", "@id": "/phones/1", "@type": "Phone",
                    "id": id_of(phone).as_str(), "phone": phone
                }})
            })
            .collect();
        json_reply(
            "201 Created",
            &json!({
                "@context": "/contexts/Phone", "@type": "hydra:Collection",
                "hydra:totalItems": members.len(), "hydra:member": members
            }),
        )
    })
    .await;
    let input = phones(3);
    let report = common::client_at(&server.url)
        .upload_phones(&GROUP, &input)
        .await;
    let expected: Vec<_> = input.iter().map(|e| created(&e.phone)).collect();
    assert_eq!(outcomes(&report), expected);
}

#[tokio::test]
async fn an_answer_with_the_wrong_number_of_items_leaves_its_batch_unknown() {
    // Batches of 2: the first answer has one item too few, the second one too many.
    let calls = Arc::new(AtomicUsize::new(0));
    let server = RawServer::start_with(move |request| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        async move {
            let phones = sent_phones(&request);
            let item = |p: &String| json!({"status": 201, "body": {"id": "1", "phone": p}});
            let items: Vec<Value> = match n {
                0 => phones.iter().take(1).map(item).collect(),
                _ => phones.iter().chain(&phones).map(item).collect(),
            };
            json_reply("201 Created", &Value::Array(items))
        }
    })
    .await;
    let input = phones(4);
    let report = common::client_at(&server.url)
        .upload_phones(&GROUP, &input)
        .batch_size(2)
        .await;

    let unknown = |i: u64| Outcome::Unknown {
        phone: phone(i),
        reason: UnknownReason::Unreadable,
    };
    assert_eq!(
        outcomes(&report),
        vec![unknown(0), unknown(1), unknown(2), unknown(3)]
    );
    let failed = report.failed_batches();
    assert_eq!(failed.len(), 2);
    assert_eq!((failed[0].first, failed[0].sent), (0, 2));
    assert_eq!((failed[1].first, failed[1].sent), (2, 2));
    assert!(
        failed[0]
            .failure
            .message
            .contains("1 items for the 2 entries"),
        "{}",
        failed[0].failure.message
    );
    assert!(
        failed[1]
            .failure
            .message
            .contains("4 items for the 2 entries")
    );
    assert!(
        report.stop().is_none(),
        "a misaligned answer does not stop the upload"
    );
}

#[tokio::test]
async fn a_whole_batch_422_rejects_the_named_entries_and_resends_the_others() {
    let server = RawServer::start_with(|request| async move {
        if entries(&request).len() == 5 {
            json_reply(
                "422 Unprocessable Entity",
                &json!({
                    "title": "An error occurred",
                    "detail": "[1].phone: This value is not a valid phone number.",
                    "violations": [
                        {"propertyPath": "[1].phone", "message": "This value is not a valid phone number."},
                        {"propertyPath": "[3].phone", "message": "This value is too long."},
                        {"propertyPath": "[3].callback_data", "message": "This value is too long."}
                    ]
                }),
            )
        } else {
            all_created(&request)
        }
    })
    .await;
    let input = phones(5);
    let report = common::client_at(&server.url)
        .upload_phones(&GROUP, &input)
        .await;

    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(sent_phones(&received[0]), [0, 1, 2, 3, 4].map(phone));
    assert_eq!(sent_phones(&received[1]), [0, 2, 4].map(phone));

    let violation = |path: &str, message: &str| Violation {
        property_path: path.into(),
        message: message.into(),
        code: None,
    };
    let rejected = |i, violations| Outcome::Rejected {
        phone: phone(i),
        reason: Box::new(Rejection::Batch {
            status: 422,
            violations,
            message: Some("[1].phone: This value is not a valid phone number.".into()),
            request_id: Some(REQUEST_ID.into()),
        }),
    };
    assert_eq!(
        outcomes(&report),
        vec![
            created(&phone(0)),
            rejected(
                1,
                vec![violation(
                    "phone",
                    "This value is not a valid phone number."
                )]
            ),
            created(&phone(2)),
            rejected(
                3,
                vec![
                    violation("phone", "This value is too long."),
                    violation("callback_data", "This value is too long."),
                ]
            ),
            created(&phone(4)),
        ]
    );
    let Outcome::Rejected { reason, .. } = &outcomes(&report)[3] else {
        unreachable!()
    };
    assert_eq!(
        reason.message(),
        "phone: This value is too long.; callback_data: This value is too long."
    );
    assert_eq!(report.failed_batches().len(), 1);
    assert_eq!(report.request_ids(), [REQUEST_ID, REQUEST_ID]);
}

#[tokio::test]
async fn a_400_naming_no_entry_rejects_the_whole_batch() {
    let server = RawServer::start(json_reply(
        "400 Bad Request",
        &json!({"title": "An error occurred", "detail": "Syntax error"}),
    ))
    .await;
    let input = phones(2);
    let report = common::client_at(&server.url)
        .upload_phones(&GROUP, &input)
        .await;
    assert_eq!(server.received().len(), 1);
    for (i, (_, outcome)) in report.entries().enumerate() {
        let Outcome::Rejected { reason, .. } = &*outcome else {
            panic!("{i}: {outcome:?}")
        };
        assert!(
            matches!(**reason, Rejection::Batch { status: 400, .. }),
            "{i}: {reason:?}"
        );
        assert_eq!(reason.message(), "Syntax error");
    }
    assert!(report.stop().is_none());
}

#[tokio::test]
async fn a_503_is_retried_and_each_phone_created_once() {
    let calls = Arc::new(AtomicUsize::new(0));
    let server = RawServer::start_with(move |request| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        async move {
            match n {
                0 => status_reply("503 Service Unavailable"),
                _ => all_created(&request),
            }
        }
    })
    .await;
    let input = phones(3);
    let report = client_with(&server.url, 3)
        .upload_phones(&GROUP, &input)
        .await;

    let received = server.received();
    assert_eq!(received.len(), 2, "one 503, one retry");
    assert_eq!(received[0].body, received[1].body);
    let expected: Vec<_> = input.iter().map(|e| created(&e.phone)).collect();
    assert_eq!(outcomes(&report), expected);
    assert_eq!(report.summary().created, 3);
    assert!(report.failed_batches().is_empty());
}

#[tokio::test]
async fn a_503_after_every_retry_stops_with_the_batch_not_sent() {
    let server = RawServer::start(status_reply("503 Service Unavailable")).await;
    let input = phones(4);
    let report = client_with(&server.url, 3)
        .upload_phones(&GROUP, &input)
        .batch_size(2)
        .await;
    assert_eq!(
        server.received().len(),
        3,
        "three attempts of the first batch"
    );
    assert_eq!(
        outcomes(&report),
        vec![
            not_sent(&phone(0), NotSentReason::Failed),
            not_sent(&phone(1), NotSentReason::Failed),
            not_sent(&phone(2), NotSentReason::Stopped),
            not_sent(&phone(3), NotSentReason::Stopped),
        ]
    );
    assert_eq!(report.summary().not_sent, 4, "the unread entries count");
    assert!(matches!(report.error(), Some(Error::Server(e)) if e.status() == 503));
}

/// A server that keeps the first request waiting forever and creates
/// everything after.
async fn hang_then_create() -> RawServer {
    let calls = Arc::new(AtomicUsize::new(0));
    RawServer::start_with(move |request| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        async move {
            match n {
                0 => Reply::Hang,
                _ => all_created(&request),
            }
        }
    })
    .await
}

fn client_with_timeout(url: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .token(TOKEN)
        .base_url(url)
        .timeout(Duration::from_millis(500))
        .retry(policy.with_base_delay(Duration::from_millis(1)))
        .build()
        .expect("a valid test configuration")
}

#[tokio::test]
async fn a_timeout_after_sending_is_unknown_and_not_retried_by_default() {
    let server = hang_then_create().await;
    let input = phones(2);
    let report = client_with_timeout(&server.url, RetryPolicy::default())
        .upload_phones(&GROUP, &input)
        .await;

    assert_eq!(
        server.received().len(),
        1,
        "the server had the batch: not sent again"
    );
    let unknown = |i| Outcome::Unknown {
        phone: phone(i),
        reason: UnknownReason::Ambiguous,
    };
    assert_eq!(outcomes(&report), vec![unknown(0), unknown(1)]);
    let failure = &report.failed_batches()[0];
    assert!(
        failure.failure.message.contains("may or may not"),
        "{}",
        failure.failure.message
    );
    // With credentials no answer has proven yet, an unanswered batch also
    // stops the upload (tests/lockout.rs).
    assert!(matches!(report.stop(), Some(Stop::Error(e)) if e.status.is_none()));
    assert_eq!(report.to_resend(false), 0);
    assert_eq!(report.to_resend(true), 2);
}

#[tokio::test]
async fn a_timeout_is_retried_in_at_least_once_mode() {
    // The first batch proves the credentials (with unproven ones an
    // unanswered request is never repeated); the second hangs once.
    let calls = Arc::new(AtomicUsize::new(0));
    let server = RawServer::start_with(move |request| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        async move {
            match n {
                1 => Reply::Hang,
                _ => all_created(&request),
            }
        }
    })
    .await;
    let input = phones(4);
    let report = client_with_timeout(&server.url, RetryPolicy::default())
        .upload_phones(&GROUP, &input)
        .batch_size(2)
        .concurrency(1)
        .retry(
            RetryPolicy::default()
                .at_least_once(true)
                .with_base_delay(Duration::from_millis(1)),
        )
        .await;

    let received = server.received();
    assert_eq!(received.len(), 3);
    assert_eq!(received[1].body, received[2].body);
    assert_eq!(
        outcomes(&report),
        (0..4).map(|i| created(&phone(i))).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn a_dropped_connection_is_unknown() {
    let server = RawServer::start(Reply::Close).await;
    let input = phones(2);
    let report = client_with(&server.url, 4)
        .upload_phones(&GROUP, &input)
        .await;
    assert_eq!(
        server.received().len(),
        1,
        "a POST that may have arrived is not repeated"
    );
    let unknown = |i| Outcome::Unknown {
        phone: phone(i),
        reason: UnknownReason::Ambiguous,
    };
    assert_eq!(outcomes(&report), vec![unknown(0), unknown(1)]);
}

#[tokio::test]
async fn a_401_in_a_concurrent_run_stops_everything() {
    // Batches of 2, 4 at a time. The first batch is answered alone; then
    // the server holds the next four until all have arrived, answers the
    // second of them (entries 4 and 5) with 401, and the other three only
    // once the client has taken the 401 in.
    let (arrived_tx, arrived) = watch::channel(0usize);
    let (seen_tx, seen) = watch::channel(false);
    let arrived_tx = Arc::new(arrived_tx);
    let server = RawServer::start_with(move |request| {
        let (arrived_tx, mut arrived, mut seen) =
            (arrived_tx.clone(), arrived.clone(), seen.clone());
        async move {
            arrived_tx.send_modify(|n| *n += 1);
            let phones = sent_phones(&request);
            if phones[0] == phone(0) {
                return all_created(&request);
            }
            let _ = arrived.wait_for(|n| *n >= 5).await;
            if phones[0] == phone(4) {
                return status_reply("401 Unauthorized");
            }
            let _ = seen.wait_for(|seen| *seen).await;
            all_created(&request)
        }
    })
    .await;
    let client = common::client_at(&server.url);
    let input = phones(20);
    let report = client
        .upload_phones(&GROUP, &input)
        .batch_size(2)
        .concurrency(4)
        .on_progress(move |p| {
            if p.not_sent > 0 {
                seen_tx.send_replace(true);
            }
        })
        .await;

    assert_eq!(server.received().len(), 5, "no request after the 401");
    let mut expected: Vec<_> = (0..4).map(|i| created(&phone(i))).collect();
    expected.extend((4..6).map(|i| not_sent(&phone(i), NotSentReason::Failed)));
    expected.extend((6..10).map(|i| created(&phone(i))));
    // The batch read ahead, ready to go.
    expected.extend((10..12).map(|i| not_sent(&phone(i), NotSentReason::Stopped)));
    assert_eq!(outcomes(&report), expected);
    // The rest was never read, and is not sent.
    assert_eq!(report.read(), 12);
    assert_eq!(report.total(), Some(20));
    assert_eq!(report.summary().not_sent, 2 + 2 + 8);
    assert_eq!(
        report.outcome(15).as_deref(),
        Some(&Outcome::NotSent {
            phone: None,
            reason: NotSentReason::Stopped
        })
    );
    assert_eq!(report.outcome(20), None);
    assert_eq!(report.outcome(3).as_deref(), Some(&created(&phone(3))));
    assert!(matches!(report.error(), Some(Error::Unauthorized(_))));
    assert!(matches!(report.stop(), Some(Stop::Error(e)) if e.status == Some(401)));

    // The client stays locked: nothing more goes out with these credentials.
    assert!(client.is_locked_out());
    let err = client
        .add_phones(&GROUP, &phones(1))
        .await
        .expect_err("locked out");
    assert!(matches!(err, Error::LockedOut), "{err:?}");
    assert_eq!(server.received().len(), 5);
}

#[tokio::test]
async fn a_401_to_another_request_of_the_client_stops_the_upload() {
    // Batches of 2, one at a time. The second is held until a
    // `create_group` on a clone of the client has been refused with 401;
    // then nothing more is sent.
    let (batch_arrived_tx, mut batch_arrived) = watch::channel(false);
    let (locked_tx, locked) = watch::channel(false);
    let batches = Arc::new(AtomicUsize::new(0));
    let server = RawServer::start_with(move |request| {
        let (arrived, mut locked) = (batch_arrived_tx.clone(), locked.clone());
        let batches = batches.clone();
        async move {
            if request.request_line().starts_with("POST /groups ") {
                return status_reply("401 Unauthorized");
            }
            if batches.fetch_add(1, Ordering::SeqCst) == 1 {
                arrived.send_replace(true);
                let _ = locked.wait_for(|locked| *locked).await;
            }
            all_created(&request)
        }
    })
    .await;
    let client = common::client_at(&server.url);
    let other = client.clone();
    let refused = async move {
        let _ = batch_arrived.wait_for(|arrived| *arrived).await;
        let err = other.create_group(&lox24::NewGroup::new("VIP")).await;
        locked_tx.send_replace(true);
        err
    };
    let input = phones(8);
    let upload = client
        .upload_phones(&GROUP, &input)
        .batch_size(2)
        .concurrency(1)
        .into_future();
    // A guard against a hang (an upload waiting for a lock to lift), not a
    // wait for a race: the test takes milliseconds.
    let both = tokio::time::timeout(Duration::from_secs(30), async {
        tokio::join!(upload, refused)
    });
    let (report, refused) = both.await.expect("the upload ends");

    assert!(matches!(refused, Err(Error::Unauthorized(_))));
    assert_eq!(server.received().len(), 3, "two batches and the group");
    let mut expected: Vec<_> = (0..4).map(|i| created(&phone(i))).collect();
    expected.extend((4..6).map(|i| not_sent(&phone(i), NotSentReason::Stopped)));
    assert_eq!(outcomes(&report), expected);
    assert_eq!(report.summary().not_sent, 4);
    assert!(
        matches!(report.error(), Some(Error::LockedOut)),
        "{:?}",
        report.error()
    );
}

#[tokio::test]
async fn bad_credentials_cost_exactly_one_request_whatever_the_concurrency() {
    let server = RawServer::start(status_reply("401 Unauthorized")).await;
    let input = phones(50 * 10);
    let report = client_with(&server.url, 4)
        .upload_phones(&GROUP, &input)
        .batch_size(10)
        .concurrency(8)
        .await;

    assert_eq!(server.received().len(), 1);
    assert_eq!(report.summary().not_sent, 500);
    assert_eq!(report.read(), 20, "the batch sent and the one read ahead");
    assert!(matches!(report.error(), Some(Error::Unauthorized(_))));
}

#[tokio::test]
async fn a_429_stops_the_upload_and_says_how_long_to_wait() {
    let server = RawServer::start(Reply::http(
        "429 Too Many Requests",
        &[("retry-after", "600")],
        "blocked",
    ))
    .await;
    let input = phones(4);
    let report = client_with(&server.url, 4)
        .upload_phones(&GROUP, &input)
        .batch_size(2)
        .await;

    assert_eq!(server.received().len(), 1, "a block is never retried");
    let Some(Stop::Error(stop)) = report.stop() else {
        panic!("{:?}", report.stop())
    };
    assert_eq!((stop.status, stop.retry_after_secs), (Some(429), Some(600)));
    assert!(stop.message.contains("wait 10 minutes"), "{}", stop.message);
    assert_eq!(
        report.error().and_then(Error::retry_after),
        Some(Duration::from_secs(600))
    );
    assert_eq!(report.summary().not_sent, 4);
}

#[tokio::test]
async fn a_402_stops_the_upload_and_resume_sends_exactly_the_rest() {
    // Batches of 3, one at a time: the second gets 402.
    let calls = Arc::new(AtomicUsize::new(0));
    let server = RawServer::start_with(move |request| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        async move {
            match n {
                1 => status_reply("402 Payment Required"),
                _ => all_created(&request),
            }
        }
    })
    .await;
    let input = phones(10);
    let report = common::client_at(&server.url)
        .upload_phones(&GROUP, &input)
        .batch_size(3)
        .concurrency(1)
        .await;

    assert_eq!(server.received().len(), 2);
    assert!(matches!(report.error(), Some(Error::InsufficientFunds(_))));
    let mut expected: Vec<_> = (0..3).map(|i| created(&phone(i))).collect();
    expected.extend((3..6).map(|i| not_sent(&phone(i), NotSentReason::Failed)));
    // The batch read ahead, ready to go.
    expected.extend((6..9).map(|i| not_sent(&phone(i), NotSentReason::Stopped)));
    assert_eq!(outcomes(&report), expected);
    assert_eq!(report.summary().not_sent, 7);
    assert_eq!(report.to_resend(false), 7);

    // Through JSON, as a report kept on disk would be.
    let saved = serde_json::to_string(&report).expect("serialisable");
    let report: UploadReport = serde_json::from_str(&saved).expect("deserialisable");

    let resumed = RawServer::start_with(|request| async move { all_created(&request) }).await;
    let report = common::client_at(&resumed.url)
        .resume_upload(report, &input)
        .batch_size(3)
        .await;
    // Sorted: after the first answer, requests go out concurrently.
    let mut sent: Vec<String> = resumed.received().iter().flat_map(sent_phones).collect();
    sent.sort();
    assert_eq!(sent, (3..10).map(phone).collect::<Vec<_>>());
    let expected: Vec<_> = (0..10).map(|i| created(&phone(i))).collect();
    assert_eq!(outcomes(&report), expected);
    assert!(report.is_complete());
    assert!(report.error().is_none());
    // The earlier run's failure is still on record.
    assert_eq!(report.failed_batches().len(), 1);
}

#[tokio::test]
async fn resume_sends_unknown_entries_only_when_asked() {
    let server = RawServer::start(Reply::Close).await;
    let input = phones(3);
    let report = common::client_at(&server.url)
        .upload_phones(&GROUP, &input)
        .await;
    assert_eq!(report.summary().unknown, 3);

    let resumed = RawServer::start_with(|request| async move { all_created(&request) }).await;
    let client = common::client_at(&resumed.url);
    let report = client.resume_upload(report, &input).await;
    assert!(
        resumed.received().is_empty(),
        "unknown entries stay unknown"
    );
    assert_eq!(report.summary().unknown, 3);

    let report = client
        .resume_upload(report, &input)
        .resend_unknown(true)
        .await;
    assert_eq!(resumed.received().len(), 1);
    assert_eq!(sent_phones(&resumed.received()[0]), [0, 1, 2].map(phone));
    assert_eq!(report.summary().created, 3);
}

#[tokio::test]
async fn resume_refuses_an_input_that_does_not_match_the_report() {
    let server = RawServer::start(status_reply("402 Payment Required")).await;
    let input = phones(4);
    let report = common::client_at(&server.url)
        .upload_phones(&GROUP, &input)
        .batch_size(2)
        .await;
    assert_eq!(report.read(), 4);

    let resumed = RawServer::start_with(|request| async move { all_created(&request) }).await;
    let other = vec![
        PhoneEntry::new(phone(0)),
        PhoneEntry::new("+4930123456"),
        PhoneEntry::new(phone(2)),
        PhoneEntry::new(phone(3)),
    ];
    let report = common::client_at(&resumed.url)
        .resume_upload(report, &other)
        .batch_size(2)
        .await;
    assert!(resumed.received().is_empty());
    let Some(Error::Validation(e)) = report.error() else {
        panic!("{:?}", report.error())
    };
    assert_eq!(e.field(), "[1].phone");
}

#[tokio::test]
async fn cancellation_lets_requests_on_their_way_finish_and_sends_nothing_more() {
    // Batch 1 alone, then batches 2–4 together. The first of those to
    // arrive cancels the upload; all three are answered only after that.
    let (cancel_tx, cancelled) = tokio::sync::oneshot::channel::<()>();
    let cancel_tx = Arc::new(Mutex::new(Some(cancel_tx)));
    let calls = Arc::new(AtomicUsize::new(0));
    let server = RawServer::start_with(move |request| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        let cancel_tx = cancel_tx.clone();
        async move {
            if n >= 1
                && let Some(tx) = cancel_tx.lock().expect("not poisoned").take()
            {
                let _ = tx.send(());
            }
            all_created(&request)
        }
    })
    .await;
    let input = phones(20);
    let report = common::client_at(&server.url)
        .upload_phones(&GROUP, &input)
        .batch_size(2)
        .concurrency(3)
        .cancel_on(async move {
            let _ = cancelled.await;
        })
        .await;

    assert_eq!(server.received().len(), 4);
    let mut expected: Vec<_> = (0..8).map(|i| created(&phone(i))).collect();
    expected.extend((8..10).map(|i| not_sent(&phone(i), NotSentReason::Stopped)));
    assert_eq!(outcomes(&report), expected);
    assert_eq!(report.stop(), Some(&Stop::Cancelled));
    assert!(report.error().is_none());
    assert_eq!(report.summary().not_sent, 12);
}

#[tokio::test]
async fn input_order_survives_answers_in_reverse_order() {
    // Batches of 3, 4 at a time. After the first batch, the server holds
    // the answers of each round of four and releases them last first, one
    // at a time, each once the client has taken the previous one in.
    let (done_tx, done) = watch::channel(0u64);
    type Held = Vec<(usize, tokio::sync::oneshot::Sender<()>)>;
    let held: Arc<Mutex<Held>> = Arc::default();
    let calls = Arc::new(AtomicUsize::new(0));
    let server = RawServer::start_with(move |request| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        let (held, mut done) = (held.clone(), done.clone());
        async move {
            if n == 0 {
                return all_created(&request);
            }
            let (tx, rx) = tokio::sync::oneshot::channel();
            let release = {
                let mut held = held.lock().expect("not poisoned");
                held.push((n, tx));
                // Rounds: requests 1–4, 5–8 (and 9, the last, alone).
                (held.len() == 4 || n == 9).then(|| std::mem::take(&mut *held))
            };
            if let Some(mut round) = release {
                tokio::spawn(async move {
                    round.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
                    for (_, tx) in round {
                        let before = *done.borrow();
                        let _ = tx.send(());
                        let _ = done.wait_for(|d| *d > before).await;
                    }
                });
            }
            let _ = rx.await;
            all_created(&request)
        }
    })
    .await;
    let order = Arc::new(Mutex::new(Vec::new()));
    let seen = order.clone();
    let input = phones(28);
    let report = common::client_at(&server.url)
        .upload_phones(&GROUP, &input)
        .batch_size(3)
        .concurrency(4)
        .on_progress(move |p| {
            done_tx.send_replace(p.done);
        })
        .on_outcome(move |index, entry, _| seen.lock().unwrap().push((index, entry.phone.clone())))
        .await;

    assert_eq!(server.received().len(), 10);
    let expected: Vec<_> = input.iter().map(|e| created(&e.phone)).collect();
    assert_eq!(outcomes(&report), expected);
    let order = order.lock().unwrap().clone();
    assert_eq!(
        order,
        (0..28).map(|i| (i, phone(i))).collect::<Vec<_>>(),
        "outcomes are handed on in input order"
    );
}

#[tokio::test]
async fn a_hundred_thousand_phones_from_a_lazy_iterator() {
    let server = RawServer::start_with(|request| async move { all_created(&request) }).await;
    let pulled = Arc::new(AtomicU64::new(0));
    let settled = Arc::new(AtomicU64::new(0));
    let most_ahead = Arc::new(AtomicU64::new(0));
    let (p, s, m) = (pulled.clone(), settled.clone(), most_ahead.clone());
    let input = (0..100_000u64).map(move |i| {
        let ahead = p.fetch_add(1, Ordering::SeqCst) + 1 - s.load(Ordering::SeqCst);
        m.fetch_max(ahead, Ordering::SeqCst);
        PhoneEntry::new(phone(i))
    });
    let mut next = 0u64;
    let mut misplaced = 0u64;
    let report = common::client_at(&server.url)
        .upload_phones(&GROUP, input)
        .keep_created(false)
        .max_concurrency(4)
        .reorder_window(5_000)
        .on_outcome(|index, entry, outcome| {
            settled.fetch_add(1, Ordering::SeqCst);
            if index != next || *outcome != created(&entry.phone) || entry.phone != phone(index) {
                misplaced += 1;
            }
            next += 1;
        })
        .await;

    assert_eq!(misplaced, 0);
    assert_eq!(next, 100_000);
    assert_eq!(report.summary().created, 100_000);
    assert_eq!(report.total(), Some(100_000));
    assert_eq!(server.received().len(), 100, "batches of 1000");
    assert_eq!(report.entries().count(), 0, "only exceptions are kept");
    // Streaming: never more read ahead of the report than the window.
    let ahead = most_ahead.load(Ordering::SeqCst);
    assert!(ahead <= 5_000, "{ahead} entries read ahead");
}

#[tokio::test]
async fn an_invalid_group_id_sends_nothing() {
    let server = RawServer::start(status_reply("500 Internal Server Error")).await;
    let input = phones(3);
    let report = common::client_at(&server.url)
        .upload_phones(&GroupId::new(0), &input)
        .await;
    assert!(server.received().is_empty());
    let Some(Error::Validation(e)) = report.error() else {
        panic!("{:?}", report.error())
    };
    assert_eq!(e.field(), "group");
    assert_eq!(report.summary().not_sent, 3);
}

/// Issue 12, item 7: a report holds no numbers for created entries, so a
/// resume with another input went unnoticed (100 other numbers were
/// reported "100 created" with no request). The report now carries a
/// fingerprint of the entries it covers; a resume checks its input against
/// it before sending anything, and on a mismatch hands the report back as
/// it was, with the error.
#[tokio::test]
async fn resume_checks_the_input_against_the_reports_fingerprint_before_sending() {
    let server = RawServer::start_with(|request| async move { all_created(&request) }).await;
    let input = phones(100);
    for keep_created in [true, false] {
        let report = common::client_at(&server.url)
            .upload_phones(&GROUP, &input)
            .keep_created(keep_created)
            .await;
        assert_eq!(report.summary().created, 100);
        let saved = serde_json::to_string(&report).expect("serialisable");

        let resumed = RawServer::start_with(|request| async move { all_created(&request) }).await;
        let client = common::client_at(&resumed.url);
        let other: Vec<_> = (0..100)
            .map(|i| PhoneEntry::new(format!("+4916{i:08}")))
            .collect();
        let report: UploadReport = serde_json::from_str(&saved).expect("deserialisable");
        let back = client.resume_upload(report, &other).await;
        assert!(resumed.received().is_empty());
        let Some(Error::Validation(e)) = back.error() else {
            panic!("{:?}", back.error())
        };
        assert_eq!(e.field(), "input");
        assert_eq!(
            e.to_string(),
            "`input` is not the one the report being resumed was made from (its first 100 \
             entries differ): resume with the same input in the same order"
        );
        // The report comes back as it was, to be resumed with the right input.
        let mut kept: serde_json::Value = serde_json::to_value(&back).expect("serialisable");
        kept["stop"] = Value::Null;
        let mut original: Value = serde_json::from_str(&saved).expect("json");
        original["stop"] = Value::Null;
        assert_eq!(kept, original);

        // A column changed is another input too.
        let mut changed = input.clone();
        changed[57] = changed[57].clone().callback_data("crm-1");
        let report: UploadReport = serde_json::from_str(&saved).expect("deserialisable");
        let back = client.resume_upload(report, &changed).await;
        assert!(matches!(back.error(), Some(Error::Validation(e)) if e.field() == "input"));

        // The same input passes and sends nothing (everything was created).
        let report: UploadReport = serde_json::from_str(&saved).expect("deserialisable");
        let back = client.resume_upload(report, &input).await;
        assert!(back.error().is_none(), "{:?}", back.error());
        assert_eq!(back.summary().created, 100);
        assert!(resumed.received().is_empty());
    }
}

/// FNV-1a of the bytes `InputFingerprint` describes for entries of a
/// number alone: the hash reports of format 2 and before hold.
fn fnv1a_of_numbers(entries: &[PhoneEntry]) -> String {
    let mut bytes = Vec::new();
    for entry in entries {
        bytes.push(1);
        bytes.extend_from_slice(&(entry.phone.len() as u64).to_le_bytes());
        bytes.extend_from_slice(entry.phone.as_bytes());
        // The five columns and `callback_data`, absent.
        bytes.extend_from_slice(&[0; 6]);
    }
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

/// A report written before format 3 holds an FNV-1a fingerprint: a resume
/// checks its input with FNV-1a, and the report it writes keeps that hash.
#[tokio::test]
async fn a_report_of_format_2_is_resumed_with_its_own_hash() {
    let server = RawServer::start_with(|request| async move { all_created(&request) }).await;
    let input = phones(100);
    let report = common::client_at(&server.url)
        .upload_phones(&GROUP, &input)
        .await;
    let mut old: Value = serde_json::to_value(&report).expect("serialisable");
    assert_eq!(old["format"], 3);
    assert!(old["input"]["xxh3_64"].is_string(), "{}", old["input"]);
    old["format"] = 2.into();
    old["input"] = json!({"entries": 100, "fnv1a64": fnv1a_of_numbers(&input)});
    let old = serde_json::to_vec(&old).expect("serialisable");

    let resumed = RawServer::start_with(|request| async move { all_created(&request) }).await;
    let client = common::client_at(&resumed.url);
    let mut other = input.clone();
    other[99] = PhoneEntry::new("+491609999999");
    let back = client
        .resume_upload(UploadReport::from_json(&old).expect("format 2"), &other)
        .await;
    assert!(matches!(back.error(), Some(Error::Validation(e)) if e.field() == "input"));
    let back = client
        .resume_upload(UploadReport::from_json(&old).expect("format 2"), &input)
        .await;
    assert!(back.error().is_none(), "{:?}", back.error());
    assert_eq!(back.summary().created, 100);
    assert!(resumed.received().is_empty());
    let written: Value = serde_json::to_value(&back).expect("serialisable");
    assert_eq!(written["format"], 3);
    assert_eq!(
        written["input"],
        json!({"entries": 100, "fnv1a64": fnv1a_of_numbers(&input)})
    );
}

/// A shorter input than the report covers is refused before anything is
/// sent (before, the outcomes past its end were dropped without a word).
#[tokio::test]
async fn resume_refuses_a_shorter_input_before_sending() {
    let calls = Arc::new(AtomicUsize::new(0));
    let server = RawServer::start_with(move |request| {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        async move {
            match n {
                0 => all_created(&request),
                _ => status_reply("402 Payment Required"),
            }
        }
    })
    .await;
    let input = phones(10);
    let report = common::client_at(&server.url)
        .upload_phones(&GROUP, &input)
        .batch_size(3)
        .concurrency(1)
        .await;
    assert_eq!(report.read(), 9);
    assert_eq!(report.to_resend(false), 7);

    let resumed = RawServer::start_with(|request| async move { all_created(&request) }).await;
    let back = common::client_at(&resumed.url)
        .resume_upload(report, &input[..5])
        .batch_size(3)
        .await;
    assert!(resumed.received().is_empty());
    let Some(Error::Validation(e)) = back.error() else {
        panic!("{:?}", back.error())
    };
    assert_eq!(
        e.to_string(),
        "`input` has 5 entries, but the report being resumed covers 9: resume with the same \
         input in the same order"
    );
    assert_eq!(back.summary().created, 3);
    assert_eq!(back.to_resend(false), 7);
}

/// A batch never carries more than MAX_BATCH_SIZE entries, whatever
/// `batch_size` asks: its answer stays far below the limit on answers.
#[tokio::test]
async fn batches_are_capped_at_the_maximum_size() {
    let server = RawServer::start_with(|request| async move { all_created(&request) }).await;
    let input = phones(lox24::upload::MAX_BATCH_SIZE as u64 + 1);
    let report = common::client_at(&server.url)
        .upload_phones(&GROUP, &input)
        .batch_size(usize::MAX)
        .concurrency(1)
        .await;
    let sizes: Vec<usize> = server.received().iter().map(|r| entries(r).len()).collect();
    assert_eq!(sizes, [lox24::upload::MAX_BATCH_SIZE, 1]);
    assert_eq!(report.summary().created, input.len() as u64);
}

#[tokio::test]
async fn an_upload_to_a_group_that_does_not_exist_says_which_group() {
    let sandbox = lox24_sandbox::Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let report = client.upload_phones(&GroupId::new(999), phones(3)).await;

    assert!(matches!(report.error(), Some(Error::NotFound(_))));
    assert_eq!(report.summary().not_sent, 3);
    let shown = report.to_string();
    assert!(
        shown.ends_with(": LOX24 has no group 999 in this account (deleted, or a wrong id)"),
        "{shown}"
    );
}
