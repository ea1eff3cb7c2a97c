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
        let mut i = v.len() - 1;
        while i > 0 {
            let parent = (i - 1) / 2;
            if (v[parent].0, v[parent].1) <= (v[i].0, v[i].1) {
                break;
            }
            v.swap(parent, i);
            i = parent;
        }
    }

    /// Takes the earliest event out: (time, sequence number, what).
    pub(super) fn pop(&mut self) -> Option<(u64, u64, Due)> {
        let v = &mut self.0;
        if v.is_empty() {
            return None;
        }
        let first = v.swap_remove(0);
        let n = v.len();
        let mut i = 0;
        loop {
            let mut child = 2 * i + 1;
            if child >= n {
                break;
            }
            if child + 1 < n && (v[child + 1].0, v[child + 1].1) < (v[child].0, v[child].1) {
                child += 1;
            }
            if (v[i].0, v[i].1) <= (v[child].0, v[child].1) {
                break;
            }
            v.swap(i, child);
            i = child;
        }
        Some(first)
    }
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
