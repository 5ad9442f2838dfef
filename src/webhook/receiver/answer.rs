//! One request to the receiver: checks, the event onto the stream, the answer.

use std::{net::SocketAddr, time::Duration};

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper::{
    Method, Request, Response, StatusCode,
    body::{Body, Incoming},
    header::{ALLOW, CONTENT_TYPE, HeaderValue},
};
use tokio::sync::mpsc;

use crate::{
    WebhookErrorKind,
    webhook::{
        Event,
        parse::{check_content_type, parse_event},
    },
};

/// What every request is checked against.
pub(super) struct Settings {
    pub(super) path: Option<String>,
    pub(super) max_body: usize,
    /// How long the head of a request, and then its body, may take to arrive.
    pub(super) read_timeout: Duration,
}

/// Answers one request, putting its event on `events` first when it is one.
pub(super) async fn answer(
    settings: &Settings,
    events: &mpsc::Sender<Event>,
    peer: SocketAddr,
    request: Request<Incoming>,
) -> Response<Full<Bytes>> {
    let refused = |status: StatusCode, reason: String| {
        tracing::warn!(%peer, status = status.as_u16(), %reason, "refused a webhook request");
        text(status, reason)
    };
    let too_large = || {
        refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than {} bytes", settings.max_body),
        )
    };
    if let Some(path) = &settings.path
        && request.uri().path() != path
    {
        return refused(StatusCode::NOT_FOUND, format!("events go to {path}"));
    }
    if request.method() != Method::POST {
        let mut response = refused(
            StatusCode::METHOD_NOT_ALLOWED,
            format!("{} is not POST", request.method()),
        );
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("POST"));
        return response;
    }

    let (parts, body) = request.into_parts();
    // What the head alone refuses is refused before any of the body is
    // read (nor a `100 Continue` sent for it): a type that is not JSON, a
    // length announced over the limit.
    if let Err(error) = check_content_type(&parts.headers) {
        return refused(StatusCode::UNSUPPORTED_MEDIA_TYPE, error.to_string());
    }
    let announced = body.size_hint().lower();
    if announced > u64::try_from(settings.max_body).unwrap_or(u64::MAX) {
        return too_large();
    }
    let read = read_body(body, settings.max_body, announced);
    let body = match tokio::time::timeout(settings.read_timeout, read).await {
        Ok(Ok(body)) => body,
        Ok(Err(BodyError::TooLarge)) => return too_large(),
        // The peer went away mid-body: this answer reaches nobody.
        Ok(Err(BodyError::CutOff)) => {
            return text(StatusCode::BAD_REQUEST, "the body was cut off".into());
        }
        Err(_) => {
            return refused(
                StatusCode::REQUEST_TIMEOUT,
                format!("the body did not arrive within {:?}", settings.read_timeout),
            );
        }
    };

    let parsed = parse_event(&parts.headers, &body);
    // The event holds what it keeps of the body on its own: the body's
    // buffer goes now, not once the event has found room in the stream, so
    // that a connection waiting for room holds the event only.
    drop(body);
    drop(parts);
    let event = match parsed {
        Ok(event) => event,
        Err(error) => {
            let status = match error.kind() {
                WebhookErrorKind::ContentType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                _ => StatusCode::BAD_REQUEST,
            };
            return refused(status, error.to_string());
        }
    };
    let (name, id) = (event.name().to_owned(), event.id.clone());
    match events.send(event).await {
        Ok(()) => {
            tracing::debug!(%peer, event = %name, %id, "received a webhook event");
            Response::new(Full::default())
        }
        Err(_) => refused(
            StatusCode::SERVICE_UNAVAILABLE,
            "the receiver is gone".into(),
        ),
    }
}

/// Why a body was not read whole.
enum BodyError {
    /// It is longer than the limit.
    TooLarge,
    /// The connection failed, or ended, before the body did.
    CutOff,
}

/// The body, read into one buffer of the `announced` length (at most
/// `max_body`) when it has one, so that it is not copied once more at the
/// end; a body without one (chunked) grows its buffer as it arrives.
async fn read_body(
    mut body: Incoming,
    max_body: usize,
    announced: u64,
) -> Result<Bytes, BodyError> {
    let announced = usize::try_from(announced).unwrap_or(max_body);
    let mut read = BytesMut::with_capacity(announced.min(max_body));
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyError::CutOff)?;
        // Trailers, if any, are not part of the event.
        if let Ok(data) = frame.into_data() {
            if data.len() > max_body - read.len() {
                return Err(BodyError::TooLarge);
            }
            read.extend_from_slice(&data);
        }
    }
    Ok(read.freeze())
}

fn text(status: StatusCode, reason: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reason + "\n")));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
