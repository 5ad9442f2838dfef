//! `lox24 bulks send|dryrun|status|wait|cancel|list`.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use lox24::{
    BulkId, BulkOrder, BulkQuery, BulkStatus, Client, Encoding, GroupId, NewBulk, Polling,
    ServiceCode, SortDirection, VoiceLanguage,
    text::{self, Alphabet},
};

use crate::{
    context::{Context, take},
    failure::{CliError, Exit},
    options::{EncodingArg, PhoneArgs, parse_duration, parse_group_id},
    output::{BulkList, DryRunView},
    when::parse_time,
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
        id: String,
        /// Read the whole campaign (text, sender, recipients) too.
        #[arg(long)]
        full: bool,
    },
    /// Wait until a campaign is processed, cancelled or failed.
    Wait {
        id: String,
        #[command(flatten)]
        waiting: WaitArgs,
    },
    /// Cancel a campaign that is new or in progress.
    Cancel { id: String },
    /// List campaigns, newest first.
    List(ListArgs),
}

/// What to send, from whom, to whom, when.
#[derive(Debug, Args)]
pub struct CampaignArgs {
    /// The sender: up to 11 letters, digits and spaces, or a number of up
    /// to 15 digits.
    #[arg(long = "from", value_name = "SENDER")]
    sender: String,

    /// The text (up to 1785 characters; `[Name colA]` … `[Name colE]` are
    /// replaced by each entry's columns).
    #[arg(
        long,
        required_unless_present = "text_file",
        conflicts_with = "text_file"
    )]
    text: Option<String>,

    /// Read the text from a file (`-` for stdin); one final line break is
    /// not part of the text.
    #[arg(long, value_name = "FILE")]
    text_file: Option<PathBuf>,

    /// Send to every entry of this group. Repeat for more groups.
    #[arg(long = "to-group", value_name = "ID", value_parser = parse_group_id)]
    groups: Vec<GroupId>,

    /// Send to this number. Repeat, or separate numbers with commas.
    #[arg(long = "to", value_name = "PHONE", value_delimiter = ',')]
    phones: Vec<String>,

    /// When to send (default: at once): 2026-06-01T09:00:00+02:00,
    /// 2026-06-01 09:00 (local time), +30m, +2h, @1780000000.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    at: Option<DateTime<Utc>>,

    /// The encoding on the air.
    #[arg(long, value_enum, default_value_t = EncodingArg::Auto)]
    encoding: EncodingArg,

    /// SMS (direct, the default) or a voice call reading the text.
    #[arg(long, value_enum)]
    service: Option<ServiceArg>,

    /// The language of a voice call (DE, EN, FR, …; default: detected).
    #[arg(long, value_name = "LANG", value_parser = parse_voice)]
    voice_lang: Option<VoiceLanguage>,

    /// Have LOX24 delete the text once the messages are delivered.
    #[arg(long)]
    delete_text: bool,

    /// A number of your choice that marks the campaign in itemised bills.
    #[arg(long, value_name = "N")]
    source: Option<i64>,

    #[command(flatten)]
    phones_policy: PhoneArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ServiceArg {
    Direct,
    Text2speech,
    Text2speechSsml,
}

/// How long and how often to ask.
#[derive(Debug, Args)]
pub struct WaitArgs {
    /// Give up waiting after this long (the campaign goes on).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "30m")]
    timeout: Duration,
    /// The first pause between two status requests; it grows up to 30 s.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "2s")]
    interval: Duration,
}

impl WaitArgs {
    fn polling(&self) -> Polling {
        Polling::new()
            .interval(self.interval)
            .max_interval(self.interval.max(Duration::from_secs(30)))
            .timeout(self.timeout)
    }
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
    /// Only campaigns created at or after this time (same forms as --at; a
    /// delay such as -7d counts back from now).
    #[arg(long, value_name = "TIME", value_parser = parse_past_time)]
    since: Option<DateTime<Utc>>,
    /// Only campaigns created before this time.
    #[arg(long, value_name = "TIME", value_parser = parse_past_time)]
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
            let text = campaign.text()?;
            let bulk = campaign.build(&text)?;
            let client = cx.client()?;
            note_text(cx, &text, campaign.encoding.into());
            let mut sent = bulk.send(&client).await.map_err(|e| {
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
                cx.out.show(created)?;
            }
        }
        Command::Dryrun { campaign } => {
            let text = campaign.text()?;
            let bulk = campaign.build(&text)?;
            let client = cx.client()?;
            note_text(cx, &text, campaign.encoding.into());
            let preview = bulk.dry_run(&client).await.map_err(|e| {
                CliError::from(e)
                    .doing("dry-run the campaign")
                    .hint_not_found("A group given with --to-group does not exist: `lox24 groups list` shows them.")
            })?;
            cx.out.show(&DryRunView(preview.bulk))?;
        }
        Command::Status { id, full } => {
            let client = cx.client()?;
            let id = BulkId::new(id);
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
            let id = BulkId::new(id);
            let mut campaign = client.campaign(id.clone());
            let done = campaign
                .wait_with(&waiting.polling())
                .await
                .map_err(|e| not_found(e, &format!("wait for campaign {id}")))?;
            cx.out.show(&done)?;
        }
        Command::Cancel { id } => {
            let client = cx.client()?;
            let id = BulkId::new(id);
            let cancelled = client
                .campaign(id.clone())
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
    query = match (args.since, args.until) {
        (Some(since), Some(until)) => query.created(since..until),
        (Some(since), None) => query.created(since..),
        (None, Some(until)) => query.created(..until),
        (None, None) => query,
    };
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
    fn text(&self) -> Result<String, CliError> {
        match (&self.text, &self.text_file) {
            (Some(text), _) => Ok(text.clone()),
            (None, Some(path)) => read_text_file(path),
            (None, None) => Err(CliError::usage("give the text with --text or --text-file")),
        }
    }

    /// The campaign, checked against every limit before anything is sent.
    fn build(&self, text: &str) -> Result<NewBulk, CliError> {
        if self.groups.is_empty() && self.phones.is_empty() {
            return Err(CliError::usage(
                "no recipients: give --to-group ID and/or --to PHONE",
            ));
        }
        let mut bulk = NewBulk::new(&self.sender, text)
            .to_groups(self.groups.iter().copied())
            .to_phones(self.phones.iter().map(|p| p.trim().to_owned()))
            .encoding(self.encoding.into())
            .phone_policy(self.phones_policy.policy()?);
        if let Some(at) = self.at {
            bulk = bulk.deliver_at(at);
        }
        if let Some(service) = self.service {
            bulk = bulk.service(match service {
                ServiceArg::Direct => ServiceCode::Direct,
                ServiceArg::Text2speech => ServiceCode::Text2speech,
                ServiceArg::Text2speechSsml => ServiceCode::Text2speechSsml,
            });
        }
        if let Some(language) = self.voice_lang {
            bulk = bulk.voice_language(language);
        }
        if self.delete_text {
            bulk = bulk.delete_text_after_sending(true);
        }
        if let Some(source) = self.source {
            bulk = bulk.source(source);
        }
        bulk.validate().map_err(lox24::Error::from)?;
        Ok(bulk)
    }
}

/// The text of a file or of stdin, without its final line break.
pub fn read_text_file(path: &Path) -> Result<String, CliError> {
    let read = if path.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(path)
    };
    let mut text = read.map_err(|e| CliError::io(format!("read {}", path.display()), e))?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

/// Tells what each message will be: its parts and alphabet, and which
/// characters force Unicode.
fn note_text(cx: &Context, text: &str, encoding: Encoding) {
    let analysis = text::analyze(text, encoding);
    let measure = analysis.measure();
    let mut note = format!(
        "text: {} SMS part{} per recipient ({} units of {})",
        measure.parts(),
        if measure.parts() == 1 { "" } else { "s" },
        measure.units(),
        match measure.alphabet() {
            Alphabet::Gsm7 => "GSM 03.38",
            Alphabet::Ucs2 => "UCS-2",
        }
    );
    if !analysis.placeholders().is_empty() {
        note.push_str(", before placeholders are replaced");
    }
    if measure.alphabet() == Alphabet::Ucs2 && encoding == Encoding::Auto {
        let culprits: Vec<String> = analysis
            .non_gsm()
            .iter()
            .take(5)
            .map(|c| format!("{:?}", c.character))
            .collect();
        if !culprits.is_empty() {
            note.push_str(&format!("; Unicode because of {}", culprits.join(", ")));
        }
    }
    cx.out.note(note);
}

fn parse_voice(text: &str) -> Result<VoiceLanguage, String> {
    text.trim()
        .to_ascii_uppercase()
        .parse()
        .map_err(|_| format!("{text:?} is not a voice language LOX24 offers (DE, EN, FR, …)"))
}

/// Like `--at`, and `-7d` counts back from now.
fn parse_past_time(text: &str) -> Result<DateTime<Utc>, String> {
    match text.trim().strip_prefix('-') {
        Some(ago) => {
            let ago = parse_duration(ago)?;
            chrono::Duration::from_std(ago)
                .ok()
                .and_then(|d| Utc::now().checked_sub_signed(d))
                .ok_or_else(|| format!("{text:?} is too far back"))
        }
        None => parse_time(text),
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

    #[test]
    fn parses_voice_languages() {
        assert_eq!(parse_voice("de"), Ok(VoiceLanguage::De));
        assert!(parse_voice("xx").is_err());
    }
}
