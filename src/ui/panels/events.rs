//! The event feed: the trace in plain words, newest first.

use super::PanelProps;
use crate::view::theme::{event_icon, secs};
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
    // The time column is as wide as the longest time shown: the newest (times never decrease).
    let time_width = ev.last().map_or(7, |e| secs(e.time as f64).chars().count());
    html! {
        <div class="panel-body feed-wrap">
            <ol class="feed" aria-label="Events, newest first" aria-live="off" style={format!("--time-ch: {time_width}")}>
                { for shown.map(|(i, e)| {
                    let (icon, kind) = event_icon(e.kind());
                    html! {
                        <li key={i as u64} class={classes!("ev", format!("ev-{kind}"))}>
                            <span class="ev-icon" title={kind}>{ icon }</span>
                            <span class="ev-time">{ secs(e.time as f64) }</span>
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
