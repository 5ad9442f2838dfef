//! Checks what a campaign will cost, sends it and waits until LOX24 has
//! processed it.
//!
//! Run it with `cargo run --example send_campaign`. It starts the sandbox (an
//! in-memory LOX24 on 127.0.0.1, the crate `lox24-sandbox`) and talks to it over
//! HTTP: no account is needed and no SMS is sent.

use std::time::Duration;

use lox24::{Column, Error, NewBulk, NewGroup, PhoneEntry, Polling};
use lox24_sandbox::{BulkTiming, Sandbox};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::builder()
        .bulk_timing(BulkTiming {
            queued: Duration::from_millis(200),
            processing: Duration::from_millis(500),
        })
        .start()
        .await?;
    let client = sandbox.client()?;
    let group = client
        .create_group(&NewGroup::new("Customers").phones([
            PhoneEntry::new("+491701234567").column(Column::A, "Anna"),
            PhoneEntry::new("+491701234568").column(Column::A, "Ben"),
        ]))
        .await?;

    // To the group, and to one more number.
    let campaign = NewBulk::new("MyShop", "Hello [Name colA], our sale starts today!")
        .to_group(group.id)
        .to_phone("+491701234569");

    // 1. A dry run: LOX24 computes the campaign, sends nothing, charges nothing.
    let preview = client.dry_run_bulk(&campaign).await?;
    println!(
        "dry run: {} messages for {:.3} EUR",
        preview.messages().unwrap_or_default(),
        preview.cost().unwrap_or_default()
    );

    // 2. Send it, and wait (polling the status with backoff) until it is done.
    let sent = client.create_bulk(&campaign).await?;
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
