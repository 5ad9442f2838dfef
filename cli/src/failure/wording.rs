//! Library errors in the tool's words: what went wrong, said once, with
//! LOX24's own reason and request id, without the library's advice (the
//! tool gives its own as `hint:`) or the names of its API.

use std::fmt::Write as _;

use lox24::{ApiError, ConfigError, Error, NotCancellable, ValidationError, ValidationProblem};

/// The rule for senders, in words rather than as the spec's pattern.
const SENDER_RULE: &str = "a sender is up to 11 letters (A-Z, a-z), digits and spaces, or a \
                           phone number of up to 15 digits with or without a leading +; umlauts \
                           and punctuation are not allowed";

/// What went wrong, as one line.
pub fn describe(error: &Error) -> String {
    match error {
        Error::Validation(invalid) => describe_invalid(invalid),
        Error::InvalidInput(api) | Error::Unprocessable(api) => {
            format!("LOX24 refused the request{}", answer(api))
        }
        Error::Unauthorized(api) => format!("LOX24 did not accept the token{}", answer(api)),
        Error::Blocked(api) => format!(
            "LOX24 is blocking this IP address after repeated wrong tokens{}",
            answer(api)
        ),
        Error::InsufficientFunds(api) => format!(
            "the LOX24 account does not have enough credit{}",
            answer(api)
        ),
        Error::Forbidden(api) => format!("the LOX24 account is not activated yet{}", answer(api)),
        Error::NotFound(api) => format!("not found at LOX24{}", answer(api)),
        Error::Server(api) => format!("LOX24 failed on its side{}", answer(api)),
        Error::NotCancellable(refused) => describe_not_cancellable(refused),
        Error::Ambiguous(inner) => format!(
            "{}, and LOX24 may or may not have carried out the request",
            describe(inner)
        ),
        Error::LockedOut => "not sent: LOX24 refused the token earlier in this run, and sending \
                             more with it would get this IP address blocked"
            .to_owned(),
        Error::Config(ConfigError::MalformedCredentials { reason }) => {
            format!("the token is not `<customer id>:<API key>`: {reason}")
        }
        Error::Config(ConfigError::InvalidBaseUrl { url, reason }) => {
            format!("the API address {url:?} cannot be used: {reason}")
        }
        // The transport's, the wait's and unexpected answers' own messages
        // are already the tool's kind of words.
        other => other.to_string(),
    }
}

/// An input refused before sending: the option it came from and the rule.
pub fn describe_invalid(invalid: &ValidationError) -> String {
    let field = invalid.field();
    if field == "sender_id" {
        return format!("the sender (--from) is not one LOX24 accepts: {SENDER_RULE}");
    }
    describe_invalid_as(invalid, &subject(field))
}

/// An input refused before sending, named by the command that knows where
/// it came from (`the campaign's name (--name)`), and the rule it broke.
pub fn describe_invalid_as(invalid: &ValidationError, subject: &str) -> String {
    let problem = match invalid.problem() {
        ValidationProblem::Pattern { pattern } => {
            format!("is not in the form LOX24 requires (the pattern {pattern})")
        }
        other => other.to_string(),
    };
    format!("{subject} {problem}")
}

/// `--from "My-Shop!"`: a sender refused before sending, with its value.
pub fn describe_sender(sender: &str) -> String {
    format!("--from {sender:?} is not a sender LOX24 accepts: {SENDER_RULE}")
}

/// The input a field of LOX24's comes from, as the user knows it.
fn subject(field: &str) -> String {
    if let Some(index) = field
        .strip_prefix("phones[")
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|i| i.parse::<usize>().ok())
    {
        return format!("recipient {} (--to)", index + 1);
    }
    match field {
        "text" => "the text".to_owned(),
        "delivery_at" => "the delivery time (--at)".to_owned(),
        "source" => "--source".to_owned(),
        "voice_lang" => "the voice language (--voice-lang)".to_owned(),
        "name" => "the group's name".to_owned(),
        "description" => "the description (--description)".to_owned(),
        column if column.starts_with("name_") && column.len() == 6 => {
            format!("the name of column {} (--column)", &column[5..])
        }
        other => format!("`{other}`"),
    }
}

fn describe_not_cancellable(refused: &NotCancellable) -> String {
    const ONLY: &str = "only new (0) or in-progress (5) campaigns can be cancelled";
    match (refused.status(), refused.refusal()) {
        (Some(status), _) => format!("it is {status}, and {ONLY}; nothing was sent"),
        (None, Some(api)) if says_why(api) => format!("LOX24 refused to cancel it{}", answer(api)),
        (None, Some(api)) => format!(
            "LOX24 refused to cancel it{} without saying why; {ONLY}",
            answer(api)
        ),
        (None, None) => format!("it cannot be cancelled; {ONLY}"),
    }
}

/// Whether LOX24's answer gives a reason: a message or refused fields.
fn says_why(api: &ApiError) -> bool {
    api.message().is_some() || !api.violations().is_empty() || api.body_excerpt().is_some()
}

/// ` (HTTP 422, request id …)`, then LOX24's reason unless it named fields
/// (those are listed under the message, each once).
fn answer(api: &ApiError) -> String {
    let mut text = format!(" (HTTP {}", api.status());
    if let Some(id) = api.request_id() {
        let _ = write!(text, ", request id {id}");
    }
    text.push(')');
    if api.violations().is_empty() {
        if let Some(message) = api.message() {
            let _ = write!(text, ": {message}");
        } else if let Some(excerpt) = api.body_excerpt() {
            let _ = write!(text, ": {excerpt:?}");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_named_by_their_option() {
        let problem =
            |field: &str, problem| describe_invalid(&ValidationError::new(field, problem));
        assert_eq!(
            problem(
                "sender_id",
                ValidationProblem::Pattern {
                    pattern: "^x$".into()
                }
            ),
            format!("the sender (--from) is not one LOX24 accepts: {SENDER_RULE}")
        );
        assert_eq!(
            problem(
                "name",
                ValidationProblem::TooLong {
                    max: 50,
                    actual: 51
                }
            ),
            "the group's name has 51 characters; LOX24 allows at most 50"
        );
        assert_eq!(
            problem("phones[2]", ValidationProblem::Missing),
            "recipient 3 (--to) is required"
        );
        assert_eq!(
            problem(
                "name_c",
                ValidationProblem::TooLong {
                    max: 50,
                    actual: 60
                }
            ),
            "the name of column c (--column) has 60 characters; LOX24 allows at most 50"
        );
        assert_eq!(
            problem(
                "odd",
                ValidationProblem::Pattern {
                    pattern: "^a$".into()
                }
            ),
            "`odd` is not in the form LOX24 requires (the pattern ^a$)"
        );
        assert_eq!(
            describe_sender("My-Shop!"),
            format!("--from \"My-Shop!\" is not a sender LOX24 accepts: {SENDER_RULE}")
        );
    }
}
