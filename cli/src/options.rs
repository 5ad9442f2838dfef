//! Options shared by several commands, and the parsers of their values.

use std::time::Duration;

use clap::{Args, ValueEnum};
use lox24::{
    Column, Encoding, Polling,
    number::{Country, PhonePolicy},
};

use crate::failure::CliError;

/// How phone numbers are checked and rewritten before sending.
#[derive(Debug, Args)]
pub struct PhoneArgs {
    /// Read national numbers (`0170 1234567`) as numbers of this country
    /// (ISO code such as DE, AT, CH). Without it, they are refused: every
    /// other form is rewritten to E.164 (+491701234567).
    #[arg(long, value_name = "CC", conflicts_with_all = ["strict", "as_written"])]
    pub country: Option<String>,

    /// Accept only numbers written in E.164 (+491701234567).
    #[arg(long, conflicts_with = "as_written")]
    pub strict: bool,

    /// Send numbers as written, for LOX24 to interpret with the account's
    /// country.
    #[arg(long, visible_alias = "pass-through")]
    pub as_written: bool,
}

impl PhoneArgs {
    pub fn policy(&self) -> Result<PhonePolicy, CliError> {
        if self.strict {
            return Ok(PhonePolicy::Strict);
        }
        if self.as_written {
            return Ok(PhonePolicy::PassThrough);
        }
        match &self.country {
            None => Ok(PhonePolicy::Normalize(None)),
            Some(iso) => Ok(PhonePolicy::Normalize(Some(country(iso)?))),
        }
    }
}

/// The country of a `--country` option.
pub fn country(iso: &str) -> Result<Country, CliError> {
    Country::from_iso(iso).map_err(|_| {
        CliError::usage(format!(
            "--country {iso:?} is not a country this tool knows; give an ISO 3166 code such as \
             DE, AT or CH"
        ))
    })
}

/// How long and how often to ask.
#[derive(Debug, Args)]
pub struct WaitArgs {
    /// Give up waiting after this long (what is waited for goes on).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "30m")]
    timeout: Duration,
    /// The first pause between two status requests; it grows up to 30 s.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "2s")]
    interval: Duration,
}

impl WaitArgs {
    pub fn polling(&self) -> Polling {
        Polling::new()
            .interval(self.interval)
            .max_interval(self.interval.max(Duration::from_secs(30)))
            .timeout(self.timeout)
    }
}

/// The encoding of a text on the air.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    /// GSM 03.38 when every character allows it, else Unicode (LOX24 decides).
    #[default]
    Auto,
    /// GSM 03.38; LOX24 replaces other characters by look-alikes.
    Gsm,
    /// Unicode (UCS-2): 70 characters per SMS, any script.
    Unicode,
}

impl From<EncodingArg> for Encoding {
    fn from(arg: EncodingArg) -> Self {
        match arg {
            EncodingArg::Auto => Encoding::Auto,
            EncodingArg::Gsm => Encoding::Gsm,
            EncodingArg::Unicode => Encoding::Unicode,
        }
    }
}

/// A column from `a` … `e` (or `colA` … `colE`).
pub fn parse_column(text: &str) -> Result<Column, String> {
    let lower = text.trim().to_ascii_lowercase();
    let letter = lower.strip_prefix("col").unwrap_or(&lower);
    Column::ALL
        .into_iter()
        .find(|&c| self::letter(c) == letter)
        .ok_or_else(|| format!("{text:?} is not a column; the columns are a, b, c, d and e"))
}

/// `a=first_name`: a column and a name for it.
pub fn parse_column_name(text: &str) -> Result<(Column, String), String> {
    let (column, name) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?}: write LETTER=NAME, e.g. a=first_name"))?;
    Ok((parse_column(column)?, name.to_owned()))
}

/// The column's letter, as LOX24 names the field.
pub fn letter(column: Column) -> &'static str {
    match column {
        Column::A => "a",
        Column::B => "b",
        Column::C => "c",
        Column::D => "d",
        Column::E => "e",
    }
}

/// A group id: a whole number from 1.
pub fn parse_group_id(text: &str) -> Result<lox24::GroupId, String> {
    match text.trim().parse::<u64>() {
        Ok(id) if id >= 1 => Ok(lox24::GroupId::new(id)),
        _ => Err(format!(
            "{text:?} is not a group id (a whole number from 1; `lox24 groups list` shows them)"
        )),
    }
}

/// A campaign's id, as `lox24 bulks list` shows it.
pub fn parse_bulk_id(text: &str) -> Result<lox24::BulkId, String> {
    uuid(text, "campaign", "lox24 bulks list").map(lox24::BulkId::new)
}

/// A message's id, as `lox24 sms list` shows it.
pub fn parse_sms_id(text: &str) -> Result<lox24::SmsId, String> {
    uuid(text, "message", "lox24 sms list").map(lox24::SmsId::new)
}

/// A UUID, lowercased: LOX24 accepts only lowercase ones, and ids copied
/// from elsewhere may be in capitals or carry spaces.
fn uuid(text: &str, what: &str, list: &str) -> Result<String, String> {
    let id = text.trim().to_ascii_lowercase();
    let well_formed = id.split('-').map(str::len).eq([8, 4, 4, 4, 12])
        && id.chars().all(|c| c == '-' || c.is_ascii_hexdigit());
    if well_formed {
        Ok(id)
    } else {
        Err(format!(
            "{text:?} is not a {what} id (a UUID such as 0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11; \
             `{list}` shows them)"
        ))
    }
}

/// A duration in humantime's units (`500ms`, `30s`, `5m`, `2h`, `7d`,
/// `1h30m`, `1.5h`), or a whole number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let parsed = match text.parse::<u64>() {
        Ok(seconds) => Ok(Duration::from_secs(seconds)),
        Err(_) => humantime::parse_duration(text),
    };
    parsed.map_err(|_| {
        format!("{text:?} is not a duration; write e.g. 500ms, 30s, 5m, 2h, 7d or 1h30m")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_columns() {
        assert_eq!(parse_column("a"), Ok(Column::A));
        assert_eq!(parse_column("colE"), Ok(Column::E));
        assert_eq!(parse_column("C"), Ok(Column::C));
        assert!(parse_column("f").unwrap_err().contains("a, b, c, d and e"));
    }

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("12"), Ok(Duration::from_secs(12)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(
            parse_duration("soon"),
            Err(
                "\"soon\" is not a duration; write e.g. 500ms, 30s, 5m, 2h, 7d or 1h30m".to_owned()
            )
        );
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn parses_group_ids() {
        assert_eq!(parse_group_id("7117"), Ok(lox24::GroupId::new(7117)));
        assert!(parse_group_id("0").is_err());
        assert!(parse_group_id("x").is_err());
    }

    #[test]
    fn parses_uuid_ids() {
        let id = "0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11";
        assert_eq!(parse_bulk_id(id), Ok(lox24::BulkId::new(id)));
        assert_eq!(
            parse_sms_id(" 0B8A3A94-7F6C-4F24-9A2C-2F2D3C0A1B11\n"),
            Ok(lox24::SmsId::new(id))
        );
        assert!(parse_bulk_id("0b8a3a94").is_err());
        assert!(parse_bulk_id("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b1g").is_err());
        assert!(parse_bulk_id("0b8a3a947f6c-4f24-9a2c-2f2d-3c0a1b11").is_err());
    }

    #[test]
    fn phone_options_choose_a_policy() {
        let args = |country: Option<&str>, strict, as_written| PhoneArgs {
            country: country.map(str::to_owned),
            strict,
            as_written,
        };
        assert_eq!(
            args(None, false, false).policy().unwrap(),
            PhonePolicy::Normalize(None)
        );
        assert_eq!(
            args(Some("de"), false, false).policy().unwrap(),
            PhonePolicy::Normalize(Country::from_iso("DE").ok())
        );
        assert_eq!(
            args(None, true, false).policy().unwrap(),
            PhonePolicy::Strict
        );
        assert_eq!(
            args(None, false, true).policy().unwrap(),
            PhonePolicy::PassThrough
        );
        assert!(args(Some("XX"), false, false).policy().is_err());
    }
}
