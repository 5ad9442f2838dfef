//! `lox24 links list|create|show|delete|clicks`: short-link campaigns (a
//! named link to a URL, put into messages as short links) and the clicks
//! on their links.

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand, ValueEnum};
use lox24::{
    Error, GroupId, ShortLinkRequestQuery, SortDirection, ValidationError,
    links::{NewShortLinkCampaign, ShortLinkCampaignCode, ShortLinkCampaignQuery, ShortLinkKind},
};

use crate::{
    context::{Context, take},
    failure::{CliError, Exit, wording},
    groups::confirm,
    options::{self, parse_group_id},
    output::{ClickList, Deleted, LinkCampaignList},
    when::{self, parse_past_time},
};

/// Where to find a campaign's code.
const LIST_HINT: &str = "`lox24 links list` shows the short-link campaigns and their codes.";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the short-link campaigns.
    List(ListArgs),
    /// Create a short-link campaign: a named link to your URL, or to
    /// LOX24's subscription or unsubscription form.
    Create(CreateArgs),
    /// Show one short-link campaign.
    Show {
        /// The campaign's code (from `lox24 links list`).
        code: String,
    },
    /// Delete a short-link campaign.
    Delete {
        /// The campaign's code (from `lox24 links list`).
        code: String,
        /// Do not ask for confirmation (needed when stdin is not a terminal).
        #[arg(long, short)]
        yes: bool,
    },
    /// List the clicks on a campaign's links (the requests made to them).
    Clicks(ClicksArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only campaigns whose name contains this.
    #[arg(long, value_name = "TEXT")]
    name: Option<String>,
    /// Only campaigns whose URL contains this.
    #[arg(long, value_name = "TEXT")]
    url: Option<String>,
    /// Only campaigns whose links are made so. Repeat for several.
    #[arg(long, value_enum)]
    kind: Vec<KindArg>,
    /// Only campaigns created at or after this time: a time such as
    /// 2026-06-01 09:00, or back from now such as -7d, -12h or -1h30m.
    #[arg(long, value_name = "TIME", value_parser = parse_past_time, allow_hyphen_values = true)]
    since: Option<DateTime<Utc>>,
    /// Only campaigns created before this time (the forms of --since).
    #[arg(long, value_name = "TIME", value_parser = parse_past_time, allow_hyphen_values = true)]
    until: Option<DateTime<Utc>>,
    /// Oldest first (without it or --newest-first: in LOX24's order).
    #[arg(long, conflicts_with = "newest_first")]
    oldest_first: bool,
    /// Newest first.
    #[arg(long)]
    newest_first: bool,
    /// List at most this many.
    #[arg(long, default_value_t = 50, conflicts_with = "all")]
    limit: usize,
    /// List every matching campaign, page after page.
    #[arg(long)]
    all: bool,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// Its name (up to 100 characters, on one line).
    #[arg(long)]
    name: String,
    /// The http or https URL its links lead to (needed unless --subscribe
    /// or --unsubscribe).
    #[arg(
        long,
        value_name = "URL",
        required_unless_present_any = ["subscribe", "unsubscribe"]
    )]
    url: Option<String>,
    /// How its links are made.
    #[arg(long, value_enum, default_value_t = KindArg::Shared)]
    kind: KindArg,
    /// Instead of --url: a link to LOX24's subscription form, where a number
    /// entered joins the group given with --group.
    #[arg(long, requires = "group", conflicts_with_all = ["url", "kind", "unsubscribe"])]
    subscribe: bool,
    /// Instead of --url: a link to LOX24's unsubscription form, where a
    /// number entered is blocked and recorded in the group given with
    /// --group.
    #[arg(long, requires = "group", conflicts_with_all = ["url", "kind"])]
    unsubscribe: bool,
    /// The group (its id): the one the campaign belongs to; with
    /// --subscribe, the one numbers join; with --unsubscribe, the one
    /// unsubscriptions are recorded in.
    #[arg(long, value_name = "ID", value_parser = parse_group_id)]
    group: Option<GroupId>,
}

#[derive(Debug, Args)]
pub struct ClicksArgs {
    /// The campaign's code (from `lox24 links list`).
    code: String,
    /// Only clicks at or after this time: a time such as 2026-06-01 09:00,
    /// or back from now such as -7d, -12h or -1h30m.
    #[arg(long, value_name = "TIME", value_parser = parse_past_time, allow_hyphen_values = true)]
    since: Option<DateTime<Utc>>,
    /// Only clicks before this time (the forms of --since).
    #[arg(long, value_name = "TIME", value_parser = parse_past_time, allow_hyphen_values = true)]
    until: Option<DateTime<Utc>>,
    /// Only clicks from this country (ISO code such as DE). Repeat for
    /// several.
    #[arg(long, value_name = "CC")]
    country: Vec<String>,
    /// Oldest first (without it or --newest-first: in LOX24's order).
    #[arg(long, conflicts_with = "newest_first")]
    oldest_first: bool,
    /// Newest first.
    #[arg(long)]
    newest_first: bool,
    /// List at most this many.
    #[arg(long, default_value_t = 50, conflicts_with = "all")]
    limit: usize,
    /// List every matching click, page after page.
    #[arg(long)]
    all: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// One short link that every message shares, free of charge; its
    /// clicks are counted together.
    Shared,
    /// A short link of its own for each message, charged per link, so that
    /// each recipient's clicks can be told apart.
    PerMessage,
}

impl From<KindArg> for ShortLinkKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Shared => ShortLinkKind::Shared,
            KindArg::PerMessage => ShortLinkKind::PerMessage,
        }
    }
}

pub async fn run(command: Command, cx: &Context) -> Result<Exit, CliError> {
    match command {
        Command::List(args) => list(args, cx).await?,
        Command::Create(args) => create(args, cx).await?,
        Command::Show { code } => {
            let code = checked_code(&code)?;
            let campaign = cx
                .client()?
                .get_short_link_campaign(&code)
                .await
                .map_err(|e| {
                    CliError::from(e)
                        .doing(format!("read short-link campaign {code}"))
                        .hint_not_found(LIST_HINT)
                })?;
            cx.out.show(&campaign)?;
        }
        Command::Delete { code, yes } => {
            let code = checked_code(&code)?;
            let client = cx.client()?;
            if !yes {
                confirm(&format!(
                    "Delete short-link campaign {code}? This cannot be undone."
                ))?;
            }
            client
                .delete_short_link_campaign(&code)
                .await
                .map_err(|e| {
                    CliError::from(e)
                        .doing(format!("delete short-link campaign {code}"))
                        .hint_not_found(LIST_HINT)
                })?;
            cx.out.show(&Deleted {
                deleted: "short-link campaign",
                id: code.to_string(),
            })?;
        }
        Command::Clicks(args) => clicks(args, cx).await?,
    }
    Ok(Exit::Success)
}

async fn list(args: ListArgs, cx: &Context) -> Result<(), CliError> {
    let mut query = ShortLinkCampaignQuery::new();
    if let Some(name) = args.name {
        query = query.name_containing(name);
    }
    if let Some(url) = args.url {
        query = query.url_containing(url);
    }
    for kind in args.kind {
        query = query.kind(kind.into());
    }
    if let Some(range) = when::between(args.since, args.until) {
        query = query.created(range);
    }
    if let Some(direction) = order(args.oldest_first, args.newest_first) {
        query = query.order_by_created(direction);
    }
    query.validate().map_err(|e| refused(&e, filter_option))?;
    let client = cx.client()?;
    let limit = if args.all { usize::MAX } else { args.limit };
    let (campaigns, total_items, more) =
        take(client.list_short_link_campaigns(&query).await, limit)
            .await
            .map_err(|e| failed(e, filter_option, "list the short-link campaigns"))?;
    cx.out.show(&LinkCampaignList {
        total_items,
        campaigns,
        more,
    })
}

async fn create(args: CreateArgs, cx: &Context) -> Result<(), CliError> {
    let CreateArgs {
        name,
        url,
        kind,
        subscribe,
        unsubscribe,
        group,
    } = args;
    let created = match (url, group) {
        (Some(url), group) => {
            let mut campaign = NewShortLinkCampaign::new(name, url.trim(), kind.into());
            if let Some(group) = group {
                campaign = campaign.group(group);
            }
            campaign
                .validate()
                .map_err(|e| refused(&e, create_option))?;
            cx.client()?
                .create_short_link_campaign(&campaign)
                .await
                .map_err(|e| failed(e, create_option, "create the short-link campaign"))
        }
        // clap requires --group with either, and --url without them.
        (None, Some(group)) if subscribe || unsubscribe => {
            let client = cx.client()?;
            let created = if subscribe {
                client.create_subscription_link(&name, group).await
            } else {
                client.create_unsubscription_link(&name, group).await
            };
            created.map_err(|e| {
                let what = if subscribe {
                    "subscription"
                } else {
                    "unsubscription"
                };
                failed(e, create_option, format!("create the {what} link"))
            })
        }
        (None, _) => Err(CliError::usage(
            "give the URL with --url, or --subscribe or --unsubscribe with --group",
        )),
    }?;
    cx.out.show(&created)
}

async fn clicks(args: ClicksArgs, cx: &Context) -> Result<(), CliError> {
    let code = checked_code(&args.code)?;
    let mut query = ShortLinkRequestQuery::new();
    for iso in &args.country {
        query = query.country(options::country(iso)?);
    }
    if let Some(range) = when::between(args.since, args.until) {
        query = query.made(range);
    }
    if let Some(direction) = order(args.oldest_first, args.newest_first) {
        query = query.order_by_date(direction);
    }
    query.validate().map_err(|e| refused(&e, filter_option))?;
    let client = cx.client()?;
    let limit = if args.all { usize::MAX } else { args.limit };
    let listing = client
        .list_short_link_campaign_requests(&code, &query)
        .await;
    let (clicks, total_items, more) = take(listing, limit).await.map_err(|e| {
        failed(
            e,
            filter_option,
            format!("list the clicks of short-link campaign {code}"),
        )
        .hint_not_found(LIST_HINT)
    })?;
    cx.out.show(&ClickList {
        campaign: code,
        total_items,
        clicks,
        more,
    })
}

/// The direction of `--oldest-first` or `--newest-first` (clap allows one).
fn order(oldest_first: bool, newest_first: bool) -> Option<SortDirection> {
    if oldest_first {
        Some(SortDirection::Asc)
    } else if newest_first {
        Some(SortDirection::Desc)
    } else {
        None
    }
}

/// A campaign's code, checked against the library's rule before anything
/// is sent (or asked).
fn checked_code(text: &str) -> Result<ShortLinkCampaignCode, CliError> {
    let text = text.trim();
    lox24::limits::SHORT_LINK_CAMPAIGN_CODE
        .check_at("code", text)
        .map_err(|e| {
            CliError::invalid(
                e.field(),
                wording::describe_invalid_as(&e, &format!("the campaign code {text:?}")),
            )
            .hint(LIST_HINT)
        })?;
    Ok(ShortLinkCampaignCode::new(text))
}

/// A library error: an input it refused before sending, named by the
/// option it came from, or LOX24's answer, with what was being done (and
/// where to look up a group LOX24 does not know).
fn failed(
    error: Error,
    option: fn(&str) -> Option<&'static str>,
    doing: impl Into<String>,
) -> CliError {
    if let Error::Validation(invalid) = &error {
        return refused(invalid, option);
    }
    let unknown_group = error
        .violations()
        .iter()
        .any(|v| v.property_path == "group_id");
    let error = CliError::from(error).doing(doing);
    if unknown_group {
        error.hint("Check --group: `lox24 groups list` shows the groups there are.")
    } else {
        error
    }
}

/// An input the library refused before sending, named by its option.
fn refused(invalid: &ValidationError, option: fn(&str) -> Option<&'static str>) -> CliError {
    match option(invalid.field()) {
        Some(subject) => CliError::invalid(
            invalid.field(),
            wording::describe_invalid_as(invalid, subject),
        ),
        None => CliError::from(Error::from(invalid.clone())),
    }
}

/// The option of `links create` behind a field of LOX24's.
fn create_option(field: &str) -> Option<&'static str> {
    Some(match field {
        "name" => "the campaign's name (--name)",
        "url" => "the URL (--url)",
        "type" => "the kind (--kind)",
        "group_id" => "the group (--group)",
        _ => return None,
    })
}

/// The option of a filter of `links list` or `links clicks`.
fn filter_option(field: &str) -> Option<&'static str> {
    Some(match field {
        "name" => "--name",
        "url" => "--url",
        time if time.starts_with("created_at") || time.starts_with("date") => {
            "the time range (--since/--until)"
        }
        _ => return None,
    })
}
