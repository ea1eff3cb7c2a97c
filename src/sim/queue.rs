//! The event queue: what falls due when, earliest first, ties in the order
//! they were scheduled. A binary min-heap of (time, sequence number, what)
//! ordered by time and sequence number only (the sequence numbers are
//! unique): the same order as the `BinaryHeap<Reverse<(u64, u64, Due)>>` it
//! replaces, without the standard heap's generic code and `Due`'s
//! comparisons in the page's wasm.

use super::Due;

/// Scheduled events as a min-heap on (time, sequence number).
#[derive(Clone, Debug, Default)]
pub(super) struct Queue(Vec<(u64, u64, Due)>);

impl Queue {
    /// How many events are scheduled.
    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    /// When the earliest event falls due.
    pub(super) fn next_time(&self) -> Option<u64> {
        self.0.first().map(|e| e.0)
    }

    /// Schedules `due` at time `at`, with sequence number `seq` (larger than any before).
    pub(super) fn push(&mut self, at: u64, seq: u64, due: Due) {
        let v = &mut self.0;
        v.push((at, seq, due));
        let i = v.len() - 1;
        sift_up(v, i);
    }

    /// Takes the earliest event out: (time, sequence number, what).
    pub(super) fn pop(&mut self) -> Option<(u64, u64, Due)> {
        let v = &mut self.0;
        let last = v.pop()?;
        if v.is_empty() {
            return Some(last);
        }
        let first = std::mem::replace(&mut v[0], last);
        // As the standard heap does: the last event belongs near the bottom,
        // so the hole goes all the way down along the earlier child (one
        // comparison a level), and the last event climbs back from there.
        let n = v.len();
        let mut i = 0;
        let mut child = 1;
        while child < n {
            if child + 1 < n && key(&v[child + 1]) < key(&v[child]) {
                child += 1;
            }
            v[i] = v[child];
            i = child;
            child = 2 * i + 1;
        }
        v[i] = last;
        sift_up(v, i);
        Some(first)
    }
}

/// What the heap is ordered by.
fn key(e: &(u64, u64, Due)) -> (u64, u64) {
    (e.0, e.1)
}

/// Moves the event at `i` up to its place: each later parent comes down one
/// level, and the event is written once, where it stops.
fn sift_up(v: &mut [(u64, u64, Due)], mut i: usize) {
    let e = v[i];
    while i > 0 {
        let parent = (i - 1) / 2;
        if key(&v[parent]) <= key(&e) {
            break;
        }
        v[i] = v[parent];
        i = parent;
    }
    v[i] = e;
}

#[cfg(test)]
mod tests {
    use super::{Due, Queue};
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    /// Pushes and pops in any mix come out exactly as from the standard
    /// `BinaryHeap<Reverse<..>>`, ties of time in scheduling order.
    #[test]
    fn pops_in_the_order_of_a_binary_heap_of_reverse() {
        let (mut q, mut h) = (Queue::default(), BinaryHeap::new());
        let mut x: u64 = 99;
        for seq in 1..3000u64 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            if (x >> 40).is_multiple_of(3) {
                assert_eq!(q.pop(), h.pop().map(|Reverse(e)| e));
            } else {
                let at = (x >> 20) % 50;
                q.push(at, seq, Due::Arrive(x >> 50));
                h.push(Reverse((at, seq, Due::Arrive(x >> 50))));
            }
            assert_eq!(q.len(), h.len());
            assert_eq!(q.next_time(), h.peek().map(|Reverse(e)| e.0));
        }
        while let Some(Reverse(e)) = h.pop() {
            assert_eq!(q.pop(), Some(e));
        }
        assert_eq!(q.pop(), None);
    }
}
