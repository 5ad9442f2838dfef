//! The one path of every request: the credentials and headers, the lockout
//! guard, retries, a `tracing` span per attempt, the request id, and the
//! mapping of every failure into [`crate::Error`].
//!
//! Two kinds of request come through it. Generated calls
//! ([`Transport::call`]): progenitor's client builds the request and decodes
//! the answer, its hooks hand the sending to [`Transport::send`]. Requests
//! built here ([`Transport::fetch`]): Hydra's next-page links, which name a
//! page by its IRI, and the upload engine's batches, whose bodies are
//! serialised once as the input is read. Nothing else touches the guard or
//! the retry policy.

mod attempts;
mod body;
mod failure;
mod generated;
mod guard;
mod operation;
mod retry;

use std::fmt;

use bytes::{Bytes, BytesMut};
use reqwest::{
    Request,
    header::{HeaderName, HeaderValue},
};
use serde::de::DeserializeOwned;

pub(crate) use failure::undecodable;
pub(crate) use generated::Call;
pub(crate) use operation::Operation;
pub use retry::RetryPolicy;

use crate::{Credentials, Error, TransportError, error::request_id};
pub(crate) use attempts::Load;
use attempts::Record;
pub(crate) use body::TooLarge;
use guard::Guard;

/// The header that carries `<customer id>:<API key>`.
pub(crate) const AUTH_HEADER: HeaderName = HeaderName::from_static("x-lox24-auth-token");
/// `lox24-rust/<version>`.
pub(crate) const USER_AGENT_VALUE: &str = concat!("lox24-rust/", env!("CARGO_PKG_VERSION"));

/// What every request of one [`crate::Client`] and its clones shares.
pub(crate) struct Transport {
    http: reqwest::Client,
    /// Without a trailing slash.
    base_url: String,
    /// `X-LOX24-AUTH-TOKEN`, marked sensitive.
    auth: HeaderValue,
    customer_id: String,
    /// The policy of every request that does not bring its own.
    retry: RetryPolicy,
    /// Keeps wrong credentials from getting the IP address blocked.
    guard: Guard,
    limits: Limits,
}

/// Bounds on what the client reads and follows, set by the builder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limits {
    /// The most bytes read of an answer that is read whole.
    pub max_answer_bytes: usize,
    /// The most pages a listing reads.
    pub max_listing_pages: u32,
}

/// A decoded success answer with its request id.
#[derive(Debug)]
pub(crate) struct Answer<T> {
    pub value: T,
    pub request_id: Option<String>,
}

/// Where the lockout guard stands, for a caller that plans its own
/// concurrency (the upload engine).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lockout {
    /// A 401 stopped the client: nothing is sent.
    Locked,
    /// No answer has proved the credentials yet: one request at a time.
    Untrusted,
    /// The credentials are proved: requests go out at once.
    Trusted,
}

impl Transport {
    pub(crate) fn new(
        http: reqwest::Client,
        base_url: String,
        credentials: &Credentials,
        retry: RetryPolicy,
        limits: Limits,
    ) -> Self {
        Self {
            http,
            base_url,
            auth: credentials.header_value(),
            customer_id: credentials.customer_id().to_owned(),
            retry,
            guard: Guard::default(),
            limits,
        }
    }

    pub(crate) fn limits(&self) -> Limits {
        self.limits
    }

    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    pub(crate) fn customer_id(&self) -> &str {
        &self.customer_id
    }

    pub(crate) fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    pub(crate) fn lockout(&self) -> Lockout {
        if self.guard.is_locked() {
            Lockout::Locked
        } else if self.guard.is_trusted() {
            Lockout::Trusted
        } else {
            Lockout::Untrusted
        }
    }

    pub(crate) fn reset_lockout(&self) {
        self.guard.reset();
    }

    /// A request for `operation` at `path_and_query` (which starts with `/`)
    /// on the base URL. A URL that cannot be built is a [`crate::ConfigError`].
    pub(crate) fn request(
        &self,
        operation: Operation,
        path_and_query: &str,
        body: Option<Bytes>,
    ) -> Result<Request, Error> {
        let url = format!("{}{path_and_query}", self.base_url);
        let mut builder = self.http.request(operation.spec().method.clone(), &url);
        if let Some(body) = body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        builder.build().map_err(|e| {
            crate::ConfigError::InvalidRequest {
                reason: format!("cannot request {url}: {e}"),
            }
            .into()
        })
    }

    /// Sends a request built by hand and reads its answer, which must have
    /// the operation's success status; any other is mapped as a generated
    /// call's would be. `policy` replaces the client's for this request.
    pub(crate) async fn fetch(
        &self,
        operation: Operation,
        request: Request,
        policy: Option<RetryPolicy>,
    ) -> Result<Answer<Bytes>, Error> {
        self.fetch_into(operation, request, policy, BytesMut::new())
            .await
            .0
    }

    /// [`Transport::fetch`] with the answer read into `buffer` (see
    /// [`body::read_whole_into`]), and what the attempts say about the
    /// server's load.
    pub(crate) async fn fetch_into(
        &self,
        operation: Operation,
        request: Request,
        policy: Option<RetryPolicy>,
        buffer: BytesMut,
    ) -> (Result<Answer<Bytes>, Error>, Load) {
        let mut record = Record::default();
        let answer = self
            .fetch_recorded(operation, request, policy, &mut record, buffer)
            .await;
        (answer, record.load)
    }

    async fn fetch_recorded(
        &self,
        operation: Operation,
        request: Request,
        policy: Option<RetryPolicy>,
        record: &mut Record,
        buffer: BytesMut,
    ) -> Result<Answer<Bytes>, Error> {
        let admission = self.guard.admit().await.map_err(|_| Error::LockedOut)?;
        let policy = policy.unwrap_or(self.retry);
        let sent = self
            .send(operation, request, policy, admission, record)
            .await;
        let response = failure::check(sent, operation.spec().success, record).await?;
        let request_id = request_id(response.headers());
        match body::read_whole_into(response, self.limits.max_answer_bytes, buffer).await {
            Ok(value) => Ok(Answer { value, request_id }),
            Err(body::TooLarge::Read(error)) => {
                Err(failure::settle(TransportError::from(error).into(), record))
            }
            Err(body::TooLarge::Over(limit)) => Err(failure::too_large(
                operation.spec().success,
                request_id,
                limit,
            )),
        }
    }

    /// [`Transport::fetch`] of a JSON answer, decoded into `T`.
    pub(crate) async fn fetch_json<T: DeserializeOwned>(
        &self,
        operation: Operation,
        request: Request,
    ) -> Result<Answer<T>, Error> {
        let answer = self.fetch(operation, request, None).await?;
        let status = operation.spec().success;
        match serde_json::from_slice(&answer.value) {
            Ok(value) => Ok(Answer {
                value,
                request_id: answer.request_id,
            }),
            Err(error) => Err(undecodable(
                Some(status),
                answer.request_id,
                &error,
                &answer.value,
            )),
        }
    }
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.base_url)
            .field("customer_id", &self.customer_id)
            .field("auth", &"<redacted>")
            .field("retry", &self.retry)
            .field("lockout", &self.lockout())
            .finish()
    }
}
