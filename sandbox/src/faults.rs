//! Faults injected on purpose, per operation: added latency, a share of 5xx
//! answers, connections dropped before or after the request is processed,
//! answers held back after the request is processed, and forced 402 / 403
//! answers.
//!
//! Whether a request meets a fault is drawn from the sandbox's seed, the
//! operation and the request's number among that operation's requests, so a
//! given seed always fails the same requests.

use std::{
    sync::{Mutex, PoisonError},
    time::Duration,
};

use super::{random::draw, routes::Operation};

/// What can go wrong with the requests of an operation.
///
/// Shares are probabilities from 0.0 (never, the default) to 1.0 (always);
/// values outside are clamped. A 5xx fault and a drop before processing
/// leave the sandbox's data untouched; a drop after processing applies the
/// request and then closes the connection without an answer, and a late
/// answer applies it and answers only after a delay (longer than the
/// client's timeout, the client gives up first): both make an outcome
/// ambiguous for the client, while the group's listing and CSV export show
/// exactly what was stored.
///
/// ```
/// use std::time::Duration;
/// use lox24_sandbox::Fault;
///
/// let flaky = Fault::new()
///     .latency(Duration::from_millis(20))
///     .server_errors(0.1)
///     .drop_after_processing(0.05);
/// let broke = Fault::new().insufficient_funds();
/// # let _ = (flaky, broke);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use]
pub struct Fault {
    latency: Duration,
    server_errors: f64,
    server_error_status: Option<u16>,
    drop_before: f64,
    drop_after: f64,
    late: f64,
    late_by: Duration,
    forced: Option<u16>,
    from_request: u64,
    to_request: Option<u64>,
}

impl Fault {
    /// No fault.
    pub fn new() -> Self {
        Self::default()
    }

    /// Waits this long (real time) before handling each request.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Answers this share of requests with a server error (503 unless
    /// [`Fault::server_error_status`] says otherwise), without processing them.
    pub fn server_errors(mut self, share: f64) -> Self {
        self.server_errors = clamp(share);
        self
    }

    /// The status of the server errors: 500 to 599 (others are ignored).
    pub fn server_error_status(mut self, status: u16) -> Self {
        self.server_error_status = (500..=599).contains(&status).then_some(status);
        self
    }

    /// Closes the connection without an answer, before processing, for this
    /// share of requests (the body is read first).
    pub fn drop_before_processing(mut self, share: f64) -> Self {
        self.drop_before = clamp(share);
        self
    }

    /// Processes this share of requests, then closes the connection without
    /// an answer.
    pub fn drop_after_processing(mut self, share: f64) -> Self {
        self.drop_after = clamp(share);
        self
    }

    /// Processes this share of requests, then waits `by` (real time) before
    /// answering: with `by` longer than the client's timeout, the request
    /// took effect but the client never hears of it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use lox24_sandbox::Fault;
    ///
    /// // 1 % of the answers come 3 s late, after a client timeout of 1 s.
    /// let late = Fault::new().answer_late(0.01, Duration::from_secs(3));
    /// # let _ = late;
    /// ```
    pub fn answer_late(mut self, share: f64, by: Duration) -> Self {
        self.late = clamp(share);
        self.late_by = by;
        self
    }

    /// Answers every authenticated request with 402 (not enough credit).
    pub fn insufficient_funds(mut self) -> Self {
        self.forced = Some(402);
        self
    }

    /// Answers every authenticated request with 403 (account not activated).
    pub fn forbidden(mut self) -> Self {
        self.forced = Some(403);
        self
    }
}

impl Fault {
    /// Spares the operation's first `n` requests (counted since the sandbox
    /// started, whether they met a fault or not): the fault applies from
    /// request `n` on, counting from 0. A test can so let a run start well
    /// and fail at a known request, without watching it.
    ///
    /// ```
    /// use lox24_sandbox::{Fault, Operation, Sandbox};
    /// # async fn run() -> std::io::Result<()> {
    /// // The first batch is stored; every later one is refused with 402.
    /// let sandbox = Sandbox::builder()
    ///     .fault(Operation::AddPhonesBatch, Fault::new().insufficient_funds().from_request(1))
    ///     .start()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn from_request(mut self, n: u64) -> Self {
        self.from_request = n;
        self
    }

    /// Spares the operation's requests from request `n` on (counting from
    /// 0, as [`Fault::from_request`] does): with it, the fault applies to
    /// requests `from..n` only, so that a test can fail exactly the
    /// requests it means to.
    ///
    /// ```
    /// use lox24_sandbox::{Fault, Operation, Sandbox};
    /// # async fn run() -> std::io::Result<()> {
    /// // Requests 1 and 2 lose their connection before being processed.
    /// let sandbox = Sandbox::builder()
    ///     .fault(
    ///         Operation::AddPhonesBatch,
    ///         Fault::new().drop_before_processing(1.0).from_request(1).to_request(3),
    ///     )
    ///     .start()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn to_request(mut self, n: u64) -> Self {
        self.to_request = Some(n);
        self
    }
}

fn clamp(share: f64) -> f64 {
    if share.is_nan() {
        0.0
    } else {
        share.clamp(0.0, 1.0)
    }
}

/// What happens to one request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Decision {
    pub(crate) latency: Duration,
    pub(crate) drop_before: bool,
    pub(crate) server_error: Option<u16>,
    pub(crate) forced: Option<u16>,
    pub(crate) drop_after: bool,
    /// How long to hold the answer back after processing.
    pub(crate) late: Option<Duration>,
}

/// The faults in force: one for every operation, overridden per operation.
pub(crate) struct Faults {
    seed: u64,
    table: Mutex<Table>,
}

struct Table {
    all: Option<Fault>,
    each: [Option<Fault>; Operation::ALL.len()],
}

// Arrays of more than 32 elements have no derived `Default`.
impl Default for Table {
    fn default() -> Self {
        Self {
            all: None,
            each: std::array::from_fn(|_| None),
        }
    }
}

// Salts, so that the draws for different faults of one request differ.
const DROP_BEFORE: u64 = 1;
const SERVER_ERROR: u64 = 2;
const DROP_AFTER: u64 = 3;
const LATE: u64 = 4;

impl Faults {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            seed,
            table: Mutex::new(Table::default()),
        }
    }

    pub(crate) fn set(&self, operation: Option<Operation>, fault: Option<Fault>) {
        let mut table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        match operation {
            Some(op) => table.each[op.index()] = fault,
            None => table.all = fault,
        }
    }

    pub(crate) fn clear(&self) {
        *self.table.lock().unwrap_or_else(PoisonError::into_inner) = Table::default();
    }

    /// The fate of the `ordinal`-th request (from 0) of `op`.
    pub(crate) fn decide(&self, op: Operation, ordinal: u64) -> Decision {
        let fault = {
            let table = self.table.lock().unwrap_or_else(PoisonError::into_inner);
            match table.each[op.index()].as_ref().or(table.all.as_ref()) {
                Some(fault)
                    if ordinal >= fault.from_request
                        && fault.to_request.is_none_or(|to| ordinal < to) =>
                {
                    fault.clone()
                }
                _ => return Decision::default(),
            }
        };
        let meets = |share: f64, salt: u64| {
            share > 0.0 && draw(self.seed, &[op.index() as u64, ordinal, salt]) < share
        };
        Decision {
            latency: fault.latency,
            drop_before: meets(fault.drop_before, DROP_BEFORE),
            server_error: meets(fault.server_errors, SERVER_ERROR)
                .then(|| fault.server_error_status.unwrap_or(503)),
            forced: fault.forced,
            drop_after: meets(fault.drop_after, DROP_AFTER),
            late: meets(fault.late, LATE).then_some(fault.late_by),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_drawn_per_request_and_replay_with_the_seed() {
        let faults = Faults::new(11);
        faults.set(
            Some(Operation::AddPhonesBatch),
            Some(Fault::new().server_errors(0.3).server_error_status(500)),
        );
        let errors: Vec<bool> = (0..1000)
            .map(|n| faults.decide(Operation::AddPhonesBatch, n).server_error == Some(500))
            .collect();
        let count = errors.iter().filter(|&&e| e).count();
        assert!((250..350).contains(&count), "{count}");
        let again = Faults::new(11);
        again.set(
            Some(Operation::AddPhonesBatch),
            Some(Fault::new().server_errors(0.3)),
        );
        let replay: Vec<bool> = (0..1000)
            .map(|n| {
                again
                    .decide(Operation::AddPhonesBatch, n)
                    .server_error
                    .is_some()
            })
            .collect();
        assert_eq!(errors, replay);
        // Other operations are untouched.
        assert_eq!(
            faults.decide(Operation::CreateGroup, 0),
            Decision::default()
        );
    }

    #[test]
    fn late_answers_are_drawn_apart_from_drops() {
        let faults = Faults::new(5);
        let by = Duration::from_millis(1500);
        faults.set(
            Some(Operation::AddPhonesBatch),
            Some(Fault::new().answer_late(0.5, by).drop_after_processing(0.5)),
        );
        let decisions: Vec<Decision> = (0..400)
            .map(|n| faults.decide(Operation::AddPhonesBatch, n))
            .collect();
        let late = decisions.iter().filter(|d| d.late == Some(by)).count();
        let both = decisions
            .iter()
            .filter(|d| d.late.is_some() && d.drop_after)
            .count();
        assert!((150..250).contains(&late), "{late}");
        // Independent draws: about a quarter meet both, not half or none.
        assert!((60..140).contains(&both), "{both}");
        assert!(decisions.iter().all(|d| d.late.is_none_or(|l| l == by)));
    }

    #[test]
    fn a_fault_can_spare_the_first_requests() {
        let faults = Faults::new(0);
        faults.set(
            Some(Operation::AddPhonesBatch),
            Some(Fault::new().insufficient_funds().from_request(2)),
        );
        let forced: Vec<_> = (0..4)
            .map(|n| faults.decide(Operation::AddPhonesBatch, n).forced)
            .collect();
        assert_eq!(forced, [None, None, Some(402), Some(402)]);
        faults.set(
            Some(Operation::AddPhonesBatch),
            Some(
                Fault::new()
                    .insufficient_funds()
                    .from_request(1)
                    .to_request(3),
            ),
        );
        let forced: Vec<_> = (0..4)
            .map(|n| faults.decide(Operation::AddPhonesBatch, n).forced)
            .collect();
        assert_eq!(forced, [None, Some(402), Some(402), None]);
    }

    #[test]
    fn an_operation_s_fault_overrides_the_one_for_all() {
        let faults = Faults::new(0);
        faults.set(None, Some(Fault::new().latency(Duration::from_millis(5))));
        faults.set(
            Some(Operation::CreateBulk),
            Some(Fault::new().insufficient_funds()),
        );
        assert_eq!(
            faults.decide(Operation::GetBulk, 0).latency,
            Duration::from_millis(5)
        );
        let bulk = faults.decide(Operation::CreateBulk, 0);
        assert_eq!((bulk.latency, bulk.forced), (Duration::ZERO, Some(402)));
        faults.clear();
        assert_eq!(faults.decide(Operation::GetBulk, 0), Decision::default());
    }

    #[test]
    fn shares_are_clamped_and_all_or_nothing_at_the_ends() {
        let faults = Faults::new(3);
        faults.set(
            None,
            Some(
                Fault::new()
                    .drop_before_processing(7.0)
                    .drop_after_processing(f64::NAN),
            ),
        );
        for n in 0..100 {
            let d = faults.decide(Operation::GetGroup, n);
            assert!(d.drop_before && !d.drop_after);
        }
        assert_eq!(Fault::new().server_error_status(404), Fault::new());
    }
}
