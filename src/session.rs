//! What every request of one [`crate::Client`] shares, reachable from the
//! generated client's hooks.

use std::fmt;

use reqwest::header::HeaderValue;

use crate::{Credentials, RetryPolicy, guard::Guard};

/// The state behind a client and its clones.
pub struct Session {
    /// `X-LOX24-AUTH-TOKEN`, marked sensitive.
    pub(crate) auth: HeaderValue,
    customer_id: String,
    /// The policy of every request that does not bring its own.
    pub(crate) retry: RetryPolicy,
    /// Keeps wrong credentials from getting the IP address blocked.
    pub(crate) guard: Guard,
}

impl Session {
    pub(crate) fn new(credentials: &Credentials, retry: RetryPolicy) -> Self {
        Self {
            auth: credentials.header_value(),
            customer_id: credentials.customer_id().to_owned(),
            retry,
            guard: Guard::default(),
        }
    }

    pub(crate) fn customer_id(&self) -> &str {
        &self.customer_id
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("customer_id", &self.customer_id)
            .field("auth", &"<redacted>")
            .field("retry", &self.retry)
            .field("locked_out", &self.guard.is_locked())
            .finish()
    }
}
