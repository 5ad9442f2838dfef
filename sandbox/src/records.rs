//! The records of the resources beyond groups and campaigns: messages,
//! replies, blocked numbers, fraud checks and short-link campaigns.

use std::time::SystemTime;

use super::messages::Fate;

/// One message: sent alone (`POST /sms`) or created by a campaign.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SmsRec {
    pub(crate) uuid: String,
    /// Creation order, to break ties between messages of the same instant.
    pub(crate) seq: u64,
    /// The campaign that created it.
    pub(crate) bulk_id: Option<String>,
    /// In E.164 form.
    pub(crate) phone: String,
    pub(crate) sender_id: String,
    /// As sent: personalised for a campaign's recipient.
    pub(crate) text: String,
    pub(crate) callback_data: Option<String>,
    pub(crate) parts: u64,
    pub(crate) chars: u64,
    pub(crate) is_unicode: bool,
    /// What it costs, in millionths; 0 for a blocked number.
    pub(crate) price_micros: u64,
    pub(crate) service_code: String,
    pub(crate) voice_lang: Option<String>,
    pub(crate) is_text_deleted: bool,
    pub(crate) source: Option<i64>,
    pub(crate) key_id: u64,
    pub(crate) ip: String,
    /// As given: 0 means at once.
    pub(crate) delivery_at: i64,
    /// When it exists: a campaign's messages appear as the campaign is processed.
    pub(crate) created_at: SystemTime,
    /// When it is handed to the network.
    pub(crate) sent_at: SystemTime,
    /// When its final delivery report arrives.
    pub(crate) final_at: SystemTime,
    pub(crate) fate: Fate,
    /// The number was blocked when the message was created (status 208).
    pub(crate) blocked: bool,
    pub(crate) cancelled_at: Option<SystemTime>,
}

/// A message the account received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IncomingRec {
    pub(crate) uuid: String,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) text: String,
    /// The message it answers.
    pub(crate) msg_uuid: Option<String>,
    /// Listed from then on.
    pub(crate) received_at: SystemTime,
}

/// A number the account does not send to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BlockedRec {
    pub(crate) id: u64,
    pub(crate) number: String,
    /// 1 blocked by the account, 2 unsubscribed.
    pub(crate) kind: u8,
    pub(crate) added_at: SystemTime,
}

/// A fraud check; its status follows from the clock.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FraudRec {
    pub(crate) id: String,
    pub(crate) service_code: String,
    pub(crate) phone: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) ip: Option<String>,
    /// The address as given, echoed back.
    pub(crate) address: Option<serde_json::Value>,
    pub(crate) callback_data: Option<String>,
    pub(crate) created_at: SystemTime,
    /// When it is in progress (status 5) and done (10).
    pub(crate) started_at: SystemTime,
    pub(crate) done_at: SystemTime,
    /// From 0 (good) to 100, fixed by what was checked.
    pub(crate) risk_score: u8,
}

/// A short-link campaign (also the subscription and unsubscription links).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LinkCampaignRec {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) url: String,
    pub(crate) kind: u64,
    pub(crate) group_id: Option<u64>,
    pub(crate) created_at: SystemTime,
}
