//! The operations themselves: each reads the request, changes or reads the
//! store, and answers. They run under the store's lock and never wait.

mod bulks;
mod groups;
mod phones;

use super::{
    context::Ctx,
    problem::Problem,
    reply::Reply,
    routes::{Operation, Target},
    state::Shared,
};

pub(crate) fn handle(shared: &Shared, ctx: &Ctx, op: Operation, target: &Target) -> Reply {
    use Operation as Op;
    let group = || match target {
        Target::Group(id) => Ok(*id),
        _ => Err(Problem::not_found()),
    };
    let phone = || match target {
        Target::Phone(id) => Ok(*id),
        _ => Err(Problem::not_found()),
    };
    let bulk = || match target {
        Target::Bulk(uuid) => Ok(uuid.as_str()),
        _ => Err(Problem::not_found()),
    };
    let result = match op {
        Op::CreateGroup => groups::create(shared, ctx),
        Op::ListGroups => groups::list(shared, ctx),
        Op::GetGroup => group().and_then(|id| groups::get(shared, ctx, id)),
        Op::UpdateGroup => group().and_then(|id| groups::update(shared, ctx, id)),
        Op::DeleteGroup => group().and_then(|id| groups::delete(shared, id)),
        Op::ExportGroupCsv => group().and_then(|id| groups::export_csv(shared, id)),
        Op::ListGroupPhones => group().and_then(|id| phones::list(shared, ctx, id)),
        Op::AddPhone => group().and_then(|id| phones::add(shared, ctx, id)),
        Op::AddPhonesBatch => group().and_then(|id| phones::add_batch(shared, ctx, id)),
        Op::GetPhone => phone().and_then(|id| phones::get(shared, ctx, id)),
        Op::UpdatePhone => phone().and_then(|id| phones::update(shared, ctx, id)),
        Op::DeletePhone => phone().and_then(|id| phones::delete(shared, id)),
        Op::CreateBulk => bulks::create(shared, ctx, false),
        Op::DryRunBulk => bulks::create(shared, ctx, true),
        Op::ListBulks => bulks::list(shared, ctx),
        Op::GetBulk => bulk().and_then(|id| bulks::get(shared, ctx, id)),
        Op::GetBulkStatus => bulk().and_then(|id| bulks::status(shared, ctx, id)),
        Op::CancelBulk => bulk().and_then(|id| bulks::cancel(shared, ctx, id)),
        Op::DeleteBulk => bulk().and_then(|id| bulks::delete(shared, id)),
    };
    result.unwrap_or_else(|problem| problem.reply(ctx.format))
}
