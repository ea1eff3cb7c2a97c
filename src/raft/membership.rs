//! Membership changes as data: the configuration entries of the log
//! ([`Change`]), what a node reports about them ([`MemberNote`]) and why it
//! refuses one ([`ChangeError`]). The rules are in `node/membership.rs`.
//!
//! Single-server changes (Raft thesis §4.1): each entry adds or removes one
//! server, so any majority of the configuration before it and any majority
//! of the one after it share a server, and no moment can see two leaders
//! elected by disjoint majorities. A new server joins first as a learner
//! (thesis §4.2.1): an entry `learner S6` that changes no majority; the
//! leader promotes it (`+S6`) once it stores every committed entry.

use super::types::NodeId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One configuration change, the command of a configuration entry. In JSON:
/// `{"add_learner":6}`, `{"promote":6}`, `{"remove":2}`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// A new server joins as a learner: it receives the log but neither votes
    /// nor counts toward a majority. Shown as `learner S6`.
    AddLearner(NodeId),
    /// The learner becomes a voter: majorities count it from this entry on. Shown as `+S6`.
    Promote(NodeId),
    /// The server (a voter or a learner) leaves the configuration. Shown as `−S2`.
    Remove(NodeId),
}

impl Change {
    /// The server the change is about.
    pub fn node(self) -> NodeId {
        match self {
            Change::AddLearner(n) | Change::Promote(n) | Change::Remove(n) => n,
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::AddLearner(n) => write!(f, "learner {n}"),
            Change::Promote(n) => write!(f, "+{n}"),
            Change::Remove(n) => write!(f, "−{n}"),
        }
    }
}

/// What a node reports about its configuration, for the trace.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[allow(missing_docs)] // the fields are named for what they hold; each variant says what it reports
pub enum MemberNote {
    /// The leader committed the configuration entry at `index` (`change`):
    /// the next change may begin. `voters` is the configuration now in force.
    Committed { index: u64, change: Change, voters: Vec<NodeId> },
    /// The leader saw its learner store every committed entry (up to
    /// `match_index`): it appends the entry that promotes it.
    CaughtUp { learner: NodeId, match_index: u64 },
    /// The leader's own removal committed: it steps down (a `SteppedDown`
    /// follows) and, no longer a voter, never stands for election again.
    LeftCluster { term: u64 },
    /// The node's election timer ran out (or it was told to run), but it is
    /// not a voter of its configuration: a learner (`learner`) or a server
    /// the configuration no longer (or not yet) lists. It does not stand.
    NotVoter { learner: bool },
}

/// Why a leader refused a configuration change.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ChangeError {
    /// Only the leader changes the configuration.
    NotLeader {
        /// Whom this node believes leads.
        leader: Option<NodeId>,
    },
    /// The leader is handing leadership over.
    Transferring,
    /// The configuration entry at this index is not committed yet: one change at a time.
    Pending(u64),
    /// This learner is still catching up (its promotion is the change in progress).
    CatchingUp(NodeId),
    /// The leader has not committed an entry of its own term yet: until it
    /// has, an uncommitted change of an earlier leader may still be in its
    /// log's future (the fix to single-server changes in Ongaro's 2015 note).
    NotReady,
    /// The server is already in the configuration.
    AlreadyMember(NodeId),
    /// The server is not in the configuration (or, to promote, not a learner).
    NotMember(NodeId),
    /// Removing this server would leave no voter.
    LastVoter(NodeId),
}

impl fmt::Display for ChangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChangeError::NotLeader { leader: Some(l) } => {
                write!(f, "only the leader changes the configuration ({l} leads)")
            }
            ChangeError::NotLeader { leader: None } => f.write_str("only the leader changes the configuration"),
            ChangeError::Transferring => f.write_str("the leader is handing leadership over"),
            ChangeError::Pending(i) => {
                write!(f, "the configuration change at index {i} is not committed yet: one change at a time")
            }
            ChangeError::CatchingUp(n) => write!(f, "{n} is still catching up as a learner: one change at a time"),
            ChangeError::NotReady => f.write_str(
                "the leader has not committed an entry of its term yet; it changes the configuration after that",
            ),
            ChangeError::AlreadyMember(n) => write!(f, "{n} is already in the configuration"),
            ChangeError::NotMember(n) => write!(f, "{n} is not in the configuration"),
            ChangeError::LastVoter(n) => write!(f, "{n} is the last voter: removing it would leave no one to lead"),
        }
    }
}
