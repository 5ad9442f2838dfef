//! Blocked numbers, replies, fraud checks and short links over loopback
//! HTTP with exact statuses and bodies; and every operation of the spec
//! being one the sandbox serves.

mod common;

use std::{collections::BTreeSet, time::Duration};

use common::peer::*;
use lox24::SmsId;
use lox24_sandbox::{ManualClock, MessageTiming, Operation, SandboxBuilder};
use reqwest::StatusCode;
use serde_json::json;

const T0: i64 = 1_800_000_000;

fn builder(clock: &ManualClock) -> SandboxBuilder {
    clocked(clock).message_timing(MessageTiming {
        sending: Duration::from_secs(10),
        delivery: Duration::from_secs(20),
    })
}

async fn started(builder: impl FnOnce(SandboxBuilder) -> SandboxBuilder) -> (ManualClock, Peer) {
    let clock = ManualClock::at_unix(T0 as u64);
    let peer = Peer::start(builder(self::builder(&clock))).await;
    (clock, peer)
}

#[tokio::test]
async fn every_operation_of_the_spec_is_served_and_nothing_else() {
    // The paths (two spaces in) and methods (four) of openapi/lox24.yaml.
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../openapi/lox24.yaml"
    ))
    .unwrap();
    let paths_start = spec.find("\npaths:\n").unwrap();
    let paths_end = spec[paths_start + 1..].find("\ncomponents:").unwrap() + paths_start + 1;
    let mut documented = BTreeSet::new();
    let mut path = "";
    for line in spec[paths_start..paths_end].lines() {
        if let Some(p) = line.strip_prefix("  /") {
            path = &line[2..2 + p.len()];
            path = path.trim_end_matches(':');
        } else if let Some(method) = ["get", "post", "put", "delete"]
            .into_iter()
            .find(|m| line == format!("    {m}:"))
        {
            documented.insert((method.to_uppercase(), path.to_owned()));
        }
    }
    let served: BTreeSet<(String, String)> = Operation::ALL
        .iter()
        .map(|op| (op.method().to_owned(), op.path().to_owned()))
        .collect();
    assert_eq!(documented.len(), 56);
    assert_eq!(served, documented);
}

#[tokio::test]
async fn numbers_are_blocked_once_listed_read_and_unblocked() {
    let (_clock, peer) = started(|b| b).await;
    let added = peer
        .post("/blocked_numbers", LD, json!({"number": "+491701234567"}))
        .await;
    assert_eq!(added.status, 201);
    assert_eq!(
        added.body,
        json!({"@context": "/contexts/BlockedNumber", "@id": "/blocked_numbers/1",
               "@type": "BlockedNumber", "id": 1, "number": "+491701234567", "type": 1,
               "added_at": T0})
    );
    let twice = peer
        .post("/blocked_numbers", JSON, json!({"number": "+491701234567"}))
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(
        twice.body,
        json!({"type": PROBLEM_TYPE, "title": "An error occurred",
               "detail": "The number is blocked already."})
    );
    let national = peer
        .post("/blocked_numbers", JSON, json!({"number": "01701234567"}))
        .await;
    assert_eq!(national.status, 422);
    assert_eq!(national.body["violations"][0]["propertyPath"], "number");

    let listed = peer.get("/blocked_numbers?type=1", JSON).await;
    assert_eq!(
        listed.body,
        json!([{"id": 1, "number": "+491701234567", "type": 1, "added_at": T0}])
    );
    assert_eq!(
        peer.get("/blocked_numbers?type=2", JSON).await.body,
        json!([])
    );
    assert_eq!(
        peer.get("/blocked_numbers/1", JSON).await.body["number"],
        "+491701234567"
    );

    // A message to it is not sent and costs nothing.
    let sms = peer
        .post(
            "/sms",
            JSON,
            json!({"sender_id": "Shop", "text": "Hi", "phone": "+491701234567"}),
        )
        .await;
    assert_eq!(
        (sms.status, &sms.body["status_code"], &sms.body["price"]),
        (StatusCode::CREATED, &json!(208), &json!(0.0))
    );
    assert_eq!(peer.get("/me", JSON).await.body["balance_amount"], 100.0);

    assert_eq!(peer.delete("/blocked_numbers/1").await.status, 204);
    assert_eq!(peer.get("/blocked_numbers/1", JSON).await.status, 404);
    assert_eq!(peer.delete("/blocked_numbers/1").await.status, 404);
    assert_eq!(
        peer.post("/blocked_numbers", JSON, json!({"number": "+491701234567"}))
            .await
            .body["id"],
        2
    );
}

#[tokio::test]
async fn numbers_ending_as_a_rule_says_reply_when_delivered() {
    let (clock, peer) = started(|b| b.auto_reply("9", "STOP")).await;
    let send = |phone: &'static str| {
        peer.post(
            "/sms",
            JSON,
            json!({"sender_id": "Shop", "text": "Hi", "phone": phone}),
        )
    };
    let answered = send("+491701234569").await.body["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let silent = send("+491701234567").await.body["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    clock.advance(Duration::from_secs(29));
    assert_eq!(peer.get("/incomings", JSON).await.body, json!([]));
    clock.advance(Duration::from_secs(1));
    let replies = peer.get("/incomings", JSON).await.body;
    let uuid = replies[0]["uuid"].as_str().unwrap().to_owned();
    assert_eq!(
        replies,
        json!([{"uuid": uuid, "from": "+491701234569", "to": "Shop", "text": "STOP",
                "msg_uuid": answered, "received_at": T0 + 30}])
    );

    // One simulated by hand, later.
    clock.advance(Duration::from_secs(5));
    let by_hand = peer
        .sandbox
        .simulate_reply(&SmsId::new(silent.clone()), "Thanks!")
        .unwrap();
    assert!(
        peer.sandbox
            .simulate_reply(&SmsId::new("00000000-0000-4000-8000-000000000000"), "x")
            .is_none()
    );
    let newest = peer.get("/incomings", JSON).await.body;
    assert_eq!(newest[0]["uuid"], by_hand.to_string());
    assert_eq!(newest[0]["received_at"], T0 + 35);
    let oldest = peer
        .get("/incomings?_order%5Breceived_at%5D=asc", LD)
        .await
        .body;
    assert_eq!(oldest["hydra:member"][0]["uuid"], uuid.as_str());
    assert_eq!(
        oldest["hydra:member"][0]["@id"],
        format!("/incomings/{uuid}")
    );
    let filtered = peer
        .get(&format!("/incomings?msg_uuid={silent}&text=hank"), JSON)
        .await
        .body;
    assert_eq!(filtered.as_array().unwrap().len(), 1);
    assert_eq!(
        peer.get("/incomings?from=%2B491701234569", JSON).await.body[0]["text"],
        "STOP"
    );

    let one = format!("/incomings/{uuid}");
    assert_eq!(peer.get(&one, JSON).await.body["text"], "STOP");
    assert_eq!(peer.delete(&one).await.status, 204);
    assert_eq!(peer.get(&one, JSON).await.status, 404);
}

#[tokio::test]
async fn a_fraud_check_moves_to_done_with_a_fixed_risk_score() {
    let (clock, peer) = started(|b| b).await;
    let created = peer
        .post(
            "/fraud-checks",
            JSON,
            json!({"service_code": "pro", "phone": "+491701234567",
              "email": "anna@example.com", "callback_data": "signup-7"}),
        )
        .await;
    assert_eq!(created.status, 201, "{created:?}");
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(
        created.body,
        json!({"id": id, "service_code": "pro", "status_code": 0, "risk_score": null, "price": 0.0,
               "callback_data": "signup-7", "created_at": T0, "updated_at": T0,
               "request_phone": {"phone": "+491701234567", "is_valid": false, "is_possible": false, "status_code": 0},
               "request_email": {"email": "anna@example.com", "is_possible": null, "status_code": 0},
               "request_ip": null, "request_address": null})
    );
    let path = format!("/fraud-checks/{id}");
    clock.advance(Duration::from_secs(10));
    assert_eq!(peer.get(&path, JSON).await.body["status_code"], 5);
    clock.advance(Duration::from_secs(20));
    let done = peer.get(&path, JSON).await.body;
    assert_eq!(
        (&done["status_code"], &done["updated_at"]),
        (&json!(10), &json!(T0 + 30))
    );
    let score = done["risk_score"].as_u64().unwrap();
    assert!(score <= 100);
    assert_eq!(done["request_email"]["is_possible"], true);

    // The same input, the same score.
    let again = peer
        .post(
            "/fraud-checks",
            JSON,
            json!({"service_code": "economy", "phone": "+491701234567",
              "email": "anna@example.com"}),
        )
        .await;
    let again_path = format!("/fraud-checks/{}", again.body["id"].as_str().unwrap());
    clock.advance(Duration::from_secs(30));
    assert_eq!(peer.get(&again_path, JSON).await.body["risk_score"], score);

    let listed = peer
        .get("/fraud-checks?callback_data=signup", JSON)
        .await
        .body;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(
        peer.get("/fraud-checks?status_code=10", JSON)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // The names LOX24 documents, each matching a part of the value.
    let count = |query: String| {
        let peer = &peer;
        async move {
            let answer = peer.get(&format!("/fraud-checks?{query}"), JSON).await;
            assert_eq!(answer.status, 200, "{query}");
            answer.body.as_array().unwrap().len()
        }
    };
    assert_eq!(count("request_phone.phone=%2B49170".into()).await, 2);
    assert_eq!(count("request_email.email=anna%40".into()).await, 2);
    assert_eq!(count("request_ip.ip=10.".into()).await, 0);
    assert_eq!(count(format!("id={id}")).await, 1);
    let nothing = peer
        .post("/fraud-checks", JSON, json!({"service_code": "pro"}))
        .await;
    assert_eq!(nothing.status, 422);
    assert_eq!(
        nothing.body["detail"],
        "phone: Give at least one thing to check: phone, email, ip or address."
    );
    assert_eq!(peer.delete(&path).await.status, 204);
    assert_eq!(peer.get(&path, JSON).await.status, 404);
}

#[tokio::test]
async fn short_link_campaigns_are_kept_and_their_links_are_none() {
    let (_clock, peer) = started(|b| b).await;
    let group = peer.group("Fans", &[]).await;
    let created = peer
        .post(
            "/short_link_campaigns",
            JSON,
            json!({"name": "Spring sale", "url": "https://shop.example/spring", "type": 1}),
        )
        .await;
    assert_eq!(created.status, 201, "{created:?}");
    let code = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 12);
    assert!(code.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(
        created.body,
        json!({"id": code, "name": "Spring sale", "url": "https://shop.example/spring", "type": 1,
               "group_id": null, "created_at": T0})
    );
    let path = format!("/short_link_campaigns/{code}");
    let updated = peer
        .put(&path, Some(json!({"name": "Summer", "url": "https://shop.example/summer", "type": 2, "group_id": group})))
        .await;
    assert_eq!(updated.status, 200);
    assert_eq!(
        (&updated.body["name"], &updated.body["group_id"]),
        (&json!("Summer"), &json!(group))
    );
    assert_eq!(peer.get(&path, JSON).await.body, updated.body);

    let subscribe = peer
        .post(
            "/short_link_campaigns/subscribe",
            JSON,
            json!({"name": "Join", "group_id": group}),
        )
        .await;
    assert_eq!(subscribe.status, 201);
    let sub_code = subscribe.body["id"].as_str().unwrap();
    assert_eq!(
        subscribe.body["url"],
        format!("https://sandbox.invalid/subscribe/{sub_code}")
    );
    assert_eq!(subscribe.body["type"], 1);
    let unsubscribe = peer
        .post(
            "/short_link_campaigns/unsubscribe",
            JSON,
            json!({"name": "Leave", "group_id": group}),
        )
        .await;
    assert_eq!(unsubscribe.body["type"], 1);
    let unsub_code = unsubscribe.body["id"].as_str().unwrap();
    assert_eq!(
        unsubscribe.body["url"],
        format!("https://sandbox.invalid/unsubscribe/{unsub_code}")
    );
    let no_group = peer
        .post(
            "/short_link_campaigns/subscribe",
            JSON,
            json!({"name": "Join", "group_id": 99}),
        )
        .await;
    assert_eq!(no_group.status, 422);
    assert_eq!(no_group.body["violations"][0]["propertyPath"], "group_id");
    let bad_kind = peer
        .post(
            "/short_link_campaigns",
            JSON,
            json!({"name": "x", "url": "https://a.example", "type": 3}),
        )
        .await;
    assert_eq!(bad_kind.status, 422);
    assert_eq!(bad_kind.body["violations"][0]["propertyPath"], "type");

    let listed = peer.get("/short_link_campaigns", LD).await.body;
    assert_eq!(listed["hydra:totalItems"], 3);
    assert_eq!(listed["hydra:member"][0]["@id"], path.as_str());
    assert_eq!(
        peer.get(&format!("{path}/requests"), JSON).await.body,
        json!([])
    );
    assert_eq!(
        peer.get(&format!("{path}/short_links"), JSON).await.body,
        json!([])
    );
    for empty in ["/short_links", "/short_link_requests"] {
        let answer = peer.get(empty, LD).await;
        assert_eq!(
            (answer.status, &answer.body["hydra:totalItems"]),
            (StatusCode::OK, &json!(0)),
            "{empty}"
        );
    }
    for missing in [
        "/short_links/abc",
        "/short_links/abc/requests",
        "/short_link_requests/1",
        "/short_link_campaigns/nope/requests",
    ] {
        assert_eq!(peer.get(missing, JSON).await.status, 404, "{missing}");
    }
    assert_eq!(peer.delete(&path).await.status, 204);
    assert_eq!(peer.get(&path, JSON).await.status, 404);
}
