//! An offline LOX24: a stateful, in-memory HTTP server that speaks LOX24's
//! API, for trying the client, testing code that uses it, and benchmarks,
//! without an account and without sending (or paying for) a single SMS.
//!
//! ```
//! use lox24::NewGroup;
//! use lox24_sandbox::Sandbox;
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
//! Every operation of LOX24's document, each an [`Operation`], as LOX24
//! documents it:
//!
//! - **Groups and entries**: create, list, read, update, delete, CSV
//!   export; entries one by one or in batches.
//! - **Campaigns** (`/bulks`): create, dry run, list with LOX24's filters
//!   and ordering, read, status, cancel, delete. They move from new (0) to
//!   in progress (5) to processed (10) in simulated time ([`BulkTiming`],
//!   driven by the [`Clock`]); a scheduled one stays new until its
//!   `delivery_at`. Cancelling works while new or in progress (→ 15), else
//!   422. A campaign whose recipients resolve to nobody is 201 (no
//!   recipients found) at once. While processed, it creates one message per
//!   recipient, evenly over the processing time, with its `bulk_id`, the
//!   personalised text and the `callback_data` of the group entry the
//!   number came from. `msg_total_count` counts the SMS parts created so
//!   far and `msg_total_cost` prices them
//!   ([`SandboxBuilder::price_per_message`]); a dry run answers with the
//!   totals the campaign would have and stores nothing.
//! - **Messages** (`/sms`): send, dry run (LOX24's placeholder id
//!   `11111111-2222-3333-4444-555555555555`, nothing stored or charged),
//!   read, delete, list with the filters the client sends (`bulk`, `uuid`,
//!   `status_code`, `dlr_code`, `callback_data`, `phone`, `is_sent`,
//!   `created_at[…]`, `_order[created_at|gateway_sent_at]`), batch cancel
//!   and delete (`{"deleted_sms_count": n}`). A message is new (status 0)
//!   until it is handed to the network (100), then its delivery report is
//!   en route (4), and after [`MessageTiming`] its final report comes: the
//!   **number's last digit decides** it, so that tests can predict it: `…8`
//!   expires (2 queued, then 8), `…6` is rejected (16), any other is
//!   delivered (1). Parts and price come from the text (GSM 7-bit or
//!   UCS-2, as the client counts them) at [`SandboxBuilder::price_per_message`]
//!   per part (a voice call is one).
//! - **The account** (`/me`): id, balance in EUR, services and groups. The
//!   balance starts at [`SandboxBuilder::balance`]; every message sent,
//!   alone or by a campaign, is paid when it is accepted, and what the
//!   balance cannot pay is refused with 402 and not stored. A message
//!   cancelled or deleted before it is sent, and a cancelled campaign's
//!   messages not created yet, are refunded. Dry runs cost nothing.
//! - **Blocked numbers**: list (filter `type`), block (`+` and 4 to 20
//!   digits; 409 when blocked already), read, unblock. A message to a
//!   blocked number, alone or in a campaign, is created with status 208
//!   ("the number or its network is blocked"), costs nothing and is never
//!   sent; it is reported once with status 208 and dlr 0.
//! - **Replies** (`/incomings`): list (filters `from`, `to`, `msg_uuid`,
//!   `text`; `_order[received_at]`), read, delete. Replies come from rules
//!   ([`SandboxBuilder::auto_reply`]: "numbers ending in 9 answer STOP",
//!   when their message is delivered) and from [`Sandbox::simulate_reply`].
//! - **Fraud checks**: create, list, read, delete; new (0), in progress (5)
//!   and done (10) on the same timing as a message, with a risk score from
//!   0 to 100 fixed by what was checked. Not charged.
//! - **Short links**: short-link campaigns (create, list, read, update,
//!   delete, subscription and unsubscription links, whose form is at
//!   `https://sandbox.invalid/…`). The sandbox's messages carry no short
//!   links, so the lists of short links, clicks and requests are empty and
//!   a single short link or request is 404.
//! - **Webhook events** ([`SandboxBuilder::webhook`], a URL on this machine
//!   only): `sms.delivery` when a message gets its final report (or is
//!   blocked), `sms.delivery.dryrun` (status 0) for a dry run,
//!   `sms.incoming` for a reply, `fraud-check.done` (the check as `GET
//!   /fraud-checks/{id}` shows it, plus `check_id`), each in LOX24's
//!   envelope `{id, api_version: "2022-05-25", name, created_at,
//!   attempt_total: 4, attempt_number, data, notification_task_id}`. An
//!   attempt that does not get a 2xx is repeated with the same `id`, the
//!   next `attempt_number` and a new `notification_task_id`, 10 s, 1 min
//!   and 10 min of clock time after the attempt before, 4 attempts at
//!   most. Events are posted by a task of their own: no request waits
//!   for a receiver. [`Sandbox::pending_webhooks`] tells when all are out.
//!
//! And for every operation:
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
//!   `application/ld+json`. Numbers must be phone numbers in one of the
//!   forms LOX24 accepts; they are stored in E.164 form.
//! - **Representations** by `Accept`: plain JSON, or JSON-LD with `@id`
//!   IRIs and Hydra collections (`hydra:member`, `hydra:totalItems`,
//!   `hydra:view` with first/last/next/previous links; see
//!   [`SandboxBuilder::page_size`]). Numeric ids are assigned from 1; the
//!   ids of campaigns, messages, replies and fraud checks are UUIDs.
//! - **Batches** answer 201 with one `{status, body}` per entry in request
//!   order; an invalid entry gets its own 400 or 422 and problem body while
//!   the others are stored.
//! - **`X-LOX24-REQUEST-ID`** (32 alphanumerics, unique) on every answer.
//!
//! Deliberate simplifications: all credentials share one account; a deleted
//! group is gone at once (`deleted_at` stays null); `PUT /groups/{id}`
//! ignores `phones`; a message's `iso2` is the account's country for its
//! own numbers and null for others; fraud checks only echo what was asked.
//!
//! # Faults
//!
//! [`Fault`]s, per operation or for all, at start
//! ([`SandboxBuilder::fault`]) or at any time ([`Sandbox::set_fault`]):
//! latency, a share of 5xx answers, connections dropped before or after the
//! request is processed, answers held back after processing (both leave the
//! client not knowing whether it took effect, while the group's listing and
//! CSV export show what was stored), forced 402 / 403. The shares are drawn from a seed
//! ([`SandboxBuilder::seed`]), so a run can be replayed exactly.
//!
//! # Capacity
//!
//! A [`Capacity`] ([`SandboxBuilder::capacity`], [`Sandbox::set_capacity`])
//! makes the batch endpoint a server with limits: so many batches served at
//! once, a service time per entry, a queue where latency grows, 503 past it,
//! and answers held back on purpose ([`Capacity::late`]).
//!
//! # Delivery reports in a test
//!
//! ```no_run
//! use std::time::Duration;
//! use lox24::{NewSms, SmsStatus};
//! use lox24_sandbox::{ManualClock, Sandbox};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let clock = ManualClock::new();
//! let sandbox = Sandbox::builder()
//!     .clock(clock.clone())
//!     .webhook("http://127.0.0.1:9000/lox24") // your receiver
//!     .start()
//!     .await?;
//! let client = sandbox.client()?;
//! let sms = client.send_sms(&NewSms::new("Shop", "Hi", "+491701234567").callback_data("order-17")).await?;
//!
//! clock.advance(Duration::from_secs(3)); // sent, then delivered: sms.delivery is posted
//! assert_eq!(client.get_sms(&sms.uuid).await?.status_code, Some(SmsStatus::Sent));
//! # Ok(()) }
//! ```
//!
//! # Tests that control time
//!
//! ```
//! use std::time::Duration;
//! use lox24::{BulkStatus, NewBulk};
//! use lox24_sandbox::{ManualClock, Sandbox};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let clock = ManualClock::new();
//! let sandbox = Sandbox::builder().clock(clock.clone()).start().await?;
//! let client = sandbox.client()?;
//!
//! let campaign = client.create_bulk(&NewBulk::new("Shop", "Hi").to_phone("+491701234567")).await?;
//! assert_eq!(campaign.status().await?, BulkStatus::New);
//!
//! clock.advance(Duration::from_secs(60)); // no sleeping
//! assert_eq!(campaign.status().await?, BulkStatus::Processed);
//! # Ok(()) }
//! ```

mod auth;
mod capacity;
mod clock;
mod context;
mod faults;
mod handlers;
mod hydra;
mod keyed;
mod lifecycle;
mod messages;
mod problem;
mod random;
mod recipients;
mod records;
mod reply;
mod routes;
mod server;
mod state;
mod store;
mod text;
mod validation;
mod webhooks;

use std::{
    fmt,
    future::Future,
    io,
    net::{Ipv4Addr, SocketAddr},
    sync::Arc,
};

use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

pub use capacity::{Capacity, CapacityStats};
pub use clock::{Clock, ManualClock, SystemClock};
pub use faults::Fault;
pub use lifecycle::BulkTiming;
pub use messages::MessageTiming;
pub use routes::Operation;

use lox24::{Client, Credentials, Error, ReplyId, SmsId, number::Country};

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

    /// `http://127.0.0.1:<port>`, to give to [`lox24::ClientBuilder::base_url`].
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

    /// Sets or removes the capacity of the batch endpoint, from now on:
    /// batches served stay served, waiting ones are let in as the new
    /// capacity allows.
    pub fn set_capacity(&self, capacity: Option<Capacity>) {
        self.shared.capacity.set(capacity);
    }

    /// What the capacity of the batch endpoint did so far.
    pub fn capacity_stats(&self) -> CapacityStats {
        self.shared.capacity.stats()
    }

    /// Answers the late batches ([`Capacity::late`]) held now, at once.
    pub fn release_late(&self) {
        self.shared.capacity.release_late();
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

    /// Makes the recipient of a message answer it with `text`, now (on the
    /// sandbox's clock): the reply is listed under `/incomings` and posted
    /// as `sms.incoming` to the webhook. `None` if there is no such message.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use lox24::{NewSms, ReplyQuery};
    /// use futures_util::TryStreamExt;
    ///
    /// let sandbox = lox24_sandbox::Sandbox::start().await?;
    /// let client = sandbox.client()?;
    /// let sms = client.send_sms(&NewSms::new("Shop", "Still interested?", "+491701234567")).await?;
    /// let reply = sandbox.simulate_reply(&sms.uuid, "STOP").expect("the message exists");
    ///
    /// let replies: Vec<_> = client.list_replies(&ReplyQuery::new()).await?.try_collect().await?;
    /// assert_eq!(replies[0].uuid, reply);
    /// assert_eq!(replies[0].text.as_deref(), Some("STOP"));
    /// # Ok(()) }
    /// ```
    pub fn simulate_reply(&self, sms: &SmsId, text: &str) -> Option<ReplyId> {
        let now = self.shared.clock.now();
        let mut store = self.shared.store();
        let message = store.sms.get(sms.as_str())?;
        let reply = records::IncomingRec {
            uuid: self.shared.ids.uuid(),
            from: message.phone.clone(),
            to: message.sender_id.clone(),
            text: text.to_owned(),
            msg_uuid: Some(message.uuid.clone()),
            received_at: now,
        };
        let id = ReplyId::new(reply.uuid.clone());
        handlers::receive(&self.shared, &mut store, reply);
        Some(id)
    }

    /// Webhook events waiting for their time or their next attempt, plus
    /// attempts being posted: 0 when everything due was delivered or given
    /// up on. Always 0 without a webhook.
    pub fn pending_webhooks(&self) -> u64 {
        self.shared.outbox.pending()
    }

    /// Serves until `signal` completes (Ctrl-C, say), then shuts down.
    ///
    /// ```no_run
    /// # async fn run(stop_requested: tokio::sync::oneshot::Receiver<()>) -> std::io::Result<()> {
    /// let sandbox = lox24_sandbox::Sandbox::builder().port(8080).start().await?;
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
/// use lox24_sandbox::{BulkTiming, Fault, ManualClock, Operation, Sandbox};
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
    message_timing: MessageTiming,
    balance: f64,
    webhook: Option<String>,
    remote_webhook: bool,
    auto_replies: Vec<(String, String)>,
    capacity: Option<Capacity>,
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
            country: Country::from_iso("DE").ok(),
            seed: None,
            faults: Vec::new(),
            max_body: 64 * 1024 * 1024,
            message_timing: MessageTiming::default(),
            balance: 100.0,
            webhook: None,
            remote_webhook: false,
            auto_replies: Vec::new(),
            capacity: None,
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

    /// How fast messages move from new to sent to their final report
    /// (default: 1 s sending, 2 s to the report).
    pub fn message_timing(mut self, timing: MessageTiming) -> Self {
        self.message_timing = timing;
        self
    }

    /// The account's credit at start, in EUR (default 100). Every message
    /// sent, alone or by a campaign, takes its price from it; a message or
    /// campaign it cannot pay is refused with 402. Negative or non-finite
    /// amounts count as 0.
    ///
    /// ```
    /// # async fn run() -> std::io::Result<()> {
    /// // Enough for two one-part messages at the default price.
    /// let sandbox = lox24_sandbox::Sandbox::builder().balance(0.14).start().await?;
    /// # Ok(()) }
    /// ```
    pub fn balance(mut self, eur: f64) -> Self {
        self.balance = if eur.is_finite() { eur.max(0.0) } else { 0.0 };
        self
    }

    /// Posts webhook events to this URL, as LOX24 does: `sms.delivery` when
    /// a message gets its final report, `sms.delivery.dryrun` for a dry run,
    /// `sms.incoming` for a reply, `fraud-check.done`; retried until the
    /// receiver answers 2xx, at most 4 attempts, 10 s, 1 min and 10 min of
    /// clock time after the one before.
    ///
    /// The URL must be `http://` on this machine (127.0.0.0/8, `[::1]` or
    /// `localhost`): [`SandboxBuilder::start`] refuses any other, so that
    /// tests and demos never reach the network, unless
    /// [`SandboxBuilder::allow_remote_webhook`] says otherwise.
    ///
    /// ```
    /// # async fn run() -> std::io::Result<()> {
    /// let sandbox = lox24_sandbox::Sandbox::builder()
    ///     .webhook("http://127.0.0.1:9000/lox24")
    ///     .start()
    ///     .await?;
    /// assert!(lox24_sandbox::Sandbox::builder().webhook("http://10.0.0.1/").start().await.is_err());
    /// # Ok(()) }
    /// ```
    pub fn webhook(mut self, url: impl Into<String>) -> Self {
        self.webhook = Some(url.into());
        self
    }

    /// Lets [`SandboxBuilder::webhook`] be on another machine, e.g. a
    /// receiver in another container. Never needed for tests.
    pub fn allow_remote_webhook(mut self) -> Self {
        self.remote_webhook = true;
        self
    }

    /// Makes numbers ending in `suffix` answer their delivered messages
    /// with `text`, when the message is delivered: a reply under
    /// `/incomings` and an `sms.incoming` event. The first rule a number
    /// matches applies.
    ///
    /// ```
    /// # async fn run() -> std::io::Result<()> {
    /// // Numbers ending in 9 unsubscribe.
    /// let sandbox = lox24_sandbox::Sandbox::builder().auto_reply("9", "STOP").start().await?;
    /// # Ok(()) }
    /// ```
    pub fn auto_reply(mut self, suffix: impl Into<String>, text: impl Into<String>) -> Self {
        self.auto_replies.push((suffix.into(), text.into()));
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
    /// use lox24::number::Country;
    /// use lox24_sandbox::Sandbox;
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

    /// A capacity for the batch endpoint (see [`Capacity`]); none by default.
    pub fn capacity(mut self, capacity: Capacity) -> Self {
        self.capacity = Some(capacity);
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
        let webhook = match &self.webhook {
            Some(url) => Some(
                webhooks::check_url(url, self.remote_webhook)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?,
            ),
            None => None,
        };
        let mut credentials = self.credentials;
        if credentials.is_empty() {
            credentials.push(
                Credentials::from_token(DEFAULT_TOKEN)
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?,
            );
        }
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
            message_timing: self.message_timing,
            balance_micros: (self.balance * 1e6).round() as u64,
            customer_id: credentials[0].customer_id().parse().unwrap_or(1),
            auto_replies: self.auto_replies,
        };
        let shared = Arc::new(state::Shared::new(
            settings,
            self.clock,
            auth::Auth::new(credentials.clone()),
            faults,
            random::Ids::new(seed),
            webhooks::Outbox::new(webhook.is_some()),
        ));
        shared.capacity.set(self.capacity);
        if let Some(url) = webhook {
            tokio::spawn(webhooks::courier::run(Arc::downgrade(&shared), url));
        }

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
