//! Messages the account received.

use lox24::Reply;
use serde::Serialize;

use super::{
    Render, Text, local_time,
    table::{Table, shorten},
};

/// Received messages, newest first unless ordered otherwise.
#[derive(Serialize)]
pub struct ReplyList {
    /// How many messages match, when LOX24 said.
    pub total_items: Option<u64>,
    pub replies: Vec<Reply>,
    /// Whether more messages match than were listed (`--limit`).
    pub more: bool,
}

impl Render for ReplyList {
    fn human(&self, out: &mut Text) {
        if self.replies.is_empty() {
            out.push_str("no received messages\n");
            return;
        }
        let mut table = Table::new(&["ID", "FROM", "TO", "RECEIVED", "REPLY TO", "TEXT"]);
        for reply in &self.replies {
            table.row(vec![
                reply.uuid.to_string(),
                reply.from.clone().unwrap_or_default(),
                reply.to.clone().unwrap_or_default(),
                reply.received_at.map(local_time).unwrap_or_default(),
                reply
                    .msg_uuid
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                shorten(reply.text.as_deref().unwrap_or_default(), 50),
            ]);
        }
        table.render(out);
        super::more(out, self.more, self.replies.len(), self.total_items);
    }
}
