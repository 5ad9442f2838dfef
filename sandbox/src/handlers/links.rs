//! Short links: `/short_link_campaigns` (create, list, read, update,
//! delete, and the subscription and unsubscription links), and the short
//! links and requests made to them, of which the sandbox has none (its
//! messages carry no short links): those lists are empty, those items 404.

use serde_json::{Value, json};

use crate::{
    clock::unix,
    context::Ctx,
    hydra::{self, Collection, Place},
    problem::{Problem, Violation},
    records::LinkCampaignRec,
    reply::{Format, Reply},
    state::Shared,
    validation,
};

use super::params::{self, Bound};

/// The kind of a subscription or unsubscription link: one link that every
/// message shares (2 would be a link of its own per message).
const SHARED: u64 = 1;

fn body(campaign: &LinkCampaignRec, format: Format, place: Place) -> Value {
    let body = json!({
        "id": campaign.code,
        "name": campaign.name,
        "url": campaign.url,
        "type": campaign.kind,
        "group_id": campaign.group_id,
        "created_at": unix(campaign.created_at),
    });
    let iri = format!("/short_link_campaigns/{}", campaign.code);
    hydra::with_ld(body, format, place, "ShortLinkCampaign", iri)
}

/// 422 unless the group exists.
fn check_group(shared: &Shared, group: Option<u64>) -> Result<(), Problem> {
    match group {
        Some(id) if shared.store().group(id).is_none() => Err(Problem::invalid(
            422,
            vec![Violation::new(
                "group_id",
                "This group does not exist.",
                None,
            )],
        )),
        _ => Ok(()),
    }
}

/// A campaign's code: 12 letters and digits.
fn new_code(shared: &Shared) -> String {
    shared
        .ids
        .uuid()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(12)
        .collect()
}

fn store_new(
    shared: &Shared,
    ctx: &Ctx,
    make: impl FnOnce(String) -> LinkCampaignRec,
) -> Result<Reply, Problem> {
    let campaign = make(new_code(shared));
    let answer = body(&campaign, ctx.format, Place::Alone);
    shared
        .store()
        .link_campaigns
        .insert(campaign.code.clone(), |_| campaign);
    Ok(Reply::resource(201, ctx.format, &answer))
}

/// `POST /short_link_campaigns`.
pub(super) fn create(shared: &Shared, ctx: &Ctx) -> Result<Reply, Problem> {
    let write = validation::link_campaign(&ctx.json()?)?;
    let group_id = write.group_id.map(|g| g.get());
    check_group(shared, group_id)?;
    store_new(shared, ctx, |code| LinkCampaignRec {
        code,
        name: write.name.to_string(),
        url: write.url.clone(),
        kind: write.type_.0.get(),
        group_id,
        created_at: ctx.now,
    })
}

/// `POST /short_link_campaigns/subscribe` and `/unsubscribe`: a link to a
/// form, which the sandbox does not serve (`https://sandbox.invalid/…`).
pub(super) fn subscription(shared: &Shared, ctx: &Ctx, subscribe: bool) -> Result<Reply, Problem> {
    let write = validation::subscription(&ctx.json()?)?;
    let group_id = write.group_id.get();
    check_group(shared, Some(group_id))?;
    let form = if subscribe {
        "subscribe"
    } else {
        "unsubscribe"
    };
    store_new(shared, ctx, |code| LinkCampaignRec {
        url: format!("https://sandbox.invalid/{form}/{code}"),
        code,
        name: write.name.to_string(),
        kind: SHARED,
        group_id: Some(group_id),
        created_at: ctx.now,
    })
}

/// `GET /short_link_campaigns`, paged, oldest first unless
/// `_order[created_at]` says otherwise: with LOX24's filters (`name` and
/// `url` as parts, `created_at[gte|gt|lte|lt]`, `type` exact, one or
/// several).
pub(super) fn list(shared: &Shared, ctx: &Ctx) -> Result<Reply, Problem> {
    let page = hydra::page_number(ctx)?;
    let (mut name, mut url, mut kinds, mut order) = (None, None, Vec::new(), None);
    let mut created = Vec::new();
    for (key, value) in params::pairs(ctx) {
        if key == "name" {
            name = Some(value);
        } else if key == "url" {
            url = Some(value);
        } else if let Some(bound) = Bound::of(key, "created_at") {
            created.push((bound, params::number::<i64>(key, value)?));
        } else if params::is_list(key, "type") {
            kinds.push(params::number::<u64>(key, value)?);
        } else if key == "_order[created_at]" {
            order = Some(params::descending(key, value)?);
        }
    }
    let store = shared.store();
    let mut rows: Vec<&LinkCampaignRec> = store
        .link_campaigns
        .values()
        .filter(|c| name.is_none_or(|part| c.name.contains(part)))
        .filter(|c| url.is_none_or(|part| c.url.contains(part)))
        .filter(|c| {
            let at = unix(c.created_at);
            created.iter().all(|&(bound, limit)| bound.holds(at, limit))
        })
        .filter(|c| kinds.is_empty() || kinds.contains(&c.kind))
        .collect();
    if let Some(descending) = order {
        rows.sort_by_key(|c| (c.created_at, c.code.clone()));
        if descending {
            rows.reverse();
        }
    }
    let collection = Collection {
        path: "/short_link_campaigns".into(),
        kind: "ShortLinkCampaign",
        page,
        page_size: shared.settings.page_size,
    };
    let body = collection.render(ctx, &rows, |c| body(c, ctx.format, Place::Member));
    Ok(Reply::resource(200, ctx.format, &body))
}

pub(super) fn get(shared: &Shared, ctx: &Ctx, code: &str) -> Result<Reply, Problem> {
    let store = shared.store();
    let campaign = store
        .link_campaigns
        .get(code)
        .ok_or_else(Problem::not_found)?;
    Ok(Reply::resource(
        200,
        ctx.format,
        &body(campaign, ctx.format, Place::Alone),
    ))
}

/// `PUT /short_link_campaigns/{code}`: name, URL, kind and group.
pub(super) fn update(shared: &Shared, ctx: &Ctx, code: &str) -> Result<Reply, Problem> {
    if shared.store().link_campaigns.get(code).is_none() {
        return Err(Problem::not_found());
    }
    let write = validation::link_campaign(&ctx.json()?)?;
    let group_id = write.group_id.map(|g| g.get());
    check_group(shared, group_id)?;
    let mut store = shared.store();
    let campaign = store
        .link_campaigns
        .get_mut(code)
        .ok_or_else(Problem::not_found)?;
    campaign.name = write.name.to_string();
    campaign.url = write.url.clone();
    campaign.kind = write.type_.0.get();
    campaign.group_id = group_id;
    Ok(Reply::resource(
        200,
        ctx.format,
        &body(campaign, ctx.format, Place::Alone),
    ))
}

pub(super) fn delete(shared: &Shared, code: &str) -> Result<Reply, Problem> {
    match shared.store().link_campaigns.remove(code) {
        Some(_) => Ok(Reply::empty(204)),
        None => Err(Problem::not_found()),
    }
}

/// `…/{code}/requests` and `…/{code}/short_links` of a campaign: empty.
pub(super) fn campaign_list(
    shared: &Shared,
    ctx: &Ctx,
    code: &str,
    what: &str,
    kind: &str,
) -> Result<Reply, Problem> {
    if shared.store().link_campaigns.get(code).is_none() {
        return Err(Problem::not_found());
    }
    super::empty_list(
        shared,
        ctx,
        &format!("/short_link_campaigns/{code}/{what}"),
        kind,
    )
}
