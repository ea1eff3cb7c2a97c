//! The long tables of a run (the trace, each log, the client's writes, the
//! monitor's tables, the history) as a [`super::Snapshot`] keeps them: cut into
//! immutable chunks of [`CHUNK`] items at fixed positions, each chunk shared
//! (an `Arc`) with the previous snapshot when it holds the same items. These
//! tables grow with the run and change, if at all, near their end, so a new
//! snapshot shares all but its last chunks and costs what changed since the
//! one before it, not the size of the run.
//!
//! Restoring refills a plain `Vec` (or `BTreeMap`) in place: the longest
//! prefix it already has in common with the snapshot stays where it is, only
//! the rest is dropped and cloned. A cluster moved between nearby moments
//! thus pays for what differs between them.

use super::{Action, ClientOp, Command, Entry, Event, EventData, Landing, NodeId, OpStatus, Property};
use std::collections::{BTreeMap, BTreeSet};
use std::mem::{size_of, size_of_val};
use std::sync::Arc;

/// Items per chunk: small enough that the unshared last chunk of each table
/// costs little per snapshot, large enough that the list of chunk pointers
/// stays short (a one-hour run holds a few thousand chunks).
pub(super) const CHUNK: usize = 128;

/// A table cut into shared chunks: every chunk holds [`CHUNK`] items except
/// the last, which may hold fewer.
#[derive(Clone, Debug)]
pub(super) struct Chunked<T> {
    chunks: Vec<Arc<[T]>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked { chunks: Vec::new(), len: 0 }
    }
}

impl<T: Clone + PartialEq> Chunked<T> {
    /// Cuts `items` into chunks, sharing each chunk of `prev` at the same
    /// position whose items are equal (compared item by item: sharing never
    /// depends on where `prev` came from).
    pub(super) fn of(items: &[T], prev: Option<&Chunked<T>>) -> Chunked<T> {
        Chunked::build(items.chunks(CHUNK), items.len(), prev, |a, b| *a == b, Arc::from)
    }
}

impl<T> Chunked<T> {
    /// The general form of [`Chunked::of`]: `parts` yields the items chunk
    /// by chunk (as anything comparable to them), `same` tells a part equal
    /// to a chunk of `prev`, `own` makes a new chunk of a part.
    fn build<P>(
        parts: impl Iterator<Item = P>,
        len: usize,
        prev: Option<&Chunked<T>>,
        same: impl Fn(&P, &[T]) -> bool,
        own: impl Fn(P) -> Arc<[T]>,
    ) -> Chunked<T> {
        let mut chunks = Vec::with_capacity(len.div_ceil(CHUNK));
        for (i, part) in parts.enumerate() {
            match prev.and_then(|p| p.chunks.get(i)) {
                Some(c) if same(&part, c) => chunks.push(Arc::clone(c)),
                _ => chunks.push(own(part)),
            }
        }
        Chunked { chunks, len }
    }

    /// How many items.
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Every item, in order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &T> {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    /// The item at `i`.
    pub(super) fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i / CHUNK).and_then(|c| c.get(i % CHUNK))
    }

    /// Each chunk's address (the same for a chunk shared by several
    /// snapshots) and its items, for counting memory once per chunk.
    pub(super) fn chunks(&self) -> impl Iterator<Item = (usize, &[T])> {
        self.chunks.iter().map(|c| (Arc::as_ptr(c) as *const () as usize, &c[..]))
    }

    /// The bytes of the list of chunk pointers (the part a snapshot owns alone).
    pub(super) fn spine_bytes(&self) -> usize {
        self.chunks.capacity() * size_of::<Arc<[T]>>()
    }
}

impl<T: Clone + PartialEq> Chunked<T> {
    /// Makes `dst` equal to the items: keeps the longest prefix the two have
    /// in common, drops the rest of `dst` and clones the snapshot's items after it.
    pub(super) fn restore_vec(&self, dst: &mut Vec<T>) {
        let mut same = 0;
        for c in &self.chunks {
            let end = same + c.len();
            if dst.get(same..end).is_some_and(|d| d == &c[..]) {
                same = end;
                continue;
            }
            let have = dst.get(same..).unwrap_or(&[]);
            same += have.iter().zip(c.iter()).take_while(|(a, b)| a == b).count();
            break;
        }
        dst.truncate(same);
        dst.reserve(self.len - same);
        dst.extend(self.iter().skip(same).cloned());
    }
}

impl<K: Ord + Clone, V: Clone + PartialEq> Chunked<(K, V)> {
    /// A map's entries, in key order, shared with `prev` like [`Chunked::of`].
    pub(super) fn of_map(map: &BTreeMap<K, V>, prev: Option<&Chunked<(K, V)>>) -> Chunked<(K, V)> {
        let mut it = map.iter();
        let parts = std::iter::from_fn(|| {
            let part: Vec<(&K, &V)> = it.by_ref().take(CHUNK).collect();
            (!part.is_empty()).then_some(part)
        });
        Chunked::build(
            parts,
            map.len(),
            prev,
            |part, c| part.len() == c.len() && part.iter().zip(c).all(|((k, v), (ck, cv))| *k == ck && *v == cv),
            |part| part.into_iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        )
    }

    /// Makes `dst` hold exactly these entries: walks both in key order and
    /// removes, adds or replaces only the entries that differ.
    pub(super) fn restore_map(&self, dst: &mut BTreeMap<K, V>) {
        let mut remove = Vec::new();
        let mut put = Vec::new();
        let mut have = dst.iter().peekable();
        let mut want = self.iter().peekable();
        loop {
            match (have.peek(), want.peek()) {
                (None, None) => break,
                (Some((k, _)), None) => {
                    remove.push((*k).clone());
                    have.next();
                }
                (None, Some(_)) => put.extend(want.next()),
                (Some((hk, hv)), Some((wk, wv))) => match (*hk).cmp(wk) {
                    std::cmp::Ordering::Less => {
                        remove.push((*hk).clone());
                        have.next();
                    }
                    std::cmp::Ordering::Greater => put.extend(want.next()),
                    std::cmp::Ordering::Equal => {
                        let differs = *hv != wv;
                        have.next();
                        put.extend(want.next().filter(|_| differs));
                    }
                },
            }
        }
        for k in remove {
            dst.remove(&k);
        }
        for (k, v) in put {
            dst.insert(k.clone(), v.clone());
        }
    }
}

impl<K: Ord + Clone> Chunked<K> {
    /// A set's items, in order, shared with `prev` like [`Chunked::of`].
    pub(super) fn of_set(set: &BTreeSet<K>, prev: Option<&Chunked<K>>) -> Chunked<K> {
        let mut it = set.iter();
        let parts = std::iter::from_fn(|| {
            let part: Vec<&K> = it.by_ref().take(CHUNK).collect();
            (!part.is_empty()).then_some(part)
        });
        Chunked::build(
            parts,
            set.len(),
            prev,
            |part, c| part.len() == c.len() && part.iter().zip(c).all(|(k, ck)| *k == ck),
            |part| part.into_iter().cloned().collect(),
        )
    }

    /// Makes `dst` hold exactly these items (sets only grow in a run, so
    /// usually nothing or a few items change).
    pub(super) fn restore_set(&self, dst: &mut BTreeSet<K>) {
        if dst.len() != self.len || !dst.iter().eq(self.iter()) {
            *dst = self.iter().cloned().collect();
        }
    }
}

/// An estimate of the heap memory an item owns besides its own
/// `size_of` bytes (strings, vectors, boxes), for [`super::Snapshot`]'s accounting.
pub(super) trait Weigh {
    /// Heap bytes owned, roughly (allocator overhead not counted).
    fn heap(&self) -> usize {
        0
    }
}

/// The bytes of a chunk: its items and what they own.
pub(super) fn chunk_bytes<T: Weigh>(items: &[T]) -> usize {
    size_of_val(items) + items.iter().map(Weigh::heap).sum::<usize>()
}

impl Weigh for u64 {}
impl Weigh for NodeId {}
impl Weigh for Property {}
impl<A: Weigh, B: Weigh> Weigh for (A, B) {
    fn heap(&self) -> usize {
        self.0.heap() + self.1.heap()
    }
}
impl<A: Weigh, B: Weigh, C: Weigh> Weigh for (A, B, C) {
    fn heap(&self) -> usize {
        self.0.heap() + self.1.heap() + self.2.heap()
    }
}

impl Weigh for Command {
    fn heap(&self) -> usize {
        match self {
            Command::Set { key, .. } => key.capacity(),
            Command::Noop => 0,
        }
    }
}

impl Weigh for Entry {
    fn heap(&self) -> usize {
        self.command.heap()
    }
}

fn vec_heap<T: Weigh>(v: &Vec<T>) -> usize {
    v.capacity() * size_of::<T>() + v.iter().map(Weigh::heap).sum::<usize>()
}

impl Weigh for Vec<NodeId> {
    fn heap(&self) -> usize {
        vec_heap(self)
    }
}

impl Weigh for Event {
    fn heap(&self) -> usize {
        match &self.what {
            EventData::Appended { command, .. }
            | EventData::ClientWrite { command, .. }
            | EventData::ClientAcked { command, .. }
            | EventData::ClientGaveUp { command, .. } => command.heap(),
            EventData::Committed { entries, replicas, .. } => vec_heap(entries) + vec_heap(replicas),
            EventData::LeaderElected { votes, .. } => vec_heap(votes),
            EventData::Partitioned { groups } => vec_heap(groups),
            // The message's own entries are not counted: few messages are tampered with.
            EventData::MessageDropped { payload, .. } | EventData::MessageDuplicated { payload, .. } => {
                size_of_val(&**payload)
            }
            EventData::Violation { nodes, explanation, .. } => vec_heap(nodes) + explanation.capacity(),
            _ => 0,
        }
    }
}

impl Weigh for ClientOp {
    fn heap(&self) -> usize {
        let reason = match &self.status {
            OpStatus::Failed { reason, .. } => reason.capacity(),
            _ => 0,
        };
        self.command.heap() + self.landed.capacity() * size_of::<Landing>() + reason
    }
}

impl Weigh for Action {
    fn heap(&self) -> usize {
        match self {
            Action::Write { command, .. } | Action::Submit { command, .. } => command.heap(),
            Action::Partition { groups } => vec_heap(groups),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Weigh for u32 {}

    fn items(c: &Chunked<u32>) -> Vec<u32> {
        let mut v = Vec::new();
        c.restore_vec(&mut v);
        v
    }

    fn entries(c: &Chunked<(u32, u32)>) -> BTreeMap<u32, u32> {
        let mut m = BTreeMap::new();
        c.restore_map(&mut m);
        m
    }

    #[test]
    fn equal_chunks_are_shared_and_changed_ones_are_not() {
        let a: Vec<u32> = (0..1000).collect();
        let first = Chunked::of(&a, None);
        let mut b = a.clone();
        b[900] = 7; // in the chunk 896..1024
        b.push(5);
        let second = Chunked::of(&b, Some(&first));
        let shared = first.chunks().zip(second.chunks()).filter(|(x, y)| x.0 == y.0).count();
        assert_eq!(shared, 900 / CHUNK);
        assert_eq!(items(&second), b);
        assert_eq!(second.get(900), Some(&7));
        assert_eq!(second.get(1001), None);
    }

    #[test]
    fn restoring_a_vec_keeps_the_common_prefix_and_fixes_the_rest() {
        let want: Vec<u32> = (0..700).collect();
        let c = Chunked::of(&want, None);
        for mut have in [
            Vec::new(),
            (0..300).collect::<Vec<u32>>(),
            (0..2000).collect(),
            (0..700).map(|i| if i == 450 { 0 } else { i }).collect(),
            vec![9; 10],
        ] {
            c.restore_vec(&mut have);
            assert_eq!(have, want);
        }
    }

    #[test]
    fn restoring_a_map_or_a_set_gives_exactly_its_entries() {
        let want: BTreeMap<u32, u32> = (0..500).map(|i| (i * 2, i)).collect();
        let c = Chunked::of_map(&want, None);
        assert_eq!(entries(&c), want);
        let mut have: BTreeMap<u32, u32> = (0..300).map(|i| (i * 3, i)).collect();
        c.restore_map(&mut have);
        assert_eq!(have, want);
        let mut changed = want.clone();
        changed.insert(10, 99); // a value changed in the first chunk
        changed.insert(5000, 1); // a key added at the end
        let again = Chunked::of_map(&changed, Some(&c));
        assert_eq!(entries(&again), changed);
        let shared: Vec<bool> = again.chunks().zip(c.chunks()).map(|(x, y)| x.0 == y.0).collect();
        assert_eq!(shared, [false, true, true, false], "the first and the last chunk changed");
        // A key inserted in the middle moves every item after it: nothing after is shared.
        changed.insert(7, 7);
        let shifted = Chunked::of_map(&changed, Some(&again));
        assert!(shifted.chunks().zip(again.chunks()).all(|(x, y)| x.0 != y.0));
        assert_eq!(entries(&shifted), changed);
        let set: BTreeSet<u32> = (0..300).collect();
        let cs = Chunked::of_set(&set, None);
        let mut have: BTreeSet<u32> = (5..10).collect();
        cs.restore_set(&mut have);
        assert_eq!(have, set);
    }
}
