//! [`IdMap`]: a small map from `u64` keys (message ids, log indexes) to
//! values, kept as a `Vec` sorted by key. It replaces `BTreeMap<u64, _>` in
//! the engine's short tables (the messages in flight, a leader's writes
//! waiting to commit): the same order and results, and a few hundred bytes of
//! the page's wasm per value type instead of a B-tree's 5 KB.

use std::fmt;

/// A map from `u64` to `V`, iterated in key order (as a `BTreeMap` is).
/// Lookups are binary searches; an insert or a removal moves the entries
/// after it, cheap for the tens of entries these tables hold.
#[derive(Clone, PartialEq, Eq)]
pub struct IdMap<V>(Vec<(u64, V)>);

impl<V> Default for IdMap<V> {
    fn default() -> IdMap<V> {
        IdMap(Vec::new())
    }
}

impl<V> IdMap<V> {
    /// An empty map.
    pub fn new() -> IdMap<V> {
        IdMap(Vec::new())
    }

    fn find(&self, key: u64) -> Result<usize, usize> {
        self.0.binary_search_by(|e| e.0.cmp(&key))
    }

    /// The value of `key`.
    pub fn get(&self, key: &u64) -> Option<&V> {
        self.find(*key).ok().map(|i| &self.0[i].1)
    }

    /// The value of `key`, to change.
    pub fn get_mut(&mut self, key: &u64) -> Option<&mut V> {
        self.find(*key).ok().map(|i| &mut self.0[i].1)
    }

    /// Sets `key` to `value`; returns the value it replaced.
    pub fn insert(&mut self, key: u64, value: V) -> Option<V> {
        match self.find(key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// Takes `key` out; returns its value.
    pub fn remove(&mut self, key: &u64) -> Option<V> {
        self.find(*key).ok().map(|i| self.0.remove(i).1)
    }

    /// The values, by key.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator {
        self.0.iter().map(|e| &e.1)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when it has no entry.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<V> IntoIterator for IdMap<V> {
    type Item = (u64, V);
    type IntoIter = std::vec::IntoIter<(u64, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Written as a `BTreeMap` is: `{1: .., 2: ..}`.
impl<V: fmt::Debug> fmt::Debug for IdMap<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.iter().map(|(k, v)| (k, v))).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::IdMap;
    use std::collections::BTreeMap;

    /// The same operations on an `IdMap` and a `BTreeMap` give the same
    /// results and the same contents, in the same order.
    #[test]
    fn behaves_as_a_btree_map() {
        let mut a: IdMap<u64> = IdMap::new();
        let mut b: BTreeMap<u64, u64> = BTreeMap::new();
        let mut x: u64 = 12345;
        for step in 0..2000u64 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let key = (x >> 33) % 64;
            match (x >> 20) % 4 {
                0 | 1 => assert_eq!(a.insert(key, step), b.insert(key, step)),
                2 => assert_eq!(a.remove(&key), b.remove(&key)),
                _ => {
                    if let (Some(p), Some(q)) = (a.get_mut(&key), b.get_mut(&key)) {
                        *p += 1;
                        *q += 1;
                    }
                }
            }
            assert_eq!(a.get(&key), b.get(&key));
            assert_eq!(a.len(), b.len());
            assert_eq!(a.is_empty(), b.is_empty());
        }
        assert!(a.values().eq(b.values()));
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert!(a.into_iter().eq(b));
    }
}
