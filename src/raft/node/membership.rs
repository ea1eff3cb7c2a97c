//! Membership changes, one server at a time (Raft thesis §4.1, §4.2), with
//! learners. The rules:
//!
//! - **A configuration is an entry of the log.** Each server uses the latest
//!   configuration in its log, committed or not: it changes as soon as the
//!   entry is stored, and changes back if a new leader truncates the entry.
//!   Before the first such entry, the cluster's first servers are the voters.
//! - **One server at a time.** An entry adds, promotes or removes one server,
//!   so every majority of the configuration before it shares a server with
//!   every majority of the one after it: two leaders of one term would need
//!   two votes from that server.
//! - **One change at a time.** A leader appends a configuration entry only
//!   when the previous one is committed, and only once it has committed an
//!   entry of its own term (the fix Ongaro posted in 2015: otherwise a change
//!   of a deposed leader, still uncommitted, and the new leader's change
//!   could each be committed by majorities that do not overlap).
//! - **Learners first.** A new server joins as a learner (`learner S6`): the
//!   leader sends it the log, but it neither votes, nor stands for election,
//!   nor counts toward a majority. When it stores every committed entry the
//!   leader promotes it (`+S6`), so adding a server never leaves the cluster
//!   waiting for a new, empty server to catch up before it can commit.
//! - **Removal.** From the entry `−S2` on, S2 counts for nothing; the leader
//!   keeps sending it the log, up to that entry, until the entry commits, and then one last
//!   AppendEntries with the new commit index, so that it normally learns
//!   that its removal committed and goes quiet. A removed leader leads (without counting itself) until
//!   its removal commits, then steps down. Learners and newcomers never stand
//!   for election.
//! - **Messages from anyone.** A server handles a request whatever its
//!   configuration says of the sender (a new leader may be a server it does
//!   not know of yet), but a candidate counts only the votes of its voters,
//!   and a leader only their acknowledgements.
//!
//! The last two rules hold once the cluster's membership changes: when the
//! node's log holds a configuration entry, or its runner opened it
//! ([`Node::open_membership`]). Until then a node keeps the rules of a fixed
//! cluster: it hears only its members, and stands even if its member list
//! leaves it out.
//! - **A removed server never leads again.** A server refuses its vote to a
//!   candidate its log removes unless the candidate's log ends in a later
//!   term than that entry and the server does not know the entry committed.
//!   Once the removal is committed a majority of the new configuration
//!   stores it, and every majority the removed server could gather (of the
//!   new configuration, or of the old one if it missed the entry) includes
//!   one of those, which refuses it: if the removed server missed the entry,
//!   its log ends before the term of the entry that committed it (Leader
//!   Completeness), so that voter finds its log behind; if it holds the
//!   entry, its log ends in the entry's term (a leader sends a server it
//!   removes the log only up to that entry; a later term there would be its
//!   own as the caretaker below, and then the removal could only have been
//!   committed by a later leader whose voters' logs end later still), so the
//!   exception does not apply.
//! - Without the exception a stale removal could block every election: a
//!   deposed leader's uncommitted `−S2`, kept by S3 alone, made S3 refuse
//!   S2, the only server able to win (chaos seeds 4989 and 6154).
//! - A server the latest entry of its log removes, not knowing whether that
//!   entry is committed, still stands (thesis §4.2.2: it may be needed to
//!   commit it, when it has the longest log), counting only the new
//!   configuration's votes; once it knows the entry removing it is committed
//!   it never stands again (a real server would shut down; this one
//!   remembers it across restarts). Only an entry removing it counts: a
//!   newcomer whose first entries do not add it yet has not been removed.
//! - A removed server that missed its removal (crashed or cut off) still
//!   thinks it is a voter: when its timer runs out it asks for votes with a
//!   higher term (thesis §4.2.3). It cannot win, but without pre-vote or
//!   check-quorum the higher term deposes the leader; with either, the
//!   members, who hear from their leader, ignore it.

use super::{Node, Note, Output, Progress, Role};
use crate::raft::membership::{Change, ChangeError, MemberNote};
use crate::raft::types::{Command, Entry, NodeId};

/// A configuration: voters, learners, the index of the configuration entry
/// that made it (0: the first servers) and the server that entry removes.
#[derive(Clone, Debug, Default)]
pub(super) struct Config {
    pub(super) voters: Vec<NodeId>,
    pub(super) learners: Vec<NodeId>,
    pub(super) index: u64,
    pub(super) removing: Option<NodeId>,
}

/// A node's configuration beyond its voters (which are `Node::members`).
#[derive(Clone, Debug, Default)]
pub(super) struct Conf {
    /// The voters before the log's first configuration entry: the cluster's first servers.
    pub(super) base: Vec<NodeId>,
    /// The learners.
    pub(super) learners: Vec<NodeId>,
    /// The index of the latest configuration entry of the log (0: none, `base` is in force).
    pub(super) index: u64,
    /// The server the latest configuration entry removes, if it removes one.
    removing: Option<NodeId>,
    /// The runner said the cluster's membership changes (see the module's doc).
    open: bool,
    /// It knew that its removal was committed: it never stands again (a
    /// real server would shut down; this one keeps it across restarts, as
    /// if written on disk).
    retired: bool,
}

impl Conf {
    /// The configuration of a node whose first voters were `base`.
    pub(super) fn new(base: &[NodeId]) -> Conf {
        Conf { base: base.to_vec(), ..Conf::default() }
    }
    /// The configuration of a node restarted from its persistent state (see
    /// `Persistent`): whether its membership changes, whether it knew its
    /// removal was committed.
    pub(super) fn restored(base: &[NodeId], open: bool, retired: bool) -> Conf {
        Conf { open, retired, ..Conf::new(base) }
    }
}

impl Node {
    /// The voters before the log's first configuration entry (a node
    /// restarted after a crash starts from them and rereads its log).
    pub fn initial_members(&self) -> &[NodeId] {
        &self.conf.base
    }
    /// The learners of this node's configuration: they receive the log but
    /// do not vote.
    pub fn learners(&self) -> &[NodeId] {
        &self.conf.learners
    }
    /// The index of the latest configuration entry in this node's log (0: none).
    pub fn config_index(&self) -> u64 {
        self.conf.index
    }
    /// The runner's word that the cluster's membership changes: from now on
    /// the node hears servers its configuration does not list, and never
    /// stands for election unless it is a voter. (A configuration entry in
    /// its log says as much.) Persistent state: a restart keeps it
    /// (`Persistent::membership_open`).
    pub fn open_membership(&mut self) {
        self.conf.open = true;
    }
    /// True when this node is out of its configuration and knows the entry
    /// that took it out is committed (or knew it before a restart). A
    /// learner is in it, not yet a voter; so is a newcomer whose log holds
    /// committed configuration entries but not yet the one adding it (a
    /// first batch, or a snapshot taken before it was added): only an entry
    /// removing it counts.
    pub(super) fn knows_own_removal(&self) -> bool {
        if self.conf.retired {
            return true;
        }
        if self.is_voter() || self.conf.learners.contains(&self.id) {
            return false;
        }
        self.removed_by(self.id, |e| e.index <= self.commit_index)
    }
    /// True when the snapshot's prefix removed `id`, or an entry of the log
    /// removing it meets `counts`.
    fn removed_by(&self, id: NodeId, counts: impl Fn(&Entry) -> bool) -> bool {
        #[cfg(feature = "compaction")]
        if self.snap.config.removed.contains(&id) {
            return true;
        }
        let remove = Command::Config { change: Change::Remove(id) };
        self.log.iter().any(|e| e.command == remove && counts(e))
    }
    /// True when this node's log holds an entry removing `id`, committed or
    /// not, of a term at least the candidate's last log term
    /// (`candidate_last_term`): it then refuses `id` its vote. So a removed
    /// server never leads again once its removal is committed: a majority
    /// stores the entry, and every majority it could gather includes one of
    /// them (the rules' proof in the module's doc).
    ///
    /// A candidate whose log ends in a later term than the entry is not
    /// refused for it: the entry may be a deposed leader's, never committed
    /// and already replaced on the others (refusing then can leave no server
    /// able to win: chaos seeds 4989 and 6154 of the membership variants).
    pub(super) fn knows_removed(&self, id: NodeId, candidate_last_term: u64) -> bool {
        if self.members.contains(&id) || !self.membership_open() {
            return false;
        }
        self.removed_by(id, |e| e.term >= candidate_last_term || e.index <= self.commit_index)
    }
    /// True once the membership rules apply (see [`Node::open_membership`]).
    pub fn membership_open(&self) -> bool {
        self.conf.open || self.conf.index > 0
    }
    /// True when this node is a voter of its configuration.
    pub fn is_voter(&self) -> bool {
        self.members.contains(&self.id)
    }

    /// Whether this node, as leader, would append `change` now (see the
    /// module's rules); the error says why not.
    pub fn check_change(&self, change: Change) -> Result<(), ChangeError> {
        if self.role != Role::Leader {
            return Err(ChangeError::NotLeader { leader: self.leader });
        }
        if self.transfer.is_some() {
            return Err(ChangeError::Transferring);
        }
        if self.conf.index > self.commit_index {
            return Err(ChangeError::Pending(self.conf.index));
        }
        if self.term_at(self.commit_index) != Some(self.term) {
            return Err(ChangeError::NotReady);
        }
        let n = change.node();
        let voter = self.members.contains(&n);
        let learner = self.conf.learners.contains(&n);
        match change {
            // Removing a learner ends its add; anything else but its promotion waits for it.
            Change::Remove(_) | Change::Promote(_) if learner => Ok(()),
            _ if !self.conf.learners.is_empty() => Err(ChangeError::CatchingUp(self.conf.learners[0])),
            Change::AddLearner(_) if voter || learner => Err(ChangeError::AlreadyMember(n)),
            Change::Promote(_) if !learner => Err(ChangeError::NotMember(n)),
            Change::Remove(_) if !voter => Err(ChangeError::NotMember(n)),
            Change::Remove(_) if self.members.len() == 1 => Err(ChangeError::LastVoter(n)),
            _ => Ok(()),
        }
    }

    /// As leader: appends the configuration entry `change` and replicates it,
    /// returning its index. A new learner is sent the log from its start.
    pub fn change_config(&mut self, change: Change, out: &mut Vec<Output>) -> Result<u64, ChangeError> {
        self.check_change(change)?;
        Ok(self.append_config(change, out))
    }

    fn append_config(&mut self, change: Change, out: &mut Vec<Output>) -> u64 {
        let index = self.append_as_leader(Command::Config { change }, None, out);
        self.reconfigure();
        if let Change::AddLearner(n) = change {
            // A new server's log is empty: no need to probe back from the end.
            self.progress[n.index()] = Progress { next_index: 1, match_index: 0, probing: true };
        }
        self.broadcast_append(out);
        self.maybe_commit(out);
        index
    }

    /// Recomputes the configuration from the log: the latest configuration
    /// entry's, built from `base` change by change.
    pub(super) fn reconfigure(&mut self) {
        let Config { voters, learners, index, removing } = self.config_upto(self.last_index());
        self.members = voters;
        self.conf.learners = learners;
        self.conf.index = index;
        self.conf.removing = removing;
        // Room in the per-server tables for every server named.
        let n = self.members.iter().chain(&self.conf.learners).chain(&removing).map(|m| m.index() + 1).max();
        let n = n.unwrap_or(0).max(self.progress.len());
        self.progress.resize(n, Progress::default());
        self.heard.resize(n, false);
        self.acked_round.resize(n, 0);
    }

    /// The configuration in force at `upto` (the snapshot's, or the first
    /// servers', then the log's configuration entries up to there, change by change).
    pub(super) fn config_upto(&self, upto: u64) -> Config {
        #[cfg(feature = "compaction")]
        let c = &self.snap.config;
        #[cfg(feature = "compaction")]
        let mut config = match self.snap.index {
            0 => Config { voters: self.conf.base.clone(), ..Config::default() },
            _ => {
                Config { voters: c.voters.clone(), learners: c.learners.clone(), index: c.index, removing: c.removing }
            }
        };
        #[cfg(not(feature = "compaction"))]
        let mut config = Config { voters: self.conf.base.clone(), ..Config::default() };
        let Config { voters, learners, index, removing } = &mut config;
        for e in self.log.iter().take_while(|e| e.index <= upto) {
            let Command::Config { change } = e.command else { continue };
            *index = e.index;
            *removing = None;
            match change {
                Change::AddLearner(n) if !voters.contains(&n) && !learners.contains(&n) => learners.push(n),
                Change::AddLearner(_) => {}
                Change::Promote(n) => {
                    learners.retain(|&l| l != n);
                    if !voters.contains(&n) {
                        voters.push(n);
                    }
                }
                Change::Remove(n) => {
                    voters.retain(|&v| v != n);
                    learners.retain(|&l| l != n);
                    *removing = Some(n);
                }
            }
        }
        NodeId::sort(voters);
        config
    }

    /// After a follower stored entries from index `from` on (or removed
    /// some): rereads the configuration if a configuration entry came or went.
    pub(super) fn follow_log(&mut self, from: u64) {
        let from = from.max(1);
        let tail = self.log_from(from);
        if self.conf.index >= from || tail.iter().any(|e| matches!(e.command, Command::Config { .. })) {
            self.reconfigure();
        }
    }

    /// Who a leader sends the log to: the other voters, the learners, and a
    /// server being removed until its removal commits.
    pub(super) fn targets(&self) -> Vec<NodeId> {
        let removing = self.conf.removing.filter(|_| self.conf.index > self.commit_index);
        self.members.iter().chain(&self.conf.learners).chain(&removing).copied().filter(|&m| m != self.id).collect()
    }

    /// The last entry a leader sends `to`, whose log ends at `last`: a
    /// server being removed gets the log up to the entry removing it, never
    /// beyond. So a removed server that holds its removal has a log ending
    /// in that entry's term (unless it led since, as the thesis's caretaker),
    /// which the voters' rule (`knows_removed`) relies on.
    pub(super) fn last_to_send(&self, to: NodeId, last: u64) -> u64 {
        if self.conf.removing == Some(to) {
            last.min(self.conf.index)
        } else {
            last
        }
    }

    /// True (and reported) when this node may not stand for election: a
    /// learner, a server no configuration entry added (a newcomer with an
    /// empty log), or one whose removal it knows is committed. A server the
    /// latest entry removes, not known to be committed, still stands (thesis
    /// §4.2.2: it may be needed to commit that entry) without counting its
    /// own vote.
    pub(super) fn cannot_stand(&mut self, out: &mut Vec<Output>) -> bool {
        if self.is_voter() || !self.membership_open() {
            return false;
        }
        let learner = self.conf.learners.contains(&self.id);
        if self.conf.removing == Some(self.id) && !self.knows_own_removal() {
            return false;
        }
        out.push(Output::Note(Note::Member(MemberNote::NotVoter { learner })));
        true
    }

    /// After the leader's commit index moved up from `old`: reports a
    /// configuration entry it committed, steps down if that entry removed
    /// it, and promotes a learner that caught up.
    pub(super) fn after_commit(&mut self, old: u64, out: &mut Vec<Output>) {
        let index = self.conf.index;
        if index > old && index <= self.commit_index {
            if let Some(&Command::Config { change }) = self.entry(index).map(|e| &e.command) {
                let voters = self.members.clone();
                out.push(Output::Note(Note::Member(MemberNote::Committed { index, change, voters })));
                // The last word to a removed follower: its removal is committed.
                if let Change::Remove(gone) = change {
                    if gone != self.id && self.progress.get(gone.index()).is_some() {
                        self.send_append(gone, out);
                    }
                }
            }
            if !self.is_voter() {
                out.push(Output::Note(Note::Member(MemberNote::LeftCluster { term: self.term })));
                self.become_follower(self.term, None, None, out);
                return;
            }
        }
        self.maybe_promote(out);
    }

    /// As leader: promotes the learner once it stores every committed entry
    /// (when a change may begin at all).
    pub(super) fn maybe_promote(&mut self, out: &mut Vec<Output>) {
        let Some(&learner) = self.conf.learners.first() else { return };
        let match_index = self.progress.get(learner.index()).map_or(0, |p| p.match_index);
        if match_index >= self.commit_index && self.check_change(Change::Promote(learner)).is_ok() {
            out.push(Output::Note(Note::Member(MemberNote::CaughtUp { learner, match_index })));
            self.append_config(Change::Promote(learner), out);
        }
    }
}
