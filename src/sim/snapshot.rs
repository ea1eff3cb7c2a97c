//! Snapshots: a cluster's whole state at one moment, kept compactly so that
//! many of them (a timeline's checkpoints) cost little more than one run.
//!
//! A plain [`Cluster`] clone copies the tables that grow with the run (the
//! trace, each server's log, the client's writes, the monitor's tables, the
//! history): N clones cost N times the run. A [`Snapshot`] keeps those tables
//! in chunks shared with the snapshot taken before it (`chunks.rs`), and
//! everything small (the event queue, messages in flight, timers, each
//! node's volatile state, the generator, the counters) by value.
//!
//! [`Snapshot::restore`] rebuilds a cluster that goes on exactly like the
//! original did from that moment (same trace, bit for bit);
//! [`Snapshot::restore_into`] turns an existing cluster into it, changing
//! only what differs, which is what makes seeking between nearby moments cheap.
//!
//! Why any moment will do: a snapshot can be taken between any two calls on a
//! cluster (after `advance`, `step` or an action), because running a cluster
//! in one call or in many pieces gives the same run (the test "advancing in
//! small or big steps makes no difference"): every event due by the end of a
//! call has run, and the next call picks up the queue where it was. A
//! snapshot records how many actions of the history it includes, not just its
//! time, because several actions can share one millisecond.

use super::chunks::{chunk_bytes, Chunked, CHUNK};
use super::client::Client;
use super::monitor::{Monitor, MonitorSnapshot};
use super::trace::{Trace, TraceSnapshot};
use super::{Action, ClientOp, Cluster, Config, Due, Entry, InFlight, LostMessage, NodeId, Rng, Server};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashSet, VecDeque};
use std::mem::size_of;

/// A cluster's state at one moment (see the module's doc). Cheap to clone:
/// its long tables are shared.
#[derive(Clone, Debug)]
pub struct Snapshot {
    initial: Config,
    cfg: Config,
    now: u64,
    rng: Rng,
    /// The servers with their nodes' logs left out (they are in `logs`).
    servers: Vec<Server>,
    logs: Vec<Chunked<Entry>>,
    queue: BinaryHeap<Reverse<(u64, u64, Due)>>,
    seq: u64,
    in_flight: BTreeMap<u64, InFlight>,
    link_last: Vec<u64>,
    lost: VecDeque<LostMessage>,
    next_msg: u64,
    client_leader: Option<NodeId>,
    ops: Chunked<ClientOp>,
    monitor: MonitorSnapshot,
    trace: TraceSnapshot,
    history: Chunked<(u64, Action)>,
    revision: u64,
}

impl Cluster {
    /// A snapshot of the cluster now. Each chunk of its long tables that is
    /// equal to `prev`'s at the same place is shared with `prev` instead of
    /// copied; any snapshot will do as `prev` (the comparison is item by
    /// item), the one taken just before shares the most.
    pub fn snapshot(&self, prev: Option<&Snapshot>) -> Snapshot {
        Snapshot {
            initial: self.initial.clone(),
            cfg: self.cfg.clone(),
            now: self.now,
            rng: self.rng.clone(),
            servers: self
                .servers
                .iter()
                .map(|s| Server {
                    node: s.node.clone_without_log(),
                    up: s.up,
                    disconnected: s.disconnected,
                    group: s.group,
                    election: s.election,
                    heartbeat: s.heartbeat,
                    election_gen: s.election_gen,
                    heartbeat_gen: s.heartbeat_gen,
                })
                .collect(),
            logs: self
                .servers
                .iter()
                .enumerate()
                .map(|(i, s)| Chunked::of(s.node.log(), prev.and_then(|p| p.logs.get(i))))
                .collect(),
            queue: self.queue.clone(),
            seq: self.seq,
            in_flight: self.in_flight.clone(),
            link_last: self.link_last.clone(),
            lost: self.lost.clone(),
            next_msg: self.next_msg,
            client_leader: self.client.leader,
            ops: Chunked::of(&self.client.ops, prev.map(|p| &p.ops)),
            monitor: self.monitor.snapshot(prev.map(|p| &p.monitor)),
            trace: self.trace.snapshot(prev.map(|p| &p.trace)),
            history: Chunked::of(&self.history, prev.map(|p| &p.history)),
            revision: self.revision,
        }
    }
}

impl Snapshot {
    /// The virtual time it was taken at.
    pub fn time(&self) -> u64 {
        self.now
    }
    /// How many actions of the history it includes (the actions after them
    /// are still to be performed, even those at its very millisecond).
    pub fn history_len(&self) -> usize {
        self.history.len()
    }
    /// The action at position `i` of its history.
    pub fn action(&self, i: usize) -> Option<&(u64, Action)> {
        self.history.get(i)
    }
    /// The trace hash at that moment.
    pub fn trace_hash(&self) -> u64 {
        self.trace.hash
    }
    /// [`Cluster::revision`] at that moment.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// A cluster in exactly the state the snapshot was taken in.
    pub fn restore(&self) -> Cluster {
        let mut c = Cluster {
            initial: self.initial.clone(),
            cfg: self.cfg.clone(),
            now: self.now,
            rng: self.rng.clone(),
            servers: Vec::new(),
            queue: BinaryHeap::new(),
            seq: 0,
            in_flight: BTreeMap::new(),
            link_last: Vec::new(),
            lost: VecDeque::new(),
            next_msg: 0,
            client: Client::default(),
            monitor: Monitor::default(),
            trace: Trace::new(),
            history: Vec::new(),
            revision: 0,
            out: Vec::new(),
        };
        self.restore_into(&mut c);
        c
    }

    /// Puts `cluster` in exactly the state the snapshot was taken in, reusing
    /// what it already holds: of each long table, the prefix the cluster has
    /// in common with the snapshot stays, and only the rest is dropped and
    /// copied. Moving a cluster between nearby moments of one run costs what
    /// differs between them (plus one comparison pass), not the whole run.
    pub fn restore_into(&self, c: &mut Cluster) {
        c.initial.clone_from(&self.initial);
        c.cfg.clone_from(&self.cfg);
        c.now = self.now;
        c.rng = self.rng.clone();
        let mut logs: Vec<Vec<Entry>> = c.servers.iter_mut().map(|s| std::mem::take(s.node.log_mut())).collect();
        logs.resize_with(self.servers.len(), Vec::new);
        c.servers.clone_from(&self.servers);
        for ((s, mut log), chunks) in c.servers.iter_mut().zip(logs).zip(&self.logs) {
            chunks.restore_vec(&mut log);
            *s.node.log_mut() = log;
        }
        c.queue.clone_from(&self.queue);
        c.seq = self.seq;
        c.in_flight.clone_from(&self.in_flight);
        c.link_last.clone_from(&self.link_last);
        c.lost.clone_from(&self.lost);
        c.next_msg = self.next_msg;
        c.client.leader = self.client_leader;
        self.ops.restore_vec(&mut c.client.ops);
        c.monitor.restore(&self.monitor);
        c.trace.restore(&self.trace);
        self.history.restore_vec(&mut c.history);
        c.revision = self.revision;
        c.out.clear();
    }

    /// Calls `f` with the address and the bytes of each chunk it holds.
    fn weigh_chunks(&self, f: &mut dyn FnMut(usize, usize)) {
        for l in &self.logs {
            l.chunks().for_each(|(a, c)| f(a, chunk_bytes(c)));
        }
        self.ops.chunks().for_each(|(a, c)| f(a, chunk_bytes(c)));
        self.trace.events.chunks().for_each(|(a, c)| f(a, chunk_bytes(c)));
        self.history.chunks().for_each(|(a, c)| f(a, chunk_bytes(c)));
        self.monitor.weigh(f);
    }

    /// The bytes it holds alone (everything but the shared chunks), roughly.
    fn own_bytes(&self) -> usize {
        let servers: usize = self
            .servers
            .iter()
            .map(|s| {
                let n = s.raft();
                size_of::<Server>()
                    + n.members().len()
                    + n.votes().len()
                    + n.kv().keys().map(|k| k.capacity() + 48).sum::<usize>()
                    + n.members().len() * size_of::<crate::raft::Progress>()
            })
            .sum();
        size_of::<Snapshot>()
            + servers
            + self.logs.iter().map(Chunked::spine_bytes).sum::<usize>()
            + self.queue.len() * size_of::<Reverse<(u64, u64, Due)>>()
            + self.in_flight.len() * (size_of::<InFlight>() + 16)
            + self.link_last.len() * 8
            + self.lost.len() * size_of::<LostMessage>()
            + self.ops.spine_bytes()
            + self.monitor.spine_bytes()
            + self.trace.events.spine_bytes()
            + self.history.spine_bytes()
    }
}

/// What a set of snapshots holds in memory, each shared chunk counted once
/// (an estimate: item sizes plus the strings and vectors they own, without
/// the allocator's overhead).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SnapshotMemory {
    /// How many snapshots.
    pub snapshots: usize,
    /// How many distinct chunks they share among them.
    pub chunks: usize,
    /// The bytes of those chunks.
    pub chunk_bytes: usize,
    /// The bytes each snapshot holds alone (small state, lists of chunk pointers), summed.
    pub own_bytes: usize,
}

impl SnapshotMemory {
    /// Every byte counted.
    pub fn bytes(&self) -> usize {
        self.chunk_bytes + self.own_bytes
    }

    /// Weighs `snapshots`, counting each chunk once however many share it.
    pub fn of<'a>(snapshots: impl IntoIterator<Item = &'a Snapshot>) -> SnapshotMemory {
        let mut m = SnapshotMemory::default();
        let mut seen = HashSet::new();
        for s in snapshots {
            m.snapshots += 1;
            m.own_bytes += s.own_bytes();
            s.weigh_chunks(&mut |addr, bytes| {
                if seen.insert(addr) {
                    m.chunks += 1;
                    m.chunk_bytes += bytes;
                }
            });
        }
        m
    }
}

/// Items per shared chunk (for tests and figures).
pub const SNAPSHOT_CHUNK: usize = CHUNK;
