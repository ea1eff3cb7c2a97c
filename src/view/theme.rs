//! Colours and words shared by the page: term colours, the names of roles,
//! message kinds and events, and how times and speeds are written.
//!
//! Term colours come from the Okabe-Ito palette (safe for the common forms of
//! colour blindness); the CSS defines them as `--t0`..`--t6` for light and dark
//! themes. They come round again after [`TERM_COLOURS`] terms, as colours only:
//! never with a dash, a dot or a hatch, which are the looks of states
//! (disconnected, candidate, duplicate, crashed, not yet committed). Colour is
//! never the only cue: every term is also written as a number wherever colours
//! repeat (on each server, in each log cell, in a message's tooltip and
//! inspector), every role has its own shape and word.

use crate::decimal::fixed;
use crate::raft::Command;
use crate::sim::{EventKind, MessageKind, NodeId, Role};

/// Number of term colours before they repeat (term 8 has term 1's colour).
pub const TERM_COLOURS: u64 = 7;

/// The colour slot of a term (term 1 is slot 0).
pub fn term_slot(term: u64) -> u64 {
    term.saturating_sub(1) % TERM_COLOURS
}

/// CSS class that fills an SVG shape with a term's colour (`tf0`..`tf6`): the
/// colour alone, whichever round of the palette the term is in.
pub fn term_fill_class(term: u64) -> String {
    format!("tf{}", term_slot(term))
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

/// A message kind's one name, the same everywhere: the inspector, the
/// legend, `state()`, CSS classes (`k-VoteReply`), message summaries and
/// scripts (see [`MessageKind::name`]). What it means is [`kind_meaning`].
pub fn kind_name(kind: MessageKind) -> &'static str {
    kind.name()
}

/// What a message kind is, in a few words (after its name in the legend and the inspector).
pub fn kind_meaning(kind: MessageKind) -> &'static str {
    match kind {
        MessageKind::RequestVote => "a candidate asks for a vote",
        MessageKind::VoteReply => "the answer to RequestVote",
        MessageKind::PreVote => "would you vote for me in the next term? (pre-vote)",
        MessageKind::PreVoteReply => "the answer to PreVote",
        MessageKind::AppendEntries => "the leader sends log entries",
        MessageKind::Heartbeat => "an AppendEntries without entries",
        MessageKind::AppendReply => "the answer to AppendEntries or a Heartbeat",
        MessageKind::TimeoutNow => "start an election now (leadership transfer)",
        MessageKind::ClientRequest => "the client's write",
        MessageKind::ClientRead => "the client's read",
        MessageKind::ClientReply => "a server's answer to the client",
        #[cfg(feature = "compaction")]
        MessageKind::InstallSnapshot => "the leader sends its snapshot in place of entries it compacted",
        #[cfg(feature = "compaction")]
        MessageKind::SnapshotReply => "the answer to InstallSnapshot",
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
    format!("{} s", fixed(ms / 1000.0, 3))
}

/// A speed (virtual ms per real ms) as the speed control writes it: "real time", "40× slower".
pub fn speed_label(speed: f64) -> String {
    let slower = 1.0 / speed;
    if slower < 1.05 {
        "real time".to_string()
    } else if slower < 10.0 {
        format!("{}× slower", fixed(slower, 1))
    } else {
        format!("{}× slower", fixed(slower, 0))
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
        #[cfg(feature = "membership")]
        Command::Config { change } => change.to_string(),
    }
}
