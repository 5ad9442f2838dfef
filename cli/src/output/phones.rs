//! The summary of `phones import`.

use std::fmt::Write as _;

use lox24::{GroupId, upload::Stop};
use serde::Serialize;

use super::{Render, Text, field, words::count};

/// How many rows of the file ended how, and where to look for more.
///
/// Every row read is counted once: `created + rejected + unreadable +
/// repeated + not_sent + unknown == rows`. With `--resume` the counts cover
/// the whole file, rows settled by the earlier runs included.
#[derive(Debug, Serialize)]
pub struct ImportSummary {
    pub group: GroupId,
    /// The file, as given (`-` for stdin).
    pub input: String,
    /// Data rows read (blank lines are no rows).
    pub rows: u64,
    pub created: u64,
    /// Refused by the checks before sending or by LOX24.
    pub rejected: u64,
    /// Rows that could not be read (not UTF-8, a wrong number of fields).
    pub unreadable: u64,
    /// Rows not sent because their number is that of an earlier row.
    pub repeated: u64,
    /// The first of them (at most `repeats::LISTED`, 100), by line.
    pub repeats: Vec<RepeatView>,
    pub not_sent: u64,
    /// Sent, but whether LOX24 stored them is not known.
    pub unknown: u64,
    /// With exactly-once (the default): what reconciling against the group
    /// settled; `None` with `--no-exactly-once`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reconciled: Option<ReconciledView>,
    /// The import stopped before reading the whole file; the rows after
    /// those counted were not sent either.
    pub rest_unread: bool,
    /// Of every request of the import (and of the runs it resumes).
    pub request_ids: Vec<String>,
    /// The rejected-rows file, when rows were rejected or unreadable.
    pub rejected_file: Option<String>,
    /// The report, when one was written.
    pub report_file: Option<String>,
    /// Why the import stopped before the end, if it did.
    pub stopped: Option<StopView>,
    /// What sends the rest, when rows are left.
    pub resume: Option<String>,
    /// The process's exit status.
    pub exit_status: u8,
}

/// A repeated row: its line, and the line of the first row with its number.
#[derive(Debug, Serialize)]
pub struct RepeatView {
    pub line: u64,
    pub first_line: u64,
}

/// Repeated rows the human summary names; `--json` lists more.
const REPEATS_SHOWN: usize = 3;

/// Rows whose fate was unknown, settled by reading the group.
#[derive(Debug, Serialize)]
pub struct ReconciledView {
    /// `found + missing`.
    pub settled: u64,
    /// Found in the group: created after all.
    pub found: u64,
    /// Not in the group: sent again.
    pub missing: u64,
    /// Reconciliations run.
    pub rounds: u32,
}

/// Why an import stopped.
#[derive(Debug, Serialize)]
pub struct StopView {
    /// `error` or `cancelled`.
    pub by: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl StopView {
    pub fn of(stop: &Stop) -> Self {
        match stop {
            Stop::Error(failure) => Self {
                by: "error",
                message: failure.message.clone(),
                status: failure.status,
                request_id: failure.request_id.clone(),
            },
            _ => Self {
                by: "cancelled",
                message: "cancelled".to_owned(),
                status: None,
                request_id: None,
            },
        }
    }
}

impl Render for ImportSummary {
    fn human(&self, out: &mut Text) {
        let verb = if self.stopped.is_some() || self.rest_unread {
            "stopped importing"
        } else {
            "imported"
        };
        let input = if self.input == "-" {
            "stdin"
        } else {
            &self.input
        };
        let _ = writeln!(
            out,
            "{verb} {input} into group {}: {}",
            self.group,
            count(self.rows, "row", "rows")
        );
        let see = |file: &Option<String>| {
            file.as_deref()
                .map(|f| format!(" (see {f})"))
                .unwrap_or_default()
        };
        field(out, "created", self.created);
        field(
            out,
            "rejected",
            format!("{}{}", self.rejected, see(&self.rejected_file)),
        );
        if self.unreadable > 0 {
            field(
                out,
                "unreadable",
                format!("{}{}", self.unreadable, see(&self.rejected_file)),
            );
        }
        if self.repeated > 0 {
            field(out, "repeated", repeats(self.repeated, &self.repeats));
        }
        let rest = if self.rest_unread {
            " and the rest of the file"
        } else {
            ""
        };
        field(out, "not sent", format!("{}{rest}", self.not_sent));
        field(out, "unknown", self.unknown);
        if let Some(done) = &self.reconciled
            && done.rounds > 0
        {
            field(
                out,
                "reconciled",
                format!(
                    "{} settled by reading the group ({} found there, {} missing and sent \
                     again)",
                    count(done.settled, "row", "rows"),
                    done.found,
                    done.missing
                ),
            );
        }
        match self.request_ids.as_slice() {
            [] => {}
            few @ ([_] | [_, _] | [_, _, _]) => field(out, "request ids", few.join(", ")),
            many => field(
                out,
                "requests",
                format!("{} (--json lists their ids)", many.len()),
            ),
        }
        if let Some(stop) = &self.stopped {
            let mut why = stop.message.clone();
            if let Some(id) = &stop.request_id {
                let _ = write!(why, " (request id {id})");
            }
            field(out, "stopped by", why);
        }
        if let Some(report) = &self.report_file {
            field(out, "report", report);
        }
        if let Some(resume) = &self.resume {
            field(out, "to go on", resume);
        }
    }
}

/// `2 (line 4 repeats line 2, line 9 repeats line 3)`, naming the first
/// [`REPEATS_SHOWN`] and counting the rest.
fn repeats(repeated: u64, listed: &[RepeatView]) -> String {
    let mut named: Vec<String> = listed
        .iter()
        .take(REPEATS_SHOWN)
        .map(|r| format!("line {} repeats line {}", r.line, r.first_line))
        .collect();
    let more = repeated.saturating_sub(named.len() as u64);
    if more > 0 {
        named.push(format!("and {more} more"));
    }
    format!("{repeated} ({})", named.join(", "))
}
