//! Which profile, token and base URL a command uses, and where each came
//! from. For each: the command-line option, else the environment variable,
//! else the profile (`lox24 login` stored it), else the default.

use std::fmt;

use lox24::{BASE_URL_VARIABLE, DEFAULT_BASE_URL, TOKEN_VARIABLE};

use crate::{
    config::{DEFAULT_PROFILE, PROFILE_VARIABLE, check_profile_name},
    failure::CliError,
    token::Token,
};

/// The options given on the command line.
#[derive(Clone, Copy, Debug, Default)]
pub struct Flags<'a> {
    pub profile: Option<&'a str>,
    pub token: Option<&'a str>,
    pub base_url: Option<&'a str>,
}

/// Where a setting came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// A command-line option, such as `--token`.
    Option(&'static str),
    /// An environment variable, such as `LOX24_TOKEN`.
    Variable(&'static str),
    /// The profile's stored settings.
    Profile,
    /// Nothing chose it.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Option(name) | Self::Variable(name) => f.write_str(name),
            Self::Profile => f.write_str("profile"),
            Self::Default => f.write_str("default"),
        }
    }
}

/// A value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chosen<T> {
    pub value: T,
    pub source: Source,
}

/// What a profile has stored: read only when the options and the
/// environment leave something open.
#[derive(Debug, Default)]
pub struct Stored {
    pub base_url: Option<String>,
    pub token: Option<Token>,
}

/// The settings in effect.
#[derive(Debug)]
pub struct Settings {
    pub profile: Chosen<String>,
    pub token: Option<Chosen<Token>>,
    pub base_url: Chosen<String>,
}

/// The profile: `--profile`, else `LOX24_PROFILE`, else `default`.
pub fn profile(flag: Option<&str>) -> Result<Chosen<String>, CliError> {
    choose_profile(flag, variable)
}

fn choose_profile(
    flag: Option<&str>,
    variable: impl Fn(&'static str) -> Result<Option<String>, CliError>,
) -> Result<Chosen<String>, CliError> {
    let profile = match (flag, variable(PROFILE_VARIABLE)?) {
        (Some(name), _) => chosen(name.to_owned(), Source::Option("--profile")),
        (None, Some(name)) => chosen(name, Source::Variable(PROFILE_VARIABLE)),
        (None, None) => chosen(DEFAULT_PROFILE.to_owned(), Source::Default),
    };
    check_profile_name(&profile.value).map_err(|e| {
        CliError::usage(match profile.source {
            Source::Variable(name) => format!("{name}: {e}"),
            _ => e,
        })
    })?;
    Ok(profile)
}

/// The base URL given: `--base-url`, else `LOX24_BASE_URL`.
pub fn given_base_url(flag: Option<&str>) -> Result<Option<Chosen<String>>, CliError> {
    choose_base_url(flag, variable)
}

fn choose_base_url(
    flag: Option<&str>,
    variable: impl Fn(&'static str) -> Result<Option<String>, CliError>,
) -> Result<Option<Chosen<String>>, CliError> {
    Ok(match flag.filter(|u| !u.trim().is_empty()) {
        Some(url) => Some(chosen(url.trim().to_owned(), Source::Option("--base-url"))),
        None => variable(BASE_URL_VARIABLE)?
            .map(|url| chosen(url.trim().to_owned(), Source::Variable(BASE_URL_VARIABLE))),
    })
}

/// A stored base URL, else the default.
pub fn stored_or_default(url: Option<String>) -> Chosen<String> {
    match url {
        Some(url) => chosen(url, Source::Profile),
        None => chosen(DEFAULT_BASE_URL.to_owned(), Source::Default),
    }
}

impl Settings {
    /// Resolves the settings. `variable` reads the environment; `stored`
    /// reads the profile's settings, with its token only when asked to (a
    /// token given otherwise leaves the keychain alone).
    pub fn resolve(
        flags: Flags<'_>,
        variable: impl Fn(&'static str) -> Result<Option<String>, CliError>,
        stored: impl FnOnce(&Chosen<String>, bool) -> Result<Stored, CliError>,
    ) -> Result<Self, CliError> {
        let profile = choose_profile(flags.profile, &variable)?;
        let token = match flags.token.and_then(Token::new) {
            Some(token) => Some(chosen(token, Source::Option("--token"))),
            None => variable(TOKEN_VARIABLE)?
                .as_deref()
                .and_then(Token::new)
                .map(|token| chosen(token, Source::Variable(TOKEN_VARIABLE))),
        };
        let base_url = choose_base_url(flags.base_url, &variable)?;
        let stored = if token.is_none() || base_url.is_none() {
            stored(&profile, token.is_none())?
        } else {
            Stored::default()
        };
        let token = token.or_else(|| stored.token.map(|t| chosen(t, Source::Profile)));
        let base_url = base_url.unwrap_or_else(|| stored_or_default(stored.base_url));
        Ok(Self {
            profile,
            token,
            base_url,
        })
    }
}

fn chosen<T>(value: T, source: Source) -> Chosen<T> {
    Chosen { value, source }
}

/// A value unless it is blank: a blank variable counts as unset.
fn present(value: String) -> Option<String> {
    Some(value).filter(|v| !v.trim().is_empty())
}

/// An environment variable; unset and blank are the same.
pub fn variable(name: &'static str) -> Result<Option<String>, CliError> {
    match std::env::var(name) {
        Ok(value) => Ok(present(value)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(_)) => Err(CliError::usage(format!(
            "{name} is not valid Unicode; set it again or unset it"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    fn env<'a>(
        pairs: &'a [(&'static str, &'a str)],
    ) -> impl Fn(&'static str) -> Result<Option<String>, CliError> + 'a {
        move |name| {
            Ok(pairs
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, v)| present((*v).to_owned())))
        }
    }

    fn profile_store(
        reads: &Cell<u32>,
    ) -> impl FnOnce(&Chosen<String>, bool) -> Result<Stored, CliError> + '_ {
        move |profile, with_token| {
            let name = &profile.value;
            reads.set(reads.get() + 1);
            Ok(Stored {
                base_url: Some(format!("http://127.0.0.1:1/{name}")),
                token: with_token.then(|| Token::new(&format!("1:{name}-key")).expect("a token")),
            })
        }
    }

    #[test]
    fn an_option_beats_the_environment_which_beats_the_profile() {
        let reads = Cell::new(0);
        let flags = Flags {
            profile: Some("work"),
            token: Some("2:flag-key"),
            base_url: Some("http://127.0.0.1:2"),
        };
        let all = [
            (PROFILE_VARIABLE, "home"),
            (TOKEN_VARIABLE, "3:env-key"),
            (BASE_URL_VARIABLE, "http://127.0.0.1:3"),
        ];
        let settings = Settings::resolve(flags, env(&all), profile_store(&reads)).unwrap();
        assert_eq!(
            settings.profile,
            chosen("work".to_owned(), Source::Option("--profile"))
        );
        assert_eq!(
            settings.token,
            Some(chosen(
                Token::new("2:flag-key").unwrap(),
                Source::Option("--token")
            ))
        );
        assert_eq!(settings.base_url.source, Source::Option("--base-url"));
        assert_eq!(reads.get(), 0, "nothing stored was read");

        let settings =
            Settings::resolve(Flags::default(), env(&all), profile_store(&reads)).unwrap();
        assert_eq!(
            settings.profile,
            chosen("home".to_owned(), Source::Variable(PROFILE_VARIABLE))
        );
        assert_eq!(
            settings.token.unwrap().source,
            Source::Variable(TOKEN_VARIABLE)
        );
        assert_eq!(
            settings.base_url,
            chosen(
                "http://127.0.0.1:3".to_owned(),
                Source::Variable(BASE_URL_VARIABLE)
            )
        );
        assert_eq!(reads.get(), 0);

        // Only the base URL is given: the token is the profile's.
        let some = [(BASE_URL_VARIABLE, "http://127.0.0.1:3")];
        let settings =
            Settings::resolve(Flags::default(), env(&some), profile_store(&reads)).unwrap();
        assert_eq!(
            settings.profile,
            chosen("default".to_owned(), Source::Default)
        );
        assert_eq!(
            settings.token,
            Some(chosen(
                Token::new("1:default-key").unwrap(),
                Source::Profile
            ))
        );
        assert_eq!(
            settings.base_url.source,
            Source::Variable(BASE_URL_VARIABLE)
        );
        assert_eq!(reads.get(), 1);
    }

    #[test]
    fn blank_values_count_as_unset_and_the_default_address_comes_last() {
        let blank = [(TOKEN_VARIABLE, " "), (PROFILE_VARIABLE, "")];
        let settings = Settings::resolve(
            Flags {
                token: Some(""),
                ..Flags::default()
            },
            env(&blank),
            |_, _| Ok(Stored::default()),
        )
        .unwrap();
        assert_eq!(settings.token, None);
        assert_eq!(settings.profile.value, "default");
        assert_eq!(
            settings.base_url,
            chosen(DEFAULT_BASE_URL.to_owned(), Source::Default)
        );
    }

    #[test]
    fn a_bad_profile_name_is_refused_naming_where_it_came_from() {
        let bad = [(PROFILE_VARIABLE, "my work")];
        let error = Settings::resolve(Flags::default(), env(&bad), |_, _| Ok(Stored::default()))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "LOX24_PROFILE: \"my work\" is not a profile name; use 1 to 64 letters, digits, - \
             and _ (e.g. work)"
        );
    }
}
