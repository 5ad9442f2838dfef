//! `GET /bulks/{id}/requests`: a campaign's short-link requests as a stream,
//! over loopback HTTP.

mod common;

use common::{REQUEST_ID, catch_all, client, sent_by_client, variant};
use futures_util::TryStreamExt;
use httpmock::{Method::GET, MockServer};
use lox24::{BulkId, Iri, ShortLinkRequestQuery, links::ShortLinkRequest};
use serde_json::{Value, json};

const UUID: &str = "0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11";
const PATH: &str = "/bulks/0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11/requests";

/// A request as LOX24 writes it in the JSON-LD answer.
fn request(id: u64) -> Value {
    json!({
        "@id": format!("/short_link_requests/{id}"), "@type": "ShortLinkRequest",
        "id": id, "date": 1_764_000_000 + id, "type": 1,
        "url": "https://shop.example/sale", "short_link": "/short_links/aB3x",
        "ip": "203.0.113.7", "country": "DE",
        "user_agent": "Mozilla/5.0 (Linux; Android 14)", "referer": null,
        "browser": "Chrome", "browser_version": "131.0", "os": "Android",
        "os_version": "14", "hardware_type": "mobile", "software_type": "browser"
    })
}

fn page(members: Vec<Value>, next: Option<&str>) -> Value {
    common::hydra::page(PATH, members, 3, next)
}

#[tokio::test]
async fn every_page_is_read_following_the_next_link() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            sent_by_client(when.method(GET).path(PATH), "application/ld+json")
                .query_param_missing("page")
                .header_missing("content-type");
            then.status(200)
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(page(
                    vec![request(1), request(2)],
                    Some(&format!("{PATH}?page=2")),
                ));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            sent_by_client(when.method(GET).path(PATH), "application/ld+json")
                .query_param("page", "2");
            then.status(200).json_body(page(vec![request(3)], None));
        })
        .await;

    let mut requests = client(&server)
        .list_bulk_requests(&BulkId::new(UUID), &ShortLinkRequestQuery::new())
        .await
        .unwrap();
    assert_eq!(requests.total_items(), Some(3));
    first.assert_async().await;
    second.assert_calls_async(0).await;

    let read: Vec<ShortLinkRequest> = (&mut requests).try_collect().await.unwrap();
    second.assert_async().await;
    assert_eq!(
        read.iter().map(|r| r.id.get()).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    let one = &read[0];
    assert_eq!(one.jsonld.id, Some(Iri::new("/short_link_requests/1")));
    assert_eq!((one.date, one.kind), (Some(1_764_000_001), Some(1)));
    assert_eq!(one.url.as_deref(), Some("https://shop.example/sale"));
    assert_eq!(one.short_link, Some(Iri::new("/short_links/aB3x")));
    assert_eq!(
        (one.ip.as_deref(), one.country.as_deref()),
        (Some("203.0.113.7"), Some("DE"))
    );
    assert_eq!(
        (one.os.as_deref(), one.os_version.as_deref()),
        (Some("Android"), Some("14"))
    );
    assert_eq!(
        (one.hardware_type.as_deref(), one.software_type.as_deref()),
        (Some("mobile"), Some("browser"))
    );
    assert_eq!(one.referer, None);
}

#[tokio::test]
async fn a_bare_array_is_one_page_and_sparse_requests_decode() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(PATH);
            // What a proxy that ignores `Accept` would pass on: plain JSON,
            // with only the id and a field this crate does not know.
            then.status(200)
                .json_body(json!([{"id": 7, "campaign_code": "x"}, {"id": 8, "os": null}]));
        })
        .await;
    let read: Vec<ShortLinkRequest> = client(&server)
        .list_bulk_requests(&BulkId::new(UUID), &ShortLinkRequestQuery::new())
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(read.iter().map(|r| r.id.get()).collect::<Vec<_>>(), [7, 8]);
    assert_eq!((read[0].url.clone(), read[1].os.clone()), (None, None));
}

#[tokio::test]
async fn error_answers_are_typed() {
    for (status, body, expected) in [
        (404, json!({"detail": "Not Found"}), "NotFound"),
        (
            401,
            json!({"detail": "Invalid credentials"}),
            "Unauthorized",
        ),
        (403, json!({"detail": "Account not activated"}), "Forbidden"),
        (429, json!({"detail": "Blocked"}), "Blocked"),
        (503, json!({"detail": "Try later"}), "Server"),
    ] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(GET).path(PATH);
                then.status(status)
                    .header("x-lox24-request-id", REQUEST_ID)
                    .json_body(body.clone());
            })
            .await;
        let err = client(&server)
            .list_bulk_requests(&BulkId::new(UUID), &ShortLinkRequestQuery::new())
            .await
            .unwrap_err();
        assert_eq!(variant(&err), expected, "{status}: {err:?}");
        assert_eq!(
            (err.status(), err.request_id()),
            (Some(status), Some(REQUEST_ID))
        );
    }

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path(PATH);
            then.status(200).body("<html>maintenance</html>");
        })
        .await;
    let err = client(&server)
        .list_bulk_requests(&BulkId::new(UUID), &ShortLinkRequestQuery::new())
        .await
        .unwrap_err();
    assert_eq!(variant(&err), "UnexpectedResponse", "{err:?}");
    assert_eq!(err.status(), Some(200));
}

#[tokio::test]
async fn an_invalid_id_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let err = client(&server)
        .list_bulk_requests(&BulkId::new("../groups"), &ShortLinkRequestQuery::new())
        .await
        .unwrap_err();
    let lox24::Error::Validation(invalid) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(invalid.field(), "id");
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn the_filters_are_sent_under_lox24s_names() {
    let server = MockServer::start_async().await;
    let filtered = server
        .mock_async(|when, then| {
            sent_by_client(when.method(GET).path(PATH), "application/ld+json")
                .query_param("country[]", "DE")
                .query_param("country[]", "AT")
                .query_param("hardware_type", "mobile")
                .query_param("os", "Android")
                .query_param("date[gte]", "1764000000")
                .query_param("date[lte]", "1764086400")
                .query_param("_order[date]", "asc")
                .query_param_missing("browser_version")
                .query_param_missing("page");
            then.status(200).json_body(page(vec![request(1)], None));
        })
        .await;
    let at = |s| chrono::DateTime::from_timestamp(s, 0).unwrap();
    let query = ShortLinkRequestQuery::new()
        .country(lox24::number::Country::from_iso("DE").unwrap())
        .country(lox24::number::Country::from_iso("at").unwrap())
        .hardware_type_containing("mobile")
        .os_containing("Android")
        .made(at(1_764_000_000)..=at(1_764_086_400))
        .order_by_date(lox24::SortDirection::Asc);
    let read: Vec<ShortLinkRequest> = client(&server)
        .list_bulk_requests(&BulkId::new(UUID), &query)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(read.len(), 1);
    filtered.assert_async().await;
}

/// LOX24 declares `browser_version` for the account's requests and a short
/// link's, not for a campaign's: it would ignore it there and list every
/// request, so the query is refused before anything is sent.
#[tokio::test]
async fn a_filter_the_list_lacks_is_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let query = ShortLinkRequestQuery::new().browser_version_containing("131");
    let err = client(&server)
        .list_bulk_requests(&BulkId::new(UUID), &query)
        .await
        .unwrap_err();
    let lox24::Error::Validation(invalid) = &err else {
        panic!("{err:?}");
    };
    assert_eq!(invalid.field(), "browser_version");
    assert!(
        invalid.to_string().contains("GET /bulks/{id}/requests"),
        "{invalid}"
    );
    let blank = ShortLinkRequestQuery::new().referer_containing("  ");
    let err = client(&server)
        .list_bulk_requests(&BulkId::new(UUID), &blank)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, lox24::Error::Validation(v) if v.field() == "referer"),
        "{err:?}"
    );
    any.assert_calls_async(0).await;
}
