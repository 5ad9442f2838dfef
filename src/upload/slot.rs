//! The compact form of an entry's outcome while an upload runs and in its
//! report: nearly every outcome is `Created` with a numeric id, which fits
//! in eight bytes instead of an [`Outcome`] with a heap-allocated id.

use std::fmt;

use serde::{Deserialize, Deserializer, de};

use super::Outcome;
use crate::{ItemProblem, PhoneId, Violation};

/// The id LOX24 gave a stored entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Id {
    /// The answer had no id.
    None,
    /// A decimal number written without sign or leading zeros, as LOX24's
    /// ids are: kept as the number.
    Number(u64),
    /// Any other id, kept as written.
    Text(PhoneId),
}

impl Id {
    /// The id as written in an answer (a JSON string's content).
    pub fn from_text(text: &str) -> Self {
        match canonical_number(text.as_bytes()) {
            Some(n) => Self::Number(n),
            None => Self::Text(PhoneId::new(text)),
        }
    }

    /// [`Id::from_text`] for raw bytes; `None` when they are not UTF-8.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        match canonical_number(bytes) {
            Some(n) => Some(Self::Number(n)),
            None => Some(Self::Text(PhoneId::new(std::str::from_utf8(bytes).ok()?))),
        }
    }

    pub fn into_phone_id(self) -> Option<PhoneId> {
        match self {
            Self::None => None,
            Self::Number(n) => Some(PhoneId::new(n.to_string())),
            Self::Text(id) => Some(id),
        }
    }
}

/// `text` as a number when writing the number gives `text` back.
fn canonical_number(text: &[u8]) -> Option<u64> {
    let (&first, rest) = text.split_first()?;
    if !first.is_ascii_digit() || (first == b'0' && !rest.is_empty()) {
        return None;
    }
    rest.iter().try_fold(u64::from(first - b'0'), |n, &digit| {
        digit
            .is_ascii_digit()
            .then(|| n.checked_mul(10)?.checked_add(u64::from(digit - b'0')))
            .flatten()
    })
}

/// An entry's outcome while it is being settled: also what a batch
/// answer's item is read into.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Slot {
    /// Not settled yet.
    Pending,
    Created(Id),
    /// An answer's item that LOX24 refused with its own status, until the
    /// batch's settling makes it [`Outcome::Rejected`] (which names the
    /// entry and the request).
    Refused {
        status: u16,
        problem: Box<ItemProblem>,
    },
    /// Any outcome but `Created`.
    Other(Outcome),
}

/// Which of the four outcomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Created,
    Rejected,
    NotSent,
    Unknown,
}

impl Outcome {
    pub(super) fn kind(&self) -> Kind {
        match self {
            Self::Created { .. } => Kind::Created,
            Self::Rejected { .. } => Kind::Rejected,
            Self::NotSent { .. } => Kind::NotSent,
            Self::Unknown { .. } => Kind::Unknown,
        }
    }
}

impl Slot {
    pub fn from_outcome(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Created { id: None } => Self::Created(Id::None),
            Outcome::Created { id: Some(id) } => Self::Created(Id::from_text(id.as_str())),
            other => Self::Other(other),
        }
    }

    pub fn is_pending(&self) -> bool {
        matches!(self, Self::Pending)
    }

    /// `None` for a slot not settled yet.
    pub fn kind(&self) -> Option<Kind> {
        match self {
            Self::Pending | Self::Refused { .. } => None,
            Self::Created(_) => Some(Kind::Created),
            Self::Other(outcome) => Some(outcome.kind()),
        }
    }

    /// The full outcome; `None` for a slot not settled yet.
    pub fn into_outcome(self) -> Option<Outcome> {
        match self {
            Self::Pending | Self::Refused { .. } => None,
            Self::Created(id) => Some(Outcome::Created {
                id: id.into_phone_id(),
            }),
            Self::Other(outcome) => Some(outcome),
        }
    }

    /// [`Slot::into_outcome`] by reference.
    pub fn to_outcome(&self) -> Option<Outcome> {
        match self {
            Self::Pending | Self::Refused { .. } => None,
            Self::Created(id) => Some(Outcome::Created {
                id: id.clone().into_phone_id(),
            }),
            Self::Other(outcome) => Some(outcome.clone()),
        }
    }
}

/// One item of a batch answer, as serde reads it (the scanner's slow path).
impl<'de> Deserialize<'de> for Slot {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Every other key (the echoed entry, JSON-LD keys) is skipped.
        #[derive(Deserialize)]
        struct Wire {
            status: u16,
            #[serde(deserialize_with = "crate::phones::batch::object_body")]
            body: Body,
        }
        #[derive(Deserialize)]
        struct Body {
            #[serde(default = "no_id", deserialize_with = "phone_id")]
            id: Id,
            #[serde(default, alias = "hydra:title")]
            title: Option<String>,
            #[serde(default, alias = "hydra:description")]
            detail: Option<String>,
            #[serde(default)]
            violations: Vec<Violation>,
        }
        let Wire { status, body } = Wire::deserialize(deserializer)?;
        Ok(if crate::phones::batch::is_stored(status) {
            Self::Created(body.id)
        } else {
            Self::Refused {
                status,
                problem: Box::new(ItemProblem {
                    title: body.title,
                    detail: body.detail,
                    violations: body.violations,
                }),
            }
        })
    }
}

fn no_id() -> Id {
    Id::None
}

/// A phone id written as a string (as LOX24 does) or a number, read
/// without the buffering of an untagged enum.
fn phone_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Id, D::Error> {
    struct IdVisitor;
    impl de::Visitor<'_> for IdVisitor {
        type Value = Id;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a phone id (a string or a number)")
        }
        fn visit_str<E: de::Error>(self, id: &str) -> Result<Self::Value, E> {
            Ok(Id::from_text(id))
        }
        fn visit_u64<E: de::Error>(self, id: u64) -> Result<Self::Value, E> {
            Ok(Id::Number(id))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Id::None)
        }
    }
    deserializer.deserialize_any(IdVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_ids_are_kept_as_numbers_only_when_they_read_back_the_same() {
        assert_eq!(Id::from_text("981"), Id::Number(981));
        assert_eq!(Id::from_text("0"), Id::Number(0));
        for text in [
            "",
            "0981",
            "+981",
            "98.1",
            "abc",
            "18446744073709551616",
            " 1",
        ] {
            assert_eq!(
                Id::from_text(text),
                Id::Text(PhoneId::new(text)),
                "{text:?}"
            );
        }
        assert_eq!(Id::from_text("18446744073709551615"), Id::Number(u64::MAX));
        assert_eq!(Id::from_bytes(b"981"), Some(Id::Number(981)));
        assert_eq!(
            Id::from_bytes("é1".as_bytes()),
            Some(Id::Text(PhoneId::new("é1")))
        );
        assert_eq!(Id::from_bytes(b"\xff"), None);
    }
}
