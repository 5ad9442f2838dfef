//! A group as LOX24 stores it, and the extra columns of its entries.

use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{GroupId, Iri, JsonLdMeta};

/// One of the five extra columns of a group's entries.
///
/// ```
/// use lox24::Column;
///
/// let group: lox24::Group =
///     serde_json::from_str(r#"{"id": 7, "name": "VIP", "name_a": "First name", "name_c": "City"}"#)?;
/// let labelled: Vec<Column> = Column::ALL
///     .into_iter()
///     .filter(|&column| group.column_name(column).is_some())
///     .collect();
/// assert_eq!(labelled, [Column::A, Column::C]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    /// Column `a`; `[Name colA]` in texts.
    A,
    /// Column `b`; `[Name colB]` in texts.
    B,
    /// Column `c`; `[Name colC]` in texts.
    C,
    /// Column `d`; `[Name colD]` in texts.
    D,
    /// Column `e`; `[Name colE]` in texts.
    E,
}

impl Column {
    /// All columns, in order.
    pub const ALL: [Column; 5] = [Column::A, Column::B, Column::C, Column::D, Column::E];

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}
/// A group as LOX24 stores it.
///
/// Read from both the JSON and the JSON-LD answer; in the latter,
/// [`Group::jsonld`] holds the IRI.
///
/// ```
/// let group: lox24::Group = serde_json::from_str(
///     r#"{
///     "id": 7117, "name": "Newsletter", "description": "Monthly offers",
///     "name_a": "First name", "name_b": null, "name_c": null, "name_d": null, "name_e": null,
///     "count_items": 1250, "deleted_at": "2026-12-31T23:00:00+00:00"
/// }"#,
/// )?;
/// assert_eq!(group.id, lox24::GroupId::new(7117));
/// assert_eq!(group.description.as_deref(), Some("Monthly offers"));
/// assert_eq!(group.count_items, 1250);
/// assert!(group.deleted_at.is_some()); // scheduled for deletion
///
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Group {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The group's id.
    pub id: GroupId,
    /// The name.
    pub name: String,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// The label of column `a`.
    #[serde(default)]
    pub name_a: Option<String>,
    /// The label of column `b`.
    #[serde(default)]
    pub name_b: Option<String>,
    /// The label of column `c`.
    #[serde(default)]
    pub name_c: Option<String>,
    /// The label of column `d`.
    #[serde(default)]
    pub name_d: Option<String>,
    /// The label of column `e`.
    #[serde(default)]
    pub name_e: Option<String>,
    /// How many entries the group holds.
    #[serde(default)]
    pub count_items: u64,
    /// When the group is going to be deleted, if it is scheduled for deletion.
    #[serde(default)]
    pub deleted_at: Option<DateTime<FixedOffset>>,
}

impl Group {
    /// A group with this id and name and nothing else, e.g. for a mock's answer.
    ///
    /// ```
    /// let mut group = lox24::Group::new(lox24::GroupId::new(7), "VIP");
    /// group.count_items = 3;
    /// assert_eq!(group.iri().as_str(), "/groups/7");
    /// ```
    pub fn new(id: GroupId, name: impl Into<String>) -> Self {
        Self {
            jsonld: JsonLdMeta::default(),
            id,
            name: name.into(),
            description: None,
            name_a: None,
            name_b: None,
            name_c: None,
            name_d: None,
            name_e: None,
            count_items: 0,
            deleted_at: None,
        }
    }

    /// The group's IRI: the server's `@id` when the answer was JSON-LD,
    /// otherwise `/groups/{id}`.
    ///
    /// ```
    /// let plain: lox24::Group = serde_json::from_str(r#"{"id": 7, "name": "VIP"}"#)?;
    /// assert_eq!(plain.iri().as_str(), "/groups/7");
    ///
    /// let linked: lox24::Group =
    ///     serde_json::from_str(r#"{"@id": "/v2/groups/7", "@type": "Group", "id": 7, "name": "VIP"}"#)?;
    /// assert_eq!(linked.iri().as_str(), "/v2/groups/7");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn iri(&self) -> Iri {
        self.jsonld.id.clone().unwrap_or_else(|| Iri::of(&self.id))
    }

    /// The label of a column.
    ///
    /// ```
    /// use lox24::Column;
    ///
    /// let group: lox24::Group =
    ///     serde_json::from_str(r#"{"id": 7, "name": "VIP", "name_a": "First name"}"#)?;
    /// assert_eq!(group.column_name(Column::A), Some("First name"));
    /// assert_eq!(group.column_name(Column::B), None);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn column_name(&self, column: Column) -> Option<&str> {
        let names = [
            &self.name_a,
            &self.name_b,
            &self.name_c,
            &self.name_d,
            &self.name_e,
        ];
        names[column.index()].as_deref()
    }
}
