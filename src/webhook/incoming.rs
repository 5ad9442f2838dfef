//! The data of `sms.incoming`: a message the account received.

use serde::{Deserialize, Deserializer, Serialize};

use crate::{JsonLdMeta, Reply, ReplyId, SmsId};

/// A message the account received: a reply to a message it sent, or a
/// message to one of its inbound numbers. The same message is listed by
/// [`Client::list_replies`](crate::Client::list_replies) as a [`Reply`]
/// (`From` converts).
///
/// ```
/// use lox24::webhook::IncomingSms;
///
/// let sms: IncomingSms = serde_json::from_str(
///     r#"{"id": "e7d23bd5-dd8e-22fd-c7eb-636511ccc8ed", "from": "+490987654321",
///         "to": "+1234567890", "text": "STOP", "received_at": 1653378703,
///         "msg_uuid": "a1b2c3d4-e5f6-7890-abcd-ef1234567890"}"#,
/// )?;
/// assert_eq!(sms.text.as_deref(), Some("STOP"));
/// assert_eq!(sms.msg_uuid.unwrap().as_str(), "a1b2c3d4-e5f6-7890-abcd-ef1234567890");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct IncomingSms {
    /// The received message's id.
    pub id: ReplyId,
    /// The sender's number.
    pub from: String,
    /// The number that received it (the account's).
    pub to: String,
    /// The text.
    #[serde(default)]
    pub text: Option<String>,
    /// The message this one replies to, when it is a reply (an empty text
    /// is read as none).
    #[serde(default, deserialize_with = "empty_as_none")]
    pub msg_uuid: Option<SmsId>,
    /// Unix time of its arrival.
    pub received_at: i64,
}

impl IncomingSms {
    /// A received message without text, not a reply.
    ///
    /// ```
    /// let mut sms = lox24::webhook::IncomingSms::new(
    ///     lox24::ReplyId::new("e7d23bd5-dd8e-22fd-c7eb-636511ccc8ed"),
    ///     "+491701234567", "+4915112345678", 1653378703);
    /// sms.text = Some("Yes".into());
    /// assert!(!sms.is_reply());
    /// ```
    pub fn new(
        id: ReplyId,
        from: impl Into<String>,
        to: impl Into<String>,
        received_at: i64,
    ) -> Self {
        Self {
            id,
            from: from.into(),
            to: to.into(),
            text: None,
            msg_uuid: None,
            received_at,
        }
    }

    /// Whether it replies to a message the account sent.
    pub fn is_reply(&self) -> bool {
        self.msg_uuid.is_some()
    }
}

impl From<IncomingSms> for Reply {
    fn from(sms: IncomingSms) -> Self {
        Reply {
            jsonld: JsonLdMeta::default(),
            uuid: sms.id,
            from: Some(sms.from),
            to: Some(sms.to),
            text: sms.text,
            msg_uuid: sms.msg_uuid,
            received_at: Some(sms.received_at),
        }
    }
}

fn empty_as_none<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<SmsId>, D::Error> {
    let id = Option::<SmsId>::deserialize(deserializer)?;
    Ok(id.filter(|id| !id.as_str().is_empty()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn incoming(msg_uuid: serde_json::Value) -> IncomingSms {
        serde_json::from_value(json!({"id": "e7d23bd5-dd8e-22fd-c7eb-636511ccc8ed",
            "from": "+491701234567", "to": "+4915112345678", "text": null,
            "received_at": 1653378703, "msg_uuid": msg_uuid}))
        .unwrap()
    }

    #[test]
    fn no_message_replied_to_reads_as_none() {
        assert_eq!(incoming(json!(null)).msg_uuid, None);
        assert_eq!(incoming(json!("")).msg_uuid, None);
        assert!(!incoming(json!("")).is_reply());
        assert!(incoming(json!("a1b2c3d4-e5f6-7890-abcd-ef1234567890")).is_reply());
    }

    #[test]
    fn it_becomes_the_reply_the_listing_returns() {
        let sms = incoming(json!("a1b2c3d4-e5f6-7890-abcd-ef1234567890"));
        let reply = Reply::from(sms.clone());
        assert_eq!(reply.uuid, sms.id);
        assert_eq!(reply.from.as_deref(), Some("+491701234567"));
        assert_eq!(reply.to.as_deref(), Some("+4915112345678"));
        assert_eq!(reply.text, None);
        assert_eq!(reply.msg_uuid, sms.msg_uuid);
        assert_eq!(reply.received_at, Some(1653378703));
    }
}
