//! The generated `MockServerExt` helpers (feature `mock`), as a user of the
//! crate would use them in their own tests.

mod common;

use common::client;
use httpmock::MockServer;
use lox24::{
    BatchItem, BatchResult, Bulk, BulkId, BulkStatus, Group, GroupId, ItemProblem, NewBulk,
    NewGroup, Phone, PhoneEntry, PhoneId, low_level::types, mock::MockServerExt,
};
use serde_json::json;

#[tokio::test]
async fn create_group_with_typed_request_and_answer() {
    let server = MockServer::start_async().await;
    let body: types::GroupWrite =
        serde_json::from_value(json!({"name": "VIP", "name_a": "first name"})).unwrap();
    let mut answer = Group::new(GroupId::new(42), "VIP");
    answer.name_a = Some("first name".into());
    let mock = server.create_group(|when, then| {
        when.body(&body);
        then.created(&answer);
    });

    let group = client(&server)
        .create_group(&NewGroup::new("VIP").column_name(lox24::Column::A, "first name"))
        .await
        .unwrap();

    mock.assert();
    assert_eq!(group, answer);
}

#[tokio::test]
async fn add_phones_batch_with_typed_answer_and_typed_errors() {
    let server = MockServer::start_async().await;
    let answer = BatchResult::new(vec![
        BatchItem::created(Phone::new(PhoneId::new("1"), "+491701234567")),
        BatchItem::failed(400, {
            let mut p = ItemProblem::default();
            p.detail = Some("phone: invalid".into());
            p
        }),
    ]);
    let ok = server.add_phones_batch(|when, then| {
        when.id(&GroupId::new(7));
        then.created(&answer);
    });
    let missing = server.add_phones_batch(|when, then| {
        when.id(&GroupId::new(8));
        then.not_found(json!({"detail": "Not Found"}));
    });
    let client = client(&server);
    let entries = [PhoneEntry::new("+491701234567"), PhoneEntry::new("x")];

    assert_eq!(
        client.add_phones(&GroupId::new(7), &entries).await.unwrap(),
        answer
    );
    let err = client
        .add_phones(&GroupId::new(8), &entries)
        .await
        .unwrap_err();

    assert!(matches!(err, lox24::Error::NotFound(_)), "{err:?}");
    ok.assert();
    missing.assert();
}

#[tokio::test]
async fn create_bulk_answers_every_documented_error_status() {
    let server = MockServer::start_async().await;
    let uuid = BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    let created = server.create_bulk(|when, then| {
        when.into_inner().json_body_includes(r#"{"text": "ok"}"#);
        then.created(&Bulk::new(uuid.clone(), BulkStatus::New));
    });
    let refused = server.create_bulk(|when, then| {
        when.into_inner()
            .json_body_includes(r#"{"text": "refused"}"#);
        then.unprocessable_entity(json!({
            "violations": [{"propertyPath": "sender_id", "message": "not allowed"}]
        }));
    });
    let client = client(&server);
    let bulk = |text: &str| NewBulk::new("Shop", text).to_group(GroupId::new(1));

    assert_eq!(client.create_bulk(&bulk("ok")).await.unwrap().id(), &uuid);
    let err = client.create_bulk(&bulk("refused")).await.unwrap_err();

    assert!(matches!(err, lox24::Error::Unprocessable(_)), "{err:?}");
    assert_eq!(err.violations()[0].property_path, "sender_id");
    created.assert();
    refused.assert();
}
