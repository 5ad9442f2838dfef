use std::{borrow::Cow, fmt};

use serde::{Deserialize, Serialize};

/// An input refused before anything was sent, naming the field and the rule.
///
/// ```
/// let err = lox24::limits::group_write::NAME.check(&"x".repeat(51)).unwrap_err();
/// assert_eq!(err.field(), "name");
/// assert_eq!(
///     err.problem(),
///     &lox24::ValidationProblem::TooLong { max: 50, actual: 51 }
/// );
/// assert_eq!(err.to_string(), "`name` has 51 characters; LOX24 allows at most 50");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("`{field}` {problem}")]
pub struct ValidationError {
    field: String,
    problem: ValidationProblem,
}

impl ValidationError {
    /// An error for `field` (a name such as `sender_id` or a path such as `[3].phone`).
    pub fn new(field: impl Into<String>, problem: ValidationProblem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }

    /// The field, as LOX24 names it; items of a list are written `[index].field`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The rule that was broken.
    pub fn problem(&self) -> &ValidationProblem {
        &self.problem
    }

    /// The same error with `prefix` put before the field, e.g. `[3]` + `phone`.
    pub(crate) fn within(mut self, prefix: impl fmt::Display) -> Self {
        self.field = if self.field.starts_with('[') {
            format!("{prefix}{}", self.field)
        } else {
            format!("{prefix}.{}", self.field)
        };
        self
    }
}

/// Which rule an input broke.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ValidationProblem {
    /// A required value is missing or empty.
    Missing,
    /// Fewer characters than allowed.
    TooShort {
        /// The fewest characters allowed.
        min: usize,
        /// The characters given.
        actual: usize,
    },
    /// More characters than allowed.
    TooLong {
        /// The most characters allowed.
        max: usize,
        /// The characters given.
        actual: usize,
    },
    /// The value does not have the required form.
    Pattern {
        /// The regular expression from the spec.
        pattern: Cow<'static, str>,
    },
    /// A number below the minimum.
    TooSmall {
        /// The smallest value allowed.
        min: i64,
        /// The value given.
        actual: i64,
    },
    /// A number above the maximum.
    TooLarge {
        /// The largest value allowed.
        max: i64,
        /// The value given.
        actual: i64,
    },
    /// Another rule, described in words.
    Invalid {
        /// What is wrong and what is allowed.
        reason: String,
    },
}

impl fmt::Display for ValidationProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => write!(f, "is required"),
            Self::TooShort { min, actual } => {
                write!(f, "has {actual} characters; LOX24 requires at least {min}")
            }
            Self::TooLong { max, actual } => {
                write!(f, "has {actual} characters; LOX24 allows at most {max}")
            }
            Self::Pattern { pattern } => write!(f, "does not match the pattern {pattern}"),
            Self::TooSmall { min, actual } => write!(f, "is {actual}; the minimum is {min}"),
            Self::TooLarge { max, actual } => write!(f, "is {actual}; the maximum is {max}"),
            Self::Invalid { reason } => f.write_str(reason),
        }
    }
}
