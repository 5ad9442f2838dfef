//! Checks what a campaign will cost, sends it and waits until LOX24 has
//! processed it.
//!
//! Run it with `cargo run --example send_campaign`. It starts a mock LOX24 on
//! 127.0.0.1 (the crate's generated httpmock helpers) and talks to it over
//! HTTP: no account is needed and no SMS is sent.

use std::time::Duration;

use httpmock::MockServer;
use lox24::{
    Bulk, BulkId, BulkStatus, Client, Error, GroupId, NewBulk, Polling, mock::MockServerExt,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = start_mock_lox24();
    let client = Client::builder()
        .token("1234567:0123456789abcdef0123456789abcdef")
        .base_url(server.base_url())
        .build()?;

    let campaign = NewBulk::new("MyShop", "Hello [Name colA], our sale starts today!")
        .to_group(GroupId::new(7117))
        .to_phone("+491701234567");

    // 1. A dry run: LOX24 computes the campaign, sends nothing, charges nothing.
    let preview = campaign.dry_run(&client).await?;
    println!(
        "dry run: {} messages for {:.3} EUR",
        preview.messages().unwrap_or_default(),
        preview.cost().unwrap_or_default()
    );

    // 2. Send it, and wait (polling the status with backoff) until it is done.
    let mut sent = campaign.send(&client).await?;
    println!("campaign {} created", sent.id());
    let polling = Polling::new()
        .interval(Duration::from_millis(200))
        .timeout(Duration::from_secs(60));
    let done = sent.wait_with(&polling).await?;
    println!(
        "campaign {} is {}: {} messages",
        done.uuid,
        done.status_code,
        done.msg_total_count.unwrap_or_default()
    );

    // 3. A finished campaign cannot be cancelled; the client knows it
    //    without asking LOX24.
    match sent.cancel().await {
        Err(Error::NotCancellable(e)) => println!("as expected: {e}"),
        other => println!("unexpected: {other:?}"),
    }
    Ok(())
}

/// A mock LOX24: the campaign is processed by the time its status is asked.
fn start_mock_lox24() -> MockServer {
    let server = MockServer::start();
    let id = BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    let computed = |status| {
        let mut bulk = Bulk::new(id.clone(), status);
        bulk.msg_total_count = Some(121);
        bulk.msg_total_cost = Some(7.865);
        bulk
    };
    server.dry_run_bulk(|_, then| {
        let mut bulk = computed(BulkStatus::New);
        bulk.is_dryrun = Some(true);
        then.created(&bulk);
    });
    server.create_bulk(|_, then| {
        then.created(&computed(BulkStatus::New));
    });
    server.get_bulk_status(|when, then| {
        when.id(&id);
        then.ok(&computed(BulkStatus::Processed));
    });
    server
}
