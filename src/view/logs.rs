//! What the log grid draws ([`log_grid`]): one row per server, one column per
//! log index (the latest [`MAX_COLUMNS`]), each cell the entry stored there,
//! with each server's commit index and the leader's nextIndex / matchIndex for it.

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
