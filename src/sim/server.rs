//! One server of the simulated cluster: its Raft node, whether it runs and is
//! cut off, and its timers (each with a generation, so that a reset or a crash
//! makes the one already scheduled fire as nothing).

use super::Due;
use crate::raft::{Entry, Node, NodeId, Progress, Role};

/// How long a heartbeat round holds the leader's lease up: the shortest
/// election timeout less a tenth, a margin for clock drift (the simulated
/// clocks do not drift; real ones do). Servers that answered the round will
/// not vote for anyone else for at least the shortest election timeout after
/// they received it, which was after the round began.
pub fn lease_ms(shortest_election_timeout_ms: u64) -> u64 {
    shortest_election_timeout_ms - shortest_election_timeout_ms / 10
}

/// A timer of a server: when it was started and when it runs out (virtual ms).
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct Timer {
    /// When it was (re)started.
    pub started: u64,
    /// When it runs out.
    pub deadline: u64,
}

/// One server of the cluster: its Raft node plus what the simulator knows of it
/// (running or crashed, cut off or not, its timers).
#[derive(Clone, Debug)]
pub struct Server {
    pub(super) node: Node,
    pub(super) up: bool,
    pub(super) disconnected: bool,
    pub(super) group: u32,
    pub(super) election: Option<Timer>,
    pub(super) heartbeat: Option<Timer>,
    /// Heard from its leader (pre-vote, check-quorum, lease).
    pub(super) leader_contact: Option<Timer>,
    /// A leader's check-quorum period.
    pub(super) check_quorum: Option<Timer>,
    pub(super) election_gen: u64,
    pub(super) heartbeat_gen: u64,
    pub(super) contact_gen: u64,
    pub(super) check_gen: u64,
    /// Bumped at each crash: lease timers of the node before it are stale.
    pub(super) lease_gen: u64,
    /// The queue's entries of the election, heartbeat, leader-contact and
    /// check-quorum timers (see `Cluster::schedule_timer`).
    pub(super) timers: [Queued; 4],
}

/// A timer's place in the event queue: its one entry there (time and
/// sequence number), and the latest (re)start's time, sequence number and event.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Queued {
    pub(super) queued: Option<(u64, u64)>,
    pub(super) latest: Option<(u64, u64, Due)>,
}

impl Server {
    /// A running server around a fresh node, no timer started yet.
    pub(super) fn new(node: Node) -> Server {
        Server {
            node,
            up: true,
            disconnected: false,
            group: 0,
            election: None,
            heartbeat: None,
            leader_contact: None,
            check_quorum: None,
            election_gen: 0,
            heartbeat_gen: 0,
            contact_gen: 0,
            check_gen: 0,
            lease_gen: 0,
            timers: [Queued::default(); 4],
        }
    }
    /// Its id.
    pub fn id(&self) -> NodeId {
        self.node.id()
    }
    /// Follower, candidate or leader (a crashed server shows what it will restart as: follower).
    pub fn role(&self) -> Role {
        self.node.role()
    }
    /// Its current term.
    pub fn term(&self) -> u64 {
        self.node.term()
    }
    /// Whom it voted for in its current term.
    pub fn voted_for(&self) -> Option<NodeId> {
        self.node.voted_for()
    }
    /// Its log; `log()[i]` has index `i + 1`.
    pub fn log(&self) -> &[Entry] {
        self.node.log()
    }
    /// The highest index it knows to be committed.
    pub fn commit_index(&self) -> u64 {
        self.node.commit_index()
    }
    /// True unless crashed.
    pub fn is_up(&self) -> bool {
        self.up
    }
    /// True when cut off from everyone (by `disconnect`).
    pub fn is_disconnected(&self) -> bool {
        self.disconnected
    }
    /// Its partition group (0 when no partition is in place, or for servers no group names).
    pub fn group(&self) -> u32 {
        self.group
    }
    /// Its election timer, while running.
    pub fn election_timer(&self) -> Option<Timer> {
        self.election
    }
    /// Its heartbeat timer, while it leads.
    pub fn heartbeat_timer(&self) -> Option<Timer> {
        self.heartbeat
    }
    /// Its leader-contact timer: running while it heard from its leader less
    /// than the shortest election timeout ago (with pre-vote, check-quorum or
    /// the lease read mode).
    pub fn leader_contact_timer(&self) -> Option<Timer> {
        self.leader_contact
    }
    /// Its check-quorum timer, while it leads with check-quorum on.
    pub fn check_quorum_timer(&self) -> Option<Timer> {
        self.check_quorum
    }

    /// Stops every timer (the server crashed): any that was due fires as nothing.
    pub(super) fn stop_timers(&mut self) {
        self.election = None;
        self.heartbeat = None;
        self.leader_contact = None;
        self.check_quorum = None;
        self.election_gen += 1;
        self.heartbeat_gen += 1;
        self.contact_gen += 1;
        self.check_gen += 1;
        self.lease_gen += 1;
    }
    /// As leader: nextIndex and matchIndex for `peer`.
    pub fn progress(&self, peer: NodeId) -> Option<Progress> {
        self.node.progress(peer)
    }
    /// Whether it holds the same log as `other`: the same last entry, and
    /// the same entries after the later of their snapshots. (Before that
    /// index both hold committed entries only, and the same entry there
    /// means the same entries before it: Log Matching.) Without snapshots,
    /// the same entries.
    pub fn same_log(&self, other: &Server) -> bool {
        let (a, b) = (&self.node, &other.node);
        let from = a.snapshot_index().max(b.snapshot_index());
        a.last_index() == b.last_index()
            && a.term_at(from) == b.term_at(from)
            && a.log_from(from + 1) == b.log_from(from + 1)
    }
    /// The Raft node itself, for everything else (state machine, votes, leader hint...).
    pub fn raft(&self) -> &Node {
        &self.node
    }
}
