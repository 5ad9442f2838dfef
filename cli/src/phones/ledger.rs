//! The rows between the reader and their outcome, and where refused ones end.
//!
//! The engine reports outcomes by input index, in input order, without the
//! line or the cells of the row; the ledger keeps those for the rows taken
//! and not yet settled (at most the engine's read-ahead), and writes each
//! refused row to the rejected-rows file as its turn comes, so that the file
//! is in line order with unreadable rows in their place.

use std::{collections::VecDeque, io};

use csv::StringRecord;
use indicatif::ProgressBar;
use lox24::upload::{Outcome, Rejection};

use super::{rejected::RejectedRows, repeats::Repeated};

/// A row read and not yet settled.
pub enum Pending {
    /// An entry handed to the engine.
    Entry { line: u64, cells: StringRecord },
    /// A row that is not sent; it is written when the entries before it are settled.
    Unreadable {
        line: u64,
        cells: Vec<String>,
        reason: String,
    },
    /// A row left out because its number is that of the row on line
    /// `first`; counted, not written (imported again, it would be a
    /// duplicate).
    Repeat { line: u64, first: u64 },
}

/// What the import has seen of the rows.
pub struct Ledger {
    pending: VecDeque<Pending>,
    rejected: RejectedRows,
    bar: ProgressBar,
    /// Rows that could not be read, written as rejected.
    unreadable: u64,
    repeated: Repeated,
    /// The line of the last row read.
    last_line: u64,
    /// The first failure to write the rejected-rows file.
    write_error: Option<io::Error>,
    /// Why the file could not be read to its end.
    read_failure: Option<String>,
}

impl Ledger {
    pub fn new(rejected: RejectedRows, bar: ProgressBar) -> Self {
        Self {
            pending: VecDeque::new(),
            rejected,
            bar,
            unreadable: 0,
            repeated: Repeated::default(),
            last_line: 0,
            write_error: None,
            read_failure: None,
        }
    }

    /// A row was read.
    pub fn expect(&mut self, row: Pending) {
        self.last_line = match &row {
            Pending::Entry { line, .. }
            | Pending::Unreadable { line, .. }
            | Pending::Repeat { line, .. } => *line,
        };
        self.pending.push_back(row);
    }

    /// The outcome of the next entry, in input order.
    pub fn settle(&mut self, outcome: &Outcome) {
        while let Some(row) = self.pending.pop_front() {
            self.bar.inc(1);
            match row {
                Pending::Entry { line, cells } => {
                    if let Outcome::Rejected { reason, .. } = outcome {
                        self.write(line, &why(reason), cells.iter());
                    }
                    return;
                }
                unsent => self.count_unsent(unsent),
            }
        }
    }

    /// A row that was never sent: an unreadable one is written to the
    /// rejected rows, a repeated one counted.
    fn count_unsent(&mut self, row: Pending) {
        match row {
            Pending::Unreadable {
                line,
                cells,
                reason,
            } => {
                self.unreadable += 1;
                self.write(line, &reason, cells.iter().map(String::as_str));
            }
            Pending::Repeat { line, first } => self.repeated.add(line, first),
            Pending::Entry { .. } => {}
        }
    }

    /// The upload is over: writes the unreadable rows after the last entry,
    /// counts the repeated ones, and completes the file. Entries without an
    /// outcome (none are expected: the engine settles every entry it read)
    /// are not written.
    pub fn finish(&mut self) -> Result<(), io::Error> {
        for row in std::mem::take(&mut self.pending) {
            if !matches!(row, Pending::Entry { .. }) {
                self.bar.inc(1);
                self.count_unsent(row);
            }
        }
        if let Err(e) = self.rejected.finish() {
            self.write_error.get_or_insert(e);
        }
        match self.write_error.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// The file cannot be read on.
    pub fn fail(&mut self, reason: String) {
        self.read_failure.get_or_insert(reason);
    }

    pub fn read_failure(&self) -> Option<&str> {
        self.read_failure.as_deref()
    }

    pub fn unreadable(&self) -> u64 {
        self.unreadable
    }

    pub fn repeated(&self) -> &Repeated {
        &self.repeated
    }

    pub fn last_line(&self) -> u64 {
        self.last_line
    }

    pub fn rejected(&self) -> &RejectedRows {
        &self.rejected
    }

    fn write<'c>(&mut self, line: u64, reason: &str, cells: impl IntoIterator<Item = &'c str>) {
        if self.write_error.is_none()
            && let Err(e) = self.rejected.write(line, reason, cells)
        {
            self.write_error = Some(e);
        }
    }
}

/// The reason in the rejected-rows file: the client's own words for a check
/// made before sending, LOX24's with its status otherwise.
fn why(rejection: &Rejection) -> String {
    match rejection.status() {
        None => rejection.message(),
        Some(status) => format!("LOX24 refused it ({status}): {}", rejection.message()),
    }
}

#[cfg(test)]
mod tests {
    use lox24::{ItemProblem, upload::NotSentReason};

    use super::*;

    fn entry(line: u64, cells: &[&str]) -> Pending {
        Pending::Entry {
            line,
            cells: StringRecord::from(cells.to_vec()),
        }
    }

    fn unreadable(line: u64, cells: &[&str]) -> Pending {
        Pending::Unreadable {
            line,
            cells: cells.iter().map(|c| (*c).to_owned()).collect(),
            reason: "not UTF-8".to_owned(),
        }
    }

    #[test]
    fn refused_and_unreadable_rows_are_written_in_line_order_repeated_ones_counted() {
        let path = std::env::temp_dir().join(format!("lox24-ledger-{}.csv", std::process::id()));
        let bar = ProgressBar::hidden();
        let mut ledger = Ledger::new(
            RejectedRows::new(path.clone(), &["phone".into(), "a".into()]),
            bar.clone(),
        );
        ledger.expect(entry(2, &["+491701234567", "Anna"]));
        ledger.expect(unreadable(3, &["?", "Ren?"]));
        ledger.expect(entry(4, &["12ab", "Ben"]));
        ledger.expect(Pending::Repeat { line: 5, first: 2 });
        ledger.expect(entry(6, &["+491701234569", "Carl"]));
        ledger.expect(unreadable(7, &["x"]));
        ledger.expect(Pending::Repeat { line: 8, first: 6 });

        ledger.settle(&Outcome::Created { id: None });
        let problem: ItemProblem = serde_json::from_str(
            r#"{"title": "An error occurred", "detail": "phone: not a number"}"#,
        )
        .unwrap();
        ledger.settle(&Outcome::Rejected {
            phone: "12ab".to_owned(),
            reason: Box::new(Rejection::Item {
                status: 422,
                problem,
                request_id: None,
            }),
        });
        ledger.settle(&Outcome::NotSent {
            phone: None,
            reason: NotSentReason::Stopped,
        });
        assert_eq!(bar.position(), 5);
        ledger.finish().unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();

        assert_eq!(bar.position(), 7);
        assert_eq!(ledger.unreadable(), 2);
        assert_eq!(ledger.repeated().count, 2);
        assert_eq!(ledger.repeated().listed, [(5, 2), (8, 6)]);
        assert_eq!(ledger.last_line(), 8);
        assert_eq!(
            written,
            "line,reason,phone,a\n\
             3,not UTF-8,?,Ren?\n\
             4,LOX24 refused it (422): phone: not a number,12ab,Ben\n\
             7,not UTF-8,x\n"
        );
    }
}
