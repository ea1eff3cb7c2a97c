//! One Raft node, sans-IO: roles, log, RPC messages and a key-value state machine.
//!
//! See [`Node`] for how a node is driven. Nothing here reads a clock, sends
//! on a network or draws a random number.

mod compaction;
#[cfg(feature = "membership")]
mod membership;
mod node;
mod settings;
mod types;

pub use compaction::SessionState;
#[cfg(all(feature = "compaction", feature = "membership"))]
pub use compaction::SnapshotConfig;
#[cfg(feature = "compaction")]
pub use compaction::{CompactionNote, Snapshot};
#[cfg(feature = "membership")]
pub use membership::{Change, ChangeError, MemberNote};
#[cfg(feature = "compaction")]
pub use node::state_digest;
pub use node::{
    ClientReply, ClientTag, ElectionReason, LogCheck, Node, Note, Output, Persistent, Progress, ProposeError, ReadHow,
    RefuseReason, RejectReason, TransferError,
};
pub use settings::{ReadMode, Settings};
pub use types::{Body, Command, Entry, Message, NodeId, Role, WriteId};
