//! The fraud check to create, checked before anything is sent.

use crate::{
    ValidationError, ValidationProblem,
    generated::types,
    limits,
    limits::{wire_at, wire_opt, wire_opt_at},
    number::PhonePolicy,
};

use super::FraudCheckService;

/// A fraud check to create: what to check (at least one of a phone
/// number, an email address, an IP address and a postal address) and how
/// thoroughly.
///
/// ```
/// use lox24::{NewFraudCheck, fraud::{FraudCheckService, PostalAddress}};
///
/// let check = NewFraudCheck::new(FraudCheckService::Pro)
///     .phone("+491701234567")
///     .email("anna@example.com")
///     .address(PostalAddress::new("DE", "Köln", "Domkloster").street_number("4"));
/// assert!(check.validate().is_ok());
///
/// let err = NewFraudCheck::new(FraudCheckService::Economy).validate().unwrap_err();
/// assert_eq!(err.field(), "subject");
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct NewFraudCheck {
    service: FraudCheckService,
    phone: Option<String>,
    email: Option<String>,
    ip: Option<String>,
    address: Option<PostalAddress>,
    callback_data: Option<String>,
}

/// A postal address to check.
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct PostalAddress {
    iso2: String,
    city: String,
    street_name: String,
    street_number: Option<String>,
    postcode: Option<String>,
}

impl PostalAddress {
    /// An address in the country `iso2` (ISO 3166-1, e.g. `DE`), in `city`, on `street_name`.
    pub fn new(
        iso2: impl Into<String>,
        city: impl Into<String>,
        street_name: impl Into<String>,
    ) -> Self {
        Self {
            iso2: iso2.into(),
            city: city.into(),
            street_name: street_name.into(),
            street_number: None,
            postcode: None,
        }
    }

    /// The house number.
    pub fn street_number(mut self, number: impl Into<String>) -> Self {
        self.street_number = Some(number.into());
        self
    }

    /// The postcode.
    pub fn postcode(mut self, postcode: impl Into<String>) -> Self {
        self.postcode = Some(postcode.into());
        self
    }

    fn to_wire(&self) -> Result<types::FraudCheckAddressWrite, ValidationError> {
        use limits::fraud_check_address_write as rule;
        let parts = [
            ("address.iso2", Some(&self.iso2)),
            ("address.city", Some(&self.city)),
            ("address.street_name", Some(&self.street_name)),
            ("address.street_number", self.street_number.as_ref()),
            ("address.postcode", self.postcode.as_ref()),
        ];
        for (field, value) in parts {
            if let Some(value) = value {
                limits::check_controls(field, value, limits::Lines::One)?;
            }
        }
        Ok(types::FraudCheckAddressWrite {
            iso2: wire_at(&rule::ISO2, "address.iso2", &self.iso2)?,
            city: Some(wire_at(&rule::CITY, "address.city", &self.city)?),
            street_name: Some(wire_at(
                &rule::STREET_NAME,
                "address.street_name",
                &self.street_name,
            )?),
            street_number: wire_opt_at(
                &rule::STREET_NUMBER,
                "address.street_number",
                self.street_number.as_deref(),
            )?,
            postcode: wire_opt_at(
                &rule::POSTCODE,
                "address.postcode",
                self.postcode.as_deref(),
            )?,
        })
    }
}

impl NewFraudCheck {
    /// A check of this thoroughness; add what to check.
    pub fn new(service: FraudCheckService) -> Self {
        Self {
            service,
            phone: None,
            email: None,
            ip: None,
            address: None,
            callback_data: None,
        }
    }

    /// Checks this phone number (international forms are rewritten to E.164).
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(phone.into());
        self
    }

    /// Checks this email address (6 to 500 characters).
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(email.into());
        self
    }

    /// Checks this IP address (v4 or v6).
    pub fn ip(mut self, ip: impl Into<String>) -> Self {
        self.ip = Some(ip.into());
        self
    }

    /// Checks this postal address.
    pub fn address(mut self, address: PostalAddress) -> Self {
        self.address = Some(address);
        self
    }

    /// Your text (at most 36 characters) that the `fraud-check.done` event
    /// carries back.
    pub fn callback_data(mut self, data: impl Into<String>) -> Self {
        self.callback_data = Some(data.into());
        self
    }

    /// Checks every limit of the spec, and that there is something to check.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.to_wire().map(drop)
    }

    /// The request body, once every limit is checked.
    pub(crate) fn to_wire(&self) -> Result<types::FraudCheckWrite, ValidationError> {
        use limits::fraud_check_write as rule;
        if self.phone.is_none()
            && self.email.is_none()
            && self.ip.is_none()
            && self.address.is_none()
        {
            return Err(ValidationError::new(
                "subject",
                ValidationProblem::Invalid {
                    reason: "is missing: give a phone number, an email address, an IP address \
                             or a postal address to check"
                        .into(),
                },
            ));
        }
        let one_line = [
            ("email", &self.email),
            ("ip", &self.ip),
            ("callback_data", &self.callback_data),
        ];
        for (field, value) in one_line {
            if let Some(value) = value {
                limits::check_controls(field, value, limits::Lines::One)?;
            }
        }
        let phone = match &self.phone {
            Some(phone) => {
                let number = PhonePolicy::default().apply_at("phone", phone)?;
                Some(wire_at(&rule::PHONE, "phone", &number)?)
            }
            None => None,
        };
        Ok(types::FraudCheckWrite {
            service_code: self.service,
            phone,
            email: wire_opt(&rule::EMAIL, self.email.as_deref())?,
            ip: wire_opt(&rule::IP, self.ip.as_deref())?,
            address: self
                .address
                .as_ref()
                .map(PostalAddress::to_wire)
                .transpose()?,
            callback_data: wire_opt(&rule::CALLBACK_DATA, self.callback_data.as_deref())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_in_every_field() {
        let check = || NewFraudCheck::new(FraudCheckService::Economy);
        let field = |c: NewFraudCheck| c.validate().unwrap_err().field().to_owned();
        assert_eq!(field(check().email("anna@example.com\r")), "email");
        assert_eq!(field(check().ip("10.0.0.1\0")), "ip");
        assert_eq!(
            field(check().phone("+491701234567").callback_data("a\tb")),
            "callback_data"
        );
        let address = PostalAddress::new("DE", "Köln", "Dom\nkloster");
        assert_eq!(field(check().address(address)), "address.street_name");
        let address = PostalAddress::new("DE", "Köln", "Domkloster").postcode("50667\u{1b}");
        assert_eq!(field(check().address(address)), "address.postcode");
    }
}
