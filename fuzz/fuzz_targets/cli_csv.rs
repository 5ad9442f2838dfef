//! The CLI's contacts CSV reader (its own source, included by path): any
//! bytes give rows or a refusal, never a panic; the rows read agree with
//! the quick count the CLI shows beforehand, and their line numbers grow.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// What the reader takes from the CLI's option module.
mod options {
    pub use lox24::Column;

    /// The column's letter (as in `cli/src/options.rs`).
    pub fn letter(column: Column) -> &'static str {
        match column {
            Column::A => "a",
            Column::B => "b",
            Column::C => "c",
            Column::D => "d",
            Column::E => "e",
        }
    }
}

// Parts of the reader this target does not look at are left unused.
#[allow(dead_code)]
#[path = "../../cli/src/phones"]
mod phones {
    pub mod csv_input;
    pub mod lines;
}

use phones::csv_input::{Mapping, Names, Row, Rows, count_rows};

fuzz_target!(|data: &[u8]| {
    let Ok(mut rows) = Rows::open(data, None) else {
        return;
    };
    let separator = rows.separator();
    let Ok(mapping) = Mapping::new(rows.headers(), &Names::default(), None) else {
        return;
    };
    let mut read = 0u64;
    let mut last_line = 0;
    loop {
        match rows.next_row(&mapping) {
            Ok(Some(row)) => {
                let line = match row {
                    Row::Entry { line, .. } | Row::Unreadable { line, .. } => line,
                };
                assert!(line > last_line, "line {line} after {last_line}");
                last_line = line;
                read += 1;
            }
            Ok(None) => break,
            Err(_) => return,
        }
    }
    // The count skips the header line as the reader does.
    let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    if let Ok(counted) = count_rows(body, separator) {
        assert_eq!(read, counted, "rows read and rows counted");
    }
});
