//! Query parameters the lists share: time bounds (`created_at[gte]` …),
//! sort directions and booleans, read as API Platform reads them.

use std::cmp::Ordering;

use crate::{context::Ctx, problem::Problem};

/// The filters the lists of messages and of campaigns share: parts of the
/// text and of the sender (`text`, `sender_id`), the API key, the source
/// and the encoding.
#[derive(Debug, Default)]
pub(super) struct Content {
    text: Option<String>,
    sender: Option<String>,
    key_id: Option<u64>,
    source: Option<i64>,
    is_unicode: Option<bool>,
}

impl Content {
    /// Takes `key` when it is one of these filters (`Ok(true)`); a
    /// malformed value is a 400 naming it.
    pub(super) fn read(&mut self, key: &str, value: &str) -> Result<bool, Problem> {
        match key {
            "text" => self.text = Some(value.to_owned()),
            "sender_id" => self.sender = Some(value.to_owned()),
            "key_id" => self.key_id = Some(number(key, value)?),
            "source" => self.source = Some(number(key, value)?),
            "is_unicode" => self.is_unicode = Some(boolean(key, value)?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Whether a message or campaign with these values passes.
    pub(super) fn keeps(
        &self,
        text: &str,
        sender: &str,
        key_id: u64,
        source: Option<i64>,
        is_unicode: Option<bool>,
    ) -> bool {
        let contains = |part: &Option<String>, value: &str| {
            part.as_ref()
                .is_none_or(|part| value.contains(part.as_str()))
        };
        contains(&self.text, text)
            && contains(&self.sender, sender)
            && self.key_id.is_none_or(|id| id == key_id)
            && self.source.is_none_or(|wanted| Some(wanted) == source)
            && self.is_unicode.is_none_or(|u| Some(u) == is_unicode)
    }
}

/// One bound of a time filter such as `created_at[gte]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Bound {
    Gte,
    Gt,
    Lte,
    Lt,
}

impl Bound {
    /// The bound `key` puts on `field` (`created_at[lt]` → `Lt`), if any.
    pub(super) fn of(key: &str, field: &str) -> Option<Self> {
        let inner = key
            .strip_prefix(field)?
            .strip_prefix('[')?
            .strip_suffix(']')?;
        match inner {
            "gte" => Some(Self::Gte),
            "gt" => Some(Self::Gt),
            "lte" => Some(Self::Lte),
            "lt" => Some(Self::Lt),
            _ => None,
        }
    }

    /// Whether `value` lies within the bound `at`.
    pub(super) fn holds(self, value: i64, at: i64) -> bool {
        match self {
            Self::Gte => value >= at,
            Self::Gt => value > at,
            Self::Lte => value <= at,
            Self::Lt => value < at,
        }
    }
}

/// The order of two rows by `keys` in turn (each ascending or
/// descending), then by `tie`: the first that tells them apart.
pub(super) fn order_by<K: Copy>(
    keys: &[(K, bool)],
    compare: impl Fn(K) -> Ordering,
    tie: Ordering,
) -> Ordering {
    keys.iter()
        .map(|&(key, descending)| {
            let ordering = compare(key);
            if descending {
                ordering.reverse()
            } else {
                ordering
            }
        })
        .find(|ordering| ordering.is_ne())
        .unwrap_or(tie)
}

/// A 400 naming the parameter and the value it cannot read.
pub(super) fn bad(key: &str, value: &str) -> Problem {
    Problem::new(
        400,
        format!("Invalid value {value:?} for the parameter {key}."),
    )
}

/// `asc` or `desc` (any case): whether it is descending.
pub(super) fn descending(key: &str, value: &str) -> Result<bool, Problem> {
    match value.to_ascii_lowercase().as_str() {
        "asc" => Ok(false),
        "desc" => Ok(true),
        _ => Err(bad(key, value)),
    }
}

/// `true`/`1` or `false`/`0`.
pub(super) fn boolean(key: &str, value: &str) -> Result<bool, Problem> {
    match value {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(bad(key, value)),
    }
}

/// A number of the parameter, or a 400 naming it.
pub(super) fn number<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, Problem> {
    value.parse().map_err(|_| bad(key, value))
}

/// Whether `key` is `name` or `name[]` (one value, or one of a list).
pub(super) fn is_list(key: &str, name: &str) -> bool {
    key.strip_prefix(name)
        .is_some_and(|rest| rest.is_empty() || rest == "[]")
}

/// The query's pairs, for the lists that read them in order.
pub(super) fn pairs(ctx: &Ctx) -> impl Iterator<Item = (&str, &str)> {
    ctx.query.iter().map(|(k, v)| (k.as_str(), v.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_are_read_from_the_key_and_compare_as_named() {
        assert_eq!(Bound::of("created_at[gte]", "created_at"), Some(Bound::Gte));
        assert_eq!(Bound::of("created_at[lt]", "created_at"), Some(Bound::Lt));
        assert_eq!(Bound::of("created_at[eq]", "created_at"), None);
        assert_eq!(Bound::of("received_at[gt]", "created_at"), None);
        assert!(Bound::Gte.holds(5, 5) && !Bound::Gt.holds(5, 5));
        assert!(Bound::Lte.holds(5, 5) && !Bound::Lt.holds(5, 5));
    }

    #[test]
    fn lists_take_the_bare_name_or_brackets() {
        assert!(is_list("status_code", "status_code"));
        assert!(is_list("status_code[]", "status_code"));
        assert!(!is_list("status_codes", "status_code"));
        assert_eq!(descending("_order[x]", "DESC"), Ok(true));
        assert_eq!(boolean("is_sent", "0"), Ok(false));
        assert_eq!(boolean("is_sent", "yes").unwrap_err().status, 400);
    }

    #[test]
    fn rows_are_ordered_by_the_first_key_that_differs_then_the_tie() {
        let rows = [(1, 9), (1, 3)];
        let by = |keys: &[(usize, bool)]| {
            order_by(
                keys,
                |k| [rows[0].0, rows[0].1][k].cmp(&[rows[1].0, rows[1].1][k]),
                Ordering::Less,
            )
        };
        assert_eq!(by(&[(0, false), (1, false)]), Ordering::Greater);
        assert_eq!(by(&[(0, true), (1, true)]), Ordering::Less);
        assert_eq!(by(&[(0, true)]), Ordering::Less);
    }
}
