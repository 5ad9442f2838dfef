//! Who a campaign reaches, and how many messages that makes.
//!
//! Recipients are the distinct numbers among the campaign's `phones` and
//! the entries of its `msg_groups` (in E.164 form; a number given twice is
//! messaged once, with the first entry's columns and `callback_data`). Each
//! gets the text with its group columns filled in (`[Name colA]` …
//! `[Name colE]`; empty for numbers given directly), and each personalised
//! text counts as many messages as it has SMS parts (a text-to-speech call
//! counts one). A blocked number is a recipient whose message is not sent,
//! so it counts no messages.

use std::{borrow::Cow, collections::HashSet};

use super::{
    problem::{Problem, Violation, code},
    store::{Columns, Store},
    text::{MAX_PARTS, sms_parts},
    validation,
};
use lox24::{ServiceCode, low_level::types::BulkWrite};

/// One recipient of a campaign and its message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Recipient {
    pub(crate) phone: String,
    /// The text with the entry's columns filled in.
    pub(crate) text: String,
    pub(crate) parts: u64,
    /// The group entry's, for a number that came from a group.
    pub(crate) callback_data: Option<String>,
    pub(crate) blocked: bool,
}

/// The campaign's reach.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Reach {
    pub(crate) recipients: Vec<Recipient>,
}

impl Reach {
    /// Messages (SMS parts) sent: those of the numbers not blocked.
    pub(crate) fn messages(&self) -> u64 {
        self.recipients
            .iter()
            .filter(|r| !r.blocked)
            .map(|r| r.parts)
            .sum()
    }
}

pub(crate) fn reach(
    write: &BulkWrite,
    store: &Store,
    country: Option<lox24::number::Country>,
) -> Result<Reach, Problem> {
    let mut violations = Vec::new();
    let mut seen = HashSet::new();
    let mut targets: Vec<(String, Option<&Columns>, Option<&String>)> = Vec::new();
    for (i, phone) in write.phones.iter().flatten().enumerate() {
        match validation::e164(phone, country) {
            Some(number) => {
                if seen.insert(number.clone()) {
                    targets.push((number, None, None));
                }
            }
            None => violations.push(Violation::new(
                format!("phones[{i}]"),
                "This value is not a valid phone number.",
                None,
            )),
        }
    }
    for (i, group) in write.msg_groups.iter().flatten().enumerate() {
        match store.group(group.get()) {
            Some(group) => {
                for entry in store.group_phones(group) {
                    let fields = &entry.fields;
                    if seen.insert(fields.phone.clone()) {
                        targets.push((
                            fields.phone.clone(),
                            Some(&fields.columns),
                            fields.callback_data.as_ref(),
                        ));
                    }
                }
            }
            None => violations.push(Violation::new(
                format!("msg_groups[{i}]"),
                "This group does not exist.",
                None,
            )),
        }
    }
    let voice = matches!(
        write.service_code,
        Some(ServiceCode::Text2speech | ServiceCode::Text2speechSsml)
    );
    let mut recipients = Vec::with_capacity(targets.len());
    for (phone, columns, callback_data) in targets {
        let text = personalise(&write.text, columns).into_owned();
        let parts = if voice {
            1
        } else {
            sms_parts(&text, write.is_unicode).count
        };
        if parts > MAX_PARTS {
            violations.push(Violation::new(
                "text",
                "The message is too long once personalised: at most 1530 GSM or 670 Unicode characters.",
                Some(code::TOO_LONG),
            ));
            break;
        }
        recipients.push(Recipient {
            blocked: store.is_blocked(&phone),
            phone,
            text,
            parts,
            callback_data: callback_data.cloned(),
        });
    }
    if !violations.is_empty() {
        return Err(Problem::invalid(422, violations));
    }
    Ok(Reach { recipients })
}

/// The text with each `[… colX]` placeholder (X from A to E) replaced by
/// that column of the entry, or removed when there is none.
pub(crate) fn personalise<'a>(text: &'a str, columns: Option<&Columns>) -> Cow<'a, str> {
    if !text.contains("col") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else {
            break;
        };
        out.push_str(&rest[..open]);
        match column_of(&rest[open + 1..close]) {
            Some(index) => {
                let value = columns.and_then(|c| c[index].as_deref());
                out.push_str(value.unwrap_or_default());
            }
            None => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The column a placeholder's inside names: `Name colA` → 0.
fn column_of(inside: &str) -> Option<usize> {
    let index = ["colA", "colB", "colC", "colD", "colE"]
        .iter()
        .position(|c| inside.ends_with(c))?;
    // The suffix is ASCII, so this cut falls between characters.
    let head = &inside[..inside.len() - 4];
    (head.is_empty() || head.ends_with(' ')).then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_take_the_entry_s_columns() {
        let columns: Columns = [Some("Anna".into()), None, Some("12.50".into()), None, None];
        assert_eq!(
            personalise("Hi [Name colA], you owe [Amount colC].", Some(&columns)),
            "Hi Anna, you owe 12.50."
        );
        assert_eq!(personalise("Hi [Name colB]!", Some(&columns)), "Hi !");
        assert_eq!(personalise("Hi [Name colA]!", None), "Hi !");
        // Anything else in brackets stays.
        assert_eq!(
            personalise("[x] [Name colZ] [colA", Some(&columns)),
            "[x] [Name colZ] [colA"
        );
        assert!(matches!(
            personalise("no placeholders", None),
            Cow::Borrowed(_)
        ));
    }
}
