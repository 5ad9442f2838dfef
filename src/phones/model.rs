//! An entry of a group as LOX24 stores it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Iri, PhoneId};

/// An entry of a group as LOX24 stores it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Phone {
    /// `@id`, the entry's IRI, when the answer was JSON-LD.
    #[serde(rename = "@id", default, skip_serializing_if = "Option::is_none")]
    pub iri: Option<Iri>,
    /// The entry's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<PhoneId>,
    /// The number as stored.
    pub phone: String,
    /// Column `a`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub a: Option<String>,
    /// Column `b`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b: Option<String>,
    /// Column `c`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub c: Option<String>,
    /// Column `d`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
    /// Column `e`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    /// The callback data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_data: Option<String>,
    /// Unix time at which the number subscribed through a link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscribed_at: Option<i64>,
    /// Unix time at which the number unsubscribed through a link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsubscribed_at: Option<i64>,
    /// Why the number unsubscribed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsubscribe_reason: Option<UnsubscribeReason>,
}

impl Phone {
    /// An entry with this id and number and nothing else, e.g. for a mock's answer.
    pub fn new(id: PhoneId, phone: impl Into<String>) -> Self {
        Self {
            id: Some(id),
            phone: phone.into(),
            ..Self::default()
        }
    }
}

crate::enums::coded_enum! {
    /// Why a number unsubscribed through a link.
    UnsubscribeReason {
        /// 1: the person never subscribed.
        NeverSubscribed = 1,
        /// 2: too many messages.
        TooManyMessages = 2,
        /// 3: not interested.
        NotInterested = 3,
        /// 4: the content was not understandable.
        Incomprehensible = 4,
        /// 5: dislikes the company.
        DislikesCompany = 5,
        /// 6: another reason.
        Other = 6,
    }
}
