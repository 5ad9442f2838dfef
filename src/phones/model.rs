//! An entry of a group as LOX24 stores it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Column, Iri, PhoneId};

/// An entry of a group as LOX24 stores it.
///
/// ```
/// let entry: lox24::Phone = serde_json::from_str(
///     r#"{
///     "@id": "/phones/981", "id": "981", "phone": "+491701234567",
///     "a": "Anna", "b": "Berlin", "c": null, "d": null, "e": null,
///     "callback_data": "customer-88", "subscribed_at": 1764586800,
///     "unsubscribed_at": null, "unsubscribe_reason": null
/// }"#,
/// )?;
/// assert_eq!(entry.id, Some(lox24::PhoneId::new("981")));
/// assert_eq!(entry.phone, "+491701234567");
/// assert_eq!(entry.a.as_deref(), Some("Anna"));
/// assert_eq!(entry.unsubscribed_at, None);
/// # Ok::<(), serde_json::Error>(())
/// ```
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
    ///
    /// ```
    /// use lox24::{Phone, PhoneId};
    ///
    /// let mut entry = Phone::new(PhoneId::new("981"), "+491701234567");
    /// entry.a = Some("Anna".to_owned());
    /// assert_eq!(entry.id, Some(PhoneId::new("981")));
    /// assert_eq!((entry.b, entry.callback_data), (None, None));
    /// ```
    pub fn new(id: PhoneId, phone: impl Into<String>) -> Self {
        Self {
            id: Some(id),
            phone: phone.into(),
            ..Self::default()
        }
    }

    /// A column's value, the counterpart of [`PhoneEntry::column`] and
    /// [`Group::column_name`] for an entry as read back from LOX24.
    ///
    /// ```
    /// use lox24::Column;
    ///
    /// let entry: lox24::Phone =
    ///     serde_json::from_str(r#"{"phone": "+491701234567", "a": "Anna", "b": null}"#)?;
    /// assert_eq!(entry.column(Column::A), Some("Anna"));
    /// assert_eq!(entry.column(Column::B), None);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    ///
    /// [`PhoneEntry::column`]: crate::PhoneEntry::column
    /// [`Group::column_name`]: crate::Group::column_name
    pub fn column(&self, column: Column) -> Option<&str> {
        let values = [&self.a, &self.b, &self.c, &self.d, &self.e];
        values[column.index()].as_deref()
    }
}

crate::enums::coded_enum! {
    /// Why a number unsubscribed through a link.
    ///
    /// ```
    /// use lox24::UnsubscribeReason;
    ///
    /// let entry: lox24::Phone = serde_json::from_str(
    ///     r#"{"phone": "+491701234567", "unsubscribed_at": 1764586800, "unsubscribe_reason": 2}"#,
    /// )?;
    /// assert_eq!(
    ///     entry.unsubscribe_reason,
    ///     Some(UnsubscribeReason::TooManyMessages)
    /// );
    /// // A code this crate does not know yet is kept.
    /// assert_eq!(
    ///     UnsubscribeReason::from_code(9),
    ///     UnsubscribeReason::Unknown(9)
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
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
