//! Errors of the campaign workflow: a cancellation that cannot happen, and a
//! wait that ran out of time.

use std::{fmt, time::Duration};

use crate::ApiError;
use crate::{BulkId, BulkStatus};

/// A campaign that cannot be cancelled: LOX24 cancels only campaigns that
/// are new (status 0) or in progress (status 5).
///
/// Either the client knew the campaign had finished and sent nothing
/// ([`NotCancellable::status`] is set, [`NotCancellable::refusal`] is not),
/// or LOX24 refused the request (the other way round).
#[derive(Clone, Debug, PartialEq)]
pub struct NotCancellable {
    bulk: BulkId,
    status: Option<BulkStatus>,
    refusal: Option<ApiError>,
}

impl NotCancellable {
    /// Known before sending: the campaign is in a final state.
    pub(crate) fn finished(bulk: BulkId, status: BulkStatus) -> Self {
        Self {
            bulk,
            status: Some(status),
            refusal: None,
        }
    }

    /// LOX24 answered the cancellation with 400 or 422.
    pub(crate) fn refused(bulk: BulkId, refusal: ApiError) -> Self {
        Self {
            bulk,
            status: None,
            refusal: Some(refusal),
        }
    }

    /// The campaign.
    pub fn bulk_id(&self) -> &BulkId {
        &self.bulk
    }

    /// The campaign's status, when the client knew it (then nothing was sent).
    pub fn status(&self) -> Option<BulkStatus> {
        self.status
    }

    /// LOX24's answer, when it refused the request.
    pub fn refusal(&self) -> Option<&ApiError> {
        self.refusal.as_ref()
    }
}

impl fmt::Display for NotCancellable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const ONLY: &str = "LOX24 cancels only new (0) or in-progress (5) campaigns";
        match (&self.status, &self.refusal) {
            (Some(status), _) => write!(
                f,
                "campaign {} cannot be cancelled: it is {status}, and {ONLY}; nothing was sent",
                self.bulk
            ),
            (None, Some(refusal)) => write!(
                f,
                "LOX24 refused to cancel campaign {} ({refusal}); {ONLY}",
                self.bulk
            ),
            (None, None) => write!(f, "campaign {} cannot be cancelled; {ONLY}", self.bulk),
        }
    }
}

impl std::error::Error for NotCancellable {}

/// A campaign that did not reach a final state (processed, cancelled, system
/// error, no recipients) within the time allowed by
/// [`Polling`](crate::Polling). The campaign goes on; wait again or cancel it.
#[derive(Clone, Debug, PartialEq)]
pub struct WaitTimeout {
    bulk: BulkId,
    status: BulkStatus,
    waited: Duration,
}

impl WaitTimeout {
    pub(crate) fn new(bulk: BulkId, status: BulkStatus, waited: Duration) -> Self {
        Self {
            bulk,
            status,
            waited,
        }
    }

    /// The campaign.
    pub fn bulk_id(&self) -> &BulkId {
        &self.bulk
    }

    /// The last status LOX24 reported.
    pub fn last_status(&self) -> BulkStatus {
        self.status
    }

    /// How long the client waited.
    pub fn waited(&self) -> Duration {
        self.waited
    }
}

impl fmt::Display for WaitTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "campaign {} was still {} after waiting {:.1} s",
            self.bulk,
            self.status,
            self.waited.as_secs_f64()
        )
    }
}

impl std::error::Error for WaitTimeout {}
