//! Login, logout and the settings in effect.

use std::fmt::Write as _;

use serde::Serialize;

use super::{
    Render, Text, field,
    words::{CURRENCY, money_in},
};

/// What `lox24 login` stored.
#[derive(Serialize)]
pub struct LoginView {
    pub profile: String,
    pub customer_id: String,
    /// The address the token was checked with.
    pub base_url: String,
    /// `keychain` or `file`.
    pub token_store: &'static str,
    /// The file, when the token is in one.
    pub token_file: Option<String>,
    /// The account's balance and its currency, as LOX24 answered the check.
    pub balance_amount: Option<f64>,
    pub currency: Option<String>,
}

impl Render for LoginView {
    fn human(&self, out: &mut Text) {
        let _ = writeln!(
            out,
            "logged in to LOX24 as customer {}, profile {}",
            self.customer_id, self.profile
        );
        if let Some(balance) = self.balance_amount {
            let currency = self.currency.as_deref().unwrap_or(CURRENCY);
            field(out, "balance", money_in(balance, currency));
        }
        field(out, "address", &self.base_url);
        match &self.token_file {
            Some(file) => field(out, "token", format!("in {file} (readable only by you)")),
            None => field(out, "token", "in the OS keychain"),
        }
    }
}

/// What `lox24 logout` removed.
#[derive(Serialize)]
pub struct LogoutView {
    pub profile: String,
    /// `keychain` and/or `file`; empty when there was no token.
    pub removed_from: Vec<&'static str>,
    pub token_file: Option<String>,
}

impl Render for LogoutView {
    fn human(&self, out: &mut Text) {
        if self.removed_from.is_empty() {
            let _ = writeln!(
                out,
                "profile {} has no stored token: nothing to remove",
                self.profile
            );
            return;
        }
        let places: Vec<String> = self
            .removed_from
            .iter()
            .map(|place| match (*place, &self.token_file) {
                ("file", Some(file)) => file.clone(),
                _ => "the OS keychain".to_owned(),
            })
            .collect();
        let _ = writeln!(
            out,
            "logged out of profile {}: its token was removed from {}",
            self.profile,
            places.join(" and ")
        );
    }
}

/// The settings in effect, each with where it came from.
#[derive(Serialize)]
pub struct ConfigView {
    pub profile: Setting,
    /// The token, redacted (`4242:****`); none when no token is in effect.
    pub token: Option<TokenSetting>,
    /// Why the profile's stored token could not be read, when it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_problem: Option<String>,
    /// The address, as requests use it; redacted when it cannot be used.
    pub base_url: Setting,
    /// Why the address cannot be used, when it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url_problem: Option<String>,
    pub config_dir: Setting,
    pub credentials_file: String,
    /// The profiles `config.toml` has.
    pub profiles: Vec<String>,
}

/// A value and where it came from: an option (`--profile`), a variable
/// (`LOX24_PROFILE`), `profile NAME` or `default`.
#[derive(Serialize)]
pub struct Setting {
    pub value: String,
    pub source: String,
}

/// The token in effect, redacted.
#[derive(Serialize)]
pub struct TokenSetting {
    pub value: String,
    pub source: String,
    /// `keychain` or `file`, for a token stored with the profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<&'static str>,
}

impl Render for ConfigView {
    fn human(&self, out: &mut Text) {
        let from = |setting: &Setting| match setting.source.as_str() {
            "default" => format!("{} (default)", setting.value),
            source => format!("{} (from {source})", setting.value),
        };
        field(out, "profile", from(&self.profile));
        let token = match (&self.token, &self.token_problem) {
            (Some(token), _) => {
                let place = match token.store {
                    Some("keychain") => ", in the OS keychain".to_owned(),
                    Some(_) => format!(", in {}", self.credentials_file),
                    None => String::new(),
                };
                format!("{} (from {}{place})", token.value, token.source)
            }
            (None, Some(problem)) => format!("none: {problem}"),
            (None, None) => "none: run `lox24 login`, or set LOX24_TOKEN".to_owned(),
        };
        field(out, "token", token);
        match &self.base_url_problem {
            None => field(out, "address", from(&self.base_url)),
            Some(problem) => field(
                out,
                "address",
                format!("{} (not usable: {problem})", from(&self.base_url)),
            ),
        }
        field(out, "config dir", from(&self.config_dir));
        let profiles = if self.profiles.is_empty() {
            "none yet".to_owned()
        } else {
            self.profiles.join(", ")
        };
        field(out, "profiles", profiles);
    }
}
