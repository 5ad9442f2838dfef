//! Who a campaign reaches, and how many messages that makes.
//!
//! Recipients are the distinct numbers among the campaign's `phones` and
//! the entries of its `msg_groups` (in E.164 form; a number given twice is
//! messaged once). Each gets the text with its group columns filled in
//! (`[Name colA]` … `[Name colE]`; empty for numbers given directly), and
//! each personalised text counts as many messages as it has SMS parts
//! (a text-to-speech call counts one).

use std::{borrow::Cow, collections::HashSet};

use super::{
    problem::{Problem, Violation, code},
    store::{Columns, Store},
    text::{MAX_PARTS, sms_parts},
    validation,
};
use crate::api::types::{BulkWrite, ServiceCode};

/// The campaign's reach.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Reach {
    pub(crate) recipients: u64,
    pub(crate) messages: u64,
}

pub(crate) fn reach(
    write: &BulkWrite,
    store: &Store,
    country: Option<crate::phone::Country>,
) -> Result<Reach, Problem> {
    let mut violations = Vec::new();
    let mut seen = HashSet::new();
    let mut targets: Vec<Option<&Columns>> = Vec::new();
    for (i, phone) in write.phones.iter().flatten().enumerate() {
        match validation::e164(phone, country) {
            Some(number) => {
                if seen.insert(number) {
                    targets.push(None);
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
                    if seen.insert(entry.fields.phone.clone()) {
                        targets.push(Some(&entry.fields.columns));
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
    let mut messages = 0u64;
    for columns in &targets {
        let parts = if voice {
            1
        } else {
            sms_parts(&personalise(&write.text, *columns), write.is_unicode).count
        };
        if parts > MAX_PARTS {
            violations.push(Violation::new(
                "text",
                "The message is too long once personalised: at most 1530 GSM or 670 Unicode characters.",
                Some(code::TOO_LONG),
            ));
            break;
        }
        messages += parts;
    }
    if !violations.is_empty() {
        return Err(Problem::invalid(422, violations));
    }
    Ok(Reach {
        recipients: targets.len() as u64,
        messages,
    })
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
