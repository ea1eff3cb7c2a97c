//! The panels' long texts ([`crate::view::texts`]), fetched from
//! `panel-texts.txt` beside the page when a panel that shows one first draws
//! (the Legend panel, the help sheet, the Setup panel), and kept for the
//! page's life. Until they arrive the panel says "Loading…"; a failed fetch
//! is said, with a button that tries again (and the next opening tries again too).

use crate::ui::{use_effect_on, use_local, Local};
use crate::view::texts::{Texts, URL};
use std::cell::RefCell;
use std::rc::Rc;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// The texts as the page knows them.
#[derive(Clone)]
enum State {
    /// Not asked for yet, or asked again after a failure.
    None,
    /// On its way.
    Loading,
    Ready(Rc<Texts>),
    /// Why the fetch failed.
    Failed(String),
}

thread_local! {
    static STATE: RefCell<State> = const { RefCell::new(State::None) };
    /// What redraws each part that asked while the texts are on its way.
    static WAKE: RefCell<Vec<Local<u64>>> = const { RefCell::new(Vec::new()) };
}

/// Gives the page its texts without fetching them (`Some`), or forgets them
/// so that the next part that shows one fetches them (`None`). For the
/// browser tests, whose server has no `panel-texts.txt`.
pub fn set_texts(text: Option<&str>) {
    STATE.with(|s| *s.borrow_mut() = text.map_or(State::None, |t| State::Ready(Rc::new(Texts::parse(t)))));
}

/// Registers `woke` to be bumped when the texts arrive (unless they are
/// here), then fetches them unless they are here or on their way.
fn load(woke: Local<u64>) {
    let state = STATE.with(|s| s.borrow().clone());
    match state {
        State::Ready(_) => return,
        _ => WAKE.with(|w| w.borrow_mut().push(woke)),
    }
    if matches!(state, State::Loading) {
        return;
    }
    STATE.with(|s| *s.borrow_mut() = State::Loading);
    crate::ui::fetch::fetch_text(
        URL,
        Box::new(|text| {
            let s = match text {
                Ok(text) => State::Ready(Rc::new(Texts::parse(&text))),
                Err(why) => State::Failed(why),
            };
            STATE.with(|c| *c.borrow_mut() = s);
            for l in WAKE.with(|w| std::mem::take(&mut *w.borrow_mut())) {
                l.set(l.get() + 1);
            }
        }),
    );
}

/// The text `what name` of the texts (see [`Texts::keyed`]), or "" while
/// they are on their way (a tooltip or a note then shows without it).
pub fn text<'a>(texts: &'a Result<Rc<Texts>, Html>, what: &str, name: &str) -> &'a str {
    texts.as_ref().map_or("", |t| t.keyed(what, name))
}

/// The texts for a part's drawing (a hook: the part draws again when they
/// arrive), or what to show instead: "Loading…", or why they could not be
/// loaded with a Retry button.
#[inline(never)]
pub fn use_texts(ctx: &mut HookContext) -> Result<Rc<Texts>, Html> {
    let woke = use_local(0u64).run(ctx);
    {
        let woke = woke.clone();
        use_effect_on(
            0,
            Box::new(move || {
                // A failure said before: try again, and say "Loading…" meanwhile.
                let again = STATE.with(|s| matches!(*s.borrow(), State::Failed(_)));
                if again {
                    STATE.with(|s| *s.borrow_mut() = State::None);
                }
                load(woke.clone());
                if again {
                    woke.set(woke.get() + 1);
                }
                None
            }),
        )
        .run(ctx);
    }
    match STATE.with(|s| s.borrow().clone()) {
        State::Ready(t) => Ok(t),
        State::Failed(why) => {
            let retry = Callback::from(move |_: MouseEvent| {
                STATE.with(|s| *s.borrow_mut() = State::None);
                load(woke.clone());
                woke.set(woke.get() + 1);
            });
            Err(html! {
                <p class="field-error texts-error" role="alert">
                    { format!("✗ could not load {URL} ({why}): the rest of the page works. ") }
                    <button class="small-btn" onclick={retry}>{ "Retry" }</button>
                </p>
            })
        }
        State::None | State::Loading => Err(crate::ui::raw(r#"<p class="muted" role="status">Loading…</p>"#)),
    }
}
