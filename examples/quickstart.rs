//! A whole campaign, offline, in a few seconds: `cargo run --example quickstart --features webhook-receiver`.
//!
//! It starts the sandbox (an in-memory LOX24 on 127.0.0.1, the crate
//! `lox24-sandbox`) and drives it with the real client over HTTP, exactly as it
//! would drive `https://api.lox24.eu`: it creates a group, uploads 10,000
//! generated contacts with the upload engine (two of them broken on purpose,
//! to show how every entry is accounted for), checks the text, dry-runs the
//! campaign and checks that the balance covers it, sends it, waits until it
//! is processed, and receives each message's delivery report on a webhook
//! receiver, tied back to the contact by its callback data. No account is
//! needed and no SMS is sent.

use std::{
    io::Write,
    time::{Duration, Instant},
};

use lox24::{
    Column, DlrCode, Encoding, NewBulk, NewGroup, PhoneEntry, Polling,
    number::{Country, PhonePolicy},
    text,
    upload::{Outcome, Progress},
    webhook::{Payload, Receiver},
};
use lox24_sandbox::{BulkTiming, MessageTiming, Sandbox};

const CONTACTS: u64 = 10_000;
const FIRST_NAMES: [&str; 6] = ["Anna", "Ben", "Clara", "Deniz", "Elif", "Friedrich"];
const TEXT: &str = "Hi [Name colA], our spring sale starts today: 20% off everything until \
                    Sunday. Reply STOP to opt out.";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    // Where LOX24 posts its events (here: the sandbox, over loopback). Room
    // for every report, since they are read only once the campaign is done.
    let mut receiver = Receiver::builder()
        .capacity(CONTACTS as usize)
        .bind("127.0.0.1:0")
        .await?;
    let sandbox = Sandbox::builder()
        .bulk_timing(BulkTiming {
            queued: Duration::from_millis(300),
            processing: Duration::from_secs(1),
        })
        .message_timing(MessageTiming {
            sending: Duration::from_millis(200),
            delivery: Duration::from_millis(500),
        })
        .balance(1_000.0)
        .webhook(receiver.url())
        .start()
        .await?;
    // The same `Client` as for the real API; only the base URL differs.
    let client = sandbox.client()?;
    println!("sandbox LOX24 at {}", client.base_url());

    // 1. A group, with a name for the column the text uses.
    let group = client
        .create_group(&NewGroup::new("Spring sale").column_name(Column::A, "first name"))
        .await?;
    println!("created group {:?} ({})", group.name, group.iri());

    // 2. Contacts, generated lazily (the engine never holds them all), written
    //    as people type them: national German numbers with a space, and the
    //    customer's number as callback data, which each delivery report
    //    carries back. Two are broken on purpose.
    let contacts = (0..CONTACTS).map(|i| {
        let phone = match i {
            4_321 => "0170 1234 5678 9012".to_owned(), // too long for a German mobile
            8_765 => "call me later".to_owned(),       // not a number at all
            _ => format!("0170 {:07}", 1_000_000 + i),
        };
        PhoneEntry::new(phone)
            .column(Column::A, FIRST_NAMES[(i % 6) as usize])
            .callback_data(format!("customer-{i}"))
    });
    let report = client
        .upload_phones(&group.id, contacts)
        .phone_policy(PhonePolicy::Normalize(Country::from_iso("DE").ok()))
        .on_progress(show_progress)
        .await;
    println!();
    let summary = report.summary();
    println!(
        "uploaded: {} created, {} rejected, {} not sent, {} unknown (of {})",
        summary.created,
        summary.rejected,
        summary.not_sent,
        summary.unknown,
        summary.total()
    );
    for (index, outcome) in report.entries() {
        if let Outcome::Rejected { phone, reason } = &*outcome {
            println!("  entry {index} ({phone:?}) rejected: {}", reason.message());
        }
    }
    if let Some(error) = report.error() {
        return Err(format!("the upload stopped: {error}").into());
    }
    // Nothing lost, nothing twice: the group holds exactly the created entries.
    let stored = client.get_group(&group.id).await?.count_items;
    println!("the group holds {stored} entries");
    if stored != summary.created {
        return Err(format!("{stored} stored, {} reported created", summary.created).into());
    }

    // 3. The text, checked before anything is sent: encoding, parts, and the
    //    longest message a first name makes of it.
    let analysis = text::analyze(TEXT, Encoding::Auto);
    analysis.check()?;
    let longest = FIRST_NAMES
        .iter()
        .map(|name| analysis.personalize(|_| Some(name)))
        .max_by_key(|measure| measure.units())
        .unwrap_or_else(|| analysis.measure());
    let alphabet = match longest.alphabet() {
        text::Alphabet::Gsm7 => "GSM 03.38",
        text::Alphabet::Ucs2 => "UCS-2",
    };
    println!(
        "text: {alphabet}, {} placeholder(s); personalised up to {} characters = {} SMS part(s)",
        analysis.placeholders().len(),
        longest.units(),
        longest.parts()
    );

    // 4. A dry run: LOX24 computes recipients, messages and cost, and sends
    //    nothing. The account's balance must cover the cost.
    let campaign = NewBulk::new("MyShop", TEXT).to_group(group.id);
    let preview = client.dry_run_bulk(&campaign).await?;
    let cost = preview.cost().unwrap_or_default();
    let account = client.account().await?;
    let currency = account.currency.as_deref().unwrap_or("EUR");
    println!(
        "dry run: {} messages, {cost:.2} {currency}; balance {:.2} {currency}",
        preview.messages().unwrap_or_default(),
        account.balance_amount.unwrap_or_default(),
    );
    if !account.covers(cost) {
        return Err("the balance does not cover the campaign".into());
    }

    // 5. Send it, and wait until LOX24 has processed it.
    let sent = client.create_bulk(&campaign).await?;
    println!("campaign {} sent; waiting", sent.id());
    let polling = Polling::new()
        .interval(Duration::from_millis(250))
        .timeout(Duration::from_secs(60));
    let done = sent.wait_with(&polling).await?;

    let messages = done.msg_total_count.unwrap_or_default();
    println!(
        "campaign {} is {} with {messages} messages for {:.2} {currency}",
        done.uuid,
        done.status_code,
        done.msg_total_cost.unwrap_or_default(),
    );

    // 6. Delivery reports, as LOX24 posts them: one per message, each with
    //    the callback data of its contact. (The sandbox decides by a
    //    number's last digit: 8 expires, 6 is rejected.)
    let mut tally = Tally::default();
    while tally.reports < messages {
        let event = tokio::time::timeout(Duration::from_secs(30), receiver.recv())
            .await
            .map_err(|_| format!("{} of {messages} delivery reports arrived", tally.reports))?
            .ok_or("the receiver stopped")?;
        // LOX24 reports each change; only the last one of a message counts.
        if let Payload::SmsDelivery(report) = &event.payload
            && report.is_final()
        {
            tally.add(report.dlr_code, report.callback_data.as_deref());
        }
    }
    println!(
        "delivery reports: {} delivered, {} expired, {} rejected, {} not sent; first failed: {}",
        tally.delivered,
        tally.expired,
        tally.rejected,
        tally.not_sent,
        tally.first_failed.as_deref().unwrap_or("none"),
    );
    println!(
        "\ndone in {:.1} s: {} contacts of group {}, every message accounted for",
        started.elapsed().as_secs_f64(),
        summary.created,
        group.id,
    );
    receiver.shutdown().await;
    sandbox.shutdown().await;
    Ok(())
}

/// The final delivery reports, counted.
#[derive(Default)]
struct Tally {
    reports: u64,
    delivered: u64,
    expired: u64,
    rejected: u64,
    /// Never reached a network (blocked, a landline, no credit …).
    not_sent: u64,
    /// The callback data of the first message that was not delivered.
    first_failed: Option<String>,
}

impl Tally {
    fn add(&mut self, code: DlrCode, callback_data: Option<&str>) {
        self.reports += 1;
        match code {
            DlrCode::Delivered => self.delivered += 1,
            DlrCode::Expired => self.expired += 1,
            DlrCode::Rejected => self.rejected += 1,
            _ => self.not_sent += 1,
        }
        if code != DlrCode::Delivered && self.first_failed.is_none() {
            self.first_failed = callback_data.map(str::to_owned);
        }
    }
}

/// One line, rewritten as the upload goes.
fn show_progress(progress: &Progress) {
    let total = progress.total.map_or("?".to_owned(), |t| t.to_string());
    print!(
        "\ruploading: {}/{total} done, {} rejected, {} in flight   ",
        progress.done, progress.rejected, progress.in_flight
    );
    let _ = std::io::stdout().flush();
}
