//! Bulk SMS campaigns: the campaign to create ([`NewBulk`]), what LOX24
//! stores ([`Bulk`]), the list's filters ([`BulkQuery`]), and a created
//! campaign to watch, wait for or cancel ([`Campaign`]).

mod campaign;
mod errors;
mod model;
mod new;
mod options;
mod polling;
mod query;
mod requests;

pub use campaign::{Campaign, DryRun};
pub use errors::{NotCancellable, WaitTimeout};
pub use model::{Bulk, BulkStatus};
pub use new::NewBulk;
pub use options::{ServiceCode, VoiceLanguage};
pub use polling::Polling;
pub(crate) use polling::Waited;
pub use query::{BulkOrder, BulkQuery, SortDirection};

use crate::{BulkId, Client, Error, Listing, transport::Operation};

impl Client {
    /// Creates a bulk campaign (`POST /bulks`), which LOX24 starts sending at
    /// once or at the delivery time, and returns it as a [`Campaign`] to
    /// watch, wait for or cancel ([`Campaign::last_known`] is the campaign
    /// as LOX24 stored it).
    ///
    /// The input is checked against the spec first; nothing is sent if it
    /// breaks a limit.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::{GroupId, NewBulk};
    ///
    /// let bulk = NewBulk::new("MyShop", "Our sale starts today!").to_group(GroupId::new(7117));
    /// let campaign = client.create_bulk(&bulk).await?;
    /// println!("campaign {} created", campaign.id());
    /// let done = campaign.wait().await?;
    /// println!("{}: {:?} messages", done.status_code, done.msg_total_count);
    /// # Ok(()) }
    /// ```
    pub async fn create_bulk(&self, bulk: &NewBulk) -> Result<Campaign, Error> {
        let body = bulk.to_wire()?;
        let created = self
            .transport
            .call(async |api| api.create_bulk(&body).await)
            .await?
            .value;
        Ok(Campaign::from_bulk(self.clone(), created))
    }

    /// Asks LOX24 what a campaign would be (`POST /bulks/dryrun`) without
    /// sending or charging anything: the number of messages, their cost and
    /// the recipients as LOX24 read them.
    ///
    /// The campaign is checked first, exactly as by [`Client::create_bulk`].
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::{GroupId, NewBulk};
    ///
    /// let bulk = NewBulk::new("MyShop", "Our sale starts today!").to_group(GroupId::new(7117));
    /// let preview = client.dry_run_bulk(&bulk).await?;
    /// println!("{:?} messages for {:?}", preview.messages(), preview.cost());
    /// if preview.cost().is_some_and(|cost| cost < 50.0) {
    ///     client.create_bulk(&bulk).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn dry_run_bulk(&self, bulk: &NewBulk) -> Result<DryRun, Error> {
        let body = bulk.to_wire()?;
        let answer = self
            .transport
            .call(async |api| api.dry_run_bulk(&body).await)
            .await?;
        Ok(DryRun::new(answer.value))
    }

    /// A handle on an existing campaign, to read, wait for or cancel it. No
    /// request is sent until one of its methods is called.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let id = lox24::BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    /// let status = client.campaign(&id).status().await?;
    /// println!("the campaign is {status}");
    /// # Ok(()) }
    /// ```
    pub fn campaign(&self, id: &BulkId) -> Campaign {
        Campaign::new(self.clone(), id.clone())
    }

    /// Reads a whole campaign, recipients and text included (`GET /bulks/{id}`).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let id = lox24::BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    /// let bulk = client.get_bulk(&id).await?;
    /// println!("{:?} to {:?}", bulk.text, bulk.phones);
    /// # Ok(()) }
    /// ```
    pub async fn get_bulk(&self, id: &BulkId) -> Result<Bulk, Error> {
        id.validate_at("id")?;
        Ok(self
            .transport
            .call(async |api| api.get_bulk(id).await)
            .await?
            .value)
    }

    /// Reads a campaign's status view (`GET /bulks/{id}/status`): status,
    /// counts, cost and times, without recipients, sender or text.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let id = lox24::BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    /// let view = client.get_bulk_status(&id).await?;
    /// println!("{}: {:?} messages so far", view.status_code, view.msg_total_count);
    /// # Ok(()) }
    /// ```
    pub async fn get_bulk_status(&self, id: &BulkId) -> Result<Bulk, Error> {
        id.validate_at("id")?;
        Ok(self
            .transport
            .call(async |api| api.get_bulk_status(id).await)
            .await?
            .value)
    }

    /// Cancels a campaign (`PUT /bulks/{id}/cancel`) and returns its status
    /// view afterwards. Messages already sent stay sent.
    ///
    /// LOX24 cancels only campaigns that are new (0) or in progress (5); its
    /// refusal (400 or 422) is [`Error::NotCancellable`]. [`Campaign::cancel`]
    /// also refuses before sending when the campaign is known to be finished.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let id = lox24::BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    /// match client.cancel_bulk(&id).await {
    ///     Ok(view) => println!("now {}", view.status_code),
    ///     Err(lox24::Error::NotCancellable(e)) => println!("too late: {e}"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn cancel_bulk(&self, id: &BulkId) -> Result<Bulk, Error> {
        id.validate_at("id")?;
        match self
            .transport
            .call(async |api| api.cancel_bulk(id).await)
            .await
        {
            Ok(answer) => Ok(answer.value),
            Err(Error::InvalidInput(refusal) | Error::Unprocessable(refusal)) => {
                Err(NotCancellable::refused(id.clone(), refusal).into())
            }
            Err(other) => Err(other),
        }
    }

    /// Deletes a campaign (`DELETE /bulks/{id}`), also from the itemised
    /// bill: later complaints about its messages cannot be traced.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// client.delete_bulk(&lox24::BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_bulk(&self, id: &BulkId) -> Result<(), Error> {
        id.validate_at("id")?;
        self.transport
            .call(async |api| api.delete_bulk(id).await)
            .await?;
        Ok(())
    }

    /// The campaigns that match `query` (`GET /bulks`), page after page, each
    /// as its status view (no recipients, sender or text).
    ///
    /// The query is checked and the first page read before this returns; see
    /// [`Listing`].
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use lox24::{BulkQuery, BulkStatus};
    ///
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let mut running = client
    ///     .list_bulks(&BulkQuery::new().statuses([BulkStatus::New, BulkStatus::InProgress]))
    ///     .await?;
    /// while let Some(bulk) = running.try_next().await? {
    ///     println!("{} is {}", bulk.uuid, bulk.status_code);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_bulks(&self, query: &BulkQuery) -> Result<Listing<Bulk>, Error> {
        let first = query.to_iri()?;
        Listing::start(self, Operation::ListBulks, first).await
    }
}
