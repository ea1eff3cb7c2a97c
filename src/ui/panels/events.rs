//! The event feed: the whole run's trace in plain words, newest first, a page
//! of [`PAGE`] events at a time (see [`feed_page`]).

use crate::ui::store::Handle;
use crate::ui::{use_effect_on, use_node};
use crate::view::events::{feed_page, PAGE};
use crate::view::model::Op;
use crate::view::theme::{event_icon, secs};
use wasm_bindgen::prelude::*;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function fill(a, s, keep, t) {
  const c = a.children, v = [], b = a.closest(".tab-panel");
  a.w = t;
  for (let p = 0, r, q; p < s.length; v.push(r)) {
    for (r = []; r.length < 5; p = q + 1) r.push(s.slice(p, (q = s.indexOf("\x01", p))));
    r[5] = s.slice(p, (p += +r[4]));
  }
  const all = keep < 0, f = !all && [...c].map((r) => r.n);
  if (all) keep = v.length;
  else for (const _ of v) a.prepend(li());
  while (c.length < keep) a.append(li());
  while (c.length > keep) a.lastChild.remove();
  // Rows added at the top: which are near goes with the place, not the row.
  f && f.forEach((n, k) => c[k] && (c[k].n = n));
  let d = 0;
  // A row put off is hidden until written (it keeps its place): it paints
  // nothing, a scroll never shows it stale, nor does a screen reader.
  v.forEach((x, k, _, r = c[k]) => (r.n || !b || !all ? ((r.p = x), w(r)) : (r.p || (r.style.visibility = "hidden"), (r.p = x), (d = 1))));
  // The time column's width, row by row (on the list, a new width restyled
  // and laid out every row): the rows put off take it when written.
  for (const r of c) r.p || wide(r);
  if (b && (all || a.d)) {
    b.a = a;
    // Observed anew: the observer's first report, after this frame's layout
    // (observe() alone does nothing for an element observed already).
    const o = (b.o ||= (b.addEventListener("scroll", () => b.a?.d && b.a.isConnected && near(b, b.clientHeight)), new ResizeObserver(() => b.a?.isConnected && near(b, 20))));
    o.unobserve(b);
    o.observe(b);
  }
  if (d) {
    a.d = 1;
    set(a, "aria-busy", "true");
    clearTimeout(a.t);
    a.t = setTimeout(() => {
      for (const r of c) r.p && w(r);
      a.d = 0;
      a.removeAttribute("aria-busy");
    }, 60);
  }
}
const li = () => Object.assign(document.createElement("li"), { n: 1 });
const w = (r) => {
  const [kind, i, icon, time, , text] = r.p;
  r.p = 0;
  r.style.visibility &&= "";
  r.firstChild || (r.innerHTML = "<span class=ev-icon></span><span class=ev-time></span><span class=ev-text></span>");
  const [x, y, z] = r.children;
  set(r, "class", "ev ev-" + kind);
  // i is a string: "0" (the trace's first event) is truthy, only "" is not.
  i ? set(r, "data-i", i) : r.removeAttribute("data-i");
  set(x, "title", kind);
  put(x, icon); put(y, time); put(z, text);
  wide(r);
};
// (Its padding, not a custom property, which its texts would inherit: a
// row's visibility then restyled them whole, not by the quick path.)
const wide = (r) => r.w !== (r.w = r.parentNode.w) && (r.style.paddingLeft = `calc(${r.w}ch + 36px)`);
// Reads every row's place (one layout, none if the frame's is done), then
// writes the waiting rows it finds in view or within m px; again until none.
const near = (b, m) => {
  for (let v = [0]; v.length && b.a; v.forEach(w)) {
    const { top, bottom } = b.getBoundingClientRect();
    v = [...b.a.children].filter((r, q) => ((q = r.getBoundingClientRect()), (r.n = q.bottom > top - m && q.top < bottom + m) && r.p));
  }
};
const set = (e, k, v) => e.getAttribute(k) !== v && e.setAttribute(k, v);
const put = (e, v) => { const t = e.firstChild; t ? t.data !== v && (t.data = v) : e.append(v); };
"#)]
extern "C" {
    /// Writes the rows `s` tells into the list `a`, top to bottom: with
    /// `keep` below 0, into the rows it has (as many made or removed as
    /// needed); else into as many new rows added at its top, its last ones
    /// beyond `keep` removed. A row is five fields, each ended by `\x01`:
    /// its kind, its place in the trace (or nothing), its icon, its time and
    /// the length of its sentence (UTF-16), then that sentence. Only the
    /// attributes and texts that differ are set: the rows keep their
    /// elements, so the browser makes none and styles none again.
    ///
    /// Only rows in or near the view of the scrolling panel (`.tab-panel`)
    /// are written at once (a seek's frame lays out and paints every row
    /// of the list, ~9 of 50 in view at 1280x800); the others wait (`p`,
    /// the list `aria-busy`), hidden (`visibility`: in place, painting
    /// nothing, never seen or read stale), for a timer 60 ms on, re-armed by
    /// the next seek, so a drag writes only what it shows. Which rows are
    /// near (`n`) is known without a layout of its own: the rows a rewrite
    /// in place adds at the list's foot (a list shorter than its page) are;
    /// the others as the last check found them. That check (`near`) runs after
    /// the layout of each frame that rewrote the list or left rows waiting,
    /// before its paint (a `ResizeObserver` unobserving, then observing the
    /// panel again: its first report; observe() alone does nothing for an
    /// element observed already), and at a resize of the panel; it flags
    /// every row anew and writes any waiting row in view, again until none
    /// is. A scroll of the panel, while rows wait and the list is in the
    /// page, writes those within a panel's height of the view, ahead of the
    /// visitor. Rows added at the list's top (written at once) take the
    /// flags of the places they take: the rows move down, the flags stay.
    /// That is right while the panel is at its top (the view shows the same
    /// places); when it is scrolled, Chromium's scroll anchoring keeps the
    /// same rows in view after the prepend, so the flags are then off by
    /// the rows added until the next check: the first seek after them puts
    /// off rows in view and writes rows out of view, and its `near` pass
    /// writes the ones in view before the paint (an extra pass, no stale
    /// pixels).
    ///
    /// `t` is the width of the page's time column in characters: each
    /// row's left padding, set on it as it is written (and on the rows not
    /// waiting). Until session 36 it was set on the list (`--time-ch`),
    /// where a new width (a seek from 120 s to 80 s) restyled and laid out
    /// every row, the rows put off too.
    fn fill(a: &web_sys::Element, s: &str, keep: i32, t: u32);
}

/// What the list shows and what is left to write into it.
#[derive(Default)]
struct Rows {
    /// Its events' places in the trace (`from..to`, newest first) and the
    /// run, the lesson's rebuilds of its timeline and the timeline's branch
    /// they are from (the trace only grows within a run's branch and a seek
    /// replays the same events: the event at a place changes only with one
    /// of these).
    shown: (usize, usize, (u64, u64, u32)),
    /// What the effect writes once the list is in the page (see [`fill`]:
    /// the rows, the rows to keep or `-1`: all rewritten in place, and the
    /// time column's width).
    next: Option<(String, i32, u32)>,
    /// How many sets were queued in `next`: the effect runs when it changes.
    pending: u64,
}

/// The event feed, newest first, with its pager.
///
/// Its rows are written into the list by hand, not by Yew (they have
/// no listener of their own): new events at the top of the page add their
/// rows there and drop as many at its foot, and any other change (a seek,
/// another page, another run) rewrites the rows in place ([`fill`]), so
/// that the browser makes no new elements for them and styles none again.
/// Of a page's [`PAGE`] rows, a seek writes at once only those in or near
/// the view, the others 60 ms later (see [`fill`]).
pub fn event_feed(ctx: &mut HookContext, h: &Handle) -> Html {
    let list = use_node().run(ctx);
    let rows = yew::functional::use_mut_ref(Rows::default).run(ctx);
    let m = h.try_read();
    let page = m.as_ref().map(|m| feed_page(m.cluster().events().len(), m.feed_end));
    let el = list.cast::<web_sys::Element>();
    if let (Some(m), Some(page)) = (&m, page) {
        let ev = m.cluster().events();
        let want = (page.from, page.to, (m.run, m.rebuilt, m.timeline().current_branch()));
        let r = &mut *rows.borrow_mut();
        let (from, to, at) = r.shown;
        // A list drawn anew (none yet, or after the model was busy) or not
        // written since the last time: every row is written.
        let live = el.as_ref().map_or(0, |e| e.child_element_count() as usize);
        let kept = live == to - from && r.next.is_none() && at == want.2;
        if want != r.shown || !kept {
            // New events at the top, the rows shown moved down: only theirs.
            let add = kept && want.1 >= to && (from..to).contains(&want.0);
            let mut s = String::new();
            for i in (if add { to } else { want.0 }..want.1).rev() {
                let e = &ev[i];
                let (icon, kind) = event_icon(e.kind());
                let text = e.text();
                // With the Pseudocode panel, a click on the row reaches the feed's
                // listener, which shows the lines its event ran (see `explain`).
                let at = if cfg!(feature = "pseudocode-panel") { i.to_string() } else { String::new() };
                s += &format!(
                    "{kind}\u{1}{at}\u{1}{icon}\u{1}{}\u{1}{}\u{1}{text}",
                    secs(e.time as f64),
                    text.encode_utf16().count()
                );
            }
            let keep = if add { (want.1 - want.0) as i32 } else { -1 };
            let width = page.time_width(ev) as u32;
            r.shown = want;
            // Written now, before Yew's effects (the log grid's reads its
            // width: the frame's one layout then includes the feed), or
            // once the list is in the page.
            // (A set queued earlier, from a render without the list, is
            // older: dropped, or the effect would write it over these.)
            match &el {
                Some(el) => {
                    r.next = None;
                    fill(el, &s, keep, width)
                }
                None => {
                    r.next = Some((s, keep, width));
                    r.pending += 1;
                }
            }
        }
    }
    {
        let (rows, list) = (rows.clone(), list.clone());
        let pending = rows.borrow().pending;
        use_effect_on(
            pending,
            Box::new(move || {
                // Without the list, the rows wait for the next render's.
                if let Some(el) = list.cast::<web_sys::Element>() {
                    if let Some((s, keep, width)) = rows.borrow_mut().next.take() {
                        fill(&el, &s, keep, width);
                    }
                }
                None
            }),
        )
        .run(ctx);
    }
    let Some(page) = page else { return html! {} };
    let go = |to: Option<Option<usize>>, icon: &'static str, name: &'static str, title: &'static str| {
        html! {
            <button class="small-btn" disabled={to.is_none()} onclick={h.on(Op::Feed(to.flatten()))}
                aria-label={name} {title}>{ icon }</button>
        }
    };
    html! {
        <div class="panel-body feed-wrap">
            if page.total > PAGE {
                <nav class="pager" aria-label="Pages of events">
                    { go((!page.newest).then_some(None), "⇤", "Newest events", "The newest events, following new ones as they come") }
                    { go(page.newer(), "‹", "Newer events", "The next page of newer events") }
                    <span class="pager-label muted small" aria-live="polite"
                        title="Which events this page shows, counted from the run's first">{ page.label() }</span>
                    { go(page.older(), "›", "Older events", "The previous page of older events") }
                    { go(page.oldest(), "⇥", "Oldest events", "The run's first events") }
                </nav>
            }
            <ol class="feed" ref={list} aria-label="Events, newest first" aria-live="off" onclick={explain(h)}></ol>
        </div>
    }
}

/// A click on a row shows the lines its event ran in the Pseudocode panel
/// (the row says its place in `data-i`); nothing in an embed whose
/// `panels=` leaves that tab out (it would open a tab the page hides).
#[cfg(feature = "pseudocode-panel")]
fn explain(h: &Handle) -> Option<Callback<MouseEvent>> {
    use crate::view::model::Tab;
    Some(h.on_event(|e: MouseEvent| {
        let html = web_sys::window()?.document()?.document_element()?;
        let panels = html.get_attribute("data-panels");
        if !Tab::Pseudocode.shown_in(panels.as_deref()) {
            return None;
        }
        crate::ui::data_num(&e, "[data-i]", "data-i").map(|i| Op::Explain(Some(i as usize)))
    }))
}

#[cfg(not(feature = "pseudocode-panel"))]
fn explain(_: &Handle) -> Option<Callback<MouseEvent>> {
    None
}
