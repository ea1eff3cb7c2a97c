//! The client panel: a write form with a Read button for its key, and
//! every write and read with its fate.

use crate::decimal::fixed;
use crate::sim::{check_key, Action, OpStatus};
use crate::ui::store::Handle;
use crate::ui::texts::{text, use_texts};
use crate::ui::{markup, Esc};
use crate::view::args::value_text;
use crate::view::model::Op;
use crate::view::theme::who;
use std::fmt::Write;
use web_sys::HtmlInputElement;
use yew::functional::HookContext;
use yew::prelude::*;

/// The client panel: a write form, a Read of its key, and every operation with its fate.
pub fn client_panel(ctx: &mut HookContext, h: &Handle) -> Html {
    // The buttons' tooltips and the note on reads and writes: fetched with the panels' texts.
    let texts = use_texts(ctx);
    let Some(m) = h.try_read() else { return html! {} };
    let (key, value) = (m.draft_key.clone(), m.draft_value.clone());
    // Checked as typed: what is wrong is said at once, and such a write is never sent.
    let problem = m.draft_command().err();
    let key_bad = check_key(&key).is_err();
    let value_bad = value_text(&value).is_err();
    let on_key = {
        let value = value.clone();
        h.on_event(move |e: InputEvent| {
            Some(Op::Draft(e.target_unchecked_into::<HtmlInputElement>().value(), value.clone()))
        })
    };
    let on_value = {
        let key = key.clone();
        h.on_event(move |e: InputEvent| {
            Some(Op::Draft(key.clone(), e.target_unchecked_into::<HtmlInputElement>().value()))
        })
    };
    let submit = h.on_event(move |e: SubmitEvent| {
        e.prevent_default();
        Some(Op::WriteDraft(None))
    });
    let read = h.on(Op::Sim(Action::Read { key: key.clone(), to: None }));
    html! {
        <div class="panel-body">
            <form class="write-form" onsubmit={submit} aria-label="Client write">
                <label>{ "key" }<input type="text" value={key.clone()} oninput={on_key} maxlength="16" size="5"
                    aria-label="Key to write" title="1 to 16 letters, digits or _" aria-invalid={key_bad.to_string()}
                    aria-describedby={key_bad.then_some("write-problem")} /></label>
                <span class="arrow">{ "←" }</span>
                <label>{ "value" }<input type="text" inputmode="numeric" value={value} oninput={on_value} size="5"
                    aria-label="Value to write" title="A whole number, at most 2^53 - 1 in size"
                    aria-invalid={value_bad.to_string()} aria-describedby={value_bad.then_some("write-problem")} /></label>
                <button type="submit" class="primary" title={text(&texts, "client", "write").to_string()}>
                    { "Write" }</button>
                <button type="button" onclick={read} disabled={key_bad} title={text(&texts, "client", "read").to_string()}>
                    { "Read" }</button>
            </form>
            if let Some(p) = problem {
                <p class="field-error" id="write-problem" role="alert">{ format!("✗ Cannot write this: {p}.") }</p>
            }
            { ops_markup(&m, text(&texts, "client", "note")) }
        </div>
    }
}

/// Whom the client believes leads, and every operation with its fate, newest
/// first: markup (nothing in it takes clicks or focus).
fn ops_markup(m: &crate::view::model::Model, note: &str) -> Html {
    let ops = m.cluster().client_ops();
    let mut s = String::from(r#"<p class="muted small client-belief">"#);
    let _ = match m.cluster().client_leader() {
        Some(l) => write!(s, "The client believes the leader is {l}."),
        None => write!(s, "The client does not know the leader yet."),
    };
    let _ = write!(s, " {note}</p>");
    if ops.is_empty() {
        s.push_str(r#"<p class="muted small">No writes or reads yet.</p>"#);
    }
    s.push_str(r#"<ol class="ops" aria-label="The client's writes and reads, newest first">"#);
    for o in ops.iter().rev().take(60) {
        let (cls, status) = match &o.status {
            OpStatus::Pending => ("pending", format!("pending — attempt {} at {}", o.attempts, who(o.target))),
            OpStatus::Acked { by, at, .. } if o.is_read() => (
                "acked",
                format!(
                    "answered by {by} at {}s: {}",
                    fixed(*at as f64 / 1000.0, 3),
                    match o.answer.flatten() {
                        Some(v) => format!("{} = {v}", o.key().unwrap_or_default()),
                        None => format!("{} never written", o.key().unwrap_or_default()),
                    }
                ),
            ),
            OpStatus::Acked { index, term, by, at } => (
                "acked",
                format!("acknowledged by {by} at {}s: index {index}, term {term}", fixed(*at as f64 / 1000.0, 3)),
            ),
            OpStatus::Failed { reason, .. } => ("failed", format!("failed: {reason}")),
        };
        let icon = match cls {
            "pending" => "…",
            "acked" => "✓",
            _ => "✗",
        };
        let _ = write!(
            s,
            r#"<li class="op {cls}"><span class="op-icon" aria-hidden="true">{icon}</span><span class="op-cmd">#{} {}</span><span class="op-status">{}</span>"#,
            o.id,
            Esc(&o.command.to_string()),
            Esc(&status)
        );
        if !o.is_read() {
            s.push_str(r#"<span class="op-landed muted">landed: "#);
            if o.landed.is_empty() {
                s.push_str("not in any leader's log yet");
            }
            for (i, l) in o.landed.iter().enumerate() {
                let _ = write!(s, "{}{} #{} (t{})", if i == 0 { "" } else { ", " }, l.node, l.index, l.term);
            }
            s.push_str("</span>");
        }
        s.push_str("</li>");
    }
    s.push_str("</ol>");
    markup(s)
}
