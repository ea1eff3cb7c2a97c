//! The simulated client's writes, as the page's client panel lists them.

use crate::raft::{Command, NodeId};
use serde::{Deserialize, Serialize};

/// Where an operation stands.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub enum OpStatus {
    /// Sent, not yet acknowledged.
    Pending,
    /// A leader answered that the write is committed.
    Acked {
        /// Its log index.
        index: u64,
        /// Its term.
        term: u64,
        /// The leader that answered.
        by: NodeId,
        /// When the answer arrived.
        at: u64,
    },
    /// The client gave up: no leader acknowledged it in time. The write may
    /// still commit later (the client cannot know).
    Failed {
        /// When the client gave up.
        at: u64,
        /// Why.
        reason: String,
    },
}

/// Where one attempt of a write was appended (the simulator sees it; the client does not).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Landing {
    /// The leader that appended it.
    pub node: NodeId,
    /// At which index.
    pub index: u64,
    /// In which term.
    pub term: u64,
}

/// One write of the simulated client.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct ClientOp {
    /// Its id (0, 1, 2, ... in invocation order).
    pub id: u64,
    /// The write.
    pub command: Command,
    /// When the client invoked it.
    pub invoked_at: u64,
    /// Pending, acknowledged or failed.
    pub status: OpStatus,
    /// The server the latest attempt went to.
    pub target: Option<NodeId>,
    /// How many attempts were sent.
    pub attempts: u32,
    /// Every place a leader appended it (a retried write can land twice).
    pub landed: Vec<Landing>,
    #[serde(skip)]
    pub(crate) redirects: u32,
}

impl ClientOp {
    /// True once a leader acknowledged it.
    pub fn is_acked(&self) -> bool {
        matches!(self.status, OpStatus::Acked { .. })
    }
    /// True while it is neither acknowledged nor failed.
    pub fn is_pending(&self) -> bool {
        matches!(self.status, OpStatus::Pending)
    }
    /// The index it was acknowledged at.
    pub fn acked_index(&self) -> Option<u64> {
        match self.status {
            OpStatus::Acked { index, .. } => Some(index),
            _ => None,
        }
    }
}

/// The client's own state.
#[derive(Clone, Debug, Default)]
pub(crate) struct Client {
    pub ops: Vec<ClientOp>,
    /// Whom the client believes leads.
    pub leader: Option<NodeId>,
}
