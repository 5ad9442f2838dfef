//! A run of consecutive input entries and the requests that carry them:
//! how an entry is prepared, and how an answer or an error settles the
//! entries of a request.

use std::borrow::Cow;

use crate::{
    BatchResult, Error, PhoneEntry, ValidationError, Violation, api::types::PhoneWrite,
    call::Answer,
};

use super::{NotSentReason, Outcome, Progress, Rejection, UnknownReason};

/// Checks one input entry and turns it into what is sent: the single place
/// where an entry is checked (and, where it applies, normalised) before
/// being batched. An error rejects the entry locally; it is never sent.
pub(super) fn prepare(entry: &PhoneEntry) -> Result<PhoneWrite, ValidationError> {
    entry.to_wire()
}

/// How many times the entries of a batch refused as a whole because of
/// some of them are sent again without those.
const MAX_RESENDS: u8 = 3;

/// Consecutive input entries, from `first` on, with their outcomes as they
/// become known.
pub(super) struct Chunk<'a> {
    /// Order among chunks: outcomes are handed on in this order.
    pub seq: u64,
    /// The input index of the first entry.
    pub first: u64,
    pub entries: Vec<Cow<'a, PhoneEntry>>,
    pub outcomes: Vec<Option<Outcome>>,
    /// Resends so far after whole-batch refusals.
    resends: u8,
}

/// The entries a request carries: their positions in the chunk and their
/// wire form, in the same order.
pub(super) struct Batch {
    pub positions: Vec<usize>,
    pub wire: Vec<PhoneWrite>,
}

/// What a request's result decided.
pub(super) struct Settled {
    /// Entries to send again (a whole-batch refusal that named others).
    pub resend: Option<Batch>,
    /// The batch failed as a whole.
    pub failure: Option<Error>,
    /// The failure makes further batches pointless or harmful.
    pub stops: bool,
    /// The request id of the answer.
    pub request_id: Option<String>,
}

impl<'a> Chunk<'a> {
    pub fn new(first: u64, capacity: usize) -> Self {
        Self {
            seq: 0,
            first,
            entries: Vec::with_capacity(capacity),
            outcomes: Vec::with_capacity(capacity),
            resends: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Adds an entry whose outcome is already known (local rejection, or
    /// carried over from the report being resumed).
    pub fn push_settled(&mut self, entry: Cow<'a, PhoneEntry>, outcome: Outcome) {
        self.entries.push(entry);
        self.outcomes.push(Some(outcome));
    }

    /// Adds an entry to send; returns its position.
    pub fn push_pending(&mut self, entry: Cow<'a, PhoneEntry>) -> usize {
        self.entries.push(entry);
        self.outcomes.push(None);
        self.entries.len() - 1
    }

    /// Settles every entry still open as not sent.
    pub fn abandon(&mut self, reason: NotSentReason, progress: &mut Progress) {
        for (entry, outcome) in self.entries.iter().zip(&mut self.outcomes) {
            if outcome.is_none() {
                progress.count(outcome.insert(Outcome::NotSent {
                    phone: Some(entry.phone.clone()),
                    reason,
                }));
            }
        }
    }

    fn set(
        &mut self,
        position: usize,
        progress: &mut Progress,
        outcome: impl FnOnce(String) -> Outcome,
    ) {
        let phone = self.entries[position].phone.clone();
        progress.count(self.outcomes[position].insert(outcome(phone)));
    }

    /// Settles the entries of `batch` with the result of its request.
    pub fn settle(
        &mut self,
        batch: Batch,
        result: Result<Answer<BatchResult>, Error>,
        progress: &mut Progress,
    ) -> Settled {
        match result {
            Ok(answer) => self.settle_answer(batch, answer, progress),
            Err(error) => self.settle_error(batch, error, progress),
        }
    }

    fn settle_answer(
        &mut self,
        batch: Batch,
        answer: Answer<BatchResult>,
        progress: &mut Progress,
    ) -> Settled {
        let items = answer.value.items;
        let request_id = answer.request_id;
        if items.len() != batch.positions.len() {
            for &p in &batch.positions {
                self.set(p, progress, |phone| Outcome::Unknown {
                    phone,
                    reason: UnknownReason::Unreadable,
                });
            }
            let reason = format!(
                "the answer has {} items for the {} entries sent, so no item can be matched to its entry",
                items.len(),
                batch.positions.len()
            );
            let failure =
                crate::UnexpectedResponse::new(Some(201), request_id.clone(), reason, b"");
            return Settled {
                resend: None,
                failure: Some(failure.into()),
                stops: false,
                request_id,
            };
        }
        for (&p, item) in batch.positions.iter().zip(items) {
            // A success status stores the entry, even if its body is not the
            // entry LOX24 documents (then without an id).
            let outcome = match item.result {
                Ok(phone) => Outcome::Created { id: phone.id },
                Err(_) if (200..300).contains(&item.status) => Outcome::Created { id: None },
                Err(problem) => Outcome::Rejected {
                    phone: self.entries[p].phone.clone(),
                    reason: Rejection::Item {
                        status: item.status,
                        problem,
                        request_id: request_id.clone(),
                    },
                },
            };
            progress.count(self.outcomes[p].insert(outcome));
        }
        Settled {
            resend: None,
            failure: None,
            stops: false,
            request_id,
        }
    }

    fn settle_error(&mut self, batch: Batch, error: Error, progress: &mut Progress) -> Settled {
        let request_id = error.request_id().map(str::to_owned);
        let mut settled = Settled {
            resend: None,
            failure: None,
            stops: false,
            request_id,
        };
        match &error {
            Error::InvalidInput(api) | Error::Unprocessable(api) => {
                settled.resend = self.refused_as_a_whole(batch, api, progress);
            }
            Error::Ambiguous(_) | Error::UnexpectedResponse(_) => {
                let reason = match error {
                    Error::Ambiguous(_) => UnknownReason::Ambiguous,
                    _ => UnknownReason::Unreadable,
                };
                for &p in &batch.positions {
                    self.set(p, progress, |phone| Outcome::Unknown { phone, reason });
                }
            }
            Error::LockedOut => {
                // The guard refused the request: it was never sent.
                for &p in &batch.positions {
                    self.set(p, progress, |phone| Outcome::NotSent {
                        phone: Some(phone),
                        reason: NotSentReason::Stopped,
                    });
                }
                settled.stops = true;
            }
            _ if error.may_have_taken_effect() => {
                for &p in &batch.positions {
                    self.set(p, progress, |phone| Outcome::Unknown {
                        phone,
                        reason: UnknownReason::Ambiguous,
                    });
                }
            }
            // 401, 402, 403, 404, 429, LOX24 unreachable or unavailable after
            // every retry: nothing was stored, and the next batch would fare
            // no better (or, for a 401, get the IP address blocked).
            _ => {
                for &p in &batch.positions {
                    self.set(p, progress, |phone| Outcome::NotSent {
                        phone: Some(phone),
                        reason: NotSentReason::Failed,
                    });
                }
                settled.stops = true;
            }
        }
        settled.failure = Some(error);
        settled
    }

    /// A 400 or 422 for the whole batch: LOX24 stored none of it. Entries
    /// named by a violation (`[3].phone` is the batch's fourth entry) are
    /// rejected; the others are sent again without them. When no violation
    /// names an entry, all are rejected with the answer's message.
    fn refused_as_a_whole(
        &mut self,
        batch: Batch,
        api: &crate::ApiError,
        progress: &mut Progress,
    ) -> Option<Batch> {
        let status = api.status();
        let request_id = api.request_id().map(str::to_owned);
        let message = api.message().map(str::to_owned);
        let mut named: Vec<Vec<Violation>> = vec![Vec::new(); batch.positions.len()];
        for violation in api.violations() {
            if let Some((at, field)) = item_path(&violation.property_path)
                && let Some(list) = named.get_mut(at)
            {
                list.push(Violation {
                    property_path: field.to_owned(),
                    ..violation.clone()
                });
            }
        }
        let rejection = |violations| Rejection::Batch {
            status,
            violations,
            message: message.clone(),
            request_id: request_id.clone(),
        };
        let any_named = named.iter().any(|v| !v.is_empty());
        if !any_named || self.resends >= MAX_RESENDS {
            for (&p, violations) in batch.positions.iter().zip(named) {
                let violations = if any_named {
                    violations
                } else {
                    api.violations().to_vec()
                };
                self.set(p, progress, |phone| Outcome::Rejected {
                    phone,
                    reason: rejection(violations),
                });
            }
            return None;
        }
        self.resends += 1;
        let mut again = Batch {
            positions: Vec::new(),
            wire: Vec::new(),
        };
        for ((p, wire), violations) in batch.positions.into_iter().zip(batch.wire).zip(named) {
            if violations.is_empty() {
                again.positions.push(p);
                again.wire.push(wire);
            } else {
                self.set(p, progress, |phone| Outcome::Rejected {
                    phone,
                    reason: rejection(violations),
                });
            }
        }
        (!again.positions.is_empty()).then_some(again)
    }
}

/// `[3].phone` → (3, "phone"); `[3]` → (3, "").
fn item_path(path: &str) -> Option<(usize, &str)> {
    let rest = path.strip_prefix('[')?;
    let (index, field) = rest.split_once(']')?;
    let index = index.parse().ok()?;
    Some((index, field.strip_prefix('.').unwrap_or(field)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_paths() {
        assert_eq!(item_path("[3].phone"), Some((3, "phone")));
        assert_eq!(item_path("[0]"), Some((0, "")));
        assert_eq!(item_path("[12].callback_data"), Some((12, "callback_data")));
        assert_eq!(item_path("phone"), None);
        assert_eq!(item_path("[x].phone"), None);
        assert_eq!(item_path("[-1].phone"), None);
    }
}
