//! The customer id and API key, kept out of every printout.

use std::{fmt, str::FromStr};

use reqwest::header::HeaderValue;

use crate::error::ConfigError;

/// The environment variable read by [`Credentials::from_env`]: `<customer id>:<API key>`.
pub const TOKEN_VARIABLE: &str = "LOX24_TOKEN";

/// A LOX24 customer id and API key.
///
/// `Debug` shows the customer id only; there is no `Display`. Error messages
/// about malformed credentials never repeat them.
///
/// ```
/// use lox24::Credentials;
///
/// let from_parts = Credentials::new("1234567", "e3f3a759b6677959b6ebfcxxxxxxxxxx")?;
/// let from_token: Credentials = "1234567:e3f3a759b6677959b6ebfcxxxxxxxxxx".parse()?;
/// assert_eq!(from_parts, from_token);
/// assert_eq!(
///     format!("{from_token:?}"),
///     r#"Credentials { customer_id: "1234567", api_key: "<redacted>" }"#
/// );
/// # Ok::<(), lox24::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    customer_id: String,
    api_key: String,
}

impl Credentials {
    /// Credentials from a customer id (the number used to log in to the web
    /// account) and an API key (created there under settings → API).
    pub fn new(
        customer_id: impl Into<String>,
        api_key: impl Into<String>,
    ) -> Result<Self, ConfigError> {
        let (customer_id, api_key) = (customer_id.into(), api_key.into());
        let malformed = |reason| Err(ConfigError::MalformedCredentials { reason });
        if customer_id.is_empty() {
            return malformed("the customer id is empty");
        }
        if !customer_id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return malformed("the customer id may only contain letters and digits");
        }
        if api_key.is_empty() {
            return malformed("the API key is empty");
        }
        if !api_key.bytes().all(|b| b.is_ascii_graphic()) {
            return malformed(
                "the API key may only contain visible ASCII characters (no spaces or line breaks)",
            );
        }
        Ok(Self {
            customer_id,
            api_key,
        })
    }

    /// Credentials from a token `<customer id>:<API key>`, as LOX24 writes it.
    pub fn from_token(token: &str) -> Result<Self, ConfigError> {
        match token.trim().split_once(':') {
            Some((id, key)) => Self::new(id, key),
            None => Err(ConfigError::MalformedCredentials {
                reason: "expected `<customer id>:<API key>`",
            }),
        }
    }

    /// Credentials from the environment variable `LOX24_TOKEN`.
    pub fn from_env() -> Result<Self, ConfigError> {
        match std::env::var(TOKEN_VARIABLE) {
            Ok(token) if !token.trim().is_empty() => Self::from_token(&token),
            Ok(_) | Err(std::env::VarError::NotPresent) => Err(ConfigError::MissingCredentials {
                variable: TOKEN_VARIABLE,
            }),
            Err(std::env::VarError::NotUnicode(_)) => Err(ConfigError::MalformedCredentials {
                reason: "LOX24_TOKEN is not valid Unicode",
            }),
        }
    }

    /// The customer id.
    pub fn customer_id(&self) -> &str {
        &self.customer_id
    }

    /// Whether `token` is exactly these credentials' `<customer id>:<API key>`,
    /// as a server checks the `X-LOX24-AUTH-TOKEN` header it received (the
    /// offline sandbox does). The key is compared without stopping at the
    /// first differing byte, so that timing does not reveal it.
    ///
    /// ```
    /// let credentials = lox24::Credentials::new("1234567", "e3f3a759b6677959b6ebfcxxxxxxxxxx")?;
    /// assert!(credentials.matches_token(b"1234567:e3f3a759b6677959b6ebfcxxxxxxxxxx"));
    /// assert!(!credentials.matches_token(b"1234567:e3f3a759b6677959b6ebfcxxxxxxxxxy"));
    /// assert!(!credentials.matches_token(b"7654321:e3f3a759b6677959b6ebfcxxxxxxxxxx"));
    /// # Ok::<(), lox24::ConfigError>(())
    /// ```
    pub fn matches_token(&self, token: &[u8]) -> bool {
        let Some(colon) = token.iter().position(|&b| b == b':') else {
            return false;
        };
        let (id, key) = (&token[..colon], &token[colon + 1..]);
        let key_matches = key.len() == self.api_key.len()
            && key
                .iter()
                .zip(self.api_key.as_bytes())
                .fold(0u8, |differ, (a, b)| differ | (a ^ b))
                == 0;
        id == self.customer_id.as_bytes() && key_matches
    }

    /// The value of the `X-LOX24-AUTH-TOKEN` header, marked sensitive so that
    /// HTTP libraries leave it out of their own debug output.
    pub(crate) fn header_value(&self) -> HeaderValue {
        let mut value = HeaderValue::try_from(format!("{}:{}", self.customer_id, self.api_key))
            // Both parts were checked to be visible ASCII, which is always a valid header value.
            .unwrap_or_else(|_| HeaderValue::from_static(""));
        value.set_sensitive(true);
        value
    }
}

impl FromStr for Credentials {
    type Err = crate::Error;

    fn from_str(token: &str) -> Result<Self, Self::Err> {
        Ok(Self::from_token(token)?)
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("customer_id", &self.customer_id)
            .field("api_key", &"<redacted>")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "e3f3a759b6677959b6ebfc0123456789";

    #[test]
    fn token_and_parts_agree() {
        let a = Credentials::from_token(&format!("1234567:{KEY}")).unwrap();
        assert_eq!(a.customer_id(), "1234567");
        assert_eq!(a.header_value().to_str().unwrap(), format!("1234567:{KEY}"));
        assert!(a.header_value().is_sensitive());
    }

    #[test]
    fn malformed_tokens_never_echo_the_secret() {
        for token in [
            KEY.to_string(),
            format!(":{KEY}"),
            "1234567:".to_string(),
            format!("12 34:{KEY}"),
            format!("1234567:{KEY} x"),
        ] {
            let err = Credentials::from_token(&token).unwrap_err().to_string();
            assert!(err.starts_with("malformed LOX24 credentials"), "{err}");
            assert!(!err.contains(KEY) && !err.contains("1234567"), "{err}");
        }
    }
}
