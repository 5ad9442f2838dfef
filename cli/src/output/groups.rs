//! Groups.

use std::fmt::Write as _;

use lox24::{Column, Group};

use crate::options::letter;
use serde::Serialize;

use super::{
    Render, Text, field,
    table::{Table, shorten},
};

/// One group, as LOX24 answered it (JSON: LOX24's own fields).
impl Render for Group {
    fn human(&self, out: &mut Text) {
        let _ = writeln!(out, "group {}: {}", self.id, self.name);
        if let Some(description) = self.description.as_deref().filter(|d| !d.is_empty()) {
            field(out, "description", description);
        }
        field(out, "entries", self.count_items);
        let columns = column_names(self);
        if !columns.is_empty() {
            field(out, "columns", columns);
        }
        if let Some(at) = self.deleted_at {
            field(out, "deleted at", at);
        }
    }
}

/// `a = first name, c = city`.
fn column_names(group: &Group) -> String {
    Column::ALL
        .iter()
        .filter_map(|&c| {
            group
                .column_name(c)
                .map(|name| format!("{} = {name}", letter(c)))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A page (or all) of the account's groups.
#[derive(Serialize)]
pub struct GroupList {
    /// How many groups the account has, when LOX24 said.
    pub total_items: Option<u64>,
    pub groups: Vec<Group>,
    /// Whether more groups exist than were listed (`--limit`).
    pub more: bool,
}

impl Render for GroupList {
    fn human(&self, out: &mut Text) {
        if self.groups.is_empty() {
            out.push_str("no groups\n");
            return;
        }
        let mut table = Table::new(&["ID", "ENTRIES", "NAME", "DESCRIPTION"]);
        for g in &self.groups {
            table.row(vec![
                g.id.to_string(),
                g.count_items.to_string(),
                shorten(&g.name, 50),
                shorten(g.description.as_deref().unwrap_or_default(), 40),
            ]);
        }
        table.render(out);
        if self.more {
            let total = self
                .total_items
                .map(|t| format!(" of {t}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "({} shown{total}; --limit N or --all for more)",
                self.groups.len()
            );
        }
    }
}

/// What a delete removed.
#[derive(Serialize)]
pub struct Deleted {
    pub deleted: &'static str,
    pub id: String,
}

impl Render for Deleted {
    fn human(&self, out: &mut Text) {
        let _ = writeln!(out, "deleted {} {}", self.deleted, self.id);
    }
}
