//! A server's menu: every fault and action that applies to it (crash or
//! restart, disconnect or reconnect, force a timeout, transfer leadership,
//! a client write to it, remove it from the cluster), opened beside the server without covering it or
//! the client ([`menu_spot`]). Every action closes it; after one chosen with
//! the keyboard the focus goes back to the server.

use super::focus::{focus_server, move_focus, Move};
use super::resize::measure_on_resize;
use super::store::Handle;
use super::texts::{text, use_texts};
use super::{use_effect_on, use_local};
use crate::decimal::fixed;
use crate::sim::{Action, Command, NodeId, Role};
use crate::view::geometry::{menu_spot, MenuRoom, PxRect, VIEW};
use crate::view::model::Op;
use crate::view::ring::ServerDraw;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// An element's box relative to `origin`'s top-left corner.
fn rect_in(el: &web_sys::Element, origin: &web_sys::DomRect) -> PxRect {
    let r = el.get_bounding_client_rect();
    (r.left() - origin.left(), r.top() - origin.top(), r.right() - origin.left(), r.bottom() - origin.top())
}

/// Where the menu `menu` of the server drawn at (`x`, `y`) with radius `r`
/// (ring units) goes, measured on the page: its parent is the area it may
/// use; `others` are the other servers' centres (ring units).
fn place(menu: &web_sys::HtmlElement, (x, y, r): (f64, f64, f64), others: &[(f64, f64)]) -> Option<(f64, f64)> {
    let area = menu.parent_element()?;
    let doc = web_sys::window()?.document()?;
    let svg = doc.query_selector("svg.ring").ok()??;
    let client = doc.query_selector("svg.ring .client-box rect").ok()??;
    let a = area.get_bounding_client_rect();
    let (l, t, rr, b) = rect_in(&svg, &a);
    // The canvas is the largest square centred in the SVG's box.
    let side = (rr - l).min(b - t);
    if side <= 0.0 {
        return None;
    }
    let k = side / VIEW;
    let (x0, y0) = (l + (rr - l - side) / 2.0, t + (b - t - side) / 2.0);
    let room = MenuRoom {
        // A little inside the area: never flush with the window's edge.
        bounds: (2.0, 2.0, a.width() - 2.0, a.height() - 2.0),
        server: (x0 + x * k, y0 + y * k),
        reach: (r + 10.0) * k,
        centre: (x0 + side / 2.0, y0 + side / 2.0),
        client: rect_in(&client, &a),
        others: others.iter().map(|&(ox, oy)| (x0 + ox * k, y0 + oy * k)).collect(),
        size: (menu.offset_width() as f64, menu.offset_height() as f64),
    };
    Some(menu_spot(&room))
}

/// The server menu's props.
#[derive(PartialEq)]
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
    /// The other servers' centres on the ring (the menu avoids covering them).
    pub others: Vec<(f64, f64)>,
    /// Whether the leader would remove this server now, or the engine's reason why not.
    #[cfg(feature = "membership")]
    pub remove: Result<(), String>,
}

/// The menu of a server: every fault and action that applies to it.
pub fn server_menu(ctx: &mut HookContext, props: &MenuProps) -> Html {
    let s = &props.s;
    let id = s.id;
    let first = crate::ui::use_node().run(ctx);
    // The items' tooltips: fetched with the panels' texts.
    let texts = use_texts(ctx);
    let tip = |name: &str| text(&texts, "menu", name).to_string();
    {
        let first = first.clone();
        use_effect_on(
            id.0 as u64,
            Box::new(move || {
                if let Some(el) = first.cast::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
                None
            }),
        )
        .run(ctx);
    }
    let act = |op: Op| {
        let h = props.handle.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            // The second click of a double click is never an action: the first
            // opened the menu, the second was not aimed at it.
            if e.detail() > 1 {
                return;
            }
            h.send(op.clone());
            // Chosen with the keyboard (a click without a pointer): the focus
            // goes back to the server. A mouse or a finger leaves it on the
            // page, so that Space plays or pauses (www/keys.js).
            if e.detail() == 0 {
                focus_server(id.0);
            }
        })
    };
    let menu_ref = crate::ui::use_node().run(ctx);
    // Placed once measured (and again when the window changes size).
    let spot = use_local(None::<(f64, f64)>).run(ctx);
    {
        let (menu_ref, spot) = (menu_ref.clone(), spot.clone());
        let at = (s.x, s.y, s.r);
        let others = props.others.clone();
        use_effect_on(
            id.0 as u64,
            Box::new(move || {
                let measure = move || {
                    if let Some(el) = menu_ref.cast::<web_sys::HtmlElement>() {
                        spot.set(place(&el, at, &others));
                    }
                };
                measure_on_resize(measure)
            }),
        )
        .run(ctx);
    }
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
    let style = match spot.get() {
        Some((left, top)) => format!("left:{}px;top:{}px", fixed(left, 0), fixed(top, 0)),
        // Measured first, shown once placed (still focusable meanwhile).
        None => "left:0;top:0;opacity:0;pointer-events:none".to_string(),
    };
    // The drafted write, checked again when sent (Op::WriteDraft): never a value nobody typed.
    let (can_write, write_words, write_title) = match &props.write {
        Ok(c) => (true, format!("Client write {c} here"), tip("write")),
        Err(why) => {
            (false, "Client write here".to_string(), format!("Fix the write in the Client panel first: {why}."))
        }
    };
    let is_leader = s.up && s.role == Role::Leader;
    // Each item: whether it applies now, its icon, its words, what it does (its tooltip) and its action.
    let items: Vec<(bool, &str, String, String, Op)> = vec![
        if s.up {
            (true, "✕", format!("Crash {id}"), tip("crash"), Op::Sim(Action::Crash { node: id }))
        } else {
            (true, "↻", format!("Restart {id}"), tip("restart"), Op::Sim(Action::Restart { node: id }))
        },
        if s.disconnected {
            (true, "⇄", "Reconnect".into(), tip("reconnect"), Op::Sim(Action::Reconnect { node: id }))
        } else {
            (true, "✂", "Disconnect".into(), tip("disconnect"), Op::Sim(Action::Disconnect { node: id }))
        },
        (s.up, "◷", "Force election timeout".into(), tip("timeout"), Op::Sim(Action::Timeout { node: id })),
        (
            s.up && !is_leader && props.leader.is_some(),
            "♛",
            "Transfer leadership here".into(),
            tip("transfer"),
            Op::Sim(Action::TransferLeadership { to: id }),
        ),
        (can_write, "✎", write_words, write_title, Op::WriteDraft(Some(id))),
    ];
    // Removal through the leader's log (`−S2`); disabled with the engine's reason when refused.
    #[cfg(feature = "membership")]
    let items = {
        let mut items = items;
        items.push(match &props.remove {
        Ok(()) => (
            true,
            "−",
            format!("Remove {id} from the cluster"),
            format!("The leader appends the configuration entry −{id}: from then on {id} neither votes nor counts toward a majority. It keeps running, as a real server does until someone shuts it down."),
            Op::Sim(Action::RemoveServer { node: id }),
        ),
        Err(why) => (false, "−", format!("Remove {id}"), format!("Cannot remove {id} now: {why}."), Op::Sim(Action::RemoveServer { node: id })),
        });
        items
    };
    html! {
        <div class="menu" {style} ref={menu_ref}
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
