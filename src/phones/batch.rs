//! The answer to a batch of entries: one item per entry, each stored or
//! refused on its own.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer, ser::SerializeStruct};

use super::{Phone, UnsubscribeReason};
use crate::{Iri, PhoneId, Violation};

/// Why one entry of a batch was not stored.
///
/// ```
/// let problem: lox24::ItemProblem = serde_json::from_str(
///     r#"{
///     "title": "An error occurred",
///     "detail": "phone: This value is not a valid phone number.",
///     "violations": [{"propertyPath": "phone", "message": "This value is not a valid phone number."}]
/// }"#,
/// )?;
/// assert_eq!(problem.violations[0].property_path, "phone");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ItemProblem {
    /// `title` or `hydra:title`.
    #[serde(
        default,
        alias = "hydra:title",
        skip_serializing_if = "Option::is_none"
    )]
    pub title: Option<String>,
    /// `detail` or `hydra:description`: what is wrong.
    #[serde(
        default,
        alias = "hydra:description",
        skip_serializing_if = "Option::is_none"
    )]
    pub detail: Option<String>,
    /// The fields refused, when the server lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub violations: Vec<Violation>,
}

impl ItemProblem {
    /// The most specific description available.
    ///
    /// ```
    /// let problem: lox24::ItemProblem = serde_json::from_str(
    ///     r#"{"hydra:title": "An error occurred", "hydra:description": "phone: This value is too long."}"#,
    /// )?;
    /// assert_eq!(problem.message(), "phone: This value is too long.");
    /// assert_eq!(lox24::ItemProblem::default().message(), "no reason given");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn message(&self) -> &str {
        self.detail
            .as_deref()
            .or(self.title.as_deref())
            .unwrap_or("no reason given")
    }
}

/// The outcome for one entry of a batch.
///
/// ```
/// let item: lox24::BatchItem = serde_json::from_str(
///     r#"{"status": 201, "body": {"@id": "/phones/981", "id": "981", "phone": "+491701234567"}}"#,
/// )?;
/// match &item.result {
///     Ok(phone) => assert_eq!(phone.id, Some(lox24::PhoneId::new("981"))),
///     Err(problem) => panic!("refused: {}", problem.message()),
/// }
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema)]
pub struct BatchItem {
    /// The HTTP status for this entry alone (201 when it was stored).
    pub status: u16,
    /// The stored entry, or why it was not stored.
    pub result: Result<Phone, ItemProblem>,
}

impl BatchItem {
    /// An entry that was stored (status 201).
    ///
    /// ```
    /// use lox24::{BatchItem, Phone, PhoneId};
    ///
    /// let item = BatchItem::created(Phone::new(PhoneId::new("981"), "+491701234567"));
    /// assert_eq!(item.status, 201);
    /// assert!(item.result.is_ok());
    /// ```
    pub fn created(phone: Phone) -> Self {
        Self {
            status: 201,
            result: Ok(phone),
        }
    }

    /// An entry that was refused with this status.
    ///
    /// ```
    /// use lox24::{BatchItem, ItemProblem};
    ///
    /// let mut problem = ItemProblem::default();
    /// problem.detail = Some("phone: This value is not a valid phone number.".to_owned());
    /// let item = BatchItem::failed(422, problem);
    /// assert_eq!(item.status, 422);
    /// assert_eq!(
    ///     item.result.unwrap_err().message(),
    ///     "phone: This value is not a valid phone number."
    /// );
    /// ```
    pub fn failed(status: u16, problem: ItemProblem) -> Self {
        Self {
            status,
            result: Err(problem),
        }
    }
}

/// The one rule for an item of a batch answer, for [`BatchItem`] and the
/// upload engine alike: its status alone says whether the entry was stored
/// (any 2xx), and its `body` must be a JSON object ([`object_body`]).
pub(crate) fn is_stored(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Reads an item's `body`, which must be a JSON object: serde would read a
/// struct from an array too (`[]` as a body of defaults), which says nothing
/// of the entry, so such an answer is refused as malformed.
pub(crate) fn object_body<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct ObjectVisitor<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for ObjectVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an item body that is a JSON object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
        }
    }
    deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData))
}

/// Both body forms in one pass: the stored entry's fields and the
/// problem's, sorted out once the status is known.
#[derive(Deserialize)]
struct WireItem {
    status: u16,
    #[serde(deserialize_with = "object_body")]
    body: WireBody,
}

#[derive(Deserialize)]
struct WireBody {
    #[serde(default)]
    phone: Option<String>,
    #[serde(rename = "@id", default)]
    iri: Option<Iri>,
    #[serde(default)]
    id: Option<PhoneId>,
    #[serde(default)]
    a: Option<String>,
    #[serde(default)]
    b: Option<String>,
    #[serde(default)]
    c: Option<String>,
    #[serde(default)]
    d: Option<String>,
    #[serde(default)]
    e: Option<String>,
    #[serde(default)]
    callback_data: Option<String>,
    #[serde(default)]
    subscribed_at: Option<i64>,
    #[serde(default)]
    unsubscribed_at: Option<i64>,
    #[serde(default)]
    unsubscribe_reason: Option<UnsubscribeReason>,
    #[serde(default, alias = "hydra:title")]
    title: Option<String>,
    #[serde(default, alias = "hydra:description")]
    detail: Option<String>,
    #[serde(default)]
    violations: Vec<Violation>,
}

impl<'de> Deserialize<'de> for BatchItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let WireItem { status, body: r } = WireItem::deserialize(deserializer)?;
        let result = if is_stored(status) {
            Ok(Phone {
                iri: r.iri,
                id: r.id,
                // Filled in by `add_phones` from the entry sent when the
                // answer does not echo it.
                phone: r.phone.unwrap_or_default(),
                a: r.a,
                b: r.b,
                c: r.c,
                d: r.d,
                e: r.e,
                callback_data: r.callback_data,
                subscribed_at: r.subscribed_at,
                unsubscribed_at: r.unsubscribed_at,
                unsubscribe_reason: r.unsubscribe_reason,
            })
        } else {
            Err(ItemProblem {
                title: r.title,
                detail: r.detail,
                violations: r.violations,
            })
        };
        Ok(Self { status, result })
    }
}

impl Serialize for BatchItem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut item = serializer.serialize_struct("BatchItem", 2)?;
        item.serialize_field("status", &self.status)?;
        match &self.result {
            Ok(phone) => item.serialize_field("body", phone)?,
            Err(problem) => item.serialize_field("body", problem)?,
        }
        item.end()
    }
}

/// The answer to a batch: one [`BatchItem`] per entry sent, in the same order.
///
/// Read from the plain JSON array and from the JSON-LD Hydra collection;
/// written as the JSON array.
///
/// ```
/// let result: lox24::BatchResult = serde_json::from_str(
///     r#"{
///     "@type": "hydra:Collection",
///     "hydra:member": [
///         {"status": 201, "body": {"id": "981", "phone": "+491701234567"}},
///         {"status": 422, "body": {"detail": "phone: This value is not a valid phone number."}}
///     ],
///     "hydra:totalItems": 2
/// }"#,
/// )?;
/// assert_eq!(result.total_items, Some(2));
/// assert_eq!(result.items[1].status, 422);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, JsonSchema)]
#[non_exhaustive]
pub struct BatchResult {
    /// The outcomes, in the order of the request.
    pub items: Vec<BatchItem>,
    /// `hydra:totalItems`, when the answer was JSON-LD.
    pub total_items: Option<u64>,
}

impl BatchResult {
    /// A result with these items.
    ///
    /// ```
    /// use lox24::{BatchItem, BatchResult, Phone, PhoneId};
    ///
    /// let result = BatchResult::new(vec![BatchItem::created(Phone::new(
    ///     PhoneId::new("981"),
    ///     "+491701234567",
    /// ))]);
    /// assert_eq!((result.items.len(), result.total_items), (1, None));
    /// ```
    pub fn new(items: Vec<BatchItem>) -> Self {
        Self {
            items,
            total_items: None,
        }
    }

    /// How many entries were stored.
    ///
    /// ```
    /// let result: lox24::BatchResult = serde_json::from_str(
    ///     r#"[
    ///     {"status": 201, "body": {"id": "981", "phone": "+491701234567"}},
    ///     {"status": 201, "body": {"id": "982", "phone": "+491701234568"}},
    ///     {"status": 422, "body": {"detail": "phone: This value is not a valid phone number."}}
    /// ]"#,
    /// )?;
    /// assert_eq!(result.created(), 2);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn created(&self) -> usize {
        self.items.iter().filter(|i| i.result.is_ok()).count()
    }

    /// How many entries were refused.
    ///
    /// ```
    /// let result: lox24::BatchResult = serde_json::from_str(
    ///     r#"[
    ///     {"status": 201, "body": {"id": "981", "phone": "+491701234567"}},
    ///     {"status": 400, "body": {"title": "An error occurred", "detail": "Invalid phone."}}
    /// ]"#,
    /// )?;
    /// assert_eq!(result.failed(), 1);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn failed(&self) -> usize {
        self.items.len() - self.created()
    }
}

impl<'de> Deserialize<'de> for BatchResult {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (items, total_items) = crate::jsonld::deserialize_list(deserializer)?;
        Ok(Self { items, total_items })
    }
}

impl Serialize for BatchResult {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.items.serialize(serializer)
    }
}
