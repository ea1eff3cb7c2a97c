//! Helpers shared by the test files (each says `mod common;`). wasm-pack
//! builds every test file for the browser too, so nothing here may need
//! the native platform.
#![allow(dead_code)] // each test file uses some of them

use raft_playground::raft::{Command, Entry, Persistent};
use raft_playground::sim::{Cluster, NodeId};
use raft_playground::view::model::{Model, Op};

/// Server `n` (S1 is `s(1)`).
pub fn s(n: u8) -> NodeId {
    NodeId(n)
}

/// The servers S1 to Sn.
pub fn ids(n: u8) -> Vec<NodeId> {
    (1..=n).map(NodeId).collect()
}

/// The log entry `key ← value` at `index`, of `term`.
pub fn entry(index: u64, term: u64, key: &str, value: i64) -> Entry {
    Entry::new(index, term, Command::set(key, value))
}

/// What a node persisted: a term, a vote and a log, and nothing else (no
/// snapshot, membership closed, not retired).
#[allow(clippy::needless_update)] // without the features that add fields, there is nothing to default
pub fn persistent(term: u64, voted_for: Option<NodeId>, log: Vec<Entry>) -> Persistent {
    Persistent { term, voted_for, log, ..Persistent::default() }
}

/// Advances in 10 ms steps until `pred` holds (at most `limit` ms); true if it did.
pub fn run_until(c: &mut Cluster, limit: u64, mut pred: impl FnMut(&Cluster) -> bool) -> bool {
    let end = c.now() + limit;
    while c.now() < end {
        if pred(c) {
            return true;
        }
        c.advance(10);
    }
    pred(c)
}

/// Waits (at most 5 virtual s) for a leader; its id.
pub fn wait_leader(c: &mut Cluster) -> NodeId {
    assert!(run_until(c, 5_000, |c| c.leader().is_some()), "no leader within 5 s");
    c.leader().unwrap()
}

/// Waits (at most 10 virtual s) for a leader that is none of `not` (old
/// leaders cut off may still think they lead); its id.
pub fn wait_leader_but(c: &mut Cluster, not: &[NodeId]) -> NodeId {
    let found = |c: &Cluster| c.leader().filter(|l| !not.contains(l));
    assert!(run_until(c, 10_000, |c| found(c).is_some()), "no leader but {not:?} within 10 s");
    found(c).unwrap()
}

/// Advances a page's model in 10 ms steps until a leader is known (at most 10 virtual seconds).
pub fn with_leader(m: &mut Model) -> NodeId {
    for _ in 0..1000 {
        if let Some(l) = m.cluster().leader() {
            return l;
        }
        m.apply(Op::Advance(10)).unwrap();
    }
    panic!("no leader within 10 virtual seconds");
}
