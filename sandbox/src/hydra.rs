//! Resources and collections as LOX24 writes them: plain JSON, or JSON-LD
//! with `@context`/`@id`/`@type` and Hydra collections with paging links.

use serde_json::{Map, Value, json};

use super::{
    context::Ctx,
    lifecycle::Snapshot,
    problem::Problem,
    reply::Format,
    store::{BulkRec, GroupRec, PhoneRec},
};

/// Whether a resource stands alone (with `@context`) or in a collection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    Alone,
    Member,
}

/// The JSON-LD keys of a resource (`@context` only when it stands alone),
/// or the body as it is in plain JSON.
pub(crate) fn with_ld(
    mut body: Value,
    format: Format,
    place: Place,
    kind: &str,
    iri: String,
) -> Value {
    if let (Format::JsonLd, Value::Object(map)) = (format, &mut body) {
        if place == Place::Alone {
            map.insert("@context".into(), format!("/contexts/{kind}").into());
        }
        map.insert("@id".into(), iri.into());
        map.insert("@type".into(), kind.into());
    }
    body
}

pub(crate) fn group(group: &GroupRec, format: Format, place: Place) -> Value {
    let [a, b, c, d, e] = &group.column_names;
    let body = json!({
        "id": group.id,
        "name": group.name,
        "description": group.description,
        "name_a": a, "name_b": b, "name_c": c, "name_d": d, "name_e": e,
        "count_items": group.phones.len(),
        "deleted_at": null,
    });
    with_ld(
        body,
        format,
        place,
        "Group",
        format!("/groups/{}", group.id),
    )
}

pub(crate) fn phone(phone: &PhoneRec, format: Format, place: Place) -> Value {
    let [a, b, c, d, e] = &phone.fields.columns;
    let body = json!({
        // LOX24 writes entry ids as strings.
        "id": phone.id.to_string(),
        "phone": phone.fields.phone,
        "a": a, "b": b, "c": c, "d": d, "e": e,
        "callback_data": phone.fields.callback_data,
        "subscribed_at": null,
        "unsubscribed_at": null,
        "unsubscribe_reason": null,
    });
    with_ld(
        body,
        format,
        place,
        "Phone",
        format!("/phones/{}", phone.id),
    )
}

/// How much of a campaign to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BulkView {
    /// Everything (`bulk_read`).
    Full,
    /// Without sender, text and recipients (`bulk_read_status`): the status
    /// operation, cancellation and the list.
    Status,
}

pub(crate) fn bulk(
    bulk: &BulkRec,
    now: &Snapshot,
    view: BulkView,
    format: Format,
    place: Place,
) -> Value {
    let mut body = json!({
        "uuid": bulk.uuid,
        "delivery_at": bulk.delivery_at,
        "status_code": now.status,
        "msg_total_count": now.messages,
        "msg_total_cost": now.cost_micros as f64 / 1e6,
        "created_at": super::clock::unix(bulk.created_at),
        "processed_at": now.processed_at,
        "ip": bulk.ip,
        "is_unicode": bulk.is_unicode,
        "is_dryrun": bulk.is_dryrun,
        "service_code": bulk.service_code,
        "key_id": bulk.key_id,
        "source": bulk.source,
        "voice_lang": bulk.voice_lang,
        "is_text_deleted": bulk.is_text_deleted,
    });
    if let (BulkView::Full, Value::Object(map)) = (view, &mut body) {
        let sent = now.status == super::lifecycle::PROCESSED;
        let text = if bulk.is_text_deleted && sent {
            ""
        } else {
            bulk.text.as_str()
        };
        map.insert("sender_id".into(), bulk.sender_id.clone().into());
        map.insert("text".into(), text.into());
        map.insert("phones".into(), json!(bulk.phones));
        map.insert("msg_groups".into(), json!(bulk.msg_groups));
    }
    with_ld(body, format, place, "Bulk", format!("/bulks/{}", bulk.uuid))
}

/// The page asked for with `page` (from 1).
pub(crate) fn page_number(ctx: &Ctx) -> Result<u64, Problem> {
    match ctx.param("page") {
        None => Ok(1),
        Some(text) => text
            .parse::<u64>()
            .ok()
            .filter(|&page| page >= 1)
            .ok_or_else(|| Problem::new(400, "Page should not be less than 1.")),
    }
}

/// One page of a collection: a bare array in plain JSON, a Hydra collection
/// in JSON-LD. `members` are the whole collection, rendered lazily.
pub(crate) struct Collection<'a> {
    /// The collection's IRI path, e.g. `/groups/7/phones`.
    pub(crate) path: String,
    /// The `@context` name, e.g. `Phone`.
    pub(crate) kind: &'a str,
    pub(crate) page: u64,
    pub(crate) page_size: usize,
}

impl Collection<'_> {
    pub(crate) fn render<T>(&self, ctx: &Ctx, items: &[T], member: impl Fn(&T) -> Value) -> Value {
        let size = self.page_size.max(1);
        let start = usize::try_from(self.page - 1)
            .ok()
            .and_then(|p| p.checked_mul(size))
            .unwrap_or(usize::MAX);
        let members: Vec<Value> = items.iter().skip(start).take(size).map(member).collect();
        if ctx.format == Format::Json {
            return Value::Array(members);
        }
        let last = items.len().div_ceil(size).max(1) as u64;
        let iri = |page: u64| self.iri(ctx, page);
        let mut view = Map::new();
        view.insert("@id".into(), iri(self.page).into());
        view.insert("@type".into(), "hydra:PartialCollectionView".into());
        view.insert("hydra:first".into(), iri(1).into());
        view.insert("hydra:last".into(), iri(last).into());
        if self.page > 1 {
            view.insert("hydra:previous".into(), iri(self.page - 1).into());
        }
        if self.page < last {
            view.insert("hydra:next".into(), iri(self.page + 1).into());
        }
        json!({
            "@context": format!("/contexts/{}", self.kind),
            "@id": self.path,
            "@type": "hydra:Collection",
            "hydra:member": members,
            "hydra:totalItems": items.len(),
            "hydra:view": view,
        })
    }

    /// The IRI of a page: the path with the request's other parameters
    /// (filters, ordering) kept and `page` set.
    fn iri(&self, ctx: &Ctx, page: u64) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in ctx.query.iter().filter(|(key, _)| key != "page") {
            query.append_pair(key, value);
        }
        query.append_pair("page", &page.to_string());
        format!("{}?{}", self.path, query.finish())
    }
}
