//! Applying committed entries to the key-value state machine, with
//! exactly-once client writes (Raft thesis §6.3).
//!
//! A client whose write got no answer sends it again; if the first copy was
//! committed after all, the log now holds the write twice. Each client write
//! carries the client's id and a sequence number ([`WriteId`]), and every
//! server's state machine remembers, per client, the sequence numbers it
//! applied and where: a copy of a write already applied is skipped, and the
//! client's waiting request is answered with the first application's index
//! and term. Each write also says which of the client's writes have all had
//! their answers (`first_unanswered`): their results are forgotten, and a
//! copy of one of them is skipped without an answer (the client has one).
//!
//! The sessions are part of the state machine: like the key-value store, they
//! are rebuilt from the log after a restart, and every server builds the same.

use super::{ClientReply, Node, Note, Output, Role};
use crate::raft::types::{Command, WriteId};

/// What a state machine remembers of one client (a snapshot keeps it too).
pub(super) use crate::raft::compaction::SessionState as Session;

/// What applying one client write came to.
enum Applied {
    /// Applied now, for the first time.
    First,
    /// Already applied, at (index, term) if that is still remembered.
    Again(Option<(u64, u64)>),
}

impl Node {
    /// Applies every committed entry not yet applied, in order, and answers
    /// the client requests waiting for them.
    pub(super) fn apply(&mut self, out: &mut Vec<Output>) {
        let upto = self.commit_index.min(self.last_index());
        while self.last_applied < upto {
            let index = self.last_applied + 1;
            // Its place in the log (the log holds the entries after the snapshot).
            let at = (index - self.snapshot_index() - 1) as usize;
            let Some(entry) = self.log.get(at) else { break };
            let (term, client) = (entry.term, entry.client);
            self.last_applied = index;
            let applied = match client {
                Some(id) => self.record(id, index, term),
                None => Applied::First,
            };
            let reply = match applied {
                Applied::First => {
                    if let Command::Set { key, value } = &self.log[at].command {
                        let old = match self.kv.get_mut(&**key) {
                            Some(v) => Some(std::mem::replace(v, *value)),
                            None => {
                                self.kv.insert(key.to_string(), *value);
                                None
                            }
                        };
                        // The digest follows the store: the old pair out, the pair now stored in.
                        #[cfg(feature = "compaction")]
                        if self.keeps_state_digest() {
                            let now = self.kv.get(&**key).map_or(0, |v| kv_part(key, *v));
                            self.digest =
                                self.digest.wrapping_sub(old.map_or(0, |v| kv_part(key, v))).wrapping_add(now);
                        }
                        #[cfg(not(feature = "compaction"))]
                        let _ = old;
                    }
                    Some(ClientReply::Committed { index, term })
                }
                Applied::Again(first) => {
                    if let (Role::Leader, Some(id)) = (self.role, client) {
                        let first_index = first.map(|(i, _)| i);
                        let command = self.log[at].command.clone();
                        let note =
                            Note::Duplicate { index, command, client: id.client, seq: id.seq, first: first_index };
                        out.push(Output::Note(note));
                    }
                    first.map(|(index, term)| ClientReply::Committed { index, term })
                }
            };
            if let Some(tag) = self.pending.remove(&index) {
                if let Some(reply) = reply {
                    out.push(Output::ClientReply { tag, reply });
                }
            }
        }
    }

    /// Records a client write applied at `index`: whether it is its first
    /// application (always, with exactly-once switched off).
    fn record(&mut self, id: WriteId, index: u64, term: u64) -> Applied {
        #[cfg(feature = "compaction")]
        let keep = self.keeps_state_digest();
        let at = match self.sessions.iter().position(|(c, _)| *c == id.client) {
            Some(at) => at,
            None => {
                self.sessions.push((id.client, Session::default()));
                #[cfg(feature = "compaction")]
                if keep {
                    self.digest = self.digest.wrapping_add(floor_part(id.client, 0));
                }
                self.sessions.len() - 1
            }
        };
        let session = &mut self.sessions[at].1;
        if id.first_unanswered > session.floor {
            #[cfg(feature = "compaction")]
            if keep {
                let (old, new) = (floor_part(id.client, session.floor), floor_part(id.client, id.first_unanswered));
                self.digest = self.digest.wrapping_sub(old).wrapping_add(new);
            }
            session.floor = id.first_unanswered;
            // Forgets the results below the floor.
            let below = session.results.partition_point(|(seq, _)| *seq < id.first_unanswered);
            let gone = session.results.drain(..below);
            #[cfg(feature = "compaction")]
            for (seq, at) in gone.filter(|_| keep) {
                self.digest = self.digest.wrapping_sub(result_part(id.client, seq, at));
            }
            #[cfg(not(feature = "compaction"))]
            drop(gone);
        }
        let seen = if id.seq < session.floor {
            Some(None)
        } else {
            match session.results.binary_search_by_key(&id.seq, |(seq, _)| *seq) {
                Ok(i) => Some(Some(session.results[i].1)),
                Err(i) => {
                    session.results.insert(i, (id.seq, (index, term)));
                    #[cfg(feature = "compaction")]
                    if keep {
                        self.digest = self.digest.wrapping_add(result_part(id.client, id.seq, (index, term)));
                    }
                    None
                }
            }
        };
        match seen {
            Some(first) if self.settings.exactly_once => Applied::Again(first),
            _ => Applied::First,
        }
    }
}

// (Log compaction) A digest of a state machine for the safety monitor, which
// compares state machines applied up to one index: the sum (wrapping) of one
// 64-bit hash per part, a part being a pair of the store, a session's floor,
// or a result a session remembers. A sum does not depend on the order of the
// parts, so the node keeps it up to date as it applies each entry (the parts
// that change out, the new ones in: no pass over the whole store), and
// [`state_digest`] computes the same from scratch for a snapshot.
//
// Only while compaction is in play (a snapshot threshold or a snapshot,
// [`Node::keeps_state_digest`]), which is also when the monitor compares
// it: without, applying pays no hashing (some 6 SipHash calls per server per
// write); a node computes it from scratch when compaction starts (a settings
// change that sets a threshold; an InstallSnapshot or a restart from a
// snapshot loads the snapshot's).
//
// A digest must never be persisted, exported or shown: it is not the same in
// native code and in the wasm (a `str`'s and a slice's hash include their
// length as a `usize`, 8 bytes natively and 4 in wasm32), nor between builds
// of another Rust version (SipHash's keys and `Hash` are not a stable
// format). It is for comparisons inside one process only.

/// One part's hash: the standard library's SipHash (fixed keys: the same
/// in every run of one build) of its kind and fields.
#[cfg(feature = "compaction")]
fn part(kind: u8, fields: &[u64], key: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::hash::DefaultHasher::new();
    (kind, fields, key).hash(&mut h);
    h.finish()
}

#[cfg(feature = "compaction")]
fn kv_part(key: &str, value: i64) -> u64 {
    part(1, &[value as u64], key.as_bytes())
}

#[cfg(feature = "compaction")]
fn floor_part(client: u64, floor: u64) -> u64 {
    part(2, &[client, floor], &[])
}

#[cfg(feature = "compaction")]
fn result_part(client: u64, seq: u64, (index, term): (u64, u64)) -> u64 {
    part(3, &[client, seq, index, term], &[])
}

/// The digest of the state machine with store `kv` and sessions `sessions`
/// (what [`Node::state_digest`] keeps up to date): equal state machines
/// have equal digests, whatever the order of their pairs and sessions.
#[cfg(feature = "compaction")]
pub fn state_digest<'a>(kv: impl IntoIterator<Item = (&'a str, i64)>, sessions: &[(u64, Session)]) -> u64 {
    let mut d = 0u64;
    for (k, v) in kv {
        d = d.wrapping_add(kv_part(k, v));
    }
    for (client, s) in sessions {
        d = d.wrapping_add(floor_part(*client, s.floor));
        for (seq, at) in &s.results {
            d = d.wrapping_add(result_part(*client, *seq, *at));
        }
    }
    d
}

#[cfg(feature = "compaction")]
impl Node {
    /// For the safety monitor: the digest of the state machine (store and
    /// exactly-once table), kept up to date entry by entry; equal to
    /// [`state_digest`] of [`Node::kv`] and [`Node::sessions`] while
    /// [`Node::keeps_state_digest`]. Never to persist or export (see above).
    pub fn state_digest(&self) -> u64 {
        self.digest
    }

    /// Whether [`Node::state_digest`] is kept (the node has a snapshot
    /// threshold or a snapshot): when not, it is stale and not to be compared.
    pub fn keeps_state_digest(&self) -> bool {
        self.settings.snapshot_threshold.is_some() || self.snap.index > 0
    }

    /// After a change of settings from `kept` ([`Node::keeps_state_digest`]
    /// before it): a node whose compaction starts now computes its digest
    /// from scratch (not kept until now).
    pub(super) fn resume_state_digest(&mut self, kept: bool) {
        if !kept && self.keeps_state_digest() {
            self.digest = state_digest(self.kv.iter().map(|(k, v)| (k.as_str(), *v)), &self.sessions);
        }
    }
}
