//! The group to create or to change.

use crate::{
    Column, PhoneEntry, ValidationError,
    generated::types,
    limits,
    limits::{wire, wire_opt},
};

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
        use limits::{Lines, check_controls, group_write as rule};
        // An empty name breaks the spec's minimum length, checked below.
        if !self.name.is_empty() {
            limits::check_not_blank(
                "name",
                &self.name,
                "a name needs at least one visible character",
            )?;
        }
        check_controls("name", &self.name, Lines::One)?;
        if let Some(description) = &self.description {
            check_controls("description", description, Lines::Many)?;
        }
        for (field, name) in ["name_a", "name_b", "name_c", "name_d", "name_e"]
            .into_iter()
            .zip(&self.column_names)
        {
            if let Some(name) = name {
                check_controls(field, name, Lines::One)?;
            }
        }
        let column = |rule, i: usize| wire_opt(rule, self.column_names[i].as_deref());
        let phones = if self.phones.is_empty() {
            None
        } else {
            let entries = self.phones.iter().enumerate().map(|(i, entry)| {
                entry
                    .validate()
                    .map_err(|e| e.within(format!("phones.{i}")))?;
                Ok((i.to_string(), entry.clone()))
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
