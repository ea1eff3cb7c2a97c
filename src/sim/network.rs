//! The simulated network: what travels on it, and how. Each message gets a
//! delay drawn from the latency range; it may be lost at a random point of its
//! way, cut by a partition or disconnection, or lost on arrival at a crashed
//! server. By default each link (one direction between two servers, or with
//! the client) delivers in order, like the TCP connections Raft usually runs
//! over; with [`Links::Reorder`] each message arrives after its own delay,
//! whatever was sent before it, like UDP.

use super::narrate::Groups;
use super::{config, Action, Cluster, Due, EventData, Landing, Setting, SimError, WireEnd};
use crate::raft::{ClientReply, ClientTag, Command, Message, NodeId, WriteId};
use serde::{Deserialize, Serialize};

/// How the links deliver ([`super::Config::links`], changed while running by
/// [`Cluster::set_links`]). In JSON: `"in_order"` or `"reorder"`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Links {
    /// Each link delivers in the order it was given (like TCP): a message never
    /// arrives before one sent earlier on the same link, so a healthy cluster
    /// never shows a follower a hole.
    #[default]
    InOrder,
    /// Each message arrives after its own delay, whatever was sent before it on
    /// its link (like UDP): a later AppendEntries can overtake an earlier one,
    /// and Raft must cope.
    Reorder,
}

/// One end of a message: a server or the simulated client.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize, Deserialize)]
pub enum Addr {
    /// A server.
    Node(NodeId),
    /// The simulated client.
    Client,
}

impl std::fmt::Display for Addr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Addr::Node(n) => n.fmt(f),
            Addr::Client => f.write_str("client"),
        }
    }
}

/// What a message carries.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub enum Payload {
    /// A Raft RPC between two servers.
    Raft(Message),
    /// A write (`command`) from the client to a server; `tag` names the
    /// client's operation and attempt, `id` the client and the write's
    /// sequence number (for exactly-once).
    #[allow(missing_docs)]
    ClientRequest {
        tag: ClientTag,
        command: Command,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<WriteId>,
    },
    /// A read of `key` from the client to a server; `tag` names the client's
    /// operation and attempt.
    #[allow(missing_docs)]
    ClientRead { tag: ClientTag, key: String },
    /// A server's `reply` to the client's attempt `tag`.
    #[allow(missing_docs)]
    ClientResponse { tag: ClientTag, reply: ClientReply },
}

/// The kind of a message, for drawing it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum MessageKind {
    /// A candidate asks for a vote.
    RequestVote,
    /// The answer to RequestVote: granted or refused.
    VoteReply,
    /// AppendEntries carrying entries.
    AppendEntries,
    /// AppendEntries with no entries.
    Heartbeat,
    /// AppendEntries' answer.
    AppendReply,
    /// Leadership transfer: "start an election now".
    TimeoutNow,
    /// A write from the client.
    ClientRequest,
    /// A server's answer to the client.
    ClientReply,
    /// Pre-vote: "would you vote for me in the next term?"
    PreVote,
    /// The answer to PreVote: would or would not.
    PreVoteReply,
    /// A read from the client.
    ClientRead,
    /// Log compaction: the leader sends its snapshot in place of entries it compacted.
    #[cfg(feature = "compaction")]
    InstallSnapshot,
    /// InstallSnapshot's answer.
    #[cfg(feature = "compaction")]
    SnapshotReply,
}

impl MessageKind {
    /// Every kind, requests before their replies.
    #[cfg(not(feature = "compaction"))]
    pub const ALL: [MessageKind; 11] = [
        MessageKind::PreVote,
        MessageKind::PreVoteReply,
        MessageKind::RequestVote,
        MessageKind::VoteReply,
        MessageKind::AppendEntries,
        MessageKind::Heartbeat,
        MessageKind::AppendReply,
        MessageKind::TimeoutNow,
        MessageKind::ClientRequest,
        MessageKind::ClientRead,
        MessageKind::ClientReply,
    ];
    /// Every kind, requests before their replies (InstallSnapshot after the append messages).
    #[cfg(feature = "compaction")]
    pub const ALL: [MessageKind; 13] = [
        MessageKind::PreVote,
        MessageKind::PreVoteReply,
        MessageKind::RequestVote,
        MessageKind::VoteReply,
        MessageKind::AppendEntries,
        MessageKind::Heartbeat,
        MessageKind::AppendReply,
        MessageKind::InstallSnapshot,
        MessageKind::SnapshotReply,
        MessageKind::TimeoutNow,
        MessageKind::ClientRequest,
        MessageKind::ClientRead,
        MessageKind::ClientReply,
    ];

    /// The kind's one name, used everywhere: the inspector, the legend,
    /// `state().messages[i].kind`, a message's summary, and scripts
    /// (`drop next VoteReply S2->S1`).
    pub fn name(self) -> &'static str {
        match self {
            MessageKind::RequestVote => "RequestVote",
            MessageKind::VoteReply => "VoteReply",
            MessageKind::AppendEntries => "AppendEntries",
            MessageKind::Heartbeat => "Heartbeat",
            MessageKind::AppendReply => "AppendReply",
            MessageKind::TimeoutNow => "TimeoutNow",
            MessageKind::ClientRequest => "ClientRequest",
            MessageKind::ClientReply => "ClientReply",
            MessageKind::PreVote => "PreVote",
            MessageKind::PreVoteReply => "PreVoteReply",
            MessageKind::ClientRead => "ClientRead",
            #[cfg(feature = "compaction")]
            MessageKind::InstallSnapshot => "InstallSnapshot",
            #[cfg(feature = "compaction")]
            MessageKind::SnapshotReply => "SnapshotReply",
        }
    }
}

impl Payload {
    /// The kind of message, for drawing it.
    pub fn kind(&self) -> MessageKind {
        use crate::raft::Body;
        match self {
            Payload::Raft(m) => match &m.body {
                Body::RequestVote { .. } => MessageKind::RequestVote,
                Body::RequestVoteReply { .. } => MessageKind::VoteReply,
                Body::AppendEntries { entries, .. } if entries.is_empty() => MessageKind::Heartbeat,
                Body::AppendEntries { .. } => MessageKind::AppendEntries,
                Body::AppendEntriesReply { .. } => MessageKind::AppendReply,
                Body::TimeoutNow => MessageKind::TimeoutNow,
                #[cfg(feature = "compaction")]
                Body::InstallSnapshot { .. } => MessageKind::InstallSnapshot,
                #[cfg(feature = "compaction")]
                Body::InstallSnapshotReply { .. } => MessageKind::SnapshotReply,
                Body::PreVote { .. } => MessageKind::PreVote,
                Body::PreVoteReply { .. } => MessageKind::PreVoteReply,
            },
            Payload::ClientRequest { .. } => MessageKind::ClientRequest,
            Payload::ClientRead { .. } => MessageKind::ClientRead,
            Payload::ClientResponse { .. } => MessageKind::ClientReply,
        }
    }

    /// True for answers (vote, pre-vote, append and snapshot replies, client replies).
    pub fn is_reply(&self) -> bool {
        #[cfg(feature = "compaction")]
        if self.kind() == MessageKind::SnapshotReply {
            return true;
        }
        matches!(
            self.kind(),
            MessageKind::VoteReply | MessageKind::PreVoteReply | MessageKind::AppendReply | MessageKind::ClientReply
        )
    }

    /// A short description that starts with the kind's [name](MessageKind::name):
    /// "AppendEntries term 3: 2 entries after 4", "VoteReply term 2: granted".
    pub fn summary(&self) -> String {
        use crate::raft::Body;
        match self {
            Payload::Raft(m) => match &m.body {
                Body::RequestVote { last_log_index, last_log_term, .. } => {
                    format!("RequestVote term {} (last entry {last_log_index}/t{last_log_term})", m.term)
                }
                Body::RequestVoteReply { granted } => {
                    format!("VoteReply term {}: {}", m.term, if *granted { "granted" } else { "refused" })
                }
                Body::AppendEntries { entries, prev_log_index, .. } if entries.is_empty() => {
                    format!("Heartbeat term {} (prev {prev_log_index})", m.term)
                }
                Body::AppendEntries { entries, prev_log_index, .. } => format!(
                    "AppendEntries term {}: {} entr{} after {prev_log_index}",
                    m.term,
                    entries.len(),
                    if entries.len() == 1 { "y" } else { "ies" }
                ),
                Body::AppendEntriesReply { success, match_index, .. } => {
                    if *success {
                        format!("AppendReply term {}: success, match {match_index}", m.term)
                    } else {
                        format!("AppendReply term {}: rejected", m.term)
                    }
                }
                Body::TimeoutNow => format!("TimeoutNow term {}", m.term),
                #[cfg(feature = "compaction")]
                Body::InstallSnapshot { snapshot, .. } => {
                    format!("InstallSnapshot term {}: snapshot up to {} (t{})", m.term, snapshot.index, snapshot.term)
                }
                #[cfg(feature = "compaction")]
                Body::InstallSnapshotReply { last_index, .. } => {
                    format!("SnapshotReply term {}: match {last_index}", m.term)
                }
                Body::PreVote { last_log_index, last_log_term } => {
                    format!("PreVote for term {} (last entry {last_log_index}/t{last_log_term})", m.term)
                }
                Body::PreVoteReply { granted } => {
                    format!("PreVoteReply term {}: {}", m.term, if *granted { "would vote" } else { "would not" })
                }
            },
            Payload::ClientRequest { command, .. } => format!("ClientRequest: write {command}"),
            Payload::ClientRead { key, .. } => format!("ClientRead: read {key}"),
            Payload::ClientResponse { reply, .. } => match reply {
                ClientReply::Committed { index, .. } => format!("ClientReply: committed at {index}"),
                ClientReply::Read { value: Some(v), index, .. } => {
                    format!("ClientReply: read {v} (applied up to {index})")
                }
                ClientReply::Read { value: None, index, .. } => {
                    format!("ClientReply: read nothing, never written (applied up to {index})")
                }
                ClientReply::NotLeader { leader: Some(l) } => format!("ClientReply: not leader, try {l}"),
                ClientReply::NotLeader { leader: None } => "ClientReply: not leader".to_string(),
                ClientReply::Busy => "ClientReply: busy (transferring leadership)".to_string(),
            },
        }
    }
}

/// A message in flight. The page draws it at `(now - sent_at) / (arrive_at - sent_at)`
/// of the way from `from` to `to`.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct InFlight {
    /// Unique id (the page's "message #id").
    pub id: u64,
    /// The sender.
    pub from: Addr,
    /// The receiver.
    pub to: Addr,
    /// What it carries.
    pub payload: Payload,
    /// When it was sent (virtual ms).
    pub sent_at: u64,
    /// When it arrives, unless lost first (virtual ms).
    pub arrive_at: u64,
    /// True for a copy made by `duplicate_message`.
    pub duplicate: bool,
}

impl InFlight {
    /// How far along it is at `now`, 0 to 1.
    pub fn progress(&self, now: u64) -> f64 {
        if self.arrive_at <= self.sent_at {
            return 1.0;
        }
        (now.saturating_sub(self.sent_at) as f64 / (self.arrive_at - self.sent_at) as f64).clamp(0.0, 1.0)
    }
}

/// The messages in flight, by id. Ids are handed out in order and messages
/// end in about that order, so they sit in a table that starts at a low id
/// (`first`), with an empty slot for each message that ended before those
/// ahead of it: finding or taking one out is an index, where a sorted table
/// searched for it and moved every later message down. The empty slots at
/// the front are cut off in batches.
#[derive(Clone, Debug, Default)]
pub(super) struct InFlights {
    /// The id of the first slot.
    first: u64,
    /// The slots before this one are empty.
    head: usize,
    slots: Vec<Option<InFlight>>,
}

impl InFlights {
    /// How many messages are in flight.
    pub(super) fn len(&self) -> usize {
        self.values().count()
    }

    fn slot(&self, id: u64) -> Option<usize> {
        id.checked_sub(self.first).map(|i| i as usize).filter(|&i| i < self.slots.len())
    }

    pub(super) fn get(&self, id: u64) -> Option<&InFlight> {
        self.slots[self.slot(id)?].as_ref()
    }

    fn get_mut(&mut self, id: u64) -> Option<&mut InFlight> {
        let i = self.slot(id)?;
        self.slots[i].as_mut()
    }

    /// Adds `m`, whose id is higher than any before.
    fn insert(&mut self, m: InFlight) {
        if self.slots.is_empty() {
            self.first = m.id;
        }
        while self.first + (self.slots.len() as u64) < m.id {
            self.slots.push(None);
        }
        self.slots.push(Some(m));
    }

    /// Takes message `id` out.
    pub(super) fn remove(&mut self, id: u64) -> Option<InFlight> {
        let i = self.slot(id)?;
        let m = self.slots[i].take();
        while self.slots.get(self.head).is_some_and(Option::is_none) {
            self.head += 1;
        }
        if self.head == self.slots.len() {
            self.slots.clear();
            self.head = 0;
        } else if self.head >= 64 {
            self.slots = self.slots.split_off(self.head);
            self.first += self.head as u64;
            self.head = 0;
        }
        m
    }

    /// The messages, oldest first.
    pub(super) fn values(&self) -> impl Iterator<Item = &InFlight> {
        self.slots[self.head..].iter().flatten()
    }
}

/// Why a message was lost.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum LossCause {
    /// The network lost it at random (with the probability [`super::Config::drop_rate`]).
    Random,
    /// A partition or disconnection separated sender and receiver.
    Cut,
    /// The receiver was crashed when it arrived.
    ReceiverDown,
    /// Someone dropped it by hand.
    Dropped,
}

/// A message that was lost recently (kept for a short while so the page can fade it out where it was lost).
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct LostMessage {
    /// The message, as it was in flight.
    pub message: InFlight,
    /// When it was lost (virtual ms).
    pub lost_at: u64,
    /// How far along its way it was, 0 to 1.
    pub progress: f64,
    /// What lost it.
    pub cause: LossCause,
}

impl Cluster {
    /// The messages in flight, oldest first.
    pub fn messages(&self) -> Vec<&InFlight> {
        self.in_flight.values().collect()
    }
    /// How many messages were sent so far (servers' and the client's,
    /// duplicates made on purpose included): each one has its own number.
    pub fn messages_sent(&self) -> u64 {
        self.next_msg - 1
    }
    /// One message in flight.
    pub fn message(&self, id: u64) -> Option<&InFlight> {
        self.in_flight.get(id)
    }
    /// Messages lost in the last [`LOST_KEEP_MS`](super::LOST_KEEP_MS) ms, oldest first.
    pub fn lost_messages(&self) -> impl Iterator<Item = &LostMessage> {
        self.lost.iter()
    }
    /// Whether `a` can currently reach `b` (both ends connected and in the same partition group).
    pub fn can_reach(&self, a: Addr, b: Addr) -> bool {
        self.connected(a, b)
    }

    pub(super) fn connected(&self, a: Addr, b: Addr) -> bool {
        let s = |x: NodeId| self.servers.get(x.index());
        match (a, b) {
            (Addr::Node(x), Addr::Node(y)) => match (s(x), s(y)) {
                (Some(x), Some(y)) => !x.disconnected && !y.disconnected && x.group == y.group,
                _ => false,
            },
            (Addr::Node(x), Addr::Client) | (Addr::Client, Addr::Node(x)) => s(x).is_some_and(|x| !x.disconnected),
            (Addr::Client, Addr::Client) => true,
        }
    }

    pub(super) fn send(&mut self, from: Addr, to: Addr, payload: Payload) -> u64 {
        let id = self.next_msg;
        self.next_msg += 1;
        let (lo, hi) = self.cfg.latency_ms;
        let drawn = self.rng.range(lo, hi);
        let link = self.link(from, to);
        let arrive_at = match self.cfg.links {
            // In order on each link: never before the link's previous message.
            Links::InOrder => (self.now + drawn).max(self.link_last[link]),
            // Its own delay, whatever went before.
            Links::Reorder => self.now + drawn,
        };
        // Kept up while reordering too, so that once links are in order again
        // no new message overtakes one still in flight.
        self.link_last[link] = self.link_last[link].max(arrive_at);
        let latency = arrive_at - self.now;
        if self.rng.chance(self.cfg.drop_rate) {
            let at = self.now + (latency as f64 * (0.25 + 0.5 * self.rng.unit())) as u64;
            self.schedule(at, Due::Lose(id));
        } else if !self.connected(from, to) {
            // Sent across a cut: it dies half way unless the cut heals first.
            self.schedule(self.now + latency / 2, Due::CheckCut(id));
        }
        self.schedule(arrive_at, Due::Arrive(id));
        self.in_flight.insert(InFlight { id, from, to, payload, sent_at: self.now, arrive_at, duplicate: false });
        id
    }

    /// The index of the directed link `from` → `to` in `link_last` (the client is number n).
    fn link(&self, from: Addr, to: Addr) -> usize {
        let n = self.servers.len();
        let ix = |a: Addr| match a {
            Addr::Node(x) => x.index().min(n),
            Addr::Client => n,
        };
        ix(from) * (n + 1) + ix(to)
    }

    pub(super) fn lose(&mut self, message: InFlight, cause: LossCause) {
        let progress = message.progress(self.now);
        self.wire.ended(&message, self.now, WireEnd::Lost(cause));
        self.lost.push_back(LostMessage { message, lost_at: self.now, progress, cause });
    }

    /// A cut takes effect at once: messages in flight across it are lost where they are.
    pub(super) fn cut_in_flight(&mut self) {
        let cut: Vec<u64> = self.in_flight.values().filter(|m| !self.connected(m.from, m.to)).map(|m| m.id).collect();
        for id in cut {
            if let Some(m) = self.in_flight.remove(id) {
                self.lose(m, LossCause::Cut);
            }
        }
    }

    pub(super) fn deliver(&mut self, m: InFlight) {
        if !self.connected(m.from, m.to) {
            return self.lose(m, LossCause::Cut);
        }
        if m.to == Addr::Client {
            self.wire.ended(&m, self.now, WireEnd::Delivered);
        }
        match m.to {
            Addr::Node(n) => {
                if !self.servers[n.index()].up {
                    return self.lose(m, LossCause::ReceiverDown);
                }
                self.wire.ended(&m, self.now, WireEnd::Delivered);
                match m.payload {
                    Payload::Raft(msg) => self.step_node(n, |node, out| node.receive(msg, out)),
                    Payload::ClientRequest { tag, command, id } => {
                        let before = self.servers[n.index()].node.last_index();
                        self.step_node(n, |node, out| node.client_request(tag, command, id, out));
                        let node = &self.servers[n.index()].node;
                        if node.last_index() > before {
                            let landing = Landing { node: n, index: node.last_index(), term: node.last_term() };
                            if (tag.op as usize) < self.client.ops.len() {
                                self.op_mut(tag.op).landed.push(landing);
                            }
                        }
                    }
                    Payload::ClientRead { tag, key } => self.step_node(n, |node, out| node.client_read(tag, &key, out)),
                    Payload::ClientResponse { .. } => {}
                }
            }
            Addr::Client => {
                if let (Payload::ClientResponse { tag, reply }, Addr::Node(from)) = (m.payload, m.from) {
                    self.client_reply(from, tag, reply);
                }
            }
        }
    }

    // ----- faults and settings of the network -----------------------------------------

    /// Cuts server `id` off from everyone (servers and client); messages in flight to or from it are lost.
    pub fn disconnect(&mut self, id: NodeId) -> Result<(), SimError> {
        self.perform(Action::Disconnect { node: id }).map(drop)
    }

    pub(super) fn do_disconnect(&mut self, id: NodeId) -> Result<(), SimError> {
        if self.check_node(id)?.disconnected {
            return Err(SimError::AlreadyDisconnected(id));
        }
        self.servers[id.index()].disconnected = true;
        self.cut_in_flight();
        self.log(EventData::Disconnected { node: id });
        Ok(())
    }

    /// Undoes [`Cluster::disconnect`].
    pub fn reconnect(&mut self, id: NodeId) -> Result<(), SimError> {
        self.perform(Action::Reconnect { node: id }).map(drop)
    }

    pub(super) fn do_reconnect(&mut self, id: NodeId) -> Result<(), SimError> {
        if !self.check_node(id)?.disconnected {
            return Err(SimError::NotDisconnected(id));
        }
        self.servers[id.index()].disconnected = false;
        self.log(EventData::Reconnected { node: id });
        Ok(())
    }

    /// Splits the network: servers in different groups cannot reach each other.
    /// Servers that no group names form one more group together. The client
    /// still reaches every server. Messages in flight across the cut are lost.
    pub fn partition(&mut self, groups: &[Vec<NodeId>]) -> Result<(), SimError> {
        self.perform(Action::Partition { groups: groups.to_vec() }).map(drop)
    }

    pub(super) fn do_partition(&mut self, groups: &[Vec<NodeId>]) -> Result<(), SimError> {
        let mut group = vec![0u32; self.servers.len()];
        let mut seen = vec![false; self.servers.len()];
        for (g, members) in groups.iter().enumerate() {
            for &n in members {
                self.check_node(n)?;
                if std::mem::replace(&mut seen[n.index()], true) {
                    return Err(SimError::NodeInTwoGroups(n));
                }
                group[n.index()] = g as u32 + 1;
            }
        }
        for (s, g) in self.servers.iter_mut().zip(group) {
            s.group = g;
        }
        self.cut_in_flight();
        let groups = if self.servers.iter().all(|s| s.group == 0) { vec![] } else { self.groups() };
        self.log(EventData::Partitioned { groups });
        Ok(())
    }

    /// The partition groups as "{S1, S2} | {S3, S4, S5}".
    pub fn describe_groups(&self) -> String {
        Groups(&self.groups()).to_string()
    }

    /// The servers by partition group, the group of servers no group named first.
    fn groups(&self) -> Vec<Vec<NodeId>> {
        // By group number, smallest first: each server joins its group's list.
        let mut by: Vec<(u32, Vec<NodeId>)> = Vec::new();
        for s in &self.servers {
            match by.binary_search_by(|g| g.0.cmp(&s.group)) {
                Ok(i) => by[i].1.push(s.id()),
                Err(i) => by.insert(i, (s.group, vec![s.id()])),
            }
        }
        by.into_iter().map(|g| g.1).collect()
    }

    /// Heals the network: no partition, nobody disconnected.
    pub fn heal(&mut self) {
        // Never refused.
        let _ = self.perform(Action::Heal);
    }

    pub(super) fn do_heal(&mut self) {
        for s in &mut self.servers {
            s.group = 0;
            s.disconnected = false;
        }
        self.log(EventData::Healed);
    }

    /// Changes the range each message's delay is drawn from (new messages only).
    pub fn set_latency_ms(&mut self, lo: u64, hi: u64) -> Result<(), SimError> {
        self.perform(Action::SetLatency { lo, hi }).map(drop)
    }

    pub(super) fn do_set_latency(&mut self, lo: u64, hi: u64) -> Result<(), SimError> {
        config::check_range("latency", (lo, hi), false)?;
        self.cfg.latency_ms = (lo, hi);
        self.log(EventData::SettingChanged { setting: Setting::Latency { lo, hi } });
        Ok(())
    }

    /// Changes the probability that the network loses a message (new messages only).
    pub fn set_drop_rate(&mut self, p: f64) -> Result<(), SimError> {
        self.perform(Action::SetDropRate { rate: p }).map(drop)
    }

    pub(super) fn do_set_drop_rate(&mut self, p: f64) -> Result<(), SimError> {
        config::check_rate("drop rate", p)?;
        self.cfg.drop_rate = p;
        self.log(EventData::SettingChanged { setting: Setting::DropRate { rate: p } });
        Ok(())
    }

    /// Makes the links deliver in order or reorder (new messages only: those in
    /// flight keep their arrival times). Never refused.
    pub fn set_links(&mut self, links: Links) {
        let _ = self.perform(Action::SetLinks { links });
    }

    pub(super) fn do_set_links(&mut self, links: Links) {
        self.cfg.links = links;
        self.log(EventData::SettingChanged { setting: Setting::Links { links } });
    }

    /// Loses one message in flight, where it is now.
    pub fn drop_message(&mut self, id: u64) -> Result<(), SimError> {
        self.perform(Action::DropMessage { id }).map(drop)
    }

    pub(super) fn do_drop(&mut self, id: u64) -> Result<(), SimError> {
        let m = self.in_flight.remove(id).ok_or(SimError::UnknownMessage(id))?;
        let what = EventData::MessageDropped { id, from: m.from, to: m.to, payload: Box::new(m.payload.clone()) };
        self.lose(m, LossCause::Dropped);
        self.log(what);
        Ok(())
    }

    /// Sends a second copy of a message in flight, from its sender now, with a
    /// fresh delay. Returns the copy's id.
    pub fn duplicate_message(&mut self, id: u64) -> Result<u64, SimError> {
        self.perform(Action::DuplicateMessage { id })
    }

    pub(super) fn do_duplicate(&mut self, id: u64) -> Result<u64, SimError> {
        let m = self.in_flight.get(id).ok_or(SimError::UnknownMessage(id))?;
        let (from, to, payload) = (m.from, m.to, m.payload.clone());
        let copy = self.send(from, to, payload.clone());
        if let Some(c) = self.in_flight.get_mut(copy) {
            c.duplicate = true;
        }
        self.log(EventData::MessageDuplicated { id, copy, from, to, payload: Box::new(payload) });
        Ok(copy)
    }
}
