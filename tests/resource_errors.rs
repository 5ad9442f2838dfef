//! Every error status on every operation of the campaign workflow: each maps
//! to its variant with the status, the request id and the server's message.

mod common;

use std::{future::Future, pin::Pin};

use chrono::Utc;
use common::{REQUEST_ID, TOKEN, variant};
use futures_util::TryStreamExt;
use httpmock::MockServer;
use lox24::{BulkId, BulkQuery, Client, Error, GroupId, NewBulk, NewGroup, PhoneEntry, PhoneId};
use serde_json::json;

type Call = fn(Client) -> Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

const UUID: &str = "0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11";

/// One call per new operation, each reading its whole answer.
fn operations() -> Vec<(&'static str, Call)> {
    vec![
        ("list_groups", |c| {
            Box::pin(async move {
                c.list_groups()
                    .await?
                    .try_collect::<Vec<_>>()
                    .await
                    .map(drop)
            })
        }),
        ("get_group", |c| {
            Box::pin(async move { c.get_group(&GroupId::new(7)).await.map(drop) })
        }),
        ("update_group", |c| {
            Box::pin(async move {
                c.update_group(&GroupId::new(7), &NewGroup::new("VIP"))
                    .await
                    .map(drop)
            })
        }),
        ("delete_group", |c| {
            Box::pin(async move { c.delete_group(&GroupId::new(7)).await })
        }),
        ("list_group_phones", |c| {
            Box::pin(async move {
                c.list_group_phones(&GroupId::new(7))
                    .await?
                    .try_collect::<Vec<_>>()
                    .await
                    .map(drop)
            })
        }),
        ("export_group_csv", |c| {
            Box::pin(async move {
                c.export_group_csv(&GroupId::new(7))
                    .await?
                    .try_collect::<Vec<_>>()
                    .await
                    .map(drop)
            })
        }),
        ("add_phone", |c| {
            Box::pin(async move {
                c.add_phone(&GroupId::new(7), &PhoneEntry::new("+491701234567"))
                    .await
                    .map(drop)
            })
        }),
        ("get_phone", |c| {
            Box::pin(async move { c.get_phone(&PhoneId::new("981")).await.map(drop) })
        }),
        ("update_phone", |c| {
            Box::pin(async move {
                c.update_phone(&PhoneId::new("981"), &PhoneEntry::new("+491701234567"))
                    .await
                    .map(drop)
            })
        }),
        ("delete_phone", |c| {
            Box::pin(async move { c.delete_phone(&PhoneId::new("981")).await })
        }),
        ("dry_run_bulk", |c| {
            Box::pin(async move {
                let bulk = NewBulk::new("Shop", "Hi")
                    .to_group(GroupId::new(7))
                    .deliver_at(Utc::now() + chrono::Duration::days(1));
                c.dry_run_bulk(&bulk).await.map(drop)
            })
        }),
        ("list_bulks", |c| {
            Box::pin(async move {
                c.list_bulks(&BulkQuery::new().dry_runs(true))
                    .await?
                    .try_collect::<Vec<_>>()
                    .await
                    .map(drop)
            })
        }),
        ("get_bulk", |c| {
            Box::pin(async move { c.get_bulk(&BulkId::new(UUID)).await.map(drop) })
        }),
        ("get_bulk_status", |c| {
            Box::pin(async move { c.campaign(&BulkId::new(UUID)).status().await.map(drop) })
        }),
        ("cancel_bulk", |c| {
            Box::pin(async move { c.cancel_bulk(&BulkId::new(UUID)).await.map(drop) })
        }),
        ("delete_bulk", |c| {
            Box::pin(async move { c.delete_bulk(&BulkId::new(UUID)).await })
        }),
    ]
}

#[tokio::test]
async fn every_error_status_of_every_operation_maps_to_its_variant() {
    let statuses = [
        (400, "InvalidInput"),
        (401, "Unauthorized"),
        (402, "InsufficientFunds"),
        (403, "Forbidden"),
        (404, "NotFound"),
        (422, "Unprocessable"),
        (429, "Blocked"),
        (500, "Server"),
        (502, "Server"),
        (503, "Server"),
        (504, "Server"),
        (418, "UnexpectedResponse"),
    ];
    for (status, expected) in statuses {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.any_request();
                then.status(status)
                    .header("content-type", "application/problem+json")
                    .header("x-lox24-request-id", REQUEST_ID)
                    .json_body(json!({
                        "title": "An error occurred",
                        "detail": format!("refused with {status}")
                    }));
            })
            .await;
        for (operation, call) in operations() {
            // A client per call: a client may hold back requests after a 401.
            let client = Client::builder()
                .token(TOKEN)
                .base_url(server.base_url())
                .http_client(reqwest::Client::builder())
                .retry(lox24::RetryPolicy::none())
                .build()
                .unwrap();
            let error = call(client).await.expect_err(operation);
            let expected = match (operation, status) {
                // LOX24 refuses to cancel a finished campaign with 400 or 422.
                ("cancel_bulk", 400 | 422) => "NotCancellable",
                // A POST that creates something may have been carried out.
                ("add_phone", 500 | 502 | 504) => "Ambiguous(Server)",
                _ => expected,
            };
            assert_eq!(variant(&error), expected, "{operation} answered {status}");
            assert_eq!(error.status(), Some(status), "{operation}");
            assert_eq!(error.request_id(), Some(REQUEST_ID), "{operation}");
            if expected != "UnexpectedResponse" {
                let message = error.api_error().and_then(|e| e.message());
                assert_eq!(
                    message,
                    Some(format!("refused with {status}").as_str()),
                    "{operation}"
                );
            }
        }
    }
}
