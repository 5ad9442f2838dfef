//! Writing a batch request's body, entry by entry, as the input is read:
//! the body is serialised once (a resend copies bytes instead of
//! serialising again), and an entry's text is copied as it is where it
//! needs no escape, which is nearly always.

use std::ops::Range;

use bytes::Bytes;

use super::scanner::string_end;
use crate::PhoneEntry;

/// The body of a batch request, built entry by entry: `[e0,e1,…]`.
pub(in crate::upload) struct Body {
    bytes: Vec<u8>,
    spans: Vec<Range<usize>>,
}

/// A body ready to send, kept for retries and resends.
pub(in crate::upload) struct Sealed {
    pub bytes: Bytes,
    spans: Vec<Range<usize>>,
}

impl Body {
    pub fn with_capacity(entries: usize) -> Self {
        Self {
            // A typical entry (a phone number, no columns) is about 26 bytes.
            bytes: Vec::with_capacity(entries * 32),
            spans: Vec::with_capacity(entries),
        }
    }

    /// Appends one entry.
    /// Adds `entry` with `phone` for its number (the number as prepared).
    pub fn push(&mut self, entry: &PhoneEntry, phone: &str) -> Result<(), serde_json::Error> {
        let start = self.bytes.len();
        self.bytes.push(if start == 0 { b'[' } else { b',' });
        let result = write_entry(&mut self.bytes, entry, phone);
        if result.is_err() {
            self.bytes.truncate(start);
        } else {
            self.spans.push(start + 1..self.bytes.len());
        }
        result
    }

    pub fn seal(mut self) -> Sealed {
        if self.bytes.is_empty() {
            self.bytes.push(b'[');
        }
        self.bytes.push(b']');
        Sealed {
            bytes: Bytes::from(self.bytes),
            spans: self.spans,
        }
    }
}

/// Writes an entry with `phone` for its number as JSON, as its `Serialize`
/// does (same keys, order and escapes), without serde's per-character
/// escaping where a text needs none.
pub(super) fn write_entry(
    out: &mut Vec<u8>,
    entry: &PhoneEntry,
    phone: &str,
) -> Result<(), serde_json::Error> {
    out.extend_from_slice(b"{\"phone\":");
    write_text(out, phone)?;
    for (key, value) in [
        (&b",\"a\":"[..], &entry.a),
        (b",\"b\":", &entry.b),
        (b",\"c\":", &entry.c),
        (b",\"d\":", &entry.d),
        (b",\"e\":", &entry.e),
        (b",\"callback_data\":", &entry.callback_data),
    ] {
        if let Some(value) = value {
            out.extend_from_slice(key);
            write_text(out, value)?;
        }
    }
    out.push(b'}');
    Ok(())
}

fn write_text(out: &mut Vec<u8>, text: &str) -> Result<(), serde_json::Error> {
    if string_end(text.as_bytes()).is_none() {
        // No quote, backslash or control character: nothing to escape.
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
        Ok(())
    } else {
        serde_json::to_writer(out, text)
    }
}

/// The number of an entry, read back from its place in a body (for the
/// outcomes that name it; the body was written from the entry, so it reads).
fn phone_in(bytes: &[u8], span: &Range<usize>) -> String {
    #[derive(serde::Deserialize)]
    struct Phone {
        phone: String,
    }
    bytes
        .get(span.clone())
        .and_then(|entry| serde_json::from_slice::<Phone>(entry).ok())
        .map(|p| p.phone)
        .unwrap_or_default()
}

impl Body {
    /// The number of entry `k` of this body.
    pub fn phone(&self, k: usize) -> String {
        self.spans
            .get(k)
            .map(|span| phone_in(&self.bytes, span))
            .unwrap_or_default()
    }
}

impl Sealed {
    /// The number of entry `k` of this body.
    pub fn phone(&self, k: usize) -> String {
        self.spans
            .get(k)
            .map(|span| phone_in(&self.bytes, span))
            .unwrap_or_default()
    }

    /// A body with the entries at `keep` (indexes into this body's entries).
    pub fn select(&self, keep: impl IntoIterator<Item = usize>) -> Body {
        let mut body = Body::with_capacity(0);
        for i in keep {
            let span = self.spans[i].clone();
            body.bytes
                .push(if body.bytes.is_empty() { b'[' } else { b',' });
            let start = body.bytes.len();
            body.bytes.extend_from_slice(&self.bytes[span]);
            body.spans.push(start..body.bytes.len());
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(phone: &str) -> PhoneEntry {
        PhoneEntry::new(phone)
    }

    #[test]
    fn entries_are_written_as_serde_writes_them() {
        use crate::Column;
        for entry in [
            PhoneEntry::new("+491701234567"),
            PhoneEntry::new("+49 \"quoted\" \\ back\tslash\u{1}")
                .column(Column::A, "Ünïcødé 😀")
                .column(Column::C, "x\ny")
                .callback_data("cb/1"),
            PhoneEntry::new("+49")
                .column(Column::B, "")
                .column(Column::D, "d")
                .column(Column::E, "e\u{7f}"),
        ] {
            let mut out = Vec::new();
            write_entry(&mut out, &entry, &entry.phone).expect("writes");
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(&entry).unwrap()
            );
        }
    }

    #[test]
    fn bodies_are_json_arrays_and_resends_copy_entries() {
        assert_eq!(&Body::with_capacity(0).seal().bytes[..], b"[]");
        let mut body = Body::with_capacity(3);
        for phone in ["+491", "+492", "+493"] {
            body.push(&wire(phone), phone).expect("serialisable");
        }
        let sealed = body.seal();
        assert_eq!(
            &sealed.bytes[..],
            br#"[{"phone":"+491"},{"phone":"+492"},{"phone":"+493"}]"#
        );
        assert_eq!(
            &sealed.select([0, 2]).seal().bytes[..],
            br#"[{"phone":"+491"},{"phone":"+493"}]"#
        );
        assert_eq!(&sealed.select([]).seal().bytes[..], b"[]");
    }
}
