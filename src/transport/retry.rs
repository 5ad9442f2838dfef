//! When a failed request is sent again, and how long to wait first.
//!
//! Only failures that repeating cannot make worse are retried:
//!
//! - the request certainly never reached LOX24 (no connection could be made)
//!   or LOX24 said it did not act on it (503): always;
//! - the request may have reached LOX24 (a timeout after sending, a
//!   connection lost while waiting, 500, 502, 504): for idempotent methods
//!   only, and for `POST` only in the opt-in at-least-once mode, since a
//!   second `POST` may create a second resource;
//! - never 400, 401, 402, 403, 404, 422, and never 429: LOX24 answers 429
//!   while it blocks the IP address for ten minutes, and early attempts only
//!   keep the block going.

use std::{
    hash::{BuildHasher, RandomState},
    time::Duration,
};

use reqwest::StatusCode;

/// How the client repeats requests that failed without doing harm.
///
/// Every request of a [`Client`](crate::Client) follows its policy (set with
/// [`ClientBuilder::retry`](crate::ClientBuilder::retry)); an upload can use
/// its own ([`Upload::retry`](crate::upload::Upload::retry)). Delays grow
/// exponentially from the [base delay](RetryPolicy::with_base_delay) up to
/// the [maximum delay](RetryPolicy::with_max_delay), with full jitter (each
/// wait is drawn uniformly between zero and that bound, so that many
/// clients that failed together do not come back together). A
/// `Retry-After` header, when LOX24 sends one, replaces the drawn delay if
/// it is at most [this long](RetryPolicy::with_max_retry_after); a longer
/// one ends the retries and the error reports it through
/// [`Error::retry_after`](crate::Error::retry_after).
///
/// What is retried: a request that certainly never reached LOX24 (the
/// connection could not be made) and a 503, for every operation; a timeout,
/// a lost connection, a 500, 502 or 504 only for idempotent requests, because
/// a `POST` may already have created its resource. Such a `POST` failure is
/// returned as [`Error::Ambiguous`](crate::Error::Ambiguous), unless
/// [`at_least_once`](RetryPolicy::at_least_once) allows repeating it (and
/// accepting duplicates). A 400, 401, 402, 403, 404, 422 or 429 is never
/// retried.
///
/// ```
/// use std::time::Duration;
/// use lox24::RetryPolicy;
///
/// let default = RetryPolicy::default();
/// assert_eq!(default.max_attempts(), 4);
///
/// let patient = RetryPolicy::default()
///     .with_max_attempts(6)
///     .with_base_delay(Duration::from_secs(1))
///     .with_max_delay(Duration::from_secs(60));
/// assert_eq!(patient.delay_bound(1), Duration::from_secs(1));
/// assert_eq!(patient.delay_bound(4), Duration::from_secs(8));
/// assert_eq!(patient.delay_bound(10), Duration::from_secs(60));
///
/// assert_eq!(RetryPolicy::none().max_attempts(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    at_least_once: bool,
}

impl Default for RetryPolicy {
    /// Four attempts, delays from 0.5 s doubling up to 30 s, `Retry-After`
    /// honoured up to 60 s, ambiguous `POST` failures reported, not repeated.
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
            at_least_once: false,
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn none() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// Sends a request at most `attempts` times in all (the first included);
    /// 0 counts as 1.
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The bound of the first delay; each later bound doubles it.
    #[must_use]
    pub fn with_base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The largest bound of a drawn delay.
    #[must_use]
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest `Retry-After` waited for; a longer one ends the retries.
    #[must_use]
    pub fn with_max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Also repeats a `POST` that may have reached LOX24 (a timeout after
    /// sending, a lost connection, 500, 502, 504). LOX24 may then carry it out
    /// twice: for a phone upload, an entry may be stored twice. Off by default.
    #[must_use]
    pub fn at_least_once(mut self, yes: bool) -> Self {
        self.at_least_once = yes;
        self
    }

    /// How many times a request is sent at most.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether ambiguous `POST` failures are repeated.
    pub fn is_at_least_once(&self) -> bool {
        self.at_least_once
    }

    /// The upper bound of the delay before retry number `retry` (1 for the
    /// first retry): `base_delay × 2^(retry − 1)`, at most `max_delay`. The
    /// delay waited is drawn uniformly between zero and this bound.
    pub fn delay_bound(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        self.base_delay
            .checked_mul(factor)
            .map_or(self.max_delay, |d| d.min(self.max_delay))
    }

    /// What to do after attempt number `attempt` (1 for the first) failed.
    pub(crate) fn decide(&self, failure: Failure, idempotent: bool, attempt: u32) -> Decision {
        let allowed = match failure.kind {
            FailureKind::NeverReached => true,
            FailureKind::MayHaveReached => idempotent || self.at_least_once,
            FailureKind::Final => false,
        };
        if !allowed || attempt >= self.max_attempts {
            return Decision::Stop;
        }
        match failure.retry_after {
            Some(wait) if wait > self.max_retry_after => Decision::Stop,
            Some(wait) => Decision::RetryAfter(wait),
            None => Decision::RetryAfter(jitter(self.delay_bound(attempt))),
        }
    }
}

/// What an attempt's result means for a retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    pub kind: FailureKind,
    pub retry_after: Option<Duration>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FailureKind {
    /// LOX24 certainly did not act on the request.
    NeverReached,
    /// LOX24 may have acted on the request.
    MayHaveReached,
    /// An answer or failure that repeating will not change (or may worsen).
    Final,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    Stop,
    RetryAfter(Duration),
}

impl Failure {
    /// Classifies one attempt; `None` for a success.
    pub(crate) fn of(result: &reqwest::Result<reqwest::Response>) -> Option<Self> {
        match result {
            Ok(response) => Self::of_status(
                response.status(),
                crate::error::retry_after(response.headers()),
            ),
            Err(error) => Some(Self {
                kind: if error.is_connect() {
                    FailureKind::NeverReached
                } else if error.is_timeout() || error.is_request() || error.is_body() {
                    FailureKind::MayHaveReached
                } else {
                    // A builder or redirect error: sending it again changes nothing.
                    FailureKind::Final
                },
                retry_after: None,
            }),
        }
    }

    fn of_status(status: StatusCode, retry_after: Option<Duration>) -> Option<Self> {
        let kind = match status.as_u16() {
            100..=399 => return None,
            503 => FailureKind::NeverReached,
            500 | 502 | 504 => FailureKind::MayHaveReached,
            _ => FailureKind::Final,
        };
        Some(Self { kind, retry_after })
    }
}

/// A duration drawn uniformly from `[0, bound]` ("full jitter").
fn jitter(bound: Duration) -> Duration {
    // Each `RandomState` has fresh random keys, which is all the randomness
    // spreading retries needs.
    let bits = RandomState::new().hash_one(0u8) >> 11; // 53 random bits
    bound.mul_f64(bits as f64 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(kind: FailureKind) -> Failure {
        Failure {
            kind,
            retry_after: None,
        }
    }

    #[test]
    fn statuses_are_classified() {
        use FailureKind::*;
        for (status, expected) in [
            (200, None),
            (201, None),
            (204, None),
            (400, Some(Final)),
            (401, Some(Final)),
            (402, Some(Final)),
            (403, Some(Final)),
            (404, Some(Final)),
            (422, Some(Final)),
            (429, Some(Final)),
            (500, Some(MayHaveReached)),
            (501, Some(Final)),
            (502, Some(MayHaveReached)),
            (503, Some(NeverReached)),
            (504, Some(MayHaveReached)),
        ] {
            let got = Failure::of_status(StatusCode::from_u16(status).unwrap(), None);
            assert_eq!(got.map(|f| f.kind), expected, "{status}");
        }
    }

    #[test]
    fn only_harmless_failures_are_retried() {
        let policy = RetryPolicy::default().with_base_delay(Duration::ZERO);
        let retries =
            |kind, idempotent| policy.decide(failure(kind), idempotent, 1) != Decision::Stop;
        assert!(retries(FailureKind::NeverReached, false));
        assert!(retries(FailureKind::NeverReached, true));
        assert!(retries(FailureKind::MayHaveReached, true));
        assert!(
            !retries(FailureKind::MayHaveReached, false),
            "a POST may have taken effect"
        );
        assert!(!retries(FailureKind::Final, true));

        let at_least_once = policy.at_least_once(true);
        let decision = at_least_once.decide(failure(FailureKind::MayHaveReached), false, 1);
        assert_eq!(decision, Decision::RetryAfter(Duration::ZERO));
    }

    #[test]
    fn attempts_are_bounded() {
        let policy = RetryPolicy::default().with_max_attempts(3);
        let decide = |attempt| policy.decide(failure(FailureKind::NeverReached), true, attempt);
        assert_ne!(decide(1), Decision::Stop);
        assert_ne!(decide(2), Decision::Stop);
        assert_eq!(decide(3), Decision::Stop);
        let none = RetryPolicy::none();
        assert_eq!(
            none.decide(failure(FailureKind::NeverReached), true, 1),
            Decision::Stop
        );
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
    }

    #[test]
    fn delays_grow_exponentially_up_to_the_cap_with_full_jitter() {
        let policy = RetryPolicy::default()
            .with_base_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_secs(1));
        let bounds: Vec<_> = (1..=6).map(|r| policy.delay_bound(r).as_millis()).collect();
        assert_eq!(bounds, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(policy.delay_bound(u32::MAX), Duration::from_secs(1));

        let drawn: Vec<_> = (0..200)
            .map(
                |_| match policy.decide(failure(FailureKind::NeverReached), true, 3) {
                    Decision::RetryAfter(d) => d,
                    Decision::Stop => panic!("retried"),
                },
            )
            .collect();
        assert!(drawn.iter().all(|d| *d <= Duration::from_millis(400)));
        // Uniform over [0, 400 ms]: 200 draws all in one half would be a broken generator.
        assert!(drawn.iter().any(|d| *d < Duration::from_millis(200)));
        assert!(drawn.iter().any(|d| *d > Duration::from_millis(200)));
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let policy = RetryPolicy::default().with_max_retry_after(Duration::from_secs(10));
        let asked = |secs| Failure {
            kind: FailureKind::NeverReached,
            retry_after: Some(Duration::from_secs(secs)),
        };
        assert_eq!(
            policy.decide(asked(7), false, 1),
            Decision::RetryAfter(Duration::from_secs(7))
        );
        assert_eq!(policy.decide(asked(11), false, 1), Decision::Stop);
    }
}
