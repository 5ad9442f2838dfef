//! Lists the campaigns of the last 30 days that are still running, page
//! after page, newest first.
//!
//! Run it with `cargo run --example list_campaigns`. It starts a mock LOX24 on
//! 127.0.0.1 (the crate's generated httpmock helpers) and talks to it over
//! HTTP: no account is needed and nothing leaves the machine.

use chrono::{Duration, Utc};
use futures_util::TryStreamExt;
use httpmock::MockServer;
use lox24::{
    Bulk, BulkId, BulkOrder, BulkQuery, BulkStatus, Client, HydraCollection, HydraView, Iri,
    SortDirection, mock::MockServerExt,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = start_mock_lox24();
    let client = Client::builder()
        .token("1234567:0123456789abcdef0123456789abcdef")
        .base_url(server.base_url())
        .build()?;

    let query = BulkQuery::new()
        .statuses([BulkStatus::New, BulkStatus::InProgress])
        .created(Utc::now() - Duration::days(30)..)
        .dry_runs(false)
        .order_by(BulkOrder::CreatedAt, SortDirection::Desc);

    // The first page is read here; the next ones as the stream is read.
    let mut campaigns = client.list_bulks(&query).await?;
    println!(
        "{} campaigns match",
        campaigns.total_items().unwrap_or_default()
    );
    while let Some(bulk) = campaigns.try_next().await? {
        println!(
            "  {} {} ({} messages)",
            bulk.uuid,
            bulk.status_code,
            bulk.msg_total_count.unwrap_or_default()
        );
    }
    Ok(())
}

/// A mock LOX24 with three campaigns on two pages.
fn start_mock_lox24() -> MockServer {
    let server = MockServer::start();
    let bulk = |n: u8, status| {
        let mut bulk = Bulk::new(
            BulkId::new(format!("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b{n:02}")),
            status,
        );
        bulk.msg_total_count = Some(u64::from(n) * 100);
        bulk
    };
    let page = |members, next: Option<&str>| HydraCollection {
        meta: Default::default(),
        members,
        total_items: Some(3),
        view: Some(HydraView {
            next: next.map(Iri::new),
            ..HydraView::default()
        }),
    };
    // What the filters look like on the wire: `status_code[]=0&status_code[]=5`
    // (added by hand: progenitor's mocks cannot express array parameters),
    // `created_at[gte]=…`, `is_dryrun=false`, `_order[created_at]=desc`.
    server.list_bulks(|when, then| {
        when.is_dryrun(false)
            .order_created_at(SortDirection::Desc)
            .page(None)
            .into_inner()
            .query_param("status_code[]", "0")
            .query_param("status_code[]", "5")
            .query_param_exists("created_at[gte]");
        then.ok(&page(
            vec![bulk(3, BulkStatus::New), bulk(2, BulkStatus::InProgress)],
            Some("/bulks?status_code%5B%5D=0&status_code%5B%5D=5&is_dryrun=false&page=2"),
        ));
    });
    server.list_bulks(|when, then| {
        when.is_dryrun(false).page(std::num::NonZeroU64::new(2));
        then.ok(&page(vec![bulk(1, BulkStatus::InProgress)], None));
    });
    server
}
