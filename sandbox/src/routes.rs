//! The operations the sandbox serves, and which one a method and path name.

use std::fmt;

use hyper::Method;

/// One operation of the LOX24 API, as the sandbox serves it. Faults are
/// configured and requests counted per operation.
///
/// ```
/// use lox24_sandbox::Operation;
///
/// assert_eq!(Operation::AddPhonesBatch.to_string(), "POST /groups/{id}/phones/batch");
/// assert_eq!(Operation::ALL.len(), 56);
/// assert_eq!(Operation::SendSms.to_string(), "POST /sms");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Operation {
    /// `POST /groups`
    CreateGroup,
    /// `GET /groups` (paged)
    ListGroups,
    /// `GET /groups/{id}`
    GetGroup,
    /// `PUT /groups/{id}`
    UpdateGroup,
    /// `DELETE /groups/{id}` (the group and all its entries)
    DeleteGroup,
    /// `GET /groups/{id}/file/csv`
    ExportGroupCsv,
    /// `GET /groups/{id}/phones` (paged)
    ListGroupPhones,
    /// `POST /groups/{id}/phones`
    AddPhone,
    /// `POST /groups/{id}/phones/batch`
    AddPhonesBatch,
    /// `GET /phones/{id}`
    GetPhone,
    /// `PUT /phones/{id}`
    UpdatePhone,
    /// `DELETE /phones/{id}`
    DeletePhone,
    /// `POST /bulks`
    CreateBulk,
    /// `POST /bulks/dryrun`
    DryRunBulk,
    /// `GET /bulks` (paged, filtered, ordered)
    ListBulks,
    /// `GET /bulks/{id}`
    GetBulk,
    /// `GET /bulks/{id}/status`
    GetBulkStatus,
    /// `GET /bulks/{id}/requests` (paged; always empty: the sandbox's
    /// messages have no short links)
    ListBulkRequests,
    /// `PUT /bulks/{id}/cancel`
    CancelBulk,
    /// `DELETE /bulks/{id}`
    DeleteBulk,
    /// `POST /sms`
    SendSms,
    /// `POST /sms/dryrun` (nothing stored or charged)
    DryRunSms,
    /// `GET /sms` (paged, filtered, ordered)
    ListSms,
    /// `GET /sms/{uuid}`
    GetSms,
    /// `DELETE /sms/{uuid}`
    DeleteSms,
    /// `POST /sms/ops/batch_cancel`
    CancelSmsBatch,
    /// `POST /sms/ops/batch_delete`
    DeleteSmsBatch,
    /// `GET /sms/clicks` (paged; always empty)
    ListSmsClicks,
    /// `GET /sms/{uuid}/clicks`
    ListSmsClicksOfMessage,
    /// `GET /sms/{uuid}/requests` (paged; always empty)
    ListSmsRequests,
    /// `GET /me`
    GetAccount,
    /// `GET /incomings` (paged, filtered, ordered)
    ListIncomings,
    /// `GET /incomings/{uuid}`
    GetIncoming,
    /// `DELETE /incomings/{uuid}`
    DeleteIncoming,
    /// `GET /blocked_numbers` (paged, filtered)
    ListBlockedNumbers,
    /// `POST /blocked_numbers`
    AddBlockedNumber,
    /// `GET /blocked_numbers/{id}`
    GetBlockedNumber,
    /// `DELETE /blocked_numbers/{id}`
    DeleteBlockedNumber,
    /// `GET /fraud-checks` (paged, filtered)
    ListFraudChecks,
    /// `POST /fraud-checks`
    CreateFraudCheck,
    /// `GET /fraud-checks/{id}`
    GetFraudCheck,
    /// `DELETE /fraud-checks/{id}`
    DeleteFraudCheck,
    /// `GET /short_link_campaigns` (paged)
    ListShortLinkCampaigns,
    /// `POST /short_link_campaigns`
    CreateShortLinkCampaign,
    /// `POST /short_link_campaigns/subscribe`
    SubscribeToShortLinkCampaign,
    /// `POST /short_link_campaigns/unsubscribe`
    UnsubscribeFromShortLinkCampaign,
    /// `GET /short_link_campaigns/{code}`
    GetShortLinkCampaign,
    /// `PUT /short_link_campaigns/{code}`
    UpdateShortLinkCampaign,
    /// `DELETE /short_link_campaigns/{code}`
    DeleteShortLinkCampaign,
    /// `GET /short_link_campaigns/{code}/requests` (paged; always empty)
    ListShortLinkCampaignRequests,
    /// `GET /short_link_campaigns/{code}/short_links` (paged; always empty)
    ListShortLinkCampaignLinks,
    /// `GET /short_links` (paged; always empty)
    ListShortLinks,
    /// `GET /short_links/{shortCode}` (always 404: the sandbox makes no short links)
    GetShortLink,
    /// `GET /short_links/{shortCode}/requests` (always 404, as the link)
    ListShortLinkRequestsOfLink,
    /// `GET /short_link_requests` (paged; always empty)
    ListShortLinkRequests,
    /// `GET /short_link_requests/{id}` (always 404)
    GetShortLinkRequest,
}

/// The method and path template of each operation, in the order of
/// [`Operation::ALL`] (the order of the variants).
const TABLE: [(&str, &str); 56] = [
    ("POST", "/groups"),
    ("GET", "/groups"),
    ("GET", "/groups/{id}"),
    ("PUT", "/groups/{id}"),
    ("DELETE", "/groups/{id}"),
    ("GET", "/groups/{id}/file/csv"),
    ("GET", "/groups/{id}/phones"),
    ("POST", "/groups/{id}/phones"),
    ("POST", "/groups/{id}/phones/batch"),
    ("GET", "/phones/{id}"),
    ("PUT", "/phones/{id}"),
    ("DELETE", "/phones/{id}"),
    ("POST", "/bulks"),
    ("POST", "/bulks/dryrun"),
    ("GET", "/bulks"),
    ("GET", "/bulks/{id}"),
    ("GET", "/bulks/{id}/status"),
    ("GET", "/bulks/{id}/requests"),
    ("PUT", "/bulks/{id}/cancel"),
    ("DELETE", "/bulks/{id}"),
    ("POST", "/sms"),
    ("POST", "/sms/dryrun"),
    ("GET", "/sms"),
    ("GET", "/sms/{uuid}"),
    ("DELETE", "/sms/{uuid}"),
    ("POST", "/sms/ops/batch_cancel"),
    ("POST", "/sms/ops/batch_delete"),
    ("GET", "/sms/clicks"),
    ("GET", "/sms/{uuid}/clicks"),
    ("GET", "/sms/{uuid}/requests"),
    ("GET", "/me"),
    ("GET", "/incomings"),
    ("GET", "/incomings/{uuid}"),
    ("DELETE", "/incomings/{uuid}"),
    ("GET", "/blocked_numbers"),
    ("POST", "/blocked_numbers"),
    ("GET", "/blocked_numbers/{id}"),
    ("DELETE", "/blocked_numbers/{id}"),
    ("GET", "/fraud-checks"),
    ("POST", "/fraud-checks"),
    ("GET", "/fraud-checks/{id}"),
    ("DELETE", "/fraud-checks/{id}"),
    ("GET", "/short_link_campaigns"),
    ("POST", "/short_link_campaigns"),
    ("POST", "/short_link_campaigns/subscribe"),
    ("POST", "/short_link_campaigns/unsubscribe"),
    ("GET", "/short_link_campaigns/{code}"),
    ("PUT", "/short_link_campaigns/{code}"),
    ("DELETE", "/short_link_campaigns/{code}"),
    ("GET", "/short_link_campaigns/{code}/requests"),
    ("GET", "/short_link_campaigns/{code}/short_links"),
    ("GET", "/short_links"),
    ("GET", "/short_links/{shortCode}"),
    ("GET", "/short_links/{shortCode}/requests"),
    ("GET", "/short_link_requests"),
    ("GET", "/short_link_requests/{id}"),
];

impl Operation {
    /// Every operation, in declaration order.
    pub const ALL: [Operation; 56] = [
        Self::CreateGroup,
        Self::ListGroups,
        Self::GetGroup,
        Self::UpdateGroup,
        Self::DeleteGroup,
        Self::ExportGroupCsv,
        Self::ListGroupPhones,
        Self::AddPhone,
        Self::AddPhonesBatch,
        Self::GetPhone,
        Self::UpdatePhone,
        Self::DeletePhone,
        Self::CreateBulk,
        Self::DryRunBulk,
        Self::ListBulks,
        Self::GetBulk,
        Self::GetBulkStatus,
        Self::ListBulkRequests,
        Self::CancelBulk,
        Self::DeleteBulk,
        Self::SendSms,
        Self::DryRunSms,
        Self::ListSms,
        Self::GetSms,
        Self::DeleteSms,
        Self::CancelSmsBatch,
        Self::DeleteSmsBatch,
        Self::ListSmsClicks,
        Self::ListSmsClicksOfMessage,
        Self::ListSmsRequests,
        Self::GetAccount,
        Self::ListIncomings,
        Self::GetIncoming,
        Self::DeleteIncoming,
        Self::ListBlockedNumbers,
        Self::AddBlockedNumber,
        Self::GetBlockedNumber,
        Self::DeleteBlockedNumber,
        Self::ListFraudChecks,
        Self::CreateFraudCheck,
        Self::GetFraudCheck,
        Self::DeleteFraudCheck,
        Self::ListShortLinkCampaigns,
        Self::CreateShortLinkCampaign,
        Self::SubscribeToShortLinkCampaign,
        Self::UnsubscribeFromShortLinkCampaign,
        Self::GetShortLinkCampaign,
        Self::UpdateShortLinkCampaign,
        Self::DeleteShortLinkCampaign,
        Self::ListShortLinkCampaignRequests,
        Self::ListShortLinkCampaignLinks,
        Self::ListShortLinks,
        Self::GetShortLink,
        Self::ListShortLinkRequestsOfLink,
        Self::ListShortLinkRequests,
        Self::GetShortLinkRequest,
    ];

    /// The HTTP method.
    pub fn method(self) -> &'static str {
        TABLE[self.index()].0
    }

    /// The path template, with `{id}`, `{uuid}`, `{code}` or
    /// `{shortCode}` for the resource's id, as the spec writes it.
    pub fn path(self) -> &'static str {
        TABLE[self.index()].1
    }

    /// The position in [`Operation::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method(), self.path())
    }
}

/// The resource a path names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    None,
    Group(u64),
    Phone(u64),
    Bulk(String),
    Sms(String),
    Incoming(String),
    Blocked(u64),
    FraudCheck(String),
    /// A short-link campaign's code, or a short link's.
    Code(String),
    LinkRequest(u64),
}

/// Where a request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    Found(Operation, Target),
    NotFound,
    /// The path exists, the method does not; the methods that do.
    MethodNotAllowed(Vec<&'static str>),
}

impl Route {
    pub(crate) fn operation(&self) -> Option<Operation> {
        match self {
            Self::Found(op, _) => Some(*op),
            _ => None,
        }
    }
}

/// Finds the operation for a method and a path (without query).
pub(crate) fn route(method: &Method, path: &str) -> Route {
    use Operation as Op;
    let Some(rest) = path.strip_prefix('/') else {
        return Route::NotFound;
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let none = Some(Target::None);
    let (target, candidates): (Option<Target>, &[Op]) = match segments.as_slice() {
        ["groups"] => (none, &[Op::ListGroups, Op::CreateGroup]),
        ["groups", id] => (
            numeric(id).map(Target::Group),
            &[Op::GetGroup, Op::UpdateGroup, Op::DeleteGroup],
        ),
        ["groups", id, "phones"] => (
            numeric(id).map(Target::Group),
            &[Op::ListGroupPhones, Op::AddPhone],
        ),
        ["groups", id, "phones", "batch"] => {
            (numeric(id).map(Target::Group), &[Op::AddPhonesBatch])
        }
        ["groups", id, "file", "csv"] => (numeric(id).map(Target::Group), &[Op::ExportGroupCsv]),
        ["phones", id] => (
            numeric(id).map(Target::Phone),
            &[Op::GetPhone, Op::UpdatePhone, Op::DeletePhone],
        ),
        ["bulks"] => (none, &[Op::ListBulks, Op::CreateBulk]),
        ["bulks", "dryrun"] => (none, &[Op::DryRunBulk]),
        ["bulks", id] => (text(id, Target::Bulk), &[Op::GetBulk, Op::DeleteBulk]),
        ["bulks", id, "status"] => (text(id, Target::Bulk), &[Op::GetBulkStatus]),
        ["bulks", id, "requests"] => (text(id, Target::Bulk), &[Op::ListBulkRequests]),
        ["bulks", id, "cancel"] => (text(id, Target::Bulk), &[Op::CancelBulk]),
        ["sms"] => (none, &[Op::ListSms, Op::SendSms]),
        ["sms", "dryrun"] => (none, &[Op::DryRunSms]),
        ["sms", "clicks"] => (none, &[Op::ListSmsClicks]),
        ["sms", "ops", "batch_cancel"] => (none, &[Op::CancelSmsBatch]),
        ["sms", "ops", "batch_delete"] => (none, &[Op::DeleteSmsBatch]),
        ["sms", id] => (text(id, Target::Sms), &[Op::GetSms, Op::DeleteSms]),
        ["sms", id, "clicks"] => (text(id, Target::Sms), &[Op::ListSmsClicksOfMessage]),
        ["sms", id, "requests"] => (text(id, Target::Sms), &[Op::ListSmsRequests]),
        ["me"] => (none, &[Op::GetAccount]),
        ["incomings"] => (none, &[Op::ListIncomings]),
        ["incomings", id] => (
            text(id, Target::Incoming),
            &[Op::GetIncoming, Op::DeleteIncoming],
        ),
        ["blocked_numbers"] => (none, &[Op::ListBlockedNumbers, Op::AddBlockedNumber]),
        ["blocked_numbers", id] => (
            numeric(id).map(Target::Blocked),
            &[Op::GetBlockedNumber, Op::DeleteBlockedNumber],
        ),
        ["fraud-checks"] => (none, &[Op::ListFraudChecks, Op::CreateFraudCheck]),
        ["fraud-checks", id] => (
            text(id, Target::FraudCheck),
            &[Op::GetFraudCheck, Op::DeleteFraudCheck],
        ),
        ["short_link_campaigns"] => (
            none,
            &[Op::ListShortLinkCampaigns, Op::CreateShortLinkCampaign],
        ),
        ["short_link_campaigns", "subscribe"] => (none, &[Op::SubscribeToShortLinkCampaign]),
        ["short_link_campaigns", "unsubscribe"] => (none, &[Op::UnsubscribeFromShortLinkCampaign]),
        ["short_link_campaigns", code] => (
            text(code, Target::Code),
            &[
                Op::GetShortLinkCampaign,
                Op::UpdateShortLinkCampaign,
                Op::DeleteShortLinkCampaign,
            ],
        ),
        ["short_link_campaigns", code, "requests"] => (
            text(code, Target::Code),
            &[Op::ListShortLinkCampaignRequests],
        ),
        ["short_link_campaigns", code, "short_links"] => {
            (text(code, Target::Code), &[Op::ListShortLinkCampaignLinks])
        }
        ["short_links"] => (none, &[Op::ListShortLinks]),
        ["short_links", code] => (text(code, Target::Code), &[Op::GetShortLink]),
        ["short_links", code, "requests"] => {
            (text(code, Target::Code), &[Op::ListShortLinkRequestsOfLink])
        }
        ["short_link_requests"] => (none, &[Op::ListShortLinkRequests]),
        ["short_link_requests", id] => (
            numeric(id).map(Target::LinkRequest),
            &[Op::GetShortLinkRequest],
        ),
        _ => return Route::NotFound,
    };
    let Some(target) = target else {
        return Route::NotFound;
    };
    match candidates.iter().find(|op| op.method() == method.as_str()) {
        Some(op) => Route::Found(*op, target),
        None => Route::MethodNotAllowed(candidates.iter().map(|op| op.method()).collect()),
    }
}

/// A numeric id of 1 or more; anything else names nothing.
fn numeric(segment: &str) -> Option<u64> {
    if !segment.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    segment.parse().ok().filter(|&id| id >= 1)
}

/// A textual id (a UUID, a code): anything but empty; an unknown one is a
/// 404 from the handler.
fn text(segment: &str, target: fn(String) -> Target) -> Option<Target> {
    (!segment.is_empty()).then(|| target(segment.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_routes_from_its_own_method_and_path() {
        for op in Operation::ALL {
            // Numeric ids where the spec has them, a word elsewhere.
            let numeric = [
                "/groups",
                "/phones",
                "/blocked_numbers",
                "/short_link_requests",
            ];
            let id = if numeric.iter().any(|p| op.path().starts_with(p)) {
                "7"
            } else {
                "b"
            };
            let path = ["{id}", "{uuid}", "{code}", "{shortCode}"]
                .iter()
                .fold(op.path().to_owned(), |path, name| path.replace(name, id));
            let method = Method::from_bytes(op.method().as_bytes()).unwrap();
            assert_eq!(route(&method, &path).operation(), Some(op), "{op}");
            assert_eq!(Operation::ALL[op.index()], op);
        }
    }

    #[test]
    fn ids_and_methods_are_checked() {
        assert_eq!(
            route(&Method::GET, "/groups/42"),
            Route::Found(Operation::GetGroup, Target::Group(42))
        );
        for path in [
            "/groups/0",
            "/groups/abc",
            "/groups/+1",
            "/groups/",
            "/nothing",
            "groups",
        ] {
            assert_eq!(route(&Method::GET, path), Route::NotFound, "{path}");
        }
        assert_eq!(
            route(&Method::PATCH, "/groups/1"),
            Route::MethodNotAllowed(vec!["GET", "PUT", "DELETE"])
        );
        assert_eq!(
            route(&Method::GET, "/bulks/dryrun"),
            Route::MethodNotAllowed(vec!["POST"])
        );
    }
}
