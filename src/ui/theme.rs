//! Colours, geometry and words shared by the components.
//!
//! Term colours come from the Okabe-Ito palette (safe for the common forms of
//! colour blindness); the CSS defines them as `--t0`..`--t6` for light and dark
//! themes. Colour is never the only cue: every term is also written as a number,
//! every role has its own shape and word.

use crate::sim::{Addr, MessageKind, NodeId, Role};

/// Number of term colours before they repeat (terms 8.. also get a stripe pattern).
pub const TERM_COLOURS: u64 = 7;

/// The colour slot of a term (term 1 is slot 0).
pub fn term_slot(term: u64) -> u64 {
    term.saturating_sub(1) % TERM_COLOURS
}

/// CSS class that fills an SVG shape with a term's colour (`tf0`..`tf6`), plus
/// `striped` for the second and later rounds of the palette.
pub fn term_fill_class(term: u64) -> String {
    let striped = term > TERM_COLOURS && (term - 1) / TERM_COLOURS % 2 == 1;
    format!("tf{}{}", term_slot(term), if striped { " striped" } else { "" })
}

/// CSS custom property value for an HTML element coloured by term.
pub fn term_var(term: u64) -> String {
    format!("--c: var(--t{}); --ink-on: var(--on-t{})", term_slot(term), term_slot(term))
}

/// The size of the ring's SVG canvas (a square).
pub const VIEW: f64 = 600.0;
/// The centre of the ring.
pub const CENTRE: (f64, f64) = (VIEW / 2.0, VIEW / 2.0 + 4.0);

/// The ring's radius for `n` servers.
pub fn ring_radius(n: usize) -> f64 {
    if n <= 5 {
        205.0
    } else {
        215.0
    }
}

/// A server's radius for `n` servers.
pub fn server_radius(n: usize) -> f64 {
    match n {
        0..=5 => 36.0,
        6..=7 => 32.0,
        _ => 28.0,
    }
}

/// The angle of server `i` of `n` (the first at the top, then clockwise).
pub fn angle(i: usize, n: usize) -> f64 {
    -std::f64::consts::FRAC_PI_2 + std::f64::consts::TAU * i as f64 / n.max(1) as f64
}

/// Where server `i` of `n` sits.
pub fn server_pos(i: usize, n: usize) -> (f64, f64) {
    let a = angle(i, n);
    let r = ring_radius(n);
    (CENTRE.0 + r * a.cos(), CENTRE.1 + r * a.sin())
}

/// Where an end of a message sits, and how far from that point a message starts (the shape's edge).
pub fn endpoint(addr: Addr, n: usize) -> ((f64, f64), f64) {
    match addr {
        Addr::Node(id) => (server_pos(id.index(), n), server_radius(n) + 3.0),
        Addr::Client => (CENTRE, 22.0),
    }
}

/// The lane key of an end: the client first, then S1, S2...
pub fn lane_rank(addr: Addr) -> u32 {
    match addr {
        Addr::Client => 0,
        Addr::Node(id) => id.0 as u32,
    }
}

/// The word for a role.
pub fn role_word(role: Role) -> &'static str {
    match role {
        Role::Follower => "follower",
        Role::Candidate => "candidate",
        Role::Leader => "leader",
    }
}

/// A message kind's name as the legend and the inspector give it.
pub fn kind_name(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::RequestVote => "RequestVote",
        MessageKind::VoteReply => "RequestVote reply",
        MessageKind::AppendEntries => "AppendEntries",
        MessageKind::Heartbeat => "Heartbeat (empty AppendEntries)",
        MessageKind::AppendReply => "AppendEntries reply",
        MessageKind::TimeoutNow => "TimeoutNow",
        MessageKind::ClientRequest => "Client write",
        MessageKind::ClientReply => "Reply to the client",
    }
}

/// A short stable name for a message kind (`state()` and CSS classes).
pub fn kind_id(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::RequestVote => "RequestVote",
        MessageKind::VoteReply => "VoteReply",
        MessageKind::AppendEntries => "AppendEntries",
        MessageKind::Heartbeat => "Heartbeat",
        MessageKind::AppendReply => "AppendReply",
        MessageKind::TimeoutNow => "TimeoutNow",
        MessageKind::ClientRequest => "ClientRequest",
        MessageKind::ClientReply => "ClientReply",
    }
}

/// "S3", or "—" for nobody.
pub fn who(id: Option<NodeId>) -> String {
    id.map_or_else(|| "—".to_string(), |i| i.to_string())
}

/// Virtual milliseconds as "1.234 s".
pub fn secs(ms: f64) -> String {
    format!("{:.3} s", ms / 1000.0)
}

/// A slowdown as the speed control shows it: "real time", "40× slower".
pub fn slowdown_label(s: f64) -> String {
    if s < 1.05 {
        "real time".to_string()
    } else if s < 10.0 {
        format!("{s:.1}× slower")
    } else {
        format!("{s:.0}× slower")
    }
}
