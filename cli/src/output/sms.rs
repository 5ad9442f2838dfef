//! Single messages, and the messages of campaigns.

use std::fmt::Write as _;

use lox24::{Account, Sms};
use serde::Serialize;

use super::{
    Render, Text,
    balance::{covering, currency_of},
    field, local_time,
    table::{Table, shorten},
    words::{count, money, money_in},
};

/// One message, as LOX24 answered it (JSON: LOX24's own fields).
impl Render for Sms {
    fn human(&self, out: &mut Text) {
        let _ = writeln!(out, "message {}: {}", self.uuid, state(self));
        details(self, out);
    }
}

/// Where the message is: its delivery report once there is one, else its status.
fn state(sms: &Sms) -> String {
    match (sms.dlr_code, sms.status_code) {
        (Some(report), _) if report != lox24::DlrCode::None => report.to_string(),
        (_, Some(status)) => status.to_string(),
        _ => "unknown".to_owned(),
    }
}

fn details(sms: &Sms, out: &mut Text) {
    if let Some(phone) = &sms.phone {
        field(out, "to", phone);
    }
    if let Some(sender) = &sms.sender_id {
        field(out, "sender", sender);
    }
    if let Some(text) = sms.text.as_deref().filter(|t| !t.is_empty()) {
        field(out, "text", shorten(text, 70));
    }
    if let Some(status) = sms.status_code {
        field(out, "status", status);
    }
    if let Some(report) = sms.dlr_code {
        field(out, "report", report);
    }
    if let Some(parts) = sms.parts_count {
        field(out, "parts", parts);
    }
    if let Some(price) = sms.price {
        field(out, "price", money(price));
    }
    if let Some(data) = &sms.callback_data {
        field(out, "callback", data);
    }
    if let Some(bulk) = &sms.bulk_id {
        field(out, "campaign", bulk);
    }
    if let Some(at) = sms.delivery_at.filter(|&at| at > 0) {
        field(out, "delivery at", local_time(at));
    }
    if let Some(at) = sms.gateway_sent_at.filter(|&at| at > 0) {
        field(out, "sent", local_time(at));
    }
    if let Some(at) = sms.created_at {
        field(out, "created", local_time(at));
    }
}

/// What a message would be, and the account it would be paid from
/// (`None` when it could not be read); nothing was sent. JSON: LOX24's
/// answer alone.
#[derive(Serialize)]
#[serde(transparent)]
pub struct SmsDryRunView {
    pub sms: Sms,
    #[serde(skip)]
    pub account: Option<Account>,
}

impl Render for SmsDryRunView {
    fn human(&self, out: &mut Text) {
        let sms = &self.sms;
        let parts = match sms.parts_count {
            Some(n) => count(n, "part", "parts"),
            None => "an unknown number of parts".to_owned(),
        };
        let price = sms.price.unwrap_or_default();
        let _ = writeln!(
            out,
            "dry run: {parts} for {}; nothing was sent or charged",
            money_in(price, currency_of(self.account.as_ref()))
        );
        if let Some(chars) = sms.chars_count {
            field(out, "characters", chars);
        }
        if let Some(unicode) = sms.is_unicode {
            field(
                out,
                "encoding",
                if unicode { "Unicode" } else { "GSM 03.38" },
            );
        }
        if let Some(phone) = &sms.phone {
            field(out, "to", phone);
        }
        covering(out, self.account.as_ref(), price);
    }
}

/// Messages, newest first unless ordered otherwise.
#[derive(Serialize)]
pub struct SmsList {
    /// How many messages match, when LOX24 said.
    pub total_items: Option<u64>,
    pub messages: Vec<Sms>,
    /// Whether more messages match than were listed (`--limit`).
    pub more: bool,
}

impl Render for SmsList {
    fn human(&self, out: &mut Text) {
        if self.messages.is_empty() {
            out.push_str("no messages\n");
            return;
        }
        let mut table = Table::new(&["ID", "TO", "STATE", "CREATED", "PRICE", "CALLBACK"]);
        for sms in &self.messages {
            table.row(vec![
                sms.uuid.to_string(),
                sms.phone.clone().unwrap_or_default(),
                state(sms),
                sms.created_at.map(local_time).unwrap_or_default(),
                sms.price.map(money).unwrap_or_default(),
                shorten(sms.callback_data.as_deref().unwrap_or_default(), 36),
            ]);
        }
        table.render(out);
        super::more(out, self.more, self.messages.len(), self.total_items);
    }
}
