//! The entry to add to a group: a number, column values, callback data. It
//! is its own wire form: the spec's `PhoneWrite` schema is this type in the
//! generated client (its `x-lox24-rust-type` in the spec).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Column, ValidationError, ValidationProblem, limits};

/// An entry to add to a group: a phone number, up to five column values and
/// callback data.
///
/// ```
/// use lox24::{Column, PhoneEntry};
///
/// let entry = PhoneEntry::new("+491701234567")
///     .column(Column::A, "Mr.")
///     .column(Column::B, "Smith")
///     .callback_data("customer-1138");
/// assert!(entry.validate().is_ok());
/// assert_eq!(
///     PhoneEntry::new("+49".repeat(11)).validate().unwrap_err().to_string(),
///     "`phone` has 33 characters; LOX24 allows at most 30"
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct PhoneEntry {
    /// The number (up to 30 characters); E.164 such as `+491701234567` is preferred.
    pub phone: String,
    /// Column `a` (up to 1530 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<String>,
    /// Column `b`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<String>,
    /// Column `c`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c: Option<String>,
    /// Column `d`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
    /// Column `e`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    /// Up to 36 characters that LOX24 returns with delivery reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_data: Option<String>,
}

impl PhoneEntry {
    /// An entry for this number.
    pub fn new(phone: impl Into<String>) -> Self {
        Self {
            phone: phone.into(),
            ..Self::default()
        }
    }

    /// Sets a column's value.
    #[must_use]
    pub fn column(mut self, column: Column, value: impl Into<String>) -> Self {
        *self.column_mut(column) = Some(value.into());
        self
    }

    /// Sets the callback data.
    #[must_use]
    pub fn callback_data(mut self, data: impl Into<String>) -> Self {
        self.callback_data = Some(data.into());
        self
    }

    fn column_mut(&mut self, column: Column) -> &mut Option<String> {
        match column {
            Column::A => &mut self.a,
            Column::B => &mut self.b,
            Column::C => &mut self.c,
            Column::D => &mut self.d,
            Column::E => &mut self.e,
        }
    }

    /// Checks every limit of the spec: the phone is present and at most 30
    /// characters, columns at most 1530, callback data at most 36.
    ///
    /// The one check of an entry, wherever it is sent: alone, in a group, in
    /// a batch or by the upload engine. A checked entry is sent as it is:
    /// its serde form is the spec's `PhoneWrite` (the generated client uses
    /// this type for it).
    pub fn validate(&self) -> Result<(), ValidationError> {
        use limits::{Lines, phone_write as rule};
        let phone = &self.phone;
        if is_blank(phone) {
            return Err(ValidationError::new("phone", ValidationProblem::Missing));
        }
        rule::PHONE.check(phone)?;
        limits::check_controls("phone", phone, Lines::One)?;
        self.validate_fields()
    }

    /// The limits of the fields besides the number: all that is left to
    /// check of a number a phone policy made, which the policy checked
    /// already (`upload::batch::prepare` relies on it, and its test holds
    /// every policy to it).
    pub(crate) fn validate_fields(&self) -> Result<(), ValidationError> {
        use limits::{Lines, phone_write as rule};
        for (rule, value, lines) in [
            (&rule::A, &self.a, Lines::Many),
            (&rule::B, &self.b, Lines::Many),
            (&rule::C, &self.c, Lines::Many),
            (&rule::D, &self.d, Lines::Many),
            (&rule::E, &self.e, Lines::Many),
            (&rule::CALLBACK_DATA, &self.callback_data, Lines::One),
        ] {
            if let Some(value) = value {
                rule.check(value)?;
                limits::check_controls(rule.field, value, lines)?;
            }
        }
        Ok(())
    }
}

/// Whether `text` is empty or whitespace alone; a number nearly always
/// starts with a visible ASCII character, which settles it.
#[inline]
fn is_blank(text: &str) -> bool {
    match text.as_bytes().first() {
        Some(first) if first.is_ascii_graphic() => false,
        _ => text.trim().is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::is_blank;

    #[test]
    fn blank_is_empty_or_whitespace_alone() {
        for blank in ["", " ", "\t\n", "\u{a0}", "\u{2003} "] {
            assert!(is_blank(blank), "{blank:?}");
        }
        for text in ["+49", "0", " 1", "\u{a0}1", "é", "\u{2003}x"] {
            assert!(!is_blank(text), "{text:?}");
        }
    }
}
