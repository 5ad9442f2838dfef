//! `lox24 groups create|list|show|delete`.

use std::io::{self, BufRead, IsTerminal, Write};

use clap::Subcommand;
use lox24::{Column, GroupId, NewGroup};

use crate::{
    context::{Context, take},
    failure::{CliError, Exit},
    options::{parse_column_name, parse_group_id},
    output::{Deleted, GroupList},
};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a group.
    Create {
        /// Its name (1 to 50 characters).
        name: String,
        /// A description (up to 255 characters).
        #[arg(long)]
        description: Option<String>,
        /// Names a column, e.g. `--column a=first_name`: texts then say
        /// `[Name colA]` for it, and `phones import` maps a CSV header of
        /// that name to it. Repeat for more columns.
        #[arg(long = "column", value_name = "LETTER=NAME", value_parser = parse_column_name)]
        columns: Vec<(Column, String)>,
    },
    /// List the groups.
    List {
        /// List at most this many.
        #[arg(long, default_value_t = 100, conflicts_with = "all")]
        limit: usize,
        /// List every group, page after page.
        #[arg(long)]
        all: bool,
    },
    /// Show one group.
    Show {
        #[arg(value_parser = parse_group_id)]
        id: GroupId,
    },
    /// Delete a group and every entry in it.
    Delete {
        #[arg(value_parser = parse_group_id)]
        id: GroupId,
        /// Do not ask for confirmation (needed when stdin is not a terminal).
        #[arg(long, short)]
        yes: bool,
    },
}

pub async fn run(command: Command, cx: &Context) -> Result<Exit, CliError> {
    let client = cx.client()?;
    match command {
        Command::Create {
            name,
            description,
            columns,
        } => {
            let mut group = NewGroup::new(name);
            if let Some(description) = description {
                group = group.description(description);
            }
            for (column, label) in columns {
                group = group.column_name(column, label);
            }
            let created = client
                .create_group(&group)
                .await
                .map_err(|e| CliError::from(e).doing("create the group"))?;
            cx.out.show(&created)?;
        }
        Command::List { limit, all } => {
            let limit = if all { usize::MAX } else { limit };
            let (groups, total_items, more) = take(client.list_groups().await, limit)
                .await
                .map_err(|e| CliError::from(e).doing("list the groups"))?;
            cx.out.show(&GroupList {
                total_items,
                groups,
                more,
            })?;
        }
        Command::Show { id } => {
            let group = client.get_group(&id).await.map_err(|e| {
                CliError::from(e)
                    .doing(format!("read group {id}"))
                    .hint_not_found("`lox24 groups list` shows the groups there are.")
            })?;
            cx.out.show(&group)?;
        }
        Command::Delete { id, yes } => {
            if !yes {
                confirm(&format!(
                    "Delete group {id} and every entry in it? This cannot be undone."
                ))?;
            }
            client.delete_group(&id).await.map_err(|e| {
                CliError::from(e)
                    .doing(format!("delete group {id}"))
                    .hint_not_found("`lox24 groups list` shows the groups there are.")
            })?;
            cx.out.show(&Deleted {
                deleted: "group",
                id: id.to_string(),
            })?;
        }
    }
    Ok(Exit::Success)
}

/// Asks on the terminal; refuses without one, as nobody can answer.
pub(crate) fn confirm(question: &str) -> Result<(), CliError> {
    if !io::stdin().is_terminal() {
        return Err(CliError::usage(
            "refusing to delete without confirmation: stdin is not a terminal; pass --yes",
        ));
    }
    eprint!("{question} [y/N] ");
    let _ = io::stderr().flush();
    let mut answer = String::new();
    io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::io("read the answer", e))?;
    match answer.trim() {
        "y" | "Y" | "yes" | "YES" | "Yes" => Ok(()),
        _ => Err(CliError::usage("not deleted")),
    }
}
