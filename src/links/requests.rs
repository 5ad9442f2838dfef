//! A request made to a short link: a recipient opening it, or a preview
//! fetching it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Iri, JsonLdMeta, links::ShortLinkRequestId};

/// One request made to a short link of a campaign's messages: a recipient
/// opening the link, or a preview fetching it.
///
/// Only `id` is required when reading; LOX24 fills in what it could tell of
/// the device and software.
///
/// ```
/// let request: lox24::links::ShortLinkRequest = serde_json::from_str(
///     r#"{"id": 12, "date": 1764000000, "type": 1, "url": "https://shop.example/sale",
///         "country": "DE", "os": "Android", "hardware_type": "mobile"}"#,
/// )?;
/// assert_eq!((request.id.get(), request.date), (12, Some(1_764_000_000)));
/// assert_eq!(request.country.as_deref(), Some("DE"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ShortLinkRequest {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The request's id.
    pub id: ShortLinkRequestId,
    /// Unix time of the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<i64>,
    /// The kind of request, as LOX24 codes it.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<i64>,
    /// The URL the short link leads to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The short link that was requested.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_link: Option<Iri>,
    /// The IP address the request came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The ISO 3166-1 code of the country the request came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The request's `User-Agent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// The request's `Referer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referer: Option<String>,
    /// The browser.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser: Option<String>,
    /// The browser's version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_version: Option<String>,
    /// The operating system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<String>,
    /// The operating system's version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    /// The kind of device, such as `mobile`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardware_type: Option<String>,
    /// The kind of software, such as `browser`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software_type: Option<String>,
}
