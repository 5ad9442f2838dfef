//! `lox24`: the LOX24 SMS API from the command line (feature `cli`).
//!
//! One module per command group (`groups`, `phones`, `bulks`, `text`,
//! `sandbox`); what is printed, human or JSON, is decided in `output`; exit
//! statuses and the advice attached to errors in `failure`.

mod bulks;
mod context;
mod failure;
mod groups;
mod options;
mod output;
mod phones;
mod sandbox;
mod text;
mod when;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use context::{Context, GlobalArgs};
use failure::{CliError, Exit};

/// Groups, phone uploads, bulk SMS campaigns and an offline sandbox for the
/// LOX24 SMS API.
#[derive(Debug, Parser)]
#[command(name = "lox24", version, after_long_help = failure::EXIT_STATUS_HELP)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create, list, show and delete groups (mailing lists).
    #[command(subcommand)]
    Groups(groups::Command),
    /// Import phone entries into a group.
    #[command(subcommand)]
    Phones(phones::Command),
    /// Send, dry-run, watch, cancel and list bulk campaigns.
    #[command(subcommand)]
    Bulks(bulks::Command),
    /// Check an SMS text: encoding, length, parts and limits.
    #[command(subcommand)]
    Text(text::Command),
    /// Run an offline LOX24 sandbox on this machine until Ctrl-C.
    Sandbox(sandbox::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            if !e.use_stderr() {
                return Exit::Success.into(); // --help, --version
            }
            // clap stopped before `--json` was known; look for it by hand.
            let json = std::env::args_os().any(|a| a == "--json");
            output::Output::usage_error(json, &e.render().to_string());
            return Exit::Usage.into();
        }
    };
    let context = Context::new(cli.global);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let error = CliError::io("start the async runtime", e);
            context.out.error(&error);
            return error.exit().into();
        }
    };
    let exit = match runtime.block_on(run(cli.command, &context)) {
        Ok(exit) => exit,
        Err(error) => {
            context.out.error(&error);
            error.exit()
        }
    };
    exit.into()
}

async fn run(command: Command, cx: &Context) -> Result<Exit, CliError> {
    match command {
        Command::Groups(command) => groups::run(command, cx).await,
        Command::Phones(command) => phones::run(command, cx).await,
        Command::Bulks(command) => bulks::run(command, cx).await,
        Command::Text(command) => text::run(command, cx),
        Command::Sandbox(args) => sandbox::run(args, cx).await,
    }
}
