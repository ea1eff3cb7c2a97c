//! The Lessons panel: the lesson list (by section of the seed text, then by
//! topic, with each lesson's length and the visitor's progress), or, while a
//! lesson plays, its step card: title, caption, Previous / Replay / Next,
//! what the step waits for, the question and its verdict, the "replay this
//! with ..." offers and "Free play from here". Drawn from
//! [`Lessons`](crate::view::lesson::Lessons). Its controls name their
//! [`LessonOp`] in a `data-op` attribute ([`op_named`]): one click handler
//! serves them all.

use super::store::Handle;
use super::{markup, raw, use_effect_on, Esc};
use crate::lesson::{Phase, QuestionKind};
use crate::view::lesson::{answer_words, number_answer, op_named, Card, LessonKey, LessonOp, Lessons, QuestionCard};
use crate::view::model::{Notice, Op};
use std::fmt::Write;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

/// The panel's props: the handle, and what it draws from (it draws again only when that changes).
#[derive(PartialEq)]
pub struct LessonsProps {
    /// The model.
    pub handle: Handle,
    /// The lessons' key (see [`Lessons::key`]).
    pub at: LessonKey,
}

/// The Lessons panel.
pub fn lessons_panel(ctx: &mut HookContext, props: &LessonsProps) -> Html {
    let h = &props.handle;
    let panel = crate::ui::use_node().run(ctx);
    {
        // A question, or its verdict, coming up below the fold scrolls into view.
        let panel = panel.clone();
        let key = props.at.asking() as u64 | (props.at.revealed() as u64) << 1;
        use_effect_on(
            key,
            Box::new(move || {
                let found =
                    panel.cast::<Element>().and_then(|p| p.query_selector(".reveal, .question .row-buttons").ok()?);
                if let Some(el) = found {
                    crate::ui::focus::scroll_near(&el);
                }
                None
            }),
        )
        .run(ctx);
    }
    let Some(m) = h.try_read() else { return html! {} };
    // Every control says its op in data-op.
    let onclick = h.on_event(|e: MouseEvent| {
        let el: Element = e.target()?.dyn_into().ok()?;
        let name = el.closest("[data-op]").ok()??.get_attribute("data-op")?;
        op_named(&name).map(Op::Lesson)
    });
    let body = match m.lessons.card(m.cluster().now()) {
        Some(card) => step_card(h, card),
        None => list(&m.lessons),
    };
    html! { <div class="panel-body lessons" ref={panel} {onclick}>{ body }</div> }
}

/// The lesson list, as markup (its buttons say their op in `data-op`).
fn list(lessons: &Lessons) -> Html {
    let error = lessons.load_error.clone().or(lessons.list_error.clone());
    let mut s = String::from(
        r#"<p class="muted small intro">Guided runs, step by step: the seed text's four sections, then topics. Each step waits for something to happen; some ask you to predict it first.</p>"#,
    );
    if let Some((_, title, step)) = lessons.left() {
        let _ = write!(
            s,
            r#"<p class="resume"><button class="primary" data-op="resume">Resume “{}” at step {}</button></p>"#,
            Esc(title),
            step + 1
        );
    }
    if let Some(id) = lessons.loading() {
        let words = format!("Loading the lesson {}…", crate::quote::Quoted(id));
        let _ = write!(s, r#"<p class="loading-lesson" role="status">{}</p>"#, Esc(&words));
    }
    if let Some(e) = error {
        let _ = write!(s, r#"<p class="field-error" role="alert">✗ {}</p>"#, Esc(&e));
    }
    for (title, items) in lessons.groups() {
        let _ = write!(s, r#"<h3 class="lesson-group">{}</h3><ul class="lesson-list">"#, Esc(&title));
        for item in items {
            let i = item.info;
            let progress = match item.done {
                0 => String::new(),
                d if d >= i.steps => " · ✓ done".to_string(),
                d => format!(" · {d} of {} done", i.steps),
            };
            let body = format!(
                r#"<span class="l-title">{}</span><span class="l-meta">{} steps · {} min{progress}</span><span class="l-sum">{}</span>"#,
                Esc(&i.title),
                i.steps,
                i.minutes,
                Esc(i.summary.as_deref().unwrap_or_default())
            );
            let _ = match item.unavailable {
                None => {
                    write!(s, r#"<li><button class="lesson-item" data-op="open:{}">{body}</button></li>"#, Esc(&i.id))
                }
                Some(why) => write!(
                    s,
                    r#"<li><div class="lesson-item coming">{body}<span class="l-why">{}</span></div></li>"#,
                    Esc(&why)
                ),
            };
        }
        s.push_str("</ul>");
    }
    let disabled = if lessons.progress().is_empty() { " disabled" } else { "" };
    let _ = write!(
        s,
        r#"<p class="clear-row"><button class="small-btn" data-op="clear"{disabled}>Clear progress</button></p>"#
    );
    markup(s)
}

/// A lesson's step: its words as markup (their buttons say their op in
/// `data-op`), its step buttons elements (the focus stays on Next).
fn step_card(h: &Handle, c: Card) -> Html {
    let phase = match c.phase {
        Phase::Running => "running",
        Phase::Asking => "asking",
        Phase::Ended => "ended",
    };
    let mut head = format!(
        r#"<div class="lesson-head"><button class="small-btn" data-op="leave" title="Leave the lesson, the cluster as it is">← Lessons</button><span class="lesson-title">{}</span></div>"#,
        Esc(&c.title)
    );
    // In a branch: "Replay this with pre-vote" becomes "This is the replay with pre-vote".
    let replay = c.branch.as_ref().map(|(label, _)| label.strip_prefix("Replay this ").unwrap_or(label));
    if let Some(with) = replay {
        let _ = write!(
            head,
            r#"<div class="branch-note"><p><strong>This is the replay {}</strong>: the lesson again from its start, played to this step.</p><button class="small-btn" data-op="back">← Back to the lesson</button></div>"#,
            Esc(with)
        );
    }
    let mut words =
        format!(r#"<h3 class="step-title">{}</h3><p class="caption">{}</p>"#, Esc(&c.step_title), Esc(&c.caption));
    if let Some(l) = &c.lesson_caption {
        let _ =
            write!(words, r#"<p class="caption muted"><em>In the lesson (without this change):</em> {}</p>"#, Esc(l));
    }
    match (c.phase, &c.waiting) {
        (Phase::Running, Some(w)) => {
            let _ = write!(
                words,
                r#"<p class="step-status" role="status"><span>Waiting for: <strong>{}</strong></span><button class="small-btn" data-op="skip-ahead" title="Run to the question or the step's end at once">Skip ahead »</button></p>"#,
                Esc(w)
            );
        }
        (Phase::Ended, _) => {
            let _ = match replay {
                Some(with) => write!(
                    words,
                    r#"<p class="step-status done" role="status">✓ The replay {} has played this step: it showed what the text above says.</p>"#,
                    Esc(with)
                ),
                None => {
                    let done = if c.finished { "✓ Lesson complete." } else { "✓ Step done." };
                    write!(words, r#"<p class="step-status done" role="status">{done}</p>"#)
                }
            };
        }
        _ => {}
    }
    let question = c.question.map(|q| question(h, q, c.reveal.is_some())).unwrap_or_default();
    let mut tail = String::new();
    if let Some(r) = &c.reveal {
        let class = if r.correct { "reveal right" } else { "reveal wrong" };
        let _ = write!(
            tail,
            r#"<div role="status" class="{class}"><strong>{}</strong><p>{}</p></div>"#,
            Esc(&r.verdict()),
            Esc(&r.explain)
        );
    }
    if let Some(w) = &c.mismatch {
        let _ = write!(tail, r#"<p class="warn bad" role="alert">{}</p>"#, Esc(w));
    }
    if !c.offers.is_empty() {
        tail.push_str(r#"<div class="offers">"#);
        for (i, o) in c.offers.iter().enumerate() {
            let _ = match &o.requires {
                None => write!(
                    tail,
                    r#"<button class="offer" data-op="branch:{i}" title="{}">↻ {}</button>"#,
                    Esc(&o.outcome),
                    Esc(&o.label)
                ),
                Some(r) => write!(
                    tail,
                    r#"<span class="offer coming" title="{}">↻ {} (coming: needs {})</span>"#,
                    Esc(&o.outcome),
                    Esc(&o.label),
                    Esc(r)
                ),
            };
        }
        tail.push_str("</div>");
    }
    tail.push_str(r#"<p class="lesson-foot"><button class="small-btn" data-op="leave" title="Crash, cut and write as you like; the Lessons panel picks the lesson up again">Free play from here</button></p>"#);
    html! {
        <div class="lesson" data-lesson={c.id} data-step={(c.step + 1).to_string()} data-phase={phase}>
            { markup(head) }
            <nav class="step-nav" aria-label="Steps">
                { raw(r#"<button data-op="previous" title="Back to the start of the step before" aria-label="Previous step">◀<span class="wide-only"> Previous</span></button>"#) }
                <span class="step-count">{ format!("Step {} of {}", c.step + 1, c.steps) }</span>
                { raw(r#"<button data-op="replay" title="This step again from its start" aria-label="Replay this step">↺<span class="wide-only"> Replay</span></button>"#) }
                <button class="primary" data-op="next" disabled={!c.has_next}>{ "Next ▶" }</button>
            </nav>
            { markup(words) }
            { question }
            { markup(tail) }
        </div>
    }
}

/// The question, and how to answer it: servers clicked on the ring, yes or
/// no, a number, an option. Markup, but for a number's form.
fn question(h: &Handle, q: QuestionCard, revealed: bool) -> Html {
    const SKIP: &str = r#"<button type="button" class="small-btn" data-op="skip-question">Skip</button>"#;
    let mut s =
        format!(r#"<div class="question" role="group" aria-label="Question"><p class="q-text">{}</p>"#, Esc(&q.text));
    match (&q.given, &q.kind) {
        (Some(given), _) if !revealed => {
            let words = given.as_ref().map_or("skipped".to_string(), |g| answer_words(g, &q.kind));
            let _ = write!(s, r#"<p class="muted small">Your answer: {}. Watch: the run will tell.</p>"#, Esc(&words));
        }
        (None, QuestionKind::Servers) if q.open => {
            let mut chosen = String::new();
            for n in &q.picked {
                let _ = write!(chosen, "{}{n}", if chosen.is_empty() { "" } else { " " });
            }
            if chosen.is_empty() {
                chosen.push_str("none");
            }
            let _ = write!(
                s,
                r#"<p class="muted small">Click servers on the ring (again to take one back). Chosen: <strong class="chosen">{chosen}</strong></p><div class="row-buttons"><button class="primary" data-op="check">Check</button>{SKIP}</div>"#
            );
        }
        (None, QuestionKind::YesNo) if q.open => {
            let _ = write!(
                s,
                r#"<div class="row-buttons"><button class="primary" data-op="yes">Yes</button><button class="primary" data-op="no">No</button>{SKIP}</div>"#
            );
        }
        (None, QuestionKind::Choice { options }) if q.open => {
            s.push_str(r#"<div class="row-buttons choices">"#);
            for (i, o) in options.iter().enumerate() {
                let _ = write!(s, r#"<button data-op="choice:{i}">{}</button>"#, Esc(o));
            }
            let _ = write!(s, "{SKIP}</div>");
        }
        (None, QuestionKind::Number) if q.open => {
            let form = number_form(h, raw(SKIP));
            return html! {
                <div class="question" role="group" aria-label="Question">
                    <p class="q-text">{ q.text }</p>
                    { form }
                </div>
            };
        }
        _ => {}
    }
    s.push_str("</div>");
    markup(s)
}

/// A number typed and checked: a whole number answers, anything else is said.
fn number_form(h: &Handle, skip: Html) -> Html {
    let h = h.clone();
    let onsubmit = Callback::from(move |e: SubmitEvent| {
        e.prevent_default();
        let form: Element = e.target_unchecked_into();
        let Ok(Some(input)) = form.query_selector("input") else { return };
        match number_answer(&input.unchecked_into::<HtmlInputElement>().value()) {
            Ok(n) => h.send(Op::Lesson(LessonOp::Answer(crate::lesson::Answer::Number(n)))),
            Err(e) => drop(h.update(|m| m.notice = Some(Notice::error(format!("Not an answer: {e}."))))),
        }
    });
    html! {
        <form class="row-buttons number-answer" {onsubmit}>
            { raw(r#"<input type="text" inputmode="numeric" size="4" aria-label="Your answer, a whole number"><button type="submit" class="primary">Check</button>"#) }{ skip }
        </form>
    }
}
