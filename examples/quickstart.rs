//! A whole campaign, offline, in a few seconds: `cargo run --example quickstart`.
//!
//! It starts the sandbox (an in-memory LOX24 on 127.0.0.1, feature
//! `sandbox`) and drives it with the real client over HTTP, exactly as it
//! would drive `https://api.lox24.eu`: it creates a group, uploads 10,000
//! generated contacts with the upload engine (two of them broken on purpose,
//! to show how every entry is accounted for), checks the text, dry-runs the
//! campaign, sends it, waits until it is processed, and prints a summary. No
//! account is needed and no SMS is sent.

use std::{
    io::Write,
    time::{Duration, Instant},
};

use lox24::{
    Column, Encoding, NewBulk, NewGroup, Outcome, PhoneEntry, Polling, Progress,
    phone::{Country, PhonePolicy},
    sandbox::{BulkTiming, Sandbox},
    text,
};

const CONTACTS: u64 = 10_000;
const FIRST_NAMES: [&str; 6] = ["Anna", "Ben", "Clara", "Deniz", "Elif", "Friedrich"];
const TEXT: &str = "Hi [Name colA], our spring sale starts today: 20% off everything until \
                    Sunday. Reply STOP to opt out.";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let sandbox = Sandbox::builder()
        .bulk_timing(BulkTiming {
            queued: Duration::from_millis(300),
            processing: Duration::from_secs(1),
        })
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
    //    as people type them: national German numbers with a space. Two are
    //    broken on purpose.
    let contacts = (0..CONTACTS).map(|i| {
        let phone = match i {
            4_321 => "0170 1234 5678 9012".to_owned(), // more digits than E.164 allows
            8_765 => "call me later".to_owned(),       // not a number at all
            _ => format!("0170 {:07}", 1_000_000 + i),
        };
        PhoneEntry::new(phone).column(Column::A, FIRST_NAMES[(i % 6) as usize])
    });
    let report = client
        .upload_phones(group.id, contacts)
        .phone_policy(PhonePolicy::Normalize(Country::from_iso("DE")))
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
    let stored = client.get_group(group.id).await?.count_items;
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
    //    nothing.
    let campaign = NewBulk::new("MyShop", TEXT).to_group(group.id);
    let preview = campaign.dry_run(&client).await?;
    println!(
        "dry run: {} messages, {:.2} EUR",
        preview.messages().unwrap_or_default(),
        preview.cost().unwrap_or_default()
    );

    // 5. Send it, and wait until LOX24 has processed it.
    let mut sent = campaign.send(&client).await?;
    println!("campaign {} sent; waiting", sent.id());
    let polling = Polling::new()
        .interval(Duration::from_millis(250))
        .timeout(Duration::from_secs(60));
    let done = sent.wait_with(&polling).await?;

    println!(
        "\ndone in {:.1} s: campaign {} is {} with {} messages for {:.2} EUR to the {} contacts of group {}",
        started.elapsed().as_secs_f64(),
        done.uuid,
        done.status_code,
        done.msg_total_count.unwrap_or_default(),
        done.msg_total_cost.unwrap_or_default(),
        summary.created,
        group.id,
    );
    sandbox.shutdown().await;
    Ok(())
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
