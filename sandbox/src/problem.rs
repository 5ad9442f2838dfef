//! Error answers in LOX24's two shapes (API Platform's): problem details for
//! plain JSON, a Hydra error or constraint-violation list for JSON-LD.

use serde_json::{Map, Value, json};

use super::reply::{Format, Reply};
use lox24::{ValidationError, ValidationProblem};

const PROBLEM_TYPE: &str = "https://tools.ietf.org/html/rfc2616#section-10";
const TITLE: &str = "An error occurred";

/// The codes of the Symfony constraints behind API Platform's violations, so
/// that a violation carries the code LOX24's would.
pub(crate) mod code {
    pub(crate) const NOT_BLANK: &str = "c1051bb4-d103-4f74-8988-acbcafc7fdc3";
    pub(crate) const TOO_SHORT: &str = "9ff3fdc4-b214-49db-8718-39c315e33d45";
    pub(crate) const TOO_LONG: &str = "d94b19cc-114f-4f44-9cc4-4138e80a87b9";
    pub(crate) const PATTERN: &str = "de1e3db3-5ed4-4941-aae4-59f3667cc3a3";
    pub(crate) const TOO_LOW: &str = "76454e69-502c-46c5-9643-f447d837c4d5";
    pub(crate) const TOO_HIGH: &str = "2d28afcb-e32e-45fb-a815-01c431a86a69";
    pub(crate) const CHOICE: &str = "8e179f1b-97aa-4560-a02f-2a8b42e49df7";
    pub(crate) const TYPE: &str = "ba785a8c-82cb-4283-967c-3cf342181b40";
}

pub(crate) const BLANK: &str = "This value should not be blank.";

/// One broken rule: the field (`name`, `phones[3]`, `phones.0.phone`) and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Violation {
    pub(crate) path: String,
    pub(crate) message: String,
    pub(crate) code: Option<&'static str>,
}

impl Violation {
    pub(crate) fn new(
        path: impl Into<String>,
        message: impl Into<String>,
        code: Option<&'static str>,
    ) -> Self {
        Self {
            path: path.into(),
            message: message.into(),
            code,
        }
    }

    pub(crate) fn blank(path: impl Into<String>) -> Self {
        Self::new(path, BLANK, Some(code::NOT_BLANK))
    }

    /// A rule of `lox24::limits` that a value broke, in the server's words.
    pub(crate) fn from_rule(error: &ValidationError) -> Self {
        let (message, code) = match error.problem() {
            ValidationProblem::Missing | ValidationProblem::TooShort { min: 1, actual: 0 } => {
                (BLANK.to_owned(), Some(code::NOT_BLANK))
            }
            ValidationProblem::TooShort { min, .. } => (
                format!("This value is too short: it needs at least {min} characters."),
                Some(code::TOO_SHORT),
            ),
            ValidationProblem::TooLong { max, .. } => (
                format!("This value is too long: it may have at most {max} characters."),
                Some(code::TOO_LONG),
            ),
            ValidationProblem::Pattern { .. } => {
                ("This value is not valid.".to_owned(), Some(code::PATTERN))
            }
            ValidationProblem::TooSmall { min, .. } => (
                format!("This value should be {min} or more."),
                Some(code::TOO_LOW),
            ),
            ValidationProblem::TooLarge { max, .. } => (
                format!("This value should be {max} or less."),
                Some(code::TOO_HIGH),
            ),
            ValidationProblem::Invalid { reason } => (reason.clone(), None),
            // A problem added to the client later: its own words.
            _ => (error.to_string(), None),
        };
        Self::new(error.field(), message, code)
    }

    fn to_value(&self) -> Value {
        let mut v = Map::new();
        v.insert("propertyPath".into(), self.path.clone().into());
        v.insert("message".into(), self.message.clone().into());
        if let Some(code) = self.code {
            v.insert("code".into(), code.into());
        }
        Value::Object(v)
    }
}

/// An error answer: a status, what went wrong, and the broken rules if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) status: u16,
    pub(crate) detail: String,
    pub(crate) violations: Vec<Violation>,
}

impl Problem {
    pub(crate) fn new(status: u16, detail: impl Into<String>) -> Self {
        Self {
            status,
            detail: detail.into(),
            violations: Vec::new(),
        }
    }

    /// A validation failure; the detail lists `path: message` lines, as API
    /// Platform writes it.
    pub(crate) fn invalid(status: u16, violations: Vec<Violation>) -> Self {
        let detail = violations
            .iter()
            .map(|v| {
                if v.path.is_empty() {
                    v.message.clone()
                } else {
                    format!("{}: {}", v.path, v.message)
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        Self {
            status,
            detail,
            violations,
        }
    }

    pub(crate) fn not_found() -> Self {
        Self::new(404, "Not Found")
    }

    /// The whole error document.
    pub(crate) fn to_value(&self, format: Format) -> Value {
        let mut doc = self.item_value(format);
        if let (Value::Object(map), false) = (&mut doc, self.violations.is_empty()) {
            if format.is_ld() {
                map.insert(
                    "@context".into(),
                    "/contexts/ConstraintViolationList".into(),
                );
                map.insert("@type".into(), "ConstraintViolationList".into());
            }
            let list = self.violations.iter().map(Violation::to_value).collect();
            map.insert("violations".into(), Value::Array(list));
        }
        doc
    }

    /// The shape LOX24 documents for a refused entry of a batch: no
    /// violations list, the detail names the fields.
    pub(crate) fn item_value(&self, format: Format) -> Value {
        match format {
            Format::Json => json!({"type": PROBLEM_TYPE, "title": TITLE, "detail": self.detail}),
            Format::JsonLd => json!({
                "@context": "/contexts/Error",
                "@type": "hydra:Error",
                "hydra:title": TITLE,
                "hydra:description": self.detail,
            }),
        }
    }

    pub(crate) fn reply(&self, format: Format) -> Reply {
        Reply::error(self.status, format, &self.to_value(format))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_shapes_carry_the_violations() {
        let problem = Problem::invalid(
            422,
            vec![
                Violation::blank("name"),
                Violation::new("name_a", "Too long.", Some(code::TOO_LONG)),
            ],
        );
        assert_eq!(
            problem.to_value(Format::Json),
            json!({
                "type": "https://tools.ietf.org/html/rfc2616#section-10",
                "title": "An error occurred",
                "detail": "name: This value should not be blank.\nname_a: Too long.",
                "violations": [
                    {"propertyPath": "name", "message": "This value should not be blank.",
                     "code": "c1051bb4-d103-4f74-8988-acbcafc7fdc3"},
                    {"propertyPath": "name_a", "message": "Too long.",
                     "code": "d94b19cc-114f-4f44-9cc4-4138e80a87b9"}
                ]
            })
        );
        let ld = problem.to_value(Format::JsonLd);
        assert_eq!(ld["@context"], "/contexts/ConstraintViolationList");
        assert_eq!(ld["@type"], "ConstraintViolationList");
        assert_eq!(ld["hydra:description"], problem.detail.as_str());
        assert_eq!(ld["violations"][1]["propertyPath"], "name_a");
    }

    #[test]
    fn other_errors_are_plain_problems_or_hydra_errors() {
        let problem = Problem::not_found();
        assert_eq!(
            problem.to_value(Format::Json),
            json!({"type": PROBLEM_TYPE, "title": TITLE, "detail": "Not Found"})
        );
        assert_eq!(
            problem.to_value(Format::JsonLd),
            json!({"@context": "/contexts/Error", "@type": "hydra:Error",
                   "hydra:title": TITLE, "hydra:description": "Not Found"})
        );
    }

    #[test]
    fn limits_errors_become_violations_with_symfony_codes() {
        let long = lox24::limits::group_write::NAME
            .check(&"x".repeat(51))
            .unwrap_err();
        assert_eq!(
            Violation::from_rule(&long),
            Violation::new(
                "name",
                "This value is too long: it may have at most 50 characters.",
                Some(code::TOO_LONG)
            )
        );
        let empty = lox24::limits::group_write::NAME.check("").unwrap_err();
        assert_eq!(Violation::from_rule(&empty), Violation::blank("name"));
        let pattern = lox24::limits::SENDER_ID
            .check_at("sender_id", "a-b")
            .unwrap_err();
        assert_eq!(Violation::from_rule(&pattern).code, Some(code::PATTERN));
    }
}
