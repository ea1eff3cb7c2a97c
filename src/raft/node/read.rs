//! Client reads (Raft thesis §6.4). A read does not go through the log: the
//! leader answers from its state machine once it knows the answer is not
//! stale.
//!
//! - **ReadIndex** (the default): the leader takes its commit index as the
//!   read index (it must first have committed an entry of its own term, or it
//!   might not know the latest commits) and waits until a majority, itself
//!   included, answered a heartbeat round begun after the read arrived, or a
//!   later one: then no other leader of a newer term existed when the read
//!   arrived. It answers once it has applied up to the read index. Reads
//!   share rounds (thesis §6.4's batching): one round waits for its answers at
//!   a time; reads arriving meanwhile wait for the next, which begins when
//!   that one is answered (or at the next heartbeat), so a burst of reads
//!   costs one round, not one each.
//! - **Lease**: each heartbeat round's lease timer runs for the shortest
//!   election timeout less a margin, from the moment the round began. While
//!   a majority answered a round whose timer still runs, those servers will
//!   not vote for anyone else (the voters' guard), so no other leader can
//!   exist: the leader answers at once. Without a lease it falls back to
//!   ReadIndex.
//! - **Local** (`unsafe_stale_reads`, breaks Raft): any server answers at once
//!   from its own state machine.
//!
//! Followers redirect reads to the leader as they redirect writes.

use super::{ClientReply, ClientTag, Node, Note, Output, ReadHow, Role};
use crate::raft::settings::ReadMode;

/// A read the leader holds until it may answer it.
#[derive(Clone, Debug)]
pub(super) struct PendingRead {
    pub(super) tag: ClientTag,
    key: String,
    /// The read index, once the leader has committed an entry of its term.
    index: Option<u64>,
    /// The heartbeat round a majority must answer: the first one begun after
    /// the read arrived (it may not have begun yet).
    round: u64,
}

impl Node {
    /// A read of `key` from a client. The leader answers when it may (see the
    /// module's description); a follower answers at once with a leader hint.
    pub fn client_read(&mut self, tag: ClientTag, key: &str, out: &mut Vec<Output>) {
        if self.settings.unsafe_stale_reads {
            return self.answer_read(tag, key.to_string(), self.last_applied, ReadHow::Local, out);
        }
        if self.role != Role::Leader {
            let reply = ClientReply::NotLeader { leader: self.leader };
            return out.push(Output::ClientReply { tag, reply });
        }
        let own_term = self.committed_own_term();
        if self.settings.read_mode == ReadMode::Lease && own_term && self.lease_holds() {
            return self.answer_read(tag, key.to_string(), self.commit_index, ReadHow::Lease, out);
        }
        let read_index = own_term.then_some(self.commit_index);
        out.push(Output::Note(Note::ReadStarted { op: tag.op, key: key.to_string(), read_index }));
        // The confirmation: the next round, begun after the read arrived. It
        // begins now if no round is waiting for its answers; otherwise this
        // read shares it with every read arriving until it begins.
        self.reads.push(PendingRead { tag, key: key.to_string(), index: read_index, round: self.round + 1 });
        self.serve_reads(out);
    }

    /// True when an entry of the current term is committed: the commit index
    /// is then at least every index committed by any earlier leader.
    fn committed_own_term(&self) -> bool {
        self.term_at(self.commit_index) == Some(self.term)
    }

    /// The highest heartbeat round a majority (this node included) has answered.
    fn majority_round(&self) -> u64 {
        // On the stack for the clusters the simulator makes (up to 9 servers):
        // it is asked after every answer while reads wait.
        let (mut stack, mut heap) = ([0u64; 16], Vec::new());
        let rounds: &mut [u64] = match stack.get_mut(..self.members.len()) {
            Some(r) => r,
            None => {
                heap.resize(self.members.len(), 0);
                &mut heap
            }
        };
        for (r, &m) in rounds.iter_mut().zip(&self.members) {
            *r = if m == self.id { self.round } else { self.acked_round.get(m.index()).copied().unwrap_or(0) };
        }
        super::quorum_largest(rounds, self.quorum())
    }

    /// True while the lease holds: a majority answered a round of this
    /// leadership whose lease timer has not run out, and no leadership transfer began.
    pub fn lease_holds(&self) -> bool {
        if self.role != Role::Leader || self.lease_lost || self.settings.read_mode != ReadMode::Lease {
            return false;
        }
        let round = self.majority_round();
        round >= self.first_round && round > self.lease_expired
    }

    /// Answers every held read that may be answered now: confirmed by a
    /// majority, and its read index applied.
    pub(super) fn serve_reads(&mut self, out: &mut Vec<Output>) {
        if self.reads.is_empty() {
            return;
        }
        let own_term = self.committed_own_term();
        let majority = self.majority_round();
        let mut held = std::mem::take(&mut self.reads);
        held.retain_mut(|read| {
            if read.index.is_none() && own_term {
                read.index = Some(self.commit_index);
            }
            match read.index {
                Some(index) if majority >= read.round && self.last_applied >= index => {
                    let confirmed_by = self
                        .members
                        .iter()
                        .copied()
                        .filter(|&m| m == self.id || self.acked_round.get(m.index()).is_some_and(|&r| r >= read.round))
                        .collect();
                    let how = ReadHow::ReadIndex { confirmed_by };
                    self.answer_read(read.tag, std::mem::take(&mut read.key), index, how, out);
                    false
                }
                _ => true,
            }
        });
        // Reads taken while answering (none today) would be in `self.reads`.
        held.append(&mut self.reads);
        self.reads = held;
        self.begin_read_round(majority, out);
    }

    /// Begins the round the held reads wait for, once the round before it was
    /// answered by a majority (`majority`, the highest round a majority
    /// answered): one round in flight at a time, confirming every read that
    /// arrived before it began. While a round waits for its answers, reads
    /// arriving meanwhile wait for the next one, begun when this one is
    /// answered or by the heartbeat timer, whichever comes first.
    ///
    /// The round is a heartbeat (AppendEntries to every follower), so the
    /// heartbeat timer starts over; except during a leadership transfer, which
    /// counts the heartbeat timer's rounds.
    fn begin_read_round(&mut self, majority: u64, out: &mut Vec<Output>) {
        let waiting = self.reads.iter().any(|read| read.round > self.round);
        if !waiting || majority < self.round {
            return;
        }
        self.new_round(out);
        if self.transfer.is_none() {
            out.push(Output::ResetHeartbeatTimer);
        }
    }

    fn answer_read(&mut self, tag: ClientTag, key: String, index: u64, how: ReadHow, out: &mut Vec<Output>) {
        let value = self.kv.get(&key).copied();
        out.push(Output::ClientReply { tag, reply: ClientReply::Read { value, index, term: self.term } });
        out.push(Output::Note(Note::ReadAnswered { op: tag.op, key, value, index, how }));
    }
}
