//! The cluster as an SVG ring: servers, links, the client in the middle and
//! the messages in flight, drawn from a [`RingDraw`] (see [`crate::view::ring`]).

use super::part::{part, Which};
use super::resize::measure_on_resize;
use super::store::Handle;
use super::{class_list, markup, use_effect_on, with_class, Esc};
use crate::decimal::fixed;
use crate::sim::{MessageKind, NodeId, Role};
use crate::view::geometry::{cut_mark, to_units, CENTRE, VIEW};
use crate::view::labels::TextSizes;
use crate::view::members::{Member, MEMBERSHIP};
use crate::view::model::{Op, Tab};
use crate::view::ring::{Line, LinkState, MessageDraw, RingDraw, ServerDraw};
use crate::view::theme::{group_letter, kind_name, term_fill_class};
use std::fmt::Write;
use wasm_bindgen::JsCast;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// A server's props: its drawing (without its timer: see [`server`]), the
/// text sizes and which of its two parts to draw.
#[derive(PartialEq)]
pub struct ServerProps {
    s: ServerDraw,
    text: TextSizes,
    /// The part over its timer arc, on the ring's upper layer (its pick badge
    /// and group tag), or the rest.
    top: bool,
}

/// `x` with one decimal as an attribute value. One out-of-line copy of the
/// conversion (formatting, `String`, `AttrValue`) for the ring's thirty-odd
/// coordinates, instead of `fixed(x, 1).to_string()` inlined at each.
#[inline(never)]
fn num(x: f64) -> AttrValue {
    fixed(x, 1).to_string().into()
}

/// `translate(x y)` with one decimal each, as an attribute value (one copy, see [`num`]).
#[inline(never)]
fn translate(x: f64, y: f64) -> AttrValue {
    format!("translate({} {})", fixed(x, 1), fixed(y, 1)).into()
}

/// What a server's menu offers, for its tooltip.
#[cfg(feature = "membership")]
const MENU_ITEMS: &str = "crash, disconnect, time out, transfer, write, remove";
#[cfg(not(feature = "membership"))]
const MENU_ITEMS: &str = "crash, disconnect, time out, transfer, write";

/// A candidate's hexagon of radius `r`, as `points`.
fn hexagon(r: f64) -> String {
    let (a, b, h) = (fixed(r, 1), fixed(r / 2.0, 1), fixed(r * 0.866_025_403_784_438_6, 1));
    format!("{a},0 {b},{h} -{b},{h} -{a},0 -{b},-{h} {b},-{h}")
}

/// One server: its group (place, state in attributes) drawn with the ring at
/// each frame, around its [`server_node`], drawn again only when it changes.
/// A click on it, or Enter or Space, reaches the ring's listeners (see [`ring`]).
fn server(s: &ServerDraw, text: TextSizes) -> Html {
    let id = s.id;
    let role_word = s.state_word();
    let on = |b: bool, name: &'static str| if b { name } else { "" };
    let role_class = format!("role-{role_word}");
    let class = class_list(&[
        "server",
        &role_class,
        on(s.selected, "selected"),
        on(s.disconnected, "disconnected"),
        on(s.lit, "lit"),
        match s.member {
            _ if !MEMBERSHIP => "",
            Member::Voter => "",
            Member::Learner => "learner",
            Member::Removed => "removed",
        },
    ]);
    let node = html! {
        <g key={id.0 as u64} transform={translate(s.x, s.y)}
            tabindex="0" role="button" aria-label={s.aria_label()} data-server={id.0.to_string()}
            data-role={role_word} data-member={MEMBERSHIP.then(|| s.member.word())} data-lit={s.lit.then_some("true")} data-picked={s.picked.then_some("true")}>
            { server_part(s, text, false) }
        </g>
    };
    with_class(node, class)
}

/// A server's part (see [`server_node`]), without its timer (which changes at every frame).
fn server_part(s: &ServerDraw, text: TextSizes, top: bool) -> Html {
    part(None, Which::Server(ServerProps { s: ServerDraw { timer_left: None, ..s.clone() }, text, top }))
}

/// A server on the ring's upper layer (see [`ring`]): its timer arc, which
/// drains from frame to frame, and what lies over it (faded with the
/// server when it is removed: the same rule of the style). Nothing in it
/// takes clicks.
fn server_top(s: &ServerDraw, text: TextSizes) -> Html {
    let r = num(s.r + 8.0);
    let arc = match s.timer_left {
        Some(left) => html! { <>
            <circle class="timer-track" r={r.clone()} />
            <circle class="timer" {r} pathLength="100"
                transform="rotate(-90)"
                stroke-dasharray={format!("{} 100", fixed(left * 100.0, 2))} />
        </> },
        None => html! {},
    };
    let node = html! {
        <g key={s.id.0 as u64} transform={translate(s.x, s.y)}>
            { arc }
            { server_part(s, text, true) }
        </g>
    };
    // (A string, not `html!`'s `class`: see `with_class`.)
    with_class(node, AttrValue::Static(if s.member == Member::Removed { "removed" } else { "" }))
}

/// One of a server's two parts: on the ring ([`server`]), its title, halo and
/// hit area (under its timer arc), its shape by role, fill by term, and the
/// words inside and outside the ring; on the upper layer ([`server_top`]),
/// over its timer arc, its pick badge and group tag (the ring keeps an
/// unseen copy of the tag, which takes the clicks and the pointer there).
/// Markup (nothing in it takes focus or clicks of its own: the server's group
/// does, drawn with the ring).
pub fn server_node(props: &ServerProps) -> Html {
    let s = &props.s;
    let r = s.r;
    let id = s.id;
    let role_word = s.role_word();
    let f = |x: f64| fixed(x, 1);
    let mut m = String::new();
    if !props.top {
        let _ = write!(
            m,
            r#"<title>{id} — {role_word}, term {}. Click for its menu ({MENU_ITEMS}).</title><circle class="halo" r="{}"/>"#,
            s.term,
            f(r + 14.0)
        );
        if s.lit {
            let _ = write!(m, r#"<circle class="lit-ring" r="{}"/>"#, (r + 15.0) as i64);
        }
        // What a click or a tap catches: the shape and its timer arc, and at least a 46-pixel disc.
        let _ = write!(m, r#"<circle class="hit" r="{}"/>"#, f((r + 10.0).max(23.0 / props.text.scale)));
        server_body(&mut m, s);
    } else if s.picked {
        // A server chosen for an answer: a tick (over the arc).
        let corner = (r * 0.72) as i64;
        let _ = write!(
            m,
            r#"<g class="pick-badge" transform="translate(-{corner} -{corner})"><circle r="10"/><path d="M-4.5,0 L-1.2,3.8 L4.8,-4"/></g>"#
        );
    }
    if s.group > 0 {
        let gx = if s.right { r * 0.8 } else { -r * 0.8 };
        let half = props.text.tag * 0.75;
        let _ = write!(
            m,
            r#"<g class="group-tag" transform="translate({} {})"><rect x="{}" y="{}" width="{}" height="{}" rx="4"/><text y="{}">{}</text></g>"#,
            f(gx),
            f(-r * 0.8),
            f(-half),
            f(-half),
            f(2.0 * half),
            f(2.0 * half),
            f(props.text.tag * 0.37),
            group_letter(s.group)
        );
    }
    if props.top {
        return markup(m);
    }
    // The label: under the server, or above it for the servers at the top of
    // the ring (above the crown); one line (its state) on a small ring.
    let (line1, line2) = s.caption();
    let lines = if props.text.compact { 1.0 } else { 2.0 };
    let size = props.text.label;
    let first = if s.label_above {
        // Its last line just above the crown (and never above the canvas).
        (-(r + 17.0) - (lines - 1.0) * 1.15 * size).max(0.78 * size + 1.0 - s.y)
    } else {
        r + 10.0 + 0.9 * size
    };
    let _ = write!(
        m,
        r#"<text class="label" y="{}" text-anchor="middle"><tspan class="label-role">{}</tspan>"#,
        f(first),
        Esc(&line1)
    );
    if !props.text.compact {
        let _ = write!(m, r#"<tspan x="0" dy="{}">{}</tspan>"#, f(1.15 * size), Esc(&line2));
    }
    m.push_str("</text>");
    markup(m)
}

/// A server's shape by role, fill by term, and the words inside it (see
/// [`server_node`]), as markup written on `m`.
fn server_body(m: &mut String, s: &ServerDraw) {
    let r = s.r;
    let id = s.id;
    let f = |x: f64| fixed(x, 1);
    let fill = if s.up { term_fill_class(s.term) } else { "down-fill".to_string() };
    let _ = match (s.up, s.role) {
        (true, Role::Candidate) => write!(m, r#"<polygon points="{}" class="body {fill}"/>"#, hexagon(r + 2.0)),
        (true, Role::Leader) => write!(
            m,
            r#"<circle r="{}" class="body {fill}"/><circle class="leader-ring" r="{}"/>"#,
            f(r + 1.0),
            f(r - 4.0)
        ),
        _ => write!(m, r#"<circle r="{}" class="body {fill}"/>"#, f(r)),
    };
    if s.up && s.role == Role::Leader {
        let _ = write!(
            m,
            r#"<path class="crown" transform="translate(0 {})" d="M-13,4 L-15,-9 L-7,-2 L0,-12 L7,-2 L15,-9 L13,4 Z"/>"#,
            f(-r - 4.0)
        );
    }
    if !s.up {
        let _ = write!(
            m,
            r#"<g class="crash-badge" transform="translate({} {})"><circle r="10"/><path class="crash-x" d="M-4.5,-4.5 L4.5,4.5 M-4.5,4.5 L4.5,-4.5"/></g>"#,
            f(r * 0.72),
            f(-r * 0.72)
        );
    }
    // A server chosen for an answer wears a ring (and a tick over the arc, on the upper
    // layer). (In whole units: no float formatting in new page code.)
    if s.picked {
        let _ = write!(m, r#"<circle class="pick-ring" r="{}"/>"#, (r + 15.0) as i64);
    }
    let inside = &s.inside;
    let _ = write!(
        m,
        r#"<text class="name" y="{}">{id}</text><text class="term" y="{}" style="font-size:{}px">{}</text>"#,
        f(inside.name_y),
        f(inside.term_y),
        f(inside.term_size),
        Esc(&inside.term_text)
    );
    if let Some((got, need)) = s.votes {
        let total = need.max(got);
        let w = 9.0;
        let x0 = -(total as f64 - 1.0) * w / 2.0;
        m.push_str(r#"<g class="votes">"#);
        for k in 0..total {
            let class = if k < got { "vote got" } else { "vote need" };
            let _ =
                write!(m, r#"<circle cx="{}" cy="{}" r="3.4" class="{class}"/>"#, f(x0 + k as f64 * w), f(r * 0.55));
        }
        m.push_str("</g>");
    }
}

/// A message's props: its drawing, but for where it is (see [`message`]).
#[derive(PartialEq)]
pub struct MessageProps {
    m: MessageDraw,
}

/// One message: its group (place, a lost one's fade, its state in
/// attributes) drawn with the ring at each frame; what is inside, a
/// [`message_glyph`], drawn again only when it changes, not as it moves.
/// A click anywhere near it inspects it (the ring's own handler: see [`ring`]).
fn message(m: &MessageDraw) -> Html {
    let key = m.id * 2 + m.lost.is_some() as u64;
    let kind = format!("k-{}", kind_name(m.kind));
    let transform = translate(m.x, m.y);
    let which =
        Which::Message(MessageProps { m: MessageDraw { x: 0.0, y: 0.0, lost: m.lost.map(|_| 0.0), ..m.clone() } });
    let inner = part(None, which);
    // A lost one fades, hidden from assistive technology; the others are
    // named, and the inspected message, and the one a click would inspect,
    // wear a ring; one a lesson points at, a band.
    let lost = m.lost.is_some();
    let marked = if lost {
        "lost"
    } else if m.inspected {
        "inspected"
    } else if m.hovered {
        "hovered"
    } else {
        ""
    };
    let node = html! {
        <g {key} {transform} opacity={m.lost.map(|fade| fixed(fade * 0.9, 2).to_string())} aria-hidden={lost.then_some("true")}
            role={(!lost).then_some("img")} aria-label={(!lost).then(|| m.label.clone())} data-message={(!lost).then(|| m.id.to_string())}>{ inner }</g>
    };
    with_class(node, class_list(&["msg", &kind, marked, if m.lit && !lost { "lit" } else { "" }]))
}

/// What is inside a message's group (see [`message`]): its shape says its
/// kind (see the legend). Markup (the ring takes its clicks).
pub fn message_glyph(props: &MessageProps) -> Html {
    let m = &props.m;
    let mut s = String::new();
    if m.lost.is_some() {
        glyph(&mut s, m.kind, m.term, m.ok, m.count, m.duplicate);
        s.push_str(r#"<path class="lost-x" d="M-7,-7 L7,7 M-7,7 L7,-7"/>"#);
        return markup(s);
    }
    // Its tooltip names its term: colours come round again after term 7.
    let _ = write!(s, "<title>{}</title>", Esc(&m.label));
    if m.lit {
        s.push_str(r#"<circle class="lit-ring" r="16"/>"#);
    }
    if m.inspected || m.hovered {
        s.push_str(r#"<circle class="mark-ring" r="15"/>"#);
    }
    glyph(&mut s, m.kind, m.term, m.ok, m.count, m.duplicate);
    markup(s)
}

/// The glyph of a message kind (also used by the legend), as markup written
/// on `s`. Its shape alone
/// tells the kind, without colour: the vote messages are circles (PreVote
/// with a ?, its reply smaller than a VoteReply), the append messages
/// rectangles, the client's triangles (a read with an R), TimeoutNow a
/// diamond with a bolt, InstallSnapshot a stack of rectangles (its reply a
/// stack's outline); requests are filled (AppendEntries with its number of
/// entries), heartbeats and replies are outlines, replies with ✓ or ✗ inside. An
/// outline is a line of its term's colour between two dark edges, visible on
/// any background and in any term's colour.
pub fn glyph(s: &mut String, kind: MessageKind, term: u64, ok: Option<bool>, count: usize, duplicate: bool) {
    let fill = if term == 0 { "client-fill".to_string() } else { term_fill_class(term) };
    let dup = if duplicate { " dup" } else { "" };
    // A filled shape, or an outline: the dark casing, then the coloured line on it.
    let (shape, outline, mark) = match kind {
        MessageKind::RequestVote | MessageKind::PreVote => (r#"circle r="8.5""#, false, None),
        MessageKind::VoteReply => (r#"circle r="8.5""#, true, Some("4")),
        MessageKind::PreVoteReply => (r#"circle r="6.5""#, true, Some("3.5")),
        MessageKind::AppendEntries => (r#"rect x="-11" y="-8" width="22" height="16" rx="2""#, false, None),
        MessageKind::Heartbeat => (r#"rect x="-8" y="-5.5" width="16" height="11" rx="1""#, true, None),
        MessageKind::AppendReply => (r#"rect x="-11" y="-7.5" width="22" height="15" rx="1""#, true, Some("4")),
        MessageKind::TimeoutNow => (r#"path d="M0,-12.5 L12.5,0 L0,12.5 L-12.5,0 Z""#, false, None),
        MessageKind::ClientRequest | MessageKind::ClientRead => (r#"path d="M0,-10 L9,7 L-9,7 Z""#, false, None),
        MessageKind::ClientReply => (r#"path d="M0,10 L10.5,-7.5 L-10.5,-7.5 Z""#, true, Some("0.5")),
        // A stack of entries: the leader's snapshot in place of the entries it
        // compacted (the two sheets behind are written just below).
        #[cfg(feature = "compaction")]
        MessageKind::InstallSnapshot => (r#"rect x="-13" y="-6" width="20" height="15" rx="2""#, false, None),
        #[cfg(feature = "compaction")]
        MessageKind::SnapshotReply => (r#"rect x="-11" y="-7.5" width="21" height="15" rx="1""#, true, Some("4")),
    };
    #[cfg(feature = "compaction")]
    match kind {
        MessageKind::InstallSnapshot => {
            for (x, y) in [("-7", "-12"), ("-10", "-9")] {
                let _ = write!(s, r#"<rect x="{x}" y="{y}" width="20" height="15" rx="2" class="g {fill}{dup}"/>"#);
            }
        }
        MessageKind::SnapshotReply => {
            let back = r#"path d="M-7,-9 L-7,-12 L13,-12 L13,3 L10,3""#;
            let _ = write!(s, r#"<{back} class="case"/><{back} class="g line {fill}{dup}"/>"#);
        }
        _ => {}
    }
    let _ = if outline {
        write!(s, r#"<{shape} class="case"/><{shape} class="g line {fill}{dup}"/>"#)
    } else {
        write!(s, r#"<{shape} class="g {fill}{dup}"/>"#)
    };
    let text = match kind {
        MessageKind::PreVote => r#"<text class="count" y="4">?</text>"#,
        MessageKind::TimeoutNow => r#"<path class="bolt" d="M2,-8 L-4,1.5 L0,1.5 L-2,8 L4,-1.5 L0,-1.5 Z"/>"#,
        MessageKind::ClientRead => r#"<text class="count" y="5">R</text>"#,
        _ => "",
    };
    s.push_str(text);
    if kind == MessageKind::AppendEntries {
        let _ = write!(s, r#"<text class="count" y="4">{count}</text>"#);
    }
    if let (Some(y), Some(ok)) = (mark, ok) {
        let _ = write!(s, r#"<text class="mark" y="{y}">{}</text>"#, if ok { "✓" } else { "✗" });
    }
}

/// The ring component's props: the handle and the drawing inputs.
#[derive(PartialEq)]
pub struct RingProps {
    /// Where the clicks go.
    pub handle: Handle,
    /// What to draw.
    pub draw: RingDraw,
}

/// The fill of crashed servers (hatched). Terms have colours only (see [`term_fill_class`]).
const PATTERNS: &str = concat!(
    r#"<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">"#,
    r#"<rect class="hatch-bg" width="6" height="6"></rect><line class="hatch-line" x1="0" y1="0" x2="0" y2="6"></line></pattern></defs>"#,
);

/// Where a pointer event happened, in the units of the ring `svg`. (Not
/// through the event's current target: Yew listens at the page's root.)
fn event_units(e: &MouseEvent, svg: &NodeRef) -> Option<(f64, f64)> {
    let svg = svg.cast::<web_sys::Element>()?;
    let r = svg.get_bounding_client_rect();
    to_units((r.left(), r.top(), r.width(), r.height()), e.client_x() as f64, e.client_y() as f64)
}

/// The element an event happened on, if it is inside one matching `selector`.
fn inside(e: &MouseEvent, selector: &str) -> Option<web_sys::Element> {
    let t: web_sys::Element = e.target()?.dyn_into().ok()?;
    t.closest(selector).ok().flatten()
}

/// Selecting the server an event happened on (it goes no further, as a
/// click on a server handled by the server itself did not).
fn on_server(e: &web_sys::Event) -> Option<Op> {
    let id = super::data_num(e, "[data-server]", "data-server")?;
    e.stop_propagation();
    Some(Op::Select(Some(NodeId(id as u8))))
}

/// Tells the model where the mouse pointer rests, and redraws only when that
/// reached or left a message.
fn point(h: &Handle, p: Option<(f64, f64)>) {
    let changed = h
        .try_write()
        .map(|mut m| {
            let before = (m.hovered, m.playing);
            let _ = m.apply(Op::Pointer(p));
            before != (m.hovered, m.playing)
        })
        .unwrap_or(false);
    if changed {
        h.redraw();
    }
}

/// Measures how many pixels one of the ring's units takes (when the ring
/// mounts and whenever the window changes size): the words are sized by it.
#[hook]
fn use_ring_scale(h: &Handle, svg: &NodeRef) {
    let (h, svg) = (h.clone(), svg.clone());
    use_effect_on(
        0,
        Box::new(move || {
            let measure = move || {
                let Some(el) = svg.cast::<web_sys::Element>() else { return };
                let r = el.get_bounding_client_rect();
                let side = r.width().min(r.height());
                if side > 0.0 {
                    let k = side / VIEW;
                    let old = h.try_read().map_or(k, |m| m.ring_scale);
                    if (k - old).abs() > 0.002 {
                        let _ = h.update(|m| m.ring_scale = k);
                    }
                }
            };
            measure_on_resize(measure)
        }),
    );
}

/// A link from edge to edge, as markup on `s` (nothing when the two ends touch).
fn line(s: &mut String, class: &str, l: Line) {
    use std::fmt::Write;
    if let Some(((x1, y1), (x2, y2))) = l {
        let f = |x| fixed(x, 1);
        let _ =
            write!(s, "<line class=\"{class}\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", f(x1), f(y1), f(x2), f(y2));
    }
}

/// The links' and the client box's props: what they are drawn from.
#[derive(PartialEq)]
pub struct LinksProps {
    /// Links between servers: (index a, index b, state, line).
    links: Vec<(usize, usize, LinkState, Line)>,
    /// The link from the client to each server.
    client_links: Vec<(LinkState, Line)>,
    /// Each server's centre (a cut link's mark goes between two).
    places: Vec<(f64, f64)>,
    /// The words' sizes (the client's box is sized by them).
    text: TextSizes,
    /// Whether the lesson's step points at the client.
    client_lit: bool,
}

/// The links between the servers and from the client, and the client's box
/// in the middle: a part of its own, drawn again only when a link's state,
/// a server's place, the words' size or the lesson's light on the client
/// changes (drawn with the ring, its forty-odd lines were built and compared
/// anew at every frame).
pub fn links(props: &LinksProps) -> Html {
    // The links as markup (one string: less page code than an element each;
    // nothing in them takes focus or clicks).
    let mut s = String::from("<g class=\"links\">");
    let places = &props.places;
    for &(a, b, state, l) in &props.links {
        let class = match state {
            LinkState::Up => "link",
            LinkState::Down => "link down",
            LinkState::Cut => "link cut",
        };
        line(&mut s, class, l);
        if state == LinkState::Cut {
            let ((ax, ay), (bx, by)) = (places[a], places[b]);
            s.push_str(&format!("<path class=\"cut-mark\" d=\"{}\"/>", cut_mark(ax, ay, bx, by)));
        }
    }
    for &(state, l) in &props.client_links {
        let class = match state {
            LinkState::Up => "link client-link",
            LinkState::Down => "link down client-link",
            LinkState::Cut => "link cut client-link",
        };
        line(&mut s, class, l);
    }
    s.push_str("</g>");
    // The client's box: markup too (the ring takes its clicks); a click or a
    // tap catches at least 46 pixels each way.
    let (cx, cy) = CENTRE;
    let t = &props.text;
    let (hw, hh) = t.client_box();
    let (hit_w, hit_h) = (hw.max(23.0 / t.scale), hh.max(23.0 / t.scale));
    let f = |x: f64| fixed(x, 1);
    let _ = write!(
        s,
        r#"<g class="client-box{}" transform="translate({} {})" role="button" tabindex="0" aria-label="The simulated client: open the client panel to write key ← value"><title>The simulated client. Open the Client panel to write key ← value.</title><rect class="hit" x="{}" y="{}" width="{}" height="{}"/><rect class="box" x="{}" y="{}" width="{}" height="{}" rx="8"/><text y="{}">Client</text></g>"#,
        if props.client_lit { " lit" } else { "" },
        f(cx),
        f(cy),
        f(-hit_w),
        f(-hit_h),
        f(2.0 * hit_w),
        f(2.0 * hit_h),
        f(-hw),
        f(-hh),
        f(2.0 * hw),
        f(2.0 * hh),
        f(t.client * 0.36)
    );
    markup(s)
}

/// The SVG canvas: the ring, and over it a second `svg` of the same box and
/// units with what changes at every frame (the messages and the timer arcs;
/// see the style: a layer of its own, which lets the pointer through but on
/// the messages). Clicks and the pointer are handled here, for the whole
/// ring: a click on a message inspects it, a click within reach of one the
/// nearest, a click elsewhere closes what is open, and the mouse pointer
/// resting on a message holds the clock (servers and the client take their
/// own clicks).
pub fn ring(ctx: &mut HookContext, props: &RingProps) -> Html {
    let d = &props.draw;
    let n = d.servers.len();
    let h = &props.handle;
    let svg_ref = crate::ui::use_node().run(ctx);
    use_ring_scale(h, &svg_ref).run(ctx);
    let on_click = {
        let svg = svg_ref.clone();
        h.on_event(move |e: MouseEvent| {
            if let Some(op) = on_server(&e) {
                return Some(op);
            }
            // The client opens the Client panel (and the click goes no further).
            if inside(&e, ".client-box").is_some() {
                e.stop_propagation();
                return Some(Op::Tab(Tab::Client));
            }
            let on_glyph = inside(&e, "[data-message]").and_then(|g| g.get_attribute("data-message")?.parse().ok());
            match on_glyph {
                Some(id) => Some(Op::Inspect(Some(id))),
                None => event_units(&e, &svg).map(|(x, y)| Op::ClickRing(x, y)),
            }
        })
    };
    // Enter or Space on a server (focused with Tab) opens its menu, as a click does.
    let on_key = h.on_event(|e: KeyboardEvent| match e.key().as_str() {
        "Enter" | " " => {
            let op = on_server(&e)?;
            e.prevent_default();
            Some(op)
        }
        _ => None,
    });
    let on_move = {
        let (h, svg) = (h.clone(), svg_ref.clone());
        Callback::from(move |e: PointerEvent| {
            // Touch has no hover: a tap inspects.
            if e.pointer_type() == "touch" {
                return;
            }
            let over_server = inside(&e, ".server, .client-box").is_some();
            point(&h, if over_server { None } else { event_units(&e, &svg) });
        })
    };
    let on_leave = {
        let h = h.clone();
        Callback::from(move |_: PointerEvent| point(&h, None))
    };
    let links = LinksProps {
        links: d.links.clone(),
        client_links: d.client_links.clone(),
        places: d.servers.iter().map(|s| (s.x, s.y)).collect(),
        text: d.text,
        client_lit: d.client_lit,
    };
    let t = &d.text;
    let style = format!(
        "--name:{}px;--label:{}px;--client:{}px;--tag:{}px",
        fixed(t.name, 1),
        fixed(t.label, 1),
        fixed(t.client, 1),
        fixed(t.tag, 1)
    );
    let class =
        AttrValue::Static(if d.messages.iter().any(|m| m.hovered) { "ring-box on-message" } else { "ring-box" });
    // Both `svg`s: the whole canvas (VIEW units each way), centred and scaled
    // to fit (`xMidYMid meet`, SVG's default: see `to_units`).
    const _: () = assert!(VIEW == 600.0);
    // What changes at every frame on a second `svg` over the first: the
    // browser rasters again only that layer, not the whole ring. Both in one
    // element (no box of its own) that takes the clicks, keys and pointer.
    // The messages on it are named for assistive technology; the arcs, pick
    // badges and group tags are hidden from it (the servers on the ring,
    // with their tags' unseen copies, say what there is).
    let svg = html! {
        <svg class="ring" viewBox="0 0 600 600" ref={svg_ref}
            role="img" aria-label={format!("The cluster: {n} servers on a ring, the client in the middle, messages in flight")}>
            { Html::from_html_unchecked(AttrValue::Static(PATTERNS)) }
            { part(None, Which::Links(links)) }
            { for d.servers.iter().map(|s| server(s, *t)) }
        </svg>
    };
    let top = html! {
        <svg class="ring" viewBox="0 0 600 600">
            <g aria-hidden="true">{ for d.servers.iter().map(|s| server_top(s, *t)) }</g>
            <g class="messages">{ for d.messages.iter().map(message) }</g>
        </svg>
    };
    let node = html! {
        <div {style} onclick={on_click} onkeydown={on_key} onpointermove={on_move} onpointerleave={on_leave}>
            { svg }
            { top }
        </div>
    };
    with_class(node, class)
}
