//! Groups: mailing lists of phone numbers, with up to five extra columns
//! per entry.

mod export;
mod model;
mod new;

pub use export::CsvExport;
pub use model::{Column, Group};
pub use new::NewGroup;

use crate::{Client, Error, GroupId, Iri, Listing, transport::Operation};

impl Client {
    /// Creates a group (`POST /groups`).
    ///
    /// The input is checked against the spec first; nothing is sent if it
    /// breaks a limit.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let group = client.create_group(&lox24::NewGroup::new("My Clients")).await?;
    /// println!("{} is {}", group.name, group.iri());
    /// # Ok(()) }
    /// ```
    pub async fn create_group(&self, group: &NewGroup) -> Result<Group, Error> {
        let body = group.to_wire()?;
        Ok(self
            .transport
            .call(async |api| api.create_group(&body).await)
            .await?
            .value)
    }

    /// Reads a group (`GET /groups/{id}`).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let group = client.get_group(&lox24::GroupId::new(7117)).await?;
    /// println!("{} holds {} entries", group.name, group.count_items);
    /// # Ok(()) }
    /// ```
    pub async fn get_group(&self, id: &GroupId) -> Result<Group, Error> {
        id.validate_at("id")?;
        Ok(self
            .transport
            .call(async |api| api.get_group(id).await)
            .await?
            .value)
    }

    /// Changes a group (`PUT /groups/{id}`): its name, description and column
    /// labels become the ones in `group`, and those left out are cleared
    /// (LOX24 has no partial update).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::{Column, GroupId, NewGroup};
    ///
    /// let changed = NewGroup::new("Regular clients").column_name(Column::A, "first name");
    /// let group = client.update_group(&GroupId::new(7117), &changed).await?;
    /// assert_eq!(group.name, "Regular clients");
    /// # Ok(()) }
    /// ```
    pub async fn update_group(&self, id: &GroupId, group: &NewGroup) -> Result<Group, Error> {
        id.validate_at("id")?;
        let body = group.to_wire()?;
        Ok(self
            .transport
            .call(async |api| api.update_group(id, &body).await)
            .await?
            .value)
    }

    /// Deletes a group and every entry in it (`DELETE /groups/{id}`).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// client.delete_group(&lox24::GroupId::new(7117)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_group(&self, id: &GroupId) -> Result<(), Error> {
        id.validate_at("id")?;
        self.transport
            .call(async |api| api.delete_group(id).await)
            .await?;
        Ok(())
    }

    /// Every group of the account (`GET /groups`), page after page.
    ///
    /// The first page is read before this returns; see [`Listing`].
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let groups: Vec<lox24::Group> = client.list_groups().await?.try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub async fn list_groups(&self) -> Result<Listing<Group>, Error> {
        let operation = Operation::ListGroups;
        let first = Iri::new(operation.path(&[]));
        Listing::start(self, operation, first).await
    }

    /// A group's entries as a CSV file (`GET /groups/{id}/file/csv`),
    /// streamed as it arrives; see [`CsvExport`].
    ///
    /// The status is checked before this returns: an unknown group is
    /// [`Error::NotFound`] here, not in the stream.
    pub async fn export_group_csv(&self, id: &GroupId) -> Result<CsvExport, Error> {
        id.validate_at("id")?;
        let answer = self
            .transport
            .call(async |api| api.export_group_csv(id).await)
            .await?;
        Ok(CsvExport::new(answer.value, answer.request_id))
    }
}
