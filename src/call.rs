//! Runs one call of the generated client and turns its outcome into the
//! crate's types.
//!
//! The generated client drops the status and headers of a success answer
//! whose body does not decode. The hooks note them in a record that lives as
//! long as the call (a task-local), so that such an error still names the
//! status and request id.

use std::{cell::RefCell, future::Future};

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;
use progenitor_client::{ByteStream, ResponseValue};
use reqwest::header::HeaderMap;

use crate::error::{ApiError, ConfigError, Error, TransportError, UnexpectedResponse, request_id};

/// The most bytes of an error body read; an excerpt needs far less, and a
/// proxy's page can be large.
const MAX_ERROR_BODY: usize = 64 * 1024;

tokio::task_local! {
    static RECORD: RefCell<Record>;
}

/// What the hooks saw of the last answer of the current call.
#[derive(Default)]
struct Record {
    status: Option<u16>,
    request_id: Option<String>,
}

/// A decoded success answer with its metadata.
#[derive(Debug)]
pub(crate) struct Answer<T> {
    pub value: T,
    #[allow(dead_code)] // read by the upload engine's report
    pub request_id: Option<String>,
}

/// Called by the hooks for every answer.
pub(crate) fn note_answer(status: u16, request_id: Option<String>) {
    // Outside of `run` (a caller of the low-level client) there is no record.
    let _ = RECORD.try_with(|record| {
        *record.borrow_mut() = Record {
            status: Some(status),
            request_id,
        }
    });
}

type RawResult<T> = Result<ResponseValue<T>, progenitor_client::Error<ByteStream>>;

/// Awaits a generated call and maps its outcome.
pub(crate) async fn run<T>(call: impl Future<Output = RawResult<T>>) -> Result<Answer<T>, Error> {
    let (result, record) = RECORD
        .scope(RefCell::new(Record::default()), async {
            let result = call.await;
            (result, RECORD.with(RefCell::take))
        })
        .await;
    match result {
        Ok(answer) => Ok(Answer {
            request_id: request_id(answer.headers()),
            value: answer.into_inner(),
        }),
        Err(error) => Err(map_error(error, record).await),
    }
}

async fn map_error(error: progenitor_client::Error<ByteStream>, record: Record) -> Error {
    use progenitor_client::Error as Raw;
    match error {
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
        Raw::InvalidResponsePayload(body, error) => UnexpectedResponse::new(
            record.status,
            record.request_id,
            format!("the body is not the JSON the spec describes ({error})"),
            &body,
        )
        .into(),
        Raw::CommunicationError(error)
        | Raw::ResponseBodyError(error)
        | Raw::InvalidUpgrade(error) => TransportError::from(error).into(),
        Raw::InvalidRequest(reason) | Raw::Custom(reason) => {
            ConfigError::InvalidRequest { reason }.into()
        }
    }
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
