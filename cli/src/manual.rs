//! `lox24 completions` and `lox24 man`: shell completions and man pages,
//! written from the same definitions as `--help`.

use std::{
    io::{self, Write},
    path::PathBuf,
};

use clap::{Args, Command};
use clap_complete::Shell;

use crate::failure::{CliError, Exit};

#[derive(Debug, Args)]
#[command(after_long_help = "\
Install:
  bash        lox24 completions bash > ~/.local/share/bash-completion/completions/lox24
  zsh         lox24 completions zsh > ~/.zfunc/_lox24   (with fpath+=~/.zfunc in ~/.zshrc)
  fish        lox24 completions fish > ~/.config/fish/completions/lox24.fish
  powershell  lox24 completions powershell >> $PROFILE
  elvish      lox24 completions elvish >> ~/.config/elvish/rc.elv")]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write a page for every command into this directory (lox24.1,
    /// lox24-groups.1, lox24-groups-list.1, …) instead of printing lox24(1).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// Prints the completion script for the shell.
pub fn completions(args: CompletionsArgs, mut command: Command) -> Result<Exit, CliError> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "lox24", &mut script);
    write_stdout(&script)
}

/// Prints lox24(1), or writes every page into a directory and lists them.
pub fn man(args: ManArgs, command: Command) -> Result<Exit, CliError> {
    let Some(dir) = args.dir else {
        let mut page = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut page)
            .map_err(|e| CliError::io("write the man page", e))?;
        return write_stdout(&page);
    };
    let failed = |e| CliError::io(format!("write the man pages into {}", dir.display()), e);
    std::fs::create_dir_all(&dir).map_err(failed)?;
    clap_mangen::generate_to(command, &dir).map_err(failed)?;
    let mut pages: Vec<String> = std::fs::read_dir(&dir)
        .map_err(failed)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "1"))
        .map(|path| path.display().to_string())
        .collect();
    pages.sort();
    let mut listing = pages.join("\n");
    listing.push('\n');
    write_stdout(listing.as_bytes())
}

fn write_stdout(bytes: &[u8]) -> Result<Exit, CliError> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(CliError::io("write to standard output", e))
        }
        _ => Ok(Exit::Success),
    }
}
