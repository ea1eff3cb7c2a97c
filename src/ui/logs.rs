//! The log grid: every server's log side by side, coloured by term, committed
//! entries solid and uncommitted ones hatched, the commit index marked, and the
//! leader's nextIndex / matchIndex for each follower (drawn from
//! [`log_grid`], see [`crate::view::logs`]).

use super::panels::PanelProps;
use super::part::{part, Which};
use super::{class_list, use_effect_on, with_class};
use crate::view::logs::{log_grid, RowDraw};
use crate::view::theme::term_var;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// The log grid, scrolled to its newest column whenever the longest log grows.
pub fn grid(ctx: &mut HookContext, props: &PanelProps) -> Html {
    let scroller = crate::ui::use_node().run(ctx);
    // Both hooks run at every drawing, even one that finds the model busy
    // (a part must run the same hooks each time).
    let grid = props.handle.try_read().map(|m| log_grid(&m));
    {
        let scroller = scroller.clone();
        use_effect_on(
            grid.as_ref().map_or(0, |g| g.longest),
            Box::new(move || {
                if let Some(el) = scroller.cast::<web_sys::Element>() {
                    el.set_scroll_left(el.scroll_width());
                }
                None
            }),
        )
        .run(ctx);
    }
    let Some(grid) = grid else { return html! {} };
    html! {
        <div class="loggrid" ref={scroller}>
            <table aria-label="Every server's log, one row per server, one column per log index">
                <thead><tr>
                    <th class="rowhead corner" scope="col">{ "index" }</th>
                    { for grid.columns.iter().map(|i| html! { <th scope="col" class="idx">{ i.to_string() }</th> }) }
                </tr></thead>
                <tbody>{ for grid.rows.into_iter().map(|r| part(Some((r.id.0 as u64).into()), Which::LogRow(RowProps { row: r }))) }</tbody>
            </table>
            if grid.longest == 0 {
                <p class="muted small pad">{ "The logs are empty. Once a leader is elected it appends a no-op; then try a client write." }</p>
            }
        </div>
    }
}

/// A row's props: its drawing.
#[derive(PartialEq)]
pub struct RowProps {
    row: RowDraw,
}

/// One row: redrawn only when that server's log, commit index or progress changes.
pub fn row(props: &RowProps) -> Html {
    let r = &props.row;
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
    #[allow(unused_mut)] // only log compaction adds to it
    let mut title = format!(
        "{id}: commit index {commit}{}",
        r.progress.map(|(n, m)| format!(", leader's nextIndex {n} and matchIndex {m}")).unwrap_or_default()
    );
    // A snapshot before the grid's first column has no cell: the row's head tells it.
    #[cfg(feature = "compaction")]
    if let Some(sn) = r.snapshot.as_ref().filter(|sn| sn.span == 0) {
        title.push('\n');
        title.push_str(&sn.title);
    }
    let head = html! {
        <th scope="row" class="rowhead" {title}>
            <span class="rname">{ id.to_string() }{ if r.leader { " ♛" } else if !r.up { " ✕" } else { "" } }</span>
            <span class="rmeta">{ format!("commit {commit}") }</span>
            { match r.progress {
                Some((n, m)) => html! { <span class="rmeta np">{ format!("next {n} · match {m}") }</span> },
                None => html! {},
            } }
        </th>
    };
    // The compacted prefix: one cell over the columns it replaced (with the marks that fall there).
    #[cfg(feature = "compaction")]
    let (snap, skip) = match &r.snapshot {
        Some(sn) if sn.span > 0 => (snap_cell(r, sn), sn.span),
        _ => (html! {}, 0),
    };
    let cells = r.cells.iter().enumerate().map(|(k, cell)| {
        // (The columns under the snapshot cell: nothing.)
        #[cfg(feature = "compaction")]
        if k < skip {
            return html! {};
        }
        let i = r.first + k as u64;
        let mut marks = Vec::new();
        if let Some((next, matched)) = r.progress {
            if matched == i && i > 0 {
                marks.push(html! { <span class="mk mk-match" title={format!("matchIndex of {id}: {i}")}>{"m"}</span> });
            }
            if next == i {
                marks.push(html! { <span class="mk mk-next" title={format!("nextIndex of {id}: {i}")}>{"n"}</span> });
            }
        }
        let edge = on(i == commit, "commit-edge");
        match cell {
            Some(e) => {
                let committed = i <= commit;
                let class =
                    class_list(&["cell", edge, if committed { "committed" } else { "uncommitted" }, on(e.lit, "lit")]);
                let title = format!(
                    "{id}, index {i}: {} in term {}, {}",
                    e.full,
                    e.term,
                    if committed { "committed" } else { "not committed yet" }
                );
                let td = html! {
                    <td style={term_var(e.term)} {title} data-index={i.to_string()} data-term={e.term.to_string()}>
                        <span class="cmd">{ e.cmd.clone() }</span>
                        <span class="t">{ format!("t{}", e.term) }</span>
                        { for marks }
                    </td>
                };
                with_class(td, class)
            }
            None => with_class(html! { <td>{ for marks }</td> }, class_list(&["cell", edge, "empty"])),
        }
    });
    #[cfg(feature = "compaction")]
    return with_class(html! { <tr data-log={id.0.to_string()}>{ head }{ snap }{ for cells }</tr> }, row_class);
    #[cfg(not(feature = "compaction"))]
    with_class(html! { <tr data-log={id.0.to_string()}>{ head }{ for cells }</tr> }, row_class)
}

/// A server's compacted prefix: one cell spanning the columns of the indexes
/// its snapshot replaced, with the leader's marks that fall there.
#[cfg(feature = "compaction")]
fn snap_cell(r: &RowDraw, sn: &crate::view::logs::SnapDraw) -> Html {
    let id = r.id;
    let mut marks = Vec::new();
    if let Some((next, matched)) = r.progress {
        let inside = |i: u64| i > 0 && i >= r.first && i < r.first + sn.span as u64;
        if inside(matched) {
            marks.push(
                html! { <span class="mk mk-match" title={format!("matchIndex of {id}: {matched}")}>{"m"}</span> },
            );
        }
        if inside(next) {
            marks.push(html! { <span class="mk mk-next" title={format!("nextIndex of {id}: {next}")}>{"n"}</span> });
        }
    }
    let td = html! {
        <td colspan={sn.span.to_string()} style={term_var(sn.term)} title={sn.title.clone()} data-snapshot={sn.index.to_string()} data-term={sn.term.to_string()}>
            <span class="cmd">{ sn.text.clone() }</span>
            <span class="t">{ "snapshot" }</span>
            { for marks }
        </td>
    };
    let edge = if sn.index == r.commit { "commit-edge" } else { "" };
    with_class(td, class_list(&["cell", "snap", edge]))
}
