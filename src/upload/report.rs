//! The report of an upload: one outcome per input entry, in input order.

use std::{borrow::Cow, fmt};

use serde::{Deserialize, Deserializer, Serialize, Serializer, ser::SerializeStruct};

use super::{
    InputFingerprint, NotSentReason, Outcome, Reconciliation, created_ids,
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
/// takes it back with the same input to send what is left. The file is
/// compact (the created ids delta-encoded, under 2 bytes per created entry
/// when LOX24 numbers a batch's entries one after another) and versioned
/// ([`REPORT_FORMAT`]): read it with [`UploadReport::from_json`] for a
/// typed error on a file of another version.
///
/// An upload that stopped early (a 401, no credit, a cancellation) does not
/// read the rest of its input: those entries are `NotSent` too, and counted
/// as such when the input's length is known. [`UploadReport::outcome`]
/// answers for them as well.
///
/// ```no_run
/// # async fn run(client: lox24::Client, phones: Vec<lox24::PhoneEntry>) -> Result<(), lox24::Error> {
/// use lox24::{GroupId, upload::Outcome};
///
/// let report = client.upload_phones(&GroupId::new(7117), &phones).await;
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
    /// The entries read, which a resume checks its input against.
    pub(super) input: InputFingerprint,
    /// What exactly-once mode recorded: the group before the upload and
    /// the reconciliations after it.
    pub(super) reconciliation: Option<Reconciliation>,
}

/// The outcomes kept: all of them, or only those that are not `Created`
/// (see [`crate::upload::Upload::keep_created`]).
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

    /// [`Outcomes::push`] of `Slot::Created(Id::Number(id))`.
    #[inline]
    pub(super) fn push_created(&mut self, index: u64, id: u64) {
        match self {
            Self::All { codes, .. } if id != ELSEWHERE => codes.push(id),
            Self::All { .. } => self.push(index, Slot::Created(Id::Number(id))),
            Self::Exceptions(_) => {}
        }
    }

    /// Replaces the outcome of entry `index`, one already pushed.
    pub(super) fn set(&mut self, index: u64, slot: Slot) {
        match self {
            Self::All { codes, others } => {
                let Some(code) = usize::try_from(index).ok().and_then(|i| codes.get_mut(i)) else {
                    return;
                };
                match slot {
                    Slot::Created(Id::Number(id)) if id != ELSEWHERE => {
                        *code = id;
                        Self::put(others, index, None);
                    }
                    slot => {
                        *code = ELSEWHERE;
                        Self::put(others, index, slot.into_outcome());
                    }
                }
            }
            Self::Exceptions(list) => match slot {
                Slot::Created(_) => Self::put(list, index, None),
                slot => Self::put(list, index, slot.into_outcome()),
            },
        }
    }

    /// Sets or removes the listed outcome of `index`, keeping the order.
    fn put(list: &mut Vec<(u64, Outcome)>, index: u64, outcome: Option<Outcome>) {
        match (list.binary_search_by_key(&index, |(i, _)| *i), outcome) {
            (Ok(at), Some(outcome)) => list[at].1 = outcome,
            (Ok(at), None) => {
                list.remove(at);
            }
            (Err(at), Some(outcome)) => list.insert(at, (index, outcome)),
            (Err(_), None) => {}
        }
    }

    /// Keeps only the outcomes that are not `Created`.
    pub(super) fn drop_created(&mut self) {
        if let Self::All { others, .. } = self {
            let mut list = std::mem::take(others);
            list.retain(|(_, o)| !matches!(o, Outcome::Created { .. }));
            *self = Self::Exceptions(list);
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
/// let summary = lox24::upload::Summary::default();
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
        *self.of(kind) += 1;
    }

    /// An entry counted as `kind` is counted no more.
    pub(super) fn uncount(&mut self, kind: Kind) {
        let count = self.of(kind);
        *count = count.saturating_sub(1);
    }

    fn of(&mut self, kind: Kind) -> &mut u64 {
        match kind {
            Kind::Created => &mut self.created,
            Kind::Rejected => &mut self.rejected,
            Kind::NotSent => &mut self.not_sent,
            Kind::Unknown => &mut self.unknown,
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
/// # fn check(report: &lox24::upload::UploadReport) {
/// match report.stop() {
///     None => println!("the whole input was read"),
///     Some(lox24::upload::Stop::Cancelled) => println!("cancelled"),
///     Some(lox24::upload::Stop::Error(e)) => println!("stopped by HTTP {:?}: {}", e.status, e.message),
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
/// let record: lox24::upload::FailureRecord = serde_json::from_str(
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
/// # fn check(report: &lox24::upload::UploadReport) {
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
    /// [`Upload::keep_created`](crate::upload::Upload::keep_created) was off.
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

    /// The fingerprint of the entries read ([`UploadReport::read`] of them),
    /// which [`Client::resume_upload`](crate::Client::resume_upload) checks
    /// its input against before it sends anything.
    pub fn input_fingerprint(&self) -> InputFingerprint {
        self.input
    }

    /// What exactly-once mode did beyond the upload: the group's
    /// [`Baseline`](crate::upload::Baseline) and each reconciliation; `None`
    /// for an upload made without it.
    pub fn reconciliation(&self) -> Option<&Reconciliation> {
        self.reconciliation.as_ref()
    }

    /// How many entries a resume would send.
    pub fn to_resend(&self, unknown_too: bool) -> u64 {
        self.summary.not_sent + if unknown_too { self.summary.unknown } else { 0 }
    }

    /// Replaces the outcome of entry `index` (one the upload read), and
    /// the counts with it.
    pub(super) fn set(&mut self, index: u64, slot: Slot) {
        if index >= self.read {
            return;
        }
        if let Some(kind) = self.slot(index).kind() {
            self.summary.uncount(kind);
        }
        if let Some(kind) = slot.kind() {
            self.summary.count(kind);
        }
        self.outcomes.set(index, slot);
    }

    /// The numeric ids of the created entries (none when the report does
    /// not keep them).
    pub(super) fn created_numeric_ids(&self) -> impl Iterator<Item = u64> + '_ {
        let codes = match &self.outcomes {
            Outcomes::All { codes, .. } => codes.as_slice(),
            Outcomes::Exceptions(_) => &[],
        };
        codes.iter().copied().filter(|&code| code != ELSEWHERE)
    }

    /// The outcome of entry `index` as the engine keeps it (for a resume,
    /// which leaves the report as it is until its input has been checked).
    pub(super) fn slot(&self, index: u64) -> Slot {
        if index >= self.read {
            return Slot::Other(NOT_READ.clone());
        }
        match &self.outcomes {
            Outcomes::All { codes, others } => {
                match usize::try_from(index).ok().and_then(|i| codes.get(i)) {
                    Some(&ELSEWHERE) => Outcomes::find(others, index)
                        .map_or(Slot::Created(Id::None), |o| Slot::from_outcome(o.clone())),
                    Some(&id) => Slot::Created(Id::Number(id)),
                    None => Slot::Other(NOT_READ.clone()),
                }
            }
            Outcomes::Exceptions(list) => Outcomes::find(list, index)
                .map_or(Slot::Created(Id::None), |o| Slot::from_outcome(o.clone())),
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
            // Every request of an upload names its group, so a 404 says
            // that the group is not there; the server's own words ("Not
            // Found") do not say which.
            Some(Stop::Error(e)) if e.status == Some(404) => write!(
                f,
                "; stopped: {e}: LOX24 has no group {} in this account (deleted, or a wrong id)",
                self.group
            ),
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

/// The outcomes a report file lists one by one: every outcome kept but
/// those of entries created with a numeric id, which `created_ids` holds.
struct EntriesRef<'a>(&'a UploadReport);

impl Serialize for EntriesRef<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let list = match &self.0.outcomes {
            Outcomes::All { others, .. } => others,
            Outcomes::Exceptions(list) => list,
        };
        serializer.collect_seq(list.iter().map(|(index, outcome)| IndexedRef {
            index: *index,
            outcome: Cow::Borrowed(outcome),
        }))
    }
}

/// The format of the report file this version writes (its `format` field).
/// Format 1, the first, had no such field and listed every entry with its
/// outcome; it is still read. Format 3 hashes the input with XXH3 rather
/// than FNV-1a (see [`InputFingerprint`]), and is otherwise format 2.
pub const REPORT_FORMAT: u32 = 3;

impl Serialize for UploadReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("UploadReport", 13)?;
        out.serialize_field("format", &REPORT_FORMAT)?;
        out.serialize_field("group", &self.group)?;
        out.serialize_field("total", &self.total)?;
        out.serialize_field("read", &self.read)?;
        out.serialize_field("summary", &self.summary)?;
        out.serialize_field("keeps_created", &self.keeps_created())?;
        match &self.outcomes {
            Outcomes::All { codes, .. } => {
                let ids = codes.iter().copied().filter(|&code| code != ELSEWHERE);
                out.serialize_field("created_ids", &created_ids::encode(ids))?;
            }
            Outcomes::Exceptions(_) => out.skip_field("created_ids")?,
        }
        out.serialize_field("entries", &EntriesRef(self))?;
        out.serialize_field("request_ids", &self.request_ids)?;
        out.serialize_field("failed_batches", &self.failed_batches)?;
        out.serialize_field("stop", &self.stop)?;
        out.serialize_field("input", &self.input)?;
        match &self.reconciliation {
            Some(done) => out.serialize_field("reconciliation", done)?,
            None => out.skip_field("reconciliation")?,
        }
        out.end()
    }
}

#[derive(Deserialize)]
struct ReportWire {
    /// Absent in format 1.
    #[serde(default)]
    format: Option<u32>,
    group: GroupId,
    total: Option<u64>,
    read: u64,
    summary: Summary,
    keeps_created: bool,
    /// Format 2, when every outcome is kept.
    #[serde(default)]
    created_ids: Option<String>,
    entries: Vec<Indexed>,
    #[serde(default)]
    request_ids: Vec<String>,
    #[serde(default)]
    failed_batches: Vec<BatchFailure>,
    #[serde(default)]
    stop: Option<Stop>,
    input: InputFingerprint,
    /// Format 2, in exactly-once mode.
    #[serde(default)]
    reconciliation: Option<Reconciliation>,
}

impl ReportWire {
    /// The outcomes, checked against `read` whatever the format.
    fn outcomes(&mut self) -> Result<Outcomes, String> {
        let entries = std::mem::take(&mut self.entries);
        let ascending = entries.windows(2).all(|w| w[0].index < w[1].index);
        let within = entries.last().is_none_or(|e| e.index < self.read);
        if !ascending || !within {
            return Err("report entries must have ascending indexes below `read`".into());
        }
        if self.input.entries() != self.read {
            return Err("the input fingerprint covers `read` entries".into());
        }
        let ids = match (self.format, self.keeps_created, self.created_ids.take()) {
            (None | Some(1), _, Some(_)) => {
                return Err("a report of format 1 has no `created_ids`".into());
            }
            (None | Some(1), _, None) | (Some(2 | 3), false, None) => None,
            (Some(2 | 3), true, Some(text)) => Some(created_ids::decode(&text)?),
            (Some(2 | 3), true, None) => {
                return Err("a report that keeps every outcome has `created_ids`".into());
            }
            (Some(2 | 3), false, Some(_)) => {
                return Err("a report that keeps only exceptions has no `created_ids`".into());
            }
            (Some(format), ..) if format > REPORT_FORMAT => {
                return Err(ReportFileError::newer(format).to_string());
            }
            (Some(format), ..) => {
                return Err(format!(
                    "`format` {format} is not a format of lox24's reports"
                ));
            }
        };
        let format: u32 = self.format.unwrap_or(1);
        if format <= REPORT_FORMAT && !self.input.fits_format(format) {
            return Err(format!(
                "a report of format {format} has no xxh3_64 input fingerprint (format 3 on)"
            ));
        }
        let mut outcomes = Outcomes::new(self.keeps_created, entries.len());
        let Some(mut ids) = ids else {
            if self.keeps_created && entries.len() as u64 != self.read {
                return Err(
                    "a report that keeps every outcome lists every entry up to `read`".into(),
                );
            }
            for entry in entries {
                outcomes.push(entry.index, Slot::from_outcome(entry.outcome));
            }
            return Ok(outcomes);
        };
        let mut listed = entries.into_iter().peekable();
        for index in 0..self.read {
            if let Some(entry) = listed.next_if(|e| e.index == index) {
                outcomes.push(index, Slot::from_outcome(entry.outcome));
                continue;
            }
            match ids.next_id()? {
                Some(ELSEWHERE) => return Err("`created_ids` holds an id out of range".into()),
                Some(id) => outcomes.push(index, Slot::Created(Id::Number(id))),
                None => return Err("`created_ids` has fewer ids than created entries".into()),
            }
        }
        if !ids.is_done() {
            return Err("`created_ids` has more ids than created entries".into());
        }
        Ok(outcomes)
    }
}

impl<'de> Deserialize<'de> for UploadReport {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let mut wire = ReportWire::deserialize(deserializer)?;
        let outcomes = wire.outcomes().map_err(D::Error::custom)?;
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
            input: wire.input,
            reconciliation: wire.reconciliation,
        })
    }
}

/// Why a report file could not be read ([`UploadReport::from_json`]).
///
/// ```
/// use lox24::upload::{ReportFileError, UploadReport};
///
/// let newer = br#"{"format": 9, "group": 7}"#;
/// assert!(matches!(
///     UploadReport::from_json(newer),
///     Err(ReportFileError::NewerFormat { found: 9, .. })
/// ));
/// assert!(matches!(UploadReport::from_json(b"{}"), Err(ReportFileError::Invalid(_))));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReportFileError {
    /// The file is of a format this version does not know: a newer version
    /// of the library wrote it.
    #[error(
        "the report is of format {found}, written by a newer version of lox24; this version \
         reads formats 1 to {newest}"
    )]
    NewerFormat {
        /// The file's `format`.
        found: u32,
        /// The newest format this version reads ([`REPORT_FORMAT`]).
        newest: u32,
    },
    /// The file is not a report, or not a consistent one (the reason says
    /// which field).
    #[error("the file is not a readable upload report: {0}")]
    Invalid(String),
}

impl ReportFileError {
    fn newer(found: u32) -> Self {
        Self::NewerFormat {
            found,
            newest: REPORT_FORMAT,
        }
    }
}

impl UploadReport {
    /// Reads a report file written with `serde_json` (by this version or an
    /// earlier one), with a typed error: a file of a newer format is
    /// [`ReportFileError::NewerFormat`] before anything else of it is read,
    /// and any other problem [`ReportFileError::Invalid`].
    ///
    /// ```no_run
    /// # fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let report = lox24::upload::UploadReport::from_json(&std::fs::read("upload.json")?)?;
    /// println!("{report}");
    /// # Ok(()) }
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Self, ReportFileError> {
        #[derive(Deserialize)]
        struct Probe {
            #[serde(default)]
            format: Option<serde_json::Value>,
        }
        let invalid = |e: serde_json::Error| ReportFileError::Invalid(e.to_string());
        let probe: Probe = serde_json::from_slice(bytes).map_err(invalid)?;
        match probe.format {
            None => {}
            Some(format) => match format.as_u64().and_then(|f| u32::try_from(f).ok()) {
                Some(found) if found > REPORT_FORMAT => return Err(ReportFileError::newer(found)),
                Some(found) if found >= 1 => {}
                _ => {
                    return Err(ReportFileError::Invalid(format!(
                        "`format` is {format}, not a format number"
                    )));
                }
            },
        }
        serde_json::from_slice(bytes).map_err(invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PhoneId, upload::UnknownReason};

    fn report(keep_created: bool, slots: Vec<Slot>) -> UploadReport {
        let mut outcomes = Outcomes::new(keep_created, 0);
        let mut summary = Summary::default();
        let read = slots.len() as u64;
        for (i, slot) in slots.into_iter().enumerate() {
            summary.count(slot.kind().expect("settled"));
            outcomes.push(i as u64, slot);
        }
        let mut input = super::super::fingerprint::Fingerprinter::default();
        for i in 0..read {
            input.add(&crate::PhoneEntry::new(format!("+4917{i:08}")));
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
            input: input.finish(),
            reconciliation: None,
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
    fn a_million_created_entries_take_under_two_bytes_each() {
        let n = 1_000_000u64;
        let slots = (0..n)
            .map(|i| Slot::Created(Id::Number(5_000_000 + i)))
            .collect();
        let report = report(true, slots);
        let json = serde_json::to_vec(&report).unwrap();
        let per_entry = json.len() as f64 / n as f64;
        assert!(per_entry < 1.4, "{per_entry} bytes per entry");
        let back: UploadReport = serde_json::from_slice(&json).unwrap();
        assert_eq!(
            back.outcome(999_999).as_deref(),
            Some(&created(Some("5999999")))
        );
        assert_eq!(back.summary().created, n);
    }

    #[test]
    fn push_created_keeps_what_push_keeps() {
        for keep_created in [true, false] {
            let (mut short, mut long) = (
                Outcomes::new(keep_created, 0),
                Outcomes::new(keep_created, 0),
            );
            // u64::MAX is the code of "elsewhere": such an id is kept apart.
            for (index, id) in [7, 0, u64::MAX, 42].into_iter().enumerate() {
                short.push_created(index as u64, id);
                long.push(index as u64, Slot::Created(Id::Number(id)));
            }
            assert_eq!(format!("{short:?}"), format!("{long:?}"));
        }
    }

    #[test]
    fn a_report_of_format_1_is_read_as_it_was_written() {
        // Written by the first version: every entry listed, no `format`.
        let v1 = r#"{"group":7,"total":3,"read":3,
            "summary":{"created":2,"rejected":0,"not_sent":0,"unknown":1},"keeps_created":true,
            "entries":[{"index":0,"outcome":"created","id":"981"},
                       {"index":1,"outcome":"unknown","phone":"+492","reason":"ambiguous"},
                       {"index":2,"outcome":"created","id":"983"}],
            "request_ids":[],"failed_batches":[],"stop":null,
            "input":{"entries":3,"fnv1a64":"0000000000000001"}}"#;
        let report = UploadReport::from_json(v1.as_bytes()).unwrap();
        assert_eq!(report.outcome(0).as_deref(), Some(&created(Some("981"))));
        assert_eq!(report.outcome(2).as_deref(), Some(&created(Some("983"))));
        assert!(matches!(
            report.outcome(1).as_deref(),
            Some(Outcome::Unknown { .. })
        ));
        // Written again, it is the newest format, its input still hashed
        // with FNV-1a (a resume hashes its input as the report did), and
        // reads back the same.
        let v2 = serde_json::to_string(&report).unwrap();
        assert!(v2.starts_with(r#"{"format":3,"#), "{v2}");
        assert!(v2.contains(r#""fnv1a64":"0000000000000001""#), "{v2}");
        // A report of format 2 with the same fingerprint is read too.
        let format_2 = v2.replacen(r#""format":3"#, r#""format":2"#, 1);
        let report_2 = UploadReport::from_json(format_2.as_bytes()).unwrap();
        assert_eq!(report_2.input_fingerprint(), report.input_fingerprint());
        assert!(v2.contains(r#""created_ids":"#), "{v2}");
        assert!(!v2.contains(r#""id":"981""#), "{v2}");
        let back = UploadReport::from_json(v2.as_bytes()).unwrap();
        let all = |r: &UploadReport| {
            r.entries()
                .map(|(i, o)| (i, o.into_owned()))
                .collect::<Vec<_>>()
        };
        assert_eq!(all(&back), all(&report));
    }

    #[test]
    fn a_newer_or_damaged_file_is_refused_never_misread() {
        let report = report(
            true,
            (0..4).map(|i| Slot::Created(Id::Number(10 + i))).collect(),
        );
        let json = serde_json::to_string(&report).unwrap();
        let newer = json.replacen(r#""format":3"#, r#""format":4"#, 1);
        assert_eq!(
            UploadReport::from_json(newer.as_bytes()).unwrap_err(),
            ReportFileError::NewerFormat {
                found: 4,
                newest: 3
            }
        );
        // serde alone says the same, in words.
        let err = serde_json::from_str::<UploadReport>(&newer).unwrap_err();
        assert!(
            err.to_string()
                .contains("format 4, written by a newer version"),
            "{err}"
        );
        for (from, to, why) in [
            (r#""format":3"#, r#""format":0"#, "not a format"),
            (r#""format":3"#, r#""format":"3""#, "not a format number"),
            // An old reader's shape with the new ids: refused, not half read.
            (r#""format":3,"#, "", "format 1 has no `created_ids`"),
            // XXH3 came with format 3.
            (
                r#""format":3"#,
                r#""format":2"#,
                "format 2 has no xxh3_64 input fingerprint",
            ),
            // One id fewer than created entries.
            (
                r#""created_ids":"FAICAg""#,
                r#""created_ids":"FAIC""#,
                "fewer ids",
            ),
            (
                r#""created_ids":"FAICAg""#,
                r#""created_ids":"FAICAgI""#,
                "more ids",
            ),
        ] {
            assert!(json.contains(from), "{json}");
            let damaged = json.replacen(from, to, 1);
            let err = UploadReport::from_json(damaged.as_bytes()).unwrap_err();
            assert!(
                matches!(&err, ReportFileError::Invalid(m) if m.contains(why)),
                "{damaged}: {err}"
            );
        }
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
