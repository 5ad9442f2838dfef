//! Where a profile's token is kept: the OS keychain where there is one,
//! else `credentials.toml`; and reading, storing and removing it there.

use clap::ValueEnum;

use super::{
    dir::ConfigDir,
    keychain::{self, KeychainError},
    profiles::{Profile, StoreKind},
    token_file,
};
use crate::{failure::CliError, token::Token};

/// The variable that sets `lox24 login --store`'s default.
pub const STORE_VARIABLE: &str = "LOX24_TOKEN_STORE";

/// Where `lox24 login` should put the token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum StoreChoice {
    /// The OS keychain when it answers, else the file.
    #[default]
    Auto,
    /// The OS keychain, or fail.
    Keychain,
    /// credentials.toml in the configuration directory, readable only by you.
    File,
}

/// Where a token ended up.
pub struct Stored {
    pub kind: StoreKind,
    /// Why the keychain was passed over, when `auto` fell back to the file.
    pub fallback: Option<KeychainError>,
}

/// Stores the profile's token as chosen. A copy in the other store is
/// removed, so that exactly one place holds the profile's token.
pub fn save(
    dir: &ConfigDir,
    profile: &str,
    previous: Option<StoreKind>,
    token: &Token,
    choice: StoreChoice,
) -> Result<Stored, CliError> {
    let file = dir.credentials_file();
    let fallback = match choice {
        StoreChoice::File => None,
        StoreChoice::Keychain | StoreChoice::Auto => match keychain::write(profile, token) {
            Ok(()) => {
                token_file::remove(&file, profile)?;
                return Ok(Stored {
                    kind: StoreKind::Keychain,
                    fallback: None,
                });
            }
            Err(e) if choice == StoreChoice::Auto => Some(e),
            Err(e) => {
                return Err(CliError::local(format!("could not store the token: {e}"))
                    .hint("Store it in a file readable only by you with --store file."));
            }
        },
    };
    token_file::write(&file, profile, token)?;
    // The keychain is touched only when it was known to hold the token.
    if previous == Some(StoreKind::Keychain) && fallback.is_none() {
        let _ = keychain::remove(profile);
    }
    Ok(Stored {
        kind: StoreKind::File,
        fallback,
    })
}

/// The profile's stored token: from where `login` put it, or from the file
/// when the profile does not say.
pub fn load(dir: &ConfigDir, name: &str, profile: &Profile) -> Result<Option<Token>, CliError> {
    match profile.token_store {
        Some(StoreKind::Keychain) => keychain::read(name).map_err(|e| {
            CliError::local(format!(
                "could not read the token of profile {name:?} from the keychain: {e}"
            ))
            .hint(format!(
                "Unlock the keychain, or store the token in a file: `lox24 login --profile {name} \
                 --store file`. LOX24_TOKEN, when set, is used instead of the stored token."
            ))
        }),
        Some(StoreKind::File) | None => token_file::read(&dir.credentials_file(), name),
    }
}

/// Removes the profile's token from wherever it is; the places it was
/// removed from.
pub fn remove(dir: &ConfigDir, name: &str, profile: &Profile) -> Result<Vec<StoreKind>, CliError> {
    let mut removed = Vec::new();
    if token_file::remove(&dir.credentials_file(), name)? {
        removed.push(StoreKind::File);
    }
    if profile.token_store == Some(StoreKind::Keychain) {
        let gone = keychain::remove(name).map_err(|e| {
            CliError::local(format!(
                "could not remove the token of profile {name:?} from the keychain: {e}"
            ))
            .hint(
                "Unlock the keychain and log out again, or remove the entry `lox24` there by hand.",
            )
        })?;
        if gone {
            removed.push(StoreKind::Keychain);
        }
    }
    Ok(removed)
}

impl StoreChoice {
    /// `--store` when given, else `LOX24_TOKEN_STORE`, else `auto`.
    pub fn resolve(given: Option<Self>) -> Result<Self, CliError> {
        if let Some(choice) = given {
            return Ok(choice);
        }
        match std::env::var(STORE_VARIABLE) {
            Ok(value) if !value.trim().is_empty() => {
                Self::from_str(value.trim(), true).map_err(|_| {
                    CliError::usage(format!(
                        "{STORE_VARIABLE}={value:?} is not a token store; set it to auto, \
                         keychain or file"
                    ))
                })
            }
            _ => Ok(Self::Auto),
        }
    }
}
