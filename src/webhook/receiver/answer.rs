//! One request to the receiver: checks, the event onto the stream, the answer.

use std::{
    net::{IpAddr, SocketAddr},
    time::Duration,
};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::{
    Method, Request, Response, StatusCode,
    body::Incoming,
    header::{ALLOW, CONTENT_TYPE, HeaderValue},
};
use tokio::sync::mpsc;

use crate::{
    WebhookErrorKind,
    webhook::{Event, parse::parse_event},
};

/// What every request is checked against.
pub(super) struct Settings {
    pub(super) path: Option<String>,
    pub(super) max_body: usize,
    pub(super) only_from: Option<Vec<IpAddr>>,
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
    if let Some(allowed) = &settings.only_from
        && !allowed.contains(&peer.ip().to_canonical())
    {
        return refused(
            StatusCode::FORBIDDEN,
            format!("{} may not post here", peer.ip()),
        );
    }
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
    let read = Limited::new(body, settings.max_body).collect();
    let body = match tokio::time::timeout(settings.read_timeout, read).await {
        Ok(Ok(body)) => body.to_bytes(),
        Ok(Err(error)) if error.is::<LengthLimitError>() => {
            return refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the body is larger than {} bytes", settings.max_body),
            );
        }
        // The peer went away mid-body: this answer reaches nobody.
        Ok(Err(_)) => return text(StatusCode::BAD_REQUEST, "the body was cut off".into()),
        Err(_) => {
            return refused(
                StatusCode::REQUEST_TIMEOUT,
                format!("the body did not arrive within {:?}", settings.read_timeout),
            );
        }
    };

    let event = match parse_event(&parts.headers, &body) {
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

fn text(status: StatusCode, reason: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reason + "\n")));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}
