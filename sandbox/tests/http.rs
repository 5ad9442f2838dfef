//! The sandbox against LOX24's documented behaviour, over loopback HTTP with
//! a plain HTTP client, so that every status, header and body is seen as
//! sent.

mod common;

use std::{collections::HashSet, time::Duration};

use common::peer::*;
use lox24_sandbox::{BulkTiming, DEFAULT_TOKEN, Fault, ManualClock, Operation, Sandbox};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

// ---------- credentials and the lockout ----------

#[tokio::test]
async fn wrong_or_missing_credentials_are_401_with_a_problem_body() {
    let peer = Peer::default().await;
    let missing = peer
        .send(peer.http.get(format!("{}/groups", peer.sandbox.base_url())))
        .await;
    let wrong = peer
        .send(
            peer.http
                .get(format!("{}/groups", peer.sandbox.base_url()))
                .header("x-lox24-auth-token", "1000001:wrong"),
        )
        .await;
    for answer in [&missing, &wrong] {
        assert_eq!(answer.status, 401);
        assert_eq!(
            answer.content_type(),
            "application/problem+json; charset=utf-8"
        );
        assert_eq!(answer.body["type"], PROBLEM_TYPE);
        assert_eq!(answer.body["title"], "An error occurred");
        assert_eq!(
            answer.body["detail"],
            "The customer id or the API key is invalid or inactive."
        );
        answer.request_id();
    }
    let ok = peer.get("/groups", JSON).await;
    assert_eq!((ok.status, ok.body.clone()), (StatusCode::OK, json!([])));
}

#[tokio::test]
async fn configured_credentials_replace_the_default_token() {
    let peer = Peer::start(Sandbox::builder().credentials("42:own-key".parse().unwrap())).await;
    assert_eq!(peer.get("/groups", JSON).await.status, 401);
    let own = peer
        .send(
            peer.http
                .get(format!("{}/groups", peer.sandbox.base_url()))
                .header("x-lox24-auth-token", "42:own-key"),
        )
        .await;
    assert_eq!(own.status, 200);
    assert!(!format!("{:?}", peer.sandbox).contains("own-key"));
}

#[tokio::test]
async fn more_than_three_wrong_requests_in_a_minute_block_the_address_for_ten_minutes() {
    let clock = ManualClock::new();
    let peer = Peer::start(clocked(&clock)).await;
    let base = peer.sandbox.base_url().to_owned();
    let wrong = || {
        peer.http
            .post(format!("{base}/groups"))
            .header("x-lox24-auth-token", "1000001:guess")
            .json(&json!({"name": "x"}))
    };

    for _ in 0..3 {
        assert_eq!(peer.send(wrong()).await.status, 401);
        clock.advance(Duration::from_secs(19));
    }
    // The fourth within the minute: blocked, and so is everything after it.
    let blocked = peer.send(wrong()).await;
    assert_eq!(blocked.status, 429);
    assert!(blocked.body["detail"].as_str().unwrap().contains("blocked"));
    blocked.request_id();
    assert_eq!(peer.get("/groups", JSON).await.status, 429);
    clock.advance(Duration::from_secs(599));
    assert_eq!(peer.get("/groups", JSON).await.status, 429);
    clock.advance(Duration::from_secs(1));
    assert_eq!(peer.get("/groups", JSON).await.status, 200);
    // Nothing was created while blocked or refused.
    assert_eq!(peer.sandbox.handled(Operation::CreateGroup), 0);

    // Wrong requests more than a minute apart never add up to a block.
    for _ in 0..6 {
        assert_eq!(peer.send(wrong()).await.status, 401);
        clock.advance(Duration::from_secs(21));
    }
}

// ---------- request ids, routing ----------

#[tokio::test]
async fn every_answer_has_its_own_request_id() {
    let peer = Peer::default().await;
    peer.sandbox
        .set_fault(Operation::GetGroup, Fault::new().server_errors(1.0));
    let mut ids = HashSet::new();
    for path in ["/groups", "/groups/1", "/nothing", "/bulks", "/groups"] {
        ids.insert(peer.get(path, JSON).await.request_id());
    }
    ids.insert(peer.delete("/bulks/none").await.request_id());
    assert_eq!(ids.len(), 6);
}

#[tokio::test]
async fn unknown_paths_are_404_and_unknown_methods_405() {
    let peer = Peer::default().await;
    let missing = peer.get("/groups/999", LD).await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.body,
        json!({"@context": "/contexts/Error", "@type": "hydra:Error",
               "hydra:title": "An error occurred", "hydra:description": "Not Found"})
    );
    assert_eq!(peer.get("/groups/abc", JSON).await.status, 404);
    assert_eq!(peer.get("/sms/ops/unknown", JSON).await.status, 404);
    let patch = peer
        .send(peer.request(Method::PATCH, "/groups/1", JSON))
        .await;
    assert_eq!(patch.status, 405);
    assert_eq!(patch.headers["allow"], "GET, PUT, DELETE");
}

// ---------- validation ----------

#[tokio::test]
async fn constraint_violations_are_422_in_both_shapes_listing_every_field() {
    let peer = Peer::default().await;
    let body = json!({"name": "", "name_c": "c".repeat(51)});

    let plain = peer.post("/groups", JSON, body.clone()).await;
    assert_eq!(plain.status, 422);
    assert_eq!(
        plain.content_type(),
        "application/problem+json; charset=utf-8"
    );
    assert_eq!(
        plain.body,
        json!({
            "type": PROBLEM_TYPE,
            "title": "An error occurred",
            "detail": "name: This value should not be blank.\nname_c: This value is too long: it may have at most 50 characters.",
            "violations": [
                {"propertyPath": "name", "message": "This value should not be blank.", "code": NOT_BLANK},
                {"propertyPath": "name_c", "message": "This value is too long: it may have at most 50 characters.", "code": TOO_LONG}
            ]
        })
    );

    let hydra = peer.post("/groups", LD, body).await;
    assert_eq!(hydra.status, 422);
    assert_eq!(hydra.content_type(), "application/ld+json; charset=utf-8");
    assert_eq!(hydra.body["@context"], "/contexts/ConstraintViolationList");
    assert_eq!(hydra.body["@type"], "ConstraintViolationList");
    assert_eq!(hydra.body["hydra:title"], "An error occurred");
    assert_eq!(hydra.body["hydra:description"], plain.body["detail"]);
    assert_eq!(hydra.body["violations"], plain.body["violations"]);
    assert_eq!(peer.get("/groups", JSON).await.body, json!([]));
}

#[tokio::test]
async fn malformed_bodies_and_wrong_types_are_400() {
    let peer = Peer::default().await;
    let syntax = peer
        .send(
            peer.request(Method::POST, "/groups", JSON)
                .header("content-type", JSON)
                .body("{\"name\":"),
        )
        .await;
    assert_eq!(syntax.status, 400);
    assert!(
        syntax.body["detail"]
            .as_str()
            .unwrap()
            .starts_with("Syntax error")
    );

    let typed = peer.post("/groups", JSON, json!({"name": 7})).await;
    assert_eq!(typed.status, 400);
    assert_eq!(typed.body["violations"][0]["propertyPath"], "name");

    let choice = peer
        .post(
            "/bulks",
            JSON,
            json!({"sender_id": "Shop", "text": "Hi", "phones": ["+491701234567"], "service_code": "fax"}),
        )
        .await;
    assert_eq!(choice.status, 400);
    assert_eq!(
        choice.body["violations"],
        json!([{"propertyPath": "service_code",
                "message": "The value you selected is not a valid choice.", "code": CHOICE}])
    );

    let not_json = peer
        .send(
            peer.request(Method::POST, "/groups", JSON)
                .header("content-type", "text/plain")
                .body("{\"name\":\"x\"}"),
        )
        .await;
    assert_eq!(not_json.status, 415);
    assert_eq!(
        not_json.body["detail"],
        "The content type \"text/plain\" is not supported; send the body as \"application/json\"."
    );
    assert_eq!(peer.sandbox.handled(Operation::CreateGroup), 3);
    assert_eq!(peer.get("/groups", JSON).await.body, json!([]));
}

#[tokio::test]
async fn campaign_rules_are_checked_against_the_stored_data() {
    let peer = Peer::default().await;
    let group = peer.group("VIP", &["+491701234567"]).await;
    let answer = peer
        .post(
            "/bulks",
            JSON,
            json!({"sender_id": "Shop", "text": "Hi", "msg_groups": [group, 999],
                   // The form of a national number, but 17 digits with the country code.
                   "phones": ["0123456789012345"]}),
        )
        .await;
    assert_eq!(answer.status, 422);
    let paths: Vec<&str> = answer.body["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["propertyPath"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["phones[0]", "msg_groups[1]"]);

    // 1785 characters pass the input limit but not the final one.
    let long = peer
        .post(
            "/bulks",
            JSON,
            json!({"sender_id": "Shop", "text": "a".repeat(1531), "msg_groups": [group]}),
        )
        .await;
    assert_eq!(long.status, 422);
    assert_eq!(long.body["violations"][0]["propertyPath"], "text");
    assert_eq!(peer.get("/bulks", JSON).await.body, json!([]));
}

// ---------- batches ----------

#[tokio::test]
async fn a_batch_answers_201_with_one_status_per_entry_in_order() {
    let peer = Peer::default().await;
    let group = peer.group("Team", &[]).await;
    let entries = json!([
        {"phone": "+491701234567", "a": "Anna", "callback_data": "crm-1"},
        {"phone": "1".repeat(31)},
        {"phone": "not a number"},
        {"phone": 491701234568u64},
        {"phone": "0170 1234569", "e": "x"}
    ]);
    let answer = peer
        .post(
            &format!("/groups/{group}/phones/batch"),
            JSON,
            entries.clone(),
        )
        .await;
    assert_eq!(answer.status, 201);
    answer.request_id();
    let blank = Value::Null;
    assert_eq!(
        answer.body,
        json!([
            {"status": 201, "body": {
                "id": "1", "phone": "+491701234567", "a": "Anna", "b": blank, "c": blank,
                "d": blank, "e": blank, "callback_data": "crm-1",
                "subscribed_at": blank, "unsubscribed_at": blank, "unsubscribe_reason": blank}},
            {"status": 422, "body": {"type": PROBLEM_TYPE, "title": "An error occurred",
                "detail": "phone: This value is too long: it may have at most 30 characters."}},
            {"status": 422, "body": {"type": PROBLEM_TYPE, "title": "An error occurred",
                "detail": "phone: This value is not a valid phone number."}},
            {"status": 400, "body": {"type": PROBLEM_TYPE, "title": "An error occurred",
                "detail": "phone: This value has the wrong type (invalid type: integer `491701234568`, expected a string)."}},
            {"status": 201, "body": {
                "id": "2", "phone": "+491701234569", "a": blank, "b": blank, "c": blank,
                "d": blank, "e": "x", "callback_data": blank,
                "subscribed_at": blank, "unsubscribed_at": blank, "unsubscribe_reason": blank}}
        ])
    );

    // JSON-LD: a Hydra collection of the same items.
    let ld = peer
        .post(&format!("/groups/{group}/phones/batch"), LD, entries)
        .await;
    assert_eq!(ld.status, 201);
    assert_eq!(ld.body["@type"], "hydra:Collection");
    assert_eq!(ld.body["hydra:totalItems"], 5);
    let members = ld.body["hydra:member"].as_array().unwrap();
    assert_eq!(members[0]["body"]["@id"], "/phones/3");
    assert_eq!(members[0]["body"]["@type"], "Phone");
    assert_eq!(
        members[2],
        json!({"status": 422, "body": {"@context": "/contexts/Error", "@type": "hydra:Error",
            "hydra:title": "An error occurred",
            "hydra:description": "phone: This value is not a valid phone number."}})
    );

    let stored = peer.get(&format!("/groups/{group}"), JSON).await;
    assert_eq!(stored.body["count_items"], 4);
}

#[tokio::test]
async fn a_batch_for_a_missing_group_or_not_a_list_is_refused_whole() {
    let peer = Peer::default().await;
    assert_eq!(
        peer.post(
            "/groups/5/phones/batch",
            JSON,
            json!([{"phone": "+491701234567"}])
        )
        .await
        .status,
        404
    );
    let group = peer.group("x", &[]).await;
    let object = peer
        .post(
            &format!("/groups/{group}/phones/batch"),
            JSON,
            json!({"phone": "+491701234567"}),
        )
        .await;
    assert_eq!(object.status, 400);
    let empty = peer
        .post(&format!("/groups/{group}/phones/batch"), JSON, json!([]))
        .await;
    assert_eq!((empty.status, empty.body), (StatusCode::CREATED, json!([])));
}

// ---------- resources ----------

#[tokio::test]
async fn groups_are_created_read_updated_exported_and_deleted() {
    let peer = Peer::default().await;
    let created = peer
        .post(
            "/groups",
            LD,
            json!({"name": "My Clients", "description": "Best clients", "name_a": "prefix",
                   "phones": {"1": {"phone": "+491701234568", "a": "Ms."},
                              "0": {"phone": "+491701234567", "a": "Mr., \"Dr\""}}}),
        )
        .await;
    assert_eq!(created.status, 201);
    assert_eq!(
        created.body,
        json!({"@context": "/contexts/Group", "@id": "/groups/1", "@type": "Group",
               "id": 1, "name": "My Clients", "description": "Best clients",
               "name_a": "prefix", "name_b": null, "name_c": null, "name_d": null, "name_e": null,
               "count_items": 2, "deleted_at": null})
    );

    let updated = peer
        .put(
            "/groups/1",
            Some(json!({"name": "Clients", "name_b": "city"})),
        )
        .await;
    assert_eq!(updated.status, 200);
    assert_eq!(
        (
            &updated.body["name"],
            &updated.body["description"],
            &updated.body["name_a"],
            &updated.body["name_b"]
        ),
        (
            &json!("Clients"),
            &Value::Null,
            &Value::Null,
            &json!("city")
        )
    );
    assert_eq!(peer.get("/groups/1", JSON).await.body, updated.body);

    let csv = peer
        .send(peer.request(Method::GET, "/groups/1/file/csv", "text/csv"))
        .await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.content_type(), "text/csv; charset=utf-8");
    assert_eq!(
        csv.body,
        json!(
            "id,phone,col_A,city,col_C,col_D,col_E,callback_data\r\n\
             1,+491701234567,\"Mr., \"\"Dr\"\"\",,,,,\r\n\
             2,+491701234568,Ms.,,,,,\r\n"
        )
    );

    let deleted = peer.delete("/groups/1").await;
    assert_eq!(
        (deleted.status, deleted.body),
        (StatusCode::NO_CONTENT, Value::Null)
    );
    assert!(deleted.headers.contains_key("x-lox24-request-id"));
    assert_eq!(peer.get("/groups/1", JSON).await.status, 404);
    // Its entries went with it.
    assert_eq!(peer.get("/phones/1", JSON).await.status, 404);
    assert_eq!(peer.delete("/groups/1").await.status, 404);
}

#[tokio::test]
async fn entries_are_added_read_updated_and_deleted_one_by_one() {
    let peer = Peer::default().await;
    let group = peer.group("g", &[]).await;
    let added = peer
        .post(
            &format!("/groups/{group}/phones"),
            LD,
            json!({"phone": "00491701234567", "b": "B"}),
        )
        .await;
    assert_eq!(added.status, 201);
    assert_eq!(added.body["@context"], "/contexts/Phone");
    assert_eq!(added.body["@id"], "/phones/1");
    assert_eq!(added.body["id"], "1");
    assert_eq!(added.body["phone"], "+491701234567");

    let invalid = peer
        .post(
            &format!("/groups/{group}/phones"),
            JSON,
            json!({"phone": "+49 abc"}),
        )
        .await;
    assert_eq!(invalid.status, 422);
    assert_eq!(invalid.body["violations"][0]["propertyPath"], "phone");

    let updated = peer
        .put(
            "/phones/1",
            Some(json!({"phone": "+491709999999", "callback_data": "c"})),
        )
        .await;
    assert_eq!(updated.status, 200);
    assert_eq!(
        (&updated.body["phone"], &updated.body["b"]),
        (&json!("+491709999999"), &Value::Null)
    );
    assert_eq!(peer.get("/phones/1", JSON).await.body, updated.body);

    let listed = peer.get(&format!("/groups/{group}/phones"), JSON).await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    assert_eq!(peer.delete("/phones/1").await.status, 204);
    assert_eq!(
        peer.get(&format!("/groups/{group}"), JSON).await.body["count_items"],
        0
    );
    assert_eq!(
        peer.get(&format!("/groups/{group}/phones"), JSON)
            .await
            .body,
        json!([])
    );
    assert_eq!(peer.get("/groups/9/phones", JSON).await.status, 404);
}

// ---------- paging ----------

#[tokio::test]
async fn collections_are_paged_with_hydra_links() {
    let peer = Peer::start(Sandbox::builder().page_size(2)).await;
    for name in ["a", "b", "c", "d", "e"] {
        peer.group(name, &[]).await;
    }
    let page2 = peer.get("/groups?page=2", LD).await;
    assert_eq!(page2.status, 200);
    assert_eq!(page2.content_type(), "application/ld+json; charset=utf-8");
    assert_eq!(page2.body["@context"], "/contexts/Group");
    assert_eq!(page2.body["@id"], "/groups");
    assert_eq!(page2.body["@type"], "hydra:Collection");
    assert_eq!(page2.body["hydra:totalItems"], 5);
    let names: Vec<&str> = page2.body["hydra:member"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["c", "d"]);
    assert_eq!(page2.body["hydra:member"][0]["@id"], "/groups/3");
    assert!(page2.body["hydra:member"][0].get("@context").is_none());
    assert_eq!(
        page2.body["hydra:view"],
        json!({"@id": "/groups?page=2", "@type": "hydra:PartialCollectionView",
               "hydra:first": "/groups?page=1", "hydra:last": "/groups?page=3",
               "hydra:previous": "/groups?page=1", "hydra:next": "/groups?page=3"})
    );

    let last = peer.get("/groups?page=3", LD).await;
    assert!(last.body["hydra:view"].get("hydra:next").is_none());
    assert_eq!(last.body["hydra:member"].as_array().unwrap().len(), 1);
    let first = peer.get("/groups", LD).await;
    assert!(first.body["hydra:view"].get("hydra:previous").is_none());

    // Plain JSON: the same page, as a bare array.
    let plain = peer.get("/groups?page=2", JSON).await;
    assert_eq!(plain.body.as_array().unwrap().len(), 2);
    assert_eq!(plain.body[0]["id"], 3);
    assert_eq!(peer.get("/groups?page=9", JSON).await.body, json!([]));
    assert_eq!(peer.get("/groups?page=0", JSON).await.status, 400);
    assert_eq!(peer.get("/groups?page=x", JSON).await.status, 400);
}

#[tokio::test]
async fn paging_links_keep_the_filters() {
    let peer = Peer::start(Sandbox::builder().page_size(1)).await;
    for _ in 0..2 {
        peer.post(
            "/bulks",
            JSON,
            json!({"sender_id": "S", "text": "t", "phones": ["+491701234567"]}),
        )
        .await;
    }
    let page = peer
        .get("/bulks?status_code%5B%5D=0&_order%5Bcreated_at%5D=asc", LD)
        .await;
    assert_eq!(
        page.body["hydra:view"]["hydra:next"],
        "/bulks?status_code%5B%5D=0&_order%5Bcreated_at%5D=asc&page=2"
    );
}

// ---------- campaigns ----------

fn timing() -> BulkTiming {
    BulkTiming {
        queued: Duration::from_secs(10),
        processing: Duration::from_secs(100),
    }
}

#[tokio::test]
async fn a_campaign_runs_from_new_to_processed_on_the_clock() {
    let clock = ManualClock::at_unix(1_800_000_000);
    let peer = Peer::start(
        clocked(&clock)
            .bulk_timing(timing())
            .price_per_message(0.05),
    )
    .await;
    let group = peer
        .group("VIP", &["+491701234567", "+491701234568", "+491701234569"])
        .await;
    // 161 GSM characters: two parts for each of 3 + 1 recipients (one number repeats).
    let text = "x".repeat(161);
    let created = peer
        .post(
            "/bulks",
            LD,
            json!({"sender_id": "Shop", "text": text, "msg_groups": [group],
                   "phones": ["+491701234567", "+491700000000"], "source": 7}),
        )
        .await;
    assert_eq!(created.status, 201);
    let uuid = created.body["uuid"].as_str().unwrap().to_owned();
    assert_eq!(created.body["@id"], format!("/bulks/{uuid}"));
    assert_eq!(created.body["@type"], "Bulk");
    for (key, value) in [
        ("status_code", json!(0)),
        ("msg_total_count", json!(0)),
        ("msg_total_cost", json!(0.0)),
        ("created_at", json!(1_800_000_000)),
        ("delivery_at", json!(0)),
        ("processed_at", Value::Null),
        ("is_dryrun", json!(false)),
        ("key_id", json!(1)),
        ("ip", json!("127.0.0.1")),
        ("source", json!(7)),
        ("service_code", json!("direct")),
        ("voice_lang", Value::Null),
        ("is_unicode", Value::Null),
        ("is_text_deleted", json!(false)),
        ("msg_groups", json!([group])),
        ("phones", json!(["+491701234567", "+491700000000"])),
        ("sender_id", json!("Shop")),
    ] {
        assert_eq!(created.body[key], value, "{key}");
    }

    let path = format!("/bulks/{uuid}/status");
    clock.advance(Duration::from_secs(10));
    let s = peer.get(&path, JSON).await.body;
    assert_eq!(
        (s["status_code"].clone(), s["processed_at"].clone()),
        (json!(5), json!(1_800_000_010))
    );
    assert!(s.get("text").is_none() && s.get("phones").is_none() && s.get("sender_id").is_none());
    clock.advance(Duration::from_secs(50));
    let s = peer.get(&path, JSON).await.body;
    assert_eq!(
        (s["status_code"].clone(), s["msg_total_count"].clone()),
        (json!(5), json!(4))
    );
    clock.advance(Duration::from_secs(50));
    let s = peer.get(&path, JSON).await.body;
    assert_eq!(
        (
            &s["status_code"],
            &s["msg_total_count"],
            &s["msg_total_cost"],
            &s["processed_at"]
        ),
        (&json!(10), &json!(8), &json!(0.4), &json!(1_800_000_110))
    );

    // Processed: too late to cancel.
    let cancel = peer.put(&format!("/bulks/{uuid}/cancel"), None).await;
    assert_eq!(cancel.status, 422);
    assert_eq!(cancel.body["violations"][0]["propertyPath"], "status_code");
    assert_eq!(
        peer.get(&format!("/bulks/{uuid}"), JSON).await.body["text"],
        text
    );
    assert_eq!(peer.delete(&format!("/bulks/{uuid}")).await.status, 204);
    assert_eq!(peer.get(&format!("/bulks/{uuid}"), JSON).await.status, 404);
}

#[tokio::test]
async fn campaigns_cancel_while_new_or_in_progress() {
    let clock = ManualClock::new();
    let peer = Peer::start(clocked(&clock).bulk_timing(timing())).await;
    let body =
        json!({"sender_id": "Shop", "text": "Hi", "phones": ["+491701234567", "+491701234568"]});
    let new = peer.post("/bulks", JSON, body.clone()).await.body["uuid"].clone();
    let running = peer.post("/bulks", JSON, body).await.body["uuid"].clone();

    let cancelled = peer
        .put(&format!("/bulks/{}/cancel", new.as_str().unwrap()), None)
        .await;
    assert_eq!(
        (cancelled.status, &cancelled.body["status_code"]),
        (StatusCode::OK, &json!(15))
    );
    assert!(cancelled.body.get("text").is_none());

    clock.advance(Duration::from_secs(60)); // half way through processing
    let cancelled = peer
        .put(
            &format!("/bulks/{}/cancel", running.as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(
        (
            &cancelled.body["status_code"],
            &cancelled.body["msg_total_count"]
        ),
        (&json!(15), &json!(1))
    );
    clock.advance(Duration::from_secs(600));
    let later = peer
        .get(&format!("/bulks/{}", running.as_str().unwrap()), JSON)
        .await;
    assert_eq!(
        (&later.body["status_code"], &later.body["msg_total_count"]),
        (&json!(15), &json!(1))
    );
    let again = peer
        .put(
            &format!("/bulks/{}/cancel", running.as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(again.status, 422);
    assert_eq!(peer.put("/bulks/nope/cancel", None).await.status, 404);
}

#[tokio::test]
async fn a_scheduled_campaign_stays_new_until_its_delivery_time() {
    let clock = ManualClock::at_unix(1_800_000_000);
    let peer = Peer::start(clocked(&clock).bulk_timing(timing())).await;
    let at = 1_800_003_600;
    let created = peer
        .post("/bulks", JSON, json!({"sender_id": "Shop", "text": "Later", "phones": ["+491701234567"], "delivery_at": at}))
        .await;
    assert_eq!(created.body["delivery_at"], at);
    let path = format!("/bulks/{}/status", created.body["uuid"].as_str().unwrap());
    clock.advance(Duration::from_secs(3600 + 9));
    assert_eq!(peer.get(&path, JSON).await.body["status_code"], 0);
    clock.advance(Duration::from_secs(1));
    assert_eq!(peer.get(&path, JSON).await.body["status_code"], 5);
}

#[tokio::test]
async fn a_campaign_that_reaches_nobody_is_status_201_at_once() {
    let peer = Peer::default().await;
    let empty = peer.group("empty", &[]).await;
    let created = peer
        .post(
            "/bulks",
            JSON,
            json!({"sender_id": "Shop", "text": "Hi", "msg_groups": [empty]}),
        )
        .await;
    assert_eq!(created.status, 201);
    assert_eq!(
        (
            &created.body["status_code"],
            &created.body["msg_total_count"]
        ),
        (&json!(201), &json!(0))
    );
    assert_eq!(created.body["processed_at"], created.body["created_at"]);
}

#[tokio::test]
async fn a_dry_run_shows_the_totals_and_stores_nothing() {
    let peer = Peer::start(Sandbox::builder().price_per_message(0.1)).await;
    let group = peer.group("g", &["+491701234567", "+491701234568"]).await;
    // "ł" is not GSM: UCS-2, 71 characters make two parts.
    let dry = peer
        .post(
            "/bulks/dryrun",
            LD,
            json!({"sender_id": "Shop", "text": "ł".repeat(71), "msg_groups": [group]}),
        )
        .await;
    assert_eq!(dry.status, 201);
    assert_eq!(
        (
            &dry.body["is_dryrun"],
            &dry.body["msg_total_count"],
            &dry.body["msg_total_cost"],
            &dry.body["status_code"]
        ),
        (&json!(true), &json!(4), &json!(0.4), &json!(0))
    );
    let uuid = dry.body["uuid"].as_str().unwrap();
    assert_eq!(peer.get(&format!("/bulks/{uuid}"), JSON).await.status, 404);
    assert_eq!(peer.get("/bulks", JSON).await.body, json!([]));
    assert_eq!(peer.sandbox.handled(Operation::DryRunBulk), 1);
    assert_eq!(peer.sandbox.handled(Operation::CreateBulk), 0);
}

#[tokio::test]
async fn placeholders_are_filled_in_before_parts_are_counted() {
    let peer = Peer::default().await;
    let group = peer.group("g", &[]).await;
    peer.post(
        &format!("/groups/{group}/phones/batch"),
        JSON,
        json!([{"phone": "+491701234567", "a": "x".repeat(150)}, {"phone": "+491701234568", "a": "Bo"}]),
    )
    .await;
    let peer = &peer;
    let messages = |text: String| {
        let body = json!({"sender_id": "Shop", "text": text, "msg_groups": [group]});
        async move { peer.post("/bulks/dryrun", JSON, body).await.body["msg_total_count"].clone() }
    };
    // "Hi " + 150 + "!" is 154 characters (one part), "Hi Bo!" 6 (one part).
    assert_eq!(messages("Hi [Name colA]!".into()).await, 2);
    // 160 characters for the first entry (one part), 12 for the second.
    assert_eq!(messages(format!("{}[Name colA]", "y".repeat(10))).await, 2);
    // 161 for the first (two parts), 13 for the second.
    assert_eq!(messages(format!("{}[Name colA]", "y".repeat(11))).await, 3);
}

#[tokio::test]
async fn campaigns_are_listed_newest_first_filtered_and_ordered() {
    let clock = ManualClock::at_unix(1_800_000_000);
    let peer = Peer::start(clocked(&clock).bulk_timing(timing())).await;
    let mut uuids = Vec::new();
    // Created at t = 0, 120 and 200; looked at, at t = 200.
    let bodies = [
        json!({"sender_id": "Shop", "text": "Hi"}),
        json!({"sender_id": "ShopDE", "text": "Sale now", "is_unicode": true, "source": 4930}),
        json!({"sender_id": "Other", "text": "Hi, sale"}),
    ];
    for ((recipients, wait), mut body) in [(1usize, 120), (3, 80), (2, 0)].into_iter().zip(bodies) {
        let phones: Vec<String> = (0..recipients)
            .map(|i| format!("+4917012345{i:02}"))
            .collect();
        body["phones"] = json!(phones);
        let created = peer.post("/bulks", JSON, body).await;
        uuids.push(created.body["uuid"].as_str().unwrap().to_owned());
        clock.advance(Duration::from_secs(wait));
    }
    // Each campaign by its letter, in the order listed.
    let list = |query: &'static str| {
        let (peer, uuids) = (&peer, &uuids);
        async move {
            let answer = peer.get(&format!("/bulks{query}"), JSON).await;
            assert_eq!(answer.status, 200, "{query}: {:?}", answer.body);
            answer
                .body
                .as_array()
                .unwrap()
                .iter()
                .map(|b| {
                    let at = uuids.iter().position(|u| b["uuid"] == u.as_str()).unwrap();
                    ["a", "b", "c"][at]
                })
                .collect::<Vec<_>>()
        }
    };
    // a: processed, 1 message; b: in progress, 3 × 70/100 → 2 messages; c: new, 0.
    assert_eq!(list("").await, ["c", "b", "a"]);
    assert_eq!(list("?_order[created_at]=asc").await, ["a", "b", "c"]);
    assert_eq!(list("?status_code=5").await, ["b"]);
    assert_eq!(list("?status_code[]=0&status_code[]=10").await, ["c", "a"]);
    assert_eq!(list("?created_at[gte]=1800000120").await, ["c", "b"]);
    assert_eq!(list("?created_at[lt]=1800000120").await, ["a"]);
    assert_eq!(
        list("?created_at[gt]=1800000000&created_at[lte]=1800000120").await,
        ["b"]
    );
    assert_eq!(list("?is_dryrun=false").await.len(), 3);
    assert_eq!(list("?is_dryrun=true").await.len(), 0);
    assert_eq!(list("?text=ale").await, ["c", "b"]);
    assert_eq!(list("?sender_id=Shop").await, ["b", "a"]);
    assert_eq!(list("?is_unicode=true").await, ["b"]);
    assert_eq!(list("?source=4930").await, ["b"]);
    assert_eq!(list("?key_id=999999").await, Vec::<&str>::new());
    assert_eq!(list("?_order[msg_total_count]=desc").await, ["b", "a", "c"]);
    assert_eq!(list("?_order[processed_at]=asc").await, ["c", "a", "b"]);
    let items = peer.get("/bulks", JSON).await.body;
    assert!(
        items[0].get("text").is_none(),
        "the list shows status views"
    );

    for bad in [
        "?status_code=new",
        "?_order[created_at]=up",
        "?is_dryrun=maybe",
        "?created_at[gte]=soon",
        "?key_id=first",
        "?is_unicode=1x",
    ] {
        assert_eq!(
            peer.get(&format!("/bulks{bad}"), JSON).await.status,
            400,
            "{bad}"
        );
    }
}

// ---------- faults ----------

#[tokio::test]
async fn a_share_of_server_errors_is_the_same_for_the_same_seed() {
    async fn statuses(seed: u64) -> Vec<u16> {
        let peer = Peer::start(Sandbox::builder().seed(seed).fault(
            Operation::ListGroups,
            Fault::new().server_errors(0.5).server_error_status(502),
        ))
        .await;
        let mut out = Vec::new();
        for _ in 0..40 {
            let answer = peer.get("/groups", JSON).await;
            if answer.status == 502 {
                assert_eq!(answer.body["detail"], "Bad Gateway");
                answer.request_id();
            }
            out.push(answer.status.as_u16());
        }
        // Other operations are not affected.
        assert_eq!(peer.get("/bulks", JSON).await.status, 200);
        let ok = out.iter().filter(|&&s| s == 200).count() as u64;
        assert_eq!(peer.sandbox.handled(Operation::ListGroups), ok);
        assert_eq!(peer.sandbox.requests(Operation::ListGroups), 40);
        out
    }
    let first = statuses(99).await;
    assert_eq!(first, statuses(99).await);
    assert_ne!(first, statuses(100).await);
    let errors = first.iter().filter(|&&s| s == 502).count();
    assert!((10..=30).contains(&errors), "{errors} of 40");
    assert!(first.iter().all(|&s| s == 200 || s == 502));
}

#[tokio::test]
async fn connections_dropped_before_processing_change_nothing() {
    let peer = Peer::start(Sandbox::builder().fault(
        Operation::CreateGroup,
        Fault::new().drop_before_processing(1.0),
    ))
    .await;
    let error = peer
        .request(Method::POST, "/groups", JSON)
        .json(&json!({"name": "x"}))
        .send()
        .await
        .expect_err("no answer");
    assert!(!error.is_connect() && !error.is_timeout(), "{error:?}");
    assert_eq!(peer.sandbox.requests(Operation::CreateGroup), 1);
    assert_eq!(peer.sandbox.handled(Operation::CreateGroup), 0);
    assert_eq!(peer.get("/groups", JSON).await.body, json!([]));
}

#[tokio::test]
async fn connections_dropped_after_processing_leave_the_change_made() {
    let peer = Peer::default().await;
    peer.sandbox.set_fault(
        Operation::CreateGroup,
        Fault::new().drop_after_processing(1.0),
    );
    let error = peer
        .request(Method::POST, "/groups", JSON)
        .json(&json!({"name": "x"}))
        .send()
        .await
        .expect_err("no answer");
    assert!(!error.is_connect() && !error.is_timeout(), "{error:?}");
    assert_eq!(peer.sandbox.handled(Operation::CreateGroup), 1);
    let groups = peer.get("/groups", JSON).await.body;
    assert_eq!(groups.as_array().unwrap().len(), 1);

    peer.sandbox.clear_faults();
    assert_eq!(
        peer.post("/groups", JSON, json!({"name": "y"}))
            .await
            .status,
        201
    );
}

#[tokio::test]
async fn forced_402_and_403_come_after_the_credentials() {
    let peer = Peer::start(Sandbox::builder().fault_all(Fault::new().insufficient_funds())).await;
    peer.sandbox
        .set_fault(Operation::CreateGroup, Fault::new().forbidden());
    let funds = peer
        .post(
            "/bulks",
            JSON,
            json!({"sender_id": "S", "text": "t", "phones": ["+491701234567"]}),
        )
        .await;
    assert_eq!(funds.status, 402);
    assert_eq!(
        funds.body["detail"],
        "There is not enough credit on the account."
    );
    let forbidden = peer.post("/groups", LD, json!({"name": "x"})).await;
    assert_eq!(forbidden.status, 403);
    assert_eq!(
        forbidden.body["hydra:description"],
        "The account is not activated yet."
    );
    let unauthorized = peer
        .send(peer.http.get(format!("{}/groups", peer.sandbox.base_url())))
        .await;
    assert_eq!(unauthorized.status, 401);
    assert_eq!(peer.sandbox.handled(Operation::CreateBulk), 0);
}

#[tokio::test]
async fn latency_holds_the_answer_back() {
    let peer = Peer::start(Sandbox::builder().fault(
        Operation::GetGroup,
        Fault::new().latency(Duration::from_secs(30)),
    ))
    .await;
    // A server that holds answers for 30 s cannot answer within 300 ms.
    let error = peer
        .request(Method::GET, "/groups/1", JSON)
        .timeout(Duration::from_millis(300))
        .send()
        .await
        .expect_err("no answer in time");
    assert!(error.is_timeout(), "{error:?}");
    assert_eq!(peer.get("/groups", JSON).await.status, 200);
}

// ---------- lifetime ----------

#[tokio::test]
async fn it_listens_on_loopback_only_and_stops_when_asked() {
    let refused = Sandbox::builder()
        .bind("0.0.0.0:0".parse().unwrap())
        .start()
        .await
        .expect_err("not loopback");
    assert_eq!(refused.kind(), std::io::ErrorKind::InvalidInput);

    let sandbox = Sandbox::start().await.unwrap();
    let url = format!("{}/groups", sandbox.base_url());
    assert!(sandbox.base_url().starts_with("http://127.0.0.1:"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(sandbox.run_until(async {
        stopped.await.ok();
    }));
    let http = reqwest::Client::new();
    let ok = http
        .get(&url)
        .header("x-lox24-auth-token", DEFAULT_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    drop(ok);
    stop.send(()).unwrap();
    running.await.unwrap();
    // A fresh client (no pooled connection): the port is closed.
    let error = reqwest::Client::new()
        .get(&url)
        .send()
        .await
        .expect_err("stopped");
    assert!(error.is_connect(), "{error:?}");
}
