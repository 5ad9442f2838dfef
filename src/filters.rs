//! What the filters of LOX24's lists have in common: time ranges in Unix
//! seconds, checked text filters, and the IRI of a filtered list.

use std::ops::{Bound, RangeBounds};

use chrono::{DateTime, TimeZone};

use crate::{
    Iri, ValidationError, ValidationProblem, limits,
    limits::{Lines, check_controls},
};

/// Bounds on a time, in Unix seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TimeRange {
    start: Bound<i64>,
    end: Bound<i64>,
}

impl Default for TimeRange {
    fn default() -> Self {
        Self {
            start: Bound::Unbounded,
            end: Bound::Unbounded,
        }
    }
}

impl TimeRange {
    pub(crate) fn of<Tz: TimeZone>(range: impl RangeBounds<DateTime<Tz>>) -> Self {
        let seconds = |bound: Bound<&DateTime<Tz>>| bound.map(DateTime::timestamp);
        Self {
            start: seconds(range.start_bound()),
            end: seconds(range.end_bound()),
        }
    }

    /// The query parameters, e.g. `created_at[gte]`, each checked against the spec.
    pub(crate) fn parameters(
        &self,
        field: &str,
        out: &mut Vec<(String, String)>,
    ) -> Result<(), ValidationError> {
        let bounds = [(self.start, "gte", "gt"), (self.end, "lte", "lt")];
        for (bound, inclusive, exclusive) in bounds {
            let (operator, seconds) = match bound {
                Bound::Included(s) => (inclusive, s),
                Bound::Excluded(s) => (exclusive, s),
                Bound::Unbounded => continue,
            };
            let name = format!("{field}[{operator}]");
            limits::UNIX_TIME.check_at(&name, seconds)?;
            out.push((name, seconds.to_string()));
        }
        if let (Bound::Included(s) | Bound::Excluded(s), Bound::Included(e) | Bound::Excluded(e)) =
            (self.start, self.end)
            && s > e
        {
            return Err(ValidationError::new(
                field,
                ValidationProblem::Invalid {
                    reason: format!("starts ({s}) after it ends ({e})"),
                },
            ));
        }
        Ok(())
    }
}

/// The IRI of the list at `path` with these query parameters, in order.
pub(crate) fn iri(path: &str, parameters: Vec<(String, String)>) -> Iri {
    if parameters.is_empty() {
        return Iri::new(path);
    }
    let query = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(parameters)
        .finish();
    Iri::new(format!("{path}?{query}"))
}

/// A text filter (`name=value`, matched by LOX24 as "contains" or
/// "equals"), refused when it is empty or blank, since it would then match
/// every message (a batch cancel or delete would reach them all), or when
/// it holds a control character.
pub(crate) fn text(
    name: &str,
    value: Option<&String>,
    out: &mut Vec<(String, String)>,
) -> Result<(), ValidationError> {
    if let Some(value) = value {
        if value.trim().is_empty() {
            return Err(ValidationError::new(
                name,
                ValidationProblem::Invalid {
                    reason: format!(
                        "is {:?}: an empty filter would match everything; leave it out \
                         instead",
                        value
                    ),
                },
            ));
        }
        check_controls(name, value, Lines::One)?;
        out.push((name.into(), value.clone()));
    }
    Ok(())
}

/// A filter on one of several values: `name=v` for one, `name[]=v` repeated
/// for several (API Platform's form), nothing for none.
pub(crate) fn any_of(name: &str, values: &[String], out: &mut Vec<(String, String)>) {
    match values {
        [] => {}
        [one] => out.push((name.into(), one.clone())),
        several => out.extend(several.iter().map(|v| (format!("{name}[]"), v.clone()))),
    }
}
