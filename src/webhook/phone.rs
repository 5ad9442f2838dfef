//! The data of `phone.subscribe` and `phone.unsubscribe`: a number that
//! subscribed or unsubscribed through a form behind a short link.

use std::borrow::Cow;

use serde::{
    Deserialize, Deserializer, Serialize,
    de::{IgnoredAny, MapAccess},
};
use serde_json::value::RawValue;

use super::{
    lenient::{self, Entries, Object, Scalar},
    payload::compacted,
};
use crate::{
    GroupId, UnsubscribeReason,
    links::{ShortCode, ShortLinkCampaignCode},
};

/// `phone.subscribe` and `phone.unsubscribe`: a number that subscribed or
/// unsubscribed through a form, and what the form sent.
///
/// `additional_data` is kept as LOX24 wrote it, as JSON text: an empty list
/// when the form sent nothing, and for an unsubscription an object
/// `{additional_text, reason: {id, label}}`, which [`reason`](Self::reason),
/// [`reason_label`](Self::reason_label) and
/// [`additional_text`](Self::additional_text) read.
///
/// Reading one (`Deserialize`) takes `additional_data` as JSON text, so it
/// reads from JSON only: `serde_json`'s `from_str`, `from_slice`,
/// `from_reader` and `from_value`. Two subscriptions are equal when their
/// fields are, `additional_data` with the same text.
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
/// assert_eq!(unsubscribed.reason_label().as_deref(), Some("Too many messages"));
/// assert_eq!(unsubscribed.additional_text().as_deref(), Some("too often"));
///
/// let subscribed: PhoneSubscription = serde_json::from_str(
///     r#"{"phone": "+99559122567", "user_id": 21911, "timestamp": 1757926648,
///         "campaign_code": "1dkGdCC2xnBc", "short_link_code": "baaIoP", "group_id": 123,
///         "additional_data": []}"#,
/// )?;
/// assert_eq!(subscribed.group_id, Some(lox24::GroupId::new(123)));
/// assert_eq!(subscribed.additional_data.as_deref().map(|data| data.get()), Some("[]"));
/// assert_eq!(subscribed.reason(), None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Serialize, Deserialize)]
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
    /// What the form sent besides the number, as LOX24 wrote it: its JSON
    /// text without the whitespace between tokens (keys, their order,
    /// numbers and strings as written), `None` when it is absent or `null`.
    /// Kept as text, it takes the memory it takes in the body, whatever it
    /// holds (a `serde_json::Value` would take some 16 times as much).
    /// Read it with `serde_json::from_str(data.get())`. Set by hand, it is
    /// written back (`Serialize`) as it is.
    ///
    /// ```
    /// use serde_json::value::RawValue;
    ///
    /// let mut change = lox24::webhook::PhoneSubscription::new("+491701234567", 1757926648);
    /// change.additional_data = Some(RawValue::from_string(r#"{"additional_text":"hi"}"#.into())?);
    /// assert_eq!(change.additional_text().as_deref(), Some("hi"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    #[serde(
        default,
        deserialize_with = "compact_json",
        skip_serializing_if = "Option::is_none"
    )]
    pub additional_data: Option<Box<RawValue>>,
}

/// Equal with equal fields, `additional_data` with the same JSON text.
impl PartialEq for PhoneSubscription {
    fn eq(&self, other: &Self) -> bool {
        let Self {
            phone,
            timestamp,
            user_id,
            group_id,
            campaign_code,
            short_link_code,
            unsubscribe_request_id,
            additional_data,
        } = self;
        (phone, timestamp, user_id, group_id)
            == (
                &other.phone,
                &other.timestamp,
                &other.user_id,
                &other.group_id,
            )
            && (campaign_code, short_link_code, unsubscribe_request_id)
                == (
                    &other.campaign_code,
                    &other.short_link_code,
                    &other.unsubscribe_request_id,
                )
            && additional_data.as_deref().map(RawValue::get)
                == other.additional_data.as_deref().map(RawValue::get)
    }
}

/// JSON text (or `null`), kept compact.
fn compact_json<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Box<RawValue>>, D::Error> {
    Ok(Option::<Box<RawValue>>::deserialize(deserializer)?.map(compacted))
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
            additional_data: None,
        }
    }

    /// The reason chosen on the form (`additional_data.reason.id`), when
    /// there is one; a code this crate does not know is kept. Read from the
    /// text at each call, as a `Value`'s `get` and `as_i64` would find it.
    ///
    /// ```
    /// use lox24::UnsubscribeReason;
    ///
    /// let unsubscribed: lox24::webhook::PhoneSubscription = serde_json::from_str(
    ///     r#"{"phone": "+4911113333444", "timestamp": 1757849748,
    ///         "additional_data": {"reason": {"id": 9, "label": "new"}}}"#,
    /// )?;
    /// assert_eq!(unsubscribed.reason(), Some(UnsubscribeReason::Unknown(9)));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn reason(&self) -> Option<UnsubscribeReason> {
        let id = self.form()?.reason.id?;
        Some(UnsubscribeReason::from_code(id))
    }

    /// The reason in the words of the form (`additional_data.reason.label`),
    /// borrowed from the text unless the text writes it with escapes.
    ///
    /// ```
    /// let unsubscribed: lox24::webhook::PhoneSubscription = serde_json::from_str(
    ///     r#"{"phone": "+4911113333444", "timestamp": 1757849748,
    ///         "additional_data": {"reason": {"id": 4, "label": "Es ist unverst\u00e4ndlich"}}}"#,
    /// )?;
    /// assert_eq!(unsubscribed.reason_label().as_deref(), Some("Es ist unverständlich"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn reason_label(&self) -> Option<Cow<'_, str>> {
        self.form()?.reason.label
    }

    /// The text the person added (`additional_data.additional_text`),
    /// borrowed from the text unless the text writes it with escapes.
    ///
    /// ```
    /// let unsubscribed: lox24::webhook::PhoneSubscription = serde_json::from_str(
    ///     r#"{"phone": "+4911113333444", "timestamp": 1757849748,
    ///         "additional_data": {"additional_text": "too often"}}"#,
    /// )?;
    /// assert_eq!(unsubscribed.additional_text().as_deref(), Some("too often"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn additional_text(&self) -> Option<Cow<'_, str>> {
        self.form()?.additional_text
    }

    /// What the accessors read in `additional_data`.
    fn form(&self) -> Option<Form<'_>> {
        Some(lenient::read(self.additional_data.as_deref()?.get()))
    }
}

/// `additional_data` as a `Value`'s `get` and `as_…` find its fields (the
/// last of a key written twice; nothing in another type).
#[derive(Default)]
struct Form<'a> {
    additional_text: Option<Cow<'a, str>>,
    reason: Reason<'a>,
}

/// `additional_data.reason`.
#[derive(Default)]
struct Reason<'a> {
    id: Option<i64>,
    label: Option<Cow<'a, str>>,
}

impl<'de> Entries<'de> for Form<'de> {
    fn entry<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "additional_text" => self.additional_text = map.next_value::<Scalar<'de>>()?.text(),
            "reason" => self.reason = map.next_value::<Object<Reason<'de>>>()?.0,
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

impl<'de> Entries<'de> for Reason<'de> {
    fn entry<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "id" => self.id = map.next_value::<Scalar<'de>>()?.as_i64(),
            "label" => self.label = map.next_value::<Scalar<'de>>()?.text(),
            _ => {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn unsubscribed(additional_data: Value) -> PhoneSubscription {
        let mut unsubscribed = PhoneSubscription::new("+4911113333444", 1757849748);
        unsubscribed.additional_data =
            Some(serde_json::value::to_raw_value(&additional_data).unwrap());
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
        let u = PhoneSubscription::new("+4911113333444", 1757849748);
        assert_eq!(
            (u.reason(), u.reason_label(), u.additional_text()),
            (None, None, None)
        );
    }

    #[test]
    fn a_reason_of_the_wrong_type_is_no_reason() {
        for form in [
            json!({"reason": {"id": "4", "label": 4}, "additional_text": 1}),
            json!({"reason": [{"id": 4, "label": "x"}], "additional_text": ["x"]}),
            json!({"reason": {"id": 4.0, "label": null}, "additional_text": {}}),
            json!({"reason": "4", "x": {"reason": {"id": 4}}}),
        ] {
            let u = unsubscribed(form);
            assert_eq!(
                (u.reason(), u.reason_label(), u.additional_text()),
                (None, None, None)
            );
        }
    }

    #[test]
    fn an_unknown_reason_is_kept() {
        let u = unsubscribed(json!({"reason": {"id": 9, "label": "new"}}));
        assert_eq!(u.reason(), Some(UnsubscribeReason::Unknown(9)));
    }

    #[test]
    fn fields_written_twice_are_read_where_they_are_written_last() {
        let mut u = PhoneSubscription::new("+4911113333444", 1757849748);
        u.additional_data = Some(
            RawValue::from_string(
                r#"{"reason": {"id": 2, "label": "a", "id": 4}, "additional_text": "x",
                    "additional_text": "y\u00e9"}"#
                    .into(),
            )
            .unwrap(),
        );
        assert_eq!(u.reason(), Some(UnsubscribeReason::Incomprehensible));
        assert_eq!(u.reason_label().as_deref(), Some("a"));
        assert_eq!(u.additional_text().as_deref(), Some("yé"));
        u.additional_data =
            Some(RawValue::from_string(r#"{"reason": {"id": 2}, "reason": []}"#.into()).unwrap());
        assert_eq!(u.reason(), None);
    }

    #[test]
    fn additional_data_is_kept_compact_and_null_is_none() {
        let text = r#"{"phone": "+4911113333444", "timestamp": 1757849748,
            "additional_data": { "reason" : {"id": 4, "label": "a  b"},
                "n": [1.50, 2e3] }}"#;
        let u: PhoneSubscription = serde_json::from_str(text).unwrap();
        assert_eq!(
            u.additional_data.as_deref().map(RawValue::get),
            Some(r#"{"reason":{"id":4,"label":"a  b"},"n":[1.50,2e3]}"#)
        );
        for text in [
            r#"{"phone": "+4911113333444", "timestamp": 1757849748, "additional_data": null}"#,
            r#"{"phone": "+4911113333444", "timestamp": 1757849748}"#,
        ] {
            let u: PhoneSubscription = serde_json::from_str(text).unwrap();
            assert_eq!(u.additional_data.as_deref().map(RawValue::get), None);
            assert_eq!(
                serde_json::to_value(&u).unwrap(),
                json!({"phone": "+4911113333444", "timestamp": 1757849748})
            );
        }
    }

    #[test]
    fn equal_with_the_same_text() {
        let u = |text: &str| {
            let mut u = PhoneSubscription::new("+4911113333444", 1757849748);
            u.additional_data = Some(RawValue::from_string(text.into()).unwrap());
            u
        };
        assert_eq!(u("[]"), u("[]"));
        assert_ne!(u("[]"), u("{}"));
        assert_ne!(
            u("[]"),
            PhoneSubscription::new("+4911113333444", 1757849748)
        );
        let mut other = u("[]");
        other.group_id = Some(GroupId::new(1));
        assert_ne!(u("[]"), other);
    }
}
