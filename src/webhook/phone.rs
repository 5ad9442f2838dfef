//! The data of `phone.subscribe` and `phone.unsubscribe`: a number that
//! subscribed or unsubscribed through a form behind a short link.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{
    GroupId, UnsubscribeReason,
    links::{ShortCode, ShortLinkCampaignCode},
};

/// `phone.subscribe` and `phone.unsubscribe`: a number that subscribed or
/// unsubscribed through a form, and what the form sent.
///
/// `additional_data` is kept as LOX24 wrote it: an empty list when the form
/// sent nothing, and for an unsubscription an object
/// `{additional_text, reason: {id, label}}`, which [`reason`](Self::reason),
/// [`reason_label`](Self::reason_label) and
/// [`additional_text`](Self::additional_text) read.
///
/// ```
/// use lox24::{UnsubscribeReason, webhook::PhoneSubscription};
///
/// let unsubscribed: PhoneSubscription = serde_json::from_str(
///     r#"{"phone": "+4911113333444", "user_id": 2, "timestamp": 1757849748,
///         "unsubscribe_request_id": 59, "additional_data": {
///             "additional_text": "too often", "reason": {"id": 2, "label": "Too many messages"}}}"#,
/// )?;
/// assert_eq!(unsubscribed.reason(), Some(UnsubscribeReason::TooManyMessages));
/// assert_eq!(unsubscribed.reason_label(), Some("Too many messages"));
/// assert_eq!(unsubscribed.additional_text(), Some("too often"));
///
/// let subscribed: PhoneSubscription = serde_json::from_str(
///     r#"{"phone": "+99559122567", "user_id": 21911, "timestamp": 1757926648,
///         "campaign_code": "1dkGdCC2xnBc", "short_link_code": "baaIoP", "group_id": 123,
///         "additional_data": []}"#,
/// )?;
/// assert_eq!(subscribed.group_id, Some(lox24::GroupId::new(123)));
/// assert_eq!(subscribed.reason(), None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PhoneSubscription {
    /// The number.
    pub phone: String,
    /// Unix time of the subscription or unsubscription.
    pub timestamp: i64,
    /// The LOX24 user the number belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<u64>,
    /// The group of the number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<GroupId>,
    /// The short-link campaign of the form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign_code: Option<ShortLinkCampaignCode>,
    /// The short link that led to the form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_link_code: Option<ShortCode>,
    /// The id of the unsubscribe request (unsubscriptions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsubscribe_request_id: Option<u64>,
    /// What the form sent besides the number, as LOX24 wrote it.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub additional_data: Value,
}

impl PhoneSubscription {
    /// The change of `phone` at `timestamp`, with nothing else known.
    ///
    /// ```
    /// let mut change = lox24::webhook::PhoneSubscription::new("+491701234567", 1757926648);
    /// change.group_id = Some(lox24::GroupId::new(123));
    /// ```
    pub fn new(phone: impl Into<String>, timestamp: i64) -> Self {
        Self {
            phone: phone.into(),
            timestamp,
            user_id: None,
            group_id: None,
            campaign_code: None,
            short_link_code: None,
            unsubscribe_request_id: None,
            additional_data: Value::Null,
        }
    }

    /// The reason chosen on the form (`additional_data.reason.id`), when
    /// there is one; a code this crate does not know is kept.
    pub fn reason(&self) -> Option<UnsubscribeReason> {
        let id = self.additional_data.get("reason")?.get("id")?.as_i64()?;
        Some(UnsubscribeReason::from_code(id))
    }

    /// The reason in the words of the form (`additional_data.reason.label`).
    pub fn reason_label(&self) -> Option<&str> {
        self.additional_data.get("reason")?.get("label")?.as_str()
    }

    /// The text the person added (`additional_data.additional_text`).
    pub fn additional_text(&self) -> Option<&str> {
        self.additional_data.get("additional_text")?.as_str()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn unsubscribed(additional_data: Value) -> PhoneSubscription {
        let mut unsubscribed = PhoneSubscription::new("+4911113333444", 1757849748);
        unsubscribed.additional_data = additional_data;
        unsubscribed
    }

    #[test]
    fn an_empty_form_has_no_reason() {
        for empty in [json!([]), json!(null), json!({}), json!("text")] {
            let u = unsubscribed(empty);
            assert_eq!(
                (u.reason(), u.reason_label(), u.additional_text()),
                (None, None, None)
            );
        }
    }

    #[test]
    fn a_reason_of_the_wrong_type_is_no_reason() {
        let u = unsubscribed(json!({"reason": {"id": "4", "label": 4}, "additional_text": 1}));
        assert_eq!(
            (u.reason(), u.reason_label(), u.additional_text()),
            (None, None, None)
        );
    }

    #[test]
    fn an_unknown_reason_is_kept() {
        let u = unsubscribed(json!({"reason": {"id": 9, "label": "new"}}));
        assert_eq!(u.reason(), Some(UnsubscribeReason::Unknown(9)));
    }
}
