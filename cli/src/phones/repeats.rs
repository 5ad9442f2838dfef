//! Rows whose number repeats an earlier row's, as the number will be sent.
//!
//! The number is compared after the import's phone policy, so that
//! `+49 170 1234567`, `0170 1234567` (with `--country DE`) and
//! `+491701234567` are one. Keys are exact, never a hash alone: a collision
//! would leave out a real number without a word. An E.164 number (`+`, a
//! digit other than 0, at most 15 digits in all) is kept as its value in a
//! `u64`, which no other such number shares (no leading zero); anything else
//! the policy gives (`--as-written`) is kept as its text.
//!
//! Measured with a counting allocator, a `HashMap<u64, u64>` (number, line
//! of its first row) holds 17 bytes per bucket at 7/8 load at most and
//! doubles: 19.4 to 38.9 bytes per distinct number (35.7 MB for a million),
//! half as much again for a moment while it grows.

use std::collections::HashMap;

use lox24::{PhoneEntry, number::PhonePolicy};

/// The numbers seen so far, each with the line of its first row.
pub struct Seen {
    policy: PhonePolicy,
    e164: HashMap<u64, u64>,
    text: HashMap<Box<str>, u64>,
}

/// A number as the set keeps it.
#[derive(Debug, PartialEq, Eq)]
enum Key {
    E164(u64),
    Text(Box<str>),
}

impl Seen {
    pub fn new(policy: PhonePolicy) -> Self {
        Self {
            policy,
            e164: HashMap::new(),
            text: HashMap::new(),
        }
    }

    /// The line of the earlier row whose number `entry`'s repeats, if one
    /// does; otherwise the number is remembered with `line`. An entry the
    /// client will refuse (its number, or another field over its limit) is
    /// not sent, so it is neither a repeat nor remembered: the engine
    /// rejects it with its reason.
    ///
    /// The entry is left as it was; its number is swapped for the one to
    /// be sent while the engine's checks run, to spare copying the rest.
    pub fn first(&mut self, line: u64, entry: &mut PhoneEntry) -> Option<u64> {
        let sent = self.policy.apply(&entry.phone).ok()?.into_owned();
        let written = std::mem::replace(&mut entry.phone, sent);
        let valid = entry.validate().is_ok();
        let sent = std::mem::replace(&mut entry.phone, written);
        if !valid {
            return None;
        }
        match key(sent) {
            Key::E164(digits) => remember(&mut self.e164, digits, line),
            Key::Text(text) => remember(&mut self.text, text, line),
        }
    }
}

/// The repeated rows an import left out: how many, and the first
/// [`LISTED`] as (line, line of the first row with the number).
#[derive(Debug, Default)]
pub struct Repeated {
    pub count: u64,
    pub listed: Vec<(u64, u64)>,
}

/// Repeated rows listed by line, at most (in `--json`; the rest are counted).
pub const LISTED: usize = 100;

impl Repeated {
    pub fn add(&mut self, line: u64, first: u64) {
        self.count += 1;
        if self.listed.len() < LISTED {
            self.listed.push((line, first));
        }
    }
}

fn remember<K: std::hash::Hash + Eq>(seen: &mut HashMap<K, u64>, key: K, line: u64) -> Option<u64> {
    match seen.entry(key) {
        std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
        std::collections::hash_map::Entry::Vacant(new) => {
            new.insert(line);
            None
        }
    }
}

/// `+` and 1 to 15 digits without a leading zero as their value, which
/// gives the text back; anything else as the text itself.
fn key(number: String) -> Key {
    let e164 = number
        .strip_prefix('+')
        .filter(|d| (1..=15).contains(&d.len()) && !d.starts_with('0'))
        .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|d| d.parse().ok());
    match e164 {
        Some(value) => Key::E164(value),
        None => Key::Text(number.into_boxed_str()),
    }
}

#[cfg(test)]
mod tests {
    use lox24::{Column, number::Country};

    use super::*;

    fn lines(policy: PhonePolicy, numbers: &[&str]) -> Vec<Option<u64>> {
        let mut seen = Seen::new(policy);
        (2..)
            .zip(numbers)
            .map(|(line, n)| seen.first(line, &mut PhoneEntry::new(*n)))
            .collect()
    }

    #[test]
    fn a_number_repeats_whatever_its_spelling_once_the_policy_made_it() {
        let de = PhonePolicy::Normalize(Some(Country::from_iso("DE").unwrap()));
        assert_eq!(
            lines(
                de,
                &[
                    "+49 170 1234567",
                    "+491701234568",
                    "0170 1234567",
                    "+491701234567"
                ]
            ),
            [None, None, Some(2), Some(2)]
        );
    }

    #[test]
    fn numbers_the_client_refuses_are_left_to_the_engine() {
        // Without a country, a national number is refused: not remembered.
        assert_eq!(
            lines(PhonePolicy::default(), &["0170 1234567", "0170 1234567"]),
            [None, None]
        );
        // A field over its limit: refused before sending, so the next row
        // with the number is the first one sent.
        let mut seen = Seen::new(PhonePolicy::default());
        let mut long = PhoneEntry::new("+49 170 1234567").column(Column::A, "x".repeat(1531));
        assert_eq!(seen.first(2, &mut long), None);
        assert_eq!(long.phone, "+49 170 1234567", "left as it was");
        let mut good = PhoneEntry::new("+491701234567");
        assert_eq!(seen.first(3, &mut good.clone()), None);
        assert_eq!(seen.first(4, &mut good), Some(3));
    }

    #[test]
    fn keys_are_exact_leading_zeros_and_texts_included() {
        assert_eq!(key("+491701234567".into()), Key::E164(491_701_234_567));
        assert_eq!(
            key("+999999999999999".into()),
            Key::E164(999_999_999_999_999)
        );
        for text in ["+0170", "0170", "170", "+1234567890123456", "+49 170", "+"] {
            assert_eq!(key(text.into()), Key::Text(text.into()), "{text}");
        }
        // As written, each spelling is its own number.
        assert_eq!(
            lines(
                PhonePolicy::PassThrough,
                &["0170", "170", "+170", "00170", "0170", "+170"]
            ),
            [None, None, None, None, Some(2), Some(4)]
        );
    }
}
