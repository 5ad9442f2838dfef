//! The account: balance, currency, services.

use std::fmt::Write as _;

use lox24::Account;

use super::{Render, Text, field, local_time, words::money_in};

/// The account, as LOX24 answered it (JSON: LOX24's own fields).
impl Render for Account {
    fn human(&self, out: &mut Text) {
        let currency = self.currency.as_deref().unwrap_or(super::words::CURRENCY);
        match self.balance_amount {
            Some(balance) => {
                let _ = writeln!(out, "balance: {}", money_in(balance, currency));
            }
            None => out.push_str("balance: not given by LOX24\n"),
        }
        if let Some(id) = self.id {
            field(out, "customer", id);
        }
        if let Some(at) = self.balance_changed_at {
            field(out, "changed", local_time(at));
        }
        if !self.services.is_empty() {
            field(out, "services", self.services.join(", "));
        }
        field(out, "groups", self.groups.len());
    }
}
