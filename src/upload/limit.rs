//! How many batch requests an upload keeps on their way: a fixed number, or
//! a limit that adapts to the server (TCP Vegas's rule, applied to requests).
//!
//! Why Vegas. Every batch is the same work for the server, so the latency of
//! a batch is a clean signal: while the server has room it stays at its
//! no-load value, and once requests queue it grows in proportion to the
//! queue. Vegas reads the queue from that (`limit × (1 − no_load / latency)`
//! requests waiting) and holds it at a few requests, before the server has
//! to refuse anything. AIMD alone learns the capacity only from refusals,
//! so it keeps probing into 503s (one per cycle, forever), which a server
//! with a queue limit punishes with `Retry-After` waits. Gradient2 compares
//! a short with a long moving average of latency, which needs many samples
//! per second to settle; an upload sends a few batches per second. Refusals
//! (503, 429) still halve the limit, as AIMD would, at most once per round
//! of requests.
//!
//! Rounds. One sample (a batch's latency) is noisy: a batch answered late
//! for reasons of its own must not move the limit. (The no-load latency is
//! the lowest sample, though: the first request, sent alone while the
//! credentials are unproven, usually gives it.) The limit changes once
//! per round of `limit` answers, on the round's mean latency with each
//! sample capped at twice the median (see `typical`), like Vegas's
//! once-per-round-trip. Until the first sign of a queue it doubles per round
//! (slow start), then it grows by the room left below the queue it aims at
//! (at least one request per round), and drops at once to the estimated
//! capacity (plus that queue) when the queue grows past the upper bound.

use std::time::Duration;

/// Requests on their way at once unless the latency shows a queue: the
/// upload starts here (after the first request has proved the credentials).
pub(super) const INITIAL_LIMIT: usize = super::DEFAULT_CONCURRENCY;
/// Below this estimated queue (in requests), the limit grows: 2, or more
/// at a high limit, where the same jitter of latency reads as a longer
/// queue (Netflix's concurrency-limits scales its bounds the same way).
fn alpha(limit: f64) -> f64 {
    (3.0 * limit.log10()).max(2.0)
}

/// Above this estimated queue, the limit drops to the estimated capacity
/// plus [`alpha`].
fn beta(limit: f64) -> f64 {
    (6.0 * limit.log10()).max(4.0)
}

/// What an answered request tells the limit.
#[derive(Clone, Copy, Debug)]
pub(super) struct Sample {
    /// From sending the last attempt to its answer's head.
    pub latency: Option<Duration>,
    /// The server refused an attempt for load (503, 429).
    pub overloaded: bool,
    /// Every place of the limit was taken when the request was sent: a
    /// limit that is not used is not raised.
    pub window_full: bool,
    /// [`Limiter::generation`] when the request was sent.
    pub generation: u64,
    /// The request carried at least half a batch: smaller ones say little
    /// about a full batch's latency.
    pub full_size: bool,
}

/// The limit of an upload.
#[derive(Debug)]
pub(super) enum Limiter {
    Fixed(usize),
    Adaptive(Vegas),
}

impl Limiter {
    pub fn fixed(requests: usize) -> Self {
        Self::Fixed(requests.max(1))
    }

    pub fn adaptive(max: usize) -> Self {
        Self::Adaptive(Vegas::new(max.max(1)))
    }

    /// Requests that may be on their way now.
    pub fn limit(&self) -> usize {
        match self {
            Self::Fixed(limit) => *limit,
            Self::Adaptive(vegas) => vegas.limit,
        }
    }

    /// The most the limit can be.
    pub fn max(&self) -> usize {
        match self {
            Self::Fixed(limit) => *limit,
            Self::Adaptive(vegas) => vegas.max,
        }
    }

    /// Counts the decreases, so that the answers to requests sent before one
    /// do not cause another.
    pub fn generation(&self) -> u64 {
        match self {
            Self::Fixed(_) => 0,
            Self::Adaptive(vegas) => vegas.generation,
        }
    }

    pub fn observe(&mut self, sample: Sample) {
        if let Self::Adaptive(vegas) = self {
            vegas.observe(sample);
        }
    }
}

#[derive(Debug)]
pub(super) struct Vegas {
    limit: usize,
    max: usize,
    /// The lowest latency seen: the latency without a queue.
    no_load: Option<Duration>,
    round: Vec<Duration>,
    /// Whether a request of this round found the limit used up.
    round_full: bool,
    slow_start: bool,
    generation: u64,
}

impl Vegas {
    fn new(max: usize) -> Self {
        Self {
            limit: INITIAL_LIMIT.min(max),
            max,
            no_load: None,
            round: Vec::with_capacity(max),
            round_full: false,
            slow_start: true,
            generation: 0,
        }
    }

    fn observe(&mut self, sample: Sample) {
        if sample.overloaded {
            // Once per round: the refusals of requests sent before the last
            // decrease were caused by the limit before it.
            if sample.generation == self.generation {
                self.decrease_to(self.limit / 2);
            }
            return;
        }
        // A request sent before the last decrease met the queue that caused it.
        let current = sample.generation == self.generation;
        let Some(latency) = sample.latency.filter(|_| sample.full_size && current) else {
            return;
        };
        self.round.push(latency);
        self.no_load = Some(self.no_load.map_or(latency, |n| n.min(latency)));
        self.round_full |= sample.window_full;
        if self.round.len() >= self.limit {
            self.end_round();
        }
    }

    fn end_round(&mut self) {
        let latency = typical(&mut self.round);
        let full = self.round_full;
        self.round.clear();
        self.round_full = false;
        let Some(no_load) = self.no_load.filter(|_| !latency.is_zero()) else {
            return;
        };
        let share_served = no_load.as_secs_f64() / latency.as_secs_f64();
        let limit = self.limit as f64;
        let queue = limit * (1.0 - share_served);
        if queue > beta(limit) {
            // What the server serves at once, and the queue aimed at.
            self.decrease_to((limit * share_served + alpha(limit)).floor() as usize);
        } else if queue >= alpha(limit) {
            self.slow_start = false;
        } else if full {
            // Slow start ends with the queue aimed at (above); after it,
            // up to that queue, at least one more.
            let grown = if self.slow_start {
                self.limit * 2
            } else {
                self.limit + ((alpha(limit) - queue) as usize).max(1)
            };
            self.limit = grown.min(self.max);
        }
    }

    fn decrease_to(&mut self, limit: usize) {
        self.limit = limit.clamp(1, self.limit);
        self.slow_start = false;
        self.generation += 1;
        self.round.clear();
        self.round_full = false;
    }
}

/// The latency of a round: the mean, as Little's law needs it (requests on
/// their way = throughput × mean latency), of the samples capped at twice
/// the median. A server answers its requests in waves, so when a few queue,
/// fewer than half the round wait and the median alone reads no queue at
/// all; the cap keeps one batch answered late for reasons of its own from
/// moving the mean much.
fn typical(round: &mut [Duration]) -> Duration {
    round.sort_unstable();
    let cap = round[round.len() / 2].saturating_mul(2);
    let total: f64 = round
        .iter()
        .map(|&sample| sample.min(cap).as_secs_f64())
        .sum();
    Duration::try_from_secs_f64(total / round.len() as f64).unwrap_or(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A server serving `capacity` requests at once, `service` each: the
    /// latency of a request when `in_flight` are on their way.
    fn latency(in_flight: usize, capacity: usize, service: Duration) -> Duration {
        service.mul_f64((in_flight as f64 / capacity as f64).max(1.0))
    }

    fn answered(limiter: &mut Limiter, latency: Duration) {
        let generation = limiter.generation();
        limiter.observe(Sample {
            latency: Some(latency),
            overloaded: false,
            window_full: true,
            generation,
            full_size: true,
        });
    }

    /// Runs `rounds` rounds against the model server; returns the limits.
    fn run(limiter: &mut Limiter, capacity: usize, rounds: usize) -> Vec<usize> {
        let service = Duration::from_millis(10);
        (0..rounds)
            .map(|_| {
                let limit = limiter.limit();
                for _ in 0..limit {
                    answered(limiter, latency(limit, capacity, service));
                }
                limiter.limit()
            })
            .collect()
    }

    /// A server with `capacity` places, each serving one request for
    /// `service`, and a queue in front of them (first come, first served),
    /// against a client that keeps the limit's requests on their way and
    /// sends the next as soon as one is answered: the requests of a wave
    /// are answered together, so those that queued wait a whole service
    /// more, and most of a round see no queue at all. Returns the limit
    /// after each of `answers` answers.
    fn waves(limiter: &mut Limiter, capacity: usize, answers: usize) -> Vec<usize> {
        use std::collections::VecDeque;
        let service = Duration::from_millis(50);
        let mut now = Duration::ZERO;
        // When each request was sent, and when each place frees up.
        let mut waiting: VecDeque<Duration> = VecDeque::new();
        let mut serving: Vec<(Duration, Duration)> = Vec::new();
        let mut limits = Vec::with_capacity(answers);
        while limits.len() < answers {
            while serving.len() + waiting.len() < limiter.limit() {
                waiting.push_back(now);
            }
            while serving.len() < capacity {
                let Some(sent) = waiting.pop_front() else {
                    break;
                };
                serving.push((sent, now + service));
            }
            // The wave that ends first is answered, request by request.
            serving.sort_by_key(|&(_, done)| std::cmp::Reverse(done));
            let Some((sent, done)) = serving.pop() else {
                break;
            };
            now = done;
            let generation = limiter.generation();
            limiter.observe(Sample {
                latency: Some(done - sent),
                overloaded: false,
                window_full: true,
                generation,
                full_size: true,
            });
            limits.push(limiter.limit());
        }
        limits
    }

    #[test]
    fn a_queue_answered_in_waves_holds_the_limit_a_few_above_the_capacity() {
        for capacity in [4, 16, 32] {
            let mut limiter = Limiter::adaptive(256);
            let limits = waves(&mut limiter, capacity, 4000);
            // Past the start, the queue stays between the bounds: the
            // requests that waited a wave count, though fewer than half
            // of each round did.
            let most = capacity + beta(capacity as f64) as usize + 1;
            let late = &limits[2000..];
            assert!(
                late.iter().all(|&l| (capacity + 1..=most).contains(&l)),
                "capacity {capacity}: {:?}",
                &late[late.len() - 20..]
            );
        }
    }

    #[test]
    fn the_limit_doubles_while_latency_holds_then_settles_above_the_capacity() {
        let mut limiter = Limiter::adaptive(64);
        assert_eq!(limiter.limit(), INITIAL_LIMIT);
        let limits = run(&mut limiter, 13, 12);
        assert_eq!(&limits[..3], [8, 16, 32]);
        // 32 against 13: a queue of 19 brings it down to 13 and a queue
        // within the bounds, where it stays.
        let settled = limits[3];
        assert!((13 + 3..=13 + 8).contains(&settled), "{limits:?}");
        assert!(limits[3..].iter().all(|&l| l == settled), "{limits:?}");
    }

    #[test]
    fn a_round_reads_as_its_mean_with_samples_capped_at_twice_the_median() {
        let ms = Duration::from_millis;
        // A wave of 16 answered at once and 4 that queued a wave more.
        let mut wave: Vec<_> = [ms(50); 16].into_iter().chain([ms(100); 4]).collect();
        assert_eq!(typical(&mut wave), ms(60));
        // One answer 100 times late counts as twice the median.
        let mut late: Vec<_> = [ms(10); 7].into_iter().chain([ms(1000)]).collect();
        assert_eq!(typical(&mut late), Duration::from_micros(11_250));
        // Latencies no clock gives do not overflow.
        assert_eq!(typical(&mut [Duration::MAX; 3]), Duration::MAX);
        assert_eq!(typical(&mut [Duration::ZERO]), Duration::ZERO);
    }

    #[test]
    fn the_limit_never_passes_the_maximum() {
        let mut limiter = Limiter::adaptive(6);
        let limits = run(&mut limiter, 100, 10);
        assert_eq!(limits, [6; 10]);
    }

    #[test]
    fn rising_latency_brings_the_limit_down_to_the_capacity_and_a_small_queue() {
        let mut limiter = Limiter::adaptive(32);
        run(&mut limiter, 100, 5);
        assert_eq!(limiter.limit(), 32);
        // The server now serves 4 at once: 32 wait 8 services.
        let limits = run(&mut limiter, 4, 6);
        assert_eq!(limits[0], 4 + alpha(32.0) as usize);
        assert!(limits.iter().all(|&l| l <= 9), "{limits:?}");
        // No longer in slow start: it grows by the room below the queue
        // aimed at (2 to 3 requests here) per round, not doubling.
        let mut previous = limiter.limit();
        for limit in run(&mut limiter, 16, 3) {
            assert!(
                (previous + 1..=previous + 3).contains(&limit),
                "{previous} {limit}"
            );
            previous = limit;
        }
    }

    #[test]
    fn a_refusal_halves_the_limit_once_per_round() {
        let mut limiter = Limiter::adaptive(32);
        run(&mut limiter, 100, 3);
        assert_eq!(limiter.limit(), 32);
        let sent_before = limiter.generation();
        let refused = |generation| Sample {
            latency: None,
            overloaded: true,
            window_full: true,
            generation,
            full_size: true,
        };
        limiter.observe(refused(sent_before));
        assert_eq!(limiter.limit(), 16);
        // More refusals of requests sent before the decrease: no more.
        limiter.observe(refused(sent_before));
        assert_eq!(limiter.limit(), 16);
        // A refusal of a request sent since: again.
        limiter.observe(refused(limiter.generation()));
        assert_eq!(limiter.limit(), 8);
        for _ in 0..10 {
            limiter.observe(refused(limiter.generation()));
        }
        assert_eq!(limiter.limit(), 1);
    }

    #[test]
    fn one_slow_answer_in_a_round_does_not_move_the_limit() {
        let mut limiter = Limiter::adaptive(32);
        run(&mut limiter, 100, 1);
        assert_eq!(limiter.limit(), 8);
        for k in 0..8 {
            let slow = if k == 3 { 100 } else { 1 };
            answered(&mut limiter, Duration::from_millis(10 * slow));
        }
        // Capped at twice the median, the slow answer moves the round's
        // latency by an eighth of a service: still in slow start.
        assert_eq!(limiter.limit(), 16);
    }

    #[test]
    fn an_unused_limit_is_not_raised_and_a_fixed_one_never_moves() {
        let mut limiter = Limiter::adaptive(32);
        for _ in 0..40 {
            let generation = limiter.generation();
            limiter.observe(Sample {
                latency: Some(Duration::from_millis(10)),
                overloaded: false,
                window_full: false,
                generation,
                full_size: true,
            });
        }
        assert_eq!(limiter.limit(), INITIAL_LIMIT);
        let mut fixed = Limiter::fixed(3);
        run(&mut fixed, 100, 3);
        fixed.observe(Sample {
            latency: None,
            overloaded: true,
            window_full: true,
            generation: 0,
            full_size: true,
        });
        assert_eq!((fixed.limit(), fixed.max()), (3, 3));
    }
}
