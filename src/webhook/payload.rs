//! What an event is about, by its name: one variant per event LOX24
//! documents, and the events it may add later.

use serde::{Serialize, Serializer, de::DeserializeOwned};
use serde_json::Value;

use super::{
    BulkFromEmail, DeliveryReport, EmailFailure, FraudCheckDone, IncomingSms, PhoneSubscription,
    SmsFromEmail,
};
use crate::WebhookError;

/// The names of the events LOX24 documents, each read into its own
/// [`Payload`] variant.
///
/// ```
/// assert!(lox24::webhook::KNOWN_EVENTS.contains(&"sms.delivery"));
/// ```
pub const KNOWN_EVENTS: [&str; 10] = [
    "sms.delivery",
    "sms.delivery.dryrun",
    "sms.incoming",
    "sms.email.parsing.success",
    "sms.email.parsing.fail",
    "bulk.email.parsing.success",
    "bulk.email.parsing.fail",
    "fraud-check.done",
    "phone.subscribe",
    "phone.unsubscribe",
];

/// What an event says, by its name (the event's `data`).
///
/// An event this crate does not know is kept as [`Payload::Unknown`] with
/// its data as LOX24 sent it; a known event whose data does not have the
/// documented form is an error ([`WebhookErrorKind::InvalidData`](crate::WebhookErrorKind::InvalidData)).
///
/// ```
/// use lox24::webhook::{Event, Payload};
///
/// fn handle(event: &Event) {
///     match &event.payload {
///         Payload::SmsDelivery(report) => println!("{}: {}", report.id, report.dlr_code),
///         Payload::SmsIncoming(sms) => println!("from {}: {:?}", sms.from, sms.text),
///         Payload::Unknown { name, data } => println!("{name}: {data}"),
///         _ => {}
///     }
/// }
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Payload {
    /// `sms.delivery`: a message's delivery report changed.
    SmsDelivery(DeliveryReport),
    /// `sms.delivery.dryrun`: the delivery report of a simulated message.
    SmsDeliveryDryrun(DeliveryReport),
    /// `sms.incoming`: the account received a message.
    SmsIncoming(IncomingSms),
    /// `sms.email.parsing.success`: an email became messages (email to SMS).
    SmsEmailParsingSuccess(SmsFromEmail),
    /// `sms.email.parsing.fail`: an email could not become a message.
    SmsEmailParsingFail(EmailFailure),
    /// `bulk.email.parsing.success`: an email became a campaign (email to
    /// SMS bulk).
    BulkEmailParsingSuccess(BulkFromEmail),
    /// `bulk.email.parsing.fail`: an email could not become a campaign.
    BulkEmailParsingFail(EmailFailure),
    /// `fraud-check.done`: a fraud check finished.
    FraudCheckDone(FraudCheckDone),
    /// `phone.subscribe`: a number subscribed through a form.
    PhoneSubscribe(PhoneSubscription),
    /// `phone.unsubscribe`: a number unsubscribed through a form.
    PhoneUnsubscribe(PhoneSubscription),
    /// An event this version of the crate does not know.
    Unknown {
        /// The event's name.
        name: String,
        /// Its `data`, as sent.
        data: Value,
    },
}

impl Payload {
    /// The event's name, e.g. `sms.delivery`.
    ///
    /// ```
    /// let payload = lox24::webhook::Payload::Unknown {
    ///     name: "sms.new-thing".into(),
    ///     data: serde_json::json!({}),
    /// };
    /// assert_eq!(payload.name(), "sms.new-thing");
    /// ```
    pub fn name(&self) -> &str {
        match self {
            Self::SmsDelivery(_) => "sms.delivery",
            Self::SmsDeliveryDryrun(_) => "sms.delivery.dryrun",
            Self::SmsIncoming(_) => "sms.incoming",
            Self::SmsEmailParsingSuccess(_) => "sms.email.parsing.success",
            Self::SmsEmailParsingFail(_) => "sms.email.parsing.fail",
            Self::BulkEmailParsingSuccess(_) => "bulk.email.parsing.success",
            Self::BulkEmailParsingFail(_) => "bulk.email.parsing.fail",
            Self::FraudCheckDone(_) => "fraud-check.done",
            Self::PhoneSubscribe(_) => "phone.subscribe",
            Self::PhoneUnsubscribe(_) => "phone.unsubscribe",
            Self::Unknown { name, .. } => name,
        }
    }

    /// Reads the data of the event called `name`.
    pub(crate) fn decode(name: String, data: Value) -> Result<Self, WebhookError> {
        // Serde would also read a struct from an array, field by field.
        fn typed<T: DeserializeOwned>(name: &str, data: Value) -> Result<T, WebhookError> {
            if !data.is_object() {
                return Err(WebhookError::data_not_object(name, &data));
            }
            serde_path_to_error::deserialize(data)
                .map_err(|error| WebhookError::invalid_data(name, error))
        }
        Ok(match name.as_str() {
            "sms.delivery" => Self::SmsDelivery(typed(&name, data)?),
            "sms.delivery.dryrun" => Self::SmsDeliveryDryrun(typed(&name, data)?),
            "sms.incoming" => Self::SmsIncoming(typed(&name, data)?),
            "sms.email.parsing.success" => Self::SmsEmailParsingSuccess(typed(&name, data)?),
            "sms.email.parsing.fail" => Self::SmsEmailParsingFail(typed(&name, data)?),
            "bulk.email.parsing.success" => Self::BulkEmailParsingSuccess(typed(&name, data)?),
            "bulk.email.parsing.fail" => Self::BulkEmailParsingFail(typed(&name, data)?),
            "fraud-check.done" => Self::FraudCheckDone(typed(&name, data)?),
            "phone.subscribe" => Self::PhoneSubscribe(typed(&name, data)?),
            "phone.unsubscribe" => Self::PhoneUnsubscribe(typed(&name, data)?),
            _ => Self::Unknown { name, data },
        })
    }

    /// The event's `data`, for serialising.
    pub(crate) fn data(&self) -> Data<'_> {
        Data(self)
    }
}

/// A payload written as the event's `data`.
pub(crate) struct Data<'a>(&'a Payload);

impl Serialize for Data<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Payload::SmsDelivery(report) | Payload::SmsDeliveryDryrun(report) => {
                report.serialize(serializer)
            }
            Payload::SmsIncoming(sms) => sms.serialize(serializer),
            Payload::SmsEmailParsingSuccess(parsed) => parsed.serialize(serializer),
            Payload::SmsEmailParsingFail(failure) | Payload::BulkEmailParsingFail(failure) => {
                failure.serialize(serializer)
            }
            Payload::BulkEmailParsingSuccess(parsed) => parsed.serialize(serializer),
            Payload::FraudCheckDone(done) => done.serialize(serializer),
            Payload::PhoneSubscribe(change) | Payload::PhoneUnsubscribe(change) => {
                change.serialize(serializer)
            }
            Payload::Unknown { data, .. } => data.serialize(serializer),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::WebhookErrorKind;

    /// The least data each known event needs.
    fn minimal_data(name: &str) -> Value {
        match name {
            "sms.delivery" | "sms.delivery.dryrun" => {
                json!({"id": "d6c12ac4-cc7d-11ec-b6da-525400bbb7dc", "dlr_code": 1, "status_code": 100})
            }
            "sms.incoming" => json!({"id": "e7d23bd5-dd8e-22fd-c7eb-636511ccc8ed",
                "from": "+491701234567", "to": "+4915112345678", "received_at": 1653378703}),
            "bulk.email.parsing.success" => {
                json!({"bulk": {"id": "f8a34ce6-ee9f-33ae-d8fc-747622ddd9fe"}})
            }
            "phone.subscribe" | "phone.unsubscribe" => {
                json!({"phone": "+491701234567", "timestamp": 1757926648})
            }
            _ => json!({}),
        }
    }

    #[test]
    fn every_known_name_has_its_own_variant_and_keeps_its_name() {
        for name in KNOWN_EVENTS {
            let payload = Payload::decode(name.to_owned(), minimal_data(name)).unwrap();
            assert!(!matches!(payload, Payload::Unknown { .. }), "{name}");
            assert_eq!(payload.name(), name);
        }
    }

    #[test]
    fn known_events_with_data_that_is_not_an_object_fail_as_that_event() {
        for name in KNOWN_EVENTS {
            for data in [json!("text"), json!(["+491701234567", 1757926648])] {
                let error = Payload::decode(name.to_owned(), data).unwrap_err();
                assert_eq!(error.kind(), WebhookErrorKind::InvalidData, "{name}");
                assert_eq!(error.event(), Some(name));
                assert_eq!(error.field(), Some("data"));
            }
        }
    }

    #[test]
    fn a_field_inside_a_list_is_named_with_its_index() {
        let data =
            json!({"sms": [{"uuid": "f8a34ce6-ee9f-33ae-d8fc-747622ddd9fe"}, {"to": "+49"}]});
        let error = Payload::decode("sms.email.parsing.success".into(), data).unwrap_err();
        assert_eq!(error.field(), Some("data.sms[1].uuid"));
        let data = json!({"sms": [{"uuid": 7}]});
        let error = Payload::decode("sms.email.parsing.success".into(), data).unwrap_err();
        assert_eq!(error.field(), Some("data.sms[0].uuid"));
    }

    #[test]
    fn an_unknown_name_keeps_its_data() {
        let data = json!({"anything": [1, 2]});
        let payload = Payload::decode("sms.new-thing".into(), data.clone()).unwrap();
        assert_eq!(
            payload,
            Payload::Unknown {
                name: "sms.new-thing".into(),
                data
            }
        );
    }
}
