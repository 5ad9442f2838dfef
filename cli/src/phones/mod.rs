//! `lox24 phones import`: a contacts CSV into a group.
//!
//! `csv_input` (with `lines`) reads the file row by row, `repeats` leaves
//! out rows whose number an earlier row has, `feed` hands the rows to the
//! upload engine from a thread of its own, `ledger` follows each row to its
//! outcome and `rejected` writes the refused ones,
//! `progress` draws the bar, and `import` puts them together with the
//! report and `--resume`.

pub mod csv_input;
mod feed;
mod import;
mod ledger;
mod lines;
mod progress;
pub mod rejected;
mod repeats;

use clap::Subcommand;

use crate::{
    context::Context,
    failure::{CliError, Exit},
};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add the rows of a CSV to a group, in batches, with a progress bar.
    ///
    /// Rows refused (by the checks before sending, or by LOX24) and rows
    /// that cannot be read go to the rejected-rows file with their line and
    /// reason. A row whose number (as it will be sent) is that of an
    /// earlier row is not sent, and counted as repeated (--keep-repeats
    /// sends it). When not every row was created, a report is written; with
    /// --resume it lets a later run send exactly the rows not sent.
    Import(import::ImportArgs),
}

pub async fn run(command: Command, cx: &Context) -> Result<Exit, CliError> {
    match command {
        Command::Import(args) => import::run(args, cx).await,
    }
}
