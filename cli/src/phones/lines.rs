//! The line on which each CSV record starts.
//!
//! Why not the `csv` crate's `Position::line`: it is the line where the
//! parser started looking for the record, so a record after blank lines gets
//! the number of the first blank line. People look rows up in an editor by
//! line, so this module follows the bytes as the parser reads them, with the
//! same quoting rules (RFC 4180, as `csv` parses it), and notes where each
//! record really starts.

use std::{
    collections::VecDeque,
    io::{self, Read},
    sync::{Arc, Mutex, PoisonError},
};

/// Wraps the input of a CSV reader and notes the line of each record.
pub struct Tracked<R> {
    inner: R,
    scanner: Arc<Mutex<Scanner>>,
}

/// The lines of the records read so far and not yet taken.
#[derive(Clone)]
pub struct Starts(Arc<Mutex<Scanner>>);

impl<R: Read> Tracked<R> {
    pub fn new(inner: R, separator: u8) -> (Self, Starts) {
        let scanner = Arc::new(Mutex::new(Scanner::new(separator)));
        (
            Self {
                inner,
                scanner: scanner.clone(),
            },
            Starts(scanner),
        )
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.scanner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .scan(&buf[..n]);
        Ok(n)
    }
}

impl Starts {
    /// The line of the next record, in the order the records are parsed.
    pub fn next(&self) -> Option<u64> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .starts
            .pop_front()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// At the start of a line, outside quotes: no record has begun.
    LineStart,
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: an escaped quote or the field's end.
    QuoteInQuoted,
}

struct Scanner {
    separator: u8,
    state: State,
    /// The current line, from 1.
    line: u64,
    /// The previous byte was `\r`, so a `\n` now ends no new line.
    after_cr: bool,
    starts: VecDeque<u64>,
}

impl Scanner {
    fn new(separator: u8) -> Self {
        Self {
            separator,
            state: State::LineStart,
            line: 1,
            after_cr: false,
            starts: VecDeque::new(),
        }
    }

    fn scan(&mut self, bytes: &[u8]) {
        for &b in bytes {
            let is_break = b == b'\n' || b == b'\r';
            if is_break {
                // `\r\n` is one line break, `\r` or `\n` alone one each.
                if !(b == b'\n' && self.after_cr) {
                    self.line += 1;
                }
                self.after_cr = b == b'\r';
            } else {
                self.after_cr = false;
            }
            self.state = match (self.state, b) {
                (State::Quoted, b'"') => State::QuoteInQuoted,
                (State::Quoted, _) => State::Quoted,
                (State::QuoteInQuoted, b'"') => State::Quoted,
                (_, _) if is_break => State::LineStart,
                (State::LineStart, _) => {
                    self.starts.push_back(self.line);
                    self.field_start(b)
                }
                (State::FieldStart, _) => self.field_start(b),
                (State::Unquoted | State::QuoteInQuoted, _) if b == self.separator => {
                    State::FieldStart
                }
                (State::Unquoted | State::QuoteInQuoted, _) => State::Unquoted,
            };
        }
    }

    fn field_start(&self, b: u8) -> State {
        match b {
            b'"' => State::Quoted,
            _ if b == self.separator => State::FieldStart,
            _ => State::Unquoted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(text: &str, chunk: usize) -> Vec<u64> {
        let (mut tracked, starts) = Tracked::new(text.as_bytes(), b',');
        let mut buf = vec![0; chunk];
        while tracked.read(&mut buf).unwrap() > 0 {}
        std::iter::from_fn(|| starts.next()).collect()
    }

    #[test]
    fn notes_where_records_start_whatever_the_line_breaks_and_quotes() {
        let text = "a,b\n1,2\n\n3,4\r\n\r\n\"x\ny\",5\n6,\"q\"\"\n\"\n\r7,8";
        // Lines: 1 a,b · 2 1,2 · 3 blank · 4 3,4 · 5 blank · 6-7 "x\ny",5 ·
        // 8-9 6,"q""\n" · 10 empty, ended by a lone \r · 11 7,8.
        for chunk in [1, 3, 4096] {
            assert_eq!(starts(text, chunk), [1, 2, 4, 6, 8, 11], "chunk {chunk}");
        }
    }

    #[test]
    fn a_quote_inside_an_unquoted_field_is_a_character() {
        assert_eq!(starts("a\"b,c\nd,e\n", 8), [1, 2]);
        assert_eq!(starts("\"ab\"cd,e\nf\n", 8), [1, 2]);
    }

    #[test]
    fn agrees_with_the_csv_parser_on_what_a_record_is() {
        let text = "h1,h2\n\n  ,\n\"a\n\nb\",c\r\nd\"e,f\n\n\ng,h";
        let (tracked, starts) = Tracked::new(text.as_bytes(), b',');
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(tracked);
        let mut lines = Vec::new();
        for record in reader.byte_records() {
            record.unwrap();
            lines.push(starts.next().expect("a line for every record"));
        }
        assert_eq!(lines, [1, 3, 4, 7, 10]);
        assert_eq!(starts.next(), None);
    }
}
