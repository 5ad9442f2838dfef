//! Waiting for a message's final delivery report.

use std::{fmt, time::Duration};

use crate::{Client, Error, Polling, Sms, SmsId, bulks::Waited};

impl Client {
    /// Reads the message (`GET /sms/{uuid}`) on `polling`'s schedule until
    /// it is settled ([`Sms::is_settled`]: a final delivery report, or a
    /// final status that means no report will come), and returns its last
    /// state.
    ///
    /// After the timeout the error is [`Error::SmsWaitTimeout`] with the
    /// last state read; the message goes on. A failed request ends the
    /// wait with its error. A scheduled message stays new until its
    /// delivery time: give it a timeout that reaches past it.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use std::time::Duration;
    /// use lox24::{NewSms, Polling};
    ///
    /// let sent = client.send_sms(&NewSms::new("MyShop", "Your code: 4711", "+491701234567")).await?;
    /// let polling = Polling::new().interval(Duration::from_secs(1)).timeout(Duration::from_secs(120));
    /// match client.wait_for_sms(&sent.uuid, &polling).await {
    ///     Ok(sms) => println!("{:?}", sms.dlr_code),
    ///     Err(lox24::Error::SmsWaitTimeout(late)) => println!("still {:?}", late.last().dlr_code),
    ///     Err(other) => return Err(other),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn wait_for_sms(&self, id: &SmsId, polling: &Polling) -> Result<Sms, Error> {
        id.validate_at("uuid")?;
        match polling
            .wait_until(|| self.get_sms(id), Sms::is_settled)
            .await?
        {
            Waited::Done(sms) => Ok(sms),
            Waited::TimedOut(last, waited) => Err(SmsWaitTimeout {
                last: Box::new(last),
                waited,
            }
            .into()),
        }
    }
}

/// A message had no final delivery report within the time allowed by the
/// [`Polling`]. The message goes on; wait again, or cancel it while it is
/// not sent.
///
/// ```
/// use lox24::{Error, SmsStatus};
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
/// // The sandbox's clock stands still: the message is never sent.
/// let sms = lox24::NewSms::new("MyShop", "Your code: 4711", "+491701234567");
/// let sent = client.send_sms(&sms).await?;
/// let polling = lox24::Polling::new()
///     .interval(Duration::from_millis(10))
///     .timeout(Duration::from_millis(50));
/// match client.wait_for_sms(&sent.uuid, &polling).await {
///     Ok(sms) => println!("report: {:?}", sms.dlr_code),
///     Err(Error::SmsWaitTimeout(late)) => assert_eq!(late.last().status_code, Some(SmsStatus::New)),
///     Err(other) => return Err(other.into()),
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct SmsWaitTimeout {
    last: Box<Sms>,
    waited: Duration,
}

impl SmsWaitTimeout {
    /// The message as it was last read.
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
    /// let sms = lox24::NewSms::new("MyShop", "Your code: 4711", "+491701234567");
    /// let sent = client.send_sms(&sms).await?;
    /// let polling = lox24::Polling::new()
    ///     .interval(Duration::from_millis(10))
    ///     .timeout(Duration::from_millis(50));
    /// let Err(lox24::Error::SmsWaitTimeout(late)) = client.wait_for_sms(&sent.uuid, &polling).await
    /// else {
    ///     panic!("the sandbox's clock stands still: no report can come");
    /// };
    /// assert_eq!(late.last().uuid, sent.uuid);
    /// assert_eq!(late.last().dlr_code, sent.dlr_code);
    /// # Ok(()) }
    /// ```
    pub fn last(&self) -> &Sms {
        &self.last
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
    /// let sms = lox24::NewSms::new("MyShop", "Your code: 4711", "+491701234567");
    /// let sent = client.send_sms(&sms).await?;
    /// let polling = lox24::Polling::new()
    ///     .interval(Duration::from_millis(10))
    ///     .timeout(Duration::from_millis(50));
    /// let Err(lox24::Error::SmsWaitTimeout(late)) = client.wait_for_sms(&sent.uuid, &polling).await
    /// else {
    ///     panic!("the sandbox's clock stands still: no report can come");
    /// };
    /// assert!(late.waited() >= polling.total_timeout());
    /// # Ok(()) }
    /// ```
    pub fn waited(&self) -> Duration {
        self.waited
    }
}

impl fmt::Display for SmsWaitTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match (self.last.dlr_code, self.last.status_code) {
            (Some(report), _) if report != crate::DlrCode::None => report.to_string(),
            (_, Some(status)) => status.to_string(),
            _ => "without a status".to_owned(),
        };
        write!(
            f,
            "message {} was still {state} after waiting {:.1} s",
            self.last.uuid,
            self.waited.as_secs_f64()
        )
    }
}

impl std::error::Error for SmsWaitTimeout {}
