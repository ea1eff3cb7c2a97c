//! The cluster as an SVG ring: servers, links, the client in the middle and
//! the messages in flight, drawn from a [`RingDraw`] (see [`crate::view::ring`]).

use super::part::{part, Which};
use super::resize::measure_on_resize;
use super::store::Handle;
use super::{class_list, use_effect_on, with_class};
use crate::decimal::fixed;
use crate::sim::{MessageKind, NodeId, Role};
use crate::view::geometry::{cut_mark, sin_cos, to_units, CENTRE, VIEW};
use crate::view::labels::TextSizes;
use crate::view::members::{Member, MEMBERSHIP};
use crate::view::model::{Op, Tab};
use crate::view::ring::{Line, LinkState, MessageDraw, RingDraw, ServerDraw};
use crate::view::theme::{group_letter, kind_name, term_fill_class};
use wasm_bindgen::JsCast;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// A server's props: its drawing (without its timer: see [`server`]), the
/// text sizes and which of its two parts to draw.
#[derive(PartialEq)]
pub struct ServerProps {
    s: ServerDraw,
    text: TextSizes,
    /// The part under its timer arc (its title, halo and hit area), or the one over it.
    under: bool,
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

fn hexagon(r: f64) -> String {
    (0..6)
        .map(|k| {
            let (sin, cos) = sin_cos(std::f64::consts::TAU * k as f64 / 6.0);
            format!("{},{}", fixed(r * cos, 1), fixed(r * sin, 1))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One server: its group (place, state in attributes) drawn with the ring at
/// each frame, its timer arc (which drains from frame to frame) between its
/// two [`server_node`] parts, each drawn again only when it changes. A click
/// on it, or Enter or Space, reaches the ring's listeners (see [`ring`]).
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
    let r = s.r;
    let arc = match s.timer_left {
        Some(left) => html! { <>
            <circle class="timer-track" r={num(r + 8.0)} />
            <circle class="timer" r={num(r + 8.0)} pathLength="100"
                transform="rotate(-90)"
                stroke-dasharray={format!("{} 100", fixed(left * 100.0, 2))} />
        </> },
        None => html! {},
    };
    let part = |under: bool| {
        part(None, Which::Server(ServerProps { s: ServerDraw { timer_left: None, ..s.clone() }, text, under }))
    };
    let node = html! {
        <g key={id.0 as u64} transform={translate(s.x, s.y)}
            tabindex="0" role="button" aria-label={s.aria_label()} data-server={id.0.to_string()}
            data-role={role_word} data-member={MEMBERSHIP.then(|| s.member.word())} data-lit={s.lit.then_some("true")} data-picked={s.picked.then_some("true")}>
            { part(true) }
            { arc }
            { part(false) }
        </g>
    };
    with_class(node, class)
}

/// One of a server's two parts (see [`server`]): under its timer arc, its
/// title, halo and hit area; over it, its shape by role, fill by term, and
/// the words inside and outside the ring.
pub fn server_node(props: &ServerProps) -> Html {
    let s = &props.s;
    let r = s.r;
    let id = s.id;
    let role_word = s.role_word();
    if props.under {
        let lit = if s.lit {
            html! { <circle class="lit-ring" r={((r + 15.0) as i64).to_string()} /> }
        } else {
            html! {}
        };
        return html! { <>
            <title>{ format!("{id} — {role_word}, term {}. Click for its menu ({MENU_ITEMS}).", s.term) }</title>
            <circle class="halo" r={num(r + 14.0)} />
            { lit }
            // What a click or a tap catches: the shape and its timer arc, and at least a 46-pixel disc.
            <circle class="hit" r={num((r + 10.0).max(23.0 / props.text.scale))} />
        </> };
    }
    let fill = if s.up { term_fill_class(s.term) } else { "down-fill".to_string() };
    let body_class = AttrValue::from(format!("body {fill}"));
    let body = match (s.up, s.role) {
        (true, Role::Candidate) => with_class(html! { <polygon points={hexagon(r + 2.0)} /> }, body_class),
        (true, Role::Leader) => html! { <>
            { with_class(html! { <circle r={num(r + 1.0)} /> }, body_class) }
            <circle class="leader-ring" r={num(r - 4.0)} />
        </> },
        _ => with_class(html! { <circle r={num(r)} /> }, body_class),
    };
    let crown = if s.up && s.role == Role::Leader {
        let y = -r - 4.0;
        html! {
            <path class="crown" transform={format!("translate(0 {})", fixed(y, 1))}
                d="M-13,4 L-15,-9 L-7,-2 L0,-12 L7,-2 L15,-9 L13,4 Z" />
        }
    } else {
        html! {}
    };
    let dots = match s.votes {
        Some((got, need)) => {
            let total = need.max(got);
            let w = 9.0;
            let x0 = -(total as f64 - 1.0) * w / 2.0;
            html! { <g class="votes">
                { for (0..total).map(|k| with_class(
                    html! { <circle cx={num(x0 + k as f64 * w)} cy={num(r * 0.55)} r="3.4" /> },
                    AttrValue::Static(if k < got { "vote got" } else { "vote need" }),
                )) }
            </g> }
        }
        None => html! {},
    };
    let cross = if !s.up {
        let (bx, by) = (r * 0.72, -r * 0.72);
        html! { <g class="crash-badge" transform={translate(bx, by)}>
            <circle r="10" />
            <path class="crash-x" d="M-4.5,-4.5 L4.5,4.5 M-4.5,4.5 L4.5,-4.5" />
        </g> }
    } else {
        html! {}
    };
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
    let group = if s.group > 0 {
        let gx = if s.right { r * 0.8 } else { -r * 0.8 };
        let half = props.text.tag * 0.75;
        html! { <g class="group-tag" transform={translate(gx, -r * 0.8)}>
            <rect x={num(-half)} y={num(-half)} width={num(2.0 * half)}
                height={num(2.0 * half)} rx="4" />
            <text y={num(props.text.tag * 0.37)}>{ group_letter(s.group) }</text>
        </g> }
    } else {
        html! {}
    };
    let inside = &s.inside;
    // What a lesson's step points at wears a band (under the arc, above); a server chosen
    // for an answer, a ring and a tick. (In whole units: no float formatting in new page code.)
    let band = ((r + 15.0) as i64).to_string();
    let picked = if s.picked {
        let corner = (r * 0.72) as i64;
        html! { <>
            <circle class="pick-ring" r={band} />
            <g class="pick-badge" transform={format!("translate(-{corner} -{corner})")}><circle r="10" /><path d="M-4.5,0 L-1.2,3.8 L4.8,-4" /></g>
        </> }
    } else {
        html! {}
    };
    html! { <>
        { body }
        { crown }
        { cross }
        { picked }
        <text class="name" y={num(inside.name_y)}>{ id.to_string() }</text>
        <text class="term" y={num(inside.term_y)} style={format!("font-size:{}px", fixed(inside.term_size, 1))}>{ inside.term_text.clone() }</text>
        { dots }
        { group }
        <text class="label" y={num(first)} text-anchor="middle">
            <tspan class="label-role">{ line1 }</tspan>
            if !props.text.compact {
                <tspan x="0" dy={num(1.15 * size)}>{ line2 }</tspan>
            }
        </text>
    </> }
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
    if let Some(fade) = m.lost {
        let lost = html! {
            <g {key} {transform} opacity={fixed(fade * 0.9, 2).to_string()} aria-hidden="true">{ inner }</g>
        };
        return with_class(lost, class_list(&["msg", &kind, "lost"]));
    }
    // The inspected message, and the one a click would inspect, wear a ring; one a lesson points at, a band.
    let marked = if m.inspected {
        "inspected"
    } else if m.hovered {
        "hovered"
    } else {
        ""
    };
    let node = html! {
        <g {key} {transform} role="img" aria-label={m.label.clone()} data-message={m.id.to_string()}>{ inner }</g>
    };
    with_class(node, class_list(&["msg", &kind, marked, if m.lit { "lit" } else { "" }]))
}

/// What is inside a message's group (see [`message`]): its shape says its kind (see the legend).
pub fn message_glyph(props: &MessageProps) -> Html {
    let m = &props.m;
    let glyph = glyph(m.kind, m.term, m.ok, m.count, m.duplicate);
    if m.lost.is_some() {
        return html! { <>{ glyph }<path class="lost-x" d="M-7,-7 L7,7 M-7,7 L7,-7" /></> };
    }
    let ring = if m.inspected || m.hovered {
        html! { <circle class="mark-ring" r="15" /> }
    } else {
        html! {}
    };
    let lit = if m.lit {
        html! { <circle class="lit-ring" r="16" /> }
    } else {
        html! {}
    };
    html! { <>
        // Its tooltip names its term: colours come round again after term 7.
        <title>{ m.label.clone() }</title>
        { lit }
        { ring }
        { glyph }
    </> }
}

/// The glyph of a message kind (also used by the legend). Its shape alone
/// tells the kind, without colour: the vote messages are circles (PreVote
/// with a ?, its reply smaller than a VoteReply), the append messages
/// rectangles, the client's triangles (a read with an R), TimeoutNow a
/// diamond with a bolt, InstallSnapshot a stack of rectangles (its reply a
/// stack's outline); requests are filled (AppendEntries with its number of
/// entries), heartbeats and replies are outlines, replies with ✓ or ✗ inside. An
/// outline is a line of its term's colour between two dark edges, visible on
/// any background and in any term's colour.
pub fn glyph(kind: MessageKind, term: u64, ok: Option<bool>, count: usize, duplicate: bool) -> Html {
    let fill = if term == 0 { "client-fill".to_string() } else { term_fill_class(term) };
    let dup = if duplicate { " dup" } else { "" };
    let solid = AttrValue::from(format!("g {fill}{dup}"));
    let line = AttrValue::from(format!("g line {fill}{dup}"));
    let mark = |y: &str| match ok {
        Some(true) => html! { <text class="mark" y={y.to_string()}>{ "✓" }</text> },
        Some(false) => html! { <text class="mark" y={y.to_string()}>{ "✗" }</text> },
        None => html! {},
    };
    // An outline: the dark casing, then the coloured line on it.
    // (Each shape made twice: `with_class` sets the class of an element no one else holds.)
    let outline = |shape: &dyn Fn() -> Html| {
        html! { <>{ with_class(shape(), AttrValue::Static("case")) }{ with_class(shape(), line.clone()) }</> }
    };
    match kind {
        MessageKind::RequestVote => with_class(html! { <circle r="8.5" /> }, solid.clone()),
        MessageKind::PreVote => html! { <>
            { with_class(html! { <circle r="8.5" /> }, solid.clone()) }
            <text class="count" y="4">{ "?" }</text>
        </> },
        MessageKind::VoteReply => html! { <>
            { outline(&|| html! { <circle r="8.5" /> }) }
            { mark("4") }
        </> },
        MessageKind::PreVoteReply => html! { <>
            { outline(&|| html! { <circle r="6.5" /> }) }
            { mark("3.5") }
        </> },
        MessageKind::AppendEntries => html! { <>
            { with_class(html! { <rect x="-11" y="-8" width="22" height="16" rx="2" /> }, solid.clone()) }
            <text class="count" y="4">{ count.to_string() }</text>
        </> },
        MessageKind::Heartbeat => outline(&|| html! { <rect x="-8" y="-5.5" width="16" height="11" rx="1" /> }),
        MessageKind::AppendReply => html! { <>
            { outline(&|| html! { <rect x="-11" y="-7.5" width="22" height="15" rx="1" /> }) }
            { mark("4") }
        </> },
        MessageKind::TimeoutNow => html! { <>
            { with_class(html! { <path d="M0,-12.5 L12.5,0 L0,12.5 L-12.5,0 Z" /> }, solid.clone()) }
            <path class="bolt" d="M2,-8 L-4,1.5 L0,1.5 L-2,8 L4,-1.5 L0,-1.5 Z" />
        </> },
        MessageKind::ClientRequest => with_class(html! { <path d="M0,-10 L9,7 L-9,7 Z" /> }, solid.clone()),
        MessageKind::ClientRead => html! { <>
            { with_class(html! { <path d="M0,-10 L9,7 L-9,7 Z" /> }, solid.clone()) }
            <text class="count" y="5">{ "R" }</text>
        </> },
        MessageKind::ClientReply => html! { <>
            { outline(&|| html! { <path d="M0,10 L10.5,-7.5 L-10.5,-7.5 Z" /> }) }
            { mark("0.5") }
        </> },
        // A stack of entries: the leader's snapshot in place of the entries it compacted.
        #[cfg(feature = "compaction")]
        MessageKind::InstallSnapshot => html! { <>
            { with_class(html! { <rect x="-7" y="-12" width="20" height="15" rx="2" /> }, solid.clone()) }
            { with_class(html! { <rect x="-10" y="-9" width="20" height="15" rx="2" /> }, solid.clone()) }
            { with_class(html! { <rect x="-13" y="-6" width="20" height="15" rx="2" /> }, solid.clone()) }
        </> },
        #[cfg(feature = "compaction")]
        MessageKind::SnapshotReply => html! { <>
            { outline(&|| html! { <path d="M-7,-9 L-7,-12 L13,-12 L13,3 L10,3" /> }) }
            { outline(&|| html! { <rect x="-11" y="-7.5" width="21" height="15" rx="1" /> }) }
            { mark("4") }
        </> },
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
    let (cx, cy) = CENTRE;
    let t = &props.text;
    let (hw, hh) = t.client_box();
    let (hit_w, hit_h) = (hw.max(23.0 / t.scale), hh.max(23.0 / t.scale));
    html! { <>
        { Html::from_html_unchecked(s.into()) }
        { with_class(html! { <g transform={translate(cx, cy)}
            role="button" tabindex="0" aria-label="The simulated client: open the client panel to write key ← value">
            <title>{ "The simulated client. Open the Client panel to write key ← value." }</title>
            // A click or a tap catches at least 46 pixels each way.
            <rect class="hit" x={num(-hit_w)} y={num(-hit_h)} width={num(2.0 * hit_w)}
                height={num(2.0 * hit_h)} />
            <rect class="box" x={num(-hw)} y={num(-hh)} width={num(2.0 * hw)}
                height={num(2.0 * hh)} rx="8" />
            <text y={num(t.client * 0.36)}>{ "Client" }</text>
        </g> }, AttrValue::Static(if props.client_lit { "client-box lit" } else { "client-box" })) }
    </> }
}

/// The SVG canvas. Clicks and the pointer are handled here, for the whole
/// ring: a click within reach of a message inspects the nearest one, a
/// click elsewhere closes what is open, and the mouse pointer resting on a
/// message holds the clock (servers and the client take their own clicks).
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
    let class = if d.messages.iter().any(|m| m.hovered) { "ring on-message" } else { "ring" };
    let svg = html! {
        <svg viewBox={format!("0 0 {0} {0}", fixed(VIEW, 0))} preserveAspectRatio="xMidYMid meet" ref={svg_ref} {style}
            role="img" aria-label={format!("The cluster: {n} servers on a ring, the client in the middle, messages in flight")}
            onclick={on_click} onkeydown={on_key} onpointermove={on_move} onpointerleave={on_leave}>
            { Html::from_html_unchecked(AttrValue::Static(PATTERNS)) }
            { part(None, Which::Links(links)) }
            { for d.servers.iter().map(|s| server(s, *t)) }
            <g class="messages">{ for d.messages.iter().map(message) }</g>
        </svg>
    };
    with_class(svg, AttrValue::Static(class))
}
