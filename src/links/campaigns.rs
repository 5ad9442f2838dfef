//! Short-link campaigns (`/short_link_campaigns`): a named link to a
//! target URL, of which each message gets its own short link, and the
//! subscription and unsubscription links.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    Client, Error, GroupId, Iri, JsonLdMeta, Listing, ValidationError, ValidationProblem,
    generated::types, limits, limits::wire, transport::Operation,
};

use super::{
    ShortLink, ShortLinkCampaignCode, ShortLinkCampaignQuery, ShortLinkRequest,
    ShortLinkRequestQuery,
};

crate::enums::coded_enum! {
    /// How a short-link campaign's links are made (`type`).
    ShortLinkKind {
        /// 1: one short link that every message shares, free of charge;
        /// its clicks are counted in total.
        Shared = 1,
        /// 2: a short link of its own for each message, charged per link,
        /// so that each recipient's clicks can be told apart.
        PerMessage = 2,
    }
}

/// A short-link campaign as LOX24 stores it.
///
/// ```
/// let campaign: lox24::links::ShortLinkCampaign = serde_json::from_str(
///     r#"{"id": "1dkGdCC2xnBc", "name": "Spring sale", "type": 1,
///         "url": "https://shop.example/sale", "group_id": null}"#,
/// )?;
/// assert_eq!(campaign.id.unwrap().as_str(), "1dkGdCC2xnBc");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ShortLinkCampaign {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The campaign's code, which names it in paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ShortLinkCampaignCode>,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The URL its links lead to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// How its links are made.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ShortLinkKind>,
    /// The group that subscriptions join or unsubscriptions are recorded in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<GroupId>,
    /// Unix time of its creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
}

/// A short-link campaign to create or change.
///
/// ```
/// use lox24::links::{NewShortLinkCampaign, ShortLinkKind};
///
/// let campaign =
///     NewShortLinkCampaign::new("Spring sale", "https://shop.example/sale", ShortLinkKind::Shared);
/// assert!(campaign.validate().is_ok());
/// let err = NewShortLinkCampaign::new("Sale", "shop.example", ShortLinkKind::Shared)
///     .validate()
///     .unwrap_err();
/// assert_eq!(err.field(), "url");
/// let err = NewShortLinkCampaign::new("Sale", "https://shop.example", ShortLinkKind::Unknown(3))
///     .validate()
///     .unwrap_err();
/// assert_eq!(err.field(), "type");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct NewShortLinkCampaign {
    name: String,
    url: String,
    kind: ShortLinkKind,
    group: Option<GroupId>,
}

impl NewShortLinkCampaign {
    /// A campaign named `name` (up to 100 characters) whose links lead to
    /// `url` (an absolute `http` or `https` URL), made as `kind` says.
    pub fn new(name: impl Into<String>, url: impl Into<String>, kind: ShortLinkKind) -> Self {
        Self {
            name: name.into(),
            url: url.into(),
            kind,
            group: None,
        }
    }

    /// Ties the campaign to a group.
    pub fn group(mut self, group: GroupId) -> Self {
        self.group = Some(group);
        self
    }

    /// Checks every limit of the spec, and that the URL is absolute.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.to_wire().map(drop)
    }

    fn to_wire(&self) -> Result<types::ShortLinkCampaignWrite, ValidationError> {
        use limits::short_link_campaign_write as rule;
        let code = self.kind.code();
        rule::TYPE.check(code)?;
        // The rule above holds the code to 1 or 2.
        let kind = u64::try_from(code)
            .ok()
            .and_then(std::num::NonZeroU64::new)
            .map(types::ShortLinkCampaignKind)
            .ok_or_else(|| {
                ValidationError::new(
                    "type",
                    ValidationProblem::Invalid {
                        reason: format!("is {code}; LOX24 knows kinds 1 and 2"),
                    },
                )
            })?;
        if let Some(group) = self.group {
            group.validate_at("group_id")?;
        }
        checked_name(&self.name)?;
        Ok(types::ShortLinkCampaignWrite {
            name: wire(&rule::NAME, &self.name)?,
            url: checked_url(&self.url)?,
            type_: kind,
            group_id: self.group,
        })
    }
}

/// The URL, once it is known to be absolute `http` or `https`.
fn checked_url(url: &str) -> Result<String, ValidationError> {
    limits::check_controls("url", url, limits::Lines::One)?;
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => Ok(url.to_owned()),
        Ok(parsed) => Err(ValidationError::new(
            "url",
            ValidationProblem::Invalid {
                reason: format!("has the scheme `{}`; use http or https", parsed.scheme()),
            },
        )),
        Err(e) => Err(ValidationError::new(
            "url",
            ValidationProblem::Invalid {
                reason: format!("is not an absolute URL ({e})"),
            },
        )),
    }
}

/// A campaign's name: something to read, on one line.
fn checked_name(name: &str) -> Result<(), ValidationError> {
    limits::check_not_blank("name", name, "give the campaign a name")?;
    limits::check_controls("name", name, limits::Lines::One)
}

/// The body of a subscription or unsubscription link.
fn subscription(
    name: &str,
    group: GroupId,
) -> Result<types::ShortLinkSubscriptionWrite, ValidationError> {
    group.validate_at("group_id")?;
    checked_name(name)?;
    Ok(types::ShortLinkSubscriptionWrite {
        name: wire(&limits::short_link_subscription_write::NAME, name)?,
        group_id: group,
    })
}

impl Client {
    /// Creates a short-link campaign (`POST /short_link_campaigns`).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::links::NewShortLinkCampaign;
    ///
    /// let campaign = client
    ///     .create_short_link_campaign(&NewShortLinkCampaign::new(
    ///         "Sale",
    ///         "https://shop.example",
    ///         lox24::links::ShortLinkKind::PerMessage,
    ///     ))
    ///     .await?;
    /// println!("{:?}", campaign.id);
    /// # Ok(()) }
    /// ```
    pub async fn create_short_link_campaign(
        &self,
        campaign: &NewShortLinkCampaign,
    ) -> Result<ShortLinkCampaign, Error> {
        let body = campaign.to_wire()?;
        Ok(self
            .transport
            .call(async |api| api.create_short_link_campaign(&body).await)
            .await?
            .value)
    }

    /// Creates a link to LOX24's subscription form
    /// (`POST /short_link_campaigns/subscribe`): a number entered there
    /// joins `group`.
    pub async fn create_subscription_link(
        &self,
        name: &str,
        group: GroupId,
    ) -> Result<ShortLinkCampaign, Error> {
        let body = subscription(name, group)?;
        Ok(self
            .transport
            .call(async |api| api.subscribe_to_short_link_campaign(&body).await)
            .await?
            .value)
    }

    /// Creates a link to LOX24's unsubscription form
    /// (`POST /short_link_campaigns/unsubscribe`): a number entered there
    /// is blocked and recorded in `group`.
    pub async fn create_unsubscription_link(
        &self,
        name: &str,
        group: GroupId,
    ) -> Result<ShortLinkCampaign, Error> {
        let body = subscription(name, group)?;
        Ok(self
            .transport
            .call(async |api| api.unsubscribe_from_short_link_campaign(&body).await)
            .await?
            .value)
    }

    /// Reads a short-link campaign (`GET /short_link_campaigns/{code}`).
    pub async fn get_short_link_campaign(
        &self,
        code: &ShortLinkCampaignCode,
    ) -> Result<ShortLinkCampaign, Error> {
        code.validate_at("code")?;
        Ok(self
            .transport
            .call(async |api| api.get_short_link_campaign(code).await)
            .await?
            .value)
    }

    /// Replaces a short-link campaign's name, URL, kind and group
    /// (`PUT /short_link_campaigns/{code}`).
    pub async fn update_short_link_campaign(
        &self,
        code: &ShortLinkCampaignCode,
        campaign: &NewShortLinkCampaign,
    ) -> Result<ShortLinkCampaign, Error> {
        code.validate_at("code")?;
        let body = campaign.to_wire()?;
        Ok(self
            .transport
            .call(async |api| api.update_short_link_campaign(code, &body).await)
            .await?
            .value)
    }

    /// Deletes a short-link campaign (`DELETE /short_link_campaigns/{code}`).
    pub async fn delete_short_link_campaign(
        &self,
        code: &ShortLinkCampaignCode,
    ) -> Result<(), Error> {
        code.validate_at("code")?;
        self.transport
            .call(async |api| api.delete_short_link_campaign(code).await)
            .await?;
        Ok(())
    }

    /// The account's short-link campaigns that `query` selects, page after
    /// page (`GET /short_link_campaigns`); the query is checked before
    /// anything is sent.
    pub async fn list_short_link_campaigns(
        &self,
        query: &ShortLinkCampaignQuery,
    ) -> Result<Listing<ShortLinkCampaign>, Error> {
        Listing::start(self, Operation::ListShortLinkCampaigns, query.to_iri()?).await
    }

    /// The requests made to a campaign's short links that `query` selects,
    /// page after page (`GET /short_link_campaigns/{code}/requests`); the
    /// code and the query are checked before anything is sent.
    pub async fn list_short_link_campaign_requests(
        &self,
        code: &ShortLinkCampaignCode,
        query: &ShortLinkRequestQuery,
    ) -> Result<Listing<ShortLinkRequest>, Error> {
        code.validate_at("code")?;
        let operation = Operation::ListShortLinkCampaignRequests;
        let first = query.to_iri(operation, &operation.path(&[code]))?;
        Listing::start(self, operation, first).await
    }

    /// The short links made for a campaign, one per message
    /// (`GET /short_link_campaigns/{code}/short_links`).
    pub async fn list_short_link_campaign_links(
        &self,
        code: &ShortLinkCampaignCode,
    ) -> Result<Listing<ShortLink>, Error> {
        code.validate_at("code")?;
        let operation = Operation::ListShortLinkCampaignLinks;
        Listing::start(self, operation, Iri::new(operation.path(&[code]))).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_urls_must_be_readable_lines() {
        let field = |name: &str, url: &str| {
            NewShortLinkCampaign::new(name, url, ShortLinkKind::Shared)
                .validate()
                .unwrap_err()
                .field()
                .to_owned()
        };
        assert_eq!(field("  ", "https://shop.example"), "name");
        assert_eq!(field("Sale\n", "https://shop.example"), "name");
        assert_eq!(field("Sale", "https://shop.example/\u{7f}"), "url");
        assert_eq!(
            subscription(" ", GroupId::new(7)).unwrap_err().field(),
            "name"
        );
        assert!(subscription("Newsletter", GroupId::new(7)).is_ok());
    }
}
