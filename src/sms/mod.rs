//! Single messages: the message to send ([`NewSms`]), what LOX24 stores
//! ([`Sms`], with its [`SmsStatus`] and delivery report [`DlrCode`]), the
//! list of messages with its filters ([`SmsQuery`]), and the batch cancel
//! and delete.
//!
//! A campaign's messages are single messages too: list them with
//! [`SmsQuery::bulk`] or [`crate::Campaign::messages`].

mod model;
mod new;
mod query;
mod wait;

pub use model::{BatchCount, DlrCode, Sms, SmsClicks, SmsStatus};
pub use new::NewSms;
pub use query::{SmsOrder, SmsQuery};
pub use wait::SmsWaitTimeout;

use crate::{
    Client, Error, Iri, Listing, SmsId, ValidationError, ValidationProblem,
    links::{ShortLinkRequest, ShortLinkRequestQuery},
    transport::Operation,
};

impl Client {
    /// Sends one SMS (`POST /sms`), after checking it
    /// ([`NewSms::validate`]), and returns the message as LOX24 stored it.
    ///
    /// Creating is not repeated after a failure that may have reached
    /// LOX24, unless the client's [`crate::RetryPolicy`] allows it: a
    /// repeat would send the message twice.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::NewSms;
    ///
    /// let sms = NewSms::new("MyShop", "Your order has shipped.", "+491701234567")
    ///     .callback_data("order-17");
    /// let sent = client.send_sms(&sms).await?;
    /// println!("{} is {:?}, {:?} part(s)", sent.uuid, sent.status_code, sent.parts_count);
    /// # Ok(()) }
    /// ```
    pub async fn send_sms(&self, sms: &NewSms) -> Result<Sms, Error> {
        let body = sms.to_wire()?;
        Ok(self
            .transport
            .call(async |api| api.send_sms(&body).await)
            .await?
            .value)
    }

    /// Tries a message without sending it (`POST /sms/dryrun`): its parts,
    /// characters and price, nothing stored or charged. The answer's id is
    /// a placeholder that no [`Client::get_sms`] finds.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::NewSms;
    ///
    /// let sms = NewSms::new("MyShop", "Grüße aus Köln! 🎉", "+491701234567");
    /// let preview = client.dry_run_sms(&sms).await?;
    /// let account = client.account().await?;
    /// let price = preview.price.unwrap_or_default();
    /// println!("{:?} parts for {price}; covered: {}", preview.parts_count, account.covers(price));
    /// # Ok(()) }
    /// ```
    pub async fn dry_run_sms(&self, sms: &NewSms) -> Result<Sms, Error> {
        let body = sms.to_wire()?;
        Ok(self
            .transport
            .call(async |api| api.dry_run_sms(&body).await)
            .await?
            .value)
    }

    /// Reads a message (`GET /sms/{uuid}`): its status and delivery report.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let id = lox24::SmsId::new("9fe26332-cdbe-11ee-8d61-7c10c91d54a5");
    /// let sms = client.get_sms(&id).await?;
    /// println!("{:?}, report {:?}", sms.status_code, sms.dlr_code);
    /// # Ok(()) }
    /// ```
    pub async fn get_sms(&self, id: &SmsId) -> Result<Sms, Error> {
        id.validate_at("uuid")?;
        Ok(self
            .transport
            .call(async |api| api.get_sms(id).await)
            .await?
            .value)
    }

    /// Deletes a message (`DELETE /sms/{uuid}`), from the itemised bill
    /// too: its charge can no longer be disputed afterwards.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// client.delete_sms(&lox24::SmsId::new("9fe26332-cdbe-11ee-8d61-7c10c91d54a5")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_sms(&self, id: &SmsId) -> Result<(), Error> {
        id.validate_at("uuid")?;
        self.transport
            .call(async |api| api.delete_sms(id).await)
            .await?;
        Ok(())
    }

    /// The messages that match `query`, page after page (`GET /sms`),
    /// newest first unless the query orders otherwise.
    ///
    /// The query is checked and the first page read before this returns;
    /// see [`Listing`].
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use lox24::{DlrCode, SmsQuery};
    ///
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let failed = SmsQuery::new().dlr_codes([DlrCode::Expired, DlrCode::Rejected]);
    /// let mut messages = client.list_sms(&failed).await?;
    /// while let Some(sms) = messages.try_next().await? {
    ///     println!("{:?} to {:?}: {:?}", sms.uuid, sms.phone, sms.dlr_code);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_sms(&self, query: &SmsQuery) -> Result<Listing<Sms>, Error> {
        let first = query.to_iri()?;
        Listing::start(self, Operation::ListSms, first).await
    }

    /// Cancels the messages that match `query` and are not sent yet
    /// (`POST /sms/ops/batch_cancel`), and returns how many were.
    ///
    /// A query without any filter is refused before anything is sent: it
    /// would cancel every waiting message of the account. Say so with
    /// [`Client::cancel_all_sms`]. So is a time range
    /// ([`SmsQuery::created`]), which LOX24 documents for the list only:
    /// list the messages, then cancel them by id.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::SmsQuery;
    ///
    /// let cancelled = client.cancel_sms(&SmsQuery::new().callback_data("order-17")).await?;
    /// println!("{cancelled} message(s) cancelled");
    /// # Ok(()) }
    /// ```
    pub async fn cancel_sms(&self, query: &SmsQuery) -> Result<u64, Error> {
        check_batch(query, "cancel", "Client::cancel_all_sms")?;
        self.batch(Operation::CancelSmsBatch, query).await
    }

    /// Cancels every message of the account that is not sent yet.
    pub async fn cancel_all_sms(&self) -> Result<u64, Error> {
        self.batch(Operation::CancelSmsBatch, &SmsQuery::new())
            .await
    }

    /// Deletes the messages that match `query`, sent or not, for good
    /// (`POST /sms/ops/batch_delete`), and returns how many were. They
    /// leave the itemised bill too.
    ///
    /// A query without any filter is refused before anything is sent: it
    /// would delete every message of the account. Say so with
    /// [`Client::delete_all_sms`]. So is a time range
    /// ([`SmsQuery::created`]), which LOX24 documents for the list only:
    /// list the messages, then delete them by id.
    pub async fn delete_sms_where(&self, query: &SmsQuery) -> Result<u64, Error> {
        check_batch(query, "delete", "Client::delete_all_sms")?;
        self.batch(Operation::DeleteSmsBatch, query).await
    }

    /// Deletes every message of the account, for good.
    pub async fn delete_all_sms(&self) -> Result<u64, Error> {
        self.batch(Operation::DeleteSmsBatch, &SmsQuery::new())
            .await
    }

    async fn batch(&self, operation: Operation, query: &SmsQuery) -> Result<u64, Error> {
        let path = query.batch_path(&operation.path(&[]))?;
        let request = self.transport.request(operation, &path, None)?;
        let answer = self
            .transport
            .fetch_json::<BatchCount>(operation, request)
            .await?;
        Ok(answer.value.count)
    }

    /// The click counts of the messages that carry a short link
    /// (`GET /sms/clicks`), page after page.
    pub async fn list_sms_clicks(&self) -> Result<Listing<SmsClicks>, Error> {
        let operation = Operation::ListSmsClicks;
        Listing::start(self, operation, Iri::new(operation.path(&[]))).await
    }

    /// The click count of a message's short link (`GET /sms/{uuid}/clicks`).
    pub async fn get_sms_clicks(&self, id: &SmsId) -> Result<SmsClicks, Error> {
        id.validate_at("uuid")?;
        Ok(self
            .transport
            .call(async |api| api.list_sms_clicks_of_message(id).await)
            .await?
            .value)
    }

    /// The requests made to a message's short link that `query` selects
    /// (`GET /sms/{uuid}/requests`), page after page; the id and the query
    /// are checked before anything is sent.
    pub async fn list_sms_requests(
        &self,
        id: &SmsId,
        query: &ShortLinkRequestQuery,
    ) -> Result<Listing<ShortLinkRequest>, Error> {
        id.validate_at("uuid")?;
        let operation = Operation::ListSmsRequests;
        let first = query.to_iri(operation, &operation.path(&[id]))?;
        Listing::start(self, operation, first).await
    }
}

/// Checks a query for a batch `verb`: its filters, then that it has only
/// filters the batch operations declare, then that it has one, else
/// `instead` is the call that means every message.
///
/// A time range is a filter of the list only: LOX24's document declares
/// no range for the batch operations, and a filter LOX24 ignored would
/// widen the batch beyond the query (to every message, when it is the
/// only filter).
fn check_batch(query: &SmsQuery, verb: &str, instead: &str) -> Result<(), ValidationError> {
    query.validate()?;
    if query.has_time_range() {
        return Err(ValidationError::new(
            "created_at",
            ValidationProblem::Invalid {
                reason: format!(
                    "is a time range, which LOX24 documents for listing messages but not \
                     for the batch {verb}: list the messages with it and {verb} them by id \
                     (SmsQuery::id)"
                ),
            },
        ));
    }
    if query.is_everything() {
        return Err(ValidationError::new(
            "query",
            ValidationProblem::Invalid {
                reason: format!(
                    "has no filter: it would {verb} every message of the account; \
                     call {instead} to mean that"
                ),
            },
        ));
    }
    Ok(())
}
