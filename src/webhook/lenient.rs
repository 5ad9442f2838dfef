//! A few fields of free-form JSON, read from its text as the accessors of a
//! `serde_json::Value` (`get`, `as_str`, `as_i64`, `as_f64`) would find
//! them, without building one (which takes some 16 times the text): what is
//! not read is skipped, and a field of another type reads as nothing.

use std::{borrow::Cow, fmt, marker::PhantomData};

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The fields a type reads from the entries of a JSON object. Anything but
/// an object reads as the type's [`Default`], as `Value::get` finds nothing
/// in it.
pub(super) trait Entries<'de>: Default {
    /// Reads the value of the entry `key` from `map` into `self`, or skips
    /// it. A key written twice comes twice, the last time last: reading it
    /// again over the first (whatever its type) keeps the last, as a
    /// `Value` does.
    fn entry<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error>;
}

/// What `T` reads from `text`: its [`Default`] when `text` is not an
/// object (or, were it ever, not JSON).
pub(super) fn read<'de, T: Entries<'de>>(text: &'de str) -> T {
    serde_json::from_str::<Object<T>>(text).map_or_else(|_| T::default(), |object| object.0)
}

/// `T` read from an object, or its default from any other value.
pub(super) struct Object<T>(pub(super) T);

impl<'de, T: Entries<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ObjectVisitor(PhantomData))
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Entries<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Object<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = T::default();
        while let Some(Key(key)) = map.next_key()? {
            fields.entry(&key, &mut map)?;
        }
        Ok(Object(fields))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Object(T::default()))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Object(T::default()))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Object(T::default()))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Object(T::default()))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Object(T::default()))
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Object(T::default()))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Object(T::default()))
    }
}

/// An object's key: borrowed from the text unless it has escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor).map(Key)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(text))
    }

    fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text.to_owned()))
    }

    fn visit_string<E>(self, text: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(text))
    }
}

/// One JSON value, kept when it is a string or a number (as a `Value`
/// holds it); anything else is skipped.
pub(super) enum Scalar<'de> {
    /// A string: borrowed from the text unless it has escapes.
    Text(Cow<'de, str>),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    Other,
}

impl<'de> Scalar<'de> {
    /// The string, as `Value::as_str` gives it.
    pub(super) fn text(self) -> Option<Cow<'de, str>> {
        match self {
            Self::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The integer that fits an `i64`, as `Value::as_i64` gives it.
    pub(super) fn as_i64(&self) -> Option<i64> {
        match *self {
            Self::Unsigned(n) => i64::try_from(n).ok(),
            Self::Signed(n) => Some(n),
            _ => None,
        }
    }

    /// Any number, as `Value::as_f64` gives it.
    pub(super) fn as_f64(&self) -> Option<f64> {
        match *self {
            Self::Unsigned(n) => Some(n as f64),
            Self::Signed(n) => Some(n as f64),
            Self::Float(n) => Some(n),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Borrowed(text)))
    }

    fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Owned(text.to_owned())))
    }

    fn visit_string<E>(self, text: String) -> Result<Self::Value, E> {
        Ok(Scalar::Text(Cow::Owned(text)))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Scalar::Unsigned(n))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Scalar::Signed(n))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
        Ok(Scalar::Float(n))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Scalar::Other)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Scalar::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    /// What a `Value` and the reader find at the top of `value`.
    #[derive(Debug, Default, PartialEq)]
    struct Found {
        text: Option<String>,
        integer: Option<i64>,
        number: Option<f64>,
    }

    impl<'de> Entries<'de> for Found {
        fn entry<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
            match key {
                "x" => {
                    let x: Scalar<'_> = map.next_value()?;
                    self.integer = x.as_i64();
                    self.number = x.as_f64();
                    self.text = x.text().map(Cow::into_owned);
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(())
        }
    }

    fn as_value_reads(value: &Value) -> Found {
        let x = value.get("x");
        Found {
            text: x.and_then(Value::as_str).map(str::to_owned),
            integer: x.and_then(Value::as_i64),
            number: x.and_then(Value::as_f64),
        }
    }

    #[test]
    fn fields_read_as_a_values_accessors_read_them() {
        for value in [
            json!({"x": "text"}),
            json!({"x": 7}),
            json!({"x": -7}),
            json!({"x": u64::MAX}),
            json!({"x": i64::MIN}),
            json!({"x": 2.5}),
            json!({"x": null}),
            json!({"x": true}),
            json!({"x": [1, "a", {"x": 1}]}),
            json!({"x": {"x": 1}}),
            json!({"y": 1}),
            json!({}),
            json!([{"x": 1}]),
            json!("x"),
            json!(null),
            json!(1),
        ] {
            let text = value.to_string();
            assert_eq!(read::<Found>(&text), as_value_reads(&value), "{text}");
        }
    }

    #[test]
    fn a_key_written_twice_is_read_where_it_is_written_last() {
        for text in [
            r#"{"x": 1, "x": "two"}"#,
            r#"{"x": "one", "x": [2]}"#,
            r#"{"x": "one", "y": 1, "x": 3.5}"#,
        ] {
            let value: Value = serde_json::from_str(text).unwrap();
            assert_eq!(read::<Found>(text), as_value_reads(&value), "{text}");
        }
    }

    #[test]
    fn escaped_keys_and_strings_are_decoded() {
        let found: Found = read(r#"{"\u0078": "a\nb"}"#);
        assert_eq!(found.text.as_deref(), Some("a\nb"));
    }
}
