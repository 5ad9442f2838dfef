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
    future::poll_fn,
    task::{Context, Poll},
};

use futures_util::{
    FutureExt, StreamExt,
    future::BoxFuture,
    stream::{BoxStream, FuturesUnordered},
};

use super::{
    BatchFailure, FailureRecord, NotSentReason, Outcome, Progress, Rejection, Stop, Summary,
    UploadReport,
    batch::{Batch, Chunk, prepare},
    report::Outcomes,
};
use crate::{BatchResult, Client, Error, GroupId, PhoneEntry, RetryPolicy, call};

/// The options of an upload.
pub(super) struct Options {
    pub batch_size: usize,
    pub concurrency: usize,
    pub retry: Option<RetryPolicy>,
    pub keep_created: bool,
    pub resend_unknown: bool,
}

pub(super) type OnProgress<'a> = Box<dyn FnMut(&Progress) + Send + 'a>;
pub(super) type OnOutcome<'a> = Box<dyn FnMut(u64, &PhoneEntry, &Outcome) + Send + 'a>;

/// A request on its way, and what it returns.
struct Sent<'a> {
    chunk: Chunk<'a>,
    batch: Batch,
    result: Result<call::Answer<BatchResult>, Error>,
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
    next_seq: u64,
    in_flight: FuturesUnordered<BoxFuture<'a, Sent<'a>>>,
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
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        client: &'a Client,
        group: GroupId,
        options: Options,
        input: BoxStream<'a, Cow<'a, PhoneEntry>>,
        resuming: Option<UploadReport>,
        on_progress: Option<OnProgress<'a>>,
        on_outcome: Option<OnOutcome<'a>>,
        cancel: Option<BoxFuture<'a, ()>>,
    ) -> Self {
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
        let outcomes = if options.keep_created {
            Outcomes::All(Vec::new())
        } else {
            Outcomes::Exceptions(Vec::new())
        };
        Self {
            client,
            group,
            options,
            input: Some(input),
            length_hint,
            next_index: 0,
            building: None,
            next_seq: 0,
            in_flight: FuturesUnordered::new(),
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
                self.answered(sent);
                busy = true;
            }
            if self.stop.is_none() {
                busy |= self.fill(cx);
            } else if let Some((mut chunk, _)) = self.building.take() {
                chunk.abandon(NotSentReason::Stopped, &mut self.progress);
                self.close(chunk, None);
            }
            self.emit();
            self.report_progress();
            let input_over = self.input.is_none() || self.stop.is_some();
            if input_over && self.in_flight.is_empty() && self.building.is_none() {
                return Poll::Ready(());
            }
            if !busy {
                return Poll::Pending;
            }
        }
    }

    /// Whether another request may start: the concurrency allows it (one at
    /// a time until an answer has proved the credentials), and the chunks
    /// read but not handed on stay within bounds.
    fn may_send(&self) -> bool {
        let limit = if self.client.raw().inner.guard.is_trusted() {
            self.options.concurrency
        } else {
            1
        };
        let open = self.next_seq - self.next_emit;
        self.in_flight.len() < limit && open < 2 * self.options.concurrency as u64
    }

    /// Reads input while another batch may start; returns whether it read.
    fn fill(&mut self, cx: &mut Context<'_>) -> bool {
        let mut busy = false;
        while self.stop.is_none() && self.may_send() {
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
                        self.close(chunk, Some(batch));
                    }
                }
                Poll::Pending => break,
            }
        }
        busy
    }

    /// Puts one input entry into the chunk being built.
    fn take(&mut self, entry: Cow<'a, PhoneEntry>) {
        let index = self.next_index;
        self.next_index += 1;
        let capacity = self.options.batch_size.min(4096);
        let (chunk, batch) = self.building.get_or_insert_with(|| {
            let batch = Batch {
                positions: Vec::with_capacity(capacity),
                wire: Vec::with_capacity(capacity),
            };
            (Chunk::new(index, capacity), batch)
        });
        let mut mismatch = None;
        if let Some(old) = &mut self.resuming {
            let outcome = old.take_outcome(index);
            if !outcome.needs_resend(self.options.resend_unknown) {
                self.progress.count(&outcome);
                chunk.push_settled(entry, outcome);
            } else if outcome.phone().is_some_and(|phone| phone != entry.phone) {
                mismatch = Some(crate::ValidationError::new(
                    format!("[{index}].phone"),
                    crate::ValidationProblem::Invalid {
                        reason: format!(
                            "is {:?}, but entry {index} of the report being resumed is {:?}: \
                             resume with the same input in the same order",
                            entry.phone,
                            outcome.phone().unwrap_or_default()
                        ),
                    },
                ));
                let outcome = Outcome::NotSent {
                    phone: Some(entry.phone.clone()),
                    reason: NotSentReason::Stopped,
                };
                self.progress.count(&outcome);
                chunk.push_settled(entry, outcome);
            } else {
                Self::push(chunk, batch, entry, &mut self.progress);
            }
        } else {
            Self::push(chunk, batch, entry, &mut self.progress);
        }
        if let Some(error) = mismatch {
            self.halt(Some(error.into()));
        } else if chunk.len() >= self.options.batch_size
            && let Some((chunk, batch)) = self.building.take()
        {
            self.close(chunk, Some(batch));
        }
    }

    /// Checks an entry and adds it to the batch, or rejects it locally.
    fn push(
        chunk: &mut Chunk<'a>,
        batch: &mut Batch,
        entry: Cow<'a, PhoneEntry>,
        progress: &mut Progress,
    ) {
        match prepare(&entry) {
            Ok(wire) => {
                let position = chunk.push_pending(entry);
                batch.positions.push(position);
                batch.wire.push(wire);
            }
            Err(error) => {
                let outcome = Outcome::Rejected {
                    phone: entry.phone.clone(),
                    reason: Rejection::Local { error },
                };
                progress.count(&outcome);
                chunk.push_settled(entry, outcome);
            }
        }
    }

    /// A chunk is complete: sends its batch, or files it when nothing is to be sent.
    fn close(&mut self, mut chunk: Chunk<'a>, batch: Option<Batch>) {
        chunk.seq = self.next_seq;
        self.next_seq += 1;
        match batch {
            Some(batch) if !batch.positions.is_empty() => self.send(chunk, batch),
            _ => {
                chunk.abandon(NotSentReason::Stopped, &mut self.progress);
                self.settled.insert(chunk.seq, chunk);
            }
        }
    }

    fn send(&mut self, chunk: Chunk<'a>, batch: Batch) {
        let (client, group, policy) = (self.client, self.group, self.options.retry);
        self.progress.in_flight += batch.positions.len() as u64;
        self.in_flight.push(Box::pin(async move {
            let call = client.raw().add_phones_batch(&group, &batch.wire);
            let result = call::run_with(policy, call).await;
            Sent {
                chunk,
                batch,
                result,
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
            Some(batch) if self.stop.is_none() => self.send(chunk, batch),
            _ => {
                chunk.abandon(NotSentReason::Stopped, &mut self.progress);
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
            for (position, (entry, outcome)) in chunk.entries.iter().zip(chunk.outcomes).enumerate()
            {
                let index = chunk.first + position as u64;
                // Every outcome is set before a chunk is filed; should one
                // not be, the entry was certainly not sent.
                let outcome = outcome.unwrap_or_else(|| Outcome::NotSent {
                    phone: Some(entry.phone.clone()),
                    reason: NotSentReason::Stopped,
                });
                if let Some(on_outcome) = &mut self.on_outcome {
                    on_outcome(index, entry, &outcome);
                }
                self.summary.count(&outcome);
                match &mut self.outcomes {
                    Outcomes::All(all) => all.push(outcome),
                    Outcomes::Exceptions(list) => {
                        if !matches!(outcome, Outcome::Created { .. }) {
                            list.push((index, outcome));
                        }
                    }
                }
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
