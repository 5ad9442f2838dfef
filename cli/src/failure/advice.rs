//! What to do about each library error: the advice shown as `hint:`.

use std::time::Duration;

use lox24::{ConfigError, Error, TransportErrorKind};

/// What to do about a recipient's number refused before sending.
pub const NUMBER_FORMS: &str = "Numbers go to LOX24 in E.164 (+491701234567): write them so, \
    give --country CC to read national numbers as that country's, or --as-written to leave \
    them to LOX24.";

/// What to do when LOX24 cannot be reached. A new user's first address is
/// often a sandbox that has since been stopped, or a variable set in
/// another shell.
pub const CHECK_ADDRESS: &str = "Check the network connection and the API address \
    (--base-url, else LOX24_BASE_URL, else the profile's; `lox24 config` shows the one in \
    effect). If it is a `lox24 sandbox`, check that the sandbox still runs.";

/// What to do about a library error.
pub fn advice(error: &Error) -> Option<String> {
    let support = || {
        error
            .request_id()
            .map(|id| format!(" If it persists, quote request id {id} to LOX24 support."))
            .unwrap_or_default()
    };
    Some(match error {
        Error::Unauthorized(_) => "Check the token (`lox24 config` shows which one is in \
            effect: --token, LOX24_TOKEN or the profile's): it must be `<customer id>:<API key>` \
            of an active API key of your LOX24 account. Fix it before the next attempt: more \
            than three wrong ones within a minute block this IP address for ten minutes."
            .to_owned(),
        Error::Blocked(_) => {
            let wait = error.retry_after().unwrap_or(lox24::LOCKOUT);
            format!(
                "Wait {} (until {}) before the next request, and check the token meanwhile: \
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
            TransportErrorKind::Connect => format!("{CHECK_ADDRESS} Nothing was sent."),
            _ => "The request may have reached LOX24: check (e.g. `lox24 bulks list`) before \
                repeating anything that creates something."
                .to_owned(),
        },
        Error::UnexpectedResponse(_) => "Is the API address (--base-url or LOX24_BASE_URL) \
            LOX24's? A proxy or a wrong address answers like this."
            .to_owned(),
        Error::Config(ConfigError::MalformedCredentials { .. }) => {
            "The token must be `<customer id>:<API key>`.".to_owned()
        }
        Error::NotCancellable(e) => format!(
            "`lox24 bulks status {}` shows where the campaign stands.",
            e.bulk_id()
        ),
        Error::Validation(v) if v.field().starts_with("phones[") => NUMBER_FORMS.to_owned(),
        Error::WaitTimeout(e) => format!(
            "The campaign goes on: `lox24 bulks wait {id}` waits again, \
             `lox24 bulks cancel {id}` stops it.",
            id = e.bulk_id()
        ),
        Error::SmsWaitTimeout(e) => format!(
            "The message goes on: `lox24 sms status {} --wait` waits again.",
            e.last().uuid
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
}
