//! Received messages (`/incomings`) over loopback HTTP: the list with every
//! filter, one reply, deleting it, error statuses and refusals before
//! sending. The values are those of LOX24's `sms.incoming` example.

mod common;

use common::{
    TOKEN,
    answers::{ON_A_LIST, ON_A_RESOURCE, assert_error_statuses, assert_untrusted_answers},
    bodiless, catch_all, client, client_at, deleted,
    hydra::{bare_array, empty_pages, page, two_pages},
    read_all, refused,
};
use futures_util::TryStreamExt;
use httpmock::MockServer;
use lox24::{Reply, ReplyId, ReplyQuery, SmsId, SortDirection, mock::MockServerExt};
use serde_json::{Value, json};

const ID: &str = "e7d23bd5-dd8e-22fd-c7eb-636511ccc8ed";
const REPLIED_TO: &str = "a1b2c3d4-e5f6-7890-abcd-ef1234567890";

/// LOX24's example of a received message, as the resource `/incomings/{uuid}`.
fn reply() -> Value {
    json!({
        "@context": "/contexts/Incoming", "@id": format!("/incomings/{ID}"), "@type": "Incoming",
        "uuid": ID, "from": "+490987654321", "to": "+1234567890",
        "text": "Hello, this is a reply message", "msg_uuid": REPLIED_TO,
        "received_at": 1653378703
    })
}

/// A reply of a list, its id made from `n`, to no message of the account's.
fn listed(n: u8) -> Value {
    json!({
        "uuid": format!("e7d23bd5-dd8e-22fd-c7eb-636511ccc8{n:02x}"),
        "from": "+491701234567", "to": "+4915112345678", "text": "STOP",
        "msg_uuid": null, "received_at": 1_764_000_000 + n as i64
    })
}

#[tokio::test]
async fn every_reply_is_read_page_after_page_in_both_forms() {
    let server = MockServer::start_async().await;
    let pages = two_pages(
        &server,
        "/incomings",
        vec![reply(), listed(2)],
        vec![listed(3)],
    )
    .await;

    let listing = client(&server)
        .list_replies(&ReplyQuery::new())
        .await
        .unwrap();
    assert_eq!(listing.total_items(), Some(3));
    let read: Vec<Reply> = listing.try_collect().await.unwrap();

    let first = &read[0];
    assert_eq!(first.uuid, ReplyId::new(ID));
    assert_eq!(
        (first.from.as_deref(), first.to.as_deref()),
        (Some("+490987654321"), Some("+1234567890"))
    );
    assert_eq!(
        first.text.as_deref(),
        Some("Hello, this is a reply message")
    );
    assert_eq!(
        (first.msg_uuid.clone(), first.received_at),
        (Some(SmsId::new(REPLIED_TO)), Some(1_653_378_703))
    );
    assert_eq!(
        first.jsonld.id,
        Some(lox24::Iri::new(format!("/incomings/{ID}")))
    );
    assert_eq!(
        (read[1].msg_uuid.clone(), read[2].received_at),
        (None, Some(1_764_000_003))
    );
    for mock in pages {
        mock.assert_calls_async(1).await;
    }

    let plain = MockServer::start_async().await;
    bare_array(&plain, "/incomings", vec![listed(7)]).await;
    let read: Vec<Reply> = read_all(client(&plain).list_replies(&ReplyQuery::new()).await).await;
    assert_eq!(
        read[0].uuid.as_str(),
        "e7d23bd5-dd8e-22fd-c7eb-636511ccc807"
    );
}

#[tokio::test]
async fn every_filter_has_the_specs_name() {
    let server = MockServer::start_async().await;
    let mock = server.list_incomings(|when, then| {
        when.from("+491701234567")
            .to("+4915112345678")
            .text("STOP")
            .msg_uuid(REPLIED_TO)
            .order_received_at(&SortDirection::Asc)
            .page(None)
            .into_inner()
            .header("x-lox24-auth-token", TOKEN)
            .header("accept", "application/ld+json");
        then.ok(&serde_json::from_value(page("/incomings", vec![reply()], 1, None)).unwrap());
    });
    let query = ReplyQuery::new()
        .from("+491701234567")
        .to("+4915112345678")
        .text_containing("STOP")
        .replying_to(&SmsId::new(REPLIED_TO))
        .order_by_arrival(SortDirection::Asc);

    let read: Vec<Reply> = read_all(client(&server).list_replies(&query).await).await;

    mock.assert();
    assert_eq!(read.len(), 1);
}

#[tokio::test]
async fn the_filters_go_out_escaped_in_a_fixed_order() {
    let server = empty_pages("/incomings").await;
    let query = ReplyQuery::new()
        .order_by_arrival(SortDirection::Desc)
        .replying_to(&SmsId::new(REPLIED_TO))
        .text_containing("ja & nein")
        .to("+4915112345678")
        .from("+491701234567");

    let read: Vec<Reply> = read_all(client_at(&server.url).list_replies(&query).await).await;

    assert!(read.is_empty());
    assert_eq!(
        server.request_lines(),
        [
            "GET /incomings?from=%2B491701234567&to=%2B4915112345678&text=ja+%26+nein\
          &msg_uuid=a1b2c3d4-e5f6-7890-abcd-ef1234567890&_order%5Breceived_at%5D=desc HTTP/1.1"
        ]
    );
    assert_eq!(
        server.received()[0].header("accept"),
        Some("application/ld+json")
    );
}

#[tokio::test]
async fn get_and_delete_a_reply() {
    let server = MockServer::start_async().await;
    let path = format!("/incomings/{ID}");
    let get = bodiless(&server, "GET", &path, "application/ld+json", 200, reply()).await;
    let delete = deleted(&server, &path).await;
    let client = client(&server);

    let read = client.get_reply(&ReplyId::new(ID)).await.unwrap();
    client.delete_reply(&ReplyId::new(ID)).await.unwrap();

    assert_eq!(read.text.as_deref(), Some("Hello, this is a reply message"));
    assert_eq!(read.msg_uuid, Some(SmsId::new(REPLIED_TO)));
    get.assert_async().await;
    delete.assert_async().await;
}

#[tokio::test]
async fn error_statuses_and_untrusted_answers_are_typed() {
    let id = &ReplyId::new(ID);
    let path = format!("/incomings/{ID}");
    assert_error_statuses("GET", &path, &ON_A_RESOURCE, |c| async move {
        c.get_reply(id).await
    })
    .await;
    assert_error_statuses("DELETE", &path, &ON_A_RESOURCE, |c| async move {
        c.delete_reply(id).await
    })
    .await;
    assert_error_statuses("GET", "/incomings", &ON_A_LIST, |c| async move {
        c.list_replies(&ReplyQuery::new()).await.map(drop)
    })
    .await;
    assert_untrusted_answers("GET", "/incomings", 200, |c| async move {
        c.list_replies(&ReplyQuery::new()).await.map(drop)
    })
    .await;
}

#[tokio::test]
async fn bad_ids_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let client = client(&server);
    let pattern = |field: &str| (field.to_owned(), "pattern".to_owned());

    for id in ["", "../sms", "E7D23BD5-DD8E-22FD-C7EB-636511CCC8ED"] {
        assert_eq!(
            refused(client.get_reply(&ReplyId::new(id)).await),
            pattern("uuid")
        );
        assert_eq!(
            refused(client.delete_reply(&ReplyId::new(id)).await),
            pattern("uuid")
        );
    }
    let query = ReplyQuery::new().replying_to(&SmsId::new("order-17"));
    assert_eq!(
        refused(client.list_replies(&query).await),
        pattern("msg_uuid")
    );
    assert!(query.validate().is_err());
    any.assert_calls_async(0).await;
}
