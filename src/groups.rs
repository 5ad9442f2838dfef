//! Groups: mailing lists of phone numbers.

use chrono::{DateTime, FixedOffset};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    Client, CsvExport, Error, GroupId, Iri, JsonLdMeta, Listing, PhoneEntry, ValidationError,
    api::types,
    call, limits,
    validate::{wire, wire_opt},
};

/// One of the five extra columns of a group's entries.
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

/// A group to create.
///
/// ```
/// use lox24::{Column, NewGroup};
///
/// let group = NewGroup::new("My Clients")
///     .description("Best clients")
///     .column_name(Column::A, "prefix")
///     .column_name(Column::B, "name");
/// assert!(group.validate().is_ok());
/// assert_eq!(
///     NewGroup::new("").validate().unwrap_err().to_string(),
///     "`name` has 0 characters; LOX24 requires at least 1"
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct NewGroup {
    name: String,
    description: Option<String>,
    column_names: [Option<String>; 5],
    phones: Vec<PhoneEntry>,
}

impl NewGroup {
    /// A group with this name (1 to 50 characters).
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// A description (up to 255 characters).
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The label of an extra column (up to 50 characters).
    pub fn column_name(mut self, column: Column, name: impl Into<String>) -> Self {
        self.column_names[column.index()] = Some(name.into());
        self
    }

    /// Entries stored together with the group. For more than a few, create
    /// the group first and add them in batches, which report on each entry.
    pub fn phones(mut self, entries: impl IntoIterator<Item = PhoneEntry>) -> Self {
        self.phones.extend(entries);
        self
    }

    /// Checks every limit of the spec.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.to_wire().map(drop)
    }

    /// The request body, once every limit is checked.
    pub(crate) fn to_wire(&self) -> Result<types::GroupWrite, ValidationError> {
        use limits::group_write as rule;
        let column = |rule, i: usize| wire_opt(rule, self.column_names[i].as_deref());
        let phones = if self.phones.is_empty() {
            None
        } else {
            let entries = self.phones.iter().enumerate().map(|(i, entry)| {
                let wire = entry
                    .to_wire()
                    .map_err(|e| e.within(format!("phones.{i}")))?;
                Ok((i.to_string(), wire))
            });
            Some(entries.collect::<Result<_, ValidationError>>()?)
        };
        Ok(types::GroupWrite {
            name: wire(&rule::NAME, &self.name)?,
            description: wire_opt(&rule::DESCRIPTION, self.description.as_deref())?,
            name_a: column(&rule::NAME_A, 0)?,
            name_b: column(&rule::NAME_B, 1)?,
            name_c: column(&rule::NAME_C, 2)?,
            name_d: column(&rule::NAME_D, 3)?,
            name_e: column(&rule::NAME_E, 4)?,
            phones,
        })
    }
}

/// A group as LOX24 stores it.
///
/// Read from both the JSON and the JSON-LD answer; in the latter,
/// [`Group::jsonld`] holds the IRI.
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
    pub fn iri(&self) -> Iri {
        self.jsonld.id.clone().unwrap_or_else(|| Iri::of(&self.id))
    }

    /// The label of a column.
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

impl Client {
    /// Creates a group (`POST /groups`).
    ///
    /// The input is checked against the spec first; nothing is sent if it
    /// breaks a limit.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let group = client.create_group(&lox24::NewGroup::new("My Clients")).await?;
    /// println!("{} is {}", group.name, group.iri());
    /// # Ok(()) }
    /// ```
    pub async fn create_group(&self, group: &NewGroup) -> Result<Group, Error> {
        let body = group.to_wire()?;
        Ok(call::run(self.raw().create_group(&body)).await?.value)
    }
}

impl Client {
    /// Reads a group (`GET /groups/{id}`).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let group = client.get_group(lox24::GroupId::new(7117)).await?;
    /// println!("{} holds {} entries", group.name, group.count_items);
    /// # Ok(()) }
    /// ```
    pub async fn get_group(&self, id: GroupId) -> Result<Group, Error> {
        id.validate_at("id")?;
        Ok(call::run(self.raw().get_group(&id)).await?.value)
    }

    /// Changes a group (`PUT /groups/{id}`): its name, description and column
    /// labels become the ones in `group`, and those left out are cleared
    /// (LOX24 has no partial update).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::{Column, GroupId, NewGroup};
    ///
    /// let changed = NewGroup::new("Regular clients").column_name(Column::A, "first name");
    /// let group = client.update_group(GroupId::new(7117), &changed).await?;
    /// assert_eq!(group.name, "Regular clients");
    /// # Ok(()) }
    /// ```
    pub async fn update_group(&self, id: GroupId, group: &NewGroup) -> Result<Group, Error> {
        id.validate_at("id")?;
        let body = group.to_wire()?;
        Ok(call::run(self.raw().update_group(&id, &body)).await?.value)
    }

    /// Deletes a group and every entry in it (`DELETE /groups/{id}`).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// client.delete_group(lox24::GroupId::new(7117)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn delete_group(&self, id: GroupId) -> Result<(), Error> {
        id.validate_at("id")?;
        call::run(self.raw().delete_group(&id)).await?;
        Ok(())
    }

    /// Every group of the account (`GET /groups`), page after page.
    ///
    /// The first page is read before this returns; see [`Listing`].
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let groups: Vec<lox24::Group> = client.list_groups().await?.try_collect().await?;
    /// # Ok(()) }
    /// ```
    pub async fn list_groups(&self) -> Result<Listing<Group>, Error> {
        Listing::start(self, "list_groups", Iri::new("/groups")).await
    }

    /// A group's entries as a CSV file (`GET /groups/{id}/file/csv`),
    /// streamed as it arrives; see [`CsvExport`].
    ///
    /// The status is checked before this returns: an unknown group is
    /// [`Error::NotFound`] here, not in the stream.
    pub async fn export_group_csv(&self, id: GroupId) -> Result<CsvExport, Error> {
        id.validate_at("id")?;
        let answer = call::run(self.raw().export_group_csv(&id)).await?;
        Ok(CsvExport::new(answer.value, answer.request_id))
    }
}
