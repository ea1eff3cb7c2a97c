//! The event feed: the whole run's trace in plain words, newest first, a page
//! of [`PAGE`] events at a time (see [`feed_page`]).

use crate::ui::part::{part, Which};
use crate::ui::store::Handle;
use crate::ui::{markup, Esc};
use crate::view::events::{feed_page, PAGE};
use crate::view::model::Op;
use crate::view::theme::{event_icon, secs};
use yew::prelude::*;

/// The event feed, newest first, with its pager.
pub fn event_feed(h: &Handle) -> Html {
    let Some(m) = h.try_read() else { return html! {} };
    let ev = m.cluster().events();
    let page = feed_page(ev.len(), m.feed_end);
    let branch = m.timeline().current_branch();
    // Keyed by position in the trace modulo the page's length (a page's rows
    // have different keys): a new event moves the oldest row to the top and
    // rewrites it instead of rewriting all, and another page (a seek) rewrites
    // the rows in place instead of making new ones.
    let shown = ev[page.from..page.to].iter().enumerate().rev().map(|(k, e)| (page.from + k, e));
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
            <ol class="feed" aria-label="Events, newest first" aria-live="off"
                style={format!("--time-ch: {}", page.time_width(ev))} onclick={explain(h)}>
                { for shown.map(|(i, e)| {
                    let row = FeedRowProps { handle: h.clone(), i, at: (m.run, m.rebuilt, branch, e.time) };
                    part(Some(((i % PAGE) as u64).into()), Which::FeedRow(row))
                }) }
            </ol>
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

/// A row's props: which event of the trace it shows.
#[derive(PartialEq)]
pub struct FeedRowProps {
    handle: Handle,
    /// Its place in the trace.
    i: usize,
    /// The run, the lesson's rebuilds of its timeline, the timeline's branch
    /// and the event's time: the trace only grows within a run's branch (a
    /// seek replays the same events), so the event at place `i` changes only
    /// with one of them.
    at: (u64, u64, u32, u64),
}

/// One row of the feed: a part of its own, drawn again only when the event
/// at its place changes. While the cluster runs, the feed gets new events at
/// nearly every frame; each then rewrites one row (see above), where
/// rebuilding and comparing all the page's rows (their times and sentences
/// formatted anew) cost about half a millisecond a frame.
pub fn feed_row(props: &FeedRowProps) -> Html {
    let Some(m) = props.handle.try_read() else { return html! {} };
    let Some(e) = m.cluster().events().get(props.i) else { return html! {} };
    let (icon, kind) = event_icon(e.kind());
    // Markup: one string for the row's three parts (no listener of its own, nor focus).
    // With the Pseudocode panel, a click on the row reaches the feed's listener,
    // which shows the lines its event ran (see `explain`).
    let at = if cfg!(feature = "pseudocode-panel") { format!(r#" data-i="{}""#, props.i) } else { String::new() };
    markup(format!(
        r#"<li class="ev ev-{kind}"{at}><span class="ev-icon" title="{kind}">{icon}</span><span class="ev-time">{}</span><span class="ev-text">{}</span></li>"#,
        secs(e.time as f64),
        Esc(&e.text())
    ))
}
