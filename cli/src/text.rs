//! `lox24 text check`: what a text costs before it is sent.

use std::path::PathBuf;

use clap::Subcommand;
use lox24::{Column, text};

use crate::{
    failure::{CliError, Exit},
    message::read_text_file,
    options::{EncodingArg, parse_column},
    output::{Output, TextReport},
};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a text's encoding, length in units, SMS parts, the characters
    /// that force Unicode, its placeholders, and whether LOX24 accepts it
    /// (exit status 2 when it does not).
    Check {
        /// The text (or use --file).
        #[arg(required_unless_present = "file", conflicts_with = "file")]
        text: Option<String>,
        /// Read the text from a file (`-` for stdin); one final line break
        /// is not part of the text.
        #[arg(long, short, value_name = "FILE")]
        file: Option<PathBuf>,
        /// The encoding to count in.
        #[arg(long, value_enum, default_value_t = EncodingArg::Auto)]
        encoding: EncodingArg,
        /// Also count one recipient's message with this column value, e.g.
        /// `--value a=Anna`. Repeat for more columns.
        #[arg(long = "value", value_name = "LETTER=VALUE", value_parser = parse_value)]
        values: Vec<(Column, String)>,
    },
}

pub fn run(command: Command, out: &Output) -> Result<Exit, CliError> {
    let Command::Check {
        text,
        file,
        encoding,
        values,
    } = command;
    let text = match (text, file) {
        (Some(text), _) => text,
        (None, Some(path)) => read_text_file(&path)?,
        (None, None) => return Err(CliError::usage("give the text, or --file FILE")),
    };
    let analysis = text::analyze(&text, encoding.into());
    let personalized = (!values.is_empty()).then(|| {
        analysis.personalize(|column| {
            values
                .iter()
                .rev()
                .find(|(c, _)| *c == column)
                .map(|(_, v)| v.as_str())
        })
    });
    // The text as written, then (when given) the recipient's message.
    let refusal = analysis
        .check()
        .err()
        .or_else(|| personalized.and_then(|m| m.check().err()));
    let report = TextReport::new(&text, &analysis, personalized, refusal.as_ref());
    out.show(&report)?;
    Ok(match refusal {
        None => Exit::Success,
        Some(refusal) => {
            out.problem(format_args!("LOX24 would refuse this text: {refusal}"));
            Exit::Usage
        }
    })
}

fn parse_value(text: &str) -> Result<(Column, String), String> {
    let (column, value) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?}: write LETTER=VALUE, e.g. a=Anna"))?;
    Ok((parse_column(column)?, value.to_owned()))
}
