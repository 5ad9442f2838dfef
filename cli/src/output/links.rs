//! Short-link campaigns, and the clicks on their links.

use std::fmt::Write as _;

use lox24::links::{ShortLinkCampaign, ShortLinkCampaignCode, ShortLinkKind, ShortLinkRequest};
use serde::Serialize;

use super::{
    Render, Text, field, local_time,
    table::{Table, shorten},
};

/// The kind, in a word or two (the list's column).
fn kind(kind: Option<ShortLinkKind>) -> String {
    match kind {
        Some(ShortLinkKind::Shared) => "shared".to_owned(),
        Some(ShortLinkKind::PerMessage) => "per message".to_owned(),
        Some(other) => format!("kind {}", other.code()),
        None => String::new(),
    }
}

/// The kind, explained (the campaign's own view).
fn kind_explained(kind: ShortLinkKind) -> String {
    match kind {
        ShortLinkKind::Shared => "shared (one link for every message)".to_owned(),
        ShortLinkKind::PerMessage => "per message (a link of its own for each)".to_owned(),
        other => format!("{} (a kind this tool does not know)", other.code()),
    }
}

fn code(campaign: &ShortLinkCampaign) -> &str {
    campaign
        .id
        .as_ref()
        .map_or("", ShortLinkCampaignCode::as_str)
}

/// One short-link campaign, as LOX24 answered it (JSON: LOX24's own
/// fields).
impl Render for ShortLinkCampaign {
    fn human(&self, out: &mut Text) {
        let _ = writeln!(
            out,
            "short-link campaign {}: {}",
            code(self),
            self.name.as_deref().unwrap_or_default()
        );
        if let Some(url) = &self.url {
            field(out, "url", url);
        }
        if let Some(kind) = self.kind {
            field(out, "kind", kind_explained(kind));
        }
        if let Some(group) = self.group_id {
            field(out, "group", group);
        }
        if let Some(at) = self.created_at {
            field(out, "created", local_time(at));
        }
    }
}

/// Short-link campaigns.
#[derive(Serialize)]
pub struct LinkCampaignList {
    /// How many campaigns match, when LOX24 said.
    pub total_items: Option<u64>,
    pub campaigns: Vec<ShortLinkCampaign>,
    /// Whether more campaigns match than were listed (`--limit`).
    pub more: bool,
}

impl Render for LinkCampaignList {
    fn human(&self, out: &mut Text) {
        if self.campaigns.is_empty() {
            out.push_str("no short-link campaigns\n");
            return;
        }
        let mut table = Table::new(&["CODE", "NAME", "KIND", "GROUP", "CREATED", "URL"]);
        for campaign in &self.campaigns {
            table.row(vec![
                code(campaign).to_owned(),
                shorten(campaign.name.as_deref().unwrap_or_default(), 40),
                kind(campaign.kind),
                campaign.group_id.map(|g| g.to_string()).unwrap_or_default(),
                campaign.created_at.map(local_time).unwrap_or_default(),
                // Last, and whole: a URL cut short is of no use.
                campaign.url.clone().unwrap_or_default(),
            ]);
        }
        table.render(out);
        super::more(out, self.more, self.campaigns.len(), self.total_items);
    }
}

/// The clicks on a campaign's links: the requests made to them.
#[derive(Serialize)]
pub struct ClickList {
    /// The campaign's code.
    pub campaign: ShortLinkCampaignCode,
    /// How many clicks match, when LOX24 said.
    pub total_items: Option<u64>,
    pub clicks: Vec<ShortLinkRequest>,
    /// Whether more clicks match than were listed (`--limit`).
    pub more: bool,
}

impl Render for ClickList {
    fn human(&self, out: &mut Text) {
        if self.clicks.is_empty() {
            let _ = writeln!(
                out,
                "no clicks on the links of short-link campaign {}",
                self.campaign
            );
            return;
        }
        let mut table = Table::new(&["ID", "TIME", "COUNTRY", "DEVICE", "OS", "BROWSER", "IP"]);
        for click in &self.clicks {
            let text = |value: &Option<String>| shorten(value.as_deref().unwrap_or_default(), 24);
            table.row(vec![
                click.id.to_string(),
                click.date.map(local_time).unwrap_or_default(),
                text(&click.country),
                text(&click.hardware_type),
                join(&click.os, &click.os_version),
                join(&click.browser, &click.browser_version),
                click.ip.clone().unwrap_or_default(),
            ]);
        }
        table.render(out);
        super::more(out, self.more, self.clicks.len(), self.total_items);
    }
}

/// `Android 14`: a name and its version, as far as known.
fn join(name: &Option<String>, version: &Option<String>) -> String {
    let parts: Vec<&str> = [name, version]
        .into_iter()
        .filter_map(|part| part.as_deref().filter(|p| !p.is_empty()))
        .collect();
    shorten(&parts.join(" "), 24)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clicks_are_a_table_with_what_lox24_told() {
        let click: ShortLinkRequest = serde_json::from_str(
            r#"{"id": 12, "type": 1, "country": "DE", "os": "Android", "os_version": "14",
                "browser": "Chrome", "hardware_type": "mobile", "ip": "192.0.2.7"}"#,
        )
        .expect("a click");
        let list = ClickList {
            campaign: ShortLinkCampaignCode::new("AbC123"),
            total_items: Some(3),
            clicks: vec![click],
            more: true,
        };
        let mut out = Text::new();
        list.human(&mut out);
        assert_eq!(
            out,
            "ID  TIME  COUNTRY  DEVICE  OS          BROWSER  IP\n\
             12        DE       mobile  Android 14  Chrome   192.0.2.7\n\
             (1 shown of 3; --limit N or --all for more)\n"
        );
    }
}
