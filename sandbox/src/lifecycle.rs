//! A campaign's life in simulated time: new (0) → in progress (5) →
//! processed (10), or cancelled (15) from 0 or 5, or no recipients found
//! (201) at once.
//!
//! Nothing runs in the background: the status is worked out from the clock
//! whenever a campaign is read, so a test that moves a [`super::ManualClock`]
//! sees the campaign move with it.

use std::time::{Duration, SystemTime};

use super::{clock::unix, store::BulkRec};

/// How long campaigns take in simulated (clock) time.
///
/// A campaign waits `queued` after its start (its `delivery_at`, or its
/// creation when sent at once) before it is in progress, and `processing`
/// more before it is processed. Its `msg_total_count` grows evenly over the
/// processing time.
///
/// ```
/// use std::time::Duration;
/// use lox24_sandbox::BulkTiming;
///
/// let instant = BulkTiming { queued: Duration::ZERO, processing: Duration::ZERO };
/// assert_eq!(BulkTiming::default().processing, Duration::from_secs(2));
/// # let _ = instant;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BulkTiming {
    /// From the start to in progress (status 0 → 5).
    pub queued: Duration,
    /// From in progress to processed (status 5 → 10).
    pub processing: Duration,
}

impl Default for BulkTiming {
    /// One second queued, two seconds processing.
    fn default() -> Self {
        Self {
            queued: Duration::from_secs(1),
            processing: Duration::from_secs(2),
        }
    }
}

pub(crate) const NEW: u16 = 0;
pub(crate) const IN_PROGRESS: u16 = 5;
pub(crate) const PROCESSED: u16 = 10;
pub(crate) const CANCELLED: u16 = 15;
pub(crate) const NO_RECIPIENTS: u16 = 201;

/// Where a campaign stands at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Snapshot {
    pub(crate) status: u16,
    /// Unix time of the last change of status, if there was one.
    pub(crate) processed_at: Option<i64>,
    /// Messages created so far.
    pub(crate) messages: u64,
    /// Their cost, in millionths.
    pub(crate) cost_micros: u64,
}

/// The campaign at `now`.
pub(crate) fn snapshot(bulk: &BulkRec, now: SystemTime, timing: BulkTiming) -> Snapshot {
    let at = |status, processed_at: Option<SystemTime>, messages: u64| Snapshot {
        status,
        processed_at: processed_at.map(unix),
        messages,
        cost_micros: messages.saturating_mul(bulk.price_micros),
    };
    if bulk.recipients == 0 {
        return at(NO_RECIPIENTS, Some(bulk.created_at), 0);
    }
    if bulk.is_dryrun {
        // A dry run shows what the campaign would create; it never moves.
        return at(NEW, None, bulk.messages);
    }
    let moment = bulk
        .cancelled_at
        .map_or(now, |cancelled| cancelled.min(now));
    let started = bulk.starts_at + timing.queued;
    let done = started + timing.processing;
    let (status, changed, messages) = if moment < started {
        (NEW, None, 0)
    } else if moment < done {
        let elapsed = moment.duration_since(started).unwrap_or_default();
        let share = elapsed.as_nanos() * u128::from(bulk.messages) / timing.processing.as_nanos();
        (
            IN_PROGRESS,
            Some(started),
            u64::try_from(share).unwrap_or(bulk.messages),
        )
    } else {
        (PROCESSED, Some(done), bulk.messages)
    };
    match bulk.cancelled_at {
        Some(cancelled) if cancelled <= now => at(CANCELLED, Some(cancelled), messages),
        _ => at(status, changed, messages),
    }
}

/// When the campaign creates the message of its `index`-th of `count`
/// recipients: evenly over the processing time, the last when it is
/// processed.
pub(crate) fn message_created_at(
    bulk: &BulkRec,
    index: usize,
    count: usize,
    timing: BulkTiming,
) -> SystemTime {
    let started = bulk.starts_at + timing.queued;
    let share = timing.processing.as_nanos() * (index as u128 + 1) / (count.max(1) as u128);
    started + Duration::from_nanos(u64::try_from(share).unwrap_or(u64::MAX))
}

/// Cancels the campaign if it is new or in progress; otherwise returns the
/// status that forbids it.
pub(crate) fn cancel(
    bulk: &mut BulkRec,
    now: SystemTime,
    timing: BulkTiming,
) -> Result<Snapshot, u16> {
    match snapshot(bulk, now, timing).status {
        NEW | IN_PROGRESS => {
            bulk.cancelled_at = Some(now);
            Ok(snapshot(bulk, now, timing))
        }
        other => Err(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    const T0: u64 = 1_750_000_000;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(T0 + secs)
    }

    fn bulk(starts_in: u64, recipients: u64, messages: u64) -> BulkRec {
        BulkRec {
            uuid: "u".into(),
            seq: 1,
            sender_id: "Shop".into(),
            text: "Hi".into(),
            phones: None,
            msg_groups: None,
            service_code: "direct".into(),
            delivery_at: 0,
            is_unicode: None,
            is_text_deleted: false,
            source: None,
            voice_lang: None,
            key_id: 1,
            ip: "127.0.0.1".into(),
            is_dryrun: false,
            created_at: at(0),
            starts_at: at(starts_in),
            recipients,
            messages,
            price_micros: 70_000,
            cancelled_at: None,
        }
    }

    const TIMING: BulkTiming = BulkTiming {
        queued: Duration::from_secs(10),
        processing: Duration::from_secs(100),
    };

    #[test]
    fn a_campaign_moves_from_new_to_processed_with_the_clock() {
        let b = bulk(0, 4, 200);
        let s = |secs| snapshot(&b, at(secs), TIMING);
        assert_eq!(
            s(0),
            Snapshot {
                status: NEW,
                processed_at: None,
                messages: 0,
                cost_micros: 0
            }
        );
        assert_eq!(s(9).status, NEW);
        assert_eq!(
            s(10),
            Snapshot {
                status: IN_PROGRESS,
                processed_at: Some((T0 + 10) as i64),
                messages: 0,
                cost_micros: 0
            }
        );
        assert_eq!(s(60).messages, 100);
        assert_eq!(s(60).cost_micros, 7_000_000);
        assert_eq!(
            s(110),
            Snapshot {
                status: PROCESSED,
                processed_at: Some((T0 + 110) as i64),
                messages: 200,
                cost_micros: 14_000_000
            }
        );
    }

    #[test]
    fn a_scheduled_campaign_stays_new_until_its_delivery_time() {
        let b = bulk(3600, 1, 1);
        assert_eq!(snapshot(&b, at(3609), TIMING).status, NEW);
        assert_eq!(snapshot(&b, at(3610), TIMING).status, IN_PROGRESS);
        assert_eq!(snapshot(&b, at(3710), TIMING).status, PROCESSED);
    }

    #[test]
    fn cancelling_works_only_while_new_or_in_progress_and_freezes_the_counts() {
        let mut b = bulk(0, 2, 100);
        let s = cancel(&mut b, at(60), TIMING).unwrap();
        assert_eq!(
            (s.status, s.processed_at, s.messages),
            (CANCELLED, Some((T0 + 60) as i64), 50)
        );
        // Later reads keep the state of the cancellation.
        assert_eq!(snapshot(&b, at(500), TIMING), s);
        assert_eq!(cancel(&mut b, at(501), TIMING), Err(CANCELLED));

        let mut done = bulk(0, 2, 100);
        assert_eq!(cancel(&mut done, at(110), TIMING), Err(PROCESSED));
        assert!(cancel(&mut bulk(0, 2, 100), at(0), TIMING).is_ok());
    }

    #[test]
    fn no_recipients_is_final_at_once_and_dry_runs_show_their_totals() {
        let mut nobody = bulk(0, 0, 0);
        let s = snapshot(&nobody, at(0), TIMING);
        assert_eq!((s.status, s.processed_at), (NO_RECIPIENTS, Some(T0 as i64)));
        assert_eq!(cancel(&mut nobody, at(1), TIMING), Err(NO_RECIPIENTS));

        let mut dry = bulk(0, 3, 6);
        dry.is_dryrun = true;
        let s = snapshot(&dry, at(1000), TIMING);
        assert_eq!((s.status, s.messages, s.cost_micros), (NEW, 6, 420_000));
    }

    #[test]
    fn messages_appear_evenly_while_the_campaign_is_processed() {
        let b = bulk(0, 4, 4);
        let times: Vec<_> = (0..4)
            .map(|i| message_created_at(&b, i, 4, TIMING))
            .collect();
        assert_eq!(times, [at(35), at(60), at(85), at(110)]);
    }

    #[test]
    fn zero_durations_process_at_once() {
        let instant = BulkTiming {
            queued: Duration::ZERO,
            processing: Duration::ZERO,
        };
        assert_eq!(snapshot(&bulk(0, 1, 3), at(0), instant).status, PROCESSED);
    }
}
