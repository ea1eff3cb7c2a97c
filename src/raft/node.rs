//! One Raft node, sans-IO.
//!
//! A [`Node`] is driven by calls: [`Node::receive`] for a message; one call
//! per timer the node asked for when it runs out ([`Node::election_timeout`],
//! [`Node::heartbeat_timeout`], and with the options that need them
//! [`Node::leader_contact_timeout`], [`Node::check_quorum_timeout`],
//! [`Node::lease_timeout`]); [`Node::client_request`] / [`Node::propose`] for
//! a command, [`Node::client_read`] for a read, [`Node::transfer_leadership`]
//! for a manual failover. Each call appends what the node wants done to an
//! output buffer ([`Output`]): messages to send, timers to (re)start or stop,
//! replies to the client, and [`Note`]s that say what happened, for the trace.
//! The node never reads a clock, touches a network or draws a random number:
//! whoever runs it times its timers (the length of each election timeout is
//! drawn by the runner too).
//!
//! Here: the node's state, elections (with pre-vote and check-quorum),
//! replication and commitment. `node/read.rs`: client reads (ReadIndex, the
//! lease, and the break-Raft local reads). `node/state_machine.rs`: applying
//! committed entries, with exactly-once client writes.

#[cfg(feature = "compaction")]
mod compaction;
#[cfg(feature = "membership")]
mod membership;
mod read;
mod state_machine;
#[cfg(feature = "compaction")]
pub use state_machine::state_digest;

use super::settings::{ReadMode, Settings};
use super::types::{Body, Command, Entry, Message, NodeId, Role, WriteId};
use crate::sorted_map::{IdMap, SortedMap};
use read::PendingRead;
use serde::{Deserialize, Serialize};
use state_machine::Session;

/// The `quorum`-th largest of `values` (sorting them, largest first): the
/// highest index, or heartbeat round, that a majority has reached. An
/// insertion sort: there is one value per server, and the standard sort
/// weighs some kilobytes in the page.
fn quorum_largest(values: &mut [u64], quorum: usize) -> u64 {
    for i in 1..values.len() {
        let mut j = i;
        while j > 0 && values[j - 1] < values[j] {
            values.swap(j - 1, j);
            j -= 1;
        }
    }
    values.get(quorum.max(1) - 1).copied().unwrap_or(0)
}

/// The state that survives a crash: current term, vote and log, and with
/// the features that need them the snapshot and two facts of membership.
/// A runner that crashes a node keeps exactly this ([`Node::persistent`])
/// and restarts it from it ([`Node::recover`]): nothing else survives.
/// The fields of the features read as their defaults when missing, so that
/// a state serialized without a feature deserializes with it.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Persistent {
    /// The latest term the node has seen.
    pub term: u64,
    /// Whom it voted for in that term.
    pub voted_for: Option<NodeId>,
    /// Its log: the entries after the snapshot, if there is one.
    pub log: Vec<Entry>,
    /// The snapshot in place of the log's prefix (log compaction; index 0:
    /// none). A restart rebuilds the state machine from it.
    #[cfg(feature = "compaction")]
    #[serde(default)]
    pub snapshot: super::compaction::Snapshot,
    /// The runner said the cluster's membership changes
    /// ([`Node::open_membership`]).
    #[cfg(feature = "membership")]
    #[serde(default)]
    pub membership_open: bool,
    /// It knew that its removal was committed: it never stands again.
    #[cfg(feature = "membership")]
    #[serde(default)]
    pub retired: bool,
}

/// A client operation's tag, echoed in the reply: the simulated client's
/// operation id and attempt number.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct ClientTag {
    /// The simulated client's operation id.
    pub op: u64,
    /// Which attempt of it this request was.
    pub attempt: u32,
}

/// A node's answer to a client request.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub enum ClientReply {
    /// The command was committed and applied at `index`, in `term`. (A
    /// retry of a write already applied is answered with the first
    /// application's index and term: exactly-once.)
    Committed {
        /// Where it landed.
        index: u64,
        /// The term of that entry.
        term: u64,
    },
    /// The answer to a read: the key's `value` (`None`: never written), read
    /// from the state machine with everything up to `index` applied, by a
    /// server in `term`.
    Read {
        /// The value read.
        value: Option<i64>,
        /// The read index: everything committed up to here was applied.
        index: u64,
        /// The answering server's term.
        term: u64,
    },
    /// This node does not lead (or stopped leading before the entry committed);
    /// `leader` is whom it believes leads, if anyone.
    NotLeader {
        /// The leader hint.
        leader: Option<NodeId>,
    },
    /// The leader is handing leadership over and takes no writes meanwhile.
    Busy,
}

/// Why an election started.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum ElectionReason {
    /// The election timer ran out: no heartbeat came in time.
    Timeout,
    /// The leader told this node to start an election (leadership transfer).
    TimeoutNow,
    /// A majority said in a pre-vote that they would vote for this node.
    PreVote,
}

/// How a leader (or, breaking Raft, any server) answered a read.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum ReadHow {
    /// ReadIndex: the servers in `confirmed_by` (a majority, the leader
    /// included) answered a heartbeat round begun after the read arrived, and
    /// the leader applied up to the read index.
    ReadIndex {
        /// Who confirmed the leadership.
        confirmed_by: Vec<NodeId>,
    },
    /// The leader's lease held: a majority answered a recent heartbeat round.
    Lease,
    /// BREAKS RAFT (`unsafe_stale_reads`): from the server's own state machine, unchecked.
    Local,
}

/// Why a vote was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum RefuseReason {
    /// The request's term is older than the voter's.
    StaleTerm,
    /// The voter already voted for someone else in this term.
    AlreadyVoted(NodeId),
    /// The candidate's log is less up to date than the voter's (last term, then last index).
    LogBehind,
    /// The voter heard from this leader (or is this leader) less than the
    /// shortest election timeout ago: pre-vote's check, and check-quorum's
    /// guard (the voter then does not even take the newer term).
    LeaderAlive(NodeId),
    /// In the lease read mode, the voter restarted less than the shortest
    /// election timeout ago: before its crash it may have answered a
    /// heartbeat round whose lease still holds, and it cannot remember
    /// whose, so it keeps the guard's silence until then.
    JustRestarted,
    /// The voter's log holds an entry that removes the candidate (committed
    /// or not): a removed server gets no vote (`node/membership.rs`).
    #[cfg(feature = "membership")]
    Removed,
}

/// Why a follower rejected an AppendEntries.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum RejectReason {
    /// The request's term is older than the follower's.
    StaleTerm,
    /// The follower has no entry at `prev_log_index`: appending would leave a hole.
    Missing,
    /// The follower's entry at `prev_log_index` has another term.
    TermMismatch(u64),
}

/// The two sides of a vote's log check (RequestVote's and PreVote's "is
/// the candidate's log at least as up to date as mine?"): the candidate's
/// last entry, from its request, and the voter's own, when it answered.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[allow(missing_docs)] // the fields are named for what they hold
pub struct LogCheck {
    pub candidate_last_index: u64,
    pub candidate_last_term: u64,
    pub own_last_index: u64,
    pub own_last_term: u64,
}

/// Something that happened inside a node, reported for the trace (the
/// simulator turns each into an event). Terms and indexes are Raft's.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[allow(missing_docs)] // the fields are named for what they hold; each variant says what it reports
pub enum Note {
    /// The node became a candidate for `term` and asked for votes, because of
    /// `reason`; `was` is what it was before (a candidate whose election
    /// failed starts another).
    StartedElection { term: u64, reason: ElectionReason, was: Role },
    /// The node granted its vote to `candidate` in `term`; `check` the two logs it compared.
    Voted { candidate: NodeId, term: u64, check: LogCheck },
    /// The node refused its vote to `candidate`, whose request was of `term`,
    /// because of `reason`; `check` the two logs (compared or not).
    RefusedVote { candidate: NodeId, term: u64, reason: RefuseReason, check: LogCheck },
    /// The node won the election of `term` with the `votes` of these servers (itself included).
    BecameLeader { term: u64, votes: Vec<NodeId> },
    /// A leader or candidate (`was`) went back to being a follower in `term`,
    /// because of a message from `because_of` if one made it.
    SteppedDown { was: Role, term: u64, because_of: Option<NodeId> },
    /// A follower took the newer `term` of a message from `from` and stays a
    /// follower (a leader or candidate reports `SteppedDown` instead).
    TermAdopted { term: u64, from: Option<NodeId> },
    /// The leader appended `command` to its log at `index`, in `term`.
    Appended { index: u64, term: u64, command: Command },
    /// The leader advanced its commit index over `from..=to`; `replicas` are
    /// the servers storing entry `to` (a majority, the leader included).
    Committed { from: u64, to: u64, replicas: Vec<NodeId> },
    /// A follower removed `count` entries from index `from`: they conflicted
    /// with the entries of `leader`.
    Truncated { from: u64, count: u64, leader: NodeId },
    /// A follower rejected an AppendEntries from `leader`, of `term`, whose
    /// previous entry was `prev_log_index` of `prev_log_term`, because of
    /// `reason` (which holds the follower's own term of that entry, if any).
    RejectedAppend { leader: NodeId, term: u64, prev_log_index: u64, prev_log_term: u64, reason: RejectReason },
    /// The leader moved `follower`'s nextIndex back to `next_index` after a
    /// rejection and retries at once.
    BackedUp { follower: NodeId, next_index: u64 },
    /// The leader began handing leadership to `to`.
    TransferStarted { to: NodeId },
    /// The leader sent TimeoutNow to `to`, whose log is up to date.
    TransferTimeoutNow { to: NodeId },
    /// The leader gave up handing leadership to `to` and takes writes again.
    TransferAborted { to: NodeId },
    /// Pre-vote: the node's election timer ran out; it asks whether the
    /// others would vote for it in `term` (its own plus one) before raising its term.
    PreVoteStarted { term: u64 },
    /// Pre-vote: the node would vote for `candidate` in `term` (it keeps its
    /// own term and vote); `check` the two logs it compared.
    PreVoted { candidate: NodeId, term: u64, check: LogCheck },
    /// Pre-vote: the node would not vote for `candidate` in `term`, because
    /// of `reason`; `check` the two logs (compared or not).
    RefusedPreVote { candidate: NodeId, term: u64, reason: RefuseReason, check: LogCheck },
    /// Check-quorum: the leader of `term` heard only from `heard` (itself
    /// included, not a majority) within an election timeout; it steps down.
    LostQuorum { term: u64, heard: Vec<NodeId> },
    /// The leader applied entry `index` (`command`, the client's write `seq`)
    /// as nothing: the write was already applied, at `first` if that is still
    /// remembered (exactly-once).
    Duplicate { index: u64, command: Command, client: u64, seq: u64, first: Option<u64> },
    /// The leader took the client's read `op` of `key`; `read_index` is its
    /// commit index, or `None` while no entry of its term is committed yet.
    ReadStarted { op: u64, key: String, read_index: Option<u64> },
    /// The node answered the client's read `op` of `key` with `value`,
    /// everything up to `index` applied, as `how` says.
    ReadAnswered { op: u64, key: String, value: Option<i64>, index: u64, how: ReadHow },
    /// Something about the node's configuration (membership changes).
    #[cfg(feature = "membership")]
    Member(super::membership::MemberNote),
    /// Something about the node's snapshot (log compaction).
    #[cfg(feature = "compaction")]
    Compaction(super::compaction::CompactionNote),
}

/// What a node asks its runner to do.
#[derive(Clone, PartialEq, Debug)]
pub enum Output {
    /// Send this message.
    Send(Message),
    /// (Re)start the election timer with a freshly drawn random timeout.
    ResetElectionTimer,
    /// Stop the election timer (the node became leader).
    StopElectionTimer,
    /// (Re)start the heartbeat timer (the node leads).
    ResetHeartbeatTimer,
    /// Stop the heartbeat timer (the node no longer leads).
    StopHeartbeatTimer,
    /// (Re)start the leader-contact timer: the shortest election timeout,
    /// started when the node hears from its leader; [`Node::leader_contact_timeout`]
    /// when it runs out. Asked for only with pre-vote, check-quorum or the lease.
    ResetLeaderContactTimer,
    /// (Re)start the check-quorum timer of a leader: the shortest election timeout;
    /// [`Node::check_quorum_timeout`] when it runs out.
    ResetCheckQuorumTimer,
    /// Stop the check-quorum timer (the node no longer leads, or check-quorum was switched off).
    StopCheckQuorumTimer,
    /// Start the lease timer of heartbeat round `round` (the lease read mode):
    /// the shortest election timeout less a margin for clock drift, from now;
    /// [`Node::lease_timeout`] with that round when it runs out.
    #[allow(missing_docs)]
    StartLeaseTimer { round: u64 },
    /// Answer the client request tagged `tag` with `reply`.
    #[allow(missing_docs)]
    ClientReply { tag: ClientTag, reply: ClientReply },
    /// Something happened worth telling a learner.
    Note(Note),
}

/// Why a proposal was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ProposeError {
    /// This node does not lead; `leader` is whom it believes leads.
    NotLeader {
        /// The leader hint.
        leader: Option<NodeId>,
    },
    /// The leader is transferring leadership and takes no writes meanwhile.
    Transferring,
}

/// Why a leadership transfer could not start.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TransferError {
    /// Only the leader can hand over leadership.
    NotLeader,
    /// The target already leads.
    ToSelf,
    /// The target is not a member of the cluster.
    UnknownTarget,
}

/// The leader's view of one follower's replication.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Progress {
    /// The index of the next entry to send to that server.
    pub next_index: u64,
    /// The highest index known to be replicated on that server.
    pub match_index: u64,
    /// True while the leader is still finding where that server's log matches
    /// its own: it sends everything from `next_index` (at most one batch, with
    /// `Settings::max_entries_per_append`) on each heartbeat and steps back one
    /// entry per rejection. False once they matched: new
    /// entries are then sent as they come, and `next_index` moves ahead of
    /// the acknowledgements.
    pub probing: bool,
}

#[derive(Clone, Debug)]
struct Transfer {
    to: NodeId,
    heartbeats_left: u32,
    /// TimeoutNow went out; only the heartbeat repeats it (in case it was lost).
    sent: bool,
}

/// One Raft server's state machine, with no I/O of its own.
#[derive(Clone, Debug)]
pub struct Node {
    id: NodeId,
    members: Vec<NodeId>,
    settings: Settings,
    // Persistent state.
    term: u64,
    voted_for: Option<NodeId>,
    log: Vec<Entry>,
    // Volatile state.
    role: Role,
    leader: Option<NodeId>,
    commit_index: u64,
    last_applied: u64,
    kv: SortedMap<String, i64>,
    /// Exactly-once: per client, the writes applied and their first results.
    sessions: Vec<(u64, Session)>,
    votes: Vec<NodeId>,
    /// Pre-vote in progress: who would vote for this node in `term + 1` (itself included).
    prevotes: Option<Vec<NodeId>>,
    /// Heard from the leader of its term less than the shortest election
    /// timeout ago (kept only with pre-vote, check-quorum or the lease); with
    /// the lease and no leader known, restarted less than that ago.
    leader_contact: bool,
    progress: Vec<Progress>,
    /// As leader with check-quorum: which servers answered since the last check.
    heard: Vec<bool>,
    /// As leader: the heartbeat round, raised at each heartbeat and each read
    /// that needs a confirmation; never lowered, across terms.
    round: u64,
    /// The first round of the current leadership: answers to older rounds confirm nothing.
    first_round: u64,
    /// As leader: per server, the highest round it answered.
    acked_round: Vec<u64>,
    /// The lease timers of every round up to this one ran out.
    lease_expired: u64,
    /// A leadership transfer began in this term: no lease until the next leadership.
    lease_lost: bool,
    /// As leader: reads waiting for a confirmation or for their read index to be applied.
    reads: Vec<PendingRead>,
    pending: IdMap<ClientTag>,
    transfer: Option<Transfer>,
    /// The configuration beyond the voters (`members`): first voters, learners, latest entry.
    #[cfg(feature = "membership")]
    conf: membership::Conf,
    /// The snapshot in place of the log's prefix up to its index (persistent
    /// state, as the log is): the log holds the entries after it.
    #[cfg(feature = "compaction")]
    snap: super::compaction::Snapshot,
    /// Instrumentation for the safety monitor: the entries the latest
    /// compaction dropped (it checks what was applied, and a node may apply
    /// entries and compact them in one step).
    #[cfg(feature = "compaction")]
    compacted: Vec<Entry>,
    /// Instrumentation for the safety monitor: the digest of the state
    /// machine, kept up to date as entries are applied while compaction is
    /// in play (`state_machine.rs`). Never persisted or exported: it differs
    /// between native code and wasm (`usize` length prefixes in its hashes).
    #[cfg(feature = "compaction")]
    digest: u64,
    // Instrumentation for the safety monitor: the lowest log index changed
    // (appended, overwritten or removed) since the last `take_log_change`.
    log_changed_from: Option<u64>,
}

impl Node {
    /// A fresh node (term 0, empty log) of a cluster whose members are
    /// `members` (this node included). Call [`Node::start`] to get its first timer.
    pub fn new(id: NodeId, members: Vec<NodeId>, settings: Settings) -> Node {
        Node::recover(id, members, settings, Persistent::default())
    }

    /// A node restarted from what it had persisted; everything else starts afresh
    /// (follower, commit index 0, empty state machine; with a snapshot, the
    /// state machine is the snapshot's and the commit index its index). With
    /// `unsafe_forget_vote_on_restart` the vote is not among what was persisted.
    pub fn recover(id: NodeId, members: Vec<NodeId>, settings: Settings, state: Persistent) -> Node {
        let n = members.iter().map(|m| m.index() + 1).max().unwrap_or(0).max(id.index() + 1);
        let voted_for = if settings.unsafe_forget_vote_on_restart { None } else { state.voted_for };
        #[cfg(feature = "membership")]
        let conf = membership::Conf::restored(&members, state.membership_open, state.retired);
        #[allow(unused_mut)]
        let mut node = Node {
            id,
            members,
            settings,
            term: state.term,
            voted_for,
            log: state.log,
            role: Role::Follower,
            leader: None,
            commit_index: 0,
            last_applied: 0,
            kv: SortedMap::new(),
            sessions: Vec::new(),
            votes: Vec::new(),
            prevotes: None,
            leader_contact: false,
            progress: vec![Progress::default(); n],
            heard: vec![false; n],
            round: 0,
            first_round: 0,
            acked_round: vec![0; n],
            lease_expired: 0,
            lease_lost: false,
            reads: Vec::new(),
            pending: IdMap::new(),
            transfer: None,
            #[cfg(feature = "membership")]
            conf,
            #[cfg(feature = "compaction")]
            snap: state.snapshot,
            #[cfg(feature = "compaction")]
            compacted: Vec::new(),
            #[cfg(feature = "compaction")]
            digest: 0,
            log_changed_from: None,
        };
        // The state machine starts from the snapshot (an empty one without:
        // index 0), and the configuration in force is the latest in the
        // snapshot and the log.
        #[cfg(feature = "compaction")]
        node.load_snapshot();
        #[cfg(all(feature = "membership", not(feature = "compaction")))]
        node.reconfigure();
        node
    }

    /// Boots the node: it asks for its election timer.
    ///
    /// In the lease read mode, a node that had been in a term (it restarts
    /// after a crash) first keeps the voters' guard for the shortest election
    /// timeout (see [`RefuseReason::JustRestarted`]): without it, a server
    /// that answered a leader's heartbeat round could crash, come back at once
    /// and vote in a new leader while the old one still answers reads from
    /// its lease, with a stale value.
    pub fn start(&mut self, out: &mut Vec<Output>) {
        out.push(Output::ResetElectionTimer);
        if self.settings.read_mode == ReadMode::Lease && self.term > 0 {
            self.leader_contact = true;
            out.push(Output::ResetLeaderContactTimer);
        }
    }

    // ----- read access ---------------------------------------------------------------

    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.id
    }
    /// The cluster's members, this node included: with membership changes,
    /// the voters of the latest configuration in its log.
    pub fn members(&self) -> &[NodeId] {
        &self.members
    }
    /// The cluster's first members (without membership changes, its members).
    #[cfg(not(feature = "membership"))]
    pub fn initial_members(&self) -> &[NodeId] {
        &self.members
    }
    /// The behaviour switches.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }
    /// Replaces the behaviour switches without starting or stopping any timer
    /// (for a node that does not run, or a test). A running node changes them
    /// with [`Node::update_settings`].
    pub fn set_settings(&mut self, settings: Settings) {
        #[cfg(feature = "compaction")]
        let kept = self.keeps_state_digest();
        self.settings = settings;
        #[cfg(feature = "compaction")]
        self.resume_state_digest(kept);
    }
    /// Changes the behaviour switches of a running node, from the next input
    /// on. A leader starts or stops its check-quorum timer as check-quorum is
    /// switched on or off; switching to the lease read mode lets no earlier
    /// heartbeat round count for the lease (their lease timers were never started).
    pub fn update_settings(&mut self, settings: Settings, out: &mut Vec<Output>) {
        #[cfg(feature = "compaction")]
        let kept = self.keeps_state_digest();
        let old = std::mem::replace(&mut self.settings, settings);
        #[cfg(feature = "compaction")]
        self.resume_state_digest(kept);
        if self.role == Role::Leader && old.check_quorum != self.settings.check_quorum {
            if self.settings.check_quorum {
                self.heard.fill(false);
                out.push(Output::ResetCheckQuorumTimer);
            } else {
                out.push(Output::StopCheckQuorumTimer);
            }
        }
        if self.settings.read_mode == ReadMode::Lease && old.read_mode != ReadMode::Lease {
            self.expire_lease();
        }
        if !self.settings.tracks_leader_contact() {
            self.leader_contact = false;
        }
    }
    /// Follower, candidate or leader.
    pub fn role(&self) -> Role {
        self.role
    }
    /// The current term.
    pub fn term(&self) -> u64 {
        self.term
    }
    /// Whom this node voted for in the current term.
    pub fn voted_for(&self) -> Option<NodeId> {
        self.voted_for
    }
    /// The log: the entries after the snapshot, if there is one; `log()[i]`
    /// has index `snapshot_index() + i + 1` (`i + 1` without compaction).
    pub fn log(&self) -> &[Entry] {
        &self.log
    }
    /// The snapshot's last included index: the log holds the entries after
    /// it (0: no snapshot, the log starts at index 1).
    pub fn snapshot_index(&self) -> u64 {
        #[cfg(feature = "compaction")]
        return self.snap.index;
        #[cfg(not(feature = "compaction"))]
        0
    }
    /// The entry at `index`, if the log holds it (not compacted, not past the end).
    pub fn entry(&self, index: u64) -> Option<&Entry> {
        let offset = self.snapshot_index();
        index.checked_sub(offset + 1).and_then(|i| self.log.get(i as usize))
    }
    /// The entries from `index` on (those the log holds).
    pub fn log_from(&self, index: u64) -> &[Entry] {
        let i = index.saturating_sub(self.snapshot_index() + 1) as usize;
        self.log.get(i..).unwrap_or(&[])
    }
    /// The highest index known to be committed.
    pub fn commit_index(&self) -> u64 {
        self.commit_index
    }
    /// The highest index applied to the state machine.
    pub fn last_applied(&self) -> u64 {
        self.last_applied
    }
    /// The key-value state machine: what has been applied.
    pub fn kv(&self) -> &SortedMap<String, i64> {
        &self.kv
    }
    /// Whom this node believes leads the current term.
    pub fn leader_hint(&self) -> Option<NodeId> {
        self.leader
    }
    /// As a candidate: who has granted their vote so far (itself included).
    pub fn votes(&self) -> &[NodeId] {
        &self.votes
    }
    /// During a pre-vote: who said they would vote for this node in the next
    /// term so far (itself included).
    pub fn prevotes(&self) -> Option<&[NodeId]> {
        self.prevotes.as_deref()
    }
    /// True when it heard from the leader of its term less than the shortest
    /// election timeout ago (known only with pre-vote, check-quorum or the
    /// lease), or, with the lease, restarted less than that ago.
    pub fn has_leader_contact(&self) -> bool {
        self.leader_contact
    }
    /// As leader: the reads it holds, waiting for a confirmation or for their
    /// read index to be applied.
    pub fn pending_reads(&self) -> usize {
        self.reads.len()
    }
    /// As a leader: its replication progress for `peer` (nextIndex, matchIndex).
    pub fn progress(&self, peer: NodeId) -> Option<Progress> {
        if self.role != Role::Leader || peer == self.id {
            return None;
        }
        self.progress.get(peer.index()).copied()
    }
    /// As a leader in a leadership transfer: the target.
    pub fn transferring_to(&self) -> Option<NodeId> {
        self.transfer.as_ref().map(|t| t.to)
    }
    /// The state that survives a crash.
    pub fn persistent(&self) -> Persistent {
        Persistent {
            term: self.term,
            voted_for: self.voted_for,
            log: self.log.clone(),
            #[cfg(feature = "compaction")]
            snapshot: self.snap.clone(),
            #[cfg(feature = "membership")]
            membership_open: self.membership_open(),
            #[cfg(feature = "membership")]
            retired: self.knows_own_removal(),
        }
    }
    /// Index of the last log entry (0 for an empty log; the snapshot's
    /// last included index when the log after it is empty).
    pub fn last_index(&self) -> u64 {
        self.snapshot_index() + self.log.len() as u64
    }
    /// Term of the last log entry (0 for an empty log; the snapshot's last
    /// included term when the log after it is empty).
    pub fn last_term(&self) -> u64 {
        self.log.last().map_or_else(|| self.snapshot_term(), |e| e.term)
    }
    /// The term of the entry at `index` (0 for index 0, the snapshot's term
    /// at its last included index), or `None` past the end or compacted.
    pub fn term_at(&self, index: u64) -> Option<u64> {
        if index == self.snapshot_index() {
            Some(self.snapshot_term())
        } else {
            self.entry(index).map(|e| e.term)
        }
    }
    /// The snapshot's last included term (0: no snapshot).
    fn snapshot_term(&self) -> u64 {
        #[cfg(feature = "compaction")]
        return self.snap.term;
        #[cfg(not(feature = "compaction"))]
        0
    }
    /// For the safety monitor: the lowest log index changed since the last call.
    pub fn take_log_change(&mut self) -> Option<u64> {
        self.log_changed_from.take()
    }
    /// For the simulator's snapshots: a copy of everything but the log, which
    /// a snapshot keeps apart (in chunks shared between snapshots).
    pub(crate) fn clone_without_log(&self) -> Node {
        Node {
            id: self.id,
            members: self.members.clone(),
            settings: self.settings.clone(),
            term: self.term,
            voted_for: self.voted_for,
            log: Vec::new(),
            role: self.role,
            leader: self.leader,
            commit_index: self.commit_index,
            last_applied: self.last_applied,
            kv: self.kv.clone(),
            sessions: self.sessions.clone(),
            votes: self.votes.clone(),
            prevotes: self.prevotes.clone(),
            leader_contact: self.leader_contact,
            progress: self.progress.clone(),
            heard: self.heard.clone(),
            round: self.round,
            first_round: self.first_round,
            acked_round: self.acked_round.clone(),
            lease_expired: self.lease_expired,
            lease_lost: self.lease_lost,
            reads: self.reads.clone(),
            pending: self.pending.clone(),
            transfer: self.transfer.clone(),
            #[cfg(feature = "membership")]
            conf: self.conf.clone(),
            #[cfg(feature = "compaction")]
            snap: self.snap.clone(),
            #[cfg(feature = "compaction")]
            compacted: self.compacted.clone(),
            #[cfg(feature = "compaction")]
            digest: self.digest,
            log_changed_from: self.log_changed_from,
        }
    }
    /// For restoring a snapshot: the log, to refill in place.
    pub(crate) fn log_mut(&mut self) -> &mut Vec<Entry> {
        &mut self.log
    }

    fn quorum(&self) -> usize {
        self.members.len() / 2 + 1
    }

    fn peers(&self) -> impl Iterator<Item = NodeId> + '_ {
        let me = self.id;
        self.members.iter().copied().filter(move |&m| m != me)
    }

    fn mark_changed(&mut self, index: u64) {
        self.log_changed_from = Some(self.log_changed_from.map_or(index, |i| i.min(index)));
    }

    fn send(&self, to: NodeId, body: Body, out: &mut Vec<Output>) {
        self.send_in(self.term, to, body, out);
    }

    fn send_in(&self, term: u64, to: NodeId, body: Body, out: &mut Vec<Output>) {
        out.push(Output::Send(Message { from: self.id, to, term, body }));
    }

    /// Why the voters' guard (pre-vote's check, check-quorum's and the
    /// lease's) refuses a vote now, if it does: the node leads, or it heard
    /// from the leader of its term less than the shortest election timeout
    /// ago, or (lease) it restarted less than that ago.
    fn vote_guard(&self) -> Option<RefuseReason> {
        if self.role == Role::Leader {
            Some(RefuseReason::LeaderAlive(self.id))
        } else if self.leader_contact {
            Some(self.leader.map_or(RefuseReason::JustRestarted, RefuseReason::LeaderAlive))
        } else {
            None
        }
    }

    // ----- inputs --------------------------------------------------------------------

    /// The election timer ran out (or someone forced it). With pre-vote, a
    /// follower or candidate first asks whether it would win; otherwise it
    /// starts an election. A leader forced to time out gives up its leadership
    /// and runs for the next term at once.
    pub fn election_timeout(&mut self, out: &mut Vec<Output>) {
        if self.settings.pre_vote && self.role != Role::Leader {
            self.start_pre_vote(out);
        } else {
            self.start_election(ElectionReason::Timeout, out);
        }
    }

    /// The heartbeat timer ran out: as leader, begin a new heartbeat round:
    /// AppendEntries to every follower (with whatever entries it still lacks,
    /// or none as a heartbeat).
    pub fn heartbeat_timeout(&mut self, out: &mut Vec<Output>) {
        if self.role != Role::Leader {
            return;
        }
        if let Some(t) = self.transfer.as_mut() {
            t.heartbeats_left = t.heartbeats_left.saturating_sub(1);
            if t.heartbeats_left == 0 {
                let to = t.to;
                self.transfer = None;
                out.push(Output::Note(Note::TransferAborted { to }));
            }
        }
        self.new_round(out);
        if let Some(to) = self.transferring_to() {
            self.maybe_send_timeout_now(to, out);
        }
        out.push(Output::ResetHeartbeatTimer);
    }

    /// The leader-contact timer ran out: the shortest election timeout passed
    /// since the node last heard from its leader, so it no longer vouches for it.
    pub fn leader_contact_timeout(&mut self, _out: &mut Vec<Output>) {
        self.leader_contact = false;
    }

    /// The check-quorum timer ran out. A leader that heard from a majority
    /// (itself included) since the last check goes on and starts the next
    /// period; one that did not steps down.
    pub fn check_quorum_timeout(&mut self, out: &mut Vec<Output>) {
        if self.role != Role::Leader || !self.settings.check_quorum {
            return;
        }
        let heard: Vec<NodeId> =
            self.members.iter().copied().filter(|&m| m == self.id || self.heard[m.index()]).collect();
        if heard.len() >= self.quorum() {
            self.heard.fill(false);
            out.push(Output::ResetCheckQuorumTimer);
        } else {
            out.push(Output::Note(Note::LostQuorum { term: self.term, heard }));
            self.become_follower(self.term, None, None, out);
        }
    }

    /// The lease timer of heartbeat round `round` ran out: answers to that
    /// round, and to every earlier one, no longer hold the lease up.
    pub fn lease_timeout(&mut self, round: u64, _out: &mut Vec<Output>) {
        self.lease_expired = self.lease_expired.max(round);
    }

    /// Lets no heartbeat round sent so far count for the lease (the runner
    /// calls it when the timings the lease rests on change).
    pub fn expire_lease(&mut self) {
        self.lease_expired = self.round;
    }

    /// A command handed straight to this node. As leader it appends the command
    /// and replicates it, returning its index; otherwise it refuses.
    pub fn propose(&mut self, command: Command, out: &mut Vec<Output>) -> Result<u64, ProposeError> {
        self.propose_tagged(command, None, None, out)
    }

    /// A write from a client, with the client's id and sequence number when it
    /// has them (for exactly-once). The leader appends it and answers once it
    /// is committed and applied; anyone else answers at once with a leader hint.
    pub fn client_request(&mut self, tag: ClientTag, command: Command, id: Option<WriteId>, out: &mut Vec<Output>) {
        match self.propose_tagged(command, Some(tag), id, out) {
            Ok(_) => {}
            Err(ProposeError::NotLeader { leader }) => {
                out.push(Output::ClientReply { tag, reply: ClientReply::NotLeader { leader } })
            }
            Err(ProposeError::Transferring) => out.push(Output::ClientReply { tag, reply: ClientReply::Busy }),
        }
    }

    fn propose_tagged(
        &mut self,
        command: Command,
        tag: Option<ClientTag>,
        id: Option<WriteId>,
        out: &mut Vec<Output>,
    ) -> Result<u64, ProposeError> {
        if self.role != Role::Leader {
            return Err(ProposeError::NotLeader { leader: self.leader });
        }
        if self.transfer.is_some() {
            return Err(ProposeError::Transferring);
        }
        let index = self.append_as_leader(command, id, out);
        if let Some(tag) = tag {
            if self.settings.unsafe_ack_before_commit {
                // Breaking Raft: "done" before a majority stores it.
                out.push(Output::ClientReply { tag, reply: ClientReply::Committed { index, term: self.term } });
            } else {
                self.pending.insert(index, tag);
            }
        }
        self.broadcast_append(out);
        self.maybe_commit(out);
        Ok(index)
    }

    /// Manual failover: the leader stops taking writes, brings `to` up to date,
    /// then sends it TimeoutNow so that it starts an election at once. Its
    /// lease ends (the target's election does not wait for it).
    pub fn transfer_leadership(&mut self, to: NodeId, out: &mut Vec<Output>) -> Result<(), TransferError> {
        if self.role != Role::Leader {
            return Err(TransferError::NotLeader);
        }
        if to == self.id {
            return Err(TransferError::ToSelf);
        }
        if !self.members.contains(&to) {
            return Err(TransferError::UnknownTarget);
        }
        self.transfer =
            Some(Transfer { to, heartbeats_left: self.settings.transfer_timeout_heartbeats.max(1), sent: false });
        self.lease_lost = true;
        out.push(Output::Note(Note::TransferStarted { to }));
        if !self.maybe_send_timeout_now(to, out) {
            self.send_append(to, out);
        }
        Ok(())
    }

    /// A message arrived.
    pub fn receive(&mut self, msg: Message, out: &mut Vec<Output>) {
        if msg.to != self.id || msg.from == self.id {
            return;
        }
        // Once its membership changes, a server handles requests from servers
        // its configuration does not (yet, or any more) list (`node/membership.rs`).
        #[cfg(not(feature = "membership"))]
        if !self.members.contains(&msg.from) {
            return;
        }
        #[cfg(feature = "membership")]
        if !self.members.contains(&msg.from) && !self.membership_open() {
            return;
        }
        // Pre-vote's messages change no one's term (a refusal teaches a newer term, below).
        match msg.body {
            Body::PreVote { last_log_index, last_log_term } => {
                return self.on_pre_vote(msg.from, msg.term, last_log_index, last_log_term, out);
            }
            Body::PreVoteReply { granted: true } => return self.on_pre_vote_reply(msg.from, msg.term, out),
            Body::RequestVote { transfer: false, last_log_index, last_log_term }
                if msg.term > self.term && self.settings.guards_votes() =>
            {
                // Check-quorum's guard: a server that knows a live leader
                // neither takes the newer term nor votes.
                if let Some(reason) = self.vote_guard() {
                    let check = self.log_check(last_log_index, last_log_term);
                    out.push(Output::Note(Note::RefusedVote { candidate: msg.from, term: msg.term, reason, check }));
                    self.send(msg.from, Body::RequestVoteReply { granted: false }, out);
                    return;
                }
            }
            _ => {}
        }
        if msg.term > self.term {
            // Any message from a newer term makes us a follower of that term.
            let leader = matches!(msg.body, Body::AppendEntries { .. }).then_some(msg.from);
            self.become_follower(msg.term, leader, Some(msg.from), out);
        }
        match msg.body {
            Body::RequestVote { last_log_index, last_log_term, .. } => {
                self.on_request_vote(msg.from, msg.term, last_log_index, last_log_term, out)
            }
            Body::RequestVoteReply { granted } => self.on_vote_reply(msg.from, msg.term, granted, out),
            Body::AppendEntries { prev_log_index, prev_log_term, entries, leader_commit, round } => {
                self.on_append(msg.from, msg.term, (prev_log_index, prev_log_term), entries, leader_commit, round, out)
            }
            Body::AppendEntriesReply { success, match_index, prev_log_index, conflict_term, conflict_index, round } => {
                self.on_append_reply(
                    msg.from,
                    msg.term,
                    success,
                    match_index,
                    prev_log_index,
                    (conflict_term, conflict_index),
                    round,
                    out,
                )
            }
            Body::TimeoutNow => {
                if msg.term == self.term && self.role == Role::Follower {
                    self.start_election(ElectionReason::TimeoutNow, out);
                }
            }
            // A refused pre-vote only teaches a term (above).
            Body::PreVote { .. } | Body::PreVoteReply { .. } => {}
            #[cfg(feature = "compaction")]
            Body::InstallSnapshot { snapshot, round } => {
                self.on_install_snapshot(msg.from, msg.term, *snapshot, round, out)
            }
            #[cfg(feature = "compaction")]
            Body::InstallSnapshotReply { last_index, round } => {
                // Its log now matches the leader's up to the snapshot's index:
                // a successful AppendEntries up to there, as the leader counts.
                if last_index > 0 {
                    let at = (last_index, last_index);
                    self.on_append_reply(msg.from, msg.term, true, at.0, at.1, (0, 0), round, out)
                }
            }
        }
    }

    // ----- elections -----------------------------------------------------------------

    fn start_pre_vote(&mut self, out: &mut Vec<Output>) {
        #[cfg(feature = "membership")]
        if self.cannot_stand(out) {
            return;
        }
        self.leader = None;
        self.leader_contact = false;
        self.prevotes = Some(vec![self.id]);
        #[cfg(feature = "membership")]
        if !self.is_voter() && self.membership_open() {
            self.prevotes = Some(Vec::new());
        }
        let term = self.term + 1;
        out.push(Output::Note(Note::PreVoteStarted { term }));
        out.push(Output::ResetElectionTimer);
        if self.prevotes.as_ref().map_or(0, |p| p.len()) >= self.quorum() {
            self.start_election(ElectionReason::PreVote, out);
            return;
        }
        let body = Body::PreVote { last_log_index: self.last_index(), last_log_term: self.last_term() };
        for p in self.peers().collect::<Vec<_>>() {
            self.send_in(term, p, body.clone(), out);
        }
    }

    /// Would this node vote for `candidate` in `term`? It answers as it would
    /// answer RequestVote, changing nothing, and says no while it knows a live leader.
    fn on_pre_vote(&mut self, from: NodeId, term: u64, last_index: u64, last_term: u64, out: &mut Vec<Output>) {
        let refuse = if term < self.term {
            Some(RefuseReason::StaleTerm)
        } else if let Some(reason) = self.vote_guard() {
            Some(reason)
        } else if term == self.term && self.voted_for.is_some_and(|v| v != from) {
            Some(RefuseReason::AlreadyVoted(self.voted_for.unwrap_or(from)))
        } else if !self.up_to_date(last_index, last_term) && !self.settings.unsafe_skip_vote_log_check {
            Some(RefuseReason::LogBehind)
        } else {
            None
        };
        // A removed candidate hears why it matters most (after a stale term).
        #[cfg(feature = "membership")]
        let refuse = match refuse {
            Some(RefuseReason::StaleTerm) => refuse,
            _ if self.knows_removed(from, last_term) => Some(RefuseReason::Removed),
            _ => refuse,
        };
        let check = self.log_check(last_index, last_term);
        match refuse {
            None => {
                out.push(Output::Note(Note::PreVoted { candidate: from, term, check }));
                self.send_in(term, from, Body::PreVoteReply { granted: true }, out);
            }
            Some(reason) => {
                out.push(Output::Note(Note::RefusedPreVote { candidate: from, term, reason, check }));
                self.send(from, Body::PreVoteReply { granted: false }, out);
            }
        }
    }

    fn on_pre_vote_reply(&mut self, from: NodeId, term: u64, out: &mut Vec<Output>) {
        let quorum = self.quorum();
        #[cfg(feature = "membership")]
        if !self.members.contains(&from) {
            return;
        }
        let Some(granted) = self.prevotes.as_mut() else { return };
        if term != self.term + 1 || granted.contains(&from) {
            return;
        }
        granted.push(from);
        if granted.len() >= quorum {
            self.start_election(ElectionReason::PreVote, out);
        }
    }

    fn up_to_date(&self, last_index: u64, last_term: u64) -> bool {
        last_term > self.last_term() || (last_term == self.last_term() && last_index >= self.last_index())
    }

    /// The two sides of the log check of a vote request whose candidate's last
    /// entry is `last_index` of `last_term`: that, and this node's last entry.
    fn log_check(&self, last_index: u64, last_term: u64) -> LogCheck {
        LogCheck {
            candidate_last_index: last_index,
            candidate_last_term: last_term,
            own_last_index: self.last_index(),
            own_last_term: self.last_term(),
        }
    }

    fn start_election(&mut self, reason: ElectionReason, out: &mut Vec<Output>) {
        #[cfg(feature = "membership")]
        if self.cannot_stand(out) {
            return;
        }
        let was = self.role;
        if self.role == Role::Leader {
            self.leave_leadership(None, out);
        }
        self.role = Role::Candidate;
        self.term += 1;
        self.voted_for = Some(self.id);
        self.votes = vec![self.id];
        // A server removed by an entry not known to be committed stands, but
        // counts only its voters' votes: not its own (`node/membership.rs`).
        #[cfg(feature = "membership")]
        if self.membership_open() {
            self.votes.retain(|v| self.members.contains(v));
        }
        self.prevotes = None;
        self.leader = None;
        self.leader_contact = false;
        out.push(Output::Note(Note::StartedElection { term: self.term, reason, was }));
        out.push(Output::ResetElectionTimer);
        if self.votes.len() >= self.quorum() {
            self.become_leader(out);
            return;
        }
        let body = Body::RequestVote {
            last_log_index: self.last_index(),
            last_log_term: self.last_term(),
            transfer: reason == ElectionReason::TimeoutNow,
        };
        for p in self.peers().collect::<Vec<_>>() {
            self.send(p, body.clone(), out);
        }
    }

    fn on_request_vote(&mut self, from: NodeId, term: u64, last_index: u64, last_term: u64, out: &mut Vec<Output>) {
        let refuse = if term < self.term {
            Some(RefuseReason::StaleTerm)
        } else if self.voted_for.is_some_and(|v| v != from) {
            Some(RefuseReason::AlreadyVoted(self.voted_for.unwrap_or(from)))
        } else if !self.up_to_date(last_index, last_term) && !self.settings.unsafe_skip_vote_log_check {
            Some(RefuseReason::LogBehind)
        } else {
            None
        };
        // A removed candidate hears why it matters most (after a stale term).
        #[cfg(feature = "membership")]
        let refuse = match refuse {
            Some(RefuseReason::StaleTerm) => refuse,
            _ if self.knows_removed(from, last_term) => Some(RefuseReason::Removed),
            _ => refuse,
        };
        let check = self.log_check(last_index, last_term);
        match refuse {
            None => {
                self.voted_for = Some(from);
                out.push(Output::Note(Note::Voted { candidate: from, term, check }));
                out.push(Output::ResetElectionTimer);
            }
            Some(reason) => out.push(Output::Note(Note::RefusedVote { candidate: from, term, reason, check })),
        }
        self.send(from, Body::RequestVoteReply { granted: refuse.is_none() }, out);
    }

    fn on_vote_reply(&mut self, from: NodeId, term: u64, granted: bool, out: &mut Vec<Output>) {
        if self.role != Role::Candidate || term != self.term || !granted || self.votes.contains(&from) {
            return;
        }
        // Only the votes of the candidate's voters count.
        #[cfg(feature = "membership")]
        if !self.members.contains(&from) {
            return;
        }
        self.votes.push(from);
        if self.votes.len() >= self.quorum() {
            self.become_leader(out);
        }
    }

    fn become_leader(&mut self, out: &mut Vec<Output>) {
        self.role = Role::Leader;
        self.leader = Some(self.id);
        self.prevotes = None;
        let next = self.last_index() + 1;
        for p in self.progress.iter_mut() {
            *p = Progress { next_index: next, match_index: 0, probing: true };
        }
        self.heard.fill(false);
        self.acked_round.fill(0);
        self.first_round = self.round + 1;
        self.lease_lost = false;
        let mut votes = self.votes.clone();
        NodeId::sort(&mut votes);
        out.push(Output::StopElectionTimer);
        out.push(Output::Note(Note::BecameLeader { term: self.term, votes }));
        if self.settings.leader_noop {
            self.append_as_leader(Command::Noop, None, out);
        }
        self.new_round(out);
        out.push(Output::ResetHeartbeatTimer);
        if self.settings.check_quorum {
            out.push(Output::ResetCheckQuorumTimer);
        }
        self.maybe_commit(out);
    }

    /// Stop leading: pending client writes and reads get "not leader" with a
    /// hint at the new leader if known (a write may still commit later; the
    /// client retries), the heartbeat stops.
    fn leave_leadership(&mut self, hint: Option<NodeId>, out: &mut Vec<Output>) {
        for (_, tag) in std::mem::take(&mut self.pending) {
            out.push(Output::ClientReply { tag, reply: ClientReply::NotLeader { leader: hint } });
        }
        for read in std::mem::take(&mut self.reads) {
            out.push(Output::ClientReply { tag: read.tag, reply: ClientReply::NotLeader { leader: hint } });
        }
        self.transfer = None;
        out.push(Output::StopHeartbeatTimer);
        if self.settings.check_quorum {
            out.push(Output::StopCheckQuorumTimer);
        }
        out.push(Output::ResetElectionTimer);
    }

    fn become_follower(
        &mut self,
        term: u64,
        leader: Option<NodeId>,
        because_of: Option<NodeId>,
        out: &mut Vec<Output>,
    ) {
        let was = self.role;
        if term > self.term {
            self.term = term;
            self.voted_for = None;
            self.leader_contact = false;
            // A follower's term change is a note of its own (the diagram marks
            // it); a leader's or candidate's is told by `SteppedDown` below.
            if was == Role::Follower {
                out.push(Output::Note(Note::TermAdopted { term, from: because_of }));
            }
        }
        if was == Role::Leader {
            self.leave_leadership(leader, out);
        }
        self.role = Role::Follower;
        self.votes.clear();
        self.prevotes = None;
        self.leader = leader;
        if was != Role::Follower {
            out.push(Output::Note(Note::SteppedDown { was, term: self.term, because_of }));
        }
    }

    // ----- replication ---------------------------------------------------------------

    fn append_as_leader(&mut self, command: Command, client: Option<WriteId>, out: &mut Vec<Output>) -> u64 {
        let index = self.last_index() + 1;
        self.log.push(Entry { index, term: self.term, command: command.clone(), client });
        self.mark_changed(index);
        out.push(Output::Note(Note::Appended { index, term: self.term, command }));
        index
    }

    /// A new heartbeat round: AppendEntries to every follower, carrying the new
    /// round number (and, in the lease read mode, the round's lease timer).
    fn new_round(&mut self, out: &mut Vec<Output>) {
        self.round += 1;
        if self.settings.read_mode == ReadMode::Lease {
            out.push(Output::StartLeaseTimer { round: self.round });
        }
        self.broadcast_append(out);
    }

    fn broadcast_append(&mut self, out: &mut Vec<Output>) {
        #[cfg(feature = "membership")]
        let to = self.targets();
        #[cfg(not(feature = "membership"))]
        let to: Vec<NodeId> = self.peers().collect();
        for p in to {
            self.send_append(p, out);
        }
    }

    fn send_append(&mut self, to: NodeId, out: &mut Vec<Output>) {
        let last = self.last_index();
        #[cfg(feature = "membership")]
        let last = self.last_to_send(to, last);
        let pr = self.progress[to.index()];
        let next = pr.next_index.clamp(1, last + 1);
        // A server being removed is sent the log up to its removal only: its
        // nextIndex comes down to what is sent, so that its answer (a
        // rejection included) is taken for the answer to this request.
        #[cfg(feature = "membership")]
        if next < pr.next_index {
            self.progress[to.index()].next_index = next;
        }
        let prev = next - 1;
        // The entries it needs are compacted: the snapshot instead.
        #[cfg(feature = "compaction")]
        if prev < self.snap.index {
            return self.send_snapshot(to, out);
        }
        let end = self.settings.max_entries_per_append.map_or(last, |max| last.min(prev.saturating_add(max.get())));
        let offset = self.snapshot_index();
        let entries = self.log[(prev - offset) as usize..(end - offset) as usize].to_vec();
        let sent_entries = !entries.is_empty();
        let body = Body::AppendEntries {
            prev_log_index: prev,
            prev_log_term: self.term_at(prev).unwrap_or(0),
            entries,
            leader_commit: self.commit_index,
            round: self.round,
        };
        self.send(to, body, out);
        if !pr.probing && sent_entries {
            // Streaming: the next message carries only what comes after these.
            self.progress[to.index()].next_index = end + 1;
        }
    }

    /// A request from `from`, the leader of this node's term (`term`): a
    /// candidate steps down, the node follows `from` and restarts its timers.
    /// False for a leader (two leaders in one term: the safety monitor
    /// reports it), which then ignores the request.
    fn heard_from_leader(&mut self, from: NodeId, term: u64, out: &mut Vec<Output>) -> bool {
        match self.role {
            Role::Leader => return false,
            Role::Candidate => self.become_follower(term, Some(from), Some(from), out),
            Role::Follower => {}
        }
        self.leader = Some(from);
        self.prevotes = None;
        out.push(Output::ResetElectionTimer);
        if self.settings.tracks_leader_contact() {
            self.leader_contact = true;
            out.push(Output::ResetLeaderContactTimer);
        }
        true
    }

    #[allow(clippy::too_many_arguments)]
    fn on_append(
        &mut self,
        from: NodeId,
        term: u64,
        (prev_index, prev_term): (u64, u64),
        entries: Vec<Entry>,
        leader_commit: u64,
        round: u64,
        out: &mut Vec<Output>,
    ) {
        let reject = |node: &Node, reason: RejectReason, out: &mut Vec<Output>| {
            let (conflict_term, conflict_index) = match reason {
                RejectReason::Missing => (0, node.last_index() + 1),
                RejectReason::TermMismatch(t) => {
                    let first = node.log.iter().find(|e| e.term == t).map_or(prev_index, |e| e.index);
                    (t, first)
                }
                RejectReason::StaleTerm => (0, 0),
            };
            out.push(Output::Note(Note::RejectedAppend {
                leader: from,
                term,
                prev_log_index: prev_index,
                prev_log_term: prev_term,
                reason,
            }));
            node.send(
                from,
                Body::AppendEntriesReply {
                    success: false,
                    match_index: 0,
                    prev_log_index: prev_index,
                    conflict_term,
                    conflict_index,
                    round,
                },
                out,
            );
        };
        if term < self.term {
            reject(self, RejectReason::StaleTerm, out);
            return;
        }
        // term == self.term from here on.
        if !self.heard_from_leader(from, term, out) {
            return;
        }
        // Entries up to the snapshot's index are committed, so the leader's
        // match them: only those after it are looked at.
        #[cfg(feature = "compaction")]
        let ((prev_index, prev_term), entries) = self.skip_compacted((prev_index, prev_term), entries);
        match self.term_at(prev_index) {
            None => return reject(self, RejectReason::Missing, out),
            Some(t) if t != prev_term => return reject(self, RejectReason::TermMismatch(t), out),
            Some(_) => {}
        }
        let count = entries.len() as u64;
        for (k, mut e) in entries.into_iter().enumerate() {
            let idx = prev_index + 1 + k as u64;
            e.index = idx;
            match self.term_at(idx) {
                Some(t) if t == e.term => continue, // already stored: a repeat changes nothing
                Some(_) => {
                    let removed = self.last_index() - idx + 1;
                    self.log.truncate((idx - self.snapshot_index()) as usize - 1);
                    out.push(Output::Note(Note::Truncated { from: idx, count: removed, leader: from }));
                }
                None => {}
            }
            self.mark_changed(idx);
            self.log.push(e);
        }
        #[cfg(feature = "membership")]
        self.follow_log(prev_index + 1);
        let last_new = prev_index + count;
        let commit = leader_commit.min(last_new);
        self.commit_index = self.commit_index.max(commit);
        self.apply(out);
        #[cfg(feature = "compaction")]
        self.maybe_compact(out);
        self.send(
            from,
            Body::AppendEntriesReply {
                success: true,
                match_index: last_new,
                prev_log_index: prev_index,
                conflict_term: 0,
                conflict_index: 0,
                round,
            },
            out,
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn on_append_reply(
        &mut self,
        from: NodeId,
        term: u64,
        success: bool,
        match_index: u64,
        prev_index: u64,
        (conflict_term, conflict_index): (u64, u64),
        round: u64,
        out: &mut Vec<Output>,
    ) {
        if self.role != Role::Leader || term != self.term {
            return;
        }
        // Any answer of this term shows the follower takes this node as its leader.
        if let Some(heard) = self.heard.get_mut(from.index()) {
            *heard = true;
        }
        if let Some(acked) = self.acked_round.get_mut(from.index()).filter(|_| round >= self.first_round) {
            *acked = (*acked).max(round);
        }
        let last = self.last_index();
        // What `from` may be sent: a server being removed gets nothing past its removal.
        let sendable = last;
        #[cfg(feature = "membership")]
        let sendable = self.last_to_send(from, sendable);
        let Some(pr) = self.progress.get_mut(from.index()) else { return };
        if success {
            pr.probing = false;
            pr.match_index = pr.match_index.max(match_index.min(last));
            pr.next_index = pr.next_index.max(pr.match_index + 1);
            // Entries a batch limit held back go out now, not at the next heartbeat.
            // (Without a limit every send reached the last entry it may: nothing was
            // held back. Measured against what `from` may be sent, or a server being
            // removed, sent everything up to its removal, would be sent an empty
            // request on every answer, forever: chaos seed 1115.)
            let held_back = pr.next_index <= sendable && self.settings.max_entries_per_append.is_some();
            self.maybe_commit(out);
            #[cfg(feature = "membership")]
            {
                if self.role != Role::Leader {
                    return; // its removal committed: it stepped down
                }
                self.maybe_promote(out);
            }
            if held_back {
                self.send_append(from, out);
            }
            if self.transfer.as_ref().is_some_and(|t| t.to == from && !t.sent) {
                self.maybe_send_timeout_now(from, out);
            }
            self.serve_reads(out);
            return;
        }
        self.serve_reads(out);
        let pr = &mut self.progress[from.index()];
        if pr.probing {
            // Only the answer to the probe we are waiting on moves nextIndex
            // (stale, duplicated or reordered rejections are ignored), and
            // never below what is known to match.
            if prev_index + 1 != pr.next_index || pr.next_index <= pr.match_index + 1 {
                return;
            }
        } else if prev_index <= pr.match_index {
            return; // stale: that part of the log is known to match
        }
        pr.probing = true;
        let stepped = if self.settings.fast_backup {
            // Conflict term 0: the follower's log was too short (no entry has term 0).
            let by_term = (conflict_term > 0)
                .then(|| self.log.iter().rev().find(|e| e.term == conflict_term).map(|e| e.index + 1))
                .flatten();
            by_term.unwrap_or(conflict_index).min(prev_index)
        } else {
            // The seed's way: one entry further back than the rejected request.
            prev_index
        };
        let pr = &mut self.progress[from.index()];
        pr.next_index = stepped.max(pr.match_index + 1).max(1);
        let next_index = pr.next_index;
        out.push(Output::Note(Note::BackedUp { follower: from, next_index }));
        self.send_append(from, out);
    }

    /// Sends TimeoutNow to a transfer target whose log is up to date; true if sent.
    fn maybe_send_timeout_now(&mut self, to: NodeId, out: &mut Vec<Output>) -> bool {
        if self.progress[to.index()].match_index == self.last_index() {
            if let Some(t) = self.transfer.as_mut() {
                t.sent = true;
            }
            out.push(Output::Note(Note::TransferTimeoutNow { to }));
            self.send(to, Body::TimeoutNow, out);
            true
        } else {
            false
        }
    }

    fn maybe_commit(&mut self, out: &mut Vec<Output>) {
        if self.role != Role::Leader {
            return;
        }
        let me = self.id.index();
        self.progress[me].match_index = self.last_index();
        // The highest index stored on a majority: the quorum-th largest matchIndex.
        let mut matched = [0u64; 16];
        let count = self.members.len().min(matched.len());
        for (slot, m) in matched.iter_mut().zip(&self.members) {
            *slot = self.progress[m.index()].match_index;
        }
        let n = quorum_largest(&mut matched[..count], self.quorum().min(count));
        if n <= self.commit_index {
            return;
        }
        // Only an entry of the current term is committed by counting replicas;
        // earlier ones commit with it (Raft paper, section 5.4.2).
        let own_term = self.term_at(n) == Some(self.term);
        if !own_term && !self.settings.unsafe_commit_old_terms {
            return;
        }
        let from = self.commit_index + 1;
        self.commit_index = n;
        let replicas = self.members.iter().copied().filter(|m| self.progress[m.index()].match_index >= n).collect();
        out.push(Output::Note(Note::Committed { from, to: n, replicas }));
        self.apply(out);
        self.serve_reads(out);
        #[cfg(feature = "membership")]
        self.after_commit(from - 1, out);
        #[cfg(feature = "compaction")]
        self.maybe_compact(out);
    }
}

#[cfg(test)]
mod tests {
    use super::quorum_largest;

    /// The value a quorum reaches is the quorum-th one in descending order
    /// (0 when there are fewer values), for every list of up to five values
    /// out of 0..4 and every quorum up to six.
    #[test]
    fn the_highest_value_a_quorum_reaches_is_the_quorum_th_largest() {
        for n in 0..=5u32 {
            for code in 0..4u64.pow(n) {
                let values: Vec<u64> = (0..n).map(|k| code / 4u64.pow(k) % 4).collect();
                let mut sorted = values.clone();
                sorted.sort_by(|a, b| b.cmp(a));
                for quorum in 1..=6 {
                    let expected = sorted.get(quorum - 1).copied().unwrap_or(0);
                    assert_eq!(quorum_largest(&mut values.clone(), quorum), expected, "{values:?}, quorum {quorum}");
                }
            }
        }
    }
}
