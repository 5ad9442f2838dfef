//! `lox24 webhook listen`: LOX24's events, printed as they arrive.

use std::net::SocketAddr;

use clap::{Args, Subcommand};
use lox24::webhook::{Receiver, SENDER_ADDRESSES};

use crate::{
    context::OutputArgs,
    failure::{CliError, Exit},
    output::{EventLine, Output},
    sandbox::stop_signal,
};

#[derive(Debug, Args)]
pub struct Group {
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Receive LOX24's webhook events (delivery reports, replies, …) over
    /// HTTP and print each as it arrives, until Ctrl-C.
    ///
    /// Enter the address, as LOX24 can reach it (through a reverse proxy or
    /// a tunnel), in the LOX24 web account under Settings → Notifications;
    /// or give it to `lox24 sandbox --webhook`. A malformed body is answered
    /// 400 (LOX24 tries again later) and not printed.
    Listen(ListenArgs),
}

#[derive(Debug, Args)]
struct ListenArgs {
    /// The address to listen on (0.0.0.0:PORT to be reachable from other
    /// machines; port 0 for a free one).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The path events are posted to.
    #[arg(long, default_value = "/")]
    path: String,
    /// Accept events only from LOX24's senders (162.55.80.140, 162.55.80.141).
    #[arg(long)]
    only_lox24: bool,
    /// Stop after this many events.
    #[arg(long, value_name = "N")]
    count: Option<u64>,
}

pub async fn run(group: Group, out: &Output) -> Result<Exit, CliError> {
    let Command::Listen(args) = group.command;
    let mut builder = Receiver::builder().path(&args.path);
    if args.only_lox24 {
        builder = builder.only_from(SENDER_ADDRESSES);
    }
    let mut receiver = builder.bind(args.listen).await.map_err(|e| {
        CliError::io(format!("listen on {}", args.listen), e)
            .hint("Choose another address with --listen, or port 0 for a free one.")
    })?;
    out.note(format!(
        "listening on http://{}{}; Ctrl-C to stop",
        receiver.local_addr(),
        args.path
    ));
    let closer = receiver.closer();
    tokio::spawn(async move {
        stop_signal().await;
        closer.close();
    });
    let mut printed = 0;
    while let Some(event) = receiver.recv().await {
        out.show_line(&EventLine(event))?;
        printed += 1;
        if args.count.is_some_and(|count| printed >= count) {
            receiver.close();
        }
    }
    Ok(Exit::Success)
}
