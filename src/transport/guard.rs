//! The lockout guard: keeps a client with wrong credentials from getting its
//! IP address blocked.
//!
//! LOX24 blocks an IP address for ten minutes after more than three requests
//! with wrong credentials within a minute. So:
//!
//! - after a 401, the client sends nothing more with the same credentials
//!   until it is reset ([`crate::Client::reset_lockout`]) or replaced;
//! - until the client has had an answer that proves its credentials, it
//!   sends one request at a time, so that concurrency cannot turn one wrong
//!   token into many wrong requests;
//! - and no more than [`UNPROVEN_PER_WINDOW`] within any [`WINDOW`], counted
//!   when they are sent: a 401 that arrives after the client stopped waiting
//!   (a timeout, a caller that dropped the call) is never seen, so only the
//!   count keeps those requests under LOX24's limit. An attempt that could
//!   not connect sent no credentials, and does not count
//!   ([`Guard::not_sent`]): a wrong address fails at once, rather than
//!   after a wait for the window at its fourth attempt.

use std::{
    collections::VecDeque,
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use tokio::{
    sync::{OwnedSemaphorePermit, Semaphore},
    time::Instant,
};

/// The most requests sent with unproven credentials within [`WINDOW`]:
/// LOX24 blocks after more than three within a minute.
pub(crate) const UNPROVEN_PER_WINDOW: usize = 3;

/// LOX24's minute, and a margin for requests that reach it unevenly (one
/// delayed on its way, the next one not).
pub(crate) const WINDOW: Duration = Duration::from_secs(65);

/// The guard's state, shared by a client and its clones.
#[derive(Debug)]
pub(crate) struct Guard {
    /// A request got a 401.
    locked: AtomicBool,
    /// An answer proved the credentials.
    trusted: AtomicBool,
    /// One permit: the one request allowed out while not trusted.
    single_file: Arc<Semaphore>,
    /// When the last requests with unproven credentials were sent, oldest
    /// first; at most [`UNPROVEN_PER_WINDOW`].
    unproven_sent: Mutex<VecDeque<Instant>>,
}

/// Leave to send one attempt. While the credentials are not proved it holds
/// the single permit, which must be kept until the answer's status is known.
#[derive(Debug)]
pub(crate) struct Admission {
    permit: Option<OwnedSemaphorePermit>,
    /// When it was counted among the requests with unproven credentials.
    counted: Option<Instant>,
}

impl Admission {
    const TRUSTED: Self = Self {
        permit: None,
        counted: None,
    };

    /// Whether this admission holds the single permit: the credentials were
    /// unproven when it was given.
    pub(crate) fn is_single_file(&self) -> bool {
        self.permit.is_some()
    }
}

/// The guard refused a request: the client is locked out.
#[derive(Debug)]
pub(crate) struct LockedOut;

impl Default for Guard {
    fn default() -> Self {
        Self {
            locked: AtomicBool::new(false),
            trusted: AtomicBool::new(false),
            single_file: Arc::new(Semaphore::new(1)),
            unproven_sent: Mutex::new(VecDeque::with_capacity(UNPROVEN_PER_WINDOW)),
        }
    }
}

impl Guard {
    /// Waits until a request may be sent.
    pub(crate) async fn admit(&self) -> Result<Admission, LockedOut> {
        if self.is_locked() {
            return Err(LockedOut);
        }
        if self.is_trusted() {
            return Ok(Admission::TRUSTED);
        }
        // The semaphore is never closed, so `acquire` cannot fail; should it,
        // refusing is the safe answer.
        let permit = self
            .single_file
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| LockedOut)?;
        loop {
            // The request before us may have been refused, or have proved the
            // credentials (also while this one waited for the window).
            if self.is_locked() {
                return Err(LockedOut);
            }
            if self.is_trusted() {
                return Ok(Admission::TRUSTED);
            }
            let now = Instant::now();
            match self.take_unproven_slot(now) {
                None => {
                    return Ok(Admission {
                        permit: Some(permit),
                        counted: Some(now),
                    });
                }
                // The permit is kept meanwhile: the requests behind wait too.
                Some(until) => tokio::time::sleep_until(until).await,
            }
        }
    }

    /// Counts a request sent with unproven credentials at `now`, or says
    /// until when the window is full.
    fn take_unproven_slot(&self, now: Instant) -> Option<Instant> {
        let mut sent = self
            .unproven_sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        while sent
            .front()
            .is_some_and(|&at| now.saturating_duration_since(at) >= WINDOW)
        {
            sent.pop_front();
        }
        if sent.len() < UNPROVEN_PER_WINDOW {
            sent.push_back(now);
            return None;
        }
        sent.front().map(|&oldest| oldest + WINDOW)
    }

    /// The attempt `admission` let out could not connect (refused, no route,
    /// no name, a failed TLS handshake): nothing with the credentials reached
    /// anyone, so it leaves the count of unproven requests.
    pub(crate) fn not_sent(&self, admission: &Admission) {
        let Some(at) = admission.counted else {
            return;
        };
        let mut sent = self
            .unproven_sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(place) = sent.iter().rposition(|&counted| counted == at) {
            sent.remove(place);
        }
    }

    /// Takes note of an answer's status.
    pub(crate) fn observe(&self, status: u16) {
        if status == 401 {
            self.locked.store(true, Ordering::SeqCst);
            self.trusted.store(false, Ordering::SeqCst);
        } else if proves_credentials(status) {
            self.trusted.store(true, Ordering::SeqCst);
        }
    }

    /// Whether a 401 has locked the client.
    pub(crate) fn is_locked(&self) -> bool {
        self.locked.load(Ordering::SeqCst)
    }

    /// Whether an answer has proved the credentials (and no 401 came since).
    pub(crate) fn is_trusted(&self) -> bool {
        self.trusted.load(Ordering::SeqCst)
    }

    /// Allows requests again, one at a time until one proves the credentials.
    pub(crate) fn reset(&self) {
        self.trusted.store(false, Ordering::SeqCst);
        self.locked.store(false, Ordering::SeqCst);
    }
}

/// Statuses LOX24 only answers once it has accepted the credentials: a
/// success, a refused input (validation runs after authentication), no
/// credit, an account not activated. A 404 does not count (routing may come
/// before authentication), nor 429 or 5xx (a block or a failure says nothing
/// about the credentials).
fn proves_credentials(status: u16) -> bool {
    matches!(status, 200..=299 | 400 | 402 | 403 | 422)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_401_locks_until_reset() {
        let guard = Guard::default();
        assert!(
            guard.admit().await.expect("open").is_single_file(),
            "single file at first"
        );
        guard.observe(201);
        assert!(
            !guard.admit().await.expect("open").is_single_file(),
            "trusted: no gate"
        );
        guard.observe(401);
        assert!(guard.admit().await.is_err());
        guard.observe(201);
        assert!(
            guard.admit().await.is_err(),
            "a late success does not unlock"
        );
        guard.reset();
        assert!(
            guard.admit().await.expect("open").is_single_file(),
            "single file again"
        );
    }

    #[tokio::test]
    async fn untrusted_requests_go_one_at_a_time() {
        let guard = Guard::default();
        let first = guard.admit().await.expect("open");
        assert!(first.is_single_file());
        let mut second = std::pin::pin!(guard.admit());
        assert!(
            futures_util::FutureExt::now_or_never(second.as_mut()).is_none(),
            "waits for the first answer"
        );
        guard.observe(401);
        drop(first);
        assert!(second.await.is_err(), "the first answer locked the client");
    }

    #[tokio::test(start_paused = true)]
    async fn an_attempt_that_did_not_connect_does_not_count() {
        let guard = Guard::default();
        let start = Instant::now();
        // Ten attempts that could not connect, then three that were sent.
        for _ in 0..10 {
            let admission = guard.admit().await.expect("open");
            guard.not_sent(&admission);
        }
        for _ in 0..UNPROVEN_PER_WINDOW {
            drop(guard.admit().await.expect("open"));
        }
        assert_eq!(Instant::now(), start, "none waited");
        // The three sent fill the window: the next waits for it.
        drop(guard.admit().await.expect("open"));
        assert_eq!(Instant::now(), start + WINDOW);
        // A trusted admission was never counted, and gives nothing back.
        let counted = || {
            guard
                .unproven_sent
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .len()
        };
        let before = counted();
        assert_eq!(before, 1, "the three before the window have left it");
        guard.observe(200);
        let trusted = guard.admit().await.expect("open");
        guard.not_sent(&trusted);
        assert_eq!(counted(), before);
    }

    #[tokio::test(start_paused = true)]
    async fn unproven_requests_keep_to_three_within_the_window() {
        let guard = Guard::default();
        let start = Instant::now();
        for _ in 0..UNPROVEN_PER_WINDOW {
            drop(guard.admit().await.expect("open"));
        }
        assert_eq!(Instant::now(), start, "three go at once");
        let fourth = guard.admit().await.expect("open");
        assert_eq!(
            Instant::now(),
            start + WINDOW,
            "the fourth waits for the window"
        );
        assert!(fourth.is_single_file());
        drop(fourth);
        guard.observe(200);
        for _ in 0..10 {
            assert!(!guard.admit().await.expect("open").is_single_file());
        }
        assert_eq!(Instant::now(), start + WINDOW, "proven: no wait");
    }

    #[test]
    fn what_proves_the_credentials() {
        for status in [200, 201, 204, 400, 402, 403, 422] {
            assert!(proves_credentials(status), "{status}");
        }
        for status in [401, 404, 429, 500, 502, 503, 504] {
            assert!(!proves_credentials(status), "{status}");
        }
    }
}
