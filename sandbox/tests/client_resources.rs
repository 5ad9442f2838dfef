//! `lox24::Client` against the sandbox for the operations beyond groups
//! and campaigns: what the library sends, the sandbox answers and the
//! library reads back, end to end over loopback HTTP.

use std::time::Duration;

use futures_util::TryStreamExt;
use lox24::{
    BlockedKind, DlrCode, Error, NewBulk, NewFraudCheck, NewSms, ReplyQuery, ShortLinkRequestQuery,
    SmsQuery, SmsStatus,
    fraud::{FraudCheckService, FraudCheckStatus},
    links::{NewShortLinkCampaign, ShortLinkCampaignQuery, ShortLinkKind},
};
use lox24_sandbox::{ManualClock, MessageTiming, Sandbox};

async fn sandbox(clock: &ManualClock) -> Sandbox {
    Sandbox::builder()
        .clock(clock.clone())
        .message_timing(MessageTiming {
            sending: Duration::from_secs(1),
            delivery: Duration::from_secs(2),
        })
        .balance(1.0)
        .auto_reply("9", "STOP")
        .start()
        .await
        .expect("the sandbox starts")
}

#[tokio::test]
async fn messages_the_balance_and_replies_through_the_client() {
    let clock = ManualClock::at_unix(1_800_000_000);
    let sandbox = sandbox(&clock).await;
    let client = sandbox.client().unwrap();

    let preview = client
        .dry_run_sms(&NewSms::new("Shop", "Hi", "+491701234569"))
        .await
        .unwrap();
    assert_eq!(
        preview.uuid.as_str(),
        "11111111-2222-3333-4444-555555555555"
    );
    let sms = client
        .send_sms(&NewSms::new("Shop", "Hi", "+491701234569").callback_data("order-9"))
        .await
        .unwrap();
    assert_eq!(
        (sms.status_code, sms.price),
        (Some(SmsStatus::New), Some(0.07))
    );
    let account = client.account().await.unwrap();
    assert_eq!(account.balance_amount, Some(0.93));
    assert!(account.covers(0.93) && !account.covers(0.94));

    clock.advance(Duration::from_secs(3));
    let read = client.get_sms(&sms.uuid).await.unwrap();
    assert_eq!(read.dlr_code, Some(DlrCode::Delivered));
    assert!(read.is_settled());
    let listed: Vec<_> = client
        .list_sms(&SmsQuery::new().callback_data("order-9"))
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].uuid, sms.uuid);

    let replies: Vec<_> = client
        .list_replies(&ReplyQuery::new().replying_to(&sms.uuid))
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].text.as_deref(), Some("STOP"));
    assert_eq!(replies[0].from.as_deref(), Some("+491701234569"));
    client.delete_reply(&replies[0].uuid).await.unwrap();
    assert!(matches!(
        client.get_reply(&replies[0].uuid).await,
        Err(Error::NotFound(_))
    ));

    // 0.93 pays for 13 one-part messages, not 14.
    let many: Vec<String> = (10..24).map(|n| format!("+4917012345{n}")).collect();
    let refused = client
        .create_bulk(&NewBulk::new("Shop", "Hi").to_phones(many))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, Error::InsufficientFunds(_)),
        "{refused:?}"
    );

    assert_eq!(client.cancel_all_sms().await.unwrap(), 0);
    assert_eq!(
        client
            .delete_sms_where(&SmsQuery::new().callback_data("order-9"))
            .await
            .unwrap(),
        1
    );
    assert!(matches!(
        client.get_sms(&sms.uuid).await,
        Err(Error::NotFound(_))
    ));
}

#[tokio::test]
async fn blocked_numbers_through_the_client() {
    let clock = ManualClock::at_unix(1_800_000_000);
    let sandbox = sandbox(&clock).await;
    let client = sandbox.client().unwrap();
    let blocked = client.block_number("+491701234567").await.unwrap();
    assert_eq!(
        (blocked.number.as_str(), blocked.kind),
        ("+491701234567", BlockedKind::ByAccount)
    );
    let again = client.block_number("+491701234567").await.unwrap_err();
    assert!(matches!(again, Error::Conflict(_)), "{again:?}");
    assert_eq!(
        again.api_error().and_then(|e| e.message()),
        Some("The number is blocked already.")
    );
    let listed: Vec<_> = client
        .list_blocked_numbers(Some(BlockedKind::ByAccount))
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    let read = client.get_blocked_number(&blocked.id).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((&listed[0].number, listed[0].id), (&read.number, read.id));
    let sms = client
        .send_sms(&NewSms::new("Shop", "Hi", "+491701234567"))
        .await
        .unwrap();
    assert_eq!(sms.status_code, Some(SmsStatus::Blocked));
    client.unblock_number(&blocked.id).await.unwrap();
    assert!(matches!(
        client.get_blocked_number(&blocked.id).await,
        Err(Error::NotFound(_))
    ));
}

#[tokio::test]
async fn fraud_checks_and_short_links_through_the_client() {
    let clock = ManualClock::at_unix(1_800_000_000);
    let sandbox = sandbox(&clock).await;
    let client = sandbox.client().unwrap();
    let check = client
        .create_fraud_check(&NewFraudCheck::new(FraudCheckService::Pro).phone("+491701234567"))
        .await
        .unwrap();
    assert_eq!(check.status_code, Some(FraudCheckStatus::New));
    clock.advance(Duration::from_secs(3));
    let done = client.get_fraud_check(&check.id).await.unwrap();
    assert_eq!(done.status_code, Some(FraudCheckStatus::Done));
    assert!(done.risk_score.is_some_and(|s| (0.0..=100.0).contains(&s)));
    let all: Vec<_> = client
        .list_fraud_checks(&lox24::FraudCheckQuery::new())
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    client.delete_fraud_check(&check.id).await.unwrap();

    let campaign = client
        .create_short_link_campaign(&NewShortLinkCampaign::new(
            "Sale",
            "https://shop.example/",
            ShortLinkKind::Shared,
        ))
        .await
        .unwrap();
    let code = campaign.id.clone().unwrap();
    assert_eq!(
        client.get_short_link_campaign(&code).await.unwrap(),
        campaign
    );
    let group = client
        .create_group(&lox24::NewGroup::new("Fans"))
        .await
        .unwrap();
    let link = client
        .create_unsubscription_link("Leave", group.id)
        .await
        .unwrap();
    assert_eq!(link.kind, Some(ShortLinkKind::Shared));
    let campaigns: Vec<_> = client
        .list_short_link_campaigns(&ShortLinkCampaignQuery::new())
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(campaigns.len(), 2);
    // LOX24's filters of the list, read by the sandbox as documented.
    let names = |query: ShortLinkCampaignQuery| {
        let client = client.clone();
        async move {
            let found: Vec<lox24::links::ShortLinkCampaign> = client
                .list_short_link_campaigns(&query)
                .await
                .unwrap()
                .try_collect()
                .await
                .unwrap();
            found.into_iter().filter_map(|c| c.name).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        names(ShortLinkCampaignQuery::new().name_containing("eav")).await,
        ["Leave"]
    );
    assert_eq!(
        names(ShortLinkCampaignQuery::new().url_containing("shop.example")).await,
        ["Sale"]
    );
    assert!(
        names(ShortLinkCampaignQuery::new().kind(ShortLinkKind::PerMessage))
            .await
            .is_empty()
    );
    assert_eq!(
        names(ShortLinkCampaignQuery::new().kind(ShortLinkKind::Shared))
            .await
            .len(),
        2
    );
    // Created in one second or two: each campaign is found by its own
    // second, and none after the last.
    for campaign in &campaigns {
        let at = chrono::DateTime::from_timestamp(campaign.created_at.expect("a time"), 0)
            .expect("a time");
        let found = names(ShortLinkCampaignQuery::new().created(at..=at)).await;
        assert!(
            found.contains(campaign.name.as_ref().expect("a name")),
            "{found:?}"
        );
        let later = at + chrono::Duration::seconds(1);
        let newest = campaigns.iter().filter_map(|c| c.created_at).max();
        if newest == Some(at.timestamp()) {
            assert!(
                names(ShortLinkCampaignQuery::new().created(later..))
                    .await
                    .is_empty()
            );
        }
        assert_eq!(
            names(ShortLinkCampaignQuery::new().created(..later))
                .await
                .len(),
            campaigns
                .iter()
                .filter(|c| c.created_at <= Some(at.timestamp()))
                .count()
        );
    }
    let mut ascending =
        names(ShortLinkCampaignQuery::new().order_by_created(lox24::SortDirection::Asc)).await;
    ascending.reverse();
    assert_eq!(
        names(ShortLinkCampaignQuery::new().order_by_created(lox24::SortDirection::Desc)).await,
        ascending
    );
    let links: Vec<_> = client
        .list_short_link_campaign_links(&code)
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert!(links.is_empty());
    let requests: Vec<_> = client
        .list_short_link_requests(&ShortLinkRequestQuery::new())
        .await
        .unwrap()
        .try_collect()
        .await
        .unwrap();
    assert!(requests.is_empty());
    client.delete_short_link_campaign(&code).await.unwrap();
    assert!(matches!(
        client.get_short_link_campaign(&code).await,
        Err(Error::NotFound(_))
    ));
}

#[tokio::test]
async fn every_message_filter_selects_what_it_names_in_lists_and_batches() {
    let clock = ManualClock::at_unix(1_800_000_000);
    let sandbox = sandbox(&clock).await;
    let client = sandbox.client().unwrap();
    let sale = client
        .send_sms(&NewSms::new("Shop", "Spring sale today", "+491701111111"))
        .await
        .unwrap();
    let greeting = client
        .send_sms(
            &NewSms::new("MyShop", "Grüße", "+491702222222")
                .source(42)
                .encoding(lox24::Encoding::Unicode),
        )
        .await
        .unwrap();
    let abroad = client
        .send_sms(&NewSms::new("Shop", "Spring sale", "+431703333333"))
        .await
        .unwrap();

    let ids = async |query: SmsQuery| -> Vec<lox24::SmsId> {
        client
            .list_sms(&query.order_by(lox24::SmsOrder::CreatedAt, lox24::SortDirection::Asc))
            .await
            .unwrap()
            .map_ok(|sms| sms.uuid)
            .try_collect()
            .await
            .unwrap()
    };
    let (a, b, c) = (&sale.uuid, &greeting.uuid, &abroad.uuid);
    assert_eq!(
        ids(SmsQuery::new().text_containing("sale")).await,
        [a.clone(), c.clone()]
    );
    assert_eq!(
        ids(SmsQuery::new().sender_containing("My")).await,
        vec![b.clone()]
    );
    let germany = lox24::number::Country::from_iso("DE").unwrap();
    assert_eq!(
        ids(SmsQuery::new().country(germany)).await,
        [a.clone(), b.clone()]
    );
    assert_eq!(
        ids(SmsQuery::new().key_id(1)).await,
        [a.clone(), b.clone(), c.clone()]
    );
    assert!(ids(SmsQuery::new().key_id(2)).await.is_empty());
    assert_eq!(ids(SmsQuery::new().source(42)).await, vec![b.clone()]);
    assert_eq!(ids(SmsQuery::new().unicode(true)).await, vec![b.clone()]);
    assert_eq!(
        ids(SmsQuery::new().unicode(false)).await,
        [a.clone(), c.clone()]
    );

    // The batch cancel takes the same filters: only the sale messages stop.
    let cancelled = client
        .cancel_sms(&SmsQuery::new().text_containing("sale"))
        .await
        .unwrap();
    assert_eq!(cancelled, 2);
    for (id, status) in [
        (a, SmsStatus::Cancelled),
        (b, SmsStatus::New),
        (c, SmsStatus::Cancelled),
    ] {
        assert_eq!(client.get_sms(id).await.unwrap().status_code, Some(status));
    }
}
