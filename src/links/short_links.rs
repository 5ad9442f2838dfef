//! Single short links (`/short_links`) and the requests made to them
//! (`/short_link_requests`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Client, Error, Iri, JsonLdMeta, Listing, transport::Operation};

use super::{ShortCode, ShortLinkRequest, ShortLinkRequestId};

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
    /// The account's short links, page after page (`GET /short_links`).
    pub async fn list_short_links(&self) -> Result<Listing<ShortLink>, Error> {
        let operation = Operation::ListShortLinks;
        Listing::start(self, operation, Iri::new(operation.path(&[]))).await
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

    /// The requests made to a short link, page after page
    /// (`GET /short_links/{shortCode}/requests`).
    pub async fn list_short_link_requests_of(
        &self,
        code: &ShortCode,
    ) -> Result<Listing<ShortLinkRequest>, Error> {
        code.validate_at("shortCode")?;
        let operation = Operation::ListShortLinkRequestsOfLink;
        Listing::start(self, operation, Iri::new(operation.path(&[code]))).await
    }

    /// The requests made to any short link of the account, page after page
    /// (`GET /short_link_requests`).
    pub async fn list_short_link_requests(&self) -> Result<Listing<ShortLinkRequest>, Error> {
        let operation = Operation::ListShortLinkRequests;
        Listing::start(self, operation, Iri::new(operation.path(&[]))).await
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
