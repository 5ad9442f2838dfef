//! The crate's one error type.

mod api;
mod excerpt;
mod validation;
mod webhook;

use std::{fmt, time::Duration};

pub use api::{ApiError, Violation};
pub(crate) use api::{request_id, retry_after};
pub(crate) use excerpt::excerpt;

use crate::{NotCancellable, SmsWaitTimeout, WaitTimeout};
pub use validation::{ValidationError, ValidationProblem};
pub use webhook::{WebhookError, WebhookErrorKind};

/// How long LOX24 blocks an IP address after too many wrong credentials.
pub const LOCKOUT: Duration = Duration::from_secs(10 * 60);

/// Everything that can go wrong, as one type to match on.
///
/// Each status LOX24 documents has its own variant carrying an [`ApiError`]
/// (status, request id, message, violations, body excerpt). Answers the client
/// could not make sense of are [`Error::UnexpectedResponse`]; network failures
/// are [`Error::Transport`]; inputs refused before sending are
/// [`Error::Validation`]. A body posted to your webhook endpoint that is not
/// a LOX24 event is [`Error::Webhook`].
///
/// ```
/// # async fn run(client: lox24::Client) {
/// match client.create_group(&lox24::NewGroup::new("VIP")).await {
///     Ok(group) => println!("created {}", group.iri()),
///     Err(lox24::Error::Unauthorized(e)) => eprintln!("check LOX24_TOKEN ({e})"),
///     Err(e) if e.is_retryable() => eprintln!("try again later: {e}"),
///     Err(e) => eprintln!("{e}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An input broke a documented limit; nothing was sent.
    #[error("invalid input, nothing was sent: {0}")]
    Validation(#[from] ValidationError),
    /// 400: LOX24 found the request malformed or a field invalid.
    #[error("LOX24 refused the request as invalid ({0})")]
    InvalidInput(ApiError),
    /// 401: the customer id or API key is wrong or inactive. Repeating the
    /// request gets the IP address blocked (see [`Error::Blocked`]).
    #[error(
        "LOX24 did not accept the credentials: the customer id or API key is wrong or inactive; \
         fix the token before trying again, as repeated attempts block this IP address ({0})"
    )]
    Unauthorized(ApiError),
    /// 402: not enough credit on the account. [`Client::account`](crate::Client::account)
    /// shows the balance, and a dry run the cost of what is to be sent.
    #[error(
        "not enough credit on the LOX24 account; top up its balance (Client::account shows it) \
         before sending again ({0})"
    )]
    InsufficientFunds(ApiError),
    /// 403: the account is not activated yet.
    #[error("the LOX24 account is not activated yet; wait or contact LOX24 support ({0})")]
    Forbidden(ApiError),
    /// 404: the resource does not exist. The message names the request
    /// ([`ApiError::request`]).
    #[error("not found at LOX24{at} ({0})", at = .0.at())]
    NotFound(ApiError),
    /// 409: what the request would create exists already, such as a number
    /// that is blocked already ([`Client::block_number`](crate::Client::block_number)).
    #[error("it exists already at LOX24 ({0})")]
    Conflict(ApiError),
    /// 422: the request is well-formed but breaks a rule; see
    /// [`ApiError::violations`].
    #[error("LOX24 refused the request ({0})")]
    Unprocessable(ApiError),
    /// 429: LOX24 blocks this IP address, for ten minutes after more than
    /// three requests with wrong credentials within a minute. See
    /// [`Error::retry_after`].
    #[error(
        "LOX24 has blocked this IP address after repeated wrong credentials; \
         wait {wait} before the next request ({0})",
        wait = minutes(.0.retry_after().unwrap_or(LOCKOUT))
    )]
    Blocked(ApiError),
    /// 5xx: a failure on LOX24's side.
    #[error("LOX24 failed to handle the request ({0})")]
    Server(ApiError),
    /// The request did not complete: no connection, a timeout, a reset.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// An answer the client cannot use: an undocumented status, or a body
    /// that is not what the spec describes.
    #[error(transparent)]
    UnexpectedResponse(#[from] UnexpectedResponse),
    /// The client is misconfigured (credentials, base URL, TLS).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A campaign cannot be cancelled: it has finished (known before
    /// sending), or LOX24 refused the cancellation (400 or 422). Only new (0)
    /// and in-progress (5) campaigns can be cancelled.
    #[error(transparent)]
    NotCancellable(#[from] NotCancellable),
    /// A campaign did not finish within the time allowed; it goes on.
    #[error(transparent)]
    WaitTimeout(#[from] WaitTimeout),
    /// A message had no final delivery report within the time allowed
    /// ([`Client::wait_for_sms`](crate::Client::wait_for_sms)); it goes on.
    #[error(transparent)]
    SmsWaitTimeout(#[from] SmsWaitTimeout),
    /// A request that is not idempotent (a `POST`, which creates something)
    /// failed after it may have reached LOX24: a timeout after sending, a
    /// connection lost while waiting for the answer, a 500, 502 or 504. LOX24
    /// may or may not have carried it out, so it was not sent again (unless
    /// the [`RetryPolicy`](crate::RetryPolicy) is
    /// [at least once](crate::RetryPolicy::at_least_once)). The failure itself
    /// is inside; look whether the resource exists before sending the request
    /// again.
    #[error(
        "LOX24 may or may not have carried out the request; check before sending it again ({0})"
    )]
    Ambiguous(Box<Error>),
    /// Not sent: an earlier request of this client got a 401, and the client
    /// sends nothing more with the same credentials, because LOX24 blocks the
    /// IP address after more than three wrong-credential requests in a
    /// minute. Build a client with the right token, or call
    /// [`Client::reset_lockout`](crate::Client::reset_lockout) once the
    /// credentials are fixed on LOX24's side.
    #[error(
        "not sent: LOX24 refused this client's credentials (401) earlier, and the client sends \
         nothing more with them so that LOX24 does not block this IP address; build a client \
         with the right token, or call Client::reset_lockout"
    )]
    LockedOut,
    /// A body posted to a webhook endpoint is not a LOX24 event (see
    /// [`webhook::parse`](crate::webhook::parse)); nothing was sent.
    #[error(transparent)]
    Webhook(#[from] WebhookError),
    /// A [`Listing`](crate::Listing) read as many pages as it may and the
    /// last still linked to a next one.
    #[error(transparent)]
    PageLimit(#[from] crate::PageLimit),
}

impl Error {
    /// Maps an error status to its variant; `None` for statuses LOX24 does not document.
    pub(crate) fn from_status(api: ApiError) -> Result<Self, ApiError> {
        Ok(match api.status() {
            400 => Self::InvalidInput(api),
            401 => Self::Unauthorized(api),
            402 => Self::InsufficientFunds(api),
            403 => Self::Forbidden(api),
            404 => Self::NotFound(api),
            409 => Self::Conflict(api),
            422 => Self::Unprocessable(api),
            429 => Self::Blocked(api),
            500..=599 => Self::Server(api),
            _ => return Err(api),
        })
    }

    /// The error answer, for the variants that have one (also inside
    /// [`Error::Ambiguous`]).
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Ambiguous(e) => e.api_error(),
            Self::InvalidInput(e)
            | Self::Unauthorized(e)
            | Self::InsufficientFunds(e)
            | Self::Forbidden(e)
            | Self::NotFound(e)
            | Self::Conflict(e)
            | Self::Unprocessable(e)
            | Self::Blocked(e)
            | Self::Server(e) => Some(e),
            Self::NotCancellable(e) => e.refusal(),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::UnexpectedResponse(e) => e.status(),
            Self::Ambiguous(e) => e.status(),
            _ => self.api_error().map(ApiError::status),
        }
    }

    /// The `X-LOX24-REQUEST-ID` of the answer, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::UnexpectedResponse(e) => e.request_id(),
            Self::Ambiguous(e) => e.request_id(),
            _ => self.api_error().and_then(ApiError::request_id),
        }
    }

    /// The fields LOX24 refused (400 and 422 answers), else empty.
    pub fn violations(&self) -> &[Violation] {
        self.api_error().map_or(&[], ApiError::violations)
    }

    /// How long to wait before the next request: for [`Error::Blocked`], the
    /// server's `Retry-After` or else LOX24's ten-minute block.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Blocked(e) => Some(e.retry_after().unwrap_or(LOCKOUT)),
            _ => self.api_error().and_then(ApiError::retry_after),
        }
    }

    /// Whether the same request may succeed if sent again later: network
    /// failures and server errors (500, 502, 503, 504). Not 429: LOX24 keeps
    /// the block for ten minutes and early attempts do not shorten it. Not
    /// [`Error::Ambiguous`]: sending it again may create a duplicate.
    ///
    /// The client's [`RetryPolicy`](crate::RetryPolicy) has already retried
    /// what it safely could before the error reached you.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport(_) => true,
            Self::Server(e) => matches!(e.status(), 500 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// Whether LOX24 may have acted on the request: `false` only when it
    /// certainly did not (nothing was sent, no connection was made, a 4xx
    /// answer refused it, or a 503 said the service was unavailable).
    pub fn may_have_taken_effect(&self) -> bool {
        match self {
            Self::Ambiguous(_) => true,
            Self::Transport(e) => e.kind() != TransportErrorKind::Connect,
            Self::Server(e) => e.status() != 503,
            Self::UnexpectedResponse(_) => true,
            _ => false,
        }
    }
}

fn minutes(wait: Duration) -> String {
    match wait.as_secs() {
        s if s % 60 == 0 => format!("{} minutes", s / 60),
        s => format!("{s} seconds"),
    }
}

/// Whether the request certainly did not reach LOX24 (connection refused, DNS,
/// TLS handshake: nothing was sent) or LOX24 said it did not act on it (503).
pub(crate) fn never_reached(error: &Error) -> bool {
    match error {
        Error::Transport(e) => e.kind() == TransportErrorKind::Connect,
        Error::Server(e) => e.status() == 503,
        _ => false,
    }
}

/// A request that did not complete.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", self.kind)]
pub struct TransportError {
    kind: TransportErrorKind,
    #[source]
    source: reqwest::Error,
}

/// Where a request failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection was made (DNS, refused, TLS handshake): the request never left.
    Connect,
    /// The connect or total timeout ran out.
    Timeout,
    /// The connection failed while sending the request or reading the answer.
    Interrupted,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "could not connect to LOX24",
            Self::Timeout => "LOX24 did not answer in time",
            Self::Interrupted => "the connection to LOX24 failed",
        })
    }
}

impl TransportError {
    /// Where the request failed.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }
}

impl From<reqwest::Error> for TransportError {
    fn from(source: reqwest::Error) -> Self {
        let kind = if source.is_connect() {
            TransportErrorKind::Connect
        } else if source.is_timeout() {
            TransportErrorKind::Timeout
        } else {
            TransportErrorKind::Interrupted
        };
        Self { kind, source }
    }
}

/// An answer the client cannot use.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error(
    "unexpected answer from LOX24{}{}: {reason}{}",
    status.map(|s| format!(" (HTTP {s})")).unwrap_or_default(),
    request_id.as_ref().map(|id| format!(", request id {id}")).unwrap_or_default(),
    excerpt.as_ref().map(|e| format!("; the body starts {e:?}")).unwrap_or_default()
)]
pub struct UnexpectedResponse {
    status: Option<u16>,
    request_id: Option<String>,
    reason: String,
    excerpt: Option<String>,
}

impl UnexpectedResponse {
    pub(crate) fn new(
        status: Option<u16>,
        request_id: Option<String>,
        reason: impl Into<String>,
        body: &[u8],
    ) -> Self {
        Self {
            status,
            request_id,
            reason: reason.into(),
            excerpt: excerpt(body),
        }
    }

    /// The same error with the excerpt of `body`.
    pub(crate) fn with_body(mut self, body: &[u8]) -> Self {
        self.excerpt = excerpt(body);
        self
    }

    /// The HTTP status, when known.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The `X-LOX24-REQUEST-ID` of the answer, when known.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Why the answer could not be used.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The start of the body, when there was one.
    pub fn body_excerpt(&self) -> Option<&str> {
        self.excerpt.as_deref()
    }
}

/// A client that cannot be built as configured.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// No credentials were given.
    #[error(
        "no LOX24 credentials: set {variable} to `<customer id>:<API key>` or pass them to the builder"
    )]
    MissingCredentials {
        /// The environment variable that was read.
        variable: &'static str,
    },
    /// The credentials do not have the form `<customer id>:<API key>`.
    /// The message never repeats the token.
    #[error("malformed LOX24 credentials: {reason}")]
    MalformedCredentials {
        /// What is wrong, without the secret.
        reason: &'static str,
    },
    /// The base URL cannot be used.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl {
        /// The URL as given, with what could be a secret (userinfo, query,
        /// fragment) replaced by `***`.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A request could not be built from the inputs (a header value that
    /// HTTP cannot carry, for instance).
    #[error("the request could not be built: {reason}")]
    InvalidRequest {
        /// What went wrong.
        reason: String,
    },
    /// The HTTP client could not be created (e.g. no TLS backend).
    #[error("the HTTP client could not be built: {0}")]
    HttpClient(#[source] reqwest::Error),
}
