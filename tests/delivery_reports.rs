//! End to end: a campaign sent with the library to a group whose entries
//! carry `callback_data`, on the sandbox, with its webhook pointing at a
//! receiver on 127.0.0.1; every recipient's final delivery report arrives
//! once and matches its message and its entry.
//!
//! The events are received with `lox24::webhook::Receiver` and read with
//! `lox24::webhook::parse`, as an application would.

// A receiver that can answer 500, which `webhook::Receiver` never does.
#[path = "../sandbox/tests/common/receiver.rs"]
mod failing_receiver;

use std::{collections::HashMap, time::Duration};

use failing_receiver::settled;
use futures_util::TryStreamExt;
use http::{HeaderMap, HeaderValue, header::CONTENT_TYPE};
use lox24::{
    DlrCode, NewBulk, NewGroup, NewSms, PhoneEntry, Sms, SmsStatus,
    webhook::{self, DeliveryReport, Event, Payload, Receiver},
};
use lox24_sandbox::{ManualClock, Sandbox};

const T0: u64 = 1_800_000_000;

/// Recipients, their `callback_data` and the report the sandbox gives their
/// number (by its last digit: 8 expires, 6 is rejected, others delivered).
const RECIPIENTS: [(&str, Option<&str>, DlrCode); 5] = [
    ("+491701000001", Some("crm-0001"), DlrCode::Delivered),
    ("+491701000002", Some("crm-0002"), DlrCode::Delivered),
    ("+491701000008", Some("crm-0008"), DlrCode::Expired),
    ("+491701000006", Some("crm-0006"), DlrCode::Rejected),
    ("+491701000003", None, DlrCode::Delivered),
];

async fn sandbox(clock: &ManualClock, webhook: &str) -> Sandbox {
    Sandbox::builder()
        .clock(clock.clone())
        .webhook(webhook)
        .start()
        .await
        .expect("the sandbox starts")
}

/// The next event, waiting up to ten seconds for it.
async fn next(receiver: &mut Receiver) -> Event {
    tokio::time::timeout(Duration::from_secs(10), receiver.recv())
        .await
        .expect("an event within 10 s")
        .expect("the receiver runs")
}

/// Whether no event arrives within `wait` (real time).
async fn quiet_for(receiver: &mut Receiver, wait: Duration) -> bool {
    tokio::time::timeout(wait, receiver.recv()).await.is_err()
}

#[tokio::test]
async fn every_recipient_gets_one_final_report_that_matches_its_message() {
    let clock = ManualClock::at_unix(T0);
    let mut receiver = Receiver::bind("127.0.0.1:0").await.unwrap();
    let sandbox = sandbox(&clock, &receiver.url()).await;
    let client = sandbox.client().unwrap();

    let group = client
        .create_group(&NewGroup::new("Customers"))
        .await
        .unwrap();
    let entries: Vec<PhoneEntry> = RECIPIENTS
        .iter()
        .map(|(phone, data, _)| match data {
            Some(data) => PhoneEntry::new(*phone).callback_data(*data),
            None => PhoneEntry::new(*phone),
        })
        .collect();
    let stored = client.add_phones(&group.id, &entries).await.unwrap();
    assert!(stored.items.iter().all(|item| item.result.is_ok()));
    let campaign = client
        .create_bulk(&NewBulk::new("Shop", "Your order is ready").to_group(group.id))
        .await
        .unwrap();

    // Processed after 3 s, each message sent 1 s after it exists and
    // reported 2 s later: a minute is plenty, and nothing comes before.
    assert!(quiet_for(&mut receiver, Duration::from_millis(100)).await);
    clock.advance(Duration::from_secs(60));
    let mut reports: HashMap<String, (i64, DeliveryReport)> = HashMap::new();
    for _ in RECIPIENTS {
        let event = next(&mut receiver).await;
        assert_eq!(
            (event.name(), event.api_version.as_str()),
            ("sms.delivery", "2022-05-25")
        );
        assert_eq!((event.attempt_number, event.attempt_total), (1, 4));
        let Payload::SmsDelivery(report) = event.payload else {
            panic!("a delivery report: {event:?}");
        };
        let id = report.id.as_str().to_owned();
        let at = event.created_at;
        assert!(
            reports.insert(id, (at, report)).is_none(),
            "one report per message"
        );
    }
    settled(&sandbox).await;
    assert!(
        quiet_for(&mut receiver, Duration::from_millis(200)).await,
        "no more reports"
    );

    let messages: Vec<Sms> = campaign
        .messages()
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(messages.len(), RECIPIENTS.len());
    for (phone, data, dlr) in RECIPIENTS {
        let sms = messages
            .iter()
            .find(|m| m.phone.as_deref() == Some(phone))
            .unwrap_or_else(|| panic!("a message to {phone}"));
        assert_eq!(sms.bulk_id.as_ref(), Some(campaign.id()));
        assert_eq!(sms.callback_data.as_deref(), data, "{phone}");
        assert_eq!(
            (sms.status_code, sms.dlr_code),
            (Some(SmsStatus::Sent), Some(dlr)),
            "{phone}"
        );
        let (at, report) = &reports[sms.uuid.as_str()];
        // The event is dated when the report came: 2 s after sending.
        assert_eq!(
            Some(*at),
            sms.gateway_sent_at.map(|sent| sent + 2),
            "{phone}"
        );
        let mut expected = DeliveryReport::new(sms.uuid.clone(), dlr, SmsStatus::Sent);
        expected.callback_data = data.map(str::to_owned);
        expected.key_id = Some(1);
        assert_eq!(report, &expected, "{phone}");
    }
}

#[tokio::test]
async fn a_receiver_that_answers_500_twice_gets_attempts_1_2_and_3_of_one_event() {
    let clock = ManualClock::at_unix(T0);
    let mut receiver = failing_receiver::Receiver::start(vec![500, 500]).await;
    let sandbox = sandbox(&clock, &receiver.url).await;
    let client = sandbox.client().unwrap();
    let sms = client
        .send_sms(&NewSms::new("Shop", "Hi", "+491701234567").callback_data("order-17"))
        .await
        .unwrap();

    // Each attempt as the application reads it.
    let mut read = async || {
        let delivery = receiver.next().await;
        assert_eq!(
            (delivery.method.as_str(), delivery.path.as_str()),
            ("POST", "/hook")
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_str(&delivery.content_type).unwrap(),
        );
        let body = serde_json::to_vec(&delivery.body).unwrap();
        webhook::parse(&headers, &body).expect("an event")
    };
    clock.advance(Duration::from_secs(3)); // sent and delivered
    let mut attempts = vec![read().await];
    // LOX24 tries again at growing intervals: 10 s, then a minute.
    for wait in [10, 60] {
        clock.advance(Duration::from_secs(wait));
        attempts.push(read().await);
    }
    settled(&sandbox).await;
    clock.advance(Duration::from_secs(3600));
    assert!(
        receiver.quiet_for(Duration::from_millis(200)).await,
        "the third was accepted"
    );

    let numbers: Vec<u32> = attempts.iter().map(|a| a.attempt_number).collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert!(attempts.iter().all(|a| a.id == attempts[0].id));
    assert!(!attempts[2].is_last_attempt(), "a fourth would have come");
    let tasks: std::collections::HashSet<&str> = attempts
        .iter()
        .map(|a| a.notification_task_id.as_deref().unwrap())
        .collect();
    assert_eq!(tasks.len(), 3, "a new task id per attempt");
    let mut expected = DeliveryReport::new(sms.uuid.clone(), DlrCode::Delivered, SmsStatus::Sent);
    expected.callback_data = Some("order-17".into());
    expected.key_id = Some(1);
    for attempt in &attempts {
        assert_eq!(attempt.payload, Payload::SmsDelivery(expected.clone()));
    }
}

#[tokio::test]
async fn the_sandbox_s_other_events_are_read_by_lox24_webhook() {
    let clock = ManualClock::at_unix(T0);
    let mut receiver = Receiver::bind("127.0.0.1:0").await.unwrap();
    let sandbox = sandbox(&clock, &receiver.url()).await;
    let client = sandbox.client().unwrap();

    client
        .dry_run_sms(&NewSms::new("Shop", "Hi", "+491701234566").callback_data("dry"))
        .await
        .unwrap();
    clock.advance(Duration::from_secs(3));
    let dry = next(&mut receiver).await;
    let Payload::SmsDeliveryDryrun(report) = &dry.payload else {
        panic!("a dry run's report: {dry:?}");
    };
    assert_eq!(report.id.as_str(), "11111111-2222-3333-4444-555555555555");
    assert_eq!(
        (report.status_code, report.dlr_code),
        (SmsStatus::New, DlrCode::Rejected)
    );
    assert_eq!(report.callback_data.as_deref(), Some("dry"));

    let sms = client
        .send_sms(&NewSms::new("Shop", "Hi", "+491701234567"))
        .await
        .unwrap();
    let reply = sandbox.simulate_reply(&sms.uuid, "STOP").unwrap();
    let incoming = next(&mut receiver).await;
    let Payload::SmsIncoming(received) = &incoming.payload else {
        panic!("a reply: {incoming:?}");
    };
    assert_eq!(
        (&received.id, received.text.as_deref()),
        (&reply, Some("STOP"))
    );
    assert_eq!(received.msg_uuid.as_ref(), Some(&sms.uuid));
    assert!(received.is_reply());

    let check = client
        .create_fraud_check(
            &lox24::NewFraudCheck::new(lox24::fraud::FraudCheckService::Pro)
                .phone("+491701234567")
                .callback_data("signup"),
        )
        .await
        .unwrap();
    clock.advance(Duration::from_secs(3));
    let mut done = None;
    for _ in 0..2 {
        // The message's report comes at the same clock time.
        let event = next(&mut receiver).await;
        if let Payload::FraudCheckDone(data) = event.payload {
            done = Some(data);
        }
    }
    let done = done.expect("fraud-check.done");
    assert_eq!(done.fraud_check_id(), Some(check.id.clone()));
    assert_eq!(done.check_id(), Some(check.id.as_str()));
    assert_eq!(done.status(), Some(lox24::fraud::FraudCheckStatus::Done));
    assert_eq!(done.callback_data(), Some("signup"));
    let read = client.get_fraud_check(&check.id).await.unwrap();
    assert_eq!(done.risk_score(), read.risk_score);
    assert_eq!(done.fraud_check().map(|c| c.id), Some(check.id));
}
