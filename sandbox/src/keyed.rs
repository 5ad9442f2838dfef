//! A collection of records found by a textual key (a UUID, a code) and
//! kept in the order they were added.

use std::collections::{BTreeMap, HashMap};

#[derive(Debug)]
pub(crate) struct Keyed<T> {
    last: u64,
    items: BTreeMap<u64, T>,
    index: HashMap<String, u64>,
}

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Self {
            last: 0,
            items: BTreeMap::new(),
            index: HashMap::new(),
        }
    }
}

impl<T> Keyed<T> {
    /// Adds the record `make` builds from its sequence number (from 1, never
    /// reused), under `key`.
    pub(crate) fn insert(&mut self, key: String, make: impl FnOnce(u64) -> T) -> &mut T {
        self.last += 1;
        let seq = self.last;
        if let Some(old) = self.index.insert(key, seq) {
            self.items.remove(&old);
        }
        self.items.entry(seq).or_insert(make(seq))
    }

    pub(crate) fn get(&self, key: &str) -> Option<&T> {
        self.index.get(key).and_then(|seq| self.items.get(seq))
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut T> {
        let seq = self.index.get(key)?;
        self.items.get_mut(seq)
    }

    pub(crate) fn remove(&mut self, key: &str) -> Option<T> {
        let seq = self.index.remove(key)?;
        self.items.remove(&seq)
    }

    /// Every record, oldest first.
    pub(crate) fn values(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.items.values()
    }

    /// Every record, oldest first, to change.
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.items.values_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_their_order_and_are_found_by_key() {
        let mut keyed = Keyed::default();
        keyed.insert("b".into(), |seq| (seq, "first"));
        keyed.insert("a".into(), |seq| (seq, "second"));
        assert_eq!(keyed.get("a"), Some(&(2, "second")));
        let order: Vec<_> = keyed.values().map(|(_, v)| *v).collect();
        assert_eq!(order, ["first", "second"]);
        assert_eq!(keyed.remove("b"), Some((1, "first")));
        assert!(keyed.get("b").is_none() && keyed.remove("b").is_none());
        keyed.insert("c".into(), |seq| (seq, "third"));
        assert_eq!(keyed.get("c"), Some(&(3, "third")));
    }
}
