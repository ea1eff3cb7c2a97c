//! Snapshots: a cluster's whole state at one moment, kept compactly so that
//! many of them (a timeline's checkpoints) cost little more than one run.
//!
//! A timeline's checkpoints (`Cluster::checkpoint`) keep the trace's
//! length and hash instead of its events: the timeline keeps those once.
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

use super::chunks::{chunk_bytes, Chunked, Kin};
use super::client::Client;
use super::monitor::{Monitor, MonitorSnapshot};
use super::network::InFlights;
use super::queue::Queue;
use super::trace::{cuts_a_log, Trace, TraceSnapshot};
use super::{
    Action, ClientOp, Cluster, Config, Due, Entry, Event, EventData, InFlight, LostMessage, NodeId, Rng, Server,
    WireLog,
};
use std::collections::{HashSet, VecDeque};
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
    queue: Queue,
    seq: u64,
    in_flight: InFlights,
    link_last: Vec<u64>,
    lost: VecDeque<LostMessage>,
    next_msg: u64,
    client_leader: Option<NodeId>,
    client_first_unanswered: u64,
    ops: Chunked<ClientOp>,
    /// When each operation last changed (the client's `changed`).
    ops_changed: Chunked<u64>,
    monitor: MonitorSnapshot,
    trace: TraceSnapshot,
    /// The history's actions, in a snapshot of its own (a timeline's
    /// checkpoint keeps only their number: its branch keeps the actions).
    history: Option<Chunked<(u64, Action)>>,
    history_len: usize,
    /// Shares the cluster's blocks (see `wire.rs`).
    wire: WireLog,
    revision: u64,
}

impl Cluster {
    /// A snapshot of the cluster now. Each chunk of its logs and of the
    /// client's writes that is equal to `prev`'s at the same place is shared
    /// with `prev` instead of copied; any snapshot will do as `prev` (the
    /// comparison is item by item). The tables that only grow at their end
    /// (two of the monitor's) are shared only by a timeline's checkpoints,
    /// which know without comparing; the trace and the history not at all
    /// (a checkpoint keeps their lengths), the wire log always (its blocks).
    pub fn snapshot(&self, prev: Option<&Snapshot>) -> Snapshot {
        let history = Chunked::of_grown(&self.history, None);
        self.take_snapshot(prev, false, self.trace.snapshot(prev.map(|p| &p.trace), false), Some(history))
    }

    /// A timeline's checkpoint (`src/timeline.rs`): [`Cluster::snapshot`]
    /// when `prev` is an earlier moment of this very run (same config, and
    /// this cluster's history begins with `prev`'s), so that the tables that
    /// only grow at their end (the history, two of the monitor's) begin with
    /// `prev`'s items and their full chunks are shared without comparing
    /// (debug builds check); and the trace's length and hash instead of its
    /// events, which the timeline keeps once for all its checkpoints (see
    /// [`Trace`]). Restored by [`Snapshot::restore_along`] and
    /// [`Snapshot::restore_branch`] only.
    pub(crate) fn checkpoint(&self, prev: Option<&Snapshot>) -> Snapshot {
        self.take_snapshot(prev, prev.is_some(), self.trace.mark(), None)
    }

    /// The trace's events known to this cluster: those so far, then (in a
    /// timeline) those of its branch after the moment shown.
    pub(crate) fn known_events(&self) -> &[Event] {
        self.trace.known()
    }

    /// Moves the known events from position `at` on out of the trace (for
    /// a timeline's other branches to keep).
    pub(crate) fn split_events(&mut self, at: usize) -> Vec<Event> {
        self.trace.split_off(at)
    }

    /// Moves `more` in after the known events (a branch's events coming back).
    pub(crate) fn append_events(&mut self, more: &mut Vec<Event>) {
        self.trace.append(more);
    }

    fn take_snapshot(
        &self,
        prev: Option<&Snapshot>,
        grown: bool,
        trace: TraceSnapshot,
        history: Option<Chunked<(u64, Action)>>,
    ) -> Snapshot {
        // Of one run, the writes that did not change since `prev` are the same.
        let (ops, ops_changed) = match prev {
            Some(p) if grown => {
                let known = unchanged(self.client.changed.iter(), p.revision);
                (
                    Chunked::of_known(&self.client.ops, &p.ops, known),
                    Chunked::of_known(&self.client.changed, &p.ops_changed, known),
                )
            }
            _ => (
                Chunked::of(&self.client.ops, prev.map(|p| &p.ops)),
                Chunked::of(&self.client.changed, prev.map(|p| &p.ops_changed)),
            ),
        };
        // Of one run, a log changes below its end only where it is truncated,
        // and every truncation is in the trace.
        let known = match prev {
            Some(p) if grown => {
                let since = self.trace.events().get(p.trace.len..).unwrap_or(&[]);
                untouched(since.iter(), &self.servers)
            }
            _ => Vec::new(),
        };
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
                    leader_contact: s.leader_contact,
                    check_quorum: s.check_quorum,
                    election_gen: s.election_gen,
                    heartbeat_gen: s.heartbeat_gen,
                    contact_gen: s.contact_gen,
                    check_gen: s.check_gen,
                    lease_gen: s.lease_gen,
                    timers: s.timers,
                })
                .collect(),
            logs: self
                .servers
                .iter()
                .enumerate()
                .map(|(i, s)| match (prev.and_then(|p| p.logs.get(i)), known.get(i)) {
                    (Some(pl), Some(&known)) => Chunked::of_known(s.node.log(), pl, known),
                    (pl, _) => Chunked::of(s.node.log(), pl),
                })
                .collect(),
            queue: self.queue.clone(),
            seq: self.seq,
            in_flight: self.in_flight.clone(),
            link_last: self.link_last.clone(),
            lost: self.lost.clone(),
            next_msg: self.next_msg,
            client_leader: self.client.leader,
            client_first_unanswered: self.client.first_unanswered,
            ops,
            ops_changed,
            monitor: self.monitor.snapshot(prev.map(|p| &p.monitor), grown),
            trace,
            history,
            history_len: self.history.len(),
            wire: self.wire.clone(),
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
        self.history_len
    }
    /// The trace hash at that moment.
    pub fn trace_hash(&self) -> u64 {
        self.trace.hash
    }

    /// A cluster in exactly the state the snapshot was taken in.
    pub fn restore(&self) -> Cluster {
        let mut c = Cluster {
            initial: self.initial.clone(),
            cfg: self.cfg.clone(),
            now: self.now,
            rng: self.rng.clone(),
            servers: Vec::new(),
            queue: Queue::default(),
            seq: 0,
            in_flight: InFlights::default(),
            link_last: Vec::new(),
            lost: VecDeque::new(),
            next_msg: 0,
            client: Client::default(),
            monitor: Monitor::default(),
            trace: Trace::new(),
            history: Vec::new(),
            wire: WireLog::default(),
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
        self.restore_with(c, false);
        c.trace.restore(&self.trace, false);
        match &self.history {
            Some(history) => history.restore_vec(&mut c.history),
            None => c.history.truncate(self.history_len),
        }
    }

    /// [`Snapshot::restore_into`] when the cluster and the snapshot are two
    /// moments of one run (the earlier one's history begins the later one's):
    /// the tables that only grow at their end are then cut or extended
    /// without comparing. Debug builds check.
    /// Takes a checkpoint ([`Cluster::checkpoint`]) whose trace's events
    /// `c` knows; `actions` are its branch's (its history begins them).
    pub(crate) fn restore_along(&self, c: &mut Cluster, actions: &[(u64, Action)]) {
        self.restore_with(c, true);
        self.restore_history(c, actions, true);
    }

    /// [`Snapshot::restore_into`] for a timeline's checkpoint of another
    /// branch, whose trace's events `c` knows (the timeline moved them in);
    /// `actions` are that branch's.
    pub(crate) fn restore_branch(&self, c: &mut Cluster, actions: &[(u64, Action)]) {
        self.restore_with(c, false);
        self.restore_history(c, actions, false);
    }

    /// A checkpoint's trace and history: the trace's length and hash, and
    /// the first actions of its branch (those `c` holds kept when `same_run`).
    fn restore_history(&self, c: &mut Cluster, actions: &[(u64, Action)], same_run: bool) {
        c.trace.restore_mark(&self.trace);
        debug_assert_eq!(
            c.trace.cuts(),
            c.trace.events().iter().filter(|e| cuts_a_log(&e.what)).count(),
            "a stale count of log cuts"
        );
        let h = self.history_len;
        c.history.truncate(if same_run { h } else { 0 });
        debug_assert!(actions.starts_with(&c.history), "not the branch's history");
        c.history.extend_from_slice(actions.get(c.history.len()..h).unwrap_or(&[]));
    }

    fn restore_with(&self, c: &mut Cluster, same_run: bool) {
        // Of one run, a log changes below its end only where it is truncated,
        // and every truncation is in the trace: between the two moments, the
        // entries below the lowest truncation are the same.
        let n = self.logs.len();
        let known: Vec<Kin> = if !same_run {
            vec![Kin::Unknown; n]
        } else {
            // The events between the two moments: the cluster knows them
            // (it is at the later one, or knows its future up to it). When
            // the two moments count as many events that cut a log, none
            // between them did: nothing to look through.
            let (a, b) = (c.trace.events().len(), self.trace.len);
            match c.trace.known().get(a.min(b)..a.max(b)) {
                Some(between) => {
                    let between = if c.trace.cuts() == self.trace.cuts {
                        debug_assert!(
                            !between.iter().any(|e| cuts_a_log(&e.what)),
                            "a log cut between moments counting as many"
                        );
                        &[]
                    } else {
                        between
                    };
                    untouched(between.iter(), &self.servers).into_iter().map(Kin::Prefix).collect()
                }
                None => vec![Kin::Unknown; n],
            }
        };
        c.initial = self.initial.clone();
        c.cfg = self.cfg.clone();
        c.now = self.now;
        c.rng = self.rng.clone();
        let mut logs: Vec<Vec<Entry>> = c.servers.iter_mut().map(|s| std::mem::take(s.node.log_mut())).collect();
        logs.resize_with(self.servers.len(), Vec::new);
        c.servers = self.servers.clone();
        for (i, ((s, mut log), chunks)) in c.servers.iter_mut().zip(logs).zip(&self.logs).enumerate() {
            chunks.restore(&mut log, known[i]);
            *s.node.log_mut() = log;
        }
        c.queue = self.queue.clone();
        c.seq = self.seq;
        c.in_flight = self.in_flight.clone();
        c.link_last = self.link_last.clone();
        c.lost = self.lost.clone();
        c.next_msg = self.next_msg;
        c.client.leader = self.client_leader;
        c.client.first_unanswered = self.client_first_unanswered;
        // Of one run, the writes that did not change between the two moments are the same.
        let ops_kin = if !same_run {
            Kin::Unknown
        } else if c.revision >= self.revision {
            Kin::Prefix(unchanged(c.client.changed.iter(), self.revision))
        } else {
            Kin::Prefix(unchanged(self.ops_changed.iter(), c.revision))
        };
        self.ops.restore(&mut c.client.ops, ops_kin);
        self.ops_changed.restore(&mut c.client.changed, ops_kin);
        c.monitor.restore(&self.monitor, same_run);
        c.wire = self.wire.clone();
        c.revision = self.revision;
        c.out.clear();
    }

    /// Where `later` (a snapshot of this run taken later) holds a longer
    /// chunk that begins with the items of one of this snapshot's unfinished
    /// last chunks, shares it instead, so that those items are kept once.
    /// Changes nothing this snapshot holds, only how. Returns whether it
    /// shared any.
    pub(crate) fn adopt_tails(&mut self, later: &Snapshot) -> bool {
        let mut any = false;
        for (mine, theirs) in self.logs.iter_mut().zip(&later.logs) {
            any |= mine.adopt_tail(theirs);
        }
        any |= self.ops.adopt_tail(&later.ops);
        any |= self.ops_changed.adopt_tail(&later.ops_changed);
        any | self.monitor.adopt_tails(&later.monitor)
    }

    /// Calls `f` with the address and the bytes of each chunk it holds.
    fn weigh_chunks(&self, f: &mut dyn FnMut(usize, usize)) {
        for l in &self.logs {
            l.chunks().for_each(|(a, c)| f(a, chunk_bytes(c)));
        }
        self.ops.chunks().for_each(|(a, c)| f(a, chunk_bytes(c)));
        self.ops_changed.chunks().for_each(|(a, c)| f(a, chunk_bytes(c)));
        if let Some(events) = &self.trace.events {
            events.chunks().for_each(|(a, c)| f(a, chunk_bytes(c)));
        }
        if let Some(history) = &self.history {
            history.chunks().for_each(|(a, c)| f(a, chunk_bytes(c)));
        }
        self.wire.chunks().for_each(|(a, bytes)| f(a, bytes));
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
            + self.queue.len() * size_of::<(u64, u64, Due)>()
            + self.in_flight.len() * (size_of::<InFlight>() + 16)
            + self.link_last.len() * 8
            + self.lost.len() * size_of::<LostMessage>()
            + self.ops.spine_bytes()
            + self.ops_changed.spine_bytes()
            + self.monitor.spine_bytes()
            + self.trace.events.as_ref().map_or(0, Chunked::spine_bytes)
            + self.history.as_ref().map_or(0, Chunked::spine_bytes)
            + self.wire.spine_bytes()
    }
}

/// For each of `servers`, how many first entries of its log no truncation
/// among `events` touched (`usize::MAX` when none did). With log compaction
/// the log holds the entries after the server's snapshot: a truncation from
/// index i leaves i - 1 - (snapshot index) entries.
fn untouched<'a>(events: impl Iterator<Item = &'a Event>, servers: &[Server]) -> Vec<usize> {
    let mut low = vec![usize::MAX; servers.len()];
    for e in events {
        if let EventData::Truncated { node, from, .. } = &e.what {
            if let Some(l) = low.get_mut(node.index()) {
                #[cfg(feature = "compaction")]
                let from = from.saturating_sub(servers[node.index()].node.snapshot_index());
                *l = (*l).min(usize::try_from(from.saturating_sub(1)).unwrap_or(usize::MAX));
            }
        }
        // A snapshot taken or installed moves the log's start: nothing is
        // known to be where it was.
        #[cfg(feature = "compaction")]
        if let EventData::Compaction { node, .. } = &e.what {
            if let Some(l) = low.get_mut(node.index()) {
                *l = 0;
            }
        }
    }
    low
}

/// How many first writes did not change after revision `since`, by the
/// revisions of their latest changes.
fn unchanged<'a>(changed: impl Iterator<Item = &'a u64>, since: u64) -> usize {
    let mut n = 0;
    for &c in changed {
        if c > since {
            break;
        }
        n += 1;
    }
    n
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
