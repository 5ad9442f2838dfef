//! The OS keychain through the `keyring` crate: Keychain Services on macOS,
//! the Credential Manager on Windows, the Secret Service (GNOME Keyring,
//! KWallet) over D-Bus elsewhere.
//!
//! Every call runs on a thread of its own and is given up after
//! [`TIME_LIMIT`]: a Secret Service that is registered but never answers
//! must not hang the tool. A keychain that cannot be reached is an ordinary
//! error, which `store` turns into the file store.

use std::{fmt, sync::mpsc, thread, time::Duration};

use keyring::v1::Entry;

use crate::token::Token;

/// How long a keychain call may take (an unlock prompt included).
pub const TIME_LIMIT: Duration = Duration::from_secs(10);

/// The service name of the entries; the profile is the entry's user.
const SERVICE: &str = "lox24";

/// Why the keychain did not do what was asked.
#[derive(Debug)]
pub enum KeychainError {
    /// No keychain here, or it refused (locked, no D-Bus session).
    Unavailable(String),
    /// It did not answer within the time limit.
    TimedOut,
}

impl fmt::Display for KeychainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unavailable(reason) => write!(f, "the OS keychain is not available ({reason})"),
            Self::TimedOut => write!(
                f,
                "the OS keychain did not answer within {} seconds",
                TIME_LIMIT.as_secs()
            ),
        }
    }
}

/// Whether there is a keychain to talk to (nothing is read or written).
pub fn available() -> Result<(), KeychainError> {
    call(TIME_LIMIT, || entry("-").map(drop))
}

/// The profile's token, if the keychain has one.
pub fn read(profile: &str) -> Result<Option<Token>, KeychainError> {
    let profile = profile.to_owned();
    call(TIME_LIMIT, move || match entry(&profile)?.get_password() {
        Ok(token) => Ok(Token::new(&token)),
        Err(keyring::v1::Error::NoEntry) => Ok(None),
        Err(e) => Err(unavailable(e)),
    })
}

/// Stores the profile's token, replacing the one it had.
pub fn write(profile: &str, token: &Token) -> Result<(), KeychainError> {
    let (profile, token) = (profile.to_owned(), token.clone());
    call(TIME_LIMIT, move || {
        entry(&profile)?
            .set_password(token.expose())
            .map_err(unavailable)
    })
}

/// Removes the profile's token; whether there was one.
pub fn remove(profile: &str) -> Result<bool, KeychainError> {
    let profile = profile.to_owned();
    call(TIME_LIMIT, move || {
        match entry(&profile)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::v1::Error::NoEntry) => Ok(false),
            Err(e) => Err(unavailable(e)),
        }
    })
}

fn entry(profile: &str) -> Result<Entry, KeychainError> {
    // The store is set up once, on first use; its failure says why.
    if let Err(e) = Entry::store_status() {
        return Err(KeychainError::Unavailable(e.to_string()));
    }
    Entry::new(SERVICE, profile).map_err(unavailable)
}

/// The keyring's errors name the platform's failure, never the secret.
fn unavailable(error: keyring::v1::Error) -> KeychainError {
    KeychainError::Unavailable(error.to_string())
}

/// Runs `work` on a thread of its own and waits at most `limit` for it. A
/// call given up goes on in the background until the process ends.
fn call<T: Send + 'static>(
    limit: Duration,
    work: impl FnOnce() -> Result<T, KeychainError> + Send + 'static,
) -> Result<T, KeychainError> {
    let (done, result) = mpsc::channel();
    thread::Builder::new()
        .name("keychain".to_owned())
        .spawn(move || {
            let _ = done.send(work());
        })
        .map_err(|e| KeychainError::Unavailable(e.to_string()))?;
    match result.recv_timeout(limit) {
        Ok(outcome) => outcome,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(KeychainError::TimedOut),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(KeychainError::Unavailable(
            "the keychain call failed".to_owned(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_keychain_that_never_answers_is_given_up() {
        let (_keep_open, never) = mpsc::channel::<()>();
        let outcome = call(Duration::from_millis(20), move || {
            let _ = never.recv();
            Ok(())
        });
        assert!(
            matches!(outcome, Err(KeychainError::TimedOut)),
            "{outcome:?}"
        );
    }

    #[test]
    fn a_call_that_panics_is_an_error_not_a_hang() {
        let outcome: Result<(), _> = call(Duration::from_secs(60), || panic!("broken store"));
        assert!(
            matches!(outcome, Err(KeychainError::Unavailable(_))),
            "{outcome:?}"
        );
    }
}
