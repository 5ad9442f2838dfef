//! `lox24 sandbox`: the offline LOX24 of the crate `lox24-sandbox`, served until Ctrl-C.

use std::time::Duration;

use clap::Args as ClapArgs;
use lox24_sandbox::{BulkTiming, DEFAULT_TOKEN, MessageTiming, Sandbox};

use crate::{
    context::OutputArgs,
    failure::{CliError, Exit},
    options::parse_duration,
    output::{Output, SandboxInfo},
};

#[derive(Debug, ClapArgs)]
pub struct Args {
    /// The port on 127.0.0.1 (default: a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// How long a campaign stays new before it is in progress.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "1s")]
    queued: Duration,
    /// How long a campaign is in progress before it is processed.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "2s")]
    processing: Duration,
    /// Items per page of the collections.
    #[arg(long, default_value_t = 30)]
    page_size: usize,
    /// The price of one message, in EUR.
    #[arg(long, default_value_t = 0.07)]
    price: f64,
    /// The account's credit at start, in EUR; what it cannot pay is refused (402).
    #[arg(long, value_name = "EUR", default_value_t = 100.0)]
    balance: f64,
    /// How long a message waits before it is handed to the network.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "1s")]
    sending: Duration,
    /// How long a sent message waits for its final delivery report.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "2s")]
    delivery: Duration,
    /// Post webhook events (delivery reports, replies, fraud checks) to this
    /// http:// URL on this machine (127.0.0.1, [::1] or localhost).
    #[arg(long, value_name = "URL")]
    webhook: Option<String>,
    /// Numbers ending in SUFFIX reply TEXT when a message to them is
    /// delivered, e.g. --auto-reply 9=STOP (repeatable; the first match wins).
    #[arg(long, value_name = "SUFFIX=TEXT", value_parser = parse_auto_reply)]
    auto_reply: Vec<(String, String)>,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `9=STOP` → (`9`, `STOP`): digits, then the reply's text.
fn parse_auto_reply(rule: &str) -> Result<(String, String), String> {
    let (suffix, text) = rule
        .split_once('=')
        .ok_or_else(|| format!("{rule:?} has no `=`; write SUFFIX=TEXT, e.g. 9=STOP"))?;
    if suffix.is_empty() || !suffix.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "the suffix {suffix:?} is not digits; write SUFFIX=TEXT, e.g. 9=STOP"
        ));
    }
    if text.is_empty() {
        return Err("the reply's text is empty; write SUFFIX=TEXT, e.g. 9=STOP".to_owned());
    }
    Ok((suffix.to_owned(), text.to_owned()))
}

pub async fn run(args: Args, out: &Output) -> Result<Exit, CliError> {
    let mut builder = Sandbox::builder()
        .port(args.port)
        .bulk_timing(BulkTiming {
            queued: args.queued,
            processing: args.processing,
        })
        .page_size(args.page_size)
        .price_per_message(args.price)
        .balance(args.balance)
        .message_timing(MessageTiming {
            sending: args.sending,
            delivery: args.delivery,
        });
    if let Some(url) = &args.webhook {
        builder = builder.webhook(url);
    }
    for (suffix, text) in &args.auto_reply {
        builder = builder.auto_reply(suffix, text);
    }
    let sandbox = builder.start().await.map_err(|e| {
        if args.webhook.is_some() && e.kind() == std::io::ErrorKind::InvalidInput {
            CliError::invalid("--webhook", e.to_string())
                .hint("Give an http:// URL on this machine, e.g. http://127.0.0.1:9000/hook.")
        } else {
            CliError::io(format!("listen on 127.0.0.1:{}", args.port), e)
                .hint("Choose another --port, or leave it out for a free one.")
        }
    })?;
    out.show(&SandboxInfo {
        base_url: sandbox.base_url().to_owned(),
        port: sandbox.local_addr().port(),
        // The sandbox's own token, which works nowhere else: never the
        // user's LOX24_TOKEN.
        token: DEFAULT_TOKEN,
        webhook: args.webhook.clone(),
    })?;
    out.note("Ctrl-C stops the sandbox; its data goes with it.");
    sandbox.run_until(stop_signal()).await;
    out.note("sandbox stopped");
    Ok(Exit::Success)
}

/// Ctrl-C, or (on Unix) SIGTERM from a service manager or `kill`.
pub async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_rules_are_digits_then_a_text() {
        assert_eq!(
            parse_auto_reply("9=STOP"),
            Ok(("9".to_owned(), "STOP".to_owned()))
        );
        assert_eq!(
            parse_auto_reply("42=Yes, please=now"),
            Ok(("42".to_owned(), "Yes, please=now".to_owned()))
        );
        for bad in ["9", "x=STOP", "=STOP", "9="] {
            assert!(parse_auto_reply(bad).is_err(), "{bad}");
        }
    }
}
