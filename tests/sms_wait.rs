//! `Client::wait_for_sms` against the sandbox on a manual clock: a message
//! is followed until it is settled, however it ends, and a wait that runs
//! out says what it saw last.

use std::time::Duration;

use lox24::{DlrCode, Error, NewSms, Polling, SmsId, SmsStatus};
use lox24_sandbox::{ManualClock, Operation, Sandbox};

const T0: u64 = 1_800_000_000;

async fn sandbox(clock: &ManualClock) -> Sandbox {
    Sandbox::builder()
        .clock(clock.clone())
        .start()
        .await
        .expect("the sandbox starts")
}

fn quick(timeout: Duration) -> Polling {
    Polling::new()
        .interval(Duration::from_millis(20))
        .timeout(timeout)
}

#[tokio::test]
async fn a_settled_message_is_returned_after_one_read() {
    let clock = ManualClock::at_unix(T0);
    let sandbox = sandbox(&clock).await;
    let client = sandbox.client().unwrap();
    let delivered = client
        .send_sms(&NewSms::new("MyShop", "Hi", "+491701234567"))
        .await
        .unwrap();
    let rejected = client
        .send_sms(&NewSms::new("MyShop", "Hi", "+491701234566"))
        .await
        .unwrap();
    clock.advance(Duration::from_secs(10));

    let sms = client
        .wait_for_sms(&delivered.uuid, &quick(Duration::from_secs(30)))
        .await
        .unwrap();
    assert_eq!(sms.uuid, delivered.uuid);
    assert_eq!(sms.status_code, Some(SmsStatus::Sent));
    assert_eq!(sms.dlr_code, Some(DlrCode::Delivered));
    assert_eq!(sandbox.handled(Operation::GetSms), 1);

    let sms = client
        .wait_for_sms(&rejected.uuid, &quick(Duration::from_secs(30)))
        .await
        .unwrap();
    assert_eq!(sms.dlr_code, Some(DlrCode::Rejected));
    assert_eq!(sandbox.handled(Operation::GetSms), 2);
}

#[tokio::test]
async fn the_wait_follows_the_message_until_its_report_is_final() {
    let clock = ManualClock::at_unix(T0);
    let sandbox = sandbox(&clock).await;
    let client = sandbox.client().unwrap();
    let sent = client
        .send_sms(&NewSms::new("MyShop", "Hi", "+491701234568"))
        .await
        .unwrap();

    let waiter = client.clone();
    let id = sent.uuid.clone();
    let waiting = tokio::spawn(async move {
        waiter
            .wait_for_sms(&id, &quick(Duration::from_secs(30)))
            .await
    });
    // Only once the wait has seen the message unsettled does the network answer.
    let seen_twice = async {
        while sandbox.handled(Operation::GetSms) < 2 {
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), seen_twice)
        .await
        .expect("the wait reads the message again");
    clock.advance(Duration::from_secs(10));

    let sms = waiting.await.unwrap().unwrap();
    assert_eq!(sms.dlr_code, Some(DlrCode::Expired));
    assert!(sms.is_settled());
    assert!(sandbox.handled(Operation::GetSms) >= 3);
}

#[tokio::test]
async fn a_wait_that_runs_out_keeps_the_last_state() {
    let clock = ManualClock::at_unix(T0);
    let sandbox = sandbox(&clock).await;
    let client = sandbox.client().unwrap();
    let sent = client
        .send_sms(&NewSms::new("MyShop", "Hi", "+491701234567"))
        .await
        .unwrap();

    let error = client
        .wait_for_sms(&sent.uuid, &quick(Duration::from_millis(200)))
        .await
        .unwrap_err();
    let Error::SmsWaitTimeout(late) = &error else {
        panic!("expected SmsWaitTimeout, got {error:?}");
    };
    assert_eq!(late.last().uuid, sent.uuid);
    assert_eq!(late.last().status_code, Some(SmsStatus::New));
    assert!(late.waited() >= Duration::from_millis(200));
    assert_eq!(
        error.to_string(),
        format!(
            "message {} was still new (0) after waiting {:.1} s",
            sent.uuid,
            late.waited().as_secs_f64()
        )
    );
    assert!(sandbox.handled(Operation::GetSms) >= 2);
}

#[tokio::test]
async fn an_invalid_id_is_refused_before_sending() {
    let clock = ManualClock::at_unix(T0);
    let sandbox = sandbox(&clock).await;
    let client = sandbox.client().unwrap();
    let error = client
        .wait_for_sms(&SmsId::new("not/an id"), &Polling::new())
        .await
        .unwrap_err();
    let Error::Validation(invalid) = &error else {
        panic!("expected a validation error, got {error:?}");
    };
    assert_eq!(invalid.field(), "uuid");
    assert_eq!(sandbox.requests(Operation::GetSms), 0);
}
