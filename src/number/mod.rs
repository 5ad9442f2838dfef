//! Phone numbers: the forms LOX24 accepts, normalised to E.164 before
//! anything is sent, and never into the wrong country.
//!
//! LOX24 accepts `+491701234567` (E.164, preferred), `00491701234567`,
//! `491701234567`, and national `01701234567`, which it completes with the
//! country of the account. [`E164::parse`] reads each of these, written with
//! the usual separators (spaces, `-`, `.`, `/`, parentheses, `+49 (0)170…`),
//! into E.164. [`PhonePolicy`] chooses how strict a caller is: E.164 only,
//! normalise, or pass through as written.
//!
//! ```
//! use lox24::number::{Country, E164, PhonePolicy};
//!
//! let de = Country::from_iso("DE")?;
//! for written in ["+49 170 1234567", "0049 (0)170-123 45 67", "491701234567", "0170/1234567"] {
//!     assert_eq!(E164::parse(written, Some(de))?.as_str(), "+491701234567");
//! }
//!
//! // Without a default country, digits without `+` or `00` are refused:
//! // the error names the countries in which they would be a number.
//! let err = E164::parse("0170 1234567", None).unwrap_err();
//! assert_eq!(err.field(), "phone");
//! assert!(err.to_string().contains("DE (+491701234567)"));
//!
//! // What the upload engine and the campaign builder call:
//! let policy = PhonePolicy::Normalize(Some(de));
//! assert_eq!(policy.apply("+49 170 1234567")?, "+491701234567");
//! # Ok::<(), lox24::ValidationError>(())
//! ```
//!
//! # Never the wrong country
//!
//! Digits without `+` or `00` carry no country code that can be told
//! apart: `415 555 2671` is a Californian number written without its `1`,
//! but LOX24 (and, before, this module) read it as +41 55 552671, Switzerland.
//! So such digits are read only in the default country the caller chose:
//!
//! - with its trunk prefix (`0170 1234567` in DE, `8 912 …` in RU), a
//!   national number of that country;
//! - where the country has no trunk prefix (IT, ES, PL, …) or writing it is
//!   optional (North America's `1`), a national number as written;
//! - starting with the country's own calling code (`491701234567` in DE),
//!   its number in LOX24's bare international form; a number that could be
//!   read both ways is refused as ambiguous;
//! - anything else is refused: a default country never makes another
//!   country's number its own.
//!
//! Without a default country they are refused, and the error lists the
//! countries in which they would be a number.
//!
//! # Plausible numbers
//!
//! Every country with phone numbers is known ([`countries`]: 245 regions,
//! with their calling codes, trunk prefixes and numbering plans, taken from
//! libphonenumber's metadata into a table of the crate's own). A number's
//! calling code must be one of them, and the number must have as many
//! digits as the country's numbers that start with the same two digits
//! (`+49 170 12` is refused: German numbers starting with 17 have 10 to 13
//! digits after the 49). With the `phonenumber` feature,
//! `PhonePolicy::Validate` checks numbers against libphonenumber's full
//! patterns instead.
//!
//! # Speed
//!
//! [`E164::parse`] makes one pass over the input and never allocates on
//! success: [`E164`] lives inline (17 bytes); the numbering plans are read
//! once. [`PhonePolicy::apply`] returns the input itself when it already is
//! what would be sent, and allocates only the rewritten number otherwise.
//! `cargo bench --bench text` measures both against the regular-expression
//! check of [`crate::limits`].

mod plans;

use std::{borrow::Cow, fmt, str::FromStr};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{ValidationError, ValidationProblem, limits};

/// The most digits of an E.164 number, country code included.
pub const MAX_DIGITS: usize = 15;

/// The fewest digits accepted, country code included: the shortest numbers
/// in use (e.g. Niue's, +683 and four digits) have seven.
pub const MIN_DIGITS: usize = 7;

/// A phone number in E.164 form: `+`, a country code starting with 1-9, and
/// at most 15 digits in all. Kept inline, without allocating.
///
/// ```
/// use lox24::number::E164;
///
/// let number: E164 = "0041 44 668 18 00".parse()?;
/// assert_eq!(number.as_str(), "+41446681800");
/// assert_eq!(number.digits(), "41446681800");
/// assert_eq!(number.to_string(), "+41446681800");
/// # Ok::<(), lox24::ValidationError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct E164 {
    /// `+` and the digits; only the first `len` bytes are used.
    bytes: [u8; MAX_DIGITS + 1],
    len: u8,
}

impl E164 {
    /// Reads a number in any form LOX24 accepts: `+491701234567` and
    /// `00491701234567`, and, read in the default `country` only (see the
    /// [module](self)), `491701234567` and national `01701234567`. Spaces,
    /// `-`, `.`, `/`, parentheses and a `(0)` after the country code are
    /// ignored. The number must be plausible in its country. The error names
    /// the field `phone` and shows the input.
    ///
    /// ```
    /// use lox24::number::{Country, E164};
    ///
    /// let at = Country::from_iso("AT").ok();
    /// assert_eq!(E164::parse("0664 123 45 67", at)?.as_str(), "+436641234567");
    /// assert_eq!(E164::parse("+1 (415) 555-2671", at)?.as_str(), "+14155552671");
    /// assert!(E164::parse("+49 170 CALL-ME", at).is_err());
    /// # Ok::<(), lox24::ValidationError>(())
    /// ```
    pub fn parse(input: &str, country: Option<Country>) -> Result<Self, ValidationError> {
        Self::parse_at("phone", input, country)
    }

    /// [`E164::parse`], naming `field` (such as `phones[3]`) in the error.
    ///
    /// ```
    /// use lox24::number::{Country, E164};
    ///
    /// let de = Country::from_iso("DE").ok();
    /// let number = E164::parse_at("phones[0]", "0170 1234567", de)?;
    /// assert_eq!(number.as_str(), "+491701234567");
    /// let err = E164::parse_at("phones[1]", "0170 12", de).unwrap_err();
    /// assert_eq!(err.field(), "phones[1]");
    /// # Ok::<(), lox24::ValidationError>(())
    /// ```
    pub fn parse_at(
        field: impl fmt::Display,
        input: &str,
        country: Option<Country>,
    ) -> Result<Self, ValidationError> {
        scan(input)
            .and_then(|shape| shape.builtin(country))
            .map_err(|problem| problem.error(field, input))
    }

    /// The number with its `+`, e.g. `+491701234567`.
    ///
    /// ```
    /// use lox24::number::E164;
    ///
    /// let number = E164::parse("+49 (0)170 123 45-67", None)?;
    /// assert_eq!(number.as_str(), "+491701234567");
    /// # Ok::<(), lox24::ValidationError>(())
    /// ```
    pub fn as_str(&self) -> &str {
        // Only `+` and ASCII digits are ever written into `bytes`.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// [`E164::as_str`]'s bytes.
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// The digits without the `+`, e.g. `491701234567`.
    ///
    /// ```
    /// use lox24::number::E164;
    ///
    /// let number = E164::parse("0049 170 1234567", None)?;
    /// assert_eq!(number.digits(), "491701234567");
    /// # Ok::<(), lox24::ValidationError>(())
    /// ```
    pub fn digits(&self) -> &str {
        &self.as_str()[1..]
    }

    /// `+` and `digits`, which hold 1-9 and then 6 to 14 more digits.
    fn from_digits(country_code: &[u8], rest: &[u8]) -> Result<Self, Problem> {
        let count = Self::check_digits(country_code, rest)?;
        let mut bytes = [0; MAX_DIGITS + 1];
        bytes[0] = b'+';
        bytes[1..=country_code.len()].copy_from_slice(country_code);
        bytes[country_code.len() + 1..=count].copy_from_slice(rest);
        Ok(Self {
            bytes,
            len: (count + 1) as u8,
        })
    }

    /// What [`E164::from_digits`] checks: the count of digits, and a
    /// calling code that does not start with 0. Returns the count.
    fn check_digits(country_code: &[u8], rest: &[u8]) -> Result<usize, Problem> {
        let count = country_code.len() + rest.len();
        if count > MAX_DIGITS {
            return Err(Problem::TooLong(count));
        }
        if count < MIN_DIGITS {
            return Err(Problem::TooShort(count));
        }
        if country_code.first().or(rest.first()) == Some(&b'0') {
            return Err(Problem::CountryCodeZero);
        }
        Ok(count)
    }
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "E164({})", self.as_str())
    }
}

impl AsRef<str> for E164 {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<E164> for String {
    fn from(number: E164) -> Self {
        number.as_str().to_owned()
    }
}

/// Reads the international forms ([`E164::parse`] without a country).
impl FromStr for E164 {
    type Err = ValidationError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::parse(input, None)
    }
}

impl Serialize for E164 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for E164 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The country that completes national numbers: its calling code and trunk
/// prefix (the `0` of `0170…`, which E.164 leaves out).
///
/// ```
/// use lox24::number::Country;
///
/// let hu = Country::from_iso("hu")?;
/// assert_eq!((hu.iso(), hu.calling_code(), hu.trunk_prefix()), ("HU", 36, "06"));
/// # Ok::<(), lox24::ValidationError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Country {
    iso: [u8; 2],
    calling_code: u16,
    /// The calling code's digits (one to three).
    code: [u8; 3],
    code_len: u8,
    trunk: [u8; 2],
    trunk_len: u8,
}

impl Country {
    /// The country with this ISO 3166-1 alpha-2 code (either case): every
    /// country with phone numbers is known (245 regions, see
    /// [`countries`]). Any other code is refused, naming the field
    /// `country`.
    ///
    /// ```
    /// use lox24::number::Country;
    ///
    /// assert_eq!(Country::from_iso("DE")?.calling_code(), 49);
    /// assert_eq!(Country::from_iso("us")?.trunk_prefix(), "1");
    /// assert_eq!(Country::from_iso("IT")?.trunk_prefix(), "");
    /// assert_eq!(Country::from_iso("XX").unwrap_err().field(), "country");
    /// # Ok::<(), lox24::ValidationError>(())
    /// ```
    pub fn from_iso(code: &str) -> Result<Self, ValidationError> {
        let iso = match code.as_bytes() {
            &[a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                [a.to_ascii_uppercase(), b.to_ascii_uppercase()]
            }
            _ => None.ok_or_else(|| unknown_country(code))?,
        };
        plans::by_iso(iso)
            .and_then(Self::of_plan)
            .ok_or_else(|| unknown_country(code))
    }

    fn of_plan(plan: &plans::Plan) -> Option<Self> {
        Self::new(plan.iso, plan.code, plan.trunk)
    }

    fn plan(&self) -> Option<&'static plans::Plan> {
        plans::by_iso(self.iso)
    }

    fn new(iso: [u8; 2], calling_code: u16, trunk_prefix: &str) -> Option<Self> {
        let trunk_bytes = trunk_prefix.as_bytes();
        if !(1..=999).contains(&calling_code)
            || trunk_bytes.len() > 2
            || !trunk_bytes.iter().all(u8::is_ascii_digit)
        {
            return None;
        }
        let mut trunk = [0; 2];
        trunk[..trunk_bytes.len()].copy_from_slice(trunk_bytes);
        let code_len = match calling_code {
            0..=9 => 1,
            10..=99 => 2,
            _ => 3,
        };
        let mut code = [0; 3];
        let mut rest = calling_code;
        for digit in code[..code_len].iter_mut().rev() {
            *digit = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        Some(Self {
            iso,
            calling_code,
            code,
            code_len: code_len as u8,
            trunk,
            trunk_len: trunk_bytes.len() as u8,
        })
    }

    /// The ISO 3166-1 alpha-2 code, upper case.
    ///
    /// ```
    /// use lox24::number::Country;
    ///
    /// assert_eq!(Country::from_iso("gb")?.iso(), "GB");
    /// # Ok::<(), lox24::ValidationError>(())
    /// ```
    pub fn iso(&self) -> &str {
        std::str::from_utf8(&self.iso).unwrap_or_default()
    }

    /// The international calling code, e.g. 49.
    ///
    /// ```
    /// use lox24::number::{Country, E164};
    ///
    /// let ch = Country::from_iso("CH")?;
    /// assert_eq!(ch.calling_code(), 41);
    /// let number = E164::parse("044 668 18 00", Some(ch))?;
    /// assert!(number.digits().starts_with(&ch.calling_code().to_string()));
    /// # Ok::<(), lox24::ValidationError>(())
    /// ```
    pub fn calling_code(&self) -> u16 {
        self.calling_code
    }

    /// The trunk prefix of national numbers, e.g. `0`; empty where there is none.
    ///
    /// ```
    /// use lox24::number::{Country, E164};
    ///
    /// let de = Country::from_iso("DE")?;
    /// assert_eq!(de.trunk_prefix(), "0");
    /// // A national number loses its trunk prefix and gains the calling code.
    /// let national = "01701234567";
    /// let number = E164::parse(national, Some(de))?;
    /// assert_eq!(
    ///     number.digits(),
    ///     format!("49{}", &national[de.trunk_prefix().len()..])
    /// );
    /// # Ok::<(), lox24::ValidationError>(())
    /// ```
    pub fn trunk_prefix(&self) -> &str {
        std::str::from_utf8(&self.trunk[..usize::from(self.trunk_len)]).unwrap_or_default()
    }

    fn code(&self) -> &[u8] {
        &self.code[..usize::from(self.code_len)]
    }
}

/// Every country [`Country::from_iso`] knows, by ISO code.
///
/// ```
/// let countries: Vec<_> = lox24::number::countries().collect();
/// assert_eq!(countries.len(), 245);
/// assert!(countries.iter().any(|c| c.iso() == "US" && c.calling_code() == 1));
/// ```
pub fn countries() -> impl Iterator<Item = Country> {
    plans::all().iter().filter_map(Country::of_plan)
}

fn unknown_country(code: &str) -> ValidationError {
    ValidationError::new(
        "country",
        ValidationProblem::Invalid {
            reason: format!(
                "is {code:?}, not the ISO 3166-1 alpha-2 code of a country with phone numbers \
                 (such as DE or US)"
            ),
        },
    )
}

/// How numbers are checked and rewritten before they are sent.
///
/// ```
/// use lox24::number::{Country, PhonePolicy};
///
/// let written = "0170 1234567";
/// assert!(PhonePolicy::Strict.apply(written).is_err());
/// assert!(PhonePolicy::default().apply(written).is_err()); // no country to complete it
/// let de = PhonePolicy::Normalize(Some(Country::from_iso("DE")?));
/// assert_eq!(de.apply(written)?, "+491701234567");
/// assert_eq!(PhonePolicy::PassThrough.apply(written)?, written);
/// # Ok::<(), lox24::ValidationError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PhonePolicy {
    /// Only E.164 exactly as written (`+491701234567`): no separators, no
    /// other form; plausible in its country.
    Strict,
    /// Every form LOX24 accepts, rewritten to E.164 ([`E164::parse`]);
    /// digits without `+` or `00` are read in the country, or refused
    /// without one (never guessed). The default, without a country.
    Normalize(Option<Country>),
    /// Sent as written, for LOX24 to interpret; only checked to be present
    /// and at most 30 characters (the limit of `phone` in group entries).
    PassThrough,
    /// Like [`PhonePolicy::Normalize`], and the number must be valid in
    /// libphonenumber's numbering plans, which also completes national
    /// numbers of countries without a trunk prefix. A bare number (no `+`,
    /// `00` or `0`) valid both as international and as national in the
    /// country is refused as ambiguous. Feature `phonenumber`.
    #[cfg(feature = "phonenumber")]
    Validate(Option<Country>),
}

impl Default for PhonePolicy {
    fn default() -> Self {
        Self::Normalize(None)
    }
}

impl PhonePolicy {
    /// The number as it is to be sent: the input itself when nothing
    /// changes, otherwise its E.164 form. The error names the field `phone`.
    ///
    /// ```
    /// use lox24::number::PhonePolicy;
    /// use std::borrow::Cow;
    ///
    /// let policy = PhonePolicy::default();
    /// // Already E.164: the input itself, not a copy.
    /// assert!(matches!(policy.apply("+491701234567")?, Cow::Borrowed(_)));
    /// assert_eq!(policy.apply("0049 170 1234567")?, "+491701234567");
    /// assert_eq!(policy.apply("0170 1234567").unwrap_err().field(), "phone");
    /// # Ok::<(), lox24::ValidationError>(())
    /// ```
    pub fn apply<'a>(&self, input: &'a str) -> Result<Cow<'a, str>, ValidationError> {
        self.apply_at("phone", input)
    }

    /// [`PhonePolicy::apply`], naming `field` (such as `phones[3]` or
    /// `[3].phone`) in the error.
    ///
    /// ```
    /// use lox24::number::PhonePolicy;
    ///
    /// let err = PhonePolicy::Strict.apply_at("phones[3]", "0049 170 1234567").unwrap_err();
    /// assert_eq!(err.field(), "phones[3]");
    /// ```
    pub fn apply_at<'a>(
        &self,
        field: impl fmt::Display,
        input: &'a str,
    ) -> Result<Cow<'a, str>, ValidationError> {
        let number = match self {
            Self::Strict => {
                return match is_strict_e164(input) {
                    Ok(()) => Ok(Cow::Borrowed(input)),
                    Err(problem) => Err(problem.error(field, input)),
                };
            }
            Self::PassThrough => {
                if input.trim().is_empty() {
                    return Err(ValidationError::new(
                        field.to_string(),
                        ValidationProblem::Missing,
                    ));
                }
                let field = field.to_string();
                limits::phone_write::PHONE.check_at(&field, input)?;
                limits::check_controls(&field, input, limits::Lines::One)?;
                return Ok(Cow::Borrowed(input));
            }
            Self::Normalize(country) => match plus_and_digits(input) {
                // Already `+` and digits, as most lists write numbers: only
                // the calling code and the plan to check, and nothing to
                // rewrite (what `E164::parse_at` does after a copy).
                Some(digits) => {
                    return match check_international(digits) {
                        Ok(_) => Ok(Cow::Borrowed(input)),
                        Err(problem) => Err(problem.error(field, input)),
                    };
                }
                None => E164::parse_at(field, input, *country)?,
            },
            #[cfg(feature = "phonenumber")]
            Self::Validate(country) => scan(input)
                .and_then(|shape| full::validate(&shape, *country))
                .map_err(|problem| problem.error(field, input))?,
        };
        // Compared as bytes: the number's text needs no UTF-8 check here.
        Ok(if number.as_bytes() == input.as_bytes() {
            Cow::Borrowed(input)
        } else {
            Cow::Owned(number.into())
        })
    }
}

// --- Reading ---

/// Why an input is not a number; turned into the error with the input.
#[derive(Debug)]
enum Problem {
    Empty,
    Character(char),
    Plus,
    TooLong(usize),
    TooShort(usize),
    CountryCodeZero,
    /// No country has the calling code these digits start with.
    UnknownCode([u8; 3]),
    /// The digits after the calling code cannot be a number of the country.
    Implausible {
        country: Country,
        why: plans::Implausible,
        national: usize,
    },
    /// Digits without a country code and no default country: the countries
    /// whose number they could be.
    Unguessed(Vec<(Country, E164)>),
    /// Neither a national number of the default country nor one with its
    /// country code.
    NotOwn(Country),
    NotStrict,
    #[cfg(feature = "phonenumber")]
    Invalid,
    Ambiguous(E164, E164),
}

impl Problem {
    fn error(self, field: impl fmt::Display, input: &str) -> ValidationError {
        let field = field.to_string();
        let shown = Shown(input);
        let reason = match self {
            Self::Empty => return ValidationError::new(field, ValidationProblem::Missing),
            Self::Character(c) => {
                format!("is {shown}: {c:?} is neither a digit nor a separator")
            }
            Self::Plus => format!("is {shown}: `+` may only start the number"),
            Self::TooLong(n) => format!(
                "is {shown}: {n} digits; E.164 allows at most {MAX_DIGITS} with the country code"
            ),
            Self::TooShort(n) => format!(
                "is {shown}: {n} digits; a number has at least {MIN_DIGITS} with the country code"
            ),
            Self::CountryCodeZero => {
                format!("is {shown}: a country code cannot start with 0")
            }
            Self::UnknownCode(code) => {
                let code = std::str::from_utf8(&code).unwrap_or_default();
                format!(
                    "is {shown}: no country has the calling code +{code} (or +{}, +{})",
                    &code[..2],
                    &code[..1]
                )
            }
            Self::Implausible {
                country,
                why,
                national,
            } => {
                let (iso, code) = (country.iso(), country.calling_code);
                let start = |digits: [u8; 2]| String::from_utf8_lossy(&digits).into_owned();
                match why {
                    plans::Implausible::Start(digits) => format!(
                        "is {shown}: no number of {iso} (+{code}) starts with {} after the \
                         country code",
                        start(digits)
                    ),
                    plans::Implausible::Length {
                        start: digits,
                        lengths,
                    } => format!(
                        "is {shown}: numbers of {iso} (+{code}) starting with {} have {} digits \
                         after the country code, not {national}",
                        start(digits),
                        plans::describe(lengths)
                    ),
                    plans::Implausible::Short { lengths } => format!(
                        "is {shown}: numbers of {iso} (+{code}) have {} digits after the \
                         country code, not {national}",
                        plans::describe(lengths)
                    ),
                }
            }
            Self::Unguessed(candidates) => {
                const SHOWN: usize = 4;
                let mut listed = candidates
                    .iter()
                    .take(SHOWN)
                    .map(|(country, number)| format!("{} ({number})", country.iso()))
                    .collect::<Vec<_>>();
                let more = candidates.len().saturating_sub(SHOWN);
                if more > 0 {
                    listed.push(format!("{more} more"));
                }
                let valid = match listed.as_slice() {
                    [] => "no country has numbers of that form".to_owned(),
                    [one] => format!("it would be valid with {one}"),
                    [rest @ .., last] => {
                        format!("it would be valid with {} and {last}", rest.join(", "))
                    }
                };
                format!(
                    "is {shown} without a country code (+… or 00…), and its country is not \
                     guessed: write it with its country code, or set the default country it \
                     belongs to; {valid}"
                )
            }
            Self::NotOwn(country) => format!(
                "is {shown}, neither a national number of {} (they start with {}) nor one \
                 with its country code {}: write it with `+` or 00 and its country code",
                country.iso(),
                country.trunk_prefix(),
                country.calling_code
            ),
            Self::NotStrict => format!(
                "is {shown}, not E.164: `+`, the country code and the number, digits only \
                 (e.g. +491701234567)"
            ),
            #[cfg(feature = "phonenumber")]
            Self::Invalid => format!("is {shown}, not a number in use according to libphonenumber"),
            Self::Ambiguous(international, national) => format!(
                "is {shown}, which could be {international} or {national}: write it with \
                 `+` and its country code"
            ),
        };
        ValidationError::new(field, ValidationProblem::Invalid { reason })
    }
}

/// An input in an error: quoted, escaped, and cut after 32 characters.
struct Shown<'a>(&'a str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(32) {
            None => write!(f, "{:?}", self.0),
            Some((cut, _)) => write!(f, "{:?}…", &self.0[..cut]),
        }
    }
}

/// Room for `00`, a trunk prefix of two, and 15 digits; anything longer is
/// refused by count.
const CAPACITY: usize = MAX_DIGITS + 2;

/// The digits of an input and how it started.
#[derive(Debug, PartialEq)]
struct Shape {
    plus: bool,
    digits: [u8; CAPACITY],
    len: usize,
}

impl Shape {
    fn digits(&self) -> &[u8] {
        &self.digits[..self.len]
    }

    /// Digits after an international prefix (`+` or `00`).
    fn international(&self) -> Option<&[u8]> {
        if self.plus {
            Some(self.digits())
        } else {
            self.digits().strip_prefix(b"00")
        }
    }

    fn builtin(&self, country: Option<Country>) -> Result<E164, Problem> {
        if let Some(digits) = self.international() {
            return international(digits);
        }
        let digits = self.digits();
        match country {
            Some(country) => national(country, digits),
            None => Err(Problem::Unguessed(candidates(digits))),
        }
    }
}

/// Digits after `+` or `00`: a calling code some country has, and a number
/// that can be one of that country's.
fn international(digits: &[u8]) -> Result<E164, Problem> {
    check_international(digits)?;
    E164::from_digits(&[], digits)
}

/// What [`international`] checks, without making the number: for input
/// already written as `+` and digits, which is sent as it is.
fn check_international(digits: &[u8]) -> Result<(), Problem> {
    E164::check_digits(&[], digits)?;
    let Some((code, national)) = plans::split(digits) else {
        let mut code = [b'0'; 3];
        for (slot, &digit) in code.iter_mut().zip(digits) {
            *slot = digit;
        }
        return Err(Problem::UnknownCode(code));
    };
    // Countries that share the code (+1, +7, +44, …): any of them will do;
    // the error names the one whose numbers start like this, or the main one.
    let mut refusal = None;
    for plan in plans::by_code(code) {
        match plan.check(national) {
            Ok(()) => return Ok(()),
            Err(why) => {
                let specific = !matches!(why, plans::Implausible::Start(_));
                if refusal.is_none() || specific && !matches!(refusal, Some((_, true, _))) {
                    refusal = Some((plan, specific, why));
                }
            }
        }
    }
    match refusal.and_then(|(plan, _, why)| Some((Country::of_plan(plan)?, why))) {
        Some((country, why)) => Err(Problem::Implausible {
            country,
            why,
            national: national.len(),
        }),
        None => Err(Problem::UnknownCode([b'0'; 3])),
    }
}

/// Digits without `+` or `00`, read in the default country `country`: a
/// national number (with the trunk prefix where the country has one), or
/// the country's own number written with its calling code and no `+`.
/// Never another country's.
fn national(country: Country, digits: &[u8]) -> Result<E164, Problem> {
    let Some(plan) = country.plan() else {
        return Err(Problem::NotOwn(country));
    };
    let trunk = &country.trunk[..usize::from(country.trunk_len)];
    let implausible = |why, national: &[u8]| Problem::Implausible {
        country,
        why,
        national: national.len(),
    };
    if !trunk.is_empty()
        && let Some(rest) = digits.strip_prefix(trunk)
    {
        return match plan.check(rest) {
            Ok(()) => E164::from_digits(country.code(), rest),
            Err(why) => Err(implausible(why, rest)),
        };
    }
    // The country's own calling code without `+` (LOX24's `491701234567`).
    let own = digits
        .strip_prefix(country.code())
        .filter(|rest| plan.check(rest).is_ok())
        .map(|rest| E164::from_digits(country.code(), rest));
    // A national number without trunk prefix: where the country has none,
    // or where writing it is optional (North America's `1`).
    let without_trunk = trunk.is_empty() || country.calling_code == 1;
    let bare = without_trunk.then(|| match plan.check(digits) {
        Ok(()) => E164::from_digits(country.code(), digits),
        Err(why) => Err(implausible(why, digits)),
    });
    match (own, bare) {
        (Some(Ok(own)), Some(Ok(bare))) if own != bare => Err(Problem::Ambiguous(own, bare)),
        (Some(own), _) => own,
        (None, Some(bare)) => bare,
        (None, None) => Err(Problem::NotOwn(country)),
    }
}

/// The countries in which digits without a country code would be a
/// number, each with that number: the international reading first, then
/// the main country of each calling code, then by ISO code.
fn candidates(digits: &[u8]) -> Vec<(Country, E164)> {
    let mut found = Vec::new();
    if let Ok(number) = international(digits)
        && let Some((code, national)) = plans::split(digits)
        && let Some(plan) = plans::by_code(code).find(|plan| plan.check(national).is_ok())
        && let Some(country) = Country::of_plan(plan)
    {
        found.push((country, number));
    }
    let mut national_readings: Vec<_> = plans::all()
        .iter()
        .filter_map(|plan| {
            let country = Country::of_plan(plan)?;
            let number = national(country, digits).ok()?;
            Some((!plan.main, country, number))
        })
        .filter(|(_, _, number)| !found.iter().any(|(_, n)| n == number))
        .collect();
    national_readings.sort_by_key(|&(minor, country, _)| (minor, country.iso));
    found.extend(national_readings.into_iter().map(|(_, c, n)| (c, n)));
    found
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        '-' | '.' | '/' | '(' | ')' | '\u{2010}'..='\u{2015}' | '\u{2212}'
    ) || c.is_whitespace()
}

/// Reads the digits, dropping separators and a `(0)` after the country code.
fn scan(input: &str) -> Result<Shape, Problem> {
    match digits_alone(input) {
        Some(shape) => Ok(shape),
        None => scan_characters(input),
    }
}

/// [`scan`] of digits alone, after a `+` or not, as lists nearly always
/// are: copied as they are, where [`scan_characters`] takes a character at
/// a time. `None` for anything else.
fn digits_alone(input: &str) -> Option<Shape> {
    let (plus, digits) = plain_digits(input)?;
    let mut shape = Shape {
        plus,
        digits: [0; CAPACITY],
        len: digits.len(),
    };
    shape.digits[..digits.len()].copy_from_slice(digits);
    Some(shape)
}

/// Whether the input starts with `+`, and its 1 to [`CAPACITY`] digits
/// after it; `None` for anything but digits alone.
fn plain_digits(input: &str) -> Option<(bool, &[u8])> {
    let (plus, digits) = match input.as_bytes() {
        [b'+', rest @ ..] => (true, rest),
        all => (false, all),
    };
    ((1..=CAPACITY).contains(&digits.len()) && digits.iter().all(u8::is_ascii_digit))
        .then_some((plus, digits))
}

/// The digits of `+` and 1 to [`CAPACITY`] digits; `None` for anything else.
fn plus_and_digits(input: &str) -> Option<&[u8]> {
    plain_digits(input).and_then(|(plus, digits)| plus.then_some(digits))
}

fn scan_characters(input: &str) -> Result<Shape, Problem> {
    let mut shape = Shape {
        plus: false,
        digits: [0; CAPACITY],
        len: 0,
    };
    let mut count = 0;
    // The digit count when the last `(` opened, to recognise `(0)`.
    let mut opened = None;
    for c in input.chars() {
        match c {
            '0'..='9' => {
                if shape.len < CAPACITY {
                    shape.digits[shape.len] = c as u8;
                    shape.len += 1;
                }
                count += 1;
            }
            '+' if count == 0 && !shape.plus => shape.plus = true,
            '+' => return Err(Problem::Plus),
            '(' => opened = Some(count),
            ')' => {
                // `+49 (0)170…`: the trunk prefix shown in brackets, not dialled
                // from abroad.
                let code_start = if shape.plus { 0 } else { 2 };
                if opened.is_some_and(|at| at > code_start && at + 1 == count)
                    && shape.international().is_some()
                    && shape.digits.get(shape.len.wrapping_sub(1)) == Some(&b'0')
                    && count == shape.len
                {
                    shape.len -= 1;
                    count -= 1;
                }
                opened = None;
            }
            c if is_separator(c) => {}
            c => return Err(Problem::Character(c)),
        }
    }
    if count == 0 {
        return Err(if shape.plus {
            Problem::TooShort(0)
        } else {
            Problem::Empty
        });
    }
    if count > CAPACITY {
        let idd = !shape.plus && shape.digits.starts_with(b"00");
        return Err(Problem::TooLong(count - if idd { 2 } else { 0 }));
    }
    Ok(shape)
}

fn is_strict_e164(input: &str) -> Result<(), Problem> {
    let Some(digits) = input.strip_prefix('+') else {
        return Err(Problem::NotStrict);
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::NotStrict);
    }
    check_international(digits.as_bytes())
}

/// The full parser: libphonenumber's numbering plans, through `phonenumber`.
#[cfg(feature = "phonenumber")]
mod full {
    use phonenumber::{Mode, country::Id};

    use super::{Country, E164, Problem, Shape};

    /// Reads the digits our scanner found (never the raw input, so
    /// libphonenumber only ever sees `+` and digits) and keeps a number only
    /// if it is valid.
    pub(super) fn validate(shape: &Shape, country: Option<Country>) -> Result<E164, Problem> {
        let region = country.and_then(|c| c.iso().parse::<Id>().ok());
        if let Some(digits) = shape.international() {
            return international(digits).ok_or(Problem::Invalid);
        }
        let digits = shape.digits();
        let Some(region) = region else {
            return match digits.first() {
                Some(b'0') => Err(Problem::Unguessed(super::candidates(digits))),
                _ => international(digits).ok_or(Problem::Invalid),
            };
        };
        let national = valid(Some(region), digits, "");
        if digits.first() == Some(&b'0') {
            return national.ok_or(Problem::Invalid);
        }
        match (international(digits), national) {
            (Some(i), Some(n)) if i != n => Err(Problem::Ambiguous(i, n)),
            (Some(number), _) | (None, Some(number)) => Ok(number),
            (None, None) => Err(Problem::Invalid),
        }
    }

    fn international(digits: &[u8]) -> Option<E164> {
        valid(None, digits, "+")
    }

    fn valid(region: Option<Id>, digits: &[u8], prefix: &str) -> Option<E164> {
        let text = format!("{prefix}{}", std::str::from_utf8(digits).ok()?);
        // phonenumber had panics on crafted input (GHSA-whhr-7f2w-qqj2,
        // GHSA-mjw4-jj88-v687); it only gets `+` and digits here, and a
        // panic would still only refuse the number.
        let number = std::panic::catch_unwind(|| phonenumber::parse(region, &text))
            .ok()?
            .ok()?;
        if !number.is_valid() {
            return None;
        }
        let formatted = number.format().mode(Mode::E164).to_string();
        let digits = formatted.strip_prefix('+')?;
        E164::from_digits(&[], digits.as_bytes()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_and_digits_normalise_as_every_other_input() {
        // The way every input takes: scan, then the number, then compared.
        let slow = |input: &str, country| {
            E164::parse_at("phone", input, country).map(|n| n.as_str().to_owned())
        };
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut digit = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            char::from(b'0' + (seed % 10) as u8)
        };
        let mut fast_taken = 0;
        for len in 0..=CAPACITY + 2 {
            for _ in 0..200 {
                let input: String = std::iter::once('+')
                    .chain((0..len).map(|_| digit()))
                    .collect();
                for country in [None, Some(Country::from_iso("DE").unwrap())] {
                    let fast = PhonePolicy::Normalize(country)
                        .apply_at("phone", &input)
                        .map(Cow::into_owned);
                    assert_eq!(fast, slow(&input, country), "{input}");
                }
                fast_taken += usize::from(plus_and_digits(&input).is_some());
            }
        }
        assert_eq!(fast_taken, CAPACITY * 200);
        for valid in [
            "+491701234567",
            "+14155550123",
            "+447911123456",
            "+4369912345678",
        ] {
            let fast = PhonePolicy::Normalize(None).apply_at("phone", valid);
            assert_eq!(fast.as_deref(), Ok(valid));
            assert!(matches!(fast, Ok(Cow::Borrowed(_))));
            assert_eq!(slow(valid, None).as_deref(), Ok(valid));
        }
        for other in ["+49 170 1234567", "0049170123456", "+", "++49", "+49١٧٠"] {
            assert_eq!(plus_and_digits(other), None, "{other}");
        }
    }

    #[test]
    fn digits_alone_are_scanned_as_character_by_character() {
        let mut taken = 0;
        for len in 0..=CAPACITY + 2 {
            let digits: String = (0..len)
                .map(|k| char::from(b'0' + (k * 7 % 10) as u8))
                .collect();
            for input in [
                digits.clone(),
                format!("+{digits}"),
                format!("00{digits}"),
                format!("{digits}x"),
                format!("+{digits}+"),
                format!("{digits} "),
                format!("٣{digits}"),
            ] {
                if let Some(fast) = digits_alone(&input) {
                    taken += 1;
                    assert_eq!(Ok(fast), scan_characters(&input).map_err(drop), "{input}");
                }
                assert_eq!(
                    format!("{:?}", scan(&input)),
                    format!("{:?}", scan_characters(&input)),
                    "{input}"
                );
            }
        }
        // Lengths 1 to CAPACITY, with and without `+`, and `00` up to CAPACITY.
        assert_eq!(taken, 2 * CAPACITY + CAPACITY - 1);
    }

    #[test]
    fn numbers_and_countries_live_inline() {
        assert_eq!(std::mem::size_of::<E164>(), 17);
        assert!(std::mem::size_of::<Country>() <= 12);
    }

    #[test]
    fn every_country_is_found_by_its_iso_code() {
        for country in countries() {
            let found = Country::from_iso(&country.iso().to_ascii_lowercase()).unwrap();
            assert_eq!(found, country);
            assert_eq!(
                country.code(),
                country.calling_code().to_string().as_bytes()
            );
        }
    }
}
