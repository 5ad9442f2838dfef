//! The filters and ordering of `GET /sms`, which the batch cancel and
//! delete take too: those the client sends (`bulk`, `uuid`, `status_code`,
//! `dlr_code`, `callback_data`, each one value or a list with `[]`; `phone`,
//! `text` and `sender_id` contained; `iso2`, `key_id`, `source`,
//! `is_unicode` and `is_sent` exact; `created_at[gte|gt|lte|lt]`;
//! `_order[created_at]` and `_order[gateway_sent_at]`). Other parameters
//! are ignored, as API Platform ignores filters it does not have.
//!
//! `iso2` matches the numbers of the sandbox's country only: it knows no
//! other numbering plan, and shows no `iso2` for other numbers either.

use std::cmp::Ordering;

use lox24::number::Country;

use super::params::{self, Bound};
use crate::{clock::unix, context::Ctx, messages::State, problem::Problem, records::SmsRec};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    CreatedAt,
    SentAt,
}

#[derive(Debug, Default)]
pub(super) struct SmsFilter {
    bulks: Vec<String>,
    uuids: Vec<String>,
    statuses: Vec<u16>,
    dlr_codes: Vec<u16>,
    callback_data: Vec<String>,
    phone: Option<String>,
    content: params::Content,
    /// The calling-code prefix the `iso2` filter stands for; `Some(None)`
    /// when it names a country whose numbers the sandbox cannot tell.
    prefix: Option<Option<String>>,
    is_sent: Option<bool>,
    created: Vec<(Bound, i64)>,
    order: Vec<(Key, bool)>,
}

impl SmsFilter {
    pub(super) fn parse(ctx: &Ctx, country: Option<Country>) -> Result<Self, Problem> {
        let mut filter = Self::default();
        for (key, value) in params::pairs(ctx) {
            if let Some(bound) = Bound::of(key, "created_at") {
                filter.created.push((bound, params::number(key, value)?));
            } else if key == "_order[created_at]" {
                filter
                    .order
                    .push((Key::CreatedAt, params::descending(key, value)?));
            } else if key == "_order[gateway_sent_at]" {
                filter
                    .order
                    .push((Key::SentAt, params::descending(key, value)?));
            } else if params::is_list(key, "bulk") {
                filter.bulks.push(value.to_owned());
            } else if params::is_list(key, "uuid") {
                filter.uuids.push(value.to_owned());
            } else if params::is_list(key, "status_code") {
                filter.statuses.push(params::number(key, value)?);
            } else if params::is_list(key, "dlr_code") {
                filter.dlr_codes.push(params::number(key, value)?);
            } else if params::is_list(key, "callback_data") {
                filter.callback_data.push(value.to_owned());
            } else if key == "phone" {
                filter.phone = Some(value.to_owned());
            } else if key == "iso2" {
                filter.prefix = Some(
                    country
                        .filter(|c| c.iso().eq_ignore_ascii_case(value))
                        .map(|c| format!("+{}", c.calling_code())),
                );
            } else if key == "is_sent" {
                filter.is_sent = Some(params::boolean(key, value)?);
            } else {
                filter.content.read(key, value)?;
            }
        }
        if filter.order.is_empty() {
            filter.order.push((Key::CreatedAt, true));
        }
        Ok(filter)
    }

    pub(super) fn keeps(&self, (sms, now): &(&SmsRec, State)) -> bool {
        let any = |list: &[String], value: Option<&str>| {
            list.is_empty() || value.is_some_and(|v| list.iter().any(|x| x == v))
        };
        let created = unix(sms.created_at);
        any(&self.bulks, sms.bulk_id.as_deref())
            && any(&self.uuids, Some(&sms.uuid))
            && any(&self.callback_data, sms.callback_data.as_deref())
            && (self.statuses.is_empty() || self.statuses.contains(&now.status))
            && (self.dlr_codes.is_empty() || self.dlr_codes.contains(&now.dlr))
            && self
                .phone
                .as_ref()
                .is_none_or(|part| sms.phone.contains(part.as_str()))
            && self.content.keeps(
                &sms.text,
                &sms.sender_id,
                sms.key_id,
                sms.source,
                Some(sms.is_unicode),
            )
            && self.prefix.as_ref().is_none_or(|prefix| {
                prefix
                    .as_ref()
                    .is_some_and(|p| sms.phone.starts_with(p.as_str()))
            })
            && self.is_sent.is_none_or(|sent| sent == now.is_sent())
            && self
                .created
                .iter()
                .all(|&(bound, at)| bound.holds(created, at))
    }

    pub(super) fn compare(&self, a: &(&SmsRec, State), b: &(&SmsRec, State)) -> Ordering {
        let compare = |key| match key {
            // Creation order breaks ties within an instant.
            Key::CreatedAt => (a.0.created_at, a.0.seq).cmp(&(b.0.created_at, b.0.seq)),
            Key::SentAt => a.1.sent_at.cmp(&b.1.sent_at),
        };
        params::order_by(&self.order, compare, a.0.seq.cmp(&b.0.seq))
    }
}
