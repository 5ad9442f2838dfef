//! An offline LOX24: a stateful, in-memory HTTP server that speaks LOX24's
//! API, for trying the client, testing code that uses it, and benchmarks,
//! without an account and without sending (or paying for) a single SMS.
//! Feature `sandbox`.
//!
//! ```
//! use lox24::{NewGroup, sandbox::Sandbox};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = Sandbox::start().await?; // 127.0.0.1, a free port
//! let client = sandbox.client()?; // or Client::builder().token(…).base_url(sandbox.base_url())
//!
//! let group = client.create_group(&NewGroup::new("Newsletter")).await?;
//! assert_eq!(group.iri().as_str(), "/groups/1");
//!
//! sandbox.shutdown().await; // or just drop it
//! # Ok(()) }
//! ```
//!
//! # What it serves
//!
//! Every operation in [`Operation`]: groups (create, list, read, update,
//! delete, CSV export), their entries (one, in batches, list, read, update,
//! delete) and bulk campaigns (create, dry run, list with LOX24's filters
//! and ordering, read, status, cancel, delete), as LOX24 documents them:
//!
//! - **Credentials.** `X-LOX24-AUTH-TOKEN` must be one of the configured
//!   tokens ([`DEFAULT_TOKEN`] unless [`SandboxBuilder::credentials`] says
//!   otherwise), else 401. More than three wrong requests from one IP
//!   address within a minute block it for ten minutes: every request then
//!   gets 429.
//! - **Validation** with the spec's limits (`lox24::limits` and the generated
//!   request types): malformed JSON or a wrong type is a 400, broken rules a
//!   422 listing every violation, in problem-details form for
//!   `application/json` and as a Hydra constraint-violation list for
//!   `application/ld+json`. Entry numbers must be phone numbers in one of
//!   the forms LOX24 accepts; they are stored in E.164 form.
//! - **Representations** by `Accept`: plain JSON, or JSON-LD with `@id`
//!   IRIs and Hydra collections (`hydra:member`, `hydra:totalItems`,
//!   `hydra:view` with first/last/next/previous links; see
//!   [`SandboxBuilder::page_size`]). Ids are assigned from 1; campaign ids
//!   are UUIDs.
//! - **Batches** answer 201 with one `{status, body}` per entry in request
//!   order; an invalid entry gets its own 400 or 422 and problem body while
//!   the others are stored.
//! - **Campaigns** move from new (0) to in progress (5) to processed (10) in
//!   simulated time ([`BulkTiming`], driven by the [`Clock`]); a scheduled
//!   one stays new until its `delivery_at`. Cancelling works while new or in
//!   progress (→ 15), else 422. A campaign whose recipients resolve to nobody
//!   is 201 (no recipients found) at once. `msg_total_count` counts the
//!   messages created so far (recipients × SMS parts of the personalised
//!   text) and `msg_total_cost` prices them
//!   ([`SandboxBuilder::price_per_message`]); a dry run answers with the
//!   totals the campaign would have and stores nothing.
//! - **`X-LOX24-REQUEST-ID`** (32 alphanumerics, unique) on every answer.
//!
//! Deliberate simplifications: all credentials share one account; a deleted
//! group is gone at once (`deleted_at` stays null); `PUT /groups/{id}`
//! ignores `phones`; no delivery reports or webhooks.
//!
//! # Faults
//!
//! [`Fault`]s, per operation or for all, at start
//! ([`SandboxBuilder::fault`]) or at any time ([`Sandbox::set_fault`]):
//! latency, a share of 5xx answers, connections dropped before or after the
//! request is processed (the latter leaves the client not knowing whether
//! it took effect), forced 402 / 403. The shares are drawn from a seed
//! ([`SandboxBuilder::seed`]), so a run can be replayed exactly.
//!
//! # Tests that control time
//!
//! ```
//! use std::time::Duration;
//! use lox24::{BulkStatus, NewBulk, sandbox::{ManualClock, Sandbox}};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let clock = ManualClock::new();
//! let sandbox = Sandbox::builder().clock(clock.clone()).start().await?;
//! let client = sandbox.client()?;
//!
//! let bulk = client.create_bulk(&NewBulk::new("Shop", "Hi").to_phone("+491701234567")).await?;
//! assert_eq!(bulk.status_code, BulkStatus::New);
//!
//! clock.advance(Duration::from_secs(60)); // no sleeping
//! let status: serde_json::Value = reqwest::Client::new()
//!     .get(format!("{}/bulks/{}/status", sandbox.base_url(), bulk.uuid))
//!     .header("X-LOX24-AUTH-TOKEN", lox24::sandbox::DEFAULT_TOKEN)
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! assert_eq!(status["status_code"], 10); // processed
//! # Ok(()) }
//! ```

mod auth;
mod clock;
mod context;
mod faults;
mod handlers;
mod hydra;
mod lifecycle;
mod problem;
mod random;
mod recipients;
mod reply;
mod routes;
mod server;
mod state;
mod store;
mod text;
mod validation;

use std::{
    fmt,
    future::Future,
    io,
    net::{Ipv4Addr, SocketAddr},
    sync::Arc,
};

use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

pub use clock::{Clock, ManualClock, SystemClock};
pub use faults::Fault;
pub use lifecycle::BulkTiming;
pub use routes::Operation;

use crate::{Client, Credentials, Error, phone::Country};

/// The token the sandbox accepts unless told otherwise (customer id
/// `1000001`). It is not a secret: it works nowhere but in a sandbox.
pub const DEFAULT_TOKEN: &str = "1000001:sandbox0123456789abcdef0123456789";

/// A running sandbox. It stops when dropped or when [`Sandbox::shutdown`]
/// is awaited; its data is gone then.
pub struct Sandbox {
    base_url: String,
    addr: SocketAddr,
    credentials: Credentials,
    shared: Arc<state::Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts a sandbox with the default settings on 127.0.0.1 and a free
    /// port. Needs a Tokio runtime.
    pub async fn start() -> io::Result<Self> {
        Self::builder().start().await
    }

    /// Settings for a sandbox.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// `http://127.0.0.1:<port>`, to give to [`crate::ClientBuilder::base_url`].
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The first credentials it accepts.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// A client for this sandbox with its first credentials and the default
    /// timeouts.
    pub fn client(&self) -> Result<Client, Error> {
        Client::builder()
            .credentials(self.credentials.clone())
            .base_url(self.base_url.clone())
            .build()
    }

    /// Sets the fault of one operation, replacing any (the fault for all
    /// operations no longer applies to it).
    pub fn set_fault(&self, operation: Operation, fault: Fault) {
        self.shared.faults.set(Some(operation), Some(fault));
    }

    /// Sets the fault of every operation that has none of its own.
    pub fn set_fault_all(&self, fault: Fault) {
        self.shared.faults.set(None, Some(fault));
    }

    /// Removes every fault.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// How many requests for this operation arrived (whatever became of them).
    pub fn requests(&self, operation: Operation) -> u64 {
        self.shared.stats.received(operation)
    }

    /// How many requests for this operation reached its handler, i.e. passed
    /// faults and credentials, whatever the handler answered. A request
    /// dropped after processing counts; one dropped before does not.
    pub fn handled(&self, operation: Operation) -> u64 {
        self.shared.stats.handled(operation)
    }

    /// Serves until `signal` completes (Ctrl-C, say), then shuts down.
    ///
    /// ```no_run
    /// # async fn run(stop_requested: tokio::sync::oneshot::Receiver<()>) -> std::io::Result<()> {
    /// let sandbox = lox24::sandbox::Sandbox::builder().port(8080).start().await?;
    /// println!("LOX24 sandbox on {}", sandbox.base_url());
    /// sandbox.run_until(async { stop_requested.await.ok(); }).await;
    /// # Ok(()) }
    /// ```
    pub async fn run_until(self, signal: impl Future<Output = ()>) {
        signal.await;
        self.shutdown().await;
    }

    /// Stops accepting connections and waits (up to five seconds) for
    /// requests in flight to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // The server task finishes the requests in flight on its own.
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

/// Settings of a [`Sandbox`].
///
/// ```
/// use std::time::Duration;
/// use lox24::sandbox::{BulkTiming, Fault, ManualClock, Operation, Sandbox};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let sandbox = Sandbox::builder()
///     .credentials("42:test-key".parse().expect("a token"))
///     .clock(ManualClock::new())
///     .page_size(10)
///     .bulk_timing(BulkTiming { queued: Duration::ZERO, processing: Duration::from_secs(30) })
///     .price_per_message(0.055)
///     .seed(7)
///     .fault(Operation::AddPhonesBatch, Fault::new().server_errors(0.1))
///     .start()
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use]
pub struct SandboxBuilder {
    addr: SocketAddr,
    credentials: Vec<Credentials>,
    clock: Arc<dyn Clock>,
    page_size: usize,
    timing: BulkTiming,
    price_per_message: f64,
    country: Option<Country>,
    seed: Option<u64>,
    faults: Vec<(Option<Operation>, Fault)>,
    max_body: usize,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            credentials: Vec::new(),
            clock: Arc::new(SystemClock),
            page_size: 30,
            timing: BulkTiming::default(),
            price_per_message: 0.07,
            country: Country::from_iso("DE"),
            seed: None,
            faults: Vec::new(),
            max_body: 64 * 1024 * 1024,
        }
    }
}

impl SandboxBuilder {
    /// Listens on 127.0.0.1 at this port (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        self
    }

    /// Listens on this address, which must be a loopback one (127.0.0.0/8
    /// or ::1): the sandbox is for this machine only.
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Accepts these credentials too. The first given has key id 1, the next
    /// 2, and so on; without any, [`DEFAULT_TOKEN`] is accepted.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials.push(credentials);
        self
    }

    /// Reads the time from this clock (default: the system's).
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Items per page of collections (default 30, API Platform's default;
    /// LOX24 does not document its own). At least 1.
    pub fn page_size(mut self, size: usize) -> Self {
        self.page_size = size.max(1);
        self
    }

    /// How fast campaigns move along (default: 1 s queued, 2 s processing).
    pub fn bulk_timing(mut self, timing: BulkTiming) -> Self {
        self.timing = timing;
        self
    }

    /// The price of one message (one SMS part, or one call), default 0.07.
    /// Negative or non-finite prices count as 0.
    pub fn price_per_message(mut self, price: f64) -> Self {
        self.price_per_message = if price.is_finite() {
            price.max(0.0)
        } else {
            0.0
        };
        self
    }

    /// The account's country, used to read national numbers such as
    /// `01701234567` as LOX24 does (default Germany).
    ///
    /// ```
    /// # async fn run() -> std::io::Result<()> {
    /// use lox24::{phone::Country, sandbox::Sandbox};
    ///
    /// let french = Sandbox::builder().country(Country::from_iso("FR").unwrap()).start().await?;
    /// # Ok(()) }
    /// ```
    pub fn country(mut self, country: Country) -> Self {
        self.country = Some(country);
        self
    }

    /// Makes ids, request ids and fault draws repeat from run to run.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Injects a fault into one operation.
    pub fn fault(mut self, operation: Operation, fault: Fault) -> Self {
        self.faults.push((Some(operation), fault));
        self
    }

    /// Injects a fault into every operation that has none of its own.
    pub fn fault_all(mut self, fault: Fault) -> Self {
        self.faults.push((None, fault));
        self
    }

    /// Binds the address and starts serving in the background of the current
    /// Tokio runtime.
    pub async fn start(self) -> io::Result<Sandbox> {
        if !self.addr.ip().is_loopback() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "the sandbox listens on loopback addresses only, not {}",
                    self.addr.ip()
                ),
            ));
        }
        let mut credentials = self.credentials;
        if credentials.is_empty() {
            credentials.push(
                Credentials::from_token(DEFAULT_TOKEN)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?,
            );
        }
        let tokens = credentials
            .iter()
            .map(|c| c.header_value().to_str().unwrap_or_default().to_owned())
            .collect();
        let seed = self.seed.unwrap_or_else(random::fresh_seed);
        let faults = faults::Faults::new(seed);
        for (operation, fault) in self.faults {
            faults.set(operation, Some(fault));
        }
        let settings = state::Settings {
            page_size: self.page_size,
            timing: self.timing,
            price_micros: (self.price_per_message * 1e6).round() as u64,
            country: self.country,
            max_body: self.max_body,
        };
        let shared = Arc::new(state::Shared::new(
            settings,
            self.clock,
            auth::Auth::new(tokens),
            faults,
            random::Ids::new(seed),
        ));

        let listener = TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(server::serve(listener, shared.clone(), stopped));
        Ok(Sandbox {
            base_url: format!("http://{addr}"),
            addr,
            credentials: credentials.swap_remove(0),
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }
}
