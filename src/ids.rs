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

impl GroupId {
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
        crate::limits::GROUP_ID.check_at(field, id)
    }
}

impl From<u64> for GroupId {
    fn from(id: u64) -> Self {
        Self(id)
    }
}

impl fmt::Display for GroupId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl ResourceId for GroupId {
    const COLLECTION: &'static str = "groups";

    fn from_segment(segment: &str) -> Option<Self> {
        segment.parse().ok().map(Self)
    }

    fn to_segment(&self) -> String {
        self.0.to_string()
    }
}

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
