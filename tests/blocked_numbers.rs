//! Blocked numbers over loopback HTTP: list (by kind), block, read,
//! unblock, their error statuses and refusals before sending.

mod common;

use common::{
    REQUEST_ID,
    answers::{ON_A_LIST, ON_A_RESOURCE, assert_error_statuses, assert_untrusted_answers},
    bodiless, catch_all, client, deleted,
    hydra::{bare_array, page, two_pages},
    read_all, refused, sent_by_client,
};
use futures_util::TryStreamExt;
use httpmock::{
    Method::{GET, POST},
    MockServer,
};
use lox24::{BlockedKind, BlockedNumber, BlockedNumberId, Iri, mock::MockServerExt};
use serde_json::{Value, json};

fn blocked(id: u64, kind: i64) -> Value {
    json!({
        "@context": "/contexts/BlockedNumber", "@id": format!("/blocked_numbers/{id}"),
        "@type": "BlockedNumber", "id": id, "number": format!("+4917012345{id:02}"),
        "type": kind, "added_at": 1_757_849_700 + id
    })
}

#[tokio::test]
async fn every_blocked_number_is_read_page_after_page() {
    let server = MockServer::start_async().await;
    let pages = two_pages(
        &server,
        "/blocked_numbers",
        vec![blocked(1, 1), blocked(2, 2)],
        vec![blocked(3, 2)],
    )
    .await;

    let listing = client(&server).list_blocked_numbers(None).await.unwrap();
    assert_eq!(listing.total_items(), Some(3));
    let read: Vec<BlockedNumber> = listing.try_collect().await.unwrap();

    let kinds: Vec<_> = read.iter().map(|b| (b.id.get(), b.kind)).collect();
    assert_eq!(
        kinds,
        [
            (1, BlockedKind::ByAccount),
            (2, BlockedKind::Unsubscribed),
            (3, BlockedKind::Unsubscribed)
        ]
    );
    assert_eq!(read[2].number, "+491701234503");
    assert_eq!(read[2].added_at, Some(1_757_849_703));
    assert_eq!(read[2].jsonld.id, Some(Iri::new("/blocked_numbers/3")));
    for mock in pages {
        mock.assert_calls_async(1).await;
    }

    let plain = MockServer::start_async().await;
    bare_array(
        &plain,
        "/blocked_numbers",
        vec![json!({"id": 9, "number": "+4930123456", "type": 3, "added_at": 1})],
    )
    .await;
    let read: Vec<BlockedNumber> = read_all(client(&plain).list_blocked_numbers(None).await).await;
    // A kind this crate does not know is kept.
    assert_eq!(read[0].kind, BlockedKind::Unknown(3));
}

#[tokio::test]
async fn a_kind_is_the_type_filter() {
    let server = MockServer::start_async().await;
    let unsubscribed = server.list_blocked_numbers(|when, then| {
        when.type_("2").number(None);
        then.ok(&serde_json::from_value(page(
            "/blocked_numbers?type=2",
            vec![blocked(2, 2)],
            1,
            None,
        ))
        .unwrap());
    });
    let by_account = server.list_blocked_numbers(|when, then| {
        when.type_("1");
        then.ok(&serde_json::from_value(page(
            "/blocked_numbers?type=1",
            vec![blocked(1, 1)],
            1,
            None,
        ))
        .unwrap());
    });
    let client = client(&server);

    for (kind, id) in [(BlockedKind::Unsubscribed, 2), (BlockedKind::ByAccount, 1)] {
        let read: Vec<BlockedNumber> =
            read_all(client.list_blocked_numbers(Some(kind)).await).await;
        assert_eq!(read.iter().map(|b| b.id.get()).collect::<Vec<_>>(), [id]);
    }
    unsubscribed.assert();
    by_account.assert();
}

#[tokio::test]
async fn block_number_posts_the_number_in_e164() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            sent_by_client(
                when.method(POST).path("/blocked_numbers"),
                "application/ld+json",
            )
            .header("content-type", "application/json")
            .json_body(json!({"number": "+491701234531"}));
            then.status(201)
                .header("content-type", "application/ld+json")
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(blocked(31, 1));
        })
        .await;
    let client = client(&server);

    for written in ["+491701234531", "0049 170 1234531"] {
        let entry = client.block_number(written).await.unwrap();
        assert_eq!(entry.id, BlockedNumberId::new(31));
        assert_eq!(
            (entry.number.as_str(), entry.kind),
            ("+491701234531", BlockedKind::ByAccount)
        );
        assert_eq!(entry.added_at, Some(1_757_849_731));
    }
    // No country is guessed for digits without `+` or `00`.
    let refused = client.block_number("491701234531").await.unwrap_err();
    assert!(
        matches!(&refused, lox24::Error::Validation(e) if e.field() == "number"),
        "{refused:?}"
    );
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn get_and_unblock_a_number() {
    let server = MockServer::start_async().await;
    let path = "/blocked_numbers/31";
    // LOX24's own plain JSON, as a proxy that drops `Accept` would pass it on.
    let plain = json!({"id": 31, "number": "+491701234567", "type": 2, "added_at": 1757849748});
    let get = bodiless(&server, "GET", path, "application/ld+json", 200, plain).await;
    let delete = deleted(&server, path).await;
    let client = client(&server);

    let entry = client
        .get_blocked_number(&BlockedNumberId::new(31))
        .await
        .unwrap();
    client
        .unblock_number(&BlockedNumberId::new(31))
        .await
        .unwrap();

    assert_eq!(entry, {
        let mut expected = BlockedNumber::new(
            BlockedNumberId::new(31),
            "+491701234567",
            BlockedKind::Unsubscribed,
        );
        expected.added_at = Some(1_757_849_748);
        expected
    });
    get.assert_async().await;
    delete.assert_async().await;
}

#[tokio::test]
async fn error_statuses_map_to_their_variants() {
    let id = BlockedNumberId::new(31);
    let path = "/blocked_numbers/31";
    assert_error_statuses("GET", path, &ON_A_RESOURCE, |c| async move {
        c.get_blocked_number(&id).await
    })
    .await;
    assert_error_statuses("DELETE", path, &ON_A_RESOURCE, |c| async move {
        c.unblock_number(&id).await
    })
    .await;
    assert_error_statuses("GET", "/blocked_numbers", &ON_A_LIST, |c| async move {
        c.list_blocked_numbers(None).await.map(drop)
    })
    .await;
    let blocking = [
        (400, "InvalidInput"),
        (401, "Unauthorized"),
        (403, "Forbidden"),
        (429, "Blocked"),
        (500, "Ambiguous(Server)"),
        (503, "Server"),
    ];
    assert_error_statuses("POST", "/blocked_numbers", &blocking, |c| async move {
        c.block_number("+491701234567").await
    })
    .await;
    assert_untrusted_answers("POST", "/blocked_numbers", 201, |c| async move {
        c.block_number("+491701234567").await
    })
    .await;
}

#[tokio::test]
async fn bad_numbers_and_ids_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let client = client(&server);

    for (number, rule) in [
        ("0170 1234567", "invalid"),
        ("", "missing"),
        ("+49 17x", "invalid"),
        ("+49", "invalid"),
    ] {
        assert_eq!(
            refused(client.block_number(number).await),
            ("number".to_owned(), rule.to_owned()),
            "{number:?}"
        );
    }
    let zero = BlockedNumberId::new(0);
    let too_small = ("id".to_owned(), "too_small".to_owned());
    assert_eq!(refused(client.get_blocked_number(&zero).await), too_small);
    assert_eq!(refused(client.unblock_number(&zero).await), too_small);
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn blocking_a_number_twice_is_a_conflict() {
    // LOX24 declares 409 for a number that is blocked already.
    let body = json!({
        "@context": "/contexts/Error", "@type": "hydra:Error",
        "hydra:title": "An error occurred",
        "hydra:description": "number: This phone number is already blocked."
    })
    .to_string();
    let err = common::answers::served(
        "POST",
        "/blocked_numbers",
        409,
        "application/ld+json",
        &body,
        |c| async move { c.block_number("+491701234567").await },
    )
    .await
    .unwrap_err();

    let lox24::Error::Conflict(conflict) = &err else {
        panic!("expected Conflict, got {err:?}");
    };
    assert_eq!(
        (conflict.status(), conflict.request_id()),
        (409, Some(REQUEST_ID))
    );
    assert_eq!(
        conflict.message(),
        Some("number: This phone number is already blocked.")
    );
    assert_eq!(common::variant(&err), "Conflict");
    assert!(!err.is_retryable());
    assert!(!err.may_have_taken_effect(), "a refusal settles it");
    assert!(err.to_string().contains("exists already"), "{err}");
}

#[tokio::test]
async fn a_number_is_found_by_its_e164_form_and_only_exactly() {
    let server = MockServer::start_async().await;
    // LOX24's `number` filter matches parts of numbers: the page holds a
    // longer number besides the one asked for.
    let longer = json!({"id": 8, "number": "+4917012345020", "type": 1, "added_at": 1});
    let filtered = server
        .mock_async(|when, then| {
            sent_by_client(
                when.method(GET).path("/blocked_numbers"),
                "application/ld+json",
            )
            .query_param("number", "+491701234502");
            then.status(200)
                .header("content-type", "application/ld+json")
                .json_body(page(
                    "/blocked_numbers",
                    vec![longer.clone(), blocked(2, 2)],
                    2,
                    None,
                ));
        })
        .await;
    let found = client(&server)
        .find_blocked_number("0049 170 1234502")
        .await
        .unwrap()
        .expect("the number is blocked");
    assert_eq!(found.id, BlockedNumberId::new(2));
    assert_eq!(found.number, "+491701234502");
    filtered.assert_calls_async(1).await;

    // Only the longer number on the page: not this one.
    let other = MockServer::start_async().await;
    other
        .mock_async(|when, then| {
            when.method(GET).path("/blocked_numbers");
            then.status(200)
                .header("content-type", "application/ld+json")
                .json_body(page("/blocked_numbers", vec![longer.clone()], 1, None));
        })
        .await;
    assert_eq!(
        client(&other)
            .find_blocked_number("+491701234502")
            .await
            .unwrap(),
        None
    );

    // A number that cannot be read is refused before anything is sent.
    let quiet = MockServer::start_async().await;
    let any = catch_all(&quiet).await;
    let (field, _) = refused(client(&quiet).find_blocked_number("call me").await);
    assert_eq!(field, "number");
    any.assert_calls_async(0).await;
}
