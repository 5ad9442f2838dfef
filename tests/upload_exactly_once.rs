//! Exactly-once uploads against the sandbox with faults: what the group
//! holds afterwards is the input, each entry once, and the report says so
//! with LOX24's ids; reconciliation never takes an older entry of the
//! group for one of the upload's, and counts identical entries.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::Duration,
};

use futures_util::TryStreamExt;
use lox24::{
    Client, Column, Error, GroupId, NewGroup, Phone, PhoneEntry, PhoneId, RetryPolicy,
    upload::{
        GroupSource, NotSentReason, Outcome, Phase, ReconcileRound, UnknownReason, UploadReport,
    },
};
use lox24_sandbox::{DEFAULT_TOKEN, Fault, Operation, Sandbox};

/// The client of these tests: a short timeout, so that late answers come
/// after it, and quick retries.
fn client(sandbox: &Sandbox) -> Client {
    Client::builder()
        .token(DEFAULT_TOKEN)
        .base_url(sandbox.base_url())
        .timeout(Duration::from_secs(1))
        .retry(
            RetryPolicy::default()
                .with_base_delay(Duration::from_millis(5))
                .with_max_delay(Duration::from_millis(20)),
        )
        .build()
        .unwrap()
}

/// The mix: 5 % 503, 2 % of connections dropped before and 2 %
/// after processing, 1 % of answers after the client's timeout.
fn fault_mix() -> Fault {
    Fault::new()
        .server_errors(0.05)
        .drop_before_processing(0.02)
        .drop_after_processing(0.02)
        .answer_late(0.01, Duration::from_secs(3))
}

/// Entry `i`: a number, a column and callback data; every 500th entry is a
/// copy of the one before it, so that the input holds identical pairs.
fn input(n: u64) -> Vec<PhoneEntry> {
    (0..n)
        .map(|i| {
            let i = if i % 500 == 1 { i - 1 } else { i };
            PhoneEntry::new(format!("+4917{i:08}"))
                .column(Column::A, format!("name {i}"))
                .callback_data(format!("crm-{}", i % 7))
        })
        .collect()
}

async fn group_entries(client: &Client, group: &GroupId) -> Vec<Phone> {
    client
        .list_group_phones(group)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap()
}

fn numeric(id: &PhoneId) -> u64 {
    id.as_str().parse().expect("the sandbox's ids are numbers")
}

fn same_entry(stored: &Phone, entry: &PhoneEntry) -> bool {
    stored.phone == entry.phone
        && stored.a == entry.a
        && stored.callback_data == entry.callback_data
}

/// The number of times each (number, column a, callback data) is in the group.
fn multiset(
    entries: impl Iterator<Item = (String, Option<String>, Option<String>)>,
) -> HashMap<(String, Option<String>, Option<String>), u64> {
    let mut counts = HashMap::new();
    for key in entries {
        *counts.entry(key).or_default() += 1;
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_the_fault_mix_every_entry_is_stored_once_and_older_entries_are_never_claimed() {
    const N: u64 = 20_000;
    let sandbox = Sandbox::builder()
        .seed(15)
        .page_size(1000)
        .start()
        .await
        .unwrap();
    let client = client(&sandbox);
    let phones = input(N);

    // The plain upload under the same faults leaves entries unknown: the
    // faults bite.
    let plain_group = client
        .create_group(&NewGroup::new("plain"))
        .await
        .unwrap()
        .id;
    sandbox.set_fault(Operation::AddPhonesBatch, fault_mix());
    let plain = client
        .upload_phones(&plain_group, &phones)
        .batch_size(100)
        .await;
    assert!(plain.summary().unknown >= 300, "{}", plain.summary());
    let stored_anyway = group_entries(&client, &plain_group).await.len() as u64;
    assert!(
        stored_anyway > plain.summary().created,
        "some unknown entries were stored: {stored_anyway}"
    );

    // The group holds an identical twin of every 50th entry before the upload.
    sandbox.clear_faults();
    let group = client
        .create_group(&NewGroup::new("exactly once"))
        .await
        .unwrap()
        .id;
    let twins: Vec<PhoneEntry> = phones.iter().step_by(50).cloned().collect();
    assert_eq!(
        client.add_phones(&group, &twins).await.unwrap().created(),
        400
    );
    let older: HashSet<u64> = group_entries(&client, &group)
        .await
        .iter()
        .map(|p| numeric(p.id.as_ref().unwrap()))
        .collect();
    sandbox.set_fault(Operation::AddPhonesBatch, fault_mix());

    let last_outcome: Arc<Mutex<HashMap<u64, Outcome>>> = Arc::default();
    let first_unknown: Arc<Mutex<HashSet<u64>>> = Arc::default();
    let phases: Arc<Mutex<Vec<Phase>>> = Arc::default();
    let (outcomes, unknown, seen) = (last_outcome.clone(), first_unknown.clone(), phases.clone());
    let report = client
        .upload_phones(&group, &phones)
        .batch_size(100)
        .exactly_once()
        .on_outcome(move |index, _, outcome| {
            if matches!(outcome, Outcome::Unknown { .. }) {
                unknown.lock().unwrap().insert(index);
            }
            outcomes.lock().unwrap().insert(index, outcome.clone());
        })
        .on_progress(move |p| {
            let mut seen = seen.lock().unwrap();
            if seen.last() != Some(&p.phase) {
                seen.push(p.phase);
            }
        })
        .await;

    // Every entry created, with LOX24's id; nothing left unknown or missing.
    let summary = report.summary();
    assert_eq!(
        (
            summary.created,
            summary.rejected,
            summary.not_sent,
            summary.unknown
        ),
        (N, 0, 0, 0),
        "{report}"
    );
    assert!(report.stop().is_none(), "{report}");

    // The group: the older twins, and the input exactly once.
    let stored = group_entries(&client, &group).await;
    assert_eq!(stored.len() as u64, N + 400);
    let by_id: HashMap<u64, &Phone> = stored
        .iter()
        .map(|p| (numeric(p.id.as_ref().unwrap()), p))
        .collect();
    let key = |e: &PhoneEntry| (e.phone.clone(), e.a.clone(), e.callback_data.clone());
    let expected = multiset(phones.iter().chain(&twins).map(key));
    let held = multiset(
        stored
            .iter()
            .map(|p| (p.phone.clone(), p.a.clone(), p.callback_data.clone())),
    );
    assert_eq!(held, expected, "duplicates or missing entries in the group");

    // Each entry's id is an entry of the group with its values, none of the
    // older ones, and no id is given twice.
    let mut given = HashSet::new();
    for (index, outcome) in report.entries() {
        let Outcome::Created { id: Some(id) } = &*outcome else {
            panic!("{index}: {outcome:?}")
        };
        let id = numeric(id);
        assert!(
            !older.contains(&id),
            "entry {index} claims older entry {id}"
        );
        assert!(given.insert(id), "id {id} given twice");
        assert!(same_entry(by_id[&id], &phones[index as usize]), "{index}");
    }

    // Reconciliation did the work, and says so.
    let done = report.reconciliation().expect("recorded");
    assert_eq!(done.baseline.entries, 400);
    assert_eq!(done.baseline.highest_id, older.iter().max().copied());
    let first: &ReconcileRound = &done.rounds[0];
    assert_eq!(first.source, Some(GroupSource::Export), "{first:?}");
    assert!(first.found > 0 && first.missing > 0, "{first:?}");
    assert_eq!(first.found + first.missing, first.unknown);
    assert_eq!((first.still_unknown, first.unclaimed), (0, 0));
    assert_eq!(first.resent, first.missing);
    let unknown = first_unknown.lock().unwrap().clone();
    assert_eq!(unknown.len() as u64, first.unknown);
    assert!(
        unknown.iter().any(|i| i % 50 == 0),
        "a twin of an older entry was among the unknown ones"
    );
    assert_eq!(
        done.settled(),
        done.rounds.iter().map(|r| r.found + r.missing).sum::<u64>()
    );
    assert!(done.requests() > done.baseline_requests);

    // Every step was shown, and the last outcome handed on is the report's.
    let phases = phases.lock().unwrap().clone();
    for phase in [
        Phase::Baseline,
        Phase::Upload,
        Phase::Reconcile,
        Phase::Resend,
    ] {
        assert!(phases.contains(&phase), "{phases:?}");
    }
    let last = last_outcome.lock().unwrap();
    assert_eq!(last.len() as u64, N);
    for (index, outcome) in report.entries() {
        assert_eq!(last[&index], *outcome, "{index}");
    }

    // The report file: compact, and read back whole.
    let json = serde_json::to_vec(&report).unwrap();
    assert!(json.len() < 12 * N as usize, "{} bytes", json.len());
    let back = UploadReport::from_json(&json).unwrap();
    assert_eq!(back.reconciliation(), report.reconciliation());
    assert_eq!(back.summary(), report.summary());
}

/// Two identical entries in the input, one found in the group: one is
/// created, the other missing; an older identical entry and one the report
/// already gives to another entry are not claimed. When the export fails,
/// the listing is read.
#[tokio::test]
async fn reconciliation_counts_identical_entries_and_skips_older_and_claimed_ones() {
    // Requests 1 to 3 of the batch operation (entries 0 to 2, one per
    // request) lose their connection before they are processed.
    let sandbox = Sandbox::builder()
        .fault(
            Operation::AddPhonesBatch,
            Fault::new()
                .drop_before_processing(1.0)
                .from_request(1)
                .to_request(4),
        )
        .start()
        .await
        .unwrap();
    let client = client(&sandbox);
    let group = client
        .create_group(&NewGroup::new("counted"))
        .await
        .unwrap()
        .id;
    let a = PhoneEntry::new("+491701111111").column(Column::A, "Anna");
    let c = PhoneEntry::new("+491702222222").callback_data("c");
    // Request 0: an identical entry, before the upload.
    let old_id = stored_id(&client, &group, &a).await;

    let phones = vec![a.clone(), a.clone(), c.clone(), a.clone()];
    let mut report = client
        .upload_phones(&group, &phones)
        .batch_size(1)
        .concurrency(1)
        .exactly_once_rounds(0)
        .await;
    for i in 0..3 {
        assert!(
            matches!(
                report.outcome(i).as_deref(),
                Some(Outcome::Unknown {
                    reason: UnknownReason::Ambiguous,
                    ..
                })
            ),
            "{i}: {:?}",
            report.outcome(i)
        );
    }
    let Some(Outcome::Created { id: Some(claimed) }) = report.outcome(3).as_deref().cloned() else {
        panic!("{:?}", report.outcome(3))
    };
    let baseline = report.reconciliation().unwrap().baseline;
    assert_eq!(baseline.highest_id, Some(numeric(&old_id)));

    // One of the two `a` reached LOX24 after all (stored, answer lost).
    let late_id = stored_id(&client, &group, &a).await;

    // Another input is refused, and the report stays as it was.
    let before = serde_json::to_string(&report).unwrap();
    let other = vec![a.clone(), a.clone(), a.clone(), a.clone()];
    let err = client
        .reconcile_upload(&mut report, &other)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation(e) if e.field() == "input"),
        "{err:?}"
    );
    assert_eq!(serde_json::to_string(&report).unwrap(), before);

    // The export fails (500 on every attempt): the listing is read instead.
    sandbox.set_fault(
        Operation::ExportGroupCsv,
        Fault::new().server_errors(1.0).server_error_status(500),
    );
    let exports = sandbox.requests(Operation::ExportGroupCsv);
    let round = client.reconcile_upload(&mut report, &phones).await.unwrap();
    assert!(sandbox.requests(Operation::ExportGroupCsv) > exports);
    assert_eq!(round.source, Some(GroupSource::Listing));
    assert!(
        round
            .export_failure
            .as_deref()
            .is_some_and(|f| f.contains("500")),
        "{round:?}"
    );
    assert_eq!(round.group_entries, 3);
    assert_eq!(
        (round.unknown, round.found, round.missing, round.unclaimed),
        (3, 1, 2, 0)
    );
    assert_eq!(
        report.outcome(0).as_deref(),
        Some(&Outcome::Created { id: Some(late_id) })
    );
    for i in [1, 2] {
        assert!(
            matches!(
                report.outcome(i).as_deref(),
                Some(Outcome::NotSent {
                    reason: NotSentReason::NotInGroup,
                    phone: Some(_)
                })
            ),
            "{i}: {:?}",
            report.outcome(i)
        );
    }
    assert_eq!(
        report.outcome(3).as_deref(),
        Some(&Outcome::Created { id: Some(claimed) })
    );
    assert_ne!(report.outcome(0), report.outcome(3));
    assert_eq!(report.reconciliation().unwrap().rounds, vec![round]);
    let summary = report.summary();
    assert_eq!(
        (summary.created, summary.not_sent, summary.unknown),
        (2, 2, 0)
    );

    // The resume sends exactly the two missing entries, in one batch.
    sandbox.clear_faults();
    let batches = sandbox.handled(Operation::AddPhonesBatch);
    let report = client.resume_upload(report, &phones).await;
    assert_eq!(sandbox.handled(Operation::AddPhonesBatch), batches + 1);
    assert_eq!(report.summary().created, 4);
    assert!(report.is_complete(), "{report}");
    let held = group_entries(&client, &group).await;
    assert_eq!(held.len(), 5, "{held:#?} {report:?}");
}

/// Adds `entry` to the group, and returns its id.
async fn stored_id(client: &Client, group: &GroupId, entry: &PhoneEntry) -> PhoneId {
    let added = client
        .add_phones(group, std::slice::from_ref(entry))
        .await
        .unwrap();
    added.items[0].result.as_ref().unwrap().id.clone().unwrap()
}

#[tokio::test]
async fn a_report_without_a_baseline_is_not_reconciled() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = client(&sandbox);
    let group = client
        .create_group(&NewGroup::new("plain"))
        .await
        .unwrap()
        .id;
    let phones = input(3);
    let mut report = client.upload_phones(&group, &phones).await;
    let err = client
        .reconcile_upload(&mut report, &phones)
        .await
        .unwrap_err();
    let Error::Validation(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.field(), "report");
    assert!(e.to_string().contains("without exactly_once()"), "{e}");
    assert!(report.reconciliation().is_none());

    // Exactly-once on a group that does not exist: refused by the baseline's
    // read, and nothing is sent.
    let report = client
        .upload_phones(&GroupId::new(999), &phones)
        .exactly_once()
        .await;
    assert!(
        matches!(report.error(), Some(Error::NotFound(_))),
        "{:?}",
        report.error()
    );
    assert_eq!(report.summary().not_sent, 3);
    assert_eq!(sandbox.requests(Operation::AddPhonesBatch), 1);
}

#[tokio::test]
async fn reconciliation_waits_as_asked_before_it_reads_the_group() {
    // The first batch is stored, and its answer lost.
    let sandbox = Sandbox::builder()
        .fault(
            Operation::AddPhonesBatch,
            Fault::new().drop_after_processing(1.0).to_request(1),
        )
        .start()
        .await
        .unwrap();
    let client = client(&sandbox);
    let group = client
        .create_group(&NewGroup::new("patient"))
        .await
        .unwrap()
        .id;
    let phones = input(10);
    let wait = Duration::from_millis(300);
    let reconciling: Arc<Mutex<Option<(std::time::Instant, u64)>>> = Arc::default();
    let seen = reconciling.clone();
    let sandbox_ref = &sandbox;
    let report = client
        .upload_phones(&group, &phones)
        .batch_size(5)
        .exactly_once()
        .reconcile_after(wait)
        .on_progress(move |p| {
            if p.phase == Phase::Reconcile {
                let exports = sandbox_ref.requests(Operation::ExportGroupCsv);
                seen.lock()
                    .unwrap()
                    .get_or_insert((std::time::Instant::now(), exports));
            }
        })
        .await;
    let (started, exports_then) = reconciling.lock().unwrap().expect("a reconciliation");
    // The group was empty at first: no export before the round, one in it.
    assert_eq!(exports_then, 0);
    assert_eq!(sandbox.requests(Operation::ExportGroupCsv), 1);
    assert!(started.elapsed() >= wait);
    let round = &report.reconciliation().unwrap().rounds[0];
    assert_eq!((round.unknown, round.found, round.missing), (5, 5, 0));
    assert_eq!(report.summary().created, 10);
}

/// Cancelled in exactly-once mode, the upload ends at once; its resume
/// settles the unknown entries against the baseline the first run recorded
/// (the group now holds that run's entries) and sends the rest.
#[tokio::test]
async fn a_cancelled_upload_is_resumed_exactly_once_against_its_first_baseline() {
    // The second batch is stored, and its answer lost.
    let sandbox = Sandbox::builder()
        .fault(
            Operation::AddPhonesBatch,
            Fault::new()
                .drop_after_processing(1.0)
                .from_request(1)
                .to_request(2),
        )
        .start()
        .await
        .unwrap();
    let client = client(&sandbox);
    let group = client
        .create_group(&NewGroup::new("resumed"))
        .await
        .unwrap()
        .id;
    let phones = input(20);
    let (unknown_seen, cancelled) = tokio::sync::oneshot::channel::<()>();
    let mut unknown_seen = Some(unknown_seen);
    let report = client
        .upload_phones(&group, &phones)
        .batch_size(5)
        .concurrency(1)
        .exactly_once()
        .on_outcome(move |_, _, outcome| {
            if matches!(outcome, Outcome::Unknown { .. })
                && let Some(signal) = unknown_seen.take()
            {
                let _ = signal.send(());
            }
        })
        .cancel_on(async {
            let _ = cancelled.await;
        })
        .await;
    assert_eq!(report.stop(), Some(&lox24::upload::Stop::Cancelled));
    assert_eq!(report.summary().unknown, 5, "{report}");
    assert!(report.summary().not_sent >= 5, "{report}");
    let first = report.reconciliation().unwrap().clone();
    assert!(first.rounds.is_empty(), "cancelled: no round");
    assert_eq!(first.baseline.highest_id, None);
    let exports = sandbox.requests(Operation::ExportGroupCsv);
    assert_eq!(exports, 0);

    let report = client.resume_upload(report, &phones).exactly_once().await;
    assert!(report.is_complete(), "{report}");
    assert_eq!(report.summary().created, 20);
    let done = report.reconciliation().unwrap();
    assert_eq!(done.baseline, first.baseline);
    assert_eq!(
        (
            done.rounds[0].unknown,
            done.rounds[0].found,
            done.rounds[0].missing
        ),
        (5, 5, 0)
    );
    // One export only: the resume read no new baseline.
    assert_eq!(sandbox.requests(Operation::ExportGroupCsv), 1);
    let held = group_entries(&client, &group).await;
    assert_eq!(held.len(), 20);
    for (index, outcome) in report.entries() {
        let Outcome::Created { id: Some(id) } = &*outcome else {
            panic!("{index}: {outcome:?}")
        };
        let stored = held.iter().find(|p| p.id.as_ref() == Some(id)).unwrap();
        assert!(same_entry(stored, &phones[index as usize]), "{index}");
    }
}
