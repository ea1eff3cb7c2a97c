//! The wire log: every message that ended (delivered, or lost and why), for
//! drawing the run as a space-time diagram (`view/diagram.rs`); the messages
//! still in flight are the cluster's own table ([`Cluster::wires`] joins the
//! two). Kept apart from the trace so that the trace, its sentences and its
//! hash stay as they are.
//!
//! A message is written once, when it ends, in about 5 bytes ([`WireLog::ended`]):
//! ends come in time order, so each record holds its end as an offset from
//! the one before, its send and arrival as offsets from its end, its id as a
//! difference from the one before (ends come nearly in id order). The log only
//! grows at its end. Records sit in blocks of [`BLOCK`]: the one being
//! written is the log's own, full ones are `Arc`s that a
//! [`super::Snapshot`] shares by cloning the list of them, so a snapshot
//! owns only the block being written (about 1 KB at most) and the list.
//! Every offset is a variable-length integer: any run length, delay or term
//! is kept exactly.

use super::{Addr, Cluster, InFlight, LossCause, MessageKind, NodeId, Payload};
use std::mem::size_of;
use std::sync::Arc;

/// One message, as [`Cluster::wires`] reads it out.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Wire {
    /// The message's id (the page's "message #id").
    pub id: u64,
    /// The sender.
    pub from: Addr,
    /// The receiver.
    pub to: Addr,
    /// Its kind.
    pub kind: MessageKind,
    /// The sender's term (0 for the client's messages).
    pub term: u64,
    /// When it was sent (virtual ms).
    pub sent_at: u64,
    /// When it arrives (or arrived, or would have, had it not been lost).
    pub arrive_at: u64,
    /// When it was delivered or lost (its send time while in flight: see [`Wire::end_at`]).
    pub ended_at: u64,
    /// How it ended, or that it has not yet.
    pub end: WireEnd,
    /// A copy made by hand.
    pub duplicate: bool,
}

/// How a message ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WireEnd {
    /// Delivered to its receiver.
    Delivered,
    /// Lost, for this reason.
    Lost(LossCause),
    /// Still in flight.
    InFlight,
}

impl Wire {
    /// Where its line stops at `now`: its end, or `now` while in flight
    /// (never past its arrival).
    pub fn end_at(&self, now: u64) -> u64 {
        match self.end {
            WireEnd::InFlight => now.min(self.arrive_at).max(self.sent_at),
            _ => self.ended_at,
        }
    }

    /// How far along its way it stops, 0 to 1 (1 when delivered).
    pub fn reach(&self, now: u64) -> f64 {
        if self.arrive_at <= self.sent_at {
            return 1.0;
        }
        ((self.end_at(now) - self.sent_at) as f64 / (self.arrive_at - self.sent_at) as f64).clamp(0.0, 1.0)
    }

    /// A message still in flight.
    fn in_flight(m: &InFlight) -> Wire {
        Wire {
            id: m.id,
            from: m.from,
            to: m.to,
            kind: m.payload.kind(),
            term: payload_term(&m.payload),
            sent_at: m.sent_at,
            arrive_at: m.arrive_at,
            ended_at: m.sent_at,
            end: WireEnd::InFlight,
            duplicate: m.duplicate,
        }
    }
}

/// Records per block.
const BLOCK: u32 = 256;

/// The 4-bit code of an address: a server's index, or 15 for the client.
fn addr_code(a: Addr) -> u8 {
    match a {
        Addr::Node(n) => n.index().min(14) as u8,
        Addr::Client => 15,
    }
}

fn addr_of(code: u8) -> Addr {
    match code {
        15 => Addr::Client,
        i => Addr::Node(NodeId::from_index(i as usize)),
    }
}

/// The kinds of message in the order `MessageKind` declares them (a kind's code is its position).
const KINDS: [MessageKind; MessageKind::ALL.len()] = {
    use MessageKind::*;
    [
        RequestVote,
        VoteReply,
        AppendEntries,
        Heartbeat,
        AppendReply,
        TimeoutNow,
        ClientRequest,
        ClientReply,
        PreVote,
        PreVoteReply,
        ClientRead,
        #[cfg(feature = "compaction")]
        InstallSnapshot,
        #[cfg(feature = "compaction")]
        SnapshotReply,
    ]
};

/// The causes of loss in the order `LossCause` declares them, by their code less 2 (0 is unused, 1 is delivered,
/// 6 delivered at another time than its arrival, which never happens but is kept exact).
const CAUSES: [LossCause; 4] = [LossCause::Random, LossCause::Cut, LossCause::ReceiverDown, LossCause::Dropped];
const DELIVERED: u8 = 1;
const DELIVERED_OFF_TIME: u8 = 6;

/// Appends `v` in 7-bit groups, low first, the high bit set on all but the last.
fn put(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads what [`put`] wrote at `*pos`, and moves past it.
fn take(bytes: &[u8], pos: &mut usize) -> u64 {
    let (mut v, mut shift) = (0u64, 0u32);
    while let Some(&b) = bytes.get(*pos) {
        *pos += 1;
        v |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
        shift += 7;
        if b < 0x80 {
            break;
        }
    }
    v
}

/// Consecutive records, as written by [`WireLog::ended`].
#[derive(Clone, Debug, Default)]
struct Block {
    /// The end of its first and of its last record (virtual ms).
    first_end: u64,
    last_end: u64,
    /// Its lowest and highest message id.
    min_id: u64,
    max_id: u64,
    count: u32,
    bytes: Vec<u8>,
}

impl Block {
    /// Its messages, in the order they ended.
    fn wires(&self, out: &mut Vec<Wire>) {
        let (b, mut pos) = (&self.bytes[..], 0);
        let (mut end, mut id) = (self.first_end, 0u64);
        for _ in 0..self.count {
            let (Some(&head), Some(&addrs)) = (b.get(pos), b.get(pos + 1)) else { return };
            pos += 2;
            let (from, code) = (addrs >> 4, (head >> 4) & 7);
            let step = take(b, &mut pos);
            let delta = step >> 1;
            id = if step & 1 == 0 { id.wrapping_add(delta) } else { id.wrapping_sub(delta) };
            end += take(b, &mut pos);
            let sent_at = end.saturating_sub(take(b, &mut pos));
            let arrive_at = if code == DELIVERED { end } else { sent_at + take(b, &mut pos) };
            let term = take(b, &mut pos);
            out.push(Wire {
                id,
                from: addr_of(from),
                to: addr_of(addrs & 15),
                kind: KINDS[((head & 15) as usize).min(KINDS.len() - 1)],
                term,
                sent_at,
                arrive_at,
                ended_at: end,
                end: match code {
                    DELIVERED | DELIVERED_OFF_TIME => WireEnd::Delivered,
                    c => WireEnd::Lost(CAUSES[(c as usize).saturating_sub(2).min(3)]),
                },
                duplicate: head >> 7 == 1,
            });
        }
    }
}

/// Every message that ended, in about 5 bytes each (see the module's doc).
/// Cheap to clone: the full blocks are shared.
#[derive(Clone, Debug, Default)]
pub struct WireLog {
    /// The full blocks, shared with snapshots.
    blocks: Vec<Arc<Block>>,
    /// The block being written.
    tail: Block,
    /// The tail's last id (its writing state).
    last_id: u64,
    len: usize,
    /// The longest time any message took to end: no line reaches further past its send.
    longest: u64,
}

impl WireLog {
    /// Notes message `m` delivered or lost (`end`) at `at` (the ends come in time order).
    pub(super) fn ended(&mut self, m: &InFlight, at: u64, end: WireEnd) {
        if self.tail.count == BLOCK {
            let mut full = std::mem::take(&mut self.tail);
            full.bytes.shrink_to_fit();
            self.blocks.push(Arc::new(full));
        }
        let t = &mut self.tail;
        if t.count == 0 {
            (t.first_end, t.last_end, t.min_id, t.max_id) = (at, at, m.id, m.id);
            // Room for a block of heartbeats (6 bytes each), cut to size when full.
            t.bytes = Vec::with_capacity(BLOCK as usize * 7);
            self.last_id = 0;
        }
        let (from, term) = (addr_code(m.from), payload_term(&m.payload));
        let code = match end {
            WireEnd::Delivered if at == m.arrive_at => DELIVERED,
            WireEnd::Delivered | WireEnd::InFlight => DELIVERED_OFF_TIME,
            WireEnd::Lost(c) => c as u8 + 2,
        };
        let kind = m.payload.kind() as u8;
        let b = &mut t.bytes;
        b.push(kind | code << 4 | u8::from(m.duplicate) << 7);
        b.push(from << 4 | addr_code(m.to));
        let (delta, back) = (m.id.abs_diff(self.last_id), m.id < self.last_id);
        put(b, delta << 1 | u64::from(back));
        put(b, at.saturating_sub(t.last_end));
        put(b, at.saturating_sub(m.sent_at));
        if code != DELIVERED {
            put(b, m.arrive_at.saturating_sub(m.sent_at));
        }
        put(b, term);
        self.last_id = m.id;
        (t.last_end, t.min_id, t.max_id) = (at, t.min_id.min(m.id), t.max_id.max(m.id));
        t.count += 1;
        self.len += 1;
        self.longest = self.longest.max(at.saturating_sub(m.sent_at));
    }

    /// How many messages ended.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether none ended yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every block, the one being written last.
    fn all(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().map(|b| &**b).chain([&self.tail])
    }

    /// Every message that ended, in the order they ended.
    pub fn iter(&self) -> impl Iterator<Item = Wire> + '_ {
        self.all().flat_map(|b| {
            let mut v = Vec::new();
            b.wires(&mut v);
            v
        })
    }

    /// Message `id`, if it ended.
    pub fn get(&self, id: u64) -> Option<Wire> {
        let mut v = Vec::new();
        for b in self.all().filter(|b| b.count > 0 && (b.min_id..=b.max_id).contains(&id)) {
            b.wires(&mut v);
        }
        v.into_iter().find(|w| w.id == id)
    }

    /// The messages that ended in the blocks that may hold those whose line
    /// meets `from..=to` (sent by `to`, ended from `from` on), in the order
    /// they ended: the caller picks those. Costs those blocks, not the run.
    pub fn ended_between(&self, from: u64, to: u64) -> Vec<Wire> {
        let mut out = Vec::new();
        let k = self.blocks.partition_point(|b| b.last_end < from);
        for b in self.blocks[k.min(self.blocks.len())..].iter().map(|b| &**b).chain([&self.tail]) {
            if b.first_end > to.saturating_add(self.longest) {
                break;
            }
            b.wires(&mut out);
        }
        out
    }

    /// The bytes its records take.
    pub fn bytes(&self) -> usize {
        self.all().map(|b| b.bytes.len()).sum()
    }

    /// The bytes it has allocated: the blocks (shared ones too) and the list of them.
    pub fn allocated(&self) -> usize {
        self.chunks().map(|(_, n)| n + 16).sum::<usize>() + self.spine_bytes()
    }

    /// Each shared block's address (the same for a block shared by several
    /// snapshots) and its bytes, for counting memory once per block.
    pub(super) fn chunks(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.blocks.iter().map(|b| (Arc::as_ptr(b) as usize, size_of::<Block>() + b.bytes.capacity()))
    }

    /// The bytes a snapshot owns alone: the list of blocks and the one being written.
    pub(super) fn spine_bytes(&self) -> usize {
        self.blocks.capacity() * size_of::<Arc<Block>>() + size_of::<WireLog>() + self.tail.bytes.capacity()
    }
}

/// The term a payload carries (0 for the client's messages, which have none).
pub(super) fn payload_term(p: &Payload) -> u64 {
    match p {
        Payload::Raft(m) => m.term,
        _ => 0,
    }
}

impl Cluster {
    /// The wire log: each message that ended (see [`WireLog`]).
    pub fn wire(&self) -> &WireLog {
        &self.wire
    }

    /// The messages whose line may meet `from..=to` (virtual ms; the caller
    /// picks those that do): those that ended, from the wire log's blocks
    /// that may hold them in the order they ended, then those in flight
    /// (sent by `to`) from the cluster's table, by id.
    pub fn wires_between(&self, from: u64, to: u64) -> Vec<Wire> {
        let mut out = self.wire.ended_between(from, to);
        out.extend(self.in_flight.values().filter(|m| m.sent_at <= to).map(Wire::in_flight));
        out
    }

    /// Every message sent so far, in id order.
    pub fn wires(&self) -> Vec<Wire> {
        let mut all = self.wires_between(0, u64::MAX);
        all.sort_unstable_by_key(|w| w.id);
        all
    }

    /// Message `id`, ended or in flight, if it was sent.
    pub fn wire_of(&self, id: u64) -> Option<Wire> {
        self.in_flight.get(id).map(Wire::in_flight).or_else(|| self.wire.get(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raft::{Body, Message};

    fn n(i: usize) -> Addr {
        Addr::Node(NodeId::from_index(i))
    }

    fn message(id: u64, from: Addr, to: Addr, term: u64, sent_at: u64, arrive_at: u64) -> InFlight {
        let payload = match from {
            Addr::Node(f) => {
                Payload::Raft(Message { from: f, to: NodeId(1), term, body: Body::RequestVoteReply { granted: true } })
            }
            Addr::Client => Payload::ClientRead { tag: crate::raft::ClientTag { op: id, attempt: 1 }, key: "x".into() },
        };
        InFlight { id, from, to, payload, sent_at, arrive_at, duplicate: id.is_multiple_of(7) }
    }

    #[test]
    fn every_field_reads_back_exactly_however_large() {
        let mut w = WireLog::default();
        let mut rng = super::super::Rng::new(5);
        let mut want = Vec::new();
        let mut at = 0;
        for k in 0..1_000u64 {
            at += rng.range(0, 70) + if k == 500 { 1 << 40 } else { 0 };
            let from = if rng.chance(0.1) { Addr::Client } else { n(rng.range(0, 8) as usize) };
            let to = if rng.chance(0.1) { Addr::Client } else { n(rng.range(0, 8) as usize) };
            let term = if from == Addr::Client { 0 } else { rng.range(0, 2) + (1 << rng.range(0, 62)) };
            let sent = at.saturating_sub(rng.range(0, 3_600_000));
            let id = (k * 3 + rng.range(0, 10)).max(1);
            let m = message(id, from, to, term, sent, at + rng.range(0, 2) * rng.range(0, 3_600_000));
            let end = match rng.range(0, 4) {
                0 => WireEnd::Delivered,
                c => WireEnd::Lost(CAUSES[c as usize - 1]),
            };
            w.ended(&m, at, end);
            let kind = m.payload.kind();
            let duplicate = m.duplicate;
            let arrive_at = m.arrive_at;
            want.push(Wire { id, from, to, kind, term, sent_at: sent, arrive_at, ended_at: at, end, duplicate });
        }
        assert_eq!(w.iter().collect::<Vec<_>>(), want);
        assert_eq!((w.len(), w.blocks.len()), (1_000, 3));
        assert_eq!(w.get(want[700].id).map(|x| x.id), Some(want[700].id));
        let (from, to) = (want[300].ended_at, want[600].ended_at);
        let mut got = w.ended_between(from, to);
        got.retain(|x| x.sent_at <= to && x.ended_at >= from);
        got.sort_by_key(|x| (x.ended_at, x.id));
        let mut expect: Vec<Wire> = want.iter().filter(|x| x.sent_at <= to && x.ended_at >= from).copied().collect();
        expect.sort_by_key(|x| (x.ended_at, x.id));
        assert_eq!(got, expect);
    }

    #[test]
    fn the_code_tables_follow_the_declarations() {
        assert!(KINDS.iter().enumerate().all(|(i, k)| *k as usize == i));
        assert!(MessageKind::ALL.iter().all(|k| KINDS.contains(k)));
        assert!(CAUSES.iter().enumerate().all(|(i, c)| *c as usize == i));
    }

    #[test]
    fn a_clone_keeps_its_records_when_the_original_goes_on() {
        let mut w = WireLog::default();
        for id in 1..=600 {
            w.ended(&message(id, n(0), n(1), 3, id * 10, id * 10 + 20), id * 10 + 20, WireEnd::Delivered);
        }
        let then = w.clone();
        w.ended(&message(601, n(1), n(0), 3, 6_000, 6_030), 6_030, WireEnd::Lost(LossCause::Cut));
        assert_eq!((then.len(), then.get(601), w.len()), (600, None, 601));
        assert_eq!(w.iter().take(600).collect::<Vec<_>>(), then.iter().collect::<Vec<_>>());
        let shared = then.chunks().zip(w.chunks()).filter(|(x, y)| x.0 == y.0).count();
        assert_eq!(shared, 2, "the full blocks are shared");
        assert!(w.bytes() < 601 * 7, "a heartbeat-like message in about 6 bytes: {}", w.bytes());
    }
}
