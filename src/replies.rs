//! Messages the account received (`/incomings`): replies to messages it
//! sent, and messages to its inbound numbers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    Client, Error, Iri, JsonLdMeta, Listing, ReplyId, SmsId, SortDirection, ValidationError,
    filters, transport::Operation,
};

/// A message the account received.
///
/// ```
/// let reply: lox24::Reply = serde_json::from_str(
///     r#"{"uuid": "e7d23bd5-dd8e-22fd-c7eb-636511ccc8ed", "from": "+491701234567",
///         "to": "+4915112345678", "text": "STOP", "received_at": 1653378703,
///         "msg_uuid": "9fe26332-cdbe-11ee-8d61-7c10c91d54a5"}"#,
/// )?;
/// assert_eq!(reply.text.as_deref(), Some("STOP"));
/// assert_eq!(reply.msg_uuid.unwrap().as_str(), "9fe26332-cdbe-11ee-8d61-7c10c91d54a5");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Reply {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The received message's id.
    pub uuid: ReplyId,
    /// The sender's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The number that received it (the account's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// The text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The message this one replies to, when it is a reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_uuid: Option<SmsId>,
    /// Unix time of its arrival.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<i64>,
}

/// Which received messages to list.
///
/// ```
/// use lox24::{ReplyQuery, SmsId, SortDirection};
///
/// let query = ReplyQuery::new()
///     .replying_to(&SmsId::new("9fe26332-cdbe-11ee-8d61-7c10c91d54a5"))
///     .order_by_arrival(SortDirection::Asc);
/// assert!(query.validate().is_ok());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use]
pub struct ReplyQuery {
    from: Option<String>,
    to: Option<String>,
    replying_to: Option<SmsId>,
    text: Option<String>,
    order: Option<SortDirection>,
}

impl ReplyQuery {
    /// No filter: every received message, newest first.
    pub fn new() -> Self {
        Self::default()
    }

    /// Messages from this number.
    pub fn from(mut self, number: impl Into<String>) -> Self {
        self.from = Some(number.into());
        self
    }

    /// Messages to this number of the account's.
    pub fn to(mut self, number: impl Into<String>) -> Self {
        self.to = Some(number.into());
        self
    }

    /// Replies to this message.
    pub fn replying_to(mut self, sms: &SmsId) -> Self {
        self.replying_to = Some(sms.clone());
        self
    }

    /// Messages whose text contains this.
    pub fn text_containing(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    /// Sorts by time of arrival.
    pub fn order_by_arrival(mut self, direction: SortDirection) -> Self {
        self.order = Some(direction);
        self
    }

    /// Checks the message id and the text filters before anything is sent.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.to_iri().map(drop)
    }

    fn to_iri(&self) -> Result<Iri, ValidationError> {
        let mut out = Vec::new();
        filters::text("from", self.from.as_ref(), &mut out)?;
        filters::text("to", self.to.as_ref(), &mut out)?;
        filters::text("text", self.text.as_ref(), &mut out)?;
        if let Some(sms) = &self.replying_to {
            sms.validate_at("msg_uuid")?;
            out.push(("msg_uuid".into(), sms.to_string()));
        }
        if let Some(direction) = self.order {
            out.push(("_order[received_at]".into(), direction.to_string()));
        }
        Ok(filters::iri("/incomings", out))
    }
}

impl Client {
    /// The received messages that match `query`, page after page
    /// (`GET /incomings`).
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let mut replies = client.list_replies(&lox24::ReplyQuery::new()).await?;
    /// while let Some(reply) = replies.try_next().await? {
    ///     println!("{:?}: {:?}", reply.from, reply.text);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_replies(&self, query: &ReplyQuery) -> Result<Listing<Reply>, Error> {
        let first = query.to_iri()?;
        Listing::start(self, Operation::ListIncomings, first).await
    }

    /// Reads a received message (`GET /incomings/{uuid}`).
    pub async fn get_reply(&self, id: &ReplyId) -> Result<Reply, Error> {
        id.validate_at("uuid")?;
        Ok(self
            .transport
            .call(async |api| api.get_incoming(id).await)
            .await?
            .value)
    }

    /// Deletes a received message (`DELETE /incomings/{uuid}`).
    pub async fn delete_reply(&self, id: &ReplyId) -> Result<(), Error> {
        id.validate_at("uuid")?;
        self.transport
            .call(async |api| api.delete_incoming(id).await)
            .await?;
        Ok(())
    }
}
