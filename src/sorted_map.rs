//! [`SortedMap`]: a small map kept as a `Vec` sorted by key. It replaces
//! `BTreeMap` (and `BTreeSet`, as a map to `()`) in the engine's tables (the
//! messages in flight, a leader's writes waiting to commit, a server's
//! key-value store, the safety monitor's memory): the same order and
//! results, and in the page's wasm a few hundred bytes per key and value
//! type instead of a B-tree's 5 KB (the first two took 6.4 KB gzipped off
//! the page).

use serde::{Serialize, Serializer};
use std::borrow::Borrow;
use std::fmt;

/// A map iterated in key order (as a `BTreeMap` is). Lookups are binary
/// searches; an insert or a removal moves the entries after it, cheap for
/// the tables it holds (tens of entries, mostly added at the end).
#[derive(Clone, PartialEq, Eq)]
pub struct SortedMap<K, V>(Vec<(K, V)>);

/// A map keyed by an id or a log index.
pub type IdMap<V> = SortedMap<u64, V>;

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> SortedMap<K, V> {
        SortedMap(Vec::new())
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    /// An empty map.
    pub fn new() -> SortedMap<K, V> {
        SortedMap(Vec::new())
    }

    fn find<Q: Ord + ?Sized>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
    {
        self.0.binary_search_by(|e| e.0.borrow().cmp(key))
    }

    /// The value of `key`.
    pub fn get<Q: Ord + ?Sized>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    /// The value of `key`, to change.
    pub fn get_mut<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| &mut self.0[i].1)
    }

    /// Sets `key` to `value`; returns the value it replaced.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// Takes `key` out; returns its value.
    pub fn remove<Q: Ord + ?Sized>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }
}

impl<K, V> SortedMap<K, V> {
    /// The entries, by key.
    pub fn iter(&self) -> Iter<'_, K, V> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator {
        self.0.iter().map(|e| &e.0)
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

/// The iterator of [`SortedMap::iter`].
pub type Iter<'a, K, V> = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

impl<'a, K, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Written as a `BTreeMap` is: `{1: .., 2: ..}`.
impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SortedMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Serialized as a `BTreeMap` is: a map, in key order.
impl<K: Serialize, V: Serialize> Serialize for SortedMap<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::SortedMap;
    use std::collections::BTreeMap;

    /// The same operations on a `SortedMap` and a `BTreeMap` give the same
    /// results and the same contents, in the same order.
    #[test]
    fn behaves_as_a_btree_map() {
        let mut a: SortedMap<String, u64> = SortedMap::new();
        let mut b: BTreeMap<String, u64> = BTreeMap::new();
        let mut x: u64 = 12345;
        for step in 0..2000u64 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let key = format!("k{}", (x >> 33) % 64);
            match (x >> 20) % 4 {
                0 | 1 => assert_eq!(a.insert(key.clone(), step), b.insert(key.clone(), step)),
                2 => assert_eq!(a.remove(key.as_str()), b.remove(key.as_str())),
                _ => {
                    if let (Some(p), Some(q)) = (a.get_mut(key.as_str()), b.get_mut(key.as_str())) {
                        *p += 1;
                        *q += 1;
                    }
                }
            }
            assert_eq!(a.get(key.as_str()), b.get(key.as_str()));
            assert_eq!(a.len(), b.len());
            assert_eq!(a.is_empty(), b.is_empty());
        }
        assert!(a.iter().eq(b.iter()));
        assert!(a.keys().eq(b.keys()) && a.values().eq(b.values()));
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
        assert!(a.into_iter().eq(b));
    }
}
