//! Single messages: `/sms`, `/sms/dryrun`, `/sms/{uuid}`, the batch cancel
//! and delete, and the click counts and short-link requests (always none:
//! the sandbox's messages carry no short links).

use serde_json::json;

use super::{
    outgoing::{self, Common, Draft},
    sms_filter::SmsFilter,
};
use crate::{
    clock::unix,
    context::Ctx,
    hydra::{self, Collection, Place},
    messages,
    problem::{Problem, Violation, code},
    records::SmsRec,
    reply::Reply,
    state::Shared,
    text::{MAX_PARTS, sms_parts},
    validation,
    webhooks::{Source, courier::delivery_data},
};

/// The id LOX24 gives every dry run.
pub(crate) const DRY_RUN_UUID: &str = "11111111-2222-3333-4444-555555555555";

/// The answer when the balance cannot pay.
pub(super) fn insufficient_funds() -> Problem {
    Problem::new(402, "There is not enough credit on the account.")
}

/// `POST /sms` and `POST /sms/dryrun` (checked the same; a dry run stores
/// and charges nothing, has LOX24's placeholder id, and reports with
/// `sms.delivery.dryrun` and status 0).
pub(super) fn send(shared: &Shared, ctx: &Ctx, dry_run: bool) -> Result<Reply, Problem> {
    let settings = &shared.settings;
    let write = validation::sms(&ctx.json()?, settings.country)?;
    let phone =
        validation::e164(&write.phone, settings.country).unwrap_or_else(|| write.phone.to_string());
    let voice = matches!(
        write.service_code,
        Some(lox24::ServiceCode::Text2speech | lox24::ServiceCode::Text2speechSsml)
    );
    let parts = if voice {
        1
    } else {
        sms_parts(&write.text, write.is_unicode).count
    };
    if parts > MAX_PARTS {
        return Err(Problem::invalid(
            422,
            vec![Violation::new(
                "text",
                "The message is too long: at most 1530 GSM or 670 Unicode characters.",
                Some(code::TOO_LONG),
            )],
        ));
    }
    let common = Common {
        sender_id: write.sender_id.to_string(),
        service_code: write
            .service_code
            .map_or_else(|| "direct".to_owned(), |s| s.to_string()),
        voice_lang: write.voice_lang.map(|v| v.to_string()),
        is_unicode: write.is_unicode,
        is_text_deleted: write.is_text_deleted.unwrap_or(false),
        source: write.source,
        delivery_at: write
            .delivery_at
            .map_or(0, |d| i64::try_from(d).unwrap_or(i64::MAX)),
        key_id: ctx.key_id,
        ip: ctx.peer.to_string(),
    };
    let mut store = shared.store();
    let draft = Draft {
        common: &common,
        bulk_id: None,
        blocked: store.is_blocked(&phone),
        phone,
        text: write.text.to_string(),
        parts,
        callback_data: write.callback_data.map(|c| c.to_string()),
        created_at: ctx.now,
    };
    let country = settings.country;
    if dry_run {
        drop(store);
        let sms = draft.record(shared, DRY_RUN_UUID.to_owned());
        let state = messages::state(&sms, messages::report_at(&sms));
        let data = delivery_data(
            DRY_RUN_UUID,
            sms.key_id,
            messages::NEW,
            state.dlr,
            &sms.callback_data,
        );
        shared.outbox.schedule(
            messages::report_at(&sms),
            Source::Ready {
                name: "sms.delivery.dryrun",
                data,
            },
        );
        let body = outgoing::body(&sms, ctx, country, Place::Alone);
        return Ok(Reply::resource(201, ctx.format, &body));
    }
    if !store.charge(draft.price(shared), ctx.now) {
        return Err(insufficient_funds());
    }
    let uuid = draft.create(shared, &mut store);
    let sms = store.sms.get(&uuid).ok_or_else(Problem::not_found)?;
    let body = outgoing::body(sms, ctx, country, Place::Alone);
    Ok(Reply::resource(201, ctx.format, &body))
}

/// A message that exists at `ctx.now` (a campaign's appear as it is processed).
fn visible<'a>(sms: Option<&'a SmsRec>, ctx: &Ctx) -> Result<&'a SmsRec, Problem> {
    sms.filter(|sms| sms.created_at <= ctx.now)
        .ok_or_else(Problem::not_found)
}

pub(super) fn get(shared: &Shared, ctx: &Ctx, uuid: &str) -> Result<Reply, Problem> {
    let store = shared.store();
    let sms = visible(store.sms.get(uuid), ctx)?;
    let body = outgoing::body(sms, ctx, shared.settings.country, Place::Alone);
    Ok(Reply::resource(200, ctx.format, &body))
}

/// `DELETE /sms/{uuid}`: gone from lists and reports; a message not sent
/// yet is not sent, and its price goes back to the balance.
pub(super) fn delete(shared: &Shared, ctx: &Ctx, uuid: &str) -> Result<Reply, Problem> {
    let mut store = shared.store();
    visible(store.sms.get(uuid), ctx)?;
    if let Some(sms) = store.sms.remove(uuid)
        && messages::cancellable(&sms, ctx.now)
    {
        store.refund(sms.price_micros, ctx.now);
    }
    Ok(Reply::empty(204))
}

/// `GET /sms`: filtered, ordered (newest first unless `_order[…]` says
/// otherwise), paged.
pub(super) fn list(shared: &Shared, ctx: &Ctx) -> Result<Reply, Problem> {
    let page = hydra::page_number(ctx)?;
    let filter = SmsFilter::parse(ctx, shared.settings.country)?;
    let store = shared.store();
    let mut rows: Vec<(&SmsRec, messages::State)> = store
        .sms
        .values()
        .filter(|sms| sms.created_at <= ctx.now)
        .map(|sms| (sms, messages::state(sms, ctx.now)))
        .filter(|row| filter.keeps(row))
        .collect();
    rows.sort_by(|a, b| filter.compare(a, b));
    let collection = Collection {
        path: "/sms".into(),
        kind: "sms",
        page,
        page_size: shared.settings.page_size,
    };
    let country = shared.settings.country;
    let body = collection.render(ctx, &rows, |(sms, _)| {
        outgoing::body(sms, ctx, country, Place::Member)
    });
    Ok(Reply::resource(200, ctx.format, &body))
}

/// `POST /sms/ops/batch_cancel`: the matching messages not sent yet are
/// cancelled (status 6000) and their price goes back to the balance.
pub(super) fn cancel_batch(shared: &Shared, ctx: &Ctx) -> Result<Reply, Problem> {
    let filter = SmsFilter::parse(ctx, shared.settings.country)?;
    let mut store = shared.store();
    let mut count = 0u64;
    let mut refund = 0u64;
    for sms in store.sms.values_mut() {
        let row = (&*sms, messages::state(sms, ctx.now));
        if sms.created_at <= ctx.now && messages::cancellable(sms, ctx.now) && filter.keeps(&row) {
            sms.cancelled_at = Some(ctx.now);
            refund += sms.price_micros;
            count += 1;
        }
    }
    store.refund(refund, ctx.now);
    Ok(batch_answer(ctx, count))
}

/// `POST /sms/ops/batch_delete`: the matching messages are deleted, as by
/// `DELETE /sms/{uuid}` one by one.
pub(super) fn delete_batch(shared: &Shared, ctx: &Ctx) -> Result<Reply, Problem> {
    let filter = SmsFilter::parse(ctx, shared.settings.country)?;
    let mut store = shared.store();
    let doomed: Vec<String> = store
        .sms
        .values()
        .filter(|sms| sms.created_at <= ctx.now)
        .filter(|sms| filter.keeps(&(sms, messages::state(sms, ctx.now))))
        .map(|sms| sms.uuid.clone())
        .collect();
    for uuid in &doomed {
        if let Some(sms) = store.sms.remove(uuid)
            && messages::cancellable(&sms, ctx.now)
        {
            store.refund(sms.price_micros, ctx.now);
        }
    }
    Ok(batch_answer(ctx, doomed.len() as u64))
}

/// LOX24's document names the count `deleted_sms_count` for both batches.
fn batch_answer(ctx: &Ctx, count: u64) -> Reply {
    Reply::resource(200, ctx.format, &json!({"deleted_sms_count": count}))
}

/// `GET /sms/clicks`: the click counts of messages with a short link; none.
pub(super) fn clicks(shared: &Shared, ctx: &Ctx) -> Result<Reply, Problem> {
    super::empty_list(shared, ctx, "/sms/clicks", "SmsClick")
}

/// `GET /sms/{uuid}/clicks`: no requests, the sandbox's messages having no
/// short link.
pub(super) fn clicks_of(shared: &Shared, ctx: &Ctx, uuid: &str) -> Result<Reply, Problem> {
    let store = shared.store();
    let sms = visible(store.sms.get(uuid), ctx)?;
    let body = json!({
        "uuid": sms.uuid,
        "requests_count": 0,
        "created_at": unix(sms.created_at),
    });
    let body = hydra::with_ld(
        body,
        ctx.format,
        Place::Alone,
        "SmsClick",
        format!("/sms/{uuid}/clicks"),
    );
    Ok(Reply::resource(200, ctx.format, &body))
}

/// `GET /sms/{uuid}/requests`: the requests to its short link; none.
pub(super) fn requests(shared: &Shared, ctx: &Ctx, uuid: &str) -> Result<Reply, Problem> {
    visible(shared.store().sms.get(uuid), ctx)?;
    super::empty_list(
        shared,
        ctx,
        &format!("/sms/{uuid}/requests"),
        "ShortLinkRequest",
    )
}
