//! The page's views (wasm32 only): functions that draw the view-model
//! ([`crate::view`]) with Yew, all of them through one component type
//! ([`part::Part`]), and turn clicks into its [`Op`](crate::view::model::Op)s.
//! No Raft logic and no page logic lives here: only markup and browser glue.
//!
//! - [`address`]: the address bar kept in step with the run.
//! - [`store`]: the shared handle to the one [`Model`](crate::view::model::Model),
//!   used by components, the clock and the JavaScript API alike.
//! - [`clock`]: animation frames (and a slow backup timer) that tick the model.
//! - [`app`]: the root: toolbar, notice line, ring, side column, help.
//! - [`toolbar`]: play, step, speed, virtual time, seed, the safety badge.
//! - [`ring`]: the SVG ring; [`menu`]: a server's menu; [`inspector`]: a message's card.
//! - [`logs`]: the log grid.
//! - [`timeline`]: the timeline strip under the ring and the branch list.
//! - [`script_panel`]: where the Script panel (www/script-panel.js, loaded when first needed) draws, and its loader.
//! - [`lesson`]: the Lessons panel (the list, a lesson's step card); [`lesson_load`]:
//!   recorded lessons fetched when first opened, the progress kept in the browser.
//! - [`panels`]: the side column's panels, one file each, and the help sheet.
//! - [`part`]: the one component type of every part of the page.
//! - [`focus`]: arrow keys in menus and tab bars, focus handed back on close.

pub mod address;
pub mod app;
pub mod clock;
pub mod diagram;
pub mod fetch;
pub mod focus;
pub mod inspector;
pub mod lesson;
pub mod lesson_load;
pub mod logs;
pub mod menu;
pub mod panels;
pub mod part;
pub mod resize;
pub mod ring;
#[cfg(feature = "script-panel")]
pub mod script_panel;
pub mod store;
pub mod texts;
pub mod timeline;
pub mod toolbar;

/// A fresh seed for a run started without one, from the browser's random
/// source: six digits, short enough to read out and type back.
pub fn fresh_seed() -> u64 {
    let mut b = [0u8; 8];
    if getrandom::fill(&mut b).is_err() {
        // Never panic for want of randomness: fall back to the clock.
        let t = js_sys::Date::now() as u64;
        return t % 1_000_000;
    }
    u64::from_le_bytes(b) % 1_000_000
}

/// The number in attribute `attr` of the element an event happened in or
/// under that matches `selector` (`"[data-t]"`, `"data-t"`): one listener on
/// a list reads which row was clicked instead of a closure per row.
pub fn data_num(e: &web_sys::Event, selector: &str, attr: &str) -> Option<u64> {
    use wasm_bindgen::JsCast;
    let el: web_sys::Element = e.target()?.dyn_into().ok()?;
    el.closest(selector).ok()??.get_attribute(attr)?.parse().ok()
}

/// Static markup as one string (the browser parses it): a fragment written
/// with `html!` costs code for each element and attribute, this only its
/// text. For parts without listeners of their own (a click on them still
/// reaches a parent's listener, as the Lessons panel's `data-op` buttons do).
#[inline(never)]
pub fn raw(markup: &'static str) -> yew::Html {
    yew::Html::from_html_unchecked(yew::AttrValue::Static(markup))
}

/// Markup made at run time as one string (see [`raw`]; its words escaped
/// by [`Esc`]): for parts without inputs or listeners of their own, whose
/// clicks reach a parent's listener by a `data-` attribute. The browser
/// parses it again only when the string changes.
#[inline(never)]
pub fn markup(s: String) -> yew::Html {
    yew::Html::from_html_unchecked(yew::AttrValue::from(s))
}

/// Words written into markup (text or an attribute's value), escaped (one
/// copy of the escaping on the page: the Diagram's file uses it too).
pub use crate::view::diagram_svg::Esc;

thread_local! {
    /// For each `html!` element given a class by [`with_class`] (its names,
    /// by their address), its names and `class`: made once, kept for the page's life.
    static CLASSED: std::cell::RefCell<Vec<(usize, &'static [&'static str])>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `node` (one element made by `html!`) with `class` as its class attribute
/// (none when `class` is empty). Every `class={..}` that is not a literal
/// goes through Yew's `Classes` (an `IndexSet` of names, kilobytes of code in
/// the page); the page's classes are strings made here instead. The element
/// keeps the names of its attributes as `html!` made them (with `class` at
/// the end, the same list at each drawing), so that Yew compares its
/// attributes one by one, as it does those of any `html!` element, instead
/// of building and comparing a map of them at every frame.
#[inline(never)]
pub fn with_class(mut node: yew::Html, class: yew::AttrValue) -> yew::Html {
    use yew::virtual_dom::{AttributeOrProperty as A, Attributes};
    let yew::Html::VTag(tag) = &mut node else { return node };
    let Some(t) = std::rc::Rc::get_mut(tag) else { return node };
    let (at, names, mut values): (usize, Vec<&'static str>, Vec<Option<A>>) = match std::mem::take(&mut t.attributes) {
        Attributes::Static(a) => {
            (a.as_ptr() as usize, a.iter().map(|p| p.0).collect(), a.iter().map(|p| Some(p.1.clone())).collect())
        }
        Attributes::Dynamic { keys, values } => (keys.as_ptr() as usize, keys.to_vec(), values.into_vec()),
        other => {
            t.attributes = other;
            return node;
        }
    };
    let keys = CLASSED.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(k) = c.iter().find(|k| k.0 == at) {
            return k.1;
        }
        let mut names = names;
        names.push("class");
        let k: &'static [&'static str] = Box::leak(names.into_boxed_slice());
        c.push((at, k));
        k
    });
    values.push((!class.is_empty()).then_some(A::Attribute(class)));
    t.attributes = Attributes::Dynamic { keys, values: values.into_boxed_slice() };
    node
}

/// The class names among `parts` that are not empty, separated by spaces.
#[inline(never)]
pub fn class_list(parts: &[&str]) -> yew::AttrValue {
    let mut s = String::new();
    for p in parts.iter().filter(|p| !p.is_empty()) {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(p);
    }
    yew::AttrValue::from(s)
}

/// A component's own value, which draws the component again when set: what
/// Yew's `use_state` does, on `use_mut_ref` and `use_force_update` (whose
/// code is smaller than `use_state`'s reducer, copied for each type). `get`
/// gives the value now (a callback sees the latest one, not the one of the
/// drawing it was made in).
pub struct Local<T> {
    cell: std::rc::Rc<std::cell::RefCell<T>>,
    redraw: yew::functional::UseForceUpdateHandle,
}

impl<T> Clone for Local<T> {
    fn clone(&self) -> Self {
        Local { cell: self.cell.clone(), redraw: self.redraw.clone() }
    }
}

impl<T: Clone> Local<T> {
    /// The value.
    pub fn get(&self) -> T {
        self.cell.borrow().clone()
    }

    /// Sets the value and draws the component again.
    pub fn set(&self, value: T) {
        self.put(value);
        self.redraw.force_update();
    }

    /// Sets the value without drawing again: for the drawing under way.
    pub fn put(&self, value: T) {
        *self.cell.borrow_mut() = value;
    }
}

/// A [`Local`] value, `init` at first (later drawings drop theirs). A value,
/// not a closure: the hook's code is copied for each type, not for each caller.
#[yew::hook]
pub fn use_local<T: 'static>(init: T) -> Local<T> {
    Local { cell: yew::use_mut_ref(move || init), redraw: yew::use_force_update() }
}

/// What an effect leaves to run before it runs again and when its component goes.
pub type Cleanup = Option<Box<dyn FnOnce()>>;

/// The page's one effect hook: `run` runs after the first drawing and again
/// after each drawing where `key` changed; the [`Cleanup`] it returns runs
/// before that and when the component goes. Every effect of the page goes
/// through here, so Yew's effect machinery is in the wasm once (its deps a
/// `u64`, its body a boxed closure) instead of once for each site's deps and
/// closure types (`use_effect_with`: about 2 KB of wasm more).
#[yew::hook]
pub fn use_effect_on(key: u64, run: Box<dyn FnOnce() -> Cleanup>) {
    yew::use_effect_with(key, move |_| {
        let cleanup = run();
        move || {
            if let Some(c) = cleanup {
                c()
            }
        }
    });
}

/// A [`NodeRef`](yew::NodeRef) kept from one drawing to the next, as
/// `use_node_ref` gives, but on `use_mut_ref`: Yew's `use_node_ref` is a
/// `use_state`, whose reducer machinery the page has no other use for.
#[yew::hook]
pub fn use_node() -> yew::NodeRef {
    yew::use_mut_ref(yew::NodeRef::default).borrow().clone()
}
