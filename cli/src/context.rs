//! What every command shares: the global options, the client built from
//! them, and where output goes.

use clap::Args;
use futures_util::TryStreamExt;
use lox24::{Client, Listing};
use serde::de::DeserializeOwned;

use crate::{
    config::{dir::ConfigDir, profiles::Profiles, store},
    failure::CliError,
    output::Output,
    settings::{Chosen, Flags, Settings, Source, Stored, variable},
};

/// How to reach LOX24: the options of the commands that send requests.
///
/// Global within their command group (`lox24 groups list --json` and
/// `lox24 groups --json list` both work), absent from the commands that
/// send nothing, so that each command's help lists only what applies. Each
/// setting is taken from its option, else its environment variable, else
/// the profile, else the default.
#[derive(Debug, Args)]
#[command(next_help_heading = "Connection")]
pub struct ApiArgs {
    /// The profile whose stored token and address to use (default: the
    /// LOX24_PROFILE variable, else `default`).
    #[arg(long, global = true, value_name = "NAME")]
    profile: Option<String>,

    /// Credentials as `<customer id>:<API key>`, for this command only
    /// (default: the LOX24_TOKEN variable, else the profile's). Prefer
    /// `lox24 login`: other users of this machine can read a command line.
    #[arg(long, global = true, value_name = "TOKEN")]
    token: Option<String>,

    /// The API's address (default: the LOX24_BASE_URL variable, else the
    /// profile's, else https://api.lox24.eu). Plain http only for loopback
    /// hosts, such as `lox24 sandbox`.
    #[arg(long, global = true, value_name = "URL")]
    base_url: Option<String>,
}

impl ApiArgs {
    pub fn flags(&self) -> Flags<'_> {
        Flags {
            profile: self.profile.as_deref(),
            token: self.token.as_deref(),
            base_url: self.base_url.as_deref(),
        }
    }
}

/// How results are printed: the options of every command that prints one.
#[derive(Clone, Debug, Default, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Print one JSON document on stdout instead of text, for scripts.
    #[arg(long, global = true)]
    json: bool,

    /// Print no progress and no notes on stderr (errors still are).
    #[arg(long, short, global = true)]
    quiet: bool,
}

impl OutputArgs {
    pub fn output(&self) -> Output {
        Output::new(self.json, self.quiet)
    }
}

/// The surroundings of a command that talks to LOX24.
pub struct Context {
    api: ApiArgs,
    pub out: Output,
}

impl Context {
    pub fn new(api: ApiArgs, output: &OutputArgs) -> Self {
        Self {
            api,
            out: output.output(),
        }
    }

    /// The profile, token and base URL in effect.
    pub fn settings(&self) -> Result<Settings, CliError> {
        Settings::resolve(self.api.flags(), variable, stored)
    }

    /// The client for the settings in effect.
    pub fn client(&self) -> Result<Client, CliError> {
        let settings = self.settings()?;
        let token = settings
            .token
            .ok_or_else(|| CliError::missing_token(&settings.profile.value))?;
        let credentials = token.value.credentials().map_err(|e| {
            let hint = match token.source {
                Source::Profile => format!(
                    "The token stored for profile {name:?} must be `<customer id>:<API key>`: \
                     store it again with `lox24 login --profile {name}`.",
                    name = settings.profile.value
                ),
                source => format!("The token from {source} must be `<customer id>:<API key>`."),
            };
            CliError::from(lox24::Error::from(e)).hint(hint)
        })?;
        Client::builder()
            .credentials(credentials)
            .base_url(&settings.base_url.value)
            .build()
            .map_err(CliError::from)
    }
}

/// What the profile has stored: its base URL, and its token when asked.
/// A profile chosen by name must exist.
fn stored(profile: &Chosen<String>, with_token: bool) -> Result<Stored, CliError> {
    let dir = ConfigDir::locate()?;
    let profiles = Profiles::load(&dir.config_file())?;
    let name = profile.value.as_str();
    let Some(found) = profiles.get(name) else {
        if profile.source == Source::Default {
            return Ok(Stored::default());
        }
        return Err(CliError::usage(format!(
            "there is no profile {name:?} (chosen with {}) in {}",
            profile.source,
            dir.config_file().display()
        ))
        .hint(format!(
            "`lox24 login --profile {name}` creates it; `lox24 config` lists the profiles there \
             are."
        )));
    };
    let token = if with_token {
        store::load(&dir, name, found)?
    } else {
        None
    };
    Ok(Stored {
        base_url: found.base_url.clone(),
        token,
    })
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
