//! The account behind the credentials (`GET /me`): balance, currency, the
//! services it may use, and its groups.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Client, Error, Iri, JsonLdMeta};

/// The account behind the credentials.
///
/// ```
/// let account: lox24::Account = serde_json::from_str(
///     r#"{"id": 21911, "balance_amount": 12.5, "currency": "EUR",
///         "services": ["direct", "text2speech"], "groups": {"24512": "/groups/24512"}}"#,
/// )?;
/// assert_eq!(account.balance_amount, Some(12.5));
/// assert_eq!(account.groups["24512"].id::<lox24::GroupId>()?, lox24::GroupId::new(24512));
/// assert!(account.covers(12.5));
/// assert!(!account.covers(12.51));
/// assert!(account.may_use("text2speech"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct Account {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The customer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// The prepaid credit, or what is left of a postpaid credit line,
    /// before VAT, in [`Account::currency`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_amount: Option<f64>,
    /// The currency of the balance and of every price (`EUR` or `CHF`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Unix time of the balance's last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_changed_at: Option<i64>,
    /// The services the account may use (`direct`, `text2speech`,
    /// `economy`, `pro` …).
    #[serde(default)]
    pub services: Vec<String>,
    /// The account's groups: each group's id (as text, as LOX24 writes the
    /// keys) → its IRI ([`Iri::id`] reads the [`crate::GroupId`]).
    #[serde(default)]
    pub groups: BTreeMap<String, Iri>,
    /// Whether texts are deleted after sending by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_text_deleted: Option<bool>,
}

impl Account {
    /// Whether the balance covers `cost` (in the account's currency); an
    /// unknown balance covers nothing.
    pub fn covers(&self, cost: f64) -> bool {
        self.balance_amount.is_some_and(|balance| balance >= cost)
    }

    /// Whether the account may use `service`, as LOX24 names it.
    pub fn may_use(&self, service: &str) -> bool {
        self.services.iter().any(|s| s == service)
    }
}

impl Client {
    /// Reads the account behind the credentials (`GET /me`): its balance
    /// and currency, its services and groups.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// let account = client.account().await?;
    /// println!("{:?} {}", account.balance_amount, account.currency.as_deref().unwrap_or("EUR"));
    /// # Ok(()) }
    /// ```
    pub async fn account(&self) -> Result<Account, Error> {
        Ok(self
            .transport
            .call(async |api| api.get_account().await)
            .await?
            .value)
    }
}
