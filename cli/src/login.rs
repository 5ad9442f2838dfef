//! `lox24 login` and `lox24 logout`: a profile's token, checked with LOX24
//! and stored, or removed.

use std::io::{self, BufRead, IsTerminal};

use clap::Args;
use lox24::{BASE_URL_VARIABLE, Client, ConfigError, DEFAULT_BASE_URL, TOKEN_VARIABLE};

use crate::{
    config::{
        dir::ConfigDir,
        keychain,
        profiles::{Profiles, StoreKind},
        store::{self, StoreChoice},
    },
    context::OutputArgs,
    failure::{CliError, Exit},
    output::{LoginView, LogoutView, Output},
    settings::{self, Source, variable},
    token::Token,
};

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The profile to store the token for (default: the LOX24_PROFILE
    /// variable, else `default`).
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,

    /// The API's address to check the token with, kept for the profile
    /// (default: the LOX24_BASE_URL variable, else the profile's, else
    /// https://api.lox24.eu).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,

    /// Where to keep the token (default: the LOX24_TOKEN_STORE variable,
    /// else auto).
    #[arg(long, value_enum, value_name = "STORE")]
    store: Option<StoreChoice>,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// The profile whose token to remove (default: the LOX24_PROFILE
    /// variable, else `default`).
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,

    #[command(flatten)]
    pub output: OutputArgs,
}

/// Asks for the token, checks it with one request and stores it. Nothing
/// is stored unless LOX24 accepted it.
pub async fn login(args: LoginArgs, out: &Output) -> Result<Exit, CliError> {
    let choice = StoreChoice::resolve(args.store)?;
    if choice == StoreChoice::Keychain {
        keychain::available().map_err(|e| {
            CliError::local(format!(
                "cannot keep the token in the keychain: {e}; nothing was sent"
            ))
            .hint("Keep it in a file readable only by you with --store file.")
        })?;
    }
    let profile = settings::profile(args.profile.as_deref())?;
    let dir = ConfigDir::locate()?;
    let mut profiles = Profiles::load(&dir.config_file())?;
    let known = profiles.get(&profile.value).cloned().unwrap_or_default();

    let token = read_token(&profile.value)?;
    let credentials = token.credentials().map_err(|e| {
        let reason = match &e {
            ConfigError::MalformedCredentials { reason } => (*reason).to_owned(),
            other => other.to_string(),
        };
        CliError::usage(format!(
            "the token is not `<customer id>:<API key>`: {reason}; nothing was sent or stored"
        ))
        .hint("Copy the token from the API settings of your LOX24 account and try again.")
    })?;
    let base_url = match settings::given_base_url(args.base_url.as_deref())? {
        Some(given) => given,
        None => settings::stored_or_default(known.base_url.clone()),
    };

    let client = Client::builder()
        .credentials(credentials.clone())
        .base_url(&base_url.value)
        .build()
        .map_err(CliError::from)?;
    // One request, the account's own (`GET /me`): it proves the token and
    // gives the balance to show.
    let account = client.account().await.map_err(|e| {
        let refused = matches!(e, lox24::Error::Unauthorized(_));
        let error = CliError::from(e).doing("log in");
        if refused {
            error.hint(
                "Nothing was stored. Copy the token again from the API settings of your LOX24 \
                 account and run `lox24 login` once more; more than three wrong tokens within a \
                 minute block this IP address for ten minutes.",
            )
        } else {
            error
        }
    })?;

    let stored = store::save(&dir, &profile.value, known.token_store, &token, choice)?;
    let entry = profiles.entry(&profile.value);
    entry.token_store = Some(stored.kind);
    if matches!(base_url.source, Source::Option(_) | Source::Variable(_)) {
        entry.base_url = Some(base_url.value.clone()).filter(|url| url != DEFAULT_BASE_URL);
    }
    profiles.save(&dir.config_file())?;

    out.show(&LoginView {
        profile: profile.value.clone(),
        customer_id: credentials.customer_id().to_owned(),
        base_url: base_url.value,
        token_store: stored.kind.name(),
        token_file: (stored.kind == StoreKind::File)
            .then(|| dir.credentials_file().display().to_string()),
        balance_amount: account.balance_amount,
        currency: account.currency,
    })?;
    if let Some(reason) = stored.fallback {
        out.note(format!(
            "note: {reason}; the token is in a file readable only by you instead"
        ));
    }
    if variable(TOKEN_VARIABLE)?.is_some() {
        out.note(format!(
            "note: {TOKEN_VARIABLE} is set, and commands use it rather than the stored token \
             until it is unset"
        ));
    }
    if variable(BASE_URL_VARIABLE)?.is_some() && args.base_url.is_none() {
        out.note(format!(
            "note: the profile keeps the address from {BASE_URL_VARIABLE}"
        ));
    }
    Ok(Exit::Success)
}

/// Removes the profile's stored token; sends nothing.
pub fn logout(args: LogoutArgs, out: &Output) -> Result<Exit, CliError> {
    let profile = settings::profile(args.profile.as_deref())?;
    let dir = ConfigDir::locate()?;
    let mut profiles = Profiles::load(&dir.config_file())?;
    let known = profiles.get(&profile.value).cloned().unwrap_or_default();
    let removed = store::remove(&dir, &profile.value, &known)?;
    if known.token_store.is_some() {
        profiles.entry(&profile.value).token_store = None;
        profiles.save(&dir.config_file())?;
    }
    out.show(&LogoutView {
        profile: profile.value,
        removed_from: removed.iter().map(|kind| kind.name()).collect(),
        token_file: removed
            .contains(&StoreKind::File)
            .then(|| dir.credentials_file().display().to_string()),
    })?;
    if variable(TOKEN_VARIABLE)?.is_some() {
        out.note(format!(
            "note: {TOKEN_VARIABLE} is still set, and commands go on using it"
        ));
    }
    Ok(Exit::Success)
}

/// The token: asked for on the terminal without echo, or read from the
/// first line of stdin when it is not a terminal (`lox24 login < file`).
fn read_token(profile: &str) -> Result<Token, CliError> {
    let stdin = io::stdin();
    let text = if stdin.is_terminal() {
        rpassword::prompt_password(format!(
            "Token for profile {profile:?} (<customer id>:<API key>; typing is not shown): "
        ))
        .map_err(|e| CliError::io("read the token from the terminal", e))?
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::io("read the token from standard input", e))?;
        line
    };
    Token::new(&text).ok_or_else(|| {
        CliError::usage("no token was given; nothing was sent or stored").hint(
            "Paste the token (`<customer id>:<API key>`, from the API settings of your LOX24 \
             account) when asked, or pipe it in: `lox24 login < token.txt`.",
        )
    })
}
