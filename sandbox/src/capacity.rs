//! A server with limits for the batch endpoint (`POST
//! /groups/{id}/phones/batch`): so many batches processed at once, each
//! taking a service time per entry, a queue beyond that (where latency
//! grows) and 503 past the queue. Also batches answered late on purpose, to
//! show what one slow batch does to an upload.
//!
//! Service times run on real time (like a fault's latency), not on the
//! sandbox's clock: they are what a client measures.

use std::{
    collections::{BTreeSet, VecDeque},
    sync::{Mutex, MutexGuard, PoisonError},
    time::Duration,
};

use tokio::sync::{Notify, oneshot};

/// How much of the batch endpoint the sandbox serves at once.
///
/// Without one (the default) every batch is handled as it arrives. With
/// one, a batch is served when fewer than [`Capacity::new`]'s `at_once`
/// are; it takes [`Capacity::per_entry`] for each of its entries; it waits
/// in a queue of up to [`Capacity::queue`] batches otherwise, and past that
/// it is refused with 503 (with `Retry-After` when
/// [`Capacity::retry_after`] says so) and not stored.
///
/// ```
/// use std::time::Duration;
/// use lox24_sandbox::{Capacity, Sandbox};
/// # async fn run() -> std::io::Result<()> {
/// let sandbox = Sandbox::builder()
///     .capacity(Capacity::new(2).per_entry(Duration::from_micros(50)).queue(8))
///     .start()
///     .await?;
/// // Later, in the middle of an upload: the server slows down.
/// sandbox.set_capacity(Some(Capacity::new(1).per_entry(Duration::from_micros(50))));
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct Capacity {
    at_once: usize,
    per_entry: Duration,
    queue: usize,
    retry_after: Option<Duration>,
    late: BTreeSet<u64>,
    late_by: Duration,
}

impl Capacity {
    /// Serves `at_once` batches at a time (0 counts as 1), with no service
    /// time and no queue.
    pub fn new(at_once: usize) -> Self {
        Self {
            at_once: at_once.max(1),
            per_entry: Duration::ZERO,
            queue: 0,
            retry_after: None,
            late: BTreeSet::new(),
            late_by: Duration::ZERO,
        }
    }

    /// The time a batch is served for, per entry.
    pub fn per_entry(mut self, time: Duration) -> Self {
        self.per_entry = time;
        self
    }

    /// How many batches may wait for their turn; the next is refused with 503.
    pub fn queue(mut self, batches: usize) -> Self {
        self.queue = batches;
        self
    }

    /// The `Retry-After` of a refusal, in whole seconds (rounded up).
    pub fn retry_after(mut self, wait: Duration) -> Self {
        self.retry_after = Some(wait);
        self
    }

    /// Answers the batch requests with these numbers (counting from 0 in
    /// the order they arrive, refusals included) `delay` after they were
    /// served, or when [`Sandbox::release_late`](crate::Sandbox::release_late)
    /// is called. A late batch is stored at once and holds no place
    /// of the capacity while it waits: it is the answer that is slow.
    pub fn late(mut self, requests: impl IntoIterator<Item = u64>, delay: Duration) -> Self {
        self.late = requests.into_iter().collect();
        self.late_by = delay;
        self
    }
}

/// What the capacity did so far, from [`Sandbox::capacity_stats`](crate::Sandbox::capacity_stats).
///
/// ```
/// let stats = lox24_sandbox::CapacityStats::default();
/// assert_eq!(stats.refused, 0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CapacityStats {
    /// Batch requests that arrived while a capacity was set.
    pub arrived: u64,
    /// Of those, refused with 503 because the queue was full.
    pub refused: u64,
    /// The most batches served at once.
    pub peak_serving: usize,
    /// The most batches waiting at once.
    pub peak_waiting: usize,
    /// Late answers still held.
    pub held: usize,
}

/// The capacity in force and the batches it serves.
#[derive(Default)]
pub(crate) struct Gate {
    state: Mutex<State>,
    /// Wakes the late answers before their time.
    release: Notify,
}

#[derive(Default)]
struct State {
    capacity: Option<Capacity>,
    serving: usize,
    waiting: VecDeque<oneshot::Sender<()>>,
    stats: CapacityStats,
}

/// Whether a batch is served.
pub(crate) enum Admission<'a> {
    /// Served: the place is given back when this is dropped. `late` is how
    /// long the answer waits after serving.
    Served(Place<'a>, Option<Duration>),
    /// Refused with 503, with this `Retry-After` in seconds.
    Refused(Option<u64>),
}

/// A place of the capacity, held while a batch is served.
pub(crate) struct Place<'a>(Option<&'a Gate>);

impl Drop for Place<'_> {
    fn drop(&mut self) {
        if let Some(gate) = self.0 {
            let mut state = gate.lock();
            state.serving -= 1;
            state.hand_on();
        }
    }
}

/// A batch waiting for its turn. Should its request go away, a turn given
/// meanwhile is handed on.
struct Waiting<'a>(&'a Gate, Option<oneshot::Receiver<()>>);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        if let Some(mut turn) = self.1.take() {
            turn.close();
            if turn.try_recv().is_ok() {
                drop(Place(Some(self.0)));
            }
        }
    }
}

impl State {
    /// Lets waiting batches in while the capacity allows.
    fn hand_on(&mut self) {
        let at_once = self.capacity.as_ref().map_or(usize::MAX, |c| c.at_once);
        while self.serving < at_once {
            let Some(next) = self.waiting.pop_front() else {
                break;
            };
            // A waiter whose client went away has dropped its receiver.
            if next.send(()).is_ok() {
                self.serving += 1;
                self.stats.peak_serving = self.stats.peak_serving.max(self.serving);
            }
        }
    }
}

impl Gate {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn set(&self, capacity: Option<Capacity>) {
        let mut state = self.lock();
        state.capacity = capacity;
        state.hand_on();
    }

    pub(crate) fn stats(&self) -> CapacityStats {
        self.lock().stats
    }

    pub(crate) fn release_late(&self) {
        self.release.notify_waiters();
    }

    /// Admits a batch of `body`: at once, after its turn in the queue, or
    /// not at all; then serves it for its entries' time.
    pub(crate) async fn admit(&self, body: &[u8]) -> Admission<'_> {
        let (turn, per_entry, late) = {
            let mut state = self.lock();
            let Some(capacity) = state.capacity.clone() else {
                return Admission::Served(Place(None), None);
            };
            let ordinal = state.stats.arrived;
            state.stats.arrived += 1;
            let late = capacity.late.contains(&ordinal).then_some(capacity.late_by);
            let turn = if state.serving < capacity.at_once && state.waiting.is_empty() {
                state.serving += 1;
                state.stats.peak_serving = state.stats.peak_serving.max(state.serving);
                None
            } else if state.waiting.len() < capacity.queue {
                let (tx, rx) = oneshot::channel();
                state.waiting.push_back(tx);
                state.stats.peak_waiting = state.stats.peak_waiting.max(state.waiting.len());
                Some(rx)
            } else {
                state.stats.refused += 1;
                let seconds = capacity
                    .retry_after
                    .map(|wait| wait.as_secs() + u64::from(wait.subsec_nanos() > 0));
                return Admission::Refused(seconds);
            };
            (turn, capacity.per_entry, late)
        };
        if let Some(turn) = turn {
            let mut waiting = Waiting(self, Some(turn));
            if let Some(turn) = &mut waiting.1 {
                // The sender is only dropped with the gate itself.
                let _ = turn.await;
            }
            waiting.1 = None;
        }
        let place = Place(Some(self));
        let service = per_entry.saturating_mul(count_entries(body));
        if !service.is_zero() {
            tokio::time::sleep(service).await;
        }
        Admission::Served(place, late)
    }

    /// Holds a late answer for `delay`, or until released.
    pub(crate) async fn hold(&self, delay: Duration) {
        let released = self.release.notified();
        self.lock().stats.held += 1;
        tokio::select! {
            () = released => {}
            () = tokio::time::sleep(delay) => {}
        }
        self.lock().stats.held -= 1;
    }
}

/// The elements of a JSON array, counted without parsing them (the handler
/// parses the body afterwards); 0 for anything else.
fn count_entries(body: &[u8]) -> u32 {
    let (mut depth, mut in_text, mut escaped) = (0u32, false, false);
    let (mut commas, mut any) = (0u32, false);
    for &byte in body {
        if in_text {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_text = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b' ' | b'\n' | b'\r' | b'\t' => {}
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => commas += 1,
            _ => {
                any |= depth >= 1;
                match byte {
                    b'"' => in_text = true,
                    b'[' | b'{' => depth += 1,
                    _ => {}
                }
            }
        }
    }
    if any { commas + 1 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_counted_at_the_top_level_only() {
        assert_eq!(count_entries(b"[]"), 0);
        assert_eq!(count_entries(b" [ ] "), 0);
        assert_eq!(count_entries(br#"[{"phone":"+49"}]"#), 1);
        assert_eq!(
            count_entries(br#"[{"phone":"a,b","a":"[x]"},{"phone":"\"]"}, {"b":[1,2]}]"#),
            3
        );
        assert_eq!(count_entries(b"{}"), 0);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_full_queue_refuses_and_a_freed_place_goes_to_the_next_in_line() {
        let gate = Gate::default();
        gate.set(Some(
            Capacity::new(1)
                .queue(1)
                .retry_after(Duration::from_millis(1500)),
        ));
        let Admission::Served(first, None) = gate.admit(b"[{}]").await else {
            panic!("the first batch is served at once");
        };
        let second = gate.admit(b"[{}]");
        tokio::pin!(second);
        // The second waits in the queue: polled once, it is not served yet.
        assert!(futures_poll_once(second.as_mut()).await.is_none());
        assert!(matches!(
            gate.admit(b"[{}]").await,
            Admission::Refused(Some(2))
        ));
        drop(first);
        assert!(matches!(second.await, Admission::Served(..)));
        let stats = gate.stats();
        assert_eq!(
            (
                stats.arrived,
                stats.refused,
                stats.peak_serving,
                stats.peak_waiting
            ),
            (3, 1, 1, 1)
        );
    }

    async fn futures_poll_once<F: std::future::Future + Unpin>(future: F) -> Option<F::Output> {
        let mut future = future;
        std::future::poll_fn(|cx| {
            std::task::Poll::Ready(match std::pin::Pin::new(&mut future).poll(cx) {
                std::task::Poll::Ready(value) => Some(value),
                std::task::Poll::Pending => None,
            })
        })
        .await
    }
}
