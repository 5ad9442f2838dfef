//! `lox24 blocked list|add|remove`: the numbers the account never sends to.

use clap::{Subcommand, ValueEnum};
use lox24::{BlockedKind, BlockedNumberId, number::PhonePolicy};

use crate::{
    context::{Context, take},
    failure::{CliError, Exit, wording},
    options,
    output::{BlockedList, Deleted},
};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the blocked numbers.
    List {
        /// Only those blocked by you, or only those whose owner unsubscribed.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// List at most this many.
        #[arg(long, default_value_t = 50, conflicts_with = "all")]
        limit: usize,
        /// List every blocked number, page after page.
        #[arg(long)]
        all: bool,
    },
    /// Block a number: nothing is sent to it any more.
    Add {
        /// The number (E.164 such as +491701234567; 0049… is rewritten to
        /// it).
        number: String,
        /// Read a national number (0170 1234567) as a number of this
        /// country (ISO code such as DE, AT, CH).
        #[arg(long, value_name = "CC")]
        country: Option<String>,
    },
    /// Unblock a number, given as the number or as its entry's id.
    Remove {
        /// The number (+491701234567) or the entry's id (from `lox24 blocked list`).
        number_or_id: String,
        /// Read a national number (0170 1234567) as a number of this
        /// country (ISO code such as DE, AT, CH).
        #[arg(long, value_name = "CC")]
        country: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Blocked by you.
    Blocked,
    /// Unsubscribed by their owner.
    Unsubscribed,
}

pub async fn run(command: Command, cx: &Context) -> Result<Exit, CliError> {
    let client = cx.client()?;
    match command {
        Command::List { kind, limit, all } => {
            let kind = kind.map(|k| match k {
                KindArg::Blocked => BlockedKind::ByAccount,
                KindArg::Unsubscribed => BlockedKind::Unsubscribed,
            });
            let limit = if all { usize::MAX } else { limit };
            let (numbers, total_items, more) = take(client.list_blocked_numbers(kind).await, limit)
                .await
                .map_err(|e| CliError::from(e).doing("list the blocked numbers"))?;
            cx.out.show(&BlockedList {
                total_items,
                numbers,
                more,
            })?;
        }
        Command::Add { number, country } => {
            let number = in_country(number.trim(), country.as_deref())?;
            let blocked = client.block_number(&number).await.map_err(|e| {
                let conflict = matches!(e.status(), Some(409));
                let refused = matches!(e, lox24::Error::Validation(_));
                let error = CliError::from(e).doing(format!("block {number}"));
                if conflict {
                    error.hint("The number is blocked already: `lox24 blocked list` shows it.")
                } else if refused {
                    error.hint(
                        "Write the number in E.164 (+491701234567), or give --country CC to \
                         read a national number as that country's.",
                    )
                } else {
                    error
                }
            })?;
            cx.out.show(&blocked)?;
        }
        Command::Remove {
            number_or_id,
            country,
        } => {
            let given = number_or_id.trim();
            let id = match given.parse::<u64>() {
                Ok(id) if !given.starts_with(['+', '0']) && country.is_none() => {
                    BlockedNumberId::new(id)
                }
                _ => client
                    .find_blocked_number(&in_country(given, country.as_deref())?)
                    .await
                    .map_err(|e| CliError::from(e).doing(format!("look up {given}")))?
                    .map(|entry| entry.id)
                    .ok_or_else(|| {
                        CliError::not_found(format!("{given} is not blocked"))
                            .hint("`lox24 blocked list` shows the blocked numbers.")
                    })?,
            };
            client.unblock_number(&id).await.map_err(|e| {
                CliError::from(e)
                    .doing(format!("unblock {given}"))
                    .hint_not_found("`lox24 blocked list` shows the blocked numbers.")
            })?;
            cx.out.show(&Deleted {
                deleted: "blocked number",
                id: id.to_string(),
            })?;
        }
    }
    Ok(Exit::Success)
}

/// `number` as is, or read as a national number of `country` when one is
/// given (as `--country` reads numbers elsewhere in this tool).
fn in_country(number: &str, country: Option<&str>) -> Result<String, CliError> {
    let Some(iso) = country else {
        return Ok(number.to_owned());
    };
    PhonePolicy::Normalize(Some(options::country(iso)?))
        .apply(number)
        .map(|number| number.into_owned())
        .map_err(|invalid| {
            CliError::invalid(
                "number",
                wording::describe_invalid_as(&invalid, "the number"),
            )
        })
}
