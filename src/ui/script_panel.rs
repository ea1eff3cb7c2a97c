//! The Script panel: the current run as a scenario script (with line
//! numbers), to copy or download; a script typed, pasted, uploaded or
//! dropped onto the page, to run from its start on a fresh timeline. A line
//! that does not parse, or fails when run, is marked with what was wrong;
//! the page keeps the run it had when a script does not parse.

use super::address::copy_text;
use super::store::Handle;
use super::{markup, raw, use_local, use_node, Esc};
use crate::script::{OutcomeKind, MAX_SCRIPT_BYTES};
use crate::view::model::{Op, Tab};
use crate::view::timeline::ms_text;
use std::fmt::Write;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// The panel's props.
#[derive(Properties, PartialEq)]
pub struct ScriptProps {
    /// The model.
    pub handle: Handle,
    /// The draft's version and the run: the panel draws again when either changes.
    pub stamp: (u64, u64),
}

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// What a file larger than a script may be is told (the limit written out: one string, no `format!`).
const TOO_LARGE: &str = "that file is too large for a script (at most 1024 KB)";
const _: () = assert!(MAX_SCRIPT_BYTES == 1024 << 10, "TOO_LARGE names the limit");

/// Reads a file (a `File` from an upload or a drop) into the editor and runs
/// it; one larger than a script may be is refused with a notice.
pub fn import_file(h: &Handle, file: JsValue) {
    let h = h.clone();
    super::fetch::read_text(
        &file,
        MAX_SCRIPT_BYTES,
        Box::new(move |text| match text {
            Ok(text) => load_and_run(&h, text, true, Box::new(|_| {})),
            Err(_) => h.send(Op::Notice(TOO_LARGE.into())),
        }),
    );
}

/// Puts `text` in the editor and runs it as Run does, the Script panel
/// opened first when `open`: the one way in for an upload, a drop and the
/// address's `scenario=` and `script=`. `then` gets what the run gave (a
/// refusal is in the notice already): at once, or once the script worker
/// has answered.
pub fn load_and_run(h: &Handle, text: String, open: bool, then: Box<dyn FnOnce(Result<(), String>)>) {
    if open {
        h.send(Op::Tab(Tab::Script));
    }
    h.send(Op::ScriptText(text));
    let ran = h.dispatch(Op::RunScript);
    match (ran, h.try_read().and_then(|m| m.script.waiting)) {
        (Ok(()), Some((id, true))) => super::script_worker::then(id, then),
        (ran, _) => then(ran),
    }
}

/// What the page does with a file dropped onto it: imports the first one as a script.
pub fn on_drop(h: &Handle) -> (Callback<DragEvent>, Callback<DragEvent>) {
    let over = Callback::from(|e: DragEvent| e.prevent_default());
    let h = h.clone();
    let drop = Callback::from(move |e: DragEvent| {
        let file = get(&get(&get(&e, "dataTransfer"), "files"), "0");
        if file.is_object() {
            e.prevent_default();
            import_file(&h, file);
        }
    });
    (over, drop)
}

/// The panel's buttons, by their `data-sp` (their clicks reach one listener).
const RUN: u64 = 1;
const EXPORT: u64 = 2;
const COPY: u64 = 3;
const DOWNLOAD: u64 = 4;

/// The panel's buttons as markup: their clicks reach the panel's listener
/// (by `data-sp`), the file input's change the row's.
const BUTTONS: &str = concat!(
    r#"<button class="primary" data-sp="1" aria-label="Run the script" title="Run this script from its start on a fresh timeline (the run now is replaced)">Run</button>"#,
    r#"<button class="small-btn" data-sp="2" title="Replace the text with the run as it is now, up to the moment shown">From the run</button>"#,
    r#"<button class="small-btn" data-sp="3" title="Copy the script">Copy</button>"#,
    r##"<a class="small-btn button" href="#" download="raft-playground-run.txt" data-sp="4" title="Download the script as a text file">Download</a>"##,
    r#"<label class="small-btn button" title="Open a script file and run it (or drop one onto the page)">Upload…<input type="file" accept=".txt,text/plain" class="sr-only"></label>"#
);

/// The note under the editor.
const NOTE: &str = r#"<p class="muted small">A plain-text scenario: settings, then one action, wait, expect or say per line (docs/scenarios.md). Drop a file onto the page to run it.</p>"#;

/// The number of lines of `text` (as `text.split('\n').count()` says).
fn line_count(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count() + 1
}

/// Where line `line` (from 1; 0 is the first too) of `text` starts and how
/// long it is, in UTF-16 code units (what the editor's `setSelectionRange`
/// takes: a character beyond the BMP, such as an emoji, counts two).
fn line_span(text: &str, line: usize) -> (usize, usize) {
    let (mut row, mut start, mut len) = (1, 0, 0);
    for c in text.chars() {
        if row < line {
            start += c.len_utf16();
        } else if c == '\n' {
            break;
        } else {
            len += c.len_utf16();
        }
        if c == '\n' {
            row += 1;
        }
    }
    (start, len)
}

/// The Script panel (a part of the page: `Which::Script`).
pub fn script_panel(ctx: &mut HookContext, props: &ScriptProps) -> Html {
    let h = &props.handle;
    let area = use_node().run(ctx);
    let gutter = use_node().run(ctx);
    // The editor's line count as typed, and whether the last Copy worked
    // (2) or the browser refused it (1; 0: no Copy yet): `u64`s like the
    // texts' and the Pseudocode panel's wake counters, one copy of the hook for all.
    let lines = use_local(0u64).run(ctx);
    let copied = use_local(0u64).run(ctx);
    let Some(m) = h.try_read() else { return html! {} };
    let d = &m.script;
    let n = (lines.get() as usize).max(line_count(&d.text));
    let on_input = {
        let (h, lines) = (h.clone(), lines.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            let count = line_count(&text) as u64;
            if count != lines.get() {
                lines.set(count);
            }
            h.send(Op::ScriptText(text));
        })
    };
    let on_scroll = {
        let (area, gutter) = (area.clone(), gutter.clone());
        Callback::from(move |_: Event| {
            if let (Some(a), Some(g)) = (area.cast::<web_sys::Element>(), gutter.cast::<web_sys::Element>()) {
                g.set_scroll_top(a.scroll_top());
            }
        })
    };
    // The line numbers, the failing one marked.
    let bad = d.problem.as_ref().map(|p| p.line);
    let mut gutter_text = String::new();
    for i in 1..=n {
        let _ = if Some(i) == bad {
            write!(gutter_text, "<mark class=\"bad-line\" title=\"This line failed\">{i}</mark>")
        } else {
            writeln!(gutter_text, "{i}")
        };
    }
    // Clicks (one listener, by `data-sp`, or a line's moment by `data-t`):
    // Run, From the run, Copy, Download (the link gets its address, the
    // text itself, when it is clicked), and the error, which selects the
    // failing line in the editor.
    let on_click = {
        let (h, area, copied) = (h.clone(), area.clone(), copied.clone());
        Callback::from(move |e: MouseEvent| {
            if let Some(t) = super::data_num(&e, "[data-t]", "data-t") {
                return h.send(Op::Seek(t));
            }
            let Some(what) = super::data_num(&e, "[data-sp]", "data-sp") else { return };
            let text = h.try_read().map(|m| m.script.text.clone()).unwrap_or_default();
            match what {
                RUN => h.send(Op::RunScript),
                EXPORT => h.send(Op::ExportScript),
                COPY => {
                    let copied = copied.clone();
                    copy_text(&text, Callback::from(move |ok| copied.set(1 + ok as u64)));
                }
                DOWNLOAD => {
                    if let Some(a) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                        let href = format!("data:text/plain;charset=utf-8,{}", js_sys::encode_uri_component(&text));
                        let _ = a.set_attribute("href", &href);
                    }
                }
                _ => {
                    let Some(a) = area.get() else { return };
                    let line = h.try_read().and_then(|m| m.script.problem.as_ref().map(|p| p.line)).unwrap_or(0);
                    let (start, len) = line_span(&text, line);
                    // A text area has an input's focus and setSelectionRange
                    // (web-sys calls them by name, as on_input reads its value).
                    let a: web_sys::HtmlInputElement = a.unchecked_into();
                    let _ = a.focus();
                    let _ = a.set_selection_range(start as u32, (start + len) as u32);
                }
            }
        })
    };
    let on_upload = {
        let h = h.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            import_file(&h, get(&get(&input, "files"), "0"));
            input.set_value("");
        })
    };
    // The error, what the run did and the note under them, as markup: a
    // click on the error or a line's moment reaches the panel's one listener.
    let mut error = String::new();
    if let Some(p) = &d.problem {
        let _ = write!(
            error,
            "<p class=\"script-error\" role=\"alert\" data-line=\"{}\" data-sp=\"5\" title=\"Select this line in the editor\">{}</p>",
            p.line,
            Esc(&p.message)
        );
    }
    let mut outcomes = String::new();
    if !d.outcomes.is_empty() {
        outcomes.push_str("<ol class=\"outcomes\" aria-label=\"What the script's run did\">");
    }
    for o in &d.outcomes {
        let (icon, class) = match o.kind {
            OutcomeKind::Met => ("✓", "met"),
            OutcomeKind::Failed => ("✗", "failed"),
            OutcomeKind::Said => ("“", "said"),
            OutcomeKind::Acted => ("·", "acted"),
        };
        let _ = write!(
            outcomes,
            "<li class=\"outcome {class}\"><span class=\"ev-icon\" aria-hidden=\"true\">{icon}</span><button class=\"link-btn\" data-t=\"{}\" title=\"Go to this moment\">line {} · {}</button><span>{}</span></li>",
            o.time,
            o.line,
            ms_text(o.time),
            Esc(&o.text)
        );
    }
    if !d.outcomes.is_empty() {
        outcomes.push_str("</ol>");
    }
    outcomes.push_str(NOTE);
    let copied_text = match (d.waiting, copied.get()) {
        (Some((_, true)), _) => "Running the script…",
        (Some(_), _) => "Writing the run as a script…",
        (_, 2) => "Copied.",
        (_, 1) => "The browser did not let the page copy: select the text and copy it.",
        _ => "",
    };
    html! {
        <div class="panel-body script-panel" onclick={on_click}>
            <div class="row-buttons script-buttons" onchange={on_upload}>
                { raw(BUTTONS) }
                <span class="muted small" role="status">{ copied_text }</span>
            </div>
            { markup(error) }
            <div class="script-editor">
                <pre class="gutter" ref={gutter} aria-hidden="true">{ markup(gutter_text) }</pre>
                <textarea ref={area} class="script-text" spellcheck="false" aria-label="Scenario script"
                    value={d.text.clone()} oninput={on_input} onscroll={on_scroll} wrap="off" />
            </div>
            { markup(outcomes) }
        </div>
    }
}
