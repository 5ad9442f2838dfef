//! Lists the campaigns of the last 30 days that have not been sent yet or are
//! being sent, newest first, page after page, as one stream.
//!
//! Run it with `cargo run --example list_campaigns`. It starts the sandbox
//! (an in-memory LOX24 on 127.0.0.1, the crate `lox24-sandbox`), with pages
//! of two campaigns so that the stream has to follow the next-page links,
//! and talks to it over HTTP: no account is needed and no SMS is sent.

use chrono::{Duration, Utc};
use futures_util::TryStreamExt;
use lox24::{BulkOrder, BulkQuery, BulkStatus, NewBulk, SortDirection};
use lox24_sandbox::Sandbox;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::builder().page_size(2).start().await?;
    let client = sandbox.client()?;

    // Three campaigns scheduled for tomorrow (they stay new until then), and
    // one sent at once.
    let tomorrow = Utc::now() + Duration::days(1);
    for (hour, text) in [
        (9, "Good morning!"),
        (12, "Lunch offer"),
        (18, "Evening sale"),
    ] {
        let bulk = NewBulk::new("MyShop", text)
            .to_phones(["+491701234567", "+491701234568"])
            .deliver_at(tomorrow + Duration::hours(hour));
        client.create_bulk(&bulk).await?;
    }
    client
        .create_bulk(&NewBulk::new("MyShop", "Now!").to_phone("+491701234569"))
        .await?;

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
