//! Times on the command line: `--at`, `--since`, `--until`.
//!
//! Dates and times are read with chrono, the date type of the library;
//! the delay of a relative time (`+2h`, `-7d`) with humantime.

use std::ops::Bound;

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};

use crate::options::parse_duration;

const FORMS: &str = "write RFC 3339 (2026-06-01T09:00:00+02:00), a local time \
    (2026-06-01 09:00), a date (2026-06-01, local midnight), a delay from now (+30m, +2h, +1d) \
    or Unix seconds (@1780000000)";

/// A moment, read as the user most likely meant it.
pub fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    parse_at(text, Utc::now())
}

fn parse_at(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    let invalid = || format!("{text:?} is not a time; {FORMS}");
    if let Some(delay) = text.strip_prefix('+') {
        return shift(now, delay, Direction::Ahead).ok_or_else(invalid);
    }
    if let Some(seconds) = text.strip_prefix('@') {
        return seconds
            .parse::<i64>()
            .ok()
            .and_then(|s| DateTime::from_timestamp(s, 0))
            .ok_or_else(invalid);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    for form in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, form) {
            return local(naive).ok_or_else(invalid);
        }
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return date
            .and_hms_opt(0, 0, 0)
            .and_then(local)
            .ok_or_else(invalid);
    }
    Err(invalid())
}

/// Like `--at`, and `-7d` counts back from now.
pub fn parse_past_time(text: &str) -> Result<DateTime<Utc>, String> {
    parse_past_at(text, Utc::now())
}

/// A range of times, either end open.
pub type Span = (Bound<DateTime<Utc>>, Bound<DateTime<Utc>>);

/// `--since` and `--until` as the range of times a query filters on: from
/// `since` on, before `until`; `None` when neither is given.
pub fn between(since: Option<DateTime<Utc>>, until: Option<DateTime<Utc>>) -> Option<Span> {
    (since.is_some() || until.is_some()).then(|| {
        (
            since.map_or(Bound::Unbounded, Bound::Included),
            until.map_or(Bound::Unbounded, Bound::Excluded),
        )
    })
}

fn parse_past_at(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    match text.strip_prefix('-') {
        Some(ago) => shift(now, ago, Direction::Back).ok_or_else(|| {
            format!("{text:?} is not a time back from now; write e.g. -7d, -12h or -1h30m")
        }),
        None => parse_at(text, now),
    }
}

enum Direction {
    Ahead,
    Back,
}

/// `now` moved by a delay such as `2h`; `None` when the delay is not one or
/// leaves the calendar.
fn shift(now: DateTime<Utc>, delay: &str, direction: Direction) -> Option<DateTime<Utc>> {
    let delay = chrono::Duration::from_std(parse_duration(delay).ok()?).ok()?;
    match direction {
        Direction::Ahead => now.checked_add_signed(delay),
        Direction::Back => now.checked_sub_signed(delay),
    }
}

/// A local wall-clock time; the earlier one when a clock change repeats it,
/// none when a clock change skips it.
fn local(naive: NaiveDateTime) -> Option<DateTime<Utc>> {
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_and_until_are_a_half_open_range() {
        let (a, b) = (
            Utc.timestamp_opt(1, 0).unwrap(),
            Utc.timestamp_opt(2, 0).unwrap(),
        );
        assert_eq!(between(None, None), None);
        assert_eq!(
            between(Some(a), None),
            Some((Bound::Included(a), Bound::Unbounded))
        );
        assert_eq!(
            between(None, Some(b)),
            Some((Bound::Unbounded, Bound::Excluded(b)))
        );
        assert_eq!(
            between(Some(a), Some(b)),
            Some((Bound::Included(a), Bound::Excluded(b)))
        );
    }

    #[test]
    fn reads_every_documented_form() {
        let now = DateTime::from_timestamp(1_780_000_000, 0).unwrap();
        let at = |text| parse_at(text, now).map(|t| t.timestamp());
        assert_eq!(at("2026-06-01T09:00:00+02:00"), Ok(1_780_297_200));
        assert_eq!(at("2026-06-01T07:00:00Z"), Ok(1_780_297_200));
        assert_eq!(at("+30m"), Ok(1_780_001_800));
        assert_eq!(at("+1d"), Ok(1_780_086_400));
        assert_eq!(at("@1780000000"), Ok(1_780_000_000));
        let local = Local
            .with_ymd_and_hms(2026, 6, 1, 9, 0, 0)
            .earliest()
            .unwrap()
            .timestamp();
        assert_eq!(at("2026-06-01 09:00"), Ok(local));
        assert_eq!(at("2026-06-01T09:00:00"), Ok(local));
        assert!(at("tomorrow").unwrap_err().contains("RFC 3339"));
        assert!(at("+soon").is_err());
    }

    #[test]
    fn a_minus_counts_back_from_now() {
        let now = DateTime::from_timestamp(1_780_000_000, 0).unwrap();
        let since = |text| parse_past_at(text, now).map(|t| t.timestamp());
        assert_eq!(since("-7d"), Ok(1_780_000_000 - 7 * 86_400));
        assert_eq!(since(" -1h30m"), Ok(1_780_000_000 - 5400));
        assert_eq!(since("+1h"), Ok(1_780_003_600));
        assert_eq!(since("@1780000000"), Ok(1_780_000_000));
        assert_eq!(
            since("-7x"),
            Err("\"-7x\" is not a time back from now; write e.g. -7d, -12h or -1h30m".to_owned())
        );
    }
}
