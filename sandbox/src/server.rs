//! The HTTP side: accepting connections, the path of a request through
//! faults, authentication and routing to its handler, and shutting down.
//!
//! Each connection is driven by its own task, which can also close it on
//! purpose: a request whose fault is a dropped connection wakes that task,
//! which drops the connection without writing an answer.

use std::{convert::Infallible, net::SocketAddr, sync::Arc, time::Duration};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::{
    Request, Response, StatusCode,
    body::Incoming,
    header::{ACCEPT, CONTENT_TYPE, HeaderName, HeaderValue},
    server::conn::http1,
    service::service_fn,
};
use hyper_util::{rt::TokioIo, server::graceful::GracefulShutdown};
use tokio::{
    net::TcpListener,
    sync::{Notify, oneshot},
};

use super::{
    auth::Verdict,
    capacity::Admission,
    context::Ctx,
    faults::Decision,
    handlers,
    problem::Problem,
    reply::{Format, Reply},
    routes::{self, Route},
    state::Shared,
};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-lox24-request-id");
const AUTH_TOKEN: HeaderName = HeaderName::from_static("x-lox24-auth-token");
/// How long a shutdown waits for requests in flight.
const GRACE: Duration = Duration::from_secs(5);

/// Serves until `stop` fires (or its sender is dropped), then lets requests
/// in flight finish for up to [`GRACE`].
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
) {
    let graceful = GracefulShutdown::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let closer = Arc::new(Notify::new());
                    let service = {
                        let (shared, closer) = (shared.clone(), closer.clone());
                        service_fn(move |request| respond(shared.clone(), peer, closer.clone(), request))
                    };
                    let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                    let connection = graceful.watch(connection);
                    tokio::spawn(async move {
                        tokio::select! {
                            _ = connection => {}
                            () = closer.notified() => {}
                        }
                    });
                }
                // Out of file descriptors and the like: wait, then go on.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
            _ = &mut stop => break,
        }
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(GRACE) => {}
    }
}

/// What becomes of a request.
enum Outcome {
    Answer(Reply),
    /// Close the connection without an answer.
    Drop,
}

async fn respond(
    shared: Arc<Shared>,
    peer: SocketAddr,
    closer: Arc<Notify>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let request_id = shared.ids.request_id();
    match handle(&shared, peer, request).await {
        Outcome::Answer(reply) => Ok(response(reply, &request_id)),
        Outcome::Drop => {
            closer.notify_one();
            // The connection task drops this future with the connection.
            std::future::pending().await
        }
    }
}

async fn handle(shared: &Shared, peer: SocketAddr, request: Request<Incoming>) -> Outcome {
    let route = routes::route(request.method(), request.uri().path());
    let fault = match route.operation() {
        Some(op) => shared.faults.decide(op, shared.stats.receive(op)),
        None => Decision::default(),
    };
    if !fault.latency.is_zero() {
        tokio::time::sleep(fault.latency).await;
    }
    let (parts, body) = request.into_parts();
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let format = Format::negotiate(header(ACCEPT));
    let answer = |problem: Problem| Outcome::Answer(problem.reply(format));

    let body = match Limited::new(body, shared.settings.max_body).collect().await {
        Ok(body) => body.to_bytes(),
        Err(error) if error.is::<LengthLimitError>() => {
            let max = shared.settings.max_body;
            return answer(Problem::new(
                413,
                format!("The body is larger than {max} bytes."),
            ));
        }
        // The client went away mid-body: nobody to answer.
        Err(_) => return Outcome::Drop,
    };
    if fault.drop_before {
        return Outcome::Drop;
    }
    if let Some(status) = fault.server_error {
        let reason = StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Server Error");
        return answer(Problem::new(status, reason));
    }

    let now = shared.clock.now();
    let token = parts.headers.get(AUTH_TOKEN).map(HeaderValue::as_bytes);
    let key_id = match shared.auth.check(peer.ip(), token, now) {
        Verdict::Allowed { key_id } => key_id,
        Verdict::Unauthorized => {
            return answer(Problem::new(
                401,
                "The customer id or the API key is invalid or inactive.",
            ));
        }
        Verdict::Blocked => {
            return answer(Problem::new(
                429,
                "This IP address is blocked for ten minutes after repeated requests with wrong credentials.",
            ));
        }
    };
    let (op, target) = match route {
        Route::Found(op, target) => (op, target),
        Route::NotFound => return answer(Problem::not_found()),
        Route::MethodNotAllowed(allowed) => {
            let reply = Problem::new(405, "Method Not Allowed").reply(format);
            return Outcome::Answer(reply.header("allow", allowed.join(", ")));
        }
    };
    match fault.forced {
        Some(402) => {
            return answer(Problem::new(
                402,
                "There is not enough credit on the account.",
            ));
        }
        Some(403) => return answer(Problem::new(403, "The account is not activated yet.")),
        _ => {}
    }

    let ctx = Ctx {
        format,
        query: Ctx::parse_query(parts.uri.query()),
        content_type: header(CONTENT_TYPE).map(str::to_owned),
        body,
        peer: peer.ip(),
        key_id,
        now,
    };
    let (place, late) = match op {
        routes::Operation::AddPhonesBatch => match shared.capacity.admit(&ctx.body).await {
            Admission::Served(place, late) => (Some(place), late),
            Admission::Refused(retry_after) => {
                let reply = Problem::new(503, "Service Unavailable").reply(format);
                return Outcome::Answer(match retry_after {
                    Some(seconds) => reply.header("retry-after", seconds.to_string()),
                    None => reply,
                });
            }
        },
        _ => (None, None),
    };
    let reply = handlers::handle(shared, &ctx, op, &target);
    shared.stats.handle(op);
    drop(place);
    if let Some(delay) = late {
        shared.capacity.hold(delay).await;
    }
    if fault.drop_after {
        return Outcome::Drop;
    }
    if let Some(delay) = fault.late {
        // Stored already; the client has likely given up by the time this ends.
        tokio::time::sleep(delay).await;
    }
    Outcome::Answer(reply)
}

fn response(reply: Reply, request_id: &str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert(REQUEST_ID, id);
    }
    if let Some(content_type) = reply.content_type {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    for (name, value) in reply.headers {
        if let Ok(value) = HeaderValue::try_from(value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
    response
}
