//! The `lox24` command-line tool end to end: the built binary, run as a
//! child process, against a sandbox this test starts in-process
//! (LOX24_BASE_URL and LOX24_TOKEN point the child at it).
//!
//! Every run checks that the API key appears in neither stdout nor stderr.

mod common;

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::Duration,
};

use common::{
    KEY, Run, TOKEN, Tool, builder, closed_port, lox24, lox24_with, path_str, sandbox, tempdir,
    words,
};
use lox24::{Column, GroupId, NewGroup, Phone, PhoneEntry};
use lox24_sandbox::{BulkTiming, Fault, Operation, Sandbox};
use serde_json::Value;

/// A group with entries, made with the library.
async fn group_with(sandbox: &Sandbox, phones: &[&str]) -> GroupId {
    let client = sandbox.client().expect("a client");
    let group = client
        .create_group(&NewGroup::new("Customers").column_name(Column::A, "first_name"))
        .await
        .expect("created");
    let entries: Vec<PhoneEntry> = phones
        .iter()
        .map(|p| PhoneEntry::new(*p).column(Column::A, "Anna"))
        .collect();
    if !entries.is_empty() {
        let added = client.add_phones(&group.id, &entries).await.expect("added");
        assert_eq!(added.created(), phones.len());
    }
    group.id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_are_created_listed_shown_and_deleted() {
    let sandbox = sandbox().await;

    let created = lox24(
        &sandbox,
        &[
            "groups",
            "create",
            "Newsletter",
            "--description",
            "Best clients",
            "--column",
            "a=first_name",
            "--column",
            "colC=city",
            "--json",
        ],
    )
    .await;
    let group = created.exit(0).json();
    assert_eq!(group["id"], 1);
    assert_eq!(group["name"], "Newsletter");
    assert_eq!(group["description"], "Best clients");
    assert_eq!(group["name_a"], "first_name");
    assert_eq!(group["name_c"], "city");

    let shown = lox24(&sandbox, &["groups", "show", "1"]).await;
    assert_eq!(
        shown.exit(0).stdout,
        "group 1: Newsletter\n  description  Best clients\n  entries      0\n  \
         columns      a = first_name, c = city\n"
    );

    lox24(&sandbox, &["groups", "create", "Second"])
        .await
        .exit(0);
    let listed = lox24(&sandbox, &["groups", "list", "--json"])
        .await
        .exit(0)
        .json();
    assert_eq!(listed["total_items"], 2);
    assert_eq!(listed["more"], false);
    let names: Vec<&str> = listed["groups"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|g| g["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(names, ["Newsletter", "Second"]);
    let limited = lox24(&sandbox, &["groups", "list", "--limit", "1"]).await;
    assert_eq!(
        limited.exit(0).stdout,
        "ID  ENTRIES  NAME        DESCRIPTION\n1   0        Newsletter  Best clients\n\
         (1 shown of 2; --limit N or --all for more)\n"
    );

    // Without a terminal to confirm on, deleting needs --yes.
    let refused = lox24(&sandbox, &["groups", "delete", "1"]).await;
    assert!(
        refused.exit(2).stderr.contains("pass --yes"),
        "{refused:#?}"
    );
    assert_eq!(sandbox.requests(Operation::DeleteGroup), 0);
    let deleted = lox24(&sandbox, &["groups", "delete", "1", "--yes", "--json"]).await;
    assert_eq!(
        deleted.exit(0).json(),
        serde_json::json!({"deleted": "group", "id": "1"})
    );

    let gone = lox24(&sandbox, &["groups", "show", "1"]).await;
    gone.exit(3);
    assert!(
        gone.stderr
            .starts_with("error: could not read group 1: not found at LOX24")
    );
    assert!(
        gone.stderr
            .contains("hint: `lox24 groups list` shows the groups")
    );
    assert_eq!(gone.stdout, "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_campaign_is_dry_run_sent_and_waited_for() {
    let sandbox = builder()
        .bulk_timing(BulkTiming {
            queued: Duration::from_millis(200),
            processing: Duration::from_millis(300),
        })
        .price_per_message(0.05)
        .start()
        .await
        .expect("starts");
    let group = group_with(
        &sandbox,
        &["+491701234567", "+491701234568", "+491701234569"],
    )
    .await;
    let group = group.to_string();
    let campaign = [
        "--from",
        "MyShop",
        "--text",
        "Hello [Name colA], our sale starts today!",
        "--to-group",
        &group,
        "--to",
        "0170 7654321",
        "--country",
        "DE",
    ];

    let dry = lox24(
        &sandbox,
        &[&["bulks", "dryrun", "--json"][..], &campaign].concat(),
    )
    .await;
    let dry = dry.exit(0).json();
    assert_eq!(dry["is_dryrun"], true);
    assert_eq!(dry["msg_total_count"], 4);
    assert_eq!(dry["phones"], serde_json::json!(["+491707654321"]));
    assert_eq!(sandbox.handled(Operation::CreateBulk), 0);

    let sent = lox24(
        &sandbox,
        &[&["bulks", "send", "--json"][..], &campaign].concat(),
    )
    .await;
    sent.exit(0);
    assert!(
        sent.stderr.contains("text: 1 SMS part per recipient (43 units of GSM 03.38), before placeholders are replaced"),
        "{sent:#?}"
    );
    let sent = sent.json();
    assert_eq!(sent["status_code"], 0);
    let id = sent["uuid"].as_str().expect("an id").to_owned();

    let done = lox24(
        &sandbox,
        &["bulks", "wait", &id, "--interval", "50ms", "--json"],
    )
    .await;
    let done = done.exit(0).json();
    assert_eq!(done["uuid"], id.as_str());
    assert_eq!(done["status_code"], 10);
    assert_eq!(done["msg_total_count"], 4);
    assert_eq!(done["msg_total_cost"], 0.2);

    let status = lox24(&sandbox, &["bulks", "status", &id]).await;
    let status = status.exit(0).stdout.clone();
    assert!(
        status.starts_with(&format!("campaign {id}: processed (10)\n")),
        "{status}"
    );
    assert!(
        status.contains("  messages     4\n  cost         0.20 EUR\n"),
        "{status}"
    );
    let full = lox24(&sandbox, &["bulks", "status", &id, "--full", "--json"]).await;
    assert_eq!(
        full.exit(0).json()["text"],
        "Hello [Name colA], our sale starts today!"
    );

    // A processed campaign cannot be cancelled: the tool says so, once,
    // with LOX24's reason, exit 3.
    let cancel = lox24(&sandbox, &["bulks", "cancel", &id]).await;
    let request_id = cancel
        .exit(3)
        .stderr
        .split("request id ")
        .nth(1)
        .map(|rest| &rest[..32]);
    assert_eq!(
        cancel.stderr,
        format!(
            "error: could not cancel campaign {id}: LOX24 refused to cancel it (HTTP 422, request \
             id {})\n  \
             - status_code: The campaign has status 10; only new (0) or in-progress (5) campaigns \
             can be cancelled.\n\
             hint: `lox24 bulks status {id}` shows where the campaign stands.\n",
            request_id.expect("a request id")
        )
    );

    // Sending and waiting in one go, the text from a file.
    let dir = tempdir();
    let text_file = dir.join("text.txt");
    std::fs::write(&text_file, "Zoë, we miss you!\n").expect("written");
    let both = lox24(
        &sandbox,
        &[
            "bulks",
            "send",
            "--from",
            "MyShop",
            "--text-file",
            text_file.to_str().expect("a path"),
            "--to",
            "+491701111111",
            "--wait",
            "--interval",
            "50ms",
        ],
    )
    .await;
    both.exit(0);
    assert!(both.stdout.contains(": processed (10)\n"), "{both:#?}");
    assert!(
        both.stdout.contains("  text         Zoë, we miss you!\n"),
        "{both:#?}"
    );
    assert!(both.stderr.contains("Unicode because of 'ë'"), "{both:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn campaigns_are_cancelled_listed_page_by_page_and_waited_for_in_vain() {
    // Nothing moves within the test: every campaign stays new for an hour.
    let sandbox = builder()
        .page_size(2)
        .bulk_timing(BulkTiming {
            queued: Duration::from_secs(3600),
            processing: Duration::from_secs(1),
        })
        .start()
        .await
        .expect("starts");
    let mut ids = Vec::new();
    for i in 0..5 {
        let to = format!("+4917012345{i:02}");
        // The last one differs in sender and text, for the filters below.
        let (from, text) = if i == 4 {
            ("Outlet", "Sale")
        } else {
            ("Shop", "Hi")
        };
        let sent = lox24(
            &sandbox,
            &[
                "bulks", "send", "--from", from, "--text", text, "--to", &to, "--json",
            ],
        )
        .await;
        ids.push(
            sent.exit(0).json()["uuid"]
                .as_str()
                .expect("an id")
                .to_owned(),
        );
    }

    let cancelled = lox24(&sandbox, &["bulks", "cancel", &ids[0], "--json"]).await;
    assert_eq!(cancelled.exit(0).json()["status_code"], 15);

    // Five campaigns over three pages of two.
    let all = lox24(&sandbox, &["bulks", "list", "--all", "--json"])
        .await
        .exit(0)
        .json();
    assert_eq!(all["bulks"].as_array().expect("a list").len(), 5);
    assert_eq!(all["more"], false);
    assert_eq!(sandbox.requests(Operation::ListBulks), 3);
    let some = lox24(&sandbox, &["bulks", "list", "--limit", "3", "--json"])
        .await
        .exit(0)
        .json();
    assert_eq!(some["bulks"].as_array().expect("a list").len(), 3);
    assert_eq!(
        (some["total_items"].clone(), some["more"].clone()),
        (5.into(), true.into())
    );
    let new = lox24(&sandbox, &["bulks", "list", "--status", "new", "--json"])
        .await
        .exit(0)
        .json();
    let listed: Vec<&str> = new["bulks"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|b| b["uuid"].as_str().expect("an id"))
        .collect();
    assert_eq!(listed.len(), 4);
    assert!(!listed.contains(&ids[0].as_str()));
    let found = lox24(
        &sandbox,
        &[
            "bulks", "list", "--text", "Sal", "--sender", "Out", "--json",
        ],
    )
    .await
    .exit(0)
    .json();
    let found: Vec<&str> = found["bulks"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|b| b["uuid"].as_str().expect("an id"))
        .collect();
    assert_eq!(found, [ids[4].as_str()]);
    let human = lox24(&sandbox, &["bulks", "list", "--status", "cancelled"]).await;
    let lines: Vec<&str> = human.exit(0).stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{human:#?}");
    assert!(
        lines[1].starts_with(&format!("{}  cancelled  ", ids[0])),
        "{human:#?}"
    );

    // A campaign that does not finish in time: exit 6, and what to do.
    let waited = lox24(
        &sandbox,
        &[
            "bulks",
            "wait",
            &ids[1],
            "--timeout",
            "300ms",
            "--interval",
            "50ms",
        ],
    )
    .await;
    waited.exit(6);
    assert!(waited.stderr.contains("still new"), "{waited:#?}");
    assert!(
        waited.stderr.contains(&format!(
            "hint: The campaign goes on: `lox24 bulks wait {}`",
            ids[1]
        )),
        "{waited:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn text_check_reports_encoding_parts_and_limits() {
    // No credentials and no server are needed.
    let offline = "http://127.0.0.1:9";
    let gsm = lox24_with(
        offline,
        &[("LOX24_TOKEN", "")],
        &["text", "check", "Save 20 € today", "--json"],
    )
    .await;
    let gsm = gsm.exit(0).json();
    assert_eq!(gsm["ok"], true);
    assert_eq!(
        (
            gsm["alphabet"].clone(),
            gsm["units"].clone(),
            gsm["parts"].clone()
        ),
        ("gsm7".into(), 16.into(), 1.into())
    );
    assert_eq!(gsm["chars"], 15);
    assert_eq!(gsm["non_gsm"], serde_json::json!([]));

    let unicode = lox24_with(
        offline,
        &[],
        &["text", "check", "Hallo [Name colA] – bis bald!"],
    )
    .await;
    assert_eq!(
        unicode.exit(0).stdout,
        "  characters   29 (LOX24 accepts up to 1785)\n\
         \x20 encoding     auto\n\
         \x20 as written   29 units of UCS-2 in 1 SMS part (70 fit in one SMS, 67 per part; at most 670 units)\n\
         \x20 non-GSM      '–' U+2013 ×1 at character 19 (these make the text Unicode)\n\
         \x20 placeholders column a at character 7 (each recipient's message differs; --value a=… counts one)\n\
         ok: LOX24 accepts this text\n"
    );

    let personal = lox24_with(
        offline,
        &[],
        &[
            "text",
            "check",
            "Hi [Name colA]!",
            "--value",
            "a=Zoë",
            "--json",
        ],
    )
    .await;
    let personal = personal.exit(0).json();
    assert_eq!(
        personal["placeholders"],
        serde_json::json!([{"column": "a", "position": 4}])
    );
    assert_eq!(personal["personalized"]["alphabet"], "ucs2");
    assert_eq!(personal["personalized"]["units"], 7);

    // Over LOX24's final limit: the analysis, then exit 2.
    let long = "€".repeat(766);
    let refused = lox24_with(offline, &[], &["text", "check", &long, "--json"]).await;
    let report = refused.exit(2).json();
    assert_eq!(report["ok"], false);
    assert_eq!(report["units"], 1532);
    assert!(
        report["problem"]
            .as_str()
            .expect("a reason")
            .contains("at most 1530")
    );
    assert!(
        refused
            .stderr
            .starts_with("error: LOX24 would refuse this text: `text` needs 1532 units"),
        "{refused:#?}"
    );
    let too_many = lox24_with(offline, &[], &["text", "check", &"a".repeat(1786)]).await;
    assert!(
        too_many
            .exit(2)
            .stdout
            .ends_with("too long: `text` has 1786 characters; LOX24 allows at most 1785\n")
    );

    let dir = tempdir();
    let file = dir.join("sms.txt");
    std::fs::write(&file, "One line\r\n").expect("written");
    let from_file = lox24_with(
        offline,
        &[],
        &[
            "text",
            "check",
            "--file",
            file.to_str().expect("a path"),
            "--json",
        ],
    )
    .await;
    assert_eq!(from_file.exit(0).json()["chars"], 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_failure_has_its_exit_status_and_advice() {
    let sandbox = sandbox().await;

    // 2: usage, found by the parser; with --json also as a JSON document.
    let unknown = lox24(&sandbox, &["groups", "list", "--bogus", "--json"]).await;
    let doc = unknown.exit(2).json();
    assert_eq!(doc["error"]["kind"], "usage");
    assert_eq!(doc["error"]["exit_status"], 2);
    assert!(unknown.stderr.contains("--bogus"));
    lox24(
        &sandbox,
        &["bulks", "send", "--from", "Shop", "--to", "+491701234567"],
    )
    .await
    .exit(2);
    lox24(&sandbox, &["groups", "show", "0"]).await.exit(2);

    // 2: no token, or a malformed one; nothing is sent.
    let missing = lox24_with(
        sandbox.base_url(),
        &[("LOX24_TOKEN", "")],
        &["groups", "list"],
    )
    .await;
    assert_eq!(
        missing.exit(2).stderr,
        "error: no LOX24 token: none was given with --token or LOX24_TOKEN, and profile \
         \"default\" has none stored\n\
         hint: Run `lox24 login` to store the token (`<customer id>:<API key>`, from the API \
         settings of your LOX24 account), or set LOX24_TOKEN to it. To try everything offline \
         first, run `lox24 sandbox` in another terminal and use the address and token it \
         prints.\n"
    );
    let malformed = lox24_with(
        sandbox.base_url(),
        &[("LOX24_TOKEN", "no-colon-here")],
        &["groups", "list"],
    )
    .await;
    assert!(
        malformed
            .exit(2)
            .stderr
            .contains("must be `<customer id>:<API key>`"),
        "{malformed:#?}"
    );
    assert!(!malformed.stderr.contains("no-colon-here"));

    // 2: an input refused before sending, naming the field.
    let bad_sender = lox24(
        &sandbox,
        &[
            "bulks",
            "send",
            "--from",
            "My-Shop!",
            "--text",
            "Hi",
            "--to",
            "+491701234567",
            "--json",
        ],
    )
    .await;
    let doc = bad_sender.exit(2).json();
    let in_words = "--from \"My-Shop!\" is not a sender LOX24 accepts: a sender is up to 11 \
                    letters (A-Z, a-z), digits and spaces, or a phone number of up to 15 digits \
                    with or without a leading +; umlauts and punctuation are not allowed";
    assert_eq!(doc["error"]["message"], in_words);
    assert_eq!(doc["error"]["violations"][0]["field"], "sender_id");
    assert_eq!(bad_sender.stderr, format!("error: {in_words}\n"));
    let national = lox24(
        &sandbox,
        &[
            "bulks",
            "send",
            "--from",
            "Shop",
            "--text",
            "Hi",
            "--to",
            "0170 1234567",
        ],
    )
    .await;
    assert!(
        national.exit(2).stderr.starts_with(
            "error: recipient 1 (--to) is \"0170 1234567\" without a country code (+… or \
                 00…), and its country is not guessed"
        ),
        "{national:#?}"
    );
    assert!(
        national
            .stderr
            .contains("give --country CC to read national numbers"),
        "{national:#?}"
    );
    let over = lox24(
        &sandbox,
        &[
            "bulks",
            "send",
            "--from",
            "Shop",
            "--text",
            &"€".repeat(766),
            "--to",
            "+491701234567",
        ],
    )
    .await;
    assert!(over.exit(2).stderr.contains("at most 1530"), "{over:#?}");
    assert_eq!(sandbox.requests(Operation::CreateBulk), 0);

    // 1: a file that cannot be read.
    let no_file = lox24(
        &sandbox,
        &["text", "check", "--file", "/nonexistent/sms.txt"],
    )
    .await;
    assert!(
        no_file
            .exit(1)
            .stderr
            .starts_with("error: cannot read /nonexistent/sms.txt"),
        "{no_file:#?}"
    );

    // 3: a 404.
    let missing_bulk = lox24(
        &sandbox,
        &[
            "bulks",
            "status",
            "0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11",
            "--json",
        ],
    )
    .await;
    let doc = missing_bulk.exit(3).json();
    assert_eq!(doc["error"]["status"], 404);
    assert_eq!(doc["error"]["request_id"].as_str().map(str::len), Some(32));
    assert_eq!(
        doc["error"]["hint"],
        "`lox24 bulks list` shows the campaigns there are."
    );

    // 3: wrong credentials, then LOX24's block (the fourth within a minute).
    let wrong = [("LOX24_TOKEN", "4242:wrong-key")];
    for _ in 0..3 {
        let denied = lox24_with(sandbox.base_url(), &wrong, &["groups", "list"]).await;
        assert!(
            denied
                .exit(3)
                .stderr
                .contains("hint: Check the token (`lox24 config` shows which one is in effect"),
            "{denied:#?}"
        );
        assert!(!denied.stderr.contains("wrong-key"));
    }
    let blocked = lox24_with(sandbox.base_url(), &wrong, &["groups", "list", "--json"]).await;
    let doc = blocked.exit(3).json();
    assert_eq!(doc["error"]["status"], 429);
    assert_eq!(doc["error"]["retry_after_secs"], 600);
    assert!(
        doc["error"]["hint"]
            .as_str()
            .expect("a hint")
            .starts_with("Wait 10 minutes (until "),
        "{blocked:#?}"
    );
    // Good credentials do not lift the block either.
    lox24(&sandbox, &["groups", "list"]).await.exit(3);

    // 4: nobody listening.
    let closed = closed_port().await;
    let unreachable = lox24_with(&closed, &[], &["groups", "list", "--json"]).await;
    let doc = unreachable.exit(4).json();
    assert_eq!(doc["error"]["kind"], "unreachable");
    // Where the address came from, and the sandbox a new user may have
    // stopped.
    assert_eq!(
        doc["error"]["hint"],
        "Check the network connection and the API address (--base-url, else LOX24_BASE_URL, \
         else the profile's; `lox24 config` shows the one in effect). If it is a `lox24 \
         sandbox`, check that the sandbox still runs. Nothing was sent."
    );

    // A base URL that would send the token in clear: refused, 2.
    let clear = lox24_with("http://api.lox24.eu", &[], &["groups", "list"]).await;
    assert!(
        clear
            .exit(2)
            .stderr
            .contains("plain http is allowed only for loopback hosts"),
        "{clear:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_is_never_printed() {
    let sandbox = sandbox().await;
    // In the help, where clap would show the variable's value.
    let help = lox24(&sandbox, &["--help"]).await;
    assert!(help.exit(0).stdout.contains("LOX24_TOKEN"));
    // Given on the command line, right and wrong, in text and JSON.
    let token_arg = [("LOX24_TOKEN", "")];
    lox24_with(
        sandbox.base_url(),
        &token_arg,
        &["groups", "create", "VIP", "--json", "--token", TOKEN],
    )
    .await
    .exit(0);
    let wrong = format!("4242:x{KEY}");
    let denied = lox24_with(
        sandbox.base_url(),
        &token_arg,
        &["groups", "--token", &wrong, "list", "--json"],
    )
    .await;
    denied.exit(3);
    assert!(!denied.stdout.contains(&wrong) && !denied.stderr.contains(&wrong));
    let malformed = lox24_with(
        sandbox.base_url(),
        &token_arg,
        &["bulks", "list", "--token", KEY],
    )
    .await;
    malformed.exit(2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_command_serves_until_interrupted() {
    let mut child = Tool::new()
        .command(&[], &["sandbox", "--port", "0", "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    // The JSON document comes first, pretty-printed: read up to its end.
    let info = tokio::task::spawn_blocking(move || {
        let mut text = String::new();
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("a line");
            text.push_str(&line);
            if line == "}" {
                break;
            }
        }
        text
    })
    .await
    .expect("joined");
    let info: Value = serde_json::from_str(&info).expect("JSON");
    let base_url = info["base_url"].as_str().expect("a URL").to_owned();
    let token = info["token"].as_str().expect("a token").to_owned();
    assert_eq!(token, lox24_sandbox::DEFAULT_TOKEN);
    assert!(base_url.starts_with("http://127.0.0.1:"));
    assert_eq!(
        info["port"].as_u64().map(|p| p.to_string()),
        base_url.rsplit(':').next().map(str::to_owned)
    );

    let created = lox24_with(
        &base_url,
        &[("LOX24_TOKEN", &token)],
        &["groups", "create", "Offline", "--json"],
    )
    .await;
    assert_eq!(created.exit(0).json()["name"], "Offline");

    let interrupted = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(interrupted.success());
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("joined")
        .expect("waited");
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("sandbox stopped"));
}

/// The entries of a group as the sandbox stored them: number, columns a … c
/// and callback data, in the order they were added.
async fn stored(sandbox: &Sandbox, group: GroupId) -> Vec<[Option<String>; 5]> {
    use futures_util::TryStreamExt;
    let client = sandbox.client().expect("a client");
    let phones: Vec<Phone> = client
        .list_group_phones(&group)
        .await
        .expect("listed")
        .try_collect()
        .await
        .expect("every page");
    phones
        .into_iter()
        .map(|p| [Some(p.phone), p.a, p.b, p.c, p.callback_data])
        .collect()
}

/// `[phone, a, b, c, callback_data]` as `stored` gives them.
fn entry(
    phone: &str,
    a: Option<&str>,
    b: Option<&str>,
    c: Option<&str>,
    data: Option<&str>,
) -> [Option<String>; 5] {
    [Some(phone), a, b, c, data].map(|v| v.map(str::to_owned))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_import_creates_the_good_rows_and_lists_the_bad_ones_by_line() {
    let sandbox = sandbox().await;
    let group = group_with(&sandbox, &[]).await;
    let dir = tempdir();
    let csv = dir.join("contacts.csv");
    let too_long = "x".repeat(1531);
    let mut bytes = format!(
        "phone,first_name,b,callback_data,email\n\
         +491701234567,Anna,Berlin,ref-1,anna@example.com\n\
         ,Ben,,,ben@example.com\n\
         \n\
         +49 170 1234568,Carl,,,\n\
         not-a-number,Dora,,,\n\
         +491701234569,{too_long},,,\n\
         +491701234570,Eve\n"
    )
    .into_bytes();
    bytes.extend_from_slice(b"+491701234571,Ren\xe9,,,\n");
    bytes.extend_from_slice(b"\"+491701234572\",\"Fritz, \"\"the\"\" boss\",,,\n");
    std::fs::write(&csv, bytes).expect("written");

    let group_arg = group.to_string();
    let run = lox24(
        &sandbox,
        &["phones", "import", "--group", &group_arg, path_str(&csv)],
    )
    .await;
    run.exit(5);

    let rejected = dir.join("contacts.rejected.csv");
    let report = dir.join("contacts.report.json");
    assert_eq!(
        std::fs::read_to_string(&rejected).expect("the rejected rows"),
        format!(
            "line,reason,phone,first_name,b,callback_data,email\n\
             3,`phone` is required,,Ben,,,ben@example.com\n\
             6,\"`phone` is \"\"not-a-number\"\": 'n' is neither a digit nor a separator\",not-a-number,Dora,,,\n\
             7,`a` has 1531 characters; LOX24 allows at most 1530,+491701234569,{too_long},,,\n\
             8,the row has 2 fields but the header has 5; check its separators and quotes,+491701234570,Eve\n\
             9,the row is not UTF-8; save the file as UTF-8 (CSV UTF-8 in Excel),+491701234571,Ren\u{fffd},,,\n"
        )
    );
    assert_eq!(
        stored(&sandbox, group).await,
        [
            entry(
                "+491701234567",
                Some("Anna"),
                Some("Berlin"),
                None,
                Some("ref-1")
            ),
            entry("+491701234568", Some("Carl"), None, None, None),
            entry(
                "+491701234572",
                Some("Fritz, \"the\" boss"),
                None,
                None,
                None
            ),
        ]
    );
    assert_eq!(sandbox.requests(Operation::AddPhonesBatch), 1);

    let expected = format!(
        "imported {csv} into group {group}: 8 rows\n  \
         created      3\n  \
         rejected     3 (see {rejected})\n  \
         unreadable   2 (see {rejected})\n  \
         not sent     0\n  \
         unknown      0\n",
        csv = csv.display(),
        rejected = rejected.display(),
    );
    assert!(run.stdout.starts_with(&expected), "{run:#?}");
    assert!(
        run.stdout
            .ends_with(&format!("  report       {}\n", report.display())),
        "{run:#?}"
    );
    assert!(
        run.stderr.starts_with(
            "reading phone ← \"phone\", a ← \"first_name\", b ← \"b\", \
             callback_data ← \"callback_data\"; ignoring \"email\"\n"
        ),
        "{run:#?}"
    );
    assert!(run.stderr.contains("note: 5 rows were refused"), "{run:#?}");

    // Rows were refused, so the report is there: the rejected entries by
    // their index among the rows sent to the engine.
    let report: Value =
        serde_json::from_slice(&std::fs::read(&report).expect("the report")).expect("JSON");
    assert_eq!(
        report["summary"],
        serde_json::json!({"created": 3, "rejected": 3, "not_sent": 0, "unknown": 0})
    );
    let indexes: Vec<u64> = report["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["index"].as_u64().expect("an index"))
        .collect();
    assert_eq!(indexes, [1, 3, 4]);
}

/// The first batch is stored but its answer is lost: by default the import
/// reads the group and finds both rows there (not the older identical
/// entry); with --no-exactly-once they stay unknown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_whose_answer_was_lost_are_settled_by_reading_the_group() {
    // Exactly once at once, exactly once after a wait, and plainly.
    for (exactly_once, wait) in [(true, None), (true, Some("300ms")), (false, None)] {
        let sandbox = sandbox().await;
        // Request 0 of the batch operation: an entry identical to row 1.
        let group = group_with(&sandbox, &["+491709999999"]).await;
        sandbox.set_fault(
            Operation::AddPhonesBatch,
            Fault::new()
                .drop_after_processing(1.0)
                .from_request(1)
                .to_request(2),
        );
        let dir = tempdir();
        let csv = dir.join("lost.csv");
        std::fs::write(
            &csv,
            "phone,first_name
+491709999999,Anna
+491701234567,Ben
             +491701234568,Carl
+491701234569,Dora
",
        )
        .expect("written");
        let group_arg = group.to_string();
        let mut args = vec![
            "phones",
            "import",
            "--group",
            &group_arg,
            path_str(&csv),
            "--batch-size",
            "2",
            "--concurrency",
            "1",
        ];
        if !exactly_once {
            args.push("--no-exactly-once");
        }
        if let Some(wait) = wait {
            args.extend(["--reconcile-after", wait]);
        }
        let started = std::time::Instant::now();
        let run = lox24(&sandbox, &args).await;
        if wait.is_some() {
            // The group is read only after the wait.
            assert!(started.elapsed() >= Duration::from_millis(300), "{run:#?}");
        }
        let held = stored(&sandbox, group).await;
        // Two batches handled, none sent twice.
        assert_eq!(sandbox.handled(Operation::AddPhonesBatch), 3);
        assert_eq!(held.len(), 5, "{held:?}");
        let twins = held
            .iter()
            .filter(|e| e[0].as_deref() == Some("+491709999999"))
            .count();
        assert_eq!(twins, 2);
        if exactly_once {
            run.exit(0);
            assert!(
                run.stdout.contains(
                    "  unknown      0
  reconciled   2 rows settled by reading the group (2 \
                     found there, 0 missing and sent again)
"
                ),
                "{run:#?}"
            );
            assert!(!dir.join("lost.report.json").exists());
        } else {
            run.exit(5);
            assert!(run.stdout.contains("  unknown      2\n"), "{run:#?}");
            assert!(!run.stdout.contains("reconciled"), "{run:#?}");
            assert!(
                run.stderr
                    .contains("note: 2 rows may or may not have been stored"),
                "{run:#?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wait_before_reconciling_is_a_duration_and_needs_exactly_once() {
    let sandbox = sandbox().await;
    let dir = tempdir();
    let csv = dir.join("w.csv");
    std::fs::write(&csv, "phone\n+491701234567\n").expect("written");
    let base = ["phones", "import", "--group", "1", path_str(&csv)];
    let soon = lox24(
        &sandbox,
        &[&base[..], &["--reconcile-after", "soon"]].concat(),
    )
    .await;
    assert!(
        soon.exit(2)
            .stderr
            .contains("\"soon\" is not a duration; write e.g. 500ms, 30s, 5m, 2h, 7d or 1h30m"),
        "{soon:#?}"
    );
    let plain = lox24(
        &sandbox,
        &[
            &base[..],
            &["--reconcile-after", "10s", "--no-exactly-once"],
        ]
        .concat(),
    )
    .await;
    assert!(
        plain.exit(2).stderr.contains("cannot be used with"),
        "{plain:#?}"
    );
    assert_eq!(sandbox.handled(Operation::AddPhonesBatch), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_map_by_option_and_a_country_completes_national_numbers() {
    let sandbox = sandbox().await;
    let group = group_with(&sandbox, &[]).await;
    let group_arg = group.to_string();
    let dir = tempdir();
    let csv = dir.join("kunden.csv");
    std::fs::write(
        &csv,
        "Mobil;Vorname;Stadt;Ref\n\
         0170 1234567;Anna;Köln;r-1\n\
         +43 660 1234567;Ben;Wien;r-2\n\
         0049-170-7654321;Carl;;\n",
    )
    .expect("written");

    let run = lox24(
        &sandbox,
        &[
            "phones",
            "import",
            "--group",
            &group_arg,
            path_str(&csv),
            "--phone-column",
            "mobil",
            "--column",
            "a=Vorname",
            "--column",
            "c=stadt",
            "--callback-column",
            "REF",
            "--country",
            "DE",
            "--json",
        ],
    )
    .await;
    let summary = run.exit(0).json();
    assert_eq!(
        summary,
        serde_json::json!({
            "group": group.to_string().parse::<u64>().expect("a number"),
            "input": path_str(&csv),
            "rows": 3,
            "created": 3,
            "rejected": 0,
            "unreadable": 0,
            "repeated": 0,
            "repeats": [],
            "not_sent": 0,
            "unknown": 0,
            "reconciled": {"settled": 0, "found": 0, "missing": 0, "rounds": 0},
            "rest_unread": false,
            "request_ids": summary["request_ids"].clone(),
            "rejected_file": null,
            "report_file": null,
            "stopped": null,
            "resume": null,
            "exit_status": 0,
        })
    );
    assert_eq!(summary["request_ids"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        stored(&sandbox, group).await,
        [
            entry(
                "+491701234567",
                Some("Anna"),
                None,
                Some("Köln"),
                Some("r-1")
            ),
            entry(
                "+436601234567",
                Some("Ben"),
                None,
                Some("Wien"),
                Some("r-2")
            ),
            entry("+491707654321", Some("Carl"), None, None, None),
        ]
    );
    // Everything was created: neither a report nor a rejected-rows file.
    assert!(!dir.join("kunden.report.json").exists());
    assert!(!dir.join("kunden.rejected.csv").exists());

    // Sent as written, a number LOX24 cannot read is refused by LOX24 and
    // listed with its status.
    let raw = dir.join("raw.csv");
    std::fs::write(&raw, "phone\n+491701111111\n12ab\n").expect("written");
    let rejected = dir.join("refused.csv");
    let run = lox24(
        &sandbox,
        &[
            "phones",
            "import",
            "--group",
            &group_arg,
            path_str(&raw),
            "--pass-through",
            "--rejected",
            path_str(&rejected),
            "--json",
        ],
    )
    .await;
    let summary = run.exit(5).json();
    assert_eq!(
        (summary["created"].clone(), summary["rejected"].clone()),
        (1.into(), 1.into())
    );
    assert_eq!(summary["rejected_file"], path_str(&rejected));
    assert_eq!(
        summary["report_file"],
        path_str(&dir.join("raw.report.json"))
    );
    assert_eq!(
        std::fs::read_to_string(&rejected).expect("written"),
        "line,reason,phone\n3,LOX24 refused it (422): phone: This value is not a valid phone number.,12ab\n"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_stopped_by_a_402_is_resumed_and_every_row_lands_once() {
    use std::io::Write;

    // The first batch is stored, every later one refused with 402.
    let sandbox = builder()
        .fault(
            Operation::AddPhonesBatch,
            Fault::new().insufficient_funds().from_request(1),
        )
        .start()
        .await
        .expect("the sandbox starts");
    let group = group_with(&sandbox, &[]).await;
    let group_arg = group.to_string();
    let dir = tempdir();
    let report = dir.join("piped.report.json");
    let phones: Vec<String> = (1..=10).map(|i| format!("+4917000000{i:02}")).collect();
    let rows: Vec<String> = phones
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{p},P{}\n", i + 1))
        .collect();

    // The rows come through stdin.
    let env = [
        ("LOX24_BASE_URL", sandbox.base_url()),
        ("LOX24_TOKEN", TOKEN),
    ];
    let mut child = Tool::new()
        .command(
            &env,
            &[
                "phones",
                "import",
                "--group",
                &group_arg,
                "-",
                "--batch-size",
                "2",
                "--concurrency",
                "1",
                "--report",
                path_str(&report),
                "--rejected",
                path_str(&dir.join("piped.rejected.csv")),
                "--json",
            ],
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut stdin = child.stdin.take().expect("stdin");
    write!(stdin, "phone,a\n{}", rows.concat()).expect("written");
    drop(stdin);
    let output = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .expect("joined")
        .expect("waited");
    let run = Run {
        status: output.status.code().expect("exited"),
        stdout: String::from_utf8(output.stdout).expect("UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("UTF-8"),
    };
    assert!(!run.stdout.contains(KEY) && !run.stderr.contains(KEY));

    // Two rows were created before the 402: a partial upload.
    let summary = run.exit(5).json();
    assert_eq!(summary["created"], 2);
    assert_eq!(
        (summary["rejected"].clone(), summary["unknown"].clone()),
        (0.into(), 0.into())
    );
    let not_sent = summary["not_sent"].as_u64().expect("a count");
    // How far the input was read before the stop depends on timing; what
    // was read and not created is `NotSent`, and a resume sends the rest.
    assert!(not_sent >= 2, "{run:#?}");
    assert_eq!(summary["rows"].as_u64(), Some(2 + not_sent));
    assert_eq!(summary["stopped"]["by"], "error");
    assert_eq!(summary["stopped"]["status"], 402);
    assert_eq!(summary["report_file"], path_str(&report));
    let resume_hint = format!(
        "run again with the same options and --resume {}",
        report.display()
    );
    assert_eq!(summary["resume"], resume_hint.as_str());
    assert!(
        run.stderr.contains(&format!(
            "hint: Top up the LOX24 account. To send only the rows not sent, {resume_hint}.\n"
        )),
        "{run:#?}"
    );
    assert_eq!(sandbox.requests(Operation::AddPhonesBatch), 2);
    assert_eq!(
        stored(&sandbox, group).await,
        [
            entry(&phones[0], Some("P1"), None, None, None),
            entry(&phones[1], Some("P2"), None, None, None),
        ]
    );
    let saved: Value =
        serde_json::from_slice(&std::fs::read(&report).expect("the report")).expect("JSON");
    assert_eq!(saved["stop"]["status"], 402);

    // The same rows from a file, resumed: exactly the rest goes, in batches
    // of two, and the group holds every row once.
    sandbox.clear_faults();
    let csv = dir.join("contacts.csv");
    std::fs::write(&csv, format!("phone,a\n{}", rows.concat())).expect("written");
    let resumed = lox24(
        &sandbox,
        &[
            "phones",
            "import",
            path_str(&csv),
            "--resume",
            path_str(&report),
            "--batch-size",
            "2",
            "--json",
        ],
    )
    .await;
    let summary = resumed.exit(0).json();
    assert_eq!(
        (
            summary["rows"].clone(),
            summary["created"].clone(),
            summary["not_sent"].clone()
        ),
        (10.into(), 10.into(), 0.into())
    );
    assert_eq!(summary["group"].to_string(), group_arg);
    assert_eq!(sandbox.requests(Operation::AddPhonesBatch), 2 + 4);
    let expected: Vec<_> = phones
        .iter()
        .enumerate()
        .map(|(i, p)| entry(p, Some(&format!("P{}", i + 1)), None, None, None))
        .collect();
    // Batches of the resume go concurrently: compare regardless of order.
    let mut landed = stored(&sandbox, group).await;
    landed.sort();
    assert_eq!(landed, expected);

    // The report now says everything is done: resuming again sends nothing.
    let done: Value =
        serde_json::from_slice(&std::fs::read(&report).expect("the report")).expect("JSON");
    assert_eq!(
        done["summary"],
        serde_json::json!({"created": 10, "rejected": 0, "not_sent": 0, "unknown": 0})
    );
    lox24(
        &sandbox,
        &[
            "phones",
            "import",
            path_str(&csv),
            "--resume",
            path_str(&report),
        ],
    )
    .await
    .exit(0);
    assert_eq!(sandbox.requests(Operation::AddPhonesBatch), 6);
    assert_eq!(stored(&sandbox, group).await.len(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_is_refused_before_sending_when_its_options_or_file_are_wrong() {
    let sandbox = sandbox().await;
    let group = group_with(&sandbox, &[]).await;
    let group_arg = group.to_string();
    let dir = tempdir();
    let csv = dir.join("mobiles.csv");
    std::fs::write(&csv, "mobile,name\n+491701234567,Anna\n").expect("written");
    let csv = path_str(&csv);

    let no_group = lox24(&sandbox, &["phones", "import", csv]).await;
    assert!(no_group.exit(2).stderr.contains("--group"), "{no_group:#?}");
    lox24(
        &sandbox,
        &[
            "phones",
            "import",
            "--group",
            &group_arg,
            csv,
            "--concurrency",
            "0",
        ],
    )
    .await
    .exit(2);
    let no_phone = lox24(
        &sandbox,
        &["phones", "import", "--group", &group_arg, csv, "--json"],
    )
    .await;
    let doc = no_phone.exit(2).json();
    assert!(
        doc["error"]["message"]
            .as_str()
            .expect("a message")
            .contains("Name the column of the numbers with --phone-column NAME"),
        "{no_phone:#?}"
    );
    let no_such_group = lox24(&sandbox, &["phones", "import", "--group", "99", csv]).await;
    assert!(
        no_such_group
            .exit(3)
            .stderr
            .contains("hint: `lox24 groups list` shows the groups there are"),
        "{no_such_group:#?}"
    );
    let missing = lox24(
        &sandbox,
        &[
            "phones",
            "import",
            "--group",
            &group_arg,
            "/nonexistent/x.csv",
        ],
    )
    .await;
    assert!(
        missing
            .exit(1)
            .stderr
            .starts_with("error: cannot read /nonexistent/x.csv"),
        "{missing:#?}"
    );
    let not_a_report = lox24(&sandbox, &["phones", "import", csv, "--resume", csv]).await;
    assert!(
        not_a_report
            .exit(2)
            .stderr
            .contains("is not a report of `lox24 phones import`"),
        "{not_a_report:#?}"
    );
    assert_eq!(sandbox.requests(Operation::AddPhonesBatch), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn since_and_until_count_back_from_now_written_either_way() {
    let sandbox = sandbox().await;
    let sent = lox24(
        &sandbox,
        &[
            "bulks",
            "send",
            "--from",
            "Shop",
            "--text",
            "Hi",
            "--to",
            "+491701234567",
            "--json",
        ],
    )
    .await;
    let id = sent.exit(0).json()["uuid"]
        .as_str()
        .expect("an id")
        .to_owned();
    let listed = |run: &Run| -> Vec<String> {
        run.exit(0).json()["bulks"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|b| b["uuid"].as_str().expect("an id").to_owned())
            .collect()
    };
    // As the README writes it, and with `=`: the campaign of a moment ago.
    for window in [
        &["--since", "-7d"][..],
        &["--since=-7d"],
        &["--since", "-1h30m", "--until", "+1h"],
    ] {
        let run = lox24(
            &sandbox,
            &[&["bulks", "list", "--json"][..], window].concat(),
        )
        .await;
        assert_eq!(listed(&run), vec![id.clone()], "{window:?}: {run:#?}");
    }
    for window in [
        &["--until", "-7d"][..],
        &["--until=-1h"],
        &["--since", "+1h"],
    ] {
        let run = lox24(
            &sandbox,
            &[&["bulks", "list", "--json"][..], window].concat(),
        )
        .await;
        assert_eq!(listed(&run), Vec::<String>::new(), "{window:?}: {run:#?}");
    }

    let bad = lox24(&sandbox, &["bulks", "list", "--since", "-7x"]).await;
    assert!(
        bad.exit(2)
            .stderr
            .contains("\"-7x\" is not a time back from now; write e.g. -7d, -12h or -1h30m"),
        "{bad:#?}"
    );
    let help = lox24(&sandbox, &["bulks", "list", "--help"]).await;
    assert!(
        words(&help.exit(0).stdout).contains("a time back from now such as -7d, -12h or -1h30m"),
        "{help:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_commands_help_lists_only_the_options_that_apply() {
    let offline = "http://127.0.0.1:9";
    let help = |args: &'static [&'static str]| async move {
        let run = lox24_with(offline, &[], args).await;
        run.exit(0);
        run.stdout
    };
    // The long name on each line that lists an option.
    let options = |help: &str| -> Vec<String> {
        help.lines()
            .filter(|line| line.trim_start().starts_with('-'))
            .filter_map(|line| {
                line.split([' ', ','])
                    .find(|w| w.starts_with("--"))
                    .map(str::to_owned)
            })
            .collect()
    };

    // The sandbox and the text check send nothing: no connection options.
    let sandbox = help(&["sandbox", "--help"]).await;
    assert_eq!(
        options(&sandbox),
        [
            "--port",
            "--queued",
            "--processing",
            "--page-size",
            "--price",
            "--balance",
            "--sending",
            "--delivery",
            "--webhook",
            "--auto-reply",
            "--help",
            "--json",
            "--quiet"
        ],
        "{sandbox}"
    );
    let text = help(&["text", "check", "-h"]).await;
    assert_eq!(
        options(&text),
        [
            "--file",
            "--encoding",
            "--value",
            "--help",
            "--json",
            "--quiet"
        ],
        "{text}"
    );

    // Commands that talk to LOX24 have them, under their own heading.
    let list = help(&["groups", "list", "--help"]).await;
    assert_eq!(
        options(&list),
        [
            "--limit",
            "--all",
            "--help",
            "--profile",
            "--token",
            "--base-url",
            "--json",
            "--quiet"
        ],
        "{list}"
    );
    assert!(list.contains("\nConnection:\n"), "{list}");
    assert!(list.contains("\nOutput:\n"), "{list}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_count_from_one_name_one_or_many_and_carry_the_currency() {
    // Positions: the same in text and JSON, from 1.
    let offline = "http://127.0.0.1:9";
    let text = "Hallo [Name colA] – bis bald!";
    let human = lox24_with(offline, &[], &["text", "check", text]).await;
    assert!(
        human
            .exit(0)
            .stdout
            .contains("'–' U+2013 ×1 at character 19 (these make the text Unicode)"),
        "{human:#?}"
    );
    assert!(
        human.stdout.contains("column a at character 7"),
        "{human:#?}"
    );
    let json = lox24_with(offline, &[], &["text", "check", text, "--json"]).await;
    let json = json.exit(0).json();
    assert_eq!(json["non_gsm"][0]["first"], 19);
    assert_eq!(json["placeholders"][0]["position"], 7);
    let transliterated =
        lox24_with(offline, &[], &["text", "check", "Zoë", "--encoding", "gsm"]).await;
    assert!(
        transliterated
            .exit(0)
            .stdout
            .contains("1 character will be replaced by GSM look-alikes"),
        "{transliterated:#?}"
    );

    // Costs carry the currency; one message is one.
    let sandbox = builder()
        .price_per_message(0.075)
        .start()
        .await
        .expect("starts");
    let one = ["--from", "Shop", "--text", "Hi", "--to", "+491701234567"];
    let dry = lox24(&sandbox, &[&["bulks", "dryrun"][..], &one].concat()).await;
    assert!(
        dry.exit(0)
            .stdout
            .starts_with("dry run: 1 message for 0.075 EUR; nothing was sent or charged\n"),
        "{dry:#?}"
    );
    assert!(
        dry.stdout.contains("\n  cost         0.075 EUR\n"),
        "{dry:#?}"
    );
    // The balance beside it, and what is missing when it does not cover it.
    assert!(
        dry.stdout
            .ends_with("\n  balance      100.00 EUR (covers it)\n"),
        "{dry:#?}"
    );
    let poor = builder()
        .price_per_message(0.075)
        .balance(0.1)
        .start()
        .await
        .expect("starts");
    let many = [
        "--from",
        "Shop",
        "--text",
        "Hi",
        "--to",
        "+491701234567",
        "--to",
        "+491701234568",
    ];
    let short = lox24(&poor, &[&["bulks", "dryrun"][..], &many].concat()).await;
    assert!(
        short
            .exit(0)
            .stdout
            .starts_with("dry run: 2 messages for 0.15 EUR; nothing was sent or charged\n"),
        "{short:#?}"
    );
    assert!(
        short
            .stdout
            .ends_with("\n  balance      0.10 EUR (does not cover it: 0.05 EUR more is needed)\n"),
        "{short:#?}"
    );
    lox24(&sandbox, &[&["bulks", "send"][..], &one].concat())
        .await
        .exit(0);
    let listed = lox24(&sandbox, &["bulks", "list"]).await;
    let lines: Vec<&str> = listed.exit(0).stdout.lines().collect();
    // Still new: nothing counted or charged yet, and said so with the currency.
    assert!(
        lines[0].ends_with("  MESSAGES  COST      TEXT"),
        "{listed:#?}"
    );
    assert!(lines[1].ends_with("  0         0.00 EUR"), "{listed:#?}");

    // One row is a row, and counts are plain digits.
    let group = group_with(&sandbox, &[]).await.to_string();
    let dir = tempdir();
    let csv = dir.join("one.csv");
    std::fs::write(&csv, "phone\nnot-a-number\n").expect("written");
    let import = lox24(
        &sandbox,
        &["phones", "import", "--group", &group, path_str(&csv)],
    )
    .await;
    assert!(
        import.exit(5).stdout.starts_with(&format!(
            "imported {} into group {group}: 1 row\n",
            csv.display()
        )),
        "{import:#?}"
    );
    assert!(
        import.stderr.contains(&format!(
            "note: 1 row was refused; {} lists it with its line and reason. Correct it there \
             and import that file.\n",
            dir.join("one.rejected.csv").display()
        )),
        "{import:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn campaign_and_message_ids_are_read_as_copied_and_refused_with_advice() {
    let sandbox = sandbox().await;
    let sent = lox24(
        &sandbox,
        &[
            "bulks",
            "send",
            "--from",
            "MyShop",
            "--text",
            "Hi",
            "--to",
            "+491701234567",
            "--json",
        ],
    )
    .await;
    let id = sent.exit(0).json()["uuid"]
        .as_str()
        .expect("an id")
        .to_owned();

    // Copied in capitals, or with a space: LOX24 wants it lowercase.
    let upper = format!(" {} ", id.to_uppercase());
    let status = lox24(&sandbox, &["bulks", "status", &upper, "--json"]).await;
    assert_eq!(status.exit(0).json()["uuid"], id.as_str());
    let messages = lox24(&sandbox, &["sms", "list", "--bulk", &upper, "--json"]).await;
    assert!(
        messages.exit(0).json()["messages"].is_array(),
        "{messages:#?}"
    );

    // A shortened id is refused before anything is sent, with where to
    // find the whole one rather than LOX24's pattern.
    let short = lox24(&sandbox, &["bulks", "cancel", &id[..8]]).await;
    assert_eq!(
        short.exit(2).stderr,
        format!(
            "error: invalid value '{short}' for '<ID>': \"{short}\" is not a campaign id (a UUID \
             such as 0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11; `lox24 bulks list` shows them)\n\n\
             For more information, try '--help'.\n",
            short = &id[..8]
        )
    );
    let message = lox24(&sandbox, &["sms", "status", "xyz"]).await;
    assert_eq!(
        message.exit(2).stderr,
        "error: invalid value 'xyz' for '<ID>': \"xyz\" is not a message id (a UUID such as \
         0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11; `lox24 sms list` shows them)\n\n\
         For more information, try '--help'.\n"
    );
    assert_eq!(sandbox.requests(Operation::CancelBulk), 0);
}

/// The rejected-rows file, imported again as the note says, refuses what is
/// still wrong into a file of the same shape: one `line` and `reason`,
/// the new ones, before the input's own columns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_rows_file_imported_again_lists_its_own_lines_and_reasons() {
    let sandbox = sandbox().await;
    let group = group_with(&sandbox, &[]).await.to_string();
    let dir = tempdir();
    let csv = dir.join("contacts.csv");
    std::fs::write(
        &csv,
        "phone,first_name\n+491701234567,Anna\nnot-a-number,Dora\n0170 1234569,Eve\n",
    )
    .expect("written");
    lox24(
        &sandbox,
        &["phones", "import", "--group", &group, path_str(&csv)],
    )
    .await
    .exit(5);
    let first = dir.join("contacts.rejected.csv");
    let invalid = "\"`phone` is \"\"not-a-number\"\": 'n' is neither a digit nor a separator\"";
    let first_text = std::fs::read_to_string(&first).expect("the rejected rows");
    assert!(
        first_text.starts_with(&format!(
            "line,reason,phone,first_name\n3,{invalid},not-a-number,Dora\n4,"
        )),
        "{first_text}"
    );

    let again = lox24(
        &sandbox,
        &[
            "phones",
            "import",
            "--group",
            &group,
            "--country",
            "DE",
            path_str(&first),
        ],
    )
    .await;
    again.exit(5);
    assert!(
        again.stdout.contains("  created      1\n  rejected     1"),
        "{again:#?}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("contacts.rejected.rejected.csv"))
            .expect("the rows still refused"),
        format!("line,reason,phone,first_name\n2,{invalid},not-a-number,Dora\n")
    );
}

#[tokio::test]
async fn an_import_of_a_header_alone_says_that_nothing_was_sent() {
    let sandbox = sandbox().await;
    let group = group_with(&sandbox, &[]).await.to_string();
    let dir = tempdir();
    let csv = dir.join("contacts.csv");
    std::fs::write(&csv, "phone,first_name\n\n").expect("written");
    let run = lox24(
        &sandbox,
        &["phones", "import", "--group", &group, path_str(&csv)],
    )
    .await;
    run.exit(0);
    assert_eq!(
        run.stderr,
        format!(
            "reading phone ← \"phone\", a ← \"first_name\"\n\
             note: {} has no data rows (blank lines and the header are not rows): nothing was \
             sent.\n",
            path_str(&csv)
        ),
        "{run:#?}"
    );
    assert!(
        run.stdout.starts_with(&format!(
            "imported {} into group {group}: 0 rows\n",
            path_str(&csv)
        )),
        "{run:#?}"
    );
}
