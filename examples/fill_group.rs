//! Creates a group, fills it, reads its entries back page by page and
//! exports it as CSV.
//!
//! Run it with `cargo run --example fill_group`. It starts a mock LOX24 on
//! 127.0.0.1 (the crate's generated httpmock helpers) and talks to it over
//! HTTP: no account is needed and nothing leaves the machine.

use futures_util::TryStreamExt;
use httpmock::MockServer;
use lox24::{
    BatchItem, BatchResult, Client, Column, Group, GroupId, HydraCollection, HydraView, Iri,
    NewGroup, Phone, PhoneEntry, PhoneId, mock::MockServerExt,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = start_mock_lox24();
    let client = Client::builder()
        .token("1234567:0123456789abcdef0123456789abcdef")
        .base_url(server.base_url())
        .build()?;

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
    let added = client.add_phones(group.id, &entries).await?;
    println!(
        "batch: {} stored, {} refused",
        added.created(),
        added.failed()
    );

    // 3. One more entry on its own.
    let cleo = client
        .add_phone(
            group.id,
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
    let mut phones = client.list_group_phones(group.id).await?;
    println!(
        "the group holds {} entries:",
        phones.total_items().unwrap_or_default()
    );
    while let Some(phone) = phones.try_next().await? {
        println!("  {} {}", phone.phone, phone.a.as_deref().unwrap_or(""));
    }

    // 5. The CSV export, handed over chunk by chunk as it arrives.
    let mut csv = client.export_group_csv(group.id).await?;
    let mut bytes = 0;
    while let Some(chunk) = csv.try_next().await? {
        bytes += chunk.len();
    }
    println!("exported {bytes} bytes of CSV");
    Ok(())
}

/// A mock LOX24 answering the calls above as the real one would.
fn start_mock_lox24() -> MockServer {
    let server = MockServer::start();
    let id = GroupId::new(7117);
    server.create_group(|_, then| {
        let mut group = Group::new(id, "Newsletter");
        group.name_a = Some("first name".into());
        then.created(&group);
    });
    let phone = |n: u64, number: &str, name: &str| {
        let mut phone = Phone::new(PhoneId::new(n.to_string()), number);
        phone.a = Some(name.into());
        phone
    };
    let (anna, ben, cleo) = (
        phone(1001, "+491701234567", "Anna"),
        phone(1002, "+491701234568", "Ben"),
        phone(1003, "+491701234569", "Cleo"),
    );
    server.add_phones_batch(|when, then| {
        when.id(&id);
        then.created(&BatchResult::new(vec![
            BatchItem::created(anna.clone()),
            BatchItem::created(ben.clone()),
        ]));
    });
    server.add_phone(|when, then| {
        when.id(&id);
        then.created(&cleo);
    });
    // Two pages, linked by `hydra:next`.
    let page = |members: Vec<Phone>, next: Option<&str>| HydraCollection {
        meta: Default::default(),
        members,
        total_items: Some(3),
        view: Some(HydraView {
            next: next.map(Iri::new),
            ..HydraView::default()
        }),
    };
    server.list_group_phones(|when, then| {
        when.id(&id).into_inner().query_param_missing("page");
        then.ok(&page(vec![anna, ben], Some("/groups/7117/phones?page=2")));
    });
    server.list_group_phones(|when, then| {
        when.id(&id).into_inner().query_param("page", "2");
        then.ok(&page(vec![cleo], None));
    });
    server.export_group_csv(|when, then| {
        when.id(&id);
        then.into_inner()
            .status(200)
            .header("content-type", "text/csv")
            .body(
                "id,phone,first name,col_B,col_C,col_D,col_E,callback_data\n\
                 1001,+491701234567,Anna,,,,,\n\
                 1002,+491701234568,Ben,,,,,\n\
                 1003,+491701234569,Cleo,,,,,\n",
            );
    });
    server
}
