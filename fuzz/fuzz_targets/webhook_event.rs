//! Bodies LOX24 (or anyone) posts to a webhook, with one of a few content
//! types, read by `lox24::webhook::parse`: no panic; an event that reads
//! is written back in LOX24's form and reads as the same event; free-form
//! data (an unknown event's, a fraud check's, a form's `additional_data`)
//! is kept as one line of text no longer than the body, its readers find
//! what a `serde_json::Value` of it finds; every summary is one line; an
//! error's excerpt of the body stays one short line.
#![no_main]

use http::{HeaderMap, HeaderValue, header::CONTENT_TYPE};
use libfuzzer_sys::fuzz_target;
use lox24::{Error, UnsubscribeReason, fraud::FraudCheckStatus, webhook};
use serde_json::Value;

const CONTENT_TYPES: [Option<&str>; 4] = [
    None,
    Some("application/json"),
    Some("application/json; charset=utf-8"),
    Some("text/html"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&choice, body)) = data.split_first() else {
        return;
    };
    let mut headers = HeaderMap::new();
    if let Some(kind) = CONTENT_TYPES[usize::from(choice) % CONTENT_TYPES.len()] {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    }
    match webhook::parse(&headers, body) {
        Ok(event) => {
            // Free-form JSON is kept as one line of text.
            let text = match &event.payload {
                webhook::Payload::Unknown { data, .. } => Some(data.get()),
                webhook::Payload::FraudCheckDone(done) => Some(done.data().get()),
                webhook::Payload::PhoneSubscribe(change)
                | webhook::Payload::PhoneUnsubscribe(change) => {
                    change.additional_data.as_deref().map(|data| data.get())
                }
                _ => None,
            };
            if let Some(text) = text {
                assert!(text.len() <= body.len(), "{text:?}");
                assert!(!text.contains(['\n', '\r']), "{text:?}");
            }
            // The readers of free-form JSON find what a `Value` finds.
            if let webhook::Payload::FraudCheckDone(done) = &event.payload {
                let data: Value = serde_json::from_str(done.data().get()).expect("JSON text");
                let text = |key: &str| data.get(key).and_then(Value::as_str);
                let number = |key: &str| data.get(key).and_then(Value::as_f64);
                assert_eq!(done.check_id(), text("check_id"));
                assert_eq!(done.result(), text("result"));
                assert_eq!(done.callback_data(), text("callback_data"));
                assert_eq!(
                    done.fraud_check_id().as_ref().map(|id| id.as_str()),
                    text("id")
                );
                assert_eq!(
                    done.status(),
                    data.get("status_code")
                        .and_then(Value::as_i64)
                        .map(FraudCheckStatus::from_code)
                );
                assert_eq!(done.risk_score(), number("risk_score"));
                assert_eq!(done.confidence_score(), number("confidence_score"));
                let _ = done.fraud_check();
            }
            if let webhook::Payload::PhoneSubscribe(change)
            | webhook::Payload::PhoneUnsubscribe(change) = &event.payload
            {
                let data: Value = change
                    .additional_data
                    .as_deref()
                    .map_or(Value::Null, |data| {
                        serde_json::from_str(data.get()).expect("JSON text")
                    });
                let reason = data.get("reason");
                assert_eq!(
                    change.reason(),
                    reason
                        .and_then(|reason| reason.get("id"))
                        .and_then(Value::as_i64)
                        .map(UnsubscribeReason::from_code)
                );
                assert_eq!(
                    change.reason_label().as_deref(),
                    reason
                        .and_then(|reason| reason.get("label"))
                        .and_then(Value::as_str)
                );
                assert_eq!(
                    change.additional_text().as_deref(),
                    data.get("additional_text").and_then(Value::as_str)
                );
            }
            // Every summary is one line: no control character, whatever
            // the sender wrote (text from the event is escaped).
            let line = event.to_string();
            assert!(!line.chars().any(char::is_control), "{line:?}");
            let written = serde_json::to_vec(&event).expect("an event is written");
            let again = webhook::parse(&HeaderMap::new(), &written).expect("reads back");
            assert_eq!(again, event);
        }
        Err(Error::Webhook(error)) => {
            if let Some(excerpt) = error.body_excerpt() {
                assert!(excerpt.chars().count() <= 201, "{excerpt:?}");
                assert!(!excerpt.contains('\n'), "{excerpt:?}");
            }
        }
        Err(other) => panic!("not a webhook error: {other:?}"),
    }
});
