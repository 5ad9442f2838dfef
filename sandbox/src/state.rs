//! Everything the connections of one sandbox share.

use std::sync::{
    Arc, Mutex, MutexGuard, PoisonError,
    atomic::{AtomicU64, Ordering},
};

use super::{
    auth::Auth, capacity::Gate, clock::Clock, faults::Faults, lifecycle::BulkTiming,
    messages::MessageTiming, random::Ids, routes::Operation, store::Store, webhooks::Outbox,
};

/// Fixed at start.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub(crate) page_size: usize,
    pub(crate) timing: BulkTiming,
    /// Price of one message in millionths of the currency unit.
    pub(crate) price_micros: u64,
    /// The account's country, for national numbers.
    pub(crate) country: Option<lox24::number::Country>,
    /// The largest request body read.
    pub(crate) max_body: usize,
    pub(crate) message_timing: MessageTiming,
    /// The account's credit at start, in millionths.
    pub(crate) balance_micros: u64,
    /// The customer id of the account (`GET /me`).
    pub(crate) customer_id: u64,
    /// Numbers ending in the first text reply with the second.
    pub(crate) auto_replies: Vec<(String, String)>,
}

pub(crate) struct Shared {
    pub(crate) settings: Settings,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) auth: Auth,
    pub(crate) faults: Faults,
    pub(crate) ids: Ids,
    pub(crate) stats: Stats,
    pub(crate) outbox: Outbox,
    /// The batch endpoint's capacity, when it has one.
    pub(crate) capacity: Gate,
    store: Mutex<Store>,
}

impl Shared {
    pub(crate) fn new(
        settings: Settings,
        clock: Arc<dyn Clock>,
        auth: Auth,
        faults: Faults,
        ids: Ids,
        outbox: Outbox,
    ) -> Self {
        let store = Store::with_balance(settings.balance_micros);
        Self {
            settings,
            clock,
            auth,
            faults,
            ids,
            stats: Stats::default(),
            outbox,
            capacity: Gate::default(),
            store: Mutex::new(store),
        }
    }

    /// The data. A handler that panicked cannot leave it half-changed in a
    /// way later requests care about, so a poisoned lock is used as is.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Requests counted per operation.
pub(crate) struct Stats {
    received: [AtomicU64; Operation::ALL.len()],
    handled: [AtomicU64; Operation::ALL.len()],
}

// Arrays of more than 32 elements have no derived `Default`.
impl Default for Stats {
    fn default() -> Self {
        Self {
            received: std::array::from_fn(|_| AtomicU64::new(0)),
            handled: std::array::from_fn(|_| AtomicU64::new(0)),
        }
    }
}

impl Stats {
    /// Counts a request; returns how many of that operation came before it.
    pub(crate) fn receive(&self, op: Operation) -> u64 {
        self.received[op.index()].fetch_add(1, Ordering::Relaxed)
    }

    pub(crate) fn handle(&self, op: Operation) {
        self.handled[op.index()].fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn received(&self, op: Operation) -> u64 {
        self.received[op.index()].load(Ordering::Relaxed)
    }

    pub(crate) fn handled(&self, op: Operation) -> u64 {
        self.handled[op.index()].load(Ordering::Relaxed)
    }
}
