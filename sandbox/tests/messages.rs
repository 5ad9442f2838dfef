//! Single messages, a campaign's messages and the account's balance, over
//! loopback HTTP with exact statuses and bodies.

mod common;

use std::time::Duration;

use common::peer::*;
use lox24_sandbox::{BulkTiming, ManualClock, MessageTiming, SandboxBuilder};
use reqwest::StatusCode;
use serde_json::{Value, json};

const T0: i64 = 1_800_000_000;
const PLACEHOLDER: &str = "11111111-2222-3333-4444-555555555555";

/// A clock at `T0`, messages sent 10 s after they start and reported 20 s
/// later, campaigns queued 5 s and processed over 10 s, 0.05 per part.
fn builder(clock: &ManualClock) -> SandboxBuilder {
    clocked(clock)
        .message_timing(MessageTiming {
            sending: Duration::from_secs(10),
            delivery: Duration::from_secs(20),
        })
        .bulk_timing(BulkTiming {
            queued: Duration::from_secs(5),
            processing: Duration::from_secs(10),
        })
        .price_per_message(0.05)
        .balance(10.0)
}

fn sms(phone: &str) -> Value {
    json!({"sender_id": "Shop", "text": "Hi there", "phone": phone})
}

async fn started() -> (ManualClock, Peer) {
    let clock = ManualClock::at_unix(T0 as u64);
    let peer = Peer::start(builder(&clock)).await;
    (clock, peer)
}

#[tokio::test]
async fn a_message_is_charged_then_sent_then_reported_on_the_clock() {
    let (clock, peer) = started().await;
    let mut body = sms("+491701234567");
    body["callback_data"] = json!("order-1");
    let sent = peer.post("/sms", JSON, body).await;
    assert_eq!(sent.status, 201, "{sent:?}");
    let uuid = sent.body["uuid"].as_str().unwrap().to_owned();
    assert_eq!(uuid.len(), 36);
    assert_eq!(
        sent.body,
        json!({
            "uuid": uuid, "bulk_id": null, "phone": "+491701234567", "sender_id": "Shop",
            "text": "Hi there", "status_code": 0, "dlr_code": 0, "is_sent": false,
            "callback_data": "order-1", "parts_count": 1, "chars_count": 8, "price": 0.05,
            "delivery_at": 0, "gateway_sent_at": 0, "created_at": T0, "iso2": "DE",
            "is_unicode": false, "service_code": "direct", "voice_lang": null,
            "is_text_deleted": false, "source": null, "key_id": 1, "ip": "127.0.0.1",
            "requests": format!("/sms/{uuid}/requests"), "clicks": format!("/sms/{uuid}/clicks")
        })
    );
    let me = peer.get("/me", JSON).await;
    assert_eq!(me.body["balance_amount"], 9.95);
    assert_eq!(me.body["balance_changed_at"], T0);

    let path = format!("/sms/{uuid}");
    clock.advance(Duration::from_secs(10));
    let sending = peer.get(&path, JSON).await.body;
    assert_eq!(
        (
            &sending["status_code"],
            &sending["dlr_code"],
            &sending["is_sent"],
            &sending["gateway_sent_at"]
        ),
        (&json!(100), &json!(4), &json!(true), &json!(T0 + 10))
    );
    clock.advance(Duration::from_secs(20));
    let delivered = peer.get(&path, LD).await;
    assert_eq!(delivered.status, 200);
    assert_eq!(delivered.body["dlr_code"], 1);
    assert_eq!(delivered.body["@context"], "/contexts/sms");
    assert_eq!(delivered.body["@id"], path.as_str());
    assert_eq!(delivered.body["@type"], "sms");
}

#[tokio::test]
async fn the_last_digit_decides_expired_and_rejected() {
    let (clock, peer) = started().await;
    let expired = peer.post("/sms", JSON, sms("+491701234568")).await.body;
    let rejected = peer.post("/sms", JSON, sms("+491701234566")).await.body;
    let report = |body: &Value| format!("/sms/{}", body["uuid"].as_str().unwrap());
    let codes = |body: Value| (body["status_code"].clone(), body["dlr_code"].clone());
    clock.advance(Duration::from_secs(29));
    assert_eq!(
        codes(peer.get(&report(&expired), JSON).await.body),
        (json!(100), json!(2))
    );
    assert_eq!(
        codes(peer.get(&report(&rejected), JSON).await.body),
        (json!(100), json!(4))
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        codes(peer.get(&report(&expired), JSON).await.body),
        (json!(100), json!(8))
    );
    assert_eq!(
        codes(peer.get(&report(&rejected), JSON).await.body),
        (json!(100), json!(16))
    );
}

#[tokio::test]
async fn a_message_is_checked_like_lox24_checks_it() {
    let (_clock, peer) = started().await;
    let bad = peer
        .post(
            "/sms",
            JSON,
            json!({"sender_id": "Shop!", "text": "Hi", "phone": "12ab", "callback_data": "x".repeat(37)}),
        )
        .await;
    assert_eq!(bad.status, 422);
    let violations: Vec<(&str, &str)> = bad.body["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["propertyPath"].as_str().unwrap(),
                v["message"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        violations,
        [
            (
                "callback_data",
                "This value is too long: it may have at most 36 characters."
            ),
            ("phone", "This value is not valid."),
            ("sender_id", "This value is not valid."),
        ]
    );
    let missing = peer
        .post(
            "/sms",
            JSON,
            json!({"sender_id": "Shop", "phone": "+491701234567"}),
        )
        .await;
    assert_eq!(missing.status, 422);
    assert_eq!(
        missing.body["violations"],
        json!([{"propertyPath": "text", "message": "This value should not be blank.", "code": NOT_BLANK}])
    );
    let long = peer
        .post(
            "/sms",
            JSON,
            json!({"sender_id": "Shop", "text": "a".repeat(1531), "phone": "+491701234567"}),
        )
        .await;
    assert_eq!(long.status, 422);
    assert_eq!(long.body["violations"][0]["propertyPath"], "text");
    // Nothing was stored or charged.
    assert_eq!(peer.get("/sms", JSON).await.body, json!([]));
    assert_eq!(peer.get("/me", JSON).await.body["balance_amount"], 10.0);
}

#[tokio::test]
async fn a_dry_run_answers_with_the_placeholder_and_stores_and_charges_nothing() {
    let (_clock, peer) = started().await;
    let text = "ł".repeat(71); // UCS-2, two parts
    let dry = peer
        .post(
            "/sms/dryrun",
            JSON,
            json!({"sender_id": "Shop", "text": text, "phone": "+491701234567"}),
        )
        .await;
    assert_eq!(dry.status, 201);
    assert_eq!(dry.body["uuid"], PLACEHOLDER);
    assert_eq!(
        (
            &dry.body["parts_count"],
            &dry.body["chars_count"],
            &dry.body["price"],
            &dry.body["is_unicode"]
        ),
        (&json!(2), &json!(71), &json!(0.1), &json!(true))
    );
    assert_eq!(
        peer.get(&format!("/sms/{PLACEHOLDER}"), JSON).await.status,
        404
    );
    assert_eq!(peer.get("/sms", JSON).await.body, json!([]));
    let me = peer.get("/me", JSON).await.body;
    assert_eq!(
        (&me["balance_amount"], &me["balance_changed_at"]),
        (&json!(10.0), &Value::Null)
    );
}

#[tokio::test]
async fn what_the_balance_cannot_pay_is_402_and_not_stored() {
    let clock = ManualClock::at_unix(T0 as u64);
    let peer = Peer::start(builder(&clock).balance(0.1)).await;
    for phone in ["+491701234561", "+491701234562"] {
        assert_eq!(peer.post("/sms", JSON, sms(phone)).await.status, 201);
    }
    let broke = peer.post("/sms", JSON, sms("+491701234563")).await;
    assert_eq!(broke.status, StatusCode::PAYMENT_REQUIRED);
    assert_eq!(
        broke.body,
        json!({"type": PROBLEM_TYPE, "title": "An error occurred",
               "detail": "There is not enough credit on the account."})
    );
    let campaign = peer
        .post(
            "/bulks",
            JSON,
            json!({"sender_id": "Shop", "text": "Hi", "phones": ["+491701234564"]}),
        )
        .await;
    assert_eq!(campaign.status, 402);
    assert_eq!(peer.get("/bulks", JSON).await.body, json!([]));
    // Dry runs cost nothing, so they still answer.
    assert_eq!(
        peer.post("/sms/dryrun", JSON, sms("+491701234563"))
            .await
            .status,
        201
    );
    assert_eq!(
        peer.get("/sms", JSON).await.body.as_array().unwrap().len(),
        2
    );
    assert_eq!(peer.get("/me", JSON).await.body["balance_amount"], 0.0);
}

#[tokio::test]
async fn a_campaign_creates_one_message_per_recipient_as_it_is_processed() {
    let (clock, peer) = started().await;
    let created = peer
        .post(
            "/groups",
            JSON,
            json!({"name": "VIP", "name_a": "first name", "phones": {
                "0": {"phone": "+491701111111", "a": "Anna", "callback_data": "crm-anna"},
                "1": {"phone": "+491702222222", "a": "Ben", "callback_data": "crm-ben"},
                "2": {"phone": "+491703333333", "a": "Cleo"}}}),
        )
        .await;
    let group = created.body["id"].as_u64().unwrap();
    assert_eq!(
        peer.post("/blocked_numbers", JSON, json!({"number": "+491702222222"}))
            .await
            .status,
        201
    );
    let bulk = peer
        .post(
            "/bulks",
            JSON,
            json!({"sender_id": "Shop", "text": "Hi [Name colA]", "msg_groups": [group],
                   "phones": ["+491704444444"]}),
        )
        .await;
    assert_eq!(bulk.status, 201, "{bulk:?}");
    let bulk_id = bulk.body["uuid"].as_str().unwrap().to_owned();
    // Three messages paid, the blocked number's not.
    assert_eq!(peer.get("/me", JSON).await.body["balance_amount"], 9.85);
    let listed = format!("/sms?bulk={bulk_id}&_order%5Bcreated_at%5D=asc");
    assert_eq!(peer.get(&listed, JSON).await.body, json!([]));

    clock.advance(Duration::from_secs(15)); // processed
    let status = peer
        .get(&format!("/bulks/{bulk_id}/status"), JSON)
        .await
        .body;
    assert_eq!(
        (
            &status["status_code"],
            &status["msg_total_count"],
            &status["msg_total_cost"]
        ),
        (&json!(10), &json!(3), &json!(0.15))
    );
    let messages = peer.get(&listed, JSON).await.body;
    let rows: Vec<(&str, &str, &Value, &Value, &Value, &Value)> = messages
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            assert_eq!(m["bulk_id"], bulk_id.as_str());
            (
                m["phone"].as_str().unwrap(),
                m["text"].as_str().unwrap(),
                &m["callback_data"],
                &m["status_code"],
                &m["price"],
                &m["created_at"],
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (
                "+491704444444",
                "Hi ",
                &Value::Null,
                &json!(0),
                &json!(0.05),
                &json!(T0 + 7)
            ),
            (
                "+491701111111",
                "Hi Anna",
                &json!("crm-anna"),
                &json!(0),
                &json!(0.05),
                &json!(T0 + 10)
            ),
            (
                "+491702222222",
                "Hi Ben",
                &json!("crm-ben"),
                &json!(208),
                &json!(0.0),
                &json!(T0 + 12)
            ),
            (
                "+491703333333",
                "Hi Cleo",
                &Value::Null,
                &json!(0),
                &json!(0.05),
                &json!(T0 + 15)
            ),
        ]
    );
}

#[tokio::test]
async fn cancelling_a_campaign_stops_the_messages_not_created_yet_and_refunds_them() {
    let (clock, peer) = started().await;
    let bulk = peer
        .post(
            "/bulks",
            JSON,
            json!({"sender_id": "Shop", "text": "Hi",
              "phones": ["+491701111111", "+491702222222"]}),
        )
        .await;
    let bulk_id = bulk.body["uuid"].as_str().unwrap().to_owned();
    assert_eq!(peer.get("/me", JSON).await.body["balance_amount"], 9.9);
    clock.advance(Duration::from_secs(10)); // the first message exists
    let cancelled = peer.put(&format!("/bulks/{bulk_id}/cancel"), None).await;
    assert_eq!(cancelled.body["status_code"], 15);
    let messages = peer.get(&format!("/sms?bulk={bulk_id}"), JSON).await.body;
    assert_eq!(messages.as_array().unwrap().len(), 1);
    assert_eq!(messages[0]["phone"], "+491701111111");
    assert_eq!(peer.get("/me", JSON).await.body["balance_amount"], 9.95);
}

#[tokio::test]
async fn messages_are_listed_with_lox24_s_filters_and_paged() {
    let clock = ManualClock::at_unix(T0 as u64);
    let peer = Peer::start(builder(&clock).page_size(2)).await;
    let mut ids = Vec::new();
    for (phone, data) in [
        ("+491701111111", "a"),
        ("+491702222228", "b"),
        ("+491703333333", "a"),
    ] {
        let mut body = sms(phone);
        body["callback_data"] = json!(data);
        ids.push(
            peer.post("/sms", JSON, body).await.body["uuid"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
        clock.advance(Duration::from_secs(1));
    }
    clock.advance(Duration::from_secs(40)); // all reported
    let phones = |body: &Value| -> Vec<String> {
        body.as_array()
            .or_else(|| body["hydra:member"].as_array())
            .unwrap()
            .iter()
            .map(|m| m["phone"].as_str().unwrap().to_owned())
            .collect()
    };
    // Newest first by default.
    assert_eq!(
        phones(&peer.get("/sms?page=1", JSON).await.body),
        ["+491703333333", "+491702222228"]
    );
    assert_eq!(
        phones(&peer.get("/sms?page=2", JSON).await.body),
        ["+491701111111"]
    );
    let ld = peer
        .get("/sms?callback_data=a&_order%5Bcreated_at%5D=asc", LD)
        .await
        .body;
    assert_eq!(ld["hydra:totalItems"], 2);
    assert_eq!(phones(&ld), ["+491701111111", "+491703333333"]);
    assert_eq!(
        ld["hydra:view"]["hydra:first"],
        "/sms?callback_data=a&_order%5Bcreated_at%5D=asc&page=1"
    );
    let expired = peer
        .get("/sms?dlr_code%5B%5D=8&dlr_code%5B%5D=16", JSON)
        .await
        .body;
    assert_eq!(phones(&expired), ["+491702222228"]);
    let by_id = peer
        .get(
            &format!("/sms?uuid%5B%5D={}&uuid%5B%5D={}", ids[0], ids[2]),
            JSON,
        )
        .await
        .body;
    assert_eq!(phones(&by_id), ["+491703333333", "+491701111111"]);
    assert_eq!(
        phones(&peer.get("/sms?phone=22222", JSON).await.body),
        ["+491702222228"]
    );
    let since = format!(
        "/sms?created_at%5Bgte%5D={}&status_code=100&is_sent=true",
        T0 + 1
    );
    assert_eq!(
        phones(&peer.get(&since, JSON).await.body),
        ["+491703333333", "+491702222228"]
    );
    assert_eq!(peer.get("/sms?is_sent=false", JSON).await.body, json!([]));
    assert_eq!(
        phones(
            &peer
                .get("/sms?_order%5Bgateway_sent_at%5D=asc&page=1", JSON)
                .await
                .body
        ),
        ["+491701111111", "+491702222228"]
    );
    let bad = peer.get("/sms?is_sent=maybe", JSON).await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.body["detail"],
        "Invalid value \"maybe\" for the parameter is_sent."
    );
}

#[tokio::test]
async fn batches_cancel_what_is_not_sent_and_delete_what_matches() {
    let (clock, peer) = started().await;
    let later = T0 + 3600;
    for (phone, data) in [
        ("+491701111111", "x"),
        ("+491702222222", "x"),
        ("+491703333333", "y"),
    ] {
        let mut body = sms(phone);
        body["callback_data"] = json!(data);
        body["delivery_at"] = json!(later);
        assert_eq!(peer.post("/sms", JSON, body).await.status, 201);
    }
    let sent_now = peer.post("/sms", JSON, sms("+491704444444")).await.body;
    clock.advance(Duration::from_secs(10)); // the last one is sent, the others wait
    assert_eq!(peer.get("/me", JSON).await.body["balance_amount"], 9.8);

    let cancelled = peer
        .post("/sms/ops/batch_cancel?callback_data=x", JSON, json!(null))
        .await;
    assert_eq!(
        (cancelled.status, cancelled.body),
        (StatusCode::OK, json!({"deleted_sms_count": 2}))
    );
    let statuses = peer.get("/sms?status_code=6000", JSON).await.body;
    assert_eq!(statuses.as_array().unwrap().len(), 2);
    assert_eq!(peer.get("/me", JSON).await.body["balance_amount"], 9.9);
    // A sent message cannot be cancelled.
    let uuid = sent_now["uuid"].as_str().unwrap();
    let none = peer
        .post(
            &format!("/sms/ops/batch_cancel?uuid={uuid}"),
            JSON,
            json!(null),
        )
        .await;
    assert_eq!(none.body, json!({"deleted_sms_count": 0}));

    let deleted = peer
        .post(
            "/sms/ops/batch_delete?status_code%5B%5D=6000&status_code%5B%5D=100",
            JSON,
            json!(null),
        )
        .await;
    assert_eq!(deleted.body, json!({"deleted_sms_count": 3}));
    assert_eq!(peer.get(&format!("/sms/{uuid}"), JSON).await.status, 404);
    let left = peer.get("/sms", JSON).await.body;
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(left[0]["callback_data"], "y");
    // Deleting the waiting one gives its price back.
    let last = format!("/sms/{}", left[0]["uuid"].as_str().unwrap());
    assert_eq!(peer.delete(&last).await.status, 204);
    assert_eq!(peer.delete(&last).await.status, 404);
    assert_eq!(peer.get("/me", JSON).await.body["balance_amount"], 9.95);
}

#[tokio::test]
async fn clicks_and_requests_of_a_message_are_none() {
    let (_clock, peer) = started().await;
    let uuid = peer.post("/sms", JSON, sms("+491701234567")).await.body["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let clicks = peer.get(&format!("/sms/{uuid}/clicks"), JSON).await;
    assert_eq!(
        clicks.body,
        json!({"uuid": uuid, "requests_count": 0, "created_at": T0})
    );
    assert_eq!(
        peer.get(&format!("/sms/{uuid}/requests"), JSON).await.body,
        json!([])
    );
    assert_eq!(peer.get("/sms/clicks", JSON).await.body, json!([]));
    let ld = peer.get("/sms/clicks", LD).await.body;
    assert_eq!(
        (&ld["@id"], &ld["hydra:totalItems"]),
        (&json!("/sms/clicks"), &json!(0))
    );
    assert_eq!(peer.get("/sms/nope/clicks", JSON).await.status, 404);
    assert_eq!(peer.get("/sms/nope/requests", JSON).await.status, 404);
}

#[tokio::test]
async fn the_account_shows_its_balance_services_and_groups() {
    let (_clock, peer) = started().await;
    peer.group("Newsletter", &[]).await;
    peer.group("VIP", &[]).await;
    let me = peer.get("/me", JSON).await;
    assert_eq!(me.status, 200);
    assert_eq!(
        me.body,
        json!({"id": 1000001, "balance_amount": 10.0, "balance_changed_at": null, "currency": "EUR",
               "services": ["direct", "text2speech", "text2speech_ssml", "economy", "pro"],
               "groups": {"1": "/groups/1", "2": "/groups/2"}, "is_text_deleted": false})
    );
    let ld = peer.get("/me", LD).await.body;
    assert_eq!((&ld["@id"], &ld["@type"]), (&json!("/me"), &json!("User")));
}
