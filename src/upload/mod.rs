//! Uploading any number of phone entries into a group: batched, concurrent,
//! with one outcome per entry in a report that a later run can resume
//! ([`Client::upload_phones`](crate::Client::upload_phones)).

mod batch;
mod created_ids;
mod engine;
mod exactly_once;
mod fingerprint;
pub(crate) mod group_read;
mod limit;
mod outcome;
mod progress;
mod reconcile;
mod report;
mod request;
mod slot;
pub(crate) mod wire;

use std::{
    borrow::Cow,
    future::{Future, IntoFuture},
    pin::Pin,
};

use futures_core::Stream;
use futures_util::{FutureExt, StreamExt, stream};

pub use exactly_once::DEFAULT_ROUNDS;
pub use fingerprint::InputFingerprint;
pub use group_read::GroupSource;
pub use outcome::{NotSentReason, Outcome, Rejection, UnknownReason};
pub use progress::{Phase, Progress};
pub use reconcile::{Baseline, ReconcileRound, Reconciliation};
pub use report::{
    BatchFailure, FailureRecord, REPORT_FORMAT, ReportFileError, Stop, Summary, UploadReport,
};

use crate::{Client, GroupId, PhoneEntry, RetryPolicy, number::PhonePolicy};

/// Entries per request unless [`Upload::batch_size`] says otherwise.
///
/// LOX24 documents no maximum. A batch of 1000 numbers is a request of
/// about 30 KB and an answer of about 200 KB (LOX24 echoes every stored
/// entry): small for any proxy, and quick to store well within the
/// client's 100 s timeout. Every request pays a fixed cost: on the loopback
/// benchmark (`cargo bench --bench upload`), batches of 100 reach about
/// half the throughput of batches of 1000 and 250 about four fifths, while
/// 500 to 5000 stay within the benchmark's noise of each other; over the internet each request also
/// pays a round trip of tens of milliseconds, which larger batches share
/// out. Against that, a failed request leaves its whole batch `Unknown` or
/// `NotSent`. 1000 amortises the fixed cost well and keeps a failure small.
pub const DEFAULT_BATCH_SIZE: usize = 1000;

/// The most entries sent in one request, whatever [`Upload::batch_size`]
/// asks: its answer (about 200 bytes per entry, 2 MB) stays far below
/// [`crate::DEFAULT_MAX_ANSWER_BYTES`], and a failed request leaves no more
/// than this many entries `Unknown`.
pub const MAX_BATCH_SIZE: usize = 10_000;

/// Requests on their way at once where the adaptive limit starts, and the
/// usual choice of a fixed concurrency ([`Upload::concurrency`]).
///
/// With a server that takes time to answer, throughput is
/// `batch size × concurrency / latency`: with 20 ms of latency per request
/// the benchmark's engine stays within 10 % of that ideal at 4. On
/// loopback, where CPU is the limit, 1 reaches about half the throughput
/// of 4, and 8 gains nothing over it. Until the first answer proves the
/// credentials, an upload sends one request at a time whatever this
/// setting, and stops at the first that gets no answer (see
/// [`Error::LockedOut`](crate::Error::LockedOut)).
pub const DEFAULT_CONCURRENCY: usize = 4;

/// The most requests on their way at once that the adaptive limit reaches
/// unless [`Upload::max_concurrency`] says otherwise.
///
/// The limit grows only while the latency of a batch shows no queue at
/// LOX24, so this is a safety cap rather than the usual operating point.
pub const DEFAULT_MAX_CONCURRENCY: usize = 32;

/// Entries read and not yet reported, at most, unless
/// [`Upload::reorder_window`] says otherwise.
///
/// Outcomes are reported in input order, so the entries after a slow batch
/// wait for it; the window is how far the upload goes on sending meanwhile.
/// 100,000 entries lets a batch of 1000 hang for as long as 100 others take
/// (at the default limit, a few seconds of a slow server), and costs at
/// most a few MB: a read entry is held as its request body (about 40
/// bytes) until it is answered, then as its outcome (8 to 24 bytes).
pub const DEFAULT_REORDER_WINDOW: usize = 100_000;

/// An upload of phone entries into a group, configured and then awaited.
///
/// Made by [`Client::upload_phones`] (an iterator), [`Client::upload_phone_stream`]
/// (a [`Stream`]) or [`Client::resume_upload`]. Awaiting it returns the
/// [`UploadReport`]; it never fails as a whole, since the report says what
/// happened to every entry and [`UploadReport::error`] what stopped it.
///
/// What it does:
///
/// - **Streams its input.** Entries are read as batches are sent; at most
///   [`Upload::reorder_window`] entries are held at once, whatever the
///   input's length. A slow batch holds back the report of the entries
///   after it, but not the sending of the batches after it.
///   The report keeps an outcome per entry (8 bytes for a created entry with
///   LOX24's numeric ids); with [`Upload::keep_created`] off, memory stays
///   flat whatever the number of entries.
/// - **Checks each entry locally** against LOX24's limits (phone present and
///   at most 30 characters, columns at most 1530, callback data at most 36).
///   An entry that fails is `Rejected` with the reason and never sent; the
///   others go on.
/// - **Sends batches concurrently**, one at a time until the first answer
///   proves the credentials, so wrong credentials cost one request. The
///   number of requests on their way adapts to LOX24 (see
///   [`Upload::max_concurrency`]): it grows while the latency of a batch
///   holds, and falls when it rises (a queue at LOX24) or on a 503; or it is
///   fixed ([`Upload::concurrency`]). [`Progress::concurrency_limit`] shows it.
/// - **Retries what is safe** with the client's [`RetryPolicy`] (or
///   [`Upload::retry`]): a refused connection, a 503. A batch that may have
///   reached LOX24 (timeout, lost connection, 500, 502, 504) is reported
///   `Unknown` rather than sent twice, unless the policy is
///   [at least once](RetryPolicy::at_least_once).
/// - **Stops** on a 401, 402, 403, 404, 429, when LOX24 stays unreachable or
///   unavailable after the retries, or on cancellation ([`Upload::cancel_on`]):
///   no new request starts, the ones on their way finish and are reported,
///   the rest is `NotSent`.
/// - **Reports** every entry once, in input order (see [`Outcome`]), with
///   counts, request ids and progress on the way ([`Upload::on_progress`]).
///
/// It runs on tokio, like the client: each request is a task of its own,
/// so that answers are decoded on any worker of the runtime. Dropping the
/// upload before it ends aborts its requests (and loses the report:
/// prefer [`Upload::cancel_on`]).
///
/// ```no_run
/// # async fn run(client: lox24::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use lox24::{GroupId, PhoneEntry};
///
/// // Any iterator: nothing is collected.
/// let phones = (0..250_000).map(|i| PhoneEntry::new(format!("+4917{i:08}")));
///
/// let (cancel, cancelled) = tokio::sync::oneshot::channel::<()>();
/// let report = client
///     .upload_phones(&GroupId::new(7117), phones)
///     .on_progress(|p| eprintln!("{} of {:?} done, {} in flight", p.done, p.total, p.in_flight))
///     .cancel_on(async move { let _ = cancelled.await; })
///     .await;
/// drop(cancel);
///
/// println!("{report}");
/// std::fs::write("upload-report.json", serde_json::to_vec(&report)?)?;
/// # Ok(()) }
/// ```
#[must_use = "an upload does nothing until it is awaited"]
pub struct Upload<'a> {
    client: &'a Client,
    group: GroupId,
    input: stream::BoxStream<'a, Cow<'a, PhoneEntry>>,
    options: engine::Options,
    resuming: Option<UploadReport>,
    on_progress: Option<engine::OnProgress<'a>>,
    on_outcome: Option<engine::OnOutcome<'a>>,
    cancel: Option<futures_util::future::BoxFuture<'a, ()>>,
}

impl<'a> Upload<'a> {
    fn new(
        client: &'a Client,
        group: GroupId,
        input: stream::BoxStream<'a, Cow<'a, PhoneEntry>>,
        resuming: Option<UploadReport>,
    ) -> Self {
        Self {
            client,
            group,
            input,
            options: engine::Options {
                batch_size: DEFAULT_BATCH_SIZE,
                concurrency: engine::Concurrency::Adaptive {
                    max: DEFAULT_MAX_CONCURRENCY,
                },
                reorder_window: DEFAULT_REORDER_WINDOW,
                retry: None,
                keep_created: true,
                resend_unknown: false,
                phone_policy: PhonePolicy::default(),
                exactly_once: None,
                reconcile_after: std::time::Duration::ZERO,
            },
            resuming,
            on_progress: None,
            on_outcome: None,
            cancel: None,
        }
    }

    /// Entries per request (default [`DEFAULT_BATCH_SIZE`]; 0 counts as 1,
    /// more than [`MAX_BATCH_SIZE`] as [`MAX_BATCH_SIZE`]).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client, phones: Vec<lox24::PhoneEntry>) {
    /// // Smaller batches, more of them at once (a fast link, a patient server).
    /// let report = client
    ///     .upload_phones(&lox24::GroupId::new(7), phones)
    ///     .batch_size(500)
    ///     .concurrency(8)
    ///     .await;
    /// # }
    /// ```
    pub fn batch_size(mut self, entries: usize) -> Self {
        self.options.batch_size = entries.clamp(1, MAX_BATCH_SIZE);
        self
    }

    /// A fixed number of requests on their way at once (0 counts as 1),
    /// instead of the adaptive limit: for a server whose capacity is known.
    ///
    /// ```
    /// use lox24::PhoneEntry;
    /// use lox24_sandbox::Operation;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = lox24_sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client()?;
    /// # let group = client
    /// #     .create_group(&lox24::NewGroup::new("Newsletter"))
    /// #     .await?;
    /// let phones: Vec<PhoneEntry> = (0..250)
    ///     .map(|i| PhoneEntry::new(format!("+49170{i:07}")))
    ///     .collect();
    /// let upload = client.upload_phones(&group.id, &phones);
    /// let report = upload.batch_size(100).concurrency(2).await;
    /// assert_eq!(report.summary().created, 250);
    /// assert_eq!(sandbox.requests(Operation::AddPhonesBatch), 3); // 100, 100 and 50
    /// # Ok(()) }
    /// ```
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.options.concurrency = engine::Concurrency::Fixed(requests.max(1));
        self
    }

    /// The adaptive limit of requests on their way at once (the default),
    /// with this maximum (default [`DEFAULT_MAX_CONCURRENCY`]; 0 counts as 1).
    ///
    /// The limit starts at [`DEFAULT_CONCURRENCY`] (or the maximum, if
    /// lower) and follows TCP Vegas: it doubles, then grows by one, while
    /// the latency of a full batch stays near the lowest seen; when the
    /// latency shows more than a few batches queued at LOX24 (4, or
    /// `6 × log10(limit)`), it drops to the number LOX24 serves at once
    /// (estimated from the latencies) plus a small queue;
    /// a 503 or a 429 halves it. It changes at most once per round of
    /// answers, on their mean latency with each capped at twice the median,
    /// so one slow batch does not move it.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client, phones: Vec<lox24::PhoneEntry>) {
    /// let report = client
    ///     .upload_phones(&lox24::GroupId::new(7), phones)
    ///     .max_concurrency(8)
    ///     .on_progress(|p| eprintln!("{} requests at once", p.concurrency_limit))
    ///     .await;
    /// # }
    /// ```
    pub fn max_concurrency(mut self, requests: usize) -> Self {
        self.options.concurrency = engine::Concurrency::Adaptive {
            max: requests.max(1),
        };
        self
    }

    /// How many entries may be read and not yet reported (default
    /// [`DEFAULT_REORDER_WINDOW`]): the bound on the upload's memory while
    /// a slow batch holds back the report of those after it. Never fewer
    /// than the batches the concurrency keeps busy, and one more.
    ///
    /// ```
    /// use lox24::PhoneEntry;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = lox24_sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client()?;
    /// # let group = client
    /// #     .create_group(&lox24::NewGroup::new("Newsletter"))
    /// #     .await?;
    /// let phones: Vec<PhoneEntry> = (0..250)
    ///     .map(|i| PhoneEntry::new(format!("+49170{i:07}")))
    ///     .collect();
    /// let mut reported = Vec::new();
    /// let upload = client.upload_phones(&group.id, &phones).batch_size(50);
    /// let report = upload
    ///     .reorder_window(200)
    ///     .on_outcome(|index, _, _| reported.push(index))
    ///     .await;
    /// assert_eq!(report.summary().created, 250);
    /// assert!(reported.iter().copied().eq(0..250)); // in input order
    /// # Ok(()) }
    /// ```
    pub fn reorder_window(mut self, entries: usize) -> Self {
        self.options.reorder_window = entries;
        self
    }

    /// The retry policy of this upload's requests, instead of the client's.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client, phones: Vec<lox24::PhoneEntry>) {
    /// // Duplicates are acceptable here: repeat batches whose fate is unknown.
    /// let policy = lox24::RetryPolicy::default().at_least_once(true);
    /// let report = client.upload_phones(&lox24::GroupId::new(7), phones).retry(policy).await;
    /// # }
    /// ```
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// How each entry's number is read before it is sent: by default
    /// ([`PhonePolicy::Normalize`] without a country) the international
    /// forms (`+49…`, `0049…`, with spaces or dashes) are
    /// rewritten to E.164 and anything that cannot be a number is rejected
    /// locally; give a country to complete national numbers, or choose
    /// [`PhonePolicy::Strict`] or [`PhonePolicy::PassThrough`]. The report
    /// names each entry by the number as it was sent.
    ///
    /// ```no_run
    /// use lox24::number::{Country, PhonePolicy};
    /// # async fn run(client: lox24::Client) {
    /// let phones = [lox24::PhoneEntry::new("0170 1234567")]; // sent as +491701234567
    /// let report = client
    ///     .upload_phones(&lox24::GroupId::new(7), &phones)
    ///     .phone_policy(PhonePolicy::Normalize(Country::from_iso("DE").ok()))
    ///     .await;
    /// # }
    /// ```
    pub fn phone_policy(mut self, policy: PhonePolicy) -> Self {
        self.options.phone_policy = policy;
        self
    }

    /// Whether the report keeps the outcome of every entry (the default), or
    /// only of those not created. A created entry with a numeric id (as
    /// LOX24 gives them) costs 8 bytes in the report, so a million cost
    /// 8 MB; turn this off to keep memory flat whatever the number of
    /// entries, and take the ids from [`Upload::on_outcome`] as they come.
    ///
    /// ```
    /// use lox24::PhoneEntry;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = lox24_sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client()?;
    /// # let group = client
    /// #     .create_group(&lox24::NewGroup::new("Newsletter"))
    /// #     .await?;
    /// let phones = [PhoneEntry::new("+491701234567"), PhoneEntry::new("")];
    /// let report = client
    ///     .upload_phones(&group.id, &phones)
    ///     .keep_created(false)
    ///     .await;
    /// assert_eq!(report.summary().created, 1);
    /// // Only the entry that was not created is kept.
    /// let kept: Vec<u64> = report.entries().map(|(index, _)| index).collect();
    /// assert_eq!(kept, [1]);
    /// # Ok(()) }
    /// ```
    pub fn keep_created(mut self, keep: bool) -> Self {
        self.options.keep_created = keep;
        self
    }

    /// For a resume: also send the entries whose outcome was `Unknown`. LOX24
    /// may have stored them already, so they may end up stored twice.
    /// [Exactly-once mode](Upload::exactly_once) ignores it: it settles them
    /// against the group instead.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client, report: lox24::upload::UploadReport, phones: Vec<lox24::PhoneEntry>) {
    /// // After checking in the LOX24 account that the unknown batches were not stored:
    /// let report = client.resume_upload(report, &phones).resend_unknown(true).await;
    /// # }
    /// ```
    pub fn resend_unknown(mut self, yes: bool) -> Self {
        self.options.resend_unknown = yes;
        self
    }

    /// Exactly once: every entry ends `Created`, `Rejected` or certainly
    /// `NotSent`, and none is stored twice, without idempotency keys (LOX24
    /// has none).
    ///
    /// Before the upload, the group's entry count and highest id are read
    /// (one `GET /groups/{id}`, and for a group that holds entries, its CSV
    /// export once) and kept in the report as its [`Baseline`]. After the
    /// upload, each round reads the group once (the CSV export, streamed;
    /// the listing where the export fails) and matches every `Unknown`
    /// entry to an entry of the group above the baseline, by its number,
    /// columns and callback data, counting identical entries: each becomes
    /// `Created` with LOX24's id, or `NotSent`
    /// ([`NotSentReason::NotInGroup`]). Then the entries certainly not
    /// stored are sent again, and their failures settled by the next round,
    /// up to [`DEFAULT_ROUNDS`] rounds ([`Upload::exactly_once_rounds`]).
    /// An upload stopped by an error (a 402, LOX24 unavailable) is
    /// reconciled but nothing is sent again; a cancelled one ends at once.
    ///
    /// Every step shows in [`Progress::phase`], and in the report's
    /// [`UploadReport::reconciliation`]. [`Upload::on_outcome`] is called
    /// once more for an entry whose `Unknown` or `NotSent` outcome changed,
    /// with the new one. Memory grows with the entries not settled (they
    /// are kept to be matched and sent again), not with the group; the
    /// created ids are kept while the upload runs (8 bytes each), whatever
    /// [`Upload::keep_created`] says for the report.
    ///
    /// A resume in exactly-once mode reconciles against the baseline of the
    /// report it resumes; a report made without it has none, and its
    /// `Unknown` entries stay so.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client, phones: Vec<lox24::PhoneEntry>) {
    /// use lox24::upload::Phase;
    ///
    /// let report = client
    ///     .upload_phones(&lox24::GroupId::new(7), &phones)
    ///     .exactly_once()
    ///     .on_progress(|p| match p.phase {
    ///         Phase::Reconcile => eprintln!("round {}: reading the group", p.round),
    ///         _ => eprintln!("{} of {:?}", p.done, p.total),
    ///     })
    ///     .await;
    /// assert_eq!(report.summary().unknown, 0, "unless LOX24 stayed unreachable");
    /// if let Some(done) = report.reconciliation() {
    ///     println!("{} settled by reconciliation", done.settled());
    /// }
    /// # }
    /// ```
    pub fn exactly_once(mut self) -> Self {
        self.options.exactly_once = Some(self.options.exactly_once.unwrap_or(DEFAULT_ROUNDS));
        self
    }

    /// [`Upload::exactly_once`] with at most `rounds` reconciliations (0
    /// records the baseline only, for a later
    /// [`Client::reconcile_upload`]).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client, phones: Vec<lox24::PhoneEntry>) {
    /// let report = client
    ///     .upload_phones(&lox24::GroupId::new(7), &phones)
    ///     .exactly_once_rounds(2)
    ///     .await;
    /// # }
    /// ```
    pub fn exactly_once_rounds(mut self, rounds: u32) -> Self {
        self.options.exactly_once = Some(rounds);
        self
    }

    /// In exactly-once mode, waits this long before each reading of the
    /// group (default: not at all). A request the client gave up on may
    /// still be carried out by LOX24 a while later; an entry it stores
    /// after the group was read is taken for missing and sent again. The
    /// sandbox stores before it drops or delays an answer, so it needs no
    /// wait; against LOX24, a few seconds make such a late store unlikely.
    /// One that happens anyway shows as [`ReconcileRound::unclaimed`] in a
    /// later round.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client, phones: Vec<lox24::PhoneEntry>) {
    /// let report = client
    ///     .upload_phones(&lox24::GroupId::new(7), &phones)
    ///     .exactly_once()
    ///     .reconcile_after(std::time::Duration::from_secs(10))
    ///     .await;
    /// # }
    /// ```
    pub fn reconcile_after(mut self, wait: std::time::Duration) -> Self {
        self.options.reconcile_after = wait;
        self
    }

    /// Called with a [`Progress`] snapshot whenever it changes (a batch sent
    /// or answered, entries rejected locally).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client, phones: Vec<lox24::PhoneEntry>) {
    /// // As a channel: the latest snapshot, for another task to show.
    /// let (tx, mut rx) = tokio::sync::watch::channel(lox24::upload::Progress::default());
    /// tokio::spawn(async move {
    ///     while rx.changed().await.is_ok() {
    ///         let p = *rx.borrow();
    ///         eprintln!("{}/{:?}, {} rejected", p.done, p.total, p.rejected);
    ///     }
    /// });
    /// let report = client
    ///     .upload_phones(&lox24::GroupId::new(7), phones)
    ///     .on_progress(move |p| { tx.send_replace(*p); })
    ///     .await;
    /// # }
    /// ```
    pub fn on_progress(mut self, callback: impl FnMut(&Progress) + Send + 'a) -> Self {
        self.on_progress = Some(Box::new(callback));
        self
    }

    /// Called with each entry's input index, the entry and its outcome, in
    /// input order, as soon as the outcomes before it are known: to store the
    /// ids LOX24 gave as they come.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client, phones: Vec<lox24::PhoneEntry>) {
    /// use lox24::upload::Outcome;
    ///
    /// let report = client
    ///     .upload_phones(&lox24::GroupId::new(7), &phones)
    ///     .keep_created(false)
    ///     .on_outcome(|index, entry, outcome| {
    ///         if let Outcome::Created { id: Some(id) } = outcome {
    ///             println!("{index}: {} is {id}", entry.phone);
    ///         }
    ///     })
    ///     .await;
    /// # }
    /// ```
    pub fn on_outcome(
        mut self,
        callback: impl FnMut(u64, &PhoneEntry, &Outcome) + Send + 'a,
    ) -> Self {
        self.on_outcome = Some(Box::new(callback));
        self
    }

    /// Stops the upload when `signal` completes: no new request starts, the
    /// ones on their way finish and are reported, the rest is `NotSent`, and
    /// the report says [`Stop::Cancelled`]. (Dropping the upload instead
    /// loses the report, and requests on their way become unknowable.)
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client, phones: Vec<lox24::PhoneEntry>) {
    /// // Any future: a shutdown signal, a timer, a channel.
    /// let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    /// let upload = client
    ///     .upload_phones(&lox24::GroupId::new(7), phones)
    ///     .cancel_on(async { let _ = stopped.await; });
    /// // ... `stop.send(())` from elsewhere ends it early.
    /// # drop(stop);
    /// let report = upload.await;
    /// # }
    /// ```
    pub fn cancel_on(mut self, signal: impl Future<Output = ()> + Send + 'a) -> Self {
        self.cancel = Some(signal.boxed());
        self
    }
}

impl<'a> IntoFuture for Upload<'a> {
    type Output = UploadReport;
    type IntoFuture = Pin<Box<dyn Future<Output = UploadReport> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        if self.options.exactly_once.is_some() {
            Box::pin(exactly_once::run(self))
        } else {
            Box::pin(engine::Engine::new(self).run())
        }
    }
}

impl<'a> From<PhoneEntry> for Cow<'a, PhoneEntry> {
    fn from(entry: PhoneEntry) -> Self {
        Cow::Owned(entry)
    }
}

impl<'a> From<&'a PhoneEntry> for Cow<'a, PhoneEntry> {
    fn from(entry: &'a PhoneEntry) -> Self {
        Cow::Borrowed(entry)
    }
}

impl Client {
    /// Uploads phone entries into a group: any number, from any iterator of
    /// [`PhoneEntry`] or `&PhoneEntry`, in batches sent concurrently, with a
    /// report of every entry's outcome. See [`Upload`] for the options and
    /// what it guarantees.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) {
    /// use lox24::{Column, GroupId, PhoneEntry};
    ///
    /// let phones = vec![
    ///     PhoneEntry::new("+491701234567").column(Column::A, "Anna"),
    ///     PhoneEntry::new("+491701234568").column(Column::A, "Ben"),
    /// ];
    /// let report = client.upload_phones(&GroupId::new(7117), &phones).await;
    /// assert_eq!(report.summary().total(), 2);
    /// # }
    /// ```
    pub fn upload_phones<'a, I>(&'a self, group: &GroupId, phones: I) -> Upload<'a>
    where
        I: IntoIterator + 'a,
        I::IntoIter: Send + 'a,
        I::Item: Into<Cow<'a, PhoneEntry>>,
    {
        self.upload_phone_stream(group, stream::iter(phones))
    }

    /// [`Client::upload_phones`] for an asynchronous [`Stream`] of entries (a
    /// file or a database read as it goes).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) {
    /// use futures_util::{StreamExt, stream};
    /// use lox24::{GroupId, PhoneEntry};
    ///
    /// let phones = stream::iter(["+491701234567", "+491701234568"]).map(PhoneEntry::new);
    /// let report = client.upload_phone_stream(&GroupId::new(7117), phones).await;
    /// # }
    /// ```
    pub fn upload_phone_stream<'a, S>(&'a self, group: &GroupId, phones: S) -> Upload<'a>
    where
        S: Stream + Send + 'a,
        S::Item: Into<Cow<'a, PhoneEntry>>,
    {
        Upload::new(self, *group, phones.map(Into::into).boxed(), None)
    }

    /// Sends what an earlier upload left: given its report and the **same
    /// input in the same order**, sends the entries that are `NotSent`
    /// (including those it never read), and the `Unknown` ones too with
    /// [`Upload::resend_unknown`]. The other entries keep their outcome: the
    /// returned report covers the whole input again.
    ///
    /// Nothing is sent before the input has been checked against the
    /// report's [`InputFingerprint`]: the entries the report covers are
    /// read first (those to send are held, as request bodies, meanwhile).
    /// Another input (an entry changed, fewer entries) ends the resume with
    /// an [`Error::Validation`](crate::Error::Validation) naming the field
    /// `input` (or `[i].phone` for a number that differs from the one the
    /// report names), and the report comes back as it was.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client, phones: Vec<lox24::PhoneEntry>) -> Result<(), Box<dyn std::error::Error>> {
    /// let saved = std::fs::read("upload-report.json")?;
    /// let report: lox24::upload::UploadReport = serde_json::from_slice(&saved)?;
    /// let report = client.resume_upload(report, &phones).await;
    /// assert_eq!(report.summary().total(), phones.len() as u64);
    /// # Ok(()) }
    /// ```
    pub fn resume_upload<'a, I>(&'a self, report: UploadReport, phones: I) -> Upload<'a>
    where
        I: IntoIterator + 'a,
        I::IntoIter: Send + 'a,
        I::Item: Into<Cow<'a, PhoneEntry>>,
    {
        self.resume_upload_stream(report, stream::iter(phones))
    }

    /// [`Client::resume_upload`] for an asynchronous [`Stream`] of entries.
    ///
    /// ```
    /// use futures_util::stream;
    /// use lox24::PhoneEntry;
    /// use lox24_sandbox::Operation;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sandbox = lox24_sandbox::Sandbox::start().await?;
    /// # let client = sandbox.client()?;
    /// # let group = client
    /// #     .create_group(&lox24::NewGroup::new("Newsletter"))
    /// #     .await?;
    /// let phones = [
    ///     PhoneEntry::new("+491701234567"),
    ///     PhoneEntry::new("+491701234568"),
    /// ];
    /// let report = client.upload_phones(&group.id, &phones).await;
    ///
    /// // The same entries again, as a stream: those created are not sent again.
    /// let resumed = client
    ///     .resume_upload_stream(report, stream::iter(&phones))
    ///     .await;
    /// assert_eq!(resumed.summary().created, 2);
    /// assert_eq!(sandbox.requests(Operation::AddPhonesBatch), 1);
    /// # Ok(()) }
    /// ```
    pub fn resume_upload_stream<'a, S>(&'a self, report: UploadReport, phones: S) -> Upload<'a>
    where
        S: Stream + Send + 'a,
        S::Item: Into<Cow<'a, PhoneEntry>>,
    {
        let keep_created = report.keeps_created();
        let group = report.group();
        Upload::new(self, group, phones.map(Into::into).boxed(), Some(report))
            .keep_created(keep_created)
    }
}
