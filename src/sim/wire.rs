//! The wire log: every message's send and its end (delivered or lost, and
//! why), for drawing the run as a space-time diagram (`view/diagram.rs`).
//! Kept apart from the trace so that the trace, its sentences and its hash
//! stay as they are.
//!
//! One record of 16 bytes per message, written at its send and completed in
//! place when it is delivered or lost (message ids are given in order from
//! 1, so message `id` is record `id - 1`). The records sit in blocks of
//! [`BLOCK`]: the one being written is the log's own; full ones are `Arc`s
//! that a [`super::Snapshot`] shares by cloning the list of them. Once every
//! message of a full block has ended, none of its records changes again and
//! it is packed into about 4 bytes a message ([`pack`]); a message still in
//! flight in a full block (rare: sent just before the block filled) is
//! completed in a copy if a snapshot holds the block (`Arc::make_mut`). A
//! snapshot thus owns only the block being written and the list.
//!
//! Times are stored as offsets: the send from its block's `base` (the first
//! send in it) in [`SENT_BITS`] bits, the arrival and the end from the send
//! in [`SPAN_BITS`] bits, which hold any delay the config allows (at most
//! one hour). A send too far after its block's base (an idle cluster whose
//! 256 messages span more than 4.6 hours) starts a new block, so any run
//! length is kept exactly. Terms keep [`TERM_BITS`] bits: higher terms are
//! stored as the highest one, which no run reaches (each term takes an
//! election timeout of at least 1 ms on some server: 2^42 terms take 15
//! years of virtual time even with 9 servers).

use super::chunks::Weigh;
use super::config::MAX_DURATION_MS;
use super::{Addr, Cluster, LossCause, MessageKind, NodeId, Payload};
use std::mem::size_of;
use std::sync::Arc;

/// One message of the wire log, as [`WireLog`] reads it out.
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
}

/// Records per block: a snapshot owns one or two blocks' copies of its own
/// (4 KB each); the list of blocks holds about 2,250 pointers per hour of 5
/// idle servers.
const BLOCK: usize = 256;

/// Bits of a send's offset from its block's base (2^24 ms: 4.6 hours).
const SENT_BITS: u32 = 24;
/// Bits of an arrival's or an end's offset from the send.
const SPAN_BITS: u32 = 22;
/// Bits of a term.
const TERM_BITS: u32 = 42;
const _: () = assert!(MAX_DURATION_MS < 1 << SPAN_BITS, "a delay the config allows fits");

/// A mask of the `bits` low bits.
const fn mask(bits: u32) -> u64 {
    (1 << bits) - 1
}

/// The 4-bit code of an address: a server's index, or 15 for the client.
fn addr_code(a: Addr) -> u64 {
    match a {
        Addr::Node(n) => (n.index() as u64).min(14),
        Addr::Client => 15,
    }
}

fn addr_of(code: u64) -> Addr {
    match code {
        15 => Addr::Client,
        i => Addr::Node(NodeId::from_index(i as usize)),
    }
}

/// The 3-bit code of an end.
fn end_code(e: WireEnd) -> u64 {
    match e {
        WireEnd::InFlight => 0,
        WireEnd::Delivered => 1,
        WireEnd::Lost(LossCause::Random) => 2,
        WireEnd::Lost(LossCause::Cut) => 3,
        WireEnd::Lost(LossCause::ReceiverDown) => 4,
        WireEnd::Lost(LossCause::Dropped) => 5,
    }
}

fn end_of(code: u64) -> WireEnd {
    match code {
        1 => WireEnd::Delivered,
        2 => WireEnd::Lost(LossCause::Random),
        3 => WireEnd::Lost(LossCause::Cut),
        4 => WireEnd::Lost(LossCause::ReceiverDown),
        5 => WireEnd::Lost(LossCause::Dropped),
        _ => WireEnd::InFlight,
    }
}

/// One message packed in 16 bytes. `a`: the send's offset from the block's
/// base (bits 0..24), the arrival's from the send (24..46), sender (46..50),
/// receiver (50..54), kind (54..58, its position in [`MessageKind::ALL`]),
/// end (58..61), duplicate (61). `b`: the end's offset from the send
/// (0..22), the term (22..64).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Rec {
    a: u64,
    b: u64,
}

const DUE_AT: u32 = SENT_BITS;
const FROM_AT: u32 = DUE_AT + SPAN_BITS;
const TO_AT: u32 = FROM_AT + 4;
const KIND_AT: u32 = TO_AT + 4;
const END_AT: u32 = KIND_AT + 4;
const DUP_AT: u32 = END_AT + 3;
const _: () = assert!(DUP_AT < 64 && SPAN_BITS + TERM_BITS == 64);

impl Rec {
    fn field(&self, at: u32, bits: u32) -> u64 {
        (self.a >> at) & mask(bits)
    }
    fn set_end(&mut self, offset: u64, end: WireEnd) {
        self.a = (self.a & !(mask(3) << END_AT)) | end_code(end) << END_AT;
        self.b = (self.b & !mask(SPAN_BITS)) | offset.min(mask(SPAN_BITS));
    }
}

/// A run of consecutive records: record `first` (0-based) and on, their
/// sends counted from `base`.
#[derive(Clone, Debug)]
struct Block {
    first: usize,
    base: u64,
    body: Body,
}

/// A block's records: as written (while some may still change), or packed
/// once every message in it has ended (see [`pack`]).
#[derive(Clone, Debug)]
enum Body {
    Open(Vec<Rec>),
    Packed(Box<[u8]>),
}

/// Appends `v` in 7-bit groups, low first, the high bit set on all but the last.
fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads what [`put_varint`] wrote at `*pos`, and moves past it.
fn take_varint(bytes: &[u8], pos: &mut usize) -> u64 {
    let (mut v, mut shift) = (0u64, 0u32);
    while let Some(&b) = bytes.get(*pos) {
        *pos += 1;
        if shift < 64 {
            v |= u64::from(b & 0x7f) << shift;
        }
        shift += 7;
        if b < 0x80 {
            break;
        }
    }
    v
}

/// The end code of a packed record delivered at another time than its
/// arrival (which never happens: kept exact all the same).
const DELIVERED_OTHER: u64 = 6;

/// A block's records packed in about 4 bytes each (a heartbeat's): each is
/// a byte of kind (4 bits), end (3) and duplicate (1), a byte of sender and
/// receiver, then varints: the send's offset from the previous send (shifted
/// left, the low bit set when the term is the sender's previous term in the
/// block), the arrival's offset, the end's offset (only when lost or
/// delivered off time), the term (only when not the sender's previous one).
fn pack(recs: &[Rec]) -> Box<[u8]> {
    let mut out = Vec::with_capacity(recs.len() * 5);
    let (mut sent, mut terms) = (0, [0u64; 16]);
    for r in recs {
        let (off, due, end_off) = (r.field(0, SENT_BITS), r.field(DUE_AT, SPAN_BITS), r.b & mask(SPAN_BITS));
        let term = r.b >> SPAN_BITS;
        let from = r.field(FROM_AT, 4);
        let mut end = r.field(END_AT, 3);
        if end == 1 && end_off != due {
            end = DELIVERED_OTHER;
        }
        let same = terms[from as usize] == term;
        out.push((r.field(KIND_AT, 4) | end << 4 | r.field(DUP_AT, 1) << 7) as u8);
        out.push((from << 4 | r.field(TO_AT, 4)) as u8);
        put_varint(&mut out, off.saturating_sub(sent) << 1 | u64::from(same));
        put_varint(&mut out, due);
        if end > 1 {
            put_varint(&mut out, end_off);
        }
        if !same {
            put_varint(&mut out, term);
        }
        sent = off;
        terms[from as usize] = term;
    }
    out.into_boxed_slice()
}

/// Reads back the records [`pack`] packed, in order.
struct Unpack<'a> {
    bytes: &'a [u8],
    pos: usize,
    sent: u64,
    terms: [u64; 16],
}

impl Iterator for Unpack<'_> {
    type Item = Rec;
    fn next(&mut self) -> Option<Rec> {
        let (&head, &addrs) = (self.bytes.get(self.pos)?, self.bytes.get(self.pos + 1)?);
        self.pos += 2;
        let (head, addrs) = (u64::from(head), u64::from(addrs));
        let (from, mut end) = (addrs >> 4, (head >> 4) & 7);
        let step = take_varint(self.bytes, &mut self.pos);
        let due = take_varint(self.bytes, &mut self.pos);
        let end_off = match end {
            0 => 0,
            1 => due,
            _ => take_varint(self.bytes, &mut self.pos),
        };
        if end == DELIVERED_OTHER {
            end = 1;
        }
        let term = if step & 1 == 1 { self.terms[from as usize] } else { take_varint(self.bytes, &mut self.pos) };
        self.sent += step >> 1;
        self.terms[from as usize] = term;
        let a = self.sent
            | due << DUE_AT
            | from << FROM_AT
            | (addrs & 15) << TO_AT
            | (head & 15) << KIND_AT
            | end << END_AT
            | (head >> 7) << DUP_AT;
        Some(Rec { a, b: term << SPAN_BITS | end_off })
    }
}

/// A block's records in order, whichever way it holds them.
enum Recs<'a> {
    Open(std::slice::Iter<'a, Rec>),
    Packed(Unpack<'a>),
}

impl Iterator for Recs<'_> {
    type Item = Rec;
    fn next(&mut self) -> Option<Rec> {
        match self {
            Recs::Open(it) => it.next().copied(),
            Recs::Packed(it) => it.next(),
        }
    }
}

impl Block {
    fn recs(&self) -> Recs<'_> {
        match &self.body {
            Body::Open(recs) => Recs::Open(recs.iter()),
            Body::Packed(bytes) => Recs::Packed(Unpack { bytes, pos: 0, sent: 0, terms: [0; 16] }),
        }
    }

    /// Its messages, in order.
    fn wires(&self) -> impl Iterator<Item = Wire> + '_ {
        self.recs().enumerate().map(|(k, r)| self.wire(k, &r))
    }

    /// Message `i` (0-based), if in this block.
    fn get(&self, i: usize) -> Option<Wire> {
        let k = i.checked_sub(self.first)?;
        match &self.body {
            Body::Open(recs) => recs.get(k).map(|r| self.wire(k, r)),
            Body::Packed(_) => self.wires().nth(k),
        }
    }

    /// The bytes it holds (besides its own header).
    fn heap(&self) -> usize {
        match &self.body {
            Body::Open(recs) => recs.capacity() * size_of::<Rec>(),
            Body::Packed(bytes) => bytes.len(),
        }
    }

    /// Its `k`th record read out.
    fn wire(&self, k: usize, r: &Rec) -> Wire {
        let sent_at = self.base + r.field(0, SENT_BITS);
        let end = end_of(r.field(END_AT, 3));
        Wire {
            id: (self.first + k) as u64 + 1,
            from: addr_of(r.field(FROM_AT, 4)),
            to: addr_of(r.field(TO_AT, 4)),
            kind: MessageKind::ALL[(r.field(KIND_AT, 4) as usize).min(MessageKind::ALL.len() - 1)],
            term: r.b >> SPAN_BITS,
            sent_at,
            arrive_at: sent_at + r.field(DUE_AT, SPAN_BITS),
            ended_at: sent_at + if end == WireEnd::InFlight { 0 } else { r.b & mask(SPAN_BITS) },
            end,
            duplicate: r.field(DUP_AT, 1) == 1,
        }
    }
}

/// Every message's send and end, in about 4 bytes each once ended, 16
/// before (see the module's doc). Cheap to clone: the blocks are shared,
/// only the one being written is copied.
#[derive(Clone, Debug, Default)]
pub struct WireLog {
    /// The full blocks, shared with snapshots.
    blocks: Vec<Arc<Block>>,
    /// The block being written, owned (its body is always open): most
    /// messages end while their record is still here.
    tail: Block,
    len: usize,
    /// The longest delay of any message so far (arrival minus send): no
    /// message's line reaches further than this past its send.
    longest: u64,
    /// The blocks before this one are packed.
    packed: usize,
}

impl Default for Block {
    fn default() -> Block {
        Block { first: 0, base: 0, body: Body::Open(Vec::new()) }
    }
}

impl Weigh for Rec {}

impl WireLog {
    /// Notes message `id` sent at `at` (ids come in order from 1; any other is ignored).
    #[allow(clippy::too_many_arguments)] // one call site, each argument a field of the record
    pub(super) fn sent(
        &mut self,
        id: u64,
        at: u64,
        from: Addr,
        to: Addr,
        kind: MessageKind,
        term: u64,
        arrive_at: u64,
    ) {
        if id != self.len as u64 + 1 {
            return;
        }
        let due = arrive_at.saturating_sub(at);
        self.longest = self.longest.max(due);
        let Body::Open(recs) = &self.tail.body else { return };
        let fits = recs.is_empty()
            || (recs.len() < BLOCK && at.checked_sub(self.tail.base).is_some_and(|d| d <= mask(SENT_BITS)));
        if !fits {
            let full = std::mem::take(&mut self.tail);
            self.blocks.push(Arc::new(full));
            self.pack_ended();
        }
        let Body::Open(recs) = &mut self.tail.body else { return };
        if recs.is_empty() {
            (self.tail.first, self.tail.base) = (self.len, at);
        }
        let base = self.tail.base;
        if recs.len() == recs.capacity() {
            recs.reserve_exact(BLOCK.saturating_sub(recs.len()).max(1));
        }
        let kind = MessageKind::ALL.iter().position(|k| *k == kind).unwrap_or(0) as u64;
        let a = at.saturating_sub(base).min(mask(SENT_BITS))
            | due.min(mask(SPAN_BITS)) << DUE_AT
            | addr_code(from) << FROM_AT
            | addr_code(to) << TO_AT
            | kind << KIND_AT;
        recs.push(Rec { a, b: term.min(mask(TERM_BITS)) << SPAN_BITS });
        self.len += 1;
    }

    /// Packs each full block whose messages have all ended (none of its
    /// records changes again). A snapshot that holds such a block keeps it
    /// as it was; the log goes on with the packed copy.
    fn pack_ended(&mut self) {
        for b in &mut self.blocks[self.packed..] {
            if let Body::Open(recs) = &b.body {
                if recs.iter().all(|r| r.field(END_AT, 3) != 0) {
                    let body = Body::Packed(pack(recs));
                    *b = Arc::new(Block { first: b.first, base: b.base, body });
                }
            }
        }
        self.packed += self.blocks[self.packed..].iter().take_while(|b| matches!(b.body, Body::Packed(_))).count();
    }

    /// The record of message `id`, to change it (`None` once packed: its message has ended).
    fn rec_mut(&mut self, id: u64) -> Option<(&mut Rec, u64)> {
        let i = (id as usize).checked_sub(1).filter(|i| *i < self.len)?;
        let b = if i >= self.tail.first {
            &mut self.tail
        } else {
            let k = self.blocks.partition_point(|b| b.first <= i).checked_sub(1)?;
            Arc::make_mut(&mut self.blocks[k])
        };
        let (base, first) = (b.base, b.first);
        let Body::Open(recs) = &mut b.body else { return None };
        let r = recs.get_mut(i - first)?;
        let sent_at = base + r.field(0, SENT_BITS);
        Some((r, sent_at))
    }

    /// Notes message `id` delivered or lost (`end`) at `at`.
    pub(super) fn ended(&mut self, id: u64, at: u64, end: WireEnd) {
        if let Some((r, sent_at)) = self.rec_mut(id) {
            r.set_end(at.saturating_sub(sent_at), end);
        }
    }

    /// Notes message `id` as a copy made by hand.
    pub(super) fn set_duplicate(&mut self, id: u64) {
        if let Some((r, _)) = self.rec_mut(id) {
            r.a |= 1 << DUP_AT;
        }
    }

    /// How many messages were sent.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no message was sent yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The longest delay of any message so far (arrival minus send, ms).
    pub fn longest(&self) -> u64 {
        self.longest
    }

    /// Every block, the one being written last.
    fn all(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().map(|b| &**b).chain([&self.tail])
    }

    /// Message `id`, if it was sent.
    pub fn get(&self, id: u64) -> Option<Wire> {
        let i = (id as usize).checked_sub(1).filter(|i| *i < self.len)?;
        if i >= self.tail.first {
            return self.tail.get(i);
        }
        let k = self.blocks.partition_point(|b| b.first <= i).checked_sub(1)?;
        self.blocks[k].get(i)
    }

    /// Every message, in the order sent.
    pub fn iter(&self) -> impl Iterator<Item = Wire> + '_ {
        self.all().flat_map(Block::wires)
    }

    /// The messages sent from `from` to `to` (virtual ms, both included),
    /// in the order sent. Costs those messages, not the run. (A plain loop
    /// into a `Vec`: the page's code stays small.)
    pub fn sent_between(&self, from: u64, to: u64) -> Vec<Wire> {
        let mut out = Vec::new();
        // The first block with a send at or after `from` may begin before it.
        let k = self.blocks.partition_point(|b| b.base < from).saturating_sub(1);
        for b in self.blocks[k.min(self.blocks.len())..].iter().map(|b| &**b).chain([&self.tail]) {
            if b.base > to {
                break;
            }
            for (i, r) in b.recs().enumerate() {
                let w = b.wire(i, &r);
                if w.sent_at > to {
                    break;
                }
                if w.sent_at >= from {
                    out.push(w);
                }
            }
        }
        out
    }

    /// The bytes its records take (16 per message until its block is packed, about 4 after).
    pub fn bytes(&self) -> usize {
        self.all()
            .map(|b| match &b.body {
                Body::Open(recs) => recs.len() * size_of::<Rec>(),
                Body::Packed(bytes) => bytes.len(),
            })
            .sum()
    }

    /// The bytes it has allocated: the blocks (shared ones too) and the list of them.
    pub fn allocated(&self) -> usize {
        let blocks: usize = self.blocks.iter().map(|b| size_of::<Block>() + 16 + b.heap()).sum();
        blocks + self.spine_bytes()
    }

    /// Each shared block's address (the same for a block shared by several
    /// snapshots) and its bytes, for counting memory once per block.
    pub(super) fn chunks(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.blocks.iter().map(|b| (Arc::as_ptr(b) as usize, size_of::<Block>() + b.heap()))
    }

    /// The bytes a snapshot owns alone: the list of blocks and the one being written.
    pub(super) fn spine_bytes(&self) -> usize {
        self.blocks.capacity() * size_of::<Arc<Block>>() + size_of::<WireLog>() + self.tail.heap()
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
    /// The wire log: each message's send and end (see [`WireLog`]).
    pub fn wire(&self) -> &WireLog {
        &self.wire
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(i: usize) -> Addr {
        Addr::Node(NodeId::from_index(i))
    }

    #[test]
    fn a_record_keeps_every_field_at_the_edges_of_its_bits() {
        let mut w = WireLog::default();
        let big_term = 1u64 << 50;
        w.sent(1, 5, n(8), Addr::Client, MessageKind::ClientRead, big_term, 5 + MAX_DURATION_MS);
        w.sent(2, 7, Addr::Client, n(0), MessageKind::PreVote, 3, 7);
        w.ended(1, 5 + MAX_DURATION_MS - 1, WireEnd::Lost(LossCause::ReceiverDown));
        w.set_duplicate(2);
        let a = w.get(1).unwrap();
        assert_eq!((a.from, a.to, a.kind), (n(8), Addr::Client, MessageKind::ClientRead));
        assert_eq!((a.sent_at, a.arrive_at, a.ended_at), (5, 5 + MAX_DURATION_MS, 5 + MAX_DURATION_MS - 1));
        assert_eq!((a.term, a.end, a.duplicate), (mask(TERM_BITS), WireEnd::Lost(LossCause::ReceiverDown), false));
        let b = w.get(2).unwrap();
        assert_eq!(
            (b.from, b.to, b.kind, b.term, b.end, b.duplicate),
            (Addr::Client, n(0), MessageKind::PreVote, 3, WireEnd::InFlight, true)
        );
        assert_eq!((b.ended_at, b.end_at(100), b.reach(100)), (7, 7, 1.0));
        assert_eq!((w.get(0), w.get(3)), (None, None));
        assert_eq!(w.longest(), MAX_DURATION_MS);
    }

    #[test]
    fn sends_far_apart_start_blocks_of_their_own_and_keep_their_times() {
        let mut w = WireLog::default();
        let times = [0, 1, mask(SENT_BITS), mask(SENT_BITS) + 1, u64::MAX / 4, u64::MAX / 4 + 10];
        for (i, t) in times.iter().enumerate() {
            w.sent(i as u64 + 1, *t, n(0), n(1), MessageKind::Heartbeat, 1, t + 10);
        }
        w.ended(4, mask(SENT_BITS) + 11, WireEnd::Delivered);
        let got: Vec<(u64, u64, WireEnd)> = w.iter().map(|m| (m.sent_at, m.ended_at, m.end)).collect();
        assert_eq!(got[3], (mask(SENT_BITS) + 1, mask(SENT_BITS) + 11, WireEnd::Delivered));
        assert_eq!(got.iter().map(|g| g.0).collect::<Vec<_>>(), times);
        let ids: Vec<u64> = w.sent_between(1, mask(SENT_BITS) + 1).iter().map(|m| m.id).collect();
        assert_eq!(ids, [2, 3, 4]);
        assert_eq!(w.sent_between(u64::MAX / 4, u64::MAX).len(), 2);
        assert_eq!(w.blocks.len() + 1, 3, "a block spans at most 2^24 ms");
    }

    #[test]
    fn a_clone_keeps_its_records_when_the_original_goes_on() {
        let mut w = WireLog::default();
        for id in 1..=600 {
            w.sent(id, id * 10, n(0), n(1), MessageKind::AppendEntries, id, id * 10 + 20);
        }
        let then = w.clone();
        w.ended(599, 5_999, WireEnd::Lost(LossCause::Cut));
        w.sent(601, 6_010, n(1), n(0), MessageKind::AppendReply, 7, 6_030);
        assert_eq!(then.get(599).unwrap().end, WireEnd::InFlight);
        assert_eq!((then.len(), then.get(601)), (600, None));
        assert_eq!(w.get(599).unwrap().end, WireEnd::Lost(LossCause::Cut));
        let shared = then.chunks().zip(w.chunks()).filter(|(x, y)| x.0 == y.0).count();
        assert_eq!(shared, 2, "the full blocks are shared, the one written to is copied");
        // Ids out of order are not recorded (ids are given in order from 1).
        w.sent(700, 7_000, n(0), n(1), MessageKind::Heartbeat, 1, 7_010);
        assert_eq!(w.len(), 601);
    }

    #[test]
    fn blocks_whose_messages_all_ended_are_packed_and_read_back_the_same() {
        let mut w = WireLog::default();
        let mut rng = super::super::Rng::new(5);
        let mut t = 0;
        for id in 1..=1_000u64 {
            t += rng.range(0, 70);
            let (from, to) = (rng.range(0, 8) as usize, rng.range(0, 9) as usize);
            let to = if to == 9 { Addr::Client } else { n(to) };
            let kind = MessageKind::ALL[rng.range(0, 10) as usize];
            w.sent(id, t, n(from), to, kind, rng.range(0, 3) + (1 << rng.range(0, 40)), t + rng.range(0, 5_000));
            if rng.chance(0.1) {
                w.set_duplicate(id);
            }
        }
        let ends = [
            WireEnd::Delivered,
            WireEnd::Lost(LossCause::Random),
            WireEnd::Lost(LossCause::Cut),
            WireEnd::Lost(LossCause::ReceiverDown),
            WireEnd::Lost(LossCause::Dropped),
        ];
        for id in 1..=700 {
            let m = w.get(id).unwrap();
            let (end, at) = match rng.range(0, 5) as usize {
                0 => (WireEnd::Delivered, m.sent_at + 1), // off time: kept exact
                k => (ends[k - 1], if k == 1 { m.arrive_at } else { rng.range(m.sent_at, m.arrive_at) }),
            };
            w.ended(id, at, end);
        }
        let before: Vec<Wire> = w.iter().collect();
        let open = w.bytes();
        let later = t + (1 << SENT_BITS);
        w.sent(1_001, later, n(0), n(1), MessageKind::Heartbeat, 9, later + 10);
        let packed = w.blocks.iter().filter(|b| matches!(b.body, Body::Packed(_))).count();
        assert_eq!((packed, w.packed), (2, 2), "the blocks of messages 1..=512 ended, the third did not");
        assert_eq!(w.iter().take(1_000).collect::<Vec<_>>(), before);
        assert_eq!(w.get(300), Some(before[299]));
        let ids: Vec<u64> = w.sent_between(before[200].sent_at, before[600].sent_at).iter().map(|m| m.id).collect();
        let want: Vec<u64> = before
            .iter()
            .filter(|m| (before[200].sent_at..=before[600].sent_at).contains(&m.sent_at))
            .map(|m| m.id)
            .collect();
        assert_eq!(ids, want);
        assert!(w.bytes() < open, "packed: {} bytes, open: {open}", w.bytes());
        // Ending the rest packs their blocks when the next one begins.
        for id in 701..=1_000 {
            w.ended(id, w.get(id).unwrap().arrive_at, WireEnd::Delivered);
        }
        let ended: Vec<Wire> = w.iter().collect();
        w.sent(1_002, u64::MAX / 2, n(0), n(1), MessageKind::Heartbeat, 9, u64::MAX / 2 + 10);
        assert_eq!(w.packed, 4, "every block of messages 1..=1000; the one of 1001, in flight, stays open");
        assert_eq!(w.iter().take(1_001).collect::<Vec<_>>(), ended);
    }
}
