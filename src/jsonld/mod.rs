//! JSON-LD and Hydra, as LOX24 (an API Platform service) writes them.
//!
//! With `Accept: application/ld+json`, every resource carries `@context`,
//! `@id` (its IRI, such as `/groups/42`) and `@type`, and lists come as Hydra
//! collections. Newer API Platform versions drop the `hydra:` prefix
//! (`member`, `totalItems`, `view`, `next`); both spellings are read, the
//! prefixed one is written.

pub(crate) mod listing;

pub use listing::{DEFAULT_MAX_LISTING_PAGES, Listing, PageLimit};

use std::{fmt, marker::PhantomData};

use schemars::JsonSchema;
use serde::{
    Deserialize, Deserializer, Serialize,
    de::{self, IgnoredAny, MapAccess, Visitor},
};

/// The JSON-LD keys of a resource; all absent in a plain JSON answer.
///
/// ```
/// let meta: lox24::JsonLdMeta = serde_json::from_str(
///     r#"{"@context": "/contexts/Group", "@id": "/groups/42", "@type": "Group"}"#,
/// )?;
/// assert_eq!(meta.id.unwrap().id::<lox24::GroupId>()?, lox24::GroupId::new(42));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct JsonLdMeta {
    /// `@context`: an IRI such as `/contexts/Group`, or an inline context.
    #[serde(rename = "@context", default, skip_serializing_if = "Option::is_none")]
    pub context: Option<serde_json::Value>,
    /// `@id`: the resource's IRI.
    #[serde(rename = "@id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Iri>,
    /// `@type`: the resource's type, such as `Group`.
    #[serde(rename = "@type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// An IRI naming a LOX24 resource or page, such as `/groups/42` or
/// `/groups?page=2`.
///
/// ```
/// use lox24::{GroupId, Iri};
///
/// let iri = Iri::new("/groups/42");
/// assert_eq!(iri.id::<GroupId>()?, GroupId::new(42));
/// assert_eq!(Iri::of(&GroupId::new(42)), iri);
/// assert!(iri.id::<lox24::BulkId>().is_err());
///
/// let page = Iri::new("https://api.lox24.eu/groups?page=2");
/// assert_eq!((page.path(), page.query()), ("/groups", Some("page=2")));
/// # Ok::<(), lox24::IriError>(())
/// ```
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct Iri(String);

/// An id that appears in IRIs as `/<collection>/<id>`.
///
/// Every id type of the crate is one; [`Iri::of`] and [`Iri::id`] use it.
///
/// ```
/// use lox24::{GroupId, Iri, ResourceId, SmsId};
///
/// assert_eq!(GroupId::COLLECTION, "groups");
/// assert_eq!(SmsId::COLLECTION, "sms");
/// assert_eq!(Iri::of(&GroupId::new(42)).as_str(), "/groups/42");
/// ```
pub trait ResourceId: Sized {
    /// The collection's path segment, e.g. `groups`.
    const COLLECTION: &'static str;
    /// Reads the id from its path segment.
    ///
    /// ```
    /// use lox24::{GroupId, ResourceId};
    ///
    /// assert_eq!(GroupId::from_segment("42"), Some(GroupId::new(42)));
    /// assert_eq!(GroupId::from_segment("vip"), None);
    /// ```
    fn from_segment(segment: &str) -> Option<Self>;
    /// Writes the id as a path segment.
    ///
    /// ```
    /// use lox24::{BulkId, ResourceId};
    ///
    /// let id = BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    /// assert_eq!(id.to_segment(), "0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    /// ```
    fn to_segment(&self) -> String;
}

/// An IRI that does not name a resource of the expected collection.
///
/// ```
/// use lox24::{GroupId, Iri};
///
/// let err = Iri::new("/phones/981").id::<GroupId>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     r#"the IRI "/phones/981" does not name a resource of /groups"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the IRI {iri:?} does not name a resource of /{collection}")]
pub struct IriError {
    iri: String,
    collection: &'static str,
}

impl Iri {
    /// An IRI from its text (relative, as LOX24 writes it, or absolute).
    ///
    /// ```
    /// use lox24::{GroupId, Iri};
    ///
    /// let iri = Iri::new("https://api.lox24.eu/groups/42");
    /// assert_eq!(iri.id::<GroupId>()?, GroupId::new(42));
    /// assert_eq!(Iri::new("/groups/42"), Iri::from("/groups/42"));
    /// # Ok::<(), lox24::IriError>(())
    /// ```
    pub fn new(iri: impl Into<String>) -> Self {
        Self(iri.into())
    }

    /// The IRI of a resource: `/groups/42` for group 42.
    ///
    /// ```
    /// use lox24::{Iri, SmsId};
    ///
    /// let sms = SmsId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    /// assert_eq!(
    ///     Iri::of(&sms).as_str(),
    ///     "/sms/0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11"
    /// );
    /// ```
    pub fn of<T: ResourceId>(id: &T) -> Self {
        Self(format!("/{}/{}", T::COLLECTION, id.to_segment()))
    }

    /// The IRI as written.
    ///
    /// ```
    /// let iri = lox24::Iri::new("https://api.lox24.eu/groups?page=2");
    /// assert_eq!(iri.as_str(), "https://api.lox24.eu/groups?page=2");
    /// assert_eq!(iri.to_string(), iri.as_str());
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path, without scheme, host, query or fragment.
    ///
    /// ```
    /// use lox24::Iri;
    ///
    /// assert_eq!(
    ///     Iri::new("https://api.lox24.eu/groups?page=2").path(),
    ///     "/groups"
    /// );
    /// assert_eq!(
    ///     Iri::new("/groups/7/phones?page=3").path(),
    ///     "/groups/7/phones"
    /// );
    /// ```
    pub fn path(&self) -> &str {
        let rest = match self.0.find("://") {
            Some(at) => {
                let after = &self.0[at + 3..];
                after.find('/').map_or("", |slash| &after[slash..])
            }
            None => &self.0,
        };
        rest.split(['?', '#']).next().unwrap_or_default()
    }

    /// The query string, without `?`, when there is one.
    ///
    /// ```
    /// use lox24::Iri;
    ///
    /// let page = Iri::new("/groups?itemsPerPage=50&page=3");
    /// assert_eq!(page.query(), Some("itemsPerPage=50&page=3"));
    /// assert_eq!(Iri::new("/groups/7").query(), None);
    /// ```
    pub fn query(&self) -> Option<&str> {
        let (_, query) = self.0.split_once('?')?;
        Some(query.split('#').next().unwrap_or_default())
    }

    /// The typed id in an IRI of the form `/<collection>/<id>`.
    ///
    /// ```
    /// use lox24::{GroupId, Iri, PhoneId};
    ///
    /// // A group entry as LOX24 sends it in JSON-LD.
    /// let entry: lox24::Phone =
    ///     serde_json::from_str(r#"{"@id": "/phones/981", "phone": "+491701234567"}"#)?;
    /// let iri = entry.iri.expect("a JSON-LD answer");
    /// assert_eq!(iri.id::<PhoneId>()?, PhoneId::new("981"));
    /// assert!(iri.id::<GroupId>().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn id<T: ResourceId>(&self) -> Result<T, IriError> {
        let error = || IriError {
            iri: self.0.clone(),
            collection: T::COLLECTION,
        };
        let mut segments = self.path().trim_matches('/').split('/');
        match (segments.next(), segments.next(), segments.next()) {
            (Some(collection), Some(id), None) if collection == T::COLLECTION => {
                T::from_segment(id).ok_or_else(error)
            }
            _ => Err(error()),
        }
    }
}

impl fmt::Display for Iri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Iri {
    fn from(iri: &str) -> Self {
        Self::new(iri)
    }
}

/// A page of a Hydra collection.
///
/// Reads `hydra:member` / `member`, `hydra:totalItems` / `totalItems` and
/// `hydra:view` / `view`; writes the prefixed keys. A plain JSON array (the
/// answer to `Accept: application/json`) reads as a page with these members
/// and no total or links, so one type reads a listing whatever form arrives.
///
/// ```
/// use lox24::{Group, HydraCollection};
///
/// let page: HydraCollection<Group> = serde_json::from_str(r#"{
///     "@id": "/groups", "@type": "hydra:Collection",
///     "member": [{"@id": "/groups/7", "id": 7, "name": "VIP"}],
///     "totalItems": 31,
///     "view": {"@id": "/groups?page=1", "next": "/groups?page=2"}
/// }"#)?;
/// assert_eq!(page.members[0].name, "VIP");
/// assert_eq!(page.total_items, Some(31));
/// assert_eq!(page.next().map(|iri| iri.as_str()), Some("/groups?page=2"));
///
/// let plain: HydraCollection<Group> = serde_json::from_str(r#"[{"id": 7, "name": "VIP"}]"#)?;
/// assert_eq!((plain.members.len(), plain.total_items, plain.next()), (1, None, None));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct HydraCollection<T> {
    /// The collection's own JSON-LD keys.
    #[serde(flatten)]
    pub meta: JsonLdMeta,
    /// The items on this page.
    #[serde(rename = "hydra:member", alias = "member")]
    pub members: Vec<T>,
    /// How many items the whole collection holds, when the server says.
    #[serde(
        rename = "hydra:totalItems",
        alias = "totalItems",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub total_items: Option<u64>,
    /// Links to the other pages, when the collection is paged.
    #[serde(
        rename = "hydra:view",
        alias = "view",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub view: Option<HydraView>,
}

impl<T> HydraCollection<T> {
    /// The next page, when there is one.
    ///
    /// ```
    /// use lox24::{Group, HydraCollection};
    ///
    /// let last: HydraCollection<Group> = serde_json::from_str(
    ///     r#"{
    ///     "hydra:member": [{"id": 31, "name": "Staff"}],
    ///     "hydra:totalItems": 31,
    ///     "hydra:view": {"@id": "/groups?page=4", "hydra:previous": "/groups?page=3"}
    /// }"#,
    /// )?;
    /// assert_eq!(last.next(), None);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn next(&self) -> Option<&Iri> {
        self.view.as_ref()?.next.as_ref()
    }
}

/// The paging links of a Hydra collection.
///
/// ```
/// let view: lox24::HydraView = serde_json::from_str(
///     r#"{
///     "@id": "/groups?page=2", "@type": "hydra:PartialCollectionView",
///     "hydra:first": "/groups?page=1", "hydra:last": "/groups?page=4",
///     "hydra:previous": "/groups?page=1", "hydra:next": "/groups?page=3"
/// }"#,
/// )?;
/// assert_eq!(view.next.unwrap().query(), Some("page=3"));
/// assert_eq!(view.last.unwrap().as_str(), "/groups?page=4");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HydraView {
    /// This page.
    #[serde(rename = "@id", default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Iri>,
    /// The first page.
    #[serde(
        rename = "hydra:first",
        alias = "first",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub first: Option<Iri>,
    /// The last page.
    #[serde(
        rename = "hydra:last",
        alias = "last",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last: Option<Iri>,
    /// The next page; absent on the last one.
    #[serde(
        rename = "hydra:next",
        alias = "next",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next: Option<Iri>,
    /// The previous page; absent on the first one.
    #[serde(
        rename = "hydra:previous",
        alias = "previous",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub previous: Option<Iri>,
}

/// Reads a plain JSON array or a Hydra collection (either key spelling) in
/// one pass without buffering; keys a page does not need are skipped.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for HydraCollection<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PageVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for PageVisitor<T> {
            type Value = HydraCollection<T>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON array or a Hydra collection")
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element()? {
                    members.push(item);
                }
                Ok(HydraCollection {
                    meta: JsonLdMeta::default(),
                    members,
                    total_items: None,
                    view: None,
                })
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut meta = JsonLdMeta::default();
                let (mut members, mut total_items, mut view) = (None, None, None);
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "hydra:member" | "member" => members = Some(map.next_value()?),
                        "hydra:totalItems" | "totalItems" => total_items = map.next_value()?,
                        "hydra:view" | "view" => view = map.next_value()?,
                        "@context" => meta.context = map.next_value()?,
                        "@id" => meta.id = map.next_value()?,
                        "@type" => meta.kind = map.next_value()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let members = members.ok_or_else(|| de::Error::missing_field("hydra:member"))?;
                Ok(HydraCollection {
                    meta,
                    members,
                    total_items,
                    view,
                })
            }
        }

        deserializer.deserialize_any(PageVisitor(PhantomData))
    }
}

/// A list that arrives either as a plain JSON array or as a Hydra collection
/// (depending on `Accept`): its items and, for a collection, the total.
pub(crate) fn deserialize_list<'de, D, T>(
    deserializer: D,
) -> Result<(Vec<T>, Option<u64>), D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let page = HydraCollection::deserialize(deserializer)?;
    Ok((page.members, page.total_items))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BulkId, GroupId};

    #[test]
    fn iri_paths_ignore_host_query_and_fragment() {
        for (text, path) in [
            ("/groups/42", "/groups/42"),
            ("https://api.lox24.eu/groups/42?x=1#f", "/groups/42"),
            ("http://localhost:8080", ""),
            ("/groups#top", "/groups"),
        ] {
            assert_eq!(Iri::new(text).path(), path, "{text}");
        }
    }

    #[test]
    fn ids_parse_only_from_their_collection() {
        assert_eq!(
            Iri::new("/groups/42/").id::<GroupId>(),
            Ok(GroupId::new(42))
        );
        assert!(Iri::new("/groups/42/phones").id::<GroupId>().is_err());
        assert!(Iri::new("/groups/abc").id::<GroupId>().is_err());
        assert!(Iri::new("/phones/42").id::<GroupId>().is_err());
        assert_eq!(
            Iri::new("/bulks/0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11").id::<BulkId>(),
            Ok(BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11"))
        );
    }

    #[test]
    fn a_paged_hydra_collection_exposes_its_links() {
        // API Platform's documented example of a paged collection.
        let page: HydraCollection<serde_json::Value> = serde_json::from_str(
            r#"{
                "@context": "/contexts/Book", "@id": "/books", "@type": "hydra:Collection",
                "hydra:member": [{"@id": "/books/1", "@type": "https://schema.org/Book", "name": "My awesome book"}],
                "hydra:totalItems": 50,
                "hydra:view": {
                    "@id": "/books?page=1", "@type": "hydra:PartialCollectionView",
                    "hydra:first": "/books?page=1", "hydra:last": "/books?page=2", "hydra:next": "/books?page=2"
                }
            }"#,
        )
        .unwrap();
        assert_eq!(page.meta.id, Some(Iri::new("/books")));
        assert_eq!((page.members.len(), page.total_items), (1, Some(50)));
        let view = page.view.as_ref().unwrap();
        assert_eq!(view.last, Some(Iri::new("/books?page=2")));
        assert_eq!(view.previous, None);
        assert_eq!(page.next().and_then(Iri::query), Some("page=2"));
        // Written back with the prefixed keys.
        let written = serde_json::to_value(&page).unwrap();
        assert_eq!(written["hydra:view"]["hydra:next"], "/books?page=2");
        assert_eq!(written["hydra:totalItems"], 50);
    }

    #[test]
    fn hydra_collections_read_both_spellings() {
        #[derive(Deserialize)]
        struct List(#[serde(deserialize_with = "deserialize_list")] (Vec<u32>, Option<u64>));
        let prefixed: List =
            serde_json::from_str(r#"{"@id":"/x","hydra:member":[1,2],"hydra:totalItems":2}"#)
                .unwrap();
        let bare: List = serde_json::from_str(r#"{"totalItems":2,"member":[1,2]}"#).unwrap();
        let plain: List = serde_json::from_str("[1,2]").unwrap();
        assert_eq!(prefixed.0, (vec![1, 2], Some(2)));
        assert_eq!(bare.0, (vec![1, 2], Some(2)));
        assert_eq!(plain.0, (vec![1, 2], None));
        assert!(serde_json::from_str::<List>(r#"{"totalItems":2}"#).is_err());
    }
}
