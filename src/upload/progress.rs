//! Where an upload stands while it runs.

use super::slot::Kind;

/// A snapshot of an upload, handed to
/// [`Upload::on_progress`](crate::upload::Upload::on_progress) whenever it changes.
///
/// Counts are of input entries. `done` counts entries whose outcome is
/// settled, in the order batches are answered (the report itself is in
/// input order).
///
/// ```
/// let progress = lox24::upload::Progress::default();
/// assert_eq!(progress.fraction(), None);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Entries with a settled outcome.
    pub done: u64,
    /// Entries in the input, when known (an input with an exact length, or
    /// once it has been read to the end).
    pub total: Option<u64>,
    /// Entries stored.
    pub created: u64,
    /// Entries refused (locally or by LOX24).
    pub rejected: u64,
    /// Entries certainly not stored.
    pub not_sent: u64,
    /// Entries whose outcome is not known.
    pub unknown: u64,
    /// Entries in requests on their way.
    pub in_flight: u64,
    /// What the upload is doing (in exactly-once mode, more than sending).
    pub phase: Phase,
    /// In exactly-once mode, the reconciliation under way (from 1; 0 before
    /// the first).
    pub round: u32,
    /// In exactly-once mode, `Unknown` entries settled by reconciliation so far.
    pub settled: u64,
    /// Requests that may be on their way at once now: the adaptive limit
    /// (see [`Upload::max_concurrency`](crate::upload::Upload::max_concurrency)),
    /// or the fixed concurrency.
    pub concurrency_limit: usize,
}

/// What an upload is doing, in [`Progress::phase`].
///
/// ```
/// use lox24::upload::{Phase, Progress};
/// assert_eq!(Progress::default().phase, Phase::Upload);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Phase {
    /// Reading the group before the upload (exactly-once mode).
    Baseline,
    /// Sending the input.
    #[default]
    Upload,
    /// Reading the group to settle the `Unknown` entries (exactly-once mode).
    Reconcile,
    /// Sending again the entries certainly not stored (exactly-once mode).
    Resend,
}

impl Progress {
    /// `done / total`, when the total is known.
    pub fn fraction(&self) -> Option<f64> {
        match self.total {
            Some(0) => Some(1.0),
            Some(total) => Some(self.done as f64 / total as f64),
            None => None,
        }
    }

    pub(super) fn count(&mut self, kind: Kind) {
        self.done += 1;
        match kind {
            Kind::Created => self.created += 1,
            Kind::Rejected => self.rejected += 1,
            Kind::NotSent => self.not_sent += 1,
            Kind::Unknown => self.unknown += 1,
        }
    }
}
