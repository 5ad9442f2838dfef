//! `lox24`: the LOX24 SMS API from the command line (the crate `lox24-cli`).
//!
//! One module per command group (`groups`, `phones`, `bulks`, `links`,
//! `text`, `sandbox`); what is printed, human or JSON, is decided in
//! `output`; exit statuses and the advice attached to errors in `failure`.

mod account;
mod blocked;
mod bulks;
mod config;
mod context;
mod failure;
mod groups;
mod links;
mod login;
mod manual;
mod message;
mod options;
mod output;
mod phones;
mod replies;
mod sandbox;
mod settings;
mod show_config;
mod sms;
mod text;
mod token;
mod webhook;
mod when;

use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};

use context::{ApiArgs, Context, OutputArgs};
use failure::{CliError, Exit};

/// Groups, phone uploads, bulk SMS campaigns and an offline sandbox for the
/// LOX24 SMS API.
#[derive(Debug, Parser)]
#[command(name = "lox24", version, after_long_help = failure::EXIT_STATUS_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create, list, show and delete groups (mailing lists).
    Groups(Online<groups::Command>),
    /// Import phone entries into a group.
    Phones(Online<phones::Command>),
    /// Send, dry-run, watch, cancel and list bulk campaigns.
    Bulks(Online<bulks::Command>),
    /// Send one SMS, follow its delivery report, list messages.
    Sms(Online<sms::Command>),
    /// Show the account's balance, currency and services.
    Account(OnlineOne<account::Command>),
    /// List the messages the account received (replies).
    Replies(Online<replies::Command>),
    /// List, add and remove blocked numbers (opt-outs).
    Blocked(Online<blocked::Command>),
    /// Create, list, show and delete short-link campaigns; list their clicks.
    Links(Online<links::Command>),
    /// Check an SMS text: encoding, length, parts and limits.
    Text(Offline<text::Command>),
    /// Run an offline LOX24 sandbox on this machine until Ctrl-C.
    ///
    /// It answers every operation of the API with in-memory data: groups
    /// and entries, campaigns and single messages (status and delivery
    /// reports on a clock: numbers ending in 8 expire, in 6 are rejected,
    /// others are delivered), the account's balance, replies, blocked
    /// numbers, fraud checks and short-link campaigns (`lox24 links`; they
    /// get no clicks, as its messages carry no short links). With --webhook
    /// it posts delivery reports and other events as LOX24 does, retrying
    /// up to 4 times. Nothing leaves this machine and no SMS is sent.
    Sandbox(sandbox::Args),
    /// Receive LOX24's webhook events and print them as they arrive.
    Webhook(webhook::Group),
    /// Store the token of a LOX24 account for a profile, after checking it
    /// with one request.
    ///
    /// The token (`<customer id>:<API key>`) is asked for without echo, or
    /// read from stdin when it is not a terminal. It goes into the OS
    /// keychain where there is one, else into credentials.toml in the
    /// configuration directory, readable only by you.
    Login(login::LoginArgs),
    /// Remove a profile's stored token (nothing is sent).
    Logout(login::LogoutArgs),
    /// Show the profile, token (redacted) and address in effect, and where
    /// each comes from.
    ///
    /// Each is taken from its option, else its environment variable, else
    /// the profile, else the default.
    Config(show_config::Args),
    /// Print the completion script for a shell (bash, zsh, fish, powershell,
    /// elvish).
    Completions(manual::CompletionsArgs),
    /// Print the man page lox24(1), or write a page for every command.
    Man(manual::ManArgs),
}

/// A command group that sends requests to LOX24.
#[derive(Debug, Args)]
struct Online<C: Subcommand> {
    #[command(flatten)]
    api: ApiArgs,
    #[command(flatten)]
    output: OutputArgs,
    #[command(subcommand)]
    command: C,
}

/// A single command (no subcommands) that sends requests to LOX24.
#[derive(Debug, Args)]
struct OnlineOne<A: Args> {
    #[command(flatten)]
    api: ApiArgs,
    #[command(flatten)]
    output: OutputArgs,
    #[command(flatten)]
    args: A,
}

/// A command group that works on this machine alone.
#[derive(Debug, Args)]
struct Offline<C: Subcommand> {
    #[command(flatten)]
    output: OutputArgs,
    #[command(subcommand)]
    command: C,
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
    let out = cli.command.output().output();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            let error = CliError::io("start the async runtime", e);
            out.error(&error);
            return error.exit().into();
        }
    };
    let exit = match runtime.block_on(run(cli.command)) {
        Ok(exit) => exit,
        Err(error) => {
            out.error(&error);
            error.exit()
        }
    };
    exit.into()
}

impl Command {
    /// How results are printed; the manual's commands print only text.
    fn output(&self) -> OutputArgs {
        match self {
            Self::Groups(group) => group.output.clone(),
            Self::Phones(group) => group.output.clone(),
            Self::Bulks(group) => group.output.clone(),
            Self::Sms(group) => group.output.clone(),
            Self::Account(group) => group.output.clone(),
            Self::Replies(group) => group.output.clone(),
            Self::Blocked(group) => group.output.clone(),
            Self::Links(group) => group.output.clone(),
            Self::Text(group) => group.output.clone(),
            Self::Sandbox(args) => args.output.clone(),
            Self::Webhook(group) => group.output.clone(),
            Self::Login(args) => args.output.clone(),
            Self::Logout(args) => args.output.clone(),
            Self::Config(args) => args.output.clone(),
            Self::Completions(_) | Self::Man(_) => OutputArgs::default(),
        }
    }
}

async fn run(command: Command) -> Result<Exit, CliError> {
    match command {
        Command::Groups(group) => {
            let (cx, command) = group.split();
            groups::run(command, &cx).await
        }
        Command::Phones(group) => {
            let (cx, command) = group.split();
            phones::run(command, &cx).await
        }
        Command::Bulks(group) => {
            let (cx, command) = group.split();
            bulks::run(command, &cx).await
        }
        Command::Sms(group) => {
            let (cx, command) = group.split();
            sms::run(command, &cx).await
        }
        Command::Account(one) => {
            let cx = Context::new(one.api, &one.output);
            account::run(one.args, &cx).await
        }
        Command::Replies(group) => {
            let (cx, command) = group.split();
            replies::run(command, &cx).await
        }
        Command::Blocked(group) => {
            let (cx, command) = group.split();
            blocked::run(command, &cx).await
        }
        Command::Links(group) => {
            let (cx, command) = group.split();
            links::run(command, &cx).await
        }
        Command::Text(group) => text::run(group.command, &group.output.output()),
        Command::Sandbox(args) => {
            let out = args.output.output();
            sandbox::run(args, &out).await
        }
        Command::Webhook(group) => {
            let out = group.output.output();
            webhook::run(group, &out).await
        }
        Command::Login(args) => {
            let out = args.output.output();
            login::login(args, &out).await
        }
        Command::Logout(args) => {
            let out = args.output.output();
            login::logout(args, &out)
        }
        Command::Config(args) => {
            let out = args.output.output();
            show_config::run(args, &out)
        }
        Command::Completions(args) => manual::completions(args, Cli::command()),
        Command::Man(args) => manual::man(args, Cli::command()),
    }
}

impl<C: Subcommand> Online<C> {
    /// The command's context, and the command.
    fn split(self) -> (Context, C) {
        (Context::new(self.api, &self.output), self.command)
    }
}
