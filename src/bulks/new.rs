//! The campaign to create: sender, text, recipients and options, checked
//! before anything is sent.

use crate::{
    GroupId, ValidationError, ValidationProblem, generated::types, limits, limits::wire,
    outgoing::Outgoing,
};

/// A bulk campaign to create.
///
/// ```
/// use lox24::{GroupId, NewBulk, ServiceCode};
///
/// let bulk = NewBulk::new("MyShop", "Our sale starts today!")
///     .to_phones(["+491701234567", "+491701234568"])
///     .to_group(GroupId::new(7117))
///     .service(ServiceCode::Direct);
/// assert!(bulk.validate().is_ok());
///
/// let err = NewBulk::new("My-Shop!", "Hi").to_group(GroupId::new(1)).validate().unwrap_err();
/// assert_eq!(err.field(), "sender_id");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct NewBulk {
    outgoing: Outgoing,
    phones: Vec<String>,
    groups: Vec<GroupId>,
}

crate::outgoing::outgoing_builder!(NewBulk);

impl NewBulk {
    /// A campaign from `sender_id` (a number of up to 15 digits, optionally
    /// with `+`, or up to 11 ASCII letters, digits and spaces) with `text`
    /// (up to 1785 characters before placeholders are replaced). Add
    /// recipients with [`NewBulk::to_phones`] and/or [`NewBulk::to_groups`].
    pub fn new(sender_id: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            outgoing: Outgoing::new(sender_id.into(), text.into()),
            phones: Vec::new(),
            groups: Vec::new(),
        }
    }

    /// Adds a recipient number. E.164 such as `+491701234567` is preferred;
    /// `0049…` and, with a default country in [`NewBulk::phone_policy`],
    /// digits without `+` or `00` (`0170…`, `49170…` in DE) are rewritten
    /// to it.
    pub fn to_phone(mut self, phone: impl Into<String>) -> Self {
        self.phones.push(phone.into());
        self
    }

    /// Adds recipient numbers.
    pub fn to_phones<P: Into<String>>(mut self, phones: impl IntoIterator<Item = P>) -> Self {
        self.phones.extend(phones.into_iter().map(Into::into));
        self
    }

    /// Adds every entry of a group as recipients.
    pub fn to_group(mut self, group: GroupId) -> Self {
        self.groups.push(group);
        self
    }

    /// Adds every entry of these groups as recipients.
    pub fn to_groups(mut self, groups: impl IntoIterator<Item = GroupId>) -> Self {
        self.groups.extend(groups);
        self
    }

    /// Checks every limit of the spec, and that the delivery time is not past.
    ///
    /// ```
    /// use lox24::{NewBulk, number::{Country, PhonePolicy}};
    ///
    /// let bulk = NewBulk::new("Shop", "Hi").to_phone("0170 1234567");
    /// assert_eq!(bulk.validate().unwrap_err().field(), "phones[0]");
    /// let bulk = bulk.phone_policy(PhonePolicy::Normalize(Country::from_iso("DE").ok()));
    /// assert!(bulk.validate().is_ok()); // sent as +491701234567
    /// ```
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.to_wire().map(drop)
    }

    /// The text as sent, once checked: at most 1785 characters as written
    /// and, for an SMS, a final message of at most ten parts.
    fn checked_text(&self) -> Result<types::BulkWriteText, ValidationError> {
        self.outgoing.check_text()?;
        wire(&limits::bulk_write::TEXT, &self.outgoing.text)
    }

    /// The request body, once every limit is checked.
    pub(crate) fn to_wire(&self) -> Result<types::BulkWrite, ValidationError> {
        use limits::bulk_write as rule;
        let outgoing = &self.outgoing;
        outgoing.check_sender()?;
        let sender_id = wire(&rule::SENDER_ID, &outgoing.sender_id)?;
        let text = self.checked_text()?;
        if self.phones.is_empty() && self.groups.is_empty() {
            return Err(ValidationError::new(
                "recipients",
                ValidationProblem::Invalid {
                    reason:
                        "are missing: give phone numbers (`phones`), groups (`msg_groups`) or both"
                            .into(),
                },
            ));
        }
        let phones = self
            .phones
            .iter()
            .enumerate()
            .map(|(i, phone)| outgoing.recipient(&format!("phones[{i}]"), phone))
            .collect::<Result<Vec<_>, _>>()?;
        for (i, group) in self.groups.iter().enumerate() {
            group.validate_at(format!("msg_groups[{i}]"))?;
        }
        let delivery_at = outgoing.checked_delivery_at(&rule::DELIVERY_AT)?;
        Ok(types::BulkWrite {
            sender_id,
            text,
            phones: (!phones.is_empty()).then_some(phones),
            msg_groups: (!self.groups.is_empty()).then(|| self.groups.clone()),
            delivery_at,
            is_unicode: outgoing.encoding.is_unicode(),
            service_code: outgoing.service,
            voice_lang: outgoing.voice,
            is_text_deleted: outgoing.delete_text,
            source: outgoing.source,
        })
    }
}
