//! Campaigns: `/bulks`, `/bulks/dryrun`, `/bulks/{id}`, its status and
//! cancellation.

use std::cmp::Ordering;

use crate::sandbox::{
    clock::{from_unix, unix},
    context::Ctx,
    hydra::{self, BulkView, Collection, Place},
    lifecycle::{self, Snapshot},
    problem::{Problem, Violation},
    recipients,
    reply::Reply,
    state::Shared,
    store::BulkRec,
    validation,
};

/// `POST /bulks` and `POST /bulks/dryrun` (which answers the same and stores nothing).
pub(super) fn create(shared: &Shared, ctx: &Ctx, dry_run: bool) -> Result<Reply, Problem> {
    let write = validation::bulk(&ctx.json()?)?;
    let settings = &shared.settings;
    let mut store = shared.store();
    let reach = recipients::reach(&write, &store, settings.country)?;
    let delivery_at = write
        .delivery_at
        .map_or(0, |d| i64::try_from(d).unwrap_or(i64::MAX));
    let starts_at = if delivery_at > 0 {
        from_unix(delivery_at).max(ctx.now)
    } else {
        ctx.now
    };
    let bulk = BulkRec {
        uuid: shared.ids.uuid(),
        seq: store.next_bulk_seq(),
        sender_id: write.sender_id.to_string(),
        text: write.text.to_string(),
        phones: write.phones.as_ref().map(|phones| {
            phones
                .iter()
                .map(|p| validation::e164(p, settings.country).unwrap_or_else(|| p.to_string()))
                .collect()
        }),
        msg_groups: write
            .msg_groups
            .as_ref()
            .map(|groups| groups.iter().map(|g| g.get()).collect()),
        // LOX24 sends a plain SMS unless told otherwise.
        service_code: write
            .service_code
            .map_or_else(|| "direct".to_owned(), |s| s.to_string()),
        delivery_at,
        is_unicode: write.is_unicode,
        is_text_deleted: write.is_text_deleted.unwrap_or(false),
        source: write.source,
        voice_lang: write.voice_lang.map(|v| v.to_string()),
        key_id: ctx.key_id,
        ip: ctx.peer.to_string(),
        is_dryrun: dry_run,
        created_at: ctx.now,
        starts_at,
        recipients: reach.recipients,
        messages: reach.messages,
        price_micros: settings.price_micros,
        cancelled_at: None,
    };
    let now = lifecycle::snapshot(&bulk, ctx.now, settings.timing);
    let body = hydra::bulk(&bulk, &now, BulkView::Full, ctx.format, Place::Alone);
    if !dry_run {
        store.insert_bulk(bulk);
    }
    Ok(Reply::resource(201, ctx.format, &body))
}

pub(super) fn get(shared: &Shared, ctx: &Ctx, uuid: &str) -> Result<Reply, Problem> {
    show(shared, ctx, uuid, BulkView::Full)
}

pub(super) fn status(shared: &Shared, ctx: &Ctx, uuid: &str) -> Result<Reply, Problem> {
    show(shared, ctx, uuid, BulkView::Status)
}

fn show(shared: &Shared, ctx: &Ctx, uuid: &str, view: BulkView) -> Result<Reply, Problem> {
    let store = shared.store();
    let bulk = store.bulk(uuid).ok_or_else(Problem::not_found)?;
    let now = lifecycle::snapshot(bulk, ctx.now, shared.settings.timing);
    let body = hydra::bulk(bulk, &now, view, ctx.format, Place::Alone);
    Ok(Reply::resource(200, ctx.format, &body))
}

/// `PUT /bulks/{id}/cancel`: only while new (0) or in progress (5).
pub(super) fn cancel(shared: &Shared, ctx: &Ctx, uuid: &str) -> Result<Reply, Problem> {
    let mut store = shared.store();
    let bulk = store.bulk_mut(uuid).ok_or_else(Problem::not_found)?;
    match lifecycle::cancel(bulk, ctx.now, shared.settings.timing) {
        Ok(now) => {
            let body = hydra::bulk(bulk, &now, BulkView::Status, ctx.format, Place::Alone);
            Ok(Reply::resource(200, ctx.format, &body))
        }
        Err(status) => Err(Problem::invalid(
            422,
            vec![Violation::new(
                "status_code",
                format!(
                    "The campaign has status {status}; only new (0) or in-progress (5) campaigns can be cancelled."
                ),
                None,
            )],
        )),
    }
}

pub(super) fn delete(shared: &Shared, uuid: &str) -> Result<Reply, Problem> {
    if shared.store().delete_bulk(uuid) {
        Ok(Reply::empty(204))
    } else {
        Err(Problem::not_found())
    }
}

/// `GET /bulks`: filtered, ordered (newest first unless `_order[…]` says
/// otherwise), paged; each campaign in its status view.
pub(super) fn list(shared: &Shared, ctx: &Ctx) -> Result<Reply, Problem> {
    let page = hydra::page_number(ctx)?;
    let query = ListQuery::parse(ctx)?;
    let store = shared.store();
    let timing = shared.settings.timing;
    let mut rows: Vec<(&BulkRec, Snapshot)> = store
        .bulks()
        .map(|bulk| (bulk, lifecycle::snapshot(bulk, ctx.now, timing)))
        .filter(|row| query.keeps(row))
        .collect();
    rows.sort_by(|a, b| query.compare(a, b));
    let collection = Collection {
        path: "/bulks".into(),
        kind: "Bulk",
        page,
        page_size: shared.settings.page_size,
    };
    let body = collection.render(ctx, &rows, |(bulk, now)| {
        hydra::bulk(bulk, now, BulkView::Status, ctx.format, Place::Member)
    });
    Ok(Reply::resource(200, ctx.format, &body))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    CreatedAt,
    DeliveryAt,
    ProcessedAt,
    MsgTotalCount,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bound {
    Gte,
    Gt,
    Lte,
    Lt,
}

/// The filters and ordering of `GET /bulks`.
#[derive(Debug, Default)]
struct ListQuery {
    statuses: Vec<u16>,
    created: Vec<(Bound, i64)>,
    is_dryrun: Option<bool>,
    order: Vec<(Key, bool)>,
}

impl ListQuery {
    /// Reads the parameters LOX24 documents; others are ignored, and a
    /// malformed value of a known one is a 400 naming it.
    fn parse(ctx: &Ctx) -> Result<Self, Problem> {
        let mut query = Self::default();
        for (key, value) in &ctx.query {
            let bad = || {
                Problem::new(
                    400,
                    format!("Invalid value {value:?} for the parameter {key}."),
                )
            };
            let bound = match key.as_str() {
                "created_at[gte]" => Some(Bound::Gte),
                "created_at[gt]" => Some(Bound::Gt),
                "created_at[lte]" => Some(Bound::Lte),
                "created_at[lt]" => Some(Bound::Lt),
                _ => None,
            };
            let order = match key.as_str() {
                "_order[created_at]" => Some(Key::CreatedAt),
                "_order[delivery_at]" => Some(Key::DeliveryAt),
                "_order[processed_at]" => Some(Key::ProcessedAt),
                "_order[msg_total_count]" => Some(Key::MsgTotalCount),
                _ => None,
            };
            if let Some(bound) = bound {
                query
                    .created
                    .push((bound, value.parse().map_err(|_| bad())?));
            } else if let Some(order) = order {
                let descending = match value.to_ascii_lowercase().as_str() {
                    "asc" => false,
                    "desc" => true,
                    _ => return Err(bad()),
                };
                query.order.push((order, descending));
            } else if key == "status_code" || key == "status_code[]" {
                query.statuses.push(value.parse().map_err(|_| bad())?);
            } else if key == "is_dryrun" {
                query.is_dryrun = Some(match value.as_str() {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => return Err(bad()),
                });
            }
        }
        if query.order.is_empty() {
            query.order.push((Key::CreatedAt, true));
        }
        Ok(query)
    }

    fn keeps(&self, (bulk, now): &(&BulkRec, Snapshot)) -> bool {
        let created = unix(bulk.created_at);
        (self.statuses.is_empty() || self.statuses.contains(&now.status))
            && self.is_dryrun.is_none_or(|dry| dry == bulk.is_dryrun)
            && self.created.iter().all(|&(bound, at)| match bound {
                Bound::Gte => created >= at,
                Bound::Gt => created > at,
                Bound::Lte => created <= at,
                Bound::Lt => created < at,
            })
    }

    fn compare(&self, a: &(&BulkRec, Snapshot), b: &(&BulkRec, Snapshot)) -> Ordering {
        for &(key, descending) in &self.order {
            let ordering = match key {
                // Creation order breaks ties within a second.
                Key::CreatedAt => {
                    (unix(a.0.created_at), a.0.seq).cmp(&(unix(b.0.created_at), b.0.seq))
                }
                Key::DeliveryAt => a.0.delivery_at.cmp(&b.0.delivery_at),
                Key::ProcessedAt => a.1.processed_at.cmp(&b.1.processed_at),
                Key::MsgTotalCount => a.1.messages.cmp(&b.1.messages),
            };
            let ordering = if descending {
                ordering.reverse()
            } else {
                ordering
            };
            if ordering.is_ne() {
                return ordering;
            }
        }
        a.0.seq.cmp(&b.0.seq)
    }
}
