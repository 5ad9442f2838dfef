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
///
/// ```
/// use std::time::Duration;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let clock = lox24_sandbox::ManualClock::new();
/// # let sandbox = lox24_sandbox::Sandbox::builder()
/// #     .clock(clock.clone())
/// #     .start()
/// #     .await?;
/// # let client = sandbox.client()?;
/// let campaign = client
///     .create_bulk(&lox24::NewBulk::new("MyShop", "Hi").to_phone("+491701234567"))
///     .await?;
/// clock.advance(Duration::from_secs(60)); // the sandbox processes it
/// campaign.status().await?;
/// match campaign.cancel().await {
///     Err(lox24::Error::NotCancellable(e)) => assert!(e.to_string().contains("nothing was sent")),
///     other => panic!("cancelled after all: {other:?}"),
/// }
/// # Ok(()) }
/// ```
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
    ///
    /// ```
    /// # use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let clock = lox24_sandbox::ManualClock::new();
    /// # let sandbox = lox24_sandbox::Sandbox::builder()
    /// #     .clock(clock.clone())
    /// #     .start()
    /// #     .await?;
    /// # let client = sandbox.client()?;
    /// let campaign = client
    ///     .create_bulk(&lox24::NewBulk::new("MyShop", "Hi").to_phone("+491701234567"))
    ///     .await?;
    /// # clock.advance(Duration::from_secs(60));
    /// let Err(lox24::Error::NotCancellable(e)) = client.cancel_bulk(campaign.id()).await else {
    ///     panic!("a processed campaign was cancelled");
    /// };
    /// assert_eq!(e.bulk_id(), campaign.id());
    /// # Ok(()) }
    /// ```
    pub fn bulk_id(&self) -> &BulkId {
        &self.bulk
    }

    /// The campaign's status, when the client knew it (then nothing was sent).
    ///
    /// ```
    /// use lox24::BulkStatus;
    ///
    /// # use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let clock = lox24_sandbox::ManualClock::new();
    /// # let sandbox = lox24_sandbox::Sandbox::builder()
    /// #     .clock(clock.clone())
    /// #     .start()
    /// #     .await?;
    /// # let client = sandbox.client()?;
    /// let campaign = client
    ///     .create_bulk(&lox24::NewBulk::new("MyShop", "Hi").to_phone("+491701234567"))
    ///     .await?;
    /// # clock.advance(Duration::from_secs(60));
    /// assert_eq!(campaign.status().await?, BulkStatus::Processed);
    /// let Err(lox24::Error::NotCancellable(e)) = campaign.cancel().await else {
    ///     panic!("a processed campaign was cancelled");
    /// };
    /// assert_eq!(e.status(), Some(BulkStatus::Processed)); // known: nothing was sent
    /// assert!(e.refusal().is_none());
    /// # Ok(()) }
    /// ```
    pub fn status(&self) -> Option<BulkStatus> {
        self.status
    }

    /// LOX24's answer, when it refused the request.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let clock = lox24_sandbox::ManualClock::new();
    /// # let sandbox = lox24_sandbox::Sandbox::builder()
    /// #     .clock(clock.clone())
    /// #     .start()
    /// #     .await?;
    /// # let client = sandbox.client()?;
    /// let campaign = client
    ///     .create_bulk(&lox24::NewBulk::new("MyShop", "Hi").to_phone("+491701234567"))
    ///     .await?;
    /// # clock.advance(Duration::from_secs(60));
    /// // By id, the client does not know the status: it asks, and LOX24 refuses.
    /// let Err(lox24::Error::NotCancellable(e)) = client.cancel_bulk(campaign.id()).await else {
    ///     panic!("a processed campaign was cancelled");
    /// };
    /// assert_eq!(e.status(), None);
    /// assert_eq!(e.refusal().map(|answer| answer.status()), Some(422));
    /// # Ok(()) }
    /// ```
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
///
/// ```
/// use lox24::{BulkStatus, Error};
/// use std::time::Duration;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let clock = lox24_sandbox::ManualClock::new();
/// # let sandbox = lox24_sandbox::Sandbox::builder()
/// #     .clock(clock.clone())
/// #     .start()
/// #     .await?;
/// # let client = sandbox.client()?;
/// // The sandbox's clock stands still: the campaign stays new.
/// let campaign = client
///     .create_bulk(&lox24::NewBulk::new("MyShop", "Hi").to_phone("+491701234567"))
///     .await?;
/// let polling = lox24::Polling::new()
///     .interval(Duration::from_millis(10))
///     .timeout(Duration::from_millis(50));
/// match campaign.wait_with(&polling).await {
///     Ok(done) => println!("finished: {}", done.status_code),
///     Err(Error::WaitTimeout(late)) => {
///         assert_eq!(late.last_status(), BulkStatus::New);
///         campaign.cancel().await?; // or wait again
///     }
///     Err(other) => return Err(other.into()),
/// }
/// # Ok(()) }
/// ```
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
    ///
    /// ```
    /// # use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let clock = lox24_sandbox::ManualClock::new();
    /// # let sandbox = lox24_sandbox::Sandbox::builder()
    /// #     .clock(clock.clone())
    /// #     .start()
    /// #     .await?;
    /// # let client = sandbox.client()?;
    /// let campaign = client
    ///     .create_bulk(&lox24::NewBulk::new("MyShop", "Hi").to_phone("+491701234567"))
    ///     .await?;
    /// let polling = lox24::Polling::new()
    ///     .interval(Duration::from_millis(10))
    ///     .timeout(Duration::from_millis(50));
    /// let Err(lox24::Error::WaitTimeout(late)) = campaign.wait_with(&polling).await else {
    ///     panic!("the sandbox's clock stands still: the campaign cannot finish");
    /// };
    /// assert_eq!(late.bulk_id(), campaign.id());
    /// # Ok(()) }
    /// ```
    pub fn bulk_id(&self) -> &BulkId {
        &self.bulk
    }

    /// The last status LOX24 reported.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let clock = lox24_sandbox::ManualClock::new();
    /// # let sandbox = lox24_sandbox::Sandbox::builder()
    /// #     .clock(clock.clone())
    /// #     .start()
    /// #     .await?;
    /// # let client = sandbox.client()?;
    /// let campaign = client
    ///     .create_bulk(&lox24::NewBulk::new("MyShop", "Hi").to_phone("+491701234567"))
    ///     .await?;
    /// let polling = lox24::Polling::new()
    ///     .interval(Duration::from_millis(10))
    ///     .timeout(Duration::from_millis(50));
    /// let Err(lox24::Error::WaitTimeout(late)) = campaign.wait_with(&polling).await else {
    ///     panic!("the sandbox's clock stands still: the campaign cannot finish");
    /// };
    /// assert_eq!(late.last_status(), lox24::BulkStatus::New);
    /// # Ok(()) }
    /// ```
    pub fn last_status(&self) -> BulkStatus {
        self.status
    }

    /// How long the client waited.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let clock = lox24_sandbox::ManualClock::new();
    /// # let sandbox = lox24_sandbox::Sandbox::builder()
    /// #     .clock(clock.clone())
    /// #     .start()
    /// #     .await?;
    /// # let client = sandbox.client()?;
    /// let campaign = client
    ///     .create_bulk(&lox24::NewBulk::new("MyShop", "Hi").to_phone("+491701234567"))
    ///     .await?;
    /// let polling = lox24::Polling::new()
    ///     .interval(Duration::from_millis(10))
    ///     .timeout(Duration::from_millis(50));
    /// let Err(lox24::Error::WaitTimeout(late)) = campaign.wait_with(&polling).await else {
    ///     panic!("the sandbox's clock stands still: the campaign cannot finish");
    /// };
    /// assert!(late.waited() >= polling.total_timeout());
    /// # Ok(()) }
    /// ```
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
