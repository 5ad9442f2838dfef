//! A run of consecutive input entries and the requests that carry them:
//! how an entry is prepared, and how an answer or an error settles the
//! entries of a request.

use std::borrow::Cow;

use crate::{
    Error, PhoneEntry, ValidationError, Violation, number::PhonePolicy, transport::Answer,
};

use super::{
    NotSentReason, Outcome, Progress, Rejection, UnknownReason,
    slot::{Id, Slot},
    wire::{Body, Sealed},
};

/// An input entry as it is sent: its own fields, with the number the
/// phone policy made of its number. Small, where a copy of the entry is
/// some 170 bytes moved (or cloned) per input entry.
#[derive(Debug)]
pub(super) struct Prepared<'e> {
    pub entry: &'e PhoneEntry,
    pub phone: Cow<'e, str>,
}

/// Checks one input entry and returns what is sent for it: the single
/// place where an entry is normalised (by `policy`) and checked before being
/// batched. An error rejects the entry locally; it is never sent.
pub(super) fn prepare<'e>(
    entry: &'e PhoneEntry,
    policy: &PhonePolicy,
) -> Result<Prepared<'e>, ValidationError> {
    let phone = policy.apply(&entry.phone)?;
    // The limits apply to what is sent. Every policy gives a number that
    // passes the phone's own limits (E.164, or the input checked against
    // them when passed through), so only the other fields are left.
    entry.validate_fields()?;
    Ok(Prepared { entry, phone })
}

impl Batch {
    pub fn with_capacity(entries: usize) -> Self {
        Self {
            positions: Vec::with_capacity(entries),
            body: Body::with_capacity(entries),
        }
    }

    /// Adds the entry at `position` of its chunk.
    pub fn push(&mut self, position: usize, entry: &Prepared<'_>) -> Result<(), ValidationError> {
        self.body.push(entry.entry, &entry.phone).map_err(|e| {
            ValidationError::new(
                "phone",
                crate::ValidationProblem::Invalid {
                    reason: format!("cannot be written as JSON ({e})"),
                },
            )
        })?;
        self.positions.push(position);
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    pub fn seal(self) -> SentBatch {
        SentBatch {
            positions: self.positions,
            body: self.body.seal(),
        }
    }
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
    /// The entries themselves, kept only when they are handed back with
    /// their outcomes (`on_outcome`); the request body has what else is
    /// needed of them.
    pub entries: Vec<Cow<'a, PhoneEntry>>,
    keep_entries: bool,
    pub outcomes: Vec<Slot>,
    /// Resends so far after whole-batch refusals.
    resends: u8,
}

/// The entries a request carries: their positions in the chunk and the
/// request body, in the same order.
pub(super) struct Batch {
    pub positions: Vec<usize>,
    pub body: Body,
}

/// A batch as sent.
pub(super) struct SentBatch {
    pub positions: Vec<usize>,
    pub body: Sealed,
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
    pub fn new(first: u64, capacity: usize, keep_entries: bool) -> Self {
        Self {
            seq: 0,
            first,
            entries: Vec::with_capacity(if keep_entries { capacity } else { 0 }),
            keep_entries,
            outcomes: Vec::with_capacity(capacity),
            resends: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.outcomes.len()
    }

    /// Adds the next entry with its slot: `Pending` when it is in the
    /// batch, its outcome when that is already known (rejected locally,
    /// carried over from the report being resumed).
    #[inline]
    pub fn push(&mut self, entry: Cow<'a, PhoneEntry>, slot: Slot) {
        if self.keep_entries {
            self.entries.push(entry);
        }
        self.outcomes.push(slot);
    }

    /// Settles the entries of a batch that will not be sent as not sent.
    pub fn abandon(&mut self, batch: &Batch, reason: NotSentReason, progress: &mut Progress) {
        for (k, &p) in batch.positions.iter().enumerate() {
            if self.outcomes[p].is_pending() {
                let phone = Some(batch.body.phone(k));
                self.set(p, progress, Outcome::NotSent { phone, reason });
            }
        }
    }

    fn set(&mut self, position: usize, progress: &mut Progress, outcome: Outcome) {
        self.settle_slot(position, progress, Slot::Other(outcome));
    }

    fn settle_slot(&mut self, position: usize, progress: &mut Progress, slot: Slot) {
        if let Some(kind) = slot.kind() {
            progress.count(kind);
        }
        self.outcomes[position] = slot;
    }

    /// Settles the entries of `batch` with the result of its request.
    pub fn settle(
        &mut self,
        batch: SentBatch,
        result: Result<Answer<Vec<Slot>>, Error>,
        progress: &mut Progress,
    ) -> Settled {
        match result {
            Ok(answer) => self.settle_answer(batch, answer, progress),
            Err(error) => self.settle_error(batch, error, progress),
        }
    }

    fn settle_answer(
        &mut self,
        batch: SentBatch,
        answer: Answer<Vec<Slot>>,
        progress: &mut Progress,
    ) -> Settled {
        let items = answer.value;
        let request_id = answer.request_id;
        if items.len() != batch.positions.len() {
            for (k, &p) in batch.positions.iter().enumerate() {
                let phone = batch.body.phone(k);
                let reason = UnknownReason::Unreadable;
                self.set(p, progress, Outcome::Unknown { phone, reason });
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
        for (k, (&p, slot)) in batch.positions.iter().zip(items).enumerate() {
            // Nearly every item: written as a new slot rather than moved
            // through the match below.
            if let Slot::Created(Id::Number(id)) = slot {
                self.settle_slot(p, progress, Slot::Created(Id::Number(id)));
                continue;
            }
            let slot = match slot {
                Slot::Refused { status, problem } => Slot::Other(Outcome::Rejected {
                    phone: batch.body.phone(k),
                    reason: Box::new(Rejection::Item {
                        status,
                        problem: *problem,
                        request_id: request_id.clone(),
                    }),
                }),
                slot => slot,
            };
            self.settle_slot(p, progress, slot);
        }
        Settled {
            resend: None,
            failure: None,
            stops: false,
            request_id,
        }
    }

    fn settle_error(&mut self, batch: SentBatch, error: Error, progress: &mut Progress) -> Settled {
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
                for (k, &p) in batch.positions.iter().enumerate() {
                    let phone = batch.body.phone(k);
                    self.set(p, progress, Outcome::Unknown { phone, reason });
                }
            }
            Error::LockedOut => {
                // The guard refused the request: it was never sent.
                for (k, &p) in batch.positions.iter().enumerate() {
                    let phone = Some(batch.body.phone(k));
                    let reason = NotSentReason::Stopped;
                    self.set(p, progress, Outcome::NotSent { phone, reason });
                }
                settled.stops = true;
            }
            _ if error.may_have_taken_effect() => {
                for (k, &p) in batch.positions.iter().enumerate() {
                    let phone = batch.body.phone(k);
                    let reason = UnknownReason::Ambiguous;
                    self.set(p, progress, Outcome::Unknown { phone, reason });
                }
            }
            // 401, 402, 403, 404, 429, LOX24 unreachable or unavailable after
            // every retry: nothing was stored, and the next batch would fare
            // no better (or, for a 401, get the IP address blocked).
            _ => {
                for (k, &p) in batch.positions.iter().enumerate() {
                    let phone = Some(batch.body.phone(k));
                    let reason = NotSentReason::Failed;
                    self.set(p, progress, Outcome::NotSent { phone, reason });
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
        batch: SentBatch,
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
        let rejection = |violations| {
            Box::new(Rejection::Batch {
                status,
                violations,
                message: message.clone(),
                request_id: request_id.clone(),
            })
        };
        let any_named = named.iter().any(|v| !v.is_empty());
        if !any_named || self.resends >= MAX_RESENDS {
            for (k, (&p, violations)) in batch.positions.iter().zip(named).enumerate() {
                let violations = if any_named {
                    violations
                } else {
                    api.violations().to_vec()
                };
                let phone = batch.body.phone(k);
                let reason = rejection(violations);
                self.set(p, progress, Outcome::Rejected { phone, reason });
            }
            return None;
        }
        self.resends += 1;
        let mut kept = Vec::new();
        for (at, (&p, violations)) in batch.positions.iter().zip(named).enumerate() {
            if violations.is_empty() {
                kept.push(at);
            } else {
                let phone = batch.body.phone(at);
                let reason = rejection(violations);
                self.set(p, progress, Outcome::Rejected { phone, reason });
            }
        }
        let again = Batch {
            positions: kept.iter().map(|&at| batch.positions[at]).collect(),
            body: batch.body.select(kept),
        };
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
    fn prepared_entries_are_checked_with_every_limit_of_the_spec() {
        use crate::{Column, ValidationProblem::*};
        let long = |n| "x".repeat(n);
        let cases: [(PhoneEntry, Option<(&str, crate::ValidationProblem)>); 9] = [
            (PhoneEntry::new("+491701234567"), None),
            (
                PhoneEntry::new("+491701234567")
                    .column(Column::A, "a")
                    .column(Column::E, "e")
                    .callback_data("cb"),
                None,
            ),
            (PhoneEntry::new(""), Some(("phone", Missing))),
            (PhoneEntry::new("  "), Some(("phone", Missing))),
            (
                PhoneEntry::new(long(31)),
                Some((
                    "phone",
                    TooLong {
                        max: 30,
                        actual: 31,
                    },
                )),
            ),
            (
                PhoneEntry::new("+49").column(Column::C, long(1531)),
                Some((
                    "c",
                    TooLong {
                        max: 1530,
                        actual: 1531,
                    },
                )),
            ),
            (
                PhoneEntry::new(long(40)).callback_data(long(37)),
                Some((
                    "phone",
                    TooLong {
                        max: 30,
                        actual: 40,
                    },
                )),
            ),
            (
                PhoneEntry::new("+49").callback_data(long(37)),
                Some((
                    "callback_data",
                    TooLong {
                        max: 36,
                        actual: 37,
                    },
                )),
            ),
            (
                PhoneEntry::new("+49")
                    .column(Column::E, long(1530))
                    .callback_data(long(36)),
                None,
            ),
        ];
        for (entry, expected) in cases {
            let prepared = prepare(&entry, &PhonePolicy::PassThrough);
            match (prepared, expected) {
                (Ok(prepared), None) => {
                    assert_eq!(prepared.phone, entry.phone);
                    assert!(std::ptr::eq(prepared.entry, &entry));
                }
                (Err(error), Some((field, problem))) => {
                    assert_eq!(
                        (error.field(), error.problem()),
                        (field, &problem),
                        "{entry:?}"
                    );
                    assert_eq!(entry.validate(), Err(error), "one check for every path");
                }
                (prepared, expected) => panic!("{entry:?}: {prepared:?}, expected {expected:?}"),
            }
        }
    }

    /// `prepare` checks only the fields besides the number, since every
    /// policy's number passes the phone's limits: held here over inputs of
    /// every kind of character, for each policy.
    #[test]
    fn every_policy_gives_a_number_within_the_phone_limits() {
        // With every input, or every tenth (libphonenumber is slow in a
        // debug build).
        #[cfg_attr(not(feature = "phonenumber"), allow(unused_mut))]
        let mut policies = vec![
            (PhonePolicy::Strict, 1),
            (PhonePolicy::PassThrough, 1),
            (PhonePolicy::Normalize(None), 1),
            (
                PhonePolicy::Normalize(crate::number::Country::from_iso("DE").ok()),
                1,
            ),
            (
                PhonePolicy::Normalize(crate::number::Country::from_iso("US").ok()),
                1,
            ),
        ];
        #[cfg(feature = "phonenumber")]
        policies.push((
            PhonePolicy::Validate(crate::number::Country::from_iso("DE").ok()),
            10,
        ));
        let alphabet: Vec<char> = "0123456789+0049 -()/.\"\\\n\t\u{0}\u{7f}é\u{a0}\u{200b}x#*"
            .chars()
            .collect();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below as u64) as usize
        };
        let mut inputs: Vec<String> = vec!["+491701234567".into(), "0049 170 1234567".into()];
        for _ in 0..8_000 {
            let len = next(36);
            // Mostly digits, so that many inputs are numbers.
            let text = (0..len)
                .map(|_| match next(3) {
                    0 => alphabet[next(alphabet.len())],
                    _ => char::from(b'0' + next(10) as u8),
                })
                .collect();
            inputs.push(text);
            // And as lists write numbers: `+` and digits, or national
            // digits with a space.
            let digits: String = (0..4 + next(14))
                .map(|_| char::from(b'0' + next(10) as u8))
                .collect();
            inputs.push(format!("+{digits}"));
            inputs.push(format!("0{} {}", &digits[..3], &digits[3..]));
        }
        for (policy, step) in &policies {
            let mut accepted = 0;
            for input in inputs.iter().step_by(*step) {
                if let Ok(phone) = policy.apply(input) {
                    accepted += 1;
                    let entry = PhoneEntry::new(phone.as_ref());
                    assert_eq!(
                        entry.validate(),
                        Ok(()),
                        "{policy:?} {input:?} -> {phone:?}"
                    );
                }
            }
            // Not a vacuous property: each policy took hundreds of inputs.
            assert!(accepted >= 100, "{policy:?}: {accepted}");
        }
    }

    #[test]
    fn prepared_entries_carry_the_normalised_number() {
        let entry = PhoneEntry::new("0049 170 1234567").callback_data("x");
        let prepared = prepare(&entry, &PhonePolicy::default()).expect("a valid number");
        assert_eq!(prepared.phone, "+491701234567");
        let mut body = Body::with_capacity(1);
        body.push(prepared.entry, &prepared.phone).expect("writes");
        assert_eq!(
            &body.seal().bytes[..],
            br#"[{"phone":"+491701234567","callback_data":"x"}]"#
        );
    }

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
