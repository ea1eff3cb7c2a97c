//! Log compaction in the cluster (the node's rules are in
//! `raft/node/compaction.rs`): how the trace tells a snapshot taken or
//! installed. The monitor's checks across compaction are in `monitor.rs`
//! (State Machine Safety compares a snapshot with what was applied; Log
//! Matching and Leader Completeness leave compacted prefixes to it).
//!
//! Not to be confused with `snapshot.rs`, the timeline's checkpoints of the
//! whole simulation.

use super::trace::EventKind;
use crate::raft::{CompactionNote, NodeId};
use std::fmt;

/// The sort of a compaction event: replication (a snapshot stands in for entries).
pub(super) fn kind(_: &CompactionNote) -> EventKind {
    EventKind::Replication
}

/// The servers a compaction event concerns besides its own: the leader whose snapshot it is.
pub(super) fn others(e: &CompactionNote) -> Vec<NodeId> {
    match e {
        CompactionNote::Snapshotted { .. } => Vec::new(),
        CompactionNote::Installed { leader, .. } | CompactionNote::Covered { leader, .. } => vec![*leader],
    }
}

/// The sentence the trace shows.
pub(super) fn tell(f: &mut fmt::Formatter<'_>, node: NodeId, e: &CompactionNote) -> fmt::Result {
    match e {
        CompactionNote::Snapshotted { index, term, dropped } => write!(
            f,
            "{node} took a snapshot of its state machine up to entry {index} (term {term}) and dropped those {dropped} entries from its log"
        ),
        CompactionNote::Installed { leader, index, term, kept: 0 } => write!(
            f,
            "{node} installed {leader}'s snapshot up to entry {index} (term {term}) and discarded its log: it lacked that entry"
        ),
        CompactionNote::Installed { leader, index, term, kept } => write!(
            f,
            "{node} installed {leader}'s snapshot up to entry {index} (term {term}) and kept the {kept} entries after it"
        ),
        CompactionNote::Covered { leader, index } => {
            write!(f, "{node} ignored {leader}'s snapshot up to entry {index}: it already has everything up to there")
        }
    }
}
