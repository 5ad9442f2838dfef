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
///
/// ```
/// use lox24::GroupId;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = lox24_sandbox::Sandbox::start().await?;
/// # let client = sandbox.client()?;
/// let err = client.get_group(&GroupId::new(404)).await.unwrap_err();
/// let answer = err.api_error().expect("an answer from LOX24");
/// assert_eq!(answer.status(), 404);
/// assert_eq!(answer.message(), Some("Not Found"));
/// assert!(matches!(err, lox24::Error::NotFound(_)));
/// # Ok(()) }
/// ```
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
    /// The method and path of the request answered (no query).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    request: Option<String>,
}

/// One broken rule reported by LOX24.
///
/// `property_path` names the field (`name`, `sender_id`) or, in a batch, the
/// item and field (`[3].phone`).
///
/// ```
/// let violation: lox24::Violation = serde_json::from_str(
///     r#"{"propertyPath": "sender_id", "message": "This value is not valid.",
///         "code": "de1e3db3-5ed4-4941-aae4-59f3667cc3a3"}"#,
/// )?;
/// assert_eq!(violation.property_path, "sender_id");
/// assert_eq!(violation.message, "This value is not valid.");
/// assert!(violation.code.is_some());
/// # Ok::<(), serde_json::Error>(())
/// ```
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
            request: None,
        }))
    }

    /// Records the request this answers (`GET /groups/7117`).
    pub(crate) fn set_request(&mut self, request: &str) {
        self.0.request = Some(request.to_owned());
    }

    /// The method and path of the request LOX24 answered with this error,
    /// without the query: what a 404 did not find.
    ///
    /// ```
    /// use lox24::GroupId;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = lox24_sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client()?;
    /// let err = client.get_group(&GroupId::new(404)).await.unwrap_err();
    /// let answer = err.api_error().expect("an answer from LOX24");
    /// assert_eq!(answer.request(), Some("GET /groups/404"));
    /// assert!(err.to_string().starts_with("not found at LOX24: GET /groups/404 (HTTP 404"));
    /// # Ok(()) }
    /// ```
    pub fn request(&self) -> Option<&str> {
        self.0.request.as_deref()
    }

    /// `: <request>` when the request is known, for messages that name it.
    pub(crate) fn at(&self) -> impl fmt::Display + '_ {
        struct At<'a>(Option<&'a str>);
        impl fmt::Display for At<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.0 {
                    Some(request) => write!(f, ": {request}"),
                    None => Ok(()),
                }
            }
        }
        At(self.request())
    }

    /// The HTTP status.
    ///
    /// ```
    /// use lox24::GroupId;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = lox24_sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client()?;
    /// let err = client.get_group(&GroupId::new(404)).await.unwrap_err();
    /// let answer = err.api_error().expect("an answer from LOX24");
    /// assert_eq!(answer.status(), 404);
    /// # Ok(()) }
    /// ```
    pub fn status(&self) -> u16 {
        self.0.status
    }

    /// The `X-LOX24-REQUEST-ID` of the answer; LOX24 support asks for it.
    ///
    /// ```
    /// use lox24::GroupId;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = lox24_sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client()?;
    /// let err = client.get_group(&GroupId::new(404)).await.unwrap_err();
    /// let answer = err.api_error().expect("an answer from LOX24");
    /// let id = answer.request_id().expect("LOX24 names every answer");
    /// assert!(err.to_string().contains(id)); // quote it to LOX24 support
    /// # Ok(()) }
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// The short title of the error (`title` / `hydra:title`), when given.
    ///
    /// ```
    /// use lox24::GroupId;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = lox24_sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client()?;
    /// let err = client.get_group(&GroupId::new(404)).await.unwrap_err();
    /// let answer = err.api_error().expect("an answer from LOX24");
    /// assert_eq!(answer.title(), Some("An error occurred"));
    /// # Ok(()) }
    /// ```
    pub fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }

    /// What went wrong in the server's words (`detail` / `hydra:description`),
    /// falling back to the title.
    ///
    /// ```
    /// use lox24::GroupId;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = lox24_sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client()?;
    /// let err = client.get_group(&GroupId::new(404)).await.unwrap_err();
    /// let answer = err.api_error().expect("an answer from LOX24");
    /// assert_eq!(answer.message(), Some("Not Found"));
    /// # Ok(()) }
    /// ```
    pub fn message(&self) -> Option<&str> {
        self.0.message.as_deref().or(self.0.title.as_deref())
    }

    /// The fields the server refused and why.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let body = r#"{"title": "An error occurred", "detail": "name: This value is already used.",
    ///     "violations": [{"propertyPath": "name", "message": "This value is already used."}]}"#;
    /// let server = httpmock::MockServer::start_async().await;
    /// server
    ///     .mock_async(|when, then| {
    ///         when.method("POST").path("/groups");
    ///         then.status(422)
    ///             .header("content-type", "application/problem+json")
    ///             .body(body);
    ///     })
    ///     .await;
    /// # let client = lox24::Client::builder()
    /// #     .token("1234567:e3f3a759b6677959b6ebfc0123456789")
    /// #     .base_url(server.base_url())
    /// #     .retry(lox24::RetryPolicy::none())
    /// #     .build()?;
    /// let err = client
    ///     .create_group(&lox24::NewGroup::new("VIP"))
    ///     .await
    ///     .unwrap_err();
    /// let violations = err.api_error().unwrap().violations();
    /// assert_eq!(violations.len(), 1);
    /// assert_eq!(violations[0].property_path, "name");
    /// # Ok(()) }
    /// ```
    pub fn violations(&self) -> &[Violation] {
        &self.0.violations
    }

    /// The start of a body that was not a JSON error document (plain text or
    /// an HTML page, tags removed), when there was a body.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let body = "<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>";
    /// let server = httpmock::MockServer::start_async().await;
    /// server
    ///     .mock_async(|when, then| {
    ///         when.method("GET").path("/groups/7");
    ///         then.status(502)
    ///             .header("content-type", "text/html")
    ///             .body(body);
    ///     })
    ///     .await;
    /// # let client = lox24::Client::builder()
    /// #     .token("1234567:e3f3a759b6677959b6ebfc0123456789")
    /// #     .base_url(server.base_url())
    /// #     .retry(lox24::RetryPolicy::none())
    /// #     .build()?;
    /// let err = client.get_group(&lox24::GroupId::new(7)).await.unwrap_err();
    /// let answer = err.api_error().unwrap();
    /// assert_eq!((answer.status(), answer.message()), (502, None));
    /// assert_eq!(answer.body_excerpt(), Some("502 Bad Gateway nginx"));
    /// # Ok(()) }
    /// ```
    pub fn body_excerpt(&self) -> Option<&str> {
        self.0.excerpt.as_deref()
    }

    /// How long the server asked to wait (`Retry-After`, in seconds or as a
    /// date), when it did.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let body = "Service Unavailable";
    /// let server = httpmock::MockServer::start_async().await;
    /// server
    ///     .mock_async(|when, then| {
    ///         when.method("GET").path("/groups/7");
    ///         then.status(503).header("retry-after", "120").body(body);
    ///     })
    ///     .await;
    /// # let client = lox24::Client::builder()
    /// #     .token("1234567:e3f3a759b6677959b6ebfc0123456789")
    /// #     .base_url(server.base_url())
    /// #     .retry(lox24::RetryPolicy::none())
    /// #     .build()?;
    /// let err = client.get_group(&lox24::GroupId::new(7)).await.unwrap_err();
    /// let answer = err.api_error().unwrap();
    /// assert_eq!(answer.retry_after(), Some(Duration::from_secs(120)));
    /// # Ok(()) }
    /// ```
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

/// `Retry-After` as a wait: delay seconds, or an HTTP date (RFC 9110 allows
/// both), a date in the past meaning no wait.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    retry_after_at(headers, std::time::SystemTime::now())
}

fn retry_after_at(headers: &HeaderMap, now: std::time::SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

    use super::retry_after_at;

    fn wait(value: &'static str, now: SystemTime) -> Option<Duration> {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static(value));
        retry_after_at(&headers, now)
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let now = httpdate::parse_http_date("Tue, 24 Nov 2026 10:00:00 GMT").unwrap();
        assert_eq!(wait("120", now), Some(Duration::from_secs(120)));
        assert_eq!(wait(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            wait("Tue, 24 Nov 2026 10:10:00 GMT", now),
            Some(Duration::from_secs(600))
        );
        assert_eq!(
            wait("Tue, 24 Nov 2026 09:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(wait("soon", now), None);
        assert_eq!(wait("-5", now), None);
        assert_eq!(retry_after_at(&HeaderMap::new(), now), None);
    }
}
