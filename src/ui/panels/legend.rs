//! The Legend panel (what every shape, colour, mark and icon means) and the
//! one-line key to the message shapes under the ring.

use crate::sim::MessageKind;
use crate::ui::ring::glyph;
use crate::ui::{markup, Esc};
use crate::view::theme::{
    event_icon, event_meaning, kind_glyph_note, kind_meaning, kind_name, term_var, EVENT_KINDS, TERM_COLOURS,
};
use std::fmt::Write;
use yew::Html;

/// The Servers section.
const SERVERS: &str = concat!(
    r#"<h3>Servers</h3>"#,
    r#"<ul class="legend-list">"#,
    r#"<li><svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true"><g class="server role-follower"><circle class="body tf0" r="11"></circle></g></svg>follower: circle</li>"#,
    r#"<li><svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true"><g class="server role-candidate"><polygon class="body tf0" points="12,0 6,10.4 -6,10.4 -12,0 -6,-10.4 6,-10.4"></polygon><circle class="vote got" cx="-4" cy="5" r="2.2"></circle><circle class="vote need" cx="4" cy="5" r="2.2"></circle></g></svg><span>candidate: dashed hexagon. Its dots and the <strong>1/3</strong> under it count votes: received so far / needed to win (a majority; ● received, ○ still needed)</span></li>"#,
    r#"<li><svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true"><g class="server role-leader"><circle class="body tf0" r="10"></circle><circle class="leader-ring" r="6.5"></circle><path class="crown" transform="translate(0 -11) scale(0.5)" d="M-13,4 L-15,-9 L-7,-2 L0,-12 L7,-2 L15,-9 L13,4 Z"></path></g></svg>leader: double ring and crown</li>"#,
    r#"<li><svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true"><g class="server role-crashed"><circle class="body down-fill" r="11"></circle><g class="crash-badge" transform="translate(8 -8) scale(0.7)"><circle r="10"></circle><path class="crash-x" d="M-4.5,-4.5 L4.5,4.5 M-4.5,4.5 L4.5,-4.5"></path></g></g></svg>crashed: hatched grey with ✕ badge</li>"#,
    r#"<li><svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true"><g class="server"><circle class="timer-track" r="12"></circle><circle class="timer" r="12" pathLength="100" transform="rotate(-90)" stroke-dasharray="60 100"></circle></g></svg>election timer: the arc drains; at empty the server starts an election</li>"#,
    r#"<li><svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true"><line class="link cut" x1="-14" y1="0" x2="14" y2="0"></line><path class="cut-mark" d="M-7.0,-7.0 L-1.0,7.0 M1.0,-7.0 L7.0,7.0 "></path></svg>cut link (partition or disconnection)</li>"#,
    r#"<li><svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true"><g class="group-tag"><rect x="-9" y="-9" width="18" height="18" rx="4"></rect><text y="4.5">A</text></g></svg>partition group: servers with different letters cannot reach each other</li>"#,
    r#"<li><svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true"><g class="server disconnected"><circle class="body tf0" r="11"></circle></g></svg>✂ disconnected: cut off from everyone (dotted outline)</li>"#,
    r#"<li><svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true"><g class="server selected"><circle class="halo" r="13"></circle><circle class="body tf0" r="9"></circle></g></svg>dashed halo: the server whose menu is open, or the focused one</li>"#,
    r#"<li><svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true"><g class="client-box"><rect x="-15" y="-8" width="30" height="16" rx="4"></rect></g></svg>the simulated client in the middle: it sends the writes</li>"#,
    r#"</ul>"#,
);

/// The learners, removed servers and configuration entries (membership changes).
#[cfg(feature = "membership")]
const MEMBERS: &str = concat!(
    r#"<ul class="legend-list">"#,
    r#"<li><svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true"><g class="server learner"><circle class="body tf0" r="11"></circle></g></svg><span>learner: a server being added (long dashes, pale). It gets the log but neither votes nor counts toward a majority; the leader makes it a voter (<strong>+S6</strong> in the log) once it has caught up</span></li>"#,
    r#"<li><svg class="mini" viewBox="-16 -16 32 32" width="28" height="28" aria-hidden="true"><g class="server removed"><circle class="body tf0" r="11"></circle></g></svg><span>removed: faded, out of the configuration (<strong>−S2</strong> in the log); it may still run, but it never leads again</span></li>"#,
    r#"<li><span class="cell committed demo" style="--c: var(--t1); --ink-on: var(--on-t1)"><span class="cmd">+S6</span><span class="t">t2</span></span><span>a configuration entry: <strong>learner S6</strong> adds S6 as a learner, <strong>+S6</strong> makes it a voter, <strong>−S2</strong> removes S2 (one change at a time)</span></li>"#,
    r#"</ul>"#,
);

/// The note on a server's words and the head of the Terms section.
const TERMS: &str = concat!(
    r#"<p class="small">Inside each server: its name and its term ("term 3", or "t3" where the circle is small). Under each server: its role (and votes), then whom it voted for in its term ("voted S2", "no vote yet"), "→ handing to S3" while a leader transfers leadership, or "✂ disconnected".</p>"#,
    r#"<h3>Terms</h3>"#,
    r#"<p class="small">Each term has a colour (Okabe-Ito, safe for colour-blind eyes) and is always written as a number too. The fill of a server is its current term's colour; an entry's colour is the term it was created in. After seven terms the colours come round again (term 8 has term 1's colour, term 9 term 2's): the number tells them apart, on each server, in each log cell, and in a message's tooltip and inspector. A term is only ever a colour: dashes, dots and hatching always mean a state.</p>"#,
);

/// The head of the Messages section.
const MESSAGES: &str = concat!(
    r#"<h3>Messages</h3>"#,
    r#"<p class="small">Requests travel on one side of the line between two servers, replies on the other. A lost message fades out with a ✕ where it was lost. A dashed outline marks a duplicate. Click a message to see every field.</p>"#
);

/// The Logs section and the head of the Events section.
const LOGS: &str = concat!(
    r#"<h3>Logs</h3>"#,
    r#"<ul class="legend-list">"#,
    r#"<li><span class="cell committed demo" style="--c: var(--t1); --ink-on: var(--on-t1)"><span class="cmd">x←3</span><span class="t">t2</span></span>committed entry: solid</li>"#,
    r#"<li><span class="cell uncommitted demo" style="--c: var(--t1); --ink-on: var(--on-t1)"><span class="cmd">x←4</span><span class="t">t2</span></span>not committed yet: hatched</li>"#,
    r#"<li><span class="cell committed commit-edge demo" style="--c: var(--t1); --ink-on: var(--on-t1)"><span class="cmd">y←1</span><span class="t">t2</span></span>thick right edge: that server's commit index</li>"#,
    r#"<li><span class="mk mk-next demo-mk">n</span><span class="mk mk-match demo-mk">m</span>the leader's nextIndex and matchIndex for that follower</li>"#,
    r#"<li><span class="glyph-demo">♛</span>after a server's name: it leads; <span class="glyph-demo">✕</span> it is crashed</li>"#,
    r#"</ul>"#,
    r#"<h3>Events</h3>"#
);

/// The Client writes and Safety sections.
const CLIENT_AND_SAFETY: &str = concat!(
    r#"<h3>Client writes</h3>"#,
    r#"<ul class="legend-list">"#,
    r#"<li><span class="glyph-demo muted">…</span>pending: not acknowledged yet (the client retries elsewhere when no answer comes)</li>"#,
    r#"<li><span class="glyph-demo ok">✓</span>acknowledged: committed, with its index and term</li>"#,
    r#"<li><span class="glyph-demo bad">✗</span>failed: the client gave up on it (the reason is shown)</li>"#,
    r#"</ul>"#,
    r#"<h3>Safety</h3>"#,
    r#"<p class="small">The badge at the top stays green while every property the monitor checks holds: the five safety properties of the Raft paper (Election Safety, Leader Append-Only, Log Matching, Leader Completeness, State Machine Safety), no acknowledged write lost, and a linearizable client history; it turns red with the monitor's explanation when one breaks.</p>"#
);

/// What every shape, colour, mark and icon means. The static sections are
/// plain markup; the message shapes and the event icons are drawn from the
/// same functions and tables as the ring and the event feed.
pub fn legend() -> Html {
    // How each kind's glyph is shown: a reply with ✓ or ✗.
    let ok = |k: MessageKind| match k {
        MessageKind::VoteReply | MessageKind::PreVoteReply | MessageKind::ClientReply => Some(true),
        MessageKind::AppendReply => Some(false),
        #[cfg(feature = "compaction")]
        MessageKind::SnapshotReply => Some(true),
        _ => None,
    };
    let mut s = String::from(r#"<div class="panel-body legend">"#);
    s.push_str(SERVERS);
    #[cfg(feature = "membership")]
    s.push_str(MEMBERS);
    s.push_str(TERMS);
    // Drawn with the same colours as the ring and the log grid: one round and the first term of the next.
    s.push_str(r#"<div class="swatches">"#);
    for t in 1..=TERM_COLOURS + 1 {
        let _ = write!(s, r#"<span class="term-chip" style="{}" data-term="{t}">term {t}</span>"#, term_var(t));
    }
    s.push_str("</div>");
    s.push_str(MESSAGES);
    s.push_str(r#"<ul class="legend-list">"#);
    for &k in MessageKind::ALL.iter() {
        let client = matches!(k, MessageKind::ClientRequest | MessageKind::ClientRead | MessageKind::ClientReply);
        let _ = write!(s, r#"<li data-kind="{}">{MINI}"#, kind_name(k));
        glyph(&mut s, k, if client { 0 } else { 2 }, ok(k), 2, false);
        let _ = write!(s, r#"</svg><span><strong>{}</strong>: {}"#, kind_name(k), Esc(kind_meaning(k)));
        match kind_glyph_note(k) {
            "" => {}
            note => {
                let _ = write!(s, "; {}", Esc(note));
            }
        }
        s.push_str("</span></li>");
    }
    s.push_str("</ul>");
    s.push_str(LOGS);
    s.push_str(r#"<ul class="legend-list events-legend">"#);
    for &k in EVENT_KINDS.iter() {
        let (icon, kind) = event_icon(k);
        let _ = write!(
            s,
            r#"<li data-event-kind="{kind}" class="ev-{kind}"><span class="ev-icon">{icon}</span>{}</li>"#,
            Esc(event_meaning(k))
        );
    }
    s.push_str("</ul>");
    s.push_str(CLIENT_AND_SAFETY);
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
