//! Colours and words shared by the page: term colours, the names of roles,
//! message kinds and events, and how times and speeds are written.
//!
//! Term colours come from the Okabe-Ito palette (safe for the common forms of
//! colour blindness); the CSS defines them as `--t0`..`--t6` for light and dark
//! themes. Colour is never the only cue: every term is also written as a number,
//! every role has its own shape and word.

use crate::raft::Command;
use crate::sim::{EventKind, MessageKind, NodeId, Role};

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

/// The word for a role.
pub fn role_word(role: Role) -> &'static str {
    match role {
        Role::Follower => "follower",
        Role::Candidate => "candidate",
        Role::Leader => "leader",
    }
}

/// The word for a server's state: its role, or "crashed".
pub fn state_word(role: Role, up: bool) -> &'static str {
    if up {
        role_word(role)
    } else {
        "crashed"
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
        MessageKind::PreVote => "PreVote",
        MessageKind::PreVoteReply => "PreVote reply",
        MessageKind::ClientRead => "Client read",
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
        MessageKind::PreVote => "PreVote",
        MessageKind::PreVoteReply => "PreVoteReply",
        MessageKind::ClientRead => "ClientRead",
    }
}

/// Every kind of event, in the order the legend lists them.
pub const EVENT_KINDS: [EventKind; 11] = [
    EventKind::Start,
    EventKind::Election,
    EventKind::Replication,
    EventKind::Commit,
    EventKind::Client,
    EventKind::Fault,
    EventKind::Network,
    EventKind::Tamper,
    EventKind::Settings,
    EventKind::Transfer,
    EventKind::Violation,
];

/// What a kind of event covers (the legend's words).
pub fn event_meaning(k: EventKind) -> &'static str {
    match k {
        EventKind::Start => "servers starting: the cluster's start and restarts after a crash",
        EventKind::Election => "election timeouts, votes, new leaders, stepping down",
        EventKind::Replication => "entries appended, rejected, removed or retried",
        EventKind::Commit => "entries committed (stored on a majority)",
        EventKind::Client => "the client's writes: sent, redirected, retried, acknowledged, failed",
        EventKind::Fault => "a server crashed",
        EventKind::Network => "partitions, disconnections, heals",
        EventKind::Tamper => "a message dropped or duplicated by hand (from the inspector)",
        EventKind::Settings => "timing or loss changed while running (Setup)",
        EventKind::Transfer => "leadership transfer",
        EventKind::Violation => "a safety property broke",
    }
}

/// An event kind's icon and its CSS name (`ev-election`...).
pub fn event_icon(k: EventKind) -> (&'static str, &'static str) {
    match k {
        EventKind::Election => ("★", "election"),
        EventKind::Replication => ("≡", "replication"),
        EventKind::Commit => ("✓", "commit"),
        EventKind::Client => ("✎", "client"),
        EventKind::Start => ("↻", "start"),
        EventKind::Fault => ("✕", "fault"),
        EventKind::Network => ("✂", "network"),
        EventKind::Tamper => ("⊘", "tamper"),
        EventKind::Settings => ("⚙", "settings"),
        EventKind::Transfer => ("♛", "transfer"),
        EventKind::Violation => ("!", "violation"),
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

/// A speed (virtual ms per real ms) as the speed control writes it: "real time", "40× slower".
pub fn speed_label(speed: f64) -> String {
    let slower = 1.0 / speed;
    if slower < 1.05 {
        "real time".to_string()
    } else if slower < 10.0 {
        format!("{slower:.1}× slower")
    } else {
        format!("{slower:.0}× slower")
    }
}

/// "A", "B", "C"... for partition groups 1, 2, 3...
pub fn group_letter(g: u32) -> String {
    char::from_u32('A' as u32 + g.saturating_sub(1).min(25)).unwrap_or('?').to_string()
}

/// A command as a log cell writes it: "x←3", "no-op".
pub fn short_command(c: &Command) -> String {
    match c {
        Command::Set { key, value } => format!("{key}←{value}"),
        Command::Noop => "no-op".to_string(),
    }
}
