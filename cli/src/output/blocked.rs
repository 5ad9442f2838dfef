//! Numbers the account never sends to.

use std::fmt::Write as _;

use lox24::{BlockedKind, BlockedNumber};
use serde::Serialize;

use super::{Render, Text, field, local_time, table::Table};

fn kind(kind: BlockedKind) -> &'static str {
    match kind {
        BlockedKind::ByAccount => "blocked by you",
        BlockedKind::Unsubscribed => "unsubscribed",
        _ => "blocked for a reason this tool does not know",
    }
}

/// One blocked number (JSON: LOX24's own fields).
impl Render for BlockedNumber {
    fn human(&self, out: &mut Text) {
        let _ = writeln!(out, "blocked {} ({})", self.number, kind(self.kind));
        field(out, "id", self.id);
        if let Some(at) = self.added_at {
            field(out, "since", local_time(at));
        }
    }
}

/// Blocked numbers.
#[derive(Serialize)]
pub struct BlockedList {
    /// How many numbers match, when LOX24 said.
    pub total_items: Option<u64>,
    pub numbers: Vec<BlockedNumber>,
    /// Whether more numbers match than were listed (`--limit`).
    pub more: bool,
}

impl Render for BlockedList {
    fn human(&self, out: &mut Text) {
        if self.numbers.is_empty() {
            out.push_str("no blocked numbers\n");
            return;
        }
        let mut table = Table::new(&["ID", "NUMBER", "WHY", "SINCE"]);
        for entry in &self.numbers {
            table.row(vec![
                entry.id.to_string(),
                entry.number.clone(),
                kind(entry.kind).to_owned(),
                entry.added_at.map(local_time).unwrap_or_default(),
            ]);
        }
        table.render(out);
        super::more(out, self.more, self.numbers.len(), self.total_items);
    }
}
