//! Creates a group, fills it, reads its entries back page by page and
//! exports it as CSV.
//!
//! Run it with `cargo run --example fill_group`. It starts the sandbox (an
//! in-memory LOX24 on 127.0.0.1, the crate `lox24-sandbox`, serving two entries a
//! page here) and talks to it over HTTP: no account is needed and nothing
//! leaves the machine.

use futures_util::TryStreamExt;
use lox24::{Column, NewGroup, PhoneEntry};
use lox24_sandbox::Sandbox;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::builder().page_size(2).start().await?;
    let client = sandbox.client()?;

    // 1. The group, with a label for the column used in texts as [Name colA].
    let group = client
        .create_group(&NewGroup::new("Newsletter").column_name(Column::A, "first name"))
        .await?;
    println!("created group {} ({})", group.name, group.iri());

    // 2. Many entries in one request: each is stored or refused on its own.
    let entries = [
        PhoneEntry::new("+491701234567").column(Column::A, "Anna"),
        PhoneEntry::new("+491701234568").column(Column::A, "Ben"),
    ];
    let added = client.add_phones(&group.id, &entries).await?;
    println!(
        "batch: {} stored, {} refused",
        added.created(),
        added.failed()
    );

    // 3. One more entry on its own.
    let cleo = client
        .add_phone(
            &group.id,
            &PhoneEntry::new("+491701234569").column(Column::A, "Cleo"),
        )
        .await?;
    let entry = cleo
        .id
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    println!("added {} as entry {entry}", cleo.phone);

    // 4. Every entry, page after page, as a stream.
    let mut phones = client.list_group_phones(&group.id).await?;
    println!(
        "the group holds {} entries:",
        phones.total_items().unwrap_or_default()
    );
    while let Some(phone) = phones.try_next().await? {
        println!("  {} {}", phone.phone, phone.a.as_deref().unwrap_or(""));
    }

    // 5. The CSV export, handed over chunk by chunk as it arrives.
    let mut csv = client.export_group_csv(&group.id).await?;
    let mut bytes = 0;
    while let Some(chunk) = csv.try_next().await? {
        bytes += chunk.len();
    }
    println!("exported {bytes} bytes of CSV");
    Ok(())
}
