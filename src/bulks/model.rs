//! A campaign as LOX24 stores it, and where it is in its life.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{BulkId, GroupId, Iri, JsonLdMeta, OrUnknown, ServiceCode, VoiceLanguage};

crate::enums::coded_enum! {
    /// Where a campaign is in its life.
    ///
    /// ```
    /// use lox24::BulkStatus;
    ///
    /// let view: lox24::Bulk =
    ///     serde_json::from_str(r#"{"uuid": "0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11", "status_code": 5}"#)?;
    /// let note = match view.status_code {
    ///     BulkStatus::New | BulkStatus::InProgress => "still sending",
    ///     BulkStatus::Processed => "done",
    ///     _ => "stopped",
    /// };
    /// assert_eq!(note, "still sending");
    /// assert_eq!(BulkStatus::from_code(201), BulkStatus::NoRecipients);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    BulkStatus {
        /// 0: created, not processed yet (e.g. scheduled).
        New = 0,
        /// 5: being processed.
        InProgress = 5,
        /// 10: processed; the messages were created.
        Processed = 10,
        /// 15: cancelled by the user.
        Cancelled = 15,
        /// 20: failed with a system error.
        SystemError = 20,
        /// 201: no recipients were found.
        NoRecipients = 201,
    }
}

impl BulkStatus {
    /// Whether the campaign has reached a state it will not leave
    /// (processed, cancelled, system error, no recipients).
    ///
    /// ```
    /// use lox24::BulkStatus;
    ///
    /// assert!(BulkStatus::NoRecipients.is_final());
    /// assert!(!BulkStatus::InProgress.is_final());
    /// ```
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Processed | Self::Cancelled | Self::SystemError | Self::NoRecipients
        )
    }

    /// Whether LOX24 still accepts a cancellation (new or in progress).
    ///
    /// ```
    /// use lox24::BulkStatus;
    ///
    /// assert!(BulkStatus::New.is_cancellable());
    /// assert!(!BulkStatus::Processed.is_cancellable());
    /// ```
    pub fn is_cancellable(self) -> bool {
        matches!(self, Self::New | Self::InProgress)
    }

    /// What the status means, in a few words.
    ///
    /// ```
    /// assert_eq!(lox24::BulkStatus::NoRecipients.describe(), "without recipients");
    /// ```
    pub fn describe(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::InProgress => "in progress",
            Self::Processed => "processed",
            Self::Cancelled => "cancelled",
            Self::SystemError => "failed with a system error",
            Self::NoRecipients => "without recipients",
            Self::Unknown(_) => "in a status this crate does not know",
        }
    }
}

/// The meaning and the code, e.g. `processed (10)`.
///
/// ```
/// assert_eq!(lox24::BulkStatus::InProgress.to_string(), "in progress (5)");
/// ```
impl fmt::Display for BulkStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.describe(), self.code())
    }
}

/// A bulk campaign as LOX24 stores it.
///
/// Only `uuid` and `status_code` are required when reading; everything else
/// may be missing from an answer (the status view leaves out the recipients
/// and the text).
///
/// ```
/// use lox24::BulkStatus;
///
/// // A status view (`GET /bulks/{id}/status`) of a finished campaign.
/// let bulk: lox24::Bulk = serde_json::from_str(
///     r#"{
///     "uuid": "0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11", "status_code": 10,
///     "delivery_at": 0, "msg_total_count": 2, "msg_total_cost": 0.15,
///     "created_at": 1764586800, "processed_at": 1764586803, "is_dryrun": false
/// }"#,
/// )?;
/// assert_eq!(bulk.status_code, BulkStatus::Processed);
/// assert_eq!(
///     (bulk.msg_total_count, bulk.msg_total_cost),
///     (Some(2), Some(0.15))
/// );
/// assert_eq!(bulk.text, None); // not in the status view
///
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Bulk {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The campaign's id.
    pub uuid: BulkId,
    /// Where the campaign is in its life.
    pub status_code: BulkStatus,
    /// Unix time at which sending starts (0: at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_at: Option<i64>,
    /// The sender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_id: Option<String>,
    /// The text (empty once deleted after sending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The recipient numbers given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phones: Option<Vec<String>>,
    /// The recipient groups given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_groups: Option<Vec<GroupId>>,
    /// How many messages the campaign created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_total_count: Option<u64>,
    /// What the messages cost, in the account's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_total_cost: Option<f64>,
    /// Unix time at which the campaign was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    /// Unix time of the last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processed_at: Option<i64>,
    /// The address the campaign was created from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The encoding asked for (`None`: decided by LOX24).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_unicode: Option<bool>,
    /// Whether this was a dry run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_dryrun: Option<bool>,
    /// The service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_code: Option<OrUnknown<ServiceCode>>,
    /// The id of the API key that created the campaign.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<u64>,
    /// The caller's number for itemised bills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<i64>,
    /// The language of text-to-speech calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_lang: Option<OrUnknown<VoiceLanguage>>,
    /// Whether the text was deleted after sending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_text_deleted: Option<bool>,
}

impl Bulk {
    /// A campaign with this id and status and nothing else, e.g. for a mock's answer.
    ///
    /// ```
    /// use lox24::{Bulk, BulkId, BulkStatus};
    ///
    /// let mut bulk = Bulk::new(BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11"), BulkStatus::New);
    /// bulk.msg_total_count = Some(2);
    /// assert_eq!(bulk.iri().as_str(), "/bulks/0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    /// ```
    pub fn new(uuid: BulkId, status_code: BulkStatus) -> Self {
        Self {
            jsonld: JsonLdMeta::default(),
            uuid,
            status_code,
            delivery_at: None,
            sender_id: None,
            text: None,
            phones: None,
            msg_groups: None,
            msg_total_count: None,
            msg_total_cost: None,
            created_at: None,
            processed_at: None,
            ip: None,
            is_unicode: None,
            is_dryrun: None,
            service_code: None,
            key_id: None,
            source: None,
            voice_lang: None,
            is_text_deleted: None,
        }
    }

    /// The campaign's IRI: the server's `@id` when the answer was JSON-LD,
    /// otherwise `/bulks/{uuid}`.
    ///
    /// ```
    /// let bulk: lox24::Bulk =
    ///     serde_json::from_str(r#"{"uuid": "0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11", "status_code": 0}"#)?;
    /// assert_eq!(
    ///     bulk.iri().as_str(),
    ///     "/bulks/0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11"
    /// );
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn iri(&self) -> Iri {
        self.jsonld
            .id
            .clone()
            .unwrap_or_else(|| Iri::of(&self.uuid))
    }
}
