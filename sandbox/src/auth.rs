//! `X-LOX24-AUTH-TOKEN` and LOX24's lockout rule: more than three requests
//! with wrong credentials from one IP address within a minute block that
//! address for ten minutes, during which every request from it gets 429.
//!
//! The fourth wrong request within the minute is itself answered 429 (the
//! block starts with it). Requests made while blocked neither count nor
//! extend the block; good credentials do not lift it.

use std::{
    collections::{HashMap, VecDeque},
    net::IpAddr,
    sync::{Mutex, PoisonError},
    time::{Duration, SystemTime},
};

use lox24::{Credentials, LOCKOUT};

/// Wrong requests allowed within [`WINDOW`]; one more blocks.
pub(crate) const ALLOWED_FAILURES: usize = 3;
/// The window in which wrong requests are counted.
pub(crate) const WINDOW: Duration = Duration::from_secs(60);

/// What the credentials of a request earn it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Good credentials; the id of the API key used.
    Allowed { key_id: u64 },
    /// Wrong or missing credentials: 401.
    Unauthorized,
    /// The address is blocked: 429.
    Blocked,
}

#[derive(Debug, Default)]
struct Track {
    failures: VecDeque<SystemTime>,
    blocked_until: Option<SystemTime>,
}

/// The accepted credentials and each address's record.
pub(crate) struct Auth {
    tokens: Vec<Credentials>,
    tracks: Mutex<HashMap<IpAddr, Track>>,
}

impl Auth {
    /// Accepts these credentials; the first has key id 1, the next 2, and so on.
    pub(crate) fn new(tokens: Vec<Credentials>) -> Self {
        Self {
            tokens,
            tracks: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn check(&self, ip: IpAddr, token: Option<&[u8]>, now: SystemTime) -> Verdict {
        let mut tracks = self.tracks.lock().unwrap_or_else(PoisonError::into_inner);
        let track = tracks.entry(ip).or_default();
        match track.blocked_until {
            Some(until) if now < until => return Verdict::Blocked,
            Some(_) => *track = Track::default(),
            None => {}
        }
        let key = token.and_then(|t| self.tokens.iter().position(|known| known.matches_token(t)));
        if let Some(index) = key {
            return Verdict::Allowed {
                key_id: index as u64 + 1,
            };
        }
        track.failures.push_back(now);
        while track
            .failures
            .front()
            .is_some_and(|&t| now.duration_since(t).unwrap_or_default() >= WINDOW)
        {
            track.failures.pop_front();
        }
        if track.failures.len() > ALLOWED_FAILURES {
            track.failures.clear();
            track.blocked_until = Some(now + LOCKOUT);
            return Verdict::Blocked;
        }
        Verdict::Unauthorized
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::{net::Ipv4Addr, time::UNIX_EPOCH};

    const GOOD: &[u8] = b"1:key";
    const HOME: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_750_000_000 + secs)
    }

    fn auth() -> Auth {
        let token = |t: &str| Credentials::from_token(t).unwrap();
        Auth::new(vec![token("1:key"), token("2:other")])
    }

    #[test]
    fn tokens_are_matched_exactly_and_name_their_key() {
        let auth = auth();
        assert_eq!(
            auth.check(HOME, Some(GOOD), at(0)),
            Verdict::Allowed { key_id: 1 }
        );
        assert_eq!(
            auth.check(HOME, Some(b"2:other"), at(0)),
            Verdict::Allowed { key_id: 2 }
        );
        assert_eq!(
            auth.check(HOME, Some(b"1:key "), at(0)),
            Verdict::Unauthorized
        );
        assert_eq!(auth.check(HOME, None, at(0)), Verdict::Unauthorized);
    }

    #[test]
    fn the_fourth_failure_within_a_minute_blocks_for_ten_minutes() {
        let auth = auth();
        for s in [0, 20, 40] {
            assert_eq!(auth.check(HOME, Some(b"x"), at(s)), Verdict::Unauthorized);
        }
        assert_eq!(auth.check(HOME, Some(b"x"), at(59)), Verdict::Blocked);
        // Everything from that address, good credentials too, until 10 minutes pass.
        assert_eq!(auth.check(HOME, Some(GOOD), at(60)), Verdict::Blocked);
        assert_eq!(auth.check(HOME, Some(GOOD), at(59 + 599)), Verdict::Blocked);
        assert_eq!(
            auth.check(HOME, Some(GOOD), at(59 + 600)),
            Verdict::Allowed { key_id: 1 }
        );
        // Other addresses are not affected.
        let other = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
        let auth = self::auth();
        for s in 0..4 {
            auth.check(HOME, None, at(s));
        }
        assert_eq!(
            auth.check(other, Some(GOOD), at(5)),
            Verdict::Allowed { key_id: 1 }
        );
    }

    #[test]
    fn failures_older_than_a_minute_are_forgotten() {
        let auth = auth();
        for s in [0, 1, 2] {
            auth.check(HOME, None, at(s));
        }
        assert_eq!(auth.check(HOME, None, at(60)), Verdict::Unauthorized);
        assert_eq!(auth.check(HOME, None, at(61)), Verdict::Unauthorized);
        assert_eq!(auth.check(HOME, None, at(62)), Verdict::Unauthorized);
        assert_eq!(auth.check(HOME, None, at(63)), Verdict::Blocked);
    }
}
