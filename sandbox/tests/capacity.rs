//! The batch endpoint with a capacity, over HTTP: a full server refuses with
//! 503 and `Retry-After` and stores nothing; a place freed by a client that
//! went away serves the next batch.

use std::time::Duration;

use lox24_sandbox::{Capacity, DEFAULT_TOKEN, Operation, Sandbox};

async fn post_batch(http: &reqwest::Client, base: &str, phone: &str) -> reqwest::Response {
    http.post(format!("{base}/groups/1/phones/batch"))
        .header("x-lox24-auth-token", DEFAULT_TOKEN)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(format!(r#"[{{"phone":"{phone}"}}]"#))
        .send()
        .await
        .expect("an answer")
}

/// Waits until `condition` holds, for at most 10 s.
async fn wait_until(condition: impl Fn() -> bool) {
    tokio::time::timeout(Duration::from_secs(10), async {
        while !condition() {
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the condition holds in time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_server_refuses_with_retry_after_and_a_freed_place_serves_the_next() {
    // One batch at a time, no queue, an hour per entry: the first batch
    // holds the only place for as long as its request lives.
    let capacity = Capacity::new(1)
        .per_entry(Duration::from_secs(3600))
        .retry_after(Duration::from_millis(1500));
    let sandbox = Sandbox::builder()
        .capacity(capacity)
        .start()
        .await
        .expect("starts");
    let client = sandbox.client().expect("a client");
    client
        .create_group(&lox24::NewGroup::new("capacity"))
        .await
        .expect("group 1");
    let (base, http) = (sandbox.base_url().to_owned(), reqwest::Client::new());

    let first = tokio::spawn({
        let (http, base) = (http.clone(), base.clone());
        async move { post_batch(&http, &base, "+491701234567").await }
    });
    wait_until(|| sandbox.capacity_stats().peak_serving == 1).await;

    let refused = post_batch(&http, &base, "+491701234568").await;
    assert_eq!(refused.status(), 503);
    assert_eq!(
        refused
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().ok()),
        Some(Some("2")),
        "whole seconds, rounded up"
    );
    let stats = sandbox.capacity_stats();
    assert_eq!((stats.arrived, stats.refused), (2, 1));

    // The first client goes away: its place goes to the next batch, which
    // waits in the queue until the server notices.
    first.abort();
    let _ = first.await;
    sandbox.set_capacity(Some(Capacity::new(1).queue(1)));
    let served = post_batch(&http, &base, "+491701234569").await;
    assert_eq!(served.status(), 201);
    // Only the served batch was stored (the refused one and the abandoned
    // one were not handled).
    assert_eq!(sandbox.handled(Operation::AddPhonesBatch), 1);
}
