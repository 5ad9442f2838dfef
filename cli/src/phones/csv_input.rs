//! Reading a contacts CSV: which header feeds which field of an entry, and
//! the rows as entries, one at a time (a file is never read whole).

use std::io::{self, BufRead, BufReader, Read};

use csv::{ByteRecord, StringRecord, Trim};
use lox24::{Column, Group, PhoneEntry};
use serde::Serialize;

use super::lines::{Starts, Tracked};
use crate::options::letter;

/// Which header names the user gave for which field.
#[derive(Debug, Default)]
pub struct Names {
    /// The header of the numbers (default `phone`).
    pub phone: Option<String>,
    /// Headers of the columns `a` … `e`.
    pub columns: Vec<(Column, String)>,
    /// The header of the callback data (default `callback_data`).
    pub callback_data: Option<String>,
}

/// Where each field of an entry comes from: a position in the row.
#[derive(Debug, PartialEq, Eq)]
pub struct Mapping {
    headers: Vec<String>,
    phone: usize,
    columns: [Option<usize>; 5],
    callback_data: Option<usize>,
}

/// The mapping as shown to the user: field → header.
#[derive(Debug, Serialize)]
pub struct MappingView {
    pub phone: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<(&'static str, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_data: Option<String>,
    /// Headers no field reads.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
}

impl Mapping {
    /// Maps the headers: the names given, else `phone`, `a` … `e` and
    /// `callback_data`, else (for columns) the group's own column names.
    /// Headers are compared without regard to case.
    pub fn new(headers: &[String], names: &Names, group: Option<&Group>) -> Result<Self, String> {
        let find = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
        };
        let listed = || {
            headers
                .iter()
                .map(|h| format!("{h:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let required = |name: &str, option: &str| {
            find(name).ok_or_else(|| {
                format!(
                    "the CSV has no column {name:?} (given with {option}); its header has {}",
                    listed()
                )
            })
        };

        let phone = match &names.phone {
            Some(name) => required(name, "--phone-column")?,
            None => find("phone").ok_or_else(|| {
                format!(
                    "the CSV has no \"phone\" column; its header has {}. Name the column of the \
                     numbers with --phone-column NAME",
                    listed()
                )
            })?,
        };
        let mut columns = [None; 5];
        for (i, column) in Column::ALL.into_iter().enumerate() {
            let given = names.columns.iter().rev().find(|(c, _)| *c == column);
            columns[i] = match given {
                Some((_, name)) => Some(required(name, "--column")?),
                None => find(letter(column)).or_else(|| {
                    group
                        .and_then(|g| g.column_name(column))
                        .filter(|n| !n.trim().is_empty())
                        .and_then(find)
                }),
            };
        }
        let callback_data = match &names.callback_data {
            Some(name) => Some(required(name, "--callback-column")?),
            None => find("callback_data"),
        };
        Ok(Self {
            headers: headers.to_vec(),
            phone,
            columns,
            callback_data,
        })
    }

    /// The header row.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The entry of one row; empty cells are left out (not sent as "").
    pub fn entry(&self, row: &StringRecord) -> PhoneEntry {
        let cell = |i: Option<usize>| {
            i.and_then(|i| row.get(i))
                .filter(|v| !v.is_empty())
                .map(str::to_owned)
        };
        let mut entry = PhoneEntry::new(row.get(self.phone).unwrap_or_default());
        for (column, i) in Column::ALL.into_iter().zip(self.columns) {
            if let Some(value) = cell(i) {
                entry = entry.column(column, value);
            }
        }
        if let Some(data) = cell(self.callback_data) {
            entry = entry.callback_data(data);
        }
        entry
    }

    pub fn view(&self) -> MappingView {
        let name = |i: usize| self.headers[i].clone();
        let used: Vec<usize> = std::iter::once(self.phone)
            .chain(self.columns.iter().flatten().copied())
            .chain(self.callback_data)
            .collect();
        MappingView {
            phone: name(self.phone),
            columns: Column::ALL
                .into_iter()
                .zip(self.columns)
                .filter_map(|(c, i)| i.map(|i| (letter(c), name(i))))
                .collect(),
            callback_data: self.callback_data.map(name),
            ignored: (0..self.headers.len())
                .filter(|i| !used.contains(i))
                .map(name)
                .collect(),
        }
    }
}

/// One data row of the file.
#[derive(Debug)]
pub enum Row {
    /// A row to send, with its line number and cells.
    Entry {
        line: u64,
        entry: PhoneEntry,
        cells: StringRecord,
    },
    /// A row that cannot become an entry (not UTF-8), with why.
    Unreadable {
        line: u64,
        cells: Vec<String>,
        reason: String,
    },
}

/// A CSV being read row by row.
pub struct Rows<R> {
    reader: csv::Reader<Tracked<R>>,
    starts: Starts,
    record: ByteRecord,
    headers: Vec<String>,
    separator: u8,
}

/// The field separators tried when none is given, most likely first.
const SEPARATORS: [u8; 3] = [b',', b';', b'\t'];

/// The input after its header line was looked at.
pub type Input<R> = io::Chain<io::Cursor<Vec<u8>>, BufReader<R>>;

impl<R: Read> Rows<Input<R>> {
    /// Opens a CSV: reads its header line, strips a UTF-8 byte order mark,
    /// and guesses the separator (`,`, `;` or tab, whichever the header
    /// line has most of) unless one is given.
    pub fn open(input: R, separator: Option<u8>) -> Result<Self, String> {
        let mut input = BufReader::new(input);
        let mut first = Vec::new();
        input
            .read_until(b'\n', &mut first)
            .map_err(|e| format!("cannot read the header line: {e}"))?;
        if first.starts_with(b"\xEF\xBB\xBF") {
            first.drain(..3);
        }
        let separator = separator.unwrap_or_else(|| guess_separator(&first));
        let (tracked, starts) = Tracked::new(io::Cursor::new(first).chain(input), separator);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(separator)
            .flexible(true)
            .trim(Trim::All)
            .from_reader(tracked);
        let headers = reader
            .headers()
            .map_err(|e| match e.kind() {
                csv::ErrorKind::Utf8 { .. } => {
                    "the header line is not UTF-8; save the file as UTF-8 (CSV UTF-8 in Excel)"
                        .to_owned()
                }
                _ => format!("cannot read the header line: {e}"),
            })?
            .iter()
            .map(str::to_owned)
            .collect::<Vec<_>>();
        if headers.iter().all(String::is_empty) {
            return Err("the file is empty or its first line has no column names".to_owned());
        }
        starts.next(); // the header's
        Ok(Self {
            reader,
            starts,
            record: ByteRecord::new(),
            headers,
            separator,
        })
    }
}

impl<R: Read> Rows<R> {
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The field separator, given or guessed.
    pub fn separator(&self) -> u8 {
        self.separator
    }

    /// The next data row; `Ok(None)` at the end. A read error (the file
    /// itself, not a row) ends the reading.
    pub fn next_row(&mut self, mapping: &Mapping) -> Result<Option<Row>, io::Error> {
        loop {
            let more = self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(|e| match e.into_kind() {
                    csv::ErrorKind::Io(e) => e,
                    other => io::Error::new(io::ErrorKind::InvalidData, format!("{other:?}")),
                })?;
            if !more {
                return Ok(None);
            }
            let line = self
                .starts
                .next()
                .or_else(|| self.record.position().map(|p| p.line()))
                .unwrap_or_default();
            // A line of blanks is no row.
            if self.record.iter().all(<[u8]>::is_empty) {
                continue;
            }
            let (cells, expected) = (self.record.len(), self.headers.len());
            if cells != expected {
                return Ok(Some(Row::Unreadable {
                    line,
                    cells: self
                        .record
                        .iter()
                        .map(|c| String::from_utf8_lossy(c).into_owned())
                        .collect(),
                    reason: format!(
                        "the row has {cells} fields but the header has {expected}; \
                         check its separators and quotes"
                    ),
                }));
            }
            return Ok(Some(
                match StringRecord::from_byte_record(self.record.clone()) {
                    Ok(cells) => Row::Entry {
                        line,
                        entry: mapping.entry(&cells),
                        cells,
                    },
                    Err(e) => Row::Unreadable {
                        line,
                        cells: e
                            .into_byte_record()
                            .iter()
                            .map(|c| String::from_utf8_lossy(c).into_owned())
                            .collect(),
                        reason: "the row is not UTF-8; save the file as UTF-8 (CSV UTF-8 in Excel)"
                            .to_owned(),
                    },
                },
            ));
        }
    }
}

/// How many data rows `next_row` would give for this input: records after
/// the header with at least one non-blank cell. Reads the whole input, but
/// parses it only as far as records go (no UTF-8 checks, no entries).
pub fn count_rows(input: impl Read, separator: u8) -> io::Result<u64> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .flexible(true)
        .trim(Trim::All)
        .from_reader(input);
    let mut record = ByteRecord::new();
    let mut rows = 0;
    while reader
        .read_byte_record(&mut record)
        .map_err(io::Error::other)?
    {
        if !record.iter().all(<[u8]>::is_empty) {
            rows += 1;
        }
    }
    Ok(rows)
}

fn guess_separator(header_line: &[u8]) -> u8 {
    let count = |sep: u8| header_line.iter().filter(|&&b| b == sep).count();
    SEPARATORS
        .into_iter()
        .max_by_key(|&sep| (count(sep), std::cmp::Reverse(sep == b'\t')))
        .filter(|&sep| count(sep) > 0)
        .unwrap_or(b',')
}

/// `,`, `;`, `tab` or `\t`: the separator given with `--separator`.
pub fn parse_separator(text: &str) -> Result<u8, String> {
    match text {
        "tab" | "\\t" | "\t" => Ok(b'\t'),
        one if one.len() == 1 && one.is_ascii() => Ok(one.as_bytes()[0]),
        _ => Err(format!(
            "{text:?} is not a separator; give one ASCII character such as , or ; (or tab)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lox24::GroupId;

    fn rows(csv: &str) -> Rows<impl Read> {
        Rows::open(io::Cursor::new(csv.as_bytes().to_vec()), None).expect("opens")
    }

    fn read_all(csv: &str, names: &Names, group: Option<&Group>) -> Vec<Row> {
        let mut rows = rows(csv);
        let mapping = Mapping::new(rows.headers(), names, group).expect("maps");
        let mut all = Vec::new();
        while let Some(row) = rows.next_row(&mapping).expect("reads") {
            all.push(row);
        }
        all
    }

    fn entry(row: &Row) -> (u64, &PhoneEntry) {
        match row {
            Row::Entry { line, entry, .. } => (*line, entry),
            Row::Unreadable { .. } => panic!("unreadable: {row:?}"),
        }
    }

    #[test]
    fn maps_the_standard_headers_in_any_order_and_case() {
        let all = read_all(
            "\u{feff}B,Phone,a,callback_data,email\n\
             Berlin,+491701234567,Anna,x1,anna@example.com\n\
             \n\
             , , ,\n\
             ,+491701234568,,,\n",
            &Names::default(),
            None,
        );
        assert_eq!(all.len(), 2);
        let (line, first) = entry(&all[0]);
        assert_eq!(line, 2);
        assert_eq!(
            first,
            &PhoneEntry::new("+491701234567")
                .column(Column::A, "Anna")
                .column(Column::B, "Berlin")
                .callback_data("x1")
        );
        // Empty cells are not sent; blank lines are skipped but counted.
        let (line, second) = entry(&all[1]);
        assert_eq!((line, second), (5, &PhoneEntry::new("+491701234568")));
    }

    #[test]
    fn names_given_win_and_the_groups_column_names_are_used() {
        let mut group = Group::new(GroupId::new(7), "VIP");
        group.name_c = Some("City".to_owned());
        let names = Names {
            phone: Some("mobile".to_owned()),
            columns: vec![(Column::A, "first_name".to_owned())],
            callback_data: Some("ref".to_owned()),
        };
        let csv = "first_name;mobile;city;ref;a\nAnna;0170 1234567;Köln;r-1;ignored\n";
        let all = read_all(csv, &names, Some(&group));
        assert_eq!(
            entry(&all[0]).1,
            &PhoneEntry::new("0170 1234567")
                .column(Column::A, "Anna")
                .column(Column::C, "Köln")
                .callback_data("r-1")
        );
        let rows = rows(csv);
        let view = Mapping::new(rows.headers(), &names, Some(&group))
            .unwrap()
            .view();
        assert_eq!(view.phone, "mobile");
        assert_eq!(
            view.columns,
            [("a", "first_name".to_owned()), ("c", "city".to_owned())]
        );
        assert_eq!(view.ignored, ["a"]);
    }

    #[test]
    fn missing_headers_are_named_with_what_the_file_has() {
        let rows = rows("mobile,name\n+491701234567,Anna\n");
        let err = Mapping::new(rows.headers(), &Names::default(), None).unwrap_err();
        assert!(err.contains("no \"phone\" column"), "{err}");
        assert!(err.contains("\"mobile\", \"name\""), "{err}");
        assert!(err.contains("--phone-column"), "{err}");
        let names = Names {
            columns: vec![(Column::B, "nope".to_owned())],
            phone: Some("mobile".to_owned()),
            ..Names::default()
        };
        let err = Mapping::new(rows.headers(), &names, None).unwrap_err();
        assert!(
            err.contains("no column \"nope\" (given with --column)"),
            "{err}"
        );
    }

    #[test]
    fn a_row_that_is_not_utf8_is_unreadable_and_the_rest_goes_on() {
        let mut bytes = b"phone,a\n+491701234567,Ren\xe9\n+491701234568,Anna\n".to_vec();
        let mut rows = Rows::open(io::Cursor::new(std::mem::take(&mut bytes)), None).unwrap();
        let mapping = Mapping::new(rows.headers(), &Names::default(), None).unwrap();
        match rows.next_row(&mapping).unwrap() {
            Some(Row::Unreadable {
                line,
                cells,
                reason,
            }) => {
                assert_eq!(line, 2);
                assert_eq!(cells, ["+491701234567", "Ren\u{fffd}"]);
                assert!(reason.contains("UTF-8"));
            }
            other => panic!("{other:?}"),
        }
        let next = rows.next_row(&mapping).unwrap().unwrap();
        assert_eq!(
            entry(&next),
            (
                3,
                &PhoneEntry::new("+491701234568").column(Column::A, "Anna")
            )
        );
        assert!(rows.next_row(&mapping).unwrap().is_none());
    }

    #[test]
    fn a_row_with_too_few_or_too_many_fields_is_unreadable() {
        let mut rows = rows("phone,a\n+491701234567\n+491701234568,Anna,x\n+491701234569,Ben\n");
        let mapping = Mapping::new(rows.headers(), &Names::default(), None).unwrap();
        for (expected_line, expected_cells, fields) in [
            (2, vec!["+491701234567"], 1),
            (3, vec!["+491701234568", "Anna", "x"], 3),
        ] {
            match rows.next_row(&mapping).unwrap() {
                Some(Row::Unreadable {
                    line,
                    cells,
                    reason,
                }) => {
                    assert_eq!(line, expected_line);
                    assert_eq!(cells, expected_cells);
                    assert_eq!(
                        reason,
                        format!(
                            "the row has {fields} fields but the header has 2; check its \
                             separators and quotes"
                        )
                    );
                }
                other => panic!("{other:?}"),
            }
        }
        let last = rows.next_row(&mapping).unwrap().unwrap();
        assert_eq!(entry(&last).0, 4);
    }

    #[test]
    fn counts_the_rows_next_row_gives() {
        let csv = "phone,a\n+491701234567,Anna\n\n , \n\"+4917\n0\",x\nbad\n";
        assert_eq!(count_rows(csv.as_bytes(), b',').unwrap(), 3);
        let mut rows = rows(csv);
        let mapping = Mapping::new(rows.headers(), &Names::default(), None).unwrap();
        let mut given = 0;
        while rows.next_row(&mapping).unwrap().is_some() {
            given += 1;
        }
        assert_eq!(given, 3);
        assert_eq!(count_rows("phone\n".as_bytes(), b',').unwrap(), 0);
    }

    #[test]
    fn reads_past_the_first_buffer_of_the_file() {
        let mut csv = String::from("phone\n");
        for i in 0..20_000 {
            csv.push_str(&format!("+4917{i:08}\n"));
        }
        let all = read_all(&csv, &Names::default(), None);
        assert_eq!(all.len(), 20_000);
        assert_eq!(
            entry(&all[19_999]),
            (20_001, &PhoneEntry::new("+491700019999"))
        );
    }

    #[test]
    fn guesses_and_parses_separators() {
        assert_eq!(guess_separator(b"phone;a;b\n"), b';');
        assert_eq!(guess_separator(b"phone,a\n"), b',');
        assert_eq!(guess_separator(b"phone\ta\n"), b'\t');
        assert_eq!(guess_separator(b"phone\n"), b',');
        assert_eq!(parse_separator("tab"), Ok(b'\t'));
        assert_eq!(parse_separator(";"), Ok(b';'));
        assert!(parse_separator(";;").is_err());
        let err = Rows::open(io::Cursor::new(Vec::new()), None).err().unwrap();
        assert!(err.contains("empty"), "{err}");
    }
}
