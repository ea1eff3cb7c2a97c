//! What travels on the simulated network.

use crate::raft::{ClientReply, ClientTag, Command, Message, NodeId};
use serde::{Deserialize, Serialize};

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
    /// A write from the client to a server.
    ClientRequest {
        /// Which operation and attempt.
        tag: ClientTag,
        /// The write.
        command: Command,
    },
    /// A server's answer to the client.
    ClientResponse {
        /// Which operation and attempt it answers.
        tag: ClientTag,
        /// The answer.
        reply: ClientReply,
    },
}

/// The kind of a message, for drawing it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum MessageKind {
    /// RequestVote.
    RequestVote,
    /// RequestVote's answer.
    VoteReply,
    /// AppendEntries carrying entries.
    AppendEntries,
    /// AppendEntries with no entries.
    Heartbeat,
    /// AppendEntries' answer.
    AppendReply,
    /// Leadership transfer's TimeoutNow.
    TimeoutNow,
    /// A client write.
    ClientRequest,
    /// A server's answer to the client.
    ClientReply,
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
            },
            Payload::ClientRequest { .. } => MessageKind::ClientRequest,
            Payload::ClientResponse { .. } => MessageKind::ClientReply,
        }
    }

    /// True for answers (vote and append replies, client replies).
    pub fn is_reply(&self) -> bool {
        matches!(self.kind(), MessageKind::VoteReply | MessageKind::AppendReply | MessageKind::ClientReply)
    }

    /// A short description: "AppendEntries term 3, 2 entries", "VoteReply granted".
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
            },
            Payload::ClientRequest { command, .. } => format!("client write {command}"),
            Payload::ClientResponse { reply, .. } => match reply {
                ClientReply::Committed { index, .. } => format!("client reply: committed at {index}"),
                ClientReply::NotLeader { leader: Some(l) } => format!("client reply: not leader, try {l}"),
                ClientReply::NotLeader { leader: None } => "client reply: not leader".to_string(),
                ClientReply::Busy => "client reply: busy (transferring leadership)".to_string(),
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
    /// Sender.
    pub from: Addr,
    /// Receiver.
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

/// Why a message was lost.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum LossCause {
    /// The network's random loss.
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
    /// The message.
    pub message: InFlight,
    /// When it was lost.
    pub lost_at: u64,
    /// How far along it was, 0 to 1.
    pub progress: f64,
    /// Why.
    pub cause: LossCause,
}
