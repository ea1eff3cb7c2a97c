//! The cluster as an SVG ring: servers, links, the client in the middle and
//! the messages in flight, plus the server menu and the message inspector.

use super::model::{Fate, Model, Op};
use super::store::Handle;
use super::theme::*;
use crate::raft::Body;
use crate::sim::{Action, Addr, Command, InFlight, LossCause, MessageKind, NodeId, Payload, Role, LOST_KEEP_MS};
use yew::prelude::*;

/// What a server looks like at one moment (everything its drawing depends on).
#[derive(Clone, PartialEq, Debug)]
pub struct ServerDraw {
    /// Its id.
    pub id: NodeId,
    /// Centre.
    pub x: f64,
    /// Centre.
    pub y: f64,
    /// Radius.
    pub r: f64,
    /// Angle from the ring's centre (for placing its label outside).
    pub angle: f64,
    /// Role.
    pub role: Role,
    /// Term.
    pub term: u64,
    /// Vote in this term.
    pub voted_for: Option<NodeId>,
    /// Running?
    pub up: bool,
    /// Disconnected?
    pub disconnected: bool,
    /// Partition group (0 = none).
    pub group: u32,
    /// Fraction of the election timer left (None: no timer running).
    pub timer_left: Option<f64>,
    /// As candidate: votes so far and votes needed.
    pub votes: Option<(usize, usize)>,
    /// Is its menu open?
    pub selected: bool,
    /// Is it handing leadership over?
    pub transferring: Option<NodeId>,
}

/// A message (in flight or just lost) as drawn.
#[derive(Clone, PartialEq, Debug)]
pub struct MessageDraw {
    /// Its id.
    pub id: u64,
    /// Kind.
    pub kind: MessageKind,
    /// Where it is now.
    pub x: f64,
    /// Where it is now.
    pub y: f64,
    /// The sender's term (0 for the client's messages).
    pub term: u64,
    /// For replies: success / granted / committed.
    pub ok: Option<bool>,
    /// For AppendEntries: how many entries.
    pub count: usize,
    /// A copy made by "duplicate".
    pub duplicate: bool,
    /// Lost: how faded (1 = just lost).
    pub lost: Option<f64>,
    /// Is it being inspected?
    pub inspected: bool,
    /// Its accessible name.
    pub label: String,
}

/// The ring's inputs at one moment.
#[derive(Clone, PartialEq, Debug)]
pub struct RingDraw {
    /// Servers.
    pub servers: Vec<ServerDraw>,
    /// Links between servers: (a, b, state).
    pub links: Vec<(usize, usize, LinkState)>,
    /// Links from the client to each server.
    pub client_links: Vec<LinkState>,
    /// Messages.
    pub messages: Vec<MessageDraw>,
    /// Whether a partition is in place.
    pub partitioned: bool,
}

/// How a link between two ends is drawn.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LinkState {
    /// Messages get through.
    Up,
    /// One end is crashed.
    Down,
    /// Cut by a partition or a disconnection.
    Cut,
}

fn ok_of(p: &Payload) -> Option<bool> {
    use crate::raft::ClientReply;
    match p {
        Payload::Raft(m) => match &m.body {
            Body::RequestVoteReply { granted } => Some(*granted),
            Body::AppendEntriesReply { success, .. } => Some(*success),
            _ => None,
        },
        Payload::ClientResponse { reply, .. } => Some(matches!(reply, ClientReply::Committed { .. })),
        Payload::ClientRequest { .. } => None,
    }
}

fn term_of(p: &Payload) -> u64 {
    match p {
        Payload::Raft(m) => m.term,
        _ => 0,
    }
}

fn count_of(p: &Payload) -> usize {
    match p {
        Payload::Raft(m) => match &m.body {
            Body::AppendEntries { entries, .. } => entries.len(),
            _ => 0,
        },
        _ => 0,
    }
}

/// Where a message is drawn at `progress`: on its lane (requests on one side
/// of the line between the two ends, replies on the other).
pub fn message_pos(m: &InFlight, progress: f64, n: usize) -> (f64, f64) {
    let ((ax, ay), ra) = endpoint(m.from, n);
    let ((bx, by), rb) = endpoint(m.to, n);
    let (dx, dy) = (bx - ax, by - ay);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    // The lane's side is fixed by the pair (lower end first), not by the direction.
    let flip = if lane_rank(m.from) < lane_rank(m.to) { 1.0 } else { -1.0 };
    let (nx, ny) = (-uy * flip, ux * flip);
    let side = if m.payload.is_reply() { -8.0 } else { 8.0 };
    let span = (len - ra - rb).max(0.0);
    let d = ra + span * progress.clamp(0.0, 1.0);
    (ax + ux * d + nx * side, ay + uy * d + ny * side)
}

/// The ring's inputs, read from the model.
pub fn ring_draw(m: &Model) -> RingDraw {
    let c = &m.cluster;
    let now = m.display_now();
    let n = c.servers().len();
    let r = server_radius(n);
    let majority = n / 2 + 1;
    let servers: Vec<ServerDraw> = c
        .servers()
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (x, y) = server_pos(i, n);
            let timer_left = s.election_timer().filter(|_| s.is_up()).map(|t| {
                let total = (t.deadline.saturating_sub(t.started)).max(1) as f64;
                ((t.deadline as f64 - now) / total).clamp(0.0, 1.0)
            });
            let votes = (s.is_up() && s.role() == Role::Candidate).then(|| (s.raft().votes().len(), majority));
            ServerDraw {
                id: s.id(),
                x,
                y,
                r,
                angle: angle(i, n),
                role: s.role(),
                term: s.term(),
                voted_for: s.voted_for(),
                up: s.is_up(),
                disconnected: s.is_disconnected(),
                group: s.group(),
                timer_left,
                votes,
                selected: m.selected == Some(s.id()),
                transferring: s.raft().transferring_to().filter(|_| s.is_up()),
            }
        })
        .collect();
    let mut links = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let (sa, sb) = (&c.servers()[a], &c.servers()[b]);
            let state = if !c.can_reach(Addr::Node(sa.id()), Addr::Node(sb.id())) {
                LinkState::Cut
            } else if !sa.is_up() || !sb.is_up() {
                LinkState::Down
            } else {
                LinkState::Up
            };
            links.push((a, b, state));
        }
    }
    let client_links = c
        .servers()
        .iter()
        .map(|s| {
            if !c.can_reach(Addr::Client, Addr::Node(s.id())) {
                LinkState::Cut
            } else if !s.is_up() {
                LinkState::Down
            } else {
                LinkState::Up
            }
        })
        .collect();
    let inspected = m.inspected.as_ref().map(|x| x.id);
    let mut messages: Vec<MessageDraw> = Vec::new();
    for l in c.lost_messages() {
        let age = (now - l.lost_at as f64).max(0.0);
        let fade = 1.0 - age / LOST_KEEP_MS as f64;
        if fade <= 0.0 {
            continue;
        }
        let (x, y) = message_pos(&l.message, l.progress, n);
        messages.push(MessageDraw {
            id: l.message.id,
            kind: l.message.payload.kind(),
            x,
            y,
            term: term_of(&l.message.payload),
            ok: ok_of(&l.message.payload),
            count: count_of(&l.message.payload),
            duplicate: l.message.duplicate,
            lost: Some(fade),
            inspected: false,
            label: format!("lost message #{}: {}", l.message.id, l.message.payload.summary()),
        });
    }
    for msg in c.messages() {
        let p = if msg.arrive_at <= msg.sent_at {
            1.0
        } else {
            ((now - msg.sent_at as f64) / (msg.arrive_at - msg.sent_at) as f64).clamp(0.0, 1.0)
        };
        let (x, y) = message_pos(msg, p, n);
        messages.push(MessageDraw {
            id: msg.id,
            kind: msg.payload.kind(),
            x,
            y,
            term: term_of(&msg.payload),
            ok: ok_of(&msg.payload),
            count: count_of(&msg.payload),
            duplicate: msg.duplicate,
            lost: None,
            inspected: inspected == Some(msg.id),
            label: format!("Message #{} {} → {}: {}. Inspect it", msg.id, msg.from, msg.to, msg.payload.summary()),
        });
    }
    RingDraw { servers, links, client_links, messages, partitioned: c.servers().iter().any(|s| s.group() != 0) }
}

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
    let role_word = if !s.up { "crashed" } else { role_word(s.role) };
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
    let (ca, sa) = (s.angle.cos(), s.angle.sin());
    let above = sa < -0.8;
    let (lx, ly) = if above { (0.0, -r - 44.0) } else { (0.0, r + 25.0) };
    let anchor = "middle";
    let mut line1 = role_word.to_string();
    if let Some((got, need)) = s.votes {
        line1 = format!("candidate {got}/{need}");
    }
    let line2 = if s.disconnected {
        "✂ disconnected".to_string()
    } else if let Some(t) = s.transferring {
        format!("→ handing to {t}")
    } else {
        match s.voted_for {
            Some(v) => format!("voted {v}"),
            None => "no vote yet".to_string(),
        }
    };
    let group = if s.group > 0 {
        let gx = if ca >= 0.0 { r * 0.8 } else { -r * 0.8 };
        html! { <g class="group-tag" transform={format!("translate({gx:.1} {:.1})", -r * 0.8)}>
            <rect x="-9" y="-9" width="18" height="18" rx="4" />
            <text y="4.5">{ group_letter(s.group) }</text>
        </g> }
    } else {
        html! {}
    };
    let aria = format!(
        "{id}: {}, term {}, {}. Open its menu",
        if s.up { role_word.to_string() } else { "crashed".into() },
        s.term,
        match s.voted_for {
            Some(v) => format!("voted for {v}"),
            None => "no vote".into(),
        }
    );
    html! {
        <g class={class} transform={format!("translate({:.1} {:.1})", s.x, s.y)} {onclick} {onkeydown}
            tabindex="0" role="button" aria-label={aria} data-server={id.0.to_string()}
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
            <text class="label" x={format!("{lx:.1}")} y={format!("{ly:.1}")} text-anchor={anchor}>
                <tspan class="label-role">{ line1 }</tspan>
                <tspan x={format!("{lx:.1}")} dy="14">{ line2 }</tspan>
            </text>
        </g>
    }
}

/// Two short ticks across the middle of a cut link, like a severed cable: "—/ /—".
pub fn cut_mark(ax: f64, ay: f64, bx: f64, by: f64) -> String {
    let (mx, my) = ((ax + bx) / 2.0, (ay + by) / 2.0);
    let len = ((bx - ax).powi(2) + (by - ay).powi(2)).sqrt().max(1.0);
    let (ux, uy) = ((bx - ax) / len, (by - ay) / len);
    // Ticks slanted across the link, 4 units either side of the middle.
    let (tx, ty) = (-uy * 7.0 + ux * 3.0, ux * 7.0 + uy * 3.0);
    let mut d = String::new();
    for k in [-4.0, 4.0] {
        let (cx, cy) = (mx + ux * k, my + uy * k);
        d.push_str(&format!("M{:.1},{:.1} L{:.1},{:.1} ", cx - tx, cy - ty, cx + tx, cy + ty));
    }
    d
}

/// "A", "B", "C"... for partition groups 1, 2, 3...
pub fn group_letter(g: u32) -> String {
    char::from_u32('A' as u32 + g.saturating_sub(1).min(25)).unwrap_or('?').to_string()
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
        MessageKind::VoteReply => html! { <>
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
        MessageKind::ClientRequest => html! {
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

/// The SVG canvas.
#[component]
pub fn Ring(props: &RingProps) -> Html {
    let d = &props.draw;
    let n = d.servers.len();
    let on_select = {
        let h = props.handle.clone();
        Callback::from(move |id: NodeId| h.send(Op::Select(Some(id))))
    };
    let on_inspect = {
        let h = props.handle.clone();
        Callback::from(move |id: u64| h.send(Op::Inspect(Some(id))))
    };
    let on_bg = {
        let h = props.handle.clone();
        Callback::from(move |_| h.send(Op::Escape))
    };
    let on_client = {
        let h = props.handle.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            h.send(Op::Tab(super::model::Tab::Client))
        })
    };
    let link_class = |s: LinkState| match s {
        LinkState::Up => "link",
        LinkState::Down => "link down",
        LinkState::Cut => "link cut",
    };
    let (cx, cy) = CENTRE;
    html! {
        <svg class="ring" viewBox={format!("0 0 {VIEW} {VIEW}")} preserveAspectRatio="xMidYMid meet"
            role="img" aria-label={format!("The cluster: {n} servers on a ring, the client in the middle, messages in flight")}
            onclick={on_bg}>
            <defs>
                <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <rect class="hatch-bg" width="6" height="6" />
                    <line class="hatch-line" x1="0" y1="0" x2="0" y2="6" />
                </pattern>
                <pattern id="stripes" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">
                    <line class="stripe-line" x1="0" y1="0" x2="0" y2="5" />
                </pattern>
            </defs>
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

/// The server menu's props.
#[derive(Properties, PartialEq)]
pub struct MenuProps {
    /// Where the clicks go.
    pub handle: Handle,
    /// The server.
    pub id: NodeId,
    /// Its drawing (position, role, state).
    pub s: ServerDraw,
    /// Whether some server leads (for "transfer leadership").
    pub leader: Option<NodeId>,
    /// The write the client panel would send.
    pub write: (String, i64),
}

/// The menu of a server: every fault and action that applies to it.
#[component]
pub fn ServerMenu(props: &MenuProps) -> Html {
    let id = props.id;
    let s = &props.s;
    let first = use_node_ref();
    {
        let first = first.clone();
        use_effect_with(id, move |_| {
            if let Some(el) = first.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let act = |a: Action| {
        let h = props.handle.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            h.send(Op::Sim(a.clone()))
        })
    };
    let close = {
        let h = props.handle.clone();
        Callback::from(move |_| h.send(Op::Select(None)))
    };
    let menu_ref = use_node_ref();
    let onkeydown = {
        let h = props.handle.clone();
        let menu_ref = menu_ref.clone();
        Callback::from(move |e: KeyboardEvent| {
            use super::focus::{move_focus, Move};
            let how = match e.key().as_str() {
                "Escape" => {
                    e.stop_propagation();
                    // Back to the server the menu belongs to.
                    super::focus::focus_server(id.0);
                    h.send(Op::Select(None));
                    return;
                }
                "ArrowDown" => Move::Next,
                "ArrowUp" => Move::Prev,
                "Home" => Move::First,
                "End" => Move::Last,
                _ => return,
            };
            e.prevent_default();
            if let Some(menu) = menu_ref.cast::<web_sys::Element>() {
                move_focus(&menu, "[role=\"menuitem\"]", how);
            }
        })
    };
    let left = s.x / VIEW * 100.0;
    let top = s.y / VIEW * 100.0;
    let side = if s.x > VIEW / 2.0 { "menu-left" } else { "menu-right" };
    let vert = if s.y > VIEW * 0.55 { "menu-up" } else { "menu-down" };
    let (k, v) = props.write.clone();
    let is_leader = s.up && s.role == Role::Leader;
    let crash_btn = if s.up {
        html! { <button role="menuitem" ref={first.clone()} onclick={act(Action::Crash { node: id })}
        title="Stop the server. Its term, vote and log are on disk and survive; everything else is lost.">
        <span class="ico">{"✕"}</span>{ format!("Crash {id}") }</button> }
    } else {
        html! { <button role="menuitem" ref={first.clone()} onclick={act(Action::Restart { node: id })}
        title="Start the server again from what it saved on disk, as a follower.">
        <span class="ico">{"↻"}</span>{ format!("Restart {id}") }</button> }
    };
    let net_btn = if s.disconnected {
        html! { <button role="menuitem" onclick={act(Action::Reconnect { node: id })} title="Plug the server back into the network.">
        <span class="ico">{"⇄"}</span>{ "Reconnect" }</button> }
    } else {
        html! { <button role="menuitem" onclick={act(Action::Disconnect { node: id })}
        title="Cut the server off from everyone: messages to and from it are lost.">
        <span class="ico">{"✂"}</span>{ "Disconnect" }</button> }
    };
    html! {
        <div class={classes!("menu", side, vert)} style={format!("left:{left:.2}%;top:{top:.2}%")} ref={menu_ref}
            role="menu" aria-label={format!("Actions on {id}")} data-menu-of={id.0.to_string()}
            {onkeydown} onclick={|e: MouseEvent| e.stop_propagation()}>
            <div class="menu-head">
                <strong>{ id.to_string() }</strong>
                <span class="muted">{ if s.up { role_word(s.role) } else { "crashed" } }{ format!(", term {}", s.term) }</span>
                <button class="x" onclick={close} aria-label="Close the menu" title="Close (Esc)">{"×"}</button>
            </div>
            { crash_btn }
            { net_btn }
            <button role="menuitem" disabled={!s.up} onclick={act(Action::Timeout { node: id })}
                title="Make its election timer run out now: it starts an election for the next term.">
                <span class="ico">{"◷"}</span>{ "Force election timeout" }</button>
            <button role="menuitem" disabled={!s.up || is_leader || props.leader.is_none()}
                onclick={act(Action::TransferLeadership { to: id })}
                title="Manual failover: the leader brings this server up to date, then tells it to start an election (TimeoutNow).">
                <span class="ico">{"♛"}</span>{ "Transfer leadership here" }</button>
            <button role="menuitem" onclick={act(Action::Write { command: Command::set(&k, v), to: Some(id) })}
                title="The simulated client sends this write to this server first (a follower redirects it to the leader).">
                <span class="ico">{"✎"}</span>{ format!("Client write {k} ← {v} here") }</button>
        </div>
    }
}

/// The inspector's props.
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// Where the clicks go.
    pub handle: Handle,
    /// The message as last seen.
    pub m: InFlight,
    /// What became of it.
    pub fate: Fate,
    /// Virtual time now.
    pub now: u64,
    /// Number of servers (to know where the message is drawn).
    pub n: usize,
}

/// One field of the inspector: name, value, and whether it takes a whole row.
type Field = (&'static str, String, bool);

fn fields(m: &InFlight) -> Vec<Field> {
    let pair = |k: &'static str, v: String| (k, v, false);
    let wide = |k: &'static str, v: String| (k, v, true);
    let mut rows = vec![
        wide("kind", kind_name(m.payload.kind()).to_string()),
        pair("from → to", format!("{} → {}", m.from, m.to)),
    ];
    match &m.payload {
        Payload::Raft(msg) => rows.push(pair("term", msg.term.to_string())),
        _ => rows.push(pair("term", "— (client)".into())),
    }
    rows.push(pair("sent at", format!("{} ms", m.sent_at)));
    rows.push(pair("arrives at", format!("{} ms", m.arrive_at)));
    match &m.payload {
        Payload::Raft(msg) => match &msg.body {
            Body::RequestVote { last_log_index, last_log_term, transfer } => {
                rows.push(pair("lastLogIndex", last_log_index.to_string()));
                rows.push(pair("lastLogTerm", last_log_term.to_string()));
                rows.push(wide("leadership transfer", if *transfer { "yes" } else { "no" }.into()));
            }
            Body::RequestVoteReply { granted } => {
                rows.push(wide("voteGranted", if *granted { "✓ yes" } else { "✗ no" }.into()))
            }
            Body::AppendEntries { prev_log_index, prev_log_term, entries, leader_commit } => {
                rows.push(pair("prevLogIndex", prev_log_index.to_string()));
                rows.push(pair("prevLogTerm", prev_log_term.to_string()));
                let es = if entries.is_empty() {
                    "none (a heartbeat)".to_string()
                } else {
                    entries
                        .iter()
                        .map(|e| format!("{}: {} (t{})", e.index, e.command, e.term))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                rows.push(pair("leaderCommit", leader_commit.to_string()));
                rows.push(wide("entries", es));
            }
            Body::AppendEntriesReply { success, match_index, prev_log_index, conflict_term, conflict_index } => {
                rows.push(pair("success", if *success { "✓ yes" } else { "✗ no" }.into()));
                rows.push(pair("matchIndex", match_index.to_string()));
                rows.push(wide("answers prevLogIndex", prev_log_index.to_string()));
                if !success {
                    rows.push(pair("conflictTerm", conflict_term.to_string()));
                    rows.push(pair("conflictIndex", conflict_index.to_string()));
                }
            }
            Body::TimeoutNow => rows.push(wide("meaning", "start an election now (leadership transfer)".into())),
        },
        Payload::ClientRequest { tag, command } => {
            rows.push(pair("write", format!("#{} {command}", tag.op)));
            rows.push(pair("attempt", tag.attempt.to_string()));
        }
        Payload::ClientResponse { tag, .. } => {
            rows.push(wide("answers write", format!("#{} (attempt {})", tag.op, tag.attempt)));
            rows.push(wide("answer", m.payload.summary()));
        }
    }
    if m.duplicate {
        rows.push(wide("copy", "yes (made by Duplicate)".into()));
    }
    rows
}

/// The inspector's size in the ring's units at a desktop size (about 270 x 215 px),
/// until it is measured.
const CARD: (f64, f64) = (258.0, 210.0);

/// The area shared by two boxes (x0, y0, x1, y1).
fn overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> f64 {
    let w = (a.2.min(b.2) - a.0.max(b.0)).max(0.0);
    let h = (a.3.min(b.3) - a.1.max(b.1)).max(0.0);
    w * h
}

/// The corner of the ring where the inspector hides the least: it must not
/// cover the message, and covers as little as it can of the servers (most
/// of all the message's two ends) and their labels; then it goes as far from
/// the message as it can.
/// `card` is the inspector's size in the ring's units.
pub fn dock_corner(m: &InFlight, progress: f64, n: usize, card: (f64, f64)) -> &'static str {
    let (mx, my) = message_pos(m, progress, n);
    let r = server_radius(n);
    let (w, h) = card;
    let corners = [
        ("dock-tl", (4.0, 4.0, 4.0 + w, 4.0 + h)),
        ("dock-tr", (VIEW - 4.0 - w, 4.0, VIEW - 4.0, 4.0 + h)),
        ("dock-bl", (4.0, VIEW - 4.0 - h, 4.0 + w, VIEW - 4.0)),
        ("dock-br", (VIEW - 4.0 - w, VIEW - 4.0 - h, VIEW - 4.0, VIEW - 4.0)),
    ];
    let cost = |rect: (f64, f64, f64, f64)| {
        let mut c = 0.0;
        for i in 0..n {
            let (x, y) = server_pos(i, n);
            let end = [m.from, m.to].contains(&Addr::Node(NodeId::from_index(i)));
            let weight = if end { 3.0 } else { 1.0 };
            c += weight * overlap(rect, (x - r - 8.0, y - r - 8.0, x + r + 8.0, y + r + 8.0));
            // The two-line label: under the server, or above it at the top of the ring.
            let above = angle(i, n).sin() < -0.8;
            let ly = if above { y - r - 58.0 } else { y + r + 12.0 };
            c += 0.3 * weight * overlap(rect, (x - 48.0, ly, x + 48.0, ly + 34.0));
        }
        let margin = 14.0;
        if overlap(rect, (mx - margin, my - margin, mx + margin, my + margin)) > 0.0 {
            c += 1e9;
        }
        let (cx, cy) = ((rect.0 + rect.2) / 2.0, (rect.1 + rect.3) / 2.0);
        // Farther is better, by a little: it only breaks near-ties.
        c - ((cx - mx).powi(2) + (cy - my).powi(2)).sqrt()
    };
    corners.iter().min_by(|a, b| cost(a.1).total_cmp(&cost(b.1))).map_or("dock-tl", |c| c.0)
}

/// Every field of one message, with Drop and Duplicate right under its title.
/// It docks in the corner of the ring where it hides the least ([`dock_corner`]).
#[component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let m = &props.m;
    let id = m.id;
    let act = |a: Action| {
        let h = props.handle.clone();
        Callback::from(move |_| h.send(Op::Sim(a.clone())))
    };
    let close = {
        let h = props.handle.clone();
        Callback::from(move |_| h.send(Op::Inspect(None)))
    };
    // Its size in the ring's units, measured once drawn (the ring is smaller on small screens).
    let section = use_node_ref();
    let card = use_state(|| CARD);
    {
        let (section, card) = (section.clone(), card.clone());
        use_effect(move || {
            let Some(el) = section.cast::<web_sys::HtmlElement>() else { return };
            let Some(ring) = el.parent_element() else { return };
            let width = ring.client_width() as f64;
            if width > 0.0 {
                let k = VIEW / width;
                let size = (el.offset_width() as f64 * k, el.offset_height() as f64 * k);
                if (size.0 - card.0).abs() > 4.0 || (size.1 - card.1).abs() > 4.0 {
                    card.set(size);
                }
            }
        });
    }
    let dock = dock_corner(m, m.progress(props.now), props.n, *card);
    let in_flight = props.fate == Fate::InFlight;
    let status = match props.fate {
        Fate::InFlight => format!("In flight, {:.0}% of the way.", m.progress(props.now) * 100.0),
        Fate::Arrived => match m.to {
            Addr::Client => format!("Arrived at the client at {} ms.", m.arrive_at),
            to => format!("Arrived at {to} at {} ms.", m.arrive_at),
        },
        Fate::Lost(LossCause::Dropped, at) => format!("Dropped by hand at {at} ms: the network lost it there."),
        Fate::Lost(LossCause::Random, at) => format!("Lost by the network at {at} ms (random loss)."),
        Fate::Lost(LossCause::Cut, at) => {
            format!("Lost at {at} ms: a partition or disconnection separates {} from {}.", m.from, m.to)
        }
        Fate::Lost(LossCause::ReceiverDown, at) => format!("Lost at {at} ms: {} was crashed when it arrived.", m.to),
        Fate::Unknown => "No longer in flight: it arrived or was lost.".to_string(),
    };
    html! {
        <section class={classes!("inspector", "card", dock)} ref={section} aria-label={format!("Message #{id}")} onclick={|e: MouseEvent| e.stop_propagation()}>
            <div class="menu-head">
                <strong>{ format!("Message #{id}") }</strong>
                <button class="x" onclick={close} aria-label="Close the inspector" title="Close (Esc)">{"×"}</button>
            </div>
            <div class="row-buttons">
                <button disabled={!in_flight} onclick={act(Action::DropMessage { id })}
                    title="The network loses this message where it is now.">{"✕ Drop"}</button>
                <button disabled={!in_flight} onclick={act(Action::DuplicateMessage { id })}
                    title="The sender's network sends a second copy now, with a fresh delay (Raft must cope).">{"⊕ Duplicate"}</button>
            </div>
            <p class="muted small status">{ status }</p>
            <dl class="fields">
                { for fields(m).into_iter().map(|(k, v, wide)| html! {
                    <div class={classes!("field", wide.then_some("wide"))}><dt>{ k }</dt><dd>{ v }</dd></div>
                }) }
            </dl>
        </section>
    }
}
