//! The Legend panel (what every shape, colour, mark and icon means) and the
//! one-line key to the message shapes under the ring.

use crate::sim::MessageKind;
use crate::ui::ring::glyph;
use crate::ui::texts::use_texts;
use crate::ui::{markup, Esc};
use crate::view::theme::{event_icon, kind_meaning, kind_name, term_var, EVENT_KINDS, TERM_COLOURS};
use std::fmt::Write;
use yew::functional::HookContext;
use yew::prelude::*;

/// What every shape, colour, mark and icon means. The static sections are
/// markup fetched with the other panels' texts (`panel-texts.txt`, see
/// [`crate::ui::texts`]); the message shapes and the event icons are drawn
/// from the same functions and tables as the ring and the event feed.
pub fn legend(ctx: &mut HookContext) -> Html {
    let texts = match use_texts(ctx) {
        Ok(t) => t,
        Err(wait) => return html! { <div class="panel-body legend">{ wait }</div> },
    };
    // How each kind's glyph is shown: a reply with ✓ or ✗.
    let ok = |k: MessageKind| match k {
        MessageKind::VoteReply | MessageKind::PreVoteReply | MessageKind::ClientReply => Some(true),
        MessageKind::AppendReply => Some(false),
        #[cfg(feature = "compaction")]
        MessageKind::SnapshotReply => Some(true),
        _ => None,
    };
    let mut s = String::from(r#"<div class="panel-body legend">"#);
    s.push_str(texts.get("legend-servers"));
    #[cfg(feature = "membership")]
    s.push_str(texts.get("legend-members"));
    s.push_str(texts.get("legend-terms"));
    // Drawn with the same colours as the ring and the log grid: one round and the first term of the next.
    s.push_str(r#"<div class="swatches">"#);
    for t in 1..=TERM_COLOURS + 1 {
        let _ = write!(s, r#"<span class="term-chip" style="{}" data-term="{t}">term {t}</span>"#, term_var(t));
    }
    s.push_str("</div>");
    s.push_str(texts.get("legend-messages"));
    s.push_str(r#"<ul class="legend-list">"#);
    for &k in MessageKind::ALL.iter() {
        let client = matches!(k, MessageKind::ClientRequest | MessageKind::ClientRead | MessageKind::ClientReply);
        let _ = write!(s, r#"<li data-kind="{}">{MINI}"#, kind_name(k));
        glyph(&mut s, k, if client { 0 } else { 2 }, ok(k), 2, false);
        let _ = write!(s, r#"</svg><span><strong>{}</strong>: {}"#, kind_name(k), Esc(kind_meaning(k)));
        match texts.keyed("note", kind_name(k)) {
            "" => {}
            note => {
                let _ = write!(s, "; {note}");
            }
        }
        s.push_str("</span></li>");
    }
    s.push_str("</ul>");
    s.push_str(texts.get("legend-logs"));
    s.push_str(r#"<ul class="legend-list events-legend">"#);
    for &k in EVENT_KINDS.iter() {
        let (icon, kind) = event_icon(k);
        let _ = write!(
            s,
            r#"<li data-event-kind="{kind}" class="ev-{kind}"><span class="ev-icon">{icon}</span>{}</li>"#,
            texts.keyed("event", kind)
        );
    }
    s.push_str("</ul>");
    s.push_str(texts.get("legend-client"));
    s.push_str("</div>");
    markup(s)
}

/// The start of a small drawing for the legend, in a 32-unit square (its end: `</svg>`).
const MINI: &str = r#"<svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true">"#;

/// The end of the strip under the ring: a lost message, a cut link, and a note.
const STRIP_END: &str = concat!(
    r#"<span class="strip-item"><svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true"><path class="lost-x" d="M-6,-6 L6,6 M-6,6 L6,-6"></path></svg>lost</span>"#,
    r#"<span class="strip-item"><svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true"><line class="link cut" x1="-14" y1="0" x2="14" y2="0"></line><path class="cut-mark" d="M-7.0,-7.0 L-1.0,7.0 M1.0,-7.0 L7.0,7.0 "></path></svg>cut link</span>"#,
    r#"<span class="strip-item muted">Colours = terms. Requests and replies use opposite sides of a link.</span>"#,
);

/// A one-line key to the message shapes, under the ring when there is room (markup: it never changes).
pub fn legend_strip() -> Html {
    let mut s =
        String::from(r#"<div class="legend-strip" aria-label="Key to the message shapes (more in the Legend panel)">"#);
    let items: [(MessageKind, u64, Option<bool>, usize, &str); 9] = [
        (MessageKind::PreVote, 2, None, 0, "PreVote"),
        (MessageKind::RequestVote, 2, None, 0, "RequestVote"),
        (MessageKind::VoteReply, 2, Some(true), 0, "VoteReply ✓/✗"),
        (MessageKind::AppendEntries, 2, None, 2, "AppendEntries (n entries)"),
        (MessageKind::Heartbeat, 2, None, 0, "Heartbeat"),
        (MessageKind::AppendReply, 2, Some(true), 0, "AppendReply ✓/✗"),
        (MessageKind::TimeoutNow, 2, None, 0, "TimeoutNow"),
        (MessageKind::ClientRequest, 0, None, 0, "ClientRequest"),
        (MessageKind::ClientRead, 0, None, 0, "ClientRead"),
    ];
    for (kind, term, ok, count, text) in items {
        let _ = write!(s, r#"<span class="strip-item">{MINI}"#);
        glyph(&mut s, kind, term, ok, count, false);
        let _ = write!(s, "</svg>{text}</span>");
    }
    s.push_str(STRIP_END);
    s.push_str("</div>");
    markup(s)
}
