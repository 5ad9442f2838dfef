//! A message's life in simulated time: new (status 0) → handed to the
//! network (100) with a report on its way (dlr 4 en route, or 2 queued
//! for a number whose message will expire) → a final report: 1 delivered,
//! 8 expired or 16 rejected. A message to a blocked number stays at 208;
//! one cancelled before it is sent at 6000.
//!
//! As with campaigns, nothing runs in the background for the status: it is
//! worked out from the clock whenever a message is read.

use std::time::{Duration, SystemTime};

use super::{clock::unix, records::SmsRec};

/// How long messages take in simulated (clock) time.
///
/// A message is handed to the network `sending` after its start (its
/// `delivery_at`, or its creation), and its final delivery report comes
/// `delivery` after that. A campaign's messages start when the campaign
/// creates them, as it is processed ([`crate::BulkTiming`]).
///
/// ```
/// use std::time::Duration;
/// use lox24_sandbox::MessageTiming;
///
/// let timing = MessageTiming { sending: Duration::ZERO, delivery: Duration::from_secs(30) };
/// assert_eq!(MessageTiming::default().delivery, Duration::from_secs(2));
/// # let _ = timing;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageTiming {
    /// From the start to handed to the network (status 0 → 100).
    pub sending: Duration,
    /// From handed to the network to the final delivery report.
    pub delivery: Duration,
}

impl Default for MessageTiming {
    /// One second sending, two seconds to the final report.
    fn default() -> Self {
        Self {
            sending: Duration::from_secs(1),
            delivery: Duration::from_secs(2),
        }
    }
}

pub(crate) const NEW: u16 = 0;
pub(crate) const SENT: u16 = 100;
pub(crate) const BLOCKED: u16 = 208;
pub(crate) const CANCELLED: u16 = 6000;

pub(crate) const DLR_NONE: u16 = 0;
pub(crate) const DLR_DELIVERED: u16 = 1;
pub(crate) const DLR_QUEUED: u16 = 2;
pub(crate) const DLR_EN_ROUTE: u16 = 4;
pub(crate) const DLR_EXPIRED: u16 = 8;
pub(crate) const DLR_REJECTED: u16 = 16;

/// What the network does with a message, fixed by the number's last digit
/// so that tests can predict it: `…8` expires (dlr 8), `…6` is rejected
/// (dlr 16, as in 16), anything else is delivered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fate {
    Delivered,
    Expired,
    Rejected,
}

impl Fate {
    pub(crate) fn of(phone: &str) -> Self {
        match phone.chars().last() {
            Some('8') => Self::Expired,
            Some('6') => Self::Rejected,
            _ => Self::Delivered,
        }
    }

    /// The final report.
    pub(crate) fn dlr(self) -> u16 {
        match self {
            Self::Delivered => DLR_DELIVERED,
            Self::Expired => DLR_EXPIRED,
            Self::Rejected => DLR_REJECTED,
        }
    }

    /// The report while the message is on its way.
    fn underway(self) -> u16 {
        match self {
            Self::Expired => DLR_QUEUED,
            _ => DLR_EN_ROUTE,
        }
    }
}

/// Where a message stands at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct State {
    pub(crate) status: u16,
    pub(crate) dlr: u16,
    /// Unix time it was handed to the network, if it was.
    pub(crate) sent_at: Option<i64>,
}

impl State {
    pub(crate) fn is_sent(self) -> bool {
        self.sent_at.is_some()
    }
}

/// When sending starts: the delivery time if later than `now`.
pub(crate) fn start(delivery_at: i64, now: SystemTime) -> SystemTime {
    if delivery_at > 0 {
        super::clock::from_unix(delivery_at).max(now)
    } else {
        now
    }
}

/// The message at `now`.
pub(crate) fn state(sms: &SmsRec, now: SystemTime) -> State {
    let at = |status, dlr, sent_at: Option<SystemTime>| State {
        status,
        dlr,
        sent_at: sent_at.map(unix),
    };
    if sms.blocked {
        return at(BLOCKED, DLR_NONE, None);
    }
    if sms.cancelled_at.is_some_and(|cancelled| cancelled <= now) {
        return at(CANCELLED, DLR_NONE, None);
    }
    if now < sms.sent_at {
        at(NEW, DLR_NONE, None)
    } else if now < sms.final_at {
        at(SENT, sms.fate.underway(), Some(sms.sent_at))
    } else {
        at(SENT, sms.fate.dlr(), Some(sms.sent_at))
    }
}

/// When the message's `sms.delivery` event is due: its final report, or
/// for a blocked number the moment it would have been sent.
pub(crate) fn report_at(sms: &SmsRec) -> SystemTime {
    if sms.blocked {
        sms.sent_at
    } else {
        sms.final_at
    }
}

/// Whether it can still be cancelled: created and not sent.
pub(crate) fn cancellable(sms: &SmsRec, now: SystemTime) -> bool {
    state(sms, now).status == NEW
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    const T0: u64 = 1_750_000_000;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(T0 + secs)
    }

    fn sms(phone: &str) -> SmsRec {
        SmsRec {
            uuid: "u".into(),
            seq: 1,
            bulk_id: None,
            phone: phone.into(),
            sender_id: "Shop".into(),
            text: "Hi".into(),
            callback_data: None,
            parts: 1,
            chars: 2,
            is_unicode: false,
            price_micros: 70_000,
            service_code: "direct".into(),
            voice_lang: None,
            is_text_deleted: false,
            source: None,
            key_id: 1,
            ip: "127.0.0.1".into(),
            delivery_at: 0,
            created_at: at(0),
            sent_at: at(10),
            final_at: at(30),
            fate: Fate::of(phone),
            blocked: false,
            cancelled_at: None,
        }
    }

    fn seen(sms: &SmsRec, secs: u64) -> (u16, u16) {
        let s = state(sms, at(secs));
        (s.status, s.dlr)
    }

    #[test]
    fn the_last_digit_decides_the_final_report() {
        let delivered = sms("+491701234567");
        assert_eq!(seen(&delivered, 0), (NEW, DLR_NONE));
        assert_eq!(seen(&delivered, 10), (SENT, DLR_EN_ROUTE));
        assert_eq!(state(&delivered, at(10)).sent_at, Some((T0 + 10) as i64));
        assert_eq!(seen(&delivered, 30), (SENT, DLR_DELIVERED));
        let expired = sms("+491701234568");
        assert_eq!(seen(&expired, 29), (SENT, DLR_QUEUED));
        assert_eq!(seen(&expired, 30), (SENT, DLR_EXPIRED));
        let rejected = sms("+491701234566");
        assert_eq!(seen(&rejected, 29), (SENT, DLR_EN_ROUTE));
        assert_eq!(seen(&rejected, 30), (SENT, DLR_REJECTED));
        assert_eq!(report_at(&rejected), at(30));
    }

    #[test]
    fn blocked_and_cancelled_messages_stay_where_they_are() {
        let mut blocked = sms("+491701234567");
        blocked.blocked = true;
        assert_eq!(seen(&blocked, 100), (BLOCKED, DLR_NONE));
        assert_eq!(report_at(&blocked), at(10));
        let mut cancelled = sms("+491701234567");
        assert!(cancellable(&cancelled, at(9)));
        assert!(!cancellable(&cancelled, at(10)));
        cancelled.cancelled_at = Some(at(5));
        assert_eq!(seen(&cancelled, 4), (NEW, DLR_NONE));
        assert_eq!(seen(&cancelled, 100), (CANCELLED, DLR_NONE));
    }

    #[test]
    fn a_scheduled_message_starts_at_its_delivery_time() {
        assert_eq!(start(0, at(5)), at(5));
        assert_eq!(start((T0 + 60) as i64, at(5)), at(60));
        // A past delivery time means now.
        assert_eq!(start(1, at(5)), at(5));
    }
}
