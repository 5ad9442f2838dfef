//! The entries of groups: `/groups/{id}/phones`, `/groups/{id}/phones/batch`
//! and `/phones/{id}`.

use serde_json::{Value, json};

use lox24::PhoneEntry;

use crate::{
    context::Ctx,
    hydra::{self, Collection, Place},
    problem::Problem,
    reply::{Format, Reply},
    state::Shared,
    store::{PhoneFields, PhoneRec},
    validation,
};

/// The stored form of an entry: the number in E.164.
pub(super) fn entry_fields(
    write: &PhoneEntry,
    country: Option<lox24::number::Country>,
) -> PhoneFields {
    PhoneFields {
        phone: validation::e164(&write.phone, country).unwrap_or_else(|| write.phone.clone()),
        columns: [
            write.a.clone(),
            write.b.clone(),
            write.c.clone(),
            write.d.clone(),
            write.e.clone(),
        ],
        callback_data: write.callback_data.clone(),
    }
}

/// `GET /groups/{id}/phones`, in the order they were added, paged.
pub(super) fn list(shared: &Shared, ctx: &Ctx, group: u64) -> Result<Reply, Problem> {
    let page = hydra::page_number(ctx)?;
    let store = shared.store();
    let owner = store.group(group).ok_or_else(Problem::not_found)?;
    let phones: Vec<&PhoneRec> = store.group_phones(owner).collect();
    let collection = Collection {
        path: format!("/groups/{group}/phones"),
        kind: "Phone",
        page,
        page_size: shared.settings.page_size,
    };
    let body = collection.render(ctx, &phones, |p| hydra::phone(p, ctx.format, Place::Member));
    Ok(Reply::resource(200, ctx.format, &body))
}

/// `POST /groups/{id}/phones`: one entry.
pub(super) fn add(shared: &Shared, ctx: &Ctx, group: u64) -> Result<Reply, Problem> {
    if shared.store().group(group).is_none() {
        return Err(Problem::not_found());
    }
    let country = shared.settings.country;
    let write = validation::phone(&ctx.json()?, country)?;
    let mut store = shared.store();
    let phone = store
        .add_phone(group, entry_fields(&write, country))
        .ok_or_else(Problem::not_found)?;
    Ok(Reply::resource(
        201,
        ctx.format,
        &hydra::phone(phone, ctx.format, Place::Alone),
    ))
}

/// `POST /groups/{id}/phones/batch`: 201 with one outcome per element, in
/// order; an invalid element gets its own 400 or 422 and a problem body,
/// and the others are stored.
pub(super) fn add_batch(shared: &Shared, ctx: &Ctx, group: u64) -> Result<Reply, Problem> {
    if shared.store().group(group).is_none() {
        return Err(Problem::not_found());
    }
    let body = ctx.json()?;
    let Value::Array(elements) = body else {
        return Err(Problem::new(
            400,
            "The body must be a JSON array of entries.",
        ));
    };
    let country = shared.settings.country;
    // Check everything before taking the lock, so other requests wait less.
    let checked: Vec<_> = elements
        .iter()
        .map(|element| validation::phone(element, country))
        .collect();
    let mut store = shared.store();
    let mut items = Vec::with_capacity(checked.len());
    for outcome in checked {
        let item = match outcome {
            Ok(write) => match store.add_phone(group, entry_fields(&write, country)) {
                Some(phone) => {
                    json!({"status": 201, "body": hydra::phone(phone, ctx.format, Place::Member)})
                }
                None => return Err(Problem::not_found()),
            },
            Err(problem) => {
                json!({"status": problem.status, "body": problem.item_value(ctx.format)})
            }
        };
        items.push(item);
    }
    let answer = match ctx.format {
        Format::Json => Value::Array(items),
        Format::JsonLd => json!({
            "@context": "/contexts/Phone",
            "@id": format!("/groups/{group}/phones/batch"),
            "@type": "hydra:Collection",
            "hydra:totalItems": items.len(),
            "hydra:member": items,
        }),
    };
    Ok(Reply::resource(201, ctx.format, &answer))
}

pub(super) fn get(shared: &Shared, ctx: &Ctx, id: u64) -> Result<Reply, Problem> {
    let store = shared.store();
    let phone = store.phone(id).ok_or_else(Problem::not_found)?;
    Ok(Reply::resource(
        200,
        ctx.format,
        &hydra::phone(phone, ctx.format, Place::Alone),
    ))
}

/// `PUT /phones/{id}`: replaces the number, columns and callback data.
pub(super) fn update(shared: &Shared, ctx: &Ctx, id: u64) -> Result<Reply, Problem> {
    if shared.store().phone(id).is_none() {
        return Err(Problem::not_found());
    }
    let country = shared.settings.country;
    let write = validation::phone(&ctx.json()?, country)?;
    let mut store = shared.store();
    let phone = store
        .update_phone(id, entry_fields(&write, country))
        .ok_or_else(Problem::not_found)?;
    Ok(Reply::resource(
        200,
        ctx.format,
        &hydra::phone(phone, ctx.format, Place::Alone),
    ))
}

pub(super) fn delete(shared: &Shared, id: u64) -> Result<Reply, Problem> {
    if shared.store().delete_phone(id) {
        Ok(Reply::empty(204))
    } else {
        Err(Problem::not_found())
    }
}
