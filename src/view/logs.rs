//! What the log grid draws ([`log_grid`]): one row per server, one column per
//! log index (the latest [`MAX_COLUMNS`]), each cell the entry stored there,
//! with each server's commit index and the leader's nextIndex / matchIndex for it.
//! With log compaction, a server's compacted prefix is one snapshot cell
//! spanning the columns of the indexes it replaced ([`SnapDraw`]).

use super::diagram_svg::Esc;
use super::model::Model;
use super::theme::{short_command, term_var};
use crate::sim::{NodeId, Role};
use std::fmt::Write as _;

/// Columns drawn at most (older entries scroll away).
pub const MAX_COLUMNS: u64 = 40;

/// The fewest columns drawn in a grid fitted to its width ([`columns_for`]).
pub const MIN_COLUMNS: u64 = 6;

/// The width of a column of the page's grid, in CSS pixels, at least (a
/// cell's 46 pixels, its padding and borders, the spacing: 64 on the page).
pub const COLUMN_PX: u32 = 56;

/// How many columns a grid `width` pixels wide draws: those that fit it and
/// two more to scroll back to (at least [`MIN_COLUMNS`], at most
/// [`MAX_COLUMNS`]; all of them when the width is not known yet, 0). Each
/// column drawn costs the page at every jump in time (a seek, a new run):
/// every cell then shows another entry and is written, laid out and painted
/// again, and a 40-column grid, 8 of them in view at 1280x800, was about a
/// third of a seek's time on the page.
pub fn columns_for(width: u32) -> u64 {
    if width == 0 {
        return MAX_COLUMNS;
    }
    (u64::from(width / COLUMN_PX) + 2).clamp(MIN_COLUMNS, MAX_COLUMNS)
}

/// How many columns the page's grid draws: [`columns_for`] its `width`, or
/// all [`MAX_COLUMNS`] once the visitor scrolled it back to its first column
/// (`back`: the longest log then, plus one; 0: never) until the longest log
/// changes (an entry appended, a jump in time, a new run), which scrolls the
/// grid to its newest column again.
pub fn columns_shown(width: u32, back: u64, longest: u64) -> u64 {
    if back == longest + 1 {
        MAX_COLUMNS
    } else {
        columns_for(width)
    }
}

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

/// The log grid, read from the model, with the latest [`MAX_COLUMNS`] indexes.
pub fn log_grid(m: &Model) -> LogGridDraw {
    log_grid_in(m, MAX_COLUMNS)
}

/// The highest last log index of any server ([`LogGridDraw::longest`]).
pub fn longest(m: &Model) -> u64 {
    m.cluster().servers().iter().map(|s| s.raft().last_index()).max().unwrap_or(0)
}

/// The first index a grid whose last column is `last` draws: the latest
/// `most` indexes (at least one), and further back to the first entry a
/// lesson's step points at (`lit`), so that the grid draws it, though never
/// more than the latest [`MAX_COLUMNS`] (or `most`, when more).
pub fn first_column(last: u64, most: u64, lit: &[crate::lesson::Highlight]) -> u64 {
    let fitted = last.saturating_sub(most.max(1)) + 1;
    let pointed = lit
        .iter()
        .filter_map(|h| match h {
            crate::lesson::Highlight::Entries { from, .. } => Some(*from),
            _ => None,
        })
        .min()
        .unwrap_or(fitted);
    fitted.min(pointed).max(last.saturating_sub(MAX_COLUMNS.max(most)) + 1).max(1)
}

/// The log grid, read from the model, with the latest `most` indexes (at
/// least one), and those a lesson's step points at ([`first_column`]).
pub fn log_grid_in(m: &Model, most: u64) -> LogGridDraw {
    let c = &m.cluster();
    let longest = longest(m);
    let leader = c.leader().and_then(|l| c.node(l));
    // One column past the longest log when a follower's nextIndex points there.
    let next_max = leader
        .map(|l| c.servers().iter().filter_map(|s| l.progress(s.id())).map(|p| p.next_index).max().unwrap_or(0))
        .unwrap_or(0)
        .min(longest + 1);
    let last = longest.max(next_max).max(1);
    let lit = m.lessons.highlights(c.now());
    let first = first_column(last, most, &lit);
    let columns: Vec<u64> = (first..=last).collect();
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

/// A change the page makes to its table so that it shows the grid drawn now
/// ([`GridCache::take`]).
#[derive(Clone, PartialEq, Debug)]
pub enum Patch {
    /// Row `.0` written whole (its `<tr>`'s markup): the row's own attributes
    /// (its state) or its cells' number changed.
    Row(usize, String),
    /// Cell `.1` of row `.0` (0 its head, then its cells) written again: its markup.
    Cell(usize, usize, String),
}

/// What the log grid's table shows, row by row with each row's elements'
/// markup ([`row_els`]), and what of it the page does not show yet: the page
/// writes the table whole only when its columns or its rows change in
/// number, else only the cells that changed ([`GridCache::take`]): the
/// browser paints again only those cells, and the others (and a tooltip
/// shown on one) stay as they are.
#[derive(Default)]
pub struct GridCache {
    /// The index columns.
    pub columns: Vec<u64>,
    /// Each row, with its elements' markup.
    pub rows: Vec<(RowDraw, Vec<String>)>,
    /// The changes to make in the page, in order.
    patches: Vec<Patch>,
    /// The whole table is to be written (first, or the columns or the number of rows changed).
    all: bool,
    /// How many times it changed (the page's writing effect's key).
    pub written: u64,
    /// The whole table is written in place (its elements kept, see
    /// `ui::logs`): its columns jumped (a seek), not moved on by one as
    /// while the run plays (where the page writes it anew).
    pub jumped: bool,
}

impl GridCache {
    /// Takes the grid drawn now: what changed in the rows is noted, to be made in the page.
    pub fn update(&mut self, g: LogGridDraw) {
        let before = self.written;
        if self.columns != g.columns || self.rows.len() != g.rows.len() || self.written == 0 {
            self.jumped = self.columns.len() == g.columns.len()
                && self.columns.first().zip(g.columns.first()).is_some_and(|(a, b)| a.abs_diff(*b) > 1);
            self.columns = g.columns;
            self.rows.clear();
            self.patches.clear();
            self.all = true;
            self.written += 1;
        }
        for (k, r) in g.rows.into_iter().enumerate() {
            if self.rows.get(k).is_some_and(|(was, _)| *was == r) {
                continue;
            }
            let els = row_els(&r);
            if let Some((_, old)) = self.rows.get(k).filter(|_| !self.all) {
                diff(&mut self.patches, k, old, &els);
            }
            if k < self.rows.len() {
                self.rows[k] = (r, els);
            } else {
                self.rows.push((r, els));
            }
            if self.written == before {
                self.written += 1;
            }
        }
    }

    /// What to write into the page since the last time, and forgets it: the
    /// whole table's markup, or else the changes to make, in order.
    pub fn take(&mut self) -> (Option<String>, Vec<Patch>) {
        let patches = std::mem::take(&mut self.patches);
        if std::mem::take(&mut self.all) {
            let mut t = String::from(r#"<thead><tr><th class="rowhead corner" scope="col">index</th>"#);
            for i in &self.columns {
                let _ = write!(t, r#"<th scope="col" class="idx">{i}</th>"#);
            }
            t.push_str("</tr></thead><tbody>");
            for (_, els) in &self.rows {
                t.push_str(&row_markup(els));
            }
            t.push_str("</tbody>");
            return (Some(t), Vec::new());
        }
        (None, patches)
    }
}

/// The changes that turn row `k`'s elements `old` into `new` (see
/// [`row_els`]), pushed on `out`: the row whole when its own tag or its
/// cells' number differ, else each cell that differs.
pub fn diff(out: &mut Vec<Patch>, k: usize, old: &[String], new: &[String]) {
    if old.len() != new.len() || old[0] != new[0] {
        out.push(Patch::Row(k, row_markup(new)));
        return;
    }
    for (j, (o, n)) in old.iter().zip(new).enumerate().skip(1) {
        if o != n {
            out.push(Patch::Cell(k, j - 1, n.clone()));
        }
    }
}

/// The leader's marks (matchIndex, nextIndex) that fall at index `i` (or, for
/// a snapshot cell, in `inside`), written into `t`.
fn marks(t: &mut String, r: &RowDraw, inside: impl Fn(u64) -> bool) {
    let id = r.id;
    if let Some((next, matched)) = r.progress {
        if inside(matched) && matched > 0 {
            let _ = write!(t, r#"<span class="mk mk-match" title="matchIndex of {id}: {matched}">m</span>"#);
        }
        if inside(next) {
            let _ = write!(t, r#"<span class="mk mk-next" title="nextIndex of {id}: {next}">n</span>"#);
        }
    }
}

/// One row of the grid as markup (its `<tr>`), written into `t`; its words
/// (commands, a snapshot's contents) escaped.
pub fn row(t: &mut String, r: &RowDraw) {
    t.push_str(&row_markup(&row_els(r)));
}

/// One row of the grid as its elements' markup: its `<tr>`'s opening tag,
/// its head (`<th>`), then its cells (`<td>`).
pub fn row_els(r: &RowDraw) -> Vec<String> {
    let id = r.id;
    let commit = r.commit;
    let on = |b: bool, name: &'static str| if b { name } else { "" };
    let mut els = vec![format!(
        r#"<tr data-log="{}" class="logrow{}{}{}{}">"#,
        id.0,
        on(!r.up, " down"),
        on(r.leader, " leader"),
        on(r.selected, " selected"),
        on(r.lit, " lit")
    )];
    let mut t = format!(r#"<th scope="row" class="rowhead" title="{id}: commit index {commit}"#);
    if let Some((n, m)) = r.progress {
        let _ = write!(t, ", leader&#39;s nextIndex {n} and matchIndex {m}");
    }
    // A snapshot before the grid's first column has no cell: the row's head tells it.
    #[cfg(feature = "compaction")]
    if let Some(sn) = r.snapshot.as_ref().filter(|sn| sn.span == 0) {
        let _ = write!(t, "\n{}", Esc(&sn.title));
    }
    let badge = if r.leader {
        " ♛"
    } else if !r.up {
        " ✕"
    } else {
        ""
    };
    let _ = write!(t, r#""><span class="rname">{id}{badge}</span><span class="rmeta">commit {commit}</span>"#);
    if let Some((n, m)) = r.progress {
        let _ = write!(t, r#"<span class="rmeta np">next {n} · match {m}</span>"#);
    }
    t.push_str("</th>");
    els.push(t);
    // The compacted prefix: one cell over the columns it replaced (with the marks that fall there).
    #[cfg(feature = "compaction")]
    let skip = match &r.snapshot {
        Some(sn) if sn.span > 0 => {
            let edge = on(sn.index == r.commit, " commit-edge");
            let mut t = format!(
                r#"<td colspan="{}" style="{}" title="{}" data-snapshot="{}" class="cell snap{edge}"><span class="cmd">{}</span><span class="t">snapshot</span>"#,
                sn.span,
                term_var(sn.term),
                Esc(&sn.title),
                sn.index,
                Esc(&sn.text)
            );
            marks(&mut t, r, |i| i > 0 && i >= r.first && i < r.first + sn.span as u64);
            t.push_str("</td>");
            els.push(t);
            sn.span
        }
        _ => 0,
    };
    #[cfg(not(feature = "compaction"))]
    let skip = 0;
    for (k, cell) in r.cells.iter().enumerate().skip(skip) {
        let i = r.first + k as u64;
        let edge = on(i == commit, " commit-edge");
        let mut t = String::new();
        match cell {
            Some(e) => {
                let committed = i <= commit;
                let (state, said) =
                    if committed { ("committed", "committed") } else { ("uncommitted", "not committed yet") };
                let _ = write!(
                    t,
                    r#"<td style="{}" title="{id}, index {i}: {} in term {}, {said}" class="cell{edge} {state}{}"><span class="cmd">{}</span><span class="t">t{}</span>"#,
                    term_var(e.term),
                    Esc(&e.full),
                    e.term,
                    on(e.lit, " lit"),
                    Esc(&e.cmd),
                    e.term
                );
            }
            None => {
                let _ = write!(t, r#"<td class="cell{edge} empty">"#);
            }
        }
        marks(&mut t, r, |j| j == i);
        t.push_str("</td>");
        els.push(t);
    }
    els
}

/// A row's elements ([`row_els`]) as its `<tr>`'s markup.
fn row_markup(els: &[String]) -> String {
    els.concat() + "</tr>"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(term: u64, cmd: &str) -> Option<CellDraw> {
        Some(CellDraw { term, cmd: cmd.to_string(), full: cmd.to_string(), lit: false })
    }

    fn server(id: u8, commit: u64) -> RowDraw {
        RowDraw {
            id: NodeId(id),
            up: true,
            leader: id == 1,
            selected: false,
            lit: false,
            commit,
            progress: (id != 1).then_some((3, 2)),
            cells: vec![cell(1, "noop"), cell(1, "x←1"), cell(2, "y←2")],
            first: 1,
            #[cfg(feature = "compaction")]
            snapshot: None,
        }
    }

    fn grid(rows: Vec<RowDraw>) -> LogGridDraw {
        LogGridDraw { columns: vec![1, 2, 3], rows, longest: 3 }
    }

    /// Three servers, first drawn: the table is written whole.
    fn drawn() -> GridCache {
        let mut c = GridCache::default();
        c.update(grid(vec![server(1, 2), server(2, 2), server(3, 2)]));
        let (whole, patches) = c.take();
        let whole = whole.expect("the first drawing writes the whole table");
        assert_eq!(whole.matches("<tr data-log=").count(), 3);
        assert!(patches.is_empty());
        c
    }

    /// What the page does with `patches` (see `ui::logs`), done to rows of elements.
    fn apply(rows: &mut [Vec<String>], patches: Vec<Patch>) {
        for p in patches {
            match p {
                Patch::Row(k, markup) => {
                    assert_ne!(row_markup(&rows[k]), markup, "a row written whole changed");
                    rows[k] = vec![markup.strip_suffix("</tr>").expect("a whole row").to_string()];
                }
                Patch::Cell(k, j, markup) => {
                    assert_ne!(rows[k][j + 1], markup, "a cell written again changed");
                    rows[k][j + 1] = markup;
                }
            }
        }
    }

    #[test]
    fn a_row_is_written_as_before() {
        let mut t = String::new();
        row(&mut t, &server(2, 2));
        let term = term_var;
        let want = format!(
            concat!(
                r#"<tr data-log="2" class="logrow"><th scope="row" class="rowhead" title="S2: commit index 2, leader&#39;s nextIndex 3 and matchIndex 2">"#,
                r#"<span class="rname">S2</span><span class="rmeta">commit 2</span><span class="rmeta np">next 3 · match 2</span></th>"#,
                r#"<td style="{}" title="S2, index 1: noop in term 1, committed" class="cell committed"><span class="cmd">noop</span><span class="t">t1</span></td>"#,
                r#"<td style="{}" title="S2, index 2: x←1 in term 1, committed" class="cell commit-edge committed"><span class="cmd">x←1</span><span class="t">t1</span><span class="mk mk-match" title="matchIndex of S2: 2">m</span></td>"#,
                r#"<td style="{}" title="S2, index 3: y←2 in term 2, not committed yet" class="cell uncommitted"><span class="cmd">y←2</span><span class="t">t2</span><span class="mk mk-next" title="nextIndex of S2: 3">n</span></td></tr>"#
            ),
            term(1),
            term(1),
            term(2)
        );
        assert_eq!(t, want);
    }

    #[test]
    fn a_followers_commit_index_changing_writes_only_the_cells_that_changed_in_its_row() {
        let mut c = drawn();
        let key = c.written;
        c.update(grid(vec![server(1, 2), server(2, 2), server(3, 2)]));
        assert_eq!(c.written, key, "nothing changed: the page writes nothing");
        assert_eq!(c.take(), (None, vec![]));
        let mut page: Vec<Vec<String>> = c.rows.iter().map(|(_, els)| els.clone()).collect();
        c.update(grid(vec![server(1, 2), server(2, 2), server(3, 3)]));
        assert_ne!(c.written, key, "a change: the page writes again");
        let (whole, patches) = c.take();
        assert!(whole.is_none());
        // S3's head (its commit index), the edge leaving cell 2, cell 3 committed at the edge; cell 1 as it was.
        let cells: Vec<(usize, usize)> = patches
            .iter()
            .map(|p| match p {
                Patch::Cell(k, j, _) => (*k, *j),
                Patch::Row(..) => panic!("{p:?}"),
            })
            .collect();
        assert_eq!(cells, vec![(2, 0), (2, 2), (2, 3)]);
        let els = row_els(&server(3, 3));
        assert!(els[1].contains(r#"<span class="rmeta">commit 3</span>"#), "{}", els[1]);
        assert!(els[3].contains(r#"class="cell committed""#), "{}", els[3]);
        assert!(els[4].contains("index 3: y←2 in term 2, committed") && els[4].contains("cell commit-edge committed"));
        apply(&mut page, patches);
        assert_eq!(page[2], els);
        assert_eq!(c.take(), (None, vec![]), "written once");
    }

    #[test]
    fn the_cells_written_again_make_the_rows_shown_the_rows_drawn() {
        // Entries come, go (a follower's conflicting suffix), change term,
        // the marks move, the row's state changes: the page's rows, patched,
        // are the rows drawn now, and only the row's state writes it whole.
        let mut c = drawn();
        let mut page: Vec<Vec<String>> = c.rows.iter().map(|(_, els)| els.clone()).collect();
        let mut rows = vec![server(1, 2), server(2, 2), server(3, 2)];
        // (Whether the change writes a row whole, the change.)
        type Change = fn(&mut [RowDraw]);
        let steps: [(bool, Change); 6] = [
            (false, |r| r[1].cells[2] = None),
            (false, |r| r[1].cells[2] = cell(3, "z←9")),
            (false, |r| r[2].progress = Some((2, 1))),
            (true, |r| r[2].selected = true),
            (false, |r| {
                r[2].cells[0] = Some(CellDraw { term: 1, cmd: "<a&b>".into(), full: "it's \"x\"".into(), lit: true });
                r[1].commit = 0;
            }),
            (true, |r| r[0].up = false),
        ];
        for (n, (whole_row, step)) in steps.iter().enumerate() {
            step(&mut rows);
            c.update(grid(rows.clone()));
            let (whole, patches) = c.take();
            assert!(whole.is_none(), "step {n}");
            assert!(!patches.is_empty(), "step {n}");
            assert_eq!(patches.iter().any(|p| matches!(p, Patch::Row(..))), *whole_row, "step {n}: {patches:?}");
            apply(&mut page, patches);
            for (k, r) in rows.iter().enumerate() {
                assert_eq!(row_markup(&page[k]), row_markup(&row_els(r)), "step {n}, row {k}");
            }
            page = c.rows.iter().map(|(_, els)| els.clone()).collect();
        }
    }

    #[test]
    fn a_server_added_or_new_columns_rewrite_the_whole_table() {
        let mut c = drawn();
        c.update(grid(vec![server(1, 2), server(2, 2), server(3, 2), server(4, 0)]));
        let (whole, patches) = c.take();
        let whole = whole.expect("a fourth row: the whole table");
        assert_eq!(whole.matches("<tr data-log=").count(), 4);
        assert!(patches.is_empty());
        let mut moved = grid(vec![server(1, 2), server(2, 2), server(3, 2), server(4, 0)]);
        moved.columns = vec![2, 3, 4];
        c.update(moved);
        assert!(!c.jumped, "moved on by one: written anew");
        assert!(c.take().0.expect("other columns: the whole table").contains(r#"<th scope="col" class="idx">4</th>"#));
        let mut jumped = grid(vec![server(1, 2), server(2, 2), server(3, 2), server(4, 0)]);
        jumped.columns = vec![9, 10, 11];
        c.update(jumped);
        assert!(c.jumped, "a jump (a seek): written in place");
        assert!(c.take().0.expect("the whole table").contains(r#"<th scope="col" class="idx">11</th>"#));
    }

    #[cfg(feature = "compaction")]
    #[test]
    fn a_snapshot_growing_over_more_columns_rewrites_its_row() {
        let mut c = drawn();
        let mut r = server(2, 2);
        r.snapshot = Some(SnapDraw { index: 1, term: 1, span: 1, text: "≤1 t1".into(), title: "snap".into() });
        r.cells[0] = None;
        c.update(grid(vec![server(1, 2), r.clone(), server(3, 2)]));
        let (whole, patches) = c.take();
        assert!(whole.is_none());
        // A snapshot cell in place of one cell: as many cells, the first written again.
        assert!(matches!(&patches[..], [Patch::Cell(1, 1, t)] if t.contains(r#"colspan="1""#)), "{patches:?}");
        r.snapshot = Some(SnapDraw { index: 2, term: 1, span: 2, text: "≤2 t1".into(), title: "snap".into() });
        r.cells[1] = None;
        c.update(grid(vec![server(1, 2), r.clone(), server(3, 2)]));
        let (whole, patches) = c.take();
        assert!(whole.is_none());
        let mut t = String::new();
        row(&mut t, &r);
        assert_eq!(patches, vec![Patch::Row(1, t)], "one cell fewer: the row whole");
    }

    #[test]
    fn a_rows_words_are_escaped() {
        let mut r = server(2, 1);
        r.cells[1] = Some(CellDraw { term: 1, cmd: "<&\"'".into(), full: "k ← <b>&\"'".into(), lit: false });
        let mut t = String::new();
        row(&mut t, &r);
        assert!(t.contains(r#"<span class="cmd">&lt;&amp;&quot;&apos;</span>"#), "{t}");
        assert!(t.contains("k ← &lt;b&gt;&amp;&quot;&apos; in term 1"), "{t}");
        assert!(!t.contains("<b>") && !t.contains("<&"), "{t}");
    }

    #[cfg(feature = "compaction")]
    #[test]
    fn a_snapshots_title_and_text_are_escaped() {
        let mut r = server(2, 3);
        let title = "last included index 2, term 1; keys: <k>=\"1\" & 'v'".to_string();
        r.snapshot = Some(SnapDraw { index: 2, term: 1, span: 2, text: "≤2 <t1>".into(), title: title.clone() });
        r.cells[0] = None;
        r.cells[1] = None;
        let mut t = String::new();
        row(&mut t, &r);
        assert!(
            t.contains(r#"title="last included index 2, term 1; keys: &lt;k&gt;=&quot;1&quot; &amp; &apos;v&apos;""#),
            "{t}"
        );
        assert!(t.contains(r#"<span class="cmd">≤2 &lt;t1&gt;</span>"#), "{t}");
        // Before the first column: the row's head says it, escaped too.
        r.snapshot = Some(SnapDraw { index: 2, term: 1, span: 0, text: String::new(), title });
        let mut t = String::new();
        row(&mut t, &r);
        assert!(t.contains("\nlast included index 2, term 1; keys: &lt;k&gt;"), "{t}");
        assert!(!t.contains("<k>"), "{t}");
    }
}
