//! A single message as LOX24 stores it, where it is on its way, and what
//! the batch operations and click counts answer.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::{BulkId, Iri, JsonLdMeta, OrUnknown, ServiceCode, SmsId, VoiceLanguage};

crate::enums::coded_enum! {
    /// Where a message is on its way to the network (`status_code`).
    SmsStatus {
        /// 0: created, not handed to a network yet (e.g. scheduled).
        New = 0,
        /// 100: handed to the recipient's network.
        Sent = 100,
        /// 208: the number or its network is blocked.
        Blocked = 208,
        /// 400: not processed because of maintenance.
        Maintenance = 400,
        /// 410: stopped before it was handed to the network.
        Stopped = 410,
        /// 2000: a landline, which takes no SMS.
        Landline = 2000,
        /// 3000: not enough credit to send it.
        InsufficientFunds = 3000,
        /// 5000: no network serves the number.
        NoNetwork = 5000,
        /// 6000: cancelled through the API before it was handed to the network.
        Cancelled = 6000,
    }
}

impl SmsStatus {
    /// Whether the message will not move on: anything but new.
    pub fn is_final(self) -> bool {
        !matches!(self, Self::New)
    }

    /// Whether the message failed to reach a network (any final status but sent).
    pub fn is_failure(self) -> bool {
        self.is_final() && !matches!(self, Self::Sent)
    }

    /// What the status means, in a few words.
    ///
    /// ```
    /// assert_eq!(lox24::SmsStatus::Landline.describe(), "a landline");
    /// ```
    pub fn describe(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Sent => "handed to the network",
            Self::Blocked => "number or network blocked",
            Self::Maintenance => "not processed (maintenance)",
            Self::Stopped => "stopped before sending",
            Self::Landline => "a landline",
            Self::InsufficientFunds => "not enough credit",
            Self::NoNetwork => "no network for the number",
            Self::Cancelled => "cancelled",
            Self::Unknown(_) => "in a status this crate does not know",
        }
    }
}

/// The meaning and the code, e.g. `handed to the network (100)`.
impl fmt::Display for SmsStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.describe(), self.code())
    }
}

crate::enums::coded_enum! {
    /// What the recipient's network reported about a message (`dlr_code`,
    /// the delivery report).
    DlrCode {
        /// 0: no report yet.
        None = 0,
        /// 1: delivered to the phone.
        Delivered = 1,
        /// 2: held by the network until it can be delivered.
        Queued = 2,
        /// 4: on its way.
        EnRoute = 4,
        /// 8: expired undelivered (e.g. the phone was off for too long).
        Expired = 8,
        /// 16: rejected (an invalid number, or blocked by the network).
        Rejected = 16,
    }
}

impl DlrCode {
    /// Whether the report is the last there will be: delivered, expired
    /// or rejected.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Delivered | Self::Expired | Self::Rejected)
    }

    /// What the report says, in a few words.
    ///
    /// ```
    /// assert_eq!(lox24::DlrCode::Expired.describe(), "expired");
    /// ```
    pub fn describe(self) -> &'static str {
        match self {
            Self::None => "no report",
            Self::Delivered => "delivered",
            Self::Queued => "queued",
            Self::EnRoute => "en route",
            Self::Expired => "expired",
            Self::Rejected => "rejected",
            Self::Unknown(_) => "a report this crate does not know",
        }
    }
}

/// The meaning and the code, e.g. `delivered (1)`.
impl fmt::Display for DlrCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.describe(), self.code())
    }
}

/// A single message as LOX24 stores it: sent with [`crate::Client::send_sms`]
/// or created by a campaign.
///
/// Only `uuid` is required when reading.
///
/// ```
/// use lox24::{DlrCode, Sms, SmsStatus};
///
/// let sms: Sms = serde_json::from_str(
///     r#"{"uuid": "9fe26332-cdbe-11ee-8d61-7c10c91d54a5", "phone": "+491701234567",
///         "status_code": 100, "dlr_code": 1, "parts_count": 1, "price": 0.095,
///         "callback_data": "order-17", "bulk_id": null}"#,
/// )?;
/// assert_eq!(sms.status_code, Some(SmsStatus::Sent));
/// assert_eq!(sms.dlr_code, Some(DlrCode::Delivered));
/// assert_eq!(sms.callback_data.as_deref(), Some("order-17"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Sms {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The message's id.
    pub uuid: SmsId,
    /// The recipient's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// The sender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_id: Option<String>,
    /// The text (empty once deleted after sending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Where the message is on its way to the network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<SmsStatus>,
    /// What the network reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dlr_code: Option<DlrCode>,
    /// Whether the message was handed to the network.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_sent: Option<bool>,
    /// The campaign that created the message, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bulk_id: Option<BulkId>,
    /// The caller's text that delivery reports carry back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_data: Option<String>,
    /// How many parts the message was split into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parts_count: Option<u64>,
    /// How many characters the text counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chars_count: Option<u64>,
    /// What the message costs, in the account's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// Unix time at which sending starts (0: at once).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_at: Option<i64>,
    /// Unix time at which the message was handed to the network (0: not yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_sent_at: Option<i64>,
    /// Unix time at which the message was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    /// The ISO 3166-1 code of the recipient's country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso2: Option<String>,
    /// The encoding (`None`: decided by LOX24).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_unicode: Option<bool>,
    /// The service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_code: Option<OrUnknown<ServiceCode>>,
    /// The language of a text-to-speech call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice_lang: Option<OrUnknown<VoiceLanguage>>,
    /// Whether the text is deleted after sending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_text_deleted: Option<bool>,
    /// The caller's number for itemised bills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<i64>,
    /// The id of the API key that sent the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<u64>,
    /// The address the message was sent from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// The list of requests to the message's short link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests: Option<Iri>,
    /// The click count of the message's short link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clicks: Option<Iri>,
}

impl Sms {
    /// A message with this id and nothing else, e.g. for a mock's answer.
    ///
    /// ```
    /// let mut sms = lox24::Sms::new(lox24::SmsId::new("9fe26332-cdbe-11ee-8d61-7c10c91d54a5"));
    /// sms.status_code = Some(lox24::SmsStatus::New);
    /// assert_eq!(sms.iri().as_str(), "/sms/9fe26332-cdbe-11ee-8d61-7c10c91d54a5");
    /// ```
    pub fn new(uuid: SmsId) -> Self {
        Self {
            jsonld: JsonLdMeta::default(),
            uuid,
            phone: None,
            sender_id: None,
            text: None,
            status_code: None,
            dlr_code: None,
            is_sent: None,
            bulk_id: None,
            callback_data: None,
            parts_count: None,
            chars_count: None,
            price: None,
            delivery_at: None,
            gateway_sent_at: None,
            created_at: None,
            iso2: None,
            is_unicode: None,
            service_code: None,
            voice_lang: None,
            is_text_deleted: None,
            source: None,
            key_id: None,
            ip: None,
            requests: None,
            clicks: None,
        }
    }

    /// The message's IRI: the server's `@id` when the answer was JSON-LD,
    /// otherwise `/sms/{uuid}`.
    pub fn iri(&self) -> Iri {
        self.jsonld
            .id
            .clone()
            .unwrap_or_else(|| Iri::of(&self.uuid))
    }

    /// Whether the message has reached a state it will not leave: a final
    /// delivery report, or a final status other than sent (a sent message
    /// still waits for its report).
    pub fn is_settled(&self) -> bool {
        self.dlr_code.is_some_and(DlrCode::is_final)
            || self.status_code.is_some_and(SmsStatus::is_failure)
    }
}

/// How many messages a batch cancel or delete affected.
///
/// LOX24's document names the count `deleted_sms_count` for both; its own
/// PHP client reads `canceled_sms_count` after a cancel. Either is read.
///
/// ```
/// use lox24::sms::BatchCount;
///
/// let count: BatchCount = serde_json::from_str(r#"{"canceled_sms_count": 20}"#)?;
/// assert_eq!(count.count, 20);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[non_exhaustive]
pub struct BatchCount {
    /// How many messages were affected.
    #[serde(rename = "deleted_sms_count")]
    pub count: u64,
}

impl<'de> Deserialize<'de> for BatchCount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            deleted_sms_count: Option<u64>,
            canceled_sms_count: Option<u64>,
            cancelled_sms_count: Option<u64>,
        }
        let wire = Wire::deserialize(deserializer)?;
        wire.deleted_sms_count
            .or(wire.canceled_sms_count)
            .or(wire.cancelled_sms_count)
            .map(|count| Self { count })
            .ok_or_else(|| serde::de::Error::missing_field("deleted_sms_count"))
    }
}

/// The click count of a message's short link.
///
/// ```
/// let clicks: lox24::sms::SmsClicks = serde_json::from_str(
///     r#"{"uuid": "9fe26332-cdbe-11ee-8d61-7c10c91d54a5", "requests_count": 3}"#,
/// )?;
/// assert_eq!(clicks.requests_count, Some(3));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct SmsClicks {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The message's id.
    pub uuid: SmsId,
    /// How many requests were made to the message's short link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requests_count: Option<u64>,
    /// Unix time at which the message was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
}
