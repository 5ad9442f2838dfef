//! `lox24 sandbox`: the offline LOX24 of `lox24::sandbox`, served until Ctrl-C.

use std::time::Duration;

use clap::Args as ClapArgs;
use lox24::sandbox::{BulkTiming, DEFAULT_TOKEN, Sandbox};

use crate::{
    context::Context,
    failure::{CliError, Exit},
    options::parse_duration,
    output::SandboxInfo,
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
    /// The price of one message.
    #[arg(long, default_value_t = 0.07)]
    price: f64,
}

pub async fn run(args: Args, cx: &Context) -> Result<Exit, CliError> {
    let sandbox = Sandbox::builder()
        .port(args.port)
        .bulk_timing(BulkTiming {
            queued: args.queued,
            processing: args.processing,
        })
        .page_size(args.page_size)
        .price_per_message(args.price)
        .start()
        .await
        .map_err(|e| {
            CliError::io(format!("listen on 127.0.0.1:{}", args.port), e)
                .hint("Choose another --port, or leave it out for a free one.")
        })?;
    cx.out.show(&SandboxInfo {
        base_url: sandbox.base_url().to_owned(),
        port: sandbox.local_addr().port(),
        // The sandbox's own token, which works nowhere else: never the
        // user's LOX24_TOKEN.
        token: DEFAULT_TOKEN,
    })?;
    cx.out
        .note("Ctrl-C stops the sandbox; its data goes with it.");
    sandbox.run_until(stop_signal()).await;
    cx.out.note("sandbox stopped");
    Ok(Exit::Success)
}

/// Ctrl-C, or (on Unix) SIGTERM from a service manager or `kill`.
async fn stop_signal() {
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
