//! The timeline strip under the ring: the current branch's whole run, its
//! terms as bands in the term colours, marks for what matters (elections,
//! crashes and restarts, partitions and heals, client writes, commits,
//! safety violations), the moment shown and the latest one.
//!
//! A [`StripIndex`] reads the branch's trace once, incrementally, into a few
//! sorted lists (one per kind of mark, and the term bands); [`strip_draw`]
//! turns them into one SVG path per kind and colour, bucketed per pixel
//! column, so that drawing costs the strip's width, not the run's length (an
//! hour holds tens of thousands of marks). [`StripIndex::near`] finds what is
//! under the pointer, for the tooltip and for a click. Pure: the component
//! (`src/ui/timeline.rs`) only draws it.

use super::theme::term_fill_class;
use crate::sim::{Event, EventData, NodeId, Role};
use crate::timeline::Timeline;

/// Height of the strip (SVG units: one unit is one CSS pixel).
pub const STRIP_H: u32 = 40;
const _: () = assert!(STRIP_H == 40, "a violation's mark is written for 40");
/// The shortest span the strip covers (ms): a young run fills part of it.
pub const MIN_SPAN_MS: u64 = 10_000;
/// How far from the pointer (pixels) a mark is caught.
pub const REACH_PX: u32 = 5;

/// What a mark on the strip stands for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MarkKind {
    /// A client write invoked.
    Write,
    /// Entries committed.
    Commit,
    /// A leader elected.
    Election,
    /// A server restarted.
    Restart,
    /// A partition or a disconnection.
    Partition,
    /// A heal or a reconnection.
    Heal,
    /// A server crashed.
    Crash,
    /// A safety property broke.
    Violation,
}

impl MarkKind {
    /// Every kind, in drawing order (the last on top) and the order of the
    /// preference of [`StripIndex::near`] (the last first).
    pub const ALL: [MarkKind; 8] = [
        MarkKind::Write,
        MarkKind::Commit,
        MarkKind::Election,
        MarkKind::Restart,
        MarkKind::Partition,
        MarkKind::Heal,
        MarkKind::Crash,
        MarkKind::Violation,
    ];

    /// The kind of mark an event makes, if any.
    pub fn of(e: &EventData) -> Option<MarkKind> {
        Some(match e {
            EventData::ClientWrite { .. } => MarkKind::Write,
            EventData::Committed { .. } => MarkKind::Commit,
            EventData::LeaderElected { .. } => MarkKind::Election,
            EventData::Restarted { .. } => MarkKind::Restart,
            EventData::Partitioned { .. } | EventData::Disconnected { .. } => MarkKind::Partition,
            EventData::Healed | EventData::Reconnected { .. } => MarkKind::Heal,
            EventData::Crashed { .. } => MarkKind::Crash,
            EventData::Violation { .. } => MarkKind::Violation,
            _ => return None,
        })
    }

    /// Its name in CSS (`mk-commit`) and the word for many of them.
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            MarkKind::Write => ("mk-write", "client writes"),
            MarkKind::Commit => ("mk-commit", "commits"),
            MarkKind::Election => ("mk-election", "elections"),
            MarkKind::Restart => ("mk-restart", "restarts"),
            MarkKind::Partition => ("mk-partition", "partitions"),
            MarkKind::Heal => ("mk-heal", "heals"),
            MarkKind::Crash => ("mk-crash", "crashes"),
            MarkKind::Violation => ("mk-violation", "safety violations"),
        }
    }

    /// The SVG path of one mark at column `x`. Writes and commits are
    /// ticks in a lane of their own at the bottom (drawn as runs, see
    /// [`strip_draw`]); the others are glyphs in the middle lane; a
    /// violation crosses the whole strip.
    fn glyph(self, x: u32, d: &mut String) {
        use std::fmt::Write;
        // (x, then the rest of the path; ticks are drawn as runs by `runs`.)
        let (x, rest) = match self {
            MarkKind::Write | MarkKind::Commit => return,
            MarkKind::Election => (x, " 16l4 8h-8z"),
            MarkKind::Restart => (x.saturating_sub(4), " 20h8m-4 -4v8"),
            MarkKind::Partition => (x, " 16l4 4-4 4-4-4z"),
            MarkKind::Heal => (x, " 17l3 3-3 3-3-3z"),
            MarkKind::Crash => (x.saturating_sub(3), " 16l7 7m0-7l-7 7"),
            // Across the strip's whole height (STRIP_H, 40).
            MarkKind::Violation => (x.saturating_sub(1), " 0h3v40h-3z"),
        };
        let _ = write!(d, "M{x}{rest}");
    }

    /// The lane of a tick kind: its top and height.
    fn lane(self) -> Option<(u32, u32)> {
        match self {
            MarkKind::Write => Some((28, 5)),
            MarkKind::Commit => Some((34, 5)),
            _ => None,
        }
    }
}

/// One stretch of the run in one term: from `from` (ms) until the next band.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Band {
    /// When it starts (virtual ms).
    pub from: u64,
    /// The highest term any server had reached (0 before the first election).
    pub term: u64,
    /// The leader of that term while there is one.
    pub leader: Option<NodeId>,
}

/// The marks of one kind, in time order: when, and which event of the
/// branch's trace (its index, oldest first).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Marks {
    /// Their times (ms), in order.
    pub times: Vec<u64>,
    /// Their events' indexes in the branch's trace.
    pub events: Vec<u32>,
}

/// The current branch's trace read into what the strip draws, kept up to
/// date as the run grows (see [`StripIndex::update`]).
#[derive(Clone, Debug, Default)]
pub struct StripIndex {
    /// Which run and branch it reads (it starts afresh when they change).
    key: Option<(u64, u32)>,
    /// Events read so far.
    read: usize,
    /// The branch's latest moment when last read.
    latest: u64,
    /// The term bands, in time order; the first starts at 0.
    pub bands: Vec<Band>,
    /// The marks, one list per kind in [`MarkKind::ALL`]'s order.
    pub marks: [Marks; 8],
}

/// What is under the pointer on the strip.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Near {
    /// The moment under the pointer, or the nearest mark's (ms): where a click goes.
    pub time: u64,
    /// The term band there.
    pub band: Band,
    /// The nearest mark within [`REACH_PX`]: its kind, its event's index, and
    /// how many marks of its kind share its pixel column.
    pub mark: Option<(MarkKind, u32, usize)>,
}

impl StripIndex {
    /// Reads what is new in the current branch of `tl` (`run` tells runs
    /// apart: a new run starts at branch 1 again). Cheap when nothing is
    /// new; a branch switched to or forked is read once from its start.
    /// Returns whether anything changed.
    pub fn update(&mut self, tl: &Timeline, run: u64) -> bool {
        let key = (run, tl.current_branch());
        if self.key != Some(key) {
            *self = StripIndex {
                key: Some(key),
                bands: vec![Band { from: 0, term: 0, leader: None }],
                ..Default::default()
            };
        }
        let before = self.read;
        if tl.now() >= tl.latest() {
            // At the branch's latest moment: its trace is the cluster's.
            let ev = tl.cluster().events();
            if ev.len() < self.read {
                // Cannot happen on one branch; start again rather than show a wrong strip.
                self.key = None;
                return self.update(tl, run);
            }
            for e in &ev[self.read..] {
                self.add(e);
            }
        } else if tl.latest() != self.latest || self.read == 0 {
            // In the past: the branch grew since it was read (rare), or it was never read.
            while let Some(e) = tl.event_to_latest(self.read) {
                self.add(e);
            }
        }
        self.latest = tl.latest();
        self.read != before
    }

    fn add(&mut self, e: &Event) {
        let i = self.read as u32;
        self.read += 1;
        if let Some(k) = MarkKind::of(&e.what) {
            let m = &mut self.marks[k as usize];
            m.times.push(e.time);
            m.events.push(i);
        }
        let last = *self.bands.last().unwrap_or(&Band { from: 0, term: 0, leader: None });
        let (mut term, mut leader) = (last.term, last.leader);
        match &e.what {
            EventData::ElectionStarted { term: t, .. } if *t > term => (term, leader) = (*t, None),
            EventData::LeaderElected { node, term: t, .. } if *t >= term => (term, leader) = (*t, Some(*node)),
            EventData::Crashed { node, .. } if leader == Some(*node) => leader = None,
            EventData::SteppedDown { node, was: Role::Leader, .. } if leader == Some(*node) => leader = None,
            _ => {}
        }
        if (term, leader) != (last.term, last.leader) {
            let n = self.bands.len();
            match self.bands.last_mut() {
                // Two changes at one millisecond: the later one stands.
                Some(b) if b.from == e.time && n > 1 => (b.term, b.leader) = (term, leader),
                _ => self.bands.push(Band { from: e.time, term, leader }),
            }
        }
    }

    /// How many events of the branch it has read.
    pub fn read(&self) -> usize {
        self.read
    }

    /// The band at moment `t`.
    pub fn band_at(&self, t: u64) -> Band {
        let i = self.bands.partition_point(|b| b.from <= t);
        self.bands.get(i.saturating_sub(1)).copied().unwrap_or(Band { from: 0, term: 0, leader: None })
    }

    /// What is at pixel column `x` of a strip of `cols` columns covering
    /// `span` ms: the moment there, its band, and the nearest mark within
    /// [`REACH_PX`] columns (violations first, then crashes, ... then writes,
    /// among marks as near). A click goes to the mark's moment when there is one.
    pub fn near(&self, x: u32, cols: u32, span: u64) -> Near {
        let at = time_at(x, cols, span);
        let mut best: Option<(u32, MarkKind, u32, usize)> = None;
        for k in MarkKind::ALL.iter().rev() {
            let m = &self.marks[*k as usize];
            let lo = time_at(x.saturating_sub(REACH_PX), cols, span);
            let hi = time_at(x + REACH_PX + 1, cols, span);
            let (a, b) = (m.times.partition_point(|&t| t < lo), m.times.partition_point(|&t| t < hi));
            for i in a..b {
                let c = column(m.times[i], cols, span);
                let d = c.abs_diff(x);
                if d <= REACH_PX && best.is_none_or(|(bd, ..)| d < bd) {
                    let same = column_range(&m.times, c, cols, span);
                    best = Some((d, *k, i as u32, same.len()));
                }
            }
        }
        match best {
            Some((_, k, i, n)) => {
                let m = &self.marks[k as usize];
                let t = m.times[i as usize];
                Near { time: t, band: self.band_at(t), mark: Some((k, m.events[i as usize], n)) }
            }
            None => Near { time: at, band: self.band_at(at), mark: None },
        }
    }
}

/// The span of virtual time the strip covers for a branch whose latest moment is `latest`.
pub fn span_of(latest: u64) -> u64 {
    latest.max(MIN_SPAN_MS)
}

/// The pixel column (0..cols) of moment `t` on a strip of `cols` columns covering `span` ms.
pub fn column(t: u64, cols: u32, span: u64) -> u32 {
    if cols == 0 || span == 0 {
        return 0;
    }
    // (Times are at most 2 hours and widths a few thousand pixels: no overflow.)
    (t.saturating_mul(cols as u64) / span).min(cols as u64 - 1) as u32
}

/// The moment at the left edge of column `x` (the start of the moments it holds).
pub fn time_at(x: u32, cols: u32, span: u64) -> u64 {
    if cols == 0 {
        return 0;
    }
    (x as u64).saturating_mul(span).div_ceil(cols as u64).min(span)
}

/// The indexes of `times` (sorted) that fall in column `c`.
fn column_range(times: &[u64], c: u32, cols: u32, span: u64) -> std::ops::Range<usize> {
    let lo = time_at(c, cols, span);
    let a = times.partition_point(|&t| t < lo);
    let b = if c + 1 >= cols { times.len() } else { times.partition_point(|&t| t < time_at(c + 1, cols, span)) };
    a..b.max(a)
}

/// The columns holding at least one of `times` (sorted), each once, in
/// order: the marks of a kind bucketed per pixel column. Costs the number
/// of such columns times a binary search, however many times there are.
pub fn columns(times: &[u64], cols: u32, span: u64) -> Vec<u32> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < times.len() {
        let c = column(times[i], cols, span);
        out.push(c);
        if c + 1 >= cols {
            break;
        }
        let next = time_at(c + 1, cols, span);
        i += times[i..].partition_point(|&t| t < next);
    }
    out
}

/// Runs of consecutive columns: `(first, count)`.
pub fn runs(cols: &[u32]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &c in cols {
        match out.last_mut() {
            Some((x, n)) if *x + *n == c => *n += 1,
            _ => out.push((c, 1)),
        }
    }
    out
}

/// What the strip draws, in SVG units (one per CSS pixel across, [`STRIP_H`] down).
#[derive(Clone, Debug, PartialEq)]
pub struct StripDraw {
    /// Its width in columns (pixels).
    pub cols: u32,
    /// The span of virtual time it covers (ms).
    pub span: u64,
    /// The term bands: per CSS class (`tf3`, with ` unled` while no leader is
    /// known, `term0` before the first election) one path.
    pub bands: Vec<(String, String)>,
    /// Term numbers written on bands wide enough: column of the middle, term.
    pub labels: Vec<(u32, u64)>,
    /// The marks: per kind, its CSS class and one path.
    pub marks: Vec<(&'static str, String)>,
    /// The column of the moment shown.
    pub now_x: u32,
    /// The column of the branch's latest moment.
    pub latest_x: u32,
}

/// The height of the band at the top of the strip.
pub const BAND_H: u32 = 13;

/// Draws the strip of `ix` with the cursor at `now` and the branch's latest
/// moment `latest`, on `cols` pixel columns.
pub fn strip_draw(ix: &StripIndex, now: u64, latest: u64, cols: u32) -> StripDraw {
    use std::fmt::Write;
    let cols = cols.max(1);
    let span = span_of(latest);
    let end = column(latest, cols, span) + 1;
    // Bands: per column the band it starts in; runs of equal look merged.
    let mut bands: Vec<(String, String)> = Vec::new();
    let mut labels = Vec::new();
    let mut push = |class: String, x: u32, w: u32| {
        let d = format!("M{x} 0h{w}v{BAND_H}h-{w}z");
        match bands.iter_mut().find(|(c, _)| *c == class) {
            Some((_, p)) => p.push_str(&d),
            None => bands.push((class, d)),
        }
    };
    let mut i = 0;
    while i < ix.bands.len() {
        let b = ix.bands[i];
        let x0 = column(b.from, cols, span);
        // The next band that starts in a later column (those starting in
        // this one are too narrow to draw: the last of them shows from the next column).
        let mut j = i + 1;
        while j < ix.bands.len() && column(ix.bands[j].from, cols, span) <= x0 {
            j += 1;
        }
        let shown = ix.bands[j - 1];
        let x1 = ix.bands.get(j).map_or(end, |n| column(n.from, cols, span)).min(end);
        if x1 > x0 {
            let class = match (shown.term, shown.leader) {
                (0, _) => "term0".to_string(),
                (t, Some(_)) => term_fill_class(t),
                (t, None) => format!("{} unled", term_fill_class(t)),
            };
            push(class, x0, x1 - x0);
            if shown.term > 0 && x1 - x0 >= 16 {
                labels.push(((x0 + x1) / 2, shown.term));
            }
        }
        i = j;
    }
    // Labels of one term written once per stretch of it (an unled part and its led part).
    labels.dedup_by(|b, a| a.1 == b.1 && b.0.saturating_sub(a.0) < 40);
    let mut marks = Vec::new();
    for k in MarkKind::ALL {
        let m = &ix.marks[k as usize];
        if m.times.is_empty() {
            continue;
        }
        let cs = columns(&m.times, cols, span);
        let mut d = String::new();
        match k.lane() {
            Some((y, h)) => {
                for (x, w) in runs(&cs) {
                    let _ = write!(d, "M{x} {y}h{w}v{h}h-{w}z");
                }
            }
            None => {
                // Glyphs are 7 or 8 pixels wide: one every 3 columns at most.
                let mut last: Option<u32> = None;
                for x in cs {
                    if last.is_none_or(|l| x >= l + 3) {
                        k.glyph(x, &mut d);
                        last = Some(x);
                    }
                }
            }
        }
        marks.push((k.names().0, d));
    }
    StripDraw { cols, span, bands, labels, marks, now_x: column(now, cols, span), latest_x: column(latest, cols, span) }
}

/// Virtual milliseconds as "12.345 s" (integers only).
pub fn ms_text(ms: u64) -> String {
    format!("{}.{:03} s", ms / 1000, ms % 1000)
}

/// The words of a band for a tooltip: "term 4, S3 leads", "term 5, no leader yet", "before the first election".
pub fn band_text(b: &Band) -> String {
    match (b.term, b.leader) {
        (0, _) => "before the first election".to_string(),
        (t, Some(l)) => format!("term {t}, {l} leads"),
        (t, None) => format!("term {t}, no leader"),
    }
}
