//! The rules behind [`crate::limits`] and the checks made before sending.

use std::{fmt, sync::OnceLock};

use crate::{
    error::{ValidationError, ValidationProblem},
    generated::types::error::ConversionError,
};

/// Length and pattern limits of a text field, taken from the spec.
///
/// ```
/// let rule = &lox24::limits::group_write::NAME;
/// assert_eq!((rule.min_chars, rule.max_chars), (Some(1), Some(50)));
/// assert!(rule.check("VIP customers").is_ok());
/// assert!(rule.check("").is_err());
/// ```
#[derive(Debug)]
pub struct TextRule {
    /// The field the rule belongs to, as LOX24 names it.
    pub field: &'static str,
    /// The fewest characters (Unicode scalar values) allowed.
    pub min_chars: Option<usize>,
    /// The most characters (Unicode scalar values) allowed.
    pub max_chars: Option<usize>,
    /// A regular expression the whole value must match.
    pub pattern: Option<Pattern>,
}

impl TextRule {
    /// Checks `value`, naming [`TextRule::field`] in the error.
    pub fn check(&self, value: &str) -> Result<(), ValidationError> {
        self.check_at(self.field, value)
    }

    /// Checks `value`, naming `field` (a path such as `[3].phone`) in the error.
    pub fn check_at(&self, field: impl fmt::Display, value: &str) -> Result<(), ValidationError> {
        let problem = self.problem(value);
        match problem {
            None => Ok(()),
            Some(problem) => Err(ValidationError::new(field.to_string(), problem)),
        }
    }

    fn problem(&self, value: &str) -> Option<ValidationProblem> {
        // A string has at most as many characters as bytes, so most values
        // pass the maximum without being counted.
        if self.max_chars.is_some_and(|max| value.len() > max) || self.min_chars.is_some() {
            let actual = value.chars().count();
            if let Some(max) = self.max_chars.filter(|&max| actual > max) {
                return Some(ValidationProblem::TooLong { max, actual });
            }
            if let Some(min) = self.min_chars.filter(|&min| actual < min) {
                return Some(ValidationProblem::TooShort { min, actual });
            }
        }
        let pattern = self.pattern.as_ref()?;
        (!pattern.matches(value)).then(|| ValidationProblem::Pattern {
            pattern: pattern.source.into(),
        })
    }
}

/// Bounds of an integer field, taken from the spec.
///
/// ```
/// let rule = &lox24::limits::GROUP_ID;
/// assert_eq!(rule.minimum, Some(1));
/// assert!(rule.check(0).is_err());
/// ```
#[derive(Debug)]
pub struct IntRule {
    /// The field the rule belongs to, as LOX24 names it.
    pub field: &'static str,
    /// The smallest value allowed.
    pub minimum: Option<i64>,
    /// The largest value allowed.
    pub maximum: Option<i64>,
}

impl IntRule {
    /// Checks `value`, naming [`IntRule::field`] in the error.
    pub fn check(&self, value: i64) -> Result<(), ValidationError> {
        self.check_at(self.field, value)
    }

    /// Checks `value`, naming `field` in the error.
    pub fn check_at(&self, field: impl fmt::Display, value: i64) -> Result<(), ValidationError> {
        let problem = if let Some(min) = self.minimum.filter(|&min| value < min) {
            ValidationProblem::TooSmall { min, actual: value }
        } else if let Some(max) = self.maximum.filter(|&max| value > max) {
            ValidationProblem::TooLarge { max, actual: value }
        } else {
            return Ok(());
        };
        Err(ValidationError::new(field.to_string(), problem))
    }
}

/// A regular expression from the spec, compiled on first use.
pub struct Pattern {
    /// The expression as the spec writes it.
    pub source: &'static str,
    compiled: OnceLock<Option<regress::Regex>>,
}

impl Pattern {
    #[doc(hidden)]
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            compiled: OnceLock::new(),
        }
    }

    /// Whether `value` matches the whole expression.
    pub fn matches(&self, value: &str) -> bool {
        // build.rs compiles every pattern of the spec, so `None` (an
        // expression regress rejects) cannot happen; if it did, nothing
        // would match and the input would be refused, never let through.
        self.compiled
            .get_or_init(|| regress::Regex::new(self.source).ok())
            .as_ref()
            .is_some_and(|re| re.find(value).is_some())
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// Checks a text against its rule and converts it into the generated wire
/// type, which checks the same spec again; should the two ever disagree, the
/// input is refused rather than sent.
pub(crate) fn wire<T>(rule: &TextRule, value: &str) -> Result<T, ValidationError>
where
    T: for<'a> TryFrom<&'a str, Error = ConversionError>,
{
    wire_at(rule, rule.field, value)
}

/// [`wire`] naming another field than the rule's, e.g. `phones[3]`.
pub(crate) fn wire_at<T>(
    rule: &TextRule,
    field: impl fmt::Display,
    value: &str,
) -> Result<T, ValidationError>
where
    T: for<'a> TryFrom<&'a str, Error = ConversionError>,
{
    rule.check_at(&field, value)?;
    T::try_from(value).map_err(|e| {
        ValidationError::new(
            field.to_string(),
            ValidationProblem::Invalid {
                reason: e.to_string(),
            },
        )
    })
}

/// [`wire`] for an optional text.
pub(crate) fn wire_opt<T>(
    rule: &TextRule,
    value: Option<&str>,
) -> Result<Option<T>, ValidationError>
where
    T: for<'a> TryFrom<&'a str, Error = ConversionError>,
{
    value.map(|v| wire(rule, v)).transpose()
}

/// [`wire_opt`] naming another field than the rule's, e.g. `address.city`.
pub(crate) fn wire_opt_at<T>(
    rule: &TextRule,
    field: impl fmt::Display,
    value: Option<&str>,
) -> Result<Option<T>, ValidationError>
where
    T: for<'a> TryFrom<&'a str, Error = ConversionError>,
{
    value.map(|v| wire_at(rule, &field, v)).transpose()
}
