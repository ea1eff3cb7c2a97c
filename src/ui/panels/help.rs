//! The help sheet: a modal dialog with the keyboard shortcuts and how to read the page.

use crate::ui::focus;
use crate::ui::store::Handle;
use crate::ui::use_effect_on;
use crate::view::model::Op;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// What the help says: what the page is, the keyboard shortcuts, what clicks do.
const TEXT: &str = concat!(
    r#"<p>A simulated Raft cluster runs in your browser, slowed down so you can follow every message. Servers elect a leader; the leader appends client writes to its log and replicates them; an entry is committed once a majority stores it. Break things and watch Raft recover.</p>"#,
    r#"<table class="keys"><tbody>"#,
    r#"<tr><th scope="row"><kbd>Space</kbd></th><td>play / pause</td></tr>"#,
    r#"<tr><th scope="row"><kbd>→ or ↓</kbd></th><td>step to the next event</td></tr>"#,
    r#"<tr><th scope="row"><kbd>← or ↑</kbd></th><td>step back to the previous event (time travel)</td></tr>"#,
    r#"<tr><th scope="row"><kbd>Shift ←</kbd> / <kbd>Shift →</kbd></th><td>one virtual second back / on</td></tr>"#,
    r#"<tr><th scope="row"><kbd>Home</kbd> / <kbd>End</kbd></th><td>the start of the run / its latest moment</td></tr>"#,
    r#"<tr><th scope="row"><kbd>1 … 9</kbd></th><td>select a server (opens its menu)</td></tr>"#,
    r#"<tr><th scope="row"><kbd>Enter</kbd></th><td>open the focused server's menu</td></tr>"#,
    r#"<tr><th scope="row"><kbd>M</kbd> / <kbd>Shift M</kbd></th><td>inspect the next / previous message in flight (pauses)</td></tr>"#,
    r#"<tr><th scope="row"><kbd>↑ ↓</kbd></th><td>move between the items of a server's menu</td></tr>"#,
    r#"<tr><th scope="row"><kbd>← →</kbd></th><td>move between the panels' tabs (when a tab has the focus)</td></tr>"#,
    r#"<tr><th scope="row"><kbd>Esc</kbd></th><td>close menus, the inspector and this help</td></tr>"#,
    r#"<tr><th scope="row"><kbd>?</kbd></th><td>show or hide this help</td></tr>"#,
    r#"</tbody></table>"#,
    r#"<p class="small">Click a server for its menu: crash / restart, disconnect / reconnect, force an election timeout, transfer leadership, send it a client write. Click (or tap) a message to see its fields and drop or duplicate it: a click near it is enough, and the clock waits while the mouse pointer rests on one. The Network panel partitions the cluster; Setup changes size, seed and timing. The same seed and the same actions always give the same run.</p>"#,
    r#"<p class="small">The timeline under the ring holds the whole run: click or drag it to go back to any moment, exactly as it was. Playing from there replays what happened; doing anything there starts a new branch, and the branch list under the timeline switches back. Share copies a link to the moment shown.</p>"#,
    r#"<p class="small">Scripts can drive the page through window.raftPlayground (crash, restart, partition, write, state, ...).</p>"#,
);

/// Keyboard shortcuts and how to read the page, in a modal dialog.
pub fn help(ctx: &mut HookContext, h: &Handle) -> Html {
    let close = h.on(Op::ToggleHelp);
    // A modal dialog: it takes the focus when it opens and gives it back when it closes.
    let card = crate::ui::use_node().run(ctx);
    {
        let card = card.clone();
        use_effect_on(
            0,
            Box::new(move || {
                let before = focus::active();
                if let Some(c) = card.cast::<web_sys::HtmlElement>() {
                    let _ = c.focus();
                }
                Some(Box::new(move || {
                    if let Some(b) = before {
                        focus::restore(&b);
                    }
                }))
            }),
        )
        .run(ctx);
    }
    // Tab stays inside the dialog.
    let trap = {
        let card = card.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Tab" {
                return;
            }
            e.prevent_default();
            if let Some(c) = card.cast::<web_sys::Element>() {
                let how = if e.shift_key() { focus::Move::Prev } else { focus::Move::Next };
                focus::move_focus(&c, "button, a[href], input, select, textarea", how);
            }
        })
    };
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-label="Help" onclick={close.clone()} onkeydown={trap}>
            <section class="card help" ref={card} tabindex="-1" onclick={|e: MouseEvent| e.stop_propagation()}>
                <div class="menu-head"><strong>{ "Raft Playground — help" }</strong>
                    <button class="x" onclick={close} aria-label="Close help" title="Close (Esc)">{"×"}</button></div>
                { Html::from_html_unchecked(AttrValue::Static(TEXT)) }
            </section>
        </div>
    }
}
