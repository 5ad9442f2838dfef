//! The fingerprint of an upload's input: what a resume checks its own input
//! against before it sends anything.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::PhoneEntry;

/// A fingerprint of the entries an upload read, in order: how many, and a
/// 64-bit FNV-1a hash of every field of each (the number as written, the
/// five columns and `callback_data`, each marked present or absent and
/// prefixed with its length, so that no two inputs run together into the
/// same bytes). It guards against a resume with another input by mistake,
/// not against a forgery.
///
/// Written as `{"entries": 100, "fnv1a64": "9f0c…"}` (the hash as 16 hex
/// digits, so that no JSON reader rounds it).
///
/// ```
/// # fn check(report: &lox24::upload::UploadReport) {
/// let covered = report.input_fingerprint();
/// assert_eq!(covered.entries(), report.read());
/// # }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InputFingerprint {
    entries: u64,
    hash: u64,
}

impl InputFingerprint {
    /// How many entries it covers: the first ones of the input.
    pub fn entries(&self) -> u64 {
        self.entries
    }
}

impl fmt::Display for InputFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} entries, fnv1a64 {:016x}", self.entries, self.hash)
    }
}

/// Builds an [`InputFingerprint`] entry by entry.
#[derive(Clone, Debug)]
pub(super) struct Fingerprinter {
    entries: u64,
    hash: u64,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

impl Default for Fingerprinter {
    fn default() -> Self {
        Self {
            entries: 0,
            hash: FNV_OFFSET,
        }
    }
}

/// `FNV_PRIME` to the powers 0 to 16: hashing `k` zero bytes multiplies
/// the hash by the prime `k` times (`h ^ 0 = h`), which is one multiplication
/// by its `k`-th power. Most of an entry's bytes are zeros (absent fields,
/// and the high bytes of each length), and FNV-1a's multiplications wait on
/// each other: this keeps the hash and saves most of them.
const PRIME_POWERS: [u64; 17] = {
    let mut powers = [1u64; 17];
    let mut k = 1;
    while k < powers.len() {
        powers[k] = powers[k - 1].wrapping_mul(FNV_PRIME);
        k += 1;
    }
    powers
};

/// The fields fingerprinted, in order: the number as written, the five
/// columns and `callback_data`.
fn fields(entry: &PhoneEntry) -> [Option<&String>; 7] {
    [
        Some(&entry.phone),
        entry.a.as_ref(),
        entry.b.as_ref(),
        entry.c.as_ref(),
        entry.d.as_ref(),
        entry.e.as_ref(),
        entry.callback_data.as_ref(),
    ]
}

impl Fingerprinter {
    pub(super) fn add(&mut self, entry: &PhoneEntry) {
        self.entries += 1;
        // Zero bytes not hashed yet, hashed at once by the next other byte.
        let mut zeros = 0;
        for value in fields(entry) {
            match value {
                // Absent: the byte 0.
                None => zeros += 1,
                // Present: the byte 1, the length as 8 bytes (little
                // endian), the text.
                Some(text) => {
                    self.zeros(zeros);
                    self.byte(1);
                    let length = (text.len() as u64).to_le_bytes();
                    let significant = length.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
                    for &byte in &length[..significant] {
                        self.byte(byte);
                    }
                    self.zeros(8 - significant);
                    for &byte in text.as_bytes() {
                        self.byte(byte);
                    }
                    zeros = 0;
                }
            }
        }
        self.zeros(zeros);
    }

    pub(super) fn finish(&self) -> InputFingerprint {
        InputFingerprint {
            entries: self.entries,
            hash: self.hash,
        }
    }

    #[inline]
    fn byte(&mut self, byte: u8) {
        self.hash = (self.hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
    }

    /// `count` zero bytes (at most 16).
    #[inline]
    fn zeros(&mut self, count: usize) {
        if count > 0 {
            self.hash = self.hash.wrapping_mul(PRIME_POWERS[count]);
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Wire<'a> {
    entries: u64,
    #[serde(borrow)]
    fnv1a64: std::borrow::Cow<'a, str>,
}

impl Serialize for InputFingerprint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Wire {
            entries: self.entries,
            fnv1a64: format!("{:016x}", self.hash).into(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for InputFingerprint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = Wire::deserialize(deserializer)?;
        if wire.fnv1a64.len() != 16 || !wire.fnv1a64.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(de::Error::custom("fnv1a64 is 16 hex digits"));
        }
        let hash = u64::from_str_radix(&wire.fnv1a64, 16)
            .map_err(|_| de::Error::custom("fnv1a64 is 16 hex digits"))?;
        Ok(Self {
            entries: wire.entries,
            hash,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(entries: &[PhoneEntry]) -> InputFingerprint {
        let mut fingerprinter = Fingerprinter::default();
        entries.iter().for_each(|e| fingerprinter.add(e));
        fingerprinter.finish()
    }

    /// FNV-1a over the bytes the type's description defines, a byte at a
    /// time: what the fingerprint must equal, whatever it saves.
    fn byte_by_byte(entries: &[PhoneEntry]) -> u64 {
        let mut bytes = Vec::new();
        for entry in entries {
            for value in fields(entry) {
                match value {
                    None => bytes.push(0),
                    Some(text) => {
                        bytes.push(1);
                        bytes.extend_from_slice(&(text.len() as u64).to_le_bytes());
                        bytes.extend_from_slice(text.as_bytes());
                    }
                }
            }
        }
        bytes.iter().fold(FNV_OFFSET, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
        })
    }

    #[test]
    fn the_hash_is_fnv1a_of_the_described_bytes() {
        use crate::Column;
        let text = |len: usize| "é".repeat(len / 2) + &"x".repeat(len % 2);
        let mut entries = Vec::new();
        for len in [0, 1, 13, 255, 256, 257, 511, 1530, 65_536, 70_001] {
            entries.push(PhoneEntry::new(text(len)));
            entries.push(PhoneEntry::new("+491701234567").column(Column::C, text(len)));
            entries.push(
                PhoneEntry::new("+1")
                    .column(Column::A, text(len))
                    .column(Column::E, "")
                    .callback_data(text(len / 3)),
            );
        }
        for end in 0..=entries.len() {
            assert_eq!(
                of(&entries[..end]).hash,
                byte_by_byte(&entries[..end]),
                "{end}"
            );
        }
    }

    #[test]
    fn fields_do_not_run_together() {
        let a = PhoneEntry::new("+4917").callback_data("01");
        let b = PhoneEntry::new("+491701");
        assert_ne!(of(&[a]), of(&[b]));
        let empty = PhoneEntry::new("+4917").callback_data("");
        assert_ne!(of(&[empty]), of(&[PhoneEntry::new("+4917")]));
        assert_ne!(
            of(&[PhoneEntry::new("+1"), PhoneEntry::new("+2")]),
            of(&[PhoneEntry::new("+2"), PhoneEntry::new("+1")])
        );
    }

    #[test]
    fn the_hash_is_fixed_and_written_as_hex() {
        // FNV-1a of nothing is its offset basis.
        assert_eq!(of(&[]).hash, FNV_OFFSET);
        let fingerprint = of(&[PhoneEntry::new("+491701234567")]);
        // Pinned: a report written by one version is resumed by another.
        assert_eq!(fingerprint.hash, 0xadf8_6b25_7baa_5641);
        let json = serde_json::to_string(&fingerprint).unwrap();
        assert_eq!(
            json,
            format!(r#"{{"entries":1,"fnv1a64":"{:016x}"}}"#, fingerprint.hash)
        );
        assert_eq!(
            serde_json::from_str::<InputFingerprint>(&json).unwrap(),
            fingerprint
        );
        for bad in [
            r#"{"entries":1,"fnv1a64":"xyz"}"#,
            r#"{"entries":1,"fnv1a64":"+00000000000000f"}"#,
        ] {
            assert!(
                serde_json::from_str::<InputFingerprint>(bad).is_err(),
                "{bad}"
            );
        }
    }
}
