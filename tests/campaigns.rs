//! The campaign workflow over loopback HTTP: dry run, send, status, waiting,
//! cancelling, reading and deleting campaigns.

mod common;

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};

use chrono::{FixedOffset, TimeZone, Utc};
use common::{
    REQUEST_ID, TOKEN, catch_all, client, client_at,
    raw_server::{RawServer, Received, Reply},
};
use httpmock::{
    Method::{DELETE, GET, POST, PUT},
    MockServer,
};
use lox24::{
    Bulk, BulkId, BulkStatus, Encoding, Error, GroupId, NewBulk, Polling, ServiceCode,
    VoiceLanguage, mock::MockServerExt,
};
use serde_json::{Value, json};

const UUID: &str = "0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11";

fn bulk_answer(status: i64) -> Value {
    json!({
        "@context": "/contexts/Bulk", "@id": format!("/bulks/{UUID}"), "@type": "Bulk",
        "uuid": UUID, "delivery_at": 0, "sender_id": "MyShop", "text": "Sale!",
        "phones": ["+491701234567"], "msg_groups": [7117], "status_code": status,
        "msg_total_count": 121, "msg_total_cost": 7.865, "created_at": 1764000000,
        "processed_at": null, "ip": "192.0.2.10", "is_unicode": null, "is_dryrun": false,
        "service_code": "direct", "key_id": 8207, "source": null, "voice_lang": null,
        "is_text_deleted": false
    })
}

/// The status view: no recipients, sender or text.
fn status_answer(status: i64) -> Value {
    json!({
        "@context": "/contexts/Bulk", "@id": format!("/bulks/{UUID}"), "@type": "Bulk",
        "uuid": UUID, "status_code": status, "delivery_at": 0, "msg_total_count": 121,
        "msg_total_cost": 7.865, "created_at": 1764000000, "processed_at": 1764000060,
        "is_dryrun": false, "key_id": 8207, "is_text_deleted": false
    })
}

fn campaign() -> NewBulk {
    NewBulk::new("MyShop", "Sale!")
        .to_phone("+491701234567")
        .to_group(GroupId::new(7117))
}

/// Polling fast enough for tests; the outcomes never depend on the timing.
fn fast() -> Polling {
    Polling::new()
        .interval(Duration::from_millis(1))
        .max_interval(Duration::from_millis(5))
        .timeout(Duration::from_secs(10))
}

#[tokio::test]
async fn a_dry_run_posts_the_campaign_to_dryrun_and_returns_what_lox24_computed() {
    let at = Utc.timestamp_opt(1_924_992_000, 0).unwrap(); // 2031-01-01
    let server = MockServer::start_async().await;
    let dry = server
        .mock_async(|when, then| {
            common::sent_by_client(
                when.method(POST).path("/bulks/dryrun"),
                "application/ld+json",
            )
            .header("content-type", "application/json")
            .json_body(json!({
                "sender_id": "MyShop",
                "text": "Sale!",
                "phones": ["+491701234567"],
                "msg_groups": [7117],
                "delivery_at": 1924992000,
                "is_unicode": false,
                "service_code": "text2speech",
                "voice_lang": "PL",
                "is_text_deleted": true,
                "source": 77
            }));
            let mut answer = bulk_answer(0);
            answer["is_dryrun"] = json!(true);
            then.status(201)
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(answer);
        })
        .await;
    let real = server
        .mock_async(|when, then| {
            when.method(POST).path("/bulks");
            then.status(201).json_body(bulk_answer(0));
        })
        .await;

    let bulk = campaign()
        .deliver_at(at.with_timezone(&FixedOffset::east_opt(7200).unwrap()))
        .encoding(Encoding::Gsm)
        .service(ServiceCode::Text2speech)
        .voice_language(VoiceLanguage::Pl)
        .delete_text_after_sending(true)
        .source(77);
    let preview = client(&server).dry_run_bulk(&bulk).await.unwrap();

    dry.assert_async().await;
    real.assert_calls_async(0).await;
    assert_eq!(preview.messages(), Some(121));
    assert_eq!(preview.cost(), Some(7.865));
    assert_eq!(preview.phones(), ["+491701234567"]);
    assert_eq!(preview.groups(), [GroupId::new(7117)]);
    assert_eq!(preview.bulk.is_dryrun, Some(true));
}

#[tokio::test]
async fn a_dry_run_is_checked_like_a_campaign_and_maps_errors() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let err = client(&server)
        .dry_run_bulk(&NewBulk::new("MyShop", "Sale!"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation(e) if e.field() == "recipients"),
        "{err:?}"
    );
    let past = campaign().deliver_at(Utc::now() - chrono::Duration::hours(1));
    let err = client(&server).dry_run_bulk(&past).await.unwrap_err();
    assert!(
        matches!(&err, Error::Validation(e) if e.field() == "delivery_at"),
        "{err:?}"
    );
    any.assert_calls_async(0).await;

    let server = MockServer::start_async().await;
    server.dry_run_bulk(|_, then| {
        then.payment_required(json!({"detail": "Not enough funds"}));
    });
    let err = client(&server).dry_run_bulk(&campaign()).await.unwrap_err();
    assert!(matches!(err, Error::InsufficientFunds(_)), "{err:?}");
}

#[tokio::test]
async fn deliver_now_undoes_a_delivery_time() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/bulks").json_body(json!({
                "sender_id": "MyShop", "text": "Sale!",
                "phones": ["+491701234567"], "msg_groups": [7117]
            }));
            then.status(201).json_body(bulk_answer(0));
        })
        .await;
    let now = campaign()
        .deliver_at(Utc::now() + chrono::Duration::days(1))
        .deliver_now();
    client(&server).create_bulk(&now).await.unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn create_bulk_returns_a_handle_on_the_created_campaign() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/bulks")
                .header("x-lox24-auth-token", TOKEN)
                .header("accept", "application/ld+json")
                .json_body(json!({
                    "sender_id": "MyShop", "text": "Sale!",
                    "phones": ["+491701234567"], "msg_groups": [7117]
                }));
            then.status(201).json_body(bulk_answer(0));
        })
        .await;
    let status = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/bulks/{UUID}/status"))
                .header("x-lox24-auth-token", TOKEN)
                .header("accept", "application/ld+json")
                .header_missing("content-type");
            then.status(200)
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(status_answer(5));
        })
        .await;

    let sent = client(&server).create_bulk(&campaign()).await.unwrap();
    assert_eq!(sent.id(), &BulkId::new(UUID));
    assert_eq!(
        sent.last_known().map(|b| b.status_code),
        Some(BulkStatus::New)
    );

    assert_eq!(sent.status().await.unwrap(), BulkStatus::InProgress);
    // The status view has no text: what was known before is kept.
    let last = sent.last_known().unwrap();
    assert_eq!(last.status_code, BulkStatus::InProgress);
    assert_eq!(last.text.as_deref(), Some("Sale!"));
    assert_eq!(last.processed_at, Some(1_764_000_060));

    create.assert_async().await;
    status.assert_async().await;
}

/// A fake LOX24 whose status answers are scripted per request.
async fn status_sequence(statuses: &'static [i64]) -> (RawServer, Arc<AtomicUsize>) {
    let polls = Arc::new(AtomicUsize::new(0));
    let counter = polls.clone();
    let server = RawServer::with_handler(move |request: &Received| {
        if request.request_line() != format!("GET /bulks/{UUID}/status HTTP/1.1") {
            return Reply::http("404 Not Found", &[], "");
        }
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let status = statuses[n.min(statuses.len() - 1)];
        Reply::http(
            "200 OK",
            &[("content-type", "application/ld+json")],
            &status_answer(status).to_string(),
        )
    })
    .await;
    (server, polls)
}

#[tokio::test]
async fn wait_polls_the_status_through_new_and_in_progress_to_processed() {
    let (server, polls) = status_sequence(&[0, 5, 5, 10]).await;
    let campaign = client_at(&server.url).campaign(&BulkId::new(UUID));

    let done = campaign.wait_with(&fast()).await.unwrap();

    assert_eq!(done.status_code, BulkStatus::Processed);
    assert_eq!(done.msg_total_count, Some(121));
    assert_eq!(
        polls.load(Ordering::SeqCst),
        4,
        "one request per status, none after the final one"
    );
    for request in server.received() {
        assert_eq!(request.header("x-lox24-auth-token"), Some(TOKEN));
        assert_eq!(request.header("accept"), Some("application/ld+json"));
    }
    // Known to be final now: waiting again asks nothing.
    assert_eq!(campaign.wait_with(&fast()).await.unwrap(), done);
    assert_eq!(polls.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn wait_ends_at_every_final_status() {
    for (code, status) in [
        (15, BulkStatus::Cancelled),
        (20, BulkStatus::SystemError),
        (201, BulkStatus::NoRecipients),
    ] {
        let statuses: &'static [i64] = Box::leak(vec![5, code].into_boxed_slice());
        let (server, polls) = status_sequence(statuses).await;
        let done = client_at(&server.url)
            .campaign(&BulkId::new(UUID))
            .wait_with(&fast())
            .await
            .unwrap();
        assert_eq!(done.status_code, status);
        assert_eq!(polls.load(Ordering::SeqCst), 2);
    }
}

#[tokio::test]
async fn wait_gives_up_after_its_timeout_with_the_last_status() {
    // The campaign never finishes, so the outcome does not depend on timing.
    let (server, polls) = status_sequence(&[5]).await;
    let polling = Polling::new()
        .interval(Duration::from_millis(1))
        .timeout(Duration::from_millis(30));
    let campaign = client_at(&server.url).campaign(&BulkId::new(UUID));

    match campaign.wait_with(&polling).await {
        Err(Error::WaitTimeout(e)) => {
            assert_eq!(e.bulk_id(), &BulkId::new(UUID));
            assert_eq!(e.last_status(), BulkStatus::InProgress);
            assert!(e.waited() >= Duration::from_millis(30), "{:?}", e.waited());
            assert!(e.to_string().contains("still in progress (5)"), "{e}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(polls.load(Ordering::SeqCst) >= 2);
}

#[tokio::test]
async fn wait_ends_with_the_error_of_a_failed_status_request() {
    let server = RawServer::start(Reply::http(
        "404 Not Found",
        &[("content-type", "application/problem+json")],
        r#"{"detail": "Not Found"}"#,
    ))
    .await;
    let err = client_at(&server.url)
        .campaign(&BulkId::new(UUID))
        .wait_with(&fast())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert_eq!(server.received().len(), 1);
}

/// A fake LOX24 campaign in progress until a cancellation arrives; it tells
/// the test when the first status request has been answered.
struct CancellableFake {
    server: RawServer,
    polled: Arc<tokio::sync::Notify>,
}

async fn cancellable_fake() -> CancellableFake {
    let cancelled = Arc::new(AtomicBool::new(false));
    let polled = Arc::new(tokio::sync::Notify::new());
    let notify = polled.clone();
    let server = RawServer::with_handler(move |request: &Received| {
        let line = request.request_line().to_owned();
        let json = |status| {
            Reply::http(
                "200 OK",
                &[("content-type", "application/ld+json")],
                &status_answer(status).to_string(),
            )
        };
        if line == format!("PUT /bulks/{UUID}/cancel HTTP/1.1") {
            cancelled.store(true, Ordering::SeqCst);
            json(15)
        } else if line == format!("GET /bulks/{UUID}/status HTTP/1.1") {
            let answer = json(if cancelled.load(Ordering::SeqCst) {
                15
            } else {
                5
            });
            notify.notify_one();
            answer
        } else {
            Reply::http("404 Not Found", &[], "")
        }
    })
    .await;
    CancellableFake { server, polled }
}

#[tokio::test]
async fn wait_sees_the_campaign_cancelled_from_elsewhere() {
    let fake = cancellable_fake().await;
    let client = client_at(&fake.server.url);
    let waiter = client.campaign(&BulkId::new(UUID));
    let canceller = waiter.clone();

    let waiting = tokio::spawn(async move { waiter.wait_with(&fast()).await });
    // Cancel only once the waiter has seen the campaign in progress.
    fake.polled.notified().await;
    let after_cancel = canceller.cancel().await.unwrap();
    let done = waiting.await.unwrap().unwrap();

    assert_eq!(after_cancel.status_code, BulkStatus::Cancelled);
    assert_eq!(done.status_code, BulkStatus::Cancelled);
    let lines: Vec<String> = fake
        .server
        .received()
        .iter()
        .map(|r| r.request_line().to_owned())
        .collect();
    let cancel_at = lines
        .iter()
        .position(|l| l.starts_with("PUT"))
        .expect("one cancellation");
    assert!(cancel_at >= 1, "a status request came first: {lines:?}");
    let polls = lines.iter().filter(|l| l.starts_with("GET")).count();
    assert!(polls >= 2, "in progress, then cancelled: {lines:?}");
}

#[tokio::test]
async fn cancel_sends_a_put_without_a_body_and_remembers_the_answer() {
    let server = MockServer::start_async().await;
    let cancel = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path(format!("/bulks/{UUID}/cancel"))
                .header("x-lox24-auth-token", TOKEN)
                .header("accept", "application/ld+json")
                .header("content-length", "0")
                .header_missing("content-type");
            then.status(200).json_body(status_answer(15));
        })
        .await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/bulks");
            then.status(201).json_body(bulk_answer(0));
        })
        .await;

    let sent = client(&server).create_bulk(&campaign()).await.unwrap();
    let after = sent.cancel().await.unwrap();

    assert_eq!(after.status_code, BulkStatus::Cancelled);
    assert_eq!(
        after.sender_id.as_deref(),
        Some("MyShop"),
        "kept from the creation"
    );
    cancel.assert_async().await;
    create.assert_async().await;

    // Now known to be cancelled: a second cancel is refused without a request.
    match sent.cancel().await {
        Err(Error::NotCancellable(e)) => {
            assert_eq!(e.status(), Some(BulkStatus::Cancelled));
            assert!(e.refusal().is_none());
        }
        other => panic!("expected NotCancellable, got {other:?}"),
    }
    cancel.assert_calls_async(1).await;
}

#[tokio::test]
async fn cancelling_a_finished_campaign_is_refused_before_sending() {
    let (server, polls) = status_sequence(&[10]).await;
    let campaign = client_at(&server.url).campaign(&BulkId::new(UUID));
    assert_eq!(campaign.status().await.unwrap(), BulkStatus::Processed);

    let err = campaign.cancel().await.unwrap_err();

    match &err {
        Error::NotCancellable(e) => {
            assert_eq!(e.bulk_id(), &BulkId::new(UUID));
            assert_eq!(e.status(), Some(BulkStatus::Processed));
            assert!(e.refusal().is_none());
        }
        other => panic!("expected NotCancellable, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!(
            "campaign {UUID} cannot be cancelled: it is processed (10), and LOX24 cancels \
             only new (0) or in-progress (5) campaigns; nothing was sent"
        )
    );
    assert_eq!(err.status(), None);
    // Only the status request reached the server.
    assert_eq!(polls.load(Ordering::SeqCst), 1);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn lox24_refusing_a_cancellation_is_not_cancellable_with_its_answer() {
    for status in [400u16, 422] {
        let server = MockServer::start_async().await;
        let refused = server
            .mock_async(|when, then| {
                when.method(PUT).path(format!("/bulks/{UUID}/cancel"));
                then.status(status)
                    .header("content-type", "application/problem+json")
                    .header("x-lox24-request-id", REQUEST_ID)
                    .json_body(json!({
                        "title": "An error occurred",
                        "detail": "Bulk can not be canceled"
                    }));
            })
            .await;
        let client = client(&server);

        // Through a handle that has not seen the status, and directly.
        let via_handle = client
            .campaign(&BulkId::new(UUID))
            .cancel()
            .await
            .unwrap_err();
        let direct = client.cancel_bulk(&BulkId::new(UUID)).await.unwrap_err();

        for err in [via_handle, direct] {
            match &err {
                Error::NotCancellable(e) => {
                    assert_eq!(e.status(), None);
                    let answer = e.refusal().expect("LOX24's answer");
                    assert_eq!(answer.status(), status);
                    assert_eq!(answer.message(), Some("Bulk can not be canceled"));
                }
                other => panic!("{status}: expected NotCancellable, got {other:?}"),
            }
            assert_eq!(err.status(), Some(status));
            assert_eq!(err.request_id(), Some(REQUEST_ID));
            assert!(
                err.to_string().contains("only new (0) or in-progress (5)"),
                "{err}"
            );
        }
        refused.assert_calls_async(2).await;
    }
}

#[tokio::test]
async fn other_cancel_errors_keep_their_own_variant() {
    let server = MockServer::start_async().await;
    server.cancel_bulk(|_, then| {
        then.not_found(json!({"detail": "Not Found"}));
    });
    let err = client(&server)
        .cancel_bulk(&BulkId::new(UUID))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

#[tokio::test]
async fn get_bulk_refresh_and_delete() {
    let server = MockServer::start_async().await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path(format!("/bulks/{UUID}"))
                .header("x-lox24-auth-token", TOKEN)
                .header("accept", "application/ld+json");
            then.status(200).json_body(bulk_answer(10));
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path(format!("/bulks/{UUID}"))
                .header("x-lox24-auth-token", TOKEN)
                .header_missing("content-type");
            then.status(204);
        })
        .await;
    let client = client(&server);

    let bulk = client.get_bulk(&BulkId::new(UUID)).await.unwrap();
    assert_eq!(bulk.status_code, BulkStatus::Processed);
    assert_eq!(bulk.iri().as_str(), format!("/bulks/{UUID}"));

    let handle = client.campaign(&BulkId::new(UUID));
    assert!(handle.last_known().is_none());
    assert_eq!(handle.refresh().await.unwrap(), bulk);
    handle.delete().await.unwrap();
    client.delete_bulk(&BulkId::new(UUID)).await.unwrap();

    get.assert_calls_async(2).await;
    delete.assert_calls_async(2).await;
}

#[tokio::test]
async fn bulk_ids_are_checked_before_sending() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let client = client(&server);
    let bad = BulkId::new("0B8A3A94-7F6C-4F24-9A2C-2F2D3C0A1B11/../x");

    let results = [
        client.get_bulk(&bad).await.map(drop),
        client.get_bulk_status(&bad).await.map(drop),
        client.cancel_bulk(&bad).await.map(drop),
        client.delete_bulk(&bad).await,
        client
            .campaign(&bad.clone())
            .wait_with(&fast())
            .await
            .map(drop),
    ];
    for result in results {
        assert!(
            matches!(&result, Err(Error::Validation(e)) if e.field() == "id"),
            "{result:?}"
        );
    }
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn the_typed_mocks_answer_the_campaign_operations() {
    // As a user of the crate would write them in their own tests.
    let server = MockServer::start_async().await;
    let id = BulkId::new(UUID);
    let mut created = Bulk::new(id.clone(), BulkStatus::New);
    created.text = Some("Sale!".into());
    let create = server.create_bulk(|_, then| {
        then.created(&created);
    });
    let status = server.get_bulk_status(|when, then| {
        when.id(&id);
        then.ok(&Bulk::new(id.clone(), BulkStatus::Processed));
    });

    let sent = client(&server).create_bulk(&campaign()).await.unwrap();
    let done = sent.wait_with(&fast()).await.unwrap();

    assert_eq!(done.status_code, BulkStatus::Processed);
    assert_eq!(done.text.as_deref(), Some("Sale!"));
    create.assert();
    status.assert();
}
