//! Everything the tool prints: each result as text for people or as one
//! JSON document for scripts (`--json`), notes and progress on stderr, and
//! errors with their advice.
//!
//! Commands hand a value that implements [`Render`] to [`Output::show`];
//! the text layout of every value lives in this module's files.

mod account;
mod balance;
mod blocked;
mod bulks;
mod error;
mod events;
mod groups;
mod links;
mod phones;
mod replies;
mod sandbox;
mod sms;
mod table;
mod text;
mod words;

use std::{
    fmt::{self, Write as _},
    io::{self, IsTerminal, Write},
};

use serde::Serialize;

pub use account::{ConfigView, LoginView, LogoutView, Setting, TokenSetting};
pub use blocked::BlockedList;
pub use bulks::{BulkList, DryRunView};
pub use events::EventLine;
pub use groups::{Deleted, GroupList};
pub use links::{ClickList, LinkCampaignList};
pub use phones::{ImportSummary, ReconciledView, RepeatView, StopView};
pub use replies::ReplyList;
pub use sandbox::SandboxInfo;
pub use sms::{SmsDryRunView, SmsList};
pub use text::TextReport;
pub use words::count;

use crate::failure::CliError;

/// A result to print: as JSON (its `Serialize` form) or as text.
pub trait Render: Serialize {
    /// The text for people, ending with a newline.
    fn human(&self, out: &mut Text);
}

/// Text being laid out; writing to it cannot fail.
pub type Text = String;

/// Where and how output goes.
pub struct Output {
    json: bool,
    quiet: bool,
}

impl Output {
    pub fn new(json: bool, quiet: bool) -> Self {
        Self { json, quiet }
    }

    /// Prints a result on stdout.
    pub fn show(&self, result: &impl Render) -> Result<(), CliError> {
        let text = if self.json {
            json(result)
        } else {
            let mut text = Text::new();
            result.human(&mut text);
            text
        };
        print_stdout(&text)
    }

    /// One result of a stream on stdout, as a line: with `--json`, compact
    /// JSON (one document per line, for `jq` and log shippers).
    pub fn show_line(&self, result: &impl Render) -> Result<(), CliError> {
        let text = if self.json {
            match serde_json::to_string(result) {
                Ok(line) => line + "\n",
                Err(e) => format!("{{\"error\":{{\"message\":{:?}}}}}\n", e.to_string()),
            }
        } else {
            let mut text = Text::new();
            result.human(&mut text);
            text
        };
        print_stdout(&text)
    }

    /// A remark on stderr (not with `--quiet`).
    pub fn note(&self, note: impl fmt::Display) {
        if !self.quiet {
            eprintln!("{note}");
        }
    }

    /// Why a command ends with a failure although its result was printed:
    /// on stderr, even with `--quiet`.
    pub fn problem(&self, message: impl fmt::Display) {
        eprintln!("error: {message}");
    }

    /// An error: always on stderr; with `--json` also as the JSON document
    /// on stdout.
    pub fn error(&self, error: &CliError) {
        eprint!("{}", error::human(error));
        if self.json {
            let _ = print_stdout(&json(&error::ErrorDocument::of(error)));
        }
    }

    /// An error as text on stderr only, for a command whose JSON document
    /// (on stdout) already says what went wrong.
    pub fn error_text(&self, error: &CliError) {
        eprint!("{}", error::human(error));
    }

    /// Whether a progress bar may be drawn: not with `--json` or
    /// `--quiet`, and only on a terminal.
    pub fn shows_progress(&self) -> bool {
        !self.json && !self.quiet && io::stderr().is_terminal()
    }

    /// A usage error found by clap before anything else was known.
    pub fn usage_error(as_json: bool, message: &str) {
        if as_json {
            let _ = print_stdout(&json(&error::ErrorDocument::usage(message)));
        }
    }
}

fn json(value: &impl Serialize) -> String {
    match serde_json::to_string_pretty(value) {
        Ok(mut text) => {
            text.push('\n');
            text
        }
        // Only a map with non-string keys could fail, and none is printed.
        Err(e) => format!("{{\"error\":{{\"message\":{:?}}}}}\n", e.to_string()),
    }
}

/// Writes to stdout; a closed pipe (`lox24 bulks list | head`) is not an
/// error worth a message.
fn print_stdout(text: &str) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(CliError::io("write to standard output", e))
        }
        _ => Ok(()),
    }
}

/// One `label  value` line, aligned.
pub(crate) fn field(out: &mut Text, label: &str, value: impl fmt::Display) {
    let _ = writeln!(out, "  {label:<12} {value}");
}

/// The line under a list cut short by `--limit`.
pub(crate) fn more(out: &mut Text, more: bool, shown: usize, total_items: Option<u64>) {
    if more {
        let total = total_items.map(|t| format!(" of {t}")).unwrap_or_default();
        let _ = writeln!(out, "({shown} shown{total}; --limit N or --all for more)");
    }
}

/// A Unix time in the local time zone.
pub(crate) fn local_time(unix: i64) -> String {
    match chrono::DateTime::from_timestamp(unix, 0) {
        Some(at) => at
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M:%S %:z")
            .to_string(),
        None => format!("@{unix}"),
    }
}
