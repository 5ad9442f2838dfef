//! How often and how long [`crate::Campaign::wait_with`] asks for a status.

use std::time::Duration;

use tokio::time::Instant;

use crate::Error;

/// How a wait ended without an error.
pub(crate) enum Waited<T> {
    /// The last state read was final.
    Done(T),
    /// The timeout came first: the last state read, and the time waited.
    TimedOut(T, Duration),
}

/// The schedule of status requests while waiting for a campaign: a first
/// pause, growing by a factor after each request up to a ceiling, until a
/// total timeout.
///
/// The default waits 2 s, then 3 s, 4.5 s, … up to 30 s between requests,
/// for at most 30 minutes: a campaign to a few thousand numbers is usually
/// processed within minutes, and a poll every 30 s costs LOX24 little.
///
/// ```
/// use std::time::Duration;
/// use lox24::Polling;
///
/// let polling = Polling::new()
///     .interval(Duration::from_secs(1))
///     .backoff(2.0)
///     .max_interval(Duration::from_secs(5))
///     .timeout(Duration::from_secs(60));
/// let pauses: Vec<u64> = polling.pauses().take(5).map(|d| d.as_secs()).collect();
/// assert_eq!(pauses, [1, 2, 4, 5, 5]);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct Polling {
    interval: Duration,
    backoff: f64,
    max_interval: Duration,
    timeout: Duration,
}

impl Default for Polling {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(2),
            backoff: 1.5,
            max_interval: Duration::from_secs(30),
            timeout: Duration::from_secs(30 * 60),
        }
    }
}

impl Polling {
    /// The default schedule (2 s growing by 1.5× up to 30 s, for 30 minutes).
    pub fn new() -> Self {
        Self::default()
    }

    /// The pause after the first status request.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// How much each pause grows over the previous one; values below 1 (and
    /// NaN) mean a constant pause.
    pub fn backoff(mut self, factor: f64) -> Self {
        self.backoff = if factor >= 1.0 { factor } else { 1.0 };
        self
    }

    /// The longest pause between two requests.
    pub fn max_interval(mut self, max: Duration) -> Self {
        self.max_interval = max;
        self
    }

    /// How long to wait in all before giving up with
    /// [`Error::WaitTimeout`](crate::Error::WaitTimeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The total time allowed.
    pub fn total_timeout(&self) -> Duration {
        self.timeout
    }

    /// Reads the state with `read` on this schedule until `done` says it is
    /// final or the timeout comes; a failed read ends the wait with its
    /// error.
    ///
    /// `read` is a plain closure returning a future, not an async closure:
    /// the futures of async closures are not `Send` for every lifetime,
    /// and a wait must be spawnable.
    pub(crate) async fn wait_until<T, F>(
        &self,
        mut read: impl FnMut() -> F,
        done: impl Fn(&T) -> bool,
    ) -> Result<Waited<T>, Error>
    where
        F: Future<Output = Result<T, Error>>,
    {
        let started = Instant::now();
        let mut pauses = self.pauses();
        loop {
            let last = read().await?;
            if done(&last) {
                return Ok(Waited::Done(last));
            }
            let waited = started.elapsed();
            let Some(left) = self
                .total_timeout()
                .checked_sub(waited)
                .filter(|l| !l.is_zero())
            else {
                return Ok(Waited::TimedOut(last, waited));
            };
            let pause = pauses.next().unwrap_or(Duration::ZERO).min(left);
            tokio::time::sleep(pause).await;
        }
    }

    /// The pauses between requests, in order (without the timeout's cut).
    pub fn pauses(&self) -> impl Iterator<Item = Duration> + use<> {
        let (backoff, max) = (self.backoff, self.max_interval);
        std::iter::successors(Some(self.interval.min(max)), move |pause| {
            // `mul_f64` panics on overflow; the ceiling applies first.
            let next = pause.as_secs_f64() * backoff;
            Some(if next >= max.as_secs_f64() {
                max
            } else {
                Duration::from_secs_f64(next)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_schedule_grows_to_its_ceiling() {
        let pauses: Vec<f64> = Polling::new()
            .pauses()
            .take(8)
            .map(|d| d.as_secs_f64())
            .collect();
        assert_eq!(
            pauses,
            [2.0, 3.0, 4.5, 6.75, 10.125, 15.1875, 22.78125, 30.0]
        );
        assert_eq!(Polling::new().total_timeout(), Duration::from_secs(1800));
    }

    #[test]
    fn a_factor_below_one_or_nan_keeps_the_pause_constant() {
        for factor in [0.5, f64::NAN, -3.0] {
            let polling = Polling::new()
                .interval(Duration::from_millis(7))
                .backoff(factor);
            assert!(
                polling
                    .pauses()
                    .take(4)
                    .all(|d| d == Duration::from_millis(7))
            );
        }
    }

    #[test]
    fn huge_values_stay_at_the_ceiling_without_overflow() {
        let polling = Polling::new()
            .interval(Duration::MAX)
            .backoff(f64::MAX)
            .max_interval(Duration::from_secs(u64::MAX / 2));
        assert!(
            polling
                .pauses()
                .take(3)
                .all(|d| d == Duration::from_secs(u64::MAX / 2))
        );
    }
}
