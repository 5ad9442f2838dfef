//! A fraud check as LOX24 stores it, and the results for each thing checked.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{FraudCheckId, JsonLdMeta, OrUnknown};

crate::enums::named_enum! {
    /// How thorough a fraud check is (`service_code`): `economy` gives a
    /// risk score only; `pro` and `direct` add the details behind it, and
    /// `direct` checks are handled first. The account's services
    /// ([`crate::Account::services`]) say which it may use.
    FraudCheckService ("service_code") {
        /// A risk score only.
        Economy = "economy",
        /// The score and its details.
        Pro = "pro",
        /// The score and its details, handled first.
        Direct = "direct",
    }
}

crate::enums::coded_enum! {
    /// Where a fraud check is (`status_code`).
    FraudCheckStatus {
        /// 0: new, not handled yet.
        New = 0,
        /// 5: being handled.
        InProgress = 5,
        /// 10: done; the results are in.
        Done = 10,
        /// 20: failed: not enough credit.
        InsufficientFunds = 20,
        /// 21: failed: invalid data.
        InvalidData = 21,
        /// 1000: failed: an unexpected error.
        Failed = 1000,
    }
}

impl FraudCheckStatus {
    /// Whether the check has finished, well or not.
    pub fn is_final(self) -> bool {
        !matches!(self, Self::New | Self::InProgress)
    }
}

/// The meaning and the code, e.g. `Done (10)`.
impl fmt::Display for FraudCheckStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?} ({})", self.code())
    }
}

/// A fraud check and, once done, its results.
///
/// ```
/// use lox24::{FraudCheck, fraud::FraudCheckStatus};
///
/// let check: FraudCheck = serde_json::from_str(
///     r#"{"id": "5c1f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2c", "service_code": "pro",
///         "status_code": 10, "risk_score": 12.5,
///         "request_phone": {"phone": "+491701234567", "is_valid": true, "number_type": "mobile"}}"#,
/// )?;
/// assert_eq!(check.status_code, Some(FraudCheckStatus::Done));
/// assert_eq!(check.request_phone.unwrap().is_valid, Some(true));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct FraudCheck {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The check's id.
    pub id: FraudCheckId,
    /// How thorough the check is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_code: Option<OrUnknown<FraudCheckService>>,
    /// Where the check is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<FraudCheckStatus>,
    /// The risk, from 0 (none) to 100 (fraud), once done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_score: Option<f64>,
    /// What the check costs, in the account's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// The caller's text that the `fraud-check.done` event carries back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_data: Option<String>,
    /// Unix time of its creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    /// Unix time of its last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
    /// The phone number checked, and what was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_phone: Option<PhoneCheck>,
    /// The email address checked, and what was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_email: Option<EmailCheck>,
    /// The IP address checked, and what was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_ip: Option<IpCheck>,
    /// The postal address checked, and what was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_address: Option<AddressCheck>,
}

/// A phone number checked, and what was found.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct PhoneCheck {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Whether the number is in use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_valid: Option<bool>,
    /// Whether the number could exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_possible: Option<bool>,
    /// The kind of number (`mobile`, `fixed_line` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_type: Option<String>,
    /// The ISO 3166-1 code of its country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// LOX24's status of this part of the check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<FraudCheckStatus>,
    /// Unix time at which this part of the check was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    /// Unix time of this part's last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
}

/// An email address checked, and what was found.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct EmailCheck {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Whether the address could exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_possible: Option<bool>,
    /// Whether it belongs to a service that hides its owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_anonymous: Option<bool>,
    /// LOX24's status of this part of the check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<FraudCheckStatus>,
    /// Unix time at which this part of the check was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    /// Unix time of this part's last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
}

/// An IP address checked, and what was found.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct IpCheck {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// Whether the check of the address succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_ok: Option<bool>,
    /// The risk of the address's provider, from 0 to 100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isp_risk_score: Option<f64>,
    /// The provider's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isp_name: Option<String>,
    /// The kind of connection (`dsl`, `cable`, `wireless` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_type: Option<String>,
    /// The kind of proxy, when the address is one (`VPN`, `TOR`, `DCH`,
    /// `PUB`, `WEB`, `SES`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_type: Option<String>,
    /// The ISO 3166-1 code of its country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso2: Option<String>,
    /// Its region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Its city.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Its postcode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// Its latitude and longitude.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub geolocation: Vec<f64>,
    /// LOX24's status of this part of the check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<FraudCheckStatus>,
    /// Unix time at which this part of the check was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    /// Unix time of this part's last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
}

/// A postal address checked, and what was found.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct AddressCheck {
    /// `@context`, `@id` and `@type`, when the answer was JSON-LD.
    #[serde(flatten)]
    pub jsonld: JsonLdMeta,
    /// The ISO 3166-1 code of its country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso2: Option<String>,
    /// The city.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// The postcode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// The street.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_name: Option<String>,
    /// The house number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_number: Option<String>,
    /// LOX24's status of this part of the check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<FraudCheckStatus>,
    /// Unix time at which this part of the check was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    /// Unix time of this part's last change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<i64>,
}
