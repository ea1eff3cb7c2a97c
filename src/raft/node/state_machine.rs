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
                        match self.kv.get_mut(key) {
                            Some(v) => *v = *value,
                            None => {
                                self.kv.insert(key.clone(), *value);
                            }
                        }
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
        let at = match self.sessions.iter().position(|(c, _)| *c == id.client) {
            Some(at) => at,
            None => {
                self.sessions.push((id.client, Session::default()));
                self.sessions.len() - 1
            }
        };
        let session = &mut self.sessions[at].1;
        if id.first_unanswered > session.floor {
            session.floor = id.first_unanswered;
            // Forgets the results below the floor.
            let below = session.results.partition_point(|(seq, _)| *seq < id.first_unanswered);
            session.results.drain(..below);
        }
        let seen = if id.seq < session.floor {
            Some(None)
        } else {
            match session.results.binary_search_by_key(&id.seq, |(seq, _)| *seq) {
                Ok(i) => Some(Some(session.results[i].1)),
                Err(i) => {
                    session.results.insert(i, (id.seq, (index, term)));
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
