//! LOX24's webhook events: every example of LOX24's document and the
//! fixtures of other clients read exactly, malformed bodies refused with
//! the exact error, and the receiver over loopback.

use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use lox24::webhook::{
    BulkFromEmail, CreatedBulk, CreatedSms, DeliveryReport, Email, EmailFailure, Event, EventId,
    FraudCheckDone, IncomingSms, KNOWN_EVENTS, Payload, PhoneSubscription, Receiver, SmsFromEmail,
    parse,
};
use lox24::{
    BulkId, BulkStatus, DlrCode, Error, GroupId, ReplyId, SmsId, SmsStatus, UnsubscribeReason,
    WebhookError, WebhookErrorKind,
    links::{ShortCode, ShortLinkCampaignCode},
};
use reqwest::{
    StatusCode,
    header::{CONTENT_TYPE, HeaderMap, HeaderValue},
};
use serde_json::{Value, json, value::RawValue};

// ---------------------------------------------------------------------------
// Inputs

fn in_repository(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn read(path: PathBuf) -> Vec<u8> {
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// LOX24's document, as pinned.
fn document() -> Value {
    serde_json::from_slice(&read(in_repository(
        "openapi/upstream/lox24-openapi-2.22-de.json",
    )))
    .unwrap()
}

/// A file of the shared fixtures, which sit beside the repository.
fn fixture(path: &str) -> Vec<u8> {
    read(in_repository("../shared/reference/fixtures").join(path))
}

fn json_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers
}

/// A server whose header type is not `http` 1's (actix-web 4) builds the
/// map from the crate's re-export, with no dependency on `http`.
#[test]
fn a_header_map_built_from_the_reexport_is_what_parse_reads() {
    let mut headers = lox24::webhook::HeaderMap::new();
    headers.insert("content-type", "text/html".parse().unwrap());
    let body = br#"{"id": "e1", "api_version": "2022-05-25", "name": "sms.delivery",
        "created_at": 1653378603, "attempt_number": 1, "attempt_total": 4,
        "data": {"id": "d6c12ac4-cc7d-11ec-b6da-525400bbb7dc", "dlr_code": 1, "status_code": 100}}"#;

    let Err(Error::Webhook(refused)) = parse(&headers, body) else {
        panic!("a Content-Type that is not JSON is refused");
    };
    assert_eq!(refused.kind(), WebhookErrorKind::ContentType);

    headers.insert("content-type", "application/json".parse().unwrap());
    let event = parse(&headers, body).unwrap();
    assert!(matches!(event.payload, Payload::SmsDelivery(_)));
}

/// One example of a webhook in LOX24's document.
struct DocumentExample {
    /// The webhook's key and the example's name, e.g. `webhooks.sms-delivery/expired`.
    key: String,
    /// The event name the webhook's schema declares.
    declared: String,
    body: Value,
}

/// Every example under `webhooks` with a body (inline, or `$ref` to
/// `components.examples`), and the keys of those without one.
fn document_examples() -> (Vec<DocumentExample>, Vec<String>) {
    let document = document();
    let (mut examples, mut without_body) = (Vec::new(), Vec::new());
    for (webhook, item) in document["webhooks"].as_object().unwrap() {
        let content = &item["post"]["requestBody"]["content"]["application/json"];
        let declared = content["schema"]["allOf"][1]["properties"]["name"]["enum"][0]
            .as_str()
            .map(str::to_owned);
        let Some(listed) = content["examples"].as_object() else {
            continue;
        };
        for (name, example) in listed {
            let key = format!("{webhook}/{name}");
            let example = match example["$ref"].as_str() {
                Some(reference) => {
                    let name = reference.strip_prefix("#/components/examples/").unwrap();
                    &document["components"]["examples"][name]
                }
                None => example,
            };
            match example.get("value") {
                Some(body) => examples.push(DocumentExample {
                    key,
                    declared: declared
                        .clone()
                        .expect("a webhook with examples names its event"),
                    body: body.clone(),
                }),
                None => without_body.push(key),
            }
        }
    }
    (examples, without_body)
}

// ---------------------------------------------------------------------------
// What each example must read as

fn event(
    id: &str,
    created_at: i64,
    attempt_total: u32,
    task: Option<&str>,
    payload: Payload,
) -> Event {
    let mut event = Event::new(EventId::new(id), created_at, payload);
    event.attempt_total = attempt_total;
    event.notification_task_id = task.map(str::to_owned);
    event
}

fn delivery(dlr_code: DlrCode, callback_data: &str) -> Payload {
    let mut report = DeliveryReport::new(
        SmsId::new("d6c12ac4-cc7d-11ec-b6da-525400bbb7dc"),
        dlr_code,
        SmsStatus::Sent,
    );
    report.callback_data = Some(callback_data.to_owned());
    report.key_id = Some(8207);
    Payload::SmsDelivery(report)
}

fn email(id: &str, to: &str, subject: &str, body: &str) -> Email {
    let mut email = Email::default();
    email.id = Some(id.to_owned());
    email.from = Some("sender@example.com".to_owned());
    email.to = Some(to.to_owned());
    email.subject = Some(subject.to_owned());
    email.body = Some(body.to_owned());
    email
}

fn email_failure(email: Email, field: &str) -> EmailFailure {
    let mut failure = EmailFailure::default();
    failure.email = email;
    failure.field = Some(field.to_owned());
    failure.description = Some("Invalid phone number format".to_owned());
    failure
}

const DELIVERY_EVENT: &str = "a3cd6e19-8af2-498d-ad07-c7840f1b4ac8";
const DELIVERY_TASK: &str = "3378de83-de66-4de8-9d29-2b10d41bb641";

/// The event each example of the document is, field by field.
fn expected(key: &str) -> Event {
    match key {
        "webhooks.sms-delivery/delivered" => event(
            DELIVERY_EVENT,
            1653378603,
            4,
            Some(DELIVERY_TASK),
            delivery(DlrCode::Delivered, "some data from user's request here"),
        ),
        "webhooks.sms-delivery/expired" => event(
            DELIVERY_EVENT,
            1653378603,
            4,
            Some(DELIVERY_TASK),
            delivery(DlrCode::Expired, "order-12345"),
        ),
        "webhooks.incoming-sms-received/reply" => {
            let mut sms = IncomingSms::new(
                ReplyId::new("e7d23bd5-dd8e-22fd-c7eb-636511ccc8ed"),
                "+490987654321",
                "+1234567890",
                1653378703,
            );
            sms.text = Some("Hello, this is a reply message".to_owned());
            sms.msg_uuid = Some(SmsId::new("a1b2c3d4-e5f6-7890-abcd-ef1234567890"));
            event(
                "d6ff9b42-1da5-711f-df20-f0173a4e7df1",
                1653378703,
                1,
                Some("4489ef94-ef77-5ef9-ae2a-3c21e52cc752"),
                Payload::SmsIncoming(sms),
            )
        }
        "webhooks.sms-email-parsing-success/success" => {
            let text = "Hello, this is your SMS message content parsed from email.";
            let mut sms = CreatedSms::new(SmsId::new("f8a34ce6-ee9f-33ae-d8fc-747622ddd9fe"));
            sms.to = Some("+4915123456789".to_owned());
            sms.text = Some(text.to_owned());
            let mut parsed = SmsFromEmail::default();
            parsed.email = email(
                "email-456",
                "sms@your-domain.com",
                "SMS Request",
                &format!("Send SMS to +4915123456789: {text}"),
            );
            parsed.sms = vec![sms];
            event(
                "d6ff9b42-1da5-711f-df20-f0173a4e7df1",
                1653378803,
                1,
                Some("5590fa05-fb88-6fc0-bf3b-4d32f63dd863"),
                Payload::SmsEmailParsingSuccess(parsed),
            )
        }
        "webhooks.sms-email-parsing-fail/fail" => event(
            DELIVERY_EVENT,
            1653378603,
            1,
            Some(DELIVERY_TASK),
            Payload::SmsEmailParsingFail(email_failure(
                email(
                    "email-789",
                    "sms@your-domain.com",
                    "SMS Request",
                    "Send SMS to invalid-phone: Test message",
                ),
                "recipient",
            )),
        ),
        "webhooks.bulk-email-parsing-success/success" => {
            let mut bulk = CreatedBulk::new(BulkId::new("f8a34ce6-ee9f-33ae-d8fc-747622ddd9fe"));
            bulk.status = Some(BulkStatus::Processed);
            bulk.created_at = Some(1653378803);
            let email = email(
                "email-123",
                "bulk@your-domain.com",
                "SMS Bulk Request",
                "Message content here",
            );
            event(
                "d6ff9b42-1da5-711f-df20-f0173a4e7df1",
                1653378803,
                1,
                Some("5590fa05-fb88-6fc0-bf3b-4d32f63dd863"),
                Payload::BulkEmailParsingSuccess(BulkFromEmail::new(email, bulk)),
            )
        }
        "webhooks.bulk-email-parsing-fail/invalid_number" => event(
            "d6ff9b42-1da5-711f-df20-f0173a4e7df1",
            1653378903,
            1,
            Some("6601ab16-ca99-7fe1-cf4c-5e43f74ee974"),
            Payload::BulkEmailParsingFail(email_failure(
                email(
                    "email-124",
                    "bulk@your-domain.com",
                    "SMS Bulk Request",
                    "Invalid message content",
                ),
                "to",
            )),
        ),
        "webhooks.fraud-check-done/completed" => {
            let data = RawValue::from_string(
                r#"{"check_id": "fraud-check-123", "confidence_score": 0.95, "result": "clean"}"#
                    .into(),
            )
            .unwrap();
            event(
                "a7bc0d53-2ab6-822c-df31-a1284b5f8ea2",
                1653379003,
                1,
                Some("7712ab27-cd00-8ef2-da5d-6f54f85ff085"),
                Payload::FraudCheckDone(FraudCheckDone::new(data).unwrap()),
            )
        }
        "webhooks.phone.subscribe/subscribe" => {
            let mut subscribed = PhoneSubscription::new("+99559122567", 1757926648);
            subscribed.user_id = Some(21911);
            subscribed.group_id = Some(GroupId::new(123));
            subscribed.campaign_code = Some(ShortLinkCampaignCode::new("1dkGdCC2xnBc"));
            subscribed.short_link_code = Some(ShortCode::new("baaIoP"));
            subscribed.additional_data = Some(RawValue::from_string("[]".into()).unwrap());
            event(
                "ed18a290-766d-46cf-ab4e-6fa421405fbd",
                1757926648,
                4,
                None,
                Payload::PhoneSubscribe(subscribed),
            )
        }
        "webhooks.phone.unsubscribe/unsubscribe" => {
            let mut unsubscribed = PhoneSubscription::new("+4911113333444", 1757849748);
            unsubscribed.user_id = Some(2);
            unsubscribed.unsubscribe_request_id = Some(59);
            unsubscribed.campaign_code = Some(ShortLinkCampaignCode::new("3KCKb5nMD"));
            unsubscribed.short_link_code = Some(ShortCode::new("baaIou"));
            unsubscribed.additional_data = Some(
                serde_json::value::to_raw_value(&json!({
                    "additional_text": "zusätzlicher Benutzertext mit Erklärung",
                    "reason": {"id": 4, "label": "Es ist unverständlich"},
                }))
                .unwrap(),
            );
            event(
                "ef58b437-1319-4b0c-961b-17214cf1cf32",
                1757849748,
                4,
                None,
                Payload::PhoneUnsubscribe(unsubscribed),
            )
        }
        other => panic!("no expected event for the document's example {other}"),
    }
}

// ---------------------------------------------------------------------------
// LOX24's document

#[test]
fn every_example_of_the_document_reads_as_its_event_field_by_field() {
    let (examples, _) = document_examples();
    let keys: Vec<&str> = examples.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "webhooks.bulk-email-parsing-fail/invalid_number",
            "webhooks.bulk-email-parsing-success/success",
            "webhooks.fraud-check-done/completed",
            "webhooks.incoming-sms-received/reply",
            "webhooks.phone.subscribe/subscribe",
            "webhooks.phone.unsubscribe/unsubscribe",
            "webhooks.sms-delivery/delivered",
            "webhooks.sms-delivery/expired",
            "webhooks.sms-email-parsing-fail/fail",
            "webhooks.sms-email-parsing-success/success",
        ]
    );
    for example in &examples {
        let body = serde_json::to_vec(&example.body).unwrap();
        let event =
            parse(&json_headers(), &body).unwrap_or_else(|e| panic!("{}: {e}", example.key));
        assert_eq!(event, expected(&example.key), "{}", example.key);
        assert_eq!(event.name(), example.declared, "{}", example.key);
    }
}

#[test]
fn the_examples_without_a_body_are_the_duplicate_phone_entries() {
    // LOX24's document lists the phone events twice; the first entries have
    // a summary and no body. Nothing else is left unread.
    let (_, without_body) = document_examples();
    assert_eq!(
        without_body,
        ["phone.subscribe/subscribe", "phone.unsubscribe/unsubscribe"]
    );
}

#[test]
fn the_known_events_are_the_ones_the_document_declares() {
    let document = document();
    let mut declared: Vec<&str> = document["webhooks"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|item| {
            item["post"]["requestBody"]["content"]["application/json"]["schema"]["allOf"][1]
                ["properties"]["name"]["enum"][0]
                .as_str()
        })
        .collect();
    declared.sort_unstable();
    let mut known = KNOWN_EVENTS.to_vec();
    known.sort_unstable();
    assert_eq!(declared, known);
}

#[test]
fn every_example_is_written_back_in_lox24s_form() {
    for example in document_examples().0 {
        let event: Event = serde_json::from_value(example.body.clone()).unwrap();
        // The schema's spelling is written, whichever was read.
        let mut lox24_form = example.body.clone();
        let envelope = lox24_form.as_object_mut().unwrap();
        if let Some(total) = envelope.remove("attempts_total") {
            envelope.insert("attempt_total".into(), total);
        }
        assert_eq!(
            serde_json::to_value(&event).unwrap(),
            lox24_form,
            "{}",
            example.key
        );
        let again = parse(&HeaderMap::new(), &serde_json::to_vec(&event).unwrap()).unwrap();
        assert_eq!(again, event, "{}", example.key);
    }
}

#[test]
fn the_readers_of_loosely_documented_data_find_the_example_values() {
    let examples = document_examples().0;
    let body = |key: &str| {
        let example = examples.iter().find(|e| e.key == key).unwrap();
        parse(
            &HeaderMap::new(),
            &serde_json::to_vec(&example.body).unwrap(),
        )
        .unwrap()
    };

    let Payload::FraudCheckDone(done) = body("webhooks.fraud-check-done/completed").payload else {
        panic!("fraud-check.done")
    };
    assert_eq!(done.check_id(), Some("fraud-check-123"));
    assert_eq!(done.confidence_score(), Some(0.95));
    assert_eq!(done.result(), Some("clean"));
    assert_eq!(done.fraud_check_id(), None);
    assert_eq!(done.fraud_check(), None);

    let Payload::PhoneUnsubscribe(unsubscribed) =
        body("webhooks.phone.unsubscribe/unsubscribe").payload
    else {
        panic!("phone.unsubscribe")
    };
    assert_eq!(
        unsubscribed.reason(),
        Some(UnsubscribeReason::Incomprehensible)
    );
    assert_eq!(
        unsubscribed.reason_label().as_deref(),
        Some("Es ist unverständlich")
    );
    assert_eq!(
        unsubscribed.additional_text().as_deref(),
        Some("zusätzlicher Benutzertext mit Erklärung")
    );

    let Payload::PhoneSubscribe(subscribed) = body("webhooks.phone.subscribe/subscribe").payload
    else {
        panic!("phone.subscribe")
    };
    assert_eq!(subscribed.reason(), None);

    let expired = body("webhooks.sms-delivery/expired");
    let report = expired.delivery_report().unwrap();
    assert!(report.is_final() && report.is_failed() && !report.is_delivered());
    let delivered = body("webhooks.sms-delivery/delivered");
    let report = delivered.delivery_report().unwrap();
    assert!(report.is_final() && report.is_delivered() && !report.is_failed());
    assert_eq!(
        body("webhooks.incoming-sms-received/reply").delivery_report(),
        None
    );
}

#[test]
fn a_fraud_checks_data_of_any_form_is_read_and_written_back_as_sent() {
    // Fields of other types, a key written twice, escapes, whitespace.
    let body = "{\"id\": \"a7bc0d53\", \"api_version\": \"2022-05-25\",
        \"name\": \"fraud-check.done\", \"created_at\": 1653379003,
        \"attempt_number\": 1, \"attempt_total\": 4, \"data\": {
            \"id\": 5, \"check_id\": \"fc\\u002d1\", \"status_code\": \"10\",
            \"risk_score\": 1e1, \"result\": \"clean\", \"result\": [\"clean\"],
            \"callback_data\": \"two  spaces\",\r\n\t\"extra\": [1, 2.50, {\"a\": null}]
        }}";
    let event = parse(&json_headers(), body.as_bytes()).unwrap();
    let Payload::FraudCheckDone(done) = &event.payload else {
        panic!("fraud-check.done: {event:?}")
    };
    let data = r#"{"id":5,"check_id":"fc\u002d1","status_code":"10","risk_score":1e1,"result":"clean","result":["clean"],"callback_data":"two  spaces","extra":[1,2.50,{"a":null}]}"#;
    assert_eq!(done.data().get(), data);
    assert_eq!(done.fraud_check_id(), None);
    assert_eq!(done.check_id(), Some("fc-1"));
    assert_eq!(done.status(), None);
    assert_eq!(done.risk_score(), Some(10.0));
    assert_eq!(done.result(), None, "the last `result` is a list");
    assert_eq!(done.callback_data(), Some("two  spaces"));
    assert_eq!(done.fraud_check(), None);

    let written = String::from_utf8(serde_json::to_vec(&event).unwrap()).unwrap();
    assert!(written.contains(&format!(r#""data":{data}"#)), "{written}");
    assert_eq!(parse(&HeaderMap::new(), written.as_bytes()).unwrap(), event);
    assert_eq!(serde_json::from_str::<Event>(&written).unwrap(), event);
    assert_eq!(
        event.to_string(),
        format!("fraud-check.done  {data}  (attempt 1/4, event a7bc0d53)")
    );
}

#[test]
fn a_fraud_check_named_twice_is_no_fraud_check() {
    let done: FraudCheckDone = serde_json::from_str(
        r#"{"id": "5c1f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2c", "id": "5c1f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2d"}"#,
    )
    .unwrap();
    // The accessor reads the last; the whole check has one `id` or none.
    assert_eq!(
        done.fraud_check_id().as_ref().map(|id| id.as_str()),
        Some("5c1f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2d")
    );
    assert_eq!(done.fraud_check(), None);
}

#[test]
fn a_forms_additional_data_is_written_back_as_sent_and_null_not_at_all() {
    let body = |additional_data: &str| {
        format!(
            "{{\"id\": \"ef58b437\", \"api_version\": \"2022-05-25\",
            \"name\": \"phone.unsubscribe\", \"created_at\": 1757849748,
            \"attempt_number\": 4, \"attempts_total\": 4, \"data\": {{
                \"phone\": \"+4911113333444\", \"timestamp\": 1757849748,
                \"additional_data\": {additional_data}, \"user_id\": 2}}}}"
        )
    };
    let sent = "{ \"reason\" : {\"id\": 4, \"label\": \"Es ist unverst\\u00e4ndlich\"},\n
        \"additional_text\": \"a  b\", \"additional_text\": \"c\", \"n\": [1.50] }";
    let kept = r#"{"reason":{"id":4,"label":"Es ist unverst\u00e4ndlich"},"additional_text":"a  b","additional_text":"c","n":[1.50]}"#;
    let event = parse(&json_headers(), body(sent).as_bytes()).unwrap();
    let Payload::PhoneUnsubscribe(unsubscribed) = &event.payload else {
        panic!("phone.unsubscribe: {event:?}")
    };
    let additional_data = unsubscribed.additional_data.as_deref().map(RawValue::get);
    assert_eq!(additional_data, Some(kept));
    assert_eq!(
        unsubscribed.reason(),
        Some(UnsubscribeReason::Incomprehensible)
    );
    assert_eq!(
        unsubscribed.reason_label().as_deref(),
        Some("Es ist unverständlich")
    );
    assert_eq!(unsubscribed.additional_text().as_deref(), Some("c"));
    let written = String::from_utf8(serde_json::to_vec(&event).unwrap()).unwrap();
    assert!(
        written.contains(&format!(r#""additional_data":{kept}"#)),
        "{written}"
    );
    assert_eq!(parse(&HeaderMap::new(), written.as_bytes()).unwrap(), event);
    assert_eq!(
        event.to_string(),
        format!(
            r#"phone.unsubscribe  {{"phone":"+4911113333444","timestamp":1757849748,"user_id":2,"additional_data":{kept}}}  (attempt 4/4, event ef58b437)"#
        )
    );

    let event = parse(&json_headers(), body("null").as_bytes()).unwrap();
    let Payload::PhoneUnsubscribe(unsubscribed) = &event.payload else {
        panic!("phone.unsubscribe: {event:?}")
    };
    assert!(unsubscribed.additional_data.is_none());
    let written = serde_json::to_value(&event).unwrap();
    assert_eq!(
        written["data"],
        json!({"phone": "+4911113333444", "timestamp": 1757849748, "user_id": 2})
    );
}

// ---------------------------------------------------------------------------
// Fixtures of other clients

#[test]
fn the_spec_example_fixtures_read_as_the_documents_examples() {
    let delivery = parse(
        &json_headers(),
        &fixture("spec-examples/webhook_sms_delivery.json"),
    )
    .unwrap();
    assert_eq!(delivery, expected("webhooks.sms-delivery/delivered"));
    let incoming = parse(
        &json_headers(),
        &fixture("spec-examples/webhook_sms_incoming.json"),
    )
    .unwrap();
    assert_eq!(incoming, expected("webhooks.incoming-sms-received/reply"));
}

#[test]
fn symfonys_delivery_payload_with_attempts_total_reads_exactly() {
    let event = parse(
        &json_headers(),
        &fixture("symfony-notifier/webhook_sms_delivery_payload.json"),
    )
    .unwrap();
    assert_eq!(
        event,
        event_with_callback("some data"),
        "the plural `attempts_total` is read as attempt_total"
    );
    assert_eq!(event.attempt_total, 4);
    assert_eq!(event.attempt_number, 1);
    assert!(!event.is_last_attempt());
}

fn event_with_callback(callback_data: &str) -> Event {
    event(
        DELIVERY_EVENT,
        1653378603,
        4,
        Some(DELIVERY_TASK),
        delivery(DlrCode::Delivered, callback_data),
    )
}

// ---------------------------------------------------------------------------
// Events this crate does not know, and bodies that are not events

fn delivery_body() -> Value {
    serde_json::from_slice(&fixture("spec-examples/webhook_sms_delivery.json")).unwrap()
}

fn unknown_body() -> Value {
    json!({
        "id": "0f7e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b", "api_version": "2026-01-01",
        "name": "sms.something.new", "created_at": 1760000000, "attempt_number": 2,
        "attempt_total": 3, "data": {"id": "d6c12ac4-cc7d-11ec-b6da-525400bbb7dc", "new": [1, {"x": null}]},
    })
}

#[test]
fn a_summary_is_one_line_whatever_the_sender_wrote() {
    let mut body = delivery_body();
    body["id"] = json!("ev\r\nfake line");
    body["data"]["id"] = json!("sms\u{1b}[31mred");
    body["data"]["callback_data"] = json!("a\nb\u{2028}c");
    let event = parse(&json_headers(), body.to_string().as_bytes()).unwrap();
    let line = event.to_string();
    assert!(
        !line.chars().any(|c| c.is_control() || c == '\u{2028}'),
        "{line:?}"
    );
    assert!(line.contains("sms sms\\u{1b}[31mred  "), "{line}");
    assert!(line.contains("callback a\\u{a}b\\u{2028}c  "), "{line}");
    assert!(line.ends_with("event ev\\u{d}\\u{a}fake line)"), "{line}");

    let mut incoming = unknown_body();
    incoming["name"] = json!("sms.\nincoming");
    let event = parse(&json_headers(), incoming.to_string().as_bytes()).unwrap();
    assert!(
        event.to_string().starts_with("sms.\\u{a}incoming  "),
        "{event}"
    );
}

#[test]
fn an_event_added_later_is_kept_with_its_data() {
    let event = parse(&json_headers(), unknown_body().to_string().as_bytes()).unwrap();
    let mut expected = Event::new(
        EventId::new("0f7e4c1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b"),
        1760000000,
        Payload::Unknown {
            name: "sms.something.new".into(),
            data: serde_json::value::to_raw_value(
                &json!({"id": "d6c12ac4-cc7d-11ec-b6da-525400bbb7dc", "new": [1, {"x": null}]}),
            )
            .unwrap(),
        },
    );
    expected.api_version = "2026-01-01".into();
    expected.attempt_number = 2;
    expected.attempt_total = 3;
    assert_eq!(event, expected);
    assert_eq!(event.name(), "sms.something.new");
    assert_eq!(serde_json::to_value(&event).unwrap(), unknown_body());
}

#[test]
fn an_unknown_events_data_is_written_back_as_it_was_sent() {
    // Key order, duplicates, the spelling of numbers and strings: as sent.
    let data = r#"{"z":[1,2.50,-0,1e3,"x\u00e9\n"],"a":{"b":null},"z":true}"#;
    let body = format!(
        r#"{{"id": "0f7e4c1a", "api_version": "2026-01-01", "name": "sms.something.new",
            "created_at": 1760000000, "attempt_number": 2, "attempt_total": 3, "data": {data}}}"#
    );
    let event = parse(&json_headers(), body.as_bytes()).unwrap();
    let Payload::Unknown { data: kept, .. } = &event.payload else {
        panic!("an unknown event: {event:?}")
    };
    assert_eq!(kept.get(), data);
    let written = String::from_utf8(serde_json::to_vec(&event).unwrap()).unwrap();
    assert!(written.contains(&format!(r#""data":{data}"#)), "{written}");
    assert_eq!(parse(&HeaderMap::new(), written.as_bytes()).unwrap(), event);
    assert_eq!(serde_json::from_str::<Event>(&written).unwrap(), event);
}

#[test]
fn an_unknown_events_data_loses_only_the_whitespace_between_its_tokens() {
    // On one line, in a log or as a JSON line of `lox24 webhook listen --json`.
    let body = "{\"id\": \"0f7e4c1a\", \"api_version\": \"2026-01-01\",
        \"name\": \"sms.something.new\", \"created_at\": 1760000000,
        \"attempt_number\": 2, \"attempt_total\": 3, \"data\": {
            \"text\" : \"two  spaces, a\\ttab\" ,
            \"list\" :\r\n\t[ 1 , 2 ]
        }}";
    let event = parse(&json_headers(), body.as_bytes()).unwrap();
    let Payload::Unknown { data, .. } = &event.payload else {
        panic!("an unknown event: {event:?}")
    };
    assert_eq!(data.get(), r#"{"text":"two  spaces, a\ttab","list":[1,2]}"#);
    assert_eq!(
        event.to_string(),
        r#"sms.something.new  {"text":"two  spaces, a\ttab","list":[1,2]}  (attempt 2/3, event 0f7e4c1a)"#
    );
    // Data made by hand is shown on one line too.
    let by_hand = Event::new(
        EventId::new("0f7e4c1a"),
        1760000000,
        Payload::Unknown {
            name: "sms.something.new".into(),
            data: serde_json::value::RawValue::from_string("{\n  \"a\": [1,\n 2]\n}".into())
                .unwrap(),
        },
    );
    assert_eq!(
        by_hand.to_string(),
        r#"sms.something.new  {"a":[1,2]}  (attempt 1/4, event 0f7e4c1a)"#
    );
}

#[test]
fn an_envelope_field_written_twice_is_read_where_it_is_written_last() {
    let body = br#"{"id": "first", "api_version": "2022-05-25", "name": "sms.something.new",
        "created_at": 1, "attempt_number": 1, "attempt_total": 4, "data": [1],
        "id": "0f7e4c1a", "data": {"x": 1}}"#;
    let event = parse(&json_headers(), body).unwrap();
    assert_eq!(event.id.as_str(), "0f7e4c1a");
    let Payload::Unknown { data, .. } = &event.payload else {
        panic!("an unknown event: {event:?}")
    };
    assert_eq!(data.get(), r#"{"x":1}"#);
}

#[test]
fn a_known_event_whose_data_names_a_field_twice_is_refused() {
    let mut body = delivery_body().to_string();
    body = body.replacen(r#""dlr_code":1"#, r#""dlr_code":1,"dlr_code":1"#, 1);
    let error = refused(&json_headers(), body.as_bytes());
    assert_eq!(error.kind(), WebhookErrorKind::InvalidData);
    assert_eq!(error.event(), Some("sms.delivery"));
    assert_eq!(
        error.to_string(),
        "not a LOX24 webhook event: the `sms.delivery` event's field `data` does not have \
         the documented form: duplicate field `dlr_code`"
    );
}

/// The webhook error of a body, which must be one.
fn refused(headers: &HeaderMap, body: &[u8]) -> WebhookError {
    match parse(headers, body) {
        Err(Error::Webhook(error)) => error,
        other => panic!("expected a webhook error, got {other:?}"),
    }
}

#[test]
fn an_html_page_is_not_json_and_shows_its_text() {
    let page = b"<html><head><title>502 Bad Gateway</title></head>\n\
        <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    let error = refused(&HeaderMap::new(), page);
    assert_eq!(error.kind(), WebhookErrorKind::NotJson);
    assert_eq!(error.field(), None);
    assert_eq!(
        error.body_excerpt(),
        Some("502 Bad Gateway 502 Bad Gateway nginx")
    );
    assert_eq!(
        error.to_string(),
        "not a LOX24 webhook event: the body is not JSON (line 1, column 1); \
         it starts \"502 Bad Gateway 502 Bad Gateway nginx\""
    );
}

#[test]
fn a_large_body_is_never_repeated_whole() {
    let page = format!("<html><body>{}</body></html>", "Fehler ".repeat(20_000));
    let error = refused(&json_headers(), page.as_bytes());
    assert_eq!(error.kind(), WebhookErrorKind::NotJson);
    assert!(error.to_string().chars().count() < 300, "{error}");
}

#[test]
fn json_cut_short_is_truncated() {
    let body = fixture("spec-examples/webhook_sms_delivery.json");
    let error = refused(&json_headers(), &body[..body.len() / 2]);
    assert_eq!(error.kind(), WebhookErrorKind::Truncated);
    assert_eq!(error.field(), None);
}

#[test]
fn an_empty_body_is_refused_as_empty() {
    for body in [&b""[..], b"\r\n"] {
        let error = refused(&json_headers(), body);
        assert_eq!(error.kind(), WebhookErrorKind::EmptyBody);
        assert_eq!(
            error.to_string(),
            "not a LOX24 webhook event: the body is empty"
        );
    }
}

#[test]
fn a_content_type_that_is_not_json_is_refused_before_the_body_is_read() {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html"));
    let error = refused(&headers, delivery_body().to_string().as_bytes());
    assert_eq!(error.kind(), WebhookErrorKind::ContentType);
    assert_eq!(
        error.to_string(),
        "not a LOX24 webhook event: the Content-Type is \"text/html\", not JSON"
    );

    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    assert!(parse(&headers, delivery_body().to_string().as_bytes()).is_ok());
}

#[test]
fn an_envelope_field_of_the_wrong_type_is_named() {
    let mut body = delivery_body();
    body["attempt_total"] = json!("4");
    let error = refused(&json_headers(), body.to_string().as_bytes());
    assert_eq!(error.kind(), WebhookErrorKind::WrongType);
    assert_eq!(error.field(), Some("attempt_total"));
    assert_eq!(
        error.to_string(),
        "not a LOX24 webhook event: the field `attempt_total` is a string, not a non-negative integer"
    );
}

#[test]
fn a_missing_envelope_field_is_named() {
    let mut body = delivery_body();
    body.as_object_mut().unwrap().remove("name");
    let error = refused(&json_headers(), body.to_string().as_bytes());
    assert_eq!(error.kind(), WebhookErrorKind::MissingField);
    assert_eq!(error.field(), Some("name"));
}

#[test]
fn a_known_event_whose_data_does_not_decode_names_the_event_and_the_field() {
    let mut body = delivery_body();
    body["data"]["dlr_code"] = json!("delivered");
    let error = refused(&json_headers(), body.to_string().as_bytes());
    assert_eq!(error.kind(), WebhookErrorKind::InvalidData);
    assert_eq!(error.event(), Some("sms.delivery"));
    assert_eq!(error.field(), Some("data.dlr_code"));
    assert_eq!(
        error.to_string(),
        "not a LOX24 webhook event: the `sms.delivery` event's field `data.dlr_code` does not \
         have the documented form: invalid type: string \"delivered\", expected i64"
    );

    let mut body = delivery_body();
    body["data"].as_object_mut().unwrap().remove("id");
    let error = refused(&json_headers(), body.to_string().as_bytes());
    assert_eq!(error.kind(), WebhookErrorKind::InvalidData);
    assert_eq!(error.field(), Some("data.id"));
}

// ---------------------------------------------------------------------------
// The receiver, over loopback

/// A client that goes to loopback directly, whatever proxy the environment names.
fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn post(url: &str, content_type: &str, body: impl Into<reqwest::Body>) -> StatusCode {
    http()
        .post(url)
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn events_arrive_parsed_and_in_order_and_malformed_bodies_never_do() {
    let mut receiver = Receiver::bind("127.0.0.1:0").await.unwrap();
    let url = receiver.url();
    assert_eq!(url, format!("http://{}/", receiver.local_addr()));
    let json = "application/json";

    let answer = http()
        .post(&url)
        .header(CONTENT_TYPE, json)
        .body(fixture("spec-examples/webhook_sms_delivery.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.text().await.unwrap(), "");

    let page = "<html><body><h1>It works</h1></body></html>";
    assert_eq!(
        post(&url, "text/html", page).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
    let refusal = http()
        .post(&url)
        .header(CONTENT_TYPE, json)
        .body(page)
        .send()
        .await
        .unwrap();
    assert_eq!(refusal.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        refusal.text().await.unwrap(),
        "not a LOX24 webhook event: the body is not JSON (line 1, column 1); it starts \"It works\"\n"
    );
    let truncated = &fixture("spec-examples/webhook_sms_delivery.json")[..100];
    assert_eq!(
        post(&url, json, truncated.to_vec()).await,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(post(&url, json, "").await, StatusCode::BAD_REQUEST);
    let mut undecodable = delivery_body();
    undecodable["data"]["status_code"] = json!(null);
    assert_eq!(
        post(&url, json, undecodable.to_string()).await,
        StatusCode::BAD_REQUEST
    );

    assert_eq!(
        post(
            &url,
            json,
            fixture("symfony-notifier/webhook_sms_delivery_payload.json")
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        post(
            &url,
            json,
            fixture("spec-examples/webhook_sms_incoming.json")
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        post(&url, json, unknown_body().to_string()).await,
        StatusCode::OK
    );

    assert_eq!(
        receiver.recv().await,
        Some(expected("webhooks.sms-delivery/delivered"))
    );
    assert_eq!(
        receiver.recv().await,
        Some(event_with_callback("some data"))
    );
    assert_eq!(
        receiver.recv().await,
        Some(expected("webhooks.incoming-sms-received/reply"))
    );
    let unknown = receiver.recv().await.unwrap();
    assert_eq!(unknown.name(), "sms.something.new");
    // Nothing else was put on the stream: after closing, it ends.
    receiver.close();
    assert_eq!(receiver.recv().await, None);
}

#[tokio::test]
async fn requests_outside_the_contract_are_refused_with_their_status() {
    let mut receiver = Receiver::builder()
        .path("lox24/events")
        .max_body(600)
        .bind("127.0.0.1:0")
        .await
        .unwrap();
    let url = receiver.url();
    assert_eq!(
        url,
        format!("http://{}/lox24/events", receiver.local_addr())
    );
    let base = format!("http://{}", receiver.local_addr());
    let event = fixture("spec-examples/webhook_sms_delivery.json");
    assert!(event.len() < 600);

    let get = http().get(&url).send().await.unwrap();
    assert_eq!(get.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(get.headers()["allow"], "POST");
    assert_eq!(
        post(&format!("{base}/"), "application/json", event.clone()).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(
            &format!("{base}/lox24/events/x"),
            "application/json",
            event.clone()
        )
        .await,
        StatusCode::NOT_FOUND
    );
    let mut large = delivery_body();
    large["padding"] = json!("x".repeat(600));
    assert_eq!(
        post(&url, "application/json", large.to_string()).await,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    assert_eq!(post(&url, "application/json", event).await, StatusCode::OK);

    assert_eq!(
        receiver.recv().await,
        Some(expected("webhooks.sms-delivery/delivered"))
    );
    receiver.close();
    assert_eq!(receiver.recv().await, None);
}

#[tokio::test]
async fn a_body_that_does_not_arrive_in_time_is_answered_408() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let mut receiver = Receiver::builder()
        .read_timeout(std::time::Duration::from_millis(200))
        .bind("127.0.0.1:0")
        .await
        .unwrap();
    // The head announces ten bytes of body, which never come.
    let mut connection = tokio::net::TcpStream::connect(receiver.local_addr())
        .await
        .unwrap();
    connection
        .write_all(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
              Content-Length: 10\r\n\r\n{",
        )
        .await
        .unwrap();
    let mut answer = Vec::new();
    connection.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8(answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 408 Request Timeout\r\n"),
        "{answer}"
    );
    assert!(
        answer.ends_with("\r\n\r\nthe body did not arrive within 200ms\n"),
        "{answer}"
    );
    receiver.close();
    assert_eq!(receiver.recv().await, None);
}

#[tokio::test]
async fn only_the_listed_peers_may_post() {
    let event = fixture("spec-examples/webhook_sms_delivery.json");

    let mut elsewhere = Receiver::builder()
        .only_from(["127.0.0.2".parse().unwrap()])
        .bind("127.0.0.1:0")
        .await
        .unwrap();
    // Closed without an answer.
    let refused = http()
        .post(elsewhere.url())
        .header(CONTENT_TYPE, "application/json")
        .body(event.clone())
        .send()
        .await
        .unwrap_err();
    assert!(refused.is_request(), "{refused:?}");
    elsewhere.close();
    assert_eq!(elsewhere.recv().await, None);

    let mut here = Receiver::builder()
        .only_from(["127.0.0.1".parse().unwrap()])
        .bind("127.0.0.1:0")
        .await
        .unwrap();
    assert_eq!(
        post(&here.url(), "application/json", event).await,
        StatusCode::OK
    );
    assert!(here.recv().await.is_some());
}

#[tokio::test]
async fn a_closer_ends_the_stream_after_the_events_received_and_the_port_closes() {
    let receiver = Receiver::bind("127.0.0.1:0").await.unwrap();
    let url = receiver.url();
    for body in [
        fixture("spec-examples/webhook_sms_delivery.json"),
        fixture("spec-examples/webhook_sms_incoming.json"),
    ] {
        assert_eq!(post(&url, "application/json", body).await, StatusCode::OK);
    }
    let closer = receiver.closer();
    tokio::spawn(async move { closer.close() });

    // Read as a stream: the two events, then the end.
    let events: Vec<Event> = receiver.collect().await;
    assert_eq!(
        events,
        [
            expected("webhooks.sms-delivery/delivered"),
            expected("webhooks.incoming-sms-received/reply")
        ]
    );
    // The stream ends only once the server has let go of its port.
    let refused = http().post(&url).body("{}").send().await.unwrap_err();
    assert!(refused.is_connect(), "{refused:?}");
}

#[tokio::test]
async fn shutdown_returns_once_the_server_has_stopped() {
    let receiver = Receiver::bind("127.0.0.1:0").await.unwrap();
    let url = receiver.url();
    assert_eq!(
        post(
            &url,
            "application/json",
            fixture("spec-examples/webhook_sms_delivery.json")
        )
        .await,
        StatusCode::OK
    );
    receiver.shutdown().await;
    let refused = http().post(&url).body("{}").send().await.unwrap_err();
    assert!(refused.is_connect(), "{refused:?}");
}

#[test]
fn numbers_are_read_exactly_so_an_event_written_back_reads_the_same() {
    // Found by the fuzz target `webhook_event`: with serde_json's default
    // (best-effort) float parsing, a long number was read one unit in the
    // last place off, and the event written back read as another one.
    let body = br#"{"id": "5b0c8e", "api_version": "2022-05-25", "name": "sms.something.new",
        "created_at": 1760000000, "attempt_total": 4, "attempt_number": 1,
        "data": {"n": 17286989999999999999999999999999999999999999999999999999999999999948}}"#;
    let event = parse(&json_headers(), body).unwrap();
    let Payload::Unknown { data, .. } = &event.payload else {
        panic!("an unknown event: {event:?}")
    };
    // The double nearest to the number written, as Rust's own parser reads it.
    let nearest: f64 = "17286989999999999999999999999999999999999999999999999999999999999948"
        .parse()
        .unwrap();
    let data: Value = serde_json::from_str(data.get()).unwrap();
    assert_eq!(data["n"].as_f64(), Some(nearest));
    let written = serde_json::to_vec(&event).unwrap();
    assert_eq!(parse(&HeaderMap::new(), &written).unwrap(), event);
}

// ---------------------------------------------------------------------------
// The receiver against hostile peers, over raw loopback TCP

mod hostile {
    use std::{
        net::SocketAddr,
        time::{Duration, Instant},
    };

    use lox24::webhook::Receiver;
    use tokio::{
        io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt},
        net::{TcpSocket, TcpStream},
        task::JoinHandle,
        time::timeout,
    };

    use super::{expected, fixture};

    /// How long a test waits for what must happen (a connection cut, an
    /// answer): far above the timeouts set, far below forever.
    const BOUND: Duration = Duration::from_secs(5);

    /// The read timeout of the receivers that must cut peers.
    const SHORT: Duration = Duration::from_millis(200);

    /// A whole request that posts LOX24's delivery report example.
    fn event_request() -> Vec<u8> {
        let body = fixture("spec-examples/webhook_sms_delivery.json");
        let mut request = format!(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(&body);
        request
    }

    async fn connect(addr: SocketAddr) -> TcpStream {
        TcpStream::connect(addr).await.unwrap()
    }

    /// Reads one answer: its head and the body its `content-length` announces.
    async fn read_answer(stream: &mut (impl AsyncRead + Unpin)) -> String {
        let mut answer = Vec::new();
        let mut byte = [0; 1];
        while !answer.ends_with(b"\r\n\r\n") {
            let n = stream.read(&mut byte).await.unwrap();
            assert_eq!(
                n,
                1,
                "closed mid-answer: {}",
                String::from_utf8_lossy(&answer)
            );
            answer.push(byte[0]);
        }
        let head = String::from_utf8(answer).unwrap();
        let length = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length: "))
            .map_or(0, |n| n.parse().unwrap());
        let mut body = vec![0; length];
        stream.read_exact(&mut body).await.unwrap();
        head + &String::from_utf8(body).unwrap()
    }

    /// Reads until the receiver closes the connection (end of stream, or a
    /// reset), which must happen within [`BOUND`]: what was read, and when.
    async fn read_until_closed(stream: &mut (impl AsyncRead + Unpin)) -> (String, Duration) {
        let start = Instant::now();
        let mut read = Vec::new();
        let until_closed = async {
            let mut buffer = [0; 4096];
            loop {
                match stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => read.extend_from_slice(&buffer[..n]),
                }
            }
        };
        if timeout(BOUND, until_closed).await.is_err() {
            panic!(
                "still open after {BOUND:?}; read {:?}",
                String::from_utf8_lossy(&read)
            );
        }
        (String::from_utf8_lossy(&read).into_owned(), start.elapsed())
    }

    /// Writes `first`, then one byte of `trickle` after another, every
    /// 20 ms (well within [`SHORT`]), until the receiver cuts the connection.
    fn trickle(
        mut writer: impl AsyncWrite + Unpin + Send + 'static,
        first: &[u8],
        trickle: u8,
    ) -> JoinHandle<()> {
        let first = first.to_vec();
        tokio::spawn(async move {
            if writer.write_all(&first).await.is_err() {
                return;
            }
            let mut every = tokio::time::interval(Duration::from_millis(20));
            loop {
                every.tick().await;
                if writer.write_all(&[trickle]).await.is_err() {
                    return;
                }
            }
        })
    }

    /// A receiver that cuts peers after [`SHORT`].
    async fn impatient() -> Receiver {
        Receiver::builder()
            .read_timeout(SHORT)
            .bind("127.0.0.1:0")
            .await
            .unwrap()
    }

    /// Nothing arrives on `stream` for a while: no service.
    async fn assert_no_answer(stream: &mut TcpStream, wait: Duration) {
        let mut buffer = [0; 64];
        if let Ok(read) = timeout(wait, stream.read(&mut buffer)).await {
            panic!("expected no service, got {read:?}");
        }
    }

    #[tokio::test]
    async fn connections_beyond_the_limit_wait_for_one_to_end_then_are_served() {
        let mut receiver = Receiver::builder()
            .max_connections(2)
            .bind("127.0.0.1:0")
            .await
            .unwrap();
        let addr = receiver.local_addr();
        // Two idle connections take both places.
        let first = connect(addr).await;
        let _second = connect(addr).await;
        // The third is only in the kernel's backlog: its request is not read.
        let mut third = connect(addr).await;
        third.write_all(&event_request()).await.unwrap();
        assert_no_answer(&mut third, Duration::from_millis(500)).await;

        drop(first);
        let answer = timeout(BOUND, read_answer(&mut third)).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert_eq!(
            receiver.recv().await,
            Some(expected("webhooks.sms-delivery/delivered"))
        );

        // Once the third is gone too, a new peer is served at once.
        drop(third);
        let mut fourth = connect(addr).await;
        fourth.write_all(&event_request()).await.unwrap();
        let answer = timeout(BOUND, read_answer(&mut fourth)).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert!(receiver.recv().await.is_some());
    }

    #[tokio::test]
    async fn a_connection_that_sends_nothing_is_cut_after_the_read_timeout() {
        let receiver = impatient().await;
        let mut silent = connect(receiver.local_addr()).await;
        let (answer, after) = read_until_closed(&mut silent).await;
        assert_eq!(answer, "");
        assert!(after >= SHORT, "cut after {after:?}");
    }

    #[tokio::test]
    async fn a_head_sent_a_byte_at_a_time_is_cut_after_the_read_timeout() {
        let receiver = impatient().await;
        let (mut reader, writer) = connect(receiver.local_addr()).await.into_split();
        let slowloris = trickle(
            writer,
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
            b'a',
        );
        let (answer, _) = read_until_closed(&mut reader).await;
        slowloris.abort();
        // hyper closes without an answer (a later version may send a 408).
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408 "),
            "{answer}"
        );
    }

    #[tokio::test]
    async fn a_connection_idle_after_a_request_is_cut_after_the_read_timeout() {
        let mut receiver = impatient().await;
        let mut kept_alive = connect(receiver.local_addr()).await;
        kept_alive.write_all(&event_request()).await.unwrap();
        let answer = timeout(BOUND, read_answer(&mut kept_alive)).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert!(!answer.contains("connection: close"), "{answer}");
        assert!(receiver.recv().await.is_some());

        let (more, after) = read_until_closed(&mut kept_alive).await;
        assert_eq!(more, "");
        assert!(after >= SHORT, "cut after {after:?}");
    }

    #[tokio::test]
    async fn a_body_sent_a_byte_at_a_time_is_answered_408_after_the_read_timeout() {
        let receiver = impatient().await;
        let (mut reader, writer) = connect(receiver.local_addr()).await.into_split();
        let trickled = trickle(
            writer,
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
              Content-Length: 1000\r\n\r\n{",
            b' ',
        );
        let (answer, after) = read_until_closed(&mut reader).await;
        trickled.abort();
        assert!(
            answer.starts_with("HTTP/1.1 408 Request Timeout\r\n"),
            "{answer}"
        );
        assert!(after >= SHORT, "cut after {after:?}");
    }

    #[tokio::test]
    async fn a_peer_that_does_not_take_its_answers_is_cut_after_the_read_timeout() {
        // Answers of 16 KiB each (a 404 names the path), requested back to
        // back and never read: the socket's buffers fill up, and the
        // receiver's writes wait for the peer.
        let receiver = Receiver::builder()
            .path("x".repeat(16 * 1024))
            .read_timeout(SHORT)
            .bind("127.0.0.1:0")
            .await
            .unwrap();
        let socket = TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(4096).unwrap();
        let mut stream = socket.connect(receiver.local_addr()).await.unwrap();
        let requests = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(100);
        // Writing goes on while the receiver reads; once it is stuck on its
        // answers, it stops reading, and then must cut the connection.
        let flood = async {
            loop {
                if let Err(error) = stream.write_all(&requests).await {
                    return error;
                }
            }
        };
        match timeout(BOUND, flood).await {
            Ok(error) => assert!(
                matches!(
                    error.kind(),
                    std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe
                ),
                "{error:?}"
            ),
            Err(_) => panic!("the receiver still holds a peer that reads nothing after {BOUND:?}"),
        }
    }

    #[tokio::test]
    async fn a_read_timeout_too_long_for_the_clock_is_no_limit() {
        let mut receiver = Receiver::builder()
            .read_timeout(Duration::MAX)
            .bind("127.0.0.1:0")
            .await
            .unwrap();
        let mut connection = connect(receiver.local_addr()).await;
        connection.write_all(&event_request()).await.unwrap();
        let answer = timeout(BOUND, read_answer(&mut connection)).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert!(receiver.recv().await.is_some());
    }

    #[tokio::test]
    async fn a_head_that_reaches_max_head_is_answered_431_without_waiting_for_more() {
        let receiver = Receiver::bind("127.0.0.1:0").await.unwrap();
        let mut connection = connect(receiver.local_addr()).await;
        // One endless header line, exactly as long as the limit: the
        // receiver reads all of it, and must not wait for the rest.
        let mut head = b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: ".to_vec();
        head.resize(lox24::webhook::MAX_HEAD, b'a');
        connection.write_all(&head).await.unwrap();
        let (answer, _) = read_until_closed(&mut connection).await;
        assert!(
            answer.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"),
            "{answer}"
        );
    }

    #[tokio::test]
    async fn a_head_with_more_than_max_headers_fields_is_answered_431() {
        let mut receiver = Receiver::bind("127.0.0.1:0").await.unwrap();
        let addr = receiver.local_addr();
        let fields = |count: usize| {
            let mut head = String::from("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            for n in 1..count {
                head += &format!("X-{n}: {n}\r\n");
            }
            head + "\r\n"
        };
        let mut many = connect(addr).await;
        many.write_all(fields(lox24::webhook::MAX_HEADERS + 1).as_bytes())
            .await
            .unwrap();
        let (answer, _) = read_until_closed(&mut many).await;
        assert!(
            answer.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"),
            "{answer}"
        );
        // As many as allowed are read (and this GET refused as such).
        let mut enough = connect(addr).await;
        enough
            .write_all(fields(lox24::webhook::MAX_HEADERS).as_bytes())
            .await
            .unwrap();
        let answer = timeout(BOUND, read_answer(&mut enough)).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 405 "), "{answer}");
        receiver.close();
        assert_eq!(receiver.recv().await, None);
    }

    #[tokio::test]
    async fn pipelined_requests_are_answered_one_after_another() {
        let mut receiver = Receiver::bind("127.0.0.1:0").await.unwrap();
        let (mut reader, mut writer) = connect(receiver.local_addr()).await.into_split();
        // A thousand refused requests, then an event, in one write.
        let mut flood = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(1000);
        flood.extend_from_slice(&event_request());
        let writing = tokio::spawn(async move {
            writer.write_all(&flood).await.unwrap();
            writer
        });
        for n in 0..1000 {
            let answer = timeout(BOUND, read_answer(&mut reader)).await.unwrap();
            assert!(answer.starts_with("HTTP/1.1 405 "), "{n}: {answer}");
        }
        let answer = timeout(BOUND, read_answer(&mut reader)).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert_eq!(
            receiver.recv().await,
            Some(expected("webhooks.sms-delivery/delivered"))
        );
        drop(writing.await.unwrap());
    }

    #[tokio::test]
    async fn a_body_announced_over_max_body_is_answered_413_before_it_is_sent() {
        let mut receiver = Receiver::builder()
            .max_body(600)
            .bind("127.0.0.1:0")
            .await
            .unwrap();
        let addr = receiver.local_addr();
        let head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
                    Content-Length: 1000000000\r\n";
        // Only the head is sent: the answer must not wait for the body
        // (the read timeout is the default, 30 s).
        let mut announced = connect(addr).await;
        announced
            .write_all(format!("{head}\r\n").as_bytes())
            .await
            .unwrap();
        let (answer, _) = read_until_closed(&mut announced).await;
        assert!(
            answer.starts_with("HTTP/1.1 413 Payload Too Large\r\n"),
            "{answer}"
        );
        assert!(
            answer.ends_with("\r\n\r\nthe body is larger than 600 bytes\n"),
            "{answer}"
        );
        // A peer that waits for `100 Continue` is refused instead.
        let mut expecting = connect(addr).await;
        expecting
            .write_all(format!("{head}Expect: 100-continue\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let (answer, _) = read_until_closed(&mut expecting).await;
        assert!(
            answer.starts_with("HTTP/1.1 413 Payload Too Large\r\n"),
            "{answer}"
        );
        receiver.close();
        assert_eq!(receiver.recv().await, None);
    }

    #[tokio::test]
    async fn a_body_of_another_type_is_answered_415_before_it_is_sent() {
        let mut receiver = Receiver::builder().bind("127.0.0.1:0").await.unwrap();
        let addr = receiver.local_addr();
        // Only the head is sent: the answer must not wait for the body
        // (the read timeout is the default, 30 s).
        let mut stream = connect(addr).await;
        stream
            .write_all(
                b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/html\r\n\
                  Content-Length: 1000\r\n\r\n",
            )
            .await
            .unwrap();
        let (answer, _) = read_until_closed(&mut stream).await;
        assert!(
            answer.starts_with("HTTP/1.1 415 Unsupported Media Type\r\n"),
            "{answer}"
        );
        assert!(answer.contains("text/html"), "{answer}");
        receiver.close();
        assert_eq!(receiver.recv().await, None);
    }

    /// `body` in chunks of `size` bytes, as `Transfer-Encoding: chunked` sends it.
    fn chunked(body: &[u8], size: usize) -> Vec<u8> {
        let mut request =
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
                            Transfer-Encoding: chunked\r\n\r\n"
                .to_vec();
        for chunk in body.chunks(size) {
            request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            request.extend_from_slice(chunk);
            request.extend_from_slice(b"\r\n");
        }
        request.extend_from_slice(b"0\r\n\r\n");
        request
    }

    #[tokio::test]
    async fn a_chunked_body_is_read_up_to_max_body_and_answered_413_beyond() {
        let mut receiver = Receiver::builder()
            .max_body(600)
            .bind("127.0.0.1:0")
            .await
            .unwrap();
        let addr = receiver.local_addr();
        let event = fixture("spec-examples/webhook_sms_delivery.json");
        assert!(event.len() < 600);

        let mut small = connect(addr).await;
        small.write_all(&chunked(&event, 50)).await.unwrap();
        let answer = timeout(BOUND, read_answer(&mut small)).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert_eq!(
            receiver.recv().await,
            Some(expected("webhooks.sms-delivery/delivered"))
        );

        // No length announced: the body is refused once it passes the limit.
        let mut large = event.clone();
        large.extend_from_slice(&[b' '; 600]);
        let mut over = connect(addr).await;
        over.write_all(&chunked(&large, 100)).await.unwrap();
        let (answer, _) = read_until_closed(&mut over).await;
        assert!(
            answer.starts_with("HTTP/1.1 413 Payload Too Large\r\n"),
            "{answer}"
        );
        receiver.close();
        assert_eq!(receiver.recv().await, None);
    }

    #[tokio::test]
    async fn peers_not_listed_are_closed_at_once_and_take_no_place() {
        let mut receiver = Receiver::builder()
            .only_from(["127.0.0.2".parse().unwrap()])
            .max_connections(1)
            .bind("127.0.0.1:0")
            .await
            .unwrap();
        let addr = receiver.local_addr();
        // From 127.0.0.1, not listed: each is closed before anything is
        // read, well before the read timeout (the default, 30 s), however
        // many come (the limit is one).
        let mut strangers = Vec::new();
        for _ in 0..5 {
            let mut stranger = connect(addr).await;
            stranger.write_all(&event_request()).await.unwrap();
            strangers.push(stranger);
        }
        for stranger in &mut strangers {
            let (answer, _) = read_until_closed(stranger).await;
            assert_eq!(answer, "");
        }
        // From 127.0.0.2, listed: served.
        let socket = TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
        let mut listed = socket.connect(addr).await.unwrap();
        listed.write_all(&event_request()).await.unwrap();
        let answer = timeout(BOUND, read_answer(&mut listed)).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
        assert_eq!(
            receiver.recv().await,
            Some(expected("webhooks.sms-delivery/delivered"))
        );
    }
}
