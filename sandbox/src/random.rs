//! Ids and fault draws from one seed: request ids, campaign UUIDs, and the
//! decision whether a given request meets a fault.
//!
//! Everything derives from a counter passed through SplitMix64, a bijection
//! on `u64`: distinct counters give distinct values, so ids never repeat
//! within a sandbox, and the same seed replays the same ids and faults.
//! No cryptographic quality is needed (nor claimed) for a test server.

use std::{
    collections::hash_map::RandomState,
    hash::BuildHasher,
    sync::atomic::{AtomicU64, Ordering},
};

/// SplitMix64's output function.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A seed that differs between sandboxes (std's per-process random keys).
pub(crate) fn fresh_seed() -> u64 {
    RandomState::new().hash_one(std::time::SystemTime::now())
}

/// Hands out unique ids.
#[derive(Debug)]
pub(crate) struct Ids {
    seed: u64,
    next: AtomicU64,
}

impl Ids {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            seed,
            next: AtomicU64::new(0),
        }
    }

    /// 128 bits: the first half is unique per call, the second is noise.
    fn next128(&self) -> (u64, u64) {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        (mix(self.seed ^ mix(n)), mix(self.seed.rotate_left(32) ^ n))
    }

    /// A request id: 32 lowercase hex digits (alphanumerics, as LOX24's).
    pub(crate) fn request_id(&self) -> String {
        let (a, b) = self.next128();
        format!("{a:016x}{b:016x}")
    }

    /// A version-4 UUID in its canonical lowercase form.
    pub(crate) fn uuid(&self) -> String {
        let (a, b) = self.next128();
        let a = (a & !0xf000) | 0x4000; // version 4
        let b = (b & !(0b11 << 62)) | (0b10 << 62); // RFC 4122 variant
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }
}

/// A number in `[0, 1)` fixed by the seed and the parts, for fault shares.
pub(crate) fn draw(seed: u64, parts: &[u64]) -> f64 {
    let h = parts.iter().fold(mix(seed), |h, &p| mix(h ^ p));
    // The top 53 bits make an evenly spread f64.
    (h >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_32_alphanumerics_and_unique() {
        let ids = Ids::new(7);
        let all: std::collections::HashSet<String> =
            (0..10_000).map(|_| ids.request_id()).collect();
        assert_eq!(all.len(), 10_000);
        assert!(all.iter().all(|id| {
            id.len() == 32
                && id
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        }));
    }

    #[test]
    fn uuids_have_the_pattern_lox24_documents() {
        let ids = Ids::new(1);
        for _ in 0..1000 {
            let uuid = ids.uuid();
            let groups: Vec<&str> = uuid.split('-').collect();
            let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
            assert_eq!(lengths, [8, 4, 4, 4, 12], "{uuid}");
            assert!(
                uuid.bytes()
                    .all(|b| b == b'-' || b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            );
            assert!(groups[2].starts_with('4'), "{uuid}");
            assert!(
                matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
                "{uuid}"
            );
        }
    }

    #[test]
    fn the_same_seed_replays_the_same_sequence() {
        let (a, b) = (Ids::new(42), Ids::new(42));
        assert_eq!(a.uuid(), b.uuid());
        assert_eq!(a.request_id(), b.request_id());
        assert_ne!(Ids::new(43).request_id(), Ids::new(42).request_id());
        assert_eq!(draw(5, &[1, 2]), draw(5, &[1, 2]));
        assert_ne!(draw(5, &[1, 2]), draw(5, &[1, 3]));
    }

    #[test]
    fn draws_spread_over_the_unit_interval() {
        let hits = (0..10_000).filter(|&n| draw(9, &[n]) < 0.25).count();
        assert!((2_200..2_800).contains(&hits), "{hits}");
    }
}
