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

mod action;
mod client;
mod config;
mod determinism;
mod error;
mod monitor;
mod network;
mod rng;
mod trace;

pub use crate::raft::{Command, Entry, NodeId, Role};
pub use action::Action;
pub use client::{ClientOp, Landing, OpStatus};
pub use config::Config;
pub use determinism::{determinism_run, determinism_script, DETERMINISM_TRACE_HASH};
pub use error::SimError;
pub use monitor::{Property, Violation};
pub use network::{Addr, InFlight, LossCause, LostMessage, MessageKind, Payload};
pub use rng::Rng;
pub use trace::{Event, EventKind};

use crate::raft::{
    ClientReply, ClientTag, ElectionReason, Node, Note, Output, Progress, ProposeError, RefuseReason, RejectReason,
    TransferError,
};
use client::Client;
use monitor::{Before, Monitor};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};
use trace::{list, Trace};

/// Checks a key for a client write: 1 to 16 letters, digits or `_`.
pub fn check_key(key: &str) -> Result<(), SimError> {
    let ok = (1..=16).contains(&key.chars().count()) && key.chars().all(|c| c.is_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(SimError::BadKey(key.to_string()))
    }
}

/// "1 log entry", "3 log entries".
fn entries(n: u64) -> String {
    format!("{n} log entr{}", if n == 1 { "y" } else { "ies" })
}

/// The end of virtual time (2^62 ms): far enough that adding any delay to it cannot overflow.
pub const MAX_TIME: u64 = 1 << 62;

/// How long a lost message stays in [`Cluster::lost_messages`] (virtual ms), so the page can fade it out.
pub const LOST_KEEP_MS: u64 = 400;

/// A timer of a server: when it was started and when it runs out (virtual ms).
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct Timer {
    /// When it was (re)started.
    pub started: u64,
    /// When it runs out.
    pub deadline: u64,
}

/// One server of the cluster: its Raft node plus what the simulator knows of it
/// (running or crashed, cut off or not, its timers).
#[derive(Clone, Debug)]
pub struct Server {
    node: Node,
    up: bool,
    disconnected: bool,
    group: u32,
    election: Option<Timer>,
    heartbeat: Option<Timer>,
    election_gen: u64,
    heartbeat_gen: u64,
}

impl Server {
    /// Its id.
    pub fn id(&self) -> NodeId {
        self.node.id()
    }
    /// Follower, candidate or leader (a crashed server shows what it will restart as: follower).
    pub fn role(&self) -> Role {
        self.node.role()
    }
    /// Its current term.
    pub fn term(&self) -> u64 {
        self.node.term()
    }
    /// Whom it voted for in its current term.
    pub fn voted_for(&self) -> Option<NodeId> {
        self.node.voted_for()
    }
    /// Its log; `log()[i]` has index `i + 1`.
    pub fn log(&self) -> &[Entry] {
        self.node.log()
    }
    /// The highest index it knows to be committed.
    pub fn commit_index(&self) -> u64 {
        self.node.commit_index()
    }
    /// True unless crashed.
    pub fn is_up(&self) -> bool {
        self.up
    }
    /// True when cut off from everyone (by `disconnect`).
    pub fn is_disconnected(&self) -> bool {
        self.disconnected
    }
    /// Its partition group (0 when no partition is in place, or for servers no group names).
    pub fn group(&self) -> u32 {
        self.group
    }
    /// Its election timer, while running.
    pub fn election_timer(&self) -> Option<Timer> {
        self.election
    }
    /// Its heartbeat timer, while it leads.
    pub fn heartbeat_timer(&self) -> Option<Timer> {
        self.heartbeat
    }
    /// As leader: nextIndex and matchIndex for `peer`.
    pub fn progress(&self, peer: NodeId) -> Option<Progress> {
        self.node.progress(peer)
    }
    /// The Raft node itself, for everything else (state machine, votes, leader hint...).
    pub fn raft(&self) -> &Node {
        &self.node
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Due {
    Arrive(u64),
    Lose(u64),
    CheckCut(u64),
    Election(NodeId, u64),
    Heartbeat(NodeId, u64),
    ClientTimeout(u64, u32),
    ClientRetry(u64, u32, Option<NodeId>),
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
    queue: BinaryHeap<Reverse<(u64, u64, Due)>>,
    seq: u64,
    in_flight: BTreeMap<u64, InFlight>,
    /// For each directed link (servers and the client), when its latest message arrives:
    /// links deliver in order, like the TCP connections Raft usually runs over.
    link_last: Vec<u64>,
    lost: VecDeque<LostMessage>,
    next_msg: u64,
    client: Client,
    monitor: Monitor,
    trace: Trace,
    history: Vec<(u64, Action)>,
    out: Vec<Output>,
    /// Bumped whenever something drawable changes: a live event fired or an action applied.
    revision: u64,
}

impl Cluster {
    /// A cluster of `cfg.nodes` fresh servers at time 0, each with its election timer started.
    pub fn new(cfg: Config) -> Result<Cluster, SimError> {
        cfg.validate()?;
        let members: Vec<NodeId> = (0..cfg.nodes).map(NodeId::from_index).collect();
        let servers = members
            .iter()
            .map(|&id| Server {
                node: Node::new(id, members.clone(), cfg.raft.clone()),
                up: true,
                disconnected: false,
                group: 0,
                election: None,
                heartbeat: None,
                election_gen: 0,
                heartbeat_gen: 0,
            })
            .collect();
        let mut c = Cluster {
            rng: Rng::new(cfg.seed),
            initial: cfg.clone(),
            cfg,
            now: 0,
            servers,
            queue: BinaryHeap::new(),
            seq: 0,
            in_flight: BTreeMap::new(),
            link_last: vec![0; (members.len() + 1) * (members.len() + 1)],
            lost: VecDeque::new(),
            next_msg: 1,
            client: Client::default(),
            monitor: Monitor::default(),
            trace: Trace::new(),
            history: Vec::new(),
            out: Vec::new(),
            revision: 0,
        };
        let n = c.servers.len();
        c.log(
            EventKind::Start,
            vec![],
            format!("{n} servers started as followers in term 0, each with a random election timeout"),
        );
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
    /// The messages in flight, oldest first.
    pub fn messages(&self) -> Vec<&InFlight> {
        self.in_flight.values().collect()
    }
    /// One message in flight.
    pub fn message(&self, id: u64) -> Option<&InFlight> {
        self.in_flight.get(&id)
    }
    /// Messages lost in the last [`LOST_KEEP_MS`] ms, oldest first.
    pub fn lost_messages(&self) -> impl Iterator<Item = &LostMessage> {
        self.lost.iter()
    }
    /// The client's writes, in invocation order.
    pub fn client_ops(&self) -> &[ClientOp] {
        &self.client.ops
    }
    /// Whom the client believes leads.
    pub fn client_leader(&self) -> Option<NodeId> {
        self.client.leader
    }
    /// Every broken safety property seen so far (empty in a correct run).
    pub fn violations(&self) -> &[Violation] {
        self.monitor.violations()
    }
    /// Every event so far, oldest first.
    pub fn events(&self) -> &[Event] {
        self.trace.events()
    }
    /// A stable hash of the trace so far: equal hashes, equal runs.
    pub fn trace_hash(&self) -> u64 {
        self.trace.hash()
    }
    /// When the next scheduled event is due, if any.
    pub fn next_event_time(&self) -> Option<u64> {
        self.queue.peek().map(|Reverse((t, _, _))| *t)
    }
    /// Whether `a` can currently reach `b` (both ends connected and in the same partition group).
    pub fn can_reach(&self, a: Addr, b: Addr) -> bool {
        self.connected(a, b)
    }
    /// Every write the client was told is committed: (index, op id, term).
    pub fn acked_writes(&self) -> Vec<(u64, u64, u64)> {
        self.monitor.acked().collect()
    }

    // ----- time ----------------------------------------------------------------------

    /// Runs every event that falls due in the next `ms` virtual milliseconds.
    /// (Virtual time stops at [`MAX_TIME`], about 146 million years.)
    pub fn advance(&mut self, ms: u64) {
        let target = self.now.saturating_add(ms).min(MAX_TIME);
        while let Some(&Reverse((at, _, _))) = self.queue.peek() {
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
            let Reverse((at, _, _)) = *self.queue.peek()?;
            let mut live = false;
            while self.queue.peek().is_some_and(|Reverse((t, _, _))| *t <= at) {
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
        let Some(Reverse((at, _, due))) = self.queue.pop() else { return false };
        self.now = self.now.max(at);
        let live = self.fire(due);
        if live {
            self.revision += 1;
        }
        live
    }

    /// A counter bumped whenever the cluster's drawable state changes (a live
    /// event fired or an action was applied), not by idle time passing: equal
    /// revisions of one cluster, equal servers, logs, client and events.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    fn schedule(&mut self, at: u64, due: Due) {
        self.seq += 1;
        self.queue.push(Reverse((at, self.seq, due)));
    }

    fn prune_lost(&mut self) {
        while self.lost.front().is_some_and(|l| l.lost_at + LOST_KEEP_MS < self.now) {
            self.lost.pop_front();
        }
    }

    /// Runs one due event; false when it turned out stale (nothing happened).
    fn fire(&mut self, due: Due) -> bool {
        match due {
            Due::Arrive(id) => match self.in_flight.remove(&id) {
                Some(m) => {
                    self.deliver(m);
                    true
                }
                None => false,
            },
            Due::Lose(id) => match self.in_flight.remove(&id) {
                Some(m) => {
                    self.lose(m, LossCause::Random);
                    true
                }
                None => false,
            },
            Due::CheckCut(id) => {
                let cut = self.in_flight.get(&id).is_some_and(|m| !self.connected(m.from, m.to));
                if cut {
                    if let Some(m) = self.in_flight.remove(&id) {
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
            Due::ClientTimeout(op, attempt) => self.client_timeout(op, attempt),
            Due::ClientRetry(op, attempt, to) => self.client_retry(op, attempt, to),
        }
    }

    // ----- the network ---------------------------------------------------------------

    fn connected(&self, a: Addr, b: Addr) -> bool {
        let s = |x: NodeId| self.servers.get(x.index());
        match (a, b) {
            (Addr::Node(x), Addr::Node(y)) => match (s(x), s(y)) {
                (Some(x), Some(y)) => !x.disconnected && !y.disconnected && x.group == y.group,
                _ => false,
            },
            (Addr::Node(x), Addr::Client) | (Addr::Client, Addr::Node(x)) => s(x).is_some_and(|x| !x.disconnected),
            (Addr::Client, Addr::Client) => true,
        }
    }

    fn send(&mut self, from: Addr, to: Addr, payload: Payload) -> u64 {
        let id = self.next_msg;
        self.next_msg += 1;
        let (lo, hi) = self.cfg.latency_ms;
        let drawn = self.rng.range(lo, hi);
        // In order on each link: never before the link's previous message.
        let link = self.link(from, to);
        let arrive_at = (self.now + drawn).max(self.link_last[link]);
        self.link_last[link] = arrive_at;
        let latency = arrive_at - self.now;
        if self.rng.chance(self.cfg.drop_rate) {
            let at = self.now + (latency as f64 * (0.25 + 0.5 * self.rng.unit())) as u64;
            self.schedule(at, Due::Lose(id));
        } else if !self.connected(from, to) {
            // Sent across a cut: it dies half way unless the cut heals first.
            self.schedule(self.now + latency / 2, Due::CheckCut(id));
        }
        self.schedule(arrive_at, Due::Arrive(id));
        self.in_flight.insert(id, InFlight { id, from, to, payload, sent_at: self.now, arrive_at, duplicate: false });
        id
    }

    /// The index of the directed link `from` → `to` in `link_last` (the client is number n).
    fn link(&self, from: Addr, to: Addr) -> usize {
        let n = self.servers.len();
        let ix = |a: Addr| match a {
            Addr::Node(x) => x.index().min(n),
            Addr::Client => n,
        };
        ix(from) * (n + 1) + ix(to)
    }

    fn lose(&mut self, message: InFlight, cause: LossCause) {
        let progress = message.progress(self.now);
        self.lost.push_back(LostMessage { message, lost_at: self.now, progress, cause });
    }

    /// A cut takes effect at once: messages in flight across it are lost where they are.
    fn cut_in_flight(&mut self) {
        let cut: Vec<u64> = self.in_flight.values().filter(|m| !self.connected(m.from, m.to)).map(|m| m.id).collect();
        for id in cut {
            if let Some(m) = self.in_flight.remove(&id) {
                self.lose(m, LossCause::Cut);
            }
        }
    }

    fn deliver(&mut self, m: InFlight) {
        if !self.connected(m.from, m.to) {
            return self.lose(m, LossCause::Cut);
        }
        match m.to {
            Addr::Node(n) => {
                if !self.servers[n.index()].up {
                    return self.lose(m, LossCause::ReceiverDown);
                }
                match m.payload {
                    Payload::Raft(msg) => self.step_node(n, |node, out| node.receive(msg, out)),
                    Payload::ClientRequest { tag, command } => {
                        let before = self.servers[n.index()].node.last_index();
                        self.step_node(n, |node, out| node.client_request(tag, command, out));
                        let node = &self.servers[n.index()].node;
                        if node.last_index() > before {
                            let landing = Landing { node: n, index: node.last_index(), term: node.last_term() };
                            if let Some(o) = self.client.ops.get_mut(tag.op as usize) {
                                o.landed.push(landing);
                            }
                        }
                    }
                    Payload::ClientResponse { .. } => {}
                }
            }
            Addr::Client => {
                if let (Payload::ClientResponse { tag, reply }, Addr::Node(from)) = (m.payload, m.from) {
                    self.client_reply(from, tag, reply);
                }
            }
        }
    }

    // ----- running a node ------------------------------------------------------------

    fn step_node<R>(&mut self, id: NodeId, f: impl FnOnce(&mut Node, &mut Vec<Output>) -> R) -> R {
        let i = id.index();
        let before = Before::of(&self.servers[i].node);
        let mut out = std::mem::take(&mut self.out);
        let r = f(&mut self.servers[i].node, &mut out);
        for o in out.drain(..) {
            self.handle_output(id, o);
        }
        self.out = out;
        let new = self.monitor.after_step(self.now, &mut self.servers[i].node, before);
        self.log_violations(new);
        r
    }

    fn log_violations(&mut self, new: usize) {
        let all = self.monitor.violations();
        let fresh: Vec<Violation> = all[all.len() - new..].to_vec();
        for v in fresh {
            self.log(
                EventKind::Violation,
                v.nodes.clone(),
                format!("SAFETY VIOLATED ({}): {}", v.property.name(), v.explanation),
            );
        }
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
                self.schedule(now + d, Due::Election(id, gen));
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
                self.schedule(now.saturating_add(d), Due::Heartbeat(id, gen));
            }
            Output::StopHeartbeatTimer => {
                let s = &mut self.servers[id.index()];
                s.heartbeat_gen += 1;
                s.heartbeat = None;
            }
            Output::ClientReply { tag, reply } => {
                self.send(Addr::Node(id), Addr::Client, Payload::ClientResponse { tag, reply });
            }
            Output::Note(note) => self.note(id, note),
        }
    }

    fn note(&mut self, id: NodeId, note: Note) {
        let node = &self.servers[id.index()].node;
        let (kind, nodes, text) = match note {
            Note::StartedElection { term, reason: ElectionReason::Timeout, was } => (
                EventKind::Election,
                vec![id],
                match was {
                    Role::Candidate => format!(
                        "{id}'s election for term {} won no majority in time; it starts another for term {term}",
                        term - 1
                    ),
                    Role::Leader => format!("{id} gave up leading term {} and started an election for term {term}", term - 1),
                    Role::Follower => {
                        format!("{id} timed out waiting for a leader and started an election for term {term}")
                    }
                },
            ),
            Note::StartedElection { term, reason: ElectionReason::TimeoutNow, .. } => (
                EventKind::Transfer,
                vec![id],
                format!("{id} got TimeoutNow and started an election for term {term} at once"),
            ),
            Note::Voted { candidate, term } => {
                (EventKind::Election, vec![id, candidate], format!("{id} voted for {candidate} in term {term}"))
            }
            Note::RefusedVote { candidate, term, reason } => {
                let why = match reason {
                    RefuseReason::StaleTerm => format!("term {term} is behind its own term {}", node.term()),
                    RefuseReason::AlreadyVoted(v) if v == id => format!("it is a candidate in term {term} itself"),
                    RefuseReason::AlreadyVoted(v) => format!("it already voted for {v} in term {term}"),
                    RefuseReason::LogBehind => format!(
                        "{candidate}'s log is less up to date than its own (last entry {} of term {})",
                        node.last_index(),
                        node.last_term()
                    ),
                };
                (EventKind::Election, vec![id, candidate], format!("{id} refused to vote for {candidate}: {why}"))
            }
            Note::BecameLeader { term, votes } => (
                EventKind::Election,
                vec![id],
                format!("{id} became leader of term {term} with votes from {}", list(&votes)),
            ),
            Note::SteppedDown { was, term, because_of } => (
                EventKind::Election,
                vec![id],
                match because_of {
                    Some(by) if was == Role::Leader => {
                        format!("{id} learned of term {term} from {by} and stepped down from leader to follower")
                    }
                    Some(by) => format!("{id} heard from {by} in term {term} and went from {was} back to follower"),
                    None => format!("{id} went from {was} back to follower in term {term}"),
                },
            ),
            Note::Appended { index, term, command: Command::Noop } => (
                EventKind::Replication,
                vec![id],
                format!("{id} appended a no-op at index {index} to start term {term}"),
            ),
            Note::Appended { index, term, command } => {
                (EventKind::Replication, vec![id], format!("{id} appended {command} at index {index} (term {term})"))
            }
            Note::Committed { from, to, replicas } => {
                let what = if from == to {
                    format!("index {to} ({})", node.log().get(to as usize - 1).map_or(String::new(), |e| e.command.to_string()))
                } else {
                    format!("indexes {from} to {to}")
                };
                (EventKind::Commit, replicas.clone(), format!("{id} committed {what}: stored on a majority ({})", list(&replicas)))
            }
            Note::Truncated { from, count, leader } => (
                EventKind::Replication,
                vec![id, leader],
                format!(
                    "{id} removed {count} entr{} from index {from}: they conflict with leader {leader}'s log",
                    if count == 1 { "y" } else { "ies" }
                ),
            ),
            Note::RejectedAppend { leader, prev_log_index, reason } => (
                EventKind::Replication,
                vec![id, leader],
                match reason {
                    RejectReason::StaleTerm => {
                        format!("{id} rejected AppendEntries from {leader}: its term is older than {id}'s term {}", node.term())
                    }
                    RejectReason::Missing => format!(
                        "{id} rejected AppendEntries from {leader}: it has no entry {prev_log_index}, so appending would leave a hole"
                    ),
                    RejectReason::TermMismatch(t) => format!(
                        "{id} rejected AppendEntries from {leader}: its entry {prev_log_index} is of term {t}, not the leader's"
                    ),
                },
            ),
            Note::BackedUp { follower, next_index } => (
                EventKind::Replication,
                vec![id, follower],
                format!("{id} retries {follower} at once, now sending from index {next_index}"),
            ),
            Note::TransferStarted { to } => (
                EventKind::Transfer,
                vec![id, to],
                format!("{id} is handing leadership to {to}: it stops taking writes and brings {to} up to date"),
            ),
            Note::TransferTimeoutNow { to } => (
                EventKind::Transfer,
                vec![id, to],
                format!("{to}'s log is up to date: {id} sends it TimeoutNow"),
            ),
            Note::TransferAborted { to } => (
                EventKind::Transfer,
                vec![id, to],
                format!("{id} gave up handing leadership to {to} and takes writes again"),
            ),
        };
        self.log(kind, nodes, text);
    }

    fn log(&mut self, kind: EventKind, nodes: Vec<NodeId>, text: String) {
        self.trace.push(self.now, kind, nodes, text);
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

    // ----- the client ----------------------------------------------------------------

    /// A write through the simulated client: it goes to the server the client
    /// believes leads (or the next one in turn), follows "not the leader" hints,
    /// and retries elsewhere when an attempt gets no answer. Returns the
    /// operation's id (its position in [`Cluster::client_ops`]).
    pub fn client_write(&mut self, command: Command) -> u64 {
        let to = self.client.leader.unwrap_or_else(|| self.next_target(None));
        self.invoke(command, to)
    }

    /// A write through the simulated client whose first attempt goes to `to`.
    pub fn client_write_to(&mut self, to: NodeId, command: Command) -> Result<u64, SimError> {
        self.check_node(to)?;
        Ok(self.invoke(command, to))
    }

    fn invoke(&mut self, command: Command, to: NodeId) -> u64 {
        let id = self.client.ops.len() as u64;
        self.log(EventKind::Client, vec![to], format!("client: write #{id} {command}, sent to {to}"));
        self.client.ops.push(ClientOp {
            id,
            command,
            invoked_at: self.now,
            status: OpStatus::Pending,
            target: None,
            attempts: 0,
            landed: Vec::new(),
            redirects: 0,
        });
        self.client_send(id, to);
        id
    }

    /// The server after `after` in turn (S1 after Sn).
    fn next_target(&self, after: Option<NodeId>) -> NodeId {
        let n = self.servers.len();
        NodeId::from_index(after.map_or(0, |a| (a.index() + 1) % n))
    }

    fn client_send(&mut self, op: u64, to: NodeId) {
        let o = &mut self.client.ops[op as usize];
        o.attempts += 1;
        o.target = Some(to);
        let tag = ClientTag { op, attempt: o.attempts };
        let command = o.command.clone();
        self.send(Addr::Client, Addr::Node(to), Payload::ClientRequest { tag, command });
        self.schedule(self.now.saturating_add(self.cfg.client_timeout_ms), Due::ClientTimeout(op, tag.attempt));
    }

    fn pending_attempt(&self, op: u64, attempt: u32) -> bool {
        self.client.ops.get(op as usize).is_some_and(|o| o.is_pending() && o.attempts == attempt)
    }

    /// Gives up a write that has waited too long; true if it did.
    fn maybe_give_up(&mut self, op: u64) -> bool {
        let now = self.now;
        let limit = self.cfg.client_give_up_ms;
        let o = &mut self.client.ops[op as usize];
        if now.saturating_sub(o.invoked_at) < limit {
            return false;
        }
        let reason = format!("no leader acknowledged it within {limit} ms; it may still commit later");
        o.status = OpStatus::Failed { at: now, reason: reason.clone() };
        let command = o.command.clone();
        self.log(EventKind::Client, vec![], format!("client: gave up write #{op} {command}: {reason}"));
        true
    }

    fn client_timeout(&mut self, op: u64, attempt: u32) -> bool {
        if !self.pending_attempt(op, attempt) {
            return false;
        }
        if self.maybe_give_up(op) {
            return true;
        }
        let target = self.client.ops[op as usize].target;
        let next = self.next_target(target);
        self.client.leader = None;
        self.client.ops[op as usize].redirects = 0;
        let waited = self.cfg.client_timeout_ms;
        self.log(
            EventKind::Client,
            vec![next],
            format!(
                "client: no answer for write #{op} from {} after {waited} ms; trying {next}",
                target.map_or("?".into(), |t| t.to_string())
            ),
        );
        self.client_send(op, next);
        true
    }

    fn client_retry(&mut self, op: u64, attempt: u32, to: Option<NodeId>) -> bool {
        if !self.pending_attempt(op, attempt) {
            return false;
        }
        if self.maybe_give_up(op) {
            return true;
        }
        let to = to.unwrap_or_else(|| {
            let target = self.client.ops[op as usize].target;
            self.next_target(target)
        });
        self.client_send(op, to);
        true
    }

    fn client_reply(&mut self, from: NodeId, tag: ClientTag, reply: ClientReply) {
        let op = tag.op;
        let Some(o) = self.client.ops.get(op as usize) else { return };
        if !o.is_pending() {
            return;
        }
        let command = o.command.clone();
        match reply {
            // Any attempt's acknowledgement counts, even a late one.
            ClientReply::Committed { index, term } => {
                let now = self.now;
                let o = &mut self.client.ops[op as usize];
                o.status = OpStatus::Acked { index, term, by: from, at: now };
                let took = now - o.invoked_at;
                self.client.leader = Some(from);
                self.log(
                    EventKind::Client,
                    vec![from],
                    format!(
                        "client: write #{op} {command} acknowledged by {from}, committed at index {index} ({took} ms)"
                    ),
                );
                let new = self.monitor.on_ack(now, op, &command, from, index, term);
                self.log_violations(new);
            }
            _ if o.attempts != tag.attempt => {} // an answer to an attempt already given up
            ClientReply::NotLeader { leader } => {
                let o = &mut self.client.ops[op as usize];
                o.redirects += 1;
                let loops = o.redirects as usize > self.servers.len();
                self.client.leader = leader;
                match leader {
                    Some(l) if l != from && !loops => {
                        self.log(
                            EventKind::Client,
                            vec![from, l],
                            format!("client: {from} is not the leader and points to {l}; write #{op} goes there"),
                        );
                        self.client_send(op, l);
                    }
                    _ => {
                        self.client.ops[op as usize].redirects = 0;
                        let wait = self.cfg.heartbeat_ms.saturating_mul(2);
                        self.log(
                            EventKind::Client,
                            vec![from],
                            format!(
                                "client: {from} knows no leader; write #{op} waits {wait} ms and tries the next server"
                            ),
                        );
                        self.schedule(self.now + wait, Due::ClientRetry(op, tag.attempt, None));
                    }
                }
            }
            ClientReply::Busy => {
                let wait = self.cfg.heartbeat_ms;
                self.log(
                    EventKind::Client,
                    vec![from],
                    format!("client: {from} is handing leadership over; write #{op} waits {wait} ms"),
                );
                self.schedule(self.now + wait, Due::ClientRetry(op, tag.attempt, Some(from)));
            }
        }
    }

    // ----- actions -------------------------------------------------------------------

    /// Hands `command` straight to server `id`: the index it was appended at
    /// when `id` leads, an error otherwise.
    pub fn submit(&mut self, id: NodeId, command: Command) -> Result<u64, SimError> {
        self.check_up(id)?;
        self.step_node(id, |node, out| node.propose(command, out)).map_err(|e| match e {
            ProposeError::NotLeader { leader } => SimError::NotLeader { node: id, leader },
            ProposeError::Transferring => SimError::Transferring(id),
        })
    }

    /// Crashes server `id`. Its term, vote and log survive (they are on disk);
    /// everything else is lost. Messages to it are lost while it is down.
    pub fn crash(&mut self, id: NodeId) -> Result<(), SimError> {
        self.check_up(id)?;
        let s = &mut self.servers[id.index()];
        let state = s.node.persistent();
        let (len, term) = (state.log.len(), state.term);
        s.node = Node::recover(id, s.node.members().to_vec(), s.node.settings().clone(), state);
        s.up = false;
        s.election = None;
        s.heartbeat = None;
        s.election_gen += 1;
        s.heartbeat_gen += 1;
        self.log(
            EventKind::Fault,
            vec![id],
            format!("{id} crashed; its term ({term}), vote and {} are kept on disk", entries(len as u64)),
        );
        Ok(())
    }

    /// Restarts a crashed server from what it persisted, as a follower that has
    /// to relearn what is committed.
    pub fn restart(&mut self, id: NodeId) -> Result<(), SimError> {
        if self.check_node(id)?.up {
            return Err(SimError::NodeAlreadyUp(id));
        }
        self.servers[id.index()].up = true;
        let s = &self.servers[id.index()];
        let text = format!(
            "{id} restarted as a follower in term {} with {}; it relearns the commit index from the leader",
            s.term(),
            entries(s.log().len() as u64)
        );
        self.log(EventKind::Start, vec![id], text);
        self.step_node(id, |node, out| node.start(out));
        Ok(())
    }

    /// Cuts server `id` off from everyone (servers and client); messages in flight to or from it are lost.
    pub fn disconnect(&mut self, id: NodeId) -> Result<(), SimError> {
        if self.check_node(id)?.disconnected {
            return Err(SimError::AlreadyDisconnected(id));
        }
        self.servers[id.index()].disconnected = true;
        self.cut_in_flight();
        self.log(EventKind::Network, vec![id], format!("network: {id} disconnected from everyone"));
        Ok(())
    }

    /// Undoes [`Cluster::disconnect`].
    pub fn reconnect(&mut self, id: NodeId) -> Result<(), SimError> {
        if !self.check_node(id)?.disconnected {
            return Err(SimError::NotDisconnected(id));
        }
        self.servers[id.index()].disconnected = false;
        self.log(EventKind::Network, vec![id], format!("network: {id} reconnected"));
        Ok(())
    }

    /// Makes server `id`'s election timer run out now (a leader gives up its
    /// leadership and runs for the next term).
    pub fn timeout_now(&mut self, id: NodeId) -> Result<(), SimError> {
        self.check_up(id)?;
        self.log(EventKind::Election, vec![id], format!("you forced {id}'s election timeout"));
        self.step_node(id, |node, out| node.election_timeout(out));
        Ok(())
    }

    /// Manual failover: the leader stops taking writes, brings `to` up to date
    /// and then tells it to start an election at once (TimeoutNow).
    pub fn transfer_leadership(&mut self, to: NodeId) -> Result<(), SimError> {
        self.check_up(to)?;
        let leader = self.leader().ok_or(SimError::NoLeader)?;
        self.step_node(leader, |node, out| node.transfer_leadership(to, out)).map_err(|e| match e {
            TransferError::NotLeader => SimError::NotLeader { node: leader, leader: None },
            TransferError::ToSelf => SimError::AlreadyLeader(to),
            TransferError::UnknownTarget => SimError::UnknownNode(to.0 as u64),
        })
    }

    /// Splits the network: servers in different groups cannot reach each other.
    /// Servers that no group names form one more group together. The client
    /// still reaches every server. Messages in flight across the cut are lost.
    pub fn partition(&mut self, groups: &[Vec<NodeId>]) -> Result<(), SimError> {
        let mut group = vec![0u32; self.servers.len()];
        let mut seen = vec![false; self.servers.len()];
        for (g, members) in groups.iter().enumerate() {
            for &n in members {
                self.check_node(n)?;
                if std::mem::replace(&mut seen[n.index()], true) {
                    return Err(SimError::NodeInTwoGroups(n));
                }
                group[n.index()] = g as u32 + 1;
            }
        }
        for (s, g) in self.servers.iter_mut().zip(group) {
            s.group = g;
        }
        self.cut_in_flight();
        let text = if self.servers.iter().all(|s| s.group == 0) {
            "network: no partition; every server is in one group".to_string()
        } else {
            format!("network: partitioned into {}", self.describe_groups())
        };
        self.log(EventKind::Network, vec![], text);
        Ok(())
    }

    /// The partition groups as "{S1, S2} | {S3, S4, S5}".
    pub fn describe_groups(&self) -> String {
        let mut by: BTreeMap<u32, Vec<NodeId>> = BTreeMap::new();
        for s in &self.servers {
            by.entry(s.group).or_default().push(s.id());
        }
        by.values().map(|g| format!("{{{}}}", list(g))).collect::<Vec<_>>().join(" | ")
    }

    /// Heals the network: no partition, nobody disconnected.
    pub fn heal(&mut self) {
        for s in &mut self.servers {
            s.group = 0;
            s.disconnected = false;
        }
        self.log(EventKind::Network, vec![], "network: healed; every server reaches every other".to_string());
    }

    /// Changes the range each message's delay is drawn from (new messages only).
    pub fn set_latency_ms(&mut self, lo: u64, hi: u64) -> Result<(), SimError> {
        config::check_range("latency", (lo, hi), false)?;
        self.cfg.latency_ms = (lo, hi);
        self.log(EventKind::Settings, vec![], format!("network: message delay now {lo} to {hi} ms"));
        Ok(())
    }

    /// Changes the probability that the network loses a message (new messages only).
    pub fn set_drop_rate(&mut self, p: f64) -> Result<(), SimError> {
        config::check_rate("drop rate", p)?;
        self.cfg.drop_rate = p;
        self.log(EventKind::Settings, vec![], format!("network: now loses {:.0}% of messages", p * 100.0));
        Ok(())
    }

    /// Changes the election timeout range (timers started from now on).
    pub fn set_election_timeout_ms(&mut self, lo: u64, hi: u64) -> Result<(), SimError> {
        config::check_range("election timeout", (lo, hi), true)?;
        self.cfg.election_timeout_ms = (lo, hi);
        self.log(EventKind::Settings, vec![], format!("settings: election timeouts now {lo} to {hi} ms"));
        Ok(())
    }

    /// Changes the heartbeat interval (timers started from now on).
    pub fn set_heartbeat_ms(&mut self, ms: u64) -> Result<(), SimError> {
        config::check_duration("heartbeat interval", ms)?;
        self.cfg.heartbeat_ms = ms;
        self.log(EventKind::Settings, vec![], format!("settings: heartbeat every {ms} ms"));
        Ok(())
    }

    /// Loses one message in flight, where it is now.
    pub fn drop_message(&mut self, id: u64) -> Result<(), SimError> {
        let m = self.in_flight.remove(&id).ok_or(SimError::UnknownMessage(id))?;
        let text = format!("you dropped message #{id} {} → {}: {}", m.from, m.to, m.payload.summary());
        self.lose(m, LossCause::Dropped);
        self.log(EventKind::Tamper, vec![], text);
        Ok(())
    }

    /// Sends a second copy of a message in flight, from its sender now, with a
    /// fresh delay. Returns the copy's id.
    pub fn duplicate_message(&mut self, id: u64) -> Result<u64, SimError> {
        let m = self.in_flight.get(&id).ok_or(SimError::UnknownMessage(id))?;
        let (from, to, payload) = (m.from, m.to, m.payload.clone());
        let text = format!("you duplicated message #{id} {from} → {to}: {}", payload.summary());
        let copy = self.send(from, to, payload);
        if let Some(c) = self.in_flight.get_mut(&copy) {
            c.duplicate = true;
        }
        self.log(EventKind::Tamper, vec![], text);
        Ok(copy)
    }
}
