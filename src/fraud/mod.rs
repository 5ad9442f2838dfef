//! Fraud checks (`/fraud-checks`): LOX24 rates the risk of a phone number,
//! an email address, an IP address or a postal address. A check runs in
//! the background: read it again with [`crate::Client::get_fraud_check`],
//! or receive the `fraud-check.done` event ([`crate::webhook`]).

mod model;
mod new;

pub use model::{
    AddressCheck, EmailCheck, FraudCheck, FraudCheckService, FraudCheckStatus, IpCheck, PhoneCheck,
};
pub use new::{NewFraudCheck, PostalAddress};

use crate::{Client, Error, FraudCheckId, Iri, Listing, transport::Operation};

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

    /// The account's fraud checks, page after page (`GET /fraud-checks`).
    pub async fn list_fraud_checks(&self) -> Result<Listing<FraudCheck>, Error> {
        let operation = Operation::ListFraudChecks;
        Listing::start(self, operation, Iri::new(operation.path(&[]))).await
    }
}
