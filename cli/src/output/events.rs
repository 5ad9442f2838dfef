//! Webhook events, one line each.

use lox24::webhook::Event;
use serde::Serialize;

use super::{Render, Text};

/// One event: its summary line, or with `--json` LOX24's JSON on one line.
#[derive(Serialize)]
#[serde(transparent)]
pub struct EventLine(pub Event);

impl Render for EventLine {
    fn human(&self, out: &mut Text) {
        out.push_str(&self.0.to_string());
        out.push('\n');
    }
}
