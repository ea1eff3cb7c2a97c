//! The event trace: what happened, in order, each event both as data
//! ([`EventData`], for timelines, lessons, tests and the embedding API) and as
//! a sentence a learner can read (made from that data in `narrate.rs`).

use super::chunks::{Chunked, Kin};
use super::{Addr, Command, Entry, Links, NodeId, Payload, Property, Role, SwitchValue};
use crate::raft::{ElectionReason, ReadHow, RefuseReason, RejectReason};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::fmt::Write;

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
    /// Timing settings, the drop rate, the links' ordering or an option changed while running.
    Settings,
    /// Leadership transfer.
    Transfer,
    /// A safety property broke.
    Violation,
}

/// One line of the trace: when, and what happened. Match on `what`, not on
/// the words; [`Event::text`] tells it in a sentence. In JSON the data sits
/// beside the time: `{"time":1200,"type":"crashed","node":1,"term":2,"log_len":3}`.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Event {
    /// Virtual time (ms).
    pub time: u64,
    /// What happened, as data.
    #[serde(flatten)]
    pub what: EventData,
}

impl Event {
    /// What sort of event (the page picks an icon and colour by it).
    pub fn kind(&self) -> EventKind {
        self.what.kind()
    }
    /// The servers it concerns, the acting one first.
    pub fn nodes(&self) -> Vec<NodeId> {
        self.what.nodes()
    }
    /// The sentence, e.g. "S3 became leader of term 4 with votes from S1, S3, S5".
    pub fn text(&self) -> String {
        self.what.to_string()
    }
}

/// What happened, as data. `node` is always the server that acted or to
/// which it happened; terms and indexes are Raft's. In JSON, one object
/// tagged by `type`: `{"type":"leader_elected","node":3,"term":4,"votes":[1,3,5]}`.
///
/// Role and term changes of a server: `ElectionStarted` (candidate, new term),
/// `LeaderElected`, `SteppedDown` (follower), `Crashed`, `Restarted`
/// (follower), and `TermAdopted` (a follower that learns a higher term from
/// a message: its term changes, not its role).
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[allow(missing_docs)] // the fields are named for what they hold; each variant says what it reports
pub enum EventData {
    // ----- servers ------------------------------------------------------------------
    /// The cluster started: `servers` followers in term 0.
    Started { servers: usize },
    /// `node` crashed; its `term`, vote and `log_len` entries are kept on disk
    /// (not the vote when `vote_forgotten`: `unsafe_forget_vote_on_restart`).
    Crashed {
        node: NodeId,
        term: u64,
        log_len: u64,
        #[serde(default, skip_serializing_if = "is_false")]
        vote_forgotten: bool,
    },
    /// `node` restarted as a follower in `term` with `log_len` entries.
    Restarted { node: NodeId, term: u64, log_len: u64 },

    // ----- elections ----------------------------------------------------------------
    /// Someone forced `node`'s election timeout (an `ElectionStarted` follows).
    TimeoutForced { node: NodeId },
    /// `node` became a candidate for `term`; `was` is what it was before (a
    /// candidate whose election failed starts another).
    ElectionStarted { node: NodeId, term: u64, reason: ElectionReason, was: Role },
    /// `node` voted for `candidate` in `term`. The log check's two sides: the
    /// candidate's last entry (`candidate_last_index`, `candidate_last_term`,
    /// from its request) and the voter's (`own_last_index`, `own_last_term`).
    Voted {
        node: NodeId,
        candidate: NodeId,
        term: u64,
        candidate_last_index: u64,
        candidate_last_term: u64,
        own_last_index: u64,
        own_last_term: u64,
    },
    /// `node` refused its vote to `candidate` for `term`. `own_term` and its
    /// last entry (`own_last_index`, `own_last_term`) are the voter's, the
    /// candidate's last entry (`candidate_last_index`, `candidate_last_term`)
    /// is from its request, for the why.
    VoteRefused {
        node: NodeId,
        candidate: NodeId,
        term: u64,
        reason: RefuseReason,
        own_term: u64,
        candidate_last_index: u64,
        candidate_last_term: u64,
        own_last_index: u64,
        own_last_term: u64,
    },
    /// Pre-vote: `node`'s election timer ran out; before raising its term it
    /// asks whether the others would vote for it in `term` (its own plus one).
    PreVoteStarted { node: NodeId, term: u64 },
    /// Pre-vote: `node` would vote for `candidate` in `term` (it keeps its own
    /// term and vote); the log check's two sides as in `Voted`.
    PreVoteGranted {
        node: NodeId,
        candidate: NodeId,
        term: u64,
        candidate_last_index: u64,
        candidate_last_term: u64,
        own_last_index: u64,
        own_last_term: u64,
    },
    /// Pre-vote: `node` would not vote for `candidate` in `term`. `own_term`
    /// and its last entry are the voter's, the candidate's last entry from
    /// its request, for the why.
    PreVoteRefused {
        node: NodeId,
        candidate: NodeId,
        term: u64,
        reason: RefuseReason,
        own_term: u64,
        candidate_last_index: u64,
        candidate_last_term: u64,
        own_last_index: u64,
        own_last_term: u64,
    },
    /// `node` won the election of `term` with the `votes` of these servers (itself included).
    LeaderElected { node: NodeId, term: u64, votes: Vec<NodeId> },
    /// Check-quorum: the leader `node` of `term` heard within an election
    /// timeout only from `heard` (itself included), not a majority of
    /// `servers`: it steps down (a `SteppedDown` follows).
    LostQuorum { node: NodeId, term: u64, heard: Vec<NodeId>, servers: usize },
    /// `node` went from `was` (leader or candidate) back to follower in
    /// `term`, because of a message from `because_of` if one made it.
    SteppedDown { node: NodeId, was: Role, term: u64, because_of: Option<NodeId> },
    /// The follower `node` took the newer `term` of a message from `from` and
    /// stays a follower (a leader or candidate steps down instead: `SteppedDown`).
    TermAdopted { node: NodeId, term: u64, from: Option<NodeId> },

    // ----- replication --------------------------------------------------------------
    /// The leader `node` appended `command` at `index` in `term`.
    Appended { node: NodeId, index: u64, term: u64, command: Command },
    /// The leader `node` committed indexes `from..=to` (the `entries`), stored
    /// on the `replicas` (a majority, itself included).
    Committed { node: NodeId, from: u64, to: u64, entries: Vec<Entry>, replicas: Vec<NodeId> },
    /// The follower `node` removed `count` entries from index `from`: they
    /// conflicted with `leader`'s log.
    Truncated { node: NodeId, from: u64, count: u64, leader: NodeId },
    /// The follower `node` rejected an AppendEntries from `leader`, of
    /// `term`, whose previous entry was `prev_log_index` of `prev_log_term`
    /// (the leader's side of the check); `own_term` is the follower's term,
    /// `reason` holds its own term of that entry if it has one.
    AppendRejected {
        node: NodeId,
        leader: NodeId,
        term: u64,
        prev_log_index: u64,
        prev_log_term: u64,
        reason: RejectReason,
        own_term: u64,
    },
    /// The leader `node` moved `follower`'s nextIndex back to `next_index` and retries at once.
    BackedUp { node: NodeId, follower: NodeId, next_index: u64 },

    // ----- leadership transfer ------------------------------------------------------
    /// The leader `node` began handing leadership to `to`: it stops taking writes.
    TransferStarted { node: NodeId, to: NodeId },
    /// `to`'s log is up to date: the leader `node` sends it TimeoutNow.
    TimeoutNowSent { node: NodeId, to: NodeId },
    /// The leader `node` gave up handing leadership to `to` and takes writes again.
    TransferAborted { node: NodeId, to: NodeId },

    // ----- the network --------------------------------------------------------------
    /// `node` was cut off from everyone.
    Disconnected { node: NodeId },
    /// `node` was plugged back in.
    Reconnected { node: NodeId },
    /// The network was split into `groups` (every server in one of them);
    /// empty when the call left no partition in place.
    Partitioned { groups: Vec<Vec<NodeId>> },
    /// No partition, nobody disconnected.
    Healed,
    /// Someone dropped message `id` in flight.
    MessageDropped { id: u64, from: Addr, to: Addr, payload: Box<Payload> },
    /// Someone duplicated message `id`; the copy is message `copy`.
    MessageDuplicated { id: u64, copy: u64, from: Addr, to: Addr, payload: Box<Payload> },
    /// A timing setting, the drop rate or the links' ordering changed. Its fields sit beside the others in JSON:
    /// `{"type":"setting_changed","setting":"latency","lo":5,"hi":60}`.
    SettingChanged {
        #[serde(flatten)]
        setting: Setting,
    },
    /// The nodes' option `name` (a name of `SWITCHES`) was set to `value`.
    OptionChanged { name: String, value: SwitchValue },

    // ----- the client ---------------------------------------------------------------
    /// The client invoked write `op`, first sent to `to`.
    ClientWrite { op: u64, command: Command, to: NodeId },
    /// The client invoked the read `op` of `key`, first sent to `to`.
    ClientRead { op: u64, key: String, to: NodeId },
    /// `from` is not the leader and pointed to `to`: write (or, when `read`, read) `op` goes there.
    ClientRedirected {
        op: u64,
        from: NodeId,
        to: NodeId,
        #[serde(default, skip_serializing_if = "is_false")]
        read: bool,
    },
    /// `from` knows no leader: write (or read) `op` waits `wait_ms` and tries the next server.
    ClientNoLeader {
        op: u64,
        from: NodeId,
        wait_ms: u64,
        #[serde(default, skip_serializing_if = "is_false")]
        read: bool,
    },
    /// `from` is handing leadership over: write (or read) `op` waits `wait_ms` and tries it again.
    ClientBusy {
        op: u64,
        from: NodeId,
        wait_ms: u64,
        #[serde(default, skip_serializing_if = "is_false")]
        read: bool,
    },
    /// No answer for write (or read) `op` from `from` (the server tried, if
    /// any) after `after_ms`: it tries `next`.
    ClientTimedOut {
        op: u64,
        from: Option<NodeId>,
        after_ms: u64,
        next: NodeId,
        #[serde(default, skip_serializing_if = "is_false")]
        read: bool,
    },
    /// `by` acknowledged write `op`: committed at `index` in `term`, `took_ms` after it was invoked.
    ClientAcked { op: u64, command: Command, by: NodeId, index: u64, term: u64, took_ms: u64 },
    /// The client gave write `op` up, unacknowledged `after_ms` after it was
    /// invoked (it may still commit).
    ClientGaveUp { op: u64, command: Command, after_ms: u64 },
    /// `by` answered the read `op` of `key`: `value` (`None`: never written),
    /// everything up to `index` applied, `took_ms` after it was invoked.
    ClientReadDone { op: u64, key: String, value: Option<i64>, by: NodeId, index: u64, took_ms: u64 },
    /// The client gave the read `op` of `key` up, unanswered `after_ms` after it was invoked.
    ClientReadGaveUp { op: u64, key: String, after_ms: u64 },
    /// The leader `node` took the read `op` of `key`; `read_index` is its
    /// commit index, or `None` while no entry of its term is committed.
    ReadStarted { node: NodeId, op: u64, key: String, read_index: Option<u64> },
    /// `node` answered the read `op` of `key` with `value`, everything up to
    /// `index` applied, as `how` says.
    ReadAnswered { node: NodeId, op: u64, key: String, value: Option<i64>, index: u64, how: ReadHow },
    /// The leader `node` applied entry `index` (`command`, write `seq` of
    /// client `client`) as nothing: it was already applied, at `first` if
    /// that is still remembered (exactly-once).
    Duplicate { node: NodeId, index: u64, command: Command, client: u64, seq: u64, first: Option<u64> },

    // ----- safety -------------------------------------------------------------------
    /// The safety monitor saw `property` break (the servers, index and term
    /// involved, and a sentence that explains it).
    Violation { property: Property, nodes: Vec<NodeId>, index: Option<u64>, term: Option<u64>, explanation: String },

    // ----- membership ---------------------------------------------------------------
    /// Something about the membership of server `node` or decided by it (`sim/membership.rs`).
    #[cfg(feature = "membership")]
    Member { node: NodeId, event: super::MemberEvent },

    // ----- compaction ---------------------------------------------------------------
    /// Server `node` took or installed a snapshot (`sim/compaction.rs`).
    #[cfg(feature = "compaction")]
    Compaction { node: NodeId, event: crate::raft::CompactionNote },
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One of the cluster's timing settings, its drop rate or its links' ordering, changed while running
/// ([`EventData::SettingChanged`]). (The nodes' behaviour switches are [`crate::raft::Settings`].)
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(tag = "setting", rename_all = "snake_case")]
#[allow(missing_docs)] // the fields are named for what they hold
pub enum Setting {
    /// Each new message's delay is drawn from `lo..=hi` ms.
    Latency { lo: u64, hi: u64 },
    /// Each new message is lost with probability `rate`.
    DropRate { rate: f64 },
    /// New messages are delivered in order on each link, or each after its own delay.
    Links { links: Links },
    /// Each new election timeout is drawn from `lo..=hi` ms.
    ElectionTimeout { lo: u64, hi: u64 },
    /// The leader sends heartbeats every `ms` ms.
    Heartbeat { ms: u64 },
}

/// The trace and its hash. Only the data is kept; the hash folds in each
/// event's time, kind, servers and sentence, as it always has, so a change of
/// wording changes the hash. It is folded in when asked for, not as each
/// event comes: telling an event in a sentence costs more than the rest of
/// recording it, and nothing reads the hash between two calls of
/// [`Trace::hash`] (once per run in most uses, at each checkpoint in time travel).
///
/// In a timeline (`src/timeline.rs`) the trace also keeps the events of the
/// current branch after the moment shown (its known future): they are not
/// part of the trace ([`Trace::events`] ends at `len`), and when the run
/// goes on it makes them again, one by one, which then only moves `len` on
/// (the same events: one run; debug builds check). A timeline's checkpoints
/// thus keep the trace's length and hash instead of a copy of its events.
pub struct Trace {
    /// The events (the first `len`), then the known future.
    events: Vec<Event>,
    len: usize,
    /// The hash of the first `.1` events (`.0`), brought up to date by [`Trace::hash`].
    hashed: Cell<(u64, usize)>,
    /// How many of the first `len` events cut a log (see [`cuts_a_log`]):
    /// two moments of one run with as many have none between them.
    cuts: usize,
}

/// True for an event after which a log may no longer begin with what it
/// held: a truncation, or (with log compaction) a snapshot taken or installed.
pub(super) fn cuts_a_log(what: &EventData) -> bool {
    match what {
        EventData::Truncated { .. } => true,
        #[cfg(feature = "compaction")]
        EventData::Compaction { .. } => true,
        _ => false,
    }
}

/// A copy of the events so far (not of the known future) and of the hash.
impl Clone for Trace {
    fn clone(&self) -> Self {
        Trace { events: self.events().to_vec(), len: self.len, hashed: self.hashed.clone(), cuts: self.cuts }
    }
}

pub(super) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

pub(super) fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// Folds what is written to it into an FNV-1a hash: a sentence hashed as it
/// is told, without writing it down.
struct Fnv(u64);

impl Write for Fnv {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0 = fnv(self.0, s.as_bytes());
        Ok(())
    }
}

/// `h` with one event's time, kind, servers and sentence folded in.
fn fold(h: u64, e: &Event) -> u64 {
    let mut h = fnv(h, &e.time.to_le_bytes());
    h = fnv(h, &[e.what.kind() as u8]);
    for n in e.what.nodes() {
        h = fnv(h, &[n.0]);
    }
    let mut w = Fnv(h);
    // Writing to a hash cannot fail.
    let _ = write!(w, "{}", e.what);
    fnv(w.0, &[0xff])
}

impl Default for Trace {
    fn default() -> Self {
        Trace::new()
    }
}

/// The events and the hash (whether or not it was folded in yet: two traces
/// that print alike are alike).
impl std::fmt::Debug for Trace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Trace").field("events", &self.events()).field("hash", &self.hash()).finish()
    }
}

impl Trace {
    /// An empty trace.
    pub fn new() -> Trace {
        Trace { events: Vec::new(), len: 0, hashed: Cell::new((FNV_OFFSET, 0)), cuts: 0 }
    }

    /// Appends an event (its hash is folded in later, by [`Trace::hash`]).
    /// When the known future holds it already, it only moves on.
    pub fn push(&mut self, time: u64, what: EventData) {
        self.cuts += cuts_a_log(&what) as usize;
        let e = Event { time, what };
        if self.len < self.events.len() {
            debug_assert!(self.events[self.len] == e, "not the run its known future is of");
        } else {
            self.events.push(e);
        }
        self.len += 1;
    }

    /// How many events so far cut a log (a truncation, a log compaction).
    pub(super) fn cuts(&self) -> usize {
        self.cuts
    }

    /// Every event so far, oldest first.
    pub fn events(&self) -> &[Event] {
        &self.events[..self.len]
    }

    /// A stable 64-bit FNV-1a hash of the whole trace (times, kinds, servers, words).
    pub fn hash(&self) -> u64 {
        let (h, n) = self.hashed.get();
        let h = self.events[n..self.len].iter().fold(h, fold);
        self.hashed.set((h, self.len));
        h
    }

    /// The events so far and then the known future (see [`Trace`]).
    pub(super) fn known(&self) -> &[Event] {
        &self.events
    }

    /// Moves the known events from position `at` on out (the trace ends
    /// there at the latest).
    pub(super) fn split_off(&mut self, at: usize) -> Vec<Event> {
        let out = self.events.split_off(at.min(self.events.len()));
        if self.len > self.events.len() {
            self.len = self.events.len();
            self.hashed.set((FNV_OFFSET, 0));
            // Counted again rather than less those moved out: fewer bytes in
            // the page (split_off runs only when a branch changes).
            self.cuts = self.events.iter().filter(|e| cuts_a_log(&e.what)).count();
        }
        out
    }

    /// Moves `more` in after the known events, as known future.
    pub(super) fn append(&mut self, more: &mut Vec<Event>) {
        self.events.append(more);
    }
}

/// The trace as a snapshot keeps it (`snapshot.rs`): its length and hash,
/// and, in a snapshot of its own (not a timeline's checkpoint, whose
/// timeline keeps the events), the events in chunks shared with the
/// snapshot before.
#[derive(Clone, Debug, Default)]
pub(super) struct TraceSnapshot {
    pub(super) events: Option<Chunked<Event>>,
    pub(super) len: usize,
    pub(super) hash: u64,
    /// The trace's `cuts` then.
    pub(super) cuts: usize,
}

impl Trace {
    /// The trace now, sharing the events' chunks that `prev` already holds
    /// when `grown` (`prev` is an earlier moment of this run, so its events
    /// are this trace's first ones and need no comparing); otherwise none.
    pub(super) fn snapshot(&self, prev: Option<&TraceSnapshot>, grown: bool) -> TraceSnapshot {
        let events = match prev.and_then(|p| p.events.as_ref()) {
            Some(p) if grown => Chunked::of_grown(self.events(), Some(p)),
            _ => Chunked::of_grown(self.events(), None),
        };
        TraceSnapshot { events: Some(events), len: self.len, hash: self.hash(), cuts: self.cuts }
    }

    /// The trace's length and hash now, for a timeline's checkpoint.
    pub(super) fn mark(&self) -> TraceSnapshot {
        TraceSnapshot { events: None, len: self.len, hash: self.hash(), cuts: self.cuts }
    }

    /// Makes this trace that of `s` (a snapshot of its own), keeping the
    /// events the two have in common (`same_run`: both are moments of one
    /// run, so the shorter is the longer's prefix and needs no comparing).
    pub(super) fn restore(&mut self, s: &TraceSnapshot, same_run: bool) {
        let Some(chunks) = &s.events else { return self.restore_mark(s) };
        self.events.truncate(self.len);
        chunks.restore(&mut self.events, if same_run { Kin::Grown } else { Kin::Unknown });
        self.len = self.events.len();
        self.hashed.set((s.hash, self.len));
        self.cuts = s.cuts;
    }

    /// Moves this trace to the moment of `s`, a checkpoint of the run whose
    /// events it knows (those up to that moment at least).
    pub(super) fn restore_mark(&mut self, s: &TraceSnapshot) {
        debug_assert!(s.len <= self.events.len(), "the trace does not know that moment");
        self.len = s.len.min(self.events.len());
        self.hashed.set((s.hash, self.len));
        self.cuts = s.cuts;
    }
}
