//! The fingerprint of an upload's input: what a resume checks its own input
//! against before it sends anything.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use xxhash_rust::xxh3::Xxh3Default;

use crate::PhoneEntry;

/// A fingerprint of the entries an upload read, in order: how many, and a
/// 64-bit hash of every field of each (the number as written, the five
/// columns and `callback_data`, each marked present or absent and prefixed
/// with its length, so that no two inputs run together into the same
/// bytes). It guards against a resume with another input by mistake, not
/// against a forgery.
///
/// The hash is XXH3-64 (seed 0) of those bytes, written as
/// `{"entries": 100, "xxh3_64": "9f0c…"}` (16 hex digits, so that no JSON
/// reader rounds it). Reports of format 2 and before hold FNV-1a
/// (`"fnv1a64"`) of the same bytes; they are still read and resumed, and
/// an upload resumed from one keeps its hash.
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
    hash: Hash,
}

/// The hash of a fingerprint, by its function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Hash {
    Xxh3(u64),
    /// Written by format 2 and before.
    Fnv1a(u64),
}

impl InputFingerprint {
    /// How many entries it covers: the first ones of the input.
    pub fn entries(&self) -> u64 {
        self.entries
    }

    /// Whether a report of `format` may hold it: FNV-1a in any, XXH3 from
    /// format 3 on.
    pub(super) fn fits_format(&self, format: u32) -> bool {
        matches!(self.hash, Hash::Fnv1a(_)) || format >= 3
    }
}

impl fmt::Display for InputFingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.hash {
            Hash::Xxh3(hash) => write!(f, "{} entries, xxh3_64 {hash:016x}", self.entries),
            Hash::Fnv1a(hash) => write!(f, "{} entries, fnv1a64 {hash:016x}", self.entries),
        }
    }
}

/// Builds an [`InputFingerprint`] entry by entry.
#[derive(Clone)]
pub(super) struct Fingerprinter {
    entries: u64,
    hasher: Hasher,
}

#[derive(Clone)]
enum Hasher {
    /// The entries' bytes gather in `pending` and go to the hash a few
    /// kilobytes at a time: XXH3 reads long input 64 bytes a step, and an
    /// entry is some 30 bytes.
    Xxh3 {
        state: Box<Xxh3Default>,
        pending: Vec<u8>,
    },
    Fnv1a(u64),
}

/// How many bytes gather before they are hashed.
const PENDING: usize = 4096;

impl Default for Fingerprinter {
    fn default() -> Self {
        Self {
            entries: 0,
            hasher: Hasher::Xxh3 {
                state: Box::new(Xxh3Default::new()),
                pending: Vec::with_capacity(PENDING + 256),
            },
        }
    }
}

impl fmt::Debug for Fingerprinter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fingerprinter")
            .field("entries", &self.entries)
            .field("fingerprint", &self.finish())
            .finish()
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

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
    /// A fingerprinter with the hash function of `covered`: resuming a
    /// report, the input is checked against the report's fingerprint.
    pub(super) fn like(covered: &InputFingerprint) -> Self {
        match covered.hash {
            Hash::Xxh3(_) => Self::default(),
            Hash::Fnv1a(_) => Self {
                entries: 0,
                hasher: Hasher::Fnv1a(FNV_OFFSET),
            },
        }
    }

    #[inline]
    pub(super) fn add(&mut self, entry: &PhoneEntry) {
        self.entries += 1;
        match &mut self.hasher {
            Hasher::Xxh3 { state, pending } => {
                // Absent: the byte 0. Present: the byte 1, the length as 8
                // bytes (little endian), the text.
                for value in fields(entry) {
                    match value {
                        None => pending.push(0),
                        Some(text) => {
                            let mut head = [1; 9];
                            head[1..].copy_from_slice(&(text.len() as u64).to_le_bytes());
                            pending.extend_from_slice(&head);
                            pending.extend_from_slice(text.as_bytes());
                        }
                    }
                }
                if pending.len() >= PENDING {
                    state.update(pending);
                    pending.clear();
                }
            }
            Hasher::Fnv1a(hash) => fnv1a(hash, entry),
        }
    }

    pub(super) fn finish(&self) -> InputFingerprint {
        let hash = match &self.hasher {
            Hasher::Xxh3 { state, pending } => {
                let mut state = state.clone();
                state.update(pending);
                Hash::Xxh3(state.digest())
            }
            Hasher::Fnv1a(hash) => Hash::Fnv1a(*hash),
        };
        InputFingerprint {
            entries: self.entries,
            hash,
        }
    }
}

/// FNV-1a of an entry's bytes, runs of zero bytes at once.
fn fnv1a(hash: &mut u64, entry: &PhoneEntry) {
    let byte = |hash: &mut u64, byte: u8| *hash = (*hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
    // `count` zero bytes (at most 16).
    let zeros = |hash: &mut u64, count: usize| {
        if count > 0 {
            *hash = hash.wrapping_mul(PRIME_POWERS[count]);
        }
    };
    // Zero bytes not hashed yet, hashed at once by the next other byte.
    let mut pending = 0;
    for value in fields(entry) {
        match value {
            None => pending += 1,
            Some(text) => {
                zeros(hash, pending);
                byte(hash, 1);
                let length = (text.len() as u64).to_le_bytes();
                let significant = length.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
                for &b in &length[..significant] {
                    byte(hash, b);
                }
                zeros(hash, 8 - significant);
                for &b in text.as_bytes() {
                    byte(hash, b);
                }
                pending = 0;
            }
        }
    }
    zeros(hash, pending);
}

/// On the wire: exactly one of the two hashes, as 16 hex digits.
#[derive(Serialize, Deserialize)]
struct Wire<'a> {
    entries: u64,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    xxh3_64: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    fnv1a64: Option<std::borrow::Cow<'a, str>>,
}

impl Serialize for InputFingerprint {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let hex = |hash: u64| Some(format!("{hash:016x}").into());
        let (xxh3_64, fnv1a64) = match self.hash {
            Hash::Xxh3(hash) => (hex(hash), None),
            Hash::Fnv1a(hash) => (None, hex(hash)),
        };
        Wire {
            entries: self.entries,
            xxh3_64,
            fnv1a64,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for InputFingerprint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        fn hex<E: de::Error>(name: &str, text: &str) -> Result<u64, E> {
            let bad = || E::custom(format!("{name} is 16 hex digits"));
            if text.len() != 16 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(bad());
            }
            u64::from_str_radix(text, 16).map_err(|_| bad())
        }
        let wire = Wire::deserialize(deserializer)?;
        let hash = match (&wire.xxh3_64, &wire.fnv1a64) {
            (Some(text), None) => Hash::Xxh3(hex("xxh3_64", text)?),
            (None, Some(text)) => Hash::Fnv1a(hex("fnv1a64", text)?),
            _ => {
                return Err(de::Error::custom(
                    "the input fingerprint has one hash: xxh3_64 or fnv1a64",
                ));
            }
        };
        Ok(Self {
            entries: wire.entries,
            hash,
        })
    }
}

#[cfg(test)]
mod tests {
    use xxhash_rust::xxh3::xxh3_64;

    use super::*;

    fn with(mut fingerprinter: Fingerprinter, entries: &[PhoneEntry]) -> InputFingerprint {
        entries.iter().for_each(|e| fingerprinter.add(e));
        fingerprinter.finish()
    }

    fn of(entries: &[PhoneEntry]) -> InputFingerprint {
        with(Fingerprinter::default(), entries)
    }

    fn fnv_of(entries: &[PhoneEntry]) -> InputFingerprint {
        let old = InputFingerprint {
            entries: 0,
            hash: Hash::Fnv1a(FNV_OFFSET),
        };
        with(Fingerprinter::like(&old), entries)
    }

    /// The bytes the type's description defines.
    fn described(entries: &[PhoneEntry]) -> Vec<u8> {
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
        bytes
    }

    /// Entries of every shape, some longer than what gathers before it is
    /// hashed, and enough short ones to cross that many times.
    fn varied() -> Vec<PhoneEntry> {
        use crate::Column;
        let text = |len: usize| "é".repeat(len / 2) + &"x".repeat(len % 2);
        let mut entries = Vec::new();
        for len in [
            0, 1, 13, 255, 256, 257, 511, 1530, 4095, 4096, 65_536, 70_001,
        ] {
            entries.push(PhoneEntry::new(text(len)));
            entries.push(PhoneEntry::new("+491701234567").column(Column::C, text(len)));
            entries.push(
                PhoneEntry::new("+1")
                    .column(Column::A, text(len))
                    .column(Column::E, "")
                    .callback_data(text(len / 3)),
            );
        }
        entries.extend((0..600).map(|i| PhoneEntry::new(format!("+4917{i:08}"))));
        entries
    }

    #[test]
    fn the_hash_is_xxh3_of_the_described_bytes() {
        // XXH3-64 of nothing, seed 0, as its specification gives it.
        assert_eq!(xxh3_64(b""), 0x2d06_8005_38d3_94c2);
        assert_eq!(of(&[]).hash, Hash::Xxh3(0x2d06_8005_38d3_94c2));
        let entries = varied();
        for end in 0..=entries.len() {
            let want = Hash::Xxh3(xxh3_64(&described(&entries[..end])));
            assert_eq!(of(&entries[..end]).hash, want, "{end}");
        }
    }

    #[test]
    fn the_old_hash_is_fnv1a_of_the_described_bytes() {
        let entries = varied();
        for end in 0..=entries.len() {
            let bytes = described(&entries[..end]);
            let want = bytes.iter().fold(FNV_OFFSET, |hash, &byte| {
                (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
            });
            assert_eq!(fnv_of(&entries[..end]).hash, Hash::Fnv1a(want), "{end}");
        }
    }

    #[test]
    fn a_resume_hashes_as_the_report_it_resumes() {
        let entries = varied();
        for covered in [of(&entries), fnv_of(&entries)] {
            assert_eq!(with(Fingerprinter::like(&covered), &entries), covered);
        }
        assert_ne!(of(&entries), fnv_of(&entries));
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
    fn the_hashes_are_fixed_and_written_as_hex() {
        let one = [PhoneEntry::new("+491701234567")];
        // Pinned: a report written by one version is resumed by another.
        let fingerprint = of(&one);
        assert_eq!(fingerprint.hash, Hash::Xxh3(0x72dc_5cf2_1894_0eef));
        let old = fnv_of(&one);
        assert_eq!(old.hash, Hash::Fnv1a(0xadf8_6b25_7baa_5641));
        for (fingerprint, json) in [
            (fingerprint, r#"{"entries":1,"xxh3_64":"72dc5cf218940eef"}"#),
            (old, r#"{"entries":1,"fnv1a64":"adf86b257baa5641"}"#),
        ] {
            assert_eq!(serde_json::to_string(&fingerprint).unwrap(), json);
            let back: InputFingerprint = serde_json::from_str(json).unwrap();
            assert_eq!(back, fingerprint);
        }
        for bad in [
            r#"{"entries":1,"fnv1a64":"xyz"}"#,
            r#"{"entries":1,"xxh3_64":"+00000000000000f"}"#,
            r#"{"entries":1}"#,
            r#"{"entries":1,"xxh3_64":"0000000000000001","fnv1a64":"0000000000000001"}"#,
        ] {
            assert!(
                serde_json::from_str::<InputFingerprint>(bad).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn only_a_report_of_format_3_or_later_holds_xxh3() {
        let one = [PhoneEntry::new("+491701234567")];
        assert!(!of(&one).fits_format(2));
        assert!(of(&one).fits_format(3));
        assert!(fnv_of(&one).fits_format(1) && fnv_of(&one).fits_format(3));
    }
}
