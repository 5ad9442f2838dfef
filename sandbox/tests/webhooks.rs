//! Webhook events posted to a receiver on 127.0.0.1: their envelope, when
//! they come on the clock, and the retries.

mod common;

use std::time::Duration;

use common::{
    peer::*,
    receiver::{Receiver, settled},
};
use lox24::SmsId;
use lox24_sandbox::{ManualClock, MessageTiming, Sandbox, SandboxBuilder};
use serde_json::{Value, json};

const T0: i64 = 1_800_000_000;
const QUIET: Duration = Duration::from_millis(200);

fn builder(clock: &ManualClock, receiver: &Receiver) -> SandboxBuilder {
    clocked(clock)
        .message_timing(MessageTiming {
            sending: Duration::from_secs(10),
            delivery: Duration::from_secs(20),
        })
        .webhook(&receiver.url)
}

fn sms(phone: &str, data: &str) -> Value {
    json!({"sender_id": "Shop", "text": "Hi", "phone": phone, "callback_data": data})
}

fn uuid_of(value: &Value) -> String {
    let id = value.as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36, "{id}");
    id
}

#[tokio::test]
async fn a_final_report_is_posted_as_lox24_posts_it() {
    let clock = ManualClock::at_unix(T0 as u64);
    let mut receiver = Receiver::start(vec![]).await;
    let peer = Peer::start(builder(&clock, &receiver)).await;
    let sent = peer
        .post("/sms", JSON, sms("+491701234568", "order-8"))
        .await
        .body;
    let uuid = uuid_of(&sent["uuid"]);
    clock.advance(Duration::from_secs(29));
    assert!(
        receiver.quiet_for(QUIET).await,
        "nothing before the final report"
    );
    clock.advance(Duration::from_secs(1));
    let delivery = receiver.next().await;
    assert_eq!(
        (delivery.method.as_str(), delivery.path.as_str()),
        ("POST", "/hook")
    );
    assert_eq!(delivery.content_type, "application/json");
    let body = delivery.body;
    let (id, task) = (uuid_of(&body["id"]), uuid_of(&body["notification_task_id"]));
    assert_ne!(id, task);
    assert_eq!(
        body,
        json!({"id": id, "api_version": "2022-05-25", "name": "sms.delivery", "created_at": T0 + 30,
               "attempt_total": 4, "attempt_number": 1, "notification_task_id": task,
               "data": {"id": uuid, "key_id": 1, "dlr_code": 8, "status_code": 100,
                        "callback_data": "order-8"}})
    );
    settled(&peer.sandbox).await;
    assert!(receiver.quiet_for(QUIET).await, "one report per message");
}

#[tokio::test]
async fn a_failed_attempt_is_retried_with_the_same_event_at_growing_intervals() {
    let clock = ManualClock::at_unix(T0 as u64);
    let mut receiver = Receiver::start(vec![500, 503]).await;
    let peer = Peer::start(builder(&clock, &receiver)).await;
    peer.post("/sms", JSON, sms("+491701234567", "x")).await;
    clock.advance(Duration::from_secs(30));
    let first = receiver.next().await.body;
    assert_eq!(first["attempt_number"], 1);
    // The second attempt waits 10 s of clock time after the first.
    clock.advance(Duration::from_secs(9));
    assert!(receiver.quiet_for(QUIET).await);
    clock.advance(Duration::from_secs(1));
    let second = receiver.next().await.body;
    // The third, a minute after the second.
    clock.advance(Duration::from_secs(59));
    assert!(receiver.quiet_for(QUIET).await);
    clock.advance(Duration::from_secs(1));
    let third = receiver.next().await.body;
    let numbers: Vec<&Value> = [&first, &second, &third]
        .map(|b| &b["attempt_number"])
        .to_vec();
    assert_eq!(numbers, [&json!(1), &json!(2), &json!(3)]);
    for later in [&second, &third] {
        assert_eq!(later["id"], first["id"]);
        assert_eq!(later["data"], first["data"]);
        assert_eq!(later["created_at"], first["created_at"]);
    }
    let tasks: std::collections::HashSet<&Value> = [&first, &second, &third]
        .map(|b| &b["notification_task_id"])
        .into_iter()
        .collect();
    assert_eq!(tasks.len(), 3);
    // Accepted: no fourth attempt.
    clock.advance(Duration::from_secs(3600));
    assert!(receiver.quiet_for(QUIET).await);
}

#[tokio::test]
async fn four_attempts_at_most() {
    let clock = ManualClock::at_unix(T0 as u64);
    let mut receiver = Receiver::start(vec![500; 10]).await;
    let peer = Peer::start(builder(&clock, &receiver)).await;
    peer.post("/sms", JSON, sms("+491701234567", "x")).await;
    clock.advance(Duration::from_secs(30));
    let mut numbers = Vec::new();
    for wait in [10, 60, 600] {
        numbers.push(receiver.next().await.body["attempt_number"].clone());
        clock.advance(Duration::from_secs(wait));
    }
    numbers.push(receiver.next().await.body["attempt_number"].clone());
    assert_eq!(numbers, [json!(1), json!(2), json!(3), json!(4)]);
    settled(&peer.sandbox).await;
    clock.advance(Duration::from_secs(86_400));
    assert!(receiver.quiet_for(QUIET).await);
}

#[tokio::test]
async fn dry_runs_replies_and_fraud_checks_have_their_events() {
    let clock = ManualClock::at_unix(T0 as u64);
    let mut receiver = Receiver::start(vec![]).await;
    let peer = Peer::start(builder(&clock, &receiver)).await;

    peer.post("/sms/dryrun", JSON, sms("+491701234566", "dry"))
        .await;
    clock.advance(Duration::from_secs(30));
    let dry = receiver.next().await.body;
    assert_eq!(dry["name"], "sms.delivery.dryrun");
    assert_eq!(
        dry["data"],
        json!({"id": "11111111-2222-3333-4444-555555555555", "key_id": 1, "dlr_code": 16,
               "status_code": 0, "callback_data": "dry"})
    );

    let sent = peer
        .post("/sms", JSON, sms("+491701234567", "real"))
        .await
        .body;
    let reply = peer
        .sandbox
        .simulate_reply(&SmsId::new(uuid_of(&sent["uuid"])), "STOP")
        .unwrap();
    let incoming = receiver.next().await.body;
    assert_eq!(incoming["name"], "sms.incoming");
    assert_eq!(
        incoming["data"],
        json!({"id": reply.to_string(), "from": "+491701234567", "to": "Shop", "text": "STOP",
               "msg_uuid": sent["uuid"], "received_at": T0 + 30})
    );

    let check = peer
        .post(
            "/fraud-checks",
            JSON,
            json!({"service_code": "pro", "ip": "127.0.0.1", "callback_data": "c"}),
        )
        .await
        .body;
    clock.advance(Duration::from_secs(30));
    // The message's report and the check's event are both due now.
    let mut names = Vec::new();
    for _ in 0..2 {
        let event = receiver.next().await.body;
        if event["name"] == "fraud-check.done" {
            // The check as GET /fraud-checks/{id} shows it, and its id as `check_id`.
            let path = format!("/fraud-checks/{}", check["id"].as_str().unwrap());
            let mut expected = peer.get(&path, JSON).await.body;
            expected["check_id"] = check["id"].clone();
            assert_eq!(event["data"], expected);
            assert_eq!(event["data"]["status_code"], 10);
            assert_eq!(event["data"]["callback_data"], "c");
        }
        names.push(event["name"].as_str().unwrap().to_owned());
    }
    names.sort();
    assert_eq!(names, ["fraud-check.done", "sms.delivery"]);
}

#[tokio::test]
async fn a_cancelled_or_deleted_message_is_not_reported() {
    let clock = ManualClock::at_unix(T0 as u64);
    let mut receiver = Receiver::start(vec![]).await;
    let peer = Peer::start(builder(&clock, &receiver)).await;
    let mut later = sms("+491701234567", "cancelled");
    later["delivery_at"] = json!(T0 + 100);
    peer.post("/sms", JSON, later).await;
    let deleted = peer
        .post("/sms", JSON, sms("+491701234561", "deleted"))
        .await
        .body;
    peer.post(
        "/sms/ops/batch_cancel?callback_data=cancelled",
        JSON,
        json!(null),
    )
    .await;
    peer.delete(&format!("/sms/{}", deleted["uuid"].as_str().unwrap()))
        .await;
    clock.advance(Duration::from_secs(3600));
    assert!(receiver.quiet_for(QUIET).await);
}

#[tokio::test]
async fn only_loopback_receivers_are_allowed() {
    for url in [
        "http://192.0.2.10/hook",
        "http://example.com/hook",
        "https://127.0.0.1/hook",
        "hook",
    ] {
        let error = Sandbox::builder().webhook(url).start().await.unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{url}");
        assert!(error.to_string().contains("webhook URL"), "{error}");
    }
    let error = Sandbox::builder()
        .webhook("http://192.0.2.10/")
        .start()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the webhook URL \"http://192.0.2.10/\" is not on this machine: the sandbox posts only to \
         127.0.0.0/8, [::1] or localhost"
    );
    assert!(
        Sandbox::builder()
            .webhook("http://localhost:1/")
            .start()
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn a_receiver_that_never_answers_holds_up_no_request() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (connected, mut connections) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream); // read nothing, answer nothing
            let _ = connected.send(());
        }
    });
    let clock = ManualClock::at_unix(T0 as u64);
    let peer = Peer::start(
        clocked(&clock)
            .message_timing(MessageTiming {
                sending: Duration::ZERO,
                delivery: Duration::ZERO,
            })
            .webhook(url),
    )
    .await;
    peer.post("/sms", JSON, sms("+491701234567", "x")).await;
    clock.advance(Duration::from_secs(1));
    tokio::time::timeout(Duration::from_secs(10), connections.recv())
        .await
        .expect("the courier connects");
    assert_eq!(peer.sandbox.pending_webhooks(), 1, "the attempt hangs");
    let answer = tokio::time::timeout(Duration::from_secs(5), async {
        peer.post("/sms", JSON, sms("+491701234561", "y")).await;
        peer.get("/sms", JSON).await
    })
    .await
    .expect("requests are answered while the receiver hangs");
    assert_eq!(answer.body.as_array().unwrap().len(), 2);
}
