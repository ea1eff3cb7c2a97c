//! The message inspector's content and place: every field of a message, a
//! sentence saying what became of it, and the corner of the ring where the
//! card hides the least ([`dock_corner`]).

use super::geometry::{label_above, message_pos, server_pos, server_radius, VIEW};
use super::model::Fate;
use super::theme::{kind_meaning, kind_name};
use crate::decimal::fixed;
use crate::raft::{Body, ClientReply};
use crate::sim::{Addr, InFlight, LossCause, NodeId, Payload};
use std::fmt::Write as _;

/// One field of the inspector: its name, its value, and whether it takes a whole row.
pub type Field = (&'static str, String, bool);

/// Every field of a message, in the order the inspector lists them.
pub fn fields(m: &InFlight) -> Vec<Field> {
    let pair = |k: &'static str, v: String| (k, v, false);
    let wide = |k: &'static str, v: String| (k, v, true);
    let mut rows = vec![
        wide("kind", format!("{}: {}", kind_name(m.payload.kind()), kind_meaning(m.payload.kind()))),
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
            Body::AppendEntries { prev_log_index, prev_log_term, entries, leader_commit, round } => {
                rows.push(pair("prevLogIndex", prev_log_index.to_string()));
                rows.push(pair("prevLogTerm", prev_log_term.to_string()));
                let mut es = String::new();
                for e in entries.iter() {
                    let _ =
                        write!(es, "{}{}: {} (t{})", if es.is_empty() { "" } else { ", " }, e.index, e.command, e.term);
                }
                if es.is_empty() {
                    es.push_str("none (a heartbeat)");
                }
                rows.push(pair("leaderCommit", leader_commit.to_string()));
                rows.push(pair("heartbeat round", round.to_string()));
                rows.push(wide("entries", es));
            }
            Body::AppendEntriesReply { success, match_index, prev_log_index, conflict_term, conflict_index, round } => {
                rows.push(pair("success", if *success { "✓ yes" } else { "✗ no" }.into()));
                rows.push(pair("matchIndex", match_index.to_string()));
                rows.push(pair("answers prevLogIndex", prev_log_index.to_string()));
                rows.push(pair("answers round", round.to_string()));
                if !success {
                    rows.push(pair("conflictTerm", conflict_term.to_string()));
                    rows.push(pair("conflictIndex", conflict_index.to_string()));
                }
            }
            Body::TimeoutNow => {}
            #[cfg(feature = "compaction")]
            Body::InstallSnapshot { snapshot, round } => {
                rows.push(pair("lastIncludedIndex", snapshot.index.to_string()));
                rows.push(pair("lastIncludedTerm", snapshot.term.to_string()));
                rows.push(pair("heartbeat round", round.to_string()));
                rows.push(pair("keys", snapshot.kv.len().to_string()));
                rows.push(wide("contents", super::logs::snapshot_kv(snapshot)));
                if !snapshot.sessions.is_empty() {
                    rows.push(wide("exactly-once table", format!("{} client(s)", snapshot.sessions.len())));
                }
                #[cfg(feature = "membership")]
                rows.push(wide("configuration", super::logs::snapshot_config(snapshot)));
            }
            #[cfg(feature = "compaction")]
            Body::InstallSnapshotReply { last_index, round } => {
                rows.push(pair("installed", if *last_index > 0 { "✓ yes" } else { "✗ no (stale term)" }.into()));
                rows.push(pair("matchIndex", last_index.to_string()));
                rows.push(pair("answers round", round.to_string()));
            }
            Body::PreVote { last_log_index, last_log_term } => {
                rows.push(pair("lastLogIndex", last_log_index.to_string()));
                rows.push(pair("lastLogTerm", last_log_term.to_string()));
            }
            Body::PreVoteReply { granted } => {
                rows.push(wide("would vote", if *granted { "✓ yes" } else { "✗ no" }.into()))
            }
        },
        Payload::ClientRequest { tag, command, id } => {
            rows.push(pair("write", format!("#{} {command}", tag.op)));
            rows.push(pair("attempt", tag.attempt.to_string()));
            if let Some(id) = id {
                rows.push(wide("client, sequence", format!("client {}, write #{}", id.client, id.seq)));
            }
        }
        Payload::ClientRead { tag, key } => {
            rows.push(pair("read", format!("#{} of {key}", tag.op)));
            rows.push(pair("attempt", tag.attempt.to_string()));
        }
        Payload::ClientResponse { tag, reply } => {
            let what = if matches!(reply, ClientReply::Read { .. }) { "answers read" } else { "answers write" };
            rows.push(wide(what, format!("#{} (attempt {})", tag.op, tag.attempt)));
            rows.push(wide("answer", m.payload.summary()));
        }
    }
    if m.duplicate {
        rows.push(wide("copy", "yes (made by Duplicate)".into()));
    }
    rows
}

/// What became of the message, in a sentence, at virtual time `now`.
pub fn status(m: &InFlight, fate: Fate, now: u64) -> String {
    match fate {
        Fate::InFlight => format!("In flight, {}% of the way.", fixed(m.progress(now) * 100.0, 0)),
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
    }
}

/// The inspector's size in the ring's units at a desktop size (about 270 x 215 px),
/// until it is measured.
pub const CARD: (f64, f64) = (258.0, 210.0);

/// A box: (left, top, right, bottom).
type Rect = (f64, f64, f64, f64);

/// The area shared by two boxes.
fn overlap(a: Rect, b: Rect) -> f64 {
    let w = (a.2.min(b.2) - a.0.max(b.0)).max(0.0);
    let h = (a.3.min(b.3) - a.1.max(b.1)).max(0.0);
    w * h
}

/// The corner of the ring (its CSS class, `dock-tl`, `dock-tr`, `dock-bl` or
/// `dock-br`) where the inspector hides the least: it must not cover the
/// message, and covers as little as it can of the servers (most of all the
/// message's two ends) and their labels; then it goes as far from the message
/// as it can. `card` is the inspector's size in the ring's units.
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
    let cost = |rect: Rect| {
        let mut c = 0.0;
        for i in 0..n {
            let (x, y) = server_pos(i, n);
            let end = [m.from, m.to].contains(&Addr::Node(NodeId::from_index(i)));
            let weight = if end { 3.0 } else { 1.0 };
            c += weight * overlap(rect, (x - r - 8.0, y - r - 8.0, x + r + 8.0, y + r + 8.0));
            // The two-line label: under the server, or above it at the top of the ring.
            let ly = if label_above(i, n) { y - r - 58.0 } else { y + r + 12.0 };
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
