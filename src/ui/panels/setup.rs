//! The Setup panel: a new run (size, seed) and the current run's timing
//! (election timeout, heartbeat, latency, loss), checked field by field by
//! [`setup_draft`].

use super::PanelProps;
use crate::raft::Settings;
use crate::sim::{Switch, SWITCHES};
use crate::ui::store::Handle;
use crate::ui::texts::use_texts;
use crate::ui::{fresh_seed, markup, raw, use_local, Esc, Local};
use crate::view::model::{page_config, Op, SERVERS};
use crate::view::setup::{option_click, preset_of, setup_draft, SetupFields, PRESETS, RAFT_OPTIONS};
use crate::view::texts::Texts;
use std::fmt::Write as _;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement};
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// The timing inputs, in the order of [`TIMING_FIELDS`](crate::view::setup::TIMING_FIELDS):
/// their `min`, `max` and accessible name.
const TIMING_INPUTS: [(&str, Option<&str>, &str); 6] = [
    ("1", None, "Shortest election timeout (ms)"),
    ("1", None, "Longest election timeout (ms)"),
    ("1", None, "Heartbeat interval (ms)"),
    ("0", None, "Shortest message delay (ms)"),
    ("0", None, "Longest message delay (ms)"),
    ("0", Some("100"), "Share of messages lost (%)"),
];

/// The timing form's groups: label, the id of the first input (the label's
/// target), the inputs (a range has two, joined by a dash) and the unit.
const TIMING_GROUPS: [(&str, &str, &[usize], &str); 4] = [
    ("election timeout", "set-el", &[0, 1], "ms"),
    ("heartbeat", "set-hb", &[2], "ms"),
    ("latency", "set-lat", &[3, 4], "ms"),
    ("loss", "set-loss", &[5], "%"),
];

/// The form's field `k` ([`SERVERS_FIELD`], [`SEED_FIELD`], else timing field
/// `k` of [`TIMING_INPUTS`]) set to `value`, and the panel drawn again.
fn set(form: &Local<SetupFields>, k: usize, value: String) {
    let mut f = form.get();
    match k {
        SERVERS_FIELD => f.servers = value,
        SEED_FIELD => f.seed = value,
        SNAPSHOT_FIELD => f.snapshot = Some(value),
        k => f.timing[k] = value,
    }
    form.set(f);
}

/// A field's number (0 to 9) as `data-k` says it.
const fn digit(k: usize) -> &'static str {
    ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"][k]
}

/// [`set`]'s number for the cluster size (the timing fields are 0 to 5).
const SERVERS_FIELD: usize = 6;
/// [`set`]'s number for the seed.
const SEED_FIELD: usize = 7;
/// [`set`]'s number for the snapshot threshold (log compaction).
const SNAPSHOT_FIELD: usize = 8;

/// The size select's options as markup, the one `chosen` selected (the
/// browser selects it when the options are written again).
fn size_options(chosen: &str) -> String {
    let mut s = String::new();
    for k in SERVERS {
        let selected = if k.to_string() == chosen { " selected" } else { "" };
        let _ = write!(s, r#"<option value="{k}"{selected}>{k}</option>"#);
    }
    s
}

/// Cluster size, seed and timing. Its fields start from the run's config
/// (the page mounts a fresh panel for each run).
pub fn setup_panel(ctx: &mut HookContext, props: &PanelProps) -> Html {
    let h = props.handle.clone();
    let init = h.try_read().map(|m| SetupFields::of(m.cluster().config(), m.start.seed));
    let init = init.unwrap_or_else(|| SetupFields::of(&page_config(5, 0), 0));
    // The form's fields as typed, in one value (one hook, not eight).
    let form = use_local(init).run(ctx);
    // Why the snapshot threshold typed was refused (empty: it was not), and
    // the threshold the run had then (the sentence says it).
    #[cfg(feature = "compaction")]
    let snapshot_why = use_local((String::new(), 0)).run(ctx);
    // The options' explanations, fetched with the other panels' texts
    // (`panel-texts.txt`): until they arrive, the options show without them.
    let texts = use_texts(ctx);
    let Some(m) = h.try_read() else { return html! {} };
    let cur = m.cluster().config().clone();
    let fields = form.get();
    let draft = setup_draft(&cur, &fields);
    let timing_ok = draft.config.is_some();
    let same_timing = draft.same_timing(&cur);
    // One listener for the form's fields (the size's select, the seed, the
    // timing inputs): the field says its number in `data-k`.
    let oninput = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            let Some(k) =
                el.get_attribute("data-k").and_then(|k| crate::decimal::whole(&k)).filter(|&k| k <= SNAPSHOT_FIELD)
            else {
                return;
            };
            let value = match el.dyn_ref::<HtmlSelectElement>() {
                Some(s) => s.value(),
                None => el.unchecked_into::<HtmlInputElement>().value(),
            };
            set(&form, k, value)
        })
    };
    let apply_timing = {
        let h = h.clone();
        let steps = draft.timing_changes(&cur);
        Callback::from(move |_| {
            for a in &steps {
                if h.dispatch(Op::Sim(a.clone())).is_err() {
                    break;
                }
            }
        })
    };
    let new_run = {
        let h = h.clone();
        let draft = draft.clone();
        let form = form.clone();
        Callback::from(move |_| {
            if let Some(cfg) = draft.new_run(fresh_seed) {
                set(&form, SEED_FIELD, cfg.seed.to_string());
                h.send(Op::Restart(cfg));
            }
        })
    };
    let random_seed = {
        let form = form.clone();
        Callback::from(move |_| set(&form, SEED_FIELD, fresh_seed().to_string()))
    };
    let defaults = page_config(5, 0);
    let typed = &fields.timing;
    let bad = |k: usize| draft.invalid[k].to_string();
    let why_not = draft.why_no_new_run();
    // The words around the fields as markup (their text only changes).
    let mut errors = String::new();
    if !draft.timing_errors.is_empty() {
        errors.push_str(r#"<ul class="field-errors" role="alert" aria-label="Not valid">"#);
        for e in &draft.timing_errors {
            let _ = write!(errors, "<li>✗ {}</li>", Esc(&e.to_string()));
        }
        errors.push_str("</ul>");
    }
    let status = if !timing_ok {
        "Fix the timing first."
    } else if same_timing {
        "The run already uses this timing."
    } else {
        ""
    };
    let apply_words = format!(
        r#"<span class="muted small">{status}</span><span class="muted small">Defaults: {}–{} ms, {} ms, {}–{} ms, 0%.</span>"#,
        defaults.election_timeout_ms.0,
        defaults.election_timeout_ms.1,
        defaults.heartbeat_ms,
        defaults.latency_ms.0,
        defaults.latency_ms.1
    );
    let mut warnings = String::new();
    for w in draft.warnings() {
        let _ = write!(warnings, r#"<p class="warn" role="status">⚠ {}</p>"#, Esc(&w.to_string()));
    }
    let this_run = format!(
        r#"<p class="muted small">This run: {n} servers, seed {s}; the page's address ?seed={s}&amp;servers={n} starts it again (the address bar follows each new run).</p>"#,
        n = m.start.nodes,
        s = m.start.seed
    );
    // The fields' numbers in `data-k`, from the constants [`set`] matches.
    const SIZE: &str = digit(SERVERS_FIELD);
    const SEED: &str = digit(SEED_FIELD);
    html! {
        <div class="panel-body setup" {oninput}>
            <fieldset>
                { raw("<legend>A new run</legend>") }
                <div class="form-row">
                    <label for="set-servers">{ "servers" }</label>
                    <select id="set-servers" data-k={SIZE} aria-label="Number of servers">
                        { markup(size_options(&fields.servers)) }
                    </select>
                    <label for="set-seed">{ "seed" }</label>
                    <input id="set-seed" type="text" inputmode="numeric" size="8" value={fields.seed.clone()} data-k={SEED}
                        aria-label="Seed (blank: a fresh random one)" title="Same seed and same actions: the same run"
                        aria-invalid={draft.seed.is_err().to_string()} />
                    <button onclick={random_seed} title="Draw a fresh random seed" aria-label="Draw a fresh random seed">{ "New seed" }</button>
                    <button class="primary" onclick={new_run} disabled={why_not.is_some()}
                        title="Start over with these servers, this seed and the timing below">{ "Start a new run" }</button>
                </div>
                if let Some(why) = why_not {
                    <p class="field-error" id="run-why">{ why }</p>
                }
            </fieldset>
            <fieldset>
                { raw("<legend>Timing (changes the current run)</legend>") }
                <div class="timing">
                    { for TIMING_GROUPS.iter().map(|&(label, id, fields, unit)| html! {
                        <span class="fld"><label for={id}>{ label }</label>
                        { for fields.iter().enumerate().map(|(j, &k)| {
                            let (min, max, aria) = TIMING_INPUTS[k];
                            html! { <>
                                if j > 0 { { "–" } }
                                <input id={(j == 0).then_some(id)} type="number" {min} {max} value={typed[k].clone()}
                                    data-k={digit(k)} aria-label={aria} aria-invalid={bad(k)} />
                            </> }
                        }) }
                        { unit }</span>
                    }) }
                </div>
                { markup(errors) }
                <div class="form-row apply-row">
                    <button onclick={apply_timing} disabled={!timing_ok || same_timing}
                        title={if same_timing { "The current run already uses this timing" } else { "Change the current run's timing now" }}>{ "Apply timing now" }</button>
                    { markup(apply_words) }
                </div>
                { markup(warnings) }
            </fieldset>
            { options(&h, &cur.raft, &texts, {
                #[cfg(feature = "compaction")]
                let more = snapshot_row(&h, &cur.raft, &form, fields.snapshot.clone(), &snapshot_why, &texts);
                #[cfg(not(feature = "compaction"))]
                let more = Html::default();
                more
            }) }
            { markup(this_run) }
        </div>
    }
}

/// The panel's text `what name` (see [`Texts::keyed`]), or "" while the texts are on their way.
fn text<'a>(texts: Option<&'a Texts>, what: &str, name: &str) -> &'a str {
    texts.map_or("", |t| t.keyed(what, name))
}

/// One option of the options group as markup, written on `s`: a checkbox,
/// or a radio button per choice, then what it does. (Markup in a string: one
/// `write!` per option instead of a tree of elements; Yew replaces it only
/// when it changes.)
fn option_row(s: &mut String, w: &Switch, cur: &Settings, texts: Option<&Texts>) {
    let on = |yes: bool| if yes { " checked" } else { "" };
    let value = w.get(cur).to_string();
    let name = w.name;
    let (open, close) = if w.choices().is_empty() { ("<label", "</label>") } else { ("<div", "</div>") };
    let _ = write!(s, r#"{open} class="opt" data-name="{name}">"#);
    match w.choices() {
        [] => {
            let _ = write!(s, r#"<input type="checkbox" data-opt="{name}"{}>"#, on(value == "on"));
        }
        choices => {
            for c in choices {
                let word = if *c == "read_index" { "ReadIndex" } else { c };
                let _ = write!(
                    s,
                    r#" <label class="opt-choice"><input type="radio" name="opt-{name}" data-opt="{name}" data-val="{c}"{}>{word}</label>"#,
                    on(value == *c)
                );
            }
        }
    }
    let _ = write!(s, r#"<b>{}</b> <span class="muted">{}</span>{close}"#, w.label, text(texts, "switch", name));
}

/// The options groups: real Raft's options with the presets, and the "what
/// if" switches that break it. One click listener for all of them reads the
/// clicked control's data attributes ([`option_click`]); each change is the
/// engine's `SetOption` action, so the history, the links and the event feed
/// have it.
fn options(h: &Handle, cur: &Settings, texts: &Result<Rc<Texts>, Html>, more: Html) -> Html {
    let (texts, wait) = match texts {
        Ok(t) => (Some(&**t), Html::default()),
        Err(wait) => (None, wait.clone()),
    };
    let onclick = {
        let h = h.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            let Some(cur) = h.try_read().map(|m| m.cluster().config().raft.clone()) else { return };
            let data = |a: &str| el.closest(&format!("[{a}]")).ok().flatten().and_then(|e| e.get_attribute(a));
            let checked = el.dyn_ref::<HtmlInputElement>().is_some_and(|i| i.checked());
            let (p, o, v) = (data("data-preset"), data("data-opt"), data("data-val"));
            for a in option_click(&cur, p.as_deref(), o.as_deref(), v.as_deref(), checked) {
                if h.dispatch(Op::Sim(a)).is_err() {
                    // Refused (a lesson drives the cluster...): the browser has already
                    // ticked the box or moved the radio; undo that, as the markup,
                    // drawn from the model, does not change.
                    if el.dyn_ref::<HtmlInputElement>().is_some() {
                        e.prevent_default();
                    }
                    break;
                }
            }
        })
    };
    let now = preset_of(cur);
    let mut markup = String::from(
        r#"<fieldset class="options"><legend>Raft options (change the current run)</legend><div class="presets">Presets: "#,
    );
    for (i, name) in PRESETS.iter().enumerate() {
        let _ = write!(
            markup,
            r#"<button class="preset" data-preset="{i}" title="{}" aria-pressed="{}">{name}</button>"#,
            text(texts, "preset", digit(i)),
            now == Some(i)
        );
    }
    markup.push_str("</div>");
    for w in RAFT_OPTIONS.iter().filter_map(|n| Switch::named(n)) {
        option_row(&mut markup, w, cur, texts);
    }
    markup.push_str(r#"</fieldset><fieldset class="options whatif"><legend>What if (not Raft)</legend>"#);
    markup.push_str(text(texts, "setup", "whatif"));
    for w in SWITCHES.iter().filter(|w| w.breaks_raft) {
        option_row(&mut markup, w, cur, texts);
    }
    markup.push_str("</fieldset>");
    html! { <div class="options-groups" {onclick}>{ wait }{ Html::from_html_unchecked(AttrValue::from(markup)) }{ more }</div> }
}

/// Log compaction's threshold (the `snapshot_threshold` switch): a number,
/// 0 for off; a change is the engine's `SetOption` action, as the options' are.
/// The text typed stays in the form (`form`'s `snapshot`, fed by the panel's
/// input listener) until it is applied, so a drawing does not undo it. Text
/// that is not a whole number in range is refused with a sentence under the
/// field (`why`, the panel's, with the threshold it was written against: it
/// shows only while the run has that threshold), and the run keeps its threshold.
#[cfg(feature = "compaction")]
fn snapshot_row(
    h: &Handle,
    cur: &Settings,
    form: &Local<SetupFields>,
    typed: Option<String>,
    why: &Local<(String, u64)>,
    texts: &Result<Rc<Texts>, Html>,
) -> Html {
    use crate::view::setup::{snapshot_threshold, threshold_change};
    let now = snapshot_threshold(cur);
    let onchange = {
        let (h, form, why) = (h.clone(), form.clone(), why.clone());
        Callback::from(move |e: Event| {
            let typed = e.target_unchecked_into::<HtmlInputElement>().value();
            let Some(cur) = h.try_read().map(|m| m.cluster().config().raft.clone()) else { return };
            let mut f = form.get();
            match threshold_change(&cur, &typed) {
                Ok(change) => {
                    why.put((String::new(), 0));
                    f.snapshot = None;
                    if let Some(a) = change {
                        let _ = h.dispatch(Op::Sim(a));
                    }
                }
                Err(e) => {
                    why.put((e, snapshot_threshold(&cur)));
                    f.snapshot = Some(typed);
                }
            }
            form.set(f);
        })
    };
    let (bad, against) = why.get();
    let bad = (!bad.is_empty() && against == now).then_some(bad);
    let typed = typed.unwrap_or_else(|| now.to_string());
    html! {
        <fieldset class="options compaction">
            { raw("<legend>Log compaction (changes the current run)</legend>") }
            <div class="form-row" data-name="snapshot_threshold">
                <label for="set-snapshot"><b>{ "snapshot threshold" }</b></label>
                <input id="set-snapshot" type="text" inputmode="numeric" size="8" data-k={digit(SNAPSHOT_FIELD)}
                    value={typed} {onchange} aria-invalid={bad.is_some().to_string()}
                    aria-describedby={bad.is_some().then_some("snapshot-why")}
                    aria-label="Snapshot threshold: applied entries a log keeps before a snapshot (0: off)" />
                { "entries (0: off)" }
            </div>
            if let Some(bad) = bad {
                <p class="field-error" id="snapshot-why" role="alert">{ bad }</p>
            }
            if let Ok(t) = texts {
                <p class="muted small">{ markup(t.keyed("setup", "snapshot").to_string()) }</p>
            }
        </fieldset>
    }
}
