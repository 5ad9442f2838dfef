//! `lox24 bulks send|dryrun|status|wait|cancel|list`.

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use lox24::{BulkId, BulkOrder, BulkQuery, BulkStatus, Client, GroupId, NewBulk, SortDirection};

use crate::{
    context::{Context, take},
    failure::{CliError, Exit},
    message::{self, MessageArgs},
    options::{WaitArgs, parse_bulk_id, parse_group_id},
    output::{BulkList, DryRunView},
    when::{self, parse_past_time},
};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a campaign: it is sent (at once, or at --at).
    Send {
        #[command(flatten)]
        campaign: CampaignArgs,
        /// Then wait until LOX24 has processed it.
        #[arg(long)]
        wait: bool,
        #[command(flatten)]
        waiting: WaitArgs,
    },
    /// Ask LOX24 what a campaign would be (messages, cost) without sending
    /// or charging anything.
    Dryrun {
        #[command(flatten)]
        campaign: CampaignArgs,
    },
    /// Show where a campaign stands.
    Status {
        #[arg(value_parser = parse_bulk_id)]
        id: BulkId,
        /// Read the whole campaign (text, sender, recipients) too.
        #[arg(long)]
        full: bool,
    },
    /// Wait until a campaign is processed, cancelled or failed.
    Wait {
        #[arg(value_parser = parse_bulk_id)]
        id: BulkId,
        #[command(flatten)]
        waiting: WaitArgs,
    },
    /// Cancel a campaign that is new or in progress.
    Cancel {
        #[arg(value_parser = parse_bulk_id)]
        id: BulkId,
    },
    /// List campaigns, newest first.
    List(ListArgs),
}

/// What to send, from whom, to whom, when.
#[derive(Debug, Args)]
pub struct CampaignArgs {
    #[command(flatten)]
    message: MessageArgs,

    /// Send to every entry of this group. Repeat for more groups.
    #[arg(long = "to-group", value_name = "ID", value_parser = parse_group_id)]
    groups: Vec<GroupId>,

    /// Send to this number. Repeat, or separate numbers with commas.
    #[arg(long = "to", value_name = "PHONE", value_delimiter = ',')]
    phones: Vec<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only campaigns in this status. Repeat for several.
    #[arg(long, value_enum)]
    status: Vec<StatusArg>,
    /// Only dry runs.
    #[arg(long, conflicts_with = "no_dry_runs")]
    dry_runs: bool,
    /// No dry runs.
    #[arg(long)]
    no_dry_runs: bool,
    /// Only campaigns whose text contains this.
    #[arg(long, value_name = "TEXT")]
    text: Option<String>,
    /// Only campaigns whose sender contains this.
    #[arg(long, value_name = "SENDER")]
    sender: Option<String>,
    /// Only campaigns created at or after this time: the forms of --at, or a
    /// time back from now such as -7d, -12h or -1h30m.
    #[arg(long, value_name = "TIME", value_parser = parse_past_time, allow_hyphen_values = true)]
    since: Option<DateTime<Utc>>,
    /// Only campaigns created before this time (the forms of --since).
    #[arg(long, value_name = "TIME", value_parser = parse_past_time, allow_hyphen_values = true)]
    until: Option<DateTime<Utc>>,
    /// The order: created_at, delivery_at, processed_at or msg_total_count,
    /// with `:asc` or `:desc` (the default).
    #[arg(long, value_name = "FIELD[:DIR]", value_parser = parse_order)]
    order: Option<(BulkOrder, SortDirection)>,
    /// List at most this many.
    #[arg(long, default_value_t = 50, conflicts_with = "all")]
    limit: usize,
    /// List every matching campaign, page after page.
    #[arg(long)]
    all: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum StatusArg {
    New,
    InProgress,
    Processed,
    Cancelled,
    SystemError,
    NoRecipients,
}

impl From<StatusArg> for BulkStatus {
    fn from(arg: StatusArg) -> Self {
        match arg {
            StatusArg::New => BulkStatus::New,
            StatusArg::InProgress => BulkStatus::InProgress,
            StatusArg::Processed => BulkStatus::Processed,
            StatusArg::Cancelled => BulkStatus::Cancelled,
            StatusArg::SystemError => BulkStatus::SystemError,
            StatusArg::NoRecipients => BulkStatus::NoRecipients,
        }
    }
}

pub async fn run(command: Command, cx: &Context) -> Result<Exit, CliError> {
    match command {
        Command::Send {
            campaign,
            wait,
            waiting,
        } => {
            let text = campaign.message.text()?;
            let bulk = campaign.build(&text)?;
            let client = cx.client()?;
            campaign.message.note_text(cx, &text);
            let sent = client.create_bulk(&bulk).await.map_err(|e| {
                CliError::from(e)
                    .doing("create the campaign")
                    .hint_not_found("A group given with --to-group does not exist: `lox24 groups list` shows them.")
            })?;
            if wait {
                cx.out
                    .note(format!("campaign {} created; waiting…", sent.id()));
                let done = sent.wait_with(&waiting.polling()).await.map_err(|e| {
                    CliError::from(e).doing(format!("wait for campaign {}", sent.id()))
                })?;
                cx.out.show(&done)?;
            } else if let Some(created) = sent.last_known() {
                cx.out.show(&created)?;
            }
        }
        Command::Dryrun { campaign } => {
            let text = campaign.message.text()?;
            let bulk = campaign.build(&text)?;
            let client = cx.client()?;
            campaign.message.note_text(cx, &text);
            let preview = client.dry_run_bulk(&bulk).await.map_err(|e| {
                CliError::from(e)
                    .doing("dry-run the campaign")
                    .hint_not_found("A group given with --to-group does not exist: `lox24 groups list` shows them.")
            })?;
            cx.out.show(&DryRunView {
                bulk: preview.bulk,
                account: message::paid_from(&client).await,
            })?;
        }
        Command::Status { id, full } => {
            let client = cx.client()?;
            let read = if full {
                client.get_bulk(&id).await
            } else {
                client.get_bulk_status(&id).await
            };
            let bulk = read.map_err(|e| not_found(e, &format!("read campaign {id}")))?;
            cx.out.show(&bulk)?;
        }
        Command::Wait { id, waiting } => {
            let client = cx.client()?;
            let campaign = client.campaign(&id);
            let done = campaign
                .wait_with(&waiting.polling())
                .await
                .map_err(|e| not_found(e, &format!("wait for campaign {id}")))?;
            cx.out.show(&done)?;
        }
        Command::Cancel { id } => {
            let client = cx.client()?;
            let cancelled = client
                .campaign(&id)
                .cancel()
                .await
                .map_err(|e| not_found(e, &format!("cancel campaign {id}")))?;
            cx.out.show(&cancelled)?;
        }
        Command::List(args) => list(&cx.client()?, args, cx).await?,
    }
    Ok(Exit::Success)
}

async fn list(client: &Client, args: ListArgs, cx: &Context) -> Result<(), CliError> {
    let mut query = BulkQuery::new().statuses(args.status.iter().map(|&s| s.into()));
    if args.dry_runs || args.no_dry_runs {
        query = query.dry_runs(args.dry_runs);
    }
    if let Some(text) = args.text {
        query = query.text_containing(text);
    }
    if let Some(sender) = args.sender {
        query = query.sender_containing(sender);
    }
    if let Some(range) = when::between(args.since, args.until) {
        query = query.created(range);
    }
    if let Some((field, direction)) = args.order {
        query = query.order_by(field, direction);
    }
    let limit = if args.all { usize::MAX } else { args.limit };
    let (bulks, total_items, more) = take(client.list_bulks(&query).await, limit)
        .await
        .map_err(|e| CliError::from(e).doing("list the campaigns"))?;
    cx.out.show(&BulkList {
        total_items,
        bulks,
        more,
    })
}

fn not_found(error: lox24::Error, doing: &str) -> CliError {
    CliError::from(error)
        .doing(doing)
        .hint_not_found("`lox24 bulks list` shows the campaigns there are.")
}

impl CampaignArgs {
    /// The campaign, checked against every limit before anything is sent.
    fn build(&self, text: &str) -> Result<NewBulk, CliError> {
        if self.groups.is_empty() && self.phones.is_empty() {
            return Err(CliError::usage(
                "no recipients: give --to-group ID and/or --to PHONE",
            ));
        }
        let bulk = NewBulk::new(&self.message.sender, text)
            .to_groups(self.groups.iter().copied())
            .to_phones(self.phones.iter().map(|p| p.trim().to_owned()));
        let bulk = crate::message::with_options!(bulk, self.message)?;
        self.message.checked(bulk.validate()).map(|()| bulk)
    }
}

fn parse_order(text: &str) -> Result<(BulkOrder, SortDirection), String> {
    let (field, direction) = text.split_once(':').unwrap_or((text, "desc"));
    let field = match field.trim() {
        "created_at" | "created" => BulkOrder::CreatedAt,
        "delivery_at" | "delivery" => BulkOrder::DeliveryAt,
        "processed_at" | "processed" => BulkOrder::ProcessedAt,
        "msg_total_count" | "messages" => BulkOrder::MessageCount,
        other => {
            return Err(format!(
                "{other:?} cannot be sorted by; use created_at, delivery_at, processed_at or \
                 msg_total_count"
            ));
        }
    };
    let direction = match direction.trim() {
        "asc" => SortDirection::Asc,
        "desc" => SortDirection::Desc,
        other => return Err(format!("{other:?} is not a direction; use asc or desc")),
    };
    Ok((field, direction))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_orders() {
        assert_eq!(
            parse_order("msg_total_count:asc"),
            Ok((BulkOrder::MessageCount, SortDirection::Asc))
        );
        assert_eq!(
            parse_order("created_at"),
            Ok((BulkOrder::CreatedAt, SortDirection::Desc))
        );
        assert!(parse_order("text").is_err());
        assert!(parse_order("created_at:up").is_err());
    }
}
