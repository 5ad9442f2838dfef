//! The compact form of an entry's outcome while an upload runs and in its
//! report: nearly every outcome is `Created` with a numeric id, which fits
//! in eight bytes instead of an [`Outcome`] with a heap-allocated id.

use super::Outcome;
use crate::PhoneId;

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

/// An entry's outcome while it is being settled.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Slot {
    /// Not settled yet.
    Pending,
    Created(Id),
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

    /// `None` for a pending slot.
    pub fn kind(&self) -> Option<Kind> {
        match self {
            Self::Pending => None,
            Self::Created(_) => Some(Kind::Created),
            Self::Other(outcome) => Some(outcome.kind()),
        }
    }

    /// The full outcome; `None` for a pending slot.
    pub fn into_outcome(self) -> Option<Outcome> {
        match self {
            Self::Pending => None,
            Self::Created(id) => Some(Outcome::Created {
                id: id.into_phone_id(),
            }),
            Self::Other(outcome) => Some(outcome),
        }
    }

    /// [`Slot::into_outcome`] by reference.
    pub fn to_outcome(&self) -> Option<Outcome> {
        match self {
            Self::Pending => None,
            Self::Created(id) => Some(Outcome::Created {
                id: id.clone().into_phone_id(),
            }),
            Self::Other(outcome) => Some(outcome.clone()),
        }
    }
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
