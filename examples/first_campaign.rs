//! Creates a group, adds phones to it and sends a bulk campaign to it.
//!
//! Run it with `cargo run --example first_campaign --features mock`. With no arguments it
//! starts a mock LOX24 on 127.0.0.1 (from the crate's generated httpmock
//! helpers) and talks to it over HTTP, so it needs no account and sends no
//! SMS. With `LOX24_TOKEN` set and `--live`, it uses the real API instead.

use httpmock::MockServer;
use lox24::{
    BatchItem, BatchResult, Bulk, BulkId, BulkStatus, Client, Column, Group, GroupId, ItemProblem,
    NewBulk, NewGroup, Phone, PhoneEntry, PhoneId, mock::MockServerExt,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let live = std::env::args().any(|a| a == "--live");
    let mock = (!live).then(start_mock_lox24);
    let client = match &mock {
        Some(server) => Client::builder()
            .token("1234567:0123456789abcdef0123456789abcdef")
            .base_url(server.base_url())
            .build()?,
        None => Client::from_env()?,
    };
    println!("talking to {}", client.base_url());

    let group = client
        .create_group(
            &NewGroup::new("Newsletter")
                .description("Customers who asked for news")
                .column_name(Column::A, "first name"),
        )
        .await?;
    println!("created group {} ({})", group.name, group.iri());

    let entries = [
        PhoneEntry::new("+491701234567").column(Column::A, "Anna"),
        PhoneEntry::new("+491701234568").column(Column::A, "Ben"),
        PhoneEntry::new("+49 not a number").column(Column::A, "Cleo"),
    ];
    let added = client.add_phones(&group.id, &entries).await?;
    for (entry, item) in entries.iter().zip(&added.items) {
        match &item.result {
            Ok(phone) => {
                let id = phone
                    .id
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                println!("  {} stored as entry {id}", entry.phone)
            }
            Err(problem) => println!(
                "  {} refused ({}): {}",
                entry.phone,
                item.status,
                problem.message()
            ),
        }
    }

    let campaign = client
        .create_bulk(
            &NewBulk::new("MyShop", "Hello [Name colA], our sale starts today!").to_group(group.id),
        )
        .await?;
    let bulk = campaign
        .last_known()
        .expect("create_bulk keeps the campaign as created");
    println!(
        "campaign {} is {:?}: {} messages for {:.3} EUR",
        bulk.uuid,
        bulk.status_code,
        bulk.msg_total_count.unwrap_or_default(),
        bulk.msg_total_cost.unwrap_or_default()
    );

    // Inputs are checked before anything is sent.
    let err = client
        .create_bulk(&NewBulk::new("My-Shop!", "Hi").to_group(group.id))
        .await
        .unwrap_err();
    println!("refused before sending: {err}");
    Ok(())
}

/// A mock LOX24 that answers the three calls above as the real one would.
fn start_mock_lox24() -> MockServer {
    let server = MockServer::start();
    let group_id = GroupId::new(7117);
    server.create_group(|_, then| {
        let mut group = Group::new(group_id, "Newsletter");
        group.description = Some("Customers who asked for news".into());
        group.name_a = Some("first name".into());
        group.jsonld.id = Some(lox24::Iri::of(&group_id));
        then.created(&group);
    });
    server.add_phones_batch(|when, then| {
        when.id(&group_id);
        let mut problem = ItemProblem::default();
        problem.detail = Some("phone: This value is not a valid phone number.".into());
        then.created(&BatchResult::new(vec![
            BatchItem::created(Phone::new(PhoneId::new("1001"), "+491701234567")),
            BatchItem::created(Phone::new(PhoneId::new("1002"), "+491701234568")),
            BatchItem::failed(400, problem),
        ]));
    });
    server.create_bulk(|_, then| {
        let mut bulk = Bulk::new(
            BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11"),
            BulkStatus::New,
        );
        bulk.msg_total_count = Some(2);
        bulk.msg_total_cost = Some(0.13);
        then.created(&bulk);
    });
    server
}
