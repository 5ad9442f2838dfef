//! What every command shares: the global options, the client built from
//! them, and where output goes.

use clap::Args;
use futures_util::TryStreamExt;
use lox24::{BASE_URL_VARIABLE, Client, Credentials, DEFAULT_BASE_URL, Listing, TOKEN_VARIABLE};
use serde::de::DeserializeOwned;

use crate::{failure::CliError, output::Output};

/// Options of every command.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Credentials as `<customer id>:<API key>`. Prefer the LOX24_TOKEN
    /// variable: other users of this machine can read a command line.
    #[arg(
        long,
        global = true,
        env = TOKEN_VARIABLE,
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    token: Option<String>,

    /// The API's address (default https://api.lox24.eu). Plain http only
    /// for loopback hosts, such as `lox24 sandbox`.
    #[arg(long, global = true, env = BASE_URL_VARIABLE, value_name = "URL")]
    base_url: Option<String>,

    /// Print one JSON document on stdout instead of text, for scripts.
    #[arg(long, global = true)]
    json: bool,

    /// Print no progress and no notes on stderr (errors still are).
    #[arg(long, short, global = true)]
    quiet: bool,
}

/// The command's surroundings.
pub struct Context {
    token: Option<String>,
    base_url: Option<String>,
    pub out: Output,
}

impl Context {
    pub fn new(args: GlobalArgs) -> Self {
        Self {
            token: args.token,
            base_url: args.base_url,
            out: Output::new(args.json, args.quiet),
        }
    }

    /// The client for the configured credentials and base URL. Built on
    /// demand: `text check` and `sandbox` need no credentials.
    pub fn client(&self) -> Result<Client, CliError> {
        let token = self
            .token
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(CliError::missing_token)?;
        let credentials = Credentials::from_token(token.trim()).map_err(lox24::Error::from)?;
        Client::builder()
            .credentials(credentials)
            .base_url(self.base_url())
            .build()
            .map_err(CliError::from)
    }

    /// The base URL requests go to, as given.
    pub fn base_url(&self) -> &str {
        self.base_url
            .as_deref()
            .filter(|u| !u.is_empty())
            .unwrap_or(DEFAULT_BASE_URL)
    }
}

/// At most `limit` items of a listing (pages are requested as needed), the
/// collection's size when LOX24 said, and whether more items exist.
pub async fn take<T: DeserializeOwned + Send + 'static>(
    listing: Result<Listing<T>, lox24::Error>,
    limit: usize,
) -> Result<(Vec<T>, Option<u64>, bool), lox24::Error> {
    let mut listing = listing?;
    let total = listing.total_items();
    let mut items = Vec::new();
    while items.len() < limit {
        match listing.try_next().await? {
            Some(item) => items.push(item),
            None => return Ok((items, total, false)),
        }
    }
    let more = match total {
        Some(total) => total > items.len() as u64,
        // Without a total, one more item tells (at most one more page).
        None => listing.try_next().await?.is_some(),
    };
    Ok((items, total, more))
}
