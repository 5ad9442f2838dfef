//! The report of an upload: one outcome per input entry, in input order.

use std::{borrow::Cow, fmt};

use serde::{Deserialize, Deserializer, Serialize, Serializer, ser::SerializeStruct};

use super::{
    NotSentReason, Outcome,
    slot::{Id, Kind, Slot},
};
use crate::{Error, GroupId};

/// What an upload did with every entry of its input, in input order.
///
/// Entry `i` of the input has exactly one [`Outcome`]: `Created` (with the
/// id LOX24 gave it), `Rejected`, `NotSent` or `Unknown`. The report also
/// holds the counts, the request ids of LOX24's answers, the batches that
/// failed as a whole, and what stopped the upload early, if anything did.
/// It serialises with serde (to keep it, or to resume later in another
/// process) and [`Client::resume_upload`](crate::Client::resume_upload)
/// takes it back with the same input to send what is left.
///
/// An upload that stopped early (a 401, no credit, a cancellation) does not
/// read the rest of its input: those entries are `NotSent` too, and counted
/// as such when the input's length is known. [`UploadReport::outcome`]
/// answers for them as well.
///
/// ```no_run
/// # async fn run(client: lox24::Client, phones: Vec<lox24::PhoneEntry>) -> Result<(), lox24::Error> {
/// use lox24::{GroupId, Outcome};
///
/// let report = client.upload_phones(GroupId::new(7117), &phones).await;
/// println!("{}", report.summary());
/// for (index, outcome) in report.entries() {
///     if let Outcome::Rejected { phone, reason } = &*outcome {
///         println!("entry {index} ({phone}) refused: {}", reason.message());
///     }
/// }
/// if let Some(error) = report.error() {
///     eprintln!("stopped early: {error}");
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct UploadReport {
    pub(super) group: GroupId,
    pub(super) total: Option<u64>,
    pub(super) read: u64,
    pub(super) summary: Summary,
    pub(super) outcomes: Outcomes,
    pub(super) request_ids: Vec<String>,
    pub(super) failed_batches: Vec<BatchFailure>,
    pub(super) stop: Option<Stop>,
    pub(super) error: Option<Error>,
}

/// The outcomes kept: all of them, or only those that are not `Created`
/// (see [`crate::Upload::keep_created`]).
#[derive(Debug)]
pub(super) enum Outcomes {
    /// Every entry: `codes[i]` is the numeric id of created entry `i`, or
    /// [`ELSEWHERE`] when its outcome is in `others` (any outcome but
    /// `Created` with a numeric id). Eight bytes per created entry.
    All {
        codes: Vec<u64>,
        others: Vec<(u64, Outcome)>,
    },
    /// The entries that were not created, by ascending index.
    Exceptions(Vec<(u64, Outcome)>),
}

/// See [`Outcomes::All`].
const ELSEWHERE: u64 = u64::MAX;

impl Outcomes {
    pub(super) fn new(keep_created: bool, room: usize) -> Self {
        if keep_created {
            Self::All {
                codes: Vec::with_capacity(room),
                others: Vec::new(),
            }
        } else {
            Self::Exceptions(Vec::new())
        }
    }

    /// Adds the outcome of the next entry, `index`.
    pub(super) fn push(&mut self, index: u64, slot: Slot) {
        match self {
            Self::All { codes, others } => match slot {
                Slot::Created(Id::Number(id)) if id != ELSEWHERE => codes.push(id),
                slot => {
                    codes.push(ELSEWHERE);
                    others.extend(slot.into_outcome().map(|o| (index, o)));
                }
            },
            Self::Exceptions(list) => {
                if let Slot::Other(outcome) = slot {
                    list.push((index, outcome));
                }
            }
        }
    }

    fn find(list: &[(u64, Outcome)], index: u64) -> Option<&Outcome> {
        let at = list.binary_search_by_key(&index, |(i, _)| *i).ok()?;
        Some(&list[at].1)
    }
}

/// How many entries ended how.
///
/// ```
/// let summary = lox24::Summary::default();
/// assert_eq!(summary.to_string(), "0 created, 0 rejected, 0 not sent, 0 unknown");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Summary {
    /// Entries stored.
    pub created: u64,
    /// Entries refused.
    pub rejected: u64,
    /// Entries certainly not stored (those the upload never read included,
    /// when the input's length is known).
    pub not_sent: u64,
    /// Entries whose outcome is not known.
    pub unknown: u64,
}

impl Summary {
    /// All entries counted.
    pub fn total(&self) -> u64 {
        self.created + self.rejected + self.not_sent + self.unknown
    }

    pub(super) fn count(&mut self, kind: Kind) {
        match kind {
            Kind::Created => self.created += 1,
            Kind::Rejected => self.rejected += 1,
            Kind::NotSent => self.not_sent += 1,
            Kind::Unknown => self.unknown += 1,
        }
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} created, {} rejected, {} not sent, {} unknown",
            self.created, self.rejected, self.not_sent, self.unknown
        )
    }
}

/// Why an upload stopped before its end.
///
/// ```
/// # fn check(report: &lox24::UploadReport) {
/// match report.stop() {
///     None => println!("the whole input was read"),
///     Some(lox24::Stop::Cancelled) => println!("cancelled"),
///     Some(lox24::Stop::Error(e)) => println!("stopped by HTTP {:?}: {}", e.status, e.message),
///     Some(_) => {}
/// }
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Stop {
    /// The cancellation future completed.
    Cancelled,
    /// An error that makes further batches pointless or harmful: a 401
    /// (the lockout guard), 402, 403, 404 (no such group), 429, LOX24
    /// unreachable or unavailable after every retry, or an input that does
    /// not match the report being resumed.
    Error(FailureRecord),
}

/// An error as a report keeps it: serialisable, without the live parts.
///
/// ```
/// let record: lox24::FailureRecord = serde_json::from_str(
///     r#"{"status": 429, "message": "blocked", "retry_after_secs": 600}"#,
/// )?;
/// assert_eq!((record.status, record.retry_after_secs), (Some(429), Some(600)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FailureRecord {
    /// The HTTP status, when there was an answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The `X-LOX24-REQUEST-ID` of the answer, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The error's message.
    pub message: String,
    /// How many seconds to wait before trying again, when known (429).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after_secs: Option<u64>,
}

impl FailureRecord {
    pub(super) fn of(error: &Error) -> Self {
        Self {
            status: error.status(),
            request_id: error.request_id().map(str::to_owned),
            message: error.to_string(),
            retry_after_secs: error.retry_after().map(|d| d.as_secs()),
        }
    }
}

impl fmt::Display for FailureRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A batch that failed as a whole.
///
/// ```
/// # fn check(report: &lox24::UploadReport) {
/// for failed in report.failed_batches() {
///     eprintln!(
///         "entries {}..{}: {}",
///         failed.first,
///         failed.first + failed.sent,
///         failed.failure
///     );
/// }
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BatchFailure {
    /// The input index of the batch's first entry.
    pub first: u64,
    /// How many entries the request carried.
    pub sent: u64,
    /// What went wrong.
    pub failure: FailureRecord,
}

/// What [`UploadReport::outcome`] answers for entries never read.
static NOT_READ: Outcome = Outcome::NotSent {
    phone: None,
    reason: NotSentReason::Stopped,
};
/// What [`UploadReport::outcome`] answers for created entries that were not kept.
static CREATED: Outcome = Outcome::Created { id: None };

impl UploadReport {
    /// The group the entries went to.
    pub fn group(&self) -> GroupId {
        self.group
    }

    /// The counts of outcomes.
    pub fn summary(&self) -> Summary {
        self.summary
    }

    /// How many entries the input had, when known: the upload read it to the
    /// end, or it had an exact length (a `Vec`, a range, …).
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// How many entries the upload read from its input.
    pub fn read(&self) -> u64 {
        self.read
    }

    /// Whether every entry was read and has an outcome other than `NotSent`
    /// or `Unknown`: nothing is left to resume.
    pub fn is_complete(&self) -> bool {
        self.total == Some(self.read) && self.summary.not_sent == 0 && self.summary.unknown == 0
    }

    /// The outcome of input entry `index` (counting from 0).
    ///
    /// Entries the upload never read are `NotSent` (for any index past the
    /// read ones when the input's length is not known). `None` past the end
    /// of an input of known length. (Created entries are kept compactly and
    /// rebuilt on demand, hence the `Cow`.)
    pub fn outcome(&self, index: u64) -> Option<Cow<'_, Outcome>> {
        if index >= self.read {
            return match self.total {
                Some(total) if index >= total => None,
                _ => Some(Cow::Borrowed(&NOT_READ)),
            };
        }
        Some(match &self.outcomes {
            Outcomes::All { codes, others } => {
                let code = *usize::try_from(index).ok().and_then(|i| codes.get(i))?;
                match code {
                    ELSEWHERE => Cow::Borrowed(Outcomes::find(others, index)?),
                    id => Cow::Owned(created(id)),
                }
            }
            Outcomes::Exceptions(list) => {
                Cow::Borrowed(Outcomes::find(list, index).unwrap_or(&CREATED))
            }
        })
    }

    /// The outcomes kept, with their input index, in input order: every
    /// entry read, or only those not created when
    /// [`Upload::keep_created`](crate::Upload::keep_created) was off.
    pub fn entries(&self) -> impl Iterator<Item = (u64, Cow<'_, Outcome>)> + '_ {
        let (all, exceptions) = match &self.outcomes {
            Outcomes::All { codes, others } => (Some((codes, others)), None),
            Outcomes::Exceptions(list) => (None, Some(list)),
        };
        let all = all.into_iter().flat_map(|(codes, others)| {
            let mut others = others.iter();
            codes.iter().enumerate().filter_map(move |(i, &code)| {
                let outcome = match code {
                    ELSEWHERE => Cow::Borrowed(&others.next()?.1),
                    id => Cow::Owned(created(id)),
                };
                Some((i as u64, outcome))
            })
        });
        let exceptions = exceptions
            .into_iter()
            .flat_map(|list| list.iter().map(|(i, o)| (*i, Cow::Borrowed(o))));
        all.chain(exceptions)
    }

    /// Whether the report keeps every outcome (else only those not created).
    pub fn keeps_created(&self) -> bool {
        matches!(self.outcomes, Outcomes::All { .. })
    }

    /// The `X-LOX24-REQUEST-ID` of every answer, in the order received.
    pub fn request_ids(&self) -> &[String] {
        &self.request_ids
    }

    /// The batches that failed as a whole, with what went wrong.
    pub fn failed_batches(&self) -> &[BatchFailure] {
        &self.failed_batches
    }

    /// What stopped the upload early, if anything did.
    pub fn stop(&self) -> Option<&Stop> {
        self.stop.as_ref()
    }

    /// The error that stopped the upload early, while the report is the one
    /// the upload returned (a deserialised report keeps [`UploadReport::stop`]).
    pub fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// The stop error, taken out of the report (to return it with `?`).
    pub fn take_error(&mut self) -> Option<Error> {
        self.error.take()
    }

    /// How many entries a resume would send.
    pub fn to_resend(&self, unknown_too: bool) -> u64 {
        self.summary.not_sent + if unknown_too { self.summary.unknown } else { 0 }
    }

    /// Moves the outcome of entry `index` out (for a resume, which walks the
    /// indexes in order).
    pub(super) fn take_outcome(&mut self, index: u64) -> Slot {
        if index >= self.read {
            return Slot::Other(NOT_READ.clone());
        }
        let take = |list: &mut Vec<(u64, Outcome)>| {
            let at = list.binary_search_by_key(&index, |(i, _)| *i).ok()?;
            Some(std::mem::replace(&mut list[at].1, CREATED.clone()))
        };
        match &mut self.outcomes {
            Outcomes::All { codes, others } => {
                match usize::try_from(index).ok().and_then(|i| codes.get(i)) {
                    Some(&ELSEWHERE) => {
                        take(others).map_or(Slot::Created(Id::None), Slot::from_outcome)
                    }
                    Some(&id) => Slot::Created(Id::Number(id)),
                    None => Slot::Other(NOT_READ.clone()),
                }
            }
            Outcomes::Exceptions(list) => {
                take(list).map_or(Slot::Created(Id::None), Slot::from_outcome)
            }
        }
    }
}

/// A created entry with this numeric id.
fn created(id: u64) -> Outcome {
    Outcome::Created {
        id: Id::Number(id).into_phone_id(),
    }
}

impl fmt::Display for UploadReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.summary)?;
        if let Some(total) = self.total.filter(|&t| t > self.read) {
            write!(f, " ({} of {total} entries never read)", total - self.read)?;
        } else if self.total.is_none() {
            write!(f, " (the rest of the input was not read)")?;
        }
        match &self.stop {
            Some(Stop::Cancelled) => write!(f, "; cancelled"),
            Some(Stop::Error(e)) => write!(f, "; stopped: {e}"),
            None => Ok(()),
        }
    }
}

/// One entry as serialised: its index and its outcome.
#[derive(Serialize)]
struct IndexedRef<'a> {
    index: u64,
    #[serde(flatten)]
    outcome: Cow<'a, Outcome>,
}

#[derive(Deserialize)]
struct Indexed {
    index: u64,
    #[serde(flatten)]
    outcome: Outcome,
}

struct EntriesRef<'a>(&'a UploadReport);

impl Serialize for EntriesRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.0
                .entries()
                .map(|(index, outcome)| IndexedRef { index, outcome }),
        )
    }
}

impl Serialize for UploadReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("UploadReport", 9)?;
        out.serialize_field("group", &self.group)?;
        out.serialize_field("total", &self.total)?;
        out.serialize_field("read", &self.read)?;
        out.serialize_field("summary", &self.summary)?;
        out.serialize_field("keeps_created", &self.keeps_created())?;
        out.serialize_field("entries", &EntriesRef(self))?;
        out.serialize_field("request_ids", &self.request_ids)?;
        out.serialize_field("failed_batches", &self.failed_batches)?;
        out.serialize_field("stop", &self.stop)?;
        out.end()
    }
}

#[derive(Deserialize)]
struct ReportWire {
    group: GroupId,
    total: Option<u64>,
    read: u64,
    summary: Summary,
    keeps_created: bool,
    entries: Vec<Indexed>,
    #[serde(default)]
    request_ids: Vec<String>,
    #[serde(default)]
    failed_batches: Vec<BatchFailure>,
    #[serde(default)]
    stop: Option<Stop>,
}

impl<'de> Deserialize<'de> for UploadReport {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let wire = ReportWire::deserialize(deserializer)?;
        let ascending = wire.entries.windows(2).all(|w| w[0].index < w[1].index);
        let within = wire.entries.last().is_none_or(|e| e.index < wire.read);
        if !ascending || !within {
            return Err(D::Error::custom(
                "report entries must have ascending indexes below `read`",
            ));
        }
        let mut outcomes = Outcomes::new(wire.keeps_created, wire.entries.len());
        if wire.keeps_created && wire.entries.len() as u64 != wire.read {
            return Err(D::Error::custom(
                "a report that keeps every outcome lists every entry up to `read`",
            ));
        }
        for entry in wire.entries {
            outcomes.push(entry.index, Slot::from_outcome(entry.outcome));
        }
        Ok(Self {
            group: wire.group,
            total: wire.total,
            read: wire.read,
            summary: wire.summary,
            outcomes,
            request_ids: wire.request_ids,
            failed_batches: wire.failed_batches,
            stop: wire.stop,
            error: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PhoneId, UnknownReason};

    fn report(keep_created: bool, slots: Vec<Slot>) -> UploadReport {
        let mut outcomes = Outcomes::new(keep_created, 0);
        let mut summary = Summary::default();
        let read = slots.len() as u64;
        for (i, slot) in slots.into_iter().enumerate() {
            summary.count(slot.kind().expect("settled"));
            outcomes.push(i as u64, slot);
        }
        UploadReport {
            group: GroupId::new(7),
            total: Some(read + 2),
            read,
            summary,
            outcomes,
            request_ids: vec!["r1".into()],
            failed_batches: Vec::new(),
            stop: Some(Stop::Cancelled),
            error: None,
        }
    }

    fn created(id: Option<&str>) -> Outcome {
        Outcome::Created {
            id: id.map(PhoneId::new),
        }
    }

    #[test]
    fn every_kind_of_id_and_outcome_is_kept_and_read_back() {
        let unknown = Outcome::Unknown {
            phone: "+492".into(),
            reason: UnknownReason::Ambiguous,
        };
        let expected = [
            created(Some("981")),
            created(Some("0981")),
            created(Some("a-1")),
            created(None),
            unknown.clone(),
            created(Some("18446744073709551615")),
            created(Some("982")),
        ];
        let slots = expected.iter().cloned().map(Slot::from_outcome).collect();
        let report = report(true, slots);

        let entries: Vec<_> = report.entries().map(|(i, o)| (i, o.into_owned())).collect();
        assert_eq!(
            entries,
            expected
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, o)| (i as u64, o))
                .collect::<Vec<_>>()
        );
        for (i, outcome) in expected.iter().enumerate() {
            assert_eq!(report.outcome(i as u64).as_deref(), Some(outcome), "{i}");
        }
        // Never read, and past the end.
        assert!(matches!(
            report.outcome(7).as_deref(),
            Some(Outcome::NotSent { phone: None, .. })
        ));
        assert_eq!(report.outcome(9), None);

        let json = serde_json::to_string(&report).expect("serialises");
        let back: UploadReport = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(serde_json::to_string(&back).expect("serialises"), json);
        assert_eq!(back.summary(), report.summary());
        assert_eq!(back.stop(), Some(&Stop::Cancelled));
        assert!(
            json.contains(r#"{"index":1,"outcome":"created","id":"0981"}"#),
            "{json}"
        );
    }

    #[test]
    fn without_created_outcomes_only_the_others_are_kept() {
        let unknown = Outcome::Unknown {
            phone: "+492".into(),
            reason: UnknownReason::Unreadable,
        };
        let slots = vec![
            Slot::from_outcome(created(Some("1"))),
            Slot::Other(unknown.clone()),
            Slot::from_outcome(created(Some("2"))),
        ];
        let report = report(false, slots);
        let entries: Vec<_> = report.entries().map(|(i, o)| (i, o.into_owned())).collect();
        assert_eq!(entries, vec![(1, unknown)]);
        assert_eq!(report.outcome(0).as_deref(), Some(&created(None)));
        assert_eq!(report.summary().created, 2);
    }

    #[test]
    fn malformed_reports_are_refused() {
        for json in [
            r#"{"group":7,"total":2,"read":2,"summary":{"created":2,"rejected":0,"not_sent":0,"unknown":0},
                "keeps_created":true,"entries":[{"index":0,"outcome":"created"}]}"#,
            r#"{"group":7,"total":2,"read":2,"summary":{"created":2,"rejected":0,"not_sent":0,"unknown":0},
                "keeps_created":false,"entries":[{"index":1,"outcome":"created"},{"index":0,"outcome":"created"}]}"#,
            r#"{"group":7,"total":2,"read":1,"summary":{"created":2,"rejected":0,"not_sent":0,"unknown":0},
                "keeps_created":false,"entries":[{"index":1,"outcome":"created"}]}"#,
        ] {
            assert!(
                serde_json::from_str::<UploadReport>(json).is_err(),
                "{json}"
            );
        }
    }
}
