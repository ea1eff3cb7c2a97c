//! The log grid: every server's log side by side, coloured by term, committed
//! entries solid and uncommitted ones hatched, the commit index marked, and the
//! leader's nextIndex / matchIndex for each follower.

use super::store::Handle;
use super::theme::*;
use crate::raft::Command;
use super::model::Model;
use crate::sim::{NodeId, Role};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use yew::prelude::*;

/// Columns drawn at most (older entries scroll away).
const MAX_COLUMNS: u64 = 80;

/// A fingerprint of everything the grid draws: it is redrawn only when this changes.
pub fn logs_key(m: &Model) -> u64 {
    let c = &m.cluster;
    let mut h = DefaultHasher::new();
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
    let rows = c.servers().iter().map(|s| {
        let id: NodeId = s.id();
        let progress = leader_node.filter(|l| l.id() != id).and_then(|l| l.progress(id));
        let commit = s.commit_index();
        let is_leader = s.is_up() && s.role() == Role::Leader;
        let mut row_class = classes!("logrow");
        if !s.is_up() {
            row_class.push("down");
        }
        if is_leader {
            row_class.push("leader");
        }
        if m.selected == Some(id) {
            row_class.push("selected");
        }
        let head = html! {
            <th scope="row" class="rowhead" title={format!("{id}: commit index {commit}{}", progress.map(|p| format!(", leader's nextIndex {} and matchIndex {}", p.next_index, p.match_index)).unwrap_or_default())}>
                <span class="rname">{ id.to_string() }{ if is_leader { " ♛" } else if !s.is_up() { " ✕" } else { "" } }</span>
                <span class="rmeta">{ format!("commit {commit}") }</span>
                { match progress {
                    Some(p) => html! { <span class="rmeta np">{ format!("next {} · match {}", p.next_index, p.match_index) }</span> },
                    None => html! {},
                } }
            </th>
        };
        let cells = cols.iter().map(|&i| {
            let entry = s.log().get(i as usize - 1);
            let mut class = classes!("cell");
            let mut marks = Vec::new();
            if let Some(p) = progress {
                if p.match_index == i && i > 0 {
                    marks.push(html! { <span class="mk mk-match" title={format!("matchIndex of {id}: {i}")}>{"m"}</span> });
                }
                if p.next_index == i {
                    marks.push(html! { <span class="mk mk-next" title={format!("nextIndex of {id}: {i}")}>{"n"}</span> });
                }
            }
            if i == commit {
                class.push("commit-edge");
            }
            match entry {
                Some(e) => {
                    let committed = e.index <= commit;
                    class.push(if committed { "committed" } else { "uncommitted" });
                    let title = format!(
                        "{id}, index {}: {} in term {}, {}",
                        e.index,
                        e.command,
                        e.term,
                        if committed { "committed" } else { "not committed yet" }
                    );
                    html! {
                        <td class={class} style={term_var(e.term)} {title} data-index={i.to_string()} data-term={e.term.to_string()}>
                            <span class="cmd">{ short(&e.command) }</span>
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
    });
    html! {
        <div class="loggrid" ref={scroller}>
            <table aria-label="Every server's log, one row per server, one column per log index">
                <thead><tr>
                    <th class="rowhead corner" scope="col">{ "index" }</th>
                    { for cols.iter().map(|i| html! { <th scope="col" class="idx">{ i.to_string() }</th> }) }
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            if max == 0 {
                <p class="muted small pad">{ "The logs are empty. Once a leader is elected it appends a no-op; then try a client write." }</p>
            }
        </div>
    }
}
