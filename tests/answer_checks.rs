//! Answers that have the right status but cannot be what was asked for
//! (issue 12, item 5): the CSV export's media type, and a batch answer's
//! items, read by one rule in `add_phones` and in the upload engine.

mod common;

use common::raw_server::{RawServer, Reply};
use lox24::{
    Error, GroupId, PhoneEntry, PhoneId,
    upload::{Outcome, UnknownReason},
};
use serde_json::{Value, json};

const GROUP: GroupId = GroupId::new(7117);

fn answer(status: &str, content_type: &str, body: &str) -> Reply {
    Reply::http(
        status,
        &[
            ("content-type", content_type),
            ("x-lox24-request-id", common::REQUEST_ID),
        ],
        body,
    )
}

fn unexpected(result: Result<impl std::fmt::Debug, Error>) -> lox24::UnexpectedResponse {
    match result {
        Err(Error::UnexpectedResponse(answer)) => answer,
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn a_csv_export_answered_with_anything_but_csv_is_an_unexpected_response() {
    let hydra_error = r#"{"@context":"/contexts/Error","@type":"hydra:Error","hydra:title":"An error occurred","hydra:description":"Internal"}"#;
    for (content_type, body) in [
        ("application/ld+json", hydra_error),
        ("application/json", r#"{"id": 1, "phone": "+4917"#),
        ("text/html", "<html><body>Maintenance</body></html>"),
    ] {
        let server = RawServer::start(answer("200 OK", content_type, body)).await;
        let client = common::client_at(&server.url);
        let error = unexpected(client.export_group_csv(&GROUP).await);
        assert_eq!(error.status(), Some(200), "{content_type}");
        assert_eq!(error.request_id(), Some(common::REQUEST_ID));
        assert_eq!(
            error.reason(),
            format!("the answer is {content_type}, not the text/csv asked for"),
        );
        assert!(error.body_excerpt().is_some(), "{content_type}");
        assert_eq!(server.received().len(), 1);
    }
}

#[tokio::test]
async fn a_csv_export_without_a_media_type_is_an_unexpected_response() {
    let server = RawServer::start(Reply::Bytes(
        b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\nconnection: close\r\n\r\nid\n".to_vec(),
    ))
    .await;
    let client = common::client_at(&server.url);
    let error = unexpected(client.export_group_csv(&GROUP).await);
    assert_eq!(
        error.reason(),
        "the answer has no media type, not the text/csv asked for"
    );
}

#[tokio::test]
async fn a_csv_export_with_parameters_and_any_case_is_accepted() {
    let server = RawServer::start(answer("200 OK", "Text/CSV; charset=utf-8", "id,phone\n")).await;
    let client = common::client_at(&server.url);
    assert!(client.export_group_csv(&GROUP).await.is_ok());
}

fn stored(id: &str, phone: &str) -> Value {
    json!({"status": 201, "body": {"id": id, "phone": phone}})
}

#[tokio::test]
async fn add_phones_refuses_an_answer_with_more_or_fewer_items_than_entries() {
    for (items, count) in [
        (
            json!([
                stored("1", "+491701234567"),
                stored("2", "+491701234568"),
                stored("3", "+491701234569")
            ]),
            3,
        ),
        (json!([]), 0),
    ] {
        let server = RawServer::start(answer(
            "201 Created",
            "application/json",
            &items.to_string(),
        ))
        .await;
        let client = common::client_at(&server.url);
        let error = unexpected(
            client
                .add_phones(&GROUP, &[PhoneEntry::new("+491701234567")])
                .await,
        );
        assert_eq!(error.status(), Some(201));
        assert_eq!(error.request_id(), Some(common::REQUEST_ID));
        assert_eq!(
            error.reason(),
            format!(
                "the answer has {count} items for the 1 entries sent, so no item can be matched to its entry"
            )
        );
    }
}

/// An item whose body is not an object cannot say what became of its
/// entry: `add_phones` and the upload engine both read the answer as
/// unreadable (before, `add_phones` said "refused" and the engine "created").
#[tokio::test]
async fn an_item_whose_body_is_not_an_object_is_unreadable_for_both() {
    let body = json!([{"status": 201, "body": []}]).to_string();
    let server = RawServer::start(answer("201 Created", "application/json", &body)).await;
    let client = common::client_at(&server.url);

    let error = unexpected(
        client
            .add_phones(&GROUP, &[PhoneEntry::new("+491701234567")])
            .await,
    );
    assert_eq!(error.status(), Some(201));
    assert!(
        error
            .reason()
            .starts_with("the body is not the JSON the spec describes"),
        "{}",
        error.reason()
    );

    let report = client
        .upload_phones(&GROUP, [PhoneEntry::new("+491701234567")])
        .await;
    assert_eq!(
        report.outcome(0).map(|o| o.into_owned()),
        Some(Outcome::Unknown {
            phone: "+491701234567".to_owned(),
            reason: UnknownReason::Unreadable,
        })
    );
    assert_eq!(report.failed_batches().len(), 1);
    assert_eq!(server.received().len(), 2);
}

/// A stored item that does not echo the number is still stored: both read
/// the status; `add_phones` fills in the number it sent.
#[tokio::test]
async fn a_stored_item_without_its_number_is_created_for_both() {
    let body = json!([{"status": 201, "body": {"id": "981"}}]).to_string();
    let server = RawServer::start(answer("201 Created", "application/json", &body)).await;
    let client = common::client_at(&server.url);

    let result = client
        .add_phones(&GROUP, &[PhoneEntry::new("+491701234567")])
        .await
        .expect("read");
    assert_eq!(result.created(), 1);
    let phone = result.items[0].result.as_ref().expect("stored");
    assert_eq!(phone.phone, "+491701234567");
    assert_eq!(phone.id, Some(PhoneId::new("981")));

    let report = client
        .upload_phones(&GROUP, [PhoneEntry::new("+491701234567")])
        .await;
    assert_eq!(
        report.outcome(0).map(|o| o.into_owned()),
        Some(Outcome::Created {
            id: Some(PhoneId::new("981"))
        })
    );
}

#[tokio::test]
async fn add_phones_with_no_entries_sends_nothing() {
    let server = RawServer::start(answer("201 Created", "application/json", "[]")).await;
    let client = common::client_at(&server.url);
    let result = client
        .add_phones(&GROUP, &[])
        .await
        .expect("nothing to add");
    assert!(result.items.is_empty());
    assert_eq!(result.total_items, None);
    assert_eq!(server.received().len(), 0);
    // A group id that cannot be is still refused.
    assert!(matches!(
        client.add_phones(&GroupId::new(0), &[]).await,
        Err(Error::Validation(_))
    ));
}
