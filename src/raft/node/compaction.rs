//! Log compaction (Raft paper §7, Figures 12 and 13). The rules:
//!
//! - **Snapshot when the applied log exceeds the threshold.** Once more than
//!   `Settings::snapshot_threshold` applied entries sit in its log, a server
//!   snapshots its state machine at its last applied entry: the key-value
//!   store, the exactly-once sessions (a retry of a write applied before the
//!   snapshot must still be recognised), the last included index and term,
//!   and (membership changes) the configuration in force there. It drops the
//!   entries the snapshot replaces. Only applied entries, so only committed
//!   ones, are ever compacted: every later leader holds them (Leader
//!   Completeness), which is why no server ever needs them back as entries.
//! - **The snapshot is persistent state,** as the log is: a crash keeps it,
//!   and a restart rebuilds the state machine from it (last applied and
//!   commit index start at its index) before reapplying what follows.
//! - **InstallSnapshot when the entries are gone.** A leader that must send a
//!   follower entries it compacted sends its snapshot instead, in one message
//!   (the paper's chunks are left out), and again at each heartbeat until the
//!   follower answers; the answer counts as a successful AppendEntries up to
//!   the snapshot's index.
//! - **The follower does what Figure 13 says:** it answers at once if the
//!   term is older than its own; if its log has an entry with the snapshot's
//!   last index and term, it keeps the entries after it, else it discards
//!   its whole log; it resets its state machine (and its configuration) from
//!   the snapshot. A snapshot that its own snapshot or applied entries
//!   already cover changes nothing (a late or repeated one).
//! - **An AppendEntries that reaches into the snapshot** matches there: the
//!   snapshot holds committed entries only, which the leader's log holds too;
//!   the follower looks at the entries after its snapshot only.

use super::{Node, Note, Output};
use crate::raft::compaction::{CompactionNote, Snapshot};
use crate::raft::types::{Body, Entry, NodeId};
use crate::sorted_map::SortedMap;

impl Node {
    /// The snapshot in place of the log's prefix (index 0: none yet).
    pub fn snapshot(&self) -> &Snapshot {
        &self.snap
    }

    /// The exactly-once table of the state machine, per client (what a
    /// snapshot keeps of it, and what the safety monitor compares).
    pub fn sessions(&self) -> &[(u64, crate::raft::compaction::SessionState)] {
        &self.sessions
    }

    /// For the safety monitor: the entries the latest compaction dropped.
    pub fn just_compacted(&self) -> &[Entry] {
        &self.compacted
    }

    /// Snapshots the state machine at the last applied entry when more than
    /// the threshold of applied entries sit in the log.
    pub(super) fn maybe_compact(&mut self, out: &mut Vec<Output>) {
        let Some(threshold) = self.settings.snapshot_threshold else { return };
        if self.last_applied - self.snap.index <= threshold.get() {
            return;
        }
        let (index, term) = (self.last_applied, self.term_at(self.last_applied).unwrap_or(0));
        let dropped = index - self.snap.index;
        #[cfg(feature = "membership")]
        let config = {
            let c = self.config_upto(index);
            let mut removed = self.snap.config.removed.clone();
            for e in self.log.iter().take(dropped as usize) {
                if let crate::raft::Command::Config { change: crate::raft::Change::Remove(n) } = e.command {
                    if !removed.contains(&n) {
                        removed.push(n);
                    }
                }
            }
            crate::raft::compaction::SnapshotConfig {
                voters: c.voters,
                learners: c.learners,
                index: c.index,
                removing: c.removing,
                removed,
            }
        };
        self.snap = Snapshot {
            index,
            term,
            kv: self.kv.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            sessions: self.sessions.clone(),
            #[cfg(feature = "membership")]
            config,
        };
        self.compacted.clear();
        self.compacted.extend(self.log.drain(..dropped as usize));
        out.push(Output::Note(Note::Compaction(CompactionNote::Snapshotted { index, term, dropped })));
    }

    /// As leader: sends `to` the snapshot (it needs entries compacted away).
    pub(super) fn send_snapshot(&mut self, to: NodeId, out: &mut Vec<Output>) {
        let body = Body::InstallSnapshot { snapshot: Box::new(self.snap.clone()), round: self.round };
        self.send(to, body, out);
    }

    /// An AppendEntries whose previous entry lies inside the snapshot: the
    /// entries up to the snapshot's index are committed, so the leader's
    /// match them; the request is looked at from the snapshot's index on.
    pub(super) fn skip_compacted(&self, prev: (u64, u64), mut entries: Vec<Entry>) -> ((u64, u64), Vec<Entry>) {
        let offset = self.snap.index;
        if prev.0 >= offset {
            return (prev, entries);
        }
        let skip = (offset - prev.0).min(entries.len() as u64);
        entries.drain(..skip as usize);
        ((offset, self.snap.term), entries)
    }

    /// InstallSnapshot from `from` (Figure 13).
    pub(super) fn on_install_snapshot(
        &mut self,
        from: NodeId,
        term: u64,
        snapshot: Snapshot,
        round: u64,
        out: &mut Vec<Output>,
    ) {
        // 1. Reply immediately if term < currentTerm.
        if term < self.term {
            return self.send(from, Body::InstallSnapshotReply { last_index: 0, round }, out);
        }
        // term == self.term from here on: it comes from the leader of this term.
        if !self.heard_from_leader(from, term, out) {
            return;
        }
        let index = snapshot.index;
        if index <= self.snap.index || index <= self.last_applied {
            // Already covered: a late or repeated snapshot.
            out.push(Output::Note(Note::Compaction(CompactionNote::Covered { leader: from, index })));
        } else {
            // 6. An entry with the snapshot's last index and term: keep the entries after it.
            // 7. Otherwise discard the whole log.
            let kept = if self.term_at(index) == Some(snapshot.term) {
                let drop = (index - self.snap.index) as usize;
                self.log.drain(..drop);
                self.log.len() as u64
            } else {
                if !self.log.is_empty() || self.snap.index > 0 {
                    self.mark_changed(self.snap.index + 1);
                }
                self.log.clear();
                0
            };
            let term = snapshot.term;
            // 8. Reset the state machine from the snapshot (and its configuration).
            self.snap = snapshot;
            self.load_snapshot();
            out.push(Output::Note(Note::Compaction(CompactionNote::Installed { leader: from, index, term, kept })));
        }
        // Either way its log now matches the leader's up to the snapshot's index.
        self.send(from, Body::InstallSnapshotReply { last_index: index, round }, out);
    }

    /// Resets the state machine (and the configuration) from the snapshot:
    /// last applied and the commit index start at its index (after an
    /// InstallSnapshot, and for a node restarted from its persistent state).
    pub(super) fn load_snapshot(&mut self) {
        let mut kv = SortedMap::new();
        for (k, v) in &self.snap.kv {
            kv.insert(k.clone(), *v);
        }
        self.kv = kv;
        self.sessions = self.snap.sessions.clone();
        self.digest = self.snap.digest();
        self.last_applied = self.snap.index;
        self.commit_index = self.commit_index.max(self.snap.index);
        #[cfg(feature = "membership")]
        self.reconfigure();
    }
}
