//! Log compaction as data (Raft paper §7): the snapshot a server keeps of
//! its state machine in place of the log's applied prefix, and what a node
//! reports about it. The rules are in `node/compaction.rs`.

#[cfg(feature = "compaction")]
use super::types::NodeId;
use serde::{Deserialize, Serialize};

/// What a snapshot keeps of one client's exactly-once session (see
/// `node/state_machine.rs`): every write numbered below `floor` was
/// answered; `results` are the writes applied at or above it, (sequence
/// number, (index, term)).
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct SessionState {
    /// Every write of this client numbered below this has had its answer.
    pub floor: u64,
    /// The writes applied at or above the floor, by sequence number.
    pub results: Vec<(u64, (u64, u64))>,
}

/// The configuration in force at a snapshot's last included entry
/// (membership changes): what the compacted prefix of the log said.
#[cfg(all(feature = "compaction", feature = "membership"))]
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct SnapshotConfig {
    /// The voters.
    pub voters: Vec<NodeId>,
    /// The learners.
    pub learners: Vec<NodeId>,
    /// The index of the latest configuration entry of the prefix (0: none).
    pub index: u64,
    /// The server that entry removes, if it removes one.
    pub removing: Option<NodeId>,
    /// Every server a configuration entry of the prefix removed (a server
    /// refuses its vote to them, as it does to those its log removes).
    pub removed: Vec<NodeId>,
}

#[cfg(feature = "compaction")]
/// A snapshot of a server's state machine (Raft paper §7, Figure 12): the
/// result of applying every entry up to `index`, which it replaces in the
/// log. Persistent state, as the log is.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub struct Snapshot {
    /// The last included index: the last entry it replaces (0: no snapshot).
    pub index: u64,
    /// The term of that entry.
    pub term: u64,
    /// The key-value store, by key.
    pub kv: Vec<(String, i64)>,
    /// The exactly-once table: per client, its session.
    pub sessions: Vec<(u64, SessionState)>,
    /// The configuration in force at `index`.
    #[cfg(feature = "membership")]
    pub config: SnapshotConfig,
}

#[cfg(feature = "compaction")]
impl Snapshot {
    /// The digest of its state machine, as [`super::Node::state_digest`]
    /// keeps it for a node's (a pass over the store: the safety monitor
    /// takes it once per snapshot taken or installed). Never to persist or
    /// export: it differs between native code and wasm (`usize` lengths).
    pub fn digest(&self) -> u64 {
        super::node::state_digest(self.kv.iter().map(|(k, v)| (k.as_str(), *v)), &self.sessions)
    }
}

#[cfg(feature = "compaction")]
/// What a node reports about compaction, for the trace.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[allow(missing_docs)] // the fields are named for what they hold; each variant says what it reports
pub enum CompactionNote {
    /// The node's applied log exceeded the threshold: it took a snapshot up
    /// to `index` (of `term`) and dropped the `dropped` entries it replaces.
    Snapshotted { index: u64, term: u64, dropped: u64 },
    /// The node installed the snapshot of `leader` up to `index` (of
    /// `term`): it kept the `kept` entries of its log after it (Figure 13:
    /// it had the snapshot's last entry), or discarded its log (`kept` 0).
    Installed { leader: NodeId, index: u64, term: u64, kept: u64 },
    /// The node ignored a snapshot of `leader` up to `index` that its own
    /// snapshot or commit index already covers.
    Covered { leader: NodeId, index: u64 },
}
