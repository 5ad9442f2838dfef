//! Exit statuses, and errors that say what to do about them.

use std::{fmt, io, process::ExitCode, time::Duration};

use lox24::{ConfigError, Error, TransportErrorKind};

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
  6  a campaign was still running when `bulks wait` gave up

Environment:
  LOX24_TOKEN     <customer id>:<API key>
  LOX24_BASE_URL  the API's address (default https://api.lox24.eu)";

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
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        Self::from_kind(Kind::Usage(message.into()))
    }

    pub fn io(action: impl Into<String>, error: io::Error) -> Self {
        Self::from_kind(Kind::Io(action.into(), error))
    }

    pub fn missing_token() -> Self {
        Self::from(Error::Config(ConfigError::MissingCredentials {
            variable: lox24::TOKEN_VARIABLE,
        }))
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
            Kind::Usage(_) => Exit::Usage,
            Kind::Io(..) => Exit::Local,
            Kind::Lox24(e) => exit_of(e),
        }
    }

    pub fn lox24(&self) -> Option<&Error> {
        match &self.0.kind {
            Kind::Lox24(e) => Some(e),
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
            Kind::Usage(message) => f.write_str(message),
            Kind::Lox24(e) => write!(f, "{e}"),
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
        Error::WaitTimeout(_) => Exit::StillRunning,
        _ => Exit::Api,
    }
}

/// What to do about a library error.
pub fn advice(error: &Error) -> Option<String> {
    let support = || {
        error
            .request_id()
            .map(|id| format!(" If it persists, quote request id {id} to LOX24 support."))
            .unwrap_or_default()
    };
    Some(match error {
        Error::Unauthorized(_) => "Check LOX24_TOKEN (or --token): it must be \
            `<customer id>:<API key>` of an active API key of your LOX24 account. Fix it before \
            the next attempt: more than three wrong ones within a minute block this IP address \
            for ten minutes."
            .to_owned(),
        Error::Blocked(_) => {
            let wait = error.retry_after().unwrap_or(lox24::LOCKOUT);
            format!(
                "Wait {} (until {}) before the next request, and check LOX24_TOKEN meanwhile: \
                 LOX24 blocks an IP address after more than three requests with wrong \
                 credentials within a minute.",
                human_duration(wait),
                until(wait)
            )
        }
        Error::InsufficientFunds(_) => {
            "Top up the LOX24 account, then run the command again.".to_owned()
        }
        Error::Forbidden(_) => {
            "LOX24 has to activate the account first; contact LOX24 support.".to_owned()
        }
        Error::NotFound(_) => "Check the id: `lox24 groups list` and `lox24 bulks list` \
            show what exists."
            .to_owned(),
        Error::InvalidInput(_) | Error::Unprocessable(_) => {
            "Correct the fields LOX24 named and run the command again.".to_owned()
        }
        Error::Server(_) if error.may_have_taken_effect() => format!(
            "LOX24 failed on its side and may have carried out the request all the same: \
             check (e.g. `lox24 bulks list`) before repeating anything that creates \
             something.{}",
            support()
        ),
        Error::Server(_) => format!(
            "LOX24 failed on its side; try again in a few minutes.{}",
            support()
        ),
        Error::Transport(e) => match e.kind() {
            TransportErrorKind::Connect => "Check the network connection and the API address \
                (--base-url or LOX24_BASE_URL). Nothing was sent."
                .to_owned(),
            _ => "The request may have reached LOX24: check (e.g. `lox24 bulks list`) before \
                repeating anything that creates something."
                .to_owned(),
        },
        Error::UnexpectedResponse(_) => "Is the API address (--base-url or LOX24_BASE_URL) \
            LOX24's? A proxy or a wrong address answers like this."
            .to_owned(),
        Error::Config(ConfigError::MissingCredentials { .. }) => "Set LOX24_TOKEN to \
            `<customer id>:<API key>` (from the API settings of your LOX24 account), or pass \
            --token. To try everything offline first, run `lox24 sandbox` in another terminal \
            and use the address and token it prints."
            .to_owned(),
        Error::Config(ConfigError::MalformedCredentials { .. }) => {
            "LOX24_TOKEN (or --token) must be `<customer id>:<API key>`.".to_owned()
        }
        Error::WaitTimeout(e) => format!(
            "The campaign goes on: `lox24 bulks wait {id}` waits again, \
             `lox24 bulks cancel {id}` stops it.",
            id = e.bulk_id()
        ),
        _ => return None,
    })
}

/// `10 minutes`, `45 seconds`.
pub fn human_duration(d: Duration) -> String {
    match d.as_secs() {
        s if s >= 120 && s % 60 == 0 => format!("{} minutes", s / 60),
        s if s >= 120 => format!("{} min {} s", s / 60, s % 60),
        1 => "1 second".to_owned(),
        s => format!("{s} seconds"),
    }
}

fn until(wait: Duration) -> String {
    let at = chrono::Local::now() + chrono::Duration::from_std(wait).unwrap_or_default();
    at.format("%H:%M:%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well() {
        assert_eq!(human_duration(Duration::from_secs(600)), "10 minutes");
        assert_eq!(human_duration(Duration::from_secs(150)), "2 min 30 s");
        assert_eq!(human_duration(Duration::from_secs(45)), "45 seconds");
        assert_eq!(human_duration(Duration::from_secs(1)), "1 second");
    }

    #[test]
    fn library_errors_map_to_documented_statuses() {
        let config = Error::Config(ConfigError::MalformedCredentials { reason: "x" });
        assert_eq!(exit_of(&config), Exit::Usage);
        let missing = CliError::missing_token();
        assert_eq!(missing.exit(), Exit::Usage);
        assert!(missing.advice().unwrap().contains("LOX24_TOKEN"));
        assert_eq!(CliError::usage("x").exit(), Exit::Usage);
        assert_eq!(
            CliError::io("read", io::Error::other("x")).exit(),
            Exit::Local
        );
    }
}
