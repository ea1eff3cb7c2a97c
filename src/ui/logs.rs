//! The log grid: every server's log side by side, coloured by term, committed
//! entries solid and uncommitted ones hatched, the commit index marked, and the
//! leader's nextIndex / matchIndex for each follower (drawn from
//! [`log_grid_in`], see [`crate::view::logs`]).

use super::panels::PanelProps;
use super::resize::measure_on_size;
use super::{use_effect_on, use_local};
use crate::view::logs::{columns_shown, log_grid_in, longest as longest_of, GridCache, Patch};
use wasm_bindgen::prelude::*;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function morph(a, html) {
  const t = document.createElement("table");
  t.innerHTML = html;
  kids(a, t);
}
function kids(a, b) {
  const x = a.childNodes, y = [...b.childNodes];
  y.forEach((n, i) => {
    const o = x[i];
    if (!o) a.append(n);
    else if (o.nodeType - 1 && o.nodeType == n.nodeType) o.data != n.data && (o.data = n.data);
    else if (o.nodeName + o.getAttributeNames?.() != n.nodeName + n.getAttributeNames?.()) o.replaceWith(n);
    else {
      for (const k of n.getAttributeNames()) o.getAttribute(k) != n.getAttribute(k) && o.setAttribute(k, n.getAttribute(k));
      kids(o, n);
    }
  });
  while (x.length > y.length) x[y.length].remove();
}
"#)]
extern "C" {
    /// Makes `table`'s contents the table `html` says, changing what differs
    /// only (attribute values, texts and comments; an element of another
    /// kind or with other attribute names, or in another order, replaced,
    /// the extra ones added or removed): the cells that stay keep their
    /// elements, so the browser styles again only what changed, and lays
    /// out and paints few new elements (about 2.4 made per seek); the
    /// table is, attribute for attribute, the table written anew.
    fn morph(table: &web_sys::Element, html: &str);
}

/// The log grid, scrolled to its newest column whenever the longest log grows.
///
/// The table is markup written into the page by hand, not by Yew: its cells
/// have no listener of their own. It is written whole when its columns or
/// its rows change (after a seek through `morph`, which keeps its elements
/// and rewrites only what differs); else only the cells that changed are written
/// again (a row whole when its own state changes), so that the browser paints
/// again only those cells, and the others (and a tooltip shown on one) stay.
/// It draws the columns that fit its width and two more
/// ([`columns_for`](crate::view::logs::columns_for)),
/// measured whenever its size changes (the fewest while it is hidden), and
/// all [`MAX_COLUMNS`](crate::view::logs::MAX_COLUMNS) once scrolled back to
/// its first column ([`columns_shown`]).
pub fn grid(ctx: &mut HookContext, props: &PanelProps) -> Html {
    let scroller = crate::ui::use_node().run(ctx);
    let table = crate::ui::use_node().run(ctx);
    let cache = yew::functional::use_mut_ref(GridCache::default).run(ctx);
    let width = use_local(0u32).run(ctx);
    // Scrolled back to its first column: (the longest log then plus one, the
    // table's width then), see [`columns_shown`].
    let back = use_local((0u64, 0i32)).run(ctx);
    // The hooks run at every drawing, even one that finds the model busy
    // (a part must run the same hooks each time).
    let drawn = props.handle.try_read().map(|m| {
        let most = columns_shown(width.get(), back.get().0, longest_of(&m));
        (most, log_grid_in(&m, most))
    });
    let most = drawn.as_ref().map_or(0, |d| d.0);
    let grid = drawn.map(|d| d.1);
    let longest = grid.as_ref().map(|g| g.longest);
    {
        // Its width, measured once it is drawn and whenever it changes.
        let (el, width) = (scroller.clone(), width.clone());
        use_effect_on(
            longest.is_some() as u64,
            Box::new(move || {
                let e = el.cast::<web_sys::Element>()?;
                let at = e.clone();
                // Set only when it changed (not when only its height did). Hidden
                // (0: the narrow layout's other tabs), it draws the fewest columns,
                // not all of them as when not measured yet (0).
                measure_on_size(&e, move || {
                    let w = (at.client_width() as u32).max(1);
                    if w != width.get() {
                        width.set(w);
                    }
                })
            }),
        )
        .run(ctx);
    }
    match grid {
        Some(g) => cache.borrow_mut().update(g),
        // (Nothing drawn: the table goes, and one drawn again is written whole.)
        None => cache.borrow_mut().rows.clear(),
    }
    {
        let (cache, table) = (cache.clone(), table.clone());
        let key = cache.borrow().written;
        use_effect_on(
            key,
            Box::new(move || {
                if let Some(el) = table.cast::<web_sys::Element>() {
                    write(&mut cache.borrow_mut(), &el);
                }
                None
            }),
        )
        .run(ctx);
    }
    {
        let (scroller, back) = (scroller.clone(), back.get());
        let at = longest.unwrap_or(0);
        // (Also when the columns drawn change in number: a wider grid draws more;
        // widened from its first column, it keeps the columns in view.)
        use_effect_on(
            at ^ (most << 48),
            Box::new(move || {
                if let Some(el) = scroller.cast::<web_sys::Element>() {
                    let kept = if back.0 == at + 1 { back.1 } else { 0 };
                    el.set_scroll_left(el.scroll_width() - kept);
                }
                None
            }),
        )
        .run(ctx);
    }
    let Some(longest) = longest else { return html! {} };
    // Scrolled to its first column: the older ones too, up to MAX_COLUMNS.
    let onscroll = {
        let el = scroller.clone();
        move |_: Event| {
            if let Some(e) = el.cast::<web_sys::Element>().filter(|e| e.scroll_left() == 0) {
                if back.get().0 != longest + 1 {
                    back.set((longest + 1, e.scroll_width()));
                }
            }
        }
    };
    html! {
        <div class="loggrid" ref={scroller} {onscroll}>
            <table ref={table} aria-label="Every server's log, one row per server, one column per log index"></table>
            if longest == 0 {
                <p class="muted small pad">{ "The logs are empty. Once a leader is elected it appends a no-op; then try a client write." }</p>
            }
        </div>
    }
}

/// Writes what changed in `cache` since the last time into the page's `table`:
/// the whole table (its columns jumped, a seek: by `morph`, which keeps the
/// elements and rewrites what differs; else, moved on by one as the run
/// plays, a new run: anew), or else the rows and
/// cells that changed (each its `outerHTML`, see [`Patch`]).
fn write(cache: &mut GridCache, table: &web_sys::Element) {
    let jumped = cache.jumped;
    let (whole, patches) = cache.take();
    if let Some(t) = whole {
        if jumped {
            morph(table, &t);
        } else {
            table.set_inner_html(&t);
        }
        return;
    }
    // The `n`th element child of `e`.
    let nth = |e: Option<web_sys::Element>, n: usize| {
        (0..n).fold(e.and_then(|e| e.first_element_child()), |c, _| c.and_then(|c| c.next_element_sibling()))
    };
    for p in patches {
        // The rows are the children of the table's last child (tbody).
        let (el, t) = match p {
            Patch::Row(k, t) => (nth(table.last_element_child(), k), t),
            Patch::Cell(k, j, t) => (nth(nth(table.last_element_child(), k), j), t),
        };
        if let Some(e) = el {
            e.set_outer_html(&t);
        }
    }
}
