//! The filters of the list of fraud checks (`GET /fraud-checks`).

use crate::{FraudCheckId, Iri, SortDirection, ValidationError, filters, transport::Operation};

use super::FraudCheckStatus;

/// Which fraud checks [`crate::Client::list_fraud_checks`] lists, newest
/// first unless [`FraudCheckQuery::oldest_first`]. The text filters match a
/// part of the value (`+49170` finds every check of a number starting so);
/// a blank one is refused before anything is sent.
///
/// ```
/// use lox24::{FraudCheckQuery, fraud::FraudCheckStatus};
///
/// let query = FraudCheckQuery::new()
///     .phone_containing("+49170")
///     .status(FraudCheckStatus::Done)
///     .callback_data_containing("signup-");
/// assert!(query.validate().is_ok());
/// assert_eq!(FraudCheckQuery::new().email_containing("").validate().unwrap_err().field(), "request_email.email");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct FraudCheckQuery {
    id: Option<FraudCheckId>,
    statuses: Vec<FraudCheckStatus>,
    phone: Option<String>,
    email: Option<String>,
    ip: Option<String>,
    callback_data: Option<String>,
    oldest_first: bool,
}

impl FraudCheckQuery {
    /// Every fraud check, newest first.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only the check with this id.
    pub fn id(mut self, id: &FraudCheckId) -> Self {
        self.id = Some(id.clone());
        self
    }

    /// Only checks in this status (several calls: in any of them).
    pub fn status(mut self, status: FraudCheckStatus) -> Self {
        self.statuses.push(status);
        self
    }

    /// Only checks of a phone number containing this.
    pub fn phone_containing(mut self, part: impl Into<String>) -> Self {
        self.phone = Some(part.into());
        self
    }

    /// Only checks of an email address containing this.
    pub fn email_containing(mut self, part: impl Into<String>) -> Self {
        self.email = Some(part.into());
        self
    }

    /// Only checks of an IP address containing this.
    pub fn ip_containing(mut self, part: impl Into<String>) -> Self {
        self.ip = Some(part.into());
        self
    }

    /// Only checks whose `callback_data` contains this.
    pub fn callback_data_containing(mut self, part: impl Into<String>) -> Self {
        self.callback_data = Some(part.into());
        self
    }

    /// Oldest first (`_order[created_at]=asc`).
    pub fn oldest_first(mut self) -> Self {
        self.oldest_first = true;
        self
    }

    /// Checks the id and the text filters before anything is sent.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.to_iri().map(drop)
    }

    /// The first page of the list.
    pub(crate) fn to_iri(&self) -> Result<Iri, ValidationError> {
        let mut out = Vec::new();
        if let Some(id) = &self.id {
            id.validate_at("id")?;
            out.push(("id".into(), id.to_string()));
        }
        let statuses: Vec<String> = self.statuses.iter().map(|s| s.code().to_string()).collect();
        filters::any_of("status_code", &statuses, &mut out);
        filters::text("request_phone.phone", self.phone.as_ref(), &mut out)?;
        filters::text("request_email.email", self.email.as_ref(), &mut out)?;
        filters::text("request_ip.ip", self.ip.as_ref(), &mut out)?;
        filters::text("callback_data", self.callback_data.as_ref(), &mut out)?;
        if self.oldest_first {
            out.push(("_order[created_at]".into(), SortDirection::Asc.to_string()));
        }
        Ok(filters::iri(&Operation::ListFraudChecks.path(&[]), out))
    }
}
