//! The requests made to a campaign's short links (`GET /bulks/{id}/requests`).

use crate::{
    BulkId, Client, Error, Listing, ShortLinkRequestQuery, links::ShortLinkRequest,
    transport::Operation,
};

impl Client {
    /// The requests made to the short links of a campaign's messages that
    /// `query` selects (`GET /bulks/{id}/requests`), page after page.
    ///
    /// The id and the query are checked and the first page read before this
    /// returns; see [`Listing`].
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use lox24::ShortLinkRequestQuery;
    ///
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let id = lox24::BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    /// let mobile = ShortLinkRequestQuery::new().hardware_type_containing("mobile");
    /// let mut requests = client.list_bulk_requests(&id, &mobile).await?;
    /// while let Some(request) = requests.try_next().await? {
    ///     println!("{:?} from {:?} on {:?}", request.url, request.country, request.os);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_bulk_requests(
        &self,
        id: &BulkId,
        query: &ShortLinkRequestQuery,
    ) -> Result<Listing<ShortLinkRequest>, Error> {
        id.validate_at("id")?;
        let operation = Operation::ListBulkRequests;
        let first = query.to_iri(operation, &operation.path(&[id]))?;
        Listing::start(self, operation, first).await
    }
}
