//! Short links over loopback HTTP: short-link campaigns (create, read,
//! change, delete, list, with the subscription and unsubscription links),
//! their requests and links, single short links and the requests made to
//! them; error statuses and refusals before sending.

mod common;

use common::{
    REQUEST_ID,
    answers::{
        ON_A_LIST, ON_A_RESOURCE, ON_CREATING, assert_error_statuses, assert_untrusted_answers,
    },
    bodiless, catch_all, client, deleted,
    hydra::{bare_array, read_two_pages},
    read_all, refused, sent_by_client,
};
use httpmock::{
    Method::{POST, PUT},
    MockServer,
};
use lox24::{
    GroupId, Iri,
    links::{
        NewShortLinkCampaign, ShortCode, ShortLink, ShortLinkCampaign, ShortLinkCampaignCode,
        ShortLinkCampaignQuery, ShortLinkKind, ShortLinkQuery, ShortLinkRequest,
        ShortLinkRequestId, ShortLinkRequestQuery,
    },
};
use serde_json::{Value, json};

const CODE: &str = "1dkGdCC2xnBc";
const SHORT: &str = "baaIoP";

fn campaign(code: &str, kind: i64, group: Option<u64>) -> Value {
    json!({
        "@context": "/contexts/ShortLinkCampaign",
        "@id": format!("/short_link_campaigns/{code}"), "@type": "ShortLinkCampaign",
        "id": code, "name": "Spring sale", "url": "https://shop.example/sale",
        "type": kind, "group_id": group, "created_at": 1_764_000_000
    })
}

fn short_link(code: &str) -> Value {
    json!({
        "@id": format!("/short_links/{code}"), "@type": "ShortLink",
        "short_code": code, "url": "https://shop.example/sale",
        "campaign": format!("/short_link_campaigns/{CODE}"),
        "requests": format!("/short_links/{code}/requests"), "updated_at": 1_764_000_100
    })
}

fn request(id: u64) -> Value {
    json!({
        "@id": format!("/short_link_requests/{id}"), "@type": "ShortLinkRequest",
        "id": id, "date": 1_764_000_000 + id, "type": 1, "url": "https://shop.example/sale",
        "short_link": format!("/short_links/{SHORT}"), "ip": "203.0.113.7", "country": "DE",
        "user_agent": "Mozilla/5.0", "referer": null, "browser": "Firefox",
        "browser_version": "133.0", "os": "Linux", "os_version": null,
        "hardware_type": "desktop", "software_type": "browser"
    })
}

/// A mock of a request with a JSON body, answered with `answer` as JSON-LD.
async fn with_body<'a>(
    server: &'a MockServer,
    method: httpmock::Method,
    path: &str,
    body: Value,
    status: u16,
    answer: Value,
) -> httpmock::Mock<'a> {
    server
        .mock_async(|when, then| {
            sent_by_client(when.method(method).path(path), "application/ld+json")
                .header("content-type", "application/json")
                .json_body(body);
            then.status(status)
                .header("content-type", "application/ld+json")
                .header("x-lox24-request-id", REQUEST_ID)
                .json_body(answer);
        })
        .await
}

#[tokio::test]
async fn create_a_campaign_with_and_without_a_group() {
    let server = MockServer::start_async().await;
    let sale = json!({"name": "Spring sale", "url": "https://shop.example/sale", "type": 1});
    let mut grouped = sale.clone();
    grouped["group_id"] = json!(7117);
    let plain = with_body(
        &server,
        POST,
        "/short_link_campaigns",
        sale,
        201,
        campaign(CODE, 1, None),
    )
    .await;
    let tied = with_body(
        &server,
        POST,
        "/short_link_campaigns",
        grouped,
        201,
        campaign(CODE, 1, Some(7117)),
    )
    .await;
    let client = client(&server);
    let new = || {
        NewShortLinkCampaign::new(
            "Spring sale",
            "https://shop.example/sale",
            ShortLinkKind::Shared,
        )
    };

    let created = client.create_short_link_campaign(&new()).await.unwrap();
    let with_group = client
        .create_short_link_campaign(&new().group(GroupId::new(7117)))
        .await
        .unwrap();

    plain.assert_async().await;
    tied.assert_async().await;
    assert_eq!(created.id, Some(ShortLinkCampaignCode::new(CODE)));
    assert_eq!(
        (
            created.name.as_deref(),
            created.url.as_deref(),
            created.kind
        ),
        (
            Some("Spring sale"),
            Some("https://shop.example/sale"),
            Some(ShortLinkKind::Shared)
        )
    );
    assert_eq!(
        (created.group_id, created.created_at),
        (None, Some(1_764_000_000))
    );
    assert_eq!(
        created.jsonld.id,
        Some(Iri::new(format!("/short_link_campaigns/{CODE}")))
    );
    assert_eq!(with_group.group_id, Some(GroupId::new(7117)));
}

#[tokio::test]
async fn subscription_and_unsubscription_links_post_a_name_and_a_group() {
    let server = MockServer::start_async().await;
    let body = json!({"name": "Newsletter", "group_id": 7117});
    let subscribe = with_body(
        &server,
        POST,
        "/short_link_campaigns/subscribe",
        body.clone(),
        201,
        campaign("sUb5cr1be", 2, Some(7117)),
    )
    .await;
    let unsubscribe = with_body(
        &server,
        POST,
        "/short_link_campaigns/unsubscribe",
        body,
        201,
        campaign("uNsUb", 2, Some(7117)),
    )
    .await;
    let client = client(&server);

    let join = client
        .create_subscription_link("Newsletter", GroupId::new(7117))
        .await
        .unwrap();
    let leave = client
        .create_unsubscription_link("Newsletter", GroupId::new(7117))
        .await
        .unwrap();

    subscribe.assert_async().await;
    unsubscribe.assert_async().await;
    assert_eq!(join.id, Some(ShortLinkCampaignCode::new("sUb5cr1be")));
    assert_eq!(leave.id, Some(ShortLinkCampaignCode::new("uNsUb")));
    assert_eq!(
        (leave.kind, leave.group_id),
        (Some(ShortLinkKind::PerMessage), Some(GroupId::new(7117)))
    );
}

#[tokio::test]
async fn read_change_and_delete_a_campaign() {
    let server = MockServer::start_async().await;
    let path = format!("/short_link_campaigns/{CODE}");
    // Plain JSON, as a proxy that drops `Accept` would pass it on.
    let mut plain = campaign(CODE, 1, None);
    plain
        .as_object_mut()
        .unwrap()
        .retain(|k, _| !k.starts_with('@'));
    let get = bodiless(&server, "GET", &path, "application/ld+json", 200, plain).await;
    let changed = json!({"name": "Summer sale", "url": "http://shop.example/summer", "type": 2, "group_id": 12});
    let mut answer = campaign(CODE, 2, Some(12));
    answer["name"] = json!("Summer sale");
    let put = with_body(&server, PUT, &path, changed, 200, answer).await;
    let delete = deleted(&server, &path).await;
    let client = client(&server);
    let code = ShortLinkCampaignCode::new(CODE);

    let read = client.get_short_link_campaign(&code).await.unwrap();
    let summer = NewShortLinkCampaign::new(
        "Summer sale",
        "http://shop.example/summer",
        ShortLinkKind::PerMessage,
    )
    .group(GroupId::new(12));
    let updated = client
        .update_short_link_campaign(&code, &summer)
        .await
        .unwrap();
    client.delete_short_link_campaign(&code).await.unwrap();

    get.assert_async().await;
    put.assert_async().await;
    delete.assert_async().await;
    assert_eq!(
        (read.jsonld.id, read.kind),
        (None, Some(ShortLinkKind::Shared))
    );
    assert_eq!(
        (updated.name.as_deref(), updated.kind, updated.group_id),
        (
            Some("Summer sale"),
            Some(ShortLinkKind::PerMessage),
            Some(GroupId::new(12))
        )
    );
}

#[tokio::test]
async fn campaigns_their_requests_and_their_links_are_read_page_after_page() {
    let campaigns: Vec<ShortLinkCampaign> = read_two_pages(
        "/short_link_campaigns",
        vec![campaign(CODE, 1, None)],
        vec![campaign("2nd", 2, Some(5))],
        |c| async move {
            c.list_short_link_campaigns(&ShortLinkCampaignQuery::new())
                .await
        },
    )
    .await;
    assert_eq!(
        campaigns
            .iter()
            .map(|c| c.id.clone().unwrap())
            .collect::<Vec<_>>(),
        [CODE, "2nd"].map(ShortLinkCampaignCode::new)
    );

    let code = &ShortLinkCampaignCode::new(CODE);
    let requests: Vec<ShortLinkRequest> = read_two_pages(
        &format!("/short_link_campaigns/{CODE}/requests"),
        vec![request(1), request(2)],
        vec![request(3)],
        |c| async move {
            c.list_short_link_campaign_requests(code, &ShortLinkRequestQuery::new())
                .await
        },
    )
    .await;
    assert_eq!(
        requests.iter().map(|r| r.id.get()).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    let one = &requests[0];
    assert_eq!(
        one.short_link,
        Some(Iri::new(format!("/short_links/{SHORT}")))
    );
    assert_eq!(
        (one.browser.as_deref(), one.browser_version.as_deref()),
        (Some("Firefox"), Some("133.0"))
    );
    assert_eq!(
        (one.user_agent.as_deref(), one.os_version.clone()),
        (Some("Mozilla/5.0"), None)
    );

    let links: Vec<ShortLink> = read_two_pages(
        &format!("/short_link_campaigns/{CODE}/short_links"),
        vec![short_link(SHORT)],
        vec![short_link("zZ9_-")],
        |c| async move { c.list_short_link_campaign_links(code).await },
    )
    .await;
    assert_eq!(
        links
            .iter()
            .map(|l| l.short_code.clone().unwrap())
            .collect::<Vec<_>>(),
        [SHORT, "zZ9_-"].map(ShortCode::new)
    );
    assert_eq!(
        links[0].campaign,
        Some(Iri::new(format!("/short_link_campaigns/{CODE}")))
    );
    assert_eq!(links[0].updated_at, Some(1_764_000_100));
}

#[tokio::test]
async fn short_links_and_the_requests_made_to_them() {
    let links: Vec<ShortLink> = read_two_pages(
        "/short_links",
        vec![short_link(SHORT)],
        vec![short_link("second")],
        |c| async move { c.list_short_links(&ShortLinkQuery::new()).await },
    )
    .await;
    assert_eq!(links.len(), 2);
    assert_eq!(
        links[1].requests,
        Some(Iri::new("/short_links/second/requests"))
    );

    let short = &ShortCode::new(SHORT);
    let of_one: Vec<ShortLinkRequest> = read_two_pages(
        &format!("/short_links/{SHORT}/requests"),
        vec![request(4)],
        vec![request(5)],
        |c| async move {
            c.list_short_link_requests_of(short, &ShortLinkRequestQuery::new())
                .await
        },
    )
    .await;
    assert_eq!(
        of_one.iter().map(|r| r.id.get()).collect::<Vec<_>>(),
        [4, 5]
    );

    let all: Vec<ShortLinkRequest> = read_two_pages(
        "/short_link_requests",
        vec![request(6), request(7)],
        vec![request(8)],
        |c| async move {
            c.list_short_link_requests(&ShortLinkRequestQuery::new())
                .await
        },
    )
    .await;
    assert_eq!(
        all.iter().map(|r| r.date).collect::<Vec<_>>(),
        [
            Some(1_764_000_006),
            Some(1_764_000_007),
            Some(1_764_000_008)
        ]
    );

    let server = MockServer::start_async().await;
    let link = bodiless(
        &server,
        "GET",
        &format!("/short_links/{SHORT}"),
        "application/ld+json",
        200,
        short_link(SHORT),
    )
    .await;
    let one = bodiless(
        &server,
        "GET",
        "/short_link_requests/12",
        "application/ld+json",
        200,
        request(12),
    )
    .await;
    let client = client(&server);

    let read = client.get_short_link(short).await.unwrap();
    let request = client
        .get_short_link_request(&ShortLinkRequestId::new(12))
        .await
        .unwrap();

    link.assert_async().await;
    one.assert_async().await;
    assert_eq!(read.url.as_deref(), Some("https://shop.example/sale"));
    assert_eq!(
        (request.id.get(), request.kind, request.country.as_deref()),
        (12, Some(1), Some("DE"))
    );
    assert_eq!(request.jsonld.id, Some(Iri::new("/short_link_requests/12")));
}

#[tokio::test]
async fn a_bare_array_is_one_page() {
    let server = MockServer::start_async().await;
    bare_array(
        &server,
        "/short_link_requests",
        vec![json!({"id": 1}), json!({"id": 2, "type": 9})],
    )
    .await;
    let read = read_all(
        client(&server)
            .list_short_link_requests(&ShortLinkRequestQuery::new())
            .await,
    )
    .await;
    assert_eq!(
        read.iter()
            .map(|r| (r.id.get(), r.kind))
            .collect::<Vec<_>>(),
        [(1, None), (2, Some(9))]
    );
}

#[tokio::test]
async fn error_statuses_and_untrusted_answers_are_typed() {
    let new = &NewShortLinkCampaign::new("Sale", "https://shop.example", ShortLinkKind::Shared);
    assert_error_statuses(
        "POST",
        "/short_link_campaigns",
        &ON_CREATING,
        |c| async move { c.create_short_link_campaign(new).await },
    )
    .await;
    let group = GroupId::new(7117);
    for (path, subscribe) in [
        ("/short_link_campaigns/subscribe", true),
        ("/short_link_campaigns/unsubscribe", false),
    ] {
        assert_error_statuses("POST", path, &ON_CREATING, |c| async move {
            if subscribe {
                c.create_subscription_link("Newsletter", group).await
            } else {
                c.create_unsubscription_link("Newsletter", group).await
            }
        })
        .await;
    }

    let code = &ShortLinkCampaignCode::new(CODE);
    let path = format!("/short_link_campaigns/{CODE}");
    // A PUT may be repeated: a 500 is only a server error.
    let updating = [
        ON_A_RESOURCE.as_slice(),
        &[(400, "InvalidInput"), (422, "Unprocessable")],
    ]
    .concat();
    assert_error_statuses("PUT", &path, &updating, |c| async move {
        c.update_short_link_campaign(code, new).await
    })
    .await;
    assert_error_statuses("GET", &path, &ON_A_RESOURCE, |c| async move {
        c.get_short_link_campaign(code).await
    })
    .await;
    assert_error_statuses("DELETE", &path, &ON_A_RESOURCE, |c| async move {
        c.delete_short_link_campaign(code).await
    })
    .await;
    assert_error_statuses(
        "GET",
        &format!("{path}/requests"),
        &ON_A_RESOURCE,
        |c| async move {
            c.list_short_link_campaign_requests(code, &ShortLinkRequestQuery::new())
                .await
                .map(drop)
        },
    )
    .await;
    assert_error_statuses(
        "GET",
        &format!("{path}/short_links"),
        &ON_A_RESOURCE,
        |c| async move { c.list_short_link_campaign_links(code).await.map(drop) },
    )
    .await;
    assert_untrusted_answers("GET", &path, 200, |c| async move {
        c.get_short_link_campaign(code).await
    })
    .await;

    let short = &ShortCode::new(SHORT);
    assert_error_statuses(
        "GET",
        &format!("/short_links/{SHORT}"),
        &ON_A_RESOURCE,
        |c| async move { c.get_short_link(short).await },
    )
    .await;
    assert_error_statuses(
        "GET",
        &format!("/short_links/{SHORT}/requests"),
        &ON_A_RESOURCE,
        |c| async move {
            c.list_short_link_requests_of(short, &ShortLinkRequestQuery::new())
                .await
                .map(drop)
        },
    )
    .await;
    assert_error_statuses(
        "GET",
        "/short_link_requests/12",
        &ON_A_RESOURCE,
        |c| async move { c.get_short_link_request(&ShortLinkRequestId::new(12)).await },
    )
    .await;
    for path in [
        "/short_link_campaigns",
        "/short_links",
        "/short_link_requests",
    ] {
        assert_error_statuses("GET", path, &ON_A_LIST, |c| async move {
            match path {
                "/short_link_campaigns" => c
                    .list_short_link_campaigns(&ShortLinkCampaignQuery::new())
                    .await
                    .map(drop),
                "/short_links" => c.list_short_links(&ShortLinkQuery::new()).await.map(drop),
                _ => c
                    .list_short_link_requests(&ShortLinkRequestQuery::new())
                    .await
                    .map(drop),
            }
        })
        .await;
    }
}

#[tokio::test]
async fn bad_campaigns_codes_and_ids_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let any = catch_all(&server).await;
    let client = client(&server);
    let sale = |url: &str, kind: i64| {
        NewShortLinkCampaign::new("Sale", url, ShortLinkKind::from_code(kind))
    };
    let code = ShortLinkCampaignCode::new(CODE);

    for (campaign, field, rule) in [
        (sale("ftp://shop.example/sale", 1), "url", "invalid"),
        (sale("javascript:alert(1)", 1), "url", "invalid"),
        (sale("shop.example/sale", 1), "url", "invalid"),
        (sale("/sale", 1), "url", "invalid"),
        (sale("https://shop.example", 0), "type", "too_small"),
        (sale("https://shop.example", 3), "type", "too_large"),
        (sale("https://shop.example", -1), "type", "too_small"),
        (
            NewShortLinkCampaign::new(
                "x".repeat(101),
                "https://shop.example",
                ShortLinkKind::Shared,
            ),
            "name",
            "too_long",
        ),
        (
            sale("https://shop.example", 1).group(GroupId::new(0)),
            "group_id",
            "too_small",
        ),
    ] {
        let expected = (field.to_owned(), rule.to_owned());
        assert_eq!(
            refused(client.create_short_link_campaign(&campaign).await),
            expected,
            "{campaign:?}"
        );
        assert_eq!(
            refused(client.update_short_link_campaign(&code, &campaign).await),
            expected
        );
    }
    assert_eq!(
        refused(
            client
                .create_subscription_link("Newsletter", GroupId::new(0))
                .await
        ),
        ("group_id".to_owned(), "too_small".to_owned())
    );
    assert_eq!(
        refused(
            client
                .create_unsubscription_link(&"x".repeat(101), GroupId::new(1))
                .await
        ),
        ("name".to_owned(), "too_long".to_owned())
    );

    let good = NewShortLinkCampaign::new("Sale", "https://shop.example", ShortLinkKind::Shared);
    for bad in ["", "a/b", "x y", "../me", &"a".repeat(65)] {
        let pattern = ("code".to_owned(), "pattern".to_owned());
        let code = ShortLinkCampaignCode::new(bad);
        assert_eq!(
            refused(client.get_short_link_campaign(&code).await),
            pattern,
            "{bad:?}"
        );
        assert_eq!(
            refused(client.update_short_link_campaign(&code, &good).await),
            pattern
        );
        assert_eq!(
            refused(client.delete_short_link_campaign(&code).await),
            pattern
        );
        assert_eq!(
            refused(
                client
                    .list_short_link_campaign_requests(&code, &ShortLinkRequestQuery::new())
                    .await
            ),
            pattern
        );
        assert_eq!(
            refused(client.list_short_link_campaign_links(&code).await),
            pattern
        );
        let short = ShortCode::new(bad);
        let pattern = ("shortCode".to_owned(), "pattern".to_owned());
        assert_eq!(refused(client.get_short_link(&short).await), pattern);
        assert_eq!(
            refused(
                client
                    .list_short_link_requests_of(&short, &ShortLinkRequestQuery::new())
                    .await
            ),
            pattern
        );
    }
    assert_eq!(
        refused(
            client
                .get_short_link_request(&ShortLinkRequestId::new(0))
                .await
        ),
        ("id".to_owned(), "too_small".to_owned())
    );
    any.assert_calls_async(0).await;
}

/// Every list of requests sends the query byte for byte under LOX24's
/// names, after its path; `browser_version` only where LOX24 declares it.
#[tokio::test]
async fn every_list_of_requests_sends_the_query_after_its_path() {
    use common::{hydra::empty_pages, raw_server::RawServer};
    use lox24::{BulkId, SmsId, SortDirection, number::Country};

    async fn line_of(
        server: &RawServer,
        list: impl std::future::Future<Output = Result<lox24::Listing<ShortLinkRequest>, lox24::Error>>,
    ) -> String {
        let read = read_all(list.await).await;
        assert!(read.is_empty());
        let received = server.received();
        let last = received.last().expect("one request");
        assert_eq!(last.header("accept"), Some("application/ld+json"));
        last.request_line().to_owned()
    }

    let server = empty_pages("/short_link_requests").await;
    let client = common::client_at(&server.url);
    let at = |s| chrono::DateTime::from_timestamp(s, 0).unwrap();
    let query = ShortLinkRequestQuery::new()
        .kind(1)
        .country(Country::from_iso("DE").unwrap())
        .url_containing("shop.example/sale?a=b")
        .user_agent_containing("Mozilla/5.0")
        .os_version_containing("14")
        .made(at(1_764_000_000)..)
        .order_by_date(SortDirection::Desc);
    let tail = "type=1&country=DE&url=shop.example%2Fsale%3Fa%3Db&user_agent=Mozilla%2F5.0\
                &os_version=14&date%5Bgte%5D=1764000000&_order%5Bdate%5D=desc HTTP/1.1";
    let with_version = query.clone().browser_version_containing("131");
    let bulk = BulkId::new("0b8a3a94-7f6c-4f24-9a2c-2f2d3c0a1b11");
    let sms = SmsId::new("9fe26332-cdbe-11ee-8d61-7c10c91d54a5");
    let code = ShortLinkCampaignCode::new(CODE);
    let short = ShortCode::new(SHORT);

    assert_eq!(
        line_of(&server, client.list_short_link_requests(&with_version)).await,
        format!(
            "GET /short_link_requests?{}",
            tail.replace("&date", "&browser_version=131&date")
        )
    );
    assert_eq!(
        line_of(
            &server,
            client.list_short_link_requests_of(&short, &with_version)
        )
        .await,
        format!(
            "GET /short_links/{SHORT}/requests?{}",
            tail.replace("&date", "&browser_version=131&date")
        )
    );
    assert_eq!(
        line_of(
            &server,
            client.list_short_link_campaign_requests(&code, &query)
        )
        .await,
        format!("GET /short_link_campaigns/{CODE}/requests?{tail}")
    );
    assert_eq!(
        line_of(&server, client.list_bulk_requests(&bulk, &query)).await,
        format!("GET /bulks/{bulk}/requests?{tail}")
    );
    assert_eq!(
        line_of(&server, client.list_sms_requests(&sms, &query)).await,
        format!("GET /sms/{sms}/requests?{tail}")
    );
    let sent = server.received().len();
    for refused in [
        client
            .list_short_link_campaign_requests(&code, &with_version)
            .await
            .map(drop),
        client
            .list_bulk_requests(&bulk, &with_version)
            .await
            .map(drop),
        client
            .list_sms_requests(&sms, &with_version)
            .await
            .map(drop),
    ] {
        let err = refused.expect_err("browser_version is not their filter");
        assert!(
            matches!(&err, lox24::Error::Validation(v) if v.field() == "browser_version"),
            "{err:?}"
        );
    }
    assert_eq!(server.received().len(), sent, "nothing more was sent");
}

#[tokio::test]
async fn the_lists_of_campaigns_and_links_send_their_filters() {
    use common::hydra::empty_pages;
    use lox24::SortDirection;

    let server = empty_pages("/short_link_campaigns").await;
    let client = common::client_at(&server.url);
    let december = chrono::DateTime::from_timestamp(1_764_547_200, 0).expect("a time");
    let campaigns: Vec<ShortLinkCampaign> = read_all(
        client
            .list_short_link_campaigns(
                &ShortLinkCampaignQuery::new()
                    .name_containing("Spring sale")
                    .created(december..)
                    .kind(ShortLinkKind::PerMessage)
                    .order_by_created(SortDirection::Desc),
            )
            .await,
    )
    .await;
    let links: Vec<ShortLink> = read_all(
        client
            .list_short_links(
                &ShortLinkQuery::new()
                    .url_containing("shop.example/sale")
                    .updated(december..=december),
            )
            .await,
    )
    .await;
    assert!(campaigns.is_empty() && links.is_empty());
    let blank = client
        .list_short_link_campaigns(&ShortLinkCampaignQuery::new().url_containing(" "))
        .await
        .map(drop)
        .expect_err("a blank filter");
    assert!(
        matches!(&blank, lox24::Error::Validation(v) if v.field() == "url"),
        "{blank:?}"
    );
    let lines: Vec<String> = server
        .received()
        .iter()
        .map(|r| r.request_line().to_owned())
        .collect();
    assert_eq!(
        lines,
        [
            "GET /short_link_campaigns?name=Spring+sale&created_at%5Bgte%5D=1764547200&type=2\
             &_order%5Bcreated_at%5D=desc HTTP/1.1",
            "GET /short_links?url=shop.example%2Fsale&updated_at%5Bgte%5D=1764547200\
             &updated_at%5Blte%5D=1764547200 HTTP/1.1",
        ]
    );
}
