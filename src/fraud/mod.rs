//! Fraud checks (`/fraud-checks`): LOX24 rates the risk of a phone number,
//! an email address, an IP address or a postal address. A check runs in
//! the background: read it again with [`crate::Client::get_fraud_check`],
//! or receive the `fraud-check.done` event ([`crate::webhook`]).

mod model;
mod new;
mod query;

pub use model::{
    AddressCheck, EmailCheck, FraudCheck, FraudCheckService, FraudCheckStatus, IpCheck, PhoneCheck,
};
pub use new::{NewFraudCheck, PostalAddress};
pub use query::FraudCheckQuery;

use crate::{Client, Error, FraudCheckId, Listing, transport::Operation};

impl Client {
    /// Creates a fraud check (`POST /fraud-checks`), after checking it
    /// ([`NewFraudCheck::validate`]). It is charged; its result comes
    /// later.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use lox24::{NewFraudCheck, fraud::FraudCheckService};
    ///
    /// let check = client
    ///     .create_fraud_check(&NewFraudCheck::new(FraudCheckService::Economy).phone("+491701234567"))
    ///     .await?;
    /// println!("check {} is {:?}", check.id, check.status_code);
    /// # Ok(()) }
    /// ```
    pub async fn create_fraud_check(&self, check: &NewFraudCheck) -> Result<FraudCheck, Error> {
        let body = check.to_wire()?;
        Ok(self
            .transport
            .call(async |api| api.create_fraud_check(&body).await)
            .await?
            .value)
    }

    /// Reads a fraud check (`GET /fraud-checks/{id}`), with its results once done.
    pub async fn get_fraud_check(&self, id: &FraudCheckId) -> Result<FraudCheck, Error> {
        id.validate_at("id")?;
        Ok(self
            .transport
            .call(async |api| api.get_fraud_check(id).await)
            .await?
            .value)
    }

    /// Deletes a fraud check (`DELETE /fraud-checks/{id}`).
    pub async fn delete_fraud_check(&self, id: &FraudCheckId) -> Result<(), Error> {
        id.validate_at("id")?;
        self.transport
            .call(async |api| api.delete_fraud_check(id).await)
            .await?;
        Ok(())
    }

    /// The account's fraud checks that `query` selects, page after page
    /// (`GET /fraud-checks`); the query is checked before anything is sent.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client) -> Result<(), lox24::Error> {
    /// use futures_util::TryStreamExt;
    /// use lox24::FraudCheckQuery;
    ///
    /// let mut checks = client
    ///     .list_fraud_checks(&FraudCheckQuery::new().phone_containing("+49170"))
    ///     .await?;
    /// while let Some(check) = checks.try_next().await? {
    ///     println!("{} {:?}", check.id, check.risk_score);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list_fraud_checks(
        &self,
        query: &FraudCheckQuery,
    ) -> Result<Listing<FraudCheck>, Error> {
        let first = query.to_iri()?;
        Listing::start(self, Operation::ListFraudChecks, first).await
    }
}
