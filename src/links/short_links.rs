//! Single short links (`/short_links`) and the requests made to them
//! (`/short_link_requests`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Client, Error, Iri, JsonLdMeta, Listing, transport::Operation};

use super::{
    ShortCode, ShortLinkQuery, ShortLinkRequest, ShortLinkRequestId, ShortLinkRequestQuery,
};

/// One short link, leading to its campaign's URL.
///
/// ```
/// let link: lox24::links::ShortLink = serde_json::from_str(
///     r#"{"short_code": "baaIoP", "url": "https://shop.example/sale",
///         "campaign": "/short_link_campaigns/1dkGdCC2xnBc"}"#,
/// )?;
/// assert_eq!(link.short_code.unwrap().as_str(), "baaIoP");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ShortLink {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The link's code, which names it in paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_code: Option<ShortCode>,
    /// The URL it leads to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Its campaign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<Iri>,
    /// The list of requests made to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<Iri>,
    /// Unix time of its last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
}

impl Client {
    /// The account's short links that `query` selects, page after page
    /// (`GET /short_links`); the query is checked before anything is sent.
    pub async fn list_short_links(
        &self,
        query: &ShortLinkQuery,
    ) -> Result<Listing<ShortLink>, Error> {
        Listing::start(self, Operation::ListShortLinks, query.to_iri()?).await
    }

    /// Reads a short link (`GET /short_links/{shortCode}`).
    pub async fn get_short_link(&self, code: &ShortCode) -> Result<ShortLink, Error> {
        code.validate_at("shortCode")?;
        Ok(self
            .transport
            .call(async |api| api.get_short_link(code).await)
            .await?
            .value)
    }

    /// The requests made to a short link that `query` selects, page after
    /// page (`GET /short_links/{shortCode}/requests`); the code and the
    /// query are checked before anything is sent.
    pub async fn list_short_link_requests_of(
        &self,
        code: &ShortCode,
        query: &ShortLinkRequestQuery,
    ) -> Result<Listing<ShortLinkRequest>, Error> {
        code.validate_at("shortCode")?;
        let operation = Operation::ListShortLinkRequestsOfLink;
        let first = query.to_iri(operation, &operation.path(&[code]))?;
        Listing::start(self, operation, first).await
    }

    /// The requests made to any short link of the account that `query`
    /// selects, page after page (`GET /short_link_requests`); the query is
    /// checked before anything is sent.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use futures_util::TryStreamExt;
    /// use lox24::{ShortLinkRequestQuery, number::Country};
    ///
    /// let query = ShortLinkRequestQuery::new()
    ///     .country(Country::from_iso("DE")?)
    ///     .os_containing("Android");
    /// let mut requests = client.list_short_link_requests(&query).await?;
    /// while let Some(request) = requests.try_next().await? {
    ///     println!("{:?} {:?}", request.date, request.url);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_short_link_requests(
        &self,
        query: &ShortLinkRequestQuery,
    ) -> Result<Listing<ShortLinkRequest>, Error> {
        let operation = Operation::ListShortLinkRequests;
        let first = query.to_iri(operation, &operation.path(&[]))?;
        Listing::start(self, operation, first).await
    }

    /// Reads a request made to a short link (`GET /short_link_requests/{id}`).
    pub async fn get_short_link_request(
        &self,
        id: &ShortLinkRequestId,
    ) -> Result<ShortLinkRequest, Error> {
        id.validate_at("id")?;
        Ok(self
            .transport
            .call(async |api| api.get_short_link_request(id).await)
            .await?
            .value)
    }
}
