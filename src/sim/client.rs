//! The simulated client: its writes and reads, as the page's client panel
//! lists them, and how it sends them. It sends each operation to the server
//! it believes leads, follows a follower's leader hint, waits and tries the
//! next server when nobody knows a leader, retries elsewhere when an attempt
//! gets no answer in time, and gives up an operation nobody answered for too
//! long. Each write carries the client's id and a sequence number (the
//! operation's id), so that servers apply a retried write once.

use super::narrate::gave_up_reason;
use super::{Action, Addr, Cluster, Due, EventData, Payload, SimError};
use crate::raft::{ClientReply, ClientTag, Command, NodeId, WriteId};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The simulated client's id, carried by each of its writes.
pub const CLIENT_ID: u64 = 1;

/// What a client operation asks for.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    /// Write a command (`x ← 3`, or a no-op).
    Write(Command),
    /// Read a key.
    Read {
        /// The key read.
        key: String,
    },
}

impl fmt::Display for Request {
    /// `x ← 3`, `no-op`, `read x`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Request::Write(c) => c.fmt(f),
            Request::Read { key } => write!(f, "read {key}"),
        }
    }
}

/// Where an operation stands.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
#[allow(missing_docs)] // the fields are named for what they hold; each variant says what they mean
pub enum OpStatus {
    /// Sent, not yet answered.
    Pending,
    /// The leader `by` answered at virtual time `at`: for a write, that it is
    /// committed at log `index`, in `term`; for a read, its value (see
    /// [`ClientOp::value`]) with everything up to `index` applied, `term`
    /// being the answering server's.
    Acked { index: u64, term: u64, by: NodeId, at: u64 },
    /// The client gave up at virtual time `at`, for `reason`: no leader
    /// answered it in time. A write may still commit later (the client
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

/// One write or read of the simulated client.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct ClientOp {
    /// Its id (0, 1, 2, ... in invocation order); a write's sequence number.
    pub id: u64,
    /// What it asks: a write's command, or a read's key.
    pub command: Request,
    /// When the client invoked it.
    pub invoked_at: u64,
    /// Pending, acknowledged or failed.
    pub status: OpStatus,
    /// The server the latest attempt went to.
    pub target: Option<NodeId>,
    /// How many attempts were sent.
    pub attempts: u32,
    /// Every place a leader appended it (a retried write can land twice; it
    /// is applied once).
    pub landed: Vec<Landing>,
    /// A read's answer, once it came: the value, `None` for a key never written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) answer: Option<Option<i64>>,
    #[serde(skip)]
    pub(crate) redirects: u32,
}

impl ClientOp {
    /// True for a read.
    pub fn is_read(&self) -> bool {
        matches!(self.command, Request::Read { .. })
    }
    /// A write's command (`None` for a read).
    pub fn write(&self) -> Option<&Command> {
        match &self.command {
            Request::Write(c) => Some(c),
            Request::Read { .. } => None,
        }
    }
    /// The key it writes or reads (`None` for a no-op).
    pub fn key(&self) -> Option<&str> {
        match &self.command {
            Request::Write(Command::Set { key, .. }) => Some(key),
            Request::Read { key } => Some(key),
            Request::Write(Command::Noop) => None,
            #[cfg(feature = "membership")]
            Request::Write(Command::Config { .. }) => None,
        }
    }
    /// What a completed read returned: `None` for a key never written (and
    /// for a read not answered yet, and for a write).
    pub fn value(&self) -> Option<i64> {
        self.answer.flatten()
    }
    /// True once a leader answered it (acknowledged a write, returned a read).
    pub fn is_acked(&self) -> bool {
        matches!(self.status, OpStatus::Acked { .. })
    }
    /// True while it is neither acknowledged nor failed.
    pub fn is_pending(&self) -> bool {
        matches!(self.status, OpStatus::Pending)
    }
    /// The index it was acknowledged at (a read's read index).
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
    /// For each operation, the revision its latest change made (see
    /// [`Cluster::revision`]): a snapshot shares the writes that did not
    /// change since the one before, without comparing them.
    pub changed: Vec<u64>,
    /// Whom the client believes leads.
    pub leader: Option<NodeId>,
    /// No write below this op id is without an acknowledgement (reads skipped):
    /// each write tells the servers so, and they forget those results.
    pub first_unanswered: u64,
}

impl Cluster {
    /// Every write the client was told is committed: (index, op id, term).
    pub fn acked_writes(&self) -> Vec<(u64, u64, u64)> {
        self.monitor.acked().collect()
    }

    /// The keys whose client history the linearizability checker could not
    /// settle within its budget (the sixth property is then unknown for
    /// them, not broken), each with the checker's reason.
    pub fn linearizability_not_checked(&self) -> Vec<(String, String)> {
        self.monitor.not_checked().map(|(k, r)| (k.to_string(), r.to_string())).collect()
    }

    /// The client's writes and reads, in invocation order.
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

    /// A read of `key` through the simulated client, sent like a write (to
    /// the server it believes leads, following hints, retrying). Returns the
    /// operation's id; once answered, [`ClientOp::value`] is what it read.
    pub fn client_read(&mut self, key: &str) -> u64 {
        // Never refused, like a write without a target.
        self.perform(Action::Read { key: key.to_string(), to: None }).unwrap_or_default()
    }

    /// A read of `key` through the simulated client whose first attempt goes to `to`.
    pub fn client_read_from(&mut self, to: NodeId, key: &str) -> Result<u64, SimError> {
        self.perform(Action::Read { key: key.to_string(), to: Some(to) })
    }

    pub(super) fn do_client_op(&mut self, request: Request, to: Option<NodeId>) -> Result<u64, SimError> {
        let to = match to {
            Some(to) => {
                self.check_node(to)?;
                to
            }
            None => self.client.leader.unwrap_or_else(|| self.next_target(None)),
        };
        Ok(self.invoke(request, to))
    }

    fn invoke(&mut self, request: Request, to: NodeId) -> u64 {
        let id = self.client.ops.len() as u64;
        match &request {
            Request::Write(command) => self.log(EventData::ClientWrite { op: id, command: command.clone(), to }),
            Request::Read { key } => self.log(EventData::ClientRead { op: id, key: key.clone(), to }),
        }
        self.client.changed.push(self.revision + 1);
        let op = ClientOp {
            id,
            command: request,
            invoked_at: self.now,
            status: OpStatus::Pending,
            target: None,
            attempts: 0,
            landed: Vec::new(),
            answer: None,
            redirects: 0,
        };
        self.monitor.client_invoked(&op);
        self.client.ops.push(op);
        self.client_send(id, to);
        id
    }

    /// The server after `after` in turn (S1 after Sn).
    fn next_target(&self, after: Option<NodeId>) -> NodeId {
        let n = self.servers.len();
        NodeId::from_index(after.map_or(0, |a| (a.index() + 1) % n))
    }

    /// The lowest write still without an acknowledgement (reads do not count).
    fn first_unanswered(&mut self) -> u64 {
        let ops = &self.client.ops;
        let mut k = self.client.first_unanswered as usize;
        while ops.get(k).is_some_and(|o| o.is_read() || o.is_acked()) {
            k += 1;
        }
        self.client.first_unanswered = k as u64;
        k as u64
    }

    /// Operation `op`, to change it: notes when it changed. (The revision
    /// goes up by one after the event or action that changes it.)
    pub(super) fn op_mut(&mut self, op: u64) -> &mut ClientOp {
        if let Some(c) = self.client.changed.get_mut(op as usize) {
            *c = self.revision + 1;
        }
        &mut self.client.ops[op as usize]
    }

    fn client_send(&mut self, op: u64, to: NodeId) {
        let first_unanswered = self.first_unanswered();
        let o = self.op_mut(op);
        o.attempts += 1;
        o.target = Some(to);
        let tag = ClientTag { op, attempt: o.attempts };
        let payload = match &o.command {
            Request::Write(command) => {
                let id = WriteId { client: CLIENT_ID, seq: op, first_unanswered };
                Payload::ClientRequest { tag, command: command.clone(), id: Some(id) }
            }
            Request::Read { key } => Payload::ClientRead { tag, key: key.clone() },
        };
        self.send(Addr::Client, Addr::Node(to), payload);
        self.schedule(self.now.saturating_add(self.cfg.client_timeout_ms), Due::ClientTimeout(op, tag.attempt));
    }

    fn pending_attempt(&self, op: u64, attempt: u32) -> bool {
        self.client.ops.get(op as usize).is_some_and(|o| o.is_pending() && o.attempts == attempt)
    }

    /// Gives up an operation that has waited too long; true if it did.
    fn maybe_give_up(&mut self, op: u64) -> bool {
        let now = self.now;
        let limit = self.cfg.client_give_up_ms;
        if now.saturating_sub(self.client.ops[op as usize].invoked_at) < limit {
            return false;
        }
        let o = self.op_mut(op);
        o.status = OpStatus::Failed { at: now, reason: gave_up_reason(limit) };
        self.monitor.client_gave_up(&self.client.ops[op as usize]);
        match self.client.ops[op as usize].command.clone() {
            Request::Write(command) => self.log(EventData::ClientGaveUp { op, command, after_ms: limit }),
            Request::Read { key } => self.log(EventData::ClientReadGaveUp { op, key, after_ms: limit }),
        }
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
        let read = self.client.ops[op as usize].is_read();
        self.log(EventData::ClientTimedOut { op, from: target, after_ms, next, read });
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
        let read = o.is_read();
        match (reply, o.command.clone()) {
            // Any attempt's answer counts, even a late one.
            (ClientReply::Committed { index, term }, Request::Write(command)) => {
                let now = self.now;
                let o = self.op_mut(op);
                o.status = OpStatus::Acked { index, term, by: from, at: now };
                let took_ms = now - o.invoked_at;
                self.client.leader = Some(from);
                let mut new = self.monitor.on_ack(now, op, &command, from, index, term);
                self.log(EventData::ClientAcked { op, command, by: from, index, term, took_ms });
                new += self.monitor.client_answered(now, &self.client.ops[op as usize]);
                self.log_violations(new);
            }
            (ClientReply::Read { value, index, term }, Request::Read { key }) => {
                let now = self.now;
                let o = self.op_mut(op);
                o.status = OpStatus::Acked { index, term, by: from, at: now };
                o.answer = Some(value);
                let took_ms = now - o.invoked_at;
                self.client.leader = Some(from);
                self.log(EventData::ClientReadDone { op, key, value, by: from, index, took_ms });
                let new = self.monitor.client_answered(now, &self.client.ops[op as usize]);
                self.log_violations(new);
            }
            // An answer of the other sort (no server sends one).
            (ClientReply::Committed { .. } | ClientReply::Read { .. }, _) => {}
            _ if o.attempts != tag.attempt => {} // an answer to an attempt already given up
            (ClientReply::NotLeader { leader }, _) => {
                let o = self.op_mut(op);
                o.redirects += 1;
                let loops = o.redirects as usize > self.servers.len();
                self.client.leader = leader;
                match leader {
                    Some(l) if l != from && !loops => {
                        self.log(EventData::ClientRedirected { op, from, to: l, read });
                        self.client_send(op, l);
                    }
                    _ => {
                        self.op_mut(op).redirects = 0;
                        let wait = self.cfg.heartbeat_ms.saturating_mul(2);
                        self.log(EventData::ClientNoLeader { op, from, wait_ms: wait, read });
                        self.schedule(self.now + wait, Due::ClientRetry(op, tag.attempt, None));
                    }
                }
            }
            (ClientReply::Busy, _) => {
                let wait = self.cfg.heartbeat_ms;
                self.log(EventData::ClientBusy { op, from, wait_ms: wait, read });
                self.schedule(self.now + wait, Due::ClientRetry(op, tag.attempt, Some(from)));
            }
        }
    }
}
