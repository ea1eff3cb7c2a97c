//! The long tables of a run (the trace, each log, the client's writes, the
//! monitor's tables that grow with the run, the history) as a [`super::Snapshot`] keeps them: cut into
//! immutable chunks of [`CHUNK`] items at fixed positions, each chunk shared
//! (an `Arc`) with the previous snapshot when it holds the same items. These
//! tables grow with the run and change, if at all, near their end, so a new
//! snapshot shares all but its last chunks and costs what changed since the
//! one before it, not the size of the run.
//!
//! Restoring refills a plain `Vec` in place: the longest
//! prefix it already has in common with the snapshot stays where it is, only
//! the rest is dropped and cloned. A cluster moved between nearby moments
//! thus pays for what differs between them.

use super::{
    Action, ClientOp, Command, Entry, Event, EventData, Landing, NodeId, OpStatus, Property, Request, SwitchValue,
};
use std::mem::{size_of, size_of_val};
use std::sync::Arc;

/// Items per chunk: small enough that the unshared last chunk of each table
/// costs little per snapshot, large enough that the list of chunk pointers
/// stays short (a one-hour run holds a few thousand chunks).
pub(super) const CHUNK: usize = 128;

/// A table cut into shared chunks: every chunk holds [`CHUNK`] items except
/// the last, which may hold fewer (or be a longer chunk, shared with a later
/// snapshot, of which only the first items belong here: see
/// [`Chunked::adopt_tail`]).
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
    /// depends on where `prev` came from). The same code as
    /// [`Chunked::of_known`] with nothing known: one copy of it per item type.
    pub(super) fn of(items: &[T], prev: Option<&Chunked<T>>) -> Chunked<T> {
        Chunked::of_known(items, prev.unwrap_or(&Chunked::default()), 0)
    }
}

impl<T> Chunked<T> {
    /// The general form of [`Chunked::of`]: `parts` yields the items chunk
    /// by chunk (as anything comparable to them), `same` tells the `i`th part
    /// equal to the `i`th chunk of `prev`, `own` makes a new chunk of a part.
    fn build<P>(
        parts: impl Iterator<Item = P>,
        len: usize,
        prev: Option<&Chunked<T>>,
        same: impl Fn(usize, &P, &[T]) -> bool,
        own: impl Fn(P) -> Arc<[T]>,
    ) -> Chunked<T> {
        let mut chunks = Vec::with_capacity(len.div_ceil(CHUNK));
        for (i, part) in parts.enumerate() {
            match prev.filter(|p| i < p.chunks.len()) {
                Some(p) if same(i, &part, p.slice(i)) => chunks.push(Arc::clone(&p.chunks[i])),
                _ => chunks.push(own(part)),
            }
        }
        Chunked { chunks, len }
    }

    /// The items of chunk `k` that belong to the table.
    fn slice(&self, k: usize) -> &[T] {
        let Some(c) = self.chunks.get(k) else { return &[] };
        let used = self.len.saturating_sub(k * CHUNK).min(CHUNK).min(c.len());
        &c[..used]
    }

    /// When the last chunk holds fewer than [`CHUNK`] items and `later` (a
    /// snapshot of the same table taken later) has another chunk at the same
    /// place that begins with the same items, shares that one instead: the
    /// items are then kept once. A table that grows slowly would otherwise
    /// keep a copy of its last, unfinished chunk in every snapshot. Returns
    /// whether it did (it compares at most [`CHUNK`] items).
    pub(super) fn adopt_tail(&mut self, later: &Chunked<T>) -> bool
    where
        T: PartialEq,
    {
        self.adopt_last_chunk(later, true)
    }

    /// [`Chunked::adopt_tail`] for a table that only grows at its end, when
    /// `later` is a later moment of the same run: its chunk at the same
    /// place then begins with this one's items, so nothing is compared
    /// (debug builds check).
    pub(super) fn adopt_grown_tail(&mut self, later: &Chunked<T>) -> bool
    where
        T: PartialEq,
    {
        self.adopt_last_chunk(later, false)
    }

    /// Shares `later`'s chunk at the place of this table's last one when it
    /// is at least as long and (`compare`: checked here; else only in debug
    /// builds) begins with the same items.
    fn adopt_last_chunk(&mut self, later: &Chunked<T>, compare: bool) -> bool
    where
        T: PartialEq,
    {
        let Some(k) = self.chunks.len().checked_sub(1) else { return false };
        let Some(theirs) = later.chunks.get(k) else { return false };
        let mine = self.slice(k);
        if Arc::ptr_eq(theirs, &self.chunks[k]) || theirs.len() < mine.len() {
            return false;
        }
        if compare {
            if theirs[..mine.len()] != *mine {
                return false;
            }
        } else {
            debug_assert!(theirs[..mine.len()] == *mine, "not two moments of one run");
        }
        self.chunks[k] = Arc::clone(theirs);
        true
    }

    /// How many items.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Each chunk's items, in order.
    fn slices(&self) -> impl Iterator<Item = &[T]> {
        (0..self.chunks.len()).map(|k| self.slice(k))
    }

    /// Every item, in order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &T> {
        self.slices().flatten()
    }

    /// The items from position `i` on.
    #[cfg(test)]
    pub(super) fn iter_from(&self, i: usize) -> impl Iterator<Item = &T> {
        let first = self.slice(i / CHUNK);
        first[(i % CHUNK).min(first.len())..].iter().chain(self.slices().skip(i / CHUNK + 1).flatten())
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

/// What is known of a table and a snapshot of it, for restoring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kin {
    /// Nothing: every item is cloned.
    Unknown,
    /// Their first `n` items are equal.
    Prefix(usize),
    /// The table only grows at its end and the two are moments of one run:
    /// the shorter is the longer's prefix.
    Grown,
}

impl<T: Clone + PartialEq> Chunked<T> {
    /// Makes `dst` equal to the items, cloning every one.
    pub(super) fn restore_vec(&self, dst: &mut Vec<T>) {
        self.restore(dst, Kin::Unknown);
    }

    /// Makes `dst` equal to the items, keeping the prefix the two are known
    /// to have in common (as `kin` says; debug builds check it): only what
    /// follows it is dropped and cloned. Nothing is compared.
    pub(super) fn restore(&self, dst: &mut Vec<T>, kin: Kin) {
        let known = match kin {
            Kin::Grown => usize::MAX,
            Kin::Prefix(n) => n,
            Kin::Unknown => 0,
        };
        let same = known.min(dst.len()).min(self.len);
        debug_assert!(self.iter().take(same).eq(&dst[..same]), "the prefix is not the same");
        dst.truncate(same);
        self.refill(dst, dst.len());
    }

    /// [`Chunked::of`] when the first `known` items of `items` are known to
    /// be `prev`'s: the chunks of `prev` within them are shared without
    /// comparing (debug builds check), the others compared as usual.
    pub(super) fn of_known(items: &[T], prev: &Chunked<T>, known: usize) -> Chunked<T> {
        let known = known.min(prev.len).min(items.len());
        debug_assert!(prev.iter().take(known).eq(&items[..known]), "the prefix is not the same");
        Chunked::build(
            items.chunks(CHUNK),
            items.len(),
            Some(prev),
            |i, a, b| (i + 1) * CHUNK <= known || *a == b,
            Arc::from,
        )
    }

    /// For a table that only grows at its end, when `items` is a later
    /// moment of the run `prev` was taken from (so `prev`'s items are its
    /// prefix): [`Chunked::of`] without comparing anything (a chunk of
    /// `prev` holding as many items as `items` has there is the same; debug
    /// builds check). Without `prev`, nothing is shared.
    pub(super) fn of_grown(items: &[T], prev: Option<&Chunked<T>>) -> Chunked<T> {
        let none = Chunked::default();
        let prev = prev.unwrap_or(&none);
        debug_assert!(prev.len <= items.len() && prev.iter().eq(&items[..prev.len]), "not two moments of one run");
        Chunked::build(items.chunks(CHUNK), items.len(), Some(prev), |_, a, b| a.len() == b.len(), Arc::from)
    }

    /// Clones the items from position `same` (`dst`'s length) on after `dst`.
    fn refill(&self, dst: &mut Vec<T>, same: usize) {
        dst.reserve(self.len - same);
        let first = same / CHUNK;
        let c = self.slice(first);
        dst.extend_from_slice(&c[(same % CHUNK).min(c.len())..]);
        for c in self.slices().skip(first + 1) {
            dst.extend_from_slice(c);
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
impl<T: Weigh> Weigh for Option<T> {
    fn heap(&self) -> usize {
        self.as_ref().map_or(0, Weigh::heap)
    }
}
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
            // An upper bound: the key is a shared `Arc<str>` (one
            // allocation for all the copies of a write's command), yet
            // counted in full for each copy.
            Command::Set { key, .. } => key.len(),
            Command::Noop => 0,
            #[cfg(feature = "membership")]
            Command::Config { .. } => 0,
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
            EventData::ClientRead { key, .. }
            | EventData::ClientReadDone { key, .. }
            | EventData::ClientReadGaveUp { key, .. } => key.capacity(),
            EventData::OptionChanged { name, value } => name.capacity() + value.heap(),
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

impl Weigh for Request {
    fn heap(&self) -> usize {
        match self {
            Request::Write(command) => command.heap(),
            Request::Read { key } => key.capacity(),
        }
    }
}

impl Weigh for SwitchValue {
    fn heap(&self) -> usize {
        match self {
            SwitchValue::Choice(c) => c.capacity(),
            SwitchValue::Flag(_) | SwitchValue::Count(_) => 0,
        }
    }
}

impl Weigh for Action {
    fn heap(&self) -> usize {
        match self {
            Action::Write { command, .. } | Action::Submit { command, .. } => command.heap(),
            Action::Read { key, .. } => key.capacity(),
            Action::SetOption { name, value } => name.capacity() + value.heap(),
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
        assert_eq!(second.iter_from(900).next(), Some(&7));
        assert_eq!(second.iter_from(1001).next(), None);
    }

    #[test]
    fn restoring_a_vec_gives_its_items_whatever_it_held() {
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
    fn a_table_that_only_grows_is_chunked_and_restored_without_comparing() {
        let run: Vec<u32> = (0..1000).collect();
        let early = Chunked::of(&run[..300], None);
        let late = Chunked::of_grown(&run, Some(&early));
        let shared = early.chunks().zip(late.chunks()).filter(|(x, y)| x.0 == y.0).count();
        assert_eq!(shared, 300 / CHUNK, "the full chunks of the earlier moment");
        for have in [0, 299, 300, 301, 1000] {
            let mut v = run[..have].to_vec();
            late.restore(&mut v, Kin::Grown);
            assert_eq!(v, run);
            early.restore(&mut v, Kin::Grown);
            assert_eq!(v, &run[..300]);
        }
    }

    #[test]
    fn a_snapshot_adopts_the_longer_chunk_a_later_one_holds_in_place_of_its_last() {
        let run: Vec<u32> = (0..1000).collect();
        let mut early = Chunked::of(&run[..300], None);
        let late = Chunked::of_grown(&run[..350], Some(&early));
        let other = Chunked::of(&[9; 350], None);
        assert!(!early.adopt_tail(&other));
        assert!(early.chunks().zip(other.chunks()).all(|(x, y)| x.0 != y.0), "not the same items: kept");
        let mut earlier = early.clone();
        assert!(early.adopt_tail(&late));
        assert!(early.chunks().zip(late.chunks()).all(|(x, y)| x.0 == y.0), "every chunk shared now");
        assert_eq!(items(&early), &run[..300]);
        assert_eq!((early.len(), early.iter_from(299).next(), early.iter_from(300).next()), (300, Some(&299), None));
        assert_eq!(early.iter_from(290).count(), 10);
        let mut v = run[..350].to_vec();
        early.restore(&mut v, Kin::Unknown);
        assert_eq!(v, &run[..300]);
        // Sharing against a snapshot whose last chunk is adopted compares only its own items.
        let again = Chunked::of(&run[..300], Some(&early));
        assert!(again.chunks().zip(early.chunks()).all(|(x, y)| x.0 == y.0));
        assert_eq!(items(&again), &run[..300]);
        // An older snapshot holding the chunk `early` held adopts it too.
        earlier.len = 290;
        assert!(earlier.adopt_tail(&late));
        assert_eq!(items(&earlier), &run[..290]);
        assert!(!earlier.adopt_tail(&late), "nothing left to adopt");
    }
}
