//! One Raft node, sans-IO: roles, log, RPC messages and a key-value state machine.
//!
//! See [`Node`] for how a node is driven. Nothing here reads a clock, sends
//! on a network or draws a random number.

mod node;
mod types;

pub use node::{
    ClientReply, ClientTag, ElectionReason, Node, Note, Output, Persistent, Progress, ProposeError, RefuseReason,
    RejectReason, Settings, TransferError,
};
pub use types::{Body, Command, Entry, Message, NodeId, Role};
