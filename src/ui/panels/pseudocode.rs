//! The Pseudocode panel (issue 10): Raft's rules as pseudocode, the lines
//! the latest event ran lit with the values they compared; an event clicked
//! in the feed, or a message inspected on the ring (or in the Diagram),
//! shows its own lines instead. Everything it says comes from
//! [`crate::view::pseudocode`] (the text, which lines, which values, the
//! markup); this file only fetches the text, draws, and scrolls the lit line
//! into view within the panel.
//!
//! The text (`pseudocode.txt`, beside the page) is fetched when the panel
//! first opens and kept for the page's life; a failed fetch or a text that
//! does not parse is said in the panel (and tried again on its next opening).

use super::PanelProps;
use crate::ui::store::Handle;
use crate::ui::{data_num, markup, use_effect_on, use_local, Esc, Local};
use crate::view::model::{Fate, Op};
use crate::view::pseudocode::{self as pc, Pseudocode};
use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// Where the text is, beside the page (index.html copies it there).
pub const TEXT_URL: &str = "pseudocode.txt";

/// The text as the panel knows it.
#[derive(Clone)]
enum Text {
    /// Not asked for yet.
    None,
    /// On its way.
    Loading,
    /// Parsed.
    Ready(Rc<Pseudocode>),
    /// What went wrong, and whether to fetch it again at the next opening
    /// (a failed request; not a text that does not parse).
    Failed(String, bool),
}

thread_local! {
    static TEXT: RefCell<Text> = const { RefCell::new(Text::None) };
    /// Bumped whenever [`TEXT`] changes (what the panel drew is then stale).
    static TEXT_GEN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// What redraws each panel mounted while the text is on its way: a
    /// fetch that ends after the visitor left the tab and came back redraws
    /// the new panel too, not only the one that started it (gone by then).
    static WAKE: RefCell<Vec<Local<u64>>> = const { RefCell::new(Vec::new()) };
}

/// Gives the panel its text without fetching it (`Some`), or forgets it so
/// that the next opening fetches it (`None`). For the browser tests, whose
/// server has no `pseudocode.txt`, and for pages that bring their own.
pub fn set_text(text: Option<&str>) {
    let t = match text {
        Some(t) => parsed(t),
        None => Text::None,
    };
    set(t);
}

fn set(t: Text) {
    TEXT.with(|c| *c.borrow_mut() = t);
    TEXT_GEN.with(|g| g.set(g.get() + 1));
}

fn parsed(text: &str) -> Text {
    match pc::parse(text) {
        Ok(doc) => Text::Ready(Rc::new(doc)),
        Err(e) => Text::Failed(format!("{TEXT_URL} does not read as pseudocode: {e}"), false),
    }
}

/// Fetches the text unless it is here or on its way; when it arrives (or
/// fails), the panels mounted meanwhile ([`WAKE`]) draw again.
fn load() {
    let ask = TEXT.with(|c| matches!(*c.borrow(), Text::None | Text::Failed(_, true)));
    if !ask {
        return;
    }
    set(Text::Loading);
    crate::ui::fetch::fetch_text(
        TEXT_URL,
        Box::new(|text| {
            let t = match text {
                Ok(text) => parsed(&text),
                Err(why) => Text::Failed(
                    format!(
                        "could not load {TEXT_URL} ({why}): the rest of the page works; open the tab again to retry"
                    ),
                    true,
                ),
            };
            set(t);
            for l in WAKE.with(|w| std::mem::take(&mut *w.borrow_mut())) {
                l.set(l.get() + 1);
            }
        }),
    );
}

/// The run, its rebuilds, its branch, its trace's length, its time, the
/// event chosen, the message inspected and whether it arrived, the text's generation.
type DrawnFor = (u64, u64, u32, usize, u64, Option<usize>, Option<(u64, bool)>, u64);

/// What the panel drew last, and for what: while the run, its trace, the
/// choice and the text stay the same (a paused run), a drawing reuses it
/// instead of finding the event to show
/// (up to [`pc::LOOK_BACK`] events back), counting the voters (back
/// through the trace) and writing the markup again.
#[derive(Default)]
struct Drawn {
    key: Option<DrawnFor>,
    shown: Option<Rc<pc::Showing>>,
    /// The body's markup, and the "why" paragraphs open when it was written.
    body: Option<(AttrValue, Vec<String>)>,
}

/// The panel.
pub fn pseudocode_panel(ctx: &mut HookContext, p: &PanelProps) -> Html {
    let h = &p.handle;
    let panel = crate::ui::use_node().run(ctx);
    let loaded = use_local(0u64).run(ctx);
    let drawn = use_local(Rc::new(RefCell::new(Drawn::default()))).run(ctx).get();
    let open = use_local(Rc::new(RefCell::new(Vec::<String>::new()))).run(ctx);
    {
        let loaded = loaded.clone();
        use_effect_on(
            0,
            Box::new(move || {
                // Registered before the fetch starts: a fetch that ends at
                // once (a failure thrown synchronously) still redraws it.
                if TEXT.with(|c| matches!(*c.borrow(), Text::None | Text::Loading | Text::Failed(_, true))) {
                    WAKE.with(|w| w.borrow_mut().push(loaded));
                }
                load();
                None
            }),
        )
        .run(ctx);
    }
    let Some(m) = h.try_read() else { return html! {} };
    let c = m.cluster();
    let branch = m.timeline().current_branch();
    let inspected = m.inspected.as_ref().map(|msg| (msg, m.fate == Fate::Arrived));
    let text = TEXT.with(|c| c.borrow().clone());
    let gen = TEXT_GEN.with(|g| g.get());
    let now =
        (m.run, m.rebuilt, branch, c.events().len(), c.now(), m.explained, inspected.map(|(i, a)| (i.id, a)), gen);
    let mut d = drawn.borrow_mut();
    let fresh = d.key != Some(now);
    if fresh {
        let empty = Pseudocode::default();
        let doc = match &text {
            Text::Ready(doc) => doc,
            _ => &empty,
        };
        d.shown = Some(Rc::new(pc::showing(doc, c, m.explained, inspected)));
        d.key = Some(now);
        d.body = None;
    }
    let Some(shown) = d.shown.clone() else { return html! {} };
    // The lit lines scroll into view when what is shown changes.
    let key = match (&m.inspected, shown.event) {
        (Some(msg), _) => (msg.id << 2) | 1 | ((m.fate == Fate::Arrived) as u64) << 1,
        (None, Some(i)) => (i as u64) << 2 | 2,
        (None, None) => 0,
    } ^ loaded.get() << 40;
    {
        let panel = panel.clone();
        // The first lit line that is drawn (a lit line of an option that is
        // off is not).
        let shown = shown.clone();
        use_effect_on(
            key,
            Box::new(move || {
                let _ = shown.lits.iter().any(|l| scroll_to_lit(&panel, &l.id));
                None
            }),
        )
        .run(ctx);
    }
    let body = match text {
        Text::Ready(doc) => {
            let open = open.get();
            let open = open.borrow();
            if d.body.as_ref().is_none_or(|b| b.1 != *open) {
                let options = pc::options_on(&c.config().raft);
                d.body = Some((AttrValue::from(pc::render(&doc, &options, &shown.lits, &open)), open.clone()));
            }
            Html::from_html_unchecked(d.body.as_ref().map(|b| b.0.clone()).unwrap_or_default())
        }
        Text::Failed(why, _) => markup(format!(r#"<p class="field-error" role="alert">✗ {}</p>"#, Esc(&why))),
        Text::None | Text::Loading => markup(r#"<p class="muted" role="status">Loading the pseudocode…</p>"#.into()),
    };
    drop(d);
    let onclick = on_click(h, open.get());
    html! {
        <div class="panel-body pseudocode" ref={panel} {onclick}>
            { head(&shown) }
            { body }
        </div>
    }
}

/// The panel's head: what it shows, Earlier / Later / Follow the run, and how to choose.
fn head(s: &pc::Showing) -> Html {
    let mut out = format!(
        r#"<div class="pc-head"><p class="pc-showing" aria-live="polite"><strong>{}</strong>{}<span class="pc-what">{}</span></p><p class="pc-nav">"#,
        Esc(&s.heading),
        if s.following { r#" <span class="muted small">(follows the run)</span>"# } else { "" },
        Esc(&s.what)
    );
    // Each button says in data-ev which event it shows; data-follow follows the run again.
    let mut nav = |label: &str, title: &str, to: Option<usize>| {
        let _ = match to {
            Some(k) => write!(out, r#"<button class="small-btn" data-ev="{k}" title="{title}">{label}</button>"#),
            None => write!(out, r#"<button class="small-btn" disabled title="{title}">{label}</button>"#),
        };
    };
    nav("‹ Earlier", "The event before it that ran a line", s.earlier);
    nav("Later ›", "The event after it that ran a line", s.later);
    let _ = write!(
        out,
        r#"<button class="small-btn" data-follow{} title="Show the latest event's lines as the run goes">Follow the run</button></p><p class="muted small pc-how">Click an event in the Events tab, or a message on the ring, to see the lines that handled it.</p></div>"#,
        if s.following { " disabled" } else { "" }
    );
    markup(out)
}

/// One listener for the panel: Earlier, Later, Follow the run, and the
/// "why" paragraphs opened or closed (kept, as the lit lines change the markup).
fn on_click(h: &Handle, open: Rc<RefCell<Vec<String>>>) -> Callback<MouseEvent> {
    h.on_event(move |e: MouseEvent| {
        if let Some(i) = data_num(&e, "[data-ev]", "data-ev") {
            return Some(Op::Explain(Some(i as usize)));
        }
        let el: web_sys::Element = e.target()?.dyn_into().ok()?;
        if el.closest("[data-follow]").ok()?.is_some() {
            return Some(Op::Explain(None));
        }
        // A summary's click opens or closes its details (the browser does it): remember which.
        let summary = el.closest("summary").ok()??;
        let key = summary.parent_element()?.get_attribute("data-why")?;
        let mut open = open.borrow_mut();
        match open.iter().position(|k| *k == key) {
            Some(at) => {
                open.remove(at);
            }
            None => open.push(key),
        }
        None
    })
}

/// Scrolls the panel (only the panel: not the page) so that the line that
/// ran first (`id`) shows below the panel's head (which stays on top as it scrolls).
fn scroll_to_lit(panel: &NodeRef, id: &str) -> bool {
    let Some(el) = panel.cast::<web_sys::Element>() else { return false };
    let Some(lit) = el.query_selector(&format!(".pc-lit[data-id=\"{id}\"]")).ok().flatten() else { return false };
    let Some(scroller) = el.closest(".tab-panel").ok().flatten() else { return true };
    let (line, view) = (lit.get_bounding_client_rect(), scroller.get_bounding_client_rect());
    let head = el.query_selector(".pc-head").ok().flatten().map_or(0.0, |h| h.get_bounding_client_rect().height());
    let top = view.top() + head;
    if line.top() < top || line.bottom() > view.bottom() {
        let to = scroller.scroll_top() as f64 + line.top() - top - (view.bottom() - top) / 4.0;
        scroller.set_scroll_top(to.max(0.0) as i32);
    }
    true
}
