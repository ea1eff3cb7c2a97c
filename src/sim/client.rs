//! The simulated client: its writes, as the page's client panel lists them,
//! and how it sends them. It sends each write to the server it believes leads,
//! follows a follower's leader hint, waits and tries the next server when
//! nobody knows a leader, retries elsewhere when an attempt gets no answer in
//! time, and gives up a write nobody acknowledged for too long.

use super::narrate::gave_up_reason;
use super::{Action, Addr, Cluster, Due, EventData, Payload, SimError};
use crate::raft::{ClientReply, ClientTag, Command, NodeId};
use serde::{Deserialize, Serialize};

/// Where a write stands.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[allow(missing_docs)] // the fields are named for what they hold; each variant says what they mean
pub enum OpStatus {
    /// Sent, not yet acknowledged.
    Pending,
    /// The leader `by` answered at virtual time `at` that the write is
    /// committed at log `index`, in `term`.
    Acked { index: u64, term: u64, by: NodeId, at: u64 },
    /// The client gave up at virtual time `at`, for `reason`: no leader
    /// acknowledged it in time. The write may still commit later (the client
    /// cannot know).
    Failed { at: u64, reason: String },
}

/// Where one attempt of a write was appended (the simulator sees it; the client does not).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Landing {
    /// The leader that appended it.
    pub node: NodeId,
    /// The log index it was appended at.
    pub index: u64,
    /// That leader's term (the entry's term).
    pub term: u64,
}

/// One write of the simulated client.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct ClientOp {
    /// Its id (0, 1, 2, ... in invocation order).
    pub id: u64,
    /// What it writes.
    pub command: Command,
    /// When the client invoked it.
    pub invoked_at: u64,
    /// Pending, acknowledged or failed.
    pub status: OpStatus,
    /// The server the latest attempt went to.
    pub target: Option<NodeId>,
    /// How many attempts were sent.
    pub attempts: u32,
    /// Every place a leader appended it (a retried write can land twice).
    pub landed: Vec<Landing>,
    #[serde(skip)]
    pub(crate) redirects: u32,
}

impl ClientOp {
    /// True once a leader acknowledged it.
    pub fn is_acked(&self) -> bool {
        matches!(self.status, OpStatus::Acked { .. })
    }
    /// True while it is neither acknowledged nor failed.
    pub fn is_pending(&self) -> bool {
        matches!(self.status, OpStatus::Pending)
    }
    /// The index it was acknowledged at.
    pub fn acked_index(&self) -> Option<u64> {
        match self.status {
            OpStatus::Acked { index, .. } => Some(index),
            _ => None,
        }
    }
}

/// Checks a key for a client write: 1 to 16 letters, digits or `_`.
pub fn check_key(key: &str) -> Result<(), SimError> {
    let ok = (1..=16).contains(&key.chars().count()) && key.chars().all(|c| c.is_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(SimError::BadKey(key.to_string()))
    }
}

/// The client's own state.
#[derive(Clone, Debug, Default)]
pub(crate) struct Client {
    pub ops: Vec<ClientOp>,
    /// For each write, the revision its latest change made (see
    /// [`Cluster::revision`]): a snapshot shares the writes that did not
    /// change since the one before, without comparing them.
    pub changed: Vec<u64>,
    /// Whom the client believes leads.
    pub leader: Option<NodeId>,
}

impl Cluster {
    /// Every write the client was told is committed: (index, op id, term).
    pub fn acked_writes(&self) -> Vec<(u64, u64, u64)> {
        self.monitor.acked().collect()
    }

    /// The client's writes, in invocation order.
    pub fn client_ops(&self) -> &[ClientOp] {
        &self.client.ops
    }
    /// Whom the client believes leads.
    pub fn client_leader(&self) -> Option<NodeId> {
        self.client.leader
    }

    /// A write through the simulated client: it goes to the server the client
    /// believes leads (or the next one in turn), follows "not the leader" hints,
    /// and retries elsewhere when an attempt gets no answer. Returns the
    /// operation's id (its position in [`Cluster::client_ops`]).
    pub fn client_write(&mut self, command: Command) -> u64 {
        // Never refused: without a target the write goes to the server the
        // client believes leads, or the first one.
        self.perform(Action::Write { command, to: None }).unwrap_or_default()
    }

    /// A write through the simulated client whose first attempt goes to `to`.
    pub fn client_write_to(&mut self, to: NodeId, command: Command) -> Result<u64, SimError> {
        self.perform(Action::Write { command, to: Some(to) })
    }

    pub(super) fn do_client_write(&mut self, command: Command, to: Option<NodeId>) -> Result<u64, SimError> {
        let to = match to {
            Some(to) => {
                self.check_node(to)?;
                to
            }
            None => self.client.leader.unwrap_or_else(|| self.next_target(None)),
        };
        Ok(self.invoke(command, to))
    }

    fn invoke(&mut self, command: Command, to: NodeId) -> u64 {
        let id = self.client.ops.len() as u64;
        self.log(EventData::ClientWrite { op: id, command: command.clone(), to });
        self.client.changed.push(self.revision + 1);
        self.client.ops.push(ClientOp {
            id,
            command,
            invoked_at: self.now,
            status: OpStatus::Pending,
            target: None,
            attempts: 0,
            landed: Vec::new(),
            redirects: 0,
        });
        self.client_send(id, to);
        id
    }

    /// The server after `after` in turn (S1 after Sn).
    fn next_target(&self, after: Option<NodeId>) -> NodeId {
        let n = self.servers.len();
        NodeId::from_index(after.map_or(0, |a| (a.index() + 1) % n))
    }

    /// Write `op`, to change it: notes when it changed. (The revision goes
    /// up by one after the event or action that changes it.)
    pub(super) fn op_mut(&mut self, op: u64) -> &mut ClientOp {
        if let Some(c) = self.client.changed.get_mut(op as usize) {
            *c = self.revision + 1;
        }
        &mut self.client.ops[op as usize]
    }

    fn client_send(&mut self, op: u64, to: NodeId) {
        let o = self.op_mut(op);
        o.attempts += 1;
        o.target = Some(to);
        let tag = ClientTag { op, attempt: o.attempts };
        let command = o.command.clone();
        self.send(Addr::Client, Addr::Node(to), Payload::ClientRequest { tag, command });
        self.schedule(self.now.saturating_add(self.cfg.client_timeout_ms), Due::ClientTimeout(op, tag.attempt));
    }

    fn pending_attempt(&self, op: u64, attempt: u32) -> bool {
        self.client.ops.get(op as usize).is_some_and(|o| o.is_pending() && o.attempts == attempt)
    }

    /// Gives up a write that has waited too long; true if it did.
    fn maybe_give_up(&mut self, op: u64) -> bool {
        let now = self.now;
        let limit = self.cfg.client_give_up_ms;
        if now.saturating_sub(self.client.ops[op as usize].invoked_at) < limit {
            return false;
        }
        let o = self.op_mut(op);
        o.status = OpStatus::Failed { at: now, reason: gave_up_reason(limit) };
        let command = o.command.clone();
        self.log(EventData::ClientGaveUp { op, command, after_ms: limit });
        true
    }

    pub(super) fn client_timeout(&mut self, op: u64, attempt: u32) -> bool {
        if !self.pending_attempt(op, attempt) {
            return false;
        }
        if self.maybe_give_up(op) {
            return true;
        }
        let target = self.client.ops[op as usize].target;
        let next = self.next_target(target);
        self.client.leader = None;
        self.op_mut(op).redirects = 0;
        let after_ms = self.cfg.client_timeout_ms;
        self.log(EventData::ClientTimedOut { op, from: target, after_ms, next });
        self.client_send(op, next);
        true
    }

    pub(super) fn client_retry(&mut self, op: u64, attempt: u32, to: Option<NodeId>) -> bool {
        if !self.pending_attempt(op, attempt) {
            return false;
        }
        if self.maybe_give_up(op) {
            return true;
        }
        let to = to.unwrap_or_else(|| {
            let target = self.client.ops[op as usize].target;
            self.next_target(target)
        });
        self.client_send(op, to);
        true
    }

    pub(super) fn client_reply(&mut self, from: NodeId, tag: ClientTag, reply: ClientReply) {
        let op = tag.op;
        let Some(o) = self.client.ops.get(op as usize) else { return };
        if !o.is_pending() {
            return;
        }
        let command = o.command.clone();
        match reply {
            // Any attempt's acknowledgement counts, even a late one.
            ClientReply::Committed { index, term } => {
                let now = self.now;
                let o = self.op_mut(op);
                o.status = OpStatus::Acked { index, term, by: from, at: now };
                let took_ms = now - o.invoked_at;
                self.client.leader = Some(from);
                let new = self.monitor.on_ack(now, op, &command, from, index, term);
                self.log(EventData::ClientAcked { op, command, by: from, index, term, took_ms });
                self.log_violations(new);
            }
            _ if o.attempts != tag.attempt => {} // an answer to an attempt already given up
            ClientReply::NotLeader { leader } => {
                let o = self.op_mut(op);
                o.redirects += 1;
                let loops = o.redirects as usize > self.servers.len();
                self.client.leader = leader;
                match leader {
                    Some(l) if l != from && !loops => {
                        self.log(EventData::ClientRedirected { op, from, to: l });
                        self.client_send(op, l);
                    }
                    _ => {
                        self.op_mut(op).redirects = 0;
                        let wait = self.cfg.heartbeat_ms.saturating_mul(2);
                        self.log(EventData::ClientNoLeader { op, from, wait_ms: wait });
                        self.schedule(self.now + wait, Due::ClientRetry(op, tag.attempt, None));
                    }
                }
            }
            ClientReply::Busy => {
                let wait = self.cfg.heartbeat_ms;
                self.log(EventData::ClientBusy { op, from, wait_ms: wait });
                self.schedule(self.now + wait, Due::ClientRetry(op, tag.attempt, Some(from)));
            }
        }
    }
}
