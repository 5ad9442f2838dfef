//! `config.toml`: one table per profile, with its base URL and where
//! `lox24 login` put its token. The file holds no secret; people may edit it.
//!
//! ```toml
//! [profiles.default]
//! token_store = "keychain"
//!
//! [profiles.sandbox]
//! base_url = "http://127.0.0.1:8080"
//! token_store = "file"
//! ```

use std::{collections::BTreeMap, io, path::Path};

use serde::{Deserialize, Serialize};

use super::private_file;
use crate::failure::CliError;

/// Every profile, by name.
#[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profiles {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// What a profile says.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The API's address for this profile (default https://api.lox24.eu).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Where `lox24 login` stored the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_store: Option<StoreKind>,
}

/// A place for tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// The OS keychain.
    Keychain,
    /// `credentials.toml` in the configuration directory.
    File,
}

impl StoreKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Keychain => "keychain",
            Self::File => "file",
        }
    }
}

const HEADER: &str = "# lox24 profiles: `lox24 login --profile NAME` adds one, `lox24 config` shows \
                      what is in effect.\n# Tokens are not kept here: they are in the OS keychain \
                      or in credentials.toml.\n\n";

impl Profiles {
    /// Reads the file; no file means no profiles.
    pub fn load(path: &Path) -> Result<Self, CliError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(CliError::io(format!("read {}", path.display()), e)),
        };
        toml::from_str(&text).map_err(|e| {
            CliError::usage(format!(
                "{} is not a configuration this tool can read: {}",
                path.display(),
                e.message()
            ))
            .hint("Correct the file (`lox24 config` shows what it should hold), or delete it and log in again.")
        })
    }

    pub fn save(&self, path: &Path) -> Result<(), CliError> {
        let text = toml::to_string(self).map_err(|e| {
            CliError::io(
                format!("write {}", path.display()),
                io::Error::other(e.to_string()),
            )
        })?;
        private_file::write(path, &format!("{HEADER}{text}"))
            .map_err(|e| CliError::io(format!("write {}", path.display()), e))
    }

    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The profile of this name, made empty if it did not exist.
    pub fn entry(&mut self, name: &str) -> &mut Profile {
        self.profiles.entry(name.to_owned()).or_default()
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_it_writes_and_refuses_unknown_keys() {
        let dir = std::env::temp_dir().join(format!("lox24-profiles-{}", std::process::id()));
        let path = dir.join("config.toml");
        assert_eq!(Profiles::load(&path).unwrap(), Profiles::default());

        let mut profiles = Profiles::default();
        profiles.entry("work").token_store = Some(StoreKind::Keychain);
        profiles.entry("sandbox").base_url = Some("http://127.0.0.1:8080".to_owned());
        profiles.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# lox24 profiles"), "{text}");
        assert!(
            text.ends_with(
                "[profiles.sandbox]\nbase_url = \"http://127.0.0.1:8080\"\n\n\
                 [profiles.work]\ntoken_store = \"keychain\"\n"
            ),
            "{text}"
        );
        let read = Profiles::load(&path).unwrap();
        assert_eq!(read, profiles);
        assert_eq!(read.names().collect::<Vec<_>>(), ["sandbox", "work"]);

        std::fs::write(&path, "[profiles.work]\nbase-url = \"x\"\n").unwrap();
        let error = Profiles::load(&path).unwrap_err().to_string();
        assert!(
            error.contains("is not a configuration this tool can read"),
            "{error}"
        );
        assert!(error.contains("unknown field `base-url`"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
