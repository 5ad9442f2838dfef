//! The upload engine against a server with limits (the sandbox's
//! [`Capacity`]): the adaptive limit grows while the server keeps up, backs
//! off on 503 and on rising latency, stays under its maximum; a slow batch
//! holds back the report of the entries after it but not their sending, and
//! memory stays within the reorder window.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use futures_util::TryStreamExt;
use lox24::{
    Client, GroupId, NewGroup, PhoneEntry, RetryPolicy,
    upload::{DEFAULT_CONCURRENCY, Outcome, Progress, UploadReport},
};
use lox24_sandbox::{Capacity, Sandbox};
use tokio::sync::watch;

const BATCH: usize = 10;

fn phone(i: u64) -> String {
    format!("+4917{i:08}")
}

fn phones(n: u64) -> Vec<PhoneEntry> {
    (0..n).map(|i| PhoneEntry::new(phone(i))).collect()
}

/// A client for the sandbox whose retries wait a few milliseconds.
fn client(sandbox: &Sandbox) -> Client {
    Client::builder()
        .credentials(sandbox.credentials().clone())
        .base_url(sandbox.base_url())
        .retry(
            RetryPolicy::default()
                .with_max_attempts(20)
                .with_base_delay(Duration::from_millis(5))
                .with_max_delay(Duration::from_millis(20)),
        )
        .build()
        .expect("a valid configuration")
}

async fn sandbox_with(capacity: Capacity) -> (Sandbox, Client, GroupId) {
    let sandbox = Sandbox::builder()
        .capacity(capacity)
        .page_size(1000)
        .start()
        .await
        .expect("the sandbox starts");
    let client = client(&sandbox);
    let group = client
        .create_group(&NewGroup::new("limits"))
        .await
        .expect("a group")
        .id;
    (sandbox, client, group)
}

/// The limits an upload's progress showed, in order, without repeats.
#[derive(Clone, Default)]
struct Limits(Arc<Mutex<Vec<usize>>>);

impl Limits {
    fn record(&self) -> impl FnMut(&Progress) + Send + 'static {
        let seen = self.0.clone();
        move |progress| {
            let mut seen = seen.lock().expect("not poisoned");
            if seen.last() != Some(&progress.concurrency_limit) {
                seen.push(progress.concurrency_limit);
            }
        }
    }

    fn seen(&self) -> Vec<usize> {
        self.0.lock().expect("not poisoned").clone()
    }
}

/// Uploads `n` entries with the adaptive limit (up to `max`, or the default)
/// against a sandbox of this capacity; returns the sandbox and the limits
/// its progress showed.
async fn adaptive_upload(capacity: Capacity, n: u64, max: Option<usize>) -> (Sandbox, Vec<usize>) {
    let (sandbox, client, group) = sandbox_with(capacity).await;
    let limits = Limits::default();
    let mut upload = client
        .upload_phones(&group, phones(n))
        .batch_size(BATCH)
        .on_progress(limits.record());
    if let Some(max) = max {
        upload = upload.max_concurrency(max);
    }
    assert_all_created(&upload.await, n);
    (sandbox, limits.seen())
}

fn assert_all_created(report: &UploadReport, n: u64) {
    assert_eq!(report.summary().created, n, "{report}");
    assert!(report.error().is_none(), "{report}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_limit_grows_while_the_server_keeps_up() {
    let capacity = Capacity::new(16)
        .per_entry(Duration::from_millis(5))
        .queue(100);
    let (sandbox, seen) = adaptive_upload(capacity, 2000, None).await;
    assert_eq!(seen[0], DEFAULT_CONCURRENCY, "{seen:?}");
    let peak = seen.iter().copied().max().unwrap_or(0);
    assert!(peak >= 2 * DEFAULT_CONCURRENCY, "{seen:?}");
    let stats = sandbox.capacity_stats();
    assert!(
        stats.peak_serving >= 2 * DEFAULT_CONCURRENCY,
        "the server saw more requests at once than the start: {stats:?}"
    );
    assert_eq!(stats.refused, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_503_halves_the_limit() {
    // Two batches at once and no queue: a third is refused with 503.
    let capacity = Capacity::new(2).per_entry(Duration::from_millis(1));
    let (sandbox, seen) = adaptive_upload(capacity, 1000, None).await;
    // It starts at 4; once the server refuses what it cannot take (at 4,
    // or at 8 should the first requests have arrived one by one), the limit
    // is halved once for those refusals, not once per refusal.
    assert_eq!(seen[0], DEFAULT_CONCURRENCY, "{seen:?}");
    let first_drop = seen
        .windows(2)
        .find(|pair| pair[1] < pair[0])
        .expect("the limit came down");
    assert_eq!(first_drop[1], first_drop[0] / 2, "{seen:?}");
    let stats = sandbox.capacity_stats();
    assert!(stats.refused > 0, "{stats:?}");
    assert_eq!(stats.peak_serving, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rising_latency_brings_the_limit_down_without_a_503() {
    let fast = Capacity::new(16)
        .per_entry(Duration::from_millis(5))
        .queue(1000);
    let slow = Capacity::new(4)
        .per_entry(Duration::from_millis(5))
        .queue(1000);
    let (sandbox, client, group) = sandbox_with(fast).await;
    let limits = Limits::default();
    let mut record = limits.record();
    let n = 2400;
    let mut slowed_at = None;
    let report = client
        .upload_phones(&group, phones(n))
        .batch_size(BATCH)
        .on_progress(|progress| {
            record(progress);
            // A third of the way, the server serves 4 batches at once.
            if slowed_at.is_none() && progress.done >= n / 3 {
                sandbox.set_capacity(Some(slow.clone()));
                slowed_at = Some(progress.concurrency_limit);
            }
        })
        .await;

    assert_all_created(&report, n);
    let seen = limits.seen();
    let before = slowed_at.expect("the server slowed down");
    assert!(before >= 2 * DEFAULT_CONCURRENCY, "{before} {seen:?}");
    // The latency rose with the queue: the limit came down to what the
    // server serves and a small queue, with no refusal to tell it.
    let last = *seen.last().expect("progress");
    assert!(last <= 4 + 4, "{seen:?}");
    assert_eq!(sandbox.capacity_stats().refused, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_limit_stays_under_its_maximum_and_a_fixed_one_stays_fixed() {
    let capacity = Capacity::new(64)
        .per_entry(Duration::from_millis(1))
        .queue(100);
    let (sandbox, seen) = adaptive_upload(capacity.clone(), 2000, Some(6)).await;
    assert_eq!(seen.iter().max(), Some(&6), "{seen:?}");
    assert!(sandbox.capacity_stats().peak_serving <= 6);

    let (sandbox, client, group) = sandbox_with(capacity).await;
    let n = 2000;
    let limits = Limits::default();
    let report = client
        .upload_phones(&group, phones(n))
        .batch_size(BATCH)
        .concurrency(3)
        .on_progress(limits.record())
        .await;
    assert_all_created(&report, n);
    assert_eq!(limits.seen(), [3]);
    assert_eq!(sandbox.capacity_stats().peak_serving, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_batch_holds_back_the_report_but_not_the_others_and_memory_stays_bounded() {
    const WINDOW: u64 = 100;
    let n = 400u64;
    // The sixth batch to arrive is answered only when released.
    let capacity = Capacity::new(16).late([5], Duration::from_secs(3600));
    let (sandbox, client, group) = sandbox_with(capacity).await;

    let read = Arc::new(AtomicU64::new(0));
    let reported = Arc::new(AtomicU64::new(0));
    let most_ahead = Arc::new(AtomicU64::new(0));
    let input = {
        let (read, reported, most_ahead) = (read.clone(), reported.clone(), most_ahead.clone());
        (0..n).map(move |i| {
            let ahead = read.fetch_add(1, Ordering::SeqCst) + 1 - reported.load(Ordering::SeqCst);
            most_ahead.fetch_max(ahead, Ordering::SeqCst);
            PhoneEntry::new(phone(i))
        })
    };
    let (progress_tx, mut progress) = watch::channel(Progress::default());
    let mut outcomes = Vec::new();
    let upload = client
        .upload_phones(&group, input)
        .batch_size(BATCH)
        .concurrency(4)
        .reorder_window(WINDOW as usize)
        .on_progress(move |p| {
            progress_tx.send_replace(*p);
        })
        .on_outcome(|index, entry, outcome| {
            reported.fetch_add(1, Ordering::SeqCst);
            outcomes.push((index, entry.phone.clone(), outcome.clone()));
        });

    let watch = async {
        // The upload stalls once the window is full behind the held batch:
        // every batch read but that one is settled.
        let stalled = progress.wait_for(|p| {
            let read = read.load(Ordering::SeqCst);
            p.in_flight == BATCH as u64
                && p.done + BATCH as u64 == read
                && read == reported.load(Ordering::SeqCst) + WINDOW
        });
        tokio::time::timeout(Duration::from_secs(30), stalled)
            .await
            .expect("the upload stalls behind the held batch")
            .expect("the upload is running");
        let (read_then, reported_then) =
            (read.load(Ordering::SeqCst), reported.load(Ordering::SeqCst));
        assert_eq!(sandbox.capacity_stats().held, 1);
        // The batches after the held one were sent and settled.
        assert_eq!(
            sandbox.handled(lox24_sandbox::Operation::AddPhonesBatch),
            read_then / BATCH as u64
        );
        assert!(
            read_then > reported_then + BATCH as u64,
            "{read_then} {reported_then}"
        );
        sandbox.release_late();
    };
    let (report, ()) = tokio::join!(upload, watch);

    assert_all_created(&report, n);
    assert!(most_ahead.load(Ordering::SeqCst) <= WINDOW);
    // Every outcome in input order, each the id the server gave its number.
    let stored: HashMap<String, Option<lox24::PhoneId>> = client
        .list_group_phones(&group)
        .await
        .expect("a listing")
        .map_ok(|p| (p.phone, p.id))
        .try_collect()
        .await
        .expect("the group's entries");
    assert_eq!(stored.len(), n as usize);
    for (expected, (index, number, outcome)) in outcomes.iter().enumerate() {
        assert_eq!(
            (*index, number.as_str()),
            (expected as u64, phone(expected as u64).as_str())
        );
        assert_eq!(
            *outcome,
            Outcome::Created {
                id: stored[number].clone()
            }
        );
    }
    assert_eq!(outcomes.len(), n as usize);
}
