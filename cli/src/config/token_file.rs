//! `credentials.toml`: the tokens of the profiles whose token is not in
//! the OS keychain, one table per profile, in a file only the user can read.

use std::{collections::BTreeMap, io, path::Path};

use serde::{Deserialize, Serialize};

use super::private_file;
use crate::{failure::CliError, token::Token};

#[derive(Default, Serialize, Deserialize)]
struct Tokens(BTreeMap<String, Entry>);

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    token: String,
}

const HEADER: &str = "# lox24 tokens, one per profile, written by `lox24 login`. Keep this file \
                      readable only by you.\n\n";

/// The profile's token, if the file has one.
pub fn read(path: &Path, profile: &str) -> Result<Option<Token>, CliError> {
    Ok(load(path)?
        .0
        .get(profile)
        .and_then(|entry| Token::new(&entry.token)))
}

/// Stores the profile's token, replacing the one it had.
pub fn write(path: &Path, profile: &str, token: &Token) -> Result<(), CliError> {
    let mut tokens = load(path)?;
    tokens.0.insert(
        profile.to_owned(),
        Entry {
            token: token.expose().to_owned(),
        },
    );
    save(path, &tokens)
}

/// Removes the profile's token; whether there was one.
pub fn remove(path: &Path, profile: &str) -> Result<bool, CliError> {
    let mut tokens = load(path)?;
    if tokens.0.remove(profile).is_none() {
        return Ok(false);
    }
    save(path, &tokens)?;
    Ok(true)
}

fn load(path: &Path) -> Result<Tokens, CliError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Tokens::default()),
        Err(e) => return Err(CliError::io(format!("read {}", path.display()), e)),
    };
    // The parser's message may quote the line, and with it a token.
    toml::from_str(&text).map_err(|_| {
        CliError::usage(format!(
            "{} is not a token file this tool can read",
            path.display()
        ))
        .hint("Delete it and run `lox24 login` again.")
    })
}

fn save(path: &Path, tokens: &Tokens) -> Result<(), CliError> {
    let failed = |e: io::Error| CliError::io(format!("write {}", path.display()), e);
    let text = toml::to_string(tokens).map_err(|e| failed(io::Error::other(e.to_string())))?;
    private_file::write(path, &format!("{HEADER}{text}")).map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_one_token_per_profile() {
        let dir = std::env::temp_dir().join(format!("lox24-tokens-{}", std::process::id()));
        let path = dir.join("credentials.toml");
        let work = Token::new("4242:work-key").unwrap();
        let home = Token::new("77:home-key").unwrap();
        assert_eq!(read(&path, "work").unwrap(), None);
        write(&path, "work", &work).unwrap();
        write(&path, "home", &home).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!(
                "{HEADER}[home]\ntoken = \"77:home-key\"\n\n[work]\ntoken = \"4242:work-key\"\n"
            )
        );
        assert_eq!(read(&path, "work").unwrap(), Some(work));
        assert!(remove(&path, "work").unwrap());
        assert!(!remove(&path, "work").unwrap());
        assert_eq!(read(&path, "work").unwrap(), None);
        assert_eq!(read(&path, "home").unwrap(), Some(home));

        std::fs::write(&path, "[work]\ntoken = 4242:oops-secret\n").unwrap();
        let error = read(&path, "work").unwrap_err().to_string();
        assert!(!error.contains("oops-secret"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
