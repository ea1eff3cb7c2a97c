//! The Network panel: put servers in groups and partition, isolate the
//! leader, disconnect or reconnect a server, heal.

use super::PanelProps;
use crate::sim::{Action, NodeId};
use crate::ui::{use_local, with_class};
use crate::view::model::Op;
use crate::view::theme::group_letter;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// Partitions and disconnections.
pub fn network_panel(ctx: &mut HookContext, props: &PanelProps) -> Html {
    let h = props.handle.clone();
    let n = h.try_read().map_or(0, |m| m.cluster().servers().len());
    // The groups being chosen start as the groups in force (no partition: everyone in A).
    let current: Vec<u32> =
        h.try_read().map(|m| m.cluster().servers().iter().map(|s| s.group().max(1)).collect()).unwrap_or_default();
    let groups = use_local(current.clone()).run(ctx);
    // When the groups in force change (applied, healed, another cluster), the choice starts from them again.
    let in_force = use_local(current.clone()).run(ctx);
    if in_force.get() != current {
        in_force.put(current.clone());
        groups.put(current);
    }
    let Some(m) = h.try_read() else { return html! {} };
    let c = m.cluster();
    let leader = c.leader();
    let now = groups.get();
    let apply = {
        let h = h.clone();
        let groups = groups.clone();
        Callback::from(move |_| {
            let chosen = groups.get();
            let mut by: Vec<Vec<NodeId>> = vec![Vec::new(); 3];
            for i in 0..n {
                let g = chosen.get(i).copied().unwrap_or(1).clamp(1, 3);
                by[(g - 1) as usize].push(NodeId::from_index(i));
            }
            by.retain(|g| !g.is_empty());
            h.send(Op::Sim(Action::Partition { groups: by }));
        })
    };
    let isolate = {
        let h = h.clone();
        let groups = groups.clone();
        Callback::from(move |_| {
            if let Some(l) = leader {
                let others: Vec<NodeId> = (0..n).map(NodeId::from_index).filter(|&x| x != l).collect();
                let g: Vec<u32> = (0..n).map(|i| if i == l.index() { 1 } else { 2 }).collect();
                groups.set(g);
                h.send(Op::Sim(Action::Partition { groups: vec![vec![l], others] }));
            }
        })
    };
    html! {
        <div class="panel-body">
            { crate::ui::raw(r#"<p class="small">Put each server in a group, then apply: servers in different groups cannot reach each other (the client still reaches everyone). Cut links are drawn dashed with a ✕.</p>"#) }
            <table class="groups-table">
                <thead><tr><th scope="col">{ "server" }</th><th scope="col">{ "group" }</th><th scope="col">{ "now" }</th><th scope="col">{ "link" }</th></tr></thead>
                <tbody>
                { for c.servers().iter().enumerate().map(|(i, s)| {
                    let id = s.id();
                    let chosen = now.get(i).copied().unwrap_or(1);
                    let toggle = h.on(Op::Sim(if s.is_disconnected() { Action::Reconnect { node: id } } else { Action::Disconnect { node: id } }));
                    html! { <tr>
                        <th scope="row">{ id.to_string() }{ if leader == Some(id) { " ♛" } else { "" } }</th>
                        <td class="seg" role="group" aria-label={format!("Group of {id}")}>
                            { for (1..=3u32).map(|g| {
                                let groups = groups.clone();
                                let on = Callback::from(move |_| {
                                    let mut v = groups.get();
                                    if let Some(x) = v.get_mut(i) {
                                        *x = g;
                                    }
                                    groups.set(v);
                                });
                                let button = html! { <button aria-pressed={(chosen == g).to_string()} onclick={on}
                                    aria-label={format!("Put {id} in group {}", group_letter(g))}>{ group_letter(g) }</button> };
                                with_class(button, AttrValue::Static(if chosen == g { "seg-btn on" } else { "seg-btn" }))
                            }) }
                        </td>
                        <td>{ if s.group() == 0 { "—".to_string() } else { group_letter(s.group()) } }</td>
                        <td><button class="small-btn" onclick={toggle}
                            aria-label={format!("{} {id}", if s.is_disconnected() { "Reconnect" } else { "Disconnect" })}>
                            { if s.is_disconnected() { "Reconnect" } else { "Disconnect" } }</button></td>
                    </tr> }
                }) }
                </tbody>
            </table>
            <div class="row-buttons">
                <button class="primary" onclick={apply} title="Split the network into the chosen groups">{ "Apply partition" }</button>
                <button onclick={isolate} disabled={leader.is_none()} title="The leader alone on one side, everyone else on the other">{ "Isolate the leader" }</button>
                <button onclick={h.on(Op::Sim(Action::Heal))} title="Remove every partition and disconnection">{ "Heal" }</button>
            </div>
            <p class="muted small">{ format!("Now: {}", c.describe_groups()) }</p>
        </div>
    }
}
