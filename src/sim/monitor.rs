//! The safety monitor: after every event it checks the five properties of
//! the Raft paper (Figure 3), that no acknowledged write is lost, and that
//! the client's history is linearizable.
//!
//! The checks are incremental, so they are cheap enough to run after every
//! event: each looks only at what the last step of one node changed.
//!
//! - **Election Safety**: at most one leader per term (a table term → leader).
//! - **Leader Append-Only**: a leader never overwrites or deletes its entries
//!   (the node reports the lowest log index it changed in the step).
//! - **Log Matching**: two logs with an entry of the same index and term agree
//!   on everything up to there. Checked by induction: every (index, term) ever
//!   stored anywhere must always carry the same command and follow an entry of
//!   the same term.
//! - **Leader Completeness**: a new leader's log holds every committed entry.
//! - **State Machine Safety**: no two servers apply different entries at one
//!   index; no server removes an entry it has committed.
//! - **Acknowledged writes**: an entry the client was told is committed stays
//!   (and, when it was acknowledged before anyone applied it, is the entry
//!   first applied at its index).
//! - **Linearizable client history**: the client's writes and reads could
//!   have come from one copy of the store (`history.rs` keeps the history,
//!   `linearizability.rs` checks it), checked each time an operation is
//!   answered.

use super::chunks::{Chunked, Kin, Weigh};
use super::history::History;
use super::linearizability::PROPERTY_NAME;
use super::ClientOp;
use crate::raft::{Command, Entry, Node, NodeId, Role};
use crate::sorted_map::SortedMap;
use serde::{Deserialize, Serialize};

/// The safety property a [`Violation`] breaks.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub enum Property {
    /// At most one leader can be elected in a given term.
    ElectionSafety,
    /// A leader never overwrites or deletes entries in its log; it only appends.
    LeaderAppendOnly,
    /// If two logs contain an entry with the same index and term, the logs are identical up to that index.
    LogMatching,
    /// An entry committed in a term is in the logs of the leaders of all higher terms.
    LeaderCompleteness,
    /// Once a server has applied an entry at an index, no server applies a different one there.
    StateMachineSafety,
    /// A write the client was told is committed is never lost.
    AckedWriteKept,
    /// The client's history of writes and reads could have come from one copy of the store.
    Linearizable,
}

impl Property {
    /// Every property the monitor checks, in the order of the module's doc
    /// (the safety badge counts and names them from here).
    pub const ALL: [Property; 7] = [
        Property::ElectionSafety,
        Property::LeaderAppendOnly,
        Property::LogMatching,
        Property::LeaderCompleteness,
        Property::StateMachineSafety,
        Property::AckedWriteKept,
        Property::Linearizable,
    ];

    /// The property's name as the Raft paper gives it.
    pub fn name(self) -> &'static str {
        match self {
            Property::ElectionSafety => "Election Safety",
            Property::LeaderAppendOnly => "Leader Append-Only",
            Property::LogMatching => "Log Matching",
            Property::LeaderCompleteness => "Leader Completeness",
            Property::StateMachineSafety => "State Machine Safety",
            Property::AckedWriteKept => "Acknowledged writes are kept",
            Property::Linearizable => PROPERTY_NAME,
        }
    }
}

/// A broken safety property.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Violation {
    /// Virtual time it was seen.
    pub time: u64,
    /// The property that broke.
    pub property: Property,
    /// The servers involved.
    pub nodes: Vec<NodeId>,
    /// The log index involved, if any.
    pub index: Option<u64>,
    /// The term involved, if any.
    pub term: Option<u64>,
    /// A sentence that explains it.
    pub explanation: String,
}

/// What a node looked like just before a step (the monitor compares).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Before {
    leader_term: Option<u64>,
    len: u64,
    commit: u64,
    last_applied: u64,
}

impl Before {
    pub(crate) fn of(node: &Node) -> Before {
        Before {
            leader_term: (node.role() == Role::Leader).then_some(node.term()),
            len: node.last_index(),
            commit: node.commit_index(),
            last_applied: node.last_applied(),
        }
    }
}

/// The first application of an index anywhere.
#[derive(Clone, PartialEq, Debug)]
struct Applied {
    entry: Entry,
    by: NodeId,
    /// The applier's term then: the term in which the entry was committed (the
    /// committing leader applies first, in the same step).
    term: u64,
}

#[derive(Clone, PartialEq, Debug)]
struct Stored {
    prev_term: u64,
    command: Command,
    first: NodeId,
}

/// Every (index, term) ever stored in any log, with what it carried. Logs
/// have no holes, so indexes are first stored in order: the first term seen
/// at index i sits at position i-1 of `first`, a table that only grows at its
/// end (cheap to snapshot); any other term at that index, after a conflict,
/// in `other`.
#[derive(Clone, Debug, Default)]
struct StoredTable {
    first: Vec<(u64, Stored)>,
    other: SortedMap<(u64, u64), Stored>,
}

impl StoredTable {
    fn get(&self, index: u64, term: u64) -> Option<&Stored> {
        match index.checked_sub(1).and_then(|i| self.first.get(i as usize)) {
            Some((t, s)) if *t == term => Some(s),
            _ => self.other.get(&(index, term)),
        }
    }

    /// Adds an (index, term) that [`StoredTable::get`] does not know.
    fn insert(&mut self, index: u64, term: u64, stored: Stored) {
        if index == self.first.len() as u64 + 1 {
            self.first.push((term, stored));
        } else {
            self.other.insert((index, term), stored);
        }
    }
}

/// The entry at `index` of `node`'s log, or (log compaction) among the
/// entries its latest compaction dropped (a step may commit, apply and
/// compact an entry before the simulator looks at it); `None` past the end,
/// or compacted earlier (a snapshot installed it, say).
#[cfg(any(feature = "compaction", feature = "membership"))]
pub(super) fn entry_or_compacted(node: &Node, index: u64) -> Option<&Entry> {
    #[cfg(feature = "compaction")]
    if index <= node.snapshot_index() {
        let dropped = node.just_compacted();
        let first = dropped.first().map_or(u64::MAX, |e| e.index);
        return index.checked_sub(first).and_then(|i| dropped.get(i as usize));
    }
    node.entry(index)
}

/// The monitor's memory.
#[derive(Clone, Debug, Default)]
pub(crate) struct Monitor {
    leaders: SortedMap<u64, NodeId>,
    stored: StoredTable,
    /// The first entry applied anywhere at each index (index i at position i-1).
    applied: Vec<Applied>,
    /// (Log compaction) the state machine first seen applied up to each
    /// index, as a digest, and whose it was (index i at position i-1; digest
    /// 0: none seen yet). Every server's state machine and every snapshot at
    /// that index must have the same.
    #[cfg(feature = "compaction")]
    states: Vec<(u64, NodeId)>,
    /// (Log compaction) which exactly-once settings appliers had: bit 1 on,
    /// bit 2 off. Once both were seen, state machines may differ for that
    /// reason alone (a retry skipped by one, applied by another), and
    /// [`Monitor::states`] is no longer compared.
    #[cfg(feature = "compaction")]
    exactly_once: u8,
    /// Acknowledged writes by index (index i at position i-1): (op id, term).
    acked: Vec<Option<(u64, u64)>>,
    reported: SortedMap<(Property, u64, u64), ()>,
    violations: Vec<Violation>,
    /// The client's history, for the linearizability check.
    history: History,
}

impl Monitor {
    pub(crate) fn violations(&self) -> &[Violation] {
        &self.violations
    }

    #[allow(clippy::too_many_arguments)]
    fn report(
        &mut self,
        time: u64,
        property: Property,
        key: (u64, u64),
        nodes: Vec<NodeId>,
        index: Option<u64>,
        term: Option<u64>,
        explanation: String,
    ) {
        if self.reported.insert((property, key.0, key.1), ()).is_none() {
            self.violations.push(Violation { time, property, nodes, index, term, explanation });
        }
    }

    /// Every entry committed so far, by index: the first applied anywhere at each.
    #[cfg(any(feature = "membership", feature = "compaction"))]
    pub(crate) fn committed(&self) -> impl Iterator<Item = &Entry> {
        self.applied.iter().map(|a| &a.entry)
    }

    /// A broken rule of the configuration in force, seen by `sim/membership.rs`
    /// (reported once per property, `key` and server). Returns how many violations are new.
    #[cfg(feature = "membership")]
    pub(crate) fn report_member(
        &mut self,
        time: u64,
        property: Property,
        key: u64,
        node: NodeId,
        why: String,
    ) -> usize {
        let start = self.violations.len();
        self.report(time, property, (key, 1000 + node.0 as u64), vec![node], None, None, why);
        self.violations.len() - start
    }

    /// Checks what one step of `node` changed. Returns how many violations are new.
    pub(crate) fn after_step(&mut self, time: u64, node: &mut Node, before: Before) -> usize {
        let start = self.violations.len();
        let id = node.id();
        let changed = node.take_log_change();

        // Election Safety, and Leader Completeness for a new leader.
        if node.role() == Role::Leader && before.leader_term != Some(node.term()) {
            let term = node.term();
            match self.leaders.get(&term) {
                Some(&other) if other != id => self.report(
                    time,
                    Property::ElectionSafety,
                    (term, 0),
                    vec![other, id],
                    None,
                    Some(term),
                    format!("{other} and {id} were both elected leader of term {term}."),
                ),
                _ => {
                    self.leaders.insert(term, id);
                }
            }
            // Only entries committed in an earlier term must be there: a leader of
            // an old term may win late (delayed votes) and never commit anything.
            // Committed entries it compacted are in its snapshot, which State
            // Machine Safety checked against what was applied when it was taken.
            let covered = node.snapshot_index();
            if let Some(a) = self
                .applied
                .iter()
                .find(|a| a.term < term && a.entry.index > covered && node.term_at(a.entry.index) != Some(a.entry.term))
            {
                let (e, by) = (a.entry.clone(), a.by);
                self.report(
                    time,
                    Property::LeaderCompleteness,
                    (term, id.0 as u64),
                    vec![id, by],
                    Some(e.index),
                    Some(term),
                    format!(
                        "{id} became leader of term {term} without the committed entry {} ({}, term {}) that {by} applied.",
                        e.index, e.command, e.term
                    ),
                );
            }
        }

        if let Some(from) = changed {
            // Leader Append-Only.
            if let Some(t) = before.leader_term {
                if node.role() == Role::Leader && node.term() == t && from <= before.len {
                    self.report(
                        time,
                        Property::LeaderAppendOnly,
                        (t, id.0 as u64),
                        vec![id],
                        Some(from),
                        Some(t),
                        format!("{id}, leader of term {t}, overwrote or removed its own entry at index {from}."),
                    );
                }
            }
            // Log Matching, by induction over every (index, term) ever stored.
            // (A compacted prefix holds applied entries only: each was checked
            // here when stored, and State Machine Safety checks every snapshot.)
            for e in node.log_from(from) {
                let prev_term = node.term_at(e.index - 1).unwrap_or(0);
                match self.stored.get(e.index, e.term) {
                    None => {
                        self.stored.insert(
                            e.index,
                            e.term,
                            Stored { prev_term, command: e.command.clone(), first: id },
                        );
                    }
                    Some(s) if s.prev_term == prev_term && s.command == e.command => {}
                    Some(s) => {
                        let (first, command) = (s.first, s.command.clone());
                        self.report(
                            time,
                            Property::LogMatching,
                            (e.index, e.term),
                            vec![first, id],
                            Some(e.index),
                            Some(e.term),
                            format!(
                                "{first} and {id} both hold an entry at index {} of term {}, but {}.",
                                e.index,
                                e.term,
                                if command != e.command {
                                    format!("with different commands ({command} and {})", e.command)
                                } else {
                                    "their logs differ before it".to_string()
                                }
                            ),
                        );
                    }
                }
            }
            // A server must never remove an entry it had committed.
            if from <= before.commit {
                let upto = before.commit.min(self.applied.len() as u64);
                for i in from.max(node.snapshot_index() + 1)..=upto {
                    let a = &self.applied[i as usize - 1];
                    if node.term_at(i) != Some(a.entry.term) {
                        let (e, by) = (a.entry.clone(), a.by);
                        self.report(
                            time,
                            Property::StateMachineSafety,
                            (i, id.0 as u64),
                            vec![id, by],
                            Some(i),
                            Some(e.term),
                            format!("{id} replaced entry {i} ({}, term {}) after it was committed.", e.command, e.term),
                        );
                        self.check_acked(time, i, id);
                        break;
                    }
                }
            }
        }

        // State Machine Safety: what was just applied must match what was applied first anywhere.
        if node.last_applied() > before.last_applied {
            for i in before.last_applied + 1..=node.last_applied() {
                // Entries a snapshot installed were not applied one by one: the
                // snapshot is checked whole, below.
                #[cfg(feature = "compaction")]
                let Some(e) = entry_or_compacted(node, i) else {
                    continue;
                };
                #[cfg(not(feature = "compaction"))]
                let Some(e) = node.log().get(i as usize - 1) else {
                    break;
                };
                match self.applied.get(i as usize - 1) {
                    #[cfg(feature = "compaction")]
                    None if self.applied.len() as u64 + 1 != i => {}
                    None => {
                        self.applied.push(Applied { entry: e.clone(), by: id, term: node.term() });
                        // A write acknowledged before anyone applied it must be what is applied here.
                        if self.acked_at(i).is_some_and(|(_, t)| t != e.term) {
                            self.check_acked(time, i, id);
                        }
                    }
                    Some(a) if a.entry.term == e.term && a.entry.command == e.command => {}
                    Some(a) => {
                        let (first, by) = (a.entry.clone(), a.by);
                        self.report(
                            time,
                            Property::StateMachineSafety,
                            (i, 0),
                            vec![by, id],
                            Some(i),
                            Some(e.term),
                            format!(
                                "{by} applied {} (term {}) at index {i}, but {id} applied {} (term {}) there.",
                                first.command, first.term, e.command, e.term
                            ),
                        );
                        self.check_acked(time, i, id);
                    }
                }
            }
            #[cfg(feature = "compaction")]
            self.check_state(time, node, before);
        }
        self.violations.len() - start
    }

    /// (Log compaction) State Machine Safety for what a step applied, as
    /// contents: the server's state machine, and a snapshot it took or
    /// installed in the step, must be the state machine first seen applied
    /// up to the same index. Only once compaction is in play (the server
    /// has a threshold or a snapshot). Cheap per step: the node keeps its
    /// state machine's digest up to date entry by entry
    /// (`Node::state_digest`); a snapshot's is computed from its contents,
    /// a pass over its store once per snapshot taken or installed (which
    /// also checks the node's running digest against its store).
    #[cfg(feature = "compaction")]
    fn check_state(&mut self, time: u64, node: &Node, before: Before) {
        // Noted at every step that applies: a switch of exactly-once before
        // compaction came into play may have made stores differ already.
        self.exactly_once |= if node.settings().exactly_once { 1 } else { 2 };
        // Only then does the node keep its digest (without, it is stale).
        if !node.keeps_state_digest() {
            return;
        }
        if !self.check_snapshot(time, node, before) {
            return;
        }
        let (id, snap) = (node.id(), node.snapshot());
        let state = (node.last_applied(), node.state_digest());
        // A snapshot taken or installed in this step is at the index applied
        // now (taken last in a step; installed, it sets what is applied).
        if snap.index == state.0 {
            let taken = (snap.index, snap.digest());
            if taken == state {
                // Installed (the state machine is the snapshot's), or taken
                // from this very state machine: one comparison says both.
                return self.compare_state(time, id, taken.0, taken.1, "holds a snapshot");
            }
            // The state machine first, so that a snapshot taken unlike the
            // state machine it was taken from is the one reported.
            self.compare_state(time, id, state.0, state.1, "has applied");
            return self.compare_state(time, id, taken.0, taken.1, "holds a snapshot");
        }
        self.compare_state(time, id, state.0, state.1, "has applied");
    }

    /// Compares the digest `d` of what `id` holds up to `index` with the
    /// state machine first seen there (or records it). A server whose state
    /// machine differed is reported once, and neither compared nor recorded
    /// after that (it would differ at every later step that applies, and
    /// the first seen at an index should be a sound one), until its state
    /// machine is again the one first seen at an index (repaired, as by an
    /// InstallSnapshot): from then on it is compared again, and a later
    /// difference reported again.
    #[cfg(feature = "compaction")]
    fn compare_state(&mut self, time: u64, id: NodeId, index: u64, d: u64, what: &str) {
        // Once per server: no index of a report of State Machine Safety is u64::MAX.
        let key = (u64::MAX, id.0 as u64);
        if self.exactly_once == 3 || index == 0 {
            return;
        }
        // 0 marks an index not seen yet.
        let d = d.max(1);
        let i = index as usize - 1;
        let reported = (Property::StateMachineSafety, key.0, key.1);
        if self.reported.get(&reported).is_some() {
            if self.states.get(i).is_some_and(|s| s.0 == d) {
                self.reported.remove(&reported);
            }
            return;
        }
        if self.states.len() <= i {
            self.states.resize(i + 1, (0, id));
        }
        match self.states[i] {
            (0, _) => self.states[i] = (d, id),
            (first, _) if first == d => {}
            (_, by) => {
                self.report(
                    time,
                    Property::StateMachineSafety,
                    key,
                    vec![by, id],
                    Some(index),
                    None,
                    format!(
                        "{id} {what} up to index {index} whose store or exactly-once table differs from what {by} had applied up to there."
                    ),
                );
                self.check_acked(time, index, id);
            }
        }
    }

    /// State Machine Safety for a snapshot taken or installed in this step:
    /// the entry first applied anywhere at its last included index has its
    /// last included term (so, by Log Matching, its prefix is the entries
    /// that were applied; [`Monitor::check_state`] then compares the
    /// contents). False when it reported a violation.
    #[cfg(feature = "compaction")]
    fn check_snapshot(&mut self, time: u64, node: &Node, before: Before) -> bool {
        let (index, term) = (node.snapshot_index(), node.snapshot().term);
        if index <= before.last_applied {
            return true;
        }
        let Some(a) = self.applied.get(index as usize - 1) else { return true };
        if a.entry.term != term {
            let (first, by, id) = (a.entry.clone(), a.by, node.id());
            self.report(
                time,
                Property::StateMachineSafety,
                (index, 0),
                vec![by, id],
                Some(index),
                Some(term),
                format!(
                    "{by} applied {} (term {}) at index {index}, but {id} holds a snapshot up to index {index} of term {term}.",
                    first.command, first.term
                ),
            );
            self.check_acked(time, index, id);
            return false;
        }
        true
    }

    fn check_acked(&mut self, time: u64, index: u64, node: NodeId) {
        if let Some((op, term)) = self.acked_at(index) {
            self.report(
                time,
                Property::AckedWriteKept,
                (op, 0),
                vec![node],
                Some(index),
                Some(term),
                format!("The client was told its write #{op} is committed at index {index}, but {node} now has another entry there."),
            );
        }
    }

    /// The client got an acknowledgement: remember it, and check it matches
    /// what was applied there (if nothing was yet, the first application will).
    pub(crate) fn on_ack(&mut self, time: u64, op: u64, command: &Command, by: NodeId, index: u64, term: u64) -> usize {
        let start = self.violations.len();
        let ok = self
            .applied
            .get((index as usize).wrapping_sub(1))
            .is_none_or(|a| a.entry.term == term && &a.entry.command == command);
        if !ok {
            self.report(
                time,
                Property::AckedWriteKept,
                (op, 1),
                vec![by],
                Some(index),
                Some(term),
                format!("{by} acknowledged write #{op} ({command}) at index {index}, term {term}, but that is not what was applied there."),
            );
        }
        if let Some((other, _)) = self.acked_at(index) {
            self.report(
                time,
                Property::AckedWriteKept,
                (op, 2),
                vec![by],
                Some(index),
                Some(term),
                format!(
                    "{by} acknowledged write #{op} at index {index}, where write #{other} was already acknowledged."
                ),
            );
        } else {
            let i = index.saturating_sub(1) as usize;
            if self.acked.len() <= i {
                self.acked.resize(i + 1, None);
            }
            self.acked[i] = Some((op, term));
        }
        self.violations.len() - start
    }

    /// The client invoked an operation.
    pub(crate) fn client_invoked(&mut self, op: &ClientOp) {
        self.history.invoked(op);
    }

    /// A write was handed straight to a leader (see `History::submitted`).
    pub(crate) fn submitted(&mut self, command: &Command, at: u64) {
        if let Command::Set { key, value } = command {
            self.history.submitted(key, *value, at);
        }
    }

    /// The client gave an operation up.
    pub(crate) fn client_gave_up(&mut self, op: &ClientOp) {
        self.history.gave_up(op);
    }

    /// An operation of the client was answered: checks the history of its
    /// key. Returns how many violations are new.
    pub(crate) fn client_answered(&mut self, time: u64, op: &ClientOp) -> usize {
        let Some(found) = self.history.answered(op) else { return 0 };
        self.violations.push(Violation {
            time,
            property: Property::Linearizable,
            nodes: found.nodes,
            index: None,
            term: None,
            explanation: format!("The client's history is not linearizable: {}", found.explanation),
        });
        let _ = found.ops;
        1
    }

    /// The keys whose history the linearizability checker could not settle
    /// within its budget, with its reason.
    pub(crate) fn not_checked(&self) -> impl Iterator<Item = (&str, &str)> {
        self.history.not_checked()
    }

    /// Every acknowledged write and where: (index, op, term).
    pub(crate) fn acked(&self) -> impl Iterator<Item = (u64, u64, u64)> + '_ {
        self.acked.iter().enumerate().filter_map(|(i, a)| a.map(|(op, t)| (i as u64 + 1, op, t)))
    }

    /// The write acknowledged at `index`: (op id, term).
    fn acked_at(&self, index: u64) -> Option<(u64, u64)> {
        index.checked_sub(1).and_then(|i| self.acked.get(i as usize).copied().flatten())
    }
}

/// The monitor's tables as a snapshot keeps them (`snapshot.rs`): each in
/// chunks shared with the snapshot before.
#[derive(Clone, Debug, Default)]
pub(super) struct MonitorSnapshot {
    /// The two maps by value: they hold an entry per term, or per conflict, few.
    leaders: SortedMap<u64, NodeId>,
    stored_first: Chunked<(u64, Stored)>,
    stored_other: SortedMap<(u64, u64), Stored>,
    applied: Chunked<Applied>,
    acked: Chunked<Option<(u64, u64)>>,
    #[cfg(feature = "compaction")]
    states: Chunked<(u64, NodeId)>,
    #[cfg(feature = "compaction")]
    exactly_once: u8,
    /// By value too: a run has few violations (most none).
    reported: SortedMap<(Property, u64, u64), ()>,
    violations: Vec<Violation>,
    /// The client's history as the linearizability checker holds it: its
    /// current windows, a few operations per key, kept by value.
    history: History,
}

impl Monitor {
    /// The tables now, sharing what did not change since `prev` (`grown`:
    /// `prev` is an earlier moment of this run, so the tables that only grow
    /// at their end, `stored.first` and `applied`, need no comparing).
    pub(super) fn snapshot(&self, prev: Option<&MonitorSnapshot>, grown: bool) -> MonitorSnapshot {
        fn grew<T: Clone + PartialEq>(items: &[T], prev: Option<&Chunked<T>>, grown: bool) -> Chunked<T> {
            match prev {
                Some(p) if grown => Chunked::of_grown(items, Some(p)),
                _ => Chunked::of_grown(items, None),
            }
        }
        MonitorSnapshot {
            leaders: self.leaders.clone(),
            stored_first: grew(&self.stored.first, prev.map(|p| &p.stored_first), grown),
            stored_other: self.stored.other.clone(),
            applied: grew(&self.applied, prev.map(|p| &p.applied), grown),
            violations: self.violations.clone(),
            acked: Chunked::of(&self.acked, prev.map(|p| &p.acked)),
            #[cfg(feature = "compaction")]
            states: Chunked::of(&self.states, prev.map(|p| &p.states)),
            #[cfg(feature = "compaction")]
            exactly_once: self.exactly_once,
            reported: self.reported.clone(),
            history: self.history.clone(),
        }
    }

    /// Makes this monitor's tables those of `s`, changing only what differs
    /// (`same_run`: both are moments of one run, so the tables that only grow
    /// at their end need no comparing).
    pub(super) fn restore(&mut self, s: &MonitorSnapshot, same_run: bool) {
        self.leaders = s.leaders.clone();
        self.stored.other = s.stored_other.clone();
        s.acked.restore_vec(&mut self.acked);
        #[cfg(feature = "compaction")]
        {
            s.states.restore_vec(&mut self.states);
            self.exactly_once = s.exactly_once;
        }
        self.reported = s.reported.clone();
        self.history = s.history.clone();
        let kin = if same_run { Kin::Grown } else { Kin::Unknown };
        s.stored_first.restore(&mut self.stored.first, kin);
        s.applied.restore(&mut self.applied, kin);
        self.violations = s.violations.clone();
    }
}

impl MonitorSnapshot {
    /// See `Chunked::adopt_tail`; returns whether any table did.
    pub(super) fn adopt_tails(&mut self, later: &MonitorSnapshot) -> bool {
        self.stored_first.adopt_grown_tail(&later.stored_first)
            | self.applied.adopt_grown_tail(&later.applied)
            | self.acked.adopt_tail(&later.acked)
            | self.adopt_states(later)
    }

    #[cfg(feature = "compaction")]
    fn adopt_states(&mut self, later: &MonitorSnapshot) -> bool {
        self.states.adopt_tail(&later.states)
    }
    #[cfg(not(feature = "compaction"))]
    fn adopt_states(&mut self, _: &MonitorSnapshot) -> bool {
        false
    }

    /// Calls `f` with each chunk's address and bytes.
    pub(super) fn weigh(&self, f: &mut dyn FnMut(usize, usize)) {
        use super::chunks::chunk_bytes;
        self.stored_first.chunks().for_each(|(a, c)| f(a, chunk_bytes(c)));
        self.applied.chunks().for_each(|(a, c)| f(a, chunk_bytes(c)));
        self.acked.chunks().for_each(|(a, c)| f(a, chunk_bytes(c)));
        #[cfg(feature = "compaction")]
        self.states.chunks().for_each(|(a, c)| f(a, chunk_bytes(c)));
    }

    /// The bytes of its lists of chunk pointers, of the client's history and of the two maps.
    pub(super) fn spine_bytes(&self) -> usize {
        self.history.bytes()
            + self.leaders.len() * (size_of::<(u64, NodeId)>() + 8)
            + self
                .stored_other
                .values()
                .map(|v| size_of::<((u64, u64), Stored)>() + 8 + v.command.heap())
                .sum::<usize>()
            + self.stored_first.spine_bytes()
            + self.applied.spine_bytes()
            + self.acked.spine_bytes()
            + self.states_spine_bytes()
            + self.reported.len() * (size_of::<(Property, u64, u64)>() + 8)
            + super::chunks::chunk_bytes(&self.violations)
    }
}

impl MonitorSnapshot {
    #[cfg(feature = "compaction")]
    fn states_spine_bytes(&self) -> usize {
        self.states.spine_bytes()
    }
    #[cfg(not(feature = "compaction"))]
    fn states_spine_bytes(&self) -> usize {
        0
    }
}

impl Weigh for Stored {
    fn heap(&self) -> usize {
        self.command.heap()
    }
}

impl Weigh for Applied {
    fn heap(&self) -> usize {
        self.entry.heap()
    }
}

impl Weigh for Violation {
    fn heap(&self) -> usize {
        self.nodes.capacity() + self.explanation.capacity()
    }
}

#[cfg(test)]
mod tests {
    //! The checks that no "break Raft" switch can trigger, exercised on nodes
    //! put into impossible states by hand.
    use super::*;
    use crate::raft::{Body, Message, Output, Settings};

    fn id(n: u8) -> NodeId {
        NodeId(n)
    }

    fn node(n: u8) -> Node {
        Node::new(id(n), vec![id(1), id(2), id(3)], Settings::default())
    }

    fn msg(from: u8, to: u8, term: u64, body: Body) -> Message {
        Message { from: id(from), to: id(to), term, body }
    }

    /// Steps `node` with `f`, then lets the monitor look.
    fn step(m: &mut Monitor, node: &mut Node, f: impl FnOnce(&mut Node, &mut Vec<Output>)) -> usize {
        let before = Before::of(node);
        let mut out = Vec::new();
        f(node, &mut out);
        m.after_step(0, node, before)
    }

    fn elect(m: &mut Monitor, node: &mut Node, voter: u8) {
        step(m, node, |n, out| n.election_timeout(out));
        let (me, term) = (node.id().0, node.term());
        step(m, node, |n, out| n.receive(msg(voter, me, term, Body::RequestVoteReply { granted: true }), out));
        assert_eq!(node.role(), Role::Leader);
    }

    #[test]
    fn two_leaders_in_one_term_break_election_safety() {
        let mut m = Monitor::default();
        let (mut a, mut b) = (node(1), node(2));
        elect(&mut m, &mut a, 3);
        assert!(m.violations().is_empty());
        elect(&mut m, &mut b, 3); // S3 "voted twice"
        let v = &m.violations()[0];
        assert_eq!(v.property, Property::ElectionSafety);
        assert_eq!((v.nodes.clone(), v.term), (vec![id(1), id(2)], Some(1)));
        assert_eq!(v.explanation, "S1 and S2 were both elected leader of term 1.");
    }

    #[test]
    fn two_different_entries_with_one_index_and_term_break_log_matching() {
        let mut m = Monitor::default();
        let (mut a, mut b) = (node(1), node(2));
        let append = |key: &str| Body::AppendEntries {
            prev_log_index: 0,
            prev_log_term: 0,
            entries: vec![crate::raft::Entry::new(1, 1, crate::raft::Command::set(key, 1))],
            leader_commit: 0,
            round: 0,
        };
        step(&mut m, &mut a, |n, out| n.receive(msg(3, 1, 1, append("a")), out));
        assert!(m.violations().is_empty());
        step(&mut m, &mut b, |n, out| n.receive(msg(3, 2, 1, append("b")), out));
        let v = &m.violations()[0];
        assert_eq!(v.property, Property::LogMatching);
        assert_eq!((v.index, v.term), (Some(1), Some(1)));
        assert!(v.explanation.contains("different commands (a ← 1 and b ← 1)"), "{}", v.explanation);
    }

    #[test]
    fn a_leader_whose_log_shrinks_breaks_leader_append_only() {
        let mut m = Monitor::default();
        let mut a = node(1);
        elect(&mut m, &mut a, 3); // leader of term 1, no-op at index 1
        let before = Before::of(&a);
        // The same leader, same term, but its no-op replaced by another entry.
        let mut b = Node::recover(id(1), vec![id(1), id(2), id(3)], Settings::default(), Default::default());
        let mut out = Vec::new();
        b.election_timeout(&mut out);
        b.receive(msg(3, 1, 1, Body::RequestVoteReply { granted: true }), &mut out);
        b.propose(crate::raft::Command::set("x", 1), &mut out).unwrap();
        m.after_step(5, &mut b, before);
        let props: Vec<Property> = m.violations().iter().map(|v| v.property).collect();
        assert!(props.contains(&Property::LeaderAppendOnly), "{props:?}");
    }

    #[test]
    fn applying_different_entries_at_one_index_breaks_state_machine_safety() {
        let mut m = Monitor::default();
        let (mut a, mut b) = (node(1), node(2));
        let append = |key: &str, term| Body::AppendEntries {
            prev_log_index: 0,
            prev_log_term: 0,
            entries: vec![crate::raft::Entry::new(1, term, crate::raft::Command::set(key, 1))],
            leader_commit: 1,
            round: 0,
        };
        step(&mut m, &mut a, |n, out| n.receive(msg(3, 1, 1, append("a", 1)), out));
        step(&mut m, &mut b, |n, out| n.receive(msg(3, 2, 2, append("b", 2)), out));
        let v = m.violations().iter().find(|v| v.property == Property::StateMachineSafety).expect("caught");
        assert_eq!(v.explanation, "S1 applied a ← 1 (term 1) at index 1, but S2 applied b ← 1 (term 2) there.");
    }

    /// A node that compacts (threshold 100: it never does in these tests),
    /// so that the monitor compares state machines.
    #[cfg(feature = "compaction")]
    fn compacting(n: u8) -> Node {
        let settings = Settings { snapshot_threshold: std::num::NonZeroU64::new(100), ..Settings::default() };
        Node::new(id(n), vec![id(1), id(2), id(3)], settings)
    }

    /// S1 applies `a ← 1` at index 1 (term 1).
    #[cfg(feature = "compaction")]
    fn applied_a(m: &mut Monitor) -> Node {
        let mut a = compacting(1);
        let append = append((0, 0), vec![crate::raft::Entry::new(1, 1, crate::raft::Command::set("a", 1))], 1);
        step(m, &mut a, |n, out| n.receive(msg(3, 1, 1, append), out));
        assert!(m.violations().is_empty());
        a
    }

    /// An InstallSnapshot of a snapshot up to index 1 of `term`.
    #[cfg(feature = "compaction")]
    fn install(term: u64, kv: &[(&str, i64)], sessions: Vec<(u64, crate::raft::SessionState)>) -> Body {
        install_at(1, term, kv, sessions)
    }

    /// An InstallSnapshot of a snapshot up to `index` of `term`.
    #[cfg(feature = "compaction")]
    fn install_at(index: u64, term: u64, kv: &[(&str, i64)], sessions: Vec<(u64, crate::raft::SessionState)>) -> Body {
        let kv = kv.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        #[allow(unused_mut)]
        let mut snapshot = crate::raft::Snapshot { index, term, kv, sessions, ..Default::default() };
        #[cfg(feature = "membership")]
        {
            snapshot.config.voters = vec![id(1), id(2), id(3)];
        }
        Body::InstallSnapshot { snapshot: Box::new(snapshot), round: 0 }
    }

    /// A snapshot whose last entry is not what was applied at its index
    /// breaks State Machine Safety, though no entry of it is applied one by one.
    #[cfg(feature = "compaction")]
    #[test]
    fn a_snapshot_that_differs_from_what_was_applied_breaks_state_machine_safety() {
        let mut m = Monitor::default();
        applied_a(&mut m);
        // The same entry's snapshot is fine; one of another term is not.
        let (mut b, mut c) = (compacting(2), compacting(3));
        assert_eq!(step(&mut m, &mut c, |n, out| n.receive(msg(1, 3, 1, install(1, &[("a", 1)], vec![])), out)), 0);
        assert_eq!(step(&mut m, &mut b, |n, out| n.receive(msg(3, 2, 2, install(2, &[("a", 1)], vec![])), out)), 1);
        let v = &m.violations()[0];
        assert_eq!(v.property, Property::StateMachineSafety);
        assert_eq!(
            v.explanation,
            "S1 applied a ← 1 (term 1) at index 1, but S2 holds a snapshot up to index 1 of term 2."
        );
    }

    /// A snapshot with the right last entry (index and term) but a state
    /// machine other than what was applied up to there, its store or its
    /// exactly-once table, breaks State Machine Safety; the server that
    /// installed it then applies from a wrong state, which is caught too.
    #[cfg(feature = "compaction")]
    #[test]
    fn a_snapshot_whose_state_machine_differs_from_what_was_applied_breaks_state_machine_safety() {
        let mut m = Monitor::default();
        applied_a(&mut m);
        let mut b = compacting(2);
        assert_eq!(step(&mut m, &mut b, |n, out| n.receive(msg(1, 2, 1, install(1, &[("a", 2)], vec![])), out)), 1);
        let v = &m.violations()[0];
        assert_eq!((v.property, v.index, v.nodes.clone()), (Property::StateMachineSafety, Some(1), vec![id(1), id(2)]));
        assert_eq!(
            v.explanation,
            "S2 holds a snapshot up to index 1 whose store or exactly-once table differs from what S1 had applied up to there."
        );
        // The same store, another exactly-once table.
        let mut c = compacting(3);
        let session = crate::raft::SessionState { floor: 1, results: vec![] };
        let bad = install(1, &[("a", 1)], vec![(7, session)]);
        assert_eq!(step(&mut m, &mut c, |n, out| n.receive(msg(1, 3, 1, bad), out)), 1);
        // S2 then applies the next entry from its wrong state: its state
        // machine differs at index 2 too, but it was reported already.
        let mut a = applied_a(&mut Monitor::default());
        assert_eq!(step(&mut m, &mut a, |n, out| n.receive(msg(3, 1, 1, append_b(2)), out)), 0);
        assert_eq!(step(&mut m, &mut b, |n, out| n.receive(msg(1, 2, 1, append_b(2)), out)), 0);
        assert_eq!(m.violations().len(), 2);
    }

    /// An AppendEntries after `(prev_log_index, prev_log_term)` carrying
    /// `entries`, with the leader's commit index `commit`.
    fn append(prev: (u64, u64), entries: Vec<crate::raft::Entry>, commit: u64) -> Body {
        Body::AppendEntries { prev_log_index: prev.0, prev_log_term: prev.1, entries, leader_commit: commit, round: 0 }
    }

    /// An AppendEntries of term 1 with `b ← index` at `index`, committing it.
    #[cfg(feature = "compaction")]
    fn append_b(index: u64) -> Body {
        let b = crate::raft::Entry::new(index, 1, crate::raft::Command::set("b", index as i64));
        append((index - 1, 1), vec![b], index)
    }

    /// A server whose state machine is wrong though the monitor saw no
    /// snapshot of it (restarted from a corrupted one) is caught at its
    /// first step that applies, reported once however many steps follow,
    /// and its digests are not recorded: a sound server applying after it
    /// is compared with what the first sound one applied.
    #[cfg(feature = "compaction")]
    #[test]
    fn a_server_applying_from_a_wrong_state_is_reported_once() {
        let mut m = Monitor::default();
        let mut a = applied_a(&mut m);
        assert_eq!(step(&mut m, &mut a, |n, out| n.receive(msg(3, 1, 1, append_b(2)), out)), 0);
        let Body::InstallSnapshot { snapshot, .. } = install(1, &[("a", 2)], vec![]) else { unreachable!() };
        let state = crate::raft::Persistent { term: 1, snapshot: *snapshot, ..Default::default() };
        let settings = a.settings().clone();
        let mut b = Node::recover(id(2), vec![id(1), id(2), id(3)], settings.clone(), state.clone());
        assert_eq!(step(&mut m, &mut b, |n, out| n.receive(msg(1, 2, 1, append_b(2)), out)), 1);
        let v = &m.violations()[0];
        assert_eq!((v.property, v.index, v.nodes.clone()), (Property::StateMachineSafety, Some(2), vec![id(1), id(2)]));
        assert_eq!(
            v.explanation,
            "S2 has applied up to index 2 whose store or exactly-once table differs from what S1 had applied up to there."
        );
        // Every later step of S2 that applies: nothing new.
        for i in 3..10 {
            assert_eq!(step(&mut m, &mut b, |n, out| n.receive(msg(1, 2, 1, append_b(i)), out)), 0);
        }
        assert_eq!(m.violations().len(), 1);
        // S2 applied up to 9 first, but S1's state machine there is compared
        // with nothing S2 had: S1 is not reported; another server from the
        // same wrong state is, compared with S1's.
        for i in 3..10 {
            assert_eq!(step(&mut m, &mut a, |n, out| n.receive(msg(3, 1, 1, append_b(i)), out)), 0);
        }
        let mut c = Node::recover(id(3), vec![id(1), id(2), id(3)], settings, state);
        let upto_9 = append((1, 1), a.log_from(2).to_vec(), 9);
        assert_eq!(step(&mut m, &mut c, |n, out| n.receive(msg(1, 3, 1, upto_9), out)), 1);
        let v = &m.violations()[1];
        assert_eq!((v.index, v.nodes.clone()), (Some(9), vec![id(1), id(3)]));
    }

    /// A server reported for applying from a wrong state is silenced only
    /// until its state machine is again the one first seen (here repaired by
    /// an InstallSnapshot): after that it is compared again, and when it
    /// goes wrong again (restarted from a corrupted snapshot) it is reported
    /// again.
    #[cfg(feature = "compaction")]
    #[test]
    fn a_repaired_server_that_goes_wrong_again_is_reported_again() {
        let mut m = Monitor::default();
        let mut a = applied_a(&mut m);
        for i in 2..7 {
            assert_eq!(step(&mut m, &mut a, |n, out| n.receive(msg(3, 1, 1, append_b(i)), out)), 0);
        }
        let Body::InstallSnapshot { snapshot, .. } = install(1, &[("a", 2)], vec![]) else { unreachable!() };
        let wrong = crate::raft::Persistent { term: 1, snapshot: *snapshot, ..Default::default() };
        let (members, settings) = (vec![id(1), id(2), id(3)], a.settings().clone());
        let mut b = Node::recover(id(2), members.clone(), settings.clone(), wrong.clone());
        assert_eq!(step(&mut m, &mut b, |n, out| n.receive(msg(1, 2, 1, append_b(2)), out)), 1);
        // Still wrong at 3 and 4: silenced.
        for i in 3..5 {
            assert_eq!(step(&mut m, &mut b, |n, out| n.receive(msg(1, 2, 1, append_b(i)), out)), 0);
        }
        // Repaired: the leader's snapshot up to 5 (a ← 1, b ← 5), then 6 applied from it.
        let repair = install_at(5, 1, &[("a", 1), ("b", 5)], vec![]);
        assert_eq!(step(&mut m, &mut b, |n, out| n.receive(msg(1, 2, 1, repair), out)), 0);
        assert_eq!(b.last_applied(), 5);
        assert_eq!(step(&mut m, &mut b, |n, out| n.receive(msg(1, 2, 1, append_b(6)), out)), 0);
        assert_eq!(m.violations().len(), 1);
        // Restarted from the corrupted snapshot, it goes wrong again: reported again.
        let mut b = Node::recover(id(2), members, settings, wrong);
        let upto_6 = append((1, 1), a.log_from(2).to_vec(), 6);
        assert_eq!(step(&mut m, &mut b, |n, out| n.receive(msg(1, 2, 1, upto_6), out)), 1);
        let v = &m.violations()[1];
        assert_eq!((v.property, v.index, v.nodes.clone()), (Property::StateMachineSafety, Some(6), vec![id(1), id(2)]));
    }

    /// A server without compaction (no threshold, no snapshot) keeps no
    /// digest and is not compared; when a settings change gives it a
    /// threshold, it computes its digest from scratch and is compared from
    /// its next step that applies on: no false report either way.
    #[cfg(feature = "compaction")]
    #[test]
    fn a_server_is_compared_only_while_it_keeps_its_digest() {
        use crate::raft::state_digest;
        let mut m = Monitor::default();
        let mut a = applied_a(&mut m);
        let mut c = node(3);
        let from_scratch = |n: &Node| state_digest(n.kv().iter().map(|(k, v)| (k.as_str(), *v)), n.sessions());
        for i in 2..5 {
            assert_eq!(step(&mut m, &mut a, |n, out| n.receive(msg(3, 1, 1, append_b(i)), out)), 0);
        }
        let upto_3 = append((0, 0), a.log_from(1)[..3].to_vec(), 3);
        assert_eq!(step(&mut m, &mut c, |n, out| n.receive(msg(1, 3, 1, upto_3), out)), 0);
        assert_eq!(c.last_applied(), 3);
        assert!(!c.keeps_state_digest());
        assert_ne!(c.state_digest(), from_scratch(&c), "not kept: stale");
        let compacting = Settings { snapshot_threshold: std::num::NonZeroU64::new(100), ..c.settings().clone() };
        c.update_settings(compacting, &mut Vec::new());
        assert!(c.keeps_state_digest());
        assert_eq!(c.state_digest(), from_scratch(&c));
        assert_eq!(step(&mut m, &mut c, |n, out| n.receive(msg(1, 3, 1, append_b(4)), out)), 0);
        assert_eq!(c.state_digest(), from_scratch(&c));
        // Compared from now on: its state machine up to 5, first seen, is recorded
        // as it; the leader's up to 5 is the same.
        assert_eq!(step(&mut m, &mut c, |n, out| n.receive(msg(1, 3, 1, append_b(5)), out)), 0);
        assert_eq!(m.states[4], (c.state_digest().max(1), id(3)));
        assert_eq!(step(&mut m, &mut a, |n, out| n.receive(msg(3, 1, 1, append_b(5)), out)), 0);
        assert_eq!(a.state_digest(), c.state_digest());
        assert_eq!(m.violations().len(), 0);
    }

    /// Once some server applied with exactly-once writes on and another with
    /// them off, state machines may differ for that alone (a retry skipped
    /// by one, applied by the other): the monitor stops comparing them.
    #[cfg(feature = "compaction")]
    #[test]
    fn state_machines_are_not_compared_once_exactly_once_was_both_on_and_off() {
        let mut m = Monitor::default();
        applied_a(&mut m);
        let mut b = compacting(2);
        b.set_settings(Settings { exactly_once: false, ..b.settings().clone() });
        assert_eq!(step(&mut m, &mut b, |n, out| n.receive(msg(1, 2, 1, install(1, &[("a", 2)], vec![])), out)), 0);
    }

    /// The same when exactly-once was off for a server that applied before
    /// compaction came into play (its store may differ already).
    #[cfg(feature = "compaction")]
    #[test]
    fn an_exactly_once_switch_before_compaction_came_into_play_counts_too() {
        let mut m = Monitor::default();
        let mut c = node(3);
        c.set_settings(Settings { exactly_once: false, ..Settings::default() });
        let append = append((0, 0), vec![crate::raft::Entry::new(1, 1, crate::raft::Command::set("a", 1))], 1);
        step(&mut m, &mut c, |n, out| n.receive(msg(1, 3, 1, append), out));
        applied_a(&mut m);
        let mut b = compacting(2);
        assert_eq!(step(&mut m, &mut b, |n, out| n.receive(msg(1, 2, 1, install(1, &[("a", 2)], vec![])), out)), 0);
    }

    #[test]
    fn an_acknowledged_write_that_is_not_what_is_applied_is_reported_when_it_is() {
        let mut m = Monitor::default();
        // Acknowledged before anyone applied index 1 (as when the leader acknowledges
        // on append, breaking Raft): nothing to compare with yet.
        assert_eq!(m.on_ack(0, 7, &crate::raft::Command::set("x", 1), id(1), 1, 1), 0);
        // Then another entry, of term 2, is the one applied at index 1.
        let mut b = node(2);
        let append = append((0, 0), vec![crate::raft::Entry::new(1, 2, crate::raft::Command::set("y", 2))], 1);
        assert_eq!(step(&mut m, &mut b, |n, out| n.receive(msg(3, 2, 2, append), out)), 1);
        let v = &m.violations()[0];
        assert_eq!(v.property, Property::AckedWriteKept);
        assert_eq!(
            v.explanation,
            "The client was told its write #7 is committed at index 1, but S2 now has another entry there."
        );
        // An acknowledgement that contradicts what was applied is reported at once
        // (and index 1 was already acknowledged to write #7: a second report).
        assert_eq!(m.on_ack(0, 8, &crate::raft::Command::set("z", 3), id(3), 1, 2), 2);
        assert!(m.violations()[1].explanation.contains("that is not what was applied there"));
    }
}
