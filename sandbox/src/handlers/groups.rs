//! `/groups` and `/groups/{id}` (and the CSV export).

use std::cmp::Ordering;

use super::phones::entry_fields;
use lox24::low_level::types::GroupWrite;

use crate::{
    context::Ctx,
    hydra::{self, Collection, Place},
    problem::Problem,
    reply::Reply,
    state::Shared,
    store::{GroupFields, GroupRec},
    validation,
};

fn group_fields(write: &GroupWrite) -> GroupFields {
    let name = |n: &Option<lox24::low_level::types::ColumnName>| n.as_ref().map(|n| n.to_string());
    GroupFields {
        name: write.name.to_string(),
        description: write.description.as_ref().map(|d| d.to_string()),
        column_names: [
            name(&write.name_a),
            name(&write.name_b),
            name(&write.name_c),
            name(&write.name_d),
            name(&write.name_e),
        ],
    }
}

/// `POST /groups`: the group, and the entries given with it in the order of
/// their labels (numeric labels by number).
pub(super) fn create(shared: &Shared, ctx: &Ctx) -> Result<Reply, Problem> {
    let country = shared.settings.country;
    let write = validation::group(&ctx.json()?, country)?;
    let mut entries: Vec<_> = write.phones.iter().flatten().collect();
    entries.sort_by(|(a, _), (b, _)| by_label(a, b));
    let mut store = shared.store();
    let id = store.create_group(group_fields(&write));
    for (_, entry) in entries {
        store.add_phone(id, entry_fields(entry, country));
    }
    let group = store.group(id).ok_or_else(Problem::not_found)?;
    Ok(Reply::resource(
        201,
        ctx.format,
        &hydra::group(group, ctx.format, Place::Alone),
    ))
}

fn by_label(a: &str, b: &str) -> Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

/// `GET /groups`, by id, paged.
pub(super) fn list(shared: &Shared, ctx: &Ctx) -> Result<Reply, Problem> {
    let page = hydra::page_number(ctx)?;
    let store = shared.store();
    let groups: Vec<&GroupRec> = store.groups().collect();
    let collection = Collection {
        path: "/groups".into(),
        kind: "Group",
        page,
        page_size: shared.settings.page_size,
    };
    let body = collection.render(ctx, &groups, |g| hydra::group(g, ctx.format, Place::Member));
    Ok(Reply::resource(200, ctx.format, &body))
}

pub(super) fn get(shared: &Shared, ctx: &Ctx, id: u64) -> Result<Reply, Problem> {
    let store = shared.store();
    let group = store.group(id).ok_or_else(Problem::not_found)?;
    Ok(Reply::resource(
        200,
        ctx.format,
        &hydra::group(group, ctx.format, Place::Alone),
    ))
}

/// `PUT /groups/{id}`: replaces the name, description and column labels.
/// Entries in the body are ignored; add them with the phone operations.
pub(super) fn update(shared: &Shared, ctx: &Ctx, id: u64) -> Result<Reply, Problem> {
    if shared.store().group(id).is_none() {
        return Err(Problem::not_found());
    }
    let write = validation::group(&ctx.json()?, shared.settings.country)?;
    let mut store = shared.store();
    let group = store
        .update_group(id, group_fields(&write))
        .ok_or_else(Problem::not_found)?;
    Ok(Reply::resource(
        200,
        ctx.format,
        &hydra::group(group, ctx.format, Place::Alone),
    ))
}

/// `DELETE /groups/{id}`: the group and all its entries.
pub(super) fn delete(shared: &Shared, id: u64) -> Result<Reply, Problem> {
    if shared.store().delete_group(id) {
        Ok(Reply::empty(204))
    } else {
        Err(Problem::not_found())
    }
}

/// `GET /groups/{id}/file/csv`: `id,phone,<column labels or col_A…>,callback_data`.
pub(super) fn export_csv(shared: &Shared, id: u64) -> Result<Reply, Problem> {
    let store = shared.store();
    let group = store.group(id).ok_or_else(Problem::not_found)?;
    let mut out = String::new();
    let mut header = vec!["id".to_owned(), "phone".to_owned()];
    for (label, letter) in group.column_names.iter().zip(['A', 'B', 'C', 'D', 'E']) {
        header.push(label.clone().unwrap_or_else(|| format!("col_{letter}")));
    }
    header.push("callback_data".to_owned());
    write_row(&mut out, header.iter().map(String::as_str));
    for phone in store.group_phones(group) {
        let id = phone.id.to_string();
        let fields = &phone.fields;
        let mut row = vec![id.as_str(), fields.phone.as_str()];
        row.extend(
            fields
                .columns
                .iter()
                .map(|c| c.as_deref().unwrap_or_default()),
        );
        row.push(fields.callback_data.as_deref().unwrap_or_default());
        write_row(&mut out, row.into_iter());
    }
    Ok(Reply::csv(out, format!("group-{id}.csv")))
}

/// One CSV line (RFC 4180: fields with a comma, quote or line break are quoted).
fn write_row<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_sort_numbers_first_by_value() {
        let mut labels = vec!["b", "10", "2", "a", "1"];
        labels.sort_by(|a, b| by_label(a, b));
        assert_eq!(labels, ["1", "2", "10", "a", "b"]);
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        let mut out = String::new();
        write_row(
            &mut out,
            ["1", "a,b", "say \"hi\"", "two\nlines", ""].into_iter(),
        );
        assert_eq!(out, "1,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
    }
}
