//! Runs one call of the generated client and turns its outcome into the
//! crate's types.
//!
//! The generated client drops the status and headers of a success answer
//! whose body does not decode. The hooks note them in a record that lives as
//! long as the call (a task-local), so that such an error still names the
//! status and request id. The same record carries a call's own retry policy
//! to the hooks, and brings back what the retries and the lockout guard
//! decided, which progenitor's error type cannot express.

use std::{cell::RefCell, future::Future};

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;
use progenitor_client::{ByteStream, ResponseValue};
use reqwest::header::HeaderMap;

use crate::{
    RetryPolicy,
    error::{ApiError, ConfigError, Error, TransportError, UnexpectedResponse, request_id},
};

/// The most bytes of an error body read; an excerpt needs far less, and a
/// proxy's page can be large.
const MAX_ERROR_BODY: usize = 64 * 1024;

tokio::task_local! {
    static RECORD: RefCell<Record>;
}

/// What the hooks saw of the current call.
#[derive(Default)]
struct Record {
    /// The status of the last answer.
    status: Option<u16>,
    /// The request id of the last answer.
    request_id: Option<String>,
    /// The policy of this call, instead of the client's.
    policy: Option<RetryPolicy>,
    /// The request is a `POST` (or another method that is not idempotent).
    creates: bool,
    /// An attempt failed after it may have reached LOX24.
    may_have_reached: bool,
    /// The lockout guard refused the request: nothing was sent.
    refused: bool,
}

/// A decoded success answer with its metadata.
#[derive(Debug)]
pub(crate) struct Answer<T> {
    pub value: T,
    pub request_id: Option<String>,
}

/// Changes the record of the current call, if there is one: outside of
/// `run` (a caller of the low-level client) there is none.
fn update(change: impl FnOnce(&mut Record)) {
    let _ = RECORD.try_with(|record| change(&mut record.borrow_mut()));
}

/// Called by the hooks for every answer.
pub(crate) fn note_answer(status: u16, request_id: Option<String>) {
    update(|record| {
        record.status = Some(status);
        record.request_id = request_id;
    });
}

/// Called by the hooks before the first attempt.
pub(crate) fn note_request(creates: bool) {
    update(|record| record.creates = creates);
}

/// Called by the hooks when an attempt failed after it may have reached LOX24.
pub(crate) fn note_may_have_reached() {
    update(|record| record.may_have_reached = true);
}

/// Called by the hooks when the lockout guard refused the request.
pub(crate) fn note_refused() {
    update(|record| record.refused = true);
}

/// The retry policy of the current call, when it brings its own.
pub(crate) fn policy() -> Option<RetryPolicy> {
    RECORD
        .try_with(|record| record.borrow().policy)
        .ok()
        .flatten()
}

type RawResult<T> = Result<ResponseValue<T>, progenitor_client::Error<ByteStream>>;

/// Awaits a generated call and maps its outcome.
pub(crate) async fn run<T>(call: impl Future<Output = RawResult<T>>) -> Result<Answer<T>, Error> {
    run_with(None, call).await
}

/// [`run`] with a retry policy for this call instead of the client's.
pub(crate) async fn run_with<T>(
    policy: Option<RetryPolicy>,
    call: impl Future<Output = RawResult<T>>,
) -> Result<Answer<T>, Error> {
    let record = Record {
        policy,
        ..Record::default()
    };
    let (result, record) = RECORD
        .scope(RefCell::new(record), async {
            let result = call.await;
            (result, RECORD.with(RefCell::take))
        })
        .await;
    match result {
        Ok(answer) => Ok(Answer {
            request_id: request_id(answer.headers()),
            value: answer.into_inner(),
        }),
        Err(error) => {
            let (creates, may_have_reached) = (record.creates, record.may_have_reached);
            let error = map_error(error, record).await;
            Err(if creates && is_ambiguous(&error, may_have_reached) {
                Error::Ambiguous(Box::new(error))
            } else {
                error
            })
        }
    }
}

/// Whether a request that creates something may or may not have been
/// carried out: its last attempt failed after it may have reached LOX24, or
/// an earlier attempt did and the last one failed without an answer that
/// settles it. A refusal (4xx) settles it; an unreadable success answer says
/// it was carried out, and stays an `UnexpectedResponse`.
fn is_ambiguous(error: &Error, earlier_may_have_reached: bool) -> bool {
    match error {
        Error::Transport(_) | Error::Server(_) => {
            earlier_may_have_reached || !crate::error::never_reached(error)
        }
        // The guard stopped a retry (in at-least-once mode) after an attempt
        // that may have reached LOX24.
        Error::LockedOut => earlier_may_have_reached,
        _ => false,
    }
}

async fn map_error(error: progenitor_client::Error<ByteStream>, record: Record) -> Error {
    use progenitor_client::Error as Raw;
    match error {
        Raw::Custom(_) if record.refused => Error::LockedOut,
        Raw::ErrorResponse(answer) => {
            let (status, headers) = (answer.status().as_u16(), answer.headers().clone());
            let body = read_prefix(answer.into_inner().into_inner()).await;
            from_error_answer(status, &headers, &body)
        }
        Raw::UnexpectedResponse(response) => {
            let (status, headers) = (response.status().as_u16(), response.headers().clone());
            let body = read_prefix(response.bytes_stream()).await;
            from_error_answer(status, &headers, &body)
        }
        Raw::InvalidResponsePayload(body, error) => {
            undecodable(record.status, record.request_id, &error, &body)
        }
        Raw::CommunicationError(error)
        | Raw::ResponseBodyError(error)
        | Raw::InvalidUpgrade(error) => TransportError::from(error).into(),
        Raw::InvalidRequest(reason) | Raw::Custom(reason) => {
            ConfigError::InvalidRequest { reason }.into()
        }
    }
}

/// A success answer whose body is not the JSON the spec describes.
pub(crate) fn undecodable(
    status: Option<u16>,
    request_id: Option<String>,
    error: &serde_json::Error,
    body: &[u8],
) -> Error {
    let reason = format!("the body is not the JSON the spec describes ({error})");
    UnexpectedResponse::new(status, request_id, reason, body).into()
}

/// An error status (or any status the operation does not document).
fn from_error_answer(status: u16, headers: &HeaderMap, body: &[u8]) -> Error {
    Error::from_status(ApiError::from_parts(status, headers, body)).unwrap_or_else(|api| {
        let reason = if (200..300).contains(&status) {
            "a success status the spec does not list for this operation"
        } else {
            "a status LOX24 does not document"
        };
        UnexpectedResponse::new(
            Some(status),
            api.request_id().map(str::to_owned),
            reason,
            body,
        )
        .into()
    })
}

/// Reads at most [`MAX_ERROR_BODY`] bytes; a failure while reading ends the body.
async fn read_prefix(mut body: impl Stream<Item = reqwest::Result<Bytes>> + Unpin) -> Vec<u8> {
    let mut out = Vec::new();
    while out.len() < MAX_ERROR_BODY {
        match body.next().await {
            Some(Ok(chunk)) => out.extend_from_slice(&chunk),
            _ => break,
        }
    }
    out.truncate(MAX_ERROR_BODY);
    out
}
