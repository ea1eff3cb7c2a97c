//! The vocabulary shared by a node and the simulator: identities, commands,
//! log entries, roles and the RPC messages of Raft.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// A server's identity. Servers are numbered from 1 and shown as `S1`..`Sn`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
pub struct NodeId(pub u8);

impl NodeId {
    /// Sorts `ids` (an insertion sort: a handful of servers at most, and one
    /// small copy in the page's wasm instead of the standard sort's).
    pub fn sort(ids: &mut [NodeId]) {
        for i in 1..ids.len() {
            let mut j = i;
            while j > 0 && ids[j - 1] > ids[j] {
                ids.swap(j - 1, j);
                j -= 1;
            }
        }
    }

    /// The zero-based position of this server (S1 is 0). Used to index per-node tables.
    pub fn index(self) -> usize {
        (self.0 as usize).saturating_sub(1)
    }

    /// The server at zero-based position `i` (0 is S1).
    pub fn from_index(i: usize) -> NodeId {
        NodeId((i + 1) as u8)
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "S{}", self.0)
    }
}

/// An operation of the replicated key-value state machine. In JSON:
/// `{"op":"set","key":"x","value":3}` or `{"op":"noop"}`.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Command {
    /// Set `key` to `value`, shown as `key ← value`.
    Set {
        /// The key written (shared: the entry's copies in every log, the
        /// client's write and the trace hold one string).
        key: Arc<str>,
        /// The value written.
        value: i64,
    },
    /// The empty entry a new leader appends at the start of its term, so that
    /// entries of earlier terms get committed promptly (Raft paper, section 8).
    Noop,
    /// A change of the cluster's configuration, one server at a time (see
    /// `raft/membership.rs`): `{"op":"config","change":{"add_learner":6}}`.
    #[cfg(feature = "membership")]
    Config {
        /// What changes.
        change: super::membership::Change,
    },
}

impl Command {
    /// The write `key ← value`.
    pub fn set(key: &str, value: i64) -> Command {
        Command::Set { key: key.into(), value }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::Set { key, value } => write!(f, "{key} ← {value}"),
            Command::Noop => write!(f, "no-op"),
            #[cfg(feature = "membership")]
            Command::Config { change } => write!(f, "{change}"),
        }
    }
}

/// Who wrote a client write, for exactly-once application (Raft thesis
/// §6.3): the client's id and the write's sequence number, and the lowest
/// sequence number of that client still without an answer (the state machine
/// may forget the results of the writes below it: their answers arrived).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct WriteId {
    /// The client's id.
    pub client: u64,
    /// The write's sequence number (unique per client).
    pub seq: u64,
    /// Every write of this client numbered below this has been answered.
    pub first_unanswered: u64,
}

/// One entry of a node's log.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the log; the first entry has index 1.
    pub index: u64,
    /// The term of the leader that created the entry.
    pub term: u64,
    /// The operation the entry carries.
    pub command: Command,
    /// For a client's write: who wrote it (no-ops and commands handed straight
    /// to a leader have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client: Option<WriteId>,
}

impl Entry {
    /// An entry with no client id.
    pub fn new(index: u64, term: u64, command: Command) -> Entry {
        Entry { index, term, command, client: None }
    }
}

/// What a node currently is.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum Role {
    /// Follows a leader; starts an election when its timer runs out.
    Follower,
    /// Asks the others for votes in a new term.
    Candidate,
    /// Takes client writes and replicates them.
    Leader,
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Follower => "follower",
            Role::Candidate => "candidate",
            Role::Leader => "leader",
        })
    }
}

/// A message between two nodes. Every RPC carries the sender's current term.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Message {
    /// The sender.
    pub from: NodeId,
    /// The receiver.
    pub to: NodeId,
    /// The sender's current term.
    pub term: u64,
    /// The RPC itself.
    pub body: Body,
}

/// The RPCs of Raft, plus leadership transfer's TimeoutNow and pre-vote's PreVote.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub enum Body {
    /// A candidate asks for a vote.
    RequestVote {
        /// Index of the candidate's last log entry.
        last_log_index: u64,
        /// Term of the candidate's last log entry.
        last_log_term: u64,
        /// True when the election was started by a leadership transfer.
        transfer: bool,
    },
    /// The answer to RequestVote.
    RequestVoteReply {
        /// Whether the vote was granted.
        granted: bool,
    },
    /// Pre-vote (Raft thesis §9.6): "would you vote for me in the message's
    /// term?" The message's term is the one the sender would run in (its own
    /// plus one); nobody changes term or vote because of it.
    PreVote {
        /// Index of the sender's last log entry.
        last_log_index: u64,
        /// Term of the sender's last log entry.
        last_log_term: u64,
    },
    /// The answer to PreVote. Granted, its term is the term asked about;
    /// refused, it is the voter's own term (a newer term teaches the sender).
    PreVoteReply {
        /// Whether the voter would vote.
        granted: bool,
    },
    /// Replication, and the heartbeat when `entries` is empty.
    AppendEntries {
        /// Index of the entry just before the new ones.
        prev_log_index: u64,
        /// Term of that entry.
        prev_log_term: u64,
        /// The entries to store (empty for a heartbeat).
        entries: Vec<Entry>,
        /// The leader's commit index.
        leader_commit: u64,
        /// The leader's heartbeat round when it sent this, echoed in the reply:
        /// a read (ReadIndex) or the lease counts the servers that answered a
        /// round begun after a given moment.
        round: u64,
    },
    /// The answer to AppendEntries.
    AppendEntriesReply {
        /// Whether the follower's log matched at `prev_log_index` and it stored the entries.
        success: bool,
        /// On success: the index up to which the follower's log now matches the leader's.
        match_index: u64,
        /// The `prev_log_index` of the request this answers (lets the leader ignore stale replies).
        prev_log_index: u64,
        /// On failure: the term of the follower's conflicting entry at
        /// `prev_log_index`, or 0 when its log is too short there.
        conflict_term: u64,
        /// On failure: the first index of `conflict_term` in the follower's log, or
        /// the index just past its last entry when its log is too short.
        conflict_index: u64,
        /// The `round` of the request this answers.
        round: u64,
    },
    /// Leadership transfer: "start an election now", sent by the leader to the
    /// follower it hands leadership to once that follower's log is up to date.
    TimeoutNow,
    /// Log compaction (Raft paper §7, Figure 13, in one message, no chunks):
    /// the leader no longer has the entries the follower needs, so it sends
    /// its snapshot, which replaces the follower's log up to the snapshot's
    /// last included index.
    #[cfg(feature = "compaction")]
    InstallSnapshot {
        /// The snapshot: last included index and term, state machine, configuration.
        snapshot: Box<super::compaction::Snapshot>,
        /// The leader's heartbeat round, echoed in the reply (as AppendEntries' is).
        round: u64,
    },
    /// The answer to InstallSnapshot.
    #[cfg(feature = "compaction")]
    InstallSnapshotReply {
        /// The index the follower's log now matches the leader's up to: the
        /// snapshot's last included index (0 when it refused a stale term).
        last_index: u64,
        /// The `round` of the request this answers.
        round: u64,
    },
}

#[cfg(test)]
mod tests {
    use super::NodeId;

    /// `NodeId::sort` orders every list of up to six servers (repeats
    /// included) as the standard sort does.
    #[test]
    fn sorting_ids_gives_the_standard_order() {
        for n in 0..=6u32 {
            for code in 0..4u32.pow(n) {
                let ids: Vec<NodeId> = (0..n).map(|k| NodeId((code / 4u32.pow(k) % 4) as u8 + 1)).collect();
                let (mut a, mut b) = (ids.clone(), ids);
                NodeId::sort(&mut a);
                b.sort();
                assert_eq!(a, b);
            }
        }
    }
}
