//! The space-time diagram: one lane per server and one for the client, time
//! running down, each message an arrow from its send to its arrival (or to
//! the ✕ where it was lost, or to "now" while in flight), and on the lanes
//! what happened to each server (roles, terms, crashes, cuts, appends,
//! commits, violations, the client's writes and acknowledgements).
//!
//! [`Record`] reads a cluster's trace incrementally for the marks and spans
//! (each call reads only what is new, and starts over when the cluster went
//! back in time or to another run); [`Record::visible`] returns only what
//! intersects a time window, the arrows read there from the cluster's wire
//! log ([`Cluster::wire`], never copied), so a long run stays cheap to draw
//! and to keep. [`Layout`] says where things sit, for the page and the SVG export
//! (`diagram_svg.rs`) alike.

use crate::sim::{Addr, Cluster, Event, EventData, MessageKind, NodeId};
use std::mem::{discriminant, Discriminant};

/// An event's time and kind: enough to tell another run's last event apart, cheaply.
fn stamp(e: &Event) -> (u64, Discriminant<EventData>) {
    (e.time, discriminant(&e.what))
}

/// One message, from its send to its end, as the wire log reads it out
/// (`end_at` and `reach` say where its line stops at a moment).
pub use crate::sim::Wire as Arrow;

/// How a message's arrow ends: delivered, lost at the arrow's end (a ✕), or
/// still in flight (the arrow ends at "now").
pub use crate::sim::WireEnd as End;

/// What a mark on a lane reports.
#[derive(Clone, Copy, PartialEq, Debug)]
#[allow(missing_docs)] // the fields are named for what they hold; each variant says what it reports
pub enum MarkKind {
    /// Became a candidate for this term.
    Candidate(u64),
    /// Became leader of this term (a crown).
    Leader(u64),
    /// Went back to follower in this term.
    Follower(u64),
    /// A follower took this newer term from a message (its role unchanged).
    Term(u64),
    /// Crashed.
    Crashed,
    /// Restarted as a follower in this term.
    Restarted(u64),
    /// The leader appended an entry at this index in this term.
    Appended { index: u64, term: u64 },
    /// The leader committed up to this index.
    Committed(u64),
    /// A safety property broke (its name).
    Violation(&'static str),
    /// The client invoked write `op`, first sent to this server.
    ClientWrite { op: u64, to: NodeId },
    /// This server acknowledged write `op` (committed at `index`).
    ClientAcked { op: u64, by: NodeId, index: u64 },
    /// The client invoked read `op`, first sent to this server.
    ClientRead { op: u64, to: NodeId },
    /// This server answered read `op` with this value (`None`: the key was never written).
    ClientReadDone { op: u64, by: NodeId, value: Option<i64> },
}

/// A mark on a lane at a moment.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Mark {
    /// The lane it sits on.
    pub lane: Addr,
    /// When (virtual ms).
    pub at: u64,
    /// What it reports.
    pub kind: MarkKind,
}

impl Mark {
    /// The mark's short label ("♛ leader t3", "+5" appended, "✓4" committed, "write #2").
    pub fn label(&self) -> String {
        // A word and a number, then what some add (one `format!`, not one per kind).
        let (word, n) = match self.kind {
            MarkKind::Candidate(t) => ("candidate t", t),
            MarkKind::Leader(t) => ("♛ leader t", t),
            MarkKind::Follower(t) => ("follower t", t),
            MarkKind::Term(t) => ("t", t),
            MarkKind::Restarted(t) => ("restarted t", t),
            MarkKind::Appended { index, .. } => ("+", index),
            MarkKind::Committed(i) => ("✓", i),
            MarkKind::ClientWrite { op, .. } => ("write #", op),
            MarkKind::ClientAcked { op, .. } => ("ack #", op),
            MarkKind::ClientRead { op, .. } | MarkKind::ClientReadDone { op, .. } => ("read #", op),
            MarkKind::Crashed => return "crashed".to_string(),
            MarkKind::Violation(p) => return format!("⚠ {p}"),
        };
        let mut s = format!("{word}{n}");
        match self.kind {
            MarkKind::ClientAcked { index, .. } => s = format!("{s} @{index}"),
            MarkKind::ClientReadDone { value: Some(v), .. } => s = format!("{s} = {v}"),
            MarkKind::ClientReadDone { value: None, .. } => s.push_str(" = none"),
            _ => {}
        }
        s
    }
}

/// What a shaded span on a lane means.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SpanKind {
    /// Crashed (the lane is dashed).
    Down,
    /// Cut off from everyone.
    Disconnected,
    /// In partition group `n` (0 = A) while the network is split.
    Partitioned(u32),
}

/// A stretch of a lane's time.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Span {
    /// The lane.
    pub lane: Addr,
    /// What it means.
    pub kind: SpanKind,
    /// From when (virtual ms).
    pub from: u64,
    /// Until when; `None` while it lasts.
    pub to: Option<u64>,
}

/// What to leave out of the diagram.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Filter {
    /// Hide heartbeats (AppendEntries without entries).
    pub hide_heartbeats: bool,
    /// Kinds hidden, one bit per [`MessageKind::ALL`] position.
    pub hidden_kinds: u16,
    /// Servers hidden, one bit per server index (their lanes, arrows and marks).
    pub hidden_servers: u64,
}

/// Where the servers start in a [`Filter::mask`] (below it, the kinds).
pub const SERVER_BIT: u32 = 16;

impl Filter {
    /// The kinds and servers hidden as one mask (the page's filter):
    /// [`Filter::hidden_kinds`] in its low 16 bits, [`Filter::hidden_servers`]
    /// from [`SERVER_BIT`] (so servers up to index 47).
    pub fn mask(&self) -> u64 {
        self.hidden_kinds as u64 | self.hidden_servers << SERVER_BIT
    }
    /// The filter a [`Filter::mask`] stands for (heartbeats shown unless their kind is hidden).
    pub fn of_mask(mask: u64) -> Filter {
        Filter { hidden_kinds: mask as u16, hidden_servers: mask >> SERVER_BIT, hide_heartbeats: false }
    }
    /// The bit of a kind in [`Filter::hidden_kinds`].
    pub fn kind_bit(kind: MessageKind) -> u16 {
        1 << MessageKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
    }
    /// Whether a lane is shown.
    pub fn shows_lane(&self, lane: Addr) -> bool {
        match lane {
            Addr::Node(n) => self.hidden_servers & (1u64 << (n.index() as u64 % 64)) == 0,
            Addr::Client => true,
        }
    }
    /// Whether a message's arrow is shown.
    pub fn shows(&self, a: &Arrow) -> bool {
        !(self.hide_heartbeats && a.kind == MessageKind::Heartbeat)
            && self.hidden_kinds & Filter::kind_bit(a.kind) == 0
            && self.shows_lane(a.from)
            && self.shows_lane(a.to)
    }
}

/// A stretch of virtual time, both ends included.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Window {
    /// From (virtual ms).
    pub from: u64,
    /// To (virtual ms).
    pub to: u64,
}

impl Window {
    /// Whether `[a, b]` meets the window.
    pub fn meets(&self, a: u64, b: u64) -> bool {
        a <= self.to && b >= self.from
    }
}

/// What the diagram shows in a window: the lanes, and the arrows, marks and spans that meet it.
#[derive(Clone, PartialEq, Debug)]
pub struct Visible {
    /// The lanes shown, left to right: the servers, then the client.
    pub lanes: Vec<Addr>,
    /// The window.
    pub window: Window,
    /// "Now" (virtual ms).
    pub now: u64,
    /// The arrows that meet the window: those that ended in the order they ended, then those in flight.
    pub arrows: Vec<Arrow>,
    /// The marks in the window, oldest first.
    pub marks: Vec<Mark>,
    /// The spans that meet the window.
    pub spans: Vec<Span>,
}

/// What the diagram shows of one run besides its arrows (the marks and
/// spans, read incrementally from the cluster's trace). The arrows are read
/// from the cluster's wire log when drawn ([`Record::visible`]), never copied.
#[derive(Clone, Debug, Default)]
pub struct Record {
    servers: usize,
    marks: Vec<Mark>,
    spans: Vec<Span>,
    events_seen: usize,
    /// The time and kind of the last event read, to notice another run with as many events.
    last_event: Option<(u64, Discriminant<EventData>)>,
    now: u64,
}

impl Record {
    /// The diagram of `c` as it is now.
    pub fn of(c: &Cluster) -> Record {
        let mut r = Record::default();
        r.update(c);
        r
    }

    /// Reads what happened since the last call; starts over if the cluster
    /// went back in time or is another run.
    pub fn update(&mut self, c: &Cluster) {
        let events = c.events();
        let stale = events.len() < self.events_seen
            || c.servers().len() != self.servers
            || (self.events_seen > 0 && events.get(self.events_seen - 1).map(stamp) != self.last_event);
        if stale {
            *self = Record { servers: c.servers().len(), ..Record::default() };
        }
        for e in &events[self.events_seen..] {
            self.read_event(e.time, &e.what);
        }
        if events.len() > self.events_seen {
            self.last_event = events.last().map(stamp);
        }
        self.events_seen = events.len();
        self.now = c.now();
    }

    fn mark(&mut self, lane: Addr, at: u64, kind: MarkKind) {
        self.marks.push(Mark { lane, at, kind });
    }

    fn close(&mut self, at: u64, which: impl Fn(&Span) -> bool) {
        for s in self.spans.iter_mut().filter(|s| s.to.is_none() && which(s)) {
            s.to = Some(at);
        }
    }

    fn read_event(&mut self, at: u64, what: &EventData) {
        use EventData as E;
        let n = |id: &NodeId| Addr::Node(*id);
        if let Some((lane, kind)) = event_mark(what) {
            self.mark(lane, at, kind);
        }
        match what {
            E::Crashed { node, .. } => {
                self.spans.push(Span { lane: n(node), kind: SpanKind::Down, from: at, to: None });
            }
            E::Restarted { node, .. } => self.close(at, |s| s.lane == n(node) && s.kind == SpanKind::Down),
            E::Disconnected { node } => {
                self.spans.push(Span { lane: n(node), kind: SpanKind::Disconnected, from: at, to: None })
            }
            E::Reconnected { node } => self.close(at, |s| s.lane == n(node) && s.kind == SpanKind::Disconnected),
            E::Partitioned { groups } => {
                self.close(at, |s| matches!(s.kind, SpanKind::Partitioned(_)));
                if groups.len() > 1 {
                    for (g, group) in groups.iter().enumerate() {
                        for id in group {
                            let kind = SpanKind::Partitioned(g as u32);
                            self.spans.push(Span { lane: n(id), kind, from: at, to: None });
                        }
                    }
                }
            }
            E::Healed => self.close(at, |s| s.kind != SpanKind::Down),
            _ => {}
        }
    }

    /// "Now", as of the last update (virtual ms).
    pub fn now(&self) -> u64 {
        self.now
    }

    /// What meets `window` and passes `filter`, the arrows read from `c`
    /// (the cluster this record follows: its wire log and its messages in
    /// flight). Costs the messages whose lines meet the window, not the run.
    pub fn visible(&self, c: &Cluster, window: Window, filter: &Filter) -> Visible {
        let now = self.now;
        let mut arrows: Vec<Arrow> = c.wires_between(window.from, window.to);
        arrows.retain(|a| window.meets(a.sent_at, a.end_at(now)) && filter.shows(a));
        let m0 = self.marks.partition_point(|m| m.at < window.from);
        let m1 = self.marks.partition_point(|m| m.at <= window.to);
        let marks = self.marks[m0..m1.max(m0)].iter().filter(|m| filter.shows_lane(m.lane)).copied().collect();
        let spans = self
            .spans
            .iter()
            .filter(|s| window.meets(s.from, s.to.unwrap_or(now)) && filter.shows_lane(s.lane))
            .copied()
            .collect();
        let lanes = (0..self.servers)
            .map(|i| Addr::Node(NodeId::from_index(i)))
            .chain([Addr::Client])
            .filter(|l| filter.shows_lane(*l))
            .collect();
        Visible { lanes, window, now, arrows, marks, spans }
    }
}

/// The zoom levels, in virtual ms per pixel: from one election's messages
/// apart (0.25) to the whole of a run of up to about 45 minutes in the
/// drawing left at 1280x800 (10,000). From [`THIN_FROM`] on, the delivered arrows are thinned ([`thin`]).
pub const ZOOMS: [f64; 10] = [0.25, 0.5, 1.0, 2.0, 5.0, 20.0, 100.0, 500.0, 2000.0, 10000.0];

/// The mark an event leaves on the diagram, and the lane it is drawn on
/// (None: the event leaves none). A commit's ✓ is on its leader's lane,
/// the client's writes and reads on the client's lane.
fn event_mark(what: &EventData) -> Option<(Addr, MarkKind)> {
    use EventData as E;
    let n = |id: &NodeId| Addr::Node(*id);
    Some(match what {
        E::ElectionStarted { node, term, .. } => (n(node), MarkKind::Candidate(*term)),
        E::LeaderElected { node, term, .. } => (n(node), MarkKind::Leader(*term)),
        E::SteppedDown { node, term, .. } => (n(node), MarkKind::Follower(*term)),
        E::TermAdopted { node, term, .. } => (n(node), MarkKind::Term(*term)),
        E::Crashed { node, .. } => (n(node), MarkKind::Crashed),
        E::Restarted { node, term, .. } => (n(node), MarkKind::Restarted(*term)),
        E::Appended { node, index, term, .. } => (n(node), MarkKind::Appended { index: *index, term: *term }),
        E::Committed { node, to, .. } => (n(node), MarkKind::Committed(*to)),
        E::Violation { property, nodes, .. } => {
            (nodes.first().map_or(Addr::Client, n), MarkKind::Violation(property.name()))
        }
        E::ClientWrite { op, to, .. } => (Addr::Client, MarkKind::ClientWrite { op: *op, to: *to }),
        E::ClientAcked { op, by, index, .. } => {
            (Addr::Client, MarkKind::ClientAcked { op: *op, by: *by, index: *index })
        }
        E::ClientRead { op, to, .. } => (Addr::Client, MarkKind::ClientRead { op: *op, to: *to }),
        E::ClientReadDone { op, by, value, .. } => {
            (Addr::Client, MarkKind::ClientReadDone { op: *op, by: *by, value: *value })
        }
        _ => return None,
    })
}

/// The lane an event's mark is drawn on (None: the event has no mark): what
/// [`Record`] draws, and what the page lights for an event picked in the
/// feed (`diagram_svg::lit_style`), from one place so that they agree.
pub fn mark_lane(what: &EventData) -> Option<Addr> {
    event_mark(what).map(|m| m.0)
}

/// The marks kept at a zoom of minutes (from 100 ms a pixel, where a mark's
/// label per entry appended, committed, written and acknowledged would pile
/// down the lanes): the roles, crashes, restarts and violations (not a
/// follower's term changes: one per follower at each election).
pub fn thin_marks(marks: &mut Vec<Mark>) {
    marks.retain(|m| {
        matches!(
            m.kind,
            MarkKind::Candidate(_)
                | MarkKind::Leader(_)
                | MarkKind::Follower(_)
                | MarkKind::Crashed
                | MarkKind::Restarted(_)
                | MarkKind::Violation(_)
        )
    });
}

/// The zoom (ms per pixel) from which the delivered arrows are thinned:
/// heartbeats 50 ms apart are 2.5 px apart there.
pub const THIN_FROM: f64 = 20.0;

/// `arrows` thinned for a coarse zoom: of the delivered messages, about one
/// per sender, receiver and kind in each stretch of `ms` of send time (the
/// first read; one read again after another stretch's of the same three
/// stays too); every lost message (its ✕) and every one in flight stays. So that
/// a zoom on minutes of a run draws a bounded number of arrows (about the
/// drawing's height over the stretch's pixels for each pair and kind that
/// talked), where it drew each message (19,000 arrows at 500 ms a pixel
/// after 10 virtual minutes of 5 servers). No kind and no pair that had a
/// message in the window loses all its arrows.
pub fn thin(arrows: &mut Vec<Arrow>, ms: u64) {
    let ms = ms.max(1);
    let lane = |a: Addr| match a {
        // (Servers are at most `sim::MAX_SERVERS`, 9, and keep their index:
        // with more, those from the tenth would share a key here.)
        Addr::Node(n) => n.index().min(9) + 1,
        Addr::Client => 0,
    };
    // The stretch last kept (+1) for each (sender, receiver, kind).
    let mut last = vec![0u64; 11 * 11 * 16];
    arrows.retain(|a| {
        if a.end != End::Delivered {
            return true;
        }
        let kind = (a.kind as usize).min(15);
        let key = (lane(a.from) * 11 + lane(a.to)) * 16 + kind;
        let stretch = a.sent_at / ms + 1;
        let keep = last[key] != stretch;
        last[key] = stretch;
        keep
    });
}

/// The default zoom's position in [`ZOOMS`] (1 ms per pixel: an election fits on a screen).
pub const DEFAULT_ZOOM: usize = 2;

/// How far the window moves at a time while it follows "now" (px): one
/// chunk of arrows (`diagram_svg`), so that a step leaves each chunk where a
/// chunk stood before.
pub const FOLLOW_STEP_PX: f64 = 64.0;

/// Where things sit: lanes across, time down.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Layout {
    /// The drawing's width (px).
    pub width: f64,
    /// Height of the lane headers above the time axis (px).
    pub header: f64,
    /// Width of the time axis's labels at the left (px).
    pub gutter: f64,
    /// Virtual ms per pixel.
    pub ms_per_px: f64,
    /// The time at the top of the drawing (below the header).
    pub top: u64,
    /// Number of lanes.
    pub lanes: usize,
}

impl Layout {
    /// A layout of `lanes` lanes across `width` px, `top` at the top, `ms_per_px` down.
    pub fn new(width: f64, lanes: usize, top: u64, ms_per_px: f64) -> Layout {
        Layout { width, header: 28.0, gutter: 52.0, ms_per_px: ms_per_px.max(0.01), top, lanes: lanes.max(1) }
    }
    /// The x of lane `i`'s line.
    pub fn lane_x(&self, i: usize) -> f64 {
        self.gutter + self.gap() * (i as f64 + 0.5)
    }
    /// The room a lane has across (px).
    pub fn gap(&self) -> f64 {
        (self.width - self.gutter) / self.lanes as f64
    }
    /// The narrowest drawing with room for `lanes` lanes ([`MIN_GAP`] each) and the time axis
    /// (px): 334 for five servers and the client, 522 for nine.
    pub fn min_width(lanes: usize) -> f64 {
        52.0 + MIN_GAP * lanes as f64
    }
    /// The type size of the marks' labels (px): 10, smaller where the
    /// lanes are closer than 65 px, down to 8 (at [`MIN_GAP`]).
    pub fn mark_font(&self) -> f64 {
        (self.gap() / 6.5).clamp(8.0, 10.0)
    }
    /// The y of virtual time `t`.
    pub fn y(&self, t: u64) -> f64 {
        self.header + (t as f64 - self.top as f64) / self.ms_per_px
    }
    /// The virtual time at height `y` (px from the top of the drawing), never before 0.
    pub fn time_at(&self, y: f64) -> u64 {
        let t = self.top as f64 + (y - self.header) * self.ms_per_px;
        if t <= 0.0 {
            0
        } else {
            t as u64
        }
    }
    /// The window a drawing `height` px high shows.
    pub fn window(&self, height: f64) -> Window {
        Window { from: self.top, to: self.time_at(height.max(self.header)) }
    }
    /// The top that keeps `now` in the lower part of a drawing `height` px
    /// high (following): the window moves down in whole steps of
    /// [`FOLLOW_STEP_PX`], "now" moving down across it between steps (from
    /// a step above the drawing's bottom, less 24 px, to that line). Between
    /// steps nothing already drawn moves, so the browser paints again only
    /// what changed (the line of "now", the arrows in flight, what is new),
    /// where a window moved at every frame was all painted anew.
    /// A drawing shorter than a step above its line (under 116 px) steps by
    /// what it has room for, so that "now" stays below the lane names.
    pub fn follow_top(now: u64, height: f64, ms_per_px: f64) -> u64 {
        let room = (height - 28.0 - 24.0).max(10.0);
        let span = (room * ms_per_px) as u64;
        let step = ((FOLLOW_STEP_PX.min(room) * ms_per_px.max(0.01)) as u64).max(1);
        now.saturating_sub(span).div_ceil(step) * step
    }
    /// The drawing's size (px) in a box measured `width` by `height` px
    /// (the room the panel gives it, less the drawing's 1-px border): as tall as the
    /// box, so that "now" and the lane names show without scrolling, never
    /// narrower than [`MIN_WIDTH`] nor shorter than [`MIN_HEIGHT`]; whole
    /// pixels. (The page widens it to [`Layout::min_width`] of its lanes:
    /// the box then scrolls sideways.) A box not measured yet (0 by 0)
    /// gets the size the drawing had before it was measured.
    pub fn fit(width: f64, height: f64) -> (f64, f64) {
        if !(width >= 1.0 && height >= 1.0) {
            return (560.0, 520.0);
        }
        let whole = |x: f64, min: f64| ((x - 2.0).max(min) as u32) as f64;
        (whole(width, MIN_WIDTH), whole(height, MIN_HEIGHT))
    }
}

/// The narrowest the drawing gets (px): two lanes and the time axis.
pub const MIN_WIDTH: f64 = 150.0;

/// The least room a lane gets across (px): a server's name, and a mark's
/// label in its smallest type ([`Layout::mark_font`]) about as wide.
pub const MIN_GAP: f64 = 47.0;

/// The shortest the drawing gets (px): the lane names and a step of time under them.
pub const MIN_HEIGHT: f64 = 120.0;

/// The position of `lane` among `lanes`.
pub fn lane_index(lanes: &[Addr], lane: Addr) -> Option<usize> {
    lanes.iter().position(|l| *l == lane)
}
