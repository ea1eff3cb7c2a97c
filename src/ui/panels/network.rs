//! The Network panel: put servers in groups and partition, isolate the
//! leader, disconnect or reconnect a server, heal.

use super::PanelProps;
use crate::sim::{Action, NodeId};
use crate::ui::texts::{text, use_texts};
use crate::ui::{use_effect_on, use_local};
use crate::view::model::Op;
use crate::view::theme::group_letter;
use std::fmt::Write;
use wasm_bindgen::JsCast;
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
    // The note on groups: fetched with the panels' texts.
    let texts = use_texts(ctx);
    // When the groups in force change (applied, healed, another cluster), the choice starts from them again.
    let in_force = use_local(current.clone()).run(ctx);
    if in_force.get() != current {
        in_force.put(current.clone());
        groups.put(current);
    }
    // The element to focus after the next drawing (a button the markup
    // below replaced when it changed: its attribute, `data-g` or `data-t`,
    // and value), with a count that tells the effect.
    let refocus = use_mut_ref(|| (0u64, "data-g", 0u64)).run(ctx);
    let panel = crate::ui::use_node().run(ctx);
    {
        let (refocus, panel) = (refocus.clone(), panel.clone());
        let key = refocus.borrow().0;
        use_effect_on(
            key,
            Box::new(move || {
                let (_, attr, what) = *refocus.borrow();
                let found = panel
                    .cast::<web_sys::Element>()
                    .and_then(|p| p.query_selector(&format!("[{attr}=\"{what}\"]")).ok()?);
                let lost = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.active_element())
                    .is_none_or(|a| a.tag_name() == "BODY");
                if let (Some(el), true) =
                    (found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()), lost && key > 0)
                {
                    let _ = el.focus();
                }
                None
            }),
        )
        .run(ctx);
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
    // The rows' buttons (one listener): a group button says its server and
    // group in `data-g` (server × 4 + group), a link button its server in `data-t`.
    let on_rows = {
        let (h, groups, refocus) = (h.clone(), groups.clone(), refocus.clone());
        Callback::from(move |e: MouseEvent| {
            let (g, t) = (crate::ui::data_num(&e, "[data-g]", "data-g"), crate::ui::data_num(&e, "[data-t]", "data-t"));
            let Some(what) = g.or(t) else { return };
            {
                // The two attributes number their buttons alike: S2's link
                // button is data-t="1", S1's group A button data-g="1".
                let mut r = refocus.borrow_mut();
                *r = (r.0 + 1, if g.is_some() { "data-g" } else { "data-t" }, what);
            }
            if let Some(g) = g {
                let mut v = groups.get();
                if let Some(x) = v.get_mut((g / 4) as usize) {
                    *x = (g % 4) as u32;
                }
                groups.set(v);
            } else if let Some(s) = h
                .try_read()
                .and_then(|m| m.cluster().servers().get(what as usize).map(|s| (s.id(), s.is_disconnected())))
            {
                let (node, cut) = s;
                h.send(Op::Sim(if cut { Action::Reconnect { node } } else { Action::Disconnect { node } }));
            }
        })
    };
    // The table as markup (a `<tr>` alone would not parse): written again when it changes.
    let mut rows = String::from(concat!(
        r#"<table class="groups-table"><thead><tr><th scope="col">server</th><th scope="col">group</th>"#,
        r#"<th scope="col">now</th><th scope="col">link</th></tr></thead><tbody>"#
    ));
    for (i, s) in c.servers().iter().enumerate() {
        let id = s.id();
        let chosen = now.get(i).copied().unwrap_or(1);
        let _ = write!(
            rows,
            r#"<tr><th scope="row">{id}{}</th><td class="seg" role="group" aria-label="Group of {id}">"#,
            if leader == Some(id) { " ♛" } else { "" }
        );
        for g in 1..=3u32 {
            let on = chosen == g;
            let letter = group_letter(g);
            let _ = write!(
                rows,
                r#"<button aria-pressed="{on}" aria-label="Put {id} in group {letter}" class="{}" data-g="{}">{letter}</button>"#,
                if on { "seg-btn on" } else { "seg-btn" },
                i * 4 + g as usize
            );
        }
        let word = if s.is_disconnected() { "Reconnect" } else { "Disconnect" };
        let _ = write!(
            rows,
            r#"</td><td>{}</td><td><button class="small-btn" aria-label="{word} {id}" data-t="{i}">{word}</button></td></tr>"#,
            if s.group() == 0 { "—".to_string() } else { group_letter(s.group()) }
        );
    }
    rows.push_str("</tbody></table>");
    html! {
        <div class="panel-body" ref={panel} onclick={on_rows}>
            { crate::ui::markup(text(&texts, "network", "note").to_string()) }
            { crate::ui::markup(rows) }
            <div class="row-buttons">
                <button class="primary" onclick={apply} title="Split the network into the chosen groups">{ "Apply partition" }</button>
                <button onclick={isolate} disabled={leader.is_none()} title="The leader alone on one side, everyone else on the other">{ "Isolate the leader" }</button>
                <button onclick={h.on(Op::Sim(Action::Heal))} title="Remove every partition and disconnection">{ "Heal" }</button>
            </div>
            <p class="muted small">{ format!("Now: {}", c.describe_groups()) }</p>
        </div>
    }
}
