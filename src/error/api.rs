use std::{fmt, time::Duration};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::{Deserialize, Serialize};

use super::excerpt::excerpt;

/// The response header in which LOX24 names each request.
const REQUEST_ID_HEADER: &str = "x-lox24-request-id";

/// An error status answered by LOX24, with what its body said.
///
/// LOX24's API Platform stack writes errors in two shapes: problem details
/// (`detail` and `violations`) for plain JSON and a Hydra list
/// (`hydra:description` and `violations`) for JSON-LD. Both are read here.
/// A body that is neither (empty, plain text, an HTML page from a proxy) is
/// kept as a short excerpt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ApiError(Box<Details>);

/// Boxed so that `Result<_, Error>` stays small.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Details {
    status: u16,
    request_id: Option<String>,
    title: Option<String>,
    message: Option<String>,
    violations: Vec<Violation>,
    excerpt: Option<String>,
    retry_after: Option<Duration>,
}

/// One broken rule reported by LOX24.
///
/// `property_path` names the field (`name`, `sender_id`) or, in a batch, the
/// item and field (`[3].phone`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Violation {
    /// The field, e.g. `name` or `[3].phone`.
    #[serde(rename = "propertyPath", alias = "property_path", default)]
    pub property_path: String,
    /// What is wrong with it.
    #[serde(default)]
    pub message: String,
    /// The validator's code, when LOX24 sends one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// The keys of both error shapes; anything else in the body is ignored.
#[derive(Deserialize)]
struct ErrorDocument {
    title: Option<String>,
    #[serde(rename = "hydra:title")]
    hydra_title: Option<String>,
    detail: Option<String>,
    #[serde(rename = "hydra:description")]
    hydra_description: Option<String>,
    description: Option<String>,
    message: Option<String>,
    #[serde(default)]
    violations: Vec<Violation>,
}

impl ApiError {
    /// Reads an error answer. `body` may be cut short; it is never trusted to be JSON.
    pub(crate) fn from_parts(status: u16, headers: &HeaderMap, body: &[u8]) -> Self {
        let document = serde_json::from_slice::<ErrorDocument>(body).ok();
        let (title, message, violations, excerpt) = match document {
            Some(doc) => (
                doc.title.or(doc.hydra_title),
                doc.detail
                    .or(doc.hydra_description)
                    .or(doc.description)
                    .or(doc.message),
                doc.violations,
                None,
            ),
            None => (None, None, Vec::new(), excerpt(body)),
        };
        Self(Box::new(Details {
            status,
            request_id: request_id(headers),
            title,
            message,
            violations,
            excerpt,
            retry_after: retry_after(headers),
        }))
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// The `X-LOX24-REQUEST-ID` of the answer; LOX24 support asks for it.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// The short title of the error (`title` / `hydra:title`), when given.
    pub fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }

    /// What went wrong in the server's words (`detail` / `hydra:description`),
    /// falling back to the title.
    pub fn message(&self) -> Option<&str> {
        self.0.message.as_deref().or(self.0.title.as_deref())
    }

    /// The fields the server refused and why.
    pub fn violations(&self) -> &[Violation] {
        &self.0.violations
    }

    /// The start of a body that was not a JSON error document (plain text or
    /// an HTML page, tags removed), when there was a body.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.0.excerpt.as_deref()
    }

    /// How long the server asked to wait (`Retry-After`, in seconds), when it did.
    pub fn retry_after(&self) -> Option<Duration> {
        self.0.retry_after
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.0.status)?;
        if let Some(id) = &self.0.request_id {
            write!(f, ", request id {id}")?;
        }
        match (self.message(), &self.0.excerpt) {
            (Some(message), _) => write!(f, ": {message}")?,
            (None, Some(excerpt)) => write!(f, ": {excerpt:?}")?,
            (None, None) => {}
        }
        // The detail usually repeats the first violation; list the rest.
        let shown = self.message().unwrap_or_default();
        for v in self
            .0
            .violations
            .iter()
            .filter(|v| !shown.contains(&v.message))
        {
            write!(f, "; {}: {}", v.property_path, v.message)?;
        }
        Ok(())
    }
}

pub(crate) fn request_id(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(REQUEST_ID_HEADER)?.to_str().ok()?.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}
