//! `lox24 replies list`: the messages the account received.

use clap::{Args, Subcommand};
use lox24::{ReplyQuery, SmsId, SortDirection};

use crate::{
    context::{Context, take},
    failure::{CliError, Exit},
    options::parse_sms_id,
    output::ReplyList,
};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List received messages (replies and messages to your inbound
    /// numbers), newest first.
    List(ListArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only messages from this number.
    #[arg(long, value_name = "PHONE")]
    from: Option<String>,
    /// Only messages to this number of yours.
    #[arg(long, value_name = "PHONE")]
    to: Option<String>,
    /// Only replies to this message (its id, from `lox24 sms list`).
    #[arg(long, value_name = "SMS_ID", value_parser = parse_sms_id)]
    replying_to: Option<SmsId>,
    /// Only messages whose text contains this.
    #[arg(long, value_name = "TEXT")]
    containing: Option<String>,
    /// Oldest first.
    #[arg(long)]
    oldest_first: bool,
    /// List at most this many.
    #[arg(long, default_value_t = 50, conflicts_with = "all")]
    limit: usize,
    /// List every matching message, page after page.
    #[arg(long)]
    all: bool,
}

pub async fn run(command: Command, cx: &Context) -> Result<Exit, CliError> {
    let Command::List(args) = command;
    let mut query = ReplyQuery::new();
    if let Some(from) = args.from {
        query = query.from(from);
    }
    if let Some(to) = args.to {
        query = query.to(to);
    }
    if let Some(sms) = &args.replying_to {
        query = query.replying_to(sms);
    }
    if let Some(text) = args.containing {
        query = query.text_containing(text);
    }
    if args.oldest_first {
        query = query.order_by_arrival(SortDirection::Asc);
    }
    let client = cx.client()?;
    let limit = if args.all { usize::MAX } else { args.limit };
    let (replies, total_items, more) = take(client.list_replies(&query).await, limit)
        .await
        .map_err(|e| CliError::from(e).doing("list the received messages"))?;
    cx.out.show(&ReplyList {
        total_items,
        replies,
        more,
    })?;
    Ok(Exit::Success)
}
