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

impl Fingerprinter {
    pub(super) fn add(&mut self, entry: &PhoneEntry) {
        self.entries += 1;
        self.field(Some(&entry.phone));
        for value in [&entry.a, &entry.b, &entry.c, &entry.d, &entry.e] {
            self.field(value.as_deref());
        }
        self.field(entry.callback_data.as_deref());
    }

    pub(super) fn finish(&self) -> InputFingerprint {
        InputFingerprint {
            entries: self.entries,
            hash: self.hash,
        }
    }

    fn field(&mut self, value: Option<&str>) {
        match value {
            None => self.bytes(&[0]),
            Some(text) => {
                self.bytes(&[1]);
                self.bytes(&(text.len() as u64).to_le_bytes());
                self.bytes(text.as_bytes());
            }
        }
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.hash = (self.hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
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
