//! A server's menu: every fault and action that applies to it (crash or
//! restart, disconnect or reconnect, force a timeout, transfer leadership,
//! a client write to it), opened beside it on the ring.

use super::focus::{focus_server, move_focus, Move};
use super::store::Handle;
use crate::sim::{Action, Command, NodeId, Role};
use crate::view::geometry::menu_place;
use crate::view::model::Op;
use crate::view::ring::ServerDraw;
use yew::prelude::*;

/// The server menu's props.
#[derive(Properties, PartialEq)]
pub struct MenuProps {
    /// Where the clicks go.
    pub handle: Handle,
    /// The server's drawing (its id, place, role, state).
    pub s: ServerDraw,
    /// Whether some server leads (for "transfer leadership").
    pub leader: Option<NodeId>,
    /// The write the client panel would send: its key and value as typed, or
    /// why it cannot be sent.
    pub write: Result<Command, String>,
}

/// The menu of a server: every fault and action that applies to it.
#[component]
pub fn ServerMenu(props: &MenuProps) -> Html {
    let s = &props.s;
    let id = s.id;
    let first = use_node_ref();
    {
        let first = first.clone();
        use_effect_with(id, move |_| {
            if let Some(el) = first.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    let act = |op: Op| {
        props.handle.on_event(move |e: MouseEvent| {
            e.stop_propagation();
            Some(op.clone())
        })
    };
    let menu_ref = use_node_ref();
    let onkeydown = {
        let h = props.handle.clone();
        let menu_ref = menu_ref.clone();
        Callback::from(move |e: KeyboardEvent| {
            let how = match e.key().as_str() {
                "Escape" => {
                    e.stop_propagation();
                    // Back to the server the menu belongs to.
                    focus_server(id.0);
                    h.send(Op::Select(None));
                    return;
                }
                "ArrowDown" => Move::Next,
                "ArrowUp" => Move::Prev,
                "Home" => Move::First,
                "End" => Move::Last,
                _ => return,
            };
            e.prevent_default();
            if let Some(menu) = menu_ref.cast::<web_sys::Element>() {
                move_focus(&menu, "[role=\"menuitem\"]", how);
            }
        })
    };
    let ((left, top), side, vert) = menu_place(s.x, s.y);
    // The drafted write, checked again when sent (Op::WriteDraft): never a value nobody typed.
    let (can_write, write_words, write_title) = match &props.write {
        Ok(c) => (
            true,
            format!("Client write {c} here"),
            "The simulated client sends this write to this server first (a follower redirects it to the leader)."
                .to_string(),
        ),
        Err(why) => {
            (false, "Client write here".to_string(), format!("Fix the write in the Client panel first: {why}."))
        }
    };
    let is_leader = s.up && s.role == Role::Leader;
    // Each item: whether it applies now, its icon, its words, what it does (its tooltip) and its action.
    let items: [(bool, &str, String, String, Op); 5] = [
        if s.up {
            (true, "✕", format!("Crash {id}"), "Stop the server. Its term, vote and log are on disk and survive; everything else is lost.".into(), Op::Sim(Action::Crash { node: id }))
        } else {
            (true, "↻", format!("Restart {id}"), "Start the server again from what it saved on disk, as a follower.".into(), Op::Sim(Action::Restart { node: id }))
        },
        if s.disconnected {
            (true, "⇄", "Reconnect".into(), "Plug the server back into the network.".into(), Op::Sim(Action::Reconnect { node: id }))
        } else {
            (true, "✂", "Disconnect".into(), "Cut the server off from everyone: messages to and from it are lost.".into(), Op::Sim(Action::Disconnect { node: id }))
        },
        (s.up, "◷", "Force election timeout".into(), "Make its election timer run out now: it starts an election for the next term.".into(), Op::Sim(Action::Timeout { node: id })),
        (
            s.up && !is_leader && props.leader.is_some(),
            "♛",
            "Transfer leadership here".into(),
            "Manual failover: the leader brings this server up to date, then tells it to start an election (TimeoutNow).".into(),
            Op::Sim(Action::TransferLeadership { to: id }),
        ),
        (can_write, "✎", write_words, write_title, Op::WriteDraft(Some(id))),
    ];
    html! {
        <div class={classes!("menu", side, vert)} style={format!("left:{left:.2}%;top:{top:.2}%")} ref={menu_ref}
            role="menu" aria-label={format!("Actions on {id}")} data-menu-of={id.0.to_string()}
            {onkeydown} onclick={|e: MouseEvent| e.stop_propagation()}>
            <div class="menu-head">
                <strong>{ id.to_string() }</strong>
                <span class="muted">{ s.state_word() }{ format!(", term {}", s.term) }</span>
                <button class="x" onclick={props.handle.on(Op::Select(None))} aria-label="Close the menu" title="Close (Esc)">{"×"}</button>
            </div>
            { for items.into_iter().enumerate().map(|(i, (enabled, icon, words, title, op))| html! {
                // The first item takes the focus when the menu opens.
                <button role="menuitem" ref={if i == 0 { first.clone() } else { NodeRef::default() }}
                    disabled={!enabled} onclick={act(op)} {title}>
                    <span class="ico">{ icon }</span>{ words }</button>
            }) }
        </div>
    }
}
