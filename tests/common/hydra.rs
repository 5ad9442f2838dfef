//! Collections as LOX24 writes them: Hydra pages linked by `hydra:next`
//! (JSON-LD) and bare arrays (plain JSON).

use std::future::Future;

use httpmock::{Method::GET, Mock, MockServer};
use lox24::{Client, Error, Listing};
use serde_json::{Value, json};

use super::{
    REQUEST_ID, client,
    raw_server::{RawServer, Reply},
    read_all, sent_by_client,
};

/// One JSON-LD page of the collection at `path`: its `members`, `total` in
/// all, and `next` on every page but the last.
pub fn page(path: &str, members: Vec<Value>, total: u64, next: Option<&str>) -> Value {
    let mut view = json!({"@id": path, "@type": "hydra:PartialCollectionView"});
    if let Some(next) = next {
        view["hydra:next"] = json!(next);
    }
    json!({
        "@context": "/contexts/Collection", "@id": path, "@type": "hydra:Collection",
        "hydra:member": members, "hydra:totalItems": total, "hydra:view": view
    })
}

/// Serves the collection at `path` as two JSON-LD pages, `first` and then
/// `second` at `{path}?page=2`, each only to a request with the client's
/// headers and `Accept: application/ld+json`. Read to the end, each mock is
/// called once.
pub async fn two_pages<'a>(
    server: &'a MockServer,
    path: &str,
    first: Vec<Value>,
    second: Vec<Value>,
) -> [Mock<'a>; 2] {
    let total = (first.len() + second.len()) as u64;
    let next = format!("{path}?page=2");
    let first = server
        .mock_async(|when, then| {
            sent_by_client(when.method(GET).path(path), "application/ld+json")
                .query_param_missing("page")
                .header_missing("content-type");
            then.status(200)
                .header("content-type", "application/ld+json; charset=utf-8")
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(page(path, first, total, Some(&next)));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            sent_by_client(when.method(GET).path(path), "application/ld+json")
                .query_param("page", "2");
            then.status(200)
                .header("content-type", "application/ld+json")
                .json_body(page(&next, second, total, None));
        })
        .await;
    [first, second]
}

/// Serves `path` as [`two_pages`], lists it with `list` on a client of its
/// own and returns every item read, once each page was requested once.
pub async fn read_two_pages<T, Fut>(
    path: &str,
    first: Vec<Value>,
    second: Vec<Value>,
    list: impl FnOnce(Client) -> Fut,
) -> Vec<T>
where
    T: serde::de::DeserializeOwned + Send + 'static,
    Fut: Future<Output = Result<Listing<T>, Error>>,
{
    let server = MockServer::start_async().await;
    let pages = two_pages(&server, path, first, second).await;
    let read = read_all(list(client(&server)).await).await;
    for mock in pages {
        mock.assert_calls_async(1).await;
    }
    read
}

/// Serves the collection at `path` as plain JSON, a bare array, as a proxy
/// that drops `Accept` would pass it on.
pub async fn bare_array<'a>(server: &'a MockServer, path: &str, members: Vec<Value>) -> Mock<'a> {
    server
        .mock_async(|when, then| {
            when.method(GET).path(path);
            then.status(200)
                .header("content-type", "application/json")
                .json_body(Value::Array(members));
        })
        .await
}

/// A raw server that answers every request with an empty JSON-LD page of
/// `path`, to read the requests of a list byte for byte.
pub async fn empty_pages(path: &str) -> RawServer {
    let body = page(path, vec![], 0, None).to_string();
    RawServer::start(Reply::http(
        "200 OK",
        &[("content-type", "application/ld+json")],
        &body,
    ))
    .await
}
