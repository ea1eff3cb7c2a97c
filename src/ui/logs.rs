//! The log grid: every server's log side by side, coloured by term, committed
//! entries solid and uncommitted ones hatched, the commit index marked, and the
//! leader's nextIndex / matchIndex for each follower (drawn from
//! [`log_grid`], see [`crate::view::logs`]).

use super::panels::PanelProps;
use super::{class_list, use_effect_on, Esc};
use crate::view::logs::{log_grid, LogGridDraw, RowDraw};
use crate::view::theme::term_var;
use std::fmt::Write as _;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// The log grid, scrolled to its newest column whenever the longest log grows.
///
/// The table is markup written into the page by hand, not by Yew: its cells
/// have no listener of their own, and a row is written again (its `<tr>`'s
/// `outerHTML`) only when what it shows changes, as a memoised row part
/// would be, instead of the whole table being parsed again for any change.
pub fn grid(ctx: &mut HookContext, props: &PanelProps) -> Html {
    let scroller = crate::ui::use_node().run(ctx);
    let table = crate::ui::use_node().run(ctx);
    let cache = yew::functional::use_mut_ref(GridCache::default).run(ctx);
    // The hooks run at every drawing, even one that finds the model busy
    // (a part must run the same hooks each time).
    let grid = props.handle.try_read().map(|m| log_grid(&m));
    let longest = grid.as_ref().map(|g| g.longest);
    match grid {
        Some(g) => cache.borrow_mut().update(g),
        // (Nothing drawn: the table goes, and one drawn again is written whole.)
        None => cache.borrow_mut().rows.clear(),
    }
    {
        let (cache, table) = (cache.clone(), table.clone());
        let key = cache.borrow().written;
        use_effect_on(
            key,
            Box::new(move || {
                if let Some(el) = table.cast::<web_sys::Element>() {
                    cache.borrow_mut().write(&el);
                }
                None
            }),
        )
        .run(ctx);
    }
    {
        let scroller = scroller.clone();
        use_effect_on(
            longest.unwrap_or(0),
            Box::new(move || {
                if let Some(el) = scroller.cast::<web_sys::Element>() {
                    el.set_scroll_left(el.scroll_width());
                }
                None
            }),
        )
        .run(ctx);
    }
    let Some(longest) = longest else { return html! {} };
    html! {
        <div class="loggrid" ref={scroller}>
            <table ref={table} aria-label="Every server's log, one row per server, one column per log index"></table>
            if longest == 0 {
                <p class="muted small pad">{ "The logs are empty. Once a leader is elected it appends a no-op; then try a client write." }</p>
            }
        </div>
    }
}

/// What the grid's table shows, row by row with each row's markup, and what
/// of it the page does not show yet.
#[derive(Default)]
struct GridCache {
    /// The index columns.
    columns: Vec<u64>,
    /// Each row, with its markup.
    rows: Vec<(RowDraw, String)>,
    /// The rows to write again into the page (by position).
    stale: Vec<usize>,
    /// The whole table is to be written (first, or the columns or the number of rows changed).
    all: bool,
    /// How many times it changed (the writing effect's key).
    written: u64,
}

impl GridCache {
    /// Takes the grid drawn now: the rows that changed get their markup again.
    fn update(&mut self, g: LogGridDraw) {
        let before = self.written;
        if self.columns != g.columns || self.rows.len() != g.rows.len() || self.written == 0 {
            self.columns = g.columns;
            self.rows.clear();
            self.all = true;
            self.written += 1;
        }
        for (k, r) in g.rows.into_iter().enumerate() {
            if self.rows.get(k).is_some_and(|(was, _)| *was == r) {
                continue;
            }
            let mut text = String::new();
            row(&mut text, &r);
            if k < self.rows.len() {
                self.rows[k] = (r, text);
                self.stale.push(k);
            } else {
                self.rows.push((r, text));
            }
            if self.written == before {
                self.written += 1;
            }
        }
    }

    /// Writes what changed into the page's `table`.
    fn write(&mut self, table: &web_sys::Element) {
        let mut stale = std::mem::take(&mut self.stale);
        if std::mem::take(&mut self.all) {
            let mut t = String::from(r#"<thead><tr><th class="rowhead corner" scope="col">index</th>"#);
            for i in &self.columns {
                let _ = write!(t, r#"<th scope="col" class="idx">{i}</th>"#);
            }
            t.push_str("</tr></thead><tbody>");
            for (_, text) in &self.rows {
                t.push_str(text);
            }
            t.push_str("</tbody>");
            table.set_inner_html(&t);
            return;
        }
        // The rows, in order, are the children of the table's last child (tbody).
        stale.sort_unstable();
        stale.dedup();
        let mut tr = table.last_element_child().and_then(|b| b.first_element_child());
        let mut k = 0;
        for want in stale {
            while k < want {
                tr = tr.and_then(|e| e.next_element_sibling());
                k += 1;
            }
            if let Some(e) = tr {
                // (Its sibling first: the row written is a new element.)
                tr = e.next_element_sibling();
                k += 1;
                e.set_outer_html(&self.rows[want].1);
            }
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

/// One row of the grid, written into `t`.
fn row(t: &mut String, r: &RowDraw) {
    let id = r.id;
    let commit = r.commit;
    let on = |b: bool, name: &'static str| if b { name } else { "" };
    let row_class = class_list(&[
        "logrow",
        on(!r.up, "down"),
        on(r.leader, "leader"),
        on(r.selected, "selected"),
        on(r.lit, "lit"),
    ]);
    let _ = write!(
        t,
        r#"<tr data-log="{}" class="{row_class}"><th scope="row" class="rowhead" title="{id}: commit index {commit}"#,
        id.0
    );
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
    // The compacted prefix: one cell over the columns it replaced (with the marks that fall there).
    #[cfg(feature = "compaction")]
    let skip = match &r.snapshot {
        Some(sn) if sn.span > 0 => {
            let edge = on(sn.index == r.commit, " commit-edge");
            let _ = write!(
                t,
                r#"<td colspan="{}" style="{}" title="{}" data-snapshot="{}" data-term="{}" class="cell snap{edge}"><span class="cmd">{}</span><span class="t">snapshot</span>"#,
                sn.span,
                term_var(sn.term),
                Esc(&sn.title),
                sn.index,
                sn.term,
                Esc(&sn.text)
            );
            marks(t, r, |i| i > 0 && i >= r.first && i < r.first + sn.span as u64);
            t.push_str("</td>");
            sn.span
        }
        _ => 0,
    };
    #[cfg(not(feature = "compaction"))]
    let skip = 0;
    for (k, cell) in r.cells.iter().enumerate().skip(skip) {
        let i = r.first + k as u64;
        let edge = on(i == commit, " commit-edge");
        match cell {
            Some(e) => {
                let committed = i <= commit;
                let (state, said) =
                    if committed { ("committed", "committed") } else { ("uncommitted", "not committed yet") };
                let _ = write!(
                    t,
                    r#"<td style="{}" title="{id}, index {i}: {} in term {}, {said}" data-index="{i}" data-term="{}" class="cell{edge} {state}{}"><span class="cmd">{}</span><span class="t">t{}</span>"#,
                    term_var(e.term),
                    Esc(&e.full),
                    e.term,
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
        marks(t, r, |j| j == i);
        t.push_str("</td>");
    }
    t.push_str("</tr>");
}
