//! Keyboard focus helpers: arrow keys between the items of a menu or a tab
//! bar, and focus handed back where it came from (menus, the help dialog).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

// Browser calls made in JavaScript, each one import: looked up and called from
// Rust (`Reflect::get`, a `Function` cast, `call`), each was more code.
#[wasm_bindgen(inline_js = r#"
export function focusOn(el) {
  try { el.focus(); } catch (e) {}
}
export function scrollNear(el) {
  try { el.scrollIntoView({ block: "nearest" }); } catch (e) {}
}
export function reducedMotion() {
  try { return matchMedia("(prefers-reduced-motion: reduce)").matches === true; } catch (e) { return false; }
}
"#)]
extern "C" {
    /// `el.focus()` (HTML and SVG elements alike), if it has one.
    #[wasm_bindgen(js_name = focusOn)]
    fn focus_on(el: &Element);
    /// `el.scrollIntoView({ block: "nearest" })`, if it has one.
    #[wasm_bindgen(js_name = scrollNear)]
    pub fn scroll_near(el: &Element);
    /// Whether the visitor's system asks for reduced motion (`prefers-reduced-motion: reduce`).
    #[wasm_bindgen(js_name = reducedMotion)]
    pub fn prefers_reduced_motion() -> bool;
}

/// The elements matching `selector` inside `container` that can take focus now
/// (not disabled, not hidden by the layout).
pub fn focusable(container: &Element, selector: &str) -> Vec<HtmlElement> {
    let Ok(list) = container.query_selector_all(selector) else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.get(i)?.dyn_into::<HtmlElement>().ok())
        .filter(|el| {
            let r = el.get_bounding_client_rect();
            !el.has_attribute("disabled") && (r.width() > 0.0 || r.height() > 0.0)
        })
        .collect()
}

/// What an arrow key does in a list of items.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Move {
    /// The next item (wrapping).
    Next,
    /// The previous item (wrapping).
    Prev,
    /// The first item.
    First,
    /// The last item.
    Last,
}

/// Moves the focus among the items matching `selector` in `container`, from
/// the one holding it now; returns the newly focused item.
pub fn move_focus(container: &Element, selector: &str, how: Move) -> Option<HtmlElement> {
    let items = focusable(container, selector);
    if items.is_empty() {
        return None;
    }
    let active = web_sys::window()?.document()?.active_element();
    let at = items.iter().position(|el| active.as_ref().is_some_and(|a| a == el.unchecked_ref::<Element>()));
    let n = items.len();
    let to = match (how, at) {
        (Move::First, _) | (Move::Next, None) => 0,
        (Move::Last, _) | (Move::Prev, None) => n - 1,
        (Move::Next, Some(i)) => (i + 1) % n,
        (Move::Prev, Some(i)) => (i + n - 1) % n,
    };
    let el = items[to].clone();
    let _ = el.focus();
    Some(el)
}

/// The element that has the focus now.
pub fn active() -> Option<Element> {
    web_sys::window()?.document()?.active_element()
}

/// Focuses `el` (an HTML or SVG element) if it is still on the page.
pub fn restore(el: &Element) {
    if !el.is_connected() {
        return;
    }
    // SVG elements have focus() too, but not through HtmlElement.
    focus_on(el);
}

/// Focuses the server `id` (1-based) on the ring.
pub fn focus_server(id: u8) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Ok(Some(el)) = doc.query_selector(&format!("svg.ring [data-server=\"{id}\"]")) {
        restore(&el);
    }
}
