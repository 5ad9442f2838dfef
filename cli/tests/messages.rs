//! `lox24 sms`, `account`, `replies` and `blocked`, the built binary against
//! a sandbox on a manual clock: what is printed, the exit status, and what
//! the sandbox stored (read back with the library).

mod common;

use std::time::Duration;

use common::{client, run_utc as run, sandbox_at_start};
use lox24::{DlrCode, SmsId, SmsStatus};
use lox24_sandbox::Operation;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_sms_is_dry_run_sent_and_followed_to_its_delivery_report() {
    let (sandbox, clock) = sandbox_at_start().await;

    let dry = run(
        &sandbox,
        &[
            "sms",
            "dryrun",
            "--from",
            "MyShop",
            "--to",
            "+491701234567",
            "--text",
            "Hi there",
        ],
    )
    .await;
    assert_eq!(
        dry.exit(0).stdout,
        "dry run: 1 part for 0.07 EUR; nothing was sent or charged\n  characters   8\n  \
         encoding     GSM 03.38\n  to           +491701234567\n  \
         balance      100.00 EUR (covers it)\n"
    );
    assert_eq!(sandbox.handled(Operation::DryRunSms), 1);
    assert_eq!(sandbox.handled(Operation::GetAccount), 1);
    assert_eq!(sandbox.handled(Operation::SendSms), 0);

    // A national number, read in the country given; the callback data goes along.
    let sent = run(
        &sandbox,
        &[
            "sms",
            "send",
            "--from",
            "MyShop",
            "--to",
            "0170 1234568",
            "--country",
            "DE",
            "--text",
            "Your order ships today",
            "--callback-data",
            "order-17",
            "--json",
        ],
    )
    .await;
    let json = sent.exit(0).json();
    assert_eq!(json["phone"], "+491701234568");
    assert_eq!(json["callback_data"], "order-17");
    assert_eq!(json["status_code"], 0);
    let id = SmsId::new(json["uuid"].as_str().expect("an id"));
    let stored = client(&sandbox).get_sms(&id).await.expect("stored");
    assert_eq!(stored.text.as_deref(), Some("Your order ships today"));
    assert_eq!(stored.sender_id.as_deref(), Some("MyShop"));

    // The clock has not moved: waiting gives up, and says the message goes on.
    let waited = run(
        &sandbox,
        &[
            "sms",
            "status",
            id.as_str(),
            "--wait",
            "--timeout",
            "1s",
            "--interval",
            "200ms",
        ],
    )
    .await;
    waited.exit(6);
    assert!(
        waited
            .stdout
            .starts_with(&format!("message {id}: new (0)\n")),
        "{waited:#?}"
    );
    assert!(
        waited.stderr.contains(&format!(
            "message {id} has no final delivery report after 1s; it goes on"
        )),
        "{waited:#?}"
    );

    // Once the network has answered (a number ending in 8 expires).
    clock.advance(Duration::from_secs(10));
    let settled = run(&sandbox, &["sms", "status", id.as_str(), "--wait"]).await;
    let text = &settled.exit(0).stdout;
    assert!(
        text.starts_with(&format!("message {id}: expired (8)\n")),
        "{text}"
    );
    assert!(text.contains("\n  callback     order-17\n"), "{text}");
    assert!(
        text.contains("\n  sent         2026-06-01 08:00:01 +00:00\n"),
        "{text}"
    );

    let expired = run(&sandbox, &["sms", "list", "--report", "expired", "--json"]).await;
    let listed = expired.exit(0).json();
    let listed = listed["messages"].as_array().expect("a list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["uuid"], id.as_str());
    assert_eq!(listed[0]["dlr_code"], 8);
    let delivered = run(
        &sandbox,
        &["sms", "list", "--report", "delivered", "--json"],
    )
    .await;
    assert_eq!(delivered.exit(0).json()["messages"], serde_json::json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sms_refused_before_sending_sends_nothing() {
    let (sandbox, _clock) = sandbox_at_start().await;

    let long_sender = run(
        &sandbox,
        &[
            "sms",
            "send",
            "--from",
            "MyShopOnline",
            "--to",
            "+491701234567",
            "--text",
            "Hi",
        ],
    )
    .await;
    long_sender.exit(2);
    assert!(
        long_sender
            .stderr
            .starts_with("error: --from \"MyShopOnline\" is not a sender LOX24 accepts"),
        "{long_sender:#?}"
    );

    let no_country = run(
        &sandbox,
        &[
            "sms",
            "send",
            "--from",
            "MyShop",
            "--to",
            "0170 1234567",
            "--text",
            "Hi",
        ],
    )
    .await;
    // Named by its option, with the options that read such a number, as
    // `bulks send` says it.
    assert_eq!(
        no_country.exit(2).stderr,
        "error: the recipient (--to) is \"0170 1234567\" without a country code (+… or 00…), \
         and its country is not guessed: write it with its country code, or set the default \
         country it belongs to; it would be valid with AT (+431701234567), BD \
         (+8801701234567), BR (+551701234567), DE (+491701234567) and 12 more\n\
         hint: Numbers go to LOX24 in E.164 (+491701234567): write them so, give --country CC \
         to read national numbers as that country's, or --as-written to leave them to LOX24.\n"
    );
    assert_eq!(sandbox.requests(Operation::SendSms), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_shows_what_sending_cost() {
    let (sandbox, _clock) = sandbox_at_start().await;
    let before = run(&sandbox, &["account", "--json"]).await.exit(0).json();
    assert_eq!(before["balance_amount"], 100.0);
    assert_eq!(before["currency"], "EUR");

    run(
        &sandbox,
        &[
            "sms",
            "send",
            "--from",
            "MyShop",
            "--to",
            "+491701234567",
            "--text",
            "Hi",
        ],
    )
    .await
    .exit(0);
    let after = run(&sandbox, &["account"]).await;
    assert!(
        after.exit(0).stdout.starts_with("balance: 99.93 EUR\n"),
        "{after:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_are_listed_with_the_message_they_answer() {
    let (sandbox, _clock) = sandbox_at_start().await;
    let client = client(&sandbox);
    let first = client
        .send_sms(&lox24::NewSms::new(
            "MyShop",
            "Still interested?",
            "+491701234567",
        ))
        .await
        .expect("sent");
    let second = client
        .send_sms(&lox24::NewSms::new("MyShop", "Sale!", "+491701234569"))
        .await
        .expect("sent");
    let stop = sandbox
        .simulate_reply(&first.uuid, "STOP")
        .expect("a reply");
    sandbox
        .simulate_reply(&second.uuid, "Yes please")
        .expect("a reply");

    let all = run(&sandbox, &["replies", "list", "--json"])
        .await
        .exit(0)
        .json();
    assert_eq!(all["replies"].as_array().expect("a list").len(), 2);

    let answering = run(
        &sandbox,
        &[
            "replies",
            "list",
            "--replying-to",
            first.uuid.as_str(),
            "--json",
        ],
    )
    .await
    .exit(0)
    .json();
    let answering = answering["replies"].as_array().expect("a list");
    assert_eq!(answering.len(), 1);
    assert_eq!(answering[0]["uuid"], stop.as_str());
    assert_eq!(answering[0]["from"], "+491701234567");
    assert_eq!(answering[0]["to"], "MyShop");
    assert_eq!(answering[0]["text"], "STOP");
    assert_eq!(answering[0]["msg_uuid"], first.uuid.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_number_gets_nothing_until_it_is_removed() {
    let (sandbox, _clock) = sandbox_at_start().await;

    let added = run(&sandbox, &["blocked", "add", "0049 170 1234599"]).await;
    assert_eq!(
        added.exit(0).stdout,
        "blocked +491701234599 (blocked by you)\n  id           1\n  since        \
         2026-06-01 08:00:00 +00:00\n"
    );
    let listed = run(&sandbox, &["blocked", "list"]).await;
    assert_eq!(
        listed.exit(0).stdout,
        "ID  NUMBER         WHY             SINCE\n\
         1   +491701234599  blocked by you  2026-06-01 08:00:00 +00:00\n"
    );

    // A message to it is stored as blocked and costs nothing.
    let sent = run(
        &sandbox,
        &[
            "sms",
            "send",
            "--from",
            "MyShop",
            "--to",
            "+491701234599",
            "--text",
            "Hi",
            "--json",
        ],
    )
    .await
    .exit(0)
    .json();
    assert_eq!(sent["status_code"], SmsStatus::Blocked.code());
    assert_eq!(sent["price"], 0.0);

    let removed = run(&sandbox, &["blocked", "remove", "+491701234599"]).await;
    assert_eq!(removed.exit(0).stdout, "deleted blocked number 1\n");
    assert_eq!(
        run(&sandbox, &["blocked", "list", "--json"])
            .await
            .exit(0)
            .json()["numbers"],
        serde_json::json!([])
    );

    // Removing it again: LOX24 has nothing under that number.
    let again = run(&sandbox, &["blocked", "remove", "+491701234599"]).await;
    again.exit(3);
    assert_eq!(
        again.stderr,
        "error: +491701234599 is not blocked\nhint: `lox24 blocked list` shows the blocked numbers.\n"
    );

    // Delivered again once unblocked.
    let sent = client(&sandbox)
        .send_sms(&lox24::NewSms::new("MyShop", "Hi", "+491701234599"))
        .await
        .expect("sent");
    assert_eq!(sent.status_code, Some(SmsStatus::New));
    assert_ne!(sent.dlr_code, Some(DlrCode::Rejected));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_national_number_is_blocked_and_removed_with_its_country() {
    let (sandbox, _clock) = sandbox_at_start().await;

    // Without a country, a national number is refused before anything is sent.
    let refused = run(&sandbox, &["blocked", "add", "0170 1234599"]).await;
    refused.exit(2);
    assert!(
        refused.stderr.ends_with(
            "\nhint: Write the number in E.164 (+491701234567), or give --country CC to read a \
             national number as that country's.\n"
        ),
        "{refused:#?}"
    );
    assert_eq!(
        run(&sandbox, &["blocked", "list", "--json"])
            .await
            .exit(0)
            .json()["numbers"],
        serde_json::json!([])
    );

    let added = run(
        &sandbox,
        &["blocked", "add", "0170 1234599", "--country", "DE"],
    )
    .await;
    assert!(
        added
            .exit(0)
            .stdout
            .starts_with("blocked +491701234599 (blocked by you)\n"),
        "{added:#?}"
    );

    // A number the country does not have is named as the number.
    let wrong = run(&sandbox, &["blocked", "add", "12", "--country", "DE"]).await;
    wrong.exit(2);
    assert_eq!(
        wrong.stderr,
        "error: the number is \"12\", neither a national number of DE (they start with 0) nor \
         one with its country code 49: write it with `+` or 00 and its country code\n"
    );

    let removed = run(
        &sandbox,
        &["blocked", "remove", "0170 1234599", "--country", "DE"],
    )
    .await;
    assert_eq!(removed.exit(0).stdout, "deleted blocked number 1\n");
    assert_eq!(
        run(&sandbox, &["blocked", "list", "--json"])
            .await
            .exit(0)
            .json()["numbers"],
        serde_json::json!([])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_are_listed_by_text_sender_and_country() {
    let (sandbox, _clock) = sandbox_at_start().await;
    let client = client(&sandbox);
    for (sender, text, phone) in [
        ("Shop", "Spring sale today", "+491701111111"),
        ("MyShop", "Hello", "+491702222222"),
        ("Shop", "Spring sale", "+431703333333"),
    ] {
        client
            .send_sms(&lox24::NewSms::new(sender, text, phone))
            .await
            .expect("sent");
    }
    let phones = async |args: &[&str]| -> Vec<String> {
        let args = [&["sms", "list", "--oldest-first", "--json"][..], args].concat();
        let listed = run(&sandbox, &args).await.exit(0).json();
        listed["messages"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|m| m["phone"].as_str().expect("a phone").to_owned())
            .collect()
    };
    assert_eq!(
        phones(&["--text", "sale"]).await,
        ["+491701111111", "+431703333333"]
    );
    assert_eq!(phones(&["--sender", "My"]).await, ["+491702222222"]);
    assert_eq!(
        phones(&["--country", "de", "--text", "Spring"]).await,
        ["+491701111111"]
    );

    let unknown = run(&sandbox, &["sms", "list", "--country", "XX"]).await;
    unknown.exit(2);
    assert!(
        unknown
            .stderr
            .starts_with("error: --country \"XX\" is not a country this tool knows"),
        "{unknown:#?}"
    );
    let blank = run(&sandbox, &["sms", "list", "--text", " "]).await;
    blank.exit(2);
    assert!(
        blank
            .stderr
            .contains("an empty filter would match everything"),
        "{blank:#?}"
    );
    assert_eq!(sandbox.requests(Operation::ListSms), 3);
}
