//! Entries of groups: phone numbers with extra columns, added one by one or
//! in batches (see [`crate::upload`] for lists of any size).

pub(crate) mod batch;
mod entry;
mod model;

pub use batch::{BatchItem, BatchResult, ItemProblem};
pub use entry::PhoneEntry;
pub use model::{Phone, UnsubscribeReason};

use crate::{Client, Error, GroupId, Iri, Listing, PhoneId, transport::Operation};

impl Client {
    /// Adds one entry to a group (`POST /groups/{id}/phones`).
    ///
    /// The entry is checked first; nothing is sent if it breaks a limit. A
    /// number LOX24 refuses is an error here ([`Error::InvalidInput`] or
    /// [`Error::Unprocessable`]), unlike in a batch.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::{Column, GroupId, PhoneEntry};
    ///
    /// let entry = PhoneEntry::new("+491701234567").column(Column::A, "Anna");
    /// let phone = client.add_phone(&GroupId::new(7117), &entry).await?;
    /// println!("stored as {:?}", phone.id);
    /// # Ok(()) }
    /// ```
    pub async fn add_phone(&self, group: &GroupId, entry: &PhoneEntry) -> Result<Phone, Error> {
        group.validate_at("id")?;
        entry.validate()?;
        Ok(self
            .transport
            .call(async |api| api.add_phone(group, entry).await)
            .await?
            .value)
    }

    /// Reads an entry (`GET /phones/{id}`).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let phone = client.get_phone(&lox24::PhoneId::new("981")).await?;
    /// println!("{} unsubscribed: {:?}", phone.phone, phone.unsubscribe_reason);
    /// # Ok(()) }
    /// ```
    pub async fn get_phone(&self, id: &PhoneId) -> Result<Phone, Error> {
        id.validate_at("id")?;
        Ok(self
            .transport
            .call(async |api| api.get_phone(id).await)
            .await?
            .value)
    }

    /// Changes an entry (`PUT /phones/{id}`): its number, columns and
    /// callback data become the ones in `entry`, and those left out are
    /// cleared (LOX24 has no partial update).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::{Column, PhoneEntry, PhoneId};
    ///
    /// let entry = PhoneEntry::new("+491701234567").column(Column::A, "Anna-Lena");
    /// client.update_phone(&PhoneId::new("981"), &entry).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_phone(&self, id: &PhoneId, entry: &PhoneEntry) -> Result<Phone, Error> {
        id.validate_at("id")?;
        entry.validate()?;
        Ok(self
            .transport
            .call(async |api| api.update_phone(id, entry).await)
            .await?
            .value)
    }

    /// Deletes an entry (`DELETE /phones/{id}`).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// client.delete_phone(&lox24::PhoneId::new("981")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_phone(&self, id: &PhoneId) -> Result<(), Error> {
        id.validate_at("id")?;
        self.transport
            .call(async |api| api.delete_phone(id).await)
            .await?;
        Ok(())
    }

    /// Every entry of a group (`GET /groups/{id}/phones`), page after page
    /// when LOX24 pages the collection.
    ///
    /// The first page is read before this returns; see [`Listing`].
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let mut phones = client.list_group_phones(&lox24::GroupId::new(7117)).await?;
    /// while let Some(phone) = phones.try_next().await? {
    ///     println!("{}", phone.phone);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_group_phones(&self, group: &GroupId) -> Result<Listing<Phone>, Error> {
        group.validate_at("id")?;
        let operation = Operation::ListGroupPhones;
        let first = Iri::new(operation.path(&[group]));
        Listing::start(self, operation, first).await
    }

    /// Adds entries to a group in one request (`POST /groups/{id}/phones/batch`).
    ///
    /// Every entry is checked first; if one breaks a limit, the error names it
    /// (`[3].phone`) and nothing is sent. LOX24 answers 201 even when some
    /// entries fail: look at each item of the result, which come in the order
    /// of `entries`. For large lists, prefer [`Client::upload_phones`], which
    /// batches, retries and reports on every entry. No entries send nothing:
    /// the result is empty (a request spent for nothing is one more toward
    /// LOX24's limits).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::{GroupId, PhoneEntry};
    ///
    /// let entries = [PhoneEntry::new("+491701234567"), PhoneEntry::new("+491701234568")];
    /// let result = client.add_phones(&GroupId::new(7117), &entries).await?;
    /// for (entry, item) in entries.iter().zip(&result.items) {
    ///     match &item.result {
    ///         Ok(phone) => println!("{} stored as {:?}", entry.phone, phone.id),
    ///         Err(problem) => println!("{} refused: {}", entry.phone, problem.message()),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn add_phones(
        &self,
        group: &GroupId,
        entries: &[PhoneEntry],
    ) -> Result<BatchResult, Error> {
        group.validate_at("id")?;
        if entries.is_empty() {
            return Ok(BatchResult::new(Vec::new()));
        }
        for (i, entry) in entries.iter().enumerate() {
            entry.validate().map_err(|e| e.within(format!("[{i}]")))?;
        }
        // The generated call takes a `Vec`; a batch sent this way is small
        // (large lists go through the upload engine, which copies nothing).
        let body = entries.to_vec();
        let answer = self
            .transport
            .call(async |api| api.add_phones_batch(group, &body).await)
            .await?;
        let mut result = answer.value;
        if result.items.len() != entries.len() {
            let reason = format!(
                "the answer has {} items for the {} entries sent, so no item can be matched to its entry",
                result.items.len(),
                entries.len()
            );
            return Err(crate::UnexpectedResponse::new(
                Some(Operation::AddPhonesBatch.spec().success),
                answer.request_id,
                reason,
                b"",
            )
            .into());
        }
        for (item, sent) in result.items.iter_mut().zip(&body) {
            if let Ok(phone) = &mut item.result
                && phone.phone.is_empty()
            {
                phone.phone.clone_from(&sent.phone);
            }
        }
        Ok(result)
    }
}
