//! `/fraud-checks` and `/fraud-checks/{id}`: a check moves from new (0) to
//! in progress (5) to done (10) on the clock ([`crate::MessageTiming`]: as
//! long as a message takes from sending to its final report), then posts
//! `fraud-check.done`. Its risk score is fixed by what was checked.

use std::time::SystemTime;

use serde_json::{Value, json};

use super::params;
use crate::{
    clock::unix,
    context::Ctx,
    hydra::{self, Collection, Place},
    problem::Problem,
    random::mix,
    records::FraudRec,
    reply::{Format, Reply},
    state::Shared,
    validation,
    webhooks::Source,
};

const NEW: u16 = 0;
const IN_PROGRESS: u16 = 5;
const DONE: u16 = 10;

fn status(check: &FraudRec, now: SystemTime) -> u16 {
    if now >= check.done_at {
        DONE
    } else if now >= check.started_at {
        IN_PROGRESS
    } else {
        NEW
    }
}

/// A score from 0 to 100 that depends only on the things checked.
fn risk_score(parts: &[Option<&str>]) -> u8 {
    let hash = parts.iter().flatten().fold(0u64, |h, part| {
        part.bytes().fold(mix(h), |h, b| mix(h ^ u64::from(b)))
    });
    (hash % 101) as u8
}

fn body(check: &FraudRec, now: SystemTime, format: Format, place: Place) -> Value {
    let status = status(check, now);
    let done = status == DONE;
    let part = |value: Value| {
        let mut value = value;
        if let Value::Object(map) = &mut value {
            map.insert("status_code".into(), status.into());
        }
        value
    };
    let body = json!({
        "id": check.id,
        "service_code": check.service_code,
        "status_code": status,
        "risk_score": done.then_some(check.risk_score),
        "price": 0.0,
        "callback_data": check.callback_data,
        "created_at": unix(check.created_at),
        "updated_at": unix(if done { check.done_at } else { check.created_at }),
        "request_phone": check.phone.as_ref().map(|phone| part(json!({
            "phone": phone,
            "is_valid": done,
            "is_possible": done,
        }))),
        "request_email": check.email.as_ref().map(|email| part(json!({
            "email": email,
            "is_possible": done.then(|| email.contains('@')),
        }))),
        "request_ip": check.ip.as_ref().map(|ip| part(json!({
            "ip": ip,
            "is_ok": done,
        }))),
        "request_address": check.address.clone().map(part),
    });
    let iri = format!("/fraud-checks/{}", check.id);
    hydra::with_ld(body, format, place, "FraudCheck", iri)
}

/// The data of `fraud-check.done`: the check as `GET /fraud-checks/{id}`
/// shows it in plain JSON, and its id once more as `check_id`, the name in
/// LOX24's example of the event.
pub(crate) fn done_data(check: &FraudRec) -> Value {
    let mut data = body(check, check.done_at, Format::Json, Place::Alone);
    if let Value::Object(map) = &mut data {
        map.insert("check_id".into(), check.id.clone().into());
    }
    data
}

/// `POST /fraud-checks`.
pub(super) fn create(shared: &Shared, ctx: &Ctx) -> Result<Reply, Problem> {
    let json = ctx.json()?;
    let write = validation::fraud_check(&json)?;
    let timing = shared.settings.message_timing;
    let phone = write.phone.as_ref().map(|p| p.to_string());
    let email = write.email.as_ref().map(|e| e.to_string());
    let ip = write.ip.as_ref().map(|i| i.to_string());
    let started_at = ctx.now + timing.sending;
    let check = FraudRec {
        id: shared.ids.uuid(),
        service_code: write.service_code.to_string(),
        risk_score: risk_score(&[phone.as_deref(), email.as_deref(), ip.as_deref()]),
        phone,
        email,
        ip,
        address: json.get("address").filter(|a| !a.is_null()).cloned(),
        callback_data: write.callback_data.map(|c| c.to_string()),
        created_at: ctx.now,
        started_at,
        done_at: started_at + timing.delivery,
    };
    shared
        .outbox
        .schedule(check.done_at, Source::FraudCheck(check.id.clone()));
    let answer = body(&check, ctx.now, ctx.format, Place::Alone);
    shared
        .store()
        .fraud_checks
        .insert(check.id.clone(), |_| check);
    Ok(Reply::resource(201, ctx.format, &answer))
}

/// `GET /fraud-checks`: filtered by `id` and `status_code` (exact) and by
/// parts of `request_phone.phone`, `request_email.email`, `request_ip.ip`
/// and `callback_data`, the names LOX24 documents; newest first unless
/// `_order[created_at]` says otherwise, paged.
pub(super) fn list(shared: &Shared, ctx: &Ctx) -> Result<Reply, Problem> {
    let page = hydra::page_number(ctx)?;
    let mut statuses: Vec<u16> = Vec::new();
    let mut id = None;
    let mut parts: Vec<(&str, &str)> = Vec::new();
    let mut descending = true;
    for (key, value) in params::pairs(ctx) {
        if params::is_list(key, "status_code") {
            statuses.push(params::number(key, value)?);
        } else if key == "id" {
            id = Some(value);
        } else if matches!(
            key,
            "request_phone.phone" | "request_email.email" | "request_ip.ip" | "callback_data"
        ) {
            parts.push((key, value));
        } else if key == "_order[created_at]" {
            descending = params::descending(key, value)?;
        }
    }
    let store = shared.store();
    let mut rows: Vec<&FraudRec> = store
        .fraud_checks
        .values()
        .filter(|c| statuses.is_empty() || statuses.contains(&status(c, ctx.now)))
        .filter(|c| id.is_none_or(|id| c.id == id))
        .filter(|c| {
            parts.iter().all(|(key, part)| {
                let field = match *key {
                    "request_phone.phone" => c.phone.as_deref(),
                    "request_email.email" => c.email.as_deref(),
                    "request_ip.ip" => c.ip.as_deref(),
                    _ => c.callback_data.as_deref(),
                };
                field.is_some_and(|field| field.contains(part))
            })
        })
        .collect();
    if descending {
        rows.reverse();
    }
    let collection = Collection {
        path: "/fraud-checks".into(),
        kind: "FraudCheck",
        page,
        page_size: shared.settings.page_size,
    };
    let body = collection.render(ctx, &rows, |c| body(c, ctx.now, ctx.format, Place::Member));
    Ok(Reply::resource(200, ctx.format, &body))
}

pub(super) fn get(shared: &Shared, ctx: &Ctx, id: &str) -> Result<Reply, Problem> {
    let store = shared.store();
    let check = store.fraud_checks.get(id).ok_or_else(Problem::not_found)?;
    Ok(Reply::resource(
        200,
        ctx.format,
        &body(check, ctx.now, ctx.format, Place::Alone),
    ))
}

pub(super) fn delete(shared: &Shared, id: &str) -> Result<Reply, Problem> {
    match shared.store().fraud_checks.remove(id) {
        Some(_) => Ok(Reply::empty(204)),
        None => Err(Problem::not_found()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_risk_score_is_fixed_by_the_input_and_within_range() {
        let a = risk_score(&[Some("+491701234567"), None, None]);
        assert_eq!(a, risk_score(&[Some("+491701234567"), None, None]));
        assert_ne!(a, risk_score(&[Some("+491701234568"), None, None]));
        for n in 0..200 {
            assert!(risk_score(&[Some(&n.to_string())]) <= 100);
        }
    }
}
