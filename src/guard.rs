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
//!   token into many wrong requests.

use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::{Semaphore, SemaphorePermit};

/// The guard's state, shared by a client and its clones.
#[derive(Debug)]
pub(crate) struct Guard {
    /// A request got a 401.
    locked: AtomicBool,
    /// An answer proved the credentials.
    trusted: AtomicBool,
    /// One permit: the one request allowed out while not trusted.
    single_file: Semaphore,
}

/// The guard refused a request: the client is locked out.
#[derive(Debug)]
pub(crate) struct LockedOut;

impl Default for Guard {
    fn default() -> Self {
        Self {
            locked: AtomicBool::new(false),
            trusted: AtomicBool::new(false),
            single_file: Semaphore::new(1),
        }
    }
}

impl Guard {
    /// Waits until a request may be sent. The permit, when there is one,
    /// must be held until the answer's status is known.
    pub(crate) async fn admit(&self) -> Result<Option<SemaphorePermit<'_>>, LockedOut> {
        if self.is_locked() {
            return Err(LockedOut);
        }
        if self.is_trusted() {
            return Ok(None);
        }
        // The semaphore is never closed, so `acquire` cannot fail; should it,
        // refusing is the safe answer.
        let permit = self.single_file.acquire().await.map_err(|_| LockedOut)?;
        // The request before us may have been refused, or have proved the credentials.
        if self.is_locked() {
            return Err(LockedOut);
        }
        Ok((!self.is_trusted()).then_some(permit))
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
            guard.admit().await.expect("open").is_some(),
            "single file at first"
        );
        guard.observe(201);
        assert!(
            guard.admit().await.expect("open").is_none(),
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
            guard.admit().await.expect("open").is_some(),
            "single file again"
        );
    }

    #[tokio::test]
    async fn untrusted_requests_go_one_at_a_time() {
        let guard = Guard::default();
        let first = guard.admit().await.expect("open");
        assert!(first.is_some());
        let mut second = std::pin::pin!(guard.admit());
        assert!(
            futures_util::FutureExt::now_or_never(second.as_mut()).is_none(),
            "waits for the first answer"
        );
        guard.observe(401);
        drop(first);
        assert!(second.await.is_err(), "the first answer locked the client");
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
