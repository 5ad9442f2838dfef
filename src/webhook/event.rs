//! The envelope every event comes in: its id, name, time and attempt, and
//! the payload.

use std::fmt;

use serde::{
    Deserialize, Deserializer, Serialize, Serializer,
    de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor},
};
use serde_json::{Map, Number, Value, value::RawValue};

use super::{DeliveryReport, Payload};
use crate::WebhookError;

/// The version of the events' structure that this crate reads
/// (`api_version`).
pub const API_VERSION: &str = "2022-05-25";

/// The most attempts LOX24 makes to deliver an event (`attempt_total`).
pub const MAX_ATTEMPTS: u32 = 4;

/// An event's id. An event sent again (after an answer that was not 2xx,
/// or none) keeps its id: use it to recognise repeats.
///
/// Any text is read; LOX24's ids look like UUIDs but their version is not
/// checked.
///
/// ```
/// let id = lox24::webhook::EventId::new("a3cd6e19-8af2-498d-ad07-c7840f1b4ac8");
/// assert_eq!(id.as_str(), "a3cd6e19-8af2-498d-ad07-c7840f1b4ac8");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventId(String);

impl EventId {
    /// The id with this text.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id as LOX24 wrote it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One event LOX24 posted to your webhook: the envelope that all events
/// share, and the [`Payload`] that depends on the event's name.
///
/// Read one with [`parse`](super::parse); it also implements `Deserialize`
/// (through the same checks) and `Serialize` (in LOX24's form, with the
/// field `attempt_total`), so that tests and the sandbox can produce events.
///
/// ```
/// use lox24::webhook::{Event, EventId, Payload};
/// use lox24::{DlrCode, SmsId, SmsStatus};
///
/// let report = lox24::webhook::DeliveryReport::new(
///     SmsId::new("d6c12ac4-cc7d-11ec-b6da-525400bbb7dc"),
///     DlrCode::Delivered,
///     SmsStatus::Sent,
/// );
/// let event = Event::new(
///     EventId::new("a3cd6e19-8af2-498d-ad07-c7840f1b4ac8"),
///     1653378603,
///     Payload::SmsDelivery(report),
/// );
/// assert_eq!(event.name(), "sms.delivery");
///
/// let body = serde_json::to_vec(&event)?;
/// assert_eq!(lox24::webhook::parse(&http::HeaderMap::new(), &body)?, event);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event {
    /// The event's id; a repeated delivery keeps it.
    pub id: EventId,
    /// The version of the structure (`2022-05-25`, [`API_VERSION`]).
    pub api_version: String,
    /// Unix time at which the event happened.
    pub created_at: i64,
    /// Which attempt to deliver the event this is, from 1.
    pub attempt_number: u32,
    /// How many attempts LOX24 makes at most (up to [`MAX_ATTEMPTS`]); read
    /// from `attempt_total` or, as some of LOX24's examples write it,
    /// `attempts_total`.
    pub attempt_total: u32,
    /// The id of this delivery attempt, when LOX24 sends one (its
    /// `phone.*` events do not).
    pub notification_task_id: Option<String>,
    /// What happened, by the event's name.
    pub payload: Payload,
}

impl Event {
    /// An event of the current [`API_VERSION`], on its first of
    /// [`MAX_ATTEMPTS`] attempts, without a task id.
    pub fn new(id: EventId, created_at: i64, payload: Payload) -> Self {
        Self {
            id,
            api_version: API_VERSION.to_owned(),
            created_at,
            attempt_number: 1,
            attempt_total: MAX_ATTEMPTS,
            notification_task_id: None,
            payload,
        }
    }

    /// The event's name, e.g. `sms.delivery`.
    pub fn name(&self) -> &str {
        self.payload.name()
    }

    /// The delivery report of an `sms.delivery` or `sms.delivery.dryrun`
    /// event.
    ///
    /// ```
    /// # let body = br#"{"id": "e1", "api_version": "2022-05-25", "name": "sms.delivery",
    /// #   "created_at": 1653378603, "attempt_number": 1, "attempt_total": 4,
    /// #   "data": {"id": "d6c12ac4-cc7d-11ec-b6da-525400bbb7dc", "dlr_code": 1,
    /// #   "status_code": 100, "callback_data": "order-17"}}"#;
    /// let event = lox24::webhook::parse(&http::HeaderMap::new(), body)?;
    /// if let Some(report) = event.delivery_report() {
    ///     assert!(report.is_delivered());
    ///     assert_eq!(report.callback_data.as_deref(), Some("order-17"));
    /// }
    /// # Ok::<(), lox24::Error>(())
    /// ```
    pub fn delivery_report(&self) -> Option<&DeliveryReport> {
        match &self.payload {
            Payload::SmsDelivery(report) | Payload::SmsDeliveryDryrun(report) => Some(report),
            _ => None,
        }
    }

    /// Whether LOX24 will not send the event again if this attempt fails.
    pub fn is_last_attempt(&self) -> bool {
        self.attempt_number >= self.attempt_total
    }

    /// Reads an event from its JSON text, checking the envelope field by
    /// field.
    ///
    /// Memory in proportion to the text, whatever it holds: the text is
    /// read twice, never into a [`Value`]. First as a whole, as a `Value`
    /// would be read but kept nowhere, so that what is not JSON is refused
    /// with serde_json's error at its place in the body; then for the
    /// envelope, whose fields are kept as the text they take in the body (a
    /// field this crate does not read is skipped), each decoded from that
    /// text.
    pub(crate) fn from_slice(body: &[u8]) -> Result<Self, WebhookError> {
        serde_json::from_slice::<AnyJson>(body)
            .map_err(|error| WebhookError::unreadable(&error, body))?;
        let envelope = match serde_json::from_slice::<Body<'_>>(body) {
            Ok(Body::Object(envelope)) => envelope,
            Ok(Body::Other(shape)) => {
                return Err(WebhookError::wrong_type(None, &shape, "a JSON object"));
            }
            // Not once the first reading passed; were it, still refused.
            Err(error) => return Err(WebhookError::unreadable(&error, body)),
        };
        let id = EventId(field(envelope.id, "id", "a string")?);
        let api_version = field(envelope.api_version, "api_version", "a string")?;
        let name: String = field(envelope.name, "name", "a string")?;
        let created_at = field(envelope.created_at, "created_at", "an integer")?;
        let attempt_total = match (envelope.attempt_total, envelope.attempts_total) {
            (Some(total), _) => field(Some(total), "attempt_total", "a non-negative integer")?,
            (None, Some(total)) => field(Some(total), "attempts_total", "a non-negative integer")?,
            (None, None) => return Err(WebhookError::missing("attempt_total")),
        };
        let attempt_number = field(
            envelope.attempt_number,
            "attempt_number",
            "a non-negative integer",
        )?;
        let data = envelope.data.ok_or_else(|| WebhookError::missing("data"))?;
        let notification_task_id = match envelope.notification_task_id {
            None => None,
            Some(raw) if raw.get() == "null" => None,
            Some(raw) => Some(field(Some(raw), "notification_task_id", "a string")?),
        };
        Ok(Self {
            id,
            api_version,
            created_at,
            attempt_number,
            attempt_total,
            notification_task_id,
            payload: Payload::read(name, data)?,
        })
    }

    /// [`from_slice`](Self::from_slice) of a value's text, for the tests.
    #[cfg(test)]
    fn from_json(value: Value) -> Result<Self, WebhookError> {
        Self::from_slice(value.to_string().as_bytes())
    }
}

/// Decodes the envelope's `field` from its text in the body.
fn field<T: DeserializeOwned>(
    raw: Option<&RawValue>,
    field: &str,
    expected: &str,
) -> Result<T, WebhookError> {
    let raw = raw.ok_or_else(|| WebhookError::missing(field))?;
    serde_json::from_str(raw.get())
        .map_err(|_| WebhookError::wrong_type(Some(field), &shape(raw), expected))
}

/// A value of the same JSON type as `raw`, to say in an error what it is:
/// itself when it is a number, `true`, `false` or `null` (as the error
/// shows those), an empty one otherwise (never a copy of a large value).
pub(super) fn shape(raw: &RawValue) -> Value {
    match raw.get().trim_start().as_bytes().first() {
        Some(b'"') => Value::String(String::new()),
        Some(b'[') => Value::Array(Vec::new()),
        Some(b'{') => Value::Object(Map::new()),
        _ => serde_json::from_str(raw.get()).unwrap_or(Value::Null),
    }
}

/// Any JSON value, read as a [`Value`] reads it (every string, escape and
/// number checked, to the same errors at the same place) but kept nowhere.
struct AnyJson;

impl<'de> Deserialize<'de> for AnyJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnyJson)
    }
}

impl<'de> Visitor<'de> for AnyJson {
    type Value = AnyJson;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self, E> {
        Ok(AnyJson)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self, E> {
        Ok(AnyJson)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self, E> {
        Ok(AnyJson)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self, E> {
        Ok(AnyJson)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self, E> {
        Ok(AnyJson)
    }

    fn visit_unit<E>(self) -> Result<Self, E> {
        Ok(AnyJson)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self, A::Error> {
        while seq.next_element::<AnyJson>()?.is_some() {}
        Ok(AnyJson)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self, A::Error> {
        while map.next_key::<AnyJson>()?.is_some() {
            map.next_value::<AnyJson>()?;
        }
        Ok(AnyJson)
    }
}

/// A body as the envelope reads it: an object, or what else it is.
enum Body<'a> {
    Object(Envelope<'a>),
    /// A value of the body's JSON type (see [`shape`]).
    Other(Value),
}

/// The envelope's fields as the body writes them, not yet checked. A field
/// written twice is read where it is written last, as a [`Value`] reads it.
#[derive(Default)]
struct Envelope<'a> {
    id: Option<&'a RawValue>,
    api_version: Option<&'a RawValue>,
    name: Option<&'a RawValue>,
    created_at: Option<&'a RawValue>,
    attempt_total: Option<&'a RawValue>,
    attempts_total: Option<&'a RawValue>,
    attempt_number: Option<&'a RawValue>,
    data: Option<&'a RawValue>,
    notification_task_id: Option<&'a RawValue>,
}

impl<'de> Deserialize<'de> for Body<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BodyVisitor)
    }
}

struct BodyVisitor;

impl<'de> Visitor<'de> for BodyVisitor {
    type Value = Body<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Body::Other(Value::Bool(value)))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Body::Other(Value::Number(value.into())))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Body::Other(Value::Number(value.into())))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
        Ok(Body::Other(
            Number::from_f64(value).map_or(Value::Null, Value::Number),
        ))
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Body::Other(Value::String(String::new())))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Body::Other(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Body::Other(Value::Array(Vec::new())))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut envelope = Envelope::default();
        while let Some(key) = map.next_key::<Key>()? {
            let slot = match key {
                Key::Id => &mut envelope.id,
                Key::ApiVersion => &mut envelope.api_version,
                Key::Name => &mut envelope.name,
                Key::CreatedAt => &mut envelope.created_at,
                Key::AttemptTotal => &mut envelope.attempt_total,
                Key::AttemptsTotal => &mut envelope.attempts_total,
                Key::AttemptNumber => &mut envelope.attempt_number,
                Key::Data => &mut envelope.data,
                Key::NotificationTaskId => &mut envelope.notification_task_id,
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = Some(map.next_value()?);
        }
        Ok(Body::Object(envelope))
    }
}

/// A key of the envelope, without a copy of its text.
enum Key {
    Id,
    ApiVersion,
    Name,
    CreatedAt,
    AttemptTotal,
    AttemptsTotal,
    AttemptNumber,
    Data,
    NotificationTaskId,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match key {
            "id" => Key::Id,
            "api_version" => Key::ApiVersion,
            "name" => Key::Name,
            "created_at" => Key::CreatedAt,
            "attempt_total" => Key::AttemptTotal,
            "attempts_total" => Key::AttemptsTotal,
            "attempt_number" => Key::AttemptNumber,
            "data" => Key::Data,
            "notification_task_id" => Key::NotificationTaskId,
            _ => Key::Other,
        })
    }
}

/// LOX24's form: the schema's field names, `name` and `data` from the payload.
impl Serialize for Event {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            id: &'a EventId,
            api_version: &'a str,
            name: &'a str,
            created_at: i64,
            attempt_total: u32,
            attempt_number: u32,
            data: super::payload::Data<'a>,
            #[serde(skip_serializing_if = "Option::is_none")]
            notification_task_id: Option<&'a str>,
        }
        Wire {
            id: &self.id,
            api_version: &self.api_version,
            name: self.name(),
            created_at: self.created_at,
            attempt_total: self.attempt_total,
            attempt_number: self.attempt_number,
            data: self.payload.data(),
            notification_task_id: self.notification_task_id.as_deref(),
        }
        .serialize(serializer)
    }
}

/// The checks of [`parse`](super::parse), for events that come from
/// elsewhere (a queue, a file, an email's body).
///
/// From JSON: `serde_json`'s `from_slice`, `from_str`, `from_reader` and
/// `from_value` (the event is read from its JSON text, as
/// [`RawValue`] takes it; other formats do not give that text).
///
/// ```
/// let event: lox24::webhook::Event = serde_json::from_str(
///     r#"{"id": "e1", "api_version": "2022-05-25", "name": "sms.something.new",
///         "created_at": 1653378603, "attempt_number": 1, "attempt_total": 4,
///         "data": {"x": 1}}"#,
/// )?;
/// assert_eq!(event.name(), "sms.something.new");
/// # Ok::<(), serde_json::Error>(())
/// ```
impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Box::<RawValue>::deserialize(deserializer)?;
        Self::from_slice(text.get().as_bytes()).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::WebhookErrorKind;

    fn envelope() -> Value {
        json!({
            "id": "a3cd6e19-8af2-498d-ad07-c7840f1b4ac8", "api_version": "2022-05-25",
            "name": "some.new.event", "created_at": 1653378603, "attempt_number": 2,
            "attempt_total": 4, "data": {"x": 1},
        })
    }

    fn without(field: &str) -> Value {
        let mut value = envelope();
        value.as_object_mut().unwrap().remove(field);
        value
    }

    fn with(field: &str, content: Value) -> Value {
        let mut value = envelope();
        value[field] = content;
        value
    }

    #[test]
    fn every_envelope_field_but_the_task_id_is_required() {
        for field in [
            "id",
            "api_version",
            "name",
            "created_at",
            "attempt_number",
            "attempt_total",
            "data",
        ] {
            let error = Event::from_json(without(field)).unwrap_err();
            assert_eq!(error.kind(), WebhookErrorKind::MissingField, "{field}");
            assert_eq!(error.field(), Some(field));
        }
        let event = Event::from_json(envelope()).unwrap();
        assert_eq!(event.notification_task_id, None);
    }

    #[test]
    fn the_plural_spelling_of_attempt_total_is_read() {
        let mut value = without("attempt_total");
        value["attempts_total"] = json!(3);
        assert_eq!(Event::from_json(value).unwrap().attempt_total, 3);
    }

    #[test]
    fn the_schema_spelling_wins_when_both_are_there() {
        let mut value = envelope();
        value["attempts_total"] = json!(3);
        assert_eq!(Event::from_json(value).unwrap().attempt_total, 4);
    }

    #[test]
    fn wrong_types_name_the_field_and_what_it_holds() {
        let error = Event::from_json(with("created_at", json!("yesterday"))).unwrap_err();
        assert_eq!(error.kind(), WebhookErrorKind::WrongType);
        assert_eq!(error.field(), Some("created_at"));
        assert_eq!(
            error.to_string(),
            "not a LOX24 webhook event: the field `created_at` is a string, not an integer"
        );
        let error = Event::from_json(with("attempt_number", json!(-1))).unwrap_err();
        assert_eq!(
            error.to_string(),
            "not a LOX24 webhook event: the field `attempt_number` is -1, not a non-negative integer"
        );
        let error = Event::from_json(with("notification_task_id", json!(7))).unwrap_err();
        assert_eq!(error.field(), Some("notification_task_id"));
    }

    #[test]
    fn a_body_that_is_not_an_object_is_a_wrong_type() {
        let error = Event::from_json(json!([envelope()])).unwrap_err();
        assert_eq!(error.kind(), WebhookErrorKind::WrongType);
        assert_eq!(error.field(), None);
        assert_eq!(
            error.to_string(),
            "not a LOX24 webhook event: the body is an array, not a JSON object"
        );
    }

    #[test]
    fn the_last_attempt_is_known() {
        let mut event = Event::from_json(envelope()).unwrap();
        assert!(!event.is_last_attempt());
        event.attempt_number = 4;
        assert!(event.is_last_attempt());
    }

    #[test]
    fn deserialize_applies_the_same_checks() {
        let error = serde_json::from_value::<Event>(without("id")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "not a LOX24 webhook event: the field `id` is missing"
        );
    }
}
