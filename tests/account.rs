//! The account behind the credentials (`GET /me`) over loopback HTTP.

mod common;

use common::{
    answers::{ON_A_LIST, assert_error_statuses, assert_untrusted_answers},
    bodiless, client,
};
use httpmock::MockServer;
use lox24::{Account, GroupId, Iri};
use serde_json::json;

/// An account as LOX24 describes it, with the groups of its example.
fn account() -> serde_json::Value {
    json!({
        "id": 21911, "balance_amount": 12.5, "currency": "EUR",
        "balance_changed_at": 1_764_000_000,
        "services": ["direct", "text2speech", "economy"],
        "groups": {"24512": "/groups/24512", "24513": "/groups/24513", "24519": "/groups/24519"},
        "is_text_deleted": false
    })
}

#[tokio::test]
async fn the_account_is_read_in_json_ld_and_plain_json() {
    let mut jsonld = account();
    jsonld["@context"] = json!("/contexts/Client");
    jsonld["@id"] = json!("/me");
    jsonld["@type"] = json!("Client");
    for answer in [jsonld, account()] {
        let server = MockServer::start_async().await;
        let mock = bodiless(&server, "GET", "/me", "application/ld+json", 200, answer).await;

        let account = client(&server).account().await.unwrap();

        mock.assert_async().await;
        assert_eq!(
            (
                account.id,
                account.balance_amount,
                account.currency.as_deref()
            ),
            (Some(21911), Some(12.5), Some("EUR"))
        );
        assert_eq!(
            (account.balance_changed_at, account.is_text_deleted),
            (Some(1_764_000_000), Some(false))
        );
        assert_eq!(account.services, ["direct", "text2speech", "economy"]);
        let groups: Vec<GroupId> = account
            .groups
            .values()
            .map(|iri| iri.id().unwrap())
            .collect();
        assert_eq!(groups, [24512, 24513, 24519].map(GroupId::new));
        assert_eq!(
            account.groups.get("24513"),
            Some(&Iri::new("/groups/24513"))
        );
        assert!(account.covers(12.5) && !account.covers(12.51));
        assert!(account.may_use("text2speech") && !account.may_use("pro"));
    }
}

#[tokio::test]
async fn an_account_without_a_balance_covers_nothing() {
    let server = MockServer::start_async().await;
    bodiless(&server, "GET", "/me", "application/ld+json", 200, json!({})).await;

    let account: Account = client(&server).account().await.unwrap();

    assert_eq!(account.balance_amount, None);
    assert!(!account.covers(0.0));
    assert!(account.services.is_empty() && account.groups.is_empty());
}

#[tokio::test]
async fn error_statuses_and_untrusted_answers_are_typed() {
    let statuses = [ON_A_LIST.as_slice(), &[(500, "Server")]].concat();
    assert_error_statuses(
        "GET",
        "/me",
        &statuses,
        |c| async move { c.account().await },
    )
    .await;
    assert_untrusted_answers("GET", "/me", 200, |c| async move { c.account().await }).await;
}

/// As the library reads it: every group keyed by its id, so that two groups
/// of one name stay two.
#[tokio::test]
async fn the_sandbox_lists_the_account_groups_by_id() {
    let sandbox = lox24_sandbox::Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let mut created = Vec::new();
    for _ in 0..2 {
        let group = client
            .create_group(&lox24::NewGroup::new("Newsletter"))
            .await;
        created.push(group.unwrap().id);
    }

    let account = client.account().await.unwrap();

    assert_eq!(account.groups.len(), 2);
    for id in &created {
        let iri = &account.groups[&id.to_string()];
        assert_eq!(iri.id::<GroupId>().unwrap(), *id);
    }
}
