//! The message inspector: every field of one message, what became of it, and
//! Drop and Duplicate, on a card docked in the corner of the ring where it
//! hides the least ([`dock_corner`]).

use super::resize::measure_on_resize;
use super::store::Handle;
use super::texts::{text, use_texts};
use super::{class_list, markup, use_effect_on, use_local, with_class, Esc};
use crate::sim::{Action, InFlight};
use crate::view::geometry::VIEW;
use crate::view::inspector::{dock_corner, fields, status, CARD};
use crate::view::model::{Fate, Op};
use std::fmt::Write as _;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// The inspector's props.
#[derive(PartialEq)]
pub struct InspectorProps {
    /// Where the clicks go.
    pub handle: Handle,
    /// The message as last seen.
    pub m: InFlight,
    /// What became of it.
    pub fate: Fate,
    /// Virtual time now.
    pub now: u64,
    /// Number of servers (to know where the message is drawn).
    pub n: usize,
}

/// Every field of one message, with Drop and Duplicate right under its title.
/// It docks in the corner of the ring where it hides the least ([`dock_corner`]).
pub fn inspector(ctx: &mut HookContext, props: &InspectorProps) -> Html {
    let m = &props.m;
    let id = m.id;
    let h = &props.handle;
    // Its size in the ring's units, measured once drawn (the ring is smaller on
    // small screens): again when it shows another message or another fate, and
    // when the window is resized.
    let section = crate::ui::use_node().run(ctx);
    // The buttons' tooltips: fetched with the panels' texts.
    let texts = use_texts(ctx);
    let card = use_local(CARD).run(ctx);
    {
        let (section, card) = (section.clone(), card.clone());
        // Its content changes with the message, what became of it and the cluster's size.
        let fate = match props.fate {
            Fate::InFlight => 0,
            Fate::Arrived => 1,
            Fate::Lost(..) => 2,
            Fate::Unknown => 3,
        };
        use_effect_on(
            id << 8 | fate << 6 | props.n as u64,
            Box::new(move || {
                let measure = move || {
                    let Some(el) = section.cast::<web_sys::HtmlElement>() else { return };
                    let Some(ring) = el.parent_element() else { return };
                    let width = ring.client_width() as f64;
                    if width > 0.0 {
                        let k = VIEW / width;
                        let size = (el.offset_width() as f64 * k, el.offset_height() as f64 * k);
                        let (w, h) = card.get();
                        if (size.0 - w).abs() > 4.0 || (size.1 - h).abs() > 4.0 {
                            card.set(size);
                        }
                    }
                };
                measure_on_resize(measure)
            }),
        )
        .run(ctx);
    }
    let dock = dock_corner(m, m.progress(props.now), props.n, card.get());
    let in_flight = props.fate == Fate::InFlight;
    // The fields as markup (no element of their own to keep), parsed again
    // only when a field changes; the status line, which changes as the
    // message flies, is a text node of its own.
    let mut words = String::from(r#"<dl class="fields">"#);
    for (k, v, wide) in fields(m) {
        let class = if wide { "field wide" } else { "field" };
        let _ = write!(words, r#"<div class="{class}"><dt>{}</dt><dd>{}</dd></div>"#, Esc(k), Esc(&v));
    }
    words.push_str("</dl>");
    let body = html! {
        <section ref={section} aria-label={format!("Message #{id}")} onclick={|e: MouseEvent| e.stop_propagation()}>
            <div class="menu-head">
                <strong>{ format!("Message #{id}") }</strong>
                <button class="x" onclick={h.on(Op::Inspect(None))} aria-label="Close the inspector" title="Close (Esc)">{"×"}</button>
            </div>
            <div class="row-buttons">
                <button disabled={!in_flight} onclick={h.on(Op::Sim(Action::DropMessage { id }))}
                    title={text(&texts, "inspector", "drop").to_string()}>{"✕ Drop"}</button>
                <button disabled={!in_flight} onclick={h.on(Op::Sim(Action::DuplicateMessage { id }))}
                    title={text(&texts, "inspector", "duplicate").to_string()}>{"⊕ Duplicate"}</button>
            </div>
            <p class="muted small status">{ status(m, props.fate, props.now) }</p>
            { markup(words) }
        </section>
    };
    with_class(body, class_list(&["inspector", "card", dock]))
}
