//! Webhook events, posted as LOX24 posts them: a JSON envelope
//! `{id, api_version, name, created_at, attempt_total, attempt_number,
//! data, notification_task_id}`, tried until the receiver answers 2xx or
//! [`ATTEMPTS`] attempts were made, at growing intervals of clock time.
//!
//! Handlers only put what will happen into the [`Outbox`], at the clock
//! time it is due; the [`courier`] takes it out when the clock gets there
//! and posts it on its own tasks, so no request waits for a receiver.

pub(crate) mod courier;
mod target;

use std::{
    collections::BTreeMap,
    sync::{
        Mutex, PoisonError,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, SystemTime},
};

use serde_json::{Value, json};

pub(crate) use target::check_url;

/// The version of the events' structure that LOX24 writes.
pub(crate) const API_VERSION: &str = "2022-05-25";
/// How many times an event is posted at most (`attempt_total`).
pub(crate) const ATTEMPTS: u32 = 4;
/// Clock time from an attempt's start to the next attempt, after the 1st,
/// 2nd and 3rd attempt failed.
pub(crate) const RETRY_AFTER: [Duration; 3] = [
    Duration::from_secs(10),
    Duration::from_secs(60),
    Duration::from_secs(600),
];

/// What an event is about; its data is read from the store when it is due,
/// so that a message deleted or cancelled by then is not reported.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Source {
    /// `sms.delivery` of a stored message.
    Sms(String),
    /// `sms.incoming` of a stored reply.
    Incoming(String),
    /// `fraud-check.done` of a stored check.
    FraudCheck(String),
    /// An event whose data is known now (`sms.delivery.dryrun`).
    Ready { name: &'static str, data: Value },
}

/// One event, the same on every attempt.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Event {
    pub(crate) id: String,
    pub(crate) name: &'static str,
    pub(crate) created_at: i64,
    pub(crate) data: Value,
}

impl Event {
    /// The body of attempt `number` (from 1).
    pub(crate) fn envelope(&self, number: u32, task_id: &str) -> Value {
        json!({
            "id": self.id,
            "api_version": API_VERSION,
            "name": self.name,
            "created_at": self.created_at,
            "attempt_total": ATTEMPTS,
            "attempt_number": number,
            "data": self.data,
            "notification_task_id": task_id,
        })
    }
}

/// What the courier does when it is due.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Job {
    /// Make the event and post its first attempt.
    Build(Source),
    /// Post this attempt (from 2) of an event.
    Retry(Event, u32),
}

/// Jobs by the clock time they are due; empty and never filled when the
/// sandbox has no webhook.
#[derive(Debug)]
pub(crate) struct Outbox {
    enabled: bool,
    next: AtomicU64,
    jobs: Mutex<BTreeMap<(SystemTime, u64), Job>>,
    /// Attempts being posted.
    pub(crate) in_flight: AtomicU64,
}

impl Outbox {
    pub(crate) fn new(enabled: bool) -> Self {
        Self {
            enabled,
            next: AtomicU64::new(0),
            jobs: Mutex::new(BTreeMap::new()),
            in_flight: AtomicU64::new(0),
        }
    }

    /// Plans an event for `at`.
    pub(crate) fn schedule(&self, at: SystemTime, source: Source) {
        self.put(at, Job::Build(source));
    }

    pub(crate) fn put(&self, at: SystemTime, job: Job) {
        if !self.enabled {
            return;
        }
        let seq = self.next.fetch_add(1, Ordering::Relaxed);
        self.lock().insert((at, seq), job);
    }

    /// The jobs due at `now`, with the time each fell due, in that order.
    pub(crate) fn take_due(&self, now: SystemTime) -> Vec<(SystemTime, Job)> {
        let mut jobs = self.lock();
        let later = jobs.split_off(&(now, u64::MAX));
        std::mem::replace(&mut *jobs, later)
            .into_iter()
            .map(|((at, _), job)| (at, job))
            .collect()
    }

    /// Jobs waiting plus attempts being posted.
    pub(crate) fn pending(&self) -> u64 {
        self.lock().len() as u64 + self.in_flight.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<(SystemTime, u64), Job>> {
        self.jobs.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn jobs_come_out_when_due_in_order_and_only_once() {
        let outbox = Outbox::new(true);
        outbox.schedule(at(20), Source::Sms("b".into()));
        outbox.schedule(at(10), Source::Sms("a".into()));
        outbox.schedule(at(20), Source::Incoming("c".into()));
        assert!(outbox.take_due(at(9)).is_empty());
        assert_eq!(
            outbox.take_due(at(10)),
            [(at(10), Job::Build(Source::Sms("a".into())))]
        );
        assert_eq!(outbox.pending(), 2);
        assert_eq!(
            outbox.take_due(at(100)),
            [
                (at(20), Job::Build(Source::Sms("b".into()))),
                (at(20), Job::Build(Source::Incoming("c".into())))
            ]
        );
        assert_eq!(outbox.pending(), 0);
    }

    #[test]
    fn without_a_webhook_nothing_is_kept() {
        let outbox = Outbox::new(false);
        outbox.schedule(at(1), Source::Sms("a".into()));
        assert_eq!(outbox.pending(), 0);
    }

    #[test]
    fn the_envelope_has_lox24_s_fields() {
        let event = Event {
            id: "e".into(),
            name: "sms.delivery",
            created_at: 7,
            data: json!({"id": "s"}),
        };
        assert_eq!(
            event.envelope(2, "t"),
            json!({"id": "e", "api_version": "2022-05-25", "name": "sms.delivery",
                   "created_at": 7, "attempt_total": 4, "attempt_number": 2,
                   "data": {"id": "s"}, "notification_task_id": "t"})
        );
    }
}
