//! The wire log: every message's send and its end (delivered or lost, and
//! why), in order, for drawing the run as a space-time diagram
//! (`view/diagram.rs`). Kept apart from the trace so that the trace, its
//! sentences and its hash stay as they are; it only grows at its end, so
//! snapshots share it in chunks like the trace.

use super::chunks::Weigh;
use super::{Addr, Cluster, LossCause, MessageKind, Payload};

/// One line of the wire log, about message `id`.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Wire {
    /// The message (the page's "message #id").
    pub id: u64,
    /// Virtual time (ms) of this line: the send, the delivery or the loss.
    pub at: u64,
    /// What happened to it.
    pub what: WireWhat,
}

/// What a [`Wire`] line reports.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum WireWhat {
    /// Sent from `from` to `to`; due at `arrive_at` unless lost first.
    /// `term` is the sender's term for Raft messages (0 for the client's);
    /// `duplicate` for a copy made by hand.
    #[allow(missing_docs)] // named for what they hold; the variant says what it reports
    Sent { from: Addr, to: Addr, kind: MessageKind, term: u64, arrive_at: u64, duplicate: bool },
    /// Handed to its receiver.
    Delivered,
    /// Lost, for this reason.
    Lost(LossCause),
}

impl Weigh for Wire {}

/// The term a payload carries (0 for the client's messages, which have none).
pub(super) fn payload_term(p: &Payload) -> u64 {
    match p {
        Payload::Raft(m) => m.term,
        _ => 0,
    }
}

impl Cluster {
    /// The wire log: each message's send, then its delivery or loss, in the
    /// order they happened (see [`Wire`]).
    pub fn wire(&self) -> &[Wire] {
        &self.wire
    }
}
