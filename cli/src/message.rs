//! What a campaign and a single SMS share on the command line: sender,
//! text, schedule, encoding, service and number policy, with the text's
//! file reading, the note on its parts, the sender's message, and the
//! account a dry run's cost is set against.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use lox24::{
    Account, Client, Encoding, ServiceCode, ValidationError, VoiceLanguage,
    text::{self, Alphabet},
};

use crate::{
    context::Context,
    failure::{CliError, wording},
    options::{EncodingArg, PhoneArgs},
    when::parse_time,
};

/// The account a dry run would be paid from (one `GET /me`), so that its
/// cost shows in the account's currency with the balance beside it. A dry
/// run has succeeded by then: an account that cannot be read is left out,
/// not an error.
pub async fn paid_from(client: &Client) -> Option<Account> {
    client.account().await.ok()
}

/// Sender, text, schedule and options of what is sent.
#[derive(Debug, Args)]
pub struct MessageArgs {
    /// The sender: up to 11 letters, digits and spaces, or a number of up
    /// to 15 digits.
    #[arg(long = "from", value_name = "SENDER")]
    pub sender: String,

    /// The text. In a campaign, `[Name colA]` … `[Name colE]` are replaced
    /// by each entry's columns (up to 1785 characters before that).
    #[arg(
        long,
        required_unless_present = "text_file",
        conflicts_with = "text_file"
    )]
    text: Option<String>,

    /// Read the text from a file (`-` for stdin); one final line break is
    /// not part of the text.
    #[arg(long, value_name = "FILE")]
    text_file: Option<PathBuf>,

    /// When to send (default: at once): 2026-06-01T09:00:00+02:00,
    /// 2026-06-01 09:00 (local time), +30m, +2h, @1780000000.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub at: Option<DateTime<Utc>>,

    /// The encoding on the air.
    #[arg(long, value_enum, default_value_t = EncodingArg::Auto)]
    pub encoding: EncodingArg,

    /// SMS (direct, the default) or a voice call reading the text.
    #[arg(long, value_enum)]
    service: Option<ServiceArg>,

    /// The language of a voice call (DE, EN, FR, …; default: detected).
    #[arg(long, value_name = "LANG", value_parser = parse_voice)]
    pub voice_lang: Option<VoiceLanguage>,

    /// Have LOX24 delete the text once the messages are delivered.
    #[arg(long)]
    pub delete_text: bool,

    /// A number of your choice that marks what is sent in itemised bills.
    #[arg(long, value_name = "N")]
    pub source: Option<i64>,

    #[command(flatten)]
    pub phones_policy: PhoneArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ServiceArg {
    Direct,
    Text2speech,
    Text2speechSsml,
}

/// `$builder` (a `NewBulk` or a `NewSms`, which share these methods) with
/// the options of `$args` (a [`MessageArgs`]) set; `Err` for a policy that
/// cannot be made.
macro_rules! with_options {
    ($builder:expr, $args:expr) => {{
        let args: &$crate::message::MessageArgs = &$args;
        args.phones_policy.policy().map(|policy| {
            let mut builder = $builder.encoding(args.encoding.into()).phone_policy(policy);
            if let Some(at) = args.at {
                builder = builder.deliver_at(at);
            }
            if let Some(service) = args.service() {
                builder = builder.service(service);
            }
            if let Some(language) = args.voice_lang {
                builder = builder.voice_language(language);
            }
            if args.delete_text {
                builder = builder.delete_text_after_sending(true);
            }
            if let Some(source) = args.source {
                builder = builder.source(source);
            }
            builder
        })
    }};
}

pub(crate) use with_options;

impl MessageArgs {
    /// The text from `--text` or `--text-file`; an empty one is refused.
    pub fn text(&self) -> Result<String, CliError> {
        let text = match (&self.text, &self.text_file) {
            (Some(text), _) => text.clone(),
            (None, Some(path)) => read_text_file(path)?,
            (None, None) => {
                return Err(CliError::usage("give the text with --text or --text-file"));
            }
        };
        if text.trim().is_empty() {
            return Err(CliError::invalid(
                "text",
                "the text is empty: give the message with --text or --text-file",
            ));
        }
        Ok(text)
    }

    /// The service chosen, if any.
    pub fn service(&self) -> Option<ServiceCode> {
        self.service.map(|service| match service {
            ServiceArg::Direct => ServiceCode::Direct,
            ServiceArg::Text2speech => ServiceCode::Text2speech,
            ServiceArg::Text2speechSsml => ServiceCode::Text2speechSsml,
        })
    }

    /// A validation's result, with the sender's rule in words.
    pub fn checked(&self, result: Result<(), ValidationError>) -> Result<(), CliError> {
        result.map_err(|e| match e.field() {
            "sender_id" => CliError::invalid("sender_id", wording::describe_sender(&self.sender)),
            _ => CliError::from(lox24::Error::from(e)),
        })
    }

    /// Tells what each message will be: its parts and alphabet, and which
    /// characters force Unicode.
    pub fn note_text(&self, cx: &Context, text: &str) {
        let encoding: Encoding = self.encoding.into();
        let analysis = text::analyze(text, encoding);
        let measure = analysis.measure();
        let mut note = format!(
            "text: {} SMS part{} per recipient ({} units of {})",
            measure.parts(),
            if measure.parts() == 1 { "" } else { "s" },
            measure.units(),
            match measure.alphabet() {
                Alphabet::Gsm7 => "GSM 03.38",
                Alphabet::Ucs2 => "UCS-2",
            }
        );
        if !analysis.placeholders().is_empty() {
            note.push_str(", before placeholders are replaced");
        }
        if measure.alphabet() == Alphabet::Ucs2 && encoding == Encoding::Auto {
            let culprits: Vec<String> = analysis
                .non_gsm()
                .iter()
                .take(5)
                .map(|c| format!("{:?}", c.character))
                .collect();
            if !culprits.is_empty() {
                note.push_str(&format!("; Unicode because of {}", culprits.join(", ")));
            }
        }
        cx.out.note(note);
    }
}

/// The text of a file or of stdin, without its final line break.
pub fn read_text_file(path: &Path) -> Result<String, CliError> {
    let read = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    };
    let mut text = read.map_err(|e| CliError::io(format!("read {}", path.display()), e))?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

fn parse_voice(text: &str) -> Result<VoiceLanguage, String> {
    text.trim()
        .to_ascii_uppercase()
        .parse()
        .map_err(|_| format!("{text:?} is not a voice language LOX24 offers (DE, EN, FR, …)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_voice_languages() {
        assert_eq!(parse_voice("de"), Ok(VoiceLanguage::De));
        assert!(parse_voice("xx").is_err());
    }
}
