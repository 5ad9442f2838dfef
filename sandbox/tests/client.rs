//! `lox24::Client` against the sandbox: the three operations the client
//! wraps, and their errors, end to end over loopback HTTP.

mod common;

use std::time::Duration;

use lox24::{
    BulkId, BulkStatus, Column, Error, GroupId, NewBulk, NewGroup, PhoneEntry, PhoneId,
    TransportErrorKind,
};
use lox24_sandbox::{DEFAULT_TOKEN, Fault, ManualClock, Operation, Sandbox};
use serde_json::{Value, json};

async fn sandbox() -> Sandbox {
    Sandbox::start().await.expect("the sandbox starts")
}

/// Reads a resource with a plain HTTP client, to see the sandbox's state.
async fn read(sandbox: &Sandbox, path: &str) -> Value {
    reqwest::Client::new()
        .get(format!("{}{path}", sandbox.base_url()))
        .header("x-lox24-auth-token", DEFAULT_TOKEN)
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON")
}

fn request_id_of(err: &Error) -> &str {
    let id = err.request_id().expect("a request id");
    assert!(
        id.len() == 32 && id.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{id}"
    );
    id
}

#[tokio::test]
async fn creates_a_group_and_reads_the_json_ld_answer() {
    let sandbox = sandbox().await;
    let client = common::client_at(sandbox.base_url());
    assert!(
        client.create_group(&NewGroup::new("x")).await.is_err(),
        "the test token is not the sandbox's"
    );

    let client = sandbox.client().unwrap();
    let group = client
        .create_group(
            &NewGroup::new("My Clients")
                .description("Best clients")
                .column_name(Column::A, "prefix")
                .column_name(Column::E, "something_else")
                .phones([PhoneEntry::new("+491701234567").column(Column::A, "Mr.")]),
        )
        .await
        .expect("created");
    assert_eq!(group.id, GroupId::new(1));
    assert_eq!(group.iri().as_str(), "/groups/1");
    assert_eq!(group.jsonld.kind.as_deref(), Some("Group"));
    assert_eq!(group.jsonld.context, Some(json!("/contexts/Group")));
    assert_eq!(group.name, "My Clients");
    assert_eq!(group.description.as_deref(), Some("Best clients"));
    assert_eq!(group.column_name(Column::A), Some("prefix"));
    assert_eq!(group.column_name(Column::B), None);
    assert_eq!(group.column_name(Column::E), Some("something_else"));
    assert_eq!((group.count_items, group.deleted_at), (1, None));
    assert_eq!(sandbox.handled(Operation::CreateGroup), 1);
}

#[tokio::test]
async fn adds_a_batch_and_reports_each_entry_in_order() {
    let sandbox = sandbox().await;
    let client = sandbox.client().unwrap();
    let group = client.create_group(&NewGroup::new("Team")).await.unwrap();
    let entries = [
        PhoneEntry::new("+491701234567")
            .column(Column::A, "Anna")
            .callback_data("crm-1"),
        // Within the client's limits, but no phone number: refused by the server alone.
        PhoneEntry::new("+49 not a number"),
        PhoneEntry::new("0170 1234568"),
    ];
    let result = client
        .add_phones(&group.id, &entries)
        .await
        .expect("answered");

    assert_eq!((result.created(), result.failed()), (2, 1));
    let statuses: Vec<u16> = result.items.iter().map(|i| i.status).collect();
    assert_eq!(statuses, [201, 422, 201]);
    let anna = result.items[0].result.as_ref().unwrap();
    assert_eq!(anna.id, Some(PhoneId::new("1")));
    assert_eq!(anna.phone, "+491701234567");
    assert_eq!(
        (anna.a.as_deref(), anna.callback_data.as_deref()),
        (Some("Anna"), Some("crm-1"))
    );
    let problem = result.items[1].result.as_ref().unwrap_err();
    assert_eq!(problem.title.as_deref(), Some("An error occurred"));
    assert_eq!(
        problem.message(),
        "phone: This value is not a valid phone number."
    );
    // National numbers are stored in E.164 form.
    let ben = result.items[2].result.as_ref().unwrap();
    assert_eq!(
        (ben.id.as_ref().map(PhoneId::as_str), ben.phone.as_str()),
        (Some("2"), "+491701234568")
    );

    assert_eq!(read(&sandbox, "/groups/1").await["count_items"], 2);
}

#[tokio::test]
async fn creates_a_campaign_that_runs_on_the_sandbox_clock() {
    let clock = ManualClock::at_unix(1_900_000_000);
    let sandbox = Sandbox::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let client = sandbox.client().unwrap();
    let group = client.create_group(&NewGroup::new("VIP")).await.unwrap();
    let entries = [
        PhoneEntry::new("+491701234567"),
        PhoneEntry::new("+491701234568"),
    ];
    client.add_phones(&group.id, &entries).await.unwrap();

    let bulk = client
        .create_bulk(
            &NewBulk::new("MyShop", "Our sale starts today!")
                .to_group(group.id)
                .to_phone("+491709999999"),
        )
        .await
        .expect("created")
        .last_known()
        .expect("the created campaign");
    assert_eq!(bulk.status_code, BulkStatus::New);
    assert_eq!(bulk.iri(), lox24::Iri::of(&bulk.uuid));
    assert_eq!(bulk.iri().id::<BulkId>(), Ok(bulk.uuid.clone()));
    assert_eq!(bulk.msg_groups, Some(vec![group.id]));
    assert_eq!(bulk.phones, Some(vec!["+491709999999".to_owned()]));
    assert_eq!(
        (bulk.created_at, bulk.delivery_at),
        (Some(1_900_000_000), Some(0))
    );
    assert_eq!(
        (bulk.msg_total_count, bulk.is_dryrun),
        (Some(0), Some(false))
    );
    assert_eq!(bulk.sender_id.as_deref(), Some("MyShop"));

    clock.advance(Duration::from_secs(3));
    let status = read(&sandbox, &format!("/bulks/{}/status", bulk.uuid)).await;
    assert_eq!(
        (&status["status_code"], &status["msg_total_count"]),
        (&json!(10), &json!(3))
    );
}

#[tokio::test]
async fn refusals_by_the_server_map_to_their_error_variants() {
    let sandbox = sandbox().await;
    let client = sandbox.client().unwrap();

    let err = client
        .add_phones(&GroupId::new(42), &[PhoneEntry::new("+491701234567")])
        .await
        .expect_err("no such group");
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    request_id_of(&err);

    let group = client.create_group(&NewGroup::new("g")).await.unwrap();
    let err = client
        .create_bulk(&NewBulk::new("Shop", "Hi").to_groups([group.id, GroupId::new(999)]))
        .await
        .expect_err("a missing group");
    let Error::Unprocessable(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.violations().len(), 1);
    assert_eq!(api.violations()[0].property_path, "msg_groups[1]");
    assert_eq!(
        api.message(),
        Some("msg_groups[1]: This group does not exist.")
    );

    // Within the final limit as written (the placeholder counts as empty),
    // beyond it once the entry's column value fills it in: only the server
    // can tell, and it refuses on `text`.
    client
        .add_phones(
            &group.id,
            &[PhoneEntry::new("+491701234567").column(Column::A, "a".repeat(200))],
        )
        .await
        .unwrap();
    let text = format!("[Name colA] {}", "b".repeat(1400));
    let bulk = NewBulk::new("Shop", text).to_group(group.id);
    assert!(bulk.validate().is_ok());
    let err = client.create_bulk(&bulk).await.expect_err("too long");
    assert_eq!(err.violations()[0].property_path, "text");
    assert_eq!(err.status(), Some(422));

    // Beyond the final limit as written: refused before sending.
    let err = client
        .create_bulk(&NewBulk::new("Shop", "a".repeat(1700)).to_group(group.id))
        .await
        .expect_err("too long");
    assert!(
        matches!(&err, Error::Validation(e) if e.field() == "text"),
        "{err:?}"
    );
}

#[tokio::test]
async fn wrong_credentials_are_401_then_429_after_the_fourth() {
    let clock = ManualClock::new();
    let sandbox = Sandbox::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    // A client stops after its first 401 (its lockout guard)...
    let wrong = common::client_at(sandbox.base_url());
    let err = wrong.create_group(&NewGroup::new("x")).await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
    request_id_of(&err);
    let err = wrong.create_group(&NewGroup::new("x")).await.unwrap_err();
    assert!(matches!(err, Error::LockedOut), "{err:?}");
    assert_eq!(sandbox.requests(Operation::CreateGroup), 1);
    // ...so it takes fresh clients with the wrong token to reach LOX24's
    // rule: the fourth bad request within a minute is answered 429.
    for _ in 0..2 {
        let wrong = common::client_at(sandbox.base_url());
        let err = wrong.create_group(&NewGroup::new("x")).await.unwrap_err();
        assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
        assert!(!err.is_retryable());
    }
    let wrong = common::client_at(sandbox.base_url());
    let err = wrong.create_group(&NewGroup::new("x")).await.unwrap_err();
    assert!(matches!(err, Error::Blocked(_)), "{err:?}");
    assert_eq!(err.retry_after(), Some(lox24::LOCKOUT));
    assert_eq!(sandbox.requests(Operation::CreateGroup), 4);
    // The good client on the same address is blocked too, until ten minutes pass.
    let good = sandbox.client().unwrap();
    let err = good.create_group(&NewGroup::new("x")).await.unwrap_err();
    assert!(matches!(err, Error::Blocked(_)), "{err:?}");
    clock.advance(lox24::LOCKOUT);
    assert!(good.create_group(&NewGroup::new("x")).await.is_ok());
    // The secret never shows.
    assert!(!format!("{err} {err:?}").contains(common::API_KEY));
}

#[tokio::test]
async fn injected_faults_map_to_their_error_variants() {
    let sandbox = sandbox().await;
    // The default retry policy, with short delays.
    let client = lox24::Client::builder()
        .credentials(sandbox.credentials().clone())
        .base_url(sandbox.base_url())
        .retry(lox24::RetryPolicy::default().with_base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let group = client.create_group(&NewGroup::new("g")).await.unwrap();
    let bulk = NewBulk::new("Shop", "Hi").to_group(group.id);
    let entry = [PhoneEntry::new("+491701234567")];

    sandbox.set_fault(Operation::CreateBulk, Fault::new().insufficient_funds());
    let err = client.create_bulk(&bulk).await.unwrap_err();
    assert!(matches!(err, Error::InsufficientFunds(_)), "{err:?}");

    sandbox.set_fault(Operation::CreateBulk, Fault::new().forbidden());
    let err = client.create_bulk(&bulk).await.unwrap_err();
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");

    // A 503 is retried (it never reached the application), up to the
    // policy's attempts, and then returned.
    sandbox.set_fault(Operation::AddPhonesBatch, Fault::new().server_errors(1.0));
    let err = client.add_phones(&group.id, &entry).await.unwrap_err();
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert_eq!(err.status(), Some(503));
    assert!(err.is_retryable() && !err.may_have_taken_effect());
    request_id_of(&err);
    assert_eq!(sandbox.requests(Operation::AddPhonesBatch), 4);

    // A connection lost after sending a POST is ambiguous: the client cannot
    // tell whether LOX24 processed it, so it does not send it again.
    sandbox.set_fault(
        Operation::AddPhonesBatch,
        Fault::new().drop_before_processing(1.0),
    );
    let err = client.add_phones(&group.id, &entry).await.unwrap_err();
    let Error::Ambiguous(inner) = &err else {
        panic!("{err:?}")
    };
    let Error::Transport(transport) = &**inner else {
        panic!("{err:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::Interrupted);
    assert!(err.may_have_taken_effect(), "the client cannot know");
    assert_eq!(read(&sandbox, "/groups/1").await["count_items"], 0);
    assert_eq!(sandbox.requests(Operation::AddPhonesBatch), 5);

    // The same, where the sandbox did apply it before dropping the answer.
    sandbox.set_fault(
        Operation::AddPhonesBatch,
        Fault::new().drop_after_processing(1.0),
    );
    let err = client.add_phones(&group.id, &entry).await.unwrap_err();
    assert!(
        matches!(&err, Error::Ambiguous(inner) if matches!(**inner, Error::Transport(_))),
        "{err:?}"
    );
    assert_eq!(read(&sandbox, "/groups/1").await["count_items"], 1);
    assert_eq!(sandbox.handled(Operation::AddPhonesBatch), 1);
    assert_eq!(sandbox.requests(Operation::AddPhonesBatch), 6);

    sandbox.clear_faults();
    let added = client.add_phones(&group.id, &entry).await.unwrap();
    assert_eq!(added.created(), 1);
    assert_eq!(
        client
            .create_bulk(&bulk)
            .await
            .unwrap()
            .last_known()
            .map(|b| b.status_code),
        Some(BulkStatus::New)
    );
}

#[tokio::test]
async fn a_campaign_has_no_short_link_requests_and_an_unknown_one_is_not_found() {
    use futures_util::TryStreamExt;

    let sandbox = sandbox().await;
    let client = sandbox.client().unwrap();
    let campaign = client
        .create_bulk(&NewBulk::new("Shop", "Hi").to_phone("+491701234567"))
        .await
        .unwrap();
    let requests = client
        .list_bulk_requests(campaign.id(), &lox24::ShortLinkRequestQuery::new())
        .await
        .unwrap();
    assert_eq!(requests.total_items(), Some(0));
    assert!(requests.try_collect::<Vec<_>>().await.unwrap().is_empty());
    assert_eq!(sandbox.handled(Operation::ListBulkRequests), 1);

    let unknown = BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    let err = client
        .list_bulk_requests(&unknown, &lox24::ShortLinkRequestQuery::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

#[tokio::test]
async fn a_late_answer_is_stored_though_the_client_gave_up_waiting() {
    let sandbox = Sandbox::builder()
        .fault(
            Operation::AddPhonesBatch,
            Fault::new().answer_late(1.0, Duration::from_secs(3)),
        )
        .start()
        .await
        .unwrap();
    let client = lox24::Client::builder()
        .token(DEFAULT_TOKEN)
        .base_url(sandbox.base_url())
        .timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let group = client
        .create_group(&lox24::NewGroup::new("Late"))
        .await
        .unwrap();
    let entry = [PhoneEntry::new("+491701234567").callback_data("late-1")];
    let err = client.add_phones(&group.id, &entry).await.unwrap_err();
    let Error::Ambiguous(inner) = &err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(&**inner, Error::Transport(t) if t.kind() == TransportErrorKind::Timeout),
        "{err:?}"
    );
    // Processed before the answer was held back: the listing shows it.
    assert_eq!(sandbox.handled(Operation::AddPhonesBatch), 1);
    assert_eq!(read(&sandbox, "/groups/1").await["count_items"], 1);
    let phones = read(&sandbox, "/groups/1/phones").await;
    assert_eq!(phones[0]["callback_data"], "late-1");
}
