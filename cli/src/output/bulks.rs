//! Campaigns.

use std::fmt::Write as _;

use lox24::{Account, Bulk};
use serde::Serialize;

use super::{
    Render, Text,
    balance::{covering, currency_of},
    field, local_time,
    table::{Table, shorten},
    words::{CURRENCY, count, money, money_in},
};

/// One campaign, as LOX24 answered it (JSON: LOX24's own fields).
impl Render for Bulk {
    fn human(&self, out: &mut Text) {
        let _ = writeln!(out, "campaign {}: {}", self.uuid, self.status_code);
        details(self, out, CURRENCY);
    }
}

fn details(bulk: &Bulk, out: &mut Text, currency: &str) {
    if let Some(sender) = &bulk.sender_id {
        field(out, "sender", sender);
    }
    if let Some(text) = &bulk.text {
        field(out, "text", shorten(text, 70));
    }
    let recipients = recipients(bulk);
    if !recipients.is_empty() {
        field(out, "to", recipients);
    }
    if let Some(count) = bulk.msg_total_count {
        field(out, "messages", count);
    }
    if let Some(cost) = bulk.msg_total_cost {
        field(out, "cost", money_in(cost, currency));
    }
    if let Some(at) = bulk.delivery_at.filter(|&at| at > 0) {
        field(out, "delivery at", local_time(at));
    }
    if let Some(at) = bulk.created_at {
        field(out, "created", local_time(at));
    }
    if let Some(at) = bulk.processed_at {
        field(out, "changed", local_time(at));
    }
}

/// `2 numbers, groups 7, 9`.
fn recipients(bulk: &Bulk) -> String {
    let mut parts = Vec::new();
    match bulk.phones.as_deref().unwrap_or_default() {
        [] => {}
        [one] => parts.push(one.clone()),
        many => parts.push(format!("{} numbers", many.len())),
    }
    match bulk.msg_groups.as_deref().unwrap_or_default() {
        [] => {}
        [one] => parts.push(format!("group {one}")),
        many => parts.push(format!(
            "groups {}",
            many.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
    parts.join(", ")
}

/// What a campaign would be, and the account it would be paid from
/// (`None` when it could not be read); nothing was sent. JSON: LOX24's
/// answer alone.
#[derive(Serialize)]
#[serde(transparent)]
pub struct DryRunView {
    pub bulk: Bulk,
    #[serde(skip)]
    pub account: Option<Account>,
}

impl Render for DryRunView {
    fn human(&self, out: &mut Text) {
        let bulk = &self.bulk;
        let messages = match bulk.msg_total_count {
            Some(n) => count(n, "message", "messages"),
            None => "an unknown number of messages".to_owned(),
        };
        let cost = bulk.msg_total_cost.unwrap_or_default();
        let currency = currency_of(self.account.as_ref());
        let _ = writeln!(
            out,
            "dry run: {messages} for {}; nothing was sent or charged",
            money_in(cost, currency)
        );
        details(bulk, out, currency);
        covering(out, self.account.as_ref(), cost);
    }
}

/// Campaigns, newest first unless ordered otherwise.
#[derive(Serialize)]
pub struct BulkList {
    /// How many campaigns match, when LOX24 said.
    pub total_items: Option<u64>,
    pub bulks: Vec<Bulk>,
    /// Whether more campaigns match than were listed (`--limit`).
    pub more: bool,
}

impl Render for BulkList {
    fn human(&self, out: &mut Text) {
        if self.bulks.is_empty() {
            out.push_str("no campaigns\n");
            return;
        }
        let mut table = Table::new(&["ID", "STATUS", "CREATED", "MESSAGES", "COST", "TEXT"]);
        for b in &self.bulks {
            let mut status = b.status_code.describe().to_owned();
            if b.is_dryrun == Some(true) {
                status.push_str(" (dry run)");
            }
            table.row(vec![
                b.uuid.to_string(),
                status,
                b.created_at.map(local_time).unwrap_or_default(),
                b.msg_total_count.map(|c| c.to_string()).unwrap_or_default(),
                b.msg_total_cost.map(money).unwrap_or_default(),
                shorten(b.text.as_deref().unwrap_or_default(), 40),
            ]);
        }
        table.render(out);
        super::more(out, self.more, self.bulks.len(), self.total_items);
    }
}
