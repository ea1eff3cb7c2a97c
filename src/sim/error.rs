//! What can go wrong when driving the simulator: every bad input gets one of
//! these, with a sentence that says what is wrong. Nothing panics.

use crate::quote::Quoted;
use crate::raft::NodeId;
use std::fmt;

/// A refused call.
#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    /// The cluster size is outside 1..=9.
    BadNodeCount(usize),
    /// No server has this number.
    UnknownNode(u64),
    /// A probability that is negative, above 1 or not a number.
    BadRate {
        /// What the rate is for.
        what: &'static str,
        /// The value given.
        value: f64,
    },
    /// A range whose low end is above its high end, or that must not start at 0.
    BadRange {
        /// What the range is for.
        what: &'static str,
        /// Low end given.
        lo: u64,
        /// High end given.
        hi: u64,
        /// Why it is refused.
        why: &'static str,
    },
    /// A duration that must be positive was 0.
    ZeroDuration(&'static str),
    /// A server named in two partition groups.
    NodeInTwoGroups(NodeId),
    /// The server is crashed.
    NodeDown(NodeId),
    /// The server is already running.
    NodeAlreadyUp(NodeId),
    /// The server is already disconnected.
    AlreadyDisconnected(NodeId),
    /// The server is not disconnected.
    NotDisconnected(NodeId),
    /// The server does not lead.
    NotLeader {
        /// The server asked.
        node: NodeId,
        /// Whom it believes leads.
        leader: Option<NodeId>,
    },
    /// The leader is handing leadership over and takes no writes.
    Transferring(NodeId),
    /// No running server leads.
    NoLeader,
    /// The target of a leadership transfer already leads.
    AlreadyLeader(NodeId),
    /// No message in flight has this id.
    UnknownMessage(u64),
    /// A key that is empty, too long or has characters other than letters, digits and `_`.
    BadKey(String),
    /// No option of the nodes has this name.
    UnknownOption(String),
    /// A value an option does not take (the sentence says why).
    BadOptionValue(String),
    /// The leader refused a membership change (the error says why).
    #[cfg(feature = "membership")]
    Change(crate::raft::ChangeError),
    /// A cluster has had 9 servers already (removed ones count: numbers are not reused).
    #[cfg(feature = "membership")]
    TooManyServers,
    /// A configuration entry handed in as a write: only the leader makes them.
    #[cfg(feature = "membership")]
    ConfigAsWrite,
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::BadNodeCount(n) => write!(f, "a cluster has 1 to 9 servers, not {n}"),
            SimError::UnknownNode(n) => write!(f, "there is no server S{n}"),
            SimError::BadRate { what, value } => {
                write!(f, "the {what} must be a number from 0 to 1, not {}", crate::decimal::js_text(*value))
            }
            SimError::BadRange { what, lo, hi, why } => write!(f, "the {what} {lo}..{hi} is not valid: {why}"),
            SimError::ZeroDuration(what) => write!(f, "the {what} must be at least 1 ms"),
            SimError::NodeInTwoGroups(n) => write!(f, "{n} is named in two partition groups"),
            SimError::NodeDown(n) => write!(f, "{n} is crashed"),
            SimError::NodeAlreadyUp(n) => write!(f, "{n} is already running"),
            SimError::AlreadyDisconnected(n) => write!(f, "{n} is already disconnected"),
            SimError::NotDisconnected(n) => write!(f, "{n} is not disconnected"),
            SimError::NotLeader { node, leader: Some(l) } => write!(f, "{node} is not the leader (it believes {l} is)"),
            SimError::NotLeader { node, leader: None } => write!(f, "{node} is not the leader"),
            SimError::Transferring(n) => write!(f, "{n} is handing leadership over and takes no writes"),
            SimError::NoLeader => write!(f, "no running server is the leader right now"),
            SimError::AlreadyLeader(n) => write!(f, "{n} is already the leader"),
            SimError::UnknownMessage(id) => write!(f, "no message #{id} is in flight"),
            SimError::BadKey(k) => {
                write!(f, "the key {} is not valid: use 1 to 16 letters, digits or _", Quoted(k))
            }
            SimError::UnknownOption(name) => {
                write!(f, "there is no option {}; the options are ", Quoted(name))?;
                for (i, s) in super::SWITCHES.iter().enumerate() {
                    f.write_str(if i == 0 { "" } else { ", " })?;
                    f.write_str(s.name)?;
                }
                Ok(())
            }
            SimError::BadOptionValue(why) => f.write_str(why),
            #[cfg(feature = "membership")]
            SimError::Change(e) => write!(f, "{e}"),
            #[cfg(feature = "membership")]
            SimError::TooManyServers => f.write_str("a cluster has at most 9 servers, removed ones included"),
            #[cfg(feature = "membership")]
            SimError::ConfigAsWrite => {
                f.write_str("a configuration change is not a write: add or remove a server instead")
            }
        }
    }
}

impl std::error::Error for SimError {}
