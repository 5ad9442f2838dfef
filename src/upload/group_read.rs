//! Reading every entry of a group once, as reconciliation needs it: the
//! CSV export streamed and parsed row by row (one request, memory of one
//! row), or, when the export fails, the listing page by page.

use futures_util::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};

use crate::{Client, Error, GroupId, Phone, error::UnexpectedResponse};

/// Where reconciliation read a group's entries.
///
/// ```
/// use lox24::upload::GroupSource;
/// assert_eq!(serde_json::to_string(&GroupSource::Export)?, r#""export""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum GroupSource {
    /// The CSV export, `GET /groups/{id}/file/csv`.
    Export,
    /// The listing, `GET /groups/{id}/phones`, after the export failed.
    Listing,
}

/// One entry of a group, borrowed from the row or page in hand.
#[derive(Debug)]
pub(super) struct StoredEntry<'a> {
    pub id: &'a str,
    pub phone: &'a str,
    /// Columns `a` to `e`; the export writes an absent value as empty.
    pub columns: [&'a str; 5],
    pub callback_data: &'a str,
}

/// What is done with each entry of the group.
pub(super) trait Visitor {
    fn entry(&mut self, entry: StoredEntry<'_>);
    /// Forgets what was seen: the export failed part-way and the listing
    /// starts over.
    fn restart(&mut self);
}

/// How a group was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Read {
    pub source: GroupSource,
    /// Entries seen (in the source that was read to its end).
    pub entries: u64,
    /// Requests made: the export's, and the listing's pages.
    pub requests: u64,
    /// Why the export was not used, when it was not.
    pub export_failure: Option<String>,
}

/// Shows every entry of `group` to `visitor`, from the export, else from the
/// listing. Errors that the listing would meet too (no such group, refused
/// credentials) end the read at once.
pub(super) async fn read_group(
    client: &Client,
    group: &GroupId,
    visitor: &mut impl Visitor,
) -> Result<Read, Error> {
    let failure = match read_export(client, group, visitor).await {
        Ok(entries) => {
            return Ok(Read {
                source: GroupSource::Export,
                entries,
                requests: 1,
                export_failure: None,
            });
        }
        Err(error) if !worth_listing(&error) => return Err(error),
        Err(error) => error,
    };
    tracing::warn!(%group, error = %failure, "the CSV export failed; reading the listing instead");
    visitor.restart();
    let mut listing = client
        .list_group_phones(group)
        .await?
        // The listing of a large group has many pages; the visited set still
        // ends links that go round in a circle.
        .max_pages(u32::MAX);
    let mut entries = 0;
    while let Some(phone) = listing.try_next().await? {
        entries += 1;
        visitor.entry(from_listing(&phone));
    }
    Ok(Read {
        source: GroupSource::Listing,
        entries,
        requests: 1 + listing.pages_read() as u64,
        export_failure: Some(failure.to_string()),
    })
}

/// Whether the listing might succeed where the export failed: not when the
/// group is gone or the account refused.
fn worth_listing(error: &Error) -> bool {
    let inner = match error {
        Error::Ambiguous(inner) => inner,
        other => other,
    };
    !matches!(
        inner,
        Error::Unauthorized(_)
            | Error::LockedOut
            | Error::Forbidden(_)
            | Error::NotFound(_)
            | Error::Blocked(_)
            | Error::InsufficientFunds(_)
            | Error::Validation(_)
    )
}

fn from_listing(phone: &Phone) -> StoredEntry<'_> {
    fn text(value: &Option<String>) -> &str {
        value.as_deref().unwrap_or_default()
    }
    StoredEntry {
        id: phone.id.as_ref().map_or("", |id| id.as_str()),
        phone: &phone.phone,
        columns: [
            text(&phone.a),
            text(&phone.b),
            text(&phone.c),
            text(&phone.d),
            text(&phone.e),
        ],
        callback_data: text(&phone.callback_data),
    }
}

/// The export's columns: `id`, `phone`, five columns (headed by the group's
/// labels), `callback_data`.
const FIELDS: usize = 8;

async fn read_export(
    client: &Client,
    group: &GroupId,
    visitor: &mut impl Visitor,
) -> Result<u64, Error> {
    let mut export = client.export_group_csv(group).await?;
    let request_id = export.request_id().map(str::to_owned);
    let mut rows = CsvRows::default();
    let mut entries = 0;
    let mut failure = None;
    let mut take = |fields: &[&str]| -> Result<(), String> {
        if fields.len() != FIELDS {
            return Err(format!(
                "a row of the CSV export has {} fields, not {FIELDS}",
                fields.len()
            ));
        }
        entries += 1;
        visitor.entry(StoredEntry {
            id: fields[0],
            phone: fields[1],
            columns: [fields[2], fields[3], fields[4], fields[5], fields[6]],
            callback_data: fields[7],
        });
        Ok(())
    };
    while let Some(chunk) = export.next().await {
        if let Err(reason) = rows.feed(&chunk?, &mut take) {
            failure = Some(reason);
            break;
        }
    }
    if failure.is_none()
        && let Err(reason) = rows.finish(&mut take)
    {
        failure = Some(reason);
    }
    match failure {
        None => Ok(entries),
        Some(reason) => Err(UnexpectedResponse::new(Some(200), request_id, reason, b"").into()),
    }
}

/// A streaming reader of RFC 4180 rows (csv-core): bytes in, rows out, the
/// header row checked and skipped.
struct CsvRows {
    reader: csv_core::Reader,
    /// The fields of the row being read, one after another.
    out: Vec<u8>,
    written: usize,
    /// Where each field of the row ends in `out`.
    ends: Vec<usize>,
    fields: usize,
    header_seen: bool,
}

impl Default for CsvRows {
    fn default() -> Self {
        Self {
            // `new`, not `default`: only the builder prepares the parser's tables.
            reader: csv_core::Reader::new(),
            out: Vec::new(),
            written: 0,
            ends: Vec::new(),
            fields: 0,
            header_seen: false,
        }
    }
}

impl CsvRows {
    fn feed(
        &mut self,
        mut input: &[u8],
        take: &mut impl FnMut(&[&str]) -> Result<(), String>,
    ) -> Result<(), String> {
        use csv_core::ReadRecordResult as R;
        loop {
            if self.out.len() < 256 {
                self.out.resize(256, 0);
            }
            if self.ends.len() < FIELDS + 1 {
                self.ends.resize(FIELDS + 1, 0);
            }
            let (result, read, written, ended) = self.reader.read_record(
                input,
                &mut self.out[self.written..],
                &mut self.ends[self.fields..],
            );
            // csv-core writes field ends from the start of the row, across
            // calls, as long as each call's output continues the last.
            input = &input[read..];
            self.written += written;
            self.fields += ended;
            match result {
                R::InputEmpty => return Ok(()),
                R::OutputFull => {
                    let grown = self.out.len() * 2;
                    self.out.resize(grown, 0);
                }
                R::OutputEndsFull => {
                    let grown = self.ends.len() * 2;
                    self.ends.resize(grown, 0);
                }
                R::Record => self.row(take)?,
                R::End => return Ok(()),
            }
        }
    }

    /// The input is over: the last row may have no line break.
    fn finish(
        &mut self,
        take: &mut impl FnMut(&[&str]) -> Result<(), String>,
    ) -> Result<(), String> {
        self.feed(&[], take)?;
        if !self.header_seen {
            return Err("the CSV export has no header row".into());
        }
        Ok(())
    }

    fn row(&mut self, take: &mut impl FnMut(&[&str]) -> Result<(), String>) -> Result<(), String> {
        let mut fields = Vec::with_capacity(self.fields);
        let mut start = 0;
        for &end in &self.ends[..self.fields] {
            let field = std::str::from_utf8(&self.out[start..end])
                .map_err(|_| "the CSV export is not UTF-8".to_owned())?;
            fields.push(field);
            start = end;
        }
        let result = if self.header_seen {
            take(&fields)
        } else {
            self.header_seen = true;
            check_header(&fields)
        };
        self.written = 0;
        self.fields = 0;
        result
    }
}

/// The rows of an export read whole and read in two chunks cut at `cut`:
/// the same rows, or the same error (the fuzz target's property).
#[cfg(feature = "fuzzing")]
pub(crate) fn export_reads_alike(bytes: &[u8], cut: usize) -> Result<(), String> {
    fn rows(chunks: &[&[u8]]) -> Result<Vec<Vec<String>>, String> {
        let mut reader = CsvRows::default();
        let mut seen = Vec::new();
        let mut take = |fields: &[&str]| {
            seen.push(fields.iter().map(|f| (*f).to_owned()).collect());
            Ok(())
        };
        for chunk in chunks {
            reader.feed(chunk, &mut take)?;
        }
        reader.finish(&mut take)?;
        Ok(seen)
    }
    let cut = cut.min(bytes.len());
    let whole = rows(&[bytes]);
    let split = rows(&[&bytes[..cut], &bytes[cut..]]);
    if whole == split {
        Ok(())
    } else {
        Err(format!("whole: {whole:?}, cut at {cut}: {split:?}"))
    }
}

/// `id`, `phone`, five column labels (any: the group's own), `callback_data`.
fn check_header(fields: &[&str]) -> Result<(), String> {
    let name = |i: usize| fields.get(i).map(|f| f.trim_start_matches('\u{feff}'));
    if fields.len() == FIELDS
        && name(0) == Some("id")
        && name(1) == Some("phone")
        && name(FIELDS - 1) == Some("callback_data")
    {
        Ok(())
    } else {
        Err(format!(
            "the CSV export's header is {fields:?}, not id, phone, five columns, callback_data"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(chunks: &[&[u8]]) -> Result<Vec<Vec<String>>, String> {
        let mut rows = CsvRows::default();
        let mut seen = Vec::new();
        let mut take = |fields: &[&str]| {
            seen.push(fields.iter().map(|f| (*f).to_owned()).collect());
            Ok(())
        };
        for chunk in chunks {
            rows.feed(chunk, &mut take)?;
        }
        rows.finish(&mut take)?;
        Ok(seen)
    }

    const HEADER: &str = "id,phone,first name,col_B,col_C,col_D,col_E,callback_data\r\n";

    #[test]
    fn rows_are_read_across_chunks_with_quotes_and_line_breaks() {
        let text = format!(
            "{HEADER}1,+491701234567,Anna,,,,,crm-1\r\n2,+491701234568,\"Ben, \"\"B\"\"\",\"two\nlines\",,,,\r\n3,+3,{},,,,,x",
            "é".repeat(300)
        );
        let bytes = text.as_bytes();
        // Every split point, so that fields, quotes and UTF-8 are cut anywhere.
        for cut in [1, 7, 64, 70, 71, 72, 100, 200, bytes.len() - 1] {
            let rows = rows_of(&[&bytes[..cut], &bytes[cut..]]).unwrap();
            assert_eq!(rows.len(), 3, "{cut}");
            assert_eq!(
                rows[0],
                ["1", "+491701234567", "Anna", "", "", "", "", "crm-1"]
            );
            assert_eq!(rows[1][2], "Ben, \"B\"");
            assert_eq!(rows[1][3], "two\nlines");
            assert_eq!(rows[2][2], "é".repeat(300));
            assert_eq!(rows[2][7], "x");
        }
    }

    #[test]
    fn another_header_or_no_header_is_an_error() {
        assert_eq!(
            rows_of(&[HEADER.as_bytes()]).unwrap(),
            Vec::<Vec<String>>::new()
        );
        let err = rows_of(&[b"id,number,a,b,c,d,e,callback_data\r\n"]).unwrap_err();
        assert!(err.contains("header"), "{err}");
        assert_eq!(
            rows_of(&[b""]).unwrap_err(),
            "the CSV export has no header row"
        );
        assert_eq!(
            rows_of(&[HEADER.as_bytes(), b"1,+49\xff,,,,,,\r\n"]).unwrap_err(),
            "the CSV export is not UTF-8"
        );
    }
}
