//! The task that posts events: it looks at the clock every few
//! milliseconds (so a moved [`crate::ManualClock`] is seen at once), takes
//! the jobs that are due, and posts each attempt on a task of its own.

use std::{
    sync::{Arc, Weak, atomic::Ordering},
    time::{Duration, SystemTime},
};

use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use tokio::sync::Semaphore;
use url::Url;

use super::{ATTEMPTS, Event, Job, RETRY_AFTER, Source};
use crate::{clock::unix, messages, state::Shared};

/// How often the clock is read.
const TICK: Duration = Duration::from_millis(5);
/// Attempts posted at the same time, at most.
const CONCURRENCY: usize = 16;
/// How long a receiver may take to answer (real time); longer is a failed attempt.
const TIMEOUT: Duration = Duration::from_secs(10);

/// Posts due events to `url` until the sandbox is gone.
pub(crate) async fn run(shared: Weak<Shared>, url: Url) {
    // reqwest: connection reuse, timeouts and redirects handled by a
    // well-kept client. No proxy: the loopback target must be reached
    // directly, whatever the environment says.
    let Ok(http) = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .build()
    else {
        return;
    };
    let permits = Arc::new(Semaphore::new(CONCURRENCY));
    loop {
        tokio::time::sleep(TICK).await;
        let Some(shared) = shared.upgrade() else {
            break;
        };
        let now = shared.clock.now();
        for (due, job) in shared.outbox.take_due(now) {
            let (event, number) = match job {
                Job::Build(source) => match make(&shared, source, due) {
                    Some(event) => (event, 1),
                    None => continue,
                },
                Job::Retry(event, number) => (event, number),
            };
            shared.outbox.in_flight.fetch_add(1, Ordering::Relaxed);
            let attempt = Attempt {
                shared: shared.clone(),
                http: http.clone(),
                url: url.clone(),
                event,
                number,
                started: now,
            };
            tokio::spawn(attempt.post(permits.clone()));
        }
    }
}

/// The event of a source that happened at `at`, with the data as the store
/// has it now; `None` when there is nothing to report any more (deleted,
/// cancelled).
fn make(shared: &Shared, source: Source, at: SystemTime) -> Option<Event> {
    let (name, data) = match source {
        Source::Sms(uuid) => {
            let store = shared.store();
            let sms = store.sms.get(&uuid)?;
            let state = messages::state(sms, messages::report_at(sms));
            if state.status == messages::CANCELLED {
                return None;
            }
            (
                "sms.delivery",
                delivery_data(
                    &sms.uuid,
                    sms.key_id,
                    state.status,
                    state.dlr,
                    &sms.callback_data,
                ),
            )
        }
        Source::Incoming(uuid) => {
            let store = shared.store();
            let reply = store.incomings.get(&uuid)?;
            (
                "sms.incoming",
                json!({
                    "id": reply.uuid,
                    "from": reply.from,
                    "to": reply.to,
                    "text": reply.text,
                    "msg_uuid": reply.msg_uuid,
                    "received_at": unix(reply.received_at),
                }),
            )
        }
        Source::FraudCheck(id) => {
            let store = shared.store();
            let check = store.fraud_checks.get(&id)?;
            ("fraud-check.done", crate::handlers::fraud_check_done(check))
        }
        Source::Ready { name, data } => (name, data),
    };
    Some(Event {
        id: shared.ids.uuid(),
        name,
        created_at: unix(at),
        data,
    })
}

/// The data of `sms.delivery` and `sms.delivery.dryrun`.
pub(crate) fn delivery_data(
    id: &str,
    key_id: u64,
    status: u16,
    dlr: u16,
    callback_data: &Option<String>,
) -> Value {
    json!({
        "id": id,
        "key_id": key_id,
        "dlr_code": dlr,
        "status_code": status,
        "callback_data": callback_data,
    })
}

/// One attempt to post an event.
struct Attempt {
    shared: Arc<Shared>,
    http: reqwest::Client,
    url: Url,
    event: Event,
    number: u32,
    /// Clock time the attempt was made, from which the next one is timed.
    started: SystemTime,
}

impl Attempt {
    async fn post(self, permits: Arc<Semaphore>) {
        let accepted = match permits.acquire().await {
            Ok(_permit) => self.send().await,
            Err(_) => false,
        };
        let outbox = &self.shared.outbox;
        if !accepted && self.number < ATTEMPTS {
            let wait = RETRY_AFTER[(self.number - 1) as usize];
            outbox.put(
                self.started + wait,
                Job::Retry(self.event.clone(), self.number + 1),
            );
        }
        outbox.in_flight.fetch_sub(1, Ordering::Relaxed);
    }

    /// Whether the receiver answered 2xx.
    async fn send(&self) -> bool {
        let task_id = self.shared.ids.uuid();
        let body = self.event.envelope(self.number, &task_id).to_string();
        let request = self
            .http
            .post(self.url.clone())
            .header(CONTENT_TYPE, "application/json")
            .body(body);
        match request.send().await {
            Ok(response) => response.status().is_success(),
            Err(_) => false,
        }
    }
}
