//! Accepting connections until closed, then a graceful end.

use std::{convert::Infallible, net::IpAddr, sync::Arc, time::Duration};

use hyper::{server::conn::http1, service::service_fn};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
};
use tokio::{
    net::TcpListener,
    sync::{mpsc, watch},
    task::JoinSet,
};

use super::{
    MAX_HEAD, MAX_HEADERS,
    answer::{Settings, answer},
    stall::WriteDeadline,
};
use crate::webhook::Event;

/// How long a shutdown waits for the requests in flight.
const GRACE: Duration = Duration::from_secs(5);

/// What bounds the connections as a whole.
pub(super) struct Limits {
    /// How many connections are served at once (at least 1); the next ones
    /// wait in the listener's backlog, not accepted.
    pub(super) max_connections: usize,
    /// The only peers served, when set (canonical addresses); a connection
    /// from another is closed as soon as it is accepted.
    pub(super) only_from: Option<Vec<IpAddr>>,
}

impl Limits {
    fn admits(&self, peer: IpAddr) -> bool {
        self.only_from
            .as_ref()
            .is_none_or(|allowed| allowed.contains(&peer.to_canonical()))
    }
}

/// Serves until `stop` turns true (or its sender is gone), then answers the
/// requests in flight for up to [`GRACE`] and drops the rest. The stream of
/// events ends when this returns: every sender is dropped by then.
pub(super) async fn serve(
    listener: TcpListener,
    settings: Settings,
    limits: Limits,
    events: mpsc::Sender<Event>,
    mut stop: watch::Receiver<bool>,
) {
    let read_timeout = settings.read_timeout;
    let settings = Arc::new(settings);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        // From the connection's start, and from each answer on: the time
        // for a whole head, and for the idle time before it.
        .header_read_timeout(read_timeout)
        // The read buffer, thus the largest head (hyper answers 431 when a
        // head fills it), and the buffer of answers not yet written.
        .max_buf_size(MAX_HEAD)
        .max_headers(MAX_HEADERS);
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            // At the limit, nothing is accepted: the next peers wait in the
            // kernel's backlog until a connection ends (and leaves the set).
            accepted = listener.accept(), if connections.len() < limits.max_connections => match accepted {
                Ok((stream, peer)) if !limits.admits(peer.ip()) => {
                    // Closed before a byte is read: no request, no answer,
                    // and no place of `max_connections` taken.
                    tracing::warn!(%peer, "closed a connection from a peer not allowed to post webhook events");
                    drop(stream);
                }
                Ok((stream, peer)) => {
                    let (settings, events) = (settings.clone(), events.clone());
                    let service = service_fn(move |request| {
                        let (settings, events) = (settings.clone(), events.clone());
                        async move {
                            Ok::<_, Infallible>(answer(&settings, &events, peer, request).await)
                        }
                    });
                    let connection = http.serve_connection(
                        TokioIo::new(WriteDeadline::new(stream, read_timeout)),
                        service,
                    );
                    let connection = graceful.watch(connection);
                    connections.spawn(async move {
                        // A connection's failure concerns that peer only.
                        let _ = connection.await;
                    });
                }
                // Out of file descriptors and the like: pause, then go on.
                Err(error) => {
                    tracing::warn!(%error, "the webhook receiver could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            // Finished connections leave the set as they end.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            () = stop_requested(&mut stop) => break,
        }
    }
    drop(listener);
    drop(events);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(GRACE) => {}
    }
    connections.shutdown().await;
}

/// Returns once `stop` turns true or its sender is gone.
async fn stop_requested(stop: &mut watch::Receiver<bool>) {
    // The borrow it returns is dropped here: the select must not hold it.
    let _ = stop.wait_for(|stopped| *stopped).await;
}
