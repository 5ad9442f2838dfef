//! `POST /groups` over loopback HTTP.

mod common;

use common::{REQUEST_ID, catch_all, client};
use httpmock::{Method::POST, MockServer};
use lox24::{Column, Error, GroupId, NewGroup, PhoneEntry, ValidationProblem};
use serde_json::json;

/// The example of LOX24's documentation page, field for field.
fn documented_group() -> NewGroup {
    NewGroup::new("My Clients")
        .description("Best clients")
        .column_name(Column::A, "prefix")
        .column_name(Column::B, "name")
        .column_name(Column::C, "datetime")
        .column_name(Column::D, "price")
        .column_name(Column::E, "something_else")
}

fn documented_body() -> serde_json::Value {
    json!({
        "name": "My Clients",
        "description": "Best clients",
        "name_a": "prefix",
        "name_b": "name",
        "name_c": "datetime",
        "name_d": "price",
        "name_e": "something_else"
    })
}

#[tokio::test]
async fn sends_the_documented_request_and_reads_the_json_ld_answer() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            common::sent_by_client(when.method(POST).path("/groups"), "application/ld+json")
                .header("content-type", "application/json")
                .json_body(documented_body());
            then.status(201)
                .header("content-type", "application/ld+json; charset=utf-8")
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(json!({
                    "@context": "/contexts/Group",
                    "@id": "/groups/7117",
                    "@type": "Group",
                    "id": 7117,
                    "name": "My Clients",
                    "description": "Best clients",
                    "name_a": "prefix",
                    "name_b": "name",
                    "name_c": "datetime",
                    "name_d": "price",
                    "name_e": "something_else",
                    "count_items": 0,
                    "deleted_at": null
                }));
        })
        .await;

    let group = client(&server)
        .create_group(&documented_group())
        .await
        .expect("created");

    mock.assert_async().await;
    assert_eq!(group.id, GroupId::new(7117));
    assert_eq!(group.iri().as_str(), "/groups/7117");
    assert_eq!(group.jsonld.kind.as_deref(), Some("Group"));
    assert_eq!(group.jsonld.context, Some(json!("/contexts/Group")));
    assert_eq!(group.name, "My Clients");
    assert_eq!(group.description.as_deref(), Some("Best clients"));
    assert_eq!(group.column_name(Column::E), Some("something_else"));
    assert_eq!((group.count_items, group.deleted_at), (0, None));
}

#[tokio::test]
async fn reads_the_plain_json_answer_and_derives_the_iri() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/groups")
                .json_body(json!({"name": "VIP"}));
            then.status(201)
                .header("content-type", "application/json")
                .json_body(json!({
                    "id": 42, "name": "VIP", "description": null,
                    "name_a": null, "name_b": null, "name_c": null, "name_d": null, "name_e": null,
                    "count_items": 12, "deleted_at": "2026-12-01T10:00:00+01:00"
                }));
        })
        .await;

    let group = client(&server)
        .create_group(&NewGroup::new("VIP"))
        .await
        .expect("created");

    mock.assert_async().await;
    assert_eq!(group.jsonld, lox24::JsonLdMeta::default());
    assert_eq!(group.iri().as_str(), "/groups/42");
    assert_eq!(group.count_items, 12);
    assert_eq!(
        group.deleted_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-12-01T10:00:00+01:00")
    );
}

#[tokio::test]
async fn sends_initial_phones_keyed_by_position() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/groups").json_body(json!({
                "name": "Team",
                "phones": {
                    "0": {"phone": "+491701234567", "a": "Anna"},
                    "1": {"phone": "+491701234568", "callback_data": "ben"}
                }
            }));
            then.status(201)
                .json_body(json!({"id": 5, "name": "Team", "count_items": 2}));
        })
        .await;

    let group = NewGroup::new("Team").phones([
        PhoneEntry::new("+491701234567").column(Column::A, "Anna"),
        PhoneEntry::new("+491701234568").callback_data("ben"),
    ]);
    let created = client(&server).create_group(&group).await.expect("created");

    mock.assert_async().await;
    assert_eq!(created.count_items, 2);
}

#[tokio::test]
async fn every_limit_is_checked_before_sending() {
    let cases = [
        (
            NewGroup::new(""),
            "name",
            ValidationProblem::TooShort { min: 1, actual: 0 },
        ),
        (
            NewGroup::new("n".repeat(51)),
            "name",
            ValidationProblem::TooLong {
                max: 50,
                actual: 51,
            },
        ),
        (
            NewGroup::new("ok").description("d".repeat(256)),
            "description",
            ValidationProblem::TooLong {
                max: 255,
                actual: 256,
            },
        ),
        (
            NewGroup::new("ok").column_name(Column::C, "ü".repeat(51)),
            "name_c",
            ValidationProblem::TooLong {
                max: 50,
                actual: 51,
            },
        ),
        (
            NewGroup::new("ok")
                .phones([PhoneEntry::new("+49170"), PhoneEntry::new("1".repeat(31))]),
            "phones.1.phone",
            ValidationProblem::TooLong {
                max: 30,
                actual: 31,
            },
        ),
    ];
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let client = client(&server);

    for (group, field, problem) in cases {
        match client.create_group(&group).await {
            Err(Error::Validation(e)) => {
                assert_eq!((e.field(), e.problem()), (field, &problem));
            }
            other => panic!("{field}: expected a validation error, got {other:?}"),
        }
    }
    // Limits count characters, not bytes: 50 two-byte characters are fine.
    assert!(NewGroup::new("ü".repeat(50)).validate().is_ok());
    any.assert_calls_async(0).await;
}
