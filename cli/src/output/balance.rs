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

/// The currency of the account when it was read, else LOX24's euros.
pub(super) fn currency_of(account: Option<&Account>) -> &str {
    account
        .and_then(|a| a.currency.as_deref())
        .unwrap_or(super::words::CURRENCY)
}

/// Under a dry run: the balance, and whether it covers `cost`.
pub(super) fn covering(out: &mut Text, account: Option<&Account>, cost: f64) {
    let currency = currency_of(account);
    match account.and_then(|a| a.balance_amount) {
        Some(balance) if balance >= cost => field(
            out,
            "balance",
            format!("{} (covers it)", money_in(balance, currency)),
        ),
        Some(balance) => field(
            out,
            "balance",
            format!(
                "{} (does not cover it: {} more is needed)",
                money_in(balance, currency),
                money_in(cost - balance, currency)
            ),
        ),
        None => field(out, "balance", "unknown (the account could not be read)"),
    }
}
