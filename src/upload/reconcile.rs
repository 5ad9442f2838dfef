//! Settling the `Unknown` entries of a report against what the group holds:
//! each becomes `Created` (with the id LOX24 gave it) or `NotSent`.
//!
//! An entry is matched by its number (in E.164 where it reads as one), its
//! five columns and its callback data, an absent value counting as empty
//! (the CSV export cannot tell them apart). Only entries of the group with
//! an id above the [`Baseline`] (the highest id before the upload) can be
//! the upload's, and of those, the ids the report already holds as created
//! are some other entry's. Identical entries are counted: two identical
//! `Unknown` entries and one match in the group give one `Created` and one
//! `NotSent`. Memory: a key per `Unknown` entry and an id per match, never
//! the group.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{
    FailureRecord, NotSentReason, Outcome, UploadReport,
    fingerprint::Fingerprinter,
    group_read::{GroupSource, Read, StoredEntry, Visitor, read_group},
    slot::{Id, Slot},
};
use crate::{
    Client, Error, GroupId, PhoneEntry, ValidationError, ValidationProblem,
    error::UnexpectedResponse, number::PhonePolicy,
};

/// What the group held before an upload in exactly-once mode, so that
/// reconciliation never takes an older entry for one of the upload's.
///
/// LOX24 numbers entries in the order they are stored, so every entry the
/// upload stores has an id above `highest_id`.
///
/// ```
/// let before: lox24::upload::Baseline =
///     serde_json::from_str(r#"{"entries": 2, "highest_id": 981}"#)?;
/// assert_eq!(before.highest_id, Some(981));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Baseline {
    /// How many entries the group held.
    pub entries: u64,
    /// The highest id among them; `None` for an empty group.
    pub highest_id: Option<u64>,
}

/// One reconciliation: the group read once, the `Unknown` entries settled.
///
/// ```
/// # fn show(report: &lox24::upload::UploadReport) {
/// if let Some(done) = report.reconciliation() {
///     for round in &done.rounds {
///         println!(
///             "round {}: {} found in the group, {} missing, {} sent again",
///             round.round, round.found, round.missing, round.resent
///         );
///     }
/// }
/// # }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReconcileRound {
    /// Counting from 1.
    pub round: u32,
    /// Where the group's entries were read; `None` when they could not be.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<GroupSource>,
    /// Entries the group held when read.
    pub group_entries: u64,
    /// Requests made to read it (the export's, or the listing's pages).
    pub requests: u64,
    /// `Unknown` entries to settle.
    pub unknown: u64,
    /// Found in the group: now `Created` with their id.
    pub found: u64,
    /// Not in the group: now `NotSent`.
    pub missing: u64,
    /// Still `Unknown`: a match whose id is not a number could be theirs.
    pub still_unknown: u64,
    /// Entries of the group above the baseline that match an entry of the
    /// input but belong to none: stored by a request that the client gave
    /// up on after it was matched, or added by someone else. Not claimed.
    pub unclaimed: u64,
    /// Entries sent again after this reconciliation (the missing ones and
    /// those not sent before), in exactly-once mode.
    pub resent: u64,
    /// Requests of that resend, as the upload counts them (one per batch,
    /// retries not counted).
    pub resend_requests: u64,
    /// Why the group could not be read (the entries stay `Unknown`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<FailureRecord>,
    /// Why the export was not used, when the listing was read instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_failure: Option<String>,
}

/// What an exactly-once upload did beyond the plain upload: the group
/// before it, and every reconciliation after it
/// ([`UploadReport::reconciliation`]).
///
/// ```
/// # fn show(report: &lox24::upload::UploadReport) {
/// if let Some(done) = report.reconciliation() {
///     println!("{} entries settled by reconciliation", done.settled());
/// }
/// # }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Reconciliation {
    /// The group before the upload.
    pub baseline: Baseline,
    /// Requests made to read the group before the upload.
    #[serde(default)]
    pub baseline_requests: u64,
    /// Requests of the upload itself (one per batch, retries not counted),
    /// against which [`Reconciliation::requests`] compares.
    #[serde(default)]
    pub upload_requests: u64,
    /// Each reconciliation, in order.
    #[serde(default)]
    pub rounds: Vec<ReconcileRound>,
}

impl Reconciliation {
    /// `Unknown` entries that reconciliation turned into `Created` or `NotSent`.
    pub fn settled(&self) -> u64 {
        self.rounds.iter().map(|r| r.found + r.missing).sum()
    }

    /// Requests made beyond the upload's own batches: reading the group
    /// (before the upload and at each round) and the resends' batches.
    pub fn requests(&self) -> u64 {
        let rounds: u64 = self
            .rounds
            .iter()
            .map(|r| r.requests + r.resend_requests)
            .sum();
        self.baseline_requests + rounds
    }
}

/// Reads the group before an upload: its count, and when it has entries,
/// their highest id (the export read once, or the listing).
pub(super) async fn baseline(client: &Client, group: &GroupId) -> Result<(Baseline, u64), Error> {
    let held = client.get_group(group).await?;
    if held.count_items == 0 {
        return Ok((Baseline::default(), 1));
    }
    #[derive(Default)]
    struct Highest {
        entries: u64,
        highest: Option<u64>,
        not_a_number: Option<String>,
    }
    impl Visitor for Highest {
        fn entry(&mut self, entry: StoredEntry<'_>) {
            self.entries += 1;
            match numeric_id(entry.id) {
                Some(id) => self.highest = self.highest.max(Some(id)),
                None => {
                    self.not_a_number.get_or_insert_with(|| entry.id.to_owned());
                }
            }
        }
        fn restart(&mut self) {
            *self = Self::default();
        }
    }
    let mut seen = Highest::default();
    let read = read_group(client, group, &mut seen).await?;
    if let Some(id) = seen.not_a_number {
        return Err(UnexpectedResponse::new(
            None,
            None,
            format!(
                "entry id {id:?} of group {group} is not a number, so the entries an upload \
                 stores cannot be told from older ones"
            ),
            b"",
        )
        .into());
    }
    let baseline = Baseline {
        entries: seen.entries,
        highest_id: seen.highest,
    };
    Ok((baseline, 1 + read.requests))
}

fn numeric_id(id: &str) -> Option<u64> {
    match Id::from_text(id) {
        Id::Number(n) => Some(n),
        _ => None,
    }
}

/// The `Unknown` entries to settle, by what identifies them.
#[derive(Default)]
pub(super) struct Wanted {
    by_key: HashMap<Vec<u8>, Matches>,
    count: u64,
    key: Vec<u8>,
}

/// The entries with one key, and the group's entries that match it.
#[derive(Default)]
struct Matches {
    /// Input indexes, ascending.
    indexes: Vec<u64>,
    /// Ids above the baseline, as read.
    ids: Vec<u64>,
    /// A match whose id is not a number: it may be one of these.
    unsure: bool,
}

impl Wanted {
    /// Entry `index`, sent with the number `sent`, is to be settled. Indexes
    /// come in ascending order.
    pub fn add(&mut self, index: u64, sent: &str, entry: &PhoneEntry) {
        let columns = [&entry.a, &entry.b, &entry.c, &entry.d, &entry.e]
            .map(|c| c.as_deref().unwrap_or_default());
        let callback = entry.callback_data.as_deref().unwrap_or_default();
        write_key(&mut self.key, sent, columns, callback);
        self.by_key
            .entry(self.key.clone())
            .or_default()
            .indexes
            .push(index);
        self.count += 1;
    }

    pub fn len(&self) -> u64 {
        self.count
    }
}

/// One key for one entry: each field prefixed by its length, so that no
/// two entries run together into the same bytes.
fn write_key(out: &mut Vec<u8>, phone: &str, columns: [&str; 5], callback: &str) {
    out.clear();
    let phone = PhonePolicy::Normalize(None)
        .apply(phone)
        .unwrap_or(std::borrow::Cow::Borrowed(phone));
    for field in [&*phone]
        .into_iter()
        .chain(columns)
        .chain(std::iter::once(callback))
    {
        out.extend_from_slice(&(field.len() as u64).to_le_bytes());
        out.extend_from_slice(field.as_bytes());
    }
}

/// Collects the group's entries that match a wanted key.
struct Collect<'w> {
    wanted: &'w mut Wanted,
    highest: Option<u64>,
}

impl Visitor for Collect<'_> {
    fn entry(&mut self, entry: StoredEntry<'_>) {
        let wanted = &mut *self.wanted;
        write_key(
            &mut wanted.key,
            entry.phone,
            entry.columns,
            entry.callback_data,
        );
        let Some(matches) = wanted.by_key.get_mut(wanted.key.as_slice()) else {
            return;
        };
        match numeric_id(entry.id) {
            Some(id) if self.highest.is_none_or(|highest| id > highest) => matches.ids.push(id),
            Some(_) => {} // in the group before the upload
            None => matches.unsure = true,
        }
    }

    fn restart(&mut self) {
        for matches in self.wanted.by_key.values_mut() {
            matches.ids.clear();
            matches.unsure = false;
        }
    }
}

/// The settled outcomes of one reconciliation.
pub(super) struct Settled {
    /// Input index and new outcome, ascending by index.
    pub outcomes: Vec<(u64, Slot)>,
    pub round: ReconcileRound,
}

/// Reads the group once and settles every wanted entry. `report` is only
/// read: the ids it holds as created are no wanted entry's.
pub(super) async fn settle(
    client: &Client,
    report: &UploadReport,
    baseline: Baseline,
    mut wanted: Wanted,
    round: u32,
) -> Result<Settled, Error> {
    let mut record = ReconcileRound {
        round,
        unknown: wanted.len(),
        ..ReconcileRound::default()
    };
    let mut collect = Collect {
        wanted: &mut wanted,
        highest: baseline.highest_id,
    };
    let read: Read = read_group(client, &report.group, &mut collect).await?;
    record.source = Some(read.source);
    record.group_entries = read.entries;
    record.requests = read.requests;
    record.export_failure = read.export_failure;

    // The ids found that the report already gives to created entries.
    let mut found: HashSet<u64> = wanted
        .by_key
        .values()
        .flat_map(|m| m.ids.iter().copied())
        .collect();
    if !found.is_empty() {
        for id in report.created_numeric_ids() {
            found.remove(&id);
        }
    }
    let mut outcomes = Vec::with_capacity(wanted.by_key.len());
    for matches in wanted.by_key.into_values() {
        let mut ids: Vec<u64> = matches
            .ids
            .into_iter()
            .filter(|id| found.contains(id))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        record.unclaimed += ids.len().saturating_sub(matches.indexes.len()) as u64;
        let mut ids = ids.into_iter();
        for index in matches.indexes {
            let slot = match ids.next() {
                Some(id) => {
                    record.found += 1;
                    Slot::Created(Id::Number(id))
                }
                None if matches.unsure => {
                    record.still_unknown += 1;
                    continue;
                }
                None => {
                    record.missing += 1;
                    Slot::Other(Outcome::NotSent {
                        phone: report
                            .outcome(index)
                            .and_then(|o| o.phone().map(str::to_owned)),
                        reason: NotSentReason::NotInGroup,
                    })
                }
            };
            outcomes.push((index, slot));
        }
    }
    outcomes.sort_unstable_by_key(|(index, _)| *index);
    Ok(Settled {
        outcomes,
        round: record,
    })
}

impl Client {
    /// Settles the `Unknown` entries of a report made in
    /// [exactly-once mode](crate::upload::Upload::exactly_once) against the
    /// group itself: given the **same input in the same order**, it reads
    /// the group's entries once (the CSV export, streamed; the listing when
    /// the export fails) and turns each `Unknown` entry into `Created`
    /// (with LOX24's id) or `NotSent` ([`NotSentReason::NotInGroup`]), which
    /// [`Client::resume_upload`] then sends. Nothing is written to LOX24.
    ///
    /// An entry the group held before the upload is never taken for one of
    /// its entries: the report keeps the group's [`Baseline`], and only
    /// entries above it count. A report made without exactly-once mode has
    /// none, and is refused with [`Error::Validation`] naming `report`; so
    /// is one that does not keep created ids
    /// ([`Upload::keep_created`](crate::upload::Upload::keep_created) off),
    /// and an input that differs from the report's (naming `input`). On any
    /// error the report is left as it was; on success it records the round
    /// ([`UploadReport::reconciliation`]), which is also returned.
    ///
    /// Memory grows with the number of `Unknown` entries, not with the group.
    ///
    /// ```no_run
    /// # async fn run(client: lox24::Client, phones: Vec<lox24::PhoneEntry>) -> Result<(), Box<dyn std::error::Error>> {
    /// let mut report = lox24::upload::UploadReport::from_json(&std::fs::read("upload.json")?)?;
    /// let round = client.reconcile_upload(&mut report, &phones).await?;
    /// println!("{} were stored after all, {} were not", round.found, round.missing);
    /// let report = client.resume_upload(report, &phones).await; // sends the missing ones
    /// # Ok(()) }
    /// ```
    pub async fn reconcile_upload<'p, I>(
        &self,
        report: &mut UploadReport,
        phones: I,
    ) -> Result<ReconcileRound, Error>
    where
        I: IntoIterator<Item = &'p PhoneEntry>,
    {
        let Some(done) = report.reconciliation.as_ref() else {
            return Err(refuse(
                "report",
                "has no baseline of the group: it was made without exactly_once(), so the \
                 entries the upload stored cannot be told from older ones",
            ));
        };
        if !report.keeps_created() {
            return Err(refuse(
                "report",
                "keeps no ids of created entries (keep_created(false)), so the group's entries \
                 cannot be told from the upload's others",
            ));
        }
        let (baseline, round) = (done.baseline, done.rounds.len() as u32 + 1);
        let mut wanted = Wanted::default();
        let mut fingerprint = Fingerprinter::like(&report.input);
        let mut phones = phones.into_iter();
        for index in 0..report.read {
            let Some(entry) = phones.next() else { break };
            fingerprint.add(entry);
            if let Slot::Other(Outcome::Unknown { phone, .. }) = report.slot(index) {
                wanted.add(index, &phone, entry);
            }
        }
        if fingerprint.finish() != report.input {
            return Err(refuse(
                "input",
                "is not the one the report was made from: reconcile with the same input in the \
                 same order",
            ));
        }
        let settled = settle(self, report, baseline, wanted, round).await?;
        Ok(report.apply(settled))
    }
}

fn refuse(field: &str, reason: &str) -> Error {
    ValidationError::new(
        field,
        ValidationProblem::Invalid {
            reason: reason.to_owned(),
        },
    )
    .into()
}

impl UploadReport {
    /// Takes a reconciliation's outcomes and records its round.
    pub(super) fn apply(&mut self, settled: Settled) -> ReconcileRound {
        for (index, slot) in settled.outcomes {
            self.set(index, slot);
        }
        let round = settled.round;
        self.reconciliation
            .get_or_insert_with(Reconciliation::default)
            .rounds
            .push(round.clone());
        round
    }

    /// Records a round that could not read the group.
    pub(super) fn record_failed_round(&mut self, unknown: u64, error: &Error) {
        let done = self
            .reconciliation
            .get_or_insert_with(Reconciliation::default);
        let round = done.rounds.len() as u32 + 1;
        done.rounds.push(ReconcileRound {
            round,
            unknown,
            still_unknown: unknown,
            error: Some(FailureRecord::of(error)),
            ..ReconcileRound::default()
        });
    }
}

/// The key of an entry, for the tests.
#[cfg(test)]
pub(super) fn key_of(phone: &str, columns: [&str; 5], callback: &str) -> Vec<u8> {
    let mut out = Vec::new();
    write_key(&mut out, phone, columns, callback);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_tell_fields_apart_and_read_numbers_in_e164() {
        let none = [""; 5];
        assert_eq!(
            key_of("0049 170 1234567", none, ""),
            key_of("+491701234567", none, "")
        );
        assert_ne!(
            key_of("+491701234567", ["a", "", "", "", ""], ""),
            key_of("+491701234567", ["", "a", "", "", ""], "")
        );
        assert_ne!(
            key_of("+491701234567", ["ab", "", "", "", ""], ""),
            key_of("+491701234567", ["a", "b", "", "", ""], "")
        );
        assert_ne!(
            key_of("+491701234567", none, "x"),
            key_of("+491701234567", none, "")
        );
        // A number that does not read as E.164 is compared as written.
        assert_eq!(key_of("0170", none, ""), key_of("0170", none, ""));
        assert_ne!(key_of("0170", none, ""), key_of("170", none, ""));
    }

    #[test]
    fn absent_values_match_empty_ones_as_the_export_writes_them() {
        let mut wanted = Wanted::default();
        let entry = PhoneEntry::new("+491701234567").column(crate::Column::B, "Ben");
        wanted.add(3, "+491701234567", &entry);
        let mut collect = Collect {
            wanted: &mut wanted,
            highest: Some(10),
        };
        for (id, b) in [("9", "Ben"), ("11", "Ben"), ("12", "Bob"), ("x1", "Bob")] {
            collect.entry(StoredEntry {
                id,
                phone: "+491701234567",
                columns: ["", b, "", "", ""],
                callback_data: "",
            });
        }
        let matches = &wanted.by_key[&key_of("+491701234567", ["", "Ben", "", "", ""], "")];
        // 9 is older than the upload; 12 and x1 are another entry.
        assert_eq!((matches.ids.as_slice(), matches.unsure), (&[11][..], false));
    }
}
