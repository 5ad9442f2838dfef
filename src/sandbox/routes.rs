//! The operations the sandbox serves, and which one a method and path name.

use std::fmt;

use hyper::Method;

/// One operation of the LOX24 API, as the sandbox serves it. Faults are
/// configured and requests counted per operation.
///
/// ```
/// use lox24::sandbox::Operation;
///
/// assert_eq!(Operation::AddPhonesBatch.to_string(), "POST /groups/{id}/phones/batch");
/// assert_eq!(Operation::ALL.len(), 19);
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
    /// `PUT /bulks/{id}/cancel`
    CancelBulk,
    /// `DELETE /bulks/{id}`
    DeleteBulk,
}

impl Operation {
    /// Every operation, in declaration order.
    pub const ALL: [Operation; 19] = [
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
        Self::CancelBulk,
        Self::DeleteBulk,
    ];

    /// The HTTP method.
    pub fn method(self) -> &'static str {
        match self {
            Self::CreateGroup
            | Self::AddPhone
            | Self::AddPhonesBatch
            | Self::CreateBulk
            | Self::DryRunBulk => "POST",
            Self::UpdateGroup | Self::UpdatePhone | Self::CancelBulk => "PUT",
            Self::DeleteGroup | Self::DeletePhone | Self::DeleteBulk => "DELETE",
            Self::ListGroups
            | Self::GetGroup
            | Self::ExportGroupCsv
            | Self::ListGroupPhones
            | Self::GetPhone
            | Self::ListBulks
            | Self::GetBulk
            | Self::GetBulkStatus => "GET",
        }
    }

    /// The path template, e.g. `/groups/{id}/phones`.
    pub fn path(self) -> &'static str {
        match self {
            Self::CreateGroup | Self::ListGroups => "/groups",
            Self::GetGroup | Self::UpdateGroup | Self::DeleteGroup => "/groups/{id}",
            Self::ExportGroupCsv => "/groups/{id}/file/csv",
            Self::ListGroupPhones | Self::AddPhone => "/groups/{id}/phones",
            Self::AddPhonesBatch => "/groups/{id}/phones/batch",
            Self::GetPhone | Self::UpdatePhone | Self::DeletePhone => "/phones/{id}",
            Self::CreateBulk | Self::ListBulks => "/bulks",
            Self::DryRunBulk => "/bulks/dryrun",
            Self::GetBulk | Self::DeleteBulk => "/bulks/{id}",
            Self::GetBulkStatus => "/bulks/{id}/status",
            Self::CancelBulk => "/bulks/{id}/cancel",
        }
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
    let (target, candidates): (Option<Target>, &[Op]) = match segments.as_slice() {
        ["groups"] => (Some(Target::None), &[Op::ListGroups, Op::CreateGroup]),
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
        ["bulks"] => (Some(Target::None), &[Op::ListBulks, Op::CreateBulk]),
        ["bulks", "dryrun"] => (Some(Target::None), &[Op::DryRunBulk]),
        ["bulks", id] => (bulk(id), &[Op::GetBulk, Op::DeleteBulk]),
        ["bulks", id, "status"] => (bulk(id), &[Op::GetBulkStatus]),
        ["bulks", id, "cancel"] => (bulk(id), &[Op::CancelBulk]),
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

fn bulk(segment: &str) -> Option<Target> {
    (!segment.is_empty()).then(|| Target::Bulk(segment.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_routes_from_its_own_method_and_path() {
        for op in Operation::ALL {
            let path = op.path().replace(
                "{id}",
                if op.path().starts_with("/bulks") {
                    "b"
                } else {
                    "7"
                },
            );
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
