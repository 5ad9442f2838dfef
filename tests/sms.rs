//! Single messages over loopback HTTP: send, dry run, read, delete, list
//! with every filter, cancel and delete in bulk, clicks and short-link
//! requests, and a campaign's messages. Answers are LOX24's own examples
//! where it published any.

mod common;

use std::ops::Bound;

use chrono::{DateTime, TimeZone, Utc};
use common::{
    REQUEST_ID, TOKEN,
    answers::{
        ON_A_LIST, ON_A_RESOURCE, ON_CREATING, assert_error_statuses, assert_untrusted_answers,
    },
    bodiless, catch_all, client, client_at, deleted,
    hydra::{bare_array, empty_pages, page, two_pages},
    raw_server::{RawServer, Reply},
    read_all, refused, sent_by_client,
};
use futures_util::TryStreamExt;
use httpmock::{
    Method::{GET, POST},
    MockServer,
};
use lox24::{
    BulkId, DlrCode, Encoding, Iri, NewSms, OrUnknown, ServiceCode, Sms, SmsId, SmsOrder, SmsQuery,
    SmsStatus, SortDirection, VoiceLanguage,
    links::{ShortLinkRequest, ShortLinkRequestQuery},
    low_level::types::UnixTime,
    mock::MockServerExt,
    number::{Country, PhonePolicy},
    sms::SmsClicks,
};
use serde_json::{Value, json};

/// The id of LOX24's examples.
const EXAMPLE_ID: &str = "11111111-2222-3333-4444-555555555555";
/// The id of the PHP client's example of `GET /sms/{uuid}`.
const PHP_ID: &str = "9fe26332-cdbe-11ee-8d61-7c10c91d54a5";
const BULK: &str = "0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11";

/// LOX24's `example_sms_response_basic_sms_jsonld`.
fn basic_sms_jsonld() -> Value {
    json!({
        "@context": "/contexts/sms", "@id": "/sms/11111111-2222-3333-4444-555555555555",
        "@type": "sms", "bulk_id": null, "callback_data": null, "chars_count": 34,
        "clicks": "/sms/11111111-2222-3333-4444-555555555555/clicks",
        "created_at": 1755868416, "delivery_at": 0, "dlr_code": 0, "gateway_sent_at": 0,
        "ip": "139.59.136.251", "is_sent": false, "is_text_deleted": false,
        "is_unicode": false, "iso2": "US", "key_id": 8291, "parts_count": 1,
        "phone": "+14155552671", "price": 0.056,
        "requests": "/sms/11111111-2222-3333-4444-555555555555/requests",
        "sender_id": "+19388888025", "service_code": "direct", "source": 0, "status_code": 0,
        "text": "Hello! This is a test SMS message.",
        "uuid": "11111111-2222-3333-4444-555555555555", "voice_lang": null
    })
}

/// Another of LOX24's examples: the basic one in plain JSON, with `changes`.
fn basic_sms_with(changes: Value) -> Value {
    let mut sms = basic_sms_jsonld();
    let fields = sms.as_object_mut().unwrap();
    fields.retain(|key, _| !key.starts_with('@'));
    fields.extend(changes.as_object().unwrap().clone());
    sms
}

/// LOX24's `example_sms_response_delete_text` (plain JSON).
fn delete_text_sms() -> Value {
    basic_sms_with(json!({
        "chars_count": 79, "created_at": 1755783151, "gateway_sent_at": 1755783151,
        "is_sent": true, "is_text_deleted": true, "key_id": 8207, "price": 0.07,
        "sender_id": "USSender", "status_code": 100, "text": ""
    }))
}

/// The text of LOX24's transliteration example, as sent.
const TRANSLIT_TEXT: &str = "Nicht alle Sonderzeichen sind im GSM Zeichensatz enthalten, z.B. nur das richtige Apostroph: Anna's Auto geht, aber nicht Max`s Haus. Akzente gehen teilweise: André, jedoch nicht alle: Háns. Normale Bindestriche - gehen, nicht allerdings längere: –";

/// LOX24's `example_sms_response_translit` (plain JSON).
fn translit_sms() -> Value {
    basic_sms_with(json!({
        "chars_count": 248, "created_at": 1755780931, "dlr_code": 16,
        "gateway_sent_at": 1755780931, "ip": "1.1.1.1", "is_sent": true, "iso2": "DE",
        "key_id": 200100, "parts_count": 2, "phone": "+491701234567", "price": 0.13,
        "sender_id": "Test", "status_code": 100,
        "text": "Nicht alle Sonderzeichen sind im GSM Zeichensatz enthalten, z.B. nur das richtige Apostroph: Anna's Auto geht, aber nicht Max's Haus. Akzente gehen teilweise: André, jedoch nicht alle: Hans. Normale Bindestriche - gehen, nicht allerdings längere: -",
        "voice_lang": "DE"
    }))
}

/// The answer of `GET /sms/{uuid}` in the tests of LOX24's PHP client.
fn php_sms() -> Value {
    json!({
        "@id": "/sms/9fe26332-cdbe-11ee-8d61-7c10c91d54a5", "@type": "sms",
        "text": "test sms text", "sender_id": "Auth0", "phone": "+1234567890",
        "delivery_at": 0, "status_code": 100, "gateway_sent_at": 1708192910, "source": 0,
        "dlr_code": 1, "ip": "1.1.1.1", "created_at": 1708192910, "is_unicode": false,
        "uuid": "9fe26332-cdbe-11ee-8d61-7c10c91d54a5", "iso2": "GE", "voice_lang": "EN",
        "parts_count": 1, "chars_count": 94, "callback_data": null, "bulk_id": null,
        "key_id": 8355, "service_code": "direct", "is_text_deleted": false, "price": 0.095,
        "is_sent": true, "requests": "/sms/9fe26332-cdbe-11ee-8d61-7c10c91d54a5/requests",
        "clicks": "/sms/9fe26332-cdbe-11ee-8d61-7c10c91d54a5/clicks"
    })
}

/// The mock item of the PHP client's `SmsApiTest`: a number LOX24 could not
/// place, no parts count, the largest 32-bit times.
fn php_mock_sms() -> Value {
    json!({
        "@id": "/sms/f5e0b24a-cd64-11ed-8d61-7c10c91d54a5", "@type": "sms",
        "text": "test text", "sender_id": "Fee", "phone": "0000", "delivery_at": 0,
        "status_code": 100, "gateway_sent_at": 4294967295u64, "source": 0, "dlr_code": 0,
        "ip": "1.1.1.1", "created_at": 4294967295u64, "is_unicode": false,
        "uuid": "f5e0b24a-cd64-11ed-8d61-7c10c91d54a5", "iso2": null, "voice_lang": null,
        "parts_count": null, "chars_count": 0, "callback_data": null, "bulk_id": null,
        "key_id": null, "service_code": "direct", "is_text_deleted": false, "price": 5,
        "is_sent": true, "requests": "/sms/f5e0b24a-cd64-11ed-8d61-7c10c91d54a5/requests",
        "clicks": "/sms/f5e0b24a-cd64-11ed-8d61-7c10c91d54a5/clicks"
    })
}

/// A message of a list, with its id made from `n`.
fn listed(n: u8) -> Value {
    let uuid = format!("9fe26332-cdbe-11ee-8d61-7c10c91d54{n:02x}");
    json!({
        "@id": format!("/sms/{uuid}"), "@type": "sms", "uuid": uuid,
        "phone": "+491701234567", "status_code": 100, "dlr_code": 8, "bulk_id": BULK
    })
}

fn at(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(seconds, 0).unwrap()
}

#[tokio::test]
async fn send_sms_posts_every_option_and_reads_lox24s_json_ld_example() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            sent_by_client(when.method(POST).path("/sms"), "application/ld+json")
                .header("content-type", "application/json")
                .json_body(json!({
                    "sender_id": "+491701234567",
                    "text": "Ihre Bestellung #12345 wurde versandt und ist unterwegs!",
                    "phone": "+14155552671",
                    "callback_data": "order_12345_shipping_notification",
                    "delivery_at": 1924992000,
                    "is_unicode": true,
                    "service_code": "text2speech",
                    "voice_lang": "EN",
                    "is_text_deleted": true,
                    "source": 1234
                }));
            then.status(201)
                .header("content-type", "application/ld+json; charset=utf-8")
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(basic_sms_jsonld());
        })
        .await;

    let sms = NewSms::new(
        "+491701234567",
        "Ihre Bestellung #12345 wurde versandt und ist unterwegs!",
        "+14155552671",
    )
    .callback_data("order_12345_shipping_notification")
    .deliver_at(at(1_924_992_000)) // 2031-01-01
    .encoding(Encoding::Unicode)
    .service(ServiceCode::Text2speech)
    .voice_language(VoiceLanguage::En)
    .delete_text_after_sending(true)
    .source(1234);
    let sent = client(&server).send_sms(&sms).await.unwrap();

    mock.assert_async().await;
    assert_eq!(sent.uuid, SmsId::new(EXAMPLE_ID));
    assert_eq!(sent.iri().as_str(), format!("/sms/{EXAMPLE_ID}"));
    assert_eq!(sent.jsonld.context, Some(json!("/contexts/sms")));
    assert_eq!(sent.jsonld.kind.as_deref(), Some("sms"));
    assert_eq!(
        (sent.status_code, sent.dlr_code, sent.is_sent),
        (Some(SmsStatus::New), Some(DlrCode::None), Some(false))
    );
    assert_eq!(
        (sent.parts_count, sent.chars_count, sent.price),
        (Some(1), Some(34), Some(0.056))
    );
    assert_eq!(
        (sent.phone.as_deref(), sent.sender_id.as_deref()),
        (Some("+14155552671"), Some("+19388888025"))
    );
    assert_eq!(
        sent.text.as_deref(),
        Some("Hello! This is a test SMS message.")
    );
    assert_eq!(
        (sent.iso2.as_deref(), sent.key_id, sent.source),
        (Some("US"), Some(8291), Some(0))
    );
    assert_eq!(
        (sent.created_at, sent.delivery_at, sent.gateway_sent_at),
        (Some(1_755_868_416), Some(0), Some(0))
    );
    assert_eq!(
        sent.service_code,
        Some(OrUnknown::Known(ServiceCode::Direct))
    );
    assert_eq!((&sent.voice_lang, &sent.bulk_id), (&None, &None));
    assert_eq!(sent.ip.as_deref(), Some("139.59.136.251"));
    assert_eq!(
        sent.clicks,
        Some(Iri::new(format!("/sms/{EXAMPLE_ID}/clicks")))
    );
    assert_eq!(
        sent.requests,
        Some(Iri::new(format!("/sms/{EXAMPLE_ID}/requests")))
    );
    assert!(!sent.is_settled());
}

#[tokio::test]
async fn lox24s_request_examples_go_out_as_written() {
    let examples = [
        (
            NewSms::new(
                "+491701234567",
                "Hallo! Das ist eine Test-SMS.",
                "+14155552671",
            ),
            json!({"phone": "+14155552671", "sender_id": "+491701234567", "text": "Hallo! Das ist eine Test-SMS."}),
        ),
        (
            NewSms::new(
                "+491701234567",
                "Ihre Bestellung #12345 wurde versandt und ist unterwegs!",
                "+14155552671",
            )
            .callback_data("order_12345_shipping_notification"),
            json!({
                "callback_data": "order_12345_shipping_notification", "phone": "+14155552671",
                "sender_id": "+491701234567",
                "text": "Ihre Bestellung #12345 wurde versandt und ist unterwegs!"
            }),
        ),
        (
            NewSms::new(
                "+491701234567",
                "<speak>Ihr Bestätigungscode ist <say-as interpret-as=\"characters\">A1B2C3</say-as>.<break time=\"1s\"/>Bitte geben Sie ihn jetzt ein.</speak>",
                "+14155552671",
            )
            .service(ServiceCode::Text2speech)
            .voice_language(VoiceLanguage::En),
            json!({
                "phone": "+14155552671", "sender_id": "+491701234567", "service_code": "text2speech",
                "text": "<speak>Ihr Bestätigungscode ist <say-as interpret-as=\"characters\">A1B2C3</say-as>.<break time=\"1s\"/>Bitte geben Sie ihn jetzt ein.</speak>",
                "voice_lang": "EN"
            }),
        ),
        (
            NewSms::new("Test", TRANSLIT_TEXT, "+14155552671").encoding(Encoding::Gsm),
            json!({"is_unicode": false, "phone": "+14155552671", "sender_id": "Test", "text": TRANSLIT_TEXT}),
        ),
    ];
    for (sms, body) in examples {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                when.method(POST).path("/sms").json_body(body.clone());
                then.status(201).json_body(translit_sms());
            })
            .await;
        let sent = client(&server).send_sms(&sms).await;
        mock.assert_async().await;
        assert!(sent.is_ok(), "{body}: {sent:?}");
    }
}

#[tokio::test]
async fn plain_json_answers_decode_lox24s_examples() {
    let server = MockServer::start_async().await;
    for (sent, answer) in [
        (r#"{"text": "code"}"#, delete_text_sms()),
        (r#"{"sender_id": "Test"}"#, translit_sms()),
    ] {
        server
            .mock_async(|when, then| {
                when.method(POST).path("/sms").json_body_includes(sent);
                then.status(201)
                    .header("content-type", "application/json")
                    .json_body(answer);
            })
            .await;
    }
    let client = client(&server);

    let deleted = client
        .send_sms(&NewSms::new("USSender", "code", "+14155552671").delete_text_after_sending(true))
        .await
        .unwrap();
    assert_eq!(deleted.iri().as_str(), format!("/sms/{EXAMPLE_ID}"));
    assert_eq!(deleted.jsonld, lox24::JsonLdMeta::default());
    assert_eq!(
        (deleted.text.as_deref(), deleted.is_text_deleted),
        (Some(""), Some(true))
    );
    assert_eq!(
        (deleted.status_code, deleted.gateway_sent_at, deleted.price),
        (Some(SmsStatus::Sent), Some(1_755_783_151), Some(0.07))
    );

    let translit = client
        .send_sms(&NewSms::new("Test", TRANSLIT_TEXT, "+491701234567").encoding(Encoding::Gsm))
        .await
        .unwrap();
    assert_eq!(translit.dlr_code, Some(DlrCode::Rejected));
    assert_eq!(
        (translit.parts_count, translit.chars_count),
        (Some(2), Some(248))
    );
    assert_eq!(
        translit.voice_lang,
        Some(OrUnknown::Known(VoiceLanguage::De))
    );
    assert!(
        translit.text.as_deref().unwrap_or_default().ends_with(
            "nicht alle: Hans. Normale Bindestriche - gehen, nicht allerdings längere: -"
        )
    );
    assert!(translit.is_settled(), "a rejected message is settled");
}

#[tokio::test]
async fn recipients_follow_the_phone_policy() {
    let server = MockServer::start_async().await;
    let sent_to = |phone: &'static str| {
        server.mock_async(move |when, then| {
            let body = json!({"sender_id": "Shop", "text": "Hi", "phone": phone});
            when.method(POST).path("/sms").json_body(body);
            then.status(201).json_body(translit_sms());
        })
    };
    let normalised = sent_to("+491701234567").await;
    let as_written = sent_to("01701234567").await;
    let client = client(&server);

    for sms in [
        NewSms::new("Shop", "Hi", "0049 170 1234567"),
        NewSms::new("Shop", "Hi", "491701234567")
            .phone_policy(PhonePolicy::Normalize(Country::from_iso("DE").ok())),
        NewSms::new("Shop", "Hi", "0170/123 45 67")
            .phone_policy(PhonePolicy::Normalize(Country::from_iso("DE").ok())),
    ] {
        client.send_sms(&sms).await.unwrap();
    }
    client
        .send_sms(&NewSms::new("Shop", "Hi", "01701234567").phone_policy(PhonePolicy::PassThrough))
        .await
        .unwrap();

    normalised.assert_calls_async(3).await;
    as_written.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_dry_run_posts_to_its_own_path_and_reads_the_placeholder_id() {
    // LOX24 documents the dry run's id as `11111111-2222-3333-4444-55555555555`:
    // its last group has eleven digits, so it is not a well-formed UUID.
    let placeholder = "11111111-2222-3333-4444-55555555555";
    let mut jsonld = basic_sms_jsonld();
    jsonld["uuid"] = json!(placeholder);
    jsonld["@id"] = json!(format!("/sms/{placeholder}"));
    let mut plain = delete_text_sms();
    plain["uuid"] = json!(placeholder);
    for (content_type, answer) in [("application/ld+json", jsonld), ("application/json", plain)] {
        let server = MockServer::start_async().await;
        let mock = server
            .mock_async(|when, then| {
                sent_by_client(when.method(POST).path("/sms/dryrun"), "application/ld+json")
                    .header("content-type", "application/json")
                    .json_body(json!({
                        "sender_id": "MyShop", "text": "Grüße aus Köln!", "phone": "+491701234567",
                        "callback_data": "order-17"
                    }));
                then.status(201)
                    .header("content-type", content_type)
                    .json_body(answer.clone());
            })
            .await;

        let sms =
            NewSms::new("MyShop", "Grüße aus Köln!", "+491701234567").callback_data("order-17");
        let preview = client(&server).dry_run_sms(&sms).await.unwrap();

        mock.assert_async().await;
        assert_eq!(preview.uuid.as_str(), placeholder, "{content_type}");
        assert_eq!(preview.iri().as_str(), format!("/sms/{placeholder}"));
        assert_eq!(preview.parts_count, Some(1));
    }
}

#[tokio::test]
async fn get_sms_reads_the_php_clients_examples() {
    let server = MockServer::start_async().await;
    let path = format!("/sms/{PHP_ID}");
    let get = bodiless(&server, "GET", &path, "application/ld+json", 200, php_sms()).await;
    let mock_item = server.get_sms(|when, then| {
        when.uuid(&SmsId::new("f5e0b24a-cd64-11ed-8d61-7c10c91d54a5"));
        then.ok(&serde_json::from_value(php_mock_sms()).unwrap());
    });
    let client = client(&server);

    let sms = client.get_sms(&SmsId::new(PHP_ID)).await.unwrap();
    get.assert_async().await;
    assert_eq!(sms.iri().as_str(), format!("/sms/{PHP_ID}"));
    assert_eq!(
        (sms.status_code, sms.dlr_code, sms.is_sent),
        (Some(SmsStatus::Sent), Some(DlrCode::Delivered), Some(true))
    );
    assert_eq!(
        (sms.gateway_sent_at, sms.iso2.as_deref(), sms.key_id),
        (Some(1_708_192_910), Some("GE"), Some(8355))
    );
    assert_eq!(sms.voice_lang, Some(OrUnknown::Known(VoiceLanguage::En)));
    assert_eq!(
        (sms.parts_count, sms.chars_count, sms.price),
        (Some(1), Some(94), Some(0.095))
    );
    assert!(sms.is_settled());

    let odd = client
        .get_sms(&SmsId::new("f5e0b24a-cd64-11ed-8d61-7c10c91d54a5"))
        .await
        .unwrap();
    mock_item.assert();
    assert_eq!(odd.phone.as_deref(), Some("0000"));
    assert_eq!((odd.parts_count, odd.key_id, odd.iso2), (None, None, None));
    assert_eq!(
        (odd.price, odd.created_at),
        (Some(5.0), Some(4_294_967_295))
    );
}

#[tokio::test]
async fn delete_sms_sends_delete_and_takes_204() {
    let server = MockServer::start_async().await;
    let path = format!("/sms/{PHP_ID}");
    let mock = deleted(&server, &path).await;
    client(&server)
        .delete_sms(&SmsId::new(PHP_ID))
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn list_sms_reads_every_page_and_a_bare_array() {
    let server = MockServer::start_async().await;
    let pages = two_pages(&server, "/sms", vec![listed(1), listed(2)], vec![listed(3)]).await;
    let listing = client(&server).list_sms(&SmsQuery::new()).await.unwrap();
    assert_eq!(listing.total_items(), Some(3));
    let read: Vec<Sms> = listing.try_collect().await.unwrap();
    let ids: Vec<&str> = read.iter().map(|s| s.uuid.as_str()).collect();
    assert_eq!(
        ids,
        [
            "9fe26332-cdbe-11ee-8d61-7c10c91d5401",
            "9fe26332-cdbe-11ee-8d61-7c10c91d5402",
            "9fe26332-cdbe-11ee-8d61-7c10c91d5403"
        ]
    );
    assert_eq!(read[2].bulk_id, Some(BulkId::new(BULK)));
    assert_eq!(read[2].dlr_code, Some(DlrCode::Expired));
    for mock in pages {
        mock.assert_calls_async(1).await;
    }

    let plain = MockServer::start_async().await;
    bare_array(&plain, "/sms", vec![delete_text_sms(), translit_sms()]).await;
    let listing = client(&plain).list_sms(&SmsQuery::new()).await.unwrap();
    assert_eq!(listing.total_items(), None);
    let read: Vec<Sms> = listing.try_collect().await.unwrap();
    assert_eq!(
        read.iter().map(|s| s.chars_count).collect::<Vec<_>>(),
        [Some(79), Some(248)]
    );
}

#[tokio::test]
async fn each_filter_in_its_single_form_has_the_specs_name() {
    let server = MockServer::start_async().await;
    let mock = server.list_sms(|when, then| {
        when.uuid(PHP_ID)
            .bulk(BULK)
            .status_code(6000)
            .dlr_code(16)
            .callback_data("order-17")
            .phone("49170")
            .is_sent(false)
            .created_at_gte(&UnixTime(1_700_000_000))
            .created_at_lt(&UnixTime(1_800_000_000))
            .created_at_gt(None)
            .created_at_lte(None)
            .order_created_at(&SortDirection::Asc)
            .order_gateway_sent_at(None)
            .page(None)
            .into_inner()
            .header("x-lox24-auth-token", TOKEN)
            .header("accept", "application/ld+json");
        then.ok(&serde_json::from_value(page("/sms", vec![listed(1)], 1, None)).unwrap());
    });

    let query = SmsQuery::new()
        .id(&SmsId::new(PHP_ID))
        .bulk(&BulkId::new(BULK))
        .statuses([SmsStatus::Cancelled])
        .dlr_codes([DlrCode::Rejected])
        .callback_data("order-17")
        .phone_containing("49170")
        .sent(false)
        .created(at(1_700_000_000)..at(1_800_000_000))
        .order_by(SmsOrder::CreatedAt, SortDirection::Asc);
    let read: Vec<Sms> = read_all(client(&server).list_sms(&query).await).await;

    mock.assert();
    assert_eq!(read.len(), 1);
}

#[tokio::test]
async fn several_values_go_as_the_repeated_array_parameter_in_a_fixed_order() {
    let server = empty_pages("/sms").await;
    let query = SmsQuery::new()
        .order_by(SmsOrder::SentAt, SortDirection::Desc)
        .id(&SmsId::new(PHP_ID))
        .id(&SmsId::new(EXAMPLE_ID))
        .bulk(&BulkId::new(BULK))
        .bulk(&BulkId::new("1b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b12"))
        .statuses([SmsStatus::New, SmsStatus::Sent])
        .dlr_codes([DlrCode::Expired, DlrCode::Rejected])
        .callback_data("a b")
        .callback_data("c&d")
        .phone_containing("+49")
        .sent(true)
        .created((
            Bound::Excluded(at(1_700_000_000)),
            Bound::Included(at(1_800_000_000)),
        ))
        .order_by(SmsOrder::CreatedAt, SortDirection::Asc);
    let read: Vec<Sms> = read_all(client_at(&server.url).list_sms(&query).await).await;

    assert!(read.is_empty());
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].request_line(),
        "GET /sms?uuid%5B%5D=9fe26332-cdbe-11ee-8d61-7c10c91d54a5\
         &uuid%5B%5D=11111111-2222-3333-4444-555555555555\
         &bulk%5B%5D=0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11\
         &bulk%5B%5D=1b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b12\
         &status_code%5B%5D=0&status_code%5B%5D=100&dlr_code%5B%5D=8&dlr_code%5B%5D=16\
         &callback_data%5B%5D=a+b&callback_data%5B%5D=c%26d&phone=%2B49&is_sent=true\
         &created_at%5Bgt%5D=1700000000&created_at%5Blte%5D=1800000000\
         &_order%5Bgateway_sent_at%5D=desc&_order%5Bcreated_at%5D=asc HTTP/1.1"
    );
    assert_eq!(received[0].header("accept"), Some("application/ld+json"));
    assert_eq!(received[0].header("x-lox24-auth-token"), Some(TOKEN));
}

#[tokio::test]
async fn a_campaigns_messages_are_the_messages_filtered_by_its_id() {
    let server = empty_pages("/sms").await;
    let campaign = client_at(&server.url).campaign(&BulkId::new(BULK));

    let all: Vec<Sms> = read_all(campaign.messages().await).await;
    let failed: Vec<Sms> = read_all(
        campaign
            .messages_where(SmsQuery::new().dlr_codes([DlrCode::Expired, DlrCode::Rejected]))
            .await,
    )
    .await;

    assert!(all.is_empty() && failed.is_empty());
    assert_eq!(
        server.request_lines(),
        [
            "GET /sms?bulk=0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11 HTTP/1.1",
            "GET /sms?bulk=0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11&dlr_code%5B%5D=8&dlr_code%5B%5D=16 HTTP/1.1",
        ]
    );
}

/// A raw server answering every request with `body` (JSON), for the batch
/// operations, whose requests are checked byte for byte.
async fn batch_server(body: &str) -> RawServer {
    RawServer::start(Reply::http(
        "200 OK",
        &[
            ("content-type", "application/json"),
            ("x-lox24-request-id", REQUEST_ID),
        ],
        body,
    ))
    .await
}

#[tokio::test]
async fn cancel_sms_posts_the_filters_and_reads_the_php_clients_count() {
    // The PHP client's mock answer names the count `canceled_sms_count`;
    // LOX24's document says `deleted_sms_count`.
    let server = batch_server(r#"{"canceled_sms_count": 20}"#).await;
    let query = SmsQuery::new()
        .callback_data("order-17")
        .sent(false)
        .order_by(SmsOrder::CreatedAt, SortDirection::Asc);

    let cancelled = client_at(&server.url).cancel_sms(&query).await.unwrap();

    assert_eq!(cancelled, 20);
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].request_line(),
        "POST /sms/ops/batch_cancel?callback_data=order-17&is_sent=false HTTP/1.1"
    );
    assert_eq!(received[0].header("accept"), Some("application/json"));
    assert_eq!(received[0].header("x-lox24-auth-token"), Some(TOKEN));
    assert_eq!(received[0].header("content-type"), None);
    // RFC 9110 (8.6): a POST says when it has no content, as LOX24's own
    // samples in Go and Python do; a proxy may refuse one that does not (411).
    assert_eq!(received[0].header("content-length"), Some("0"));
    assert!(received[0].body.is_empty());
}

#[tokio::test]
async fn delete_sms_where_posts_the_filters_and_reads_deleted_sms_count() {
    let server = batch_server(r#"{"deleted_sms_count": 20}"#).await;
    let query = SmsQuery::new()
        .bulk(&BulkId::new(BULK))
        .statuses([SmsStatus::Landline, SmsStatus::NoNetwork]);

    let deleted = client_at(&server.url)
        .delete_sms_where(&query)
        .await
        .unwrap();

    assert_eq!(deleted, 20);
    let received = server.received();
    assert_eq!(
        received[0].request_line(),
        "POST /sms/ops/batch_delete?bulk=0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11\
         &status_code%5B%5D=2000&status_code%5B%5D=5000 HTTP/1.1"
    );
    assert_eq!(received[0].header("accept"), Some("application/json"));
    assert_eq!(received[0].header("content-length"), Some("0"));
    assert!(received[0].body.is_empty());
}

#[tokio::test]
async fn cancel_all_and_delete_all_send_no_filter() {
    let server = batch_server(r#"{"deleted_sms_count": 0}"#).await;
    let client = client_at(&server.url);

    assert_eq!(client.cancel_all_sms().await.unwrap(), 0);
    assert_eq!(client.delete_all_sms().await.unwrap(), 0);

    assert_eq!(
        server.request_lines(),
        [
            "POST /sms/ops/batch_cancel HTTP/1.1",
            "POST /sms/ops/batch_delete HTTP/1.1"
        ]
    );
}

#[tokio::test]
async fn a_batch_without_a_filter_is_refused_and_names_the_call_that_means_it() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let client = client(&server);
    let ordered_only = SmsQuery::new().order_by(SmsOrder::SentAt, SortDirection::Asc);

    for query in [SmsQuery::new(), ordered_only] {
        let invalid = ("query".to_owned(), "invalid".to_owned());
        assert_eq!(refused(client.cancel_sms(&query).await), invalid);
        assert_eq!(refused(client.delete_sms_where(&query).await), invalid);
        let err = client.cancel_sms(&query).await.unwrap_err();
        assert!(err.to_string().contains("Client::cancel_all_sms"), "{err}");
        let err = client.delete_sms_where(&query).await.unwrap_err();
        assert!(err.to_string().contains("Client::delete_all_sms"), "{err}");
        assert!(err.to_string().contains("every message"), "{err}");
    }
    // A bad filter is named before the missing one would be.
    assert_eq!(
        refused(
            client
                .cancel_sms(&SmsQuery::new().id(&SmsId::new("x")))
                .await
        ),
        ("uuid[0]".to_owned(), "pattern".to_owned())
    );
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_time_range_is_refused_for_the_batch_operations() {
    // LOX24 declares time ranges for the list of messages, not for the
    // batch operations: a filter it ignored would cancel or delete more
    // messages than the query selects (every one, if it was the only one).
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let client = client(&server);
    let invalid = ("created_at".to_owned(), "invalid".to_owned());

    let lately = SmsQuery::new()
        .callback_data("order-17")
        .created(at(1_700_000_000)..);
    assert_eq!(refused(client.cancel_sms(&lately).await), invalid);
    assert_eq!(refused(client.delete_sms_where(&lately).await), invalid);
    let old = SmsQuery::new().created(..at(1_700_000_000));
    assert_eq!(refused(client.delete_sms_where(&old).await), invalid);
    let err = client.cancel_sms(&old).await.unwrap_err();
    assert!(err.to_string().contains("SmsQuery::id"), "{err}");
    any.assert_calls_async(0).await;
}

fn clicks(n: u8) -> Value {
    let uuid = format!("9fe26332-cdbe-11ee-8d61-7c10c91d54{n:02x}");
    json!({
        "@id": format!("/sms/{uuid}/clicks"), "@type": "SmsClicks",
        "uuid": uuid, "requests_count": n as u64 * 2, "created_at": 1_764_000_000 + n as i64
    })
}

fn short_link_request(id: u64) -> Value {
    json!({
        "@id": format!("/short_link_requests/{id}"), "@type": "ShortLinkRequest",
        "id": id, "date": 1_764_000_000 + id, "type": 1, "url": "https://shop.example/sale",
        "short_link": "/short_links/aB3x", "country": "DE", "os": "Android"
    })
}

#[tokio::test]
async fn clicks_of_every_message_and_of_one() {
    let server = MockServer::start_async().await;
    let pages = two_pages(&server, "/sms/clicks", vec![clicks(1)], vec![clicks(2)]).await;
    let one = server
        .mock_async(|when, then| {
            sent_by_client(
                when.method(GET).path(format!("/sms/{PHP_ID}/clicks")),
                "application/ld+json",
            );
            then.status(200).json_body(json!({
                "@context": "/contexts/SmsClicks", "@id": format!("/sms/{PHP_ID}/clicks"),
                "@type": "SmsClicks", "uuid": PHP_ID, "requests_count": 7, "created_at": 1708192910
            }));
        })
        .await;
    let client = client(&server);

    let all: Vec<SmsClicks> = read_all(client.list_sms_clicks().await).await;
    let counted = client.get_sms_clicks(&SmsId::new(PHP_ID)).await.unwrap();

    assert_eq!(
        all.iter().map(|c| c.requests_count).collect::<Vec<_>>(),
        [Some(2), Some(4)]
    );
    assert_eq!(all[1].created_at, Some(1_764_000_002));
    assert_eq!(
        (
            counted.uuid.as_str(),
            counted.requests_count,
            counted.created_at
        ),
        (PHP_ID, Some(7), Some(1_708_192_910))
    );
    assert_eq!(
        counted.jsonld.id,
        Some(Iri::new(format!("/sms/{PHP_ID}/clicks")))
    );
    for mock in pages {
        mock.assert_calls_async(1).await;
    }
    one.assert_async().await;

    let plain = MockServer::start_async().await;
    bare_array(
        &plain,
        "/sms/clicks",
        vec![json!({"uuid": PHP_ID, "requests_count": 0})],
    )
    .await;
    let read: Vec<SmsClicks> = read_all(client_at(&plain.base_url()).list_sms_clicks().await).await;
    assert_eq!(read[0].requests_count, Some(0));
}

#[tokio::test]
async fn a_messages_short_link_requests_are_read_page_after_page() {
    let server = MockServer::start_async().await;
    let path = format!("/sms/{PHP_ID}/requests");
    let pages = two_pages(
        &server,
        &path,
        vec![short_link_request(1), short_link_request(2)],
        vec![short_link_request(3)],
    )
    .await;

    let read: Vec<ShortLinkRequest> = read_all(
        client(&server)
            .list_sms_requests(&SmsId::new(PHP_ID), &ShortLinkRequestQuery::new())
            .await,
    )
    .await;

    assert_eq!(
        read.iter().map(|r| r.id.get()).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(
        (read[2].date, read[2].country.as_deref()),
        (Some(1_764_000_003), Some("DE"))
    );
    for mock in pages {
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn error_statuses_map_to_their_variants() {
    let sms = &NewSms::new("Shop", "Hi", "+491701234567");
    // Sending may cost: 402 is declared for it.
    let sending = [ON_CREATING.as_slice(), &[(402, "InsufficientFunds")]].concat();
    assert_error_statuses("POST", "/sms", &sending, |c| async move {
        c.send_sms(sms).await
    })
    .await;
    // A dry run sends nothing: a 500 is only a server error.
    let trying = [
        (402, "InsufficientFunds"),
        (422, "Unprocessable"),
        (500, "Server"),
    ];
    assert_error_statuses("POST", "/sms/dryrun", &trying, |c| async move {
        c.dry_run_sms(sms).await
    })
    .await;

    let id = &SmsId::new(PHP_ID);
    let path = format!("/sms/{PHP_ID}");
    assert_error_statuses("GET", &path, &ON_A_RESOURCE, |c| async move {
        c.get_sms(id).await
    })
    .await;
    assert_error_statuses("DELETE", &path, &ON_A_RESOURCE, |c| async move {
        c.delete_sms(id).await
    })
    .await;
    let clicks = format!("{path}/clicks");
    assert_error_statuses("GET", &clicks, &ON_A_RESOURCE, |c| async move {
        c.get_sms_clicks(id).await
    })
    .await;
    let requests = format!("{path}/requests");
    assert_error_statuses("GET", &requests, &ON_A_RESOURCE, |c| async move {
        c.list_sms_requests(id, &ShortLinkRequestQuery::new())
            .await
            .map(drop)
    })
    .await;

    assert_error_statuses("GET", "/sms", &ON_A_LIST, |c| async move {
        c.list_sms(&SmsQuery::new()).await.map(drop)
    })
    .await;
    assert_error_statuses("GET", "/sms/clicks", &ON_A_LIST, |c| async move {
        c.list_sms_clicks().await.map(drop)
    })
    .await;

    // The batch operations may be repeated: a 500 is not ambiguous.
    let batch = [
        (401, "Unauthorized"),
        (403, "Forbidden"),
        (422, "Unprocessable"),
        (429, "Blocked"),
        (500, "Server"),
    ];
    assert_error_statuses("POST", "/sms/ops/batch_cancel", &batch, |c| async move {
        c.cancel_all_sms().await
    })
    .await;
    assert_error_statuses("POST", "/sms/ops/batch_delete", &batch, |c| async move {
        c.delete_sms_where(&SmsQuery::new().sent(true)).await
    })
    .await;
}

#[tokio::test]
async fn answers_that_cannot_be_read_are_typed_errors() {
    let id = &SmsId::new(PHP_ID);
    assert_untrusted_answers("GET", &format!("/sms/{PHP_ID}"), 200, |c| async move {
        c.get_sms(id).await
    })
    .await;
    assert_untrusted_answers("POST", "/sms", 201, |c| async move {
        c.send_sms(&NewSms::new("Shop", "Hi", "+491701234567"))
            .await
    })
    .await;
    assert_untrusted_answers("GET", "/sms", 200, |c| async move {
        c.list_sms(&SmsQuery::new()).await.map(drop)
    })
    .await;
    assert_untrusted_answers("POST", "/sms/ops/batch_cancel", 200, |c| async move {
        c.cancel_all_sms().await
    })
    .await;
}

#[tokio::test]
async fn bad_messages_and_ids_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let client = client(&server);
    let past = Utc::now() - chrono::Duration::minutes(5);
    let ok = || NewSms::new("Shop", "Hi", "+491701234567");

    for (sms, field, rule) in [
        (
            NewSms::new("Shop-24!", "Hi", "+491701234567"),
            "sender_id",
            "invalid",
        ),
        (
            NewSms::new("Twelve chars", "Hi", "+491701234567"),
            "sender_id",
            "invalid",
        ),
        // 1531 GSM characters do not fit in ten parts of 153.
        (
            NewSms::new("Shop", "x".repeat(1531), "+491701234567"),
            "text",
            "invalid",
        ),
        (
            NewSms::new("Shop", "x".repeat(1786), "+491701234567"),
            "text",
            "too_long",
        ),
        (ok().deliver_at(past), "delivery_at", "invalid"),
        (
            ok().callback_data("x".repeat(37)),
            "callback_data",
            "too_long",
        ),
        (
            NewSms::new("Shop", "Hi", "0170 1234567"),
            "phone",
            "invalid",
        ),
        // Digits without `+` or `00` are not read without a default country.
        (
            NewSms::new("Shop", "Hi", "491701234567"),
            "phone",
            "invalid",
        ),
        (NewSms::new("Shop", "Hi", "+49 17x"), "phone", "invalid"),
        (
            NewSms::new("Shop", "Hi", "0049170123456").phone_policy(PhonePolicy::Strict),
            "phone",
            "invalid",
        ),
    ] {
        assert_eq!(
            refused(client.send_sms(&sms).await),
            (field.to_owned(), rule.to_owned()),
            "{sms:?}"
        );
        assert_eq!(
            refused(client.dry_run_sms(&sms).await),
            (field.to_owned(), rule.to_owned())
        );
    }

    for id in [
        "",
        "../me",
        "9FE26332-CDBE-11EE-8D61-7C10C91D54A5",
        "11111111-2222-3333-4444-55555555555",
    ] {
        let id = SmsId::new(id);
        let pattern = ("uuid".to_owned(), "pattern".to_owned());
        assert_eq!(refused(client.get_sms(&id).await), pattern, "{id}");
        assert_eq!(refused(client.delete_sms(&id).await), pattern);
        assert_eq!(refused(client.get_sms_clicks(&id).await), pattern);
        assert_eq!(
            refused(
                client
                    .list_sms_requests(&id, &ShortLinkRequestQuery::new())
                    .await
            ),
            pattern
        );
    }
    let future = Utc::now() + chrono::Duration::days(1);
    for (query, field) in [
        (SmsQuery::new().bulk(&BulkId::new("nope")), "bulk[0]"),
        (
            SmsQuery::new().callback_data("x".repeat(37)),
            "callback_data",
        ),
        (SmsQuery::new().created(future..Utc::now()), "created_at"),
        (SmsQuery::new().created(at(-1)..), "created_at[gte]"),
    ] {
        assert_eq!(refused(client.list_sms(&query).await).0, field);
        assert_eq!(refused(client.delete_sms_where(&query).await).0, field);
    }
    any.assert_calls_async(0).await;
}
