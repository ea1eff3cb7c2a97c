//! Membership on the page: each server's place in the configuration in force
//! ([`members`]: voter, learner, or out of it), and whether the page's Add
//! server button and a server's Remove item apply now ([`can_add`],
//! [`can_remove`]), with the engine's own sentence when they do not. The
//! checks are the leader's ([`Node::check_change`](crate::raft::Node::check_change)),
//! asked before acting, so a control is disabled with the reason the engine
//! would give; the action itself still goes through the one door and the
//! engine checks again.

use crate::sim::Cluster;
#[cfg(feature = "membership")]
use crate::sim::{NodeId, SimError, MAX_SERVERS};

/// Whether this build has membership changes: without them every server is
/// a voter, and the page's drawing code tests this constant (folded away)
/// rather than each server's [`Member`].
pub const MEMBERSHIP: bool = cfg!(feature = "membership");

/// A server's place in the configuration in force.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Member {
    /// It votes and counts toward a majority.
    Voter,
    /// It receives the log but neither votes nor counts (a new server catching up).
    Learner,
    /// The configuration no longer lists it (removed; it may still run).
    Removed,
}

impl Member {
    /// "voter", "learner" or "removed" (`state()`'s `member`).
    pub fn word(self) -> &'static str {
        match self {
            Member::Voter => "voter",
            Member::Learner => "learner",
            Member::Removed => "removed",
        }
    }
}

/// Each server's place, in id order, by the configuration in force: the
/// leader's (it counts the majorities), or without a leader the latest one
/// any server's log holds (ties: the lowest number). Before any change every
/// server is a voter.
#[cfg(feature = "membership")]
pub fn members(c: &Cluster) -> Vec<Member> {
    let servers = c.servers();
    let by = c.leader().and_then(|l| c.node(l)).or_else(|| {
        // The first server with the highest configuration index.
        servers.iter().rev().max_by_key(|s| s.raft().config_index())
    });
    servers
        .iter()
        .map(|s| match by {
            Some(b) if b.raft().learners().contains(&s.id()) => Member::Learner,
            Some(b) if !b.raft().members().contains(&s.id()) => Member::Removed,
            _ => Member::Voter,
        })
        .collect()
}

/// Every server is a voter in a build without membership changes.
#[cfg(not(feature = "membership"))]
pub fn members(c: &Cluster) -> Vec<Member> {
    vec![Member::Voter; c.servers().len()]
}

/// Whether the leader would add a server now; otherwise the engine's reason
/// (9 servers already, no leader, a change in progress...).
#[cfg(feature = "membership")]
pub fn can_add(c: &Cluster) -> Result<(), String> {
    let n = c.servers().len();
    if n >= MAX_SERVERS {
        return Err(SimError::TooManyServers.to_string());
    }
    change_check(c, crate::raft::Change::AddLearner(NodeId::from_index(n)))
}

/// Whether the leader would remove server `id` now; otherwise the engine's
/// reason (no leader, a change in progress, not in the configuration, the last voter...).
#[cfg(feature = "membership")]
pub fn can_remove(c: &Cluster, id: NodeId) -> Result<(), String> {
    change_check(c, crate::raft::Change::Remove(id))
}

#[cfg(feature = "membership")]
fn change_check(c: &Cluster, change: crate::raft::Change) -> Result<(), String> {
    let leader = c.leader().and_then(|l| c.node(l)).ok_or_else(|| SimError::NoLeader.to_string())?;
    leader.raft().check_change(change).map_err(|e| SimError::Change(e).to_string())
}
