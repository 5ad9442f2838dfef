//! A webhook body that is not a LOX24 event.

use std::fmt;

use super::excerpt::excerpt;

/// A body posted to a webhook endpoint that could not be read as a LOX24
/// event: what kind of problem, the field it is in, and a short excerpt of
/// the body where that helps (never the whole body).
///
/// ```
/// use lox24::webhook::parse;
/// use lox24::{Error, WebhookErrorKind};
///
/// let body = br#"{"id": "a3cd6e19-8af2-498d-ad07-c7840f1b4ac8", "name": "sms.delivery"}"#;
/// let Err(Error::Webhook(error)) = parse(&http::HeaderMap::new(), body) else { panic!() };
/// assert_eq!(error.kind(), WebhookErrorKind::MissingField);
/// assert_eq!(error.field(), Some("api_version"));
/// assert_eq!(error.to_string(), "not a LOX24 webhook event: the field `api_version` is missing");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a LOX24 webhook event: {}", self.describe())]
pub struct WebhookError {
    kind: WebhookErrorKind,
    field: Option<String>,
    event: Option<String>,
    reason: String,
    excerpt: Option<String>,
}

/// What is wrong with a webhook body, to match on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WebhookErrorKind {
    /// The `Content-Type` header is there and does not name JSON.
    ContentType,
    /// The body is empty or only whitespace.
    EmptyBody,
    /// The body is not JSON: an HTML page, plain text, a syntax error.
    NotJson,
    /// The body is JSON cut short.
    Truncated,
    /// A field of the event's envelope is missing.
    MissingField,
    /// The body or a field of its envelope has the wrong JSON type (an
    /// array instead of an object, a string instead of a number).
    WrongType,
    /// The event is one LOX24 documents, but its `data` does not have the
    /// documented shape.
    InvalidData,
}

impl WebhookError {
    fn new(kind: WebhookErrorKind, reason: impl Into<String>) -> Self {
        Self {
            kind,
            field: None,
            event: None,
            reason: reason.into(),
            excerpt: None,
        }
    }

    pub(crate) fn content_type(value: &str) -> Self {
        let shown: String = value.chars().take(60).collect();
        Self::new(
            WebhookErrorKind::ContentType,
            format!("the Content-Type is {shown:?}, not JSON"),
        )
    }

    pub(crate) fn empty_body() -> Self {
        Self::new(WebhookErrorKind::EmptyBody, "the body is empty")
    }

    /// A body that `serde_json` could not read as JSON at all.
    pub(crate) fn unreadable(error: &serde_json::Error, body: &[u8]) -> Self {
        let (kind, what) = if error.is_eof() {
            (WebhookErrorKind::Truncated, "the body is JSON cut short")
        } else {
            (WebhookErrorKind::NotJson, "the body is not JSON")
        };
        let mut error = Self::new(
            kind,
            format!("{what} (line {}, column {})", error.line(), error.column()),
        );
        error.excerpt = excerpt(body);
        error
    }

    pub(crate) fn missing(field: &str) -> Self {
        let mut error = Self::new(
            WebhookErrorKind::MissingField,
            format!("the field `{field}` is missing"),
        );
        error.field = Some(field.to_owned());
        error
    }

    /// `field` (or the body itself, when `None`) holds `actual` where
    /// `expected` belongs.
    pub(crate) fn wrong_type(
        field: Option<&str>,
        actual: &serde_json::Value,
        expected: &str,
    ) -> Self {
        let actual = describe(actual);
        let reason = match field {
            Some(field) => format!("the field `{field}` is {actual}, not {expected}"),
            None => format!("the body is {actual}, not {expected}"),
        };
        let mut error = Self::new(WebhookErrorKind::WrongType, reason);
        error.field = field.map(str::to_owned);
        error
    }

    /// The `data` of the documented event `event` did not decode.
    pub(crate) fn invalid_data(
        event: &str,
        error: serde_path_to_error::Error<serde_json::Error>,
    ) -> Self {
        let field = data_field(&error);
        let mut error = Self::new(
            WebhookErrorKind::InvalidData,
            format!(
                "the `{event}` event's field `{field}` does not have the documented form: {}",
                error.inner()
            ),
        );
        error.field = Some(field);
        error.event = Some(event.to_owned());
        error
    }

    /// The `data` of the documented event `event` is not a JSON object.
    pub(crate) fn data_not_object(event: &str, data: &serde_json::Value) -> Self {
        let mut error = Self::new(
            WebhookErrorKind::InvalidData,
            format!(
                "the `{event}` event's field `data` is {}, not a JSON object",
                describe(data)
            ),
        );
        error.field = Some("data".to_owned());
        error.event = Some(event.to_owned());
        error
    }

    /// What is wrong, to match on.
    pub fn kind(&self) -> WebhookErrorKind {
        self.kind
    }

    /// The field that is wrong, e.g. `attempt_total` or `data.dlr_code`,
    /// when the problem is in one.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// The event's name, for [`WebhookErrorKind::InvalidData`].
    pub fn event(&self) -> Option<&str> {
        self.event.as_deref()
    }

    /// The start of the body (HTML tags dropped, at most 200 characters),
    /// when the body is not JSON.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.excerpt.as_deref()
    }

    fn describe(&self) -> impl fmt::Display + '_ {
        struct Described<'a>(&'a WebhookError);
        impl fmt::Display for Described<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0.reason)?;
                match &self.0.excerpt {
                    Some(excerpt) => write!(f, "; it starts {excerpt:?}"),
                    None => Ok(()),
                }
            }
        }
        Described(self)
    }
}

/// The field inside `data` that `error` is about. A missing field is
/// reported at the object that lacks it; serde's message names it.
fn data_field(error: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = error.path().to_string();
    let mut field = if path == "." {
        "data".to_owned()
    } else {
        format!("data.{path}")
    };
    let message = error.inner().to_string();
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        field.push('.');
        field.push_str(name);
    }
    field
}

/// A JSON value in a few words, e.g. `a string`, `-1`, `null`.
fn describe(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        inner: Inner,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        code: u32,
    }

    fn invalid(json: serde_json::Value) -> WebhookError {
        let error = serde_path_to_error::deserialize::<_, Outer>(json).unwrap_err();
        WebhookError::invalid_data("some.event", error)
    }

    #[test]
    fn a_missing_field_is_named_inside_data() {
        let error = invalid(serde_json::json!({"inner": {}}));
        assert_eq!(error.field(), Some("data.inner.code"));
        assert_eq!(error.event(), Some("some.event"));
        assert_eq!(error.kind(), WebhookErrorKind::InvalidData);
    }

    #[test]
    fn a_wrong_type_is_named_by_its_path() {
        let error = invalid(serde_json::json!({"inner": {"code": "x"}}));
        assert_eq!(error.field(), Some("data.inner.code"));
        assert_eq!(
            error.to_string(),
            "not a LOX24 webhook event: the `some.event` event's field `data.inner.code` does \
             not have the documented form: invalid type: string \"x\", expected u32"
        );
    }

    #[test]
    fn data_that_is_not_an_object_is_named_as_data() {
        let error = WebhookError::data_not_object("some.event", &serde_json::json!([1]));
        assert_eq!(error.field(), Some("data"));
        assert_eq!(
            error.to_string(),
            "not a LOX24 webhook event: the `some.event` event's field `data` is an array, \
             not a JSON object"
        );
    }

    #[test]
    fn a_long_content_type_is_cut() {
        let error = WebhookError::content_type(&"x".repeat(500));
        assert!(error.to_string().len() < 150, "{error}");
    }
}
