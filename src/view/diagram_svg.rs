//! The space-time diagram as a standalone SVG file (a teacher puts it on a
//! slide): colours written out (the term palette of the ring's light theme),
//! fonts named, no external references, no script. The page's Export button
//! and `cargo run --example scenario -- --svg out.svg FILE` both write it.
//! The page's Diagram tab draws the same [`Pieces`], keeping the markup of
//! the chunks of settled arrows that did not change ([`pieces`]).

use super::diagram::{lane_index, Arrow, End, Layout, Mark, MarkKind, SpanKind, Visible, SERVER_BIT};
use crate::decimal::{fixed, Fixed};
use crate::lesson::Highlight;
use crate::sim::{Addr, LossCause, MessageKind};
use std::fmt::Write;
use std::rc::Rc;

/// The term colours (Okabe-Ito), as `--t0`..`--t6` of the light theme.
pub const TERM_HEX: [&str; 7] = ["#56b4e9", "#e69f00", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"];

/// The fonts the file names (generic family last, so any viewer has one).
pub const FONTS: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/// A term's colour (grey for the client's messages, which carry no term).
pub fn term_hex(term: u64) -> &'static str {
    if term == 0 {
        "#6b7280"
    } else {
        TERM_HEX[super::theme::term_slot(term) as usize]
    }
}

/// Words written into markup (text or an attribute's value): XML's five
/// special characters `&`, `<`, `>`, `"` and `'` as entities, so that they
/// show as they are (the page's markup and the file alike).
pub struct Esc<'a>(pub &'a str);

impl std::fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.0;
        let mut from = 0;
        for (i, b) in s.bytes().enumerate() {
            let entity = match b {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                b'\'' => "&apos;",
                _ => continue,
            };
            f.write_str(&s[from..i])?;
            f.write_str(entity)?;
            from = i + 1;
        }
        f.write_str(&s[from..])
    }
}

/// `s` with XML's five special characters escaped (see [`Esc`]).
pub fn escape(s: &str) -> String {
    Esc(s).to_string()
}

/// A lane's name: "S1".."S9" or "client".
pub fn lane_name(lane: Addr) -> String {
    lane.to_string()
}

/// How an arrow of a kind is drawn: (stroke width, dash pattern, opacity).
/// Heartbeats are light, entries heavy, replies thin, votes dashed (pre-votes
/// lighter and finer), a read dotted, a snapshot heaviest with long dashes.
pub fn kind_stroke(kind: MessageKind) -> (f64, &'static str, f64) {
    match kind {
        MessageKind::Heartbeat => (1.0, "", 0.45),
        MessageKind::AppendEntries => (2.6, "", 1.0),
        MessageKind::AppendReply | MessageKind::VoteReply | MessageKind::PreVoteReply => (1.2, "", 0.9),
        MessageKind::RequestVote => (2.0, "6 3", 1.0),
        MessageKind::PreVote => (1.6, "3 3", 0.8),
        MessageKind::TimeoutNow => (2.2, "2 2", 1.0),
        MessageKind::ClientRequest | MessageKind::ClientReply => (1.6, "", 1.0),
        MessageKind::ClientRead => (1.6, "1 2", 1.0),
        // A snapshot: heavier than entries, with a long dash.
        #[cfg(feature = "compaction")]
        MessageKind::InstallSnapshot => (4.0, "10 2", 1.0),
        #[cfg(feature = "compaction")]
        MessageKind::SnapshotReply => (1.2, "10 2", 0.9),
    }
}

/// The page's filter as markup: a checkbox per kind of message (checked
/// while shown, in the order of [`MessageKind::ALL`]), its name beside a
/// short line drawn as its arrows are (width, dash and opacity, in the
/// text's colour), then one per server of the `servers`, then Show all.
/// `hidden` is a [`Filter::mask`]; each checkbox's `data-f` is its bit
/// there, Show all has `data-l=""` (the page's listener reads them).
///
/// [`Filter::mask`]: super::diagram::Filter::mask
pub fn filter_markup(hidden: u64, servers: usize) -> String {
    let mut s = String::from("<p>Shown (also in Export SVG). A click on a lane's name hides it too.</p>");
    let check = |s: &mut String, bit: usize, label: String| {
        let on = if hidden >> bit & 1 == 0 { " checked" } else { "" };
        let _ = write!(s, "<label><input type=\"checkbox\" data-f=\"{bit}\"{on}>{label}</label>");
    };
    for (i, k) in MessageKind::ALL.iter().enumerate() {
        let (width, dash, op) = kind_stroke(*k);
        let sample = format!(
            "<svg width=\"20\" height=\"8\"><line x2=\"20\" y1=\"4\" y2=\"4\" stroke=\"currentColor\" stroke-width=\"{}\" stroke-dasharray=\"{dash}\" stroke-opacity=\"{}\"/></svg>{}",
            num(width),
            fixed(op, 2),
            k.name()
        );
        check(&mut s, i, sample);
    }
    s.push_str("<br>");
    for i in 0..servers.min(40) {
        check(&mut s, SERVER_BIT as usize + i, format!("S{}", i + 1));
    }
    s + "<button data-l=\"\">Show all</button>"
}

/// The page's lit things as one small style sheet (nothing drawn again):
/// the arrows of `ids` (inspected, hovered, clicked, a lesson step's messages
/// in flight) thick; the message `ring` (hovered in the Diagram) on the
/// ring; the marks of the event picked in the feed, `mark` (its time and the
/// lane its mark is on, [`mark_lane`](super::diagram::mark_lane): that lane's marks at that ms, every
/// lane's when it has none, by the marks' `data-m`); the names of the lanes of the servers of `servers`
/// (a lesson step's, a bit per server index) in the lesson's colour, underlined.
pub fn lit_style(ids: &[Option<u64>], ring: Option<u64>, mark: Option<(u64, Option<Addr>)>, servers: u64) -> String {
    let mut lit = String::from("<style>");
    for id in ids.iter().flatten() {
        let _ = write!(lit, ".diagram-svg [data-id=\"{id}\"] line,");
    }
    lit.push_str("x{stroke-width:5;stroke-opacity:1}");
    if let Some(id) = ring {
        let _ = write!(lit, ".ring [data-message=\"{id}\"]{{filter:drop-shadow(0 0 4px var(--accent,#0072b2))}}");
    }
    if let Some((t, lane)) = mark {
        // "<t> S3" exactly, or any lane's "<t> " (a mark's `data-m` is its time and lane).
        let (op, lane) = lane.map_or(("^", String::new()), |l| ("", l.to_string()));
        let _ = write!(lit, ".diagram-svg [data-m{op}=\"{t} {lane}\"]{{r:7px;stroke:var(--accent);stroke-width:3}}");
    }
    for i in 0..48 {
        if servers >> i & 1 == 1 {
            // (`text`: as specific as the ink the style sheet gives the names, `text[fill="#111"]`, and after it.)
            let _ = write!(lit, ".diagram-svg text[data-l=\"{}\"],", SERVER_BIT + i);
        }
    }
    if servers != 0 {
        lit.push_str("x{fill:var(--hl);text-decoration:underline}");
    }
    lit + "</style>"
}

/// The servers a lesson step's highlights name (`highlight S1 S2`), a bit
/// per server index (none past the 64th): the `servers` [`lit_style`] lights.
/// Their entries or messages (`highlight entry 2 on S1`) light no lane.
pub fn lit_servers(hs: &[Highlight]) -> u64 {
    let mut named = 0u64;
    for h in hs {
        if let Highlight::Servers { servers } = h {
            for n in servers {
                named |= 1u64.checked_shl(n.index() as u32).unwrap_or(0);
            }
        }
    }
    named
}

/// Why a message was lost, in a word (the ✕'s tooltip).
pub fn loss_word(cause: LossCause) -> &'static str {
    match cause {
        LossCause::Random => "lost at random",
        LossCause::Cut => "cut by a partition",
        LossCause::ReceiverDown => "receiver crashed",
        LossCause::Dropped => "dropped by hand",
    }
}

/// `x` with one decimal, written where it is put (no string of its own to make and free at each of the thirty-odd places).
fn num(x: f64) -> Fixed {
    fixed(x, 1)
}

/// An arrow's line: `(x1, y1, x2, y2)` from the send to where it stops at `now`.
pub fn arrow_line(a: &Arrow, lanes: &[Addr], l: &Layout, now: u64) -> Option<(f64, f64, f64, f64)> {
    let (i, j) = (lane_index(lanes, a.from)?, lane_index(lanes, a.to)?);
    let (x1, x2) = (l.lane_x(i), l.lane_x(j));
    let x_end = x1 + (x2 - x1) * a.reach(now);
    Some((x1, l.y(a.sent_at), x_end, l.y(a.end_at(now))))
}

/// The colour and look of a lane mark: (fill, text colour).
fn mark_colours(m: &Mark) -> (&'static str, &'static str) {
    match &m.kind {
        MarkKind::Leader(t)
        | MarkKind::Candidate(t)
        | MarkKind::Follower(t)
        | MarkKind::Term(t)
        | MarkKind::Restarted(t) => (term_hex(*t), "#111"),
        MarkKind::Appended { term, .. } => (term_hex(*term), "#111"),
        MarkKind::Committed(_) => ("#111827", "#111"),
        MarkKind::Crashed => ("#6b7280", "#111"),
        MarkKind::Violation(_) => ("#d00000", "#d00000"),
        MarkKind::ClientWrite { .. }
        | MarkKind::ClientAcked { .. }
        | MarkKind::ClientRead { .. }
        | MarkKind::ClientReadDone { .. } => ("#6b7280", "#111"),
    }
}

/// How tall a chunk of arrows is (px): the page draws again only the arrows
/// that changed, and moves each chunk as a whole while the window follows "now".
const CHUNK_PX: f64 = super::diagram::FOLLOW_STEP_PX;

/// The arrows sent in one stretch of time, drawn with the stretch's start at
/// the top, to be moved into place (`translate(0 dy)`, [`Chunk::dy`]): so
/// that the page keeps their markup while the window follows "now". The
/// settled arrows (delivered or lost: they no longer change) and those in
/// flight are in chunks of their own; on the page, an arrow in flight is
/// drawn to its arrival and hidden below "now" (a rect of the background's colour), its tip a dot of
/// [`Pieces::dots`], so that its markup does not change as it flies.
#[derive(Clone, Debug)]
pub struct Chunk {
    /// The stretch's first ms.
    pub start: u64,
    /// Whether it holds arrows in flight.
    pub flight: bool,
    /// What its markup was drawn from: the layout, the caller's salt and a fingerprint of its arrows.
    key: [u64; 4],
    /// Its arrows: (id, markup), y measured from `start`.
    pub arrows: Vec<(u64, Rc<str>)>,
}

/// Two chunks drawn from the same arrows in the same layout draw the same (the page skips them).
impl PartialEq for Chunk {
    fn eq(&self, o: &Chunk) -> bool {
        (self.start, self.flight, self.key) == (o.start, o.flight, o.key)
    }
}

/// How many ms a chunk of arrows spans in layout `l`.
pub fn chunk_span(l: &Layout) -> u64 {
    ((l.ms_per_px * CHUNK_PX) as u64).max(1)
}

/// How far down what is drawn from time `t` at the top is moved in layout `l` (px).
pub fn shift(l: &Layout, t: u64) -> String {
    num(l.y(t) - l.header).to_string()
}

impl Chunk {
    /// How far down the chunk is moved in layout `l` (px).
    pub fn dy(&self, l: &Layout) -> String {
        shift(l, self.start)
    }
}

/// The diagram in parts, each of which changes as little as it can while
/// the window follows "now": `under` (title, background, spans and lanes),
/// `ticks` (the time axis, drawn from `anchor`), the chunks of arrows, `tips`
/// (the page's tips of the arrows in flight), `marks` (drawn from `anchor`,
/// each apart with its key), `over` (the lane names) and `now` (its time,
/// while in the window). [`document`] writes them as one SVG document; the
/// page (src/ui/diagram.rs) puts the markup in as it is, but draws the tips
/// and "now" as elements of its own (kept from frame to frame), as
/// [`document`] writes them.
#[derive(Clone, Debug)]
pub struct Pieces {
    /// Drawn first.
    pub under: String,
    /// The time at the top of `ticks` and `marks` (a chunk's start).
    pub anchor: u64,
    /// The time axis.
    pub ticks: String,
    /// The settled arrows, oldest stretch first, then those in flight.
    pub chunks: Vec<Chunk>,
    /// The tips of the arrows in flight (on the page: see [`Chunk`]), as
    /// paths of dots (a round cap on a move of no length each, `M<x> <y>h0`):
    /// first their outline, all tips in one (`#111`), then one path per term
    /// colour. The page (src/ui/diagram.rs) draws them as these few path
    /// elements, kept from frame to frame with their `d` changed (where a
    /// circle per tip had two attributes set each at every frame);
    /// [`document`] writes them as markup ([`Pieces::dots`]), which the
    /// page's pieces then have (a file's, from [`svg`], have none: its
    /// arrows in flight end at "now" with their tip).
    pub tips: Vec<(&'static str, String)>,
    /// On the page, each tip's arrow and where its dot is: (id, x, y). The
    /// tips' paths let the pointer through (`pointer-events="none"`): a
    /// click or the pointer on a dot finds its arrow by [`tip_near`].
    pub flying: Vec<(u64, f64, f64)>,
    /// The lane marks (from `anchor`), oldest first, each as (key, markup):
    /// the key a fingerprint of its markup, no two alike (the page keeps a
    /// mark's elements by it while the mark stays: two marks' markups differ,
    /// as a label is put below the one before it on its lane).
    pub marks: Vec<(u64, Rc<str>)>,
    /// The lane names, on a band of their own.
    pub over: String,
    /// "Now" (virtual ms) while in the window, drawn last: a red line across
    /// and its words ([`now_line`], "now N ms"), in a group moved to its y.
    pub now: Option<u64>,
}

/// The line of "now", drawn at y 0 (its group is moved to "now": the page keeps it from frame to frame).
pub fn now_line(l: &Layout) -> String {
    format!("<line x1=\"{}\" x2=\"{}\" stroke=\"#d00000\" stroke-width=\"1.5\"/>", num(l.gutter), num(l.width))
}

/// One step of FNV-1a (a word at a time, as the fingerprints here take them).
fn fnv(h: u64, x: u64) -> u64 {
    (h ^ x).wrapping_mul(0x100_0000_01b3)
}

/// A fingerprint of `bytes` (FNV-1a from its offset basis).
pub fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| fnv(h, *b as u64))
}

impl Pieces {
    /// [`Pieces::tips`] as markup (the outline 7 px wide, the colours 5: a dot of radius 3 ringed).
    pub fn dots(&self) -> String {
        let mut s = String::new();
        for (i, (colour, d)) in self.tips.iter().enumerate() {
            if !d.is_empty() {
                let _ = write!(
                    s,
                    "<path d=\"{d}\" stroke=\"{colour}\" stroke-width=\"{}\" stroke-linecap=\"round\" fill=\"none\" pointer-events=\"none\"/>",
                    if i == 0 { 7 } else { 5 }
                );
            }
        }
        s
    }
}

/// The arrow in flight whose tip of `tips` ([`Pieces::flying`]) is nearest
/// the point (`x`, `y`), within 6 px; none farther.
pub fn tip_near(tips: &[(u64, f64, f64)], x: f64, y: f64) -> Option<u64> {
    let d = |t: &&(u64, f64, f64)| (t.1 - x) * (t.1 - x) + (t.2 - y) * (t.2 - y);
    tips.iter().filter(|t| d(t) <= 36.0).min_by(|a, b| d(a).total_cmp(&d(b))).map(|t| t.0)
}

/// The diagram `v` drawn with layout `l`, `height` px high, as a whole SVG
/// document with `title` at its top.
pub fn svg(v: &Visible, l: &Layout, height: f64, title: &str) -> String {
    document(&pieces(v, l, height, title, 0, &[], false), l, height)
}

/// [`Pieces`] put together as a whole SVG document (as the file has it:
/// the arrows in flight stop at "now" with their tip).
pub fn document(p: &Pieces, l: &Layout, height: f64) -> String {
    let (w, h) = (num(l.width), num(height));
    let mut s = String::with_capacity(
        p.under.len()
            + p.marks.iter().map(|m| m.1.len()).sum::<usize>()
            + p.chunks.iter().map(|c| c.arrows.iter().map(|a| a.1.len()).sum::<usize>() + 40).sum::<usize>()
            + 1000,
    );
    let _ = write!(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONTS}\" font-size=\"11\">\n{}", p.under);
    let anchor = shift(l, p.anchor);
    let _ = write!(s, "<g transform=\"translate(0 {anchor})\">\n{}</g>\n", p.ticks);
    for c in &p.chunks {
        let _ = writeln!(s, "<g transform=\"translate(0 {})\">", c.dy(l));
        for a in &c.arrows {
            s.push_str(&a.1);
        }
        s.push_str("</g>\n");
    }
    let _ = writeln!(s, "{}<g transform=\"translate(0 {anchor})\">", p.dots());
    for m in &p.marks {
        s.push_str(&m.1);
    }
    let _ = write!(s, "</g>\n{}", p.over);
    if let Some(now) = p.now {
        let _ = writeln!(
            s,
            "<g transform=\"translate(0 {})\">{}<text x=\"{}\" dy=\"-3\" text-anchor=\"end\" fill=\"#d00000\" font-size=\"10\">now {now} ms</text></g>",
            num(l.y(now)),
            now_line(l),
            num(l.width - 4.0)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// A fingerprint of what an arrow's markup is drawn from (besides the layout).
fn print(a: &Arrow) -> u64 {
    let end = match a.end {
        End::InFlight => 1,
        End::Delivered => 2,
        End::Lost(c) => 3 + c as u64,
    };
    fnv(0, a.id ^ a.ended_at.rotate_left(24) ^ a.term.rotate_left(48) ^ a.arrive_at.rotate_left(12) ^ end << 60)
}

/// The diagram `v` drawn with layout `l`, `height` px high, in [`Pieces`]:
/// the chunks whose arrows, layout and `salt` (what else decides their look)
/// are those of one in `old` keep it (the page compares the markup of the
/// arrows of one drawn again, arrow by arrow). For the `page`, the arrows in flight are drawn to their arrival
/// (without their tip: see [`Chunk`]); for the file, to "now".
pub fn pieces(v: &Visible, l: &Layout, height: f64, title: &str, salt: u64, old: &[Chunk], page: bool) -> Pieces {
    let w = l.width;
    let span = chunk_span(l);
    let anchor = v.window.from / span * span;
    let at = Layout { top: anchor, ..*l };
    let mut s = String::with_capacity(4096);
    // Each part in one group: the page puts each in place as one node, not node by node.
    let _ = writeln!(s, "<title>{}</title>\n<g><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>", escape(title));
    let bottom = height - 4.0;
    // Spans under everything.
    for sp in &v.spans {
        let Some(i) = lane_index(&v.lanes, sp.lane) else { continue };
        let y1 = l.y(sp.from).max(l.header);
        let y2 = l.y(sp.to.unwrap_or(v.now)).min(bottom);
        if y2 <= y1 {
            continue;
        }
        let (fill, op) = match sp.kind {
            SpanKind::Down => ("#9ca3af", 0.25),
            SpanKind::Disconnected => ("#d55e00", 0.16),
            SpanKind::Partitioned(g) => (if g % 2 == 0 { "#0072b2" } else { "#e69f00" }, 0.14),
        };
        let _ = writeln!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"22\" height=\"{}\" fill=\"{fill}\" fill-opacity=\"{}\"/>",
            num(l.lane_x(i) - 11.0),
            num(y1),
            num(y2 - y1),
            fixed(op, 2)
        );
    }
    // Lanes and their headers; a crashed stretch is dashed.
    for (i, lane) in v.lanes.iter().enumerate() {
        let x = num(l.lane_x(i));
        let _ = writeln!(
            s,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#9ca3af\" stroke-width=\"1\"/>",
            num(l.header),
            num(bottom)
        );
        for sp in v.spans.iter().filter(|sp| sp.lane == *lane && sp.kind == SpanKind::Down) {
            let y1 = l.y(sp.from).max(l.header);
            let y2 = l.y(sp.to.unwrap_or(v.now)).min(bottom);
            if y2 > y1 {
                let _ = writeln!(s, "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#ffffff\" stroke-width=\"2\" stroke-dasharray=\"4 4\"/>", num(y1), num(y2));
            }
        }
    }
    s.push_str("</g>\n");
    let under = std::mem::take(&mut s);
    // The time axis (from the anchor): a tick every so many ms, about every 80 px.
    let step = tick_step(l.ms_per_px * 80.0);
    // (None within 8 px of the top, where the lane names' band would cut its label.)
    let mut t = (v.window.from + (l.ms_per_px * 8.0) as u64).div_ceil(step) * step;
    while t <= v.window.to {
        let y = num(at.y(t));
        let _ = writeln!(
            s,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#e5e7eb\"/><text x=\"4\" y=\"{y}\" dy=\"4\" fill=\"#4b5563\" font-size=\"10\">{} ms</text>",
            num(l.gutter - 6.0),
            num(w),
            t
        );
        t += step;
    }
    let ticks = std::mem::take(&mut s);
    // Arrows in chunks by the time they were sent, the settled ones first.
    // (A short list kept in order by hand: about 9 chunks, and no map's code on the page.)
    let mut by_start: Vec<((bool, u64), Vec<&Arrow>)> = Vec::new();
    let (mut tips, mut flying) = (vec![("#111", String::new())], Vec::new());
    for a in &v.arrows {
        let k = (a.end == End::InFlight, a.sent_at / span * span);
        let i = by_start.iter().position(|(o, _)| *o >= k).unwrap_or(by_start.len());
        if by_start.get(i).is_none_or(|(o, _)| *o != k) {
            by_start.insert(i, (k, Vec::new()));
        }
        by_start[i].1.push(a);
        if page && k.0 {
            let Some((.., x2, y2)) = arrow_line(a, &v.lanes, l, v.now) else { continue };
            let (dot, fill) = (format!("M{} {}h0", num(x2), num(y2)), term_hex(a.term));
            tips[0].1 += &dot;
            flying.push((a.id, x2, y2));
            match tips[1..].iter_mut().find(|p| p.0 == fill) {
                Some(p) => p.1 += &dot,
                None => tips.push((fill, dot)),
            }
        }
    }
    let look = [l.ms_per_px.to_bits(), l.width.to_bits() ^ l.lanes as u64, salt ^ (page as u64) << 63];
    let mut chunks = Vec::with_capacity(by_start.len());
    for ((flight, start), arrows) in by_start {
        let mut fold = arrows.len() as u64;
        for a in &arrows {
            fold = fnv(fold, print(a));
        }
        let key = [look[0], look[1], look[2], fold];
        if let Some(c) = old.iter().find(|c| (c.start, c.flight, c.key) == (start, flight, key)) {
            chunks.push(c.clone());
            continue;
        }
        let at = Layout { top: start, ..*l };
        // Drawn to "now" in the file; on the page, to its arrival.
        let now = if page && flight { u64::MAX } else { v.now };
        let mut drawn = Vec::with_capacity(arrows.len());
        for a in arrows {
            let mut m = String::with_capacity(200);
            arrow(&mut m, a, &v.lanes, &at, now);
            drawn.push((a.id, Rc::from(m)));
        }
        chunks.push(Chunk { start, flight, key, arrows: drawn });
    }
    // Marks (from the anchor): a dot on the lane and a label beside it (left
    // of the last lane, right of the others), pushed down below the lane's
    // previous label so that labels of nearby moments do not overlap.
    let mut label_bottom = vec![f64::MIN; v.lanes.len()];
    let font = num(l.mark_font());
    let mut marks: Vec<(u64, Rc<str>)> = Vec::with_capacity(v.marks.len());
    for m in &v.marks {
        let Some(i) = lane_index(&v.lanes, m.lane) else { continue };
        let (fill, ink) = mark_colours(m);
        let (x, y) = (l.lane_x(i), at.y(m.at));
        let ly = y.max(label_bottom[i] + 12.0);
        label_bottom[i] = ly;
        let last = i + 1 == v.lanes.len() && v.lanes.len() > 1;
        let (lx, anchor) = if last { (x - 7.0, "end") } else { (x + 7.0, "start") };
        // On the page, the mark's time and lane (the Diagram lights the marks of an event picked in the feed by them: `lit_style`).
        let at_attr = if page { format!(" data-m=\"{} {}\"", m.at, m.lane) } else { String::new() };
        s.clear();
        let _ = writeln!(
            s,
            "<circle{at_attr} cx=\"{}\" cy=\"{}\" r=\"4\" fill=\"{fill}\" stroke=\"#111\" stroke-width=\"0.8\"/><text x=\"{}\" y=\"{}\" dy=\"3.5\" text-anchor=\"{anchor}\" fill=\"{ink}\" font-size=\"{font}\" paint-order=\"stroke\" stroke=\"#ffffff\" stroke-width=\"3\">{}</text>",
            num(x),
            num(y),
            num(lx),
            num(ly),
            escape(&m.label())
        );
        // (Unique whatever the fingerprints: a key met already is moved on.)
        let mut key = fingerprint(s.as_bytes());
        while marks.iter().any(|o| o.0 == key) {
            key = key.wrapping_add(1);
        }
        marks.push((key, Rc::from(s.as_str())));
    }
    s.clear();
    // The lane names last, on a band of their own, so that arrows from
    // before the window's top do not run through them.
    let _ = writeln!(
        s,
        "<g><rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        num(w),
        num(l.header - 2.0)
    );
    for (i, lane) in v.lanes.iter().enumerate() {
        // On the page, a server's name hides its lane when clicked (the filter's `data-f`).
        let f = match lane {
            Addr::Node(n) if page => format!(" data-l=\"{}\"", SERVER_BIT as usize + n.index()),
            _ => String::new(),
        };
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"18\" text-anchor=\"middle\" font-weight=\"700\" font-size=\"13\" fill=\"#111\"{f}>{}</text>",
            num(l.lane_x(i)),
            escape(&lane_name(*lane))
        );
    }
    s.push_str("</g>\n");
    let over = std::mem::take(&mut s);
    let now = v.window.meets(v.now, v.now).then_some(v.now);
    Pieces { under, anchor, ticks, chunks, tips, flying, marks, over, now }
}

/// One arrow (its `<g data-id>` group: tooltip, line, and head, ✕ or tip) drawn with layout `l` at `now`.
#[inline(never)]
fn arrow(s: &mut String, a: &Arrow, lanes: &[Addr], l: &Layout, now: u64) {
    let Some((x1, y1, x2, y2)) = arrow_line(a, lanes, l, now) else { return };
    let (width, dash, op) = kind_stroke(a.kind);
    let colour = term_hex(a.term);
    let dash = if a.duplicate { "2 3" } else { dash };
    // How it ended, for its tooltip (and the page's note on an arrow clicked).
    let end = match a.end {
        End::Delivered => ("arrived", a.ended_at),
        End::Lost(cause) => (loss_word(cause), a.ended_at),
        End::InFlight => ("due", a.arrive_at),
    };
    let dash_attr = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
    let _ = write!(
        s,
        "<g data-id=\"{}\"><title>#{} {} {}→{} sent {} ms, {} at {} ms{}</title><line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"{}\" stroke-opacity=\"{}\"{dash_attr}/>",
        a.id,
        a.id,
        a.kind.name(),
        lane_name(a.from),
        lane_name(a.to),
        a.sent_at,
        end.0,
        end.1,
        if a.duplicate { " (duplicate)" } else { "" },
        num(x1),
        num(y1),
        num(x2),
        num(y2),
        num(width),
        fixed(op, 2)
    );
    match a.end {
        End::Delivered => s.push_str(&head(x1, y1, x2, y2, colour, op)),
        End::Lost(cause) => {
            let _ = write!(
                s,
                "<path d=\"M{} {}l8 8m0 -8l-8 8\" stroke=\"#d00000\" stroke-width=\"2.4\" stroke-linecap=\"round\"><title>✕ {}</title></path>",
                num(x2 - 4.0),
                num(y2 - 4.0),
                loss_word(cause)
            );
        }
        // Its tip at "now"; none when drawn to its arrival (the page's tips are apart: see `Chunk`).
        End::InFlight if now < u64::MAX => {
            let _ =
                write!(s, "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"{colour}\" stroke=\"#111\"/>", num(x2), num(y2));
        }
        End::InFlight => {}
    }
    s.push_str("</g>\n");
}

/// An arrowhead at `(x2, y2)` pointing along the line from `(x1, y1)`.
fn head(x1: f64, y1: f64, x2: f64, y2: f64, colour: &str, op: f64) -> String {
    let (dx, dy) = (x2 - x1, y2 - y1);
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1.0 {
        return String::new();
    }
    let (ux, uy) = (dx / len, dy / len);
    let (bx, by) = (x2 - ux * 7.0, y2 - uy * 7.0);
    let (px, py) = (-uy * 3.5, ux * 3.5);
    format!(
        "<path d=\"M{} {}L{} {}L{} {}Z\" fill=\"{colour}\" fill-opacity=\"{}\"/>",
        num(x2),
        num(y2),
        num(bx + px),
        num(by + py),
        num(bx - px),
        num(by - py),
        fixed(op, 2)
    )
}

/// A round tick step (1, 2 or 5 times a power of ten ms) of at least `ms`.
pub fn tick_step(ms: f64) -> u64 {
    let mut step = 1u64;
    loop {
        for k in [1, 2, 5] {
            if (step * k) as f64 >= ms {
                return step * k;
            }
        }
        if step > 1_000_000_000 {
            return step;
        }
        step *= 10;
    }
}

/// The width a drawing of `lanes` lanes gets when nothing else decides it (px).
pub fn natural_width(lanes: usize) -> f64 {
    60.0 + 120.0 * lanes.max(1) as f64
}

/// The whole run of `c` (time 0 to now) as an SVG file, at least
/// `min_ms_per_px` ms per pixel and at most about 6000 px tall.
pub fn whole_run(c: &crate::sim::Cluster, filter: &super::diagram::Filter, title: &str) -> String {
    let r = super::diagram::Record::of(c);
    let ms_per_px = (c.now() as f64 / 6000.0).max(0.5);
    let v = r.visible(c, super::diagram::Window { from: 0, to: c.now() }, filter);
    let l = Layout::new(natural_width(v.lanes.len()), v.lanes.len(), 0, ms_per_px);
    svg(&v, &l, l.y(c.now()) + 24.0, title)
}
