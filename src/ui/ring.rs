//! The cluster as an SVG ring: servers, links, the client in the middle and
//! the messages in flight, drawn from a [`RingDraw`] (see [`crate::view::ring`]).

use super::store::Handle;
use crate::sim::{MessageKind, NodeId, Role};
use crate::view::geometry::{cut_mark, CENTRE, VIEW};
use crate::view::model::{Op, Tab};
use crate::view::ring::{LinkState, MessageDraw, RingDraw, ServerDraw};
use crate::view::theme::{group_letter, kind_id, term_fill_class};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
struct ServerProps {
    s: ServerDraw,
    on_select: Callback<NodeId>,
}

fn hexagon(r: f64) -> String {
    (0..6)
        .map(|k| {
            let a = std::f64::consts::TAU * k as f64 / 6.0;
            format!("{:.1},{:.1}", r * a.cos(), r * a.sin())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One server: shape by role, fill by term, timer arc, label outside the ring.
#[component]
fn ServerNode(props: &ServerProps) -> Html {
    let s = &props.s;
    let r = s.r;
    let id = s.id;
    let onclick = {
        let cb = props.on_select.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            cb.emit(id)
        })
    };
    let onkeydown = {
        let cb = props.on_select.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                e.stop_propagation();
                cb.emit(id)
            }
        })
    };
    let role_word = s.state_word();
    let fill = if s.up { term_fill_class(s.term) } else { "down-fill".to_string() };
    let mut class = classes!("server", format!("role-{}", role_word));
    if s.selected {
        class.push("selected");
    }
    if s.disconnected {
        class.push("disconnected");
    }
    let body = match (s.up, s.role) {
        (true, Role::Candidate) => html! {
            <polygon class={classes!("body", fill.clone())} points={hexagon(r + 2.0)} />
        },
        (true, Role::Leader) => html! { <>
            <circle class={classes!("body", fill.clone())} r={(r + 1.0).to_string()} />
            <circle class="leader-ring" r={(r - 4.0).to_string()} />
        </> },
        _ => html! { <circle class={classes!("body", fill.clone())} r={r.to_string()} /> },
    };
    let arc = match s.timer_left {
        Some(left) => html! { <>
            <circle class="timer-track" r={(r + 8.0).to_string()} />
            <circle class="timer" r={(r + 8.0).to_string()} pathLength="100"
                transform="rotate(-90)"
                stroke-dasharray={format!("{:.2} 100", left * 100.0)} />
        </> },
        None => html! {},
    };
    let crown = if s.up && s.role == Role::Leader {
        let y = -r - 4.0;
        html! {
            <path class="crown" transform={format!("translate(0 {y:.1})")}
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
                { for (0..total).map(|k| html! {
                    <circle cx={format!("{:.1}", x0 + k as f64 * w)} cy={format!("{:.1}", r * 0.55)} r="3.4"
                        class={if k < got { "vote got" } else { "vote need" }} />
                }) }
            </g> }
        }
        None => html! {},
    };
    let cross = if !s.up {
        let (bx, by) = (r * 0.72, -r * 0.72);
        html! { <g class="crash-badge" transform={format!("translate({bx:.1} {by:.1})")}>
            <circle r="10" />
            <path class="crash-x" d="M-4.5,-4.5 L4.5,4.5 M-4.5,4.5 L4.5,-4.5" />
        </g> }
    } else {
        html! {}
    };
    // The label: under the server, or above it for the servers at the top of the ring.
    let (lx, ly) = if s.label_above { (0.0, -r - 44.0) } else { (0.0, r + 25.0) };
    let (line1, line2) = s.caption();
    let group = if s.group > 0 {
        let gx = if s.right { r * 0.8 } else { -r * 0.8 };
        html! { <g class="group-tag" transform={format!("translate({gx:.1} {:.1})", -r * 0.8)}>
            <rect x="-9" y="-9" width="18" height="18" rx="4" />
            <text y="4.5">{ group_letter(s.group) }</text>
        </g> }
    } else {
        html! {}
    };
    html! {
        <g class={class} transform={format!("translate({:.1} {:.1})", s.x, s.y)} {onclick} {onkeydown}
            tabindex="0" role="button" aria-label={s.aria_label()} data-server={id.0.to_string()}
            data-role={role_word}>
            <title>{ format!("{id} — {role_word}, term {}. Click for its menu (crash, disconnect, time out, transfer, write).", s.term) }</title>
            <circle class="halo" r={(r + 14.0).to_string()} />
            { arc }
            { body }
            { crown }
            { cross }
            <text class="name" y={if s.votes.is_some() { "-3" } else { "1" }}>{ id.to_string() }</text>
            <text class="term" y={if s.votes.is_some() { "12" } else { "17" }}>{ format!("term {}", s.term) }</text>
            { dots }
            { group }
            <text class="label" x={format!("{lx:.1}")} y={format!("{ly:.1}")} text-anchor="middle">
                <tspan class="label-role">{ line1 }</tspan>
                <tspan x={format!("{lx:.1}")} dy="14">{ line2 }</tspan>
            </text>
        </g>
    }
}

#[derive(Properties, PartialEq)]
struct MessageProps {
    m: MessageDraw,
    on_inspect: Callback<u64>,
}

/// One message: its shape says its kind (see the legend).
#[component]
fn MessageGlyph(props: &MessageProps) -> Html {
    let m = &props.m;
    let glyph = glyph(m.kind, m.term, m.ok, m.count, m.duplicate);
    let mut class = classes!("msg", format!("k-{}", kind_id(m.kind)));
    if m.inspected {
        class.push("inspected");
    }
    let transform = format!("translate({:.1} {:.1})", m.x, m.y);
    if let Some(fade) = m.lost {
        class.push("lost");
        return html! {
            <g class={class} {transform} opacity={format!("{:.2}", fade * 0.9)} aria-hidden="true">
                { glyph }
                <path class="lost-x" d="M-7,-7 L7,7 M-7,7 L7,-7" />
            </g>
        };
    }
    let id = m.id;
    let onclick = {
        let cb = props.on_inspect.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            cb.emit(id)
        })
    };
    let onkeydown = {
        let cb = props.on_inspect.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                cb.emit(id)
            }
        })
    };
    html! {
        <g class={class} {transform} {onclick} {onkeydown} role="button" tabindex="-1"
            aria-label={m.label.clone()} data-message={id.to_string()}>
            <circle class="hit" r="13" />
            { glyph }
        </g>
    }
}

/// The glyph of a message kind (also used by the legend).
pub fn glyph(kind: MessageKind, term: u64, ok: Option<bool>, count: usize, duplicate: bool) -> Html {
    let fill = if term == 0 { "client-fill".to_string() } else { term_fill_class(term) };
    let dup = if duplicate { " dup" } else { "" };
    let mark = |y: &str| match ok {
        Some(true) => html! { <text class="mark" y={y.to_string()}>{ "✓" }</text> },
        Some(false) => html! { <text class="mark" y={y.to_string()}>{ "✗" }</text> },
        None => html! {},
    };
    match kind {
        MessageKind::RequestVote => html! {
            <circle class={format!("g {fill}{dup}")} r="8" />
        },
        // Pre-vote: drawn like a vote, hollow, until the page gives it its own glyph.
        MessageKind::PreVote => html! {
            <circle class={format!("g hollow {fill}{dup}")} r="8" />
        },
        MessageKind::VoteReply | MessageKind::PreVoteReply => html! { <>
            <circle class={format!("g reply {fill}{dup}")} r="7" />
            { mark("3.5") }
        </> },
        MessageKind::AppendEntries => html! { <>
            <rect class={format!("g {fill}{dup}")} x="-11" y="-8" width="22" height="16" rx="2" />
            <text class="count" y="4">{ count.to_string() }</text>
        </> },
        MessageKind::Heartbeat => html! {
            <rect class={format!("g hollow {fill}{dup}")} x="-7" y="-5" width="14" height="10" rx="1.5" />
        },
        MessageKind::AppendReply => html! { <>
            <rect class={format!("g reply {fill}{dup}")} x="-8" y="-7" width="16" height="14" rx="7" />
            { mark("3.5") }
        </> },
        MessageKind::TimeoutNow => html! { <>
            <path class={format!("g {fill}{dup}")} d="M0,-11 L11,0 L0,11 L-11,0 Z" />
            <path class="bolt" d="M1.5,-6 L-3,1 L0,1 L-1.5,6 L3,-1 L0,-1 Z" />
        </> },
        MessageKind::ClientRequest | MessageKind::ClientRead => html! {
            <path class={format!("g {fill}{dup}")} d="M0,-10 L9,7 L-9,7 Z" />
        },
        MessageKind::ClientReply => html! { <>
            <path class={format!("g reply {fill}{dup}")} d="M0,9 L9,-7 L-9,-7 Z" />
            { mark("1") }
        </> },
    }
}

/// The ring component's props: the handle and the drawing inputs.
#[derive(Properties, PartialEq)]
pub struct RingProps {
    /// Where the clicks go.
    pub handle: Handle,
    /// What to draw.
    pub draw: RingDraw,
}

/// The fills of crashed servers (hatched) and of terms 8 and later (striped).
const PATTERNS: &str = concat!(
    r#"<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">"#,
    r#"<rect class="hatch-bg" width="6" height="6"></rect><line class="hatch-line" x1="0" y1="0" x2="0" y2="6"></line></pattern>"#,
    r#"<pattern id="stripes" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">"#,
    r#"<line class="stripe-line" x1="0" y1="0" x2="0" y2="5"></line></pattern></defs>"#,
);

/// The SVG canvas.
#[component]
pub fn Ring(props: &RingProps) -> Html {
    let d = &props.draw;
    let n = d.servers.len();
    let h = &props.handle;
    let on_select = h.on_event(|id: NodeId| Some(Op::Select(Some(id))));
    let on_inspect = h.on_event(|id: u64| Some(Op::Inspect(Some(id))));
    let on_client = h.on_event(|e: MouseEvent| {
        e.stop_propagation();
        Some(Op::Tab(Tab::Client))
    });
    let link_class = |s: LinkState| match s {
        LinkState::Up => "link",
        LinkState::Down => "link down",
        LinkState::Cut => "link cut",
    };
    let (cx, cy) = CENTRE;
    html! {
        <svg class="ring" viewBox={format!("0 0 {VIEW} {VIEW}")} preserveAspectRatio="xMidYMid meet"
            role="img" aria-label={format!("The cluster: {n} servers on a ring, the client in the middle, messages in flight")}
            onclick={h.on(Op::Escape)}>
            { Html::from_html_unchecked(AttrValue::Static(PATTERNS)) }
            <g class="links">
                { for d.links.iter().map(|&(a, b, s)| {
                    let (pa, pb) = (&d.servers[a], &d.servers[b]);
                    let cut = if s == LinkState::Cut {
                        html! { <path class="cut-mark" d={cut_mark(pa.x, pa.y, pb.x, pb.y)} /> }
                    } else { html! {} };
                    html! { <>
                        <line class={link_class(s)} x1={format!("{:.1}", pa.x)} y1={format!("{:.1}", pa.y)}
                            x2={format!("{:.1}", pb.x)} y2={format!("{:.1}", pb.y)} />
                        { cut }
                    </> }
                }) }
                { for d.client_links.iter().enumerate().map(|(i, &s)| {
                    let p = &d.servers[i];
                    html! { <line class={classes!(link_class(s), "client-link")} x1={format!("{cx:.1}")} y1={format!("{cy:.1}")}
                        x2={format!("{:.1}", p.x)} y2={format!("{:.1}", p.y)} /> }
                }) }
            </g>
            <g class="client-box" transform={format!("translate({cx:.1} {cy:.1})")} onclick={on_client}
                role="button" tabindex="0" aria-label="The simulated client: open the client panel to write key ← value">
                <title>{ "The simulated client. Open the Client panel to write key ← value." }</title>
                <rect x="-34" y="-15" width="68" height="30" rx="8" />
                <text y="5">{ "Client" }</text>
            </g>
            { for d.servers.iter().map(|s| html! {
                <ServerNode key={s.id.0 as u64} s={s.clone()} on_select={on_select.clone()} />
            }) }
            <g class="messages">
                { for d.messages.iter().map(|m| html! {
                    <MessageGlyph key={m.id * 2 + m.lost.is_some() as u64} m={m.clone()} on_inspect={on_inspect.clone()} />
                }) }
            </g>
        </svg>
    }
}
