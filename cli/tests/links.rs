//! `lox24 links`, the built binary against a sandbox on a manual clock:
//! what is printed, the exit status, and what the sandbox stored (read
//! back with the library).

mod common;

use std::time::Duration;

use common::{Run, START, client, run_utc as run, sandbox_at_start};
use futures_util::TryStreamExt;
use lox24::{
    GroupId, NewGroup,
    links::{ShortLinkCampaign, ShortLinkCampaignCode, ShortLinkCampaignQuery, ShortLinkKind},
};
use lox24_sandbox::{Operation, Sandbox};
use serde_json::{Value, json};

/// The hint under every error about a campaign that is not there.
const LIST_HINT: &str =
    "hint: `lox24 links list` shows the short-link campaigns and their codes.\n";

/// Every campaign the sandbox holds, read with the library.
async fn stored(sandbox: &Sandbox) -> Vec<ShortLinkCampaign> {
    client(sandbox)
        .list_short_link_campaigns(&ShortLinkCampaignQuery::new())
        .await
        .expect("listed")
        .try_collect()
        .await
        .expect("every page")
}

/// The code in the first line of a campaign printed for people
/// (`short-link campaign <code>: <name>`).
fn code_of(run: &Run) -> String {
    let first = run.stdout.lines().next().expect("a first line");
    let rest = first
        .strip_prefix("short-link campaign ")
        .unwrap_or_else(|| panic!("not a campaign: {run:#?}"));
    rest.split_once(": ")
        .expect("a code and a name")
        .0
        .to_owned()
}

async fn new_group(sandbox: &Sandbox, name: &str) -> GroupId {
    client(sandbox)
        .create_group(&NewGroup::new(name))
        .await
        .expect("created")
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn campaigns_are_created_listed_and_shown() {
    let (sandbox, clock) = sandbox_at_start().await;
    let group = new_group(&sandbox, "Customers").await;

    // Shared by default, printed for people with its code.
    let sale = run(
        &sandbox,
        &[
            "links",
            "create",
            "--name",
            "Spring sale",
            "--url",
            "https://shop.example/sale",
        ],
    )
    .await;
    let sale_code = code_of(sale.exit(0));
    assert_eq!(sale_code.len(), 12, "{sale:#?}");
    assert_eq!(
        sale.stdout,
        format!(
            "short-link campaign {sale_code}: Spring sale\n  url          \
             https://shop.example/sale\n  kind         shared (one link for every \
             message)\n  created      2026-06-01 08:00:00 +00:00\n"
        )
    );
    assert_eq!(sale.stderr, "");

    // Per message and tied to a group, as JSON: LOX24's own fields.
    clock.advance(Duration::from_secs(60));
    let group_text = group.to_string();
    let news = run(
        &sandbox,
        &[
            "links",
            "create",
            "--name",
            "Newsletter",
            "--url",
            "https://shop.example/news?from=sms",
            "--kind",
            "per-message",
            "--group",
            &group_text,
            "--json",
        ],
    )
    .await
    .exit(0)
    .json();
    let news_code = news["id"].as_str().expect("a code").to_owned();
    assert_ne!(news_code, sale_code);
    assert_eq!(news["name"], "Newsletter");
    assert_eq!(news["url"], "https://shop.example/news?from=sms");
    assert_eq!(news["type"], 2);
    assert_eq!(news["group_id"], group.get());
    assert_eq!(news["created_at"], START + 60);

    // What the sandbox stored, read with the library.
    let campaigns = stored(&sandbox).await;
    assert_eq!(campaigns.len(), 2);
    assert_eq!(
        campaigns[0].id,
        Some(ShortLinkCampaignCode::new(&sale_code))
    );
    assert_eq!(campaigns[0].kind, Some(ShortLinkKind::Shared));
    assert_eq!(campaigns[0].group_id, None);
    assert_eq!(campaigns[1].kind, Some(ShortLinkKind::PerMessage));
    assert_eq!(campaigns[1].group_id, Some(group));

    let listed = run(&sandbox, &["links", "list"]).await;
    assert_eq!(
        listed.exit(0).stdout,
        format!(
            "CODE          NAME         KIND         GROUP  CREATED                     URL\n\
             {sale_code}  Spring sale  shared              2026-06-01 08:00:00 +00:00  \
             https://shop.example/sale\n\
             {news_code}  Newsletter   per message  {group:<5}  2026-06-01 08:01:00 +00:00  \
             https://shop.example/news?from=sms\n"
        )
    );

    let json = run(&sandbox, &["links", "list", "--json"])
        .await
        .exit(0)
        .json();
    assert_eq!(json["total_items"], 2);
    assert_eq!(json["more"], false);
    let listed = json["campaigns"].as_array().expect("a list");
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["id"], sale_code.as_str());
    assert_eq!(listed[0]["name"], "Spring sale");
    assert_eq!(listed[0]["url"], "https://shop.example/sale");
    assert_eq!(listed[0]["type"], 1);
    assert_eq!(listed[0]["group_id"], Value::Null);
    assert_eq!(listed[0]["created_at"], START);
    assert_eq!(listed[1]["id"], news_code.as_str());
    assert_eq!(listed[1]["type"], 2);
    assert_eq!(listed[1]["group_id"], group.get());
    assert_eq!(listed[1]["created_at"], START + 60);

    // The filters, and the order.
    let codes = async |args: &[&str]| -> Vec<String> {
        let args = [&["links", "list", "--json"][..], args].concat();
        let listed = run(&sandbox, &args).await.exit(0).json();
        listed["campaigns"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|c| c["id"].as_str().expect("a code").to_owned())
            .collect()
    };
    assert_eq!(codes(&["--name", "Spring"]).await, [sale_code.as_str()]);
    assert_eq!(codes(&["--url", "news"]).await, [news_code.as_str()]);
    assert_eq!(
        codes(&["--kind", "per-message"]).await,
        [news_code.as_str()]
    );
    assert_eq!(
        codes(&[
            "--kind",
            "shared",
            "--kind",
            "per-message",
            "--newest-first"
        ])
        .await,
        [news_code.as_str(), sale_code.as_str()]
    );
    assert_eq!(
        codes(&["--since", "2026-06-01T08:00:30Z"]).await,
        [news_code.as_str()]
    );
    assert_eq!(
        codes(&["--until", "2026-06-01T08:00:30Z"]).await,
        [sale_code.as_str()]
    );
    let none = run(&sandbox, &["links", "list", "--name", "Winter"]).await;
    assert_eq!(none.exit(0).stdout, "no short-link campaigns\n");

    // Cut short by --limit, whole with --all.
    let limited = run(&sandbox, &["links", "list", "--limit", "1"]).await;
    assert_eq!(
        limited.exit(0).stdout,
        format!(
            "CODE          NAME         KIND    GROUP  CREATED                     URL\n\
             {sale_code}  Spring sale  shared         2026-06-01 08:00:00 +00:00  \
             https://shop.example/sale\n\
             (1 shown of 2; --limit N or --all for more)\n"
        )
    );
    let all = run(&sandbox, &["links", "list", "--limit", "1", "--all"]).await;
    assert!(
        all.exit(2)
            .stderr
            .contains("'--limit <LIMIT>' cannot be used with '--all'"),
        "{all:#?}"
    );
    let all = run(&sandbox, &["links", "list", "--all", "--json"]).await;
    assert_eq!(
        all.exit(0).json()["campaigns"].as_array().map(Vec::len),
        Some(2)
    );

    // One campaign, for people and as JSON.
    let shown = run(&sandbox, &["links", "show", &news_code]).await;
    assert_eq!(
        shown.exit(0).stdout,
        format!(
            "short-link campaign {news_code}: Newsletter\n  url          \
             https://shop.example/news?from=sms\n  kind         per message (a link of \
             its own for each)\n  group        {group}\n  created      \
             2026-06-01 08:01:00 +00:00\n"
        )
    );
    let shown = run(&sandbox, &["links", "show", &sale_code, "--json"])
        .await
        .exit(0)
        .json();
    assert_eq!(shown["id"], sale_code.as_str());
    assert_eq!(shown["name"], "Spring sale");
    assert_eq!(shown["url"], "https://shop.example/sale");
    assert_eq!(shown["type"], 1);
    assert_eq!(shown["created_at"], START);
    assert_eq!(shown.get("group_id"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_campaign_is_not_found() {
    let (sandbox, _clock) = sandbox_at_start().await;
    let created = run(
        &sandbox,
        &[
            "links",
            "create",
            "--name",
            "Sale",
            "--url",
            "https://shop.example",
            "--json",
        ],
    )
    .await
    .exit(0)
    .json();
    let code = created["id"].as_str().expect("a code").to_owned();

    // Without a terminal to confirm on, deleting needs --yes.
    let refused = run(&sandbox, &["links", "delete", &code]).await;
    assert_eq!(
        refused.exit(2).stderr,
        "error: refusing to delete without confirmation: stdin is not a terminal; pass --yes\n"
    );
    assert_eq!(sandbox.requests(Operation::DeleteShortLinkCampaign), 0);
    assert_eq!(stored(&sandbox).await.len(), 1);

    let deleted = run(&sandbox, &["links", "delete", &code, "--yes"]).await;
    assert_eq!(
        deleted.exit(0).stdout,
        format!("deleted short-link campaign {code}\n")
    );
    assert_eq!(stored(&sandbox).await, []);

    let gone = run(&sandbox, &["links", "show", &code]).await;
    gone.exit(3);
    assert_eq!(gone.stdout, "");
    assert!(
        gone.stderr.starts_with(&format!(
            "error: could not read short-link campaign {code}: not found at LOX24 (HTTP 404"
        )),
        "{gone:#?}"
    );
    assert!(gone.stderr.ends_with(LIST_HINT), "{gone:#?}");

    let gone = run(&sandbox, &["links", "show", &code, "--json"]).await;
    let error = gone.exit(3).json();
    assert_eq!(error["error"]["kind"], "api");
    assert_eq!(error["error"]["exit_status"], 3);
    assert_eq!(error["error"]["status"], 404);
    assert_eq!(
        error["error"]["hint"],
        LIST_HINT.trim_start_matches("hint: ").trim_end()
    );

    let again = run(&sandbox, &["links", "delete", &code, "-y"]).await;
    again.exit(3);
    assert!(
        again.stderr.starts_with(&format!(
            "error: could not delete short-link campaign {code}: not found at LOX24"
        )) && again.stderr.ends_with(LIST_HINT),
        "{again:#?}"
    );
    let clicks = run(&sandbox, &["links", "clicks", &code]).await;
    clicks.exit(3);
    assert!(
        clicks.stderr.starts_with(&format!(
            "error: could not list the clicks of short-link campaign {code}: not found"
        )) && clicks.stderr.ends_with(LIST_HINT),
        "{clicks:#?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_has_no_clicks_to_list() {
    let (sandbox, _clock) = sandbox_at_start().await;
    let created = run(
        &sandbox,
        &[
            "links",
            "create",
            "--name",
            "Sale",
            "--url",
            "https://shop.example",
        ],
    )
    .await;
    let code = code_of(created.exit(0));

    let clicks = run(&sandbox, &["links", "clicks", &code]).await;
    assert_eq!(
        clicks.exit(0).stdout,
        format!("no clicks on the links of short-link campaign {code}\n")
    );
    assert_eq!(clicks.stderr, "");

    let clicks = run(
        &sandbox,
        &[
            "links",
            "clicks",
            &code,
            "--country",
            "de",
            "--since",
            "-7d",
            "--newest-first",
            "--all",
            "--json",
        ],
    )
    .await;
    assert_eq!(
        clicks.exit(0).json(),
        json!({"campaign": code, "total_items": 0, "clicks": [], "more": false})
    );
    assert_eq!(sandbox.handled(Operation::ListShortLinkCampaignRequests), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscription_links_lead_to_a_group() {
    let (sandbox, _clock) = sandbox_at_start().await;
    let group = new_group(&sandbox, "Newsletter").await;
    let group_text = group.to_string();

    let join = run(
        &sandbox,
        &[
            "links",
            "create",
            "--name",
            "Join",
            "--subscribe",
            "--group",
            &group_text,
        ],
    )
    .await;
    let code = code_of(join.exit(0));
    assert_eq!(
        join.stdout,
        format!(
            "short-link campaign {code}: Join\n  url          \
             https://sandbox.invalid/subscribe/{code}\n  kind         shared (one link \
             for every message)\n  group        {group}\n  created      \
             2026-06-01 08:00:00 +00:00\n"
        )
    );
    assert_eq!(sandbox.handled(Operation::SubscribeToShortLinkCampaign), 1);

    let leave = run(
        &sandbox,
        &[
            "links",
            "create",
            "--name",
            "Leave",
            "--unsubscribe",
            "--group",
            &group_text,
            "--json",
        ],
    )
    .await
    .exit(0)
    .json();
    assert_eq!(leave["name"], "Leave");
    assert_eq!(leave["group_id"], group.get());
    assert_eq!(
        sandbox.handled(Operation::UnsubscribeFromShortLinkCampaign),
        1
    );

    // A group LOX24 does not know: its answer, and where groups are listed.
    let unknown = run(
        &sandbox,
        &[
            "links",
            "create",
            "--name",
            "Join",
            "--subscribe",
            "--group",
            "99",
        ],
    )
    .await;
    unknown.exit(3);
    assert!(
        unknown.stderr.starts_with(
            "error: could not create the subscription link: LOX24 refused the request (HTTP 422"
        ),
        "{unknown:#?}"
    );
    assert!(
        unknown.stderr.ends_with(
            "  - group_id: This group does not exist.\nhint: Check --group: `lox24 groups \
             list` shows the groups there are.\n"
        ),
        "{unknown:#?}"
    );

    // The form links need a group, and have no URL or kind of their own.
    for args in [
        &["--subscribe"][..],
        &[
            "--unsubscribe",
            "--url",
            "https://shop.example",
            "--group",
            "1",
        ],
        &["--subscribe", "--kind", "per-message", "--group", "1"],
        &["--subscribe", "--unsubscribe", "--group", "1"],
        &[][..],
    ] {
        let args = [&["links", "create", "--name", "Join"][..], args].concat();
        let refused = run(&sandbox, &args).await;
        assert!(
            refused.exit(2).stderr.starts_with("error: "),
            "{refused:#?}"
        );
    }
    assert_eq!(stored(&sandbox).await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_before_anything_is_sent() {
    let (sandbox, _clock) = sandbox_at_start().await;

    let create = async |name: &str, url: &str| {
        run(&sandbox, &["links", "create", "--name", name, "--url", url]).await
    };
    let blank = create("  ", "https://shop.example").await;
    assert_eq!(
        blank.exit(2).stderr,
        "error: the campaign's name (--name) is only whitespace: give the campaign a name\n"
    );
    assert_eq!(blank.stdout, "");
    let long = create(&"x".repeat(101), "https://shop.example").await;
    assert_eq!(
        long.exit(2).stderr,
        "error: the campaign's name (--name) has 101 characters; LOX24 allows at most 100\n"
    );
    let relative = create("Sale", "shop.example/sale").await;
    assert_eq!(
        relative.exit(2).stderr,
        "error: the URL (--url) is not an absolute URL (relative URL without a base)\n"
    );

    let blank_form = run(
        &sandbox,
        &[
            "links",
            "create",
            "--name",
            "",
            "--subscribe",
            "--group",
            "1",
        ],
    )
    .await;
    assert_eq!(
        blank_form.exit(2).stderr,
        "error: the campaign's name (--name) is required\n"
    );

    // As JSON: the field LOX24 names and the library's reason.
    let ftp = run(
        &sandbox,
        &[
            "links",
            "create",
            "--name",
            "Sale",
            "--url",
            "ftp://shop.example/sale",
            "--json",
        ],
    )
    .await;
    assert_eq!(
        ftp.exit(2).json(),
        json!({"error": {
            "kind": "usage",
            "exit_status": 2,
            "message": "the URL (--url) has the scheme `ftp`; use http or https",
            "violations": [{
                "field": "url",
                "message": "the URL (--url) has the scheme `ftp`; use http or https",
            }],
        }})
    );

    // A malformed code, whatever the command.
    let code = "no/such code";
    for args in [
        &["show", code][..],
        &["delete", code, "--yes"],
        &["clicks", code],
    ] {
        let bad = run(&sandbox, &[&["links"][..], args].concat()).await;
        assert_eq!(
            bad.exit(2).stderr,
            format!(
                "error: the campaign code \"no/such code\" is not in the form LOX24 requires \
                 (the pattern ^[0-9A-Za-z_-]{{1,64}}$)\n{LIST_HINT}"
            ),
            "{args:?}"
        );
    }
    let bad = run(&sandbox, &["links", "show", "a.b", "--json"]).await;
    let error = bad.exit(2).json();
    assert_eq!(error["error"]["violations"][0]["field"], "code");

    // Filters that would match everything, or nothing.
    let blank = run(&sandbox, &["links", "list", "--name", " "]).await;
    assert_eq!(
        blank.exit(2).stderr,
        "error: --name is \" \": an empty filter would match everything; leave it out instead\n"
    );
    let backwards = run(
        &sandbox,
        &[
            "links",
            "list",
            "--since",
            "2026-06-02T00:00:00Z",
            "--until",
            "2026-06-01T00:00:00Z",
        ],
    )
    .await;
    assert!(
        backwards.exit(2).stderr.starts_with(
            "error: the time range (--since/--until) starts (1780358400) after it ends"
        ),
        "{backwards:#?}"
    );

    // Nothing reached the sandbox, and nothing is stored.
    for operation in [
        Operation::CreateShortLinkCampaign,
        Operation::SubscribeToShortLinkCampaign,
        Operation::GetShortLinkCampaign,
        Operation::DeleteShortLinkCampaign,
        Operation::ListShortLinkCampaignRequests,
        Operation::ListShortLinkCampaigns,
    ] {
        assert_eq!(sandbox.requests(operation), 0, "{operation:?}");
    }
    assert_eq!(stored(&sandbox).await, []);
}
