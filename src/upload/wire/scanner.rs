//! Reading a batch answer into what the report needs: each item's status,
//! and the stored entry's id or the problem.
//!
//! An answer holds one item per entry sent, each echoing the whole stored
//! entry (about 200 bytes, most of them keys and `null`s the report does not
//! need). Decoding it is the largest cost of an upload on the client, so
//! the common answer (a plain JSON array in which every item is a success)
//! is read by a small scanner that looks only at `status` and `body.id` and
//! skips the rest without building anything. Any other answer (an item that
//! failed, the JSON-LD form, escapes in keys or ids, anything unexpected)
//! is decoded by serde ([`Slot`]'s `Deserialize`), which also gives
//! malformed answers their error: the scanner never decides that an answer
//! is wrong, only that it cannot take the fast path. Like serde, it checks
//! the UTF-8 of the keys and of the values it reads, not of the string
//! values it skips.
//!
//! LOX24 writes every item of an answer with the same keys in the same
//! order, and nearly the same `null`s: so an item read in full leaves its
//! shape (its bytes, with holes where the id and the other values that vary
//! are), and the next item is read by comparing it with those bytes and
//! reading only the holes. An item that differs anywhere is read in
//! full again and becomes the new shape.

use std::ops::Range;

use serde::{Deserialize, Deserializer};

use crate::{
    Error, transport,
    upload::slot::{Id, Slot},
};

/// Decodes a 201 answer into one slot per item: `Created`, or `Refused`
/// with the item's own status and problem.
pub(in crate::upload) fn decode(
    body: &[u8],
    expected: usize,
    request_id: Option<&str>,
) -> Result<Vec<Slot>, Error> {
    if let Some(items) = Scanner::new(body).answer(expected) {
        return Ok(items);
    }
    let parsed = serde_json::from_slice::<Items>(body);
    parsed
        .map(|Items(items)| items)
        .map_err(|e| transport::undecodable(Some(201), request_id.map(str::to_owned), &e, body))
}

/// The serde path: the plain JSON array or the Hydra collection.
struct Items(Vec<Slot>);

impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (items, _total) = crate::jsonld::deserialize_list(deserializer)?;
        Ok(Self(items))
    }
}

/// The property the fuzz target `batch_answer` holds the reader to: the
/// fast path reads what it accepts exactly as serde does (`Err` describes a
/// disagreement), and [`decode`] does not panic whatever the count expected.
#[cfg(feature = "fuzzing")]
pub(crate) fn agrees_with_serde(body: &[u8], expected: usize) -> Result<(), String> {
    let _ = decode(body, expected, None);
    match fast(body) {
        None => Ok(()),
        Some(fast) => match slow(body) {
            Some(slow) if slow == fast => Ok(()),
            slow => Err(format!("scanner read {fast:?}, serde {slow:?}")),
        },
    }
}

/// The fast path alone: `None` when the answer is not its shape.
#[cfg(any(test, feature = "fuzzing"))]
pub(super) fn fast(text: &[u8]) -> Option<Vec<Slot>> {
    Scanner::new(text).answer(0)
}

/// The serde path alone: `None` when the answer does not decode.
#[cfg(any(test, feature = "fuzzing"))]
pub(super) fn slow(text: &[u8]) -> Option<Vec<Slot>> {
    serde_json::from_slice::<Items>(text)
        .ok()
        .map(|Items(items)| items)
}

/// The fast path: a JSON array of success items. Every method returns
/// `None` as soon as the text leaves that shape.
struct Scanner<'a> {
    text: &'a [u8],
    at: usize,
    /// The shape of the last item read in full.
    shape: Vec<Part>,
    /// While an item is read in full: where the bytes its shape keeps as
    /// they are began.
    same_from: usize,
}

/// A piece of an item's shape.
#[derive(Debug)]
enum Part {
    /// Bytes that must be the same as these of the item read in full:
    /// punctuation, keys, the status and `null`s.
    Same(Range<usize>),
    /// The stored entry's id.
    Id,
    /// Any other value, skipped; nested values below this depth.
    Value(u32),
}

/// The keys of an item's body that serde reads besides `id` (a refused
/// item's problem, `Slot`'s `Deserialize`): an answer that has them is
/// left to serde, which checks their types.
const PROBLEM_KEYS: [&[u8]; 5] = [
    b"title",
    b"hydra:title",
    b"detail",
    b"hydra:description",
    b"violations",
];

/// Deeper nesting than this in a skipped value leaves the fast path.
const MAX_DEPTH: u32 = 32;

impl<'a> Scanner<'a> {
    fn new(text: &'a [u8]) -> Self {
        Self {
            text,
            at: 0,
            shape: Vec::new(),
            same_from: 0,
        }
    }

    fn answer(mut self, expected: usize) -> Option<Vec<Slot>> {
        self.expect(b'[')?;
        let mut items = Vec::with_capacity(expected);
        if self.peek()? == b']' {
            self.at += 1;
        } else {
            loop {
                self.skip_space();
                let start = self.at;
                let item = match self.same_shape() {
                    Some(item) => item,
                    None => {
                        self.at = start;
                        self.item()?
                    }
                };
                items.push(item);
                if !self.comma_or(b']')? {
                    break;
                }
            }
        }
        self.skip_space();
        (self.at == self.text.len()).then_some(items)
    }

    /// An item of the same shape as the last one read in full: its bytes
    /// compared, its holes read. `None` when it differs (or nothing was
    /// read in full yet).
    fn same_shape(&mut self) -> Option<Slot> {
        if self.shape.is_empty() {
            return None;
        }
        let shape = std::mem::take(&mut self.shape);
        let item = self.follow(&shape);
        self.shape = shape;
        item
    }

    fn follow(&mut self, shape: &[Part]) -> Option<Slot> {
        let text = self.text;
        let mut id = Id::None;
        for part in shape {
            match *part {
                Part::Same(ref bytes) => {
                    let same = &text[bytes.clone()];
                    if text.get(self.at..self.at + same.len()) != Some(same) {
                        return None;
                    }
                    self.at += same.len();
                }
                Part::Id => id = self.id()?,
                Part::Value(depth) => self.skip_member(depth)?,
            }
        }
        Some(Slot::Created(id))
    }

    /// `{"status": 2xx, "body": {…, "id": …, …}, …}`, read in full; its
    /// shape is kept for the items after it.
    fn item(&mut self) -> Option<Slot> {
        self.shape.clear();
        self.same_from = self.at;
        self.expect(b'{')?;
        let (mut status, mut id) = (None, None);
        loop {
            let key = self.key()?;
            self.expect(b':')?;
            match key {
                b"status" if status.is_none() => {
                    status = Some(u16::try_from(self.unsigned()?).ok()?);
                }
                b"body" if id.is_none() => id = Some(self.body()?),
                b"status" | b"body" => return None,
                _ => self.member(1)?,
            }
            if !self.comma_or(b'}')? {
                break;
            }
        }
        status.filter(|s| (200..300).contains(s))?;
        self.shape.push(Part::Same(self.same_from..self.at));
        Some(Slot::Created(id?))
    }

    /// A value other than the status and the id: part of the shape's
    /// bytes when it is `null`, a hole otherwise.
    fn member(&mut self, depth: u32) -> Option<()> {
        self.skip_space();
        if self.text.get(self.at..self.at + 4) == Some(b"null") {
            self.at += 4;
            return Some(());
        }
        self.open_hole(Part::Value(depth));
        self.skip_member(depth)?;
        self.same_from = self.at;
        Some(())
    }

    /// Ends the shape's bytes before the value that starts here, a hole.
    fn open_hole(&mut self, part: Part) {
        if self.at > self.same_from {
            self.shape.push(Part::Same(self.same_from..self.at));
        }
        self.shape.push(part);
    }

    /// The stored entry: only `id` is read.
    fn body(&mut self) -> Option<Id> {
        self.expect(b'{')?;
        let mut id = Id::None;
        let mut seen = false;
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(Id::None);
        }
        loop {
            let key = self.key()?;
            self.expect(b':')?;
            if PROBLEM_KEYS.contains(&key) {
                // serde reads (and checks) these for a refused item; a
                // stored entry has none of them, so serde decides.
                return None;
            }
            if key == b"id" {
                if seen {
                    return None;
                }
                seen = true;
                self.skip_space();
                self.open_hole(Part::Id);
                id = self.id()?;
                self.same_from = self.at;
            } else {
                self.member(2)?;
            }
            if !self.comma_or(b'}')? {
                break;
            }
        }
        Some(id)
    }

    /// The stored entry's id: a string, a number or `null`.
    fn id(&mut self) -> Option<Id> {
        Some(match self.peek()? {
            b'"' => match quoted_number(&self.text[self.at + 1..]) {
                Some((number, len)) => {
                    self.at += len + 2;
                    Id::Number(number)
                }
                None => Id::from_bytes(self.plain_string()?)?,
            },
            b'0'..=b'9' => Id::Number(self.unsigned()?),
            b'n' => {
                self.literal(b"null")?;
                Id::None
            }
            _ => return None,
        })
    }

    /// A value: `null` and plain strings (nearly all of them) directly,
    /// anything else through [`Scanner::skip_value`].
    fn skip_member(&mut self, depth: u32) -> Option<()> {
        self.skip_space();
        match self.text.get(self.at) {
            Some(b'n') if self.text.get(self.at..self.at + 4) == Some(b"null") => {
                self.at += 4;
                Some(())
            }
            Some(b'"') => {
                let rest = self.text.get(self.at + 1..)?;
                let len = string_end(rest)?;
                if rest[len] == b'"' {
                    self.at += len + 2;
                    Some(())
                } else {
                    self.skip_string()
                }
            }
            _ => self.skip_value(depth),
        }
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.text.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.text.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// After a member or an element: `true` for a comma, `false` for `close`.
    fn comma_or(&mut self, close: u8) -> Option<bool> {
        let next = self.peek()?;
        self.at += 1;
        match next {
            b',' => Some(true),
            _ if next == close => Some(false),
            _ => None,
        }
    }

    /// A key: a string without escapes, in UTF-8; its content. Its end is
    /// found eight bytes at a time, as a value's is: a byte loop cost more
    /// than a quarter of an upload's instructions.
    #[inline]
    fn key(&mut self) -> Option<&'a [u8]> {
        let key = self.plain_string()?;
        (key.is_ascii() || std::str::from_utf8(key).is_ok()).then_some(key)
    }

    /// A string without escapes; its content.
    #[inline]
    fn plain_string(&mut self) -> Option<&'a [u8]> {
        self.expect(b'"')?;
        let start = self.at;
        let rest = self.text.get(start..)?;
        let len = string_end(rest)?;
        (rest[len] == b'"').then_some(())?;
        self.at = start + len + 1;
        Some(&rest[..len])
    }

    /// Any string, escapes included.
    fn skip_string(&mut self) -> Option<()> {
        self.expect(b'"')?;
        loop {
            let rest = self.text.get(self.at..)?;
            let len = string_end(rest)?;
            self.at += len + 1;
            match rest[len] {
                b'"' => return Some(()),
                b'\\' => {
                    let escaped = *self.text.get(self.at)?;
                    self.at += 1;
                    if escaped == b'u' {
                        let hex = self.text.get(self.at..self.at + 4)?;
                        hex.iter().all(u8::is_ascii_hexdigit).then_some(())?;
                        self.at += 4;
                    } else if !matches!(
                        escaped,
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't'
                    ) {
                        return None;
                    }
                }
                _ => return None,
            }
        }
    }

    fn skip_value(&mut self, depth: u32) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' => {
                self.at += 1;
                if self.peek()? == b'}' {
                    self.at += 1;
                    return Some(());
                }
                loop {
                    self.skip_string()?;
                    self.expect(b':')?;
                    self.skip_value(depth + 1)?;
                    if !self.comma_or(b'}')? {
                        return Some(());
                    }
                }
            }
            b'[' => {
                self.at += 1;
                if self.peek()? == b']' {
                    self.at += 1;
                    return Some(());
                }
                loop {
                    self.skip_value(depth + 1)?;
                    if !self.comma_or(b']')? {
                        return Some(());
                    }
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.skip_space();
        let found = self.text.get(self.at..self.at + word.len())?;
        (found == word).then(|| self.at += word.len())
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while self.text.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        self.at - start
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Option<()> {
        self.skip_space();
        if self.text.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let start = self.at;
        match self.digits() {
            0 => return None,
            n if n > 1 && self.text[start] == b'0' => return None,
            _ => {}
        }
        if self.text.get(self.at) == Some(&b'.') {
            self.at += 1;
            (self.digits() > 0).then_some(())?;
        }
        if let Some(b'e' | b'E') = self.text.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.text.get(self.at) {
                self.at += 1;
            }
            (self.digits() > 0).then_some(())?;
        }
        Some(())
    }

    /// A non-negative integer without sign, fraction or exponent.
    fn unsigned(&mut self) -> Option<u64> {
        self.skip_space();
        let start = self.at;
        let len = self.digits();
        let digits = &self.text[start..start + len];
        if len == 0 || (len > 1 && digits[0] == b'0') {
            return None;
        }
        if let Some(b'.' | b'e' | b'E') = self.text.get(self.at) {
            return None;
        }
        // Digits only, so no text to check: overflow is the one failure.
        digits.iter().try_fold(0u64, |n, &digit| {
            n.checked_mul(10)?.checked_add(u64::from(digit - b'0'))
        })
    }
}

/// LOX24's usual id, a number of at most 19 digits without leading zeros
/// in a string: the number and how many digits, read in one pass. `None`
/// for anything else, which [`Id::from_bytes`] reads.
#[inline]
fn quoted_number(text: &[u8]) -> Option<(u64, usize)> {
    let mut number = 0u64;
    let mut len = 0;
    while let Some(&digit @ b'0'..=b'9') = text.get(len) {
        number = number
            .wrapping_mul(10)
            .wrapping_add(u64::from(digit - b'0'));
        len += 1;
    }
    let canonical = len == 1 || (len > 1 && len <= 19 && text[0] != b'0');
    (canonical && text.get(len) == Some(&b'"')).then_some((number, len))
}

/// Where a run of plain characters inside a string ends: the first quote,
/// backslash or control character. Eight bytes at a time, since most of an
/// answer is strings.
#[inline]
pub(super) fn string_end(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let plain = |b: u8| b != b'"' && b != b'\\' && b >= 0x20;
    let mut at = 0;
    while let Some(word) = bytes.get(at..at + 8) {
        let mut eight = [0; 8];
        eight.copy_from_slice(word);
        let w = u64::from_le_bytes(eight);
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        // A byte's high bit is set where it is zero (for `quote` and
        // `backslash`) or below 0x20; borrows may flag bytes after the
        // first match, never before it.
        let found = ((quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (w.wrapping_sub(ONES * 0x20) & !w))
            & HIGH;
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    bytes[at..].iter().position(|&b| !plain(b)).map(|p| at + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast(text: &str) -> Option<Vec<Slot>> {
        super::fast(text.as_bytes())
    }

    fn serde(text: &str) -> Option<Vec<Slot>> {
        slow(text.as_bytes())
    }

    fn created(id: &str) -> Slot {
        Slot::Created(Id::from_text(id))
    }

    /// Answers the scanner reads, with what both paths must find.
    const READ: &[&str] = &[
        "[]",
        " [ ] ",
        r#"[{"status":201,"body":{"id":"981","phone":"+491","a":null,"b":"x","subscribed_at":null,"unsubscribe_reason":2}}]"#,
        r#"[ { "body" : { "phone" : "+49\"1\u00e9\n" , "id" : 981 } , "status" : 201 } ]"#,
        r#"[{"status":201,"body":{"id":"981","x":{"y":[1,-2.5e+3,true,false,null,{"z":[]}]},"w":{}}}]"#,
        "[{\"status\":200,\"body\":{\"id\":\"981\",\"é\":\"ü\"}}]",
        r#"[{"status":201,"body":{"id":null,"phone":"+491"},"extra":[0]}]"#,
        r#"[{"status":201,"body":{}}]"#,
        // Items of one shape, then items that differ from it: a `null` that
        // is a string, a string that is `null`, keys in another order,
        // other spaces, an id that is a number or missing.
        r#"[{"status":201,"body":{"id":"1","a":null,"b":"x"}},{"status":201,"body":{"id":"2","a":null,"b":"y"}},
            {"status":201,"body":{"id":"3","a":"z","b":"y"}},{"status":201,"body":{"id":"4","a":"z","b":null}},
            {"body":{"b":null,"id":"5","a":"z"},"status":200},{"body":{"b":null,"id":"6","a":"z"},"status":200},
            { "status":201,"body":{"id":7,"a":null,"b":"x"}},{"status":201,"body":{"a":null,"b":"x"}},
            {"status":201,"body":{"id":"9","a":null,"b":{"k":[1,"\n"]}},"x":[2]},{"status":201,"body":{"id":"10","a":null,"b":[]},"x":"q"}]"#,
    ];

    #[test]
    fn the_scanner_reads_success_answers_as_serde_does() {
        for text in READ {
            let fast = fast(text).unwrap_or_else(|| panic!("fast path: {text}"));
            assert_eq!(Some(&fast), serde(text).as_ref(), "{text}");
        }
        assert_eq!(fast(READ[2]), Some(vec![created("981")]));
        assert_eq!(fast(READ[3]), Some(vec![created("981")]));
        let ids: Vec<Slot> = ["1", "2", "3", "4", "5", "6", "7"]
            .into_iter()
            .map(created)
            .chain([Slot::Created(Id::None), created("9"), created("10")])
            .collect();
        assert_eq!(fast(READ[8]), Some(ids));
    }

    #[test]
    fn an_item_read_in_full_leaves_its_shape() {
        let text = br#"[{"status":201,"body":{"id":"1","phone":"+49","a":null,"b":null}},{"status":201,"body":{"id":"22","phone":"+4\"9","a":null,"b":null}},{"status":201,"body":{"id":"3","phone":"+49","a":"x","b":null}}]"#;
        let mut scanner = Scanner::new(text);
        scanner.expect(b'[').unwrap();
        assert_eq!(scanner.same_shape(), None, "no shape before an item");
        assert_eq!(scanner.item(), Some(created("1")));
        let bytes = |part: &Part| match part {
            Part::Same(range) => String::from_utf8_lossy(&text[range.clone()]).into_owned(),
            Part::Id => "ID".into(),
            Part::Value(depth) => format!("VALUE{depth}"),
        };
        let shape: Vec<String> = scanner.shape.iter().map(bytes).collect();
        assert_eq!(
            shape,
            [
                r#"{"status":201,"body":{"id":"#,
                "ID",
                r#","phone":"#,
                "VALUE2",
                r#","a":null,"b":null}}"#
            ]
        );
        // The next item is read by its holes; the one after differs (`a`).
        assert_eq!(scanner.comma_or(b']'), Some(true));
        assert_eq!(scanner.same_shape(), Some(created("22")));
        assert_eq!(scanner.comma_or(b']'), Some(true));
        let third = scanner.at;
        assert_eq!(scanner.same_shape(), None);
        scanner.at = third;
        assert_eq!(scanner.item(), Some(created("3")));
        assert_eq!(scanner.shape.len(), 7, "the new shape has a hole at `a`");
    }

    /// Answers the scanner leaves to serde: valid but not its shape, or
    /// malformed (then serde must fail too).
    #[test]
    fn anything_else_is_left_to_serde() {
        let valid = [
            r#"[{"status":400,"body":{"title":"An error occurred","detail":"phone: invalid"}}]"#,
            r#"{"hydra:member":[{"status":201,"body":{"id":"1"}}]}"#,
            r#"[{"status":201,"body":{"i\u0064":"1"}}]"#,
            r#"[{"status":201,"body":{"id":"1\n"}}]"#,
            r#"[{"status":201,"body":{"id":"1"}},{"status":422,"body":{}}]"#,
            r#"[{"status":201,"body":{"id":"1"}},{"status":201,"body":{"id":"2"}},{"status":201,"body":{"id":"3","title":"x"}}]"#,
        ];
        for text in valid {
            assert_eq!(fast(text), None, "{text}");
            assert!(serde(text).is_some(), "{text}");
        }
        let malformed = [
            "",
            "[",
            r#"[{"status":201,"body":{"id":"1"}}"#,
            r#"[{"status":201,"body":{"id":"1"}}] x"#,
            r#"[{"status":201,"body":{"id":"1"}},]"#,
            r#"[{"status":201}]"#,
            r#"[{"body":{"id":"1"}}]"#,
            r#"[{"status":201,"status":201,"body":{"id":"1"}}]"#,
            r#"[{"status":201,"body":{"id":"1","a":nul}}]"#,
            r#"[{"status":201,"body":{"id":"1","a":01}}]"#,
            r#"[{"status":201,"body":{"id":"1","a":1.}}]"#,
            r#"[{"status":201,"body":{"id":"1","a":"\x"}}]"#,
            r#"[{"status":201.0,"body":{"id":"1"}}]"#,
            r#"[{"status":70000,"body":{"id":"1"}}]"#,
            r#"[{"status":201,"body":{"id":-1}}]"#,
            "[{\"status\":201,\"body\":{\"id\":\"1\",\"a\":\"tab\tin\"}}]",
            // Errors in a hole of an item of the shape before it.
            r#"[{"status":201,"body":{"id":"1","a":"x"}},{"status":201,"body":{"id":-2,"a":"x"}}]"#,
            r#"[{"status":201,"body":{"id":"1","a":"x"}},{"status":201,"body":{"id":"2","a":"\x"}}]"#,
            r#"[{"status":201,"body":{"id":"1","a":"x"}},{"status":201,"body":{"id":"2","a":01}}]"#,
        ];
        for text in malformed {
            assert_eq!(fast(text), None, "{text}");
            assert_eq!(serde(text), None, "{text}");
        }
    }

    #[test]
    fn ids_in_strings_are_read_as_numbers_when_written_as_numbers() {
        for id in [
            "0",
            "7",
            "10",
            "981",
            "1234567890123456789",
            "18446744073709551615",
            "99999999999999999999",
            "01",
            "00",
            "1a",
            "",
            "1.0",
            "-1",
            "\u{e9}",
        ] {
            let text = format!(r#"[{{"status":201,"body":{{"id":"{id}"}}}}]"#);
            let expected = vec![Slot::Created(Id::from_text(id))];
            assert_eq!(fast(&text), Some(expected.clone()), "{id}");
            assert_eq!(serde(&text), Some(expected), "{id}");
        }
        assert_eq!(quoted_number(b"981\""), Some((981, 3)));
        assert_eq!(quoted_number(b"0\""), Some((0, 1)));
        // 20 digits and leading zeros are left to `Id::from_bytes`.
        assert_eq!(quoted_number(b"18446744073709551615\""), None);
        assert_eq!(quoted_number(b"01\""), None);
        assert_eq!(quoted_number(b"981"), None);
    }

    #[test]
    fn string_ends_are_found_at_any_offset() {
        for len in 0..40 {
            for stop in [b'"', b'\\', b'\n', 0x1f] {
                for filler in [b'a', 0x7f, 0xc3, b'!', b'#', b'[', b']'] {
                    let mut bytes = vec![filler; len];
                    bytes.push(stop);
                    bytes.extend_from_slice(b"\"zz\\");
                    assert_eq!(string_end(&bytes), Some(len), "{len} {stop} {filler}");
                }
            }
            assert_eq!(string_end(&vec![b'x'; len]), None);
        }
    }

    #[test]
    fn utf8_is_checked_where_serde_checks_it() {
        let with = |bytes: &[u8]| {
            let mut text = br#"[{"status":201,"body":{"#.to_vec();
            text.extend_from_slice(bytes);
            text.extend_from_slice(b"}}]");
            text
        };
        let slice = |text: &[u8]| serde_json::from_slice::<Items>(text).ok().map(|Items(i)| i);
        // In a skipped value: both read the answer.
        let text = with(b"\"id\":\"1\",\"a\":\"\xff\"");
        assert_eq!(Scanner::new(&text).answer(1), Some(vec![created("1")]));
        assert_eq!(slice(&text), Some(vec![created("1")]));
        // In a key or in the id: both refuse it.
        for bytes in [&b"\"\xff\":1,\"id\":\"1\""[..], b"\"id\":\"\xff\""] {
            let text = with(bytes);
            assert_eq!(Scanner::new(&text).answer(1), None);
            assert_eq!(slice(&text), None);
        }
    }

    #[test]
    fn a_body_with_a_problems_keys_is_left_to_serde() {
        // Found by the fuzz target `batch_answer`: serde reads these keys
        // (and refused invalid UTF-8 in a `title`) where the scanner skipped
        // them.
        let invalid = b"[{\"status\":201,\"body\":{\"id\":\"9\",\"title\":\"a\xe5 b\"}}]";
        assert_eq!(super::fast(invalid), None);
        assert_eq!(super::slow(invalid), None);
        for key in PROBLEM_KEYS {
            let key = std::str::from_utf8(key).unwrap();
            for value in ["\"x\"", "5", "[]"] {
                let text = format!(r#"[{{"status":201,"body":{{"id":"9","{key}":{value}}}}}]"#);
                assert_eq!(fast(&text), None, "{text}");
            }
        }
        // Other keys of the stored entry are skipped, as before.
        assert_eq!(
            fast(r#"[{"status":201,"body":{"id":"9","titles":5}}]"#),
            Some(vec![created("9")])
        );
    }

    #[test]
    fn deep_nesting_leaves_the_fast_path() {
        let deep = format!(
            r#"[{{"status":201,"body":{{"id":"1","a":{}1{}}}}}]"#,
            "[".repeat(40),
            "]".repeat(40)
        );
        assert_eq!(fast(&deep), None);
        assert_eq!(
            decode(deep.as_bytes(), 1, None).expect("serde reads it"),
            vec![created("1")]
        );
    }

    #[test]
    fn problems_and_unreadable_answers() {
        let items = decode(
            br#"[{"status":201,"body":{"id":"981"}},
                {"status":400,"body":{"hydra:title":"An error occurred","hydra:description":"phone: invalid"}}]"#,
            2,
            None,
        )
        .expect("decodes");
        assert_eq!(items[0], created("981"));
        let Slot::Refused { status, problem } = &items[1] else {
            panic!("refused: {:?}", items[1]);
        };
        assert_eq!((*status, problem.message()), (400, "phone: invalid"));

        let err = decode(b"<html>Created</html>", 1, Some("req")).expect_err("not JSON");
        assert_eq!((err.status(), err.request_id()), (Some(201), Some("req")));
        assert!(matches!(err, Error::UnexpectedResponse(_)));
    }
}
