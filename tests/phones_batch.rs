//! `POST /groups/{id}/phones/batch` over loopback HTTP.

mod common;

use common::{catch_all, client};
use httpmock::{Method::POST, MockServer};
use lox24::{
    BatchItem, Column, Error, GroupId, ItemProblem, Phone, PhoneEntry, PhoneId, ValidationProblem,
};
use serde_json::json;

/// The example of LOX24's documentation (its Go sample).
fn documented_entry() -> PhoneEntry {
    PhoneEntry::new("+93701234567")
        .column(Column::A, "Mr. ")
        .column(Column::B, "Smith ")
        .column(Column::C, "2020-02-23 18:00")
        .column(Column::D, "12.34")
        .column(Column::E, "restaurant Blue Oyster")
}

#[tokio::test]
async fn sends_the_entries_and_decodes_mixed_outcomes_in_order() {
    let server = MockServer::start_async().await;
    let mock =
        server
            .mock_async(|when, then| {
                common::sent_by_client(
                    when.method(POST).path("/groups/7116/phones/batch"),
                    "application/json",
                )
                .header("content-type", "application/json")
                .json_body(json!([
                    {
                        "phone": "+93701234567",
                        "a": "Mr. ", "b": "Smith ", "c": "2020-02-23 18:00",
                        "d": "12.34", "e": "restaurant Blue Oyster"
                    },
                    {"phone": "not a number"},
                    {"phone": "+93701234568", "callback_data": "crm-77"}
                ]));
                then.status(201).header("content-type", "application/json").json_body(json!([
                {"status": 201, "body": {
                    "id": "981", "phone": "+93701234567",
                    "a": "Mr. ", "b": "Smith ", "c": "2020-02-23 18:00", "d": "12.34",
                    "e": "restaurant Blue Oyster", "callback_data": null,
                    "subscribed_at": null, "unsubscribed_at": null, "unsubscribe_reason": null
                }},
                {"status": 400, "body": {
                    "type": "https://tools.ietf.org/html/rfc2616#section-10",
                    "title": "An error occurred",
                    "detail": "phone: This value is not a valid phone number."
                }},
                {"status": 201, "body": {
                    "id": "982", "phone": "+93701234568", "callback_data": "crm-77",
                    "unsubscribed_at": 1700000000, "unsubscribe_reason": 2
                }}
            ]));
            })
            .await;

    let entries = [
        documented_entry(),
        PhoneEntry::new("not a number"),
        PhoneEntry::new("+93701234568").callback_data("crm-77"),
    ];
    let result = client(&server)
        .add_phones(&GroupId::new(7116), &entries)
        .await
        .expect("answered");

    mock.assert_async().await;
    assert_eq!((result.created(), result.failed()), (2, 1));

    let mut first = Phone::new(PhoneId::new("981"), "+93701234567");
    first.a = Some("Mr. ".into());
    first.b = Some("Smith ".into());
    first.c = Some("2020-02-23 18:00".into());
    first.d = Some("12.34".into());
    first.e = Some("restaurant Blue Oyster".into());
    let mut third = Phone::new(PhoneId::new("982"), "+93701234568");
    third.callback_data = Some("crm-77".into());
    third.unsubscribed_at = Some(1_700_000_000);
    third.unsubscribe_reason = Some(lox24::UnsubscribeReason::TooManyMessages);
    let mut problem = ItemProblem::default();
    problem.title = Some("An error occurred".into());
    problem.detail = Some("phone: This value is not a valid phone number.".into());

    assert_eq!(
        result.items,
        vec![
            BatchItem::created(first),
            BatchItem::failed(400, problem),
            BatchItem::created(third),
        ]
    );
    assert_eq!(
        result.items[1].result.as_ref().unwrap_err().message(),
        "phone: This value is not a valid phone number."
    );
}

#[tokio::test]
async fn decodes_the_json_ld_hydra_variant() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/groups/9/phones/batch");
            then.status(201)
                .header("content-type", "application/ld+json")
                .json_body(json!({
                    "@context": "/contexts/Phone",
                    "@id": "/groups/9/phones/batch",
                    "@type": "hydra:Collection",
                    "hydra:totalItems": 2,
                    "hydra:member": [
                        {"status": 201, "body": {
                            "@context": "/contexts/Phone", "@id": "/phones/77", "@type": "Phone",
                            "id": "77", "phone": "+491701234567", "a": "Anna"
                        }},
                        {"status": 422, "body": {
                            "@context": "/contexts/Error", "@type": "hydra:Error",
                            "hydra:title": "An error occurred",
                            "hydra:description": "phone: This value is too long."
                        }}
                    ]
                }));
        })
        .await;

    let entries = [
        PhoneEntry::new("+491701234567"),
        PhoneEntry::new("+4917012345670"),
    ];
    let result = client(&server)
        .add_phones(&GroupId::new(9), &entries)
        .await
        .expect("answered");

    assert_eq!(result.total_items, Some(2));
    let stored = result.items[0].result.as_ref().expect("stored");
    assert_eq!(
        stored.iri.as_ref().map(|i| i.id::<PhoneId>()),
        Some(Ok(PhoneId::new("77")))
    );
    assert_eq!(
        (stored.id.as_ref(), stored.a.as_deref()),
        (Some(&PhoneId::new("77")), Some("Anna"))
    );
    let refused = &result.items[1];
    assert_eq!(refused.status, 422);
    let problem = refused.result.as_ref().expect_err("refused");
    assert_eq!(problem.title.as_deref(), Some("An error occurred"));
    assert_eq!(problem.message(), "phone: This value is too long.");
}

#[tokio::test]
async fn the_unprefixed_hydra_spelling_decodes_too() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/groups/9/phones/batch");
            then.status(201).json_body(json!({
                "totalItems": 1,
                "member": [{"status": 201, "body": {"@id": "/phones/5", "id": 5, "phone": "+4930123"}}]
            }));
        })
        .await;

    let result = client(&server)
        .add_phones(&GroupId::new(9), &[PhoneEntry::new("+4930123")])
        .await
        .expect("answered");

    assert_eq!((result.total_items, result.created()), (Some(1), 1));
    // A numeric id is read as well as the documented string.
    assert_eq!(
        result.items[0].result.as_ref().unwrap().id,
        Some(PhoneId::new("5"))
    );
}

#[tokio::test]
async fn an_invalid_entry_is_named_by_position_and_nothing_is_sent() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let client = client(&server);
    let long = |n| "x".repeat(n);

    let cases = [
        (
            PhoneEntry::new(" "),
            "[1].phone",
            ValidationProblem::Missing,
        ),
        (
            PhoneEntry::new("1".repeat(31)),
            "[1].phone",
            ValidationProblem::TooLong {
                max: 30,
                actual: 31,
            },
        ),
        (
            PhoneEntry::new("+4930").column(Column::D, long(1531)),
            "[1].d",
            ValidationProblem::TooLong {
                max: 1530,
                actual: 1531,
            },
        ),
        (
            PhoneEntry::new("+4930").callback_data(long(37)),
            "[1].callback_data",
            ValidationProblem::TooLong {
                max: 36,
                actual: 37,
            },
        ),
    ];
    for (bad, field, problem) in cases {
        let entries = [PhoneEntry::new("+491701234567"), bad];
        match client.add_phones(&GroupId::new(1), &entries).await {
            Err(Error::Validation(e)) => assert_eq!((e.field(), e.problem()), (field, &problem)),
            other => panic!("{field}: expected a validation error, got {other:?}"),
        }
    }
    match client
        .add_phones(&GroupId::new(0), &[PhoneEntry::new("+4930")])
        .await
    {
        Err(Error::Validation(e)) => assert_eq!(
            (e.field(), e.problem()),
            ("id", &ValidationProblem::TooSmall { min: 1, actual: 0 })
        ),
        other => panic!("expected a validation error, got {other:?}"),
    }
    // The maximum itself is allowed.
    let edge = PhoneEntry::new("1".repeat(30))
        .column(Column::A, long(1530))
        .callback_data(long(36));
    assert!(edge.validate().is_ok());
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn an_answer_that_is_not_a_batch_is_an_unexpected_response() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/groups/3/phones/batch");
            then.status(201)
                .header("x-lox24-request-id", common::REQUEST_ID)
                .body(r#"[{"status": 201, "body": {"phone": "+49"#);
        })
        .await;

    let err = client(&server)
        .add_phones(&GroupId::new(3), &[PhoneEntry::new("+4930")])
        .await
        .expect_err("truncated JSON");

    let Error::UnexpectedResponse(e) = &err else {
        panic!("expected UnexpectedResponse, got {err:?}");
    };
    assert_eq!(
        (e.status(), e.request_id()),
        (Some(201), Some(common::REQUEST_ID))
    );
    assert_eq!(
        e.body_excerpt(),
        Some(r#"[{"status": 201, "body": {"phone": "+49"#)
    );
    assert!(err.may_have_taken_effect());
}
