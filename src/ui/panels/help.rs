//! The help sheet: a modal dialog with the keyboard shortcuts and how to read the page.

use crate::ui::focus;
use crate::ui::store::Handle;
use crate::ui::texts::use_texts;
use crate::ui::use_effect_on;
use crate::view::model::Op;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

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
    // What the help says (what the page is, the keyboard shortcuts, what
    // clicks do): fetched with the other panels' texts (`panel-texts.txt`).
    let text = match use_texts(ctx) {
        Ok(t) => Html::from_html_unchecked(AttrValue::from(t.get("help").to_string())),
        Err(wait) => wait,
    };
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-label="Help" onclick={close.clone()} onkeydown={trap}>
            <section class="card help" ref={card} tabindex="-1" onclick={|e: MouseEvent| e.stop_propagation()}>
                <div class="menu-head"><strong>{ "Raft Playground — help" }</strong>
                    <button class="x" onclick={close} aria-label="Close help" title="Close (Esc)">{"×"}</button></div>
                { text }
            </section>
        </div>
    }
}
