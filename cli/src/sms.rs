//! `lox24 sms send|dryrun|status|list`: single messages, and the messages
//! of campaigns.

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use lox24::{
    BulkId, Client, DlrCode, Error, NewSms, Sms, SmsId, SmsOrder, SmsQuery, SmsStatus,
    SortDirection,
};

use crate::{
    context::{Context, take},
    failure::{CliError, Exit, NUMBER_FORMS, wording},
    message::{self, MessageArgs},
    options::{self, WaitArgs, parse_bulk_id, parse_sms_id},
    output::{SmsDryRunView, SmsList},
    when::{self, parse_past_time},
};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send one SMS (or voice call) to one number.
    Send {
        #[command(flatten)]
        sms: SmsArgs,
        /// Then wait until the message's delivery report is final.
        #[arg(long)]
        wait: bool,
        #[command(flatten)]
        waiting: WaitArgs,
    },
    /// Ask LOX24 what a message would be (parts, price) without sending
    /// or charging anything.
    Dryrun {
        #[command(flatten)]
        sms: SmsArgs,
    },
    /// Show a message's status and delivery report.
    Status {
        #[arg(value_parser = parse_sms_id)]
        id: SmsId,
        /// Wait until its delivery report is final.
        #[arg(long)]
        wait: bool,
        #[command(flatten)]
        waiting: WaitArgs,
    },
    /// List messages (single ones and campaigns'), newest first.
    List(ListArgs),
}

/// What to send, from whom, to whom, when.
#[derive(Debug, Args)]
pub struct SmsArgs {
    #[command(flatten)]
    message: MessageArgs,

    /// The recipient's number.
    #[arg(long = "to", value_name = "PHONE")]
    phone: String,

    /// Your text (up to 36 characters, e.g. an order number) that LOX24
    /// carries back in the message's delivery report.
    #[arg(long, value_name = "TEXT")]
    callback_data: Option<String>,
}

impl SmsArgs {
    /// The message, checked against every limit before anything is sent.
    fn build(&self, text: &str) -> Result<NewSms, CliError> {
        let mut sms = NewSms::new(&self.message.sender, text, self.phone.trim());
        if let Some(data) = &self.callback_data {
            sms = sms.callback_data(data);
        }
        let sms = crate::message::with_options!(sms, self.message)?;
        match sms.validate() {
            // Named as the option it came from, with the options that
            // read other forms of numbers (as `bulks send` does).
            Err(invalid) if invalid.field() == "phone" => Err(CliError::invalid(
                "phone",
                wording::describe_invalid_as(&invalid, "the recipient (--to)"),
            )
            .hint(NUMBER_FORMS)),
            checked => self.message.checked(checked).map(|()| sms),
        }
    }
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only the messages of this campaign.
    #[arg(long, value_name = "ID", value_parser = parse_bulk_id)]
    bulk: Option<BulkId>,
    /// Only messages in this status. Repeat for several.
    #[arg(long, value_enum)]
    status: Vec<StatusArg>,
    /// Only messages with this delivery report. Repeat for several.
    #[arg(long, value_enum)]
    report: Vec<ReportArg>,
    /// Only messages sent with this callback data.
    #[arg(long, value_name = "TEXT")]
    callback_data: Option<String>,
    /// Only messages to numbers containing these digits.
    #[arg(long, value_name = "DIGITS")]
    phone: Option<String>,
    /// Only messages whose text contains this.
    #[arg(long, value_name = "TEXT")]
    text: Option<String>,
    /// Only messages whose sender contains this.
    #[arg(long, value_name = "SENDER")]
    sender: Option<String>,
    /// Only messages to numbers of this country (ISO code such as DE).
    #[arg(long, value_name = "CC")]
    country: Option<String>,
    /// Only messages created at or after this time: a time such as
    /// 2026-06-01 09:00, or back from now such as -7d, -12h or -1h30m.
    #[arg(long, value_name = "TIME", value_parser = parse_past_time, allow_hyphen_values = true)]
    since: Option<DateTime<Utc>>,
    /// Only messages created before this time (the forms of --since).
    #[arg(long, value_name = "TIME", value_parser = parse_past_time, allow_hyphen_values = true)]
    until: Option<DateTime<Utc>>,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum StatusArg {
    New,
    Sent,
    Blocked,
    Maintenance,
    Stopped,
    Landline,
    NoFunds,
    NoNetwork,
    Cancelled,
}

impl From<StatusArg> for SmsStatus {
    fn from(arg: StatusArg) -> Self {
        match arg {
            StatusArg::New => SmsStatus::New,
            StatusArg::Sent => SmsStatus::Sent,
            StatusArg::Blocked => SmsStatus::Blocked,
            StatusArg::Maintenance => SmsStatus::Maintenance,
            StatusArg::Stopped => SmsStatus::Stopped,
            StatusArg::Landline => SmsStatus::Landline,
            StatusArg::NoFunds => SmsStatus::InsufficientFunds,
            StatusArg::NoNetwork => SmsStatus::NoNetwork,
            StatusArg::Cancelled => SmsStatus::Cancelled,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ReportArg {
    None,
    Delivered,
    Queued,
    EnRoute,
    Expired,
    Rejected,
}

impl From<ReportArg> for DlrCode {
    fn from(arg: ReportArg) -> Self {
        match arg {
            ReportArg::None => DlrCode::None,
            ReportArg::Delivered => DlrCode::Delivered,
            ReportArg::Queued => DlrCode::Queued,
            ReportArg::EnRoute => DlrCode::EnRoute,
            ReportArg::Expired => DlrCode::Expired,
            ReportArg::Rejected => DlrCode::Rejected,
        }
    }
}

pub async fn run(command: Command, cx: &Context) -> Result<Exit, CliError> {
    match command {
        Command::Send { sms, wait, waiting } => {
            let text = sms.message.text()?;
            let new = sms.build(&text)?;
            let client = cx.client()?;
            sms.message.note_text(cx, &text);
            let sent = client
                .send_sms(&new)
                .await
                .map_err(|e| CliError::from(e).doing("send the message"))?;
            if wait {
                cx.out.note(format!("message {} sent; waiting…", sent.uuid));
                return follow(&client, sent, &waiting, cx).await;
            }
            cx.out.show(&sent)?;
        }
        Command::Dryrun { sms } => {
            let text = sms.message.text()?;
            let new = sms.build(&text)?;
            let client = cx.client()?;
            sms.message.note_text(cx, &text);
            let preview = client
                .dry_run_sms(&new)
                .await
                .map_err(|e| CliError::from(e).doing("dry-run the message"))?;
            cx.out.show(&SmsDryRunView {
                sms: preview,
                account: message::paid_from(&client).await,
            })?;
        }
        Command::Status { id, wait, waiting } => {
            let client = cx.client()?;
            let sms = read(&client, &id).await?;
            if wait {
                return follow(&client, sms, &waiting, cx).await;
            }
            cx.out.show(&sms)?;
        }
        Command::List(args) => list(&cx.client()?, args, cx).await?,
    }
    Ok(Exit::Success)
}

async fn read(client: &Client, id: &SmsId) -> Result<Sms, CliError> {
    client.get_sms(id).await.map_err(|e| {
        CliError::from(e)
            .doing(format!("read message {id}"))
            .hint_not_found("`lox24 sms list` shows the messages there are.")
    })
}

/// Asks for the message on `waiting`'s schedule until its delivery report
/// is final, and prints its last state; exit 6 when the wait gave up first.
async fn follow(
    client: &Client,
    sms: Sms,
    waiting: &WaitArgs,
    cx: &Context,
) -> Result<Exit, CliError> {
    if sms.is_settled() {
        cx.out.show(&sms)?;
        return Ok(Exit::Success);
    }
    match client.wait_for_sms(&sms.uuid, &waiting.polling()).await {
        Ok(settled) => {
            cx.out.show(&settled)?;
            Ok(Exit::Success)
        }
        Err(Error::SmsWaitTimeout(late)) => {
            cx.out.show(late.last())?;
            cx.out.problem(format!(
                "message {} has no final delivery report after {}s; it goes on",
                sms.uuid,
                late.waited().as_secs()
            ));
            Ok(Exit::StillRunning)
        }
        Err(other) => Err(CliError::from(other)
            .doing(format!("read message {}", sms.uuid))
            .hint_not_found("`lox24 sms list` shows the messages there are.")),
    }
}

async fn list(client: &Client, args: ListArgs, cx: &Context) -> Result<(), CliError> {
    let mut query = SmsQuery::new()
        .statuses(args.status.iter().map(|&s| s.into()))
        .dlr_codes(args.report.iter().map(|&r| r.into()));
    if let Some(bulk) = &args.bulk {
        query = query.bulk(bulk);
    }
    if let Some(data) = args.callback_data {
        query = query.callback_data(data);
    }
    if let Some(phone) = args.phone {
        query = query.phone_containing(phone);
    }
    if let Some(text) = args.text {
        query = query.text_containing(text);
    }
    if let Some(sender) = args.sender {
        query = query.sender_containing(sender);
    }
    if let Some(iso) = &args.country {
        query = query.country(options::country(iso)?);
    }
    if let Some(range) = when::between(args.since, args.until) {
        query = query.created(range);
    }
    if args.oldest_first {
        query = query.order_by(SmsOrder::CreatedAt, SortDirection::Asc);
    }
    let limit = if args.all { usize::MAX } else { args.limit };
    let (messages, total_items, more) = take(client.list_sms(&query).await, limit)
        .await
        .map_err(|e| CliError::from(e).doing("list the messages"))?;
    cx.out.show(&SmsList {
        total_items,
        messages,
        more,
    })
}
