//! `/me`: the account behind the credentials (all of them share one).

use std::collections::BTreeMap;

use serde_json::json;

use crate::{
    clock::unix,
    context::Ctx,
    hydra::{self, Place},
    problem::Problem,
    reply::Reply,
    state::Shared,
};

/// What the sandbox's account may use: every service LOX24 lists.
const SERVICES: [&str; 5] = [
    "direct",
    "text2speech",
    "text2speech_ssml",
    "economy",
    "pro",
];

pub(super) fn get(shared: &Shared, ctx: &Ctx) -> Result<Reply, Problem> {
    let store = shared.store();
    // Keyed by the group's id, as LOX24 documents it: names need not be
    // unique, and two groups of one name would otherwise show as one.
    let groups: BTreeMap<String, String> = store
        .groups()
        .map(|g| (g.id.to_string(), format!("/groups/{}", g.id)))
        .collect();
    let body = json!({
        "id": shared.settings.customer_id,
        "balance_amount": store.balance.micros as f64 / 1e6,
        "balance_changed_at": store.balance.changed_at.map(unix),
        "currency": "EUR",
        "services": SERVICES,
        "groups": groups,
        "is_text_deleted": false,
    });
    let body = hydra::with_ld(body, ctx.format, Place::Alone, "User", "/me".into());
    Ok(Reply::resource(200, ctx.format, &body))
}
