//! What a field may hold beyond the spec's lengths and patterns: values that
//! fit every documented limit but can only fail or misbehave at LOX24 (a
//! blank name, a control character in a number, a sender of spaces).
//! Checked with the limits, before anything is sent.

use crate::{ValidationError, ValidationProblem};

/// Which control characters a field may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lines {
    /// None: names, numbers, ids, `callback_data`.
    One,
    /// Line breaks (`\n`, `\r`) and tabs, as a message or a description may
    /// have; no other control character.
    Many,
}

/// Refuses a control character that `lines` does not allow, naming its
/// code point and its position (counted from 1, in characters).
pub(crate) fn check_controls(
    field: &str,
    value: &str,
    lines: Lines,
) -> Result<(), ValidationError> {
    // Printable ASCII alone, nearly every value: no control character.
    if is_printable_ascii(value.as_bytes()) {
        return Ok(());
    }
    let allowed = |c: char| lines == Lines::Many && matches!(c, '\n' | '\r' | '\t');
    let Some((at, c)) = value
        .chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() && !allowed(c))
    else {
        return Ok(());
    };
    let rule = match lines {
        Lines::One => "it must be one line without control characters",
        Lines::Many => "of those only line breaks and tabs are allowed",
    };
    Err(invalid(
        field,
        format!(
            "holds the control character U+{:04X} at character {}; {rule}",
            u32::from(c),
            at + 1
        ),
    ))
}

/// Whether every byte is printable ASCII (0x20 to 0x7e), eight bytes at a
/// time: it runs on every field of every entry of an upload.
#[inline]
fn is_printable_ascii(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut eight = [0; 8];
        eight.copy_from_slice(word);
        let w = u64::from_le_bytes(eight);
        // A high bit set where a byte is 0x80 or above, below 0x20 (exact
        // as a whole: borrows only flag bytes after one that is), or 0x7f.
        let del = w ^ (ONES * 0x7f);
        let found =
            (w | (w.wrapping_sub(ONES * 0x20) & !w) | (del.wrapping_sub(ONES) & !del)) & HIGH;
        if found != 0 {
            return false;
        }
    }
    words.remainder().iter().all(|b| (0x20..0x7f).contains(b))
}

/// Refuses a value of whitespace only; `needs` says what it lacks.
pub(crate) fn check_not_blank(
    field: &str,
    value: &str,
    needs: &str,
) -> Result<(), ValidationError> {
    if value.is_empty() {
        return Err(ValidationError::new(field, ValidationProblem::Missing));
    }
    if value.trim().is_empty() {
        return Err(invalid(field, format!("is only whitespace: {needs}")));
    }
    Ok(())
}

/// What a sender id may be, in words (the spec's pattern
/// `^(\+?[1-9]\d{0,14}|[a-zA-Z0-9 ]{1,11})$`).
///
/// The error of a sender that breaks the rule ends with these words:
///
/// ```
/// use lox24::{NewSms, limits::SENDER_RULE};
///
/// let sms = NewSms::new("My-Shop!", "Your code: 4711", "+491701234567");
/// let err = sms.validate().unwrap_err();
/// assert_eq!(err.field(), "sender_id");
/// assert!(err.to_string().ends_with(SENDER_RULE));
/// ```
pub const SENDER_RULE: &str = "a sender is up to 11 letters (A-Z, a-z), digits and spaces, \
                               or a number of up to 15 digits with an optional leading +";

/// The sender id: a name of up to 11 ASCII letters, digits and spaces with
/// at least one letter or digit, or a number of up to 15 digits (`+`
/// allowed) not starting with 0. The error says what is wrong in words.
pub(crate) fn check_sender(field: &str, sender: &str) -> Result<(), ValidationError> {
    if sender.is_empty() {
        return Err(ValidationError::new(field, ValidationProblem::Missing));
    }
    if sender.chars().all(|c| c == ' ') {
        return Err(invalid(
            field,
            "is only spaces: a sender needs at least one letter or digit".to_owned(),
        ));
    }
    let digits = sender.strip_prefix('+').unwrap_or(sender);
    let is_number = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let detail = if let Some(c) = sender
        .chars()
        .enumerate()
        .find(|&(i, c)| !(c.is_ascii_alphanumeric() || c == ' ' || (c == '+' && i == 0)))
        .map(|(_, c)| c)
    {
        format!("{c:?} is not allowed")
    } else if sender.starts_with('+') && !is_number {
        "`+` may only start a number".to_owned()
    } else if is_number && digits.len() > 15 {
        format!("{} digits", digits.len())
    } else if is_number && sender.starts_with('+') && digits.starts_with('0') {
        "a number cannot start with 0".to_owned()
    } else if !is_number && sender.chars().count() > 11 {
        format!("{} characters", sender.chars().count())
    } else if is_number && digits.starts_with('0') && digits.len() > 11 {
        "a number cannot start with 0".to_owned()
    } else {
        return Ok(());
    };
    Err(invalid(
        field,
        format!("is {sender:?} ({detail}): {SENDER_RULE}"),
    ))
}

fn invalid(field: &str, reason: String) -> ValidationError {
    ValidationError::new(field, ValidationProblem::Invalid { reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_ascii_is_found_as_byte_by_byte() {
        for len in 0..20 {
            for at in 0..len {
                for odd in 0..=255u8 {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = odd;
                    if at + 1 < len {
                        bytes[at + 1] = b'~';
                    }
                    let expected = bytes.iter().all(|b| (0x20..0x7f).contains(b));
                    assert_eq!(is_printable_ascii(&bytes), expected, "{bytes:?}");
                }
            }
        }
    }

    /// The words and the spec's pattern agree on every sender.
    #[test]
    fn the_sender_rule_is_the_pattern_of_the_spec() {
        let pattern = &crate::limits::bulk_write::SENDER_ID;
        for sender in [
            "Shop",
            "My Shop 24",
            "Eleven char",
            "Twelve chars",
            "+491701234567",
            "491701234567",
            "0170",
            "01234567890",
            "012345678901",
            "+0123",
            "+",
            "++1",
            "1+2",
            "Shop+",
            "a-b",
            "Müller",
            "123456789012345",
            "1234567890123456",
            "+123456789012345",
            " a ",
            "   ",
            "",
            "0",
        ] {
            assert_eq!(
                check_sender("sender_id", sender).is_ok(),
                pattern.check(sender).is_ok() && !sender.trim().is_empty(),
                "{sender:?}"
            );
        }
    }
}
