//! The data of `fraud-check.done`, which LOX24 documents only loosely.

use std::{borrow::Cow, fmt, ops::Range};

use serde::{
    Deserialize, Deserializer, Serialize, Serializer,
    de::{self, IgnoredAny, MapAccess, Unexpected},
};
use serde_json::value::RawValue;

use super::{
    lenient::{self, Entries, Scalar},
    payload::{compact, compacted, is_object},
};
use crate::{FraudCheck, FraudCheckId, fraud::FraudCheckStatus};

/// `fraud-check.done`: a fraud check finished.
///
/// LOX24's schema leaves this event's data open; its example has
/// `check_id`, `confidence_score` and `result`, and its prose points at the
/// fraud check's own fields (`id`, `status_code`, `risk_score`,
/// `callback_data` …). The data is kept as sent, as JSON text
/// ([`data`](Self::data)), and each accessor reads its field when it is
/// there with the expected type (`None` otherwise), so that no form of the
/// event is refused.
///
/// The text takes the memory it takes in the body, whatever it holds: it
/// is never read into a `serde_json::Value` (which takes some 16 times as
/// much). The fields the accessors read are found when the event is read,
/// and kept as places in the text (a string with escapes, decoded, beside
/// it).
///
/// It reads (`Deserialize`) from JSON only, as the JSON text it keeps:
/// `serde_json`'s `from_str`, `from_slice`, `from_reader` and
/// `from_value`; data that is not a JSON object is refused.
///
/// ```
/// use lox24::webhook::FraudCheckDone;
///
/// let done: FraudCheckDone = serde_json::from_str(
///     r#"{"check_id": "fraud-check-123", "confidence_score": 0.95, "result": "clean"}"#,
/// )?;
/// assert_eq!(done.check_id(), Some("fraud-check-123"));
/// assert_eq!(done.confidence_score(), Some(0.95));
/// assert_eq!(done.result(), Some("clean"));
/// assert_eq!(done.risk_score(), None);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone)]
pub struct FraudCheckDone {
    /// The data's JSON text, compact (see [`FraudCheckDone::data`]).
    data: Box<RawValue>,
    /// What the accessors read, found in `data`.
    fields: Fields,
}

/// The fields the accessors read, as a `Value`'s `get` and `as_…` find
/// them (the last of a key written twice; `None` for another type).
#[derive(Clone, Debug, Default)]
struct Fields {
    id: Option<Text>,
    check_id: Option<Text>,
    status_code: Option<i64>,
    risk_score: Option<f64>,
    confidence_score: Option<f64>,
    result: Option<Text>,
    callback_data: Option<Text>,
}

/// A string field: where it is in the data's text, or decoded when the
/// text writes it with escapes.
#[derive(Clone, Debug)]
enum Text {
    InData(Range<usize>),
    Decoded(Box<str>),
}

impl FraudCheckDone {
    /// The event with this data, a JSON object; its text is kept without
    /// the whitespace between tokens, as when it is read.
    ///
    /// # Errors
    ///
    /// The data is not a JSON object.
    ///
    /// ```
    /// use lox24::webhook::FraudCheckDone;
    /// use serde_json::value::RawValue;
    ///
    /// let data = RawValue::from_string(r#"{"check_id": "fraud-check-123", "result": "clean"}"#.into())?;
    /// let done = FraudCheckDone::new(data)?;
    /// assert_eq!(done.result(), Some("clean"));
    /// assert_eq!(done.data().get(), r#"{"check_id":"fraud-check-123","result":"clean"}"#);
    ///
    /// assert!(FraudCheckDone::new(RawValue::from_string("[1, 2]".into())?).is_err());
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn new(data: Box<RawValue>) -> Result<Self, serde_json::Error> {
        check_object(&data)?;
        Ok(Self::found_in(compacted(data)))
    }

    /// The data of an event's body, a JSON object already checked.
    pub(super) fn read(data: &RawValue) -> Self {
        Self::found_in(compact(data))
    }

    /// The event with `data`, compact JSON text, and the fields found in it.
    fn found_in(data: Box<RawValue>) -> Self {
        let found: Found<'_> = lenient::read(data.get());
        let text = |found: Option<Cow<'_, str>>| found.map(|text| Text::new(data.get(), text));
        let fields = Fields {
            id: text(found.id),
            check_id: text(found.check_id),
            status_code: found.status_code,
            risk_score: found.risk_score,
            confidence_score: found.confidence_score,
            result: text(found.result),
            callback_data: text(found.callback_data),
        };
        Self { data, fields }
    }

    /// The data as LOX24 sent it: its JSON text, without the whitespace
    /// between tokens (keys, their order, numbers and strings as written).
    /// Read it into a type of your own with
    /// `serde_json::from_str(done.data().get())`.
    ///
    /// ```
    /// let done: lox24::webhook::FraudCheckDone =
    ///     serde_json::from_str(r#"{ "result": "clean",
    ///                               "extra": [1, {"a": null}] }"#)?;
    /// assert_eq!(done.data().get(), r#"{"result":"clean","extra":[1,{"a":null}]}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn data(&self) -> &RawValue {
        &self.data
    }

    /// The fraud check's id (`id`), as
    /// [`Client::get_fraud_check`](crate::Client::get_fraud_check) takes it.
    ///
    /// ```
    /// use lox24::FraudCheckId;
    ///
    /// let done: lox24::webhook::FraudCheckDone =
    ///     serde_json::from_str(r#"{"id": "5c1f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2c"}"#)?;
    /// assert_eq!(
    ///     done.fraud_check_id(),
    ///     Some(FraudCheckId::new("5c1f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2c"))
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn fraud_check_id(&self) -> Option<FraudCheckId> {
        self.text(self.fields.id.as_ref()).map(FraudCheckId::new)
    }

    /// `check_id`, as in LOX24's example.
    ///
    /// ```
    /// let done: lox24::webhook::FraudCheckDone =
    ///     serde_json::from_str(r#"{"check_id": "fraud-check-123"}"#)?;
    /// assert_eq!(done.check_id(), Some("fraud-check-123"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn check_id(&self) -> Option<&str> {
        self.text(self.fields.check_id.as_ref())
    }

    /// Where the check is (`status_code`).
    ///
    /// ```
    /// use lox24::fraud::FraudCheckStatus;
    ///
    /// let done: lox24::webhook::FraudCheckDone = serde_json::from_str(r#"{"status_code": 10}"#)?;
    /// assert_eq!(done.status(), Some(FraudCheckStatus::Done));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn status(&self) -> Option<FraudCheckStatus> {
        self.fields.status_code.map(FraudCheckStatus::from_code)
    }

    /// The risk, from 0 (none) to 100 (fraud) (`risk_score`).
    ///
    /// ```
    /// let done: lox24::webhook::FraudCheckDone = serde_json::from_str(r#"{"risk_score": 80}"#)?;
    /// assert_eq!(done.risk_score(), Some(80.0));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn risk_score(&self) -> Option<f64> {
        self.fields.risk_score
    }

    /// `confidence_score`, as in LOX24's example.
    ///
    /// ```
    /// let done: lox24::webhook::FraudCheckDone =
    ///     serde_json::from_str(r#"{"confidence_score": 0.95}"#)?;
    /// assert_eq!(done.confidence_score(), Some(0.95));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn confidence_score(&self) -> Option<f64> {
        self.fields.confidence_score
    }

    /// `result`, as in LOX24's example (e.g. `clean`).
    ///
    /// ```
    /// let done: lox24::webhook::FraudCheckDone = serde_json::from_str(r#"{"result": "clean"}"#)?;
    /// assert_eq!(done.result(), Some("clean"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn result(&self) -> Option<&str> {
        self.text(self.fields.result.as_ref())
    }

    /// The text given with the check, carried back (`callback_data`).
    ///
    /// ```
    /// let done: lox24::webhook::FraudCheckDone =
    ///     serde_json::from_str(r#"{"callback_data": "signup-7"}"#)?;
    /// assert_eq!(done.callback_data(), Some("signup-7"));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn callback_data(&self) -> Option<&str> {
        self.text(self.fields.callback_data.as_ref())
    }

    /// The data read as a [`FraudCheck`], when it has that form (an `id`,
    /// and the other fields of the types the fraud check API answers with,
    /// each once). Read from the text at each call.
    ///
    /// ```
    /// use lox24::fraud::FraudCheckStatus;
    ///
    /// let done: lox24::webhook::FraudCheckDone = serde_json::from_str(
    ///     r#"{"id": "5c1f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2c", "status_code": 10, "risk_score": 12.5}"#,
    /// )?;
    /// let check = done.fraud_check().expect("a fraud check");
    /// assert_eq!(check.status_code, Some(FraudCheckStatus::Done));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn fraud_check(&self) -> Option<FraudCheck> {
        serde_json::from_str(self.data.get()).ok()
    }

    fn text<'a>(&'a self, text: Option<&'a Text>) -> Option<&'a str> {
        match text? {
            Text::InData(range) => self.data.get().get(range.clone()),
            Text::Decoded(text) => Some(text),
        }
    }
}

impl Text {
    /// `text`, found in `data`: its place there when it is borrowed from it.
    fn new(data: &str, text: Cow<'_, str>) -> Self {
        match text {
            Cow::Borrowed(part) => match place(data, part) {
                Some(range) => Self::InData(range),
                None => Self::Decoded(part.into()),
            },
            Cow::Owned(text) => Self::Decoded(text.into_boxed_str()),
        }
    }
}

/// Where `part` is in `whole`, when it is a slice of it.
fn place(whole: &str, part: &str) -> Option<Range<usize>> {
    let start = part.as_ptr().addr().checked_sub(whole.as_ptr().addr())?;
    let range = start..start.checked_add(part.len())?;
    // Two strings that live at once do not overlap unless one holds the
    // other: `part` is this slice of `whole` if it lies within it.
    (whole.get(range.clone())?.as_ptr() == part.as_ptr()).then_some(range)
}

/// An empty object.
impl Default for FraudCheckDone {
    /// ```
    /// let done = lox24::webhook::FraudCheckDone::default();
    /// assert_eq!(done.data().get(), "{}");
    /// ```
    fn default() -> Self {
        Self::found_in(RawValue::from_string("{}".to_owned()).expect("`{}` is JSON"))
    }
}

/// The data's text, as [`data`](FraudCheckDone::data) shows it.
impl fmt::Debug for FraudCheckDone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FraudCheckDone")
            .field("data", &self.data)
            .finish()
    }
}

/// Equal with the same JSON text.
impl PartialEq for FraudCheckDone {
    fn eq(&self, other: &Self) -> bool {
        self.data.get() == other.data.get()
    }
}

/// The data's JSON text as it is (to JSON); to another format, a field of
/// a struct, as for any [`RawValue`].
impl Serialize for FraudCheckDone {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.data.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for FraudCheckDone {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let data = Box::<RawValue>::deserialize(deserializer)?;
        check_object(&data)?;
        Ok(Self::found_in(compacted(data)))
    }
}

/// Refuses data that is not a JSON object, as a map refuses it.
fn check_object<E: de::Error>(data: &RawValue) -> Result<(), E> {
    if is_object(data) {
        return Ok(());
    }
    let unexpected = match data.get().trim_start().as_bytes().first() {
        Some(b'[') => Unexpected::Seq,
        Some(b'"') => Unexpected::Other("a string"),
        Some(b't') => Unexpected::Bool(true),
        Some(b'f') => Unexpected::Bool(false),
        Some(b'n') => Unexpected::Other("null"),
        _ => Unexpected::Other("a number"),
    };
    Err(E::invalid_type(unexpected, &"a JSON object"))
}

/// The fields as the text has them, borrowed from it where it can.
#[derive(Default)]
struct Found<'a> {
    id: Option<Cow<'a, str>>,
    check_id: Option<Cow<'a, str>>,
    status_code: Option<i64>,
    risk_score: Option<f64>,
    confidence_score: Option<f64>,
    result: Option<Cow<'a, str>>,
    callback_data: Option<Cow<'a, str>>,
}

impl<'de> Entries<'de> for Found<'de> {
    fn entry<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        let slot = match key {
            "id" => &mut self.id,
            "check_id" => &mut self.check_id,
            "result" => &mut self.result,
            "callback_data" => &mut self.callback_data,
            "status_code" => {
                self.status_code = map.next_value::<Scalar<'de>>()?.as_i64();
                return Ok(());
            }
            "risk_score" => {
                self.risk_score = map.next_value::<Scalar<'de>>()?.as_f64();
                return Ok(());
            }
            "confidence_score" => {
                self.confidence_score = map.next_value::<Scalar<'de>>()?.as_f64();
                return Ok(());
            }
            _ => {
                map.next_value::<IgnoredAny>()?;
                return Ok(());
            }
        };
        *slot = map.next_value::<Scalar<'de>>()?.text();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn done(data: Value) -> FraudCheckDone {
        serde_json::from_value(data).unwrap()
    }

    fn accessors(d: &FraudCheckDone) -> impl PartialEq + fmt::Debug + '_ {
        (
            (d.fraud_check_id(), d.check_id(), d.status(), d.risk_score()),
            (d.confidence_score(), d.result(), d.callback_data()),
        )
    }

    #[test]
    fn fields_of_another_type_read_as_none() {
        let d = done(
            json!({"id": 5, "check_id": 1, "status_code": "10", "risk_score": "high",
            "confidence_score": [], "result": {}, "callback_data": false}),
        );
        assert_eq!(d.fraud_check_id(), None);
        assert_eq!(d.check_id(), None);
        assert_eq!(d.status(), None);
        assert_eq!(d.risk_score(), None);
        assert_eq!(d.confidence_score(), None);
        assert_eq!(d.result(), None);
        assert_eq!(d.callback_data(), None);
        assert_eq!(d.fraud_check(), None);
    }

    #[test]
    fn the_fraud_check_fields_are_read() {
        let d = done(
            json!({"id": "5c1f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2c", "status_code": 21,
            "risk_score": 80, "callback_data": "signup-7"}),
        );
        assert_eq!(
            d.fraud_check_id(),
            Some(FraudCheckId::new("5c1f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2c"))
        );
        assert_eq!(d.status(), Some(FraudCheckStatus::InvalidData));
        assert_eq!(d.risk_score(), Some(80.0));
        assert_eq!(d.callback_data(), Some("signup-7"));
        let check = d.fraud_check().unwrap();
        assert_eq!(check.callback_data.as_deref(), Some("signup-7"));
    }

    #[test]
    fn data_is_written_back_as_it_came() {
        let data = json!({"check_id": "fraud-check-123", "extra": [1, {"a": null}]});
        assert_eq!(serde_json::to_value(done(data.clone())).unwrap(), data);
    }

    #[test]
    fn the_text_is_kept_compact_with_its_spelling() {
        let text = "{ \"result\" : \"a  b\\u00e9\",\n \"n\": [1.50, 2e3],\n \"result\": \"c\" }";
        let d: FraudCheckDone = serde_json::from_str(text).unwrap();
        assert_eq!(
            d.data().get(),
            r#"{"result":"a  b\u00e9","n":[1.50,2e3],"result":"c"}"#
        );
        assert_eq!(serde_json::to_string(&d).unwrap(), d.data().get());
        // Read where it is written last, as a `Value` keeps it.
        assert_eq!(d.result(), Some("c"));
        let read = FraudCheckDone::read(&RawValue::from_string(text.into()).unwrap());
        assert_eq!(read, d);
        assert_eq!(accessors(&read), accessors(&d));
    }

    #[test]
    fn strings_are_found_in_the_text_or_decoded() {
        let d: FraudCheckDone =
            serde_json::from_str(r#"{"check_id": "plain", "result": "line\nbreak", "id": ""}"#)
                .unwrap();
        assert!(matches!(d.fields.check_id, Some(Text::InData(_))));
        assert!(matches!(d.fields.result, Some(Text::Decoded(_))));
        assert_eq!(d.check_id(), Some("plain"));
        assert_eq!(d.result(), Some("line\nbreak"));
        assert_eq!(d.fraud_check_id(), Some(FraudCheckId::new("")));
        // A clone keeps places in its own copy of the text.
        assert_eq!(accessors(&d.clone()), accessors(&d));
    }

    #[test]
    fn the_accessors_read_what_a_value_reads() {
        for data in [
            json!({"id": "x", "status_code": 10, "risk_score": 12, "confidence_score": -1}),
            json!({"status_code": u64::MAX, "risk_score": u64::MAX, "confidence_score": 0.5}),
            json!({"status_code": 10.0, "risk_score": null, "result": ["clean"]}),
            json!({"nested": {"id": "x", "result": "clean"}}),
        ] {
            let d = done(data.clone());
            let as_f64 = |key: &str| data.get(key).and_then(Value::as_f64);
            let as_str = |key: &str| data.get(key).and_then(Value::as_str);
            assert_eq!(
                d.status(),
                data.get("status_code")
                    .and_then(Value::as_i64)
                    .map(FraudCheckStatus::from_code),
                "{data}"
            );
            assert_eq!(d.risk_score(), as_f64("risk_score"), "{data}");
            assert_eq!(d.confidence_score(), as_f64("confidence_score"), "{data}");
            assert_eq!(d.check_id(), as_str("check_id"), "{data}");
            assert_eq!(d.result(), as_str("result"), "{data}");
            assert_eq!(
                d.fraud_check_id().as_ref().map(FraudCheckId::as_str),
                as_str("id")
            );
        }
    }

    #[test]
    fn data_that_is_not_an_object_is_refused() {
        for text in ["[]", r#""x""#, "1", "-2.5", "true", "false", "null"] {
            let error = serde_json::from_str::<FraudCheckDone>(text).unwrap_err();
            assert!(
                error.to_string().ends_with(", expected a JSON object"),
                "{error}"
            );
            assert!(FraudCheckDone::new(RawValue::from_string(text.into()).unwrap()).is_err());
        }
        let error = serde_json::from_str::<FraudCheckDone>("[1]").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid type: sequence, expected a JSON object"
        );
    }

    #[test]
    fn equal_by_the_text() {
        let d = |text: &str| serde_json::from_str::<FraudCheckDone>(text).unwrap();
        assert_eq!(d(r#"{"a": 1}"#), d(r#"{ "a":1 }"#));
        assert_ne!(d(r#"{"a": 1, "b": 2}"#), d(r#"{"b": 2, "a": 1}"#));
        assert_eq!(FraudCheckDone::default(), d("{}"));
    }
}
