//! The event trace: what happened, in order, in words a learner can read.

use crate::raft::NodeId;
use serde::{Deserialize, Serialize};

/// What sort of thing an [`Event`] reports (the page picks an icon and colour by it).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum EventKind {
    /// Election timeouts, votes, new leaders, stepping down.
    Election,
    /// Entries appended, rejected, truncated, retried.
    Replication,
    /// Entries committed.
    Commit,
    /// The simulated client's writes.
    Client,
    /// Servers starting: the cluster's start and restarts after a crash.
    Start,
    /// Crashes.
    Fault,
    /// Partitions, disconnections, heals.
    Network,
    /// Messages dropped or duplicated by hand.
    Tamper,
    /// Timing and loss settings changed while running.
    Settings,
    /// Leadership transfer.
    Transfer,
    /// A safety property broke.
    Violation,
}

/// One line of the trace.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Event {
    /// Virtual time (ms).
    pub time: u64,
    /// What sort of event.
    pub kind: EventKind,
    /// The servers it concerns, the acting one first.
    pub nodes: Vec<NodeId>,
    /// The sentence, e.g. "S3 became leader of term 4 with votes from S1, S3, S5".
    pub text: String,
}

/// The trace and its running hash.
#[derive(Clone, Debug)]
pub struct Trace {
    events: Vec<Event>,
    hash: u64,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

impl Default for Trace {
    fn default() -> Self {
        Trace::new()
    }
}

impl Trace {
    /// An empty trace.
    pub fn new() -> Trace {
        Trace { events: Vec::new(), hash: FNV_OFFSET }
    }

    /// Appends an event and folds it into the hash.
    pub fn push(&mut self, time: u64, kind: EventKind, nodes: Vec<NodeId>, text: String) {
        let mut h = fnv(self.hash, &time.to_le_bytes());
        h = fnv(h, &[kind as u8]);
        for n in &nodes {
            h = fnv(h, &[n.0]);
        }
        h = fnv(h, text.as_bytes());
        self.hash = fnv(h, &[0xff]);
        self.events.push(Event { time, kind, nodes, text });
    }

    /// Every event so far, oldest first.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// A stable 64-bit FNV-1a hash of the whole trace (times, kinds, servers, words).
    pub fn hash(&self) -> u64 {
        self.hash
    }
}

/// "S1, S3, S5".
pub fn list(nodes: &[NodeId]) -> String {
    nodes.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")
}
