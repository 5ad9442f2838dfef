//! Exit statuses, and errors that say what to do about them (`advice`).

mod advice;
pub mod wording;

use std::{fmt, io, process::ExitCode};

pub use advice::{CHECK_ADDRESS, NUMBER_FORMS, advice};
use lox24::Error;

/// The exit statuses, as `lox24 --help` documents them.
pub const EXIT_STATUS_HELP: &str = "\
Exit status:
  0  success
  1  a local failure: a file could not be read or written
  2  usage: wrong arguments, or an input refused before anything was sent
     (a text over LOX24's limits, an invalid sender, a malformed token)
  3  LOX24 answered with an error (wrong credentials, blocked, not found,
     refused input, a server error) or with an answer that makes no sense
  4  LOX24 could not be reached: no connection, or no answer in time
  5  a partial upload: some rows were rejected, not sent, or their fate is
     unknown (see the rejected-rows file and the report)
  6  a campaign was still running when `bulks wait` gave up, or a message
     had no final delivery report when `sms send --wait` or
     `sms status --wait` gave up

Environment (an option beats its variable, which beats the profile's
setting, which beats the default):
  LOX24_TOKEN        <customer id>:<API key> (else the profile's, from `lox24 login`)
  LOX24_BASE_URL     the API's address (else the profile's, else https://api.lox24.eu)
  LOX24_PROFILE      the profile (else `default`)
  LOX24_CONFIG_DIR   where config.toml and credentials.toml are kept
                     (else ~/.config/lox24 or the platform's place)
  LOX24_TOKEN_STORE  where `lox24 login` keeps tokens: auto, keychain or file";

/// How the process ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    Success = 0,
    Local = 1,
    Usage = 2,
    Api = 3,
    Unreachable = 4,
    Partial = 5,
    StillRunning = 6,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

impl Exit {
    /// A short name for the JSON error document.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Local => "local",
            Self::Usage => "usage",
            Self::Api => "api",
            Self::Unreachable => "unreachable",
            Self::Partial => "partial",
            Self::StillRunning => "still_running",
        }
    }
}

/// Why a command failed, and what the user can do about it (boxed: it
/// travels up through every `Result` of the tool).
#[derive(Debug)]
pub struct CliError(Box<Parts>);

#[derive(Debug)]
struct Parts {
    kind: Kind,
    /// What the command was doing ("read group 42").
    doing: Option<String>,
    /// Advice that replaces the generic one.
    hint: Option<String>,
}

#[derive(Debug)]
enum Kind {
    Usage(String),
    Lox24(Error),
    Io(String, io::Error),
    /// A local failure without an I/O error (a keychain that refused).
    Local(String),
    /// LOX24 holds nothing that matches (found out by a listing, so there
    /// is no error answer to keep).
    NotFound(String),
    /// An input refused before sending: LOX24's name of the field, and
    /// what is wrong in the tool's words.
    Invalid {
        field: String,
        message: String,
    },
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        Self::from_kind(Kind::Usage(message.into()))
    }

    pub fn io(action: impl Into<String>, error: io::Error) -> Self {
        Self::from_kind(Kind::Io(action.into(), error))
    }

    /// An input refused before anything was sent.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::from_kind(Kind::Invalid {
            field: field.into(),
            message: message.into(),
        })
    }

    pub fn local(message: impl Into<String>) -> Self {
        Self::from_kind(Kind::Local(message.into()))
    }

    /// LOX24 holds nothing that matches: exits like its 404 would.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::from_kind(Kind::NotFound(message.into()))
    }

    /// No token from the options, the environment or the profile.
    pub fn missing_token(profile: &str) -> Self {
        Self::usage(format!(
            "no LOX24 token: none was given with --token or LOX24_TOKEN, and profile {profile:?} \
             has none stored"
        ))
        .hint(format!(
            "Run `lox24 login{}` to store the token (`<customer id>:<API key>`, from the API \
             settings of your LOX24 account), or set LOX24_TOKEN to it. To try everything \
             offline first, run `lox24 sandbox` in another terminal and use the address and \
             token it prints.",
            if profile == crate::config::DEFAULT_PROFILE {
                String::new()
            } else {
                format!(" --profile {profile}")
            }
        ))
    }

    fn from_kind(kind: Kind) -> Self {
        Self(Box::new(Parts {
            kind,
            doing: None,
            hint: None,
        }))
    }

    /// Says what the command was doing when it failed.
    pub fn doing(mut self, what: impl Into<String>) -> Self {
        self.0.doing = Some(what.into());
        self
    }

    /// Replaces the generic advice.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.0.hint = Some(hint.into());
        self
    }

    /// Replaces the advice for a 404 only.
    pub fn hint_not_found(self, hint: &str) -> Self {
        match self.0.kind {
            Kind::Lox24(Error::NotFound(_)) => self.hint(hint),
            _ => self,
        }
    }

    pub fn exit(&self) -> Exit {
        match &self.0.kind {
            Kind::Usage(_) | Kind::Invalid { .. } => Exit::Usage,
            Kind::Io(..) | Kind::Local(_) => Exit::Local,
            Kind::NotFound(_) => Exit::Api,
            Kind::Lox24(e) => exit_of(e),
        }
    }

    pub fn lox24(&self) -> Option<&Error> {
        match &self.0.kind {
            Kind::Lox24(e) => Some(e),
            _ => None,
        }
    }

    /// The field refused before sending, as LOX24 names it, and why.
    pub fn invalid_field(&self) -> Option<(&str, &str)> {
        match &self.0.kind {
            Kind::Invalid { field, message } => Some((field, message)),
            Kind::Lox24(Error::Validation(v)) => Some((v.field(), "")),
            _ => None,
        }
    }

    /// The advice shown under the message, if any.
    pub fn advice(&self) -> Option<String> {
        self.0.hint.clone().or_else(|| match &self.0.kind {
            Kind::Lox24(e) => advice(e),
            _ => None,
        })
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(doing) = &self.0.doing {
            write!(f, "could not {doing}: ")?;
        }
        match &self.0.kind {
            Kind::Usage(message)
            | Kind::Local(message)
            | Kind::NotFound(message)
            | Kind::Invalid { message, .. } => f.write_str(message),
            Kind::Lox24(e) => f.write_str(&wording::describe(e)),
            Kind::Io(action, e) => write!(f, "cannot {action}: {e}"),
        }
    }
}

impl From<Error> for CliError {
    fn from(error: Error) -> Self {
        Self::from_kind(Kind::Lox24(error))
    }
}

/// The exit status of a library error.
pub fn exit_of(error: &Error) -> Exit {
    match error {
        Error::Validation(_) | Error::Config(_) => Exit::Usage,
        Error::Transport(_) => Exit::Unreachable,
        Error::WaitTimeout(_) | Error::SmsWaitTimeout(_) => Exit::StillRunning,
        _ => Exit::Api,
    }
}

#[cfg(test)]
mod tests {
    use lox24::ConfigError;

    use super::*;

    #[test]
    fn library_errors_map_to_documented_statuses() {
        let config = Error::Config(ConfigError::MalformedCredentials { reason: "x" });
        assert_eq!(exit_of(&config), Exit::Usage);
        let missing = CliError::missing_token("work");
        assert_eq!(missing.exit(), Exit::Usage);
        assert!(
            missing
                .advice()
                .unwrap()
                .starts_with("Run `lox24 login --profile work` to store the token")
        );
        assert_eq!(CliError::usage("x").exit(), Exit::Usage);
        assert_eq!(
            CliError::io("read", io::Error::other("x")).exit(),
            Exit::Local
        );
        assert_eq!(CliError::not_found("x").exit(), Exit::Api);
    }
}
