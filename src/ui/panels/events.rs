//! The event feed: the whole run's trace in plain words, newest first, a page
//! of [`PAGE`] events at a time (see [`feed_page`]).

use crate::ui::logs::morph;
use crate::ui::store::Handle;
use crate::ui::{use_effect_on, use_node, Esc};
use crate::view::events::{feed_page, PAGE};
use crate::view::model::Op;
use crate::view::theme::{event_icon, secs};
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// What the list shows: its events' places in the trace (`from..to`, newest
/// first) and the run, the lesson's rebuilds of its timeline and the
/// timeline's branch they are from (the trace only grows within a run's
/// branch, a seek replays the same events: the event at a place changes only
/// with one of them); what its effect writes once the list is in the page
/// (see [`morph`]: the markup, and the rows to keep or `-1`: all rewritten
/// in place); how many times it was told.
#[derive(Default)]
struct Rows {
    shown: (usize, usize, (u64, u64, u32)),
    next: Option<(String, i32)>,
    told: u64,
}

/// The event feed, newest first, with its pager.
///
/// Its rows are markup written into the list by hand, not by Yew (they have
/// no listener of their own): new events at the top of the page add their
/// rows there and drop as many at its foot, and any other change (a seek,
/// another page, another run) rewrites the rows in place by [`morph`], so
/// that the browser makes no new elements for them and styles none again.
pub fn event_feed(ctx: &mut HookContext, h: &Handle) -> Html {
    let list = use_node().run(ctx);
    let rows = yew::functional::use_mut_ref(Rows::default).run(ctx);
    let m = h.try_read();
    if let Some(m) = &m {
        let ev = m.cluster().events();
        let page = feed_page(ev.len(), m.feed_end);
        let want = (page.from, page.to, (m.run, m.rebuilt, m.timeline().current_branch()));
        let r = &mut *rows.borrow_mut();
        let (from, to, at) = r.shown;
        // A list drawn anew (none yet, or after the model was busy) or not
        // written since the last time: every row is written.
        let live = list.cast::<web_sys::Element>().map_or(0, |e| e.child_element_count() as usize);
        let kept = live == to - from && r.next.is_none() && at == want.2;
        if want != r.shown || !kept {
            // New events at the top, the rows shown moved down: only theirs.
            let add = kept && want.1 >= to && (from..to).contains(&want.0);
            let mut s = String::new();
            for i in (if add { to } else { want.0 }..want.1).rev() {
                let e = &ev[i];
                let (icon, kind) = event_icon(e.kind());
                // With the Pseudocode panel, a click on the row reaches the feed's
                // listener, which shows the lines its event ran (see `explain`).
                let at = if cfg!(feature = "pseudocode-panel") { format!(r#" data-i="{i}""#) } else { String::new() };
                s += &format!(
                    r#"<li class="ev ev-{kind}"{at}><span class="ev-icon" title="{kind}">{icon}</span><span class="ev-time">{}</span><span class="ev-text">{}</span></li>"#,
                    secs(e.time as f64),
                    Esc(&e.text())
                );
            }
            let keep = if add { (want.1 - want.0) as i32 } else { -1 };
            r.shown = want;
            // Written now, before Yew's effects (the log grid's reads its
            // width: the frame's one layout then includes the feed), or
            // once the list is in the page.
            match list.cast::<web_sys::Element>() {
                Some(el) => morph(&el, &s, keep),
                None => {
                    r.next = Some((s, keep));
                    r.told += 1;
                }
            }
        }
    }
    {
        let (rows, list) = (rows.clone(), list.clone());
        let told = rows.borrow().told;
        use_effect_on(
            told,
            Box::new(move || {
                if let (Some(el), Some((s, keep))) = (list.cast::<web_sys::Element>(), rows.borrow_mut().next.take()) {
                    morph(&el, &s, keep);
                }
                None
            }),
        )
        .run(ctx);
    }
    let Some(m) = m else { return html! {} };
    let ev = m.cluster().events();
    let page = feed_page(ev.len(), m.feed_end);
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
            <ol class="feed" ref={list} aria-label="Events, newest first" aria-live="off"
                style={format!("--time-ch: {}", page.time_width(ev))} onclick={explain(h)}></ol>
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
