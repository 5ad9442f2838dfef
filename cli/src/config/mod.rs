//! What the tool keeps between runs, in its configuration directory:
//! `config.toml` (the profiles: base URL, where the token is) and, for
//! tokens not in the OS keychain, `credentials.toml` (readable only by the
//! user).
//!
//! `dir` finds the directory, `profiles` reads and writes `config.toml`,
//! `private_file` writes files only the user can read, `token_file` and
//! `keychain` are the two token stores, `store` chooses between them.

pub mod dir;
pub mod keychain;
mod private_file;
pub mod profiles;
pub mod store;
pub mod token_file;

/// The variable that chooses the profile when `--profile` is not given.
pub const PROFILE_VARIABLE: &str = "LOX24_PROFILE";

/// The profile used when none is chosen.
pub const DEFAULT_PROFILE: &str = "default";

/// Checks a profile name: letters, digits, `-` and `_`, at most 64.
pub fn check_profile_name(name: &str) -> Result<(), String> {
    let fits = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if fits {
        Ok(())
    } else {
        Err(format!(
            "{name:?} is not a profile name; use 1 to 64 letters, digits, - and _ (e.g. work)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_are_plain() {
        assert_eq!(check_profile_name("work_2-eu"), Ok(()));
        assert!(check_profile_name("").is_err());
        assert!(check_profile_name("a b").is_err());
        assert!(check_profile_name("../x").is_err());
        assert!(check_profile_name(&"x".repeat(65)).is_err());
    }
}
