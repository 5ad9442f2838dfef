//! What an event is about, by its name: one variant per event LOX24
//! documents, and the events it may add later.

use serde::{Serialize, Serializer, de::DeserializeOwned};
#[cfg(test)]
use serde_json::Value;
use serde_json::value::RawValue;

use super::event::shape;
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
/// its data as LOX24 sent it (its JSON text); a known event whose data does
/// not have the documented form is an error ([`WebhookErrorKind::InvalidData`](crate::WebhookErrorKind::InvalidData)),
/// and so is one whose data names a documented field twice.
///
/// Two payloads are equal when they are the same event with equal data;
/// for [`Payload::Unknown`], with the same JSON text.
///
/// ```
/// use lox24::webhook::{Event, Payload};
///
/// fn handle(event: &Event) -> Result<(), serde_json::Error> {
///     match &event.payload {
///         Payload::SmsDelivery(report) => println!("{}: {}", report.id, report.dlr_code),
///         Payload::SmsIncoming(sms) => println!("from {}: {:?}", sms.from, sms.text),
///         Payload::Unknown { name, data } => {
///             // The JSON text; read it into what the event holds.
///             let data: serde_json::Value = serde_json::from_str(data.get())?;
///             println!("{name}: {}", data["status"]);
///         }
///         _ => {}
///     }
///     Ok(())
/// }
/// # let body = br#"{"id": "e1", "api_version": "2022-05-25", "name": "sms.new-thing",
/// #   "created_at": 1653378603, "attempt_number": 1, "attempt_total": 4,
/// #   "data": {"status": "new"}}"#;
/// # handle(&lox24::webhook::parse(&http::HeaderMap::new(), body)?)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
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
        /// Its `data`: the JSON text as sent, without the whitespace
        /// between its tokens (so that it takes one line, and never more
        /// memory than in the body). Keys, their order, numbers and strings
        /// are as written; an event written back (`Serialize`) carries this
        /// text as it is. Read it with `serde_json::from_str(data.get())`.
        ///
        /// Serialized to another format than JSON, the text is a field of
        /// a struct, as for any [`RawValue`].
        data: Box<RawValue>,
    },
}

impl PartialEq for Payload {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::SmsDelivery(a), Self::SmsDelivery(b))
            | (Self::SmsDeliveryDryrun(a), Self::SmsDeliveryDryrun(b)) => a == b,
            (Self::SmsIncoming(a), Self::SmsIncoming(b)) => a == b,
            (Self::SmsEmailParsingSuccess(a), Self::SmsEmailParsingSuccess(b)) => a == b,
            (Self::SmsEmailParsingFail(a), Self::SmsEmailParsingFail(b))
            | (Self::BulkEmailParsingFail(a), Self::BulkEmailParsingFail(b)) => a == b,
            (Self::BulkEmailParsingSuccess(a), Self::BulkEmailParsingSuccess(b)) => a == b,
            (Self::FraudCheckDone(a), Self::FraudCheckDone(b)) => a == b,
            (Self::PhoneSubscribe(a), Self::PhoneSubscribe(b))
            | (Self::PhoneUnsubscribe(a), Self::PhoneUnsubscribe(b)) => a == b,
            (
                Self::Unknown { name, data },
                Self::Unknown {
                    name: other_name,
                    data: other_data,
                },
            ) => name == other_name && data.get() == other_data.get(),
            // Every variant is matched with itself above; the rest differ.
            (
                Self::SmsDelivery(_)
                | Self::SmsDeliveryDryrun(_)
                | Self::SmsIncoming(_)
                | Self::SmsEmailParsingSuccess(_)
                | Self::SmsEmailParsingFail(_)
                | Self::BulkEmailParsingSuccess(_)
                | Self::BulkEmailParsingFail(_)
                | Self::FraudCheckDone(_)
                | Self::PhoneSubscribe(_)
                | Self::PhoneUnsubscribe(_)
                | Self::Unknown { .. },
                _,
            ) => false,
        }
    }
}

impl Payload {
    /// The event's name, e.g. `sms.delivery`.
    ///
    /// ```
    /// use serde_json::value::RawValue;
    ///
    /// let payload = lox24::webhook::Payload::Unknown {
    ///     name: "sms.new-thing".into(),
    ///     data: RawValue::from_string(r#"{"status":"new"}"#.into())?,
    /// };
    /// assert_eq!(payload.name(), "sms.new-thing");
    /// # Ok::<(), serde_json::Error>(())
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

    /// Reads the data of the event called `name` from its JSON text
    /// (checked JSON: see [`Event::from_slice`](super::Event)): a known
    /// event's straight into its type, an unknown one's kept as text.
    pub(crate) fn read(name: String, data: &RawValue) -> Result<Self, WebhookError> {
        // Serde would also read a struct from an array, field by field.
        fn object<'a>(name: &str, data: &'a RawValue) -> Result<&'a RawValue, WebhookError> {
            match is_object(data) {
                true => Ok(data),
                false => Err(WebhookError::data_not_object(name, &shape(data))),
            }
        }
        fn typed<T: DeserializeOwned>(name: &str, data: &RawValue) -> Result<T, WebhookError> {
            let mut deserializer = serde_json::Deserializer::from_str(object(name, data)?.get());
            serde_path_to_error::deserialize(&mut deserializer)
                .map_err(|error| WebhookError::invalid_data(name, without_position(error)))
        }
        Ok(match name.as_str() {
            "sms.delivery" => Self::SmsDelivery(typed(&name, data)?),
            "sms.delivery.dryrun" => Self::SmsDeliveryDryrun(typed(&name, data)?),
            "sms.incoming" => Self::SmsIncoming(typed(&name, data)?),
            "sms.email.parsing.success" => Self::SmsEmailParsingSuccess(typed(&name, data)?),
            "sms.email.parsing.fail" => Self::SmsEmailParsingFail(typed(&name, data)?),
            "bulk.email.parsing.success" => Self::BulkEmailParsingSuccess(typed(&name, data)?),
            "bulk.email.parsing.fail" => Self::BulkEmailParsingFail(typed(&name, data)?),
            // Free-form: kept as text, the few fields it reads decoded.
            "fraud-check.done" => Self::FraudCheckDone(FraudCheckDone::read(object(&name, data)?)),
            "phone.subscribe" => Self::PhoneSubscribe(typed(&name, data)?),
            "phone.unsubscribe" => Self::PhoneUnsubscribe(typed(&name, data)?),
            _ => Self::Unknown {
                name,
                data: compact(data),
            },
        })
    }

    /// [`read`](Self::read) from a value's text, for the tests.
    #[cfg(test)]
    pub(crate) fn decode(name: String, data: Value) -> Result<Self, WebhookError> {
        let data = serde_json::value::to_raw_value(&data).expect("a value is written");
        Self::read(name, &data)
    }

    /// The event's `data`, for serialising.
    pub(crate) fn data(&self) -> Data<'_> {
        Data(self)
    }
}

/// A payload written as the event's `data`.
pub(crate) struct Data<'a>(&'a Payload);

/// The error of data read from its text, without the line and column in
/// that text that `serde_json` adds (the data's, not the body's): as it was
/// when data was read from a `Value`.
fn without_position(
    error: serde_path_to_error::Error<serde_json::Error>,
) -> serde_path_to_error::Error<serde_json::Error> {
    let (line, column) = (error.inner().line(), error.inner().column());
    if line == 0 {
        return error;
    }
    let path = error.path().clone();
    let message = error.into_inner().to_string();
    let suffix = format!(" at line {line} column {column}");
    let message = message.strip_suffix(&suffix).unwrap_or(&message);
    serde_path_to_error::Error::new(path, serde::de::Error::custom(message))
}

/// Whether `data` is a JSON object (checked JSON, as the body's parts are).
pub(super) fn is_object(data: &RawValue) -> bool {
    data.get().trim_start().starts_with('{')
}

/// `data` written compactly: its text without the whitespace between
/// tokens, in a block of its own (never longer than in the body).
pub(super) fn compact(data: &RawValue) -> Box<RawValue> {
    match compact_length(data) {
        length if length == data.get().len() => data.to_owned(),
        length => rewritten(data, length),
    }
}

/// [`compact`] of text in a block of its own already: that block, when
/// there is no whitespace to drop.
pub(super) fn compacted(data: Box<RawValue>) -> Box<RawValue> {
    match compact_length(&data) {
        length if length == data.get().len() => data,
        length => rewritten(&data, length),
    }
}

/// `data` without its whitespace, `length` bytes, in a new block.
fn rewritten(data: &RawValue, length: usize) -> Box<RawValue> {
    let mut text = String::with_capacity(length);
    text.extend(Compact::new(data.get()));
    // Valid JSON less whitespace is valid JSON; the text as sent otherwise.
    RawValue::from_string(text).unwrap_or_else(|_| data.to_owned())
}

/// How long `data` is without the whitespace between its tokens.
fn compact_length(data: &RawValue) -> usize {
    Compact::new(data.get()).map(str::len).sum()
}

/// The pieces of a JSON text between the whitespace outside its strings:
/// together, the text on one line (compact, as `serde_json` writes a
/// value, but with the text's own spelling).
pub(super) struct Compact<'a> {
    rest: &'a str,
    in_string: bool,
    escaped: bool,
}

impl<'a> Compact<'a> {
    pub(super) fn new(json: &'a str) -> Self {
        Self {
            rest: json,
            in_string: false,
            escaped: false,
        }
    }
}

impl<'a> Iterator for Compact<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let is_space = |byte: &u8| matches!(byte, b' ' | b'\t' | b'\n' | b'\r');
        let bytes = self.rest.as_bytes();
        let start = match self.in_string {
            true => 0,
            false => bytes.iter().position(|b| !is_space(b))?,
        };
        let mut end = start;
        for &byte in bytes.iter().skip(start) {
            if self.in_string {
                match byte {
                    _ if self.escaped => self.escaped = false,
                    b'\\' => self.escaped = true,
                    b'"' => self.in_string = false,
                    _ => {}
                }
            } else if is_space(&byte) {
                break;
            } else if byte == b'"' {
                self.in_string = true;
            }
            end += 1;
        }
        // Cut at ASCII bytes: on character boundaries.
        let piece = self.rest.get(start..end).unwrap_or(self.rest);
        self.rest = self.rest.get(end..).unwrap_or_default();
        (!piece.is_empty()).then_some(piece)
    }
}

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
                data: serde_json::value::to_raw_value(&data).unwrap(),
            }
        );
    }

    #[test]
    fn compact_text_drops_only_the_whitespace_between_tokens() {
        let compact = |json: &str| Compact::new(json).collect::<String>();
        assert_eq!(
            compact(" { \"a b\" :\t[ 1 ,\r\n2.50 ] , \"c\" : \" x \\\" y \\\\\" } "),
            r#"{"a b":[1,2.50],"c":" x \" y \\"}"#
        );
        assert_eq!(compact(r#""\\" "#), r#""\\""#);
        assert_eq!(compact(""), "");
        assert_eq!(compact(" \n "), "");
    }

    #[test]
    fn unknown_data_is_kept_compact_with_its_spelling() {
        let data = RawValue::from_string(
            "{ \"b\": [1, 2.50, \"x y\\u00e9\"],\n  \"a\": {}, \"b\": null }".into(),
        )
        .unwrap();
        let Payload::Unknown { data, .. } = Payload::read("sms.new-thing".into(), &data).unwrap()
        else {
            panic!("an unknown event")
        };
        assert_eq!(data.get(), r#"{"b":[1,2.50,"x y\u00e9"],"a":{},"b":null}"#);
    }

    #[test]
    fn a_documented_field_named_twice_is_invalid_data() {
        let data = RawValue::from_string(
            r#"{"id": "d6c12ac4", "dlr_code": 1, "status_code": 100, "dlr_code": 2}"#.into(),
        )
        .unwrap();
        let error = Payload::read("sms.delivery".into(), &data).unwrap_err();
        assert_eq!(error.kind(), WebhookErrorKind::InvalidData);
        assert_eq!(error.field(), Some("data"));
        assert_eq!(
            error.to_string(),
            "not a LOX24 webhook event: the `sms.delivery` event's field `data` does not have \
             the documented form: duplicate field `dlr_code`"
        );
        // A field the event does not document may come twice.
        let data = RawValue::from_string(
            r#"{"id": "d6c12ac4", "dlr_code": 1, "status_code": 100, "x": 1, "x": 2}"#.into(),
        )
        .unwrap();
        assert!(Payload::read("sms.delivery".into(), &data).is_ok());
    }

    #[test]
    fn errors_in_data_do_not_name_a_place_in_its_text() {
        let data = RawValue::from_string("{\n\"id\": 7}".into()).unwrap();
        let error = Payload::read("sms.delivery".into(), &data).unwrap_err();
        assert_eq!(error.field(), Some("data.id"));
        assert_eq!(
            error.to_string(),
            "not a LOX24 webhook event: the `sms.delivery` event's field `data.id` does not have \
             the documented form: invalid type: integer `7`, expected a string"
        );
    }

    #[test]
    fn unknown_payloads_are_equal_by_their_text() {
        let unknown = |data: &str| Payload::Unknown {
            name: "sms.new-thing".into(),
            data: RawValue::from_string(data.into()).unwrap(),
        };
        assert_eq!(unknown(r#"{"a":1}"#), unknown(r#"{"a":1}"#));
        assert_ne!(unknown(r#"{"a":1}"#), unknown(r#"{"a":2}"#));
        assert_ne!(
            unknown("{}"),
            Payload::decode("sms.delivery.dryrun".into(), minimal_data("sms.delivery")).unwrap()
        );
    }
}
