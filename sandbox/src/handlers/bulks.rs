//! Campaigns: `/bulks`, `/bulks/dryrun`, `/bulks/{id}`, its status and
//! cancellation.

use std::cmp::Ordering;

use super::{
    outgoing::{Common, Draft},
    params::{self, Bound},
};
use crate::{
    clock::unix,
    context::Ctx,
    hydra::{self, BulkView, Collection, Place},
    lifecycle::{self, Snapshot},
    messages,
    problem::{Problem, Violation},
    recipients,
    recipients::Reach,
    reply::Reply,
    state::Shared,
    store::BulkRec,
    store::Store,
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
    let starts_at = messages::start(delivery_at, ctx.now);
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
        recipients: reach.recipients.len() as u64,
        messages: reach.messages(),
        price_micros: settings.price_micros,
        cancelled_at: None,
    };
    let now = lifecycle::snapshot(&bulk, ctx.now, settings.timing);
    let body = hydra::bulk(&bulk, &now, BulkView::Full, ctx.format, Place::Alone);
    if !dry_run {
        let cost = bulk.messages.saturating_mul(bulk.price_micros);
        if !store.charge(cost, ctx.now) {
            return Err(super::sms::insufficient_funds());
        }
        create_messages(shared, &mut store, &bulk, reach);
        store.insert_bulk(bulk);
    }
    Ok(Reply::resource(201, ctx.format, &body))
}

/// One message per recipient, each created when processing reaches it,
/// with the `callback_data` of the group entry it came from.
fn create_messages(shared: &Shared, store: &mut Store, bulk: &BulkRec, reach: Reach) {
    let common = Common {
        sender_id: bulk.sender_id.clone(),
        service_code: bulk.service_code.clone(),
        voice_lang: bulk.voice_lang.clone(),
        is_unicode: bulk.is_unicode,
        is_text_deleted: bulk.is_text_deleted,
        source: bulk.source,
        // Each message starts when the campaign creates it.
        delivery_at: 0,
        key_id: bulk.key_id,
        ip: bulk.ip.clone(),
    };
    let count = reach.recipients.len();
    for (index, recipient) in reach.recipients.into_iter().enumerate() {
        let draft = Draft {
            common: &common,
            bulk_id: Some(bulk.uuid.clone()),
            phone: recipient.phone,
            text: recipient.text,
            parts: recipient.parts,
            callback_data: recipient.callback_data,
            blocked: recipient.blocked,
            created_at: lifecycle::message_created_at(bulk, index, count, shared.settings.timing),
        };
        draft.create(shared, store);
    }
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

/// `GET /bulks/{id}/requests`: the requests to the campaign's short links,
/// of which the sandbox has none (its messages carry no short links); the
/// collection is paged like any other.
pub(super) fn requests(shared: &Shared, ctx: &Ctx, uuid: &str) -> Result<Reply, Problem> {
    if shared.store().bulk(uuid).is_none() {
        return Err(Problem::not_found());
    }
    super::empty_list(
        shared,
        ctx,
        &format!("/bulks/{uuid}/requests"),
        "ShortLinkRequest",
    )
}

/// `PUT /bulks/{id}/cancel`: only while new (0) or in progress (5). The
/// messages not created yet never are, and their price goes back to the
/// balance; those created go their way.
pub(super) fn cancel(shared: &Shared, ctx: &Ctx, uuid: &str) -> Result<Reply, Problem> {
    let mut store = shared.store();
    let bulk = store.bulk_mut(uuid).ok_or_else(Problem::not_found)?;
    match lifecycle::cancel(bulk, ctx.now, shared.settings.timing) {
        Ok(now) => {
            let body = hydra::bulk(bulk, &now, BulkView::Status, ctx.format, Place::Alone);
            let unborn: Vec<String> = store
                .sms
                .values()
                .filter(|sms| sms.bulk_id.as_deref() == Some(uuid) && sms.created_at > ctx.now)
                .map(|sms| sms.uuid.clone())
                .collect();
            for id in unborn {
                if let Some(sms) = store.sms.remove(&id) {
                    store.refund(sms.price_micros, ctx.now);
                }
            }
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

/// The filters and ordering of `GET /bulks`.
#[derive(Debug, Default)]
struct ListQuery {
    statuses: Vec<u16>,
    created: Vec<(Bound, i64)>,
    is_dryrun: Option<bool>,
    content: params::Content,
    order: Vec<(Key, bool)>,
}

impl ListQuery {
    /// Reads the parameters LOX24 documents; others are ignored, and a
    /// malformed value of a known one is a 400 naming it.
    fn parse(ctx: &Ctx) -> Result<Self, Problem> {
        let mut query = Self::default();
        for (key, value) in params::pairs(ctx) {
            let order = match key {
                "_order[created_at]" => Some(Key::CreatedAt),
                "_order[delivery_at]" => Some(Key::DeliveryAt),
                "_order[processed_at]" => Some(Key::ProcessedAt),
                "_order[msg_total_count]" => Some(Key::MsgTotalCount),
                _ => None,
            };
            if let Some(bound) = Bound::of(key, "created_at") {
                query.created.push((bound, params::number(key, value)?));
            } else if let Some(order) = order {
                query.order.push((order, params::descending(key, value)?));
            } else if params::is_list(key, "status_code") {
                query.statuses.push(params::number(key, value)?);
            } else if key == "is_dryrun" {
                query.is_dryrun = Some(params::boolean(key, value)?);
            } else {
                query.content.read(key, value)?;
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
            && self.content.keeps(
                &bulk.text,
                &bulk.sender_id,
                bulk.key_id,
                bulk.source,
                bulk.is_unicode,
            )
            && self
                .created
                .iter()
                .all(|&(bound, at)| bound.holds(created, at))
    }

    fn compare(&self, a: &(&BulkRec, Snapshot), b: &(&BulkRec, Snapshot)) -> Ordering {
        let compare = |key| match key {
            // Creation order breaks ties within a second.
            Key::CreatedAt => (unix(a.0.created_at), a.0.seq).cmp(&(unix(b.0.created_at), b.0.seq)),
            Key::DeliveryAt => a.0.delivery_at.cmp(&b.0.delivery_at),
            Key::ProcessedAt => a.1.processed_at.cmp(&b.1.processed_at),
            Key::MsgTotalCount => a.1.messages.cmp(&b.1.messages),
        };
        params::order_by(&self.order, compare, a.0.seq.cmp(&b.0.seq))
    }
}
