//! A created campaign to watch, wait for or cancel, and the answer of a dry run.

use std::sync::{Mutex, MutexGuard, PoisonError};

use super::polling::Waited;
use crate::{
    Bulk, BulkId, BulkStatus, Client, Error, GroupId, Listing, NotCancellable, Polling, Sms,
    SmsQuery, WaitTimeout,
};

/// What LOX24 computed for a campaign in a dry run
/// ([`Client::dry_run_bulk`]); nothing was sent or charged.
///
/// ```
/// use lox24::{Bulk, BulkId, BulkStatus, DryRun};
///
/// # let mut bulk = Bulk::new(BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11"), BulkStatus::New);
/// # bulk.msg_total_count = Some(120);
/// # bulk.msg_total_cost = Some(7.8);
/// # let preview = DryRun::new(bulk);
/// // `preview` came from `Client::dry_run_bulk`.
/// assert_eq!(preview.messages(), Some(120));
/// assert_eq!(preview.cost(), Some(7.8));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct DryRun {
    /// The whole answer: the campaign as LOX24 would create it.
    pub bulk: Bulk,
}

impl DryRun {
    /// A dry run's answer, e.g. for a mock.
    pub fn new(bulk: Bulk) -> Self {
        Self { bulk }
    }

    /// How many messages the campaign would create (`msg_total_count`).
    pub fn messages(&self) -> Option<u64> {
        self.bulk.msg_total_count
    }

    /// What they would cost, in the account's currency (`msg_total_cost`).
    pub fn cost(&self) -> Option<f64> {
        self.bulk.msg_total_cost
    }

    /// The recipient numbers as LOX24 read them.
    pub fn phones(&self) -> &[String] {
        self.bulk.phones.as_deref().unwrap_or_default()
    }

    /// The recipient groups as LOX24 read them.
    pub fn groups(&self) -> &[GroupId] {
        self.bulk.msg_groups.as_deref().unwrap_or_default()
    }
}

/// A campaign at LOX24: its id and the last state the client saw of it.
///
/// Returned by [`Client::create_bulk`], or made from an id with
/// [`Client::campaign`]. Its methods take `&self`: a campaign can be shared
/// between tasks (the last state seen is behind a lock). A clone has its own
/// record of the last state.
///
/// ```no_run
/// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
/// use std::time::Duration;
/// use lox24::{GroupId, NewBulk, Polling};
///
/// let campaign = client
///     .create_bulk(&NewBulk::new("MyShop", "Sale!").to_group(GroupId::new(7117)))
///     .await?;
/// let status = campaign.status().await?;
/// println!("{} is {status}", campaign.id());
///
/// let polling = Polling::new().timeout(Duration::from_secs(300));
/// match campaign.wait_with(&polling).await {
///     Ok(done) => println!("{} with {:?} messages", done.status_code, done.msg_total_count),
///     Err(lox24::Error::WaitTimeout(e)) => {
///         println!("still {} after {:?}; cancelling", e.last_status(), e.waited());
///         campaign.cancel().await?;
///     }
///     Err(e) => return Err(e),
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Campaign {
    client: Client,
    id: BulkId,
    last: Mutex<Option<Bulk>>,
}

impl Clone for Campaign {
    fn clone(&self) -> Self {
        Self {
            client: self.client.clone(),
            id: self.id.clone(),
            last: Mutex::new(self.last_known()),
        }
    }
}

impl Campaign {
    pub(crate) fn new(client: Client, id: BulkId) -> Self {
        Self {
            client,
            id,
            last: Mutex::new(None),
        }
    }

    pub(crate) fn from_bulk(client: Client, bulk: Bulk) -> Self {
        Self {
            client,
            id: bulk.uuid.clone(),
            last: Mutex::new(Some(bulk)),
        }
    }

    /// The campaign's id.
    pub fn id(&self) -> &BulkId {
        &self.id
    }

    /// The last state seen: the answer that created the campaign, then each
    /// status read, cancellation or refresh. `None` for a handle made from an
    /// id that has not asked yet.
    pub fn last_known(&self) -> Option<Bulk> {
        self.last().clone()
    }

    /// The campaign's messages, one per recipient, with their status and
    /// delivery report, page after page (`GET /sms?bulk={id}`).
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn run(campaign: lox24::Campaign) -> Result<(), lox24::Error> {
    /// let mut messages = campaign.messages().await?;
    /// while let Some(sms) = messages.try_next().await? {
    ///     println!("{:?}: {:?}, {:?}", sms.phone, sms.status_code, sms.dlr_code);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn messages(&self) -> Result<Listing<Sms>, Error> {
        self.messages_where(SmsQuery::new()).await
    }

    /// The campaign's messages that also match `query` (e.g. those whose
    /// delivery failed), page after page.
    pub async fn messages_where(&self, query: SmsQuery) -> Result<Listing<Sms>, Error> {
        self.client.list_sms(&query.bulk(&self.id)).await
    }

    /// Asks LOX24 for the campaign's status (`GET /bulks/{id}/status`).
    pub async fn status(&self) -> Result<BulkStatus, Error> {
        let view = self.client.get_bulk_status(&self.id).await?;
        Ok(self.remember(view).status_code)
    }

    /// Reads the whole campaign again (`GET /bulks/{id}`).
    pub async fn refresh(&self) -> Result<Bulk, Error> {
        let bulk = self.client.get_bulk(&self.id).await?;
        Ok(self.remember(bulk))
    }

    /// Cancels the campaign (`PUT /bulks/{id}/cancel`) and returns its state
    /// afterwards. Messages already sent stay sent.
    ///
    /// Only a new (0) or in-progress (5) campaign can be cancelled. When the
    /// last state seen is final (processed, cancelled, system error, no
    /// recipients), nothing is sent and the error is
    /// [`Error::NotCancellable`] with that status; LOX24's own refusal is the
    /// same variant carrying its answer.
    pub async fn cancel(&self) -> Result<Bulk, Error> {
        if let Some(status) = self.last_status().filter(|s| s.is_final()) {
            return Err(NotCancellable::finished(self.id.clone(), status).into());
        }
        let view = self.client.cancel_bulk(&self.id).await?;
        Ok(self.remember(view))
    }

    /// Waits with the default [`Polling`] (up to 30 minutes) until the
    /// campaign is processed, cancelled, failed or found without recipients,
    /// and returns its last state. See [`Campaign::wait_with`].
    pub async fn wait(&self) -> Result<Bulk, Error> {
        self.wait_with(&Polling::default()).await
    }

    /// Asks for the status (`GET /bulks/{id}/status`) on `polling`'s schedule
    /// until it is final, and returns the last state seen.
    ///
    /// Returns at once, without a request, when the last state seen is
    /// already final. A status this crate does not know counts as not
    /// final. After the timeout the error is [`Error::WaitTimeout`]
    /// with the last status; the campaign itself goes on. A failed request
    /// ends the wait with its error. A scheduled campaign stays new (0) until
    /// its delivery time: give it a timeout that reaches past it.
    pub async fn wait_with(&self, polling: &Polling) -> Result<Bulk, Error> {
        if let Some(last) = self.last_known().filter(|b| b.status_code.is_final()) {
            return Ok(last);
        }
        let read = || async { Ok(self.remember(self.client.get_bulk_status(&self.id).await?)) };
        match polling
            .wait_until(read, |last: &Bulk| last.status_code.is_final())
            .await?
        {
            Waited::Done(last) => Ok(last),
            Waited::TimedOut(last, waited) => {
                Err(WaitTimeout::new(self.id.clone(), last.status_code, waited).into())
            }
        }
    }

    /// Deletes the campaign (`DELETE /bulks/{id}`), also from the itemised bill.
    pub async fn delete(self) -> Result<(), Error> {
        self.client.delete_bulk(&self.id).await
    }

    fn last(&self) -> MutexGuard<'_, Option<Bulk>> {
        // Never held across an await; a panic elsewhere leaves it usable.
        self.last.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn last_status(&self) -> Option<BulkStatus> {
        self.last().as_ref().map(|b| b.status_code)
    }

    /// Keeps `newer` as the last state and returns it; a status view has no
    /// recipients, sender or text, so those are kept from the state seen
    /// before.
    fn remember(&self, mut newer: Bulk) -> Bulk {
        let mut last = self.last();
        if let Some(older) = last.take() {
            newer.sender_id = newer.sender_id.or(older.sender_id);
            newer.text = newer.text.or(older.text);
            newer.phones = newer.phones.or(older.phones);
            newer.msg_groups = newer.msg_groups.or(older.msg_groups);
        }
        last.insert(newer).clone()
    }
}
