//! `lox24 config`: the profile, token and address in effect, where each
//! comes from, and where the configuration is kept. Sends nothing.

use clap::Args as ClapArgs;

use crate::{
    config::{
        dir::{CONFIG_DIR_VARIABLE, ConfigDir},
        profiles::Profiles,
        store,
    },
    context::{ApiArgs, OutputArgs},
    failure::{CliError, Exit},
    output::{ConfigView, Output, Setting, TokenSetting},
    settings::{Settings, Source, Stored, variable},
};

/// Each setting is taken from its option, else its environment variable,
/// else the profile, else the default.
#[derive(Debug, ClapArgs)]
pub struct Args {
    #[command(flatten)]
    pub api: ApiArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: Args, out: &Output) -> Result<Exit, CliError> {
    let dir = ConfigDir::locate()?;
    let profiles = Profiles::load(&dir.config_file())?;
    let mut exists = true;
    let mut store_name = None;
    let mut unreadable = None;
    let settings = Settings::resolve(args.api.flags(), variable, |profile, with_token| {
        let Some(found) = profiles.get(&profile.value) else {
            exists = false;
            return Ok(Stored::default());
        };
        let token = if with_token {
            store_name = found.token_store.map(|kind| kind.name());
            // Shown, not fatal: the rest of the settings still are.
            store::load(&dir, &profile.value, found).unwrap_or_else(|e| {
                unreadable = Some(e.to_string());
                None
            })
        } else {
            None
        };
        Ok(Stored {
            base_url: found.base_url.clone(),
            token,
        })
    })?;

    // Shown as requests would use it; an address that cannot be used is
    // shown redacted (it may hold a password) with the reason.
    let (base_url, base_url_problem) = match lox24::Client::check_base_url(&settings.base_url.value)
    {
        Ok(url) => (url, None),
        Err(lox24::ConfigError::InvalidBaseUrl { url, reason }) => (url, Some(reason.to_owned())),
        Err(other) => (String::new(), Some(other.to_string())),
    };
    let profile = settings.profile.value.clone();
    let token = settings.token.map(|token| TokenSetting {
        store: (token.source == Source::Profile).then(|| store_name.unwrap_or("file")),
        value: token.value.redacted(),
        source: describe(token.source, &profile),
    });
    out.show(&ConfigView {
        profile: Setting {
            value: profile.clone(),
            source: describe(settings.profile.source, &profile),
        },
        token,
        token_problem: unreadable,
        base_url: Setting {
            value: base_url,
            source: describe(settings.base_url.source, &profile),
        },
        base_url_problem,
        config_dir: Setting {
            value: dir.path().display().to_string(),
            source: if dir.chosen_by_variable() {
                CONFIG_DIR_VARIABLE.to_owned()
            } else {
                "default".to_owned()
            },
        },
        credentials_file: dir.credentials_file().display().to_string(),
        profiles: profiles.names().map(str::to_owned).collect(),
    })?;
    if !exists && settings.profile.source != Source::Default {
        out.note(format!(
            "note: there is no profile {profile:?} yet; `lox24 login --profile {profile}` \
             creates it"
        ));
    }
    Ok(Exit::Success)
}

/// `--token`, `LOX24_TOKEN`, `profile work`, `default`.
fn describe(source: Source, profile: &str) -> String {
    match source {
        Source::Profile => format!("profile {profile}"),
        other => other.to_string(),
    }
}
