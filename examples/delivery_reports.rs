//! Receives LOX24's webhook events on 127.0.0.1 and prints each in a line:
//! for a delivery report the message's id, its status, the network's
//! report and the callback data it was sent with.
//!
//! ```sh
//! cargo run --example delivery_reports --features webhook-receiver            # a free port, until Ctrl-C
//! cargo run --example delivery_reports --features webhook-receiver -- 8080    # or LOX24_WEBHOOK_PORT=8080
//! cargo run --example delivery_reports --features webhook-receiver -- --demo  # posts a few events to itself
//! ```
//!
//! To receive real events, make the address reachable from LOX24 (a reverse
//! proxy, a tunnel) and enter its URL in the LOX24 web account under
//! Settings → Notifications. `--demo` posts sample events to the receiver
//! over loopback instead (one of them malformed, to show the refusal), then
//! stops: no account, no network.

use std::{env, error::Error};

use lox24::webhook::{
    DeliveryReport, Event, EventId, IncomingSms, Payload, Receiver, SENDER_ADDRESSES,
};
use lox24::{DlrCode, ReplyId, SmsId, SmsStatus};

/// The variable the port may come from when no argument gives it.
const PORT_VARIABLE: &str = "LOX24_WEBHOOK_PORT";

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    // The receiver logs each refused request at WARN.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();

    let mut demo = false;
    let mut port = None;
    for argument in env::args().skip(1) {
        match argument.as_str() {
            "--demo" => demo = true,
            number => port = Some(number.parse::<u16>().map_err(|_| usage(number))?),
        }
    }
    let port = match (port, env::var(PORT_VARIABLE)) {
        (Some(port), _) => port,
        (None, Ok(text)) => text.parse().map_err(|_| usage(&text))?,
        (None, Err(_)) => 0,
    };

    let mut receiver = Receiver::bind(("127.0.0.1", port)).await?;
    println!("listening on {}", receiver.url());
    if demo {
        let url = receiver.url();
        let closer = receiver.closer();
        tokio::spawn(async move {
            if let Err(error) = post_samples(&url).await {
                eprintln!("the demo could not post: {error}");
            }
            closer.close();
        });
    } else {
        println!("LOX24 posts from {SENDER_ADDRESSES:?}; Ctrl-C to stop");
        let closer = receiver.closer();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                closer.close();
            }
        });
    }

    // Ends once closed and every event received is printed.
    while let Some(event) = receiver.recv().await {
        println!("{event}");
    }
    Ok(())
}

fn usage(given: &str) -> String {
    format!("{given:?} is not a port; usage: delivery_reports [PORT] [--demo]")
}

/// Posts what LOX24 would: two delivery reports of one message, a reply to
/// it, and a body that is not an event.
async fn post_samples(url: &str) -> Result<(), Box<dyn Error + Send + Sync>> {
    let sms = SmsId::new("d6c12ac4-cc7d-11ec-b6da-525400bbb7dc");
    let mut en_route = DeliveryReport::new(sms.clone(), DlrCode::EnRoute, SmsStatus::Sent);
    en_route.callback_data = Some("order-12345".into());
    let mut delivered = en_route.clone();
    delivered.dlr_code = DlrCode::Delivered;
    let mut reply = IncomingSms::new(
        ReplyId::new("e7d23bd5-dd8e-22fd-c7eb-636511ccc8ed"),
        "+491701234567",
        "+4915112345678",
        1653378703,
    );
    reply.text = Some("Thanks, got it".into());
    reply.msg_uuid = Some(sms);
    let events = [
        Event::new(
            EventId::new("a3cd6e19-8af2-498d-ad07-c7840f1b4ac8"),
            1653378603,
            Payload::SmsDelivery(en_route),
        ),
        Event::new(
            EventId::new("b4de7f2a-9bf3-4a9e-be18-d8951b5c5bd9"),
            1653378650,
            Payload::SmsDelivery(delivered),
        ),
        Event::new(
            EventId::new("d6ff9b42-1da5-711f-df20-f0173a4e7df1"),
            1653378703,
            Payload::SmsIncoming(reply),
        ),
    ];

    // Straight to loopback, whatever proxy the environment names.
    let http = reqwest::Client::builder().no_proxy().build()?;
    for event in &events {
        let answer = http.post(url).json(event).send().await?;
        println!("posted {}: {}", event.name(), answer.status());
    }
    let answer = http
        .post(url)
        .header("content-type", "application/json")
        .body("<html><body>Not an event</body></html>")
        .send()
        .await?;
    println!(
        "posted a page: {} {}",
        answer.status(),
        answer.text().await?.trim_end()
    );
    Ok(())
}
