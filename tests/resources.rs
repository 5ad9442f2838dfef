//! Groups and phones as resources over loopback HTTP: read, change, delete,
//! add one entry, and the CSV export as a stream.

mod common;

use std::time::Duration;

use common::{
    REQUEST_ID, TOKEN, USER_AGENT, catch_all, client, client_at,
    raw_server::{RawServer, Reply},
};
use futures_util::{StreamExt, TryStreamExt};
use httpmock::{
    Method::{DELETE, GET, POST, PUT},
    MockServer,
};
use lox24::{
    Column, Error, GroupId, NewGroup, PhoneEntry, PhoneId, TransportErrorKind, UnsubscribeReason,
    ValidationProblem,
};
use serde_json::json;

fn group_answer() -> serde_json::Value {
    json!({
        "@context": "/contexts/Group", "@id": "/groups/7117", "@type": "Group",
        "id": 7117, "name": "Regular clients", "description": "Ordered twice",
        "name_a": "first name", "name_b": null, "name_c": null, "name_d": null, "name_e": null,
        "count_items": 42, "deleted_at": null
    })
}

#[tokio::test]
async fn get_group_sends_the_documented_request_and_reads_json_ld() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            common::sent_by_client(when.method(GET).path("/groups/7117"), "application/ld+json")
                .header_missing("content-type");
            then.status(200)
                .header("content-type", "application/ld+json; charset=utf-8")
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(group_answer());
        })
        .await;

    let group = client(&server)
        .get_group(&GroupId::new(7117))
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(group.id, GroupId::new(7117));
    assert_eq!(group.iri().as_str(), "/groups/7117");
    assert_eq!(group.count_items, 42);
    assert_eq!(group.column_name(Column::A), Some("first name"));
}

#[tokio::test]
async fn update_group_puts_the_whole_group() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/groups/7117")
                .header("x-lox24-auth-token", TOKEN)
                .header("content-type", "application/json")
                .header("accept", "application/ld+json")
                .json_body(json!({
                    "name": "Regular clients",
                    "description": "Ordered twice",
                    "name_a": "first name"
                }));
            then.status(200).json_body(group_answer());
        })
        .await;

    let changed = NewGroup::new("Regular clients")
        .description("Ordered twice")
        .column_name(Column::A, "first name");
    let group = client(&server)
        .update_group(&GroupId::new(7117), &changed)
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(group.name, "Regular clients");
    assert_eq!(group.description.as_deref(), Some("Ordered twice"));
}

#[tokio::test]
async fn update_group_checks_the_input_before_sending() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let client = client(&server);

    let err = client
        .update_group(&GroupId::new(7117), &NewGroup::new("x".repeat(51)))
        .await
        .unwrap_err();
    match err {
        Error::Validation(e) => {
            assert_eq!(e.field(), "name");
            assert_eq!(
                e.problem(),
                &ValidationProblem::TooLong {
                    max: 50,
                    actual: 51
                }
            );
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    let err = client
        .update_group(&GroupId::new(0), &NewGroup::new("VIP"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation(e) if e.field() == "id"),
        "{err:?}"
    );
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn delete_group_answers_204_without_a_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/groups/7117")
                .header("x-lox24-auth-token", TOKEN)
                .header("accept", "application/json")
                .header_missing("content-type");
            then.status(204).header("x-lox24-request-id", REQUEST_ID);
        })
        .await;

    client(&server)
        .delete_group(&GroupId::new(7117))
        .await
        .unwrap();

    mock.assert_async().await;
}

#[tokio::test]
async fn a_missing_group_is_not_found() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path_prefix("/groups/404");
            then.status(404)
                .header("content-type", "application/ld+json")
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(json!({
                    "@context": "/contexts/Error", "@type": "hydra:Error",
                    "hydra:title": "An error occurred", "hydra:description": "Not Found"
                }));
        })
        .await;
    // A client of its own for each call: a 404 does not prove the
    // credentials, and one client would send its fourth request with
    // unproven credentials only when the lockout guard's 65 s have passed.
    let fresh = || client(&server);
    let id = GroupId::new(404);

    for result in [
        fresh().get_group(&id).await.map(drop),
        fresh().delete_group(&id).await,
        fresh()
            .update_group(&id, &NewGroup::new("x"))
            .await
            .map(drop),
        fresh().export_group_csv(&id).await.map(drop),
        fresh()
            .add_phone(&id, &PhoneEntry::new("+491701234567"))
            .await
            .map(drop),
    ] {
        match result {
            Err(Error::NotFound(e)) => {
                assert_eq!(e.message(), Some("Not Found"));
                assert_eq!(e.request_id(), Some(REQUEST_ID));
            }
            other => panic!("expected 404, got {other:?}"),
        }
    }
}

const CSV: &str = "id,phone,first name,col_B,col_C,col_D,col_E,callback_data\n\
                   7848412,+49123456780,Anna,,,,,12345\n\
                   7848413,+49123456781,Ben,,,,,12346\n";

#[tokio::test]
async fn the_csv_export_asks_for_text_csv_and_yields_the_file() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/groups/7116/file/csv")
                .header("x-lox24-auth-token", TOKEN)
                .header("accept", "text/csv")
                .header("user-agent", USER_AGENT);
            then.status(200)
                .header("content-type", "text/csv; charset=utf-8")
                .header("x-lox24-request-id", REQUEST_ID)
                .body(CSV);
        })
        .await;

    let export = client(&server)
        .export_group_csv(&GroupId::new(7116))
        .await
        .unwrap();
    assert_eq!(export.request_id(), Some(REQUEST_ID));
    let chunks: Vec<bytes::Bytes> = export.try_collect().await.unwrap();

    mock.assert_async().await;
    assert_eq!(chunks.concat(), CSV.as_bytes());
}

#[tokio::test]
async fn the_csv_export_is_handed_over_before_the_whole_file_has_arrived() {
    // The server sends the head and the first lines of a much longer body,
    // then holds the connection: a client that buffered the whole file
    // would wait here until its timeout.
    let first_part = "id,phone,col_A,col_B,col_C,col_D,col_E,callback_data\n1,+49123456780,,,,,,\n";
    let head = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ncontent-length: {}\r\n\r\n{first_part}",
        10 * 1024 * 1024
    );
    let server = RawServer::start(Reply::Partial(head.into_bytes())).await;
    let client = client_at(&server.url);

    let read_first_part = async {
        let mut export = client.export_group_csv(&GroupId::new(7)).await?;
        let mut received = Vec::new();
        while received.len() < first_part.len() {
            match export.next().await {
                Some(chunk) => received.extend_from_slice(&chunk?),
                None => break,
            }
        }
        Ok::<_, Error>(received)
    };
    let received = tokio::time::timeout(Duration::from_secs(5), read_first_part)
        .await
        .expect("the first bytes arrive while the rest is still outstanding")
        .unwrap();

    assert_eq!(received, first_part.as_bytes());
    assert_eq!(server.received()[0].header("accept"), Some("text/csv"));
}

#[tokio::test]
async fn a_connection_lost_in_the_middle_of_the_csv_ends_the_stream_with_a_transport_error() {
    let answer =
        "HTTP/1.1 200 OK\r\ncontent-type: text/csv\r\ncontent-length: 1000\r\n\r\nid,phone\n1,+49";
    let server = RawServer::start(Reply::Bytes(answer.as_bytes().to_vec())).await;

    let results: Vec<_> = client_at(&server.url)
        .export_group_csv(&GroupId::new(7))
        .await
        .unwrap()
        .collect()
        .await;

    let (last, before) = results.split_last().expect("at least the error");
    let received: Vec<u8> = before
        .iter()
        .flat_map(|r| r.as_ref().unwrap().to_vec())
        .collect();
    assert_eq!(received, b"id,phone\n1,+49");
    match last {
        Err(Error::Transport(e)) => assert_eq!(e.kind(), TransportErrorKind::Interrupted),
        other => panic!("expected a transport error, got {other:?}"),
    }
}

fn phone_answer() -> serde_json::Value {
    json!({
        "@context": "/contexts/Phone", "@id": "/phones/981", "@type": "Phone",
        "id": "981", "phone": "+93701234567", "a": "Mr. ", "b": "Smith", "c": null,
        "d": null, "e": null, "callback_data": "c-1", "subscribed_at": 1700000000,
        "unsubscribed_at": 1700086400, "unsubscribe_reason": 3
    })
}

#[tokio::test]
async fn add_phone_posts_one_entry_to_the_group() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/groups/12344/phones")
                .header("x-lox24-auth-token", TOKEN)
                .header("content-type", "application/json")
                .header("accept", "application/ld+json")
                .json_body(json!({
                    "phone": "+93701234567", "a": "Mr. ", "b": "Smith", "callback_data": "c-1"
                }));
            then.status(201)
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(phone_answer());
        })
        .await;

    let entry = PhoneEntry::new("+93701234567")
        .column(Column::A, "Mr. ")
        .column(Column::B, "Smith")
        .callback_data("c-1");
    let phone = client(&server)
        .add_phone(&GroupId::new(12344), &entry)
        .await
        .unwrap();

    mock.assert_async().await;
    assert_eq!(phone.id, Some(PhoneId::new("981")));
    assert_eq!(phone.iri.as_ref().map(|i| i.as_str()), Some("/phones/981"));
    assert_eq!(
        phone.unsubscribe_reason,
        Some(UnsubscribeReason::NotInterested)
    );
}

#[tokio::test]
async fn add_phone_refused_by_lox24_is_an_error_with_the_field() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/groups/12344/phones");
            then.status(422).json_body(json!({
                "title": "An error occurred",
                "detail": "phone: This value is not a valid phone number.",
                "violations": [{"propertyPath": "phone", "message": "This value is not a valid phone number."}]
            }));
        })
        .await;
    let err = client(&server)
        .add_phone(&GroupId::new(12344), &PhoneEntry::new("+49 no"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Unprocessable(_)), "{err:?}");
    assert_eq!(err.violations()[0].property_path, "phone");
}

#[tokio::test]
async fn get_update_and_delete_a_phone() {
    let server = MockServer::start_async().await;
    let get = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/phones/981")
                .header("x-lox24-auth-token", TOKEN)
                .header("accept", "application/ld+json");
            then.status(200).json_body(phone_answer());
        })
        .await;
    let put = server
        .mock_async(|when, then| {
            when.method(PUT)
                .path("/phones/981")
                .header("x-lox24-auth-token", TOKEN)
                .header("content-type", "application/json")
                .header("accept", "application/ld+json")
                .json_body(json!({"phone": "+93701234567", "b": "Smythe"}));
            let mut answer = phone_answer();
            answer["a"] = json!(null);
            answer["b"] = json!("Smythe");
            then.status(200).json_body(answer);
        })
        .await;
    let delete = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/phones/981")
                .header("x-lox24-auth-token", TOKEN)
                .header_missing("content-type");
            then.status(204);
        })
        .await;
    let client = client(&server);
    let id = PhoneId::new("981");

    let phone = client.get_phone(&id).await.unwrap();
    assert_eq!(
        (phone.phone.as_str(), phone.b.as_deref()),
        ("+93701234567", Some("Smith"))
    );
    assert_eq!(phone.subscribed_at, Some(1_700_000_000));

    let entry = PhoneEntry::new("+93701234567").column(Column::B, "Smythe");
    let changed = client.update_phone(&id, &entry).await.unwrap();
    assert_eq!((changed.a, changed.b.as_deref()), (None, Some("Smythe")));

    client.delete_phone(&id).await.unwrap();

    get.assert_async().await;
    put.assert_async().await;
    delete.assert_async().await;
}

#[tokio::test]
async fn phone_ids_and_entries_are_checked_before_sending() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let client = client(&server);

    for id in ["", "98a", "../groups/1", "1 2"] {
        let err = client.get_phone(&PhoneId::new(id)).await.unwrap_err();
        match err {
            Error::Validation(e) => {
                assert_eq!(e.field(), "id", "{id:?}");
                assert!(
                    matches!(e.problem(), ValidationProblem::Pattern { .. }),
                    "{id:?}: {e}"
                );
            }
            other => panic!("{id:?}: expected a validation error, got {other:?}"),
        }
    }
    let err = client.delete_phone(&PhoneId::new("x")).await.unwrap_err();
    assert!(matches!(&err, Error::Validation(e) if e.field() == "id"));
    let err = client
        .update_phone(&PhoneId::new("981"), &PhoneEntry::new("+49".repeat(11)))
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Validation(e) if e.field() == "phone"));
    let err = client
        .add_phone(&GroupId::new(1), &PhoneEntry::new(" "))
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Validation(e) if e.field() == "phone"));
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn an_entry_read_back_gives_each_column_by_the_column_it_was_written_to() {
    let sandbox = lox24_sandbox::Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let group = client
        .create_group(&NewGroup::new("Columns"))
        .await
        .unwrap();
    let written = PhoneEntry::new("+491701234567")
        .column(Column::A, "Anna")
        .column(Column::C, "Berlin")
        .column(Column::E, "VIP");
    let stored = client.add_phone(&group.id, &written).await.unwrap();

    let read = client.get_phone(stored.id.as_ref().unwrap()).await.unwrap();
    let values: Vec<_> = Column::ALL.map(|column| read.column(column)).into();
    assert_eq!(
        values,
        [Some("Anna"), None, Some("Berlin"), None, Some("VIP")]
    );
}
