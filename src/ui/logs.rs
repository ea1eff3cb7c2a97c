//! The log grid: every server's log side by side, coloured by term, committed
//! entries solid and uncommitted ones hatched, the commit index marked, and the
//! leader's nextIndex / matchIndex for each follower.

use super::model::Model;
use super::store::Handle;
use super::theme::*;
use crate::raft::Command;
use crate::sim::{NodeId, Role};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use yew::prelude::*;

/// Columns drawn at most (older entries scroll away).
const MAX_COLUMNS: u64 = 40;

/// A fingerprint of everything the grid draws: it is redrawn only when this changes.
pub fn logs_key(m: &Model) -> u64 {
    let c = &m.cluster;
    let mut h = DefaultHasher::new();
    m.run.hash(&mut h);
    let leader = c.leader();
    leader.hash(&mut h);
    for s in c.servers() {
        (s.log().len(), s.log().last().map(|e| e.term), s.commit_index(), s.is_up(), s.term()).hash(&mut h);
        (s.role() == Role::Leader).hash(&mut h);
    }
    if let Some(l) = leader.and_then(|l| c.node(l)) {
        for s in c.servers() {
            l.progress(s.id()).map(|p| (p.next_index, p.match_index)).hash(&mut h);
        }
    }
    m.selected.hash(&mut h);
    h.finish()
}

/// The grid's props: the handle (to read the model) and its fingerprint.
#[derive(Properties, PartialEq)]
pub struct LogGridProps {
    /// The model.
    pub handle: Handle,
    /// Redraw when this changes.
    pub key_: u64,
}

fn short(c: &Command) -> String {
    match c {
        Command::Set { key, value } => format!("{key}←{value}"),
        Command::Noop => "no-op".to_string(),
    }
}

/// The log grid.
#[component]
pub fn LogGrid(props: &LogGridProps) -> Html {
    let scroller = use_node_ref();
    let Some(m) = props.handle.try_read() else { return html! {} };
    let c = &m.cluster;
    let max = c.servers().iter().map(|s| s.log().len() as u64).max().unwrap_or(0);
    let leader = c.leader();
    let leader_node = leader.and_then(|l| c.node(l));
    {
        let scroller = scroller.clone();
        use_effect_with(max, move |_| {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                el.set_scroll_left(el.scroll_width());
            }
        });
    }
    // One column past the longest log when a follower's nextIndex points there.
    let next_max = leader_node
        .map(|l| c.servers().iter().filter_map(|s| l.progress(s.id())).map(|p| p.next_index).max().unwrap_or(0))
        .unwrap_or(0)
        .min(max + 1);
    let last = max.max(next_max).max(1);
    let first = last.saturating_sub(MAX_COLUMNS) + 1;
    let cols: Vec<u64> = (first..=last).collect();
    let rows: Vec<RowData> = c
        .servers()
        .iter()
        .map(|s| {
            let id: NodeId = s.id();
            let progress = leader_node.filter(|l| l.id() != id).and_then(|l| l.progress(id));
            RowData {
                id,
                up: s.is_up(),
                leader: s.is_up() && s.role() == Role::Leader,
                selected: m.selected == Some(id),
                commit: s.commit_index(),
                progress: progress.map(|p| (p.next_index, p.match_index)),
                cells: cols
                    .iter()
                    .map(|&i| {
                        s.log().get(i as usize - 1).map(|e| CellData {
                            term: e.term,
                            cmd: short(&e.command),
                            full: e.command.to_string(),
                        })
                    })
                    .collect(),
                first,
            }
        })
        .collect();
    html! {
        <div class="loggrid" ref={scroller}>
            <table aria-label="Every server's log, one row per server, one column per log index">
                <thead><tr>
                    <th class="rowhead corner" scope="col">{ "index" }</th>
                    { for cols.iter().map(|i| html! { <th scope="col" class="idx">{ i.to_string() }</th> }) }
                </tr></thead>
                <tbody>{ for rows.into_iter().map(|r| { let k = r.id.0 as u64; html! { <LogRow key={k} row={r} /> } }) }</tbody>
            </table>
            if max == 0 {
                <p class="muted small pad">{ "The logs are empty. Once a leader is elected it appends a no-op; then try a client write." }</p>
            }
        </div>
    }
}

/// One log entry as the grid draws it.
#[derive(Clone, PartialEq, Debug)]
struct CellData {
    term: u64,
    cmd: String,
    full: String,
}

/// One server's row of the grid.
#[derive(Clone, PartialEq, Debug)]
struct RowData {
    id: NodeId,
    up: bool,
    leader: bool,
    selected: bool,
    commit: u64,
    /// The leader's (nextIndex, matchIndex) for this server.
    progress: Option<(u64, u64)>,
    /// The entries at the grid's columns (None: no entry there).
    cells: Vec<Option<CellData>>,
    /// The index of the first column.
    first: u64,
}

#[derive(Properties, PartialEq)]
struct RowProps {
    row: RowData,
}

/// One row: redrawn only when that server's log, commit index or progress changes.
#[component]
fn LogRow(props: &RowProps) -> Html {
    let r = &props.row;
    let id = r.id;
    let commit = r.commit;
    let mut row_class = classes!("logrow");
    if !r.up {
        row_class.push("down");
    }
    if r.leader {
        row_class.push("leader");
    }
    if r.selected {
        row_class.push("selected");
    }
    let head = html! {
        <th scope="row" class="rowhead" title={format!("{id}: commit index {commit}{}", r.progress.map(|(n, m)| format!(", leader's nextIndex {n} and matchIndex {m}")).unwrap_or_default())}>
            <span class="rname">{ id.to_string() }{ if r.leader { " ♛" } else if !r.up { " ✕" } else { "" } }</span>
            <span class="rmeta">{ format!("commit {commit}") }</span>
            { match r.progress {
                Some((n, m)) => html! { <span class="rmeta np">{ format!("next {n} · match {m}") }</span> },
                None => html! {},
            } }
        </th>
    };
    let cells = r.cells.iter().enumerate().map(|(k, cell)| {
        let i = r.first + k as u64;
        let mut class = classes!("cell");
        let mut marks = Vec::new();
        if let Some((next, matched)) = r.progress {
            if matched == i && i > 0 {
                marks.push(html! { <span class="mk mk-match" title={format!("matchIndex of {id}: {i}")}>{"m"}</span> });
            }
            if next == i {
                marks.push(html! { <span class="mk mk-next" title={format!("nextIndex of {id}: {i}")}>{"n"}</span> });
            }
        }
        if i == commit {
            class.push("commit-edge");
        }
        match cell {
            Some(e) => {
                let committed = i <= commit;
                class.push(if committed { "committed" } else { "uncommitted" });
                let title = format!(
                    "{id}, index {i}: {} in term {}, {}",
                    e.full,
                    e.term,
                    if committed { "committed" } else { "not committed yet" }
                );
                html! {
                    <td class={class} style={term_var(e.term)} {title} data-index={i.to_string()} data-term={e.term.to_string()}>
                        <span class="cmd">{ e.cmd.clone() }</span>
                        <span class="t">{ format!("t{}", e.term) }</span>
                        { for marks }
                    </td>
                }
            }
            None => {
                class.push("empty");
                html! { <td class={class}>{ for marks }</td> }
            }
        }
    });
    html! { <tr class={row_class} data-log={id.0.to_string()}>{ head }{ for cells }</tr> }
}
