//! What the log grid draws ([`log_grid`]): one row per server, one column per
//! log index (the latest [`MAX_COLUMNS`]), each cell the entry stored there,
//! with each server's commit index and the leader's nextIndex / matchIndex for it.
//! With log compaction, a server's compacted prefix is one snapshot cell
//! spanning the columns of the indexes it replaced ([`SnapDraw`]).

use super::model::Model;
use super::theme::short_command;
use crate::sim::{NodeId, Role};

/// Columns drawn at most (older entries scroll away).
pub const MAX_COLUMNS: u64 = 40;

/// One log entry as the grid draws it.
#[derive(Clone, PartialEq, Debug)]
pub struct CellDraw {
    /// The term it was created in (its colour).
    pub term: u64,
    /// Its command, short ("x←3").
    pub cmd: String,
    /// Its command in full ("x ← 3"), for the tooltip.
    pub full: String,
    /// Whether the lesson's step points at it.
    pub lit: bool,
}

/// One server's row of the grid.
#[derive(Clone, PartialEq, Debug)]
pub struct RowDraw {
    /// The server.
    pub id: NodeId,
    /// Whether it runs.
    pub up: bool,
    /// Whether it runs and leads.
    pub leader: bool,
    /// Whether its menu is open.
    pub selected: bool,
    /// Whether the lesson's step points at the server.
    pub lit: bool,
    /// Its commit index.
    pub commit: u64,
    /// The leader's (nextIndex, matchIndex) for this server.
    pub progress: Option<(u64, u64)>,
    /// The entries at the grid's columns (`None`: no entry there).
    pub cells: Vec<Option<CellDraw>>,
    /// The index of the first column.
    pub first: u64,
    /// Its snapshot, if it has one (log compaction): drawn in place of the
    /// first [`SnapDraw::span`] cells, which are then `None`.
    #[cfg(feature = "compaction")]
    pub snapshot: Option<SnapDraw>,
}

/// A server's snapshot as the grid draws it: one cell for the compacted prefix.
#[cfg(feature = "compaction")]
#[derive(Clone, PartialEq, Debug)]
pub struct SnapDraw {
    /// The last included index.
    pub index: u64,
    /// The last included term (its colour).
    pub term: u64,
    /// How many of the grid's columns it covers, from the first (0: the
    /// snapshot ends before the first column).
    pub span: usize,
    /// Its text in the cell: "≤20 t3".
    pub text: String,
    /// Its tooltip: what it holds.
    pub title: String,
}

/// How many key-value pairs a snapshot's tooltip lists before "… and N more".
#[cfg(feature = "compaction")]
pub const SNAP_KEYS_SHOWN: usize = 8;

/// A snapshot's key-value store in a line: "x=3, y=-1, … and 4 more keys"
/// (the first [`SNAP_KEYS_SHOWN`] pairs, in key order), or "empty".
#[cfg(feature = "compaction")]
pub fn snapshot_kv(snap: &crate::raft::Snapshot) -> String {
    let mut text: Vec<String> = snap.kv.iter().take(SNAP_KEYS_SHOWN).map(|(k, v)| format!("{k}={v}")).collect();
    if snap.kv.len() > SNAP_KEYS_SHOWN {
        text.push(format!("… and {} more", snap.kv.len() - SNAP_KEYS_SHOWN));
    }
    if text.is_empty() {
        "empty".to_string()
    } else {
        text.join(", ")
    }
}

/// A snapshot's configuration in a line: "voters S1, S2, S3; learners S4".
#[cfg(all(feature = "compaction", feature = "membership"))]
pub fn snapshot_config(snap: &crate::raft::Snapshot) -> String {
    let names = |ids: &[NodeId]| ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
    let c = &snap.config;
    let mut text = format!("voters {}", names(&c.voters));
    if !c.learners.is_empty() {
        text += &format!("; learners {}", names(&c.learners));
    }
    if !c.removed.is_empty() {
        text += &format!("; removed {}", names(&c.removed));
    }
    text
}

/// Server `id`'s snapshot in a grid whose first column is index `first`.
#[cfg(feature = "compaction")]
pub fn snap_draw(id: NodeId, snap: &crate::raft::Snapshot, first: u64, columns: usize) -> Option<SnapDraw> {
    if snap.index == 0 {
        return None;
    }
    let span = (snap.index + 1).saturating_sub(first).min(columns as u64) as usize;
    let mut title = format!(
        "{id}'s snapshot: entries 1 to {} compacted into it (last included index {}, term {})\nkeys: {}",
        snap.index,
        snap.index,
        snap.term,
        snapshot_kv(snap)
    );
    if !snap.sessions.is_empty() {
        title += &format!("\nexactly-once table: {} client(s)", snap.sessions.len());
    }
    #[cfg(feature = "membership")]
    {
        title += &format!("\nconfiguration: {}", snapshot_config(snap));
    }
    Some(SnapDraw {
        index: snap.index, term: snap.term, span, text: format!("≤{} t{}", snap.index, snap.term), title
    })
}

/// The whole grid.
#[derive(Clone, PartialEq, Debug)]
pub struct LogGridDraw {
    /// The log indexes of the columns, oldest first.
    pub columns: Vec<u64>,
    /// One row per server, in id order.
    pub rows: Vec<RowDraw>,
    /// The highest last log index of any server (0: every log is empty; with log
    /// compaction, counting the entries its snapshot replaced).
    pub longest: u64,
}

/// The log grid, read from the model.
pub fn log_grid(m: &Model) -> LogGridDraw {
    let c = &m.cluster();
    let longest = c.servers().iter().map(|s| s.raft().last_index()).max().unwrap_or(0);
    let leader = c.leader().and_then(|l| c.node(l));
    // One column past the longest log when a follower's nextIndex points there.
    let next_max = leader
        .map(|l| c.servers().iter().filter_map(|s| l.progress(s.id())).map(|p| p.next_index).max().unwrap_or(0))
        .unwrap_or(0)
        .min(longest + 1);
    let last = longest.max(next_max).max(1);
    let first = last.saturating_sub(MAX_COLUMNS) + 1;
    let columns: Vec<u64> = (first..=last).collect();
    let lit = m.lessons.highlights(c.now());
    let rows = c
        .servers()
        .iter()
        .map(|s| {
            let id = s.id();
            let progress = leader.filter(|l| l.id() != id).and_then(|l| l.progress(id));
            RowDraw {
                id,
                up: s.is_up(),
                leader: s.is_up() && s.role() == Role::Leader,
                selected: m.selected == Some(id),
                lit: lit.iter().any(|h| h.covers_server(id)),
                commit: s.commit_index(),
                progress: progress.map(|p| (p.next_index, p.match_index)),
                #[cfg(feature = "compaction")]
                snapshot: snap_draw(id, s.raft().snapshot(), first, columns.len()),
                cells: columns
                    .iter()
                    .map(|&i| {
                        s.raft().entry(i).map(|e| CellDraw {
                            term: e.term,
                            cmd: short_command(&e.command),
                            full: e.command.to_string(),
                            lit: lit.iter().any(|h| h.covers_entry(id, i)),
                        })
                    })
                    .collect(),
                first,
            }
        })
        .collect();
    LogGridDraw { columns, rows, longest }
}
