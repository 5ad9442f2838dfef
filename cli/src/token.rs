//! The token `<customer id>:<API key>` while the tool holds it.

use std::fmt;

use lox24::{ConfigError, Credentials};

/// A token as given or stored. Its `Debug` hides the key and it has no
/// `Display`: the only ways out are [`Token::credentials`], [`Token::expose`]
/// (for a token store) and [`Token::redacted`].
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A token from text, trimmed; `None` when the text is blank.
    pub fn new(text: &str) -> Option<Self> {
        let text = text.trim();
        (!text.is_empty()).then(|| Self(text.to_owned()))
    }

    /// The credentials, once the token has the right form.
    pub fn credentials(&self) -> Result<Credentials, ConfigError> {
        Credentials::from_token(&self.0)
    }

    /// The token itself, for a token store to keep.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `4242:****`: the customer id, never any of the key.
    pub fn redacted(&self) -> String {
        match self.credentials() {
            Ok(credentials) => format!("{}:****", credentials.customer_id()),
            Err(_) => "**** (not `<customer id>:<API key>`)".to_owned(),
        }
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({})", self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_shows_nowhere() {
        let token = Token::new(" 4242:secret-key-123 \n").expect("a token");
        assert_eq!(token.expose(), "4242:secret-key-123");
        assert_eq!(token.redacted(), "4242:****");
        assert_eq!(format!("{token:?}"), "Token(4242:****)");
        let malformed = Token::new("secret-key-123").expect("a token");
        assert_eq!(
            format!("{malformed:?}"),
            "Token(**** (not `<customer id>:<API key>`))"
        );
        assert_eq!(Token::new(" \n"), None);
    }
}
