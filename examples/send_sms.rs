//! Sends one SMS and follows it until its delivery report is final, then
//! reads the recipient's reply.
//!
//! Run it with `cargo run --example send_sms`. It starts the sandbox (an
//! in-memory LOX24 on 127.0.0.1, the crate `lox24-sandbox`) and talks to it
//! over HTTP: no account is needed and no SMS is sent.

use std::time::Duration;

use futures_util::TryStreamExt;
use lox24::{
    Error, NewSms, Polling, ReplyQuery,
    number::{Country, PhonePolicy},
};
use lox24_sandbox::{MessageTiming, Sandbox};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::builder()
        .message_timing(MessageTiming {
            sending: Duration::from_millis(300),
            delivery: Duration::from_millis(700),
        })
        // The recipient answers once the message is delivered.
        .auto_reply("4567", "Thanks, see you on Friday")
        .start()
        .await?;
    let client = sandbox.client()?;

    // 1. Checked before anything is sent: a sender of letters has at most 11.
    let wrong = NewSms::new("MyShopOnline", "Hello", "+491701234567");
    match client.send_sms(&wrong).await {
        Err(Error::Validation(error)) => println!("refused before sending: {error}"),
        other => return Err(format!("expected a refusal, got {other:?}").into()),
    }

    // 2. The message: a German number as people write it, read in Germany,
    //    and an order number that comes back with each delivery report.
    let sms = NewSms::new(
        "MyShop",
        "Your order 12345 ships on Friday.",
        "0170 1234567",
    )
    .phone_policy(PhonePolicy::Normalize(Country::from_iso("DE").ok()))
    .callback_data("order-12345");

    // 3. A dry run: parts and price, nothing sent or charged.
    let preview = client.dry_run_sms(&sms).await?;
    let price = preview.price.unwrap_or_default();
    let account = client.account().await?;
    println!(
        "dry run: {} part(s), {} characters, {price:.3} EUR; balance {:.2} EUR covers it: {}",
        preview.parts_count.unwrap_or_default(),
        preview.chars_count.unwrap_or_default(),
        account.balance_amount.unwrap_or_default(),
        account.covers(price),
    );

    // 4. Send it, then ask for its state until the delivery report is final.
    let sent = client.send_sms(&sms).await?;
    println!(
        "sent {} to {}: {}",
        sent.uuid,
        sent.phone.as_deref().unwrap_or("?"),
        show(sent.status_code)
    );
    let polling = Polling::new()
        .interval(Duration::from_millis(200))
        .timeout(Duration::from_secs(30));
    let settled = client.wait_for_sms(&sent.uuid, &polling).await?;
    println!(
        "final: {}, report {}, callback data {:?}",
        show(settled.status_code),
        show(settled.dlr_code),
        settled.callback_data.as_deref().unwrap_or(""),
    );

    // 5. The recipient's reply, tied to the message it answers.
    let mut replies = client
        .list_replies(&ReplyQuery::new().replying_to(&sent.uuid))
        .await?;
    while let Some(reply) = replies.try_next().await? {
        println!(
            "reply from {}: {:?}",
            reply.from.as_deref().unwrap_or("?"),
            reply.text.as_deref().unwrap_or("")
        );
    }

    sandbox.shutdown().await;
    Ok(())
}

/// A status or report code as text, `-` while there is none.
fn show(code: Option<impl std::fmt::Display>) -> String {
    code.map_or_else(|| "-".to_owned(), |code| code.to_string())
}
