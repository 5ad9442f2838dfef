//! The operations themselves: each reads the request, changes or reads the
//! store, and answers. They run under the store's lock and never wait.

mod account;
mod blocked;
mod bulks;
mod fraud;
mod groups;
mod incomings;
mod links;
mod outgoing;
mod params;
mod phones;
mod sms;
mod sms_filter;

pub(crate) use fraud::done_data as fraud_check_done;
pub(crate) use outgoing::receive;

use super::{
    context::Ctx,
    hydra::{self, Collection},
    problem::Problem,
    reply::Reply,
    routes::{Operation, Target},
    state::Shared,
};

pub(crate) fn handle(shared: &Shared, ctx: &Ctx, op: Operation, target: &Target) -> Reply {
    use Operation as Op;
    let number = || match target {
        Target::Group(id) | Target::Phone(id) | Target::Blocked(id) | Target::LinkRequest(id) => {
            Ok(*id)
        }
        _ => Err(Problem::not_found()),
    };
    let text = || match target {
        Target::Bulk(id)
        | Target::Sms(id)
        | Target::Incoming(id)
        | Target::FraudCheck(id)
        | Target::Code(id) => Ok(id.as_str()),
        _ => Err(Problem::not_found()),
    };
    let result = match op {
        Op::CreateGroup => groups::create(shared, ctx),
        Op::ListGroups => groups::list(shared, ctx),
        Op::GetGroup => number().and_then(|id| groups::get(shared, ctx, id)),
        Op::UpdateGroup => number().and_then(|id| groups::update(shared, ctx, id)),
        Op::DeleteGroup => number().and_then(|id| groups::delete(shared, id)),
        Op::ExportGroupCsv => number().and_then(|id| groups::export_csv(shared, id)),
        Op::ListGroupPhones => number().and_then(|id| phones::list(shared, ctx, id)),
        Op::AddPhone => number().and_then(|id| phones::add(shared, ctx, id)),
        Op::AddPhonesBatch => number().and_then(|id| phones::add_batch(shared, ctx, id)),
        Op::GetPhone => number().and_then(|id| phones::get(shared, ctx, id)),
        Op::UpdatePhone => number().and_then(|id| phones::update(shared, ctx, id)),
        Op::DeletePhone => number().and_then(|id| phones::delete(shared, id)),
        Op::CreateBulk => bulks::create(shared, ctx, false),
        Op::DryRunBulk => bulks::create(shared, ctx, true),
        Op::ListBulks => bulks::list(shared, ctx),
        Op::GetBulk => text().and_then(|id| bulks::get(shared, ctx, id)),
        Op::GetBulkStatus => text().and_then(|id| bulks::status(shared, ctx, id)),
        Op::ListBulkRequests => text().and_then(|id| bulks::requests(shared, ctx, id)),
        Op::CancelBulk => text().and_then(|id| bulks::cancel(shared, ctx, id)),
        Op::DeleteBulk => text().and_then(|id| bulks::delete(shared, id)),
        Op::SendSms => sms::send(shared, ctx, false),
        Op::DryRunSms => sms::send(shared, ctx, true),
        Op::ListSms => sms::list(shared, ctx),
        Op::GetSms => text().and_then(|id| sms::get(shared, ctx, id)),
        Op::DeleteSms => text().and_then(|id| sms::delete(shared, ctx, id)),
        Op::CancelSmsBatch => sms::cancel_batch(shared, ctx),
        Op::DeleteSmsBatch => sms::delete_batch(shared, ctx),
        Op::ListSmsClicks => sms::clicks(shared, ctx),
        Op::ListSmsClicksOfMessage => text().and_then(|id| sms::clicks_of(shared, ctx, id)),
        Op::ListSmsRequests => text().and_then(|id| sms::requests(shared, ctx, id)),
        Op::GetAccount => account::get(shared, ctx),
        Op::ListIncomings => incomings::list(shared, ctx),
        Op::GetIncoming => text().and_then(|id| incomings::get(shared, ctx, id)),
        Op::DeleteIncoming => text().and_then(|id| incomings::delete(shared, ctx, id)),
        Op::ListBlockedNumbers => blocked::list(shared, ctx),
        Op::AddBlockedNumber => blocked::add(shared, ctx),
        Op::GetBlockedNumber => number().and_then(|id| blocked::get(shared, ctx, id)),
        Op::DeleteBlockedNumber => number().and_then(|id| blocked::delete(shared, id)),
        Op::ListFraudChecks => fraud::list(shared, ctx),
        Op::CreateFraudCheck => fraud::create(shared, ctx),
        Op::GetFraudCheck => text().and_then(|id| fraud::get(shared, ctx, id)),
        Op::DeleteFraudCheck => text().and_then(|id| fraud::delete(shared, id)),
        Op::ListShortLinkCampaigns => links::list(shared, ctx),
        Op::CreateShortLinkCampaign => links::create(shared, ctx),
        Op::SubscribeToShortLinkCampaign => links::subscription(shared, ctx, true),
        Op::UnsubscribeFromShortLinkCampaign => links::subscription(shared, ctx, false),
        Op::GetShortLinkCampaign => text().and_then(|code| links::get(shared, ctx, code)),
        Op::UpdateShortLinkCampaign => text().and_then(|code| links::update(shared, ctx, code)),
        Op::DeleteShortLinkCampaign => text().and_then(|code| links::delete(shared, code)),
        Op::ListShortLinkCampaignRequests => text().and_then(|code| {
            links::campaign_list(shared, ctx, code, "requests", "ShortLinkRequest")
        }),
        Op::ListShortLinkCampaignLinks => text()
            .and_then(|code| links::campaign_list(shared, ctx, code, "short_links", "ShortLink")),
        Op::ListShortLinks => empty_list(shared, ctx, "/short_links", "ShortLink"),
        Op::ListShortLinkRequests => {
            empty_list(shared, ctx, "/short_link_requests", "ShortLinkRequest")
        }
        // The sandbox makes no short links, so none of these exist.
        Op::GetShortLink | Op::ListShortLinkRequestsOfLink | Op::GetShortLinkRequest => {
            Err(Problem::not_found())
        }
    };
    result.unwrap_or_else(|problem| problem.reply(ctx.format))
}

/// A collection with nothing in it, paged like any other.
fn empty_list(shared: &Shared, ctx: &Ctx, path: &str, kind: &str) -> Result<Reply, Problem> {
    let page = hydra::page_number(ctx)?;
    let collection = Collection {
        path: path.to_owned(),
        kind,
        page,
        page_size: shared.settings.page_size,
    };
    let none: &[serde_json::Value] = &[];
    let body = collection.render(ctx, none, Clone::clone);
    Ok(Reply::resource(200, ctx.format, &body))
}
