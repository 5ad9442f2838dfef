//! A small HTTP server that receives LOX24's events and hands them over as
//! a stream (feature `webhook-receiver`).

mod answer;
mod serve;
mod stall;

use std::{
    fmt, io,
    net::{IpAddr, SocketAddr},
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use futures_core::Stream;
use tokio::{
    net::{TcpListener, ToSocketAddrs},
    sync::{mpsc, watch},
    task::JoinHandle,
};

use super::Event;

/// The default of [`ReceiverBuilder::max_body`]: 1 MiB, far more than an
/// event needs (an email-to-SMS event carries the email's body).
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;

/// The default of [`ReceiverBuilder::capacity`].
pub const DEFAULT_CAPACITY: usize = 64;

/// The default of [`ReceiverBuilder::read_timeout`].
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The default of [`ReceiverBuilder::max_connections`]: far more than LOX24
/// opens at once, few enough that the memory they may hold stays small
/// (see [`ReceiverBuilder::max_body`]).
///
/// ```
/// assert_eq!(lox24::webhook::DEFAULT_MAX_CONNECTIONS, 256);
/// ```
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;

/// The largest head of a request read, in bytes: the request line and
/// every header field. A larger one is answered
/// `431 Request Header Fields Too Large` and its connection closed, as
/// soon as this much has arrived. LOX24's heads take some hundred bytes;
/// the rest leaves room for what a proxy adds.
///
/// ```
/// assert_eq!(lox24::webhook::MAX_HEAD, 32 * 1024);
/// ```
pub const MAX_HEAD: usize = 32 * 1024;

/// The most header fields a request may have (a request with more is
/// answered `431 Request Header Fields Too Large`).
///
/// ```
/// assert_eq!(lox24::webhook::MAX_HEADERS, 100);
/// ```
pub const MAX_HEADERS: usize = 100;

/// The longest [`ReceiverBuilder::read_timeout`]: hyper adds the timeout to
/// the clock's current instant, which panics past what the clock can count
/// (`Duration::MAX`, say).
const MAX_READ_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// An HTTP server for LOX24's webhook events, and the stream of the events
/// it received.
///
/// Each `POST` whose body is an event ([`parse`](super::parse)) is put on
/// the stream, and only then answered `200 OK`: an event LOX24 saw
/// acknowledged is one the stream has. When the stream is full
/// ([`ReceiverBuilder::capacity`]) the answer waits until there is room.
///
/// Anything else never reaches the stream: a request is answered with a
/// 4xx (each refusal is logged with `tracing` at level `WARN`), a
/// connection that breaks a limit is closed:
///
/// | what arrives | answer |
/// |---|---|
/// | a well-formed event | `200 OK` |
/// | not an event: empty, not JSON, cut short, a field missing or of the wrong type, a known event whose `data` does not decode | `400 Bad Request`, with the reason as text |
/// | a `Content-Type` that is not JSON | `415 Unsupported Media Type`, before the body is read |
/// | a body over [`ReceiverBuilder::max_body`] | `413 Content Too Large`; before the body is read when its announced length (`Content-Length`) is over |
/// | a body that does not arrive in time ([`ReceiverBuilder::read_timeout`]) | `408 Request Timeout` |
/// | a method other than `POST` | `405 Method Not Allowed` |
/// | another path than [`ReceiverBuilder::path`], when set | `404 Not Found` |
/// | the `Receiver` was dropped while the request was in flight | `503 Service Unavailable` |
/// | a head over [`MAX_HEAD`] bytes or with more than [`MAX_HEADERS`] fields | `431 Request Header Fields Too Large`, then the connection is closed |
/// | a head that does not arrive in time ([`ReceiverBuilder::read_timeout`], from the connection's start or from the previous answer), or a peer that does not read its answers for as long | none: the connection is closed |
/// | a connection from a peer not in [`ReceiverBuilder::only_from`], when set | none: it is closed as soon as it is accepted, before anything is read |
/// | a connection beyond [`ReceiverBuilder::max_connections`] | none until another connection ends: it waits in the kernel's backlog |
///
/// Why a 4xx for a malformed body, although LOX24 then sends it again: it
/// is what LOX24's document lists for a webhook request of invalid
/// structure (400), it costs at most three more attempts, and it leaves
/// room to recover: when the body is refused because this crate does not
/// (yet) read a changed event, a fixed receiver deployed before the last
/// attempt still gets it. A 2xx would tell LOX24 the event was handled
/// when it was dropped.
///
/// The stream ends after [`close`](Self::close) (or a [`Closer`]) once the
/// requests in flight are answered and every event received is taken.
/// Dropping the receiver stops the server too.
///
/// ```no_run
/// use lox24::webhook::{Payload, Receiver};
///
/// # async fn run() -> std::io::Result<()> {
/// let mut receiver = Receiver::bind("127.0.0.1:8080").await?;
/// println!("LOX24 can post to {}", receiver.url());
/// while let Some(event) = receiver.recv().await {
///     if let Payload::SmsDelivery(report) = &event.payload {
///         println!("{}: {}", report.id, report.dlr_code);
///     }
/// }
/// # Ok(()) }
/// ```
pub struct Receiver {
    addr: SocketAddr,
    path: Option<String>,
    events: mpsc::Receiver<Event>,
    closer: Closer,
    task: Option<JoinHandle<()>>,
}

impl Receiver {
    /// Starts a receiver with the default settings on `addr`
    /// (`"127.0.0.1:0"`: a free port; see [`local_addr`](Self::local_addr)).
    /// Needs a Tokio runtime.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let receiver = lox24::webhook::Receiver::bind("127.0.0.1:0").await?;
    /// assert_ne!(receiver.local_addr().port(), 0);
    /// receiver.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub async fn bind(addr: impl ToSocketAddrs) -> io::Result<Self> {
        Self::builder().bind(addr).await
    }

    /// Settings for a receiver.
    pub fn builder() -> ReceiverBuilder {
        ReceiverBuilder::default()
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://<address><path>`, the URL to post events to (to give LOX24,
    /// behind whatever makes it reachable from the internet).
    pub fn url(&self) -> String {
        format!(
            "http://{}{}",
            self.addr,
            self.path.as_deref().unwrap_or("/")
        )
    }

    /// The next event, in the order they were acknowledged; `None` once the
    /// receiver is closed and every event it received has been taken.
    pub async fn recv(&mut self) -> Option<Event> {
        self.events.recv().await
    }

    /// Stops accepting connections. Requests in flight are still answered
    /// and their events still come out of [`recv`](Self::recv), which then
    /// returns `None`.
    pub fn close(&self) {
        self.closer.close();
    }

    /// A handle that closes the receiver from elsewhere (a Ctrl-C handler,
    /// another task), while this one is read as a stream.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let mut receiver = lox24::webhook::Receiver::bind("127.0.0.1:0").await?;
    /// let closer = receiver.closer();
    /// tokio::spawn(async move { closer.close() });
    /// assert!(receiver.recv().await.is_none());
    /// # Ok(()) }
    /// ```
    pub fn closer(&self) -> Closer {
        self.closer.clone()
    }

    /// Closes the receiver and waits (up to five seconds) for the requests
    /// in flight; events not taken yet are dropped. To handle every event,
    /// [`close`](Self::close) instead and read until `None`.
    pub async fn shutdown(mut self) {
        self.close();
        if let Some(task) = self.task.take() {
            // It ends on its own; a panic in it has nothing left to report.
            let _ = task.await;
        }
    }
}

/// The events, as [`recv`](Receiver::recv) returns them.
impl Stream for Receiver {
    type Item = Event;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        self.events.poll_recv(cx)
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.close();
    }
}

impl fmt::Debug for Receiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("addr", &self.addr)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// Closes a [`Receiver`] from elsewhere; see [`Receiver::closer`].
#[derive(Clone, Debug)]
pub struct Closer(Arc<watch::Sender<bool>>);

impl Closer {
    /// Stops the receiver accepting connections, as [`Receiver::close`].
    pub fn close(&self) {
        self.0.send_replace(true);
    }
}

/// Settings of a [`Receiver`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// use lox24::webhook::{Receiver, SENDER_ADDRESSES};
///
/// let receiver = Receiver::builder()
///     .path("/lox24/events")
///     .only_from(SENDER_ADDRESSES)
///     .max_body(256 * 1024)
///     .capacity(16)
///     .bind("127.0.0.1:0")
///     .await?;
/// assert!(receiver.url().ends_with("/lox24/events"));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct ReceiverBuilder {
    path: Option<String>,
    max_body: usize,
    capacity: usize,
    only_from: Option<Vec<IpAddr>>,
    read_timeout: Duration,
    max_connections: usize,
}

impl Default for ReceiverBuilder {
    fn default() -> Self {
        Self {
            path: None,
            max_body: DEFAULT_MAX_BODY,
            capacity: DEFAULT_CAPACITY,
            only_from: None,
            read_timeout: DEFAULT_READ_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

impl ReceiverBuilder {
    /// How many connections are served at once
    /// ([`DEFAULT_MAX_CONNECTIONS`] unless
    /// set; 0 counts as 1, as a receiver that serves nobody is of no use).
    ///
    /// A connection beyond the limit is not accepted: it waits in the
    /// kernel's backlog of the listening socket (up to 1024 connections;
    /// beyond, the kernel ignores the peer's handshake, which the peer
    /// repeats), and is served as soon as a connection ends. It is not
    /// closed at once, because LOX24 makes only a few attempts per event
    /// ([`MAX_ATTEMPTS`](super::MAX_ATTEMPTS)) and a closed connection
    /// would use one up, whereas a wait is short: a peer that sends
    /// nothing, or too slowly, or does not read its answers, is cut after
    /// the [`read_timeout`](Self::read_timeout), so a flood of idle
    /// connections frees its places within that time.
    ///
    /// The limit bounds what peers can make the receiver hold: a file
    /// descriptor and a task per connection, each with the buffers of a
    /// request's head and of an answer ([`MAX_HEAD`] each), and a
    /// body of up to [`max_body`](Self::max_body), read in place when its
    /// length is announced (a chunked body may briefly take twice that as
    /// its buffer grows): with the defaults, some 300 MiB at the very
    /// worst, far less with a smaller `max_body` (LOX24's events take a
    /// few KiB).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let receiver = lox24::webhook::Receiver::builder()
    ///     .max_connections(16)
    ///     .bind("127.0.0.1:0")
    ///     .await?;
    /// # receiver.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// Accepts events on this path only (others get 404). By default any
    /// path is accepted. A missing leading `/` is added.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        self.path = Some(match path.starts_with('/') {
            true => path,
            false => format!("/{path}"),
        });
        self
    }

    /// The largest body accepted, in bytes ([`DEFAULT_MAX_BODY`] unless
    /// set). A larger one is answered 413: as soon as its head announces
    /// the length, or once that much of it has arrived.
    ///
    /// A body is read in memory of about its size, whatever its JSON holds:
    /// never into a `serde_json::Value`, where 1 MiB of `[0,0,0,…]` takes
    /// 16 MiB. Free-form JSON is kept as its text (the data of an unknown
    /// event, [`Payload::Unknown`], and of `fraud-check.done`,
    /// [`FraudCheckDone`]; the `additional_data` of the phone events), and
    /// the body's buffer is let go as soon as the event is read, before it
    /// waits for room in the stream. A documented event holds what it
    /// decodes, which is about its text but for long lists of small items
    /// (the `sms` of `sms.email.parsing.success`, up to some 9 times).
    /// Open to anyone (no [`only_from`](Self::only_from)), a receiver that
    /// takes its events slowly can thus be made to hold some
    /// ([`capacity`](Self::capacity) + [`max_connections`](Self::max_connections))
    /// × `max_body` (× 9 with such lists); a smaller `max_body` shrinks that
    /// in proportion.
    ///
    /// [`Payload::Unknown`]: super::Payload::Unknown
    /// [`FraudCheckDone`]: super::FraudCheckDone
    ///
    /// ```
    /// let builder = lox24::webhook::Receiver::builder().max_body(64 * 1024);
    /// # drop(builder);
    /// ```
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// How many events wait for [`Receiver::recv`] before answers to LOX24
    /// wait too ([`DEFAULT_CAPACITY`] unless set; at least 1).
    pub fn capacity(mut self, events: usize) -> Self {
        self.capacity = events.max(1);
        self
    }

    /// Serves these peers only, e.g.
    /// [`SENDER_ADDRESSES`](super::SENDER_ADDRESSES). The peer is the
    /// address of the TCP connection: behind a reverse proxy, it is the
    /// proxy's, so filter there instead.
    ///
    /// A connection from another peer is closed as soon as it is accepted,
    /// without an answer (each is logged with `tracing` at level `WARN`):
    /// reading its request first would let anyone on the internet hold the
    /// places of [`max_connections`](Self::max_connections) for as long as
    /// the [`read_timeout`](Self::read_timeout), again and again, and keep
    /// LOX24 waiting.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use lox24::webhook::{Receiver, SENDER_ADDRESSES};
    ///
    /// let receiver = Receiver::builder()
    ///     .only_from(SENDER_ADDRESSES)
    ///     .bind("127.0.0.1:0")
    ///     .await?;
    /// # receiver.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn only_from(mut self, peers: impl IntoIterator<Item = IpAddr>) -> Self {
        self.only_from = Some(peers.into_iter().map(|ip| ip.to_canonical()).collect());
        self
    }

    /// How long a peer may keep the receiver waiting
    /// ([`DEFAULT_READ_TIMEOUT`] unless set): for the head of a request
    /// (from the connection's start, or from the previous answer on a
    /// kept-alive connection), then for its body, and for the peer to take
    /// an answer. A connection whose head is late, that stays idle, or that
    /// does not read its answers is closed; a late body is answered 408.
    /// The limits count the whole wait, not the pause between two bytes: a
    /// head or a body sent a byte at a time is late too.
    ///
    /// A timeout of more than a year is taken as a year (no limit in
    /// practice; the clock cannot count further).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let receiver = lox24::webhook::Receiver::builder()
    ///     .read_timeout(std::time::Duration::from_secs(10))
    ///     .bind("127.0.0.1:0")
    ///     .await?;
    /// # receiver.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout.min(MAX_READ_TIMEOUT);
        self
    }

    /// Binds `addr` and starts serving. Needs a Tokio runtime.
    pub async fn bind(self, addr: impl ToSocketAddrs) -> io::Result<Receiver> {
        let listener = TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        let (sender, events) = mpsc::channel(self.capacity);
        let (stop, stopped) = watch::channel(false);
        let settings = answer::Settings {
            path: self.path.clone(),
            max_body: self.max_body,
            read_timeout: self.read_timeout,
        };
        let limits = serve::Limits {
            max_connections: self.max_connections,
            only_from: self.only_from,
        };
        let task = tokio::spawn(serve::serve(listener, settings, limits, sender, stopped));
        Ok(Receiver {
            addr: local,
            path: self.path,
            events,
            closer: Closer(Arc::new(stop)),
            task: Some(task),
        })
    }
}
