//! Sending one request: the headers every request carries, the lockout
//! guard, as many attempts as the retry policy allows, and a `tracing` span
//! per attempt. Every request of a client comes through [`Transport::send`],
//! generated calls (through their hooks) and requests built by hand alike.

use std::time::{Duration, Instant};

use reqwest::{
    Method, Request, Response,
    header::{ACCEPT, CONTENT_LENGTH, HeaderValue, USER_AGENT},
};
use tracing::{Instrument, field::Empty};

use super::{
    AUTH_HEADER, Operation, RetryPolicy, Transport, USER_AGENT_VALUE,
    guard::Admission,
    retry::{Decision, Failure, FailureKind},
};
use crate::error::request_id;

/// What the attempts of one call left for its error mapping: what
/// progenitor's error type cannot carry, and what only the attempts know.
#[derive(Debug, Default)]
pub(crate) struct Record {
    /// The status of the last answer.
    pub status: Option<u16>,
    /// The request id of the last answer.
    pub request_id: Option<String>,
    /// The operation is not repeatable: a failure after it may have reached
    /// LOX24 leaves its effect unknown.
    pub creates: bool,
    /// An attempt failed after it may have reached LOX24.
    pub may_have_reached: bool,
    /// The lockout guard refused an attempt: nothing more was sent.
    pub refused: bool,
    /// The success answer cannot be handed over: too large, or not the
    /// media type asked for.
    pub unusable: Option<crate::Error>,
    /// What the attempts say about the server's load.
    pub load: Load,
    /// The method and path of the last attempt, for the error that answers it.
    pub request: Option<String>,
}

/// What the attempts of one request say about the server's load, for a
/// caller that adapts its concurrency (the upload engine).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Load {
    /// From sending the last attempt to its answer's head.
    pub latency: Option<Duration>,
    /// An attempt was refused for load: 503 or 429.
    pub overloaded: bool,
}

impl Transport {
    /// Sends `request` as `operation` with the headers every request
    /// carries, `first` being the guard's admission of the first attempt,
    /// and again while `policy` allows. Returns the last attempt's result,
    /// or `None` when the guard refused before any attempt; `record` keeps
    /// what the error mapping needs.
    pub(super) async fn send(
        &self,
        operation: Operation,
        mut request: Request,
        policy: RetryPolicy,
        first: Admission,
        record: &mut Record,
    ) -> Option<reqwest::Result<Response>> {
        let spec = operation.spec();
        self.set_headers(&mut request, operation);
        record.creates = !spec.repeatable;
        let mut admission = Some(first);
        let mut last = None;
        let mut attempt = 1;
        loop {
            // Keep a copy while another attempt is possible (a streamed body
            // cannot be copied, and then there is none).
            let spare = (attempt < policy.max_attempts())
                .then(|| request.try_clone())
                .flatten();
            let admitted = match admission.take() {
                Some(admitted) => admitted,
                None => match self.guard.admit().await {
                    Ok(admitted) => admitted,
                    Err(_) => {
                        // Another request got a 401 meanwhile: stop here.
                        record.refused = true;
                        return last;
                    }
                },
            };
            let unproven = admitted.is_single_file();
            let result = self.attempt(request, operation, attempt, record).await;
            match &result {
                Ok(response) => self.guard.observe(response.status().as_u16()),
                Err(error) if error.is_connect() => self.guard.not_sent(&admitted),
                Err(_) => {}
            }
            drop(admitted);

            let Some(failure) = Failure::of(&result) else {
                return Some(result);
            };
            if failure.kind == FailureKind::MayHaveReached {
                record.may_have_reached = true;
            }
            // Unproven credentials and no answer: it may have been a 401 the
            // client did not wait for. Another attempt could be one more
            // wrong-credential request; the caller decides.
            if unproven && result.is_err() && failure.kind != FailureKind::NeverReached {
                return Some(result);
            }
            let (Decision::RetryAfter(delay), Some(next)) =
                (policy.decide(failure, spec.repeatable, attempt), spare)
            else {
                return Some(result);
            };
            tracing::debug!(
                operation = spec.id,
                attempt,
                delay_ms = delay.as_millis() as u64,
                "retrying"
            );
            // The failed answer is kept (its connection released) in case
            // the guard stops the next attempt: it is then the call's last word.
            last = Some(result.map(drop_body));
            tokio::time::sleep(delay).await;
            request = next;
            attempt += 1;
        }
    }

    /// The credentials, the operation's `Accept`, the user agent (unless the
    /// caller's reqwest client sets its own), and no `api-version`: the
    /// generator sends the spec's version under that name, which LOX24 does
    /// not document, so nothing undocumented goes out. A `POST` or `PUT`
    /// without a body (a batch cancel, a campaign's cancel) says so with
    /// `Content-Length: 0`, as RFC 9110 (8.6) asks of a user agent: a proxy
    /// may refuse such a request without a length (411).
    fn set_headers(&self, request: &mut Request, operation: Operation) {
        let expects_content = matches!(*request.method(), Method::POST | Method::PUT);
        let empty = expects_content && request.body().is_none();
        let headers = request.headers_mut();
        headers.insert(AUTH_HEADER, self.auth.clone());
        headers.insert(ACCEPT, operation.spec().accept.clone());
        headers.remove("api-version");
        headers
            .entry(USER_AGENT)
            .or_insert(HeaderValue::from_static(USER_AGENT_VALUE));
        if empty {
            headers.insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
        }
    }

    /// One attempt, in a `lox24.request` span.
    async fn attempt(
        &self,
        request: Request,
        operation: Operation,
        attempt: u32,
        record: &mut Record,
    ) -> reqwest::Result<Response> {
        let span = tracing::info_span!(
            "lox24.request",
            operation = operation.spec().id,
            method = %request.method(),
            path = request.url().path(),
            attempt,
            status = Empty,
            request_id = Empty,
            duration_ms = Empty,
        );
        record.request = Some(format!("{} {}", request.method(), request.url().path()));
        let started = Instant::now();
        let result = self.http.execute(request).instrument(span.clone()).await;
        let latency = started.elapsed();
        span.record("duration_ms", latency.as_millis() as u64);
        record.load.latency = Some(latency);
        match &result {
            Ok(response) => {
                let status = response.status().as_u16();
                record.load.overloaded |= matches!(status, 429 | 503);
                let id = request_id(response.headers());
                span.record("status", status);
                if let Some(id) = &id {
                    span.record("request_id", id.as_str());
                }
                tracing::debug!(parent: &span, "LOX24 answered");
                record.status = Some(status);
                record.request_id = id;
            }
            Err(error) => tracing::debug!(parent: &span, %error, "request failed"),
        }
        result
    }
}

/// A failed answer kept only for its status and headers.
fn drop_body(response: Response) -> Response {
    let mut kept = http::Response::new(Vec::<u8>::new());
    *kept.status_mut() = response.status();
    *kept.headers_mut() = response.headers().clone();
    kept.into()
}
