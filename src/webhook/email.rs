//! The data of the email-to-SMS events: `sms.email.parsing.success`,
//! `bulk.email.parsing.success` and their `.fail` counterparts.

use serde::{Deserialize, Serialize};

use crate::{BulkId, BulkStatus, SmsId};

/// The email LOX24 read (email to SMS, email to SMS bulk). Every field is
/// optional: an email may lack any of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Email {
    /// LOX24's id of the email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The sender's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The address it was sent to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The subject line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// `sms.email.parsing.success`: the messages an email became.
///
/// ```
/// use lox24::webhook::SmsFromEmail;
///
/// let parsed: SmsFromEmail = serde_json::from_str(
///     r#"{"email": {"id": "email-456", "subject": "SMS Request"},
///         "sms": [{"uuid": "f8a34ce6-ee9f-33ae-d8fc-747622ddd9fe", "to": "+4915123456789",
///                  "text": "Hello"}]}"#,
/// )?;
/// assert_eq!(parsed.email.subject.as_deref(), Some("SMS Request"));
/// assert_eq!(parsed.sms[0].uuid.as_str(), "f8a34ce6-ee9f-33ae-d8fc-747622ddd9fe");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SmsFromEmail {
    /// The email.
    #[serde(default)]
    pub email: Email,
    /// The messages created from it.
    #[serde(default)]
    pub sms: Vec<CreatedSms>,
}

/// A message created from an email.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreatedSms {
    /// The message's id, as [`Client::get_sms`](crate::Client::get_sms) takes it.
    pub uuid: SmsId,
    /// The recipient's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl CreatedSms {
    /// A message with this id and nothing else.
    pub fn new(uuid: SmsId) -> Self {
        Self {
            uuid,
            to: None,
            text: None,
        }
    }
}

/// `bulk.email.parsing.success`: the campaign an email became.
///
/// ```
/// use lox24::{BulkStatus, webhook::BulkFromEmail};
///
/// let parsed: BulkFromEmail = serde_json::from_str(
///     r#"{"email": {"id": "email-123"},
///         "bulk": {"id": "f8a34ce6-ee9f-33ae-d8fc-747622ddd9fe", "status": 10,
///                  "created_at": 1653378803}}"#,
/// )?;
/// assert_eq!(parsed.bulk.status, Some(BulkStatus::Processed));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BulkFromEmail {
    /// The email.
    #[serde(default)]
    pub email: Email,
    /// The campaign created from it.
    pub bulk: CreatedBulk,
}

impl BulkFromEmail {
    /// The campaign `bulk`, created from `email`.
    pub fn new(email: Email, bulk: CreatedBulk) -> Self {
        Self { email, bulk }
    }
}

/// A campaign created from an email.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CreatedBulk {
    /// The campaign's id, as [`Client::get_bulk`](crate::Client::get_bulk) takes it.
    pub id: BulkId,
    /// Its status when the event was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<BulkStatus>,
    /// Unix time of its creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
}

impl CreatedBulk {
    /// A campaign with this id and nothing else.
    pub fn new(id: BulkId) -> Self {
        Self {
            id,
            status: None,
            created_at: None,
        }
    }
}

/// `sms.email.parsing.fail` and `bulk.email.parsing.fail`: an email that
/// could not become messages or a campaign, and why.
///
/// ```
/// use lox24::webhook::EmailFailure;
///
/// let failure: EmailFailure = serde_json::from_str(
///     r#"{"email": {"id": "email-789"}, "field": "recipient",
///         "description": "Invalid phone number format"}"#,
/// )?;
/// assert_eq!(failure.field.as_deref(), Some("recipient"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EmailFailure {
    /// The email.
    #[serde(default)]
    pub email: Email,
    /// The part of the email that is wrong (e.g. `recipient`, `to`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}
