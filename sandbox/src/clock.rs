//! The sandbox's notion of "now", replaceable so that tests can move time
//! instead of waiting for it.
//!
//! The clock drives everything time-dependent that LOX24 documents: the
//! lockout window and block, `created_at` and `processed_at`, scheduled
//! `delivery_at`, and a campaign's progress from new to processed. Added
//! latency (a fault) is real time, not clock time.

use std::{
    fmt,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, SystemTime, UNIX_EPOCH},
};

/// Where the sandbox reads the time.
///
/// [`SystemClock`] is the default; [`ManualClock`] moves only when told to.
pub trait Clock: Send + Sync + fmt::Debug + 'static {
    /// The current time.
    fn now(&self) -> SystemTime;
}

/// The machine's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that stands still until it is moved: tests control the lockout and
/// a campaign's lifecycle without sleeping. Clones share the same time.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use lox24_sandbox::{Clock, ManualClock};
///
/// let clock = ManualClock::at_unix(1_750_000_000);
/// let handle = clock.clone(); // give one to the sandbox, keep the other
/// handle.advance(Duration::from_secs(90));
/// assert_eq!(clock.now(), UNIX_EPOCH + Duration::from_secs(1_750_000_090));
/// ```
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<SystemTime>>);

impl ManualClock {
    /// A clock showing the machine's current time, to the second.
    pub fn new() -> Self {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Self::at_unix(secs)
    }

    /// A clock showing this Unix time (seconds).
    pub fn at_unix(secs: u64) -> Self {
        Self::at(UNIX_EPOCH + Duration::from_secs(secs))
    }

    /// A clock showing this time.
    pub fn at(time: SystemTime) -> Self {
        Self(Arc::new(Mutex::new(time)))
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }

    /// Sets the clock to this time (also backwards).
    pub fn set(&self, time: SystemTime) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = time;
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ManualClock").field(&self.now()).finish()
    }
}

/// Unix seconds of a time (0 before 1970).
pub(crate) fn unix(time: SystemTime) -> i64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The time of Unix seconds (negative ones are 1970).
pub(crate) fn from_unix(secs: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).unwrap_or(0))
}
