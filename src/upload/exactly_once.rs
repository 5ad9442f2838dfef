//! Exactly-once mode ([`Upload::exactly_once`]): the group read before the
//! upload, the upload, then rounds of reconciliation (the `Unknown`
//! entries settled against the group) and resends (the entries certainly
//! not stored sent again), until no entry is left `Unknown` or `NotSent`
//! or the rounds run out.

use std::{
    borrow::Cow,
    future::poll_fn,
    sync::{Arc, Mutex, MutexGuard, PoisonError},
    task::Poll,
};

use futures_util::{
    FutureExt,
    future::{BoxFuture, Either, select},
    stream::{self, StreamExt},
};

use super::{
    BatchFailure, Outcome, Phase, Progress, Stop, Upload, UploadReport,
    engine::{Engine, OnOutcome, OnProgress},
    reconcile::{self, ReconcileRound, Reconciliation, Wanted},
    slot::Slot,
};
use crate::PhoneEntry;

/// Reconciliations at most, unless
/// [`Upload::exactly_once_rounds`](crate::upload::Upload::exactly_once_rounds)
/// says otherwise. Each round settles every `Unknown` entry left; only the
/// entries of a resend that fails again are left for the next, so a
/// handful is plenty even where one request in ten fails.
///
/// ```
/// use lox24::{PhoneEntry, upload::DEFAULT_ROUNDS};
/// use lox24_sandbox::{Fault, Operation};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let sandbox = lox24_sandbox::Sandbox::start().await?;
/// # let client = sandbox.client()?;
/// # let group = client
/// #     .create_group(&lox24::NewGroup::new("Newsletter"))
/// #     .await?;
/// // Every answer to a batch is lost after LOX24 stored it.
/// let lost = Fault::new().drop_after_processing(1.0);
/// sandbox.set_fault(Operation::AddPhonesBatch, lost);
/// let phones = [PhoneEntry::new("+491701234567")];
/// let upload = client.upload_phones(&group.id, &phones);
/// let report = upload.exactly_once().await;
///
/// assert_eq!(report.summary().created, 1); // found in the group, not sent twice
/// let rounds = report.reconciliation().unwrap().rounds.len();
/// assert!(rounds <= DEFAULT_ROUNDS as usize);
/// # Ok(()) }
/// ```
pub const DEFAULT_ROUNDS: u32 = 5;

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The caller's callbacks, shared by the phases, and what each snapshot
/// of progress is to say beyond the counts of the phase's requests.
struct Callbacks<'a> {
    on_progress: Option<OnProgress<'a>>,
    on_outcome: Option<OnOutcome<'a>>,
    phase: Phase,
    round: u32,
    settled: u64,
    /// During a resend: the counts of every entry not being resent, added
    /// to the resend's own.
    base: Option<Progress>,
}

impl Callbacks<'_> {
    fn progress(&mut self, phase: &Progress) {
        let Some(on_progress) = &mut self.on_progress else {
            return;
        };
        let mut shown = *phase;
        if let Some(base) = self.base {
            shown.total = base.total;
            shown.done += base.done;
            shown.created += base.created;
            shown.rejected += base.rejected;
            shown.not_sent += base.not_sent;
            shown.unknown += base.unknown;
        }
        shown.phase = self.phase;
        shown.round = self.round;
        shown.settled = self.settled;
        on_progress(&shown);
    }

    /// Where the report stands, between requests.
    fn standing(&mut self, report: &UploadReport) {
        let progress = standing(report);
        self.progress(&progress);
    }

    fn outcome(&mut self, index: u64, entry: &PhoneEntry, outcome: &Outcome) {
        if let Some(on_outcome) = &mut self.on_outcome {
            on_outcome(index, entry, outcome);
        }
    }
}

fn standing(report: &UploadReport) -> Progress {
    let summary = report.summary();
    Progress {
        done: summary.total(),
        total: report.total(),
        created: summary.created,
        rejected: summary.rejected,
        not_sent: summary.not_sent,
        unknown: summary.unknown,
        ..Progress::default()
    }
}

/// The caller's cancellation, shared by the phases: once it fires, every
/// phase after it sees it fired.
#[derive(Clone)]
struct Cancel<'a>(Arc<Mutex<CancelState<'a>>>);

enum CancelState<'a> {
    Waiting(BoxFuture<'a, ()>),
    Fired,
}

impl<'a> Cancel<'a> {
    fn new(signal: Option<BoxFuture<'a, ()>>) -> Option<Self> {
        signal.map(|signal| Self(Arc::new(Mutex::new(CancelState::Waiting(signal)))))
    }

    /// A future that completes when the cancellation fires (or has fired).
    fn signal(&self) -> BoxFuture<'a, ()> {
        let state = self.0.clone();
        poll_fn(move |cx| {
            let mut state = lock(&state);
            match &mut *state {
                CancelState::Fired => Poll::Ready(()),
                CancelState::Waiting(signal) => match signal.poll_unpin(cx) {
                    Poll::Ready(()) => {
                        *state = CancelState::Fired;
                        Poll::Ready(())
                    }
                    Poll::Pending => Poll::Pending,
                },
            }
        })
        .boxed()
    }

    fn fired(&self) -> bool {
        // Polled once more: it may have completed since the last phase.
        self.signal().now_or_never().is_some()
    }
}

pub(super) async fn run(upload: Upload<'_>) -> UploadReport {
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
    let rounds = options.exactly_once.unwrap_or(DEFAULT_ROUNDS);
    let has_outcome_callback = on_outcome.is_some();
    let callbacks = Arc::new(Mutex::new(Callbacks {
        on_progress,
        on_outcome,
        phase: Phase::Baseline,
        round: 0,
        settled: 0,
        base: None,
    }));
    let cancel = Cancel::new(cancel);

    // The group before the upload; a resume keeps the one its report has
    // (the group now holds the entries of the run resumed).
    let (mut record, mut refused) = (None, None);
    let resumed_without_ids = resuming.as_ref().is_some_and(|r| !r.keeps_created());
    if resuming.is_none() {
        lock(&callbacks).progress(&Progress::default());
        match reconcile::baseline(client, &group).await {
            Ok((baseline, requests)) => {
                record = Some(Reconciliation {
                    baseline,
                    baseline_requests: requests,
                    ..Reconciliation::default()
                });
            }
            Err(error) => refused = Some(error),
        }
    }

    lock(&callbacks).phase = Phase::Upload;
    let mut first = options.clone();
    // Reconciliation needs the ids of the created entries, whatever the
    // report is to keep in the end.
    first.keep_created = true;
    first.resend_unknown = false;
    let upload = Upload {
        client,
        group,
        input,
        options: first,
        resuming,
        on_progress: Some(progress_hook(&callbacks)),
        on_outcome: has_outcome_callback.then(|| outcome_hook(&callbacks)),
        cancel: cancel.as_ref().map(Cancel::signal),
    };
    let (mut report, leftovers) = Engine::new(upload).run_retaining(refused).await;
    if record.is_some() {
        report.reconciliation = record;
    }
    if let Some(done) = &mut report.reconciliation {
        done.upload_requests += leftovers.requests;
    }
    if report.reconciliation.is_some() && !resumed_without_ids {
        let mut rounds_run = Rounds {
            report: &mut report,
            unsettled: leftovers.entries,
            options: &options,
            callbacks: &callbacks,
            cancel: cancel.as_ref(),
            client,
        };
        rounds_run.run(rounds).await;
    }
    if cancel.as_ref().is_some_and(Cancel::fired) && report.stop.is_none() {
        report.stop = Some(Stop::Cancelled);
    }
    if !options.keep_created {
        report.outcomes.drop_created();
    }
    report
}

fn progress_hook<'a>(callbacks: &Arc<Mutex<Callbacks<'a>>>) -> OnProgress<'a> {
    let callbacks = callbacks.clone();
    Box::new(move |progress| lock(&callbacks).progress(progress))
}

fn outcome_hook<'a>(callbacks: &Arc<Mutex<Callbacks<'a>>>) -> OnOutcome<'a> {
    let callbacks = callbacks.clone();
    Box::new(move |index, entry, outcome| lock(&callbacks).outcome(index, entry, outcome))
}

/// The rounds after the upload.
struct Rounds<'r, 'a> {
    report: &'r mut UploadReport,
    /// The entries whose outcome is `Unknown` or `NotSent`, by ascending index.
    unsettled: Vec<(u64, PhoneEntry)>,
    options: &'r super::engine::Options,
    callbacks: &'r Arc<Mutex<Callbacks<'a>>>,
    cancel: Option<&'r Cancel<'a>>,
    client: &'a crate::Client,
}

impl Rounds<'_, '_> {
    async fn run(&mut self, rounds: u32) {
        let Some(baseline) = self.report.reconciliation.as_ref().map(|r| r.baseline) else {
            return;
        };
        for round in 1..=rounds {
            if self.cancel.is_some_and(Cancel::fired) {
                return;
            }
            if !self.reconcile(baseline, round).await {
                return;
            }
            if self.report.stop.is_some() || !self.resend(round).await {
                return;
            }
        }
    }

    fn entry(&self, index: u64) -> Option<&PhoneEntry> {
        let at = self
            .unsettled
            .binary_search_by_key(&index, |(i, _)| *i)
            .ok()?;
        Some(&self.unsettled[at].1)
    }

    /// Settles the `Unknown` entries; whether to go on.
    async fn reconcile(&mut self, baseline: reconcile::Baseline, round: u32) -> bool {
        let mut wanted = Wanted::default();
        for (index, entry) in &self.unsettled {
            if let Slot::Other(Outcome::Unknown { phone, .. }) = self.report.slot(*index) {
                wanted.add(*index, &phone, entry);
            }
        }
        let unknown = wanted.len();
        if unknown == 0 {
            return true;
        }
        {
            let mut callbacks = lock(self.callbacks);
            callbacks.phase = Phase::Reconcile;
            callbacks.round = round;
            callbacks.base = None;
            callbacks.standing(self.report);
        }
        let (client, wait, report) = (self.client, self.options.reconcile_after, &*self.report);
        let settling = async move {
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            reconcile::settle(client, report, baseline, wanted, round).await
        };
        let result = match self.cancel {
            Some(cancel) => match select(Box::pin(settling), cancel.signal()).await {
                Either::Left((result, _)) => result,
                Either::Right(_) => return false,
            },
            None => settling.await,
        };
        match result {
            Ok(settled) => {
                let mut callbacks = lock(self.callbacks);
                for (index, slot) in &settled.outcomes {
                    if let (Some(entry), Some(outcome)) = (self.entry(*index), slot.to_outcome()) {
                        callbacks.outcome(*index, entry, &outcome);
                    }
                }
                callbacks.settled += settled.round.found + settled.round.missing;
                self.report.apply(settled);
                callbacks.standing(self.report);
                true
            }
            Err(error) => {
                self.report.record_failed_round(unknown, &error);
                false
            }
        }
    }

    /// Sends the entries certainly not stored; whether anything is left to
    /// settle.
    async fn resend(&mut self, round: u32) -> bool {
        let (resend, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.unsettled)
            .into_iter()
            .partition(|(index, _)| {
                matches!(
                    self.report.slot(*index),
                    Slot::Other(Outcome::NotSent { .. })
                )
            });
        self.unsettled = kept;
        if resend.is_empty() {
            return false;
        }
        let done = self
            .report
            .reconciliation
            .get_or_insert_with(Reconciliation::default);
        if done.rounds.last().is_none_or(|r| r.round != round) {
            done.rounds.push(ReconcileRound {
                round,
                ..ReconcileRound::default()
            });
        }
        {
            let mut callbacks = lock(self.callbacks);
            let mut base = standing(self.report);
            base.done = base.done.saturating_sub(resend.len() as u64);
            base.not_sent = base.not_sent.saturating_sub(resend.len() as u64);
            callbacks.phase = Phase::Resend;
            callbacks.round = round;
            callbacks.base = Some(base);
        }

        let mut options = self.options.clone();
        options.exactly_once = None;
        options.keep_created = true;
        options.resend_unknown = false;
        let input = stream::iter(resend.iter().map(|(_, entry)| Cow::Borrowed(entry))).boxed();
        let mut upload = Upload::new(self.client, self.report.group, input, None);
        upload.options = options;
        upload.on_progress = Some(progress_hook(self.callbacks));
        upload.cancel = self.cancel.map(Cancel::signal);
        let (sub, leftovers) = Engine::new(upload).run_retaining(None).await;

        let original = |k: u64| resend.get(k as usize).map(|(index, _)| *index);
        {
            let mut callbacks = lock(self.callbacks);
            callbacks.base = None;
            for (k, (index, entry)) in resend.iter().enumerate() {
                let slot = sub.slot(k as u64);
                if let Some(outcome) = slot.to_outcome() {
                    callbacks.outcome(*index, entry, &outcome);
                }
                self.report.set(*index, slot);
            }
        }
        self.report
            .request_ids
            .extend(sub.request_ids.iter().cloned());
        self.report
            .failed_batches
            .extend(sub.failed_batches.iter().map(|failed| BatchFailure {
                first: original(failed.first).unwrap_or(failed.first),
                ..failed.clone()
            }));
        if sub.stop.is_some() {
            self.report.stop = sub.stop.clone();
            self.report.error = sub.error;
        }
        if let Some(last) = self
            .report
            .reconciliation
            .as_mut()
            .and_then(|done| done.rounds.last_mut())
        {
            last.resent = resend.len() as u64;
            last.resend_requests = leftovers.requests;
        }
        self.unsettled.extend(
            leftovers
                .entries
                .into_iter()
                .filter_map(|(k, entry)| Some((original(k)?, entry))),
        );
        self.unsettled.sort_unstable_by_key(|(index, _)| *index);
        lock(self.callbacks).standing(self.report);
        self.report.stop.is_none() && !self.unsettled.is_empty()
    }
}
