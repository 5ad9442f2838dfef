//! Exactly-once mode against the sandbox with the faults of issue 15: 5 %
//! of batch requests answered 503, 2 % of connections dropped before and
//! 2 % after processing, 1 % of answers held back past the client's
//! timeout. The same seeded faults meet a plain upload first, for its
//! unknown entries and its count of requests.
//!
//! What the group holds at the end is read from its CSV export and
//! compared with the input: `duplicates` are entries stored more than once,
//! `missing` entries of the input not stored. `extra requests` are the
//! requests of the exactly-once upload (reading the group before and at
//! each round, the resends, every retry) beyond those of the plain upload.

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use lox24::{
    Client, GroupId, NewGroup, PhoneEntry, RetryPolicy,
    upload::{GroupSource, UploadReport},
};
use lox24_sandbox::{DEFAULT_TOKEN, Fault, Operation, Sandbox};

use super::{client_runtime, phone, short};

const SEED: u64 = 15;
/// The client's timeout: the CSV export of a million entries must come
/// within it, and a late answer comes after it.
const TIMEOUT: Duration = Duration::from_secs(5);

fn faults() -> Fault {
    Fault::new()
        .server_errors(0.05)
        .drop_before_processing(0.02)
        .drop_after_processing(0.02)
        .answer_late(0.01, TIMEOUT + Duration::from_secs(1))
}

/// The operations an upload may use, whose requests are counted.
const OPERATIONS: [Operation; 4] = [
    Operation::AddPhonesBatch,
    Operation::GetGroup,
    Operation::ExportGroupCsv,
    Operation::ListGroupPhones,
];

struct Run {
    report: UploadReport,
    requests: u64,
    time: Duration,
    /// Of the input entries: stored more than once, never stored.
    duplicates: u64,
    missing: u64,
}

async fn run(n: u64, exactly_once: bool) -> Run {
    let sandbox = Sandbox::builder()
        .seed(SEED)
        .start()
        .await
        .expect("the sandbox starts");
    let client = Client::builder()
        .token(DEFAULT_TOKEN)
        .base_url(sandbox.base_url())
        .timeout(TIMEOUT)
        // Quick retries: the benchmark counts requests, not waits.
        .retry(
            RetryPolicy::default()
                .with_base_delay(Duration::from_millis(10))
                .with_max_delay(Duration::from_millis(100)),
        )
        .build()
        .expect("a valid configuration");
    let group = client
        .create_group(&NewGroup::new("bench"))
        .await
        .expect("a group")
        .id;
    sandbox.set_fault(Operation::AddPhonesBatch, faults());
    let before: u64 = OPERATIONS.iter().map(|&op| sandbox.requests(op)).sum();
    let started = Instant::now();
    let upload = client
        .upload_phones(&group, (0..n).map(|i| PhoneEntry::new(phone(i))))
        .keep_created(false);
    let report = if exactly_once {
        upload.exactly_once().await
    } else {
        upload.await
    };
    let time = started.elapsed();
    let requests = OPERATIONS
        .iter()
        .map(|&op| sandbox.requests(op))
        .sum::<u64>()
        - before;
    sandbox.clear_faults();
    let (duplicates, missing) = compare(&client, &group, n).await;
    Run {
        report,
        requests,
        time,
        duplicates,
        missing,
    }
}

/// Reads the group's export and counts each input number in it.
async fn compare(client: &Client, group: &GroupId, n: u64) -> (u64, u64) {
    let mut seen = vec![0u8; n as usize];
    let mut export = client.export_group_csv(group).await.expect("the export");
    let mut line = Vec::new();
    let mut count = |line: &[u8]| {
        // `id,phone,…`: the phone is `+4917` and the entry's eight digits.
        let phone = line.split(|&b| b == b',').nth(1).unwrap_or_default();
        let digits = phone.get(5..).unwrap_or_default();
        if let Some(i) = std::str::from_utf8(digits)
            .ok()
            .and_then(|d| d.parse::<usize>().ok())
            && let Some(times) = seen.get_mut(i)
        {
            *times = times.saturating_add(1);
        }
    };
    while let Some(chunk) = export.try_next().await.expect("the export streams") {
        for &byte in chunk.iter() {
            if byte == b'\n' {
                count(&line);
                line.clear();
            } else {
                line.push(byte);
            }
        }
    }
    count(&line);
    let duplicates = seen.iter().map(|&t| u64::from(t.saturating_sub(1))).sum();
    let missing = seen.iter().filter(|&&t| t == 0).count() as u64;
    (duplicates, missing)
}

/// Runs both uploads of `n` phones and prints their lines; the last is
/// `exactly-once 1M: created X, duplicates in group D, missing M, unknown U,
/// extra requests R%`.
pub fn measure(n: u64) {
    let runtime = client_runtime();
    let plain = runtime.block_on(run(n, false));
    let exact = runtime.block_on(run(n, true));
    let name = short(n);
    let summary = plain.report.summary();
    println!(
        "plain {name} under the same faults: created {}, unknown {} ({} of them stored), \
         not sent {}, duplicates in group {}, missing {}, {} requests, {:.1} s",
        summary.created,
        summary.unknown,
        (n - plain.missing).saturating_sub(summary.created),
        summary.not_sent,
        plain.duplicates,
        plain.missing,
        plain.requests,
        plain.time.as_secs_f64()
    );
    let summary = exact.report.summary();
    if let Some(done) = exact.report.reconciliation() {
        for round in &done.rounds {
            let source = match round.source {
                Some(GroupSource::Export) => "its export",
                Some(GroupSource::Listing) => "its listing",
                _ => "not read",
            };
            println!(
                "  round {}: {} unknown, {} found in the group ({source}, {} entries), {} missing, \
                 {} sent again in {} requests",
                round.round,
                round.unknown,
                round.found,
                round.group_entries,
                round.missing,
                round.resent,
                round.resend_requests
            );
        }
    }
    println!(
        "  exactly-once took {:.1} s and {} requests; report file {:.2} bytes per entry \
         (every outcome kept)",
        exact.time.as_secs_f64(),
        exact.requests,
        report_bytes(n, &runtime) as f64 / n as f64
    );
    let extra = (exact.requests as f64 - plain.requests as f64) / plain.requests as f64 * 100.0;
    println!(
        "exactly-once {name}: created {}, duplicates in group {}, missing {}, unknown {}, \
         extra requests {extra:.1}%",
        summary.created, exact.duplicates, exact.missing, summary.unknown
    );
}

/// The size of the report file of an upload of `n` phones with every
/// outcome kept (the default), against a sandbox without faults.
fn report_bytes(n: u64, runtime: &tokio::runtime::Runtime) -> usize {
    runtime.block_on(async {
        let sandbox = Sandbox::start().await.expect("the sandbox starts");
        let client = sandbox.client().expect("a client");
        let group = client
            .create_group(&NewGroup::new("report"))
            .await
            .expect("a group")
            .id;
        let report = client
            .upload_phones(&group, (0..n).map(|i| PhoneEntry::new(phone(i))))
            .await;
        assert_eq!(report.summary().created, n);
        serde_json::to_vec(&report).expect("a report writes").len()
    })
}
