//! The fast paths against serde on generated inputs: the writer must write
//! every entry as `serde_json` writes it, and the scanner must read every
//! answer it accepts as serde reads it (and accept the common answer).

use serde_json::{Map, Value, json};

use super::{Body, scanner, writer::write_entry};
use crate::{Column, PhoneEntry};

/// A small seeded generator (xorshift64*), so that a failure replays.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A text of pieces that stress JSON: quotes, backslashes, control
    /// characters, DEL, line separators, non-ASCII and astral characters.
    fn text(&mut self, plain: bool) -> String {
        const PLAIN: &[&str] = &[
            "a", "Zz", "0", "+49", " ", "é", "Köln", "😀", "/", "\u{7f}", "日本",
        ];
        const ESCAPED: &[&str] = &[
            "\"", "\\", "\n", "\t", "\r", "\u{0}", "\u{1}", "\u{1f}", "\u{8}", "\u{c}",
        ];
        let pieces = self.below(12);
        (0..pieces)
            .map(|_| {
                if plain || self.chance(80) {
                    PLAIN[self.below(PLAIN.len())]
                } else {
                    ESCAPED[self.below(ESCAPED.len())]
                }
            })
            .collect()
    }

    fn entry(&mut self) -> PhoneEntry {
        let mut entry = PhoneEntry::new(self.text(false));
        for column in Column::ALL {
            if self.chance(40) {
                entry = entry.column(column, self.text(false));
            }
        }
        if self.chance(30) {
            entry = entry.callback_data(self.text(false));
        }
        entry
    }

    /// Any JSON value, nested at most `depth` deep.
    fn value(&mut self, depth: u32) -> Value {
        match self.below(if depth == 0 { 5 } else { 7 }) {
            0 => Value::Null,
            1 => Value::Bool(self.chance(50)),
            2 => json!(self.next() as i64 >> self.below(60)),
            3 => json!((self.next() % 1000) as f64 / 7.0),
            4 => Value::String(self.text(false)),
            5 => Value::Array((0..self.below(3)).map(|_| self.value(depth - 1)).collect()),
            _ => Value::Object(
                (0..self.below(3))
                    .map(|i| (format!("k{i}"), self.value(depth - 1)))
                    .collect(),
            ),
        }
    }

    /// One item of a batch answer: nearly always a success echoing the
    /// entry, sometimes a refusal, sometimes an odd id.
    fn item(&mut self) -> Value {
        let mut body = Map::new();
        let status = match self.below(20) {
            0 => 400,
            1 => 422,
            2 => 200,
            _ => 201,
        };
        if status < 300 {
            let id = match self.below(20) {
                0 => Value::Null,
                1 => json!(self.next() % 100_000),
                2 => Value::String(self.text(false)),
                3 => json!("0981"),
                _ => Value::String((self.next() % 10_000_000).to_string()),
            };
            if !self.chance(5) {
                body.insert("id".into(), id);
            }
            body.insert("phone".into(), Value::String(self.text(false)));
            for key in ["a", "b", "c", "d", "e", "callback_data", "unsubscribed_at"] {
                let value = if self.chance(60) {
                    Value::Null
                } else {
                    self.value(2)
                };
                body.insert(key.into(), value);
            }
        } else {
            body.insert("title".into(), json!("An error occurred"));
            body.insert("detail".into(), Value::String(self.text(false)));
        }
        let mut item = Map::new();
        item.insert("status".into(), json!(status));
        item.insert("body".into(), Value::Object(body));
        if self.chance(5) {
            item.insert("extra".into(), self.value(2));
        }
        Value::Object(item)
    }
}

#[test]
fn the_writer_writes_every_entry_as_serde_does() {
    let mut draw = Draw(0x5eed_1234_abcd_0001);
    for _ in 0..5_000 {
        let entry = draw.entry();
        let mut ours = Vec::new();
        write_entry(&mut ours, &entry, &entry.phone).expect("writes");
        let theirs = serde_json::to_vec(&entry).expect("serialises");
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs),
            "{entry:?}"
        );
    }
}

#[test]
fn bodies_and_resends_are_the_serde_arrays_of_their_entries() {
    let mut draw = Draw(0x5eed_1234_abcd_0002);
    for _ in 0..300 {
        let entries: Vec<PhoneEntry> = (0..draw.below(40)).map(|_| draw.entry()).collect();
        let mut body = Body::with_capacity(entries.len());
        for entry in &entries {
            body.push(entry, &entry.phone).expect("writes");
        }
        let sealed = body.seal();
        assert_eq!(&sealed.bytes[..], serde_json::to_vec(&entries).unwrap());
        for (k, entry) in entries.iter().enumerate() {
            assert_eq!(sealed.phone(k), entry.phone);
        }
        let keep: Vec<usize> = (0..entries.len()).filter(|_| draw.chance(50)).collect();
        let kept: Vec<&PhoneEntry> = keep.iter().map(|&k| &entries[k]).collect();
        assert_eq!(
            &sealed.select(keep).seal().bytes[..],
            serde_json::to_vec(&kept).unwrap()
        );
    }
}

#[test]
fn the_scanner_reads_every_answer_it_accepts_as_serde_does() {
    let mut draw = Draw(0x5eed_1234_abcd_0003);
    let (mut fast, mut answers) = (0, 0);
    for _ in 0..3_000 {
        let items: Vec<Value> = (0..draw.below(12)).map(|_| draw.item()).collect();
        let answer = Value::Array(items);
        let text = if draw.chance(50) {
            serde_json::to_vec(&answer)
        } else {
            serde_json::to_vec_pretty(&answer)
        }
        .expect("serialises");
        answers += 1;
        let theirs = scanner::slow(&text).expect("serde reads every generated answer");
        if let Some(ours) = scanner::fast(&text) {
            fast += 1;
            assert_eq!(ours, theirs, "{}", String::from_utf8_lossy(&text));
        }
        assert_eq!(
            super::decode(&text, 0, None).expect("decodes"),
            theirs,
            "{}",
            String::from_utf8_lossy(&text)
        );
    }
    // The common answer (every item a success) takes the fast path: a
    // scanner that gave up on everything would pass the comparisons above.
    assert!(
        fast * 4 > answers,
        "{fast} of {answers} answers on the fast path"
    );
}
