//! Replies and other messages the account received: `/incomings` and
//! `/incomings/{uuid}`. They come from the reply rules
//! ([`crate::SandboxBuilder::auto_reply`]) and [`crate::Sandbox::simulate_reply`],
//! and are listed from the moment they arrive on the clock.

use std::cmp::Ordering;

use serde_json::{Value, json};

use super::params;
use crate::{
    clock::unix,
    context::Ctx,
    hydra::{self, Collection, Place},
    problem::Problem,
    records::IncomingRec,
    reply::{Format, Reply},
    state::Shared,
};

fn body(reply: &IncomingRec, format: Format, place: Place) -> Value {
    let body = json!({
        "uuid": reply.uuid,
        "from": reply.from,
        "to": reply.to,
        "text": reply.text,
        "msg_uuid": reply.msg_uuid,
        "received_at": unix(reply.received_at),
    });
    let iri = format!("/incomings/{}", reply.uuid);
    hydra::with_ld(body, format, place, "Incoming", iri)
}

fn arrived<'a>(reply: Option<&'a IncomingRec>, ctx: &Ctx) -> Result<&'a IncomingRec, Problem> {
    reply
        .filter(|r| r.received_at <= ctx.now)
        .ok_or_else(Problem::not_found)
}

/// `GET /incomings`: `from`, `to` and `msg_uuid` exact, `text` contained,
/// newest first unless `_order[received_at]` says otherwise, paged.
pub(super) fn list(shared: &Shared, ctx: &Ctx) -> Result<Reply, Problem> {
    let page = hydra::page_number(ctx)?;
    let mut exact: Vec<(&str, &str)> = Vec::new();
    let mut text = None;
    let mut descending = true;
    for (key, value) in params::pairs(ctx) {
        match key {
            "from" | "to" | "msg_uuid" => exact.push((key, value)),
            "text" => text = Some(value),
            "_order[received_at]" => descending = params::descending(key, value)?,
            _ => {}
        }
    }
    let store = shared.store();
    let mut rows: Vec<&IncomingRec> = store
        .incomings
        .values()
        .filter(|r| r.received_at <= ctx.now)
        .filter(|r| {
            exact.iter().all(|&(key, value)| match key {
                "from" => r.from == value,
                "to" => r.to == value,
                _ => r.msg_uuid.as_deref() == Some(value),
            })
        })
        .filter(|r| text.is_none_or(|t| r.text.contains(t)))
        .collect();
    // Arrival, then the order they were stored in.
    rows.sort_by(|a, b| {
        let ordering = a.received_at.cmp(&b.received_at);
        if descending {
            ordering.reverse()
        } else {
            ordering
        }
    });
    if descending {
        stable_reverse_ties(&mut rows);
    }
    let collection = Collection {
        path: "/incomings".into(),
        kind: "Incoming",
        page,
        page_size: shared.settings.page_size,
    };
    let body = collection.render(ctx, &rows, |r| body(r, ctx.format, Place::Member));
    Ok(Reply::resource(200, ctx.format, &body))
}

/// Within one arrival time, newest stored first when the list is newest first.
fn stable_reverse_ties(rows: &mut [&IncomingRec]) {
    for run in rows.chunk_by_mut(|a, b| a.received_at.cmp(&b.received_at) == Ordering::Equal) {
        run.reverse();
    }
}

pub(super) fn get(shared: &Shared, ctx: &Ctx, uuid: &str) -> Result<Reply, Problem> {
    let store = shared.store();
    let reply = arrived(store.incomings.get(uuid), ctx)?;
    Ok(Reply::resource(
        200,
        ctx.format,
        &body(reply, ctx.format, Place::Alone),
    ))
}

pub(super) fn delete(shared: &Shared, ctx: &Ctx, uuid: &str) -> Result<Reply, Problem> {
    let mut store = shared.store();
    arrived(store.incomings.get(uuid), ctx)?;
    store.incomings.remove(uuid);
    Ok(Reply::empty(204))
}
