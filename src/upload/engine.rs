//! The driver of an upload: reads the input, batches it, keeps as many
//! requests on their way as the limit allows ([`super::limit`]), and hands
//! the outcomes on in input order.
//!
//! Memory is bounded by the entries between the input and the report: at
//! most the reorder window of entries are read and not yet handed on,
//! whatever the length of the input. A slow batch holds back the handing on
//! of the outcomes after it, not the sending of the batches after it.

use std::{
    borrow::Cow,
    collections::{BTreeMap, VecDeque},
    future::{Future, poll_fn},
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    task::{Context, Poll},
};

use bytes::BytesMut;
use futures_util::{
    FutureExt, StreamExt,
    future::BoxFuture,
    stream::{BoxStream, FuturesUnordered},
    task::AtomicWaker,
};

use super::{
    BatchFailure, FailureRecord, NotSentReason, Outcome, Progress, Rejection, Stop, Summary,
    Upload, UploadReport,
    batch::{Batch, Chunk, SentBatch, prepare},
    fingerprint::{Fingerprinter, InputFingerprint},
    limit::{Limiter, Sample},
    report::Outcomes,
    request,
    slot::{Id, Kind, Slot},
};
use crate::{
    Client, Error, GroupId, PhoneEntry, RetryPolicy,
    number::PhonePolicy,
    transport::{Answer, Load, Lockout},
};

/// The options of an upload.
#[derive(Clone)]
pub(super) struct Options {
    pub batch_size: usize,
    pub concurrency: Concurrency,
    /// Entries read and not yet handed on, at most (but never fewer than
    /// the batches the concurrency can keep busy, and one more).
    pub reorder_window: usize,
    pub retry: Option<RetryPolicy>,
    pub keep_created: bool,
    pub resend_unknown: bool,
    pub phone_policy: PhonePolicy,
    /// Exactly-once mode: at most this many reconciliations.
    pub exactly_once: Option<u32>,
    /// Exactly-once mode: how long to wait before reading the group.
    pub reconcile_after: std::time::Duration,
}

/// How many requests an upload keeps on their way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Concurrency {
    Fixed(usize),
    Adaptive { max: usize },
}

pub(super) type OnProgress<'a> = Box<dyn FnMut(&Progress) + Send + 'a>;
pub(super) type OnOutcome<'a> = Box<dyn FnMut(u64, &PhoneEntry, &Outcome) + Send + 'a>;

/// A request on its way, and what it returns.
struct Sent<'a> {
    chunk: Chunk<'a>,
    batch: SentBatch,
    result: Result<Answer<Vec<Slot>>, Error>,
    load: Load,
    /// What the limit needs besides the load, known when it was sent.
    sent: Sample,
    /// The buffer the answer was read into, for the next request's answer.
    buffer: Option<BytesMut>,
}

/// The requests awaiting LOX24's answer: what the concurrency limits. A
/// request stops counting when its answer has arrived, before it is decoded,
/// so that the next request starts at once.
#[derive(Default)]
struct Awaiting {
    count: AtomicUsize,
    /// The engine, to wake when a request stops counting.
    engine: AtomicWaker,
}

/// Held by a request's task while it awaits its answer.
struct AwaitingAnswer(Arc<Awaiting>);

impl AwaitingAnswer {
    fn new(awaiting: &Arc<Awaiting>) -> Self {
        awaiting.count.fetch_add(1, Ordering::SeqCst);
        Self(awaiting.clone())
    }
}

impl Drop for AwaitingAnswer {
    fn drop(&mut self) {
        self.0.count.fetch_sub(1, Ordering::SeqCst);
        self.0.engine.wake();
    }
}

/// Whether `entry` is the one a report recorded as `kept`: the number as
/// given, or as prepared for sending (the report keeps the number that was
/// sent).
fn same_entry(kept: &str, entry: &PhoneEntry, policy: &PhonePolicy) -> bool {
    kept == entry.phone || prepare(entry, policy).is_ok_and(|sent| sent.phone == kept)
}

/// A request running as a task of its own, so that sending it and decoding
/// its answer run beside the engine (on another worker, where the runtime
/// has several) instead of inside its poll. Dropping the upload aborts it.
struct Task<T>(tokio::task::JoinHandle<T>);

impl<T: Send + 'static> Task<T> {
    fn spawn(future: impl Future<Output = T> + Send + 'static) -> Self {
        Self(tokio::spawn(future))
    }
}

impl<T> Future for Task<T> {
    type Output = T;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        self.0.poll_unpin(cx).map(|joined| match joined {
            Ok(value) => value,
            // Only `Drop` aborts the task, so the error is a panic: pass it on.
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        })
    }
}

impl<T> Drop for Task<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub(super) struct Engine<'a> {
    client: &'a Client,
    group: GroupId,
    options: Options,
    /// `None` once read to the end.
    input: Option<BoxStream<'a, Cow<'a, PhoneEntry>>>,
    /// The input's length, when it says so exactly.
    length_hint: Option<u64>,
    next_index: u64,
    building: Option<(Chunk<'a>, Batch)>,
    /// Complete chunks waiting for a request to start: one, read ahead,
    /// or all of them while a resume checks its input.
    ready: VecDeque<(Chunk<'a>, Batch)>,
    next_seq: u64,
    in_flight: FuturesUnordered<BoxFuture<'a, Sent<'a>>>,
    /// Buffers of answers decoded, for the answers of the next requests: at
    /// most as many as requests may be on their way.
    spare: Vec<BytesMut>,
    awaiting: Arc<Awaiting>,
    limiter: Limiter,
    /// Settled chunks waiting for the ones before them.
    settled: BTreeMap<u64, Chunk<'a>>,
    next_emit: u64,
    /// Entries handed on: the input index of the next one.
    emitted: u64,
    /// The report being resumed.
    resuming: Option<UploadReport>,
    /// The fingerprint of the entries read so far.
    fingerprint: Fingerprinter,
    /// While a resume has not yet checked its input: how many entries the
    /// report covers, and their fingerprint. Nothing is sent meanwhile.
    unchecked: Option<InputFingerprint>,
    /// The input is not the one the report was made from: the report is
    /// handed back as it was.
    mismatch: bool,
    // What is handed on.
    outcomes: Outcomes,
    summary: Summary,
    request_ids: Vec<String>,
    failed_batches: Vec<BatchFailure>,
    progress: Progress,
    reported: Option<Progress>,
    on_progress: Option<OnProgress<'a>>,
    on_outcome: Option<OnOutcome<'a>>,
    cancel: Option<BoxFuture<'a, ()>>,
    stop: Option<Stop>,
    error: Option<Error>,
    /// Whether the entries whose outcome is `Unknown` or `NotSent` are kept
    /// (exactly-once mode settles and resends them).
    retain: bool,
    retained: Vec<(u64, PhoneEntry)>,
    /// Requests sent (retries of one request not counted).
    requests: u64,
}

/// What an upload leaves besides its report, for exactly-once mode.
pub(super) struct Leftovers {
    /// The entries whose outcome is `Unknown` or `NotSent`, by input index.
    pub entries: Vec<(u64, PhoneEntry)>,
    /// Requests sent.
    pub requests: u64,
}

impl<'a> Engine<'a> {
    pub fn new(upload: Upload<'a>) -> Self {
        let Upload {
            client,
            group,
            input,
            options,
            resuming,
            on_progress,
            on_outcome,
            cancel,
        } = upload;
        let length_hint = match input.size_hint() {
            (low, Some(high)) if low == high => Some(low as u64),
            _ => None,
        };
        let (request_ids, failed_batches) = match &resuming {
            Some(old) => (old.request_ids.clone(), old.failed_batches.clone()),
            None => Default::default(),
        };
        let unchecked = resuming
            .as_ref()
            .map(|old| old.input)
            .filter(|covered| covered.entries() > 0);
        // Room for the input's stated length, within reason: the hint is the
        // input's word, not a promise.
        let room = length_hint.unwrap_or(0).min(1 << 20) as usize;
        let outcomes = Outcomes::new(options.keep_created, room);
        // A resume hashes its input as the report it resumes did.
        let fingerprint = resuming
            .as_ref()
            .map_or_else(Fingerprinter::default, |old| {
                Fingerprinter::like(&old.input)
            });
        let limiter = match options.concurrency {
            Concurrency::Fixed(requests) => Limiter::fixed(requests),
            Concurrency::Adaptive { max } => Limiter::adaptive(max),
        };
        Self {
            client,
            group,
            options,
            input: Some(input),
            length_hint,
            next_index: 0,
            building: None,
            ready: VecDeque::new(),
            next_seq: 0,
            in_flight: FuturesUnordered::new(),
            spare: Vec::new(),
            awaiting: Arc::default(),
            settled: BTreeMap::new(),
            next_emit: 0,
            emitted: 0,
            resuming,
            fingerprint,
            unchecked,
            mismatch: false,
            outcomes,
            summary: Summary::default(),
            request_ids,
            failed_batches,
            progress: Progress {
                total: length_hint,
                concurrency_limit: limiter.limit(),
                ..Progress::default()
            },
            limiter,
            reported: None,
            on_progress,
            on_outcome,
            cancel,
            stop: None,
            error: None,
            retain: false,
            retained: Vec::new(),
            requests: 0,
        }
    }

    pub async fn run(self) -> UploadReport {
        self.execute(None, false).await.0
    }

    /// Runs the upload, keeping the entries not settled as `Created` or
    /// `Rejected`; with `refused`, sends nothing and reports why.
    pub async fn run_retaining(self, refused: Option<Error>) -> (UploadReport, Leftovers) {
        self.execute(refused, true).await
    }

    async fn execute(mut self, refused: Option<Error>, retain: bool) -> (UploadReport, Leftovers) {
        self.retain = retain;
        if let Err(error) = self.group.validate_at("group") {
            self.halt(Some(error.into()));
        }
        if let Some(error) = refused {
            self.halt(Some(error));
        }
        poll_fn(|cx| self.poll(cx)).await;
        let leftovers = Leftovers {
            entries: std::mem::take(&mut self.retained),
            requests: self.requests,
        };
        (self.finish(), leftovers)
    }

    fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.awaiting.engine.register(cx.waker());
        loop {
            let mut busy = false;
            if self.stop.is_none()
                && let Some(cancel) = &mut self.cancel
                && cancel.poll_unpin(cx).is_ready()
            {
                self.cancel = None;
                self.halt(None);
            }
            while let Poll::Ready(Some(sent)) = self.in_flight.poll_next_unpin(cx) {
                busy = true;
                self.answered(sent);
            }
            busy |= self.fill(cx);
            if self.stop.is_none() && self.locked_out() {
                self.halt(Some(Error::LockedOut));
            }
            if self.stop.is_some() {
                self.abandon();
            }
            // Outcomes are handed on only once a resume's input is known to
            // be the report's.
            if self.unchecked.is_none() && !self.mismatch {
                self.emit();
                self.report_progress();
            }
            let input_over = self.input.is_none() || self.stop.is_some();
            if input_over
                && self.in_flight.is_empty()
                && self.building.is_none()
                && self.ready.is_empty()
            {
                return Poll::Ready(());
            }
            if !busy {
                return Poll::Pending;
            }
        }
    }

    /// Whether another request of this client (a clone used elsewhere) got a
    /// 401 while entries are left to send: nothing more can go out. (When
    /// one of the upload's own requests got it, its answer stops the upload
    /// first, with the 401 as the reason.)
    fn locked_out(&self) -> bool {
        let left = !self.ready.is_empty() || self.building.is_some() || self.input.is_some();
        left && self.in_flight.is_empty() && self.client.transport.lockout() == Lockout::Locked
    }

    /// Whether another request may start: the client is not locked out, and
    /// the concurrency allows it (one at a time until an answer has proved
    /// the credentials).
    fn may_send(&self) -> bool {
        if self.unchecked.is_some() {
            return false;
        }
        let limit = match self.client.transport.lockout() {
            Lockout::Locked => return false,
            Lockout::Untrusted => 1,
            Lockout::Trusted => self.limiter.limit(),
        };
        self.awaiting.count.load(Ordering::SeqCst) < limit
    }

    /// Starts the ready batch while a request may start, and reads input
    /// until the next batch is ready; returns whether it did anything.
    ///
    /// One batch is kept ready ahead, so that a request starts the moment
    /// another one is answered; reading stops when the reorder window's
    /// entries are read and not yet handed on.
    fn fill(&mut self, cx: &mut Context<'_>) -> bool {
        let mut busy = false;
        while self.stop.is_none() {
            // While a resume checks its input, every chunk is read and held.
            if self.unchecked.is_none() && !self.ready.is_empty() {
                if !self.may_send() {
                    break;
                }
                if let Some((chunk, batch)) = self.ready.pop_front() {
                    self.send(chunk, batch);
                    busy = true;
                }
                continue;
            }
            if self.unchecked.is_none() && self.next_index - self.emitted >= self.window() {
                break;
            }
            let Some(input) = &mut self.input else { break };
            match input.poll_next_unpin(cx) {
                Poll::Ready(Some(entry)) => {
                    busy = true;
                    self.take(entry);
                }
                Poll::Ready(None) => {
                    busy = true;
                    if let Some(covered) = self.unchecked {
                        self.refuse_input(format!(
                            "has {} entries, but the report being resumed covers {}",
                            self.next_index,
                            covered.entries()
                        ));
                        break;
                    }
                    self.input = None;
                    self.progress.total = Some(self.next_index);
                    if let Some((chunk, batch)) = self.building.take() {
                        self.close(chunk, batch);
                    }
                }
                Poll::Pending => break,
            }
        }
        busy
    }

    /// The most entries read and not yet handed on: the reorder window, but
    /// never so few that the limit's requests and a ready batch cannot fill.
    fn window(&self) -> u64 {
        let busy = (self.limiter.max() + 1).saturating_mul(self.options.batch_size);
        self.options.reorder_window.max(busy) as u64
    }

    /// After a stop: the entries read but not sent are not sent.
    fn abandon(&mut self) {
        while let Some((mut chunk, batch)) = self.ready.pop_front() {
            chunk.abandon(&batch, NotSentReason::Stopped, &mut self.progress);
            self.settled.insert(chunk.seq, chunk);
        }
        if let Some((mut chunk, batch)) = self.building.take() {
            chunk.abandon(&batch, NotSentReason::Stopped, &mut self.progress);
            chunk.seq = self.next_seq;
            self.next_seq += 1;
            self.settled.insert(chunk.seq, chunk);
        }
    }

    /// Puts one input entry into the chunk being built.
    #[inline]
    fn take(&mut self, entry: Cow<'a, PhoneEntry>) {
        let index = self.next_index;
        self.next_index += 1;
        self.fingerprint.add(&entry);
        let capacity = self.options.batch_size.min(4096);
        let keep_entries = self.on_outcome.is_some() || self.retain;
        let (chunk, batch) = self.building.get_or_insert_with(|| {
            let chunk = Chunk::new(index, capacity, keep_entries);
            (chunk, Batch::with_capacity(capacity))
        });
        let policy = &self.options.phone_policy;
        let mut mismatch = None;
        // The entry stays here until its slot is known, and is then moved
        // once, into the chunk: an entry is some 170 bytes, and every move
        // of it on the way costs a copy per input entry.
        let slot = match self.resuming.as_ref().map(|old| old.slot(index)) {
            None => Self::check(batch, chunk.len(), &entry, policy, &mut self.progress),
            Some(Slot::Other(outcome)) if outcome.needs_resend(self.options.resend_unknown) => {
                match outcome
                    .phone()
                    .filter(|&kept| !same_entry(kept, &entry, policy))
                {
                    None => Self::check(batch, chunk.len(), &entry, policy, &mut self.progress),
                    Some(kept) => {
                        mismatch = Some(crate::ValidationError::new(
                            format!("[{index}].phone"),
                            crate::ValidationProblem::Invalid {
                                reason: format!(
                                    "is {:?}, but entry {index} of the report being resumed is \
                                     {kept:?}: resume with the same input in the same order",
                                    entry.phone,
                                ),
                            },
                        ));
                        let outcome = Outcome::NotSent {
                            phone: Some(entry.phone.clone()),
                            reason: NotSentReason::Stopped,
                        };
                        self.progress.count(outcome.kind());
                        Slot::Other(outcome)
                    }
                }
            }
            Some(kept) => {
                if let Some(kind) = kept.kind() {
                    self.progress.count(kind);
                }
                kept
            }
        };
        chunk.push(entry, slot);
        let full = chunk.len() >= self.options.batch_size;
        if let Some(error) = mismatch {
            self.mismatch = true;
            self.halt(Some(error.into()));
            return;
        }
        if self
            .unchecked
            .is_some_and(|covered| covered.entries() == self.next_index)
        {
            self.check_input();
        }
        if self.stop.is_none()
            && full
            && let Some((chunk, batch)) = self.building.take()
        {
            self.close(chunk, batch);
        }
    }

    /// The entries the resumed report covers are all read: they must be
    /// the ones it was made from.
    fn check_input(&mut self) {
        let Some(covered) = self.unchecked else {
            return;
        };
        if self.fingerprint.finish() == covered {
            self.unchecked = None;
        } else {
            self.refuse_input(format!(
                "is not the one the report being resumed was made from (its first {} entries differ)",
                covered.entries()
            ));
        }
    }

    /// Ends a resume whose input is not the report's: nothing was sent, and
    /// the report is handed back as it was.
    fn refuse_input(&mut self, what: String) {
        self.mismatch = true;
        let reason = format!("{what}: resume with the same input in the same order");
        let error =
            crate::ValidationError::new("input", crate::ValidationProblem::Invalid { reason });
        self.halt(Some(error.into()));
    }

    /// Checks an entry and writes it into the batch at `position`: pending
    /// then, or rejected locally.
    #[inline]
    fn check(
        batch: &mut Batch,
        position: usize,
        entry: &PhoneEntry,
        policy: &PhonePolicy,
        progress: &mut Progress,
    ) -> Slot {
        let pushed = match prepare(entry, policy) {
            Ok(prepared) => batch.push(position, &prepared),
            Err(error) => Err(error),
        };
        match pushed {
            Ok(()) => Slot::Pending,
            Err(error) => {
                let outcome = Outcome::Rejected {
                    phone: entry.phone.clone(),
                    reason: Box::new(Rejection::Local { error }),
                };
                progress.count(outcome.kind());
                Slot::Other(outcome)
            }
        }
    }

    /// A chunk is complete: its batch is ready to send, or the chunk is
    /// settled when nothing is to be sent.
    fn close(&mut self, mut chunk: Chunk<'a>, batch: Batch) {
        chunk.seq = self.next_seq;
        self.next_seq += 1;
        if batch.is_empty() {
            self.settled.insert(chunk.seq, chunk);
        } else {
            self.ready.push_back((chunk, batch));
        }
    }

    fn send(&mut self, chunk: Chunk<'a>, batch: Batch) {
        self.requests += 1;
        let entries = batch.positions.len();
        self.progress.in_flight += entries as u64;
        let sent = Sample {
            latency: None,
            overloaded: false,
            window_full: self.awaiting.count.load(Ordering::SeqCst) + 1 >= self.limiter.limit(),
            generation: self.limiter.generation(),
            full_size: 2 * entries >= self.options.batch_size,
        };
        let batch = batch.seal();
        let request = Task::spawn(request::post(
            self.client.clone(),
            self.group,
            batch.body.bytes.clone(),
            batch.positions.len(),
            self.options.retry,
            AwaitingAnswer::new(&self.awaiting),
            self.spare.pop().unwrap_or_default(),
        ));
        self.in_flight.push(Box::pin(async move {
            let request::Posted {
                result,
                load,
                buffer,
            } = request.await;
            Sent {
                chunk,
                batch,
                result,
                load,
                sent,
                buffer,
            }
        }));
    }

    /// A request came back.
    fn answered(&mut self, sent: Sent<'a>) {
        let Sent {
            mut chunk,
            batch,
            result,
            load,
            sent,
            buffer,
        } = sent;
        if let Some(buffer) = buffer
            && self.spare.len() < self.limiter.max()
        {
            self.spare.push(buffer);
        }
        self.limiter.observe(Sample {
            latency: load.latency,
            overloaded: load.overloaded,
            ..sent
        });
        self.progress.concurrency_limit = self.limiter.limit();
        let carried = batch.positions.len() as u64;
        let first = chunk.first + batch.positions.first().copied().unwrap_or(0) as u64;
        self.progress.in_flight -= carried;
        let settled = chunk.settle(batch, result, &mut self.progress);
        self.request_ids.extend(settled.request_id);
        if let Some(error) = settled.failure {
            self.failed_batches.push(BatchFailure {
                first,
                sent: carried,
                failure: FailureRecord::of(&error),
            });
            // No answer with unproven credentials: it may have been a 401
            // the client did not wait for, and every further batch could be
            // another (the lockout guard would space them out, a minute for
            // three).
            let unanswered_unproven = error.status().is_none()
                && error.may_have_taken_effect()
                && self.client.transport.lockout() == Lockout::Untrusted;
            if settled.stops || unanswered_unproven {
                self.halt(Some(error));
            }
        }
        match settled.resend {
            // The rest of a refused batch goes again at once (LOX24 has
            // just answered, so this replaces the request that ended).
            Some(batch) if self.stop.is_none() => self.send(chunk, batch),
            resend => {
                if let Some(batch) = resend {
                    chunk.abandon(&batch, NotSentReason::Stopped, &mut self.progress);
                }
                self.settled.insert(chunk.seq, chunk);
            }
        }
    }

    /// Stops dispatching: for `error`, or for a cancellation when `None`.
    /// The first reason wins.
    fn halt(&mut self, error: Option<Error>) {
        if self.stop.is_some() {
            return;
        }
        self.stop = Some(match &error {
            Some(error) => Stop::Error(FailureRecord::of(error)),
            None => Stop::Cancelled,
        });
        self.error = error;
    }

    /// Hands on the outcomes of the settled chunks, in input order.
    fn emit(&mut self) {
        // Neither called back nor retained, an entry created with a numeric
        // id (nearly all of them) is only counted and its id kept: no slot
        // moved through the general path below.
        let plain = self.on_outcome.is_none() && !self.retain;
        while let Some(chunk) = self.settled.remove(&self.next_emit) {
            self.next_emit += 1;
            self.emitted = chunk.first + chunk.outcomes.len() as u64;
            for (position, slot) in chunk.outcomes.into_iter().enumerate() {
                let index = chunk.first + position as u64;
                if plain && let Slot::Created(Id::Number(id)) = slot {
                    self.summary.count(Kind::Created);
                    self.outcomes.push_created(index, id);
                    continue;
                }
                // Every outcome is set before a chunk is filed; should one
                // not be, the entry was certainly not sent.
                let slot = match slot {
                    Slot::Pending => Slot::Other(Outcome::NotSent {
                        phone: None,
                        reason: NotSentReason::Stopped,
                    }),
                    slot => slot,
                };
                // Full outcomes are built only for the callback.
                if let (Some(on_outcome), Some(entry)) =
                    (&mut self.on_outcome, chunk.entries.get(position))
                    && let Some(outcome) = slot.to_outcome()
                {
                    on_outcome(index, entry, &outcome);
                }
                if let Some(kind) = slot.kind() {
                    self.summary.count(kind);
                }
                if self.retain
                    && matches!(
                        slot,
                        Slot::Other(Outcome::Unknown { .. } | Outcome::NotSent { .. })
                    )
                    && let Some(entry) = chunk.entries.get(position)
                {
                    self.retained.push((index, entry.clone().into_owned()));
                }
                self.outcomes.push(index, slot);
            }
        }
    }

    fn report_progress(&mut self) {
        if let Some(on_progress) = &mut self.on_progress
            && self.reported != Some(self.progress)
        {
            on_progress(&self.progress);
            self.reported = Some(self.progress);
        }
    }

    fn finish(mut self) -> UploadReport {
        if self.mismatch
            && let Some(mut old) = self.resuming.take()
        {
            old.stop = self.stop;
            old.error = self.error;
            return old;
        }
        let read = self.next_index;
        let total = match self.input {
            None => Some(read),
            Some(_) => self.length_hint,
        };
        // Entries never read were not sent either.
        self.summary.not_sent += total.map_or(0, |total| total.saturating_sub(read));
        UploadReport {
            group: self.group,
            total,
            read,
            summary: self.summary,
            outcomes: self.outcomes,
            request_ids: self.request_ids,
            failed_batches: self.failed_batches,
            stop: self.stop,
            error: self.error,
            input: self.fingerprint.finish(),
            // A resume keeps what exactly-once mode recorded.
            reconciliation: self.resuming.and_then(|old| old.reconciliation),
        }
    }
}
