//! Entries of groups: phone numbers with extra columns.

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer, ser::SerializeStruct};

use crate::{
    Client, Column, Error, GroupId, Iri, Listing, PhoneId, ValidationError, Violation,
    api::types,
    call, limits,
    validate::{wire, wire_opt},
};

/// An entry to add to a group: a phone number, up to five column values and
/// callback data.
///
/// ```
/// use lox24::{Column, PhoneEntry};
///
/// let entry = PhoneEntry::new("+491701234567")
///     .column(Column::A, "Mr.")
///     .column(Column::B, "Smith")
///     .callback_data("customer-1138");
/// assert!(entry.validate().is_ok());
/// assert_eq!(
///     PhoneEntry::new("+49".repeat(11)).validate().unwrap_err().to_string(),
///     "`phone` has 33 characters; LOX24 allows at most 30"
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct PhoneEntry {
    /// The number (up to 30 characters); E.164 such as `+491701234567` is preferred.
    pub phone: String,
    /// Column `a` (up to 1530 characters).
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
    /// Up to 36 characters that LOX24 returns with delivery reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_data: Option<String>,
}

impl PhoneEntry {
    /// An entry for this number.
    pub fn new(phone: impl Into<String>) -> Self {
        Self {
            phone: phone.into(),
            ..Self::default()
        }
    }

    /// Sets a column's value.
    #[must_use]
    pub fn column(mut self, column: Column, value: impl Into<String>) -> Self {
        *self.column_mut(column) = Some(value.into());
        self
    }

    /// Sets the callback data.
    #[must_use]
    pub fn callback_data(mut self, data: impl Into<String>) -> Self {
        self.callback_data = Some(data.into());
        self
    }

    fn column_mut(&mut self, column: Column) -> &mut Option<String> {
        match column {
            Column::A => &mut self.a,
            Column::B => &mut self.b,
            Column::C => &mut self.c,
            Column::D => &mut self.d,
            Column::E => &mut self.e,
        }
    }

    /// Checks every limit of the spec: the phone is present and at most 30
    /// characters, columns at most 1530, callback data at most 36.
    pub fn validate(&self) -> Result<(), ValidationError> {
        // The same checks as `to_wire`, in the same order, without building
        // the wire type: the upload engine checks every entry with it.
        use limits::phone_write as rule;
        if self.phone.trim().is_empty() {
            return Err(ValidationError::new(
                "phone",
                crate::ValidationProblem::Missing,
            ));
        }
        rule::PHONE.check(&self.phone)?;
        for (rule, value) in [
            (&rule::A, &self.a),
            (&rule::B, &self.b),
            (&rule::C, &self.c),
            (&rule::D, &self.d),
            (&rule::E, &self.e),
            (&rule::CALLBACK_DATA, &self.callback_data),
        ] {
            if let Some(value) = value {
                rule.check(value)?;
            }
        }
        Ok(())
    }

    /// The entry as sent, once every limit is checked.
    pub(crate) fn to_wire(&self) -> Result<types::PhoneWrite, ValidationError> {
        use limits::phone_write as rule;
        if self.phone.trim().is_empty() {
            return Err(ValidationError::new(
                "phone",
                crate::ValidationProblem::Missing,
            ));
        }
        Ok(types::PhoneWrite {
            phone: wire(&rule::PHONE, &self.phone)?,
            a: wire_opt(&rule::A, self.a.as_deref())?,
            b: wire_opt(&rule::B, self.b.as_deref())?,
            c: wire_opt(&rule::C, self.c.as_deref())?,
            d: wire_opt(&rule::D, self.d.as_deref())?,
            e: wire_opt(&rule::E, self.e.as_deref())?,
            callback_data: wire_opt(&rule::CALLBACK_DATA, self.callback_data.as_deref())?,
        })
    }
}

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

crate::coded::coded_enum! {
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

/// Why one entry of a batch was not stored.
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
    pub fn message(&self) -> &str {
        self.detail
            .as_deref()
            .or(self.title.as_deref())
            .unwrap_or("no reason given")
    }
}

/// The outcome for one entry of a batch.
#[derive(Clone, Debug, PartialEq, Eq, JsonSchema)]
pub struct BatchItem {
    /// The HTTP status for this entry alone (201 when it was stored).
    pub status: u16,
    /// The stored entry, or why it was not stored.
    pub result: Result<Phone, ItemProblem>,
}

impl BatchItem {
    /// An entry that was stored (status 201).
    pub fn created(phone: Phone) -> Self {
        Self {
            status: 201,
            result: Ok(phone),
        }
    }

    /// An entry that was refused with this status.
    pub fn failed(status: u16, problem: ItemProblem) -> Self {
        Self {
            status,
            result: Err(problem),
        }
    }
}

/// Both body forms in one pass: the stored entry's fields and the
/// problem's, sorted out once the status is known.
#[derive(Deserialize)]
struct WireItem {
    status: u16,
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
        let result = match r.phone {
            Some(phone) if (200..300).contains(&status) => Ok(Phone {
                iri: r.iri,
                id: r.id,
                phone,
                a: r.a,
                b: r.b,
                c: r.c,
                d: r.d,
                e: r.e,
                callback_data: r.callback_data,
                subscribed_at: r.subscribed_at,
                unsubscribed_at: r.unsubscribed_at,
                unsubscribe_reason: r.unsubscribe_reason,
            }),
            _ => Err(ItemProblem {
                title: r.title,
                detail: r.detail,
                violations: r.violations,
            }),
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
    pub fn new(items: Vec<BatchItem>) -> Self {
        Self {
            items,
            total_items: None,
        }
    }

    /// How many entries were stored.
    pub fn created(&self) -> usize {
        self.items.iter().filter(|i| i.result.is_ok()).count()
    }

    /// How many entries were refused.
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

impl Client {
    /// Adds entries to a group in one request (`POST /groups/{id}/phones/batch`).
    ///
    /// Every entry is checked first; if one breaks a limit, the error names it
    /// (`[3].phone`) and nothing is sent. LOX24 answers 201 even when some
    /// entries fail: look at each item of the result, which come in the order
    /// of `entries`. For large lists, prefer [`Client::upload_phones`], which
    /// batches, retries and reports on every entry.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::{GroupId, PhoneEntry};
    ///
    /// let entries = [PhoneEntry::new("+491701234567"), PhoneEntry::new("+491701234568")];
    /// let result = client.add_phones(GroupId::new(7117), &entries).await?;
    /// for (entry, item) in entries.iter().zip(&result.items) {
    ///     match &item.result {
    ///         Ok(phone) => println!("{} stored as {:?}", entry.phone, phone.id),
    ///         Err(problem) => println!("{} refused: {}", entry.phone, problem.message()),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn add_phones(
        &self,
        group: GroupId,
        entries: &[PhoneEntry],
    ) -> Result<BatchResult, Error> {
        group.validate_at("id")?;
        let body = entries
            .iter()
            .enumerate()
            .map(|(i, entry)| entry.to_wire().map_err(|e| e.within(format!("[{i}]"))))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(call::run(self.raw().add_phones_batch(&group, &body))
            .await?
            .value)
    }
}

impl Client {
    /// Adds one entry to a group (`POST /groups/{id}/phones`).
    ///
    /// The entry is checked first; nothing is sent if it breaks a limit. A
    /// number LOX24 refuses is an error here ([`Error::InvalidInput`] or
    /// [`Error::Unprocessable`]), unlike in a batch.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::{Column, GroupId, PhoneEntry};
    ///
    /// let entry = PhoneEntry::new("+491701234567").column(Column::A, "Anna");
    /// let phone = client.add_phone(GroupId::new(7117), &entry).await?;
    /// println!("stored as {:?}", phone.id);
    /// # Ok(()) }
    /// ```
    pub async fn add_phone(&self, group: GroupId, entry: &PhoneEntry) -> Result<Phone, Error> {
        group.validate_at("id")?;
        let body = entry.to_wire()?;
        Ok(call::run(self.raw().add_phone(&group, &body)).await?.value)
    }

    /// Reads an entry (`GET /phones/{id}`).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let phone = client.get_phone(&lox24::PhoneId::new("981")).await?;
    /// println!("{} unsubscribed: {:?}", phone.phone, phone.unsubscribe_reason);
    /// # Ok(()) }
    /// ```
    pub async fn get_phone(&self, id: &PhoneId) -> Result<Phone, Error> {
        id.validate_at("id")?;
        Ok(call::run(self.raw().get_phone(id)).await?.value)
    }

    /// Changes an entry (`PUT /phones/{id}`): its number, columns and
    /// callback data become the ones in `entry`, and those left out are
    /// cleared (LOX24 has no partial update).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::{Column, PhoneEntry, PhoneId};
    ///
    /// let entry = PhoneEntry::new("+491701234567").column(Column::A, "Anna-Lena");
    /// client.update_phone(&PhoneId::new("981"), &entry).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_phone(&self, id: &PhoneId, entry: &PhoneEntry) -> Result<Phone, Error> {
        id.validate_at("id")?;
        let body = entry.to_wire()?;
        Ok(call::run(self.raw().update_phone(id, &body)).await?.value)
    }

    /// Deletes an entry (`DELETE /phones/{id}`).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// client.delete_phone(&lox24::PhoneId::new("981")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_phone(&self, id: &PhoneId) -> Result<(), Error> {
        id.validate_at("id")?;
        call::run(self.raw().delete_phone(id)).await?;
        Ok(())
    }

    /// Every entry of a group (`GET /groups/{id}/phones`), page after page
    /// when LOX24 pages the collection.
    ///
    /// The first page is read before this returns; see [`Listing`].
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let mut phones = client.list_group_phones(lox24::GroupId::new(7117)).await?;
    /// while let Some(phone) = phones.try_next().await? {
    ///     println!("{}", phone.phone);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_group_phones(&self, group: GroupId) -> Result<Listing<Phone>, Error> {
        group.validate_at("id")?;
        let first = Iri::new(format!("{}/phones", Iri::of(&group)));
        Listing::start(self, "list_group_phones", first).await
    }
}
