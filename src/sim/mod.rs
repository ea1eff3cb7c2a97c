//! The simulated cluster: virtual time, a network, a client, faults, a safety
//! monitor and a readable trace, around sans-IO Raft [`Node`]s.
//!
//! ```
//! use raft_playground::sim::{Cluster, Command, Config, Role};
//!
//! let mut cluster = Cluster::new(Config { seed: 7, ..Config::default() }).unwrap();
//! cluster.advance(1_000); // one virtual second
//! let leader = cluster.leader().expect("a leader after a second");
//! assert_eq!(cluster.node(leader).unwrap().role(), Role::Leader);
//! let index = cluster.submit(leader, Command::set("x", 3)).unwrap();
//! cluster.advance(200);
//! assert!(cluster.node_ids().iter().all(|&n| cluster.node(n).unwrap().commit_index() >= index));
//! assert!(cluster.violations().is_empty());
//! ```
//!
//! Everything random (election timeouts, latencies, losses) comes from one
//! seeded generator, events due at the same virtual time run in the order they
//! were scheduled, and no table whose order matters is a hash map: the same
//! config, seed and calls at the same virtual times give the same trace, bit
//! for bit, on every target.
//!
//! Where things are:
//! - this file: [`Cluster`], the events (what falls due when, kept in
//!   `queue.rs`, and firing it) and running a node (feeding it, carrying out
//!   its outputs, the safety monitor after each step);
//! - `server.rs`: [`Server`], a node with what the simulator knows of it (up, cut off, timers);
//! - `action.rs`: [`Action`], the one door every change goes through
//!   (recorded in [`Cluster::history`], rebuilt by [`Cluster::replay`]) and the
//!   actions on servers (crash, restart, forced timeout, transfer, submit, timers);
//! - `network.rs`: messages, delivery, loss, cuts, and the network's faults and settings;
//! - `client.rs`: the simulated client's writes and reads, redirects, retries and giving up;
//! - `options.rs`: the nodes' options and switches by name, and changing them while running;
//! - `trace.rs`: the trace, its [`Event`]s as data ([`EventData`]) and its hash;
//! - `narrate.rs`: each event told in a sentence;
//! - `snapshot.rs`: [`Snapshot`], a cluster's state at one moment, its long
//!   tables in chunks shared between snapshots (`chunks.rs`), for time travel;
//! - `monitor.rs`: the safety monitor; `history.rs`: the client's history as
//!   the linearizability checker sees it; `config.rs`, `error.rs`, `rng.rs`,
//!   `determinism.rs`: settings, refusals, the seeded generator, the fixed run.

mod action;
mod chunks;
mod client;
#[cfg(feature = "compaction")]
mod compaction;
mod config;
mod determinism;
mod error;
mod history;
pub mod linearizability;
#[cfg(feature = "membership")]
mod membership;
mod monitor;
mod narrate;
mod network;
mod options;
mod queue;
mod rng;
mod server;
mod snapshot;
mod trace;
mod wire;

pub use crate::raft::{Command, ElectionReason, Entry, NodeId, ReadHow, ReadMode, RefuseReason, RejectReason, Role};
pub use action::Action;
pub use client::{check_key, ClientOp, Landing, OpStatus, Request, CLIENT_ID};
pub use config::Config;
pub use determinism::{determinism_run, determinism_script, DETERMINISM_TRACE_HASH};
pub use error::SimError;
#[cfg(feature = "membership")]
pub use membership::{MemberEvent, MAX_SERVERS};
pub use monitor::{Property, Violation};
use network::InFlights;
pub use network::{Addr, InFlight, Links, LossCause, LostMessage, MessageKind, Payload};
pub use options::{Switch, SwitchValue, SWITCHES};
pub use rng::Rng;
pub use server::{lease_ms, Server, Timer};
pub use snapshot::{Snapshot, SnapshotMemory};
pub use trace::{Event, EventData, EventKind, Setting};
pub use wire::{Wire, WireEnd, WireLog};

use crate::raft::{Node, Output};
use client::Client;
use monitor::{Before, Monitor};
use queue::Queue;
use std::cmp::Reverse;
use std::collections::VecDeque;
use trace::Trace;

/// The end of virtual time (2^62 ms): far enough that adding any delay to it cannot overflow.
pub const MAX_TIME: u64 = 1 << 62;

/// How long a lost message stays in [`Cluster::lost_messages`] (virtual ms), so the page can fade it out.
pub const LOST_KEEP_MS: u64 = 400;

/// Something that falls due at a virtual time. Timers and client attempts
/// carry a generation or attempt number: a later reset makes them stale, and a
/// stale one fires as nothing.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Due {
    /// Message `id` arrives.
    Arrive(u64),
    /// Message `id` is lost at random on its way.
    Lose(u64),
    /// Message `id`, sent across a cut, dies half way unless the cut healed.
    CheckCut(u64),
    /// A server's election timer (of a generation) runs out.
    Election(NodeId, u64),
    /// A leader's heartbeat timer (of a generation) runs out.
    Heartbeat(NodeId, u64),
    /// A server's leader-contact timer (of a generation) runs out.
    LeaderContact(NodeId, u64),
    /// A leader's check-quorum timer (of a generation) runs out.
    CheckQuorum(NodeId, u64),
    /// The lease timer of a heartbeat round (the node, the round, the lease generation) runs out.
    Lease(NodeId, u64, u64),
    /// An attempt of a client write got no answer in time.
    ClientTimeout(u64, u32),
    /// A client write waited and tries again (at a given server, or the next one).
    ClientRetry(u64, u32, Option<NodeId>),
}

impl Due {
    /// For a server's restartable timer: the server and the timer's place in
    /// [`Server`]'s `timers` (see [`Cluster::schedule_timer`]).
    fn timer(self) -> Option<(NodeId, usize)> {
        match self {
            Due::Election(n, _) => Some((n, 0)),
            Due::Heartbeat(n, _) => Some((n, 1)),
            Due::LeaderContact(n, _) => Some((n, 2)),
            Due::CheckQuorum(n, _) => Some((n, 3)),
            _ => None,
        }
    }
}

/// A whole simulated cluster. Cheap to [`Clone`]: a clone is a snapshot that
/// continues exactly like the original under the same calls.
#[derive(Clone, Debug)]
pub struct Cluster {
    initial: Config,
    cfg: Config,
    now: u64,
    rng: Rng,
    servers: Vec<Server>,
    queue: Queue,
    seq: u64,
    in_flight: InFlights,
    /// For each directed link (servers and the client), when its latest message arrives:
    /// links deliver in order, like the TCP connections Raft usually runs over.
    link_last: Vec<u64>,
    lost: VecDeque<LostMessage>,
    next_msg: u64,
    client: Client,
    monitor: Monitor,
    trace: Trace,
    history: Vec<(u64, Action)>,
    /// Every message's send and end, for the space-time diagram (`wire.rs`).
    wire: WireLog,
    /// Bumped by every live event and every action: see [`Cluster::revision`].
    revision: u64,
    out: Vec<Output>,
}

impl Cluster {
    /// A cluster of `cfg.nodes` fresh servers at time 0, each with its election timer started.
    pub fn new(cfg: Config) -> Result<Cluster, SimError> {
        cfg.validate()?;
        let members: Vec<NodeId> = (0..cfg.nodes).map(NodeId::from_index).collect();
        let servers = members.iter().map(|&id| Server::new(Node::new(id, members.clone(), cfg.raft.clone()))).collect();
        let mut c = Cluster {
            rng: Rng::new(cfg.seed),
            initial: cfg.clone(),
            cfg,
            now: 0,
            servers,
            queue: Queue::default(),
            seq: 0,
            in_flight: InFlights::default(),
            link_last: vec![0; (members.len() + 1) * (members.len() + 1)],
            lost: VecDeque::new(),
            next_msg: 1,
            client: Client::default(),
            monitor: Monitor::default(),
            trace: Trace::new(),
            history: Vec::new(),
            wire: WireLog::default(),
            revision: 0,
            out: Vec::new(),
        };
        c.log(EventData::Started { servers: c.servers.len() });
        for id in members {
            c.step_node(id, |node, out| node.start(out));
        }
        Ok(c)
    }

    // ----- reading -------------------------------------------------------------------

    /// The configuration now (with the changes made since through the setters).
    pub fn config(&self) -> &Config {
        &self.cfg
    }
    /// The configuration the cluster was created with: with [`Cluster::history`],
    /// all it takes to rebuild the run ([`Cluster::replay`]).
    pub fn initial_config(&self) -> &Config {
        &self.initial
    }
    /// Virtual time, in milliseconds since the start.
    pub fn now(&self) -> u64 {
        self.now
    }
    /// S1..Sn.
    pub fn node_ids(&self) -> Vec<NodeId> {
        self.servers.iter().map(|s| s.id()).collect()
    }
    /// The running server that leads in the highest term, if any.
    pub fn leader(&self) -> Option<NodeId> {
        self.servers
            .iter()
            .filter(|s| s.up && s.role() == Role::Leader)
            .max_by_key(|s| (s.term(), Reverse(s.id())))
            .map(|s| s.id())
    }
    /// One server, or `None` for an unknown id.
    pub fn node(&self, id: NodeId) -> Option<&Server> {
        if id.0 == 0 {
            return None;
        }
        self.servers.get(id.index())
    }
    /// All servers, S1 first.
    pub fn servers(&self) -> &[Server] {
        &self.servers
    }
    /// Whether server `s` holds a write of `command` compacted into its
    /// snapshot (log compaction): the command was committed, that is first
    /// applied anywhere as the safety monitor saw it, at an index the
    /// snapshot covers. Always false without log compaction.
    ///
    /// Cheap in the common cases: false at once without a snapshot; true at
    /// once when the snapshot's store holds the write's value for its key
    /// (a binary search: the snapshot holds the state machine after its
    /// entries, each committed, which State Machine Safety checked against
    /// what was applied). Otherwise (a later write overwrote the value, or
    /// the write is not there) a scan of the committed entries the snapshot
    /// covers, in the monitor's table.
    pub fn in_snapshot(&self, s: &Server, command: &Command) -> bool {
        #[cfg(feature = "compaction")]
        {
            let snap = s.raft().snapshot();
            if snap.index == 0 {
                return false;
            }
            if let Command::Set { key, value } = command {
                let hit = snap.kv.binary_search_by(|(k, _)| k.as_str().cmp(key));
                if hit.is_ok_and(|i| snap.kv[i].1 == *value) {
                    return true;
                }
            }
            self.monitor.committed().take(snap.index as usize).any(|e| &e.command == command)
        }
        #[cfg(not(feature = "compaction"))]
        {
            let _ = (s, command);
            false
        }
    }
    /// Every broken safety property seen so far (empty in a correct run).
    pub fn violations(&self) -> &[Violation] {
        self.monitor.violations()
    }
    /// Every event so far, oldest first.
    pub fn events(&self) -> &[Event] {
        self.trace.events()
    }
    /// A number that changes whenever the cluster changes: each event that
    /// fires (a message arrives or is lost, a timer runs out, the client acts)
    /// and each action performed bumps it. The mere passing of time does not:
    /// `advance` over a stretch where nothing falls due leaves it as it was
    /// (timers drain, messages move and lost ones fade as functions of
    /// [`Cluster::now`]). A view redraws what depends on the cluster's state
    /// only when this changed. Replay gives the same revision at the same moment.
    pub fn revision(&self) -> u64 {
        self.revision
    }
    /// A stable hash of the trace so far: equal hashes, equal runs.
    pub fn trace_hash(&self) -> u64 {
        self.trace.hash()
    }
    /// When the next scheduled event is due, if any.
    pub fn next_event_time(&self) -> Option<u64> {
        self.queue.next_time()
    }

    // ----- time ----------------------------------------------------------------------

    /// Runs every event that falls due in the next `ms` virtual milliseconds.
    /// (Virtual time stops at [`MAX_TIME`], about 146 million years.)
    pub fn advance(&mut self, ms: u64) {
        let target = self.now.saturating_add(ms).min(MAX_TIME);
        while let Some(at) = self.queue.next_time() {
            if at > target {
                break;
            }
            self.pop_and_fire();
        }
        self.now = target;
        self.prune_lost();
    }

    /// Advances to the next moment at which something happens and runs every
    /// event due then (stale timers are skipped). Returns that time, or `None`
    /// if nothing is scheduled. Running all events of one instant together
    /// keeps a run replayable: an action taken after a step lands after
    /// everything due at that time, exactly as after `advance`.
    pub fn step(&mut self) -> Option<u64> {
        loop {
            let at = self.queue.next_time()?;
            let mut live = false;
            while self.queue.next_time().is_some_and(|t| t <= at) {
                live |= self.pop_and_fire();
            }
            if live {
                self.now = self.now.max(at);
                self.prune_lost();
                return Some(self.now);
            }
        }
    }

    /// Advances to virtual time `t`. When `t` is not in the future it still runs
    /// the events already due now (like `advance(0)`).
    pub fn advance_to(&mut self, t: u64) {
        self.advance(t.saturating_sub(self.now));
    }

    fn pop_and_fire(&mut self) -> bool {
        let Some((at, seq, due)) = self.queue.pop() else { return false };
        self.now = self.now.max(at);
        if let Some((n, k)) = due.timer() {
            let t = &mut self.servers[n.index()].timers[k];
            if t.queued != Some((at, seq)) {
                return false; // an entry left behind by a restart that runs out sooner
            }
            t.queued = None;
            match t.latest {
                Some(l) if (l.0, l.1) != (at, seq) => {
                    // Restarted since: due later, put back where the restart would have put it.
                    t.queued = Some((l.0, l.1));
                    self.queue.push(l.0, l.1, l.2);
                    return false;
                }
                _ => {}
            }
        }
        let live = self.fire(due);
        self.revision += live as u64;
        live
    }

    fn schedule(&mut self, at: u64, due: Due) {
        self.seq += 1;
        self.queue.push(at, self.seq, due);
    }

    /// Schedules a server's election, heartbeat, leader-contact or
    /// check-quorum timer, (re)started with the generation in `due`. Each
    /// restart makes the entries before it stale, and a follower restarts its
    /// timers at every AppendEntries: rather than one entry per restart, the
    /// queue keeps one per timer while it is due no later than the new
    /// deadline, and when it falls due [`Cluster::pop_and_fire`] puts it back
    /// with the time and sequence number the latest restart took (or fires
    /// it, if it is that restart's). What fires, and in what order, is what
    /// one entry per restart gives; the queue holds a few entries per server
    /// instead of dozens.
    fn schedule_timer(&mut self, at: u64, due: Due) {
        self.seq += 1;
        let Some((n, k)) = due.timer() else { return };
        let t = &mut self.servers[n.index()].timers[k];
        t.latest = Some((at, self.seq, due));
        // An entry due sooner (or at the same time, scheduled before) comes back here in time.
        if t.queued.is_none_or(|q| q.0 > at) {
            t.queued = Some((at, self.seq));
            self.queue.push(at, self.seq, due);
        }
    }

    fn prune_lost(&mut self) {
        while self.lost.front().is_some_and(|l| l.lost_at + LOST_KEEP_MS < self.now) {
            self.lost.pop_front();
        }
    }

    /// Runs one due event; false when it turned out stale (nothing happened).
    fn fire(&mut self, due: Due) -> bool {
        match due {
            Due::Arrive(id) => match self.in_flight.remove(id) {
                Some(m) => {
                    self.deliver(m);
                    true
                }
                None => false,
            },
            Due::Lose(id) => match self.in_flight.remove(id) {
                Some(m) => {
                    self.lose(m, LossCause::Random);
                    true
                }
                None => false,
            },
            Due::CheckCut(id) => {
                let cut = self.in_flight.get(id).is_some_and(|m| !self.connected(m.from, m.to));
                if cut {
                    if let Some(m) = self.in_flight.remove(id) {
                        self.lose(m, LossCause::Cut);
                    }
                }
                cut
            }
            Due::Election(n, gen) => {
                let s = &mut self.servers[n.index()];
                if !s.up || s.election_gen != gen {
                    return false;
                }
                s.election = None;
                self.step_node(n, |node, out| node.election_timeout(out));
                true
            }
            Due::Heartbeat(n, gen) => {
                let s = &mut self.servers[n.index()];
                if !s.up || s.heartbeat_gen != gen {
                    return false;
                }
                s.heartbeat = None;
                self.step_node(n, |node, out| node.heartbeat_timeout(out));
                true
            }
            Due::LeaderContact(n, gen) => {
                let s = &mut self.servers[n.index()];
                if !s.up || s.contact_gen != gen {
                    return false;
                }
                s.leader_contact = None;
                self.step_node(n, |node, out| node.leader_contact_timeout(out));
                true
            }
            Due::CheckQuorum(n, gen) => {
                let s = &mut self.servers[n.index()];
                if !s.up || s.check_gen != gen {
                    return false;
                }
                s.check_quorum = None;
                self.step_node(n, |node, out| node.check_quorum_timeout(out));
                true
            }
            Due::Lease(n, round, gen) => {
                let s = &self.servers[n.index()];
                if !s.up || s.lease_gen != gen {
                    return false;
                }
                self.step_node(n, |node, out| node.lease_timeout(round, out));
                true
            }
            Due::ClientTimeout(op, attempt) => self.client_timeout(op, attempt),
            Due::ClientRetry(op, attempt, to) => self.client_retry(op, attempt, to),
        }
    }

    // ----- running a node ------------------------------------------------------------

    /// Runs `f` on node `id`, then handles its outputs and checks what it
    /// changed. Only the call of `f` is generic: the work before and after it
    /// is one copy in the page's wasm (not one per caller, 14 of them).
    fn step_node<R>(&mut self, id: NodeId, f: impl FnOnce(&mut Node, &mut Vec<Output>) -> R) -> R {
        let (before, mut out) = self.before_step(id);
        let r = f(&mut self.servers[id.index()].node, &mut out);
        self.after_step(id, before, out);
        r
    }

    #[inline(never)]
    fn before_step(&mut self, id: NodeId) -> (Before, Vec<Output>) {
        (Before::of(&self.servers[id.index()].node), std::mem::take(&mut self.out))
    }

    #[inline(never)]
    fn after_step(&mut self, id: NodeId, before: Before, mut out: Vec<Output>) {
        for o in out.drain(..) {
            self.handle_output(id, o);
        }
        self.out = out;
        let new = self.monitor.after_step(self.now, &mut self.servers[id.index()].node, before);
        self.log_violations(new);
    }

    fn handle_output(&mut self, id: NodeId, o: Output) {
        let now = self.now;
        match o {
            Output::Send(msg) => {
                let to = msg.to;
                self.send(Addr::Node(id), Addr::Node(to), Payload::Raft(msg));
            }
            Output::ResetElectionTimer => {
                let (lo, hi) = self.cfg.election_timeout_ms;
                let d = self.rng.range(lo, hi);
                let s = &mut self.servers[id.index()];
                s.election_gen += 1;
                s.election = Some(Timer { started: now, deadline: now + d });
                let gen = s.election_gen;
                self.schedule_timer(now + d, Due::Election(id, gen));
            }
            Output::StopElectionTimer => {
                let s = &mut self.servers[id.index()];
                s.election_gen += 1;
                s.election = None;
            }
            Output::ResetHeartbeatTimer => {
                let d = self.cfg.heartbeat_ms;
                let s = &mut self.servers[id.index()];
                s.heartbeat_gen += 1;
                s.heartbeat = Some(Timer { started: now, deadline: now.saturating_add(d) });
                let gen = s.heartbeat_gen;
                self.schedule_timer(now.saturating_add(d), Due::Heartbeat(id, gen));
            }
            Output::StopHeartbeatTimer => {
                let s = &mut self.servers[id.index()];
                s.heartbeat_gen += 1;
                s.heartbeat = None;
            }
            Output::ResetLeaderContactTimer => {
                // The shortest election timeout: no server's election timer runs out sooner.
                let d = self.cfg.election_timeout_ms.0;
                let s = &mut self.servers[id.index()];
                s.contact_gen += 1;
                s.leader_contact = Some(Timer { started: now, deadline: now.saturating_add(d) });
                let gen = s.contact_gen;
                self.schedule_timer(now.saturating_add(d), Due::LeaderContact(id, gen));
            }
            Output::ResetCheckQuorumTimer => {
                // The shortest election timeout (etcd's choice too): a leader cut
                // off from its majority steps down within two of them.
                let d = self.cfg.election_timeout_ms.0;
                let s = &mut self.servers[id.index()];
                s.check_gen += 1;
                s.check_quorum = Some(Timer { started: now, deadline: now.saturating_add(d) });
                let gen = s.check_gen;
                self.schedule_timer(now.saturating_add(d), Due::CheckQuorum(id, gen));
            }
            Output::StopCheckQuorumTimer => {
                let s = &mut self.servers[id.index()];
                s.check_gen += 1;
                s.check_quorum = None;
            }
            Output::StartLeaseTimer { round } => {
                let gen = self.servers[id.index()].lease_gen;
                let d = lease_ms(self.cfg.election_timeout_ms.0);
                self.schedule(now.saturating_add(d), Due::Lease(id, round, gen));
            }
            Output::ClientReply { tag, reply } => {
                self.send(Addr::Node(id), Addr::Client, Payload::ClientResponse { tag, reply });
            }
            Output::Note(note) => self.note(id, note),
        }
    }

    fn check_node(&self, id: NodeId) -> Result<&Server, SimError> {
        self.node(id).ok_or(SimError::UnknownNode(id.0 as u64))
    }

    fn check_up(&self, id: NodeId) -> Result<(), SimError> {
        if self.check_node(id)?.up {
            Ok(())
        } else {
            Err(SimError::NodeDown(id))
        }
    }
}
