//! Fraud checks over loopback HTTP: create with every subject, read the
//! results, delete, list, error statuses and refusals before sending.

mod common;

use common::{
    REQUEST_ID,
    answers::{
        ON_A_LIST, ON_A_RESOURCE, ON_CREATING, assert_error_statuses, assert_untrusted_answers,
    },
    bodiless, catch_all, client, deleted,
    hydra::{bare_array, page, two_pages},
    read_all, refused, sent_by_client,
};
use futures_util::TryStreamExt;
use httpmock::{
    Method::{GET, POST},
    MockServer,
};
use lox24::{
    FraudCheck, FraudCheckId, FraudCheckQuery, NewFraudCheck, OrUnknown,
    fraud::{FraudCheckService, FraudCheckStatus, PostalAddress},
};
use serde_json::{Value, json};

const ID: &str = "5c1f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2c";

/// A check just created: nothing found yet.
fn created() -> Value {
    json!({
        "@context": "/contexts/FraudCheck", "@id": format!("/fraud-checks/{ID}"),
        "@type": "FraudCheck", "id": ID, "service_code": "pro", "status_code": 0,
        "price": 0.05, "callback_data": "signup-17", "created_at": 1_764_000_000,
        "updated_at": 1_764_000_000
    })
}

/// The same check once done, with what was found for each subject, each
/// with its own times.
fn done() -> Value {
    let mut check = created();
    let found = json!({
        "status_code": 10, "risk_score": 12.5, "updated_at": 1_764_000_060,
        "request_phone": {
            "phone": "+491701234567", "is_valid": true, "is_possible": true,
            "number_type": "mobile", "region": "DE", "status_code": 10,
            "created_at": 1764000001, "updated_at": 1764000059
        },
        "request_email": {
            "email": "anna@example.com", "is_possible": true, "is_anonymous": false,
            "status_code": 10,
            "created_at": 1764000001, "updated_at": 1764000059
        },
        "request_ip": {
            "ip": "203.0.113.7", "is_ok": true, "isp_risk_score": 3.0, "isp_name": "Example Net",
            "connection_type": "dsl", "proxy_type": "VPN", "iso2": "DE", "state": "NW",
            "city": "Köln", "postcode": "50667", "geolocation": [50.94, 6.96], "status_code": 10,
            "created_at": 1764000001, "updated_at": 1764000059
        },
        "request_address": {
            "iso2": "DE", "city": "Köln", "postcode": "50667", "street_name": "Domkloster",
            "street_number": "4", "status_code": 10,
            "created_at": 1764000001, "updated_at": 1764000059
        }
    });
    check
        .as_object_mut()
        .unwrap()
        .extend(found.as_object().unwrap().clone());
    check
}

fn every_subject() -> NewFraudCheck {
    NewFraudCheck::new(FraudCheckService::Pro)
        .phone("0049 170 1234567")
        .email("anna@example.com")
        .ip("203.0.113.7")
        .address(
            PostalAddress::new("DE", "Köln", "Domkloster")
                .street_number("4")
                .postcode("50667"),
        )
        .callback_data("signup-17")
}

#[tokio::test]
async fn create_posts_every_subject_and_reads_the_new_check() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            sent_by_client(
                when.method(POST).path("/fraud-checks"),
                "application/ld+json",
            )
            .header("content-type", "application/json")
            .json_body(json!({
                "service_code": "pro",
                "phone": "+491701234567",
                "email": "anna@example.com",
                "ip": "203.0.113.7",
                "address": {
                    "iso2": "DE", "city": "Köln", "street_name": "Domkloster",
                    "street_number": "4", "postcode": "50667"
                },
                "callback_data": "signup-17"
            }));
            then.status(201)
                .header("content-type", "application/ld+json")
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(created());
        })
        .await;
    let only_an_ip = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/fraud-checks")
                .json_body(json!({"service_code": "economy", "ip": "2001:db8::1"}));
            then.status(201).json_body(created());
        })
        .await;
    let client = client(&server);

    let check = client.create_fraud_check(&every_subject()).await.unwrap();
    let economy = NewFraudCheck::new(FraudCheckService::Economy).ip("2001:db8::1");
    client.create_fraud_check(&economy).await.unwrap();

    mock.assert_async().await;
    only_an_ip.assert_async().await;
    assert_eq!(check.id, FraudCheckId::new(ID));
    assert_eq!(
        check.service_code,
        Some(OrUnknown::Known(FraudCheckService::Pro))
    );
    assert_eq!(
        (check.status_code, check.price, check.risk_score),
        (Some(FraudCheckStatus::New), Some(0.05), None)
    );
    assert_eq!(check.callback_data.as_deref(), Some("signup-17"));
    assert!(!check.status_code.unwrap().is_final());
}

#[tokio::test]
async fn a_done_check_has_what_was_found_for_each_subject() {
    let mut plain = done();
    plain
        .as_object_mut()
        .unwrap()
        .retain(|key, _| !key.starts_with('@'));
    for answer in [done(), plain] {
        let server = MockServer::start_async().await;
        let path = format!("/fraud-checks/{ID}");
        let get = bodiless(&server, "GET", &path, "application/ld+json", 200, answer).await;

        let check = client(&server)
            .get_fraud_check(&FraudCheckId::new(ID))
            .await
            .unwrap();

        get.assert_async().await;
        assert_eq!(
            (check.status_code, check.risk_score, check.updated_at),
            (
                Some(FraudCheckStatus::Done),
                Some(12.5),
                Some(1_764_000_060)
            )
        );
        let phone = check.request_phone.unwrap();
        assert_eq!(
            (phone.phone.as_deref(), phone.is_valid, phone.is_possible),
            (Some("+491701234567"), Some(true), Some(true))
        );
        assert_eq!(
            (phone.number_type.as_deref(), phone.region.as_deref()),
            (Some("mobile"), Some("DE"))
        );
        let email = check.request_email.unwrap();
        assert_eq!(
            (email.is_possible, email.is_anonymous, email.status_code),
            (Some(true), Some(false), Some(FraudCheckStatus::Done))
        );
        let ip = check.request_ip.unwrap();
        assert_eq!(
            (ip.is_ok, ip.isp_risk_score, ip.isp_name.as_deref()),
            (Some(true), Some(3.0), Some("Example Net"))
        );
        assert_eq!(
            (ip.connection_type.as_deref(), ip.proxy_type.as_deref()),
            (Some("dsl"), Some("VPN"))
        );
        assert_eq!(
            (
                ip.iso2.as_deref(),
                ip.city.as_deref(),
                ip.postcode.as_deref()
            ),
            (Some("DE"), Some("Köln"), Some("50667"))
        );
        assert_eq!(ip.geolocation, [50.94, 6.96]);
        let times = (Some(1_764_000_001), Some(1_764_000_059));
        assert_eq!((phone.created_at, phone.updated_at), times);
        assert_eq!((email.created_at, email.updated_at), times);
        assert_eq!((ip.created_at, ip.updated_at), times);
        let address = check.request_address.unwrap();
        assert_eq!((address.created_at, address.updated_at), times);
        assert_eq!(
            (
                address.street_name.as_deref(),
                address.street_number.as_deref()
            ),
            (Some("Domkloster"), Some("4"))
        );
    }
}

#[tokio::test]
async fn delete_and_list_checks() {
    let server = MockServer::start_async().await;
    let path = format!("/fraud-checks/{ID}");
    let delete = deleted(&server, &path).await;
    let other = json!({"id": "6d2f0ab2-4d3e-4f1a-9b8c-7d6e5f4a3b2d", "service_code": "ultra", "status_code": 21});
    let pages = two_pages(&server, "/fraud-checks", vec![done()], vec![other]).await;
    let client = client(&server);

    client
        .delete_fraud_check(&FraudCheckId::new(ID))
        .await
        .unwrap();
    let listing = client
        .list_fraud_checks(&FraudCheckQuery::new())
        .await
        .unwrap();
    assert_eq!(listing.total_items(), Some(2));
    let checks: Vec<FraudCheck> = listing.try_collect().await.unwrap();

    delete.assert_async().await;
    for mock in pages {
        mock.assert_calls_async(1).await;
    }
    assert_eq!(checks[0].id, FraudCheckId::new(ID));
    // A service and a status this crate does not know are kept.
    assert_eq!(
        (checks[1].service_code.clone(), checks[1].status_code),
        (
            Some(OrUnknown::Unknown("ultra".into())),
            Some(FraudCheckStatus::InvalidData)
        )
    );

    let plain = MockServer::start_async().await;
    bare_array(
        &plain,
        "/fraud-checks",
        vec![json!({"id": ID, "status_code": 1001})],
    )
    .await;
    let checks = read_all(
        common::client(&plain)
            .list_fraud_checks(&FraudCheckQuery::new())
            .await,
    )
    .await;
    assert_eq!(checks[0].status_code, Some(FraudCheckStatus::Unknown(1001)));
}

#[tokio::test]
async fn error_statuses_and_untrusted_answers_are_typed() {
    let check = &every_subject();
    // A check is charged: 402 is declared for it.
    let creating = [ON_CREATING.as_slice(), &[(402, "InsufficientFunds")]].concat();
    assert_error_statuses("POST", "/fraud-checks", &creating, |c| async move {
        c.create_fraud_check(check).await
    })
    .await;
    assert_untrusted_answers("POST", "/fraud-checks", 201, |c| async move {
        c.create_fraud_check(check).await
    })
    .await;
    let id = &FraudCheckId::new(ID);
    let path = format!("/fraud-checks/{ID}");
    assert_error_statuses("GET", &path, &ON_A_RESOURCE, |c| async move {
        c.get_fraud_check(id).await
    })
    .await;
    assert_error_statuses("DELETE", &path, &ON_A_RESOURCE, |c| async move {
        c.delete_fraud_check(id).await
    })
    .await;
    assert_error_statuses("GET", "/fraud-checks", &ON_A_LIST, |c| async move {
        c.list_fraud_checks(&FraudCheckQuery::new()).await.map(drop)
    })
    .await;
}

#[tokio::test]
async fn bad_checks_and_ids_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let client = client(&server);
    let pro = || NewFraudCheck::new(FraudCheckService::Pro);
    let address = |iso2: &str, city: &str| PostalAddress::new(iso2, city, "Domkloster");

    for (check, field, rule) in [
        (pro().callback_data("signup-17"), "subject", "invalid"),
        (pro().email("a@b.c"), "email", "too_short"),
        (
            pro().email(format!("{}@example.com", "a".repeat(489))),
            "email",
            "too_long",
        ),
        (pro().ip("1.2.3"), "ip", "too_short"),
        (pro().phone("0170 1234567"), "phone", "invalid"),
        (
            pro().address(address("de", "Köln")),
            "address.iso2",
            "pattern",
        ),
        (
            pro().address(address("DE", "K")),
            "address.city",
            "too_short",
        ),
        (
            pro().address(address("DE", "Köln").postcode("12")),
            "address.postcode",
            "too_short",
        ),
        (
            pro().phone("+491701234567").callback_data("x".repeat(37)),
            "callback_data",
            "too_long",
        ),
    ] {
        assert_eq!(
            refused(client.create_fraud_check(&check).await),
            (field.to_owned(), rule.to_owned()),
            "{check:?}"
        );
    }
    for id in ["", "fraud-check-123", "../me"] {
        let id = FraudCheckId::new(id);
        let pattern = ("id".to_owned(), "pattern".to_owned());
        assert_eq!(refused(client.get_fraud_check(&id).await), pattern);
        assert_eq!(refused(client.delete_fraud_check(&id).await), pattern);
    }
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn the_list_is_filtered_by_parts_of_what_was_checked() {
    let server = MockServer::start_async().await;
    let listed = server
        .mock_async(|when, then| {
            sent_by_client(
                when.method(GET).path("/fraud-checks"),
                "application/ld+json",
            )
            .query_param("request_phone.phone", "+49170")
            .query_param("request_email.email", "@example.com")
            .query_param("request_ip.ip", "10.0.")
            .query_param("callback_data", "signup-")
            .query_param("status_code", "10")
            .query_param("_order[created_at]", "asc");
            then.status(200)
                .header("content-type", "application/ld+json")
                .json_body(page("/fraud-checks", vec![done()], 1, None));
        })
        .await;
    let query = FraudCheckQuery::new()
        .phone_containing("+49170")
        .email_containing("@example.com")
        .ip_containing("10.0.")
        .callback_data_containing("signup-")
        .status(FraudCheckStatus::Done)
        .oldest_first();
    let checks = read_all(client(&server).list_fraud_checks(&query).await).await;
    assert_eq!(checks.len(), 1);
    listed.assert_calls_async(1).await;

    // A blank filter is refused before anything is sent.
    let quiet = MockServer::start_async().await;
    let any = catch_all(&quiet).await;
    let (field, _) = refused(
        client(&quiet)
            .list_fraud_checks(&FraudCheckQuery::new().ip_containing(" "))
            .await,
    );
    assert_eq!(field, "request_ip.ip");
    any.assert_calls_async(0).await;
}
