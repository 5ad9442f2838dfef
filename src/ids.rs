//! Typed ids of LOX24 resources.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::jsonld::ResourceId;

/// The methods and traits of an id that LOX24 writes as text: `new`,
/// `as_str`, the check against the spec's rule `$rule` before the id goes
/// into a path, `Display`, and its place in IRIs under `/$collection/`.
macro_rules! text_id {
    ($id:ident, $collection:literal, $rule:ident, $what:literal) => {
        impl $id {
            /// The id with this text.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as LOX24 wrote it.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            #[doc = concat!("Checks the id against the spec (", $what, ") before it is sent in a path.")]
            pub(crate) fn validate_at(
                &self,
                field: impl fmt::Display,
            ) -> Result<(), crate::ValidationError> {
                crate::limits::$rule.check_at(field, &self.0)
            }
        }

        impl fmt::Display for $id {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ResourceId for $id {
            const COLLECTION: &'static str = $collection;

            fn from_segment(segment: &str) -> Option<Self> {
                (!segment.is_empty()).then(|| Self::new(segment))
            }

            fn to_segment(&self) -> String {
                self.0.clone()
            }
        }
    };
}

/// The methods and traits of an id that LOX24 writes as a number: `new`,
/// `get`, the check against the spec's rule `$rule` before the id goes into
/// a path (ids start at 1), `Display`, and its place in IRIs under
/// `/$collection/`.
macro_rules! number_id {
    ($id:ident, $collection:literal, $rule:ident) => {
        impl $id {
            /// The id with this number. LOX24's ids start at 1; 0 is refused when sent.
            pub const fn new(id: u64) -> Self {
                Self(id)
            }

            /// The number.
            pub const fn get(self) -> u64 {
                self.0
            }

            /// Checks the id against the spec before it is sent.
            pub(crate) fn validate_at(
                self,
                field: impl fmt::Display,
            ) -> Result<(), crate::ValidationError> {
                let id = i64::try_from(self.0).unwrap_or(i64::MAX);
                crate::limits::$rule.check_at(field, id)
            }
        }

        impl From<u64> for $id {
            fn from(id: u64) -> Self {
                Self(id)
            }
        }

        impl fmt::Display for $id {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl ResourceId for $id {
            const COLLECTION: &'static str = $collection;

            fn from_segment(segment: &str) -> Option<Self> {
                segment.parse().ok().map(Self)
            }

            fn to_segment(&self) -> String {
                self.0.to_string()
            }
        }
    };
}

/// A group's id (`/groups/{id}`).
///
/// ```
/// let id = lox24::GroupId::new(7117);
/// assert_eq!(id.to_string(), "7117");
/// assert_eq!(lox24::Iri::of(&id).as_str(), "/groups/7117");
/// ```
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct GroupId(u64);

number_id!(GroupId, "groups", GROUP_ID);

/// The id of an entry of a group (`/phones/{id}`).
///
/// LOX24 writes it as a JSON string; a number is read as well.
///
/// ```
/// let id: lox24::PhoneId = serde_json::from_str(r#""981""#)?;
/// assert_eq!(id, serde_json::from_str("981")?);
/// assert_eq!(id.as_str(), "981");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct PhoneId(String);

text_id!(PhoneId, "phones", PHONE_ID, "decimal digits");

impl<'de> Deserialize<'de> for PhoneId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Text {
            String(String),
            Number(u64),
        }
        Ok(match Text::deserialize(deserializer)? {
            Text::String(s) => Self(s),
            Text::Number(n) => Self(n.to_string()),
        })
    }
}

/// A bulk campaign's id, a UUID (`/bulks/{uuid}`).
///
/// ```
/// let id = lox24::BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
/// assert_eq!(lox24::Iri::of(&id).as_str(), "/bulks/0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
/// ```
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct BulkId(String);

text_id!(BulkId, "bulks", BULK_ID, "a lowercase UUID");

/// A single message's id, a UUID (`/sms/{uuid}`).
///
/// Any text is read from LOX24 (a dry run's placeholder id is not a
/// well-formed UUID); only a lowercase UUID is sent in a path.
///
/// ```
/// let id = lox24::SmsId::new("9fe26332-cdbe-11ee-8d61-7c10c91d54a5");
/// assert_eq!(lox24::Iri::of(&id).as_str(), "/sms/9fe26332-cdbe-11ee-8d61-7c10c91d54a5");
/// ```
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct SmsId(String);

text_id!(SmsId, "sms", SMS_ID, "a lowercase UUID");

/// A received message's id, a UUID (`/incomings/{uuid}`).
///
/// ```
/// let id = lox24::ReplyId::new("e7d23bd5-dd8e-22fd-c7eb-636511ccc8ed");
/// assert_eq!(lox24::Iri::of(&id).as_str(), "/incomings/e7d23bd5-dd8e-22fd-c7eb-636511ccc8ed");
/// ```
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct ReplyId(String);

text_id!(ReplyId, "incomings", REPLY_ID, "a lowercase UUID");

/// A fraud check's id, a UUID (`/fraud-checks/{id}`).
///
/// ```
/// let id = lox24::FraudCheckId::new("5c1f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2c");
/// assert_eq!(id.to_string(), "5c1f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2c");
/// ```
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct FraudCheckId(String);

text_id!(
    FraudCheckId,
    "fraud-checks",
    FRAUD_CHECK_ID,
    "a lowercase UUID"
);

/// A blocked number's id (`/blocked_numbers/{id}`).
///
/// ```
/// let id = lox24::BlockedNumberId::new(31);
/// assert_eq!(lox24::Iri::of(&id).as_str(), "/blocked_numbers/31");
/// ```
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct BlockedNumberId(u64);

number_id!(BlockedNumberId, "blocked_numbers", BLOCKED_NUMBER_ID);

/// The id of a request made to a short link (`/short_link_requests/{id}`).
///
/// ```
/// let id = lox24::links::ShortLinkRequestId::new(12);
/// assert_eq!(lox24::Iri::of(&id).as_str(), "/short_link_requests/12");
/// ```
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct ShortLinkRequestId(u64);

number_id!(
    ShortLinkRequestId,
    "short_link_requests",
    SHORT_LINK_REQUEST_ID
);

/// A short-link campaign's code (`/short_link_campaigns/{code}`).
///
/// ```
/// let code = lox24::links::ShortLinkCampaignCode::new("1dkGdCC2xnBc");
/// assert_eq!(lox24::Iri::of(&code).as_str(), "/short_link_campaigns/1dkGdCC2xnBc");
/// ```
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct ShortLinkCampaignCode(String);

text_id!(
    ShortLinkCampaignCode,
    "short_link_campaigns",
    SHORT_LINK_CAMPAIGN_CODE,
    "letters, digits, `_` and `-`"
);

/// A short link's code (`/short_links/{shortCode}`).
///
/// ```
/// let code = lox24::links::ShortCode::new("baaIoP");
/// assert_eq!(lox24::Iri::of(&code).as_str(), "/short_links/baaIoP");
/// ```
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct ShortCode(String);

text_id!(
    ShortCode,
    "short_links",
    SHORT_CODE,
    "letters, digits, `_` and `-`"
);
