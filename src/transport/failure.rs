//! Every way a request can fail, as a [`crate::Error`]: error answers (read
//! whatever their body is: either JSON error shape, HTML, text), transport
//! failures, the guard's refusal, unreadable success answers, and requests
//! that may or may not have been carried out.

use bytes::Bytes;
use futures_core::Stream;
use futures_util::StreamExt;
use reqwest::{Response, header::HeaderMap};

use super::attempts::Record;
use crate::error::{
    ApiError, ConfigError, Error, TransportError, UnexpectedResponse, never_reached,
};

/// The most bytes of an error body read; an excerpt needs far less, and a
/// proxy's page can be large.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Wraps `error` in [`Error::Ambiguous`] when the request creates something
/// and its fate is unknown: its last attempt failed after it may have
/// reached LOX24, or an earlier attempt did and the last one failed without
/// an answer that settles it. A refusal (4xx) settles it; an unreadable
/// success answer says it was carried out, and stays an `UnexpectedResponse`.
pub(super) fn settle(error: Error, record: &Record) -> Error {
    let ambiguous = record.creates
        && match &error {
            Error::Transport(_) | Error::Server(_) => {
                record.may_have_reached || !never_reached(&error)
            }
            // The guard stopped a retry (in at-least-once mode) after an
            // attempt that may have reached LOX24.
            Error::LockedOut => record.may_have_reached,
            _ => false,
        };
    if ambiguous {
        Error::Ambiguous(Box::new(error))
    } else {
        error
    }
}

/// The outcome of [`Transport::send`](super::Transport::send) for a request
/// built by hand: the answer when it has the operation's success status.
pub(super) async fn check(
    sent: Option<reqwest::Result<Response>>,
    success: u16,
    record: &Record,
) -> Result<Response, Error> {
    let error = match sent {
        _ if record.refused => Error::LockedOut,
        None => Error::LockedOut,
        Some(Err(error)) => TransportError::from(error).into(),
        Some(Ok(response)) if response.status().as_u16() == success => return Ok(response),
        Some(Ok(response)) => from_response(response, record).await,
    };
    Err(settle(error, record))
}

/// An answer with another status than the operation's success.
pub(super) async fn from_response(response: Response, record: &Record) -> Error {
    let (status, headers) = (response.status().as_u16(), response.headers().clone());
    let body = read_prefix(response.bytes_stream()).await;
    from_error_answer(status, &headers, &body, record)
}

/// What progenitor's error means, given what the attempts recorded.
pub(super) async fn from_generated(
    error: progenitor_client::Error<progenitor_client::ByteStream>,
    record: &Record,
) -> Error {
    use progenitor_client::Error as Raw;
    if record.refused {
        return Error::LockedOut;
    }
    match error {
        Raw::ErrorResponse(answer) => {
            let (status, headers) = (answer.status().as_u16(), answer.headers().clone());
            let body = read_prefix(answer.into_inner().into_inner()).await;
            from_error_answer(status, &headers, &body, record)
        }
        Raw::UnexpectedResponse(response) => from_response(response, record).await,
        // The generated call drops the status and headers of a success answer
        // whose body does not decode; the attempts recorded them.
        Raw::InvalidResponsePayload(body, error) => {
            undecodable(record.status, record.request_id.clone(), &error, &body)
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

/// An error status (or any status the operation does not document), with
/// the request it answers as the attempts recorded it.
fn from_error_answer(status: u16, headers: &HeaderMap, body: &[u8], record: &Record) -> Error {
    let mut api = ApiError::from_parts(status, headers, body);
    if let Some(request) = &record.request {
        api.set_request(request);
    }
    Error::from_status(api).unwrap_or_else(|api| {
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
pub(super) async fn read_prefix(
    mut body: impl Stream<Item = reqwest::Result<Bytes>> + Unpin,
) -> Vec<u8> {
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

/// A success answer larger than the client reads of one.
pub(crate) fn too_large(status: u16, request_id: Option<String>, limit: usize) -> Error {
    let reason = format!(
        "the answer is larger than the {limit} bytes this client reads of one \
         (ClientBuilder::max_answer_bytes)"
    );
    UnexpectedResponse::new(Some(status), request_id, reason, b"").into()
}

/// Whether a streamed answer is the media type `operation` asks for (its
/// `Accept`), parameters and case aside; if not, the error to give, which
/// still needs the body's excerpt.
pub(super) fn check_media_type(
    operation: super::Operation,
    response: &Response,
) -> Result<(), UnexpectedResponse> {
    let asked = operation.spec().accept.to_str().unwrap_or_default();
    let given = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let essence = |media_type: &str| {
        let end = media_type.find(';').unwrap_or(media_type.len());
        media_type[..end].trim().to_ascii_lowercase()
    };
    if given.as_deref().map(essence) == Some(essence(asked)) {
        return Ok(());
    }
    let described = given.map_or_else(
        || "has no media type".to_owned(),
        |g| format!("is {}", essence(&g)),
    );
    Err(UnexpectedResponse::new(
        Some(response.status().as_u16()),
        crate::error::request_id(response.headers()),
        format!(
            "the answer {described}, not the {} asked for",
            essence(asked)
        ),
        b"",
    ))
}
