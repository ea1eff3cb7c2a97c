//! Membership changes in the simulated cluster: adding a server
//! ([`Cluster::add_server`]) and removing one ([`Cluster::remove_server`]),
//! both actions of the history; what the servers report about their
//! configurations, told in sentences ([`MemberEvent`]); and the monitor's
//! checks by the configuration in force.
//!
//! The rules themselves are the nodes' (`raft/node/membership.rs`): single-
//! server changes through the log, learners first. Here:
//!
//! - A new server gets the next number (servers are never renumbered and a
//!   number is never given twice, so messages of a removed server can never
//!   pass for a newcomer's): at most 9 servers in all, removed ones included.
//!   It starts with an empty log and, as its configuration, the cluster's
//!   first servers; it learns the rest from the leader's log.
//! - A removed server keeps running, as a real one would until someone shuts
//!   it down: if it missed its removal it may stand for election, and the
//!   trace says so ([`MemberEvent::Disrupts`]).
//! - The monitor, once a run has changed its membership, checks each new
//!   leader against the configuration in its own log (recomputed here from
//!   the log, not taken from the node): it is a voter there, a majority of
//!   that configuration's voters elected it, and its removal was never
//!   committed; and each commit against the leader's configuration: a
//!   majority of its voters store the entry (their logs, not the leader's
//!   bookkeeping).

use super::{Action, Cluster, EventData, EventKind, NodeId, Property, Server, SimError};
use crate::raft::{Change, Command, Entry, MemberNote, Node, Note};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The most servers a cluster can have had (the page draws up to 9).
pub const MAX_SERVERS: usize = 9;

/// Something about the cluster's membership ([`EventData::Member`]). In
/// JSON, one object tagged by its name: `{"joined":{"leader":1}}`.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // the fields are named for what they hold; each variant says what it reports
pub enum MemberEvent {
    /// The server joined the network with an empty log; `leader` adds it as a learner.
    Joined { leader: NodeId },
    /// The leader committed the configuration entry at `index`; `voters` are in force.
    Committed { index: u64, change: Change, voters: Vec<NodeId> },
    /// The leader's learner stores every committed entry (up to `match_index`): the leader promotes it.
    CaughtUp { learner: NodeId, match_index: u64 },
    /// The leader's own removal committed: it steps down.
    LeftCluster { term: u64 },
    /// The server's election timer ran out but it is not a voter (a learner when `learner`).
    NotVoter { learner: bool },
    /// A server whose removal is committed stands for election in `term`
    /// (with `pre_vote`: asks first): it never stored the entry that removed
    /// it, or (`stored`) stored it but does not know it is committed.
    Disrupts { term: u64, pre_vote: bool, stored: bool },
}

impl MemberEvent {
    /// The sort of event, for the page's icon and colour.
    pub(super) fn kind(&self) -> EventKind {
        match self {
            MemberEvent::Joined { .. } => EventKind::Start,
            MemberEvent::Committed { .. } => EventKind::Commit,
            MemberEvent::CaughtUp { .. } => EventKind::Replication,
            MemberEvent::LeftCluster { .. } | MemberEvent::NotVoter { .. } | MemberEvent::Disrupts { .. } => {
                EventKind::Election
            }
        }
    }

    /// The other servers the event concerns.
    pub(super) fn others(&self) -> Vec<NodeId> {
        match self {
            MemberEvent::Joined { leader } => vec![*leader],
            MemberEvent::Committed { change, .. } => vec![change.node()],
            MemberEvent::CaughtUp { learner, .. } => vec![*learner],
            _ => vec![],
        }
    }

    /// The sentence, about server `node`.
    pub(super) fn tell(&self, f: &mut fmt::Formatter<'_>, node: NodeId) -> fmt::Result {
        match self {
            MemberEvent::Joined { leader } => write!(
                f,
                "{node} joined with an empty log; the leader {leader} adds it as a learner: it gets the log but neither votes nor counts toward a majority until it catches up"
            ),
            MemberEvent::Committed { index, change, voters } => write!(
                f,
                "{node} committed the configuration change {change} (index {index}): the voters are {}, a majority is {}; the next change may begin",
                super::narrate::List(voters),
                voters.len() / 2 + 1
            ),
            MemberEvent::CaughtUp { learner, match_index } => write!(
                f,
                "{learner} stores every committed entry (up to {match_index}): the leader {node} promotes it to a voter with the entry +{learner}"
            ),
            MemberEvent::LeftCluster { term } => write!(
                f,
                "{node}'s removal is committed: it steps down as leader of term {term} and, no longer a voter, never stands for election again"
            ),
            MemberEvent::NotVoter { learner: true } => {
                write!(f, "{node}'s election timer ran out, but {node} is a learner: it does not stand for election")
            }
            MemberEvent::NotVoter { learner: false } => write!(
                f,
                "{node}'s election timer ran out, but its configuration does not list it as a voter: it does not stand for election"
            ),
            MemberEvent::Disrupts { term, pre_vote, stored } => {
                write!(f, "{node} was removed, but ")?;
                f.write_str(if *stored {
                    "it does not know its removal is committed, and stands in case it is needed to commit it"
                } else {
                    "it never stored the entry that removed it, so it still thinks it is a voter"
                })?;
                let act = if *pre_vote { "asks for pre-votes for" } else { "stands for election in" };
                write!(f, ": it {act} term {term}; it cannot win (the servers that store its removal refuse it)")?;
                f.write_str(if *pre_vote {
                    ", and members that hear from their leader refuse to raise their term (pre-vote)"
                } else {
                    ", but its higher term deposes the leader (pre-vote or check-quorum would stop that)"
                })
            }
        }
    }
}

/// The voters and learners of the configuration in force in `log`, for a
/// cluster whose first voters were `base`: replayed from the log, change by change.
pub(super) fn config_of(base: &[NodeId], log: &[Entry]) -> (Vec<NodeId>, Vec<NodeId>) {
    let (mut voters, mut learners) = (base.to_vec(), Vec::new());
    for e in log {
        match e.command {
            Command::Config { change: Change::AddLearner(n) } if !voters.contains(&n) && !learners.contains(&n) => {
                learners.push(n)
            }
            Command::Config { change: Change::Promote(n) } if !voters.contains(&n) => {
                learners.retain(|&l| l != n);
                voters.push(n);
            }
            Command::Config { change: Change::Remove(n) } => {
                voters.retain(|&v| v != n);
                learners.retain(|&l| l != n);
            }
            _ => {}
        }
    }
    NodeId::sort(&mut voters);
    (voters, learners)
}

/// True when the latest configuration entry of `log` (a prefix of `node`'s
/// log; its snapshot's, if the log holds none) removes `id` (it may then
/// still be elected, without its own vote: thesis §4.2.2).
fn removed_last(node: &Node, log: &[Entry], id: NodeId) -> bool {
    let latest = log.iter().rev().find_map(|e| match e.command {
        Command::Config { change } => Some(change),
        _ => None,
    });
    #[cfg(feature = "compaction")]
    if latest.is_none() && node.snapshot_index() > 0 {
        return node.snapshot().config.removing == Some(id);
    }
    let _ = node;
    latest == Some(Change::Remove(id))
}

/// The voters before `node`'s log: its snapshot's configuration's (log
/// compaction), or the cluster's first servers.
fn base_voters(node: &Node) -> Vec<NodeId> {
    #[cfg(feature = "compaction")]
    if node.snapshot_index() > 0 {
        return node.snapshot().config.voters.clone();
    }
    node.initial_members().to_vec()
}

impl Cluster {
    /// Adds a server: a fresh one, numbered after the last, joins as a
    /// learner of the leader and becomes a voter once it has caught up. Its
    /// number, or why not: no leader, another change in progress, 9 servers already.
    pub fn add_server(&mut self) -> Result<NodeId, SimError> {
        self.perform(Action::AddServer).map(|n| NodeId(n as u8))
    }

    /// Removes server `id` (a voter or a learner) through the leader's log.
    /// Refused while another change is in progress, or when `id` is the last voter.
    pub fn remove_server(&mut self, id: NodeId) -> Result<(), SimError> {
        self.perform(Action::RemoveServer { node: id }).map(drop)
    }

    pub(super) fn do_add_server(&mut self) -> Result<u64, SimError> {
        if self.servers.len() >= MAX_SERVERS {
            return Err(SimError::TooManyServers);
        }
        let leader = self.leader().ok_or(SimError::NoLeader)?;
        let id = NodeId::from_index(self.servers.len());
        let change = Change::AddLearner(id);
        self.servers[leader.index()].node.check_change(change).map_err(SimError::Change)?;
        let base = self.servers[leader.index()].node.initial_members().to_vec();
        self.open_membership();
        self.grow_links();
        let mut node = Node::new(id, base, self.cfg.raft.clone());
        node.open_membership();
        self.servers.push(Server::new(node));
        self.log(EventData::Member { node: id, event: MemberEvent::Joined { leader } });
        self.step_node(id, |node, out| node.start(out));
        self.step_node(leader, |node, out| node.change_config(change, out)).map_err(SimError::Change)?;
        Ok(id.0 as u64)
    }

    pub(super) fn do_remove_server(&mut self, id: NodeId) -> Result<(), SimError> {
        self.check_node(id)?;
        let leader = self.leader().ok_or(SimError::NoLeader)?;
        let change = Change::Remove(id);
        self.servers[leader.index()].node.check_change(change).map_err(SimError::Change)?;
        self.open_membership();
        self.step_node(leader, |node, out| node.change_config(change, out)).map_err(SimError::Change)?;
        Ok(())
    }

    /// Tells every server that the membership changes (`Node::open_membership`).
    fn open_membership(&mut self) {
        for s in &mut self.servers {
            s.node.open_membership();
        }
    }

    /// Makes room in the links' table for one more server (the client's
    /// links move from number n to n+1).
    fn grow_links(&mut self) {
        let n = self.servers.len();
        let mut grown = vec![0; (n + 2) * (n + 2)];
        for from in 0..=n {
            for to in 0..=n {
                let at = |x: usize| if x == n { n + 1 } else { x };
                grown[at(from) * (n + 2) + at(to)] = self.link_last[from * (n + 1) + to];
            }
        }
        self.link_last = grown;
    }

    /// True once a run has changed its membership (a server added or a configuration entry in a log).
    pub(super) fn membership_changed(&self) -> bool {
        self.servers.len() > self.initial.nodes || self.servers.iter().any(|s| s.node.config_index() > 0)
    }

    /// True once an entry that removes `id` was committed (by any leader,
    /// at any time: the servers that knew may since have restarted).
    pub fn is_removed(&self, id: NodeId) -> bool {
        self.monitor.committed().any(|e| e.command == Command::Config { change: Change::Remove(id) })
    }

    /// What server `id` reported about its configuration, as an event.
    pub(super) fn member_event(&self, id: NodeId, note: MemberNote) -> EventData {
        let event = match note {
            MemberNote::Committed { index, change, voters } => MemberEvent::Committed { index, change, voters },
            MemberNote::CaughtUp { learner, match_index } => MemberEvent::CaughtUp { learner, match_index },
            MemberNote::LeftCluster { term } => MemberEvent::LeftCluster { term },
            MemberNote::NotVoter { learner } => MemberEvent::NotVoter { learner },
        };
        EventData::Member { node: id, event }
    }

    /// Before server `id`'s note is logged: the monitor's checks by the
    /// configuration in force (see the module's doc). Returns an event to log
    /// after the note's own: a removed server standing for election.
    pub(super) fn member_checks(&mut self, id: NodeId, note: &Note) -> Option<EventData> {
        let checked = matches!(
            note,
            Note::StartedElection { .. }
                | Note::PreVoteStarted { .. }
                | Note::BecameLeader { .. }
                | Note::Committed { .. }
        );
        if !checked || !self.membership_changed() {
            return None;
        }
        let node = &self.servers[id.index()].node;
        match note {
            Note::StartedElection { term, .. } | Note::PreVoteStarted { term } if self.is_removed(id) => {
                let pre_vote = matches!(note, Note::PreVoteStarted { .. });
                let stored = !node.is_voter();
                Some(EventData::Member { node: id, event: MemberEvent::Disrupts { term: *term, pre_vote, stored } })
            }
            Note::BecameLeader { term, votes } => {
                // The configuration it was elected in: its log without the
                // entries of its own term (it appended them since, in this step).
                let before = node.log().iter().position(|e| e.term >= *term).unwrap_or(node.log().len());
                let (voters, _) = config_of(&base_voters(node), &node.log()[..before]);
                let (now, _) = config_of(&base_voters(node), node.log());
                let counted = votes.iter().filter(|v| voters.contains(v)).count();
                let why = if self.is_removed(id) {
                    Some(format!("{id} became leader of term {term}, but its removal had been committed."))
                } else if !voters.contains(&id) && !removed_last(node, &node.log()[..before], id) {
                    Some(format!(
                        "{id} became leader of term {term}, but its log's configuration does not list it as a voter."
                    ))
                } else if counted < voters.len() / 2 + 1 {
                    Some(format!(
                        "{id} became leader of term {term} with {counted} vote(s) of its configuration's voters {}: not a majority.",
                        super::narrate::List(&voters)
                    ))
                } else if now != node.members() {
                    Some(format!(
                        "{id}, leader of term {term}, counts the voters {} while the configuration in its log is {}.",
                        super::narrate::List(node.members()),
                        super::narrate::List(&now)
                    ))
                } else {
                    None
                };
                if let Some(why) = why {
                    let new = self.monitor.report_member(self.now, Property::ElectionSafety, *term, id, why);
                    self.log_violations(new);
                }
                None
            }
            Note::Committed { to, .. } => {
                // (The leader may have compacted it in the same step.)
                let term = super::monitor::entry_or_compacted(node, *to).map(|e| e.term);
                // The configuration in the leader's log, not the node's own
                // record of it: a slip in keeping that record would count
                // with the same wrong voters.
                let (voters, _) = config_of(&base_voters(node), node.log());
                let voters = &voters[..];
                let holders: Vec<NodeId> = voters
                    .iter()
                    .copied()
                    .filter(|v| {
                        self.servers.get(v.index()).is_some_and(|s| {
                            // A snapshot up to `to` or beyond holds it: State Machine
                            // Safety checks every snapshot against what was applied.
                            (term.is_some() && s.node.term_at(*to) == term) || *to < s.node.snapshot_index()
                        })
                    })
                    .collect();
                if holders.len() < voters.len() / 2 + 1 {
                    let why = format!(
                        "{id} committed index {to}, but only {} of its voters {} store it: not a majority.",
                        super::narrate::List(&holders),
                        super::narrate::List(voters)
                    );
                    let new = self.monitor.report_member(self.now, Property::StateMachineSafety, *to, id, why);
                    self.log_violations(new);
                }
                None
            }
            _ => None,
        }
    }
}
