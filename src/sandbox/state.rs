//! Everything the connections of one sandbox share.

use std::sync::{
    Arc, Mutex, MutexGuard, PoisonError,
    atomic::{AtomicU64, Ordering},
};

use super::{
    auth::Auth, clock::Clock, faults::Faults, lifecycle::BulkTiming, random::Ids,
    routes::Operation, store::Store,
};

/// Fixed at start.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub(crate) page_size: usize,
    pub(crate) timing: BulkTiming,
    /// Price of one message in millionths of the currency unit.
    pub(crate) price_micros: u64,
    /// The account's country, for national numbers.
    pub(crate) country: Option<crate::phone::Country>,
    /// The largest request body read.
    pub(crate) max_body: usize,
}

pub(crate) struct Shared {
    pub(crate) settings: Settings,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) auth: Auth,
    pub(crate) faults: Faults,
    pub(crate) ids: Ids,
    pub(crate) stats: Stats,
    store: Mutex<Store>,
}

impl Shared {
    pub(crate) fn new(
        settings: Settings,
        clock: Arc<dyn Clock>,
        auth: Auth,
        faults: Faults,
        ids: Ids,
    ) -> Self {
        Self {
            settings,
            clock,
            auth,
            faults,
            ids,
            stats: Stats::default(),
            store: Mutex::new(Store::default()),
        }
    }

    /// The data. A handler that panicked cannot leave it half-changed in a
    /// way later requests care about, so a poisoned lock is used as is.
    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Requests counted per operation.
#[derive(Default)]
pub(crate) struct Stats {
    received: [AtomicU64; Operation::ALL.len()],
    handled: [AtomicU64; Operation::ALL.len()],
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
