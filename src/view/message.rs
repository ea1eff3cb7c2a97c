//! What the page says about a message at a glance (its kind, its sender's
//! term, whether a reply says yes, how many entries it carries), worked out in
//! one place for the ring and for `state()` alike.

use crate::raft::{Body, ClientReply};
use crate::sim::{MessageKind, Payload};

/// A message at a glance.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Glance {
    /// Its kind (a heartbeat is an AppendEntries without entries).
    pub kind: MessageKind,
    /// The sender's term; `None` for the client's requests and the replies to them.
    pub term: Option<u64>,
    /// For a reply: the vote granted, the entries stored, the write committed.
    /// `None` for requests.
    pub ok: Option<bool>,
    /// How many log entries it carries (AppendEntries only).
    pub entries: usize,
    /// Whether it answers another message (it travels in the reply lane).
    pub reply: bool,
}

/// A message at a glance.
pub fn glance(p: &Payload) -> Glance {
    let (term, ok, entries) = match p {
        Payload::Raft(m) => match &m.body {
            Body::RequestVoteReply { granted } | Body::PreVoteReply { granted } => (Some(m.term), Some(*granted), 0),
            Body::AppendEntriesReply { success, .. } => (Some(m.term), Some(*success), 0),
            Body::AppendEntries { entries, .. } => (Some(m.term), None, entries.len()),
            Body::RequestVote { .. } | Body::PreVote { .. } | Body::TimeoutNow => (Some(m.term), None, 0),
            #[cfg(feature = "compaction")]
            Body::InstallSnapshot { .. } => (Some(m.term), None, 0),
            #[cfg(feature = "compaction")]
            Body::InstallSnapshotReply { last_index, .. } => (Some(m.term), Some(*last_index > 0), 0),
        },
        Payload::ClientResponse { reply, .. } => {
            (None, Some(matches!(reply, ClientReply::Committed { .. } | ClientReply::Read { .. })), 0)
        }
        Payload::ClientRequest { .. } | Payload::ClientRead { .. } => (None, None, 0),
    };
    Glance { kind: p.kind(), term, ok, entries, reply: p.is_reply() }
}
