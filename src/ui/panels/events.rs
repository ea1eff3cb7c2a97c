//! The event feed: the trace in plain words, newest first.

use super::PanelProps;
use crate::view::theme::event_icon;
use yew::prelude::*;

/// How many events the feed shows.
const FEED_LEN: usize = 100;

/// The event feed, newest first.
#[component]
pub fn EventFeed(props: &PanelProps) -> Html {
    let Some(m) = props.handle.try_read() else { return html! {} };
    let ev = m.cluster.events();
    // Keyed by position in the trace, so a new event inserts one row instead of rewriting all.
    let shown = ev.iter().enumerate().rev().take(FEED_LEN);
    html! {
        <div class="panel-body feed-wrap">
            <ol class="feed" aria-label="Events, newest first" aria-live="off">
                { for shown.map(|(i, e)| {
                    let (icon, kind) = event_icon(e.kind());
                    html! {
                        <li key={i as u64} class={classes!("ev", format!("ev-{kind}"))}>
                            <span class="ev-icon" title={kind}>{ icon }</span>
                            <span class="ev-time">{ format!("{:.3}s", e.time as f64 / 1000.0) }</span>
                            <span class="ev-text">{ e.text() }</span>
                        </li>
                    }
                }) }
            </ol>
            if ev.len() > FEED_LEN {
                <p class="muted small">{ format!("…and {} older events.", ev.len() - FEED_LEN) }</p>
            }
        </div>
    }
}
