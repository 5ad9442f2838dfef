//! `lox24 phones import` and numbers a file lists more than once: each
//! number goes into the group once, whatever its spelling, and the rows
//! left out are counted and named, not rejected. The built binary against
//! an in-process sandbox, as in `cli.rs`.

mod common;

use common::{builder, lox24, path_str, sandbox, tempdir};
use futures_util::TryStreamExt;
use lox24::{GroupId, NewGroup, Phone};
use lox24_sandbox::{Fault, Operation, Sandbox};
use serde_json::{Value, json};

async fn empty_group(sandbox: &Sandbox) -> GroupId {
    let client = sandbox.client().expect("a client");
    let group = client
        .create_group(&NewGroup::new("Customers"))
        .await
        .expect("created");
    group.id
}

/// (number, column a) of each entry the sandbox stored, sorted.
async fn stored(sandbox: &Sandbox, group: GroupId) -> Vec<(String, Option<String>)> {
    let client = sandbox.client().expect("a client");
    let phones: Vec<Phone> = client
        .list_group_phones(&group)
        .await
        .expect("listed")
        .try_collect()
        .await
        .expect("every page");
    let mut stored: Vec<_> = phones.into_iter().map(|p| (p.phone, p.a)).collect();
    stored.sort();
    stored
}

fn row(phone: &str, a: &str) -> (String, Option<String>) {
    (phone.to_owned(), Some(a.to_owned()))
}

/// Every row read is counted once, under one heading.
#[track_caller]
fn adds_up(summary: &Value) {
    let counted: u64 = [
        "created",
        "rejected",
        "unreadable",
        "repeated",
        "not_sent",
        "unknown",
    ]
    .iter()
    .map(|k| {
        summary[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k}: {summary}"))
    })
    .sum();
    assert_eq!(Some(counted), summary["rows"].as_u64(), "{summary}");
}

/// One number in four spellings, another in two, a third in three.
const CONTACTS: &str = "phone,a\n\
    +49 170 1234567,Anna\n\
    0170 1234568,Ben\n\
    +491701234567,Anna 2\n\
    0170 1234567,Anna 3\n\
    +491701234568,Ben 2\n\
    0049 170 1234569,Carl\n\
    +491701234569,Carl 2\n\
    00491701234567,Anna 4\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_number_written_several_ways_goes_into_the_group_once() {
    let sandbox = sandbox().await;
    let dir = tempdir();
    let csv = dir.join("contacts.csv");
    std::fs::write(&csv, CONTACTS).expect("written");

    let group = empty_group(&sandbox).await;
    let group_arg = group.to_string();
    let import = ["phones", "import", "--group", &group_arg, "--country", "DE"];
    let run = lox24(&sandbox, &[&import[..], &[path_str(&csv)]].concat()).await;
    run.exit(0);
    let expected = format!(
        "imported {} into group {group}: 8 rows\n  \
         created      3\n  \
         rejected     0\n  \
         repeated     5 (line 4 repeats line 2, line 5 repeats line 2, line 6 repeats line \
         3, and 2 more)\n  \
         not sent     0\n  \
         unknown      0\n",
        csv.display()
    );
    assert!(run.stdout.starts_with(&expected), "{run:#?}");
    assert!(
        run.stderr.contains(
            "note: 5 rows were not sent: each one's number is that of an earlier row (--json \
             lists the first 100 by line; --keep-repeats sends such rows).\n"
        ),
        "{run:#?}"
    );
    assert_eq!(
        stored(&sandbox, group).await,
        [
            row("+491701234567", "Anna"),
            row("+491701234568", "Ben"),
            row("+491701234569", "Carl"),
        ]
    );
    // Nothing to correct and nothing left: neither file is written.
    assert!(!dir.join("contacts.rejected.csv").exists());
    assert!(!dir.join("contacts.report.json").exists());

    // The same in JSON, into another group.
    let group = empty_group(&sandbox).await;
    let group_arg = group.to_string();
    let import = ["phones", "import", "--group", &group_arg, "--country", "DE"];
    let run = lox24(
        &sandbox,
        &[&import[..], &[path_str(&csv), "--json"]].concat(),
    )
    .await;
    let summary = run.exit(0).json();
    adds_up(&summary);
    assert_eq!(
        [
            &summary["rows"],
            &summary["created"],
            &summary["repeated"],
            &summary["exit_status"]
        ],
        [&json!(8), &json!(3), &json!(5), &json!(0)]
    );
    assert_eq!(
        summary["repeats"],
        json!([
            {"line": 4, "first_line": 2},
            {"line": 5, "first_line": 2},
            {"line": 6, "first_line": 3},
            {"line": 8, "first_line": 7},
            {"line": 9, "first_line": 2},
        ])
    );
    assert_eq!(stored(&sandbox, group).await.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_lists_the_first_hundred_repeats_and_counts_them_all() {
    let sandbox = sandbox().await;
    let group = empty_group(&sandbox).await;
    let dir = tempdir();
    let csv = dir.join("many.csv");
    let mut text = "phone\n+491701234567\n+491701234568\n".to_owned();
    for _ in 0..150 {
        text.push_str("+491701234568\n");
    }
    std::fs::write(&csv, text).expect("written");

    let group_arg = group.to_string();
    let run = lox24(
        &sandbox,
        &[
            "phones",
            "import",
            "--group",
            &group_arg,
            path_str(&csv),
            "--json",
        ],
    )
    .await;
    let summary = run.exit(0).json();
    adds_up(&summary);
    assert_eq!(summary["repeated"], 150);
    let listed = summary["repeats"].as_array().expect("a list");
    assert_eq!(listed.len(), 100);
    assert_eq!(listed[0], json!({"line": 4, "first_line": 3}));
    assert_eq!(listed[99], json!({"line": 103, "first_line": 3}));
    assert_eq!(stored(&sandbox, group).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keep_repeats_sends_every_row() {
    let sandbox = sandbox().await;
    let group = empty_group(&sandbox).await;
    let dir = tempdir();
    let csv = dir.join("contacts.csv");
    std::fs::write(&csv, CONTACTS).expect("written");

    let group_arg = group.to_string();
    let run = lox24(
        &sandbox,
        &[
            "phones",
            "import",
            "--group",
            &group_arg,
            "--country",
            "DE",
            "--keep-repeats",
            path_str(&csv),
        ],
    )
    .await;
    run.exit(0);
    assert!(
        run.stdout.starts_with(&format!(
            "imported {} into group {group}: 8 rows\n  created      8\n  rejected     0\n  \
             not sent     0\n",
            csv.display()
        )),
        "{run:#?}"
    );
    assert!(!run.stderr.contains("not sent:"), "{run:#?}");
    let landed = stored(&sandbox, group).await;
    assert_eq!(landed.len(), 8);
    for (number, times) in [("+491701234567", 4), ("+491701234568", 2)] {
        assert_eq!(
            landed.iter().filter(|(n, _)| n == number).count(),
            times,
            "{number}: {landed:?}"
        );
    }
}

/// A row refused by the client is not sent, so it is no first row: the next
/// row with its number is sent. Only the refused rows are written to the
/// rejected-rows file; importing that file again then adds no number twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rejected_rows_file_holds_the_refused_rows_and_no_repeats() {
    let sandbox = sandbox().await;
    let group = empty_group(&sandbox).await;
    let dir = tempdir();
    let csv = dir.join("contacts.csv");
    let too_long = "x".repeat(1531);
    std::fs::write(
        &csv,
        format!(
            "phone,a\n\
             +491701234567,Anna\n\
             not-a-number,Dora\n\
             +491701234568,{too_long}\n\
             +49 170 1234567,Anna 2\n\
             not-a-number,Dora 2\n\
             +491701234568,Ben\n\
             +491701234568,Ben 2\n"
        ),
    )
    .expect("written");

    let group_arg = group.to_string();
    let run = lox24(
        &sandbox,
        &[
            "phones",
            "import",
            "--group",
            &group_arg,
            path_str(&csv),
            "--json",
        ],
    )
    .await;
    let summary = run.exit(5).json();
    adds_up(&summary);
    assert_eq!(
        [
            &summary["rows"],
            &summary["created"],
            &summary["rejected"],
            &summary["repeated"]
        ],
        [&json!(7), &json!(2), &json!(3), &json!(2)]
    );
    assert_eq!(
        summary["repeats"],
        json!([{"line": 5, "first_line": 2}, {"line": 8, "first_line": 7}])
    );
    let rejected = dir.join("contacts.rejected.csv");
    let not_a_number =
        "\"`phone` is \"\"not-a-number\"\": 'n' is neither a digit nor a separator\"";
    assert_eq!(
        std::fs::read_to_string(&rejected).expect("the rejected rows"),
        format!(
            "line,reason,phone,a\n\
             3,{not_a_number},not-a-number,Dora\n\
             4,`a` has 1531 characters; LOX24 allows at most 1530,+491701234568,{too_long}\n\
             6,{not_a_number},not-a-number,Dora 2\n"
        )
    );
    assert_eq!(
        stored(&sandbox, group).await,
        [row("+491701234567", "Anna"), row("+491701234568", "Ben")]
    );
}

/// Stopped by a 402 after the first batch, then resumed with the same
/// options: the rows handed to the engine are the same both times, and the
/// group ends with each number once. Resuming with the other choice of
/// --keep-repeats is refused before anything is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resumed_import_leaves_out_the_same_repeats_and_adds_no_number_twice() {
    let sandbox = builder()
        .fault(
            Operation::AddPhonesBatch,
            Fault::new().insufficient_funds().from_request(1),
        )
        .start()
        .await
        .expect("the sandbox starts");
    let group = empty_group(&sandbox).await;
    let group_arg = group.to_string();
    let dir = tempdir();
    let csv = dir.join("contacts.csv");
    std::fs::write(&csv, CONTACTS).expect("written");
    let report = dir.join("contacts.report.json");
    let options = [
        "--country",
        "DE",
        "--batch-size",
        "1",
        "--concurrency",
        "1",
        "--json",
    ];

    let first = lox24(
        &sandbox,
        &[
            &["phones", "import", "--group", &group_arg, path_str(&csv)][..],
            &options,
        ]
        .concat(),
    )
    .await;
    let summary = first.exit(5).json();
    adds_up(&summary);
    assert_eq!(summary["created"], 1);
    assert_eq!(summary["stopped"]["status"], 402);
    let saved: Value =
        serde_json::from_slice(&std::fs::read(&report).expect("the report")).expect("JSON");
    assert_eq!(saved["import"], json!({"keep_repeats": false}));
    assert_eq!(
        stored(&sandbox, group).await,
        [row("+491701234567", "Anna")]
    );
    sandbox.clear_faults();

    let resume = [
        "phones",
        "import",
        path_str(&csv),
        "--resume",
        path_str(&report),
    ];
    let other = lox24(
        &sandbox,
        &[&resume[..], &options, &["--keep-repeats"]].concat(),
    )
    .await;
    other.exit(2);
    assert!(
        other.stderr.contains(&format!(
            "{} is the report of an import that left out rows repeating an earlier row's \
             number; resume it without --keep-repeats",
            report.display()
        )),
        "{other:#?}"
    );
    // A report without the options is of an import that sent every row.
    let mut older = saved.clone();
    older.as_object_mut().expect("an object").remove("import");
    let older_path = dir.join("older.report.json");
    std::fs::write(&older_path, older.to_string()).expect("written");
    let run = lox24(
        &sandbox,
        &[
            &[
                "phones",
                "import",
                path_str(&csv),
                "--resume",
                path_str(&older_path),
            ][..],
            &options,
        ]
        .concat(),
    )
    .await;
    assert!(
        run.exit(2).stderr.contains(
            "is the report of an import that sent every row, repeated numbers too \
             (--keep-repeats, or a version of lox24 before that option); resume it with \
             --keep-repeats"
        ),
        "{run:#?}"
    );
    assert_eq!(sandbox.requests(Operation::AddPhonesBatch), 2);

    let resumed = lox24(&sandbox, &[&resume[..], &options].concat()).await;
    let summary = resumed.exit(0).json();
    adds_up(&summary);
    assert_eq!(
        [
            &summary["rows"],
            &summary["created"],
            &summary["repeated"],
            &summary["not_sent"]
        ],
        [&json!(8), &json!(3), &json!(5), &json!(0)]
    );
    assert_eq!(
        stored(&sandbox, group).await,
        [
            row("+491701234567", "Anna"),
            row("+491701234568", "Ben"),
            row("+491701234569", "Carl"),
        ]
    );
    // The first request was created, the second refused; the rest once each.
    assert_eq!(sandbox.requests(Operation::AddPhonesBatch), 2 + 2);
}
