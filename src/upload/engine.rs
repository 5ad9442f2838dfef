//! The driver of an upload: reads the input, batches it, keeps up to
//! `concurrency` requests on their way, and hands the outcomes on in input
//! order.
//!
//! Memory is bounded by the batches between the input and the report: at
//! most `2 × concurrency` chunks of `batch_size` entries are read and not
//! yet handed on, whatever the length of the input.

use std::{
    borrow::Cow,
    collections::BTreeMap,
    future::{Future, poll_fn},
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    task::{Context, Poll},
};

use futures_util::{
    FutureExt, StreamExt,
    future::BoxFuture,
    stream::{BoxStream, FuturesUnordered},
    task::AtomicWaker,
};

use super::{
    BatchFailure, FailureRecord, NotSentReason, Outcome, Progress, Rejection, Stop, Summary,
    Upload, UploadReport,
    answer::Item,
    batch::{Batch, Chunk, SentBatch, prepare},
    report::Outcomes,
    request,
    slot::Slot,
};
use crate::{Client, Error, GroupId, PhoneEntry, RetryPolicy, call, phone::PhonePolicy};

/// The options of an upload.
pub(super) struct Options {
    pub batch_size: usize,
    pub concurrency: usize,
    pub retry: Option<RetryPolicy>,
    pub keep_created: bool,
    pub resend_unknown: bool,
    pub phone_policy: PhonePolicy,
}

pub(super) type OnProgress<'a> = Box<dyn FnMut(&Progress) + Send + 'a>;
pub(super) type OnOutcome<'a> = Box<dyn FnMut(u64, &PhoneEntry, &Outcome) + Send + 'a>;

/// A request on its way, and what it returns.
struct Sent<'a> {
    chunk: Chunk<'a>,
    batch: SentBatch,
    result: Result<call::Answer<Vec<Item>>, Error>,
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
    /// A complete chunk waiting for a request to start.
    ready: Option<(Chunk<'a>, Batch)>,
    next_seq: u64,
    in_flight: FuturesUnordered<BoxFuture<'a, Sent<'a>>>,
    awaiting: Arc<Awaiting>,
    /// Settled chunks waiting for the ones before them.
    settled: BTreeMap<u64, Chunk<'a>>,
    next_emit: u64,
    /// The report being resumed.
    resuming: Option<UploadReport>,
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
        let mut resuming = resuming;
        let (request_ids, failed_batches) = match &mut resuming {
            Some(old) => {
                let ids = std::mem::take(&mut old.request_ids);
                let failed = std::mem::take(&mut old.failed_batches);
                (ids, failed)
            }
            None => Default::default(),
        };
        // Room for the input's stated length, within reason: the hint is the
        // input's word, not a promise.
        let room = length_hint.unwrap_or(0).min(1 << 20) as usize;
        let outcomes = Outcomes::new(options.keep_created, room);
        Self {
            client,
            group,
            options,
            input: Some(input),
            length_hint,
            next_index: 0,
            building: None,
            ready: None,
            next_seq: 0,
            in_flight: FuturesUnordered::new(),
            awaiting: Arc::default(),
            settled: BTreeMap::new(),
            next_emit: 0,
            resuming,
            outcomes,
            summary: Summary::default(),
            request_ids,
            failed_batches,
            progress: Progress {
                total: length_hint,
                ..Progress::default()
            },
            reported: None,
            on_progress,
            on_outcome,
            cancel,
            stop: None,
            error: None,
        }
    }

    pub async fn run(mut self) -> UploadReport {
        if let Err(error) = self.group.validate_at("group") {
            self.halt(Some(error.into()));
        }
        poll_fn(|cx| self.poll(cx)).await;
        self.finish()
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
            self.emit();
            self.report_progress();
            let input_over = self.input.is_none() || self.stop.is_some();
            if input_over
                && self.in_flight.is_empty()
                && self.building.is_none()
                && self.ready.is_none()
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
        let left = self.ready.is_some() || self.building.is_some() || self.input.is_some();
        left && self.in_flight.is_empty() && self.client.raw().inner.guard.is_locked()
    }

    /// Whether another request may start: the client is not locked out, and
    /// the concurrency allows it (one at a time until an answer has proved
    /// the credentials).
    fn may_send(&self) -> bool {
        let guard = &self.client.raw().inner.guard;
        let limit = if guard.is_trusted() {
            self.options.concurrency
        } else {
            1
        };
        !guard.is_locked() && self.awaiting.count.load(Ordering::SeqCst) < limit
    }

    /// Starts the ready batch while a request may start, and reads input
    /// until the next batch is ready; returns whether it did anything.
    ///
    /// One batch is kept ready ahead, so that a request starts the moment
    /// another one is answered; reading stops when `2 × concurrency` chunks
    /// are read and not yet handed on.
    fn fill(&mut self, cx: &mut Context<'_>) -> bool {
        let mut busy = false;
        while self.stop.is_none() {
            if self.ready.is_some() {
                if !self.may_send() {
                    break;
                }
                if let Some((chunk, batch)) = self.ready.take() {
                    self.send(chunk, batch);
                    busy = true;
                }
                continue;
            }
            let open = self.next_seq - self.next_emit;
            if self.building.is_none() && open >= 2 * self.options.concurrency as u64 {
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

    /// After a stop: the entries read but not sent are not sent.
    fn abandon(&mut self) {
        if let Some((mut chunk, batch)) = self.ready.take() {
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
        let capacity = self.options.batch_size.min(4096);
        let keep_entries = self.on_outcome.is_some();
        let (chunk, batch) = self.building.get_or_insert_with(|| {
            let chunk = Chunk::new(index, capacity, keep_entries);
            (chunk, Batch::with_capacity(capacity))
        });
        let mut mismatch = None;
        if let Some(old) = &mut self.resuming {
            let slot = old.take_outcome(index);
            let resend = match &slot {
                Slot::Other(outcome) => outcome.needs_resend(self.options.resend_unknown),
                _ => false,
            };
            let kept_phone = match &slot {
                Slot::Other(outcome) => outcome.phone(),
                _ => None,
            };
            if !resend {
                if let Some(kind) = slot.kind() {
                    self.progress.count(kind);
                }
                chunk.push_settled(entry, slot);
            } else if let Some(kept) =
                kept_phone.filter(|&kept| !same_entry(kept, &entry, &self.options.phone_policy))
            {
                mismatch = Some(crate::ValidationError::new(
                    format!("[{index}].phone"),
                    crate::ValidationProblem::Invalid {
                        reason: format!(
                            "is {:?}, but entry {index} of the report being resumed is {kept:?}: \
                             resume with the same input in the same order",
                            entry.phone,
                        ),
                    },
                ));
                let outcome = Outcome::NotSent {
                    phone: Some(entry.phone.clone()),
                    reason: NotSentReason::Stopped,
                };
                self.progress.count(outcome.kind());
                chunk.push_settled(entry, Slot::Other(outcome));
            } else {
                Self::push(
                    chunk,
                    batch,
                    entry,
                    &self.options.phone_policy,
                    &mut self.progress,
                );
            }
        } else {
            Self::push(
                chunk,
                batch,
                entry,
                &self.options.phone_policy,
                &mut self.progress,
            );
        }
        if let Some(error) = mismatch {
            self.halt(Some(error.into()));
        } else if chunk.len() >= self.options.batch_size
            && let Some((chunk, batch)) = self.building.take()
        {
            self.close(chunk, batch);
        }
    }

    /// Checks an entry and adds it to the batch, or rejects it locally.
    #[inline]
    fn push(
        chunk: &mut Chunk<'a>,
        batch: &mut Batch,
        entry: Cow<'a, PhoneEntry>,
        policy: &PhonePolicy,
        progress: &mut Progress,
    ) {
        let prepared = prepare(&entry, policy).and_then(|wire| batch.push(chunk.len(), &wire));
        match prepared {
            Ok(()) => {
                chunk.push_pending(entry);
            }
            Err(error) => {
                let outcome = Outcome::Rejected {
                    phone: entry.phone.clone(),
                    reason: Box::new(Rejection::Local { error }),
                };
                progress.count(outcome.kind());
                chunk.push_settled(entry, Slot::Other(outcome));
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
            self.ready = Some((chunk, batch));
        }
    }

    fn send(&mut self, chunk: Chunk<'a>, batch: Batch) {
        self.progress.in_flight += batch.positions.len() as u64;
        let batch = batch.seal();
        let request = Task::spawn(request::post(
            self.client.clone(),
            self.group,
            batch.body.bytes.clone(),
            batch.positions.len(),
            self.options.retry,
            AwaitingAnswer::new(&self.awaiting),
        ));
        self.in_flight.push(Box::pin(async move {
            Sent {
                chunk,
                batch,
                result: request.await,
            }
        }));
    }

    /// A request came back.
    fn answered(&mut self, sent: Sent<'a>) {
        let Sent {
            mut chunk,
            batch,
            result,
        } = sent;
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
            if settled.stops {
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
        while let Some(chunk) = self.settled.remove(&self.next_emit) {
            self.next_emit += 1;
            for (position, slot) in chunk.outcomes.into_iter().enumerate() {
                let index = chunk.first + position as u64;
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
        }
    }
}
