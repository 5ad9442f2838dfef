//! Numbers the account never sends to (`/blocked_numbers`): blocked by
//! hand, or unsubscribed by their owner. Campaigns and single messages
//! skip them.

use futures_util::TryStreamExt;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{
    BlockedNumberId, Client, Error, JsonLdMeta, Listing, ValidationError, filters,
    generated::types, limits, limits::wire, number::PhonePolicy, transport::Operation,
};

crate::enums::coded_enum! {
    /// Why a number is blocked (`type`).
    BlockedKind {
        /// 1: blocked by the account.
        ByAccount = 1,
        /// 2: its owner unsubscribed.
        Unsubscribed = 2,
    }
}

/// A number the account never sends to.
///
/// ```
/// use lox24::{BlockedKind, BlockedNumber};
///
/// let blocked: BlockedNumber = serde_json::from_str(
///     r#"{"id": 31, "number": "+491701234567", "type": 2, "added_at": 1757849748}"#,
/// )?;
/// assert_eq!(blocked.kind, BlockedKind::Unsubscribed);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct BlockedNumber {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The entry's id.
    pub id: BlockedNumberId,
    /// The number, in E.164.
    pub number: String,
    /// Why it is blocked.
    #[serde(rename = "type")]
    pub kind: BlockedKind,
    /// Unix time at which it was blocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_at: Option<i64>,
}

impl BlockedNumber {
    /// An entry with these fields, e.g. for a mock's answer.
    pub fn new(id: BlockedNumberId, number: impl Into<String>, kind: BlockedKind) -> Self {
        Self {
            jsonld: JsonLdMeta::default(),
            id,
            number: number.into(),
            kind,
            added_at: None,
        }
    }
}

impl Client {
    /// The blocked numbers, page after page (`GET /blocked_numbers`); only
    /// those of one kind when `kind` is given.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    ///
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let opted_out = Some(lox24::BlockedKind::Unsubscribed);
    /// let numbers: Vec<_> = client.list_blocked_numbers(opted_out).await?.try_collect().await?;
    /// println!("{} numbers opted out", numbers.len());
    /// # Ok(()) }
    /// ```
    pub async fn list_blocked_numbers(
        &self,
        kind: Option<BlockedKind>,
    ) -> Result<Listing<BlockedNumber>, Error> {
        let parameters = kind
            .map(|k| vec![("type".to_owned(), k.code().to_string())])
            .unwrap_or_default();
        let first = filters::iri("/blocked_numbers", parameters);
        Listing::start(self, Operation::ListBlockedNumbers, first).await
    }

    /// Blocks a number (`POST /blocked_numbers`): nothing is sent to it
    /// any more. `0049…` is rewritten to E.164 first; digits without `+`
    /// or `00` are refused (no country is guessed). A number that is blocked already is
    /// [`Error::Conflict`] (LOX24's 409).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let blocked = client.block_number("+491701234567").await?;
    /// println!("blocked as {}", blocked.id);
    /// # Ok(()) }
    /// ```
    pub async fn block_number(&self, number: &str) -> Result<BlockedNumber, Error> {
        let body = blocked_number_write(number)?;
        Ok(self
            .transport
            .call(async |api| api.add_blocked_number(&body).await)
            .await?
            .value)
    }

    /// The entry of a number, if it is blocked (`GET /blocked_numbers?number=`).
    /// The number is rewritten to E.164 first, as [`Client::block_number`] does.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// if let Some(entry) = client.find_blocked_number("+491701234567").await? {
    ///     client.unblock_number(&entry.id).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn find_blocked_number(&self, number: &str) -> Result<Option<BlockedNumber>, Error> {
        let number = blocked_number_write(number)?.number.to_string();
        let first = filters::iri(
            "/blocked_numbers",
            vec![("number".to_owned(), number.clone())],
        );
        let mut found: Listing<BlockedNumber> =
            Listing::start(self, Operation::ListBlockedNumbers, first).await?;
        while let Some(entry) = found.try_next().await? {
            if entry.number == number {
                return Ok(Some(entry));
            }
        }
        Ok(None)
    }

    /// Reads a blocked number (`GET /blocked_numbers/{id}`).
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let blocked = client.get_blocked_number(&lox24::BlockedNumberId::new(31)).await?;
    /// println!("{} since {:?}", blocked.number, blocked.added_at);
    /// # Ok(()) }
    /// ```
    pub async fn get_blocked_number(&self, id: &BlockedNumberId) -> Result<BlockedNumber, Error> {
        id.validate_at("id")?;
        Ok(self
            .transport
            .call(async |api| api.get_blocked_number(id).await)
            .await?
            .value)
    }

    /// Unblocks a number (`DELETE /blocked_numbers/{id}`): messages reach it again.
    pub async fn unblock_number(&self, id: &BlockedNumberId) -> Result<(), Error> {
        id.validate_at("id")?;
        self.transport
            .call(async |api| api.delete_blocked_number(id).await)
            .await?;
        Ok(())
    }
}

/// The body of `POST /blocked_numbers`, the number rewritten to E.164.
fn blocked_number_write(number: &str) -> Result<types::BlockedNumberWrite, ValidationError> {
    let number = PhonePolicy::default().apply_at("number", number)?;
    Ok(types::BlockedNumberWrite {
        number: wire(&limits::blocked_number_write::NUMBER, &number)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_rewritten_then_checked() {
        let body = blocked_number_write("0049 170 1234567").unwrap();
        assert_eq!(body.number.as_str(), "+491701234567");
        assert_eq!(
            blocked_number_write("0170 1234567").unwrap_err().field(),
            "number"
        );
        assert_eq!(blocked_number_write("").unwrap_err().field(), "number");
    }
}
