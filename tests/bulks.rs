//! `POST /bulks` over loopback HTTP.

mod common;

use chrono::{TimeZone, Utc};
use common::{REQUEST_ID, catch_all, client};
use httpmock::{Method::POST, MockServer};
use lox24::number::{Country, PhonePolicy};
use lox24::{
    BulkId, BulkStatus, Encoding, Error, GroupId, NewBulk, OrUnknown, ServiceCode,
    ValidationProblem, VoiceLanguage,
};
use serde_json::json;

const UUID: &str = "0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11";

fn bulk_answer() -> serde_json::Value {
    json!({
        "uuid": UUID,
        "delivery_at": 1924992000,
        "sender_id": "testbulk",
        "text": "test bulk text",
        "phones": ["+49751234567"],
        "msg_groups": [7117],
        "status_code": 0,
        "msg_total_count": 3,
        "msg_total_cost": 0.195,
        "created_at": 1764000000,
        "processed_at": null,
        "ip": "192.0.2.10",
        "is_unicode": true,
        "is_dryrun": false,
        "service_code": "direct",
        "key_id": 8207,
        "source": 1234,
        "voice_lang": "DE",
        "is_text_deleted": false
    })
}

#[tokio::test]
async fn sends_the_documented_request_and_reads_the_answer() {
    // The documentation's example, with a delivery time in the future.
    let at = Utc.timestamp_opt(1_924_992_000, 0).unwrap(); // 2031-01-01
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            common::sent_by_client(when.method(POST).path("/bulks"), "application/ld+json")
                .header("content-type", "application/json")
                .json_body(json!({
                    "sender_id": "testbulk",
                    "text": "test bulk text",
                    "service_code": "direct",
                    "phones": ["+49751234567"],
                    "msg_groups": [7117],
                    "delivery_at": 1924992000,
                    "is_unicode": true,
                    "source": 1234,
                    "voice_lang": "DE"
                }));
            let mut answer = bulk_answer();
            answer["@context"] = json!("/contexts/Bulk");
            answer["@id"] = json!(format!("/bulks/{UUID}"));
            answer["@type"] = json!("Bulk");
            then.status(201)
                .header("content-type", "application/ld+json")
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(answer);
        })
        .await;

    let bulk = NewBulk::new("testbulk", "test bulk text")
        .service(ServiceCode::Direct)
        .to_phone("+49751234567")
        .to_group(GroupId::new(7117))
        .deliver_at(at)
        .encoding(Encoding::Unicode)
        .source(1234)
        .voice_language(VoiceLanguage::De);
    let campaign = client(&server).create_bulk(&bulk).await.expect("created");
    let created = campaign.last_known().expect("the created campaign");

    mock.assert_async().await;
    assert_eq!(created.uuid, BulkId::new(UUID));
    assert_eq!(created.iri().id::<BulkId>(), Ok(BulkId::new(UUID)));
    assert_eq!(created.status_code, BulkStatus::New);
    assert_eq!(created.msg_total_count, Some(3));
    assert_eq!(created.msg_total_cost, Some(0.195));
    assert_eq!(created.msg_groups, Some(vec![GroupId::new(7117)]));
    assert_eq!(
        created.service_code,
        Some(OrUnknown::Known(ServiceCode::Direct))
    );
    assert_eq!(
        created.voice_lang,
        Some(OrUnknown::Known(VoiceLanguage::De))
    );
    assert_eq!((created.key_id, created.source), (Some(8207), Some(1234)));
    assert_eq!(created.is_dryrun, Some(false));
}

#[tokio::test]
async fn optional_fields_are_left_out_and_encodings_map_to_is_unicode() {
    let server = MockServer::start_async().await;
    let gsm = server
        .mock_async(|when, then| {
            when.method(POST).path("/bulks").json_body(json!({
                "sender_id": "+491701234567",
                "text": "Hallo",
                "msg_groups": [1, 2],
                "is_unicode": false,
                "is_text_deleted": true
            }));
            then.status(201).json_body(bulk_answer());
        })
        .await;
    let normalised = server
        .mock_async(|when, then| {
            when.method(POST).path("/bulks").json_body(json!({
                "sender_id": "My Shop",
                "text": "Hallo",
                "phones": ["+491701234567", "+491701234568", "+491701234569"]
            }));
            then.status(201).json_body(bulk_answer());
        })
        .await;
    let as_written = server
        .mock_async(|when, then| {
            when.method(POST).path("/bulks").json_body(json!({
                "sender_id": "My Shop",
                "text": "Hallo",
                "phones": ["00491701234567", "491701234568", "01701234569"]
            }));
            then.status(201).json_body(bulk_answer());
        })
        .await;
    let client = client(&server);

    let to_groups = NewBulk::new("+491701234567", "Hallo")
        .to_groups([GroupId::new(1), GroupId::new(2)])
        .encoding(Encoding::Gsm)
        .delete_text_after_sending(true);
    client.create_bulk(&to_groups).await.expect("created");
    // Every form LOX24 accepts becomes E.164; a national number needs a country.
    let to_numbers = NewBulk::new("My Shop", "Hallo")
        .to_phones(["0049 170 1234567", "491701234568", "0170/123 45 69"])
        .phone_policy(PhonePolicy::Normalize(Country::from_iso("DE").ok()));
    client.create_bulk(&to_numbers).await.expect("created");
    // Or they go as written, for LOX24 to complete with the account's country.
    let passed_through = NewBulk::new("My Shop", "Hallo")
        .to_phones(["00491701234567", "491701234568", "01701234569"])
        .phone_policy(PhonePolicy::PassThrough);
    client.create_bulk(&passed_through).await.expect("created");

    gsm.assert_async().await;
    normalised.assert_async().await;
    as_written.assert_async().await;
}

#[tokio::test]
async fn values_the_spec_does_not_list_are_kept_not_refused() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/bulks");
            let mut answer = bulk_answer();
            answer["status_code"] = json!(25);
            answer["voice_lang"] = json!("EL");
            answer["msg_total_cost"] = json!(12);
            then.status(201).json_body(answer);
        })
        .await;

    let created = client(&server)
        .create_bulk(&NewBulk::new("Shop", "Hi").to_group(GroupId::new(1)))
        .await
        .expect("a created campaign must not look like a failure")
        .last_known()
        .expect("the created campaign");

    assert_eq!(created.status_code, BulkStatus::Unknown(25));
    assert_eq!(created.voice_lang, Some(OrUnknown::Unknown("EL".into())));
    assert_eq!(created.msg_total_cost, Some(12.0));
}

#[tokio::test]
async fn every_limit_is_checked_before_sending() {
    let ok = || NewBulk::new("Shop", "Hi").to_group(GroupId::new(1));
    let past = Utc::now() - chrono::Duration::minutes(5);
    let cases = [
        (
            NewBulk::new("Shop-24", "Hi").to_group(GroupId::new(1)),
            "sender_id",
            "invalid",
        ),
        (
            NewBulk::new("Twelve chars", "Hi").to_group(GroupId::new(1)),
            "sender_id",
            "invalid",
        ),
        (
            NewBulk::new("+0123", "Hi").to_group(GroupId::new(1)),
            "sender_id",
            "invalid",
        ),
        (
            NewBulk::new("1234567890123456", "Hi").to_group(GroupId::new(1)),
            "sender_id",
            "invalid",
        ),
        (
            NewBulk::new("Shop", "x".repeat(1786)).to_group(GroupId::new(1)),
            "text",
            "too_long",
        ),
        (NewBulk::new("Shop", "Hi"), "recipients", "invalid"),
        // A national number without a default country.
        (ok().to_phone("0170 1234567"), "phones[0]", "invalid"),
        (
            ok().to_phones(["+491701234567", "12"]),
            "phones[1]",
            "invalid",
        ),
        (
            ok().to_phones(["+491701234567", "0049 170"]),
            "phones[1]",
            "invalid",
        ),
        (
            ok().to_phones(["+491701234567", "+49 17x"]),
            "phones[1]",
            "invalid",
        ),
        // Passed through, a number must still have one of the forms of the spec.
        (
            ok().to_phone("+49 170 1234567")
                .phone_policy(PhonePolicy::PassThrough),
            "phones[0]",
            "pattern",
        ),
        (
            ok().to_phones(["+491701234567", "0049170123456"])
                .phone_policy(PhonePolicy::Strict),
            "phones[1]",
            "invalid",
        ),
        // 671 units of UCS-2 (the final limit is 670), and 1531 of GSM.
        (
            NewBulk::new("Shop", "ł".repeat(671)).to_group(GroupId::new(1)),
            "text",
            "invalid",
        ),
        (
            NewBulk::new("Shop", "€".repeat(766)).to_group(GroupId::new(1)),
            "text",
            "invalid",
        ),
        (ok().to_group(GroupId::new(0)), "msg_groups[1]", "too_small"),
        (ok().deliver_at(past), "delivery_at", "invalid"),
    ];
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let client = client(&server);

    for (bulk, field, rule) in cases {
        match client.create_bulk(&bulk).await {
            Err(Error::Validation(e)) => {
                let problem = serde_json::to_value(e.problem()).unwrap();
                assert_eq!(
                    (e.field(), problem["rule"].as_str()),
                    (field, Some(rule)),
                    "{e}"
                );
            }
            other => panic!("{field}: expected a validation error, got {other:?}"),
        }
    }
    // The edges of the rules are allowed.
    for bulk in [
        NewBulk::new("Eleven char", "x".repeat(1530)).to_group(GroupId::new(1)),
        NewBulk::new("Shop", "ł".repeat(670)).to_group(GroupId::new(1)),
        NewBulk::new("Shop", "€".repeat(765)).to_group(GroupId::new(1)),
        // Placeholders count as empty: 1532 GSM units as written, at least 1519 once replaced.
        NewBulk::new("Shop", format!("[Name colA]{}", "x".repeat(1519))).to_group(GroupId::new(1)),
        // A voice call reads the text aloud: only the input limit applies.
        NewBulk::new("Shop", "ł".repeat(1785))
            .service(ServiceCode::Text2speech)
            .to_group(GroupId::new(1)),
        NewBulk::new("+123456789012345", "Hi").to_phone("+491701234567890"),
        NewBulk::new("123456789012345", "Hi").to_phone("00491701234567890"),
    ] {
        assert!(bulk.validate().is_ok(), "{bulk:?}");
    }
    any.assert_calls_async(0).await;
}

#[test]
fn a_past_delivery_time_is_shown_to_the_second_with_the_time_it_was_checked_at() {
    let past =
        Utc.with_ymd_and_hms(2020, 1, 1, 8, 30, 0).unwrap() + chrono::Duration::milliseconds(250);
    let err = NewBulk::new("Shop", "Hi")
        .to_group(GroupId::new(1))
        .deliver_at(past)
        .validate()
        .unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.starts_with("`delivery_at` is in the past (2020-01-01 08:30:00 UTC, and it is 20"),
        "{shown}"
    );
    assert!(
        shown.ends_with(" UTC now): give a later time, or send at once with deliver_now()"),
        "{shown}"
    );
}

#[test]
fn the_text_limit_counts_characters_and_names_the_limit() {
    let err = NewBulk::new("Shop", "€".repeat(1786))
        .to_group(GroupId::new(1))
        .validate()
        .unwrap_err();
    assert_eq!(
        err.problem(),
        &ValidationProblem::TooLong {
            max: 1785,
            actual: 1786
        }
    );
    assert_eq!(
        err.to_string(),
        "`text` has 1786 characters; LOX24 allows at most 1785"
    );
}
