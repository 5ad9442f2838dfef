//! `/blocked_numbers` and `/blocked_numbers/{id}`: numbers the account does
//! not send to. Campaigns and single messages to them get status 208.

use serde_json::{Value, json};

use super::params;
use crate::{
    clock::unix,
    context::Ctx,
    hydra::{self, Collection, Place},
    problem::Problem,
    records::BlockedRec,
    reply::{Format, Reply},
    state::Shared,
    validation,
};

/// Blocked by the account (2 is unsubscribed).
const BY_ACCOUNT: u8 = 1;

fn body(blocked: &BlockedRec, format: Format, place: Place) -> Value {
    let body = json!({
        "id": blocked.id,
        "number": blocked.number,
        "type": blocked.kind,
        "added_at": unix(blocked.added_at),
    });
    let iri = format!("/blocked_numbers/{}", blocked.id);
    hydra::with_ld(body, format, place, "BlockedNumber", iri)
}

/// `GET /blocked_numbers`, by id, filtered by `type` and `number`, paged.
pub(super) fn list(shared: &Shared, ctx: &Ctx) -> Result<Reply, Problem> {
    let page = hydra::page_number(ctx)?;
    let mut kinds: Vec<u8> = Vec::new();
    let mut number = None;
    for (key, value) in params::pairs(ctx) {
        if params::is_list(key, "type") {
            kinds.push(params::number(key, value)?);
        } else if key == "number" {
            number = Some(value);
        }
    }
    let store = shared.store();
    let rows: Vec<&BlockedRec> = store
        .blocked_numbers()
        .filter(|b| kinds.is_empty() || kinds.contains(&b.kind))
        .filter(|b| number.is_none_or(|n| b.number == n))
        .collect();
    let collection = Collection {
        path: "/blocked_numbers".into(),
        kind: "BlockedNumber",
        page,
        page_size: shared.settings.page_size,
    };
    let body = collection.render(ctx, &rows, |b| body(b, ctx.format, Place::Member));
    Ok(Reply::resource(200, ctx.format, &body))
}

/// `POST /blocked_numbers`: 409 when the number is blocked already.
pub(super) fn add(shared: &Shared, ctx: &Ctx) -> Result<Reply, Problem> {
    let write = validation::blocked_number(&ctx.json()?)?;
    let mut store = shared.store();
    let blocked = store
        .block(write.number.to_string(), BY_ACCOUNT, ctx.now)
        .ok_or_else(|| Problem::new(409, "The number is blocked already."))?;
    Ok(Reply::resource(
        201,
        ctx.format,
        &body(blocked, ctx.format, Place::Alone),
    ))
}

pub(super) fn get(shared: &Shared, ctx: &Ctx, id: u64) -> Result<Reply, Problem> {
    let store = shared.store();
    let blocked = store.blocked_number(id).ok_or_else(Problem::not_found)?;
    Ok(Reply::resource(
        200,
        ctx.format,
        &body(blocked, ctx.format, Place::Alone),
    ))
}

pub(super) fn delete(shared: &Shared, id: u64) -> Result<Reply, Problem> {
    if shared.store().unblock(id) {
        Ok(Reply::empty(204))
    } else {
        Err(Problem::not_found())
    }
}
