//! Where the configuration lives: `LOX24_CONFIG_DIR`, else the platform's
//! usual place (`~/.config/lox24` on Linux, `~/Library/Application
//! Support/eu.LOX24.lox24` on macOS, `%APPDATA%\LOX24\lox24\config` on
//! Windows).

use std::{
    ffi::OsString,
    path::{Path, PathBuf},
};

use crate::failure::CliError;

/// The variable that overrides the configuration directory.
pub const CONFIG_DIR_VARIABLE: &str = "LOX24_CONFIG_DIR";

/// The configuration directory, and whether it was chosen by
/// `LOX24_CONFIG_DIR`.
#[derive(Clone, Debug)]
pub struct ConfigDir {
    path: PathBuf,
    from_variable: bool,
}

impl ConfigDir {
    /// The directory given by `LOX24_CONFIG_DIR` (when set and not empty),
    /// else the platform's.
    pub fn locate() -> Result<Self, CliError> {
        Self::choose(std::env::var_os(CONFIG_DIR_VARIABLE), platform_dir)
    }

    fn choose(
        variable: Option<OsString>,
        platform: impl FnOnce() -> Option<PathBuf>,
    ) -> Result<Self, CliError> {
        if let Some(path) = variable.filter(|v| !v.is_empty()) {
            return Ok(Self {
                path: PathBuf::from(path),
                from_variable: true,
            });
        }
        match platform() {
            Some(path) => Ok(Self {
                path,
                from_variable: false,
            }),
            None => Err(CliError::usage(format!(
                "cannot tell where to keep the configuration: no home directory is known; set \
                 {CONFIG_DIR_VARIABLE} to a directory"
            ))),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn chosen_by_variable(&self) -> bool {
        self.from_variable
    }

    /// `config.toml`: the profiles.
    pub fn config_file(&self) -> PathBuf {
        self.path.join("config.toml")
    }

    /// `credentials.toml`: the tokens not kept in the keychain.
    pub fn credentials_file(&self) -> PathBuf {
        self.path.join("credentials.toml")
    }
}

fn platform_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("eu", "LOX24", "lox24").map(|d| d.config_dir().to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_wins_over_the_platform() {
        let dir = ConfigDir::choose(Some("/tmp/lox24-conf".into()), || {
            Some(PathBuf::from("/home/x/.config/lox24"))
        })
        .expect("a directory");
        assert_eq!(dir.path(), Path::new("/tmp/lox24-conf"));
        assert!(dir.chosen_by_variable());
        assert_eq!(
            dir.credentials_file(),
            Path::new("/tmp/lox24-conf/credentials.toml")
        );

        let dir = ConfigDir::choose(Some("".into()), || {
            Some(PathBuf::from("/home/x/.config/lox24"))
        })
        .expect("a directory");
        assert_eq!(
            dir.config_file(),
            Path::new("/home/x/.config/lox24/config.toml")
        );
        assert!(!dir.chosen_by_variable());

        let none = ConfigDir::choose(None, || None).unwrap_err();
        assert!(none.to_string().contains("set LOX24_CONFIG_DIR"), "{none}");
    }
}
