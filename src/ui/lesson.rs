//! The Lessons panel: the lesson list (by section of the seed text, then by
//! topic, with each lesson's length and the visitor's progress), or, while a
//! lesson plays, its step card: title, caption, Previous / Replay / Next,
//! what the step waits for, the question and its verdict, the "replay this
//! with ..." offers and "Free play from here". Drawn from
//! [`Lessons`](crate::view::lesson::Lessons). Its controls name their
//! [`LessonOp`] in a `data-op` attribute ([`op_named`]): one click handler
//! serves them all.

use super::store::Handle;
use super::{raw, use_effect_on, with_class};
use crate::lesson::{Phase, QuestionKind};
use crate::view::lesson::{answer_words, number_answer, op_named, Card, LessonKey, LessonOp, Lessons, QuestionCard};
use crate::view::model::{Notice, Op};
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
                    let options = js_sys::Object::new();
                    let _ = js_sys::Reflect::set(&options, &"block".into(), &"nearest".into());
                    if let Ok(f) = js_sys::Reflect::get(&el, &"scrollIntoView".into()) {
                        let _ = f.unchecked_into::<js_sys::Function>().call1(&el, &options);
                    }
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

fn list(lessons: &Lessons) -> Html {
    let error = lessons.load_error.clone().or(lessons.list_error.clone());
    html! { <>
        { raw(r#"<p class="muted small intro">Guided runs, step by step: the seed text's four sections, then topics. Each step waits for something to happen; some ask you to predict it first.</p>"#) }
        if let Some((_, title, step)) = lessons.left() {
            <p class="resume"><button class="primary" data-op="resume">{ format!("Resume “{title}” at step {}", step + 1) }</button></p>
        }
        if let Some(id) = lessons.loading() {
            <p class="loading-lesson" role="status">{ format!("Loading the lesson {id:?}…") }</p>
        }
        if let Some(e) = error {
            <p class="field-error" role="alert">{ format!("✗ {e}") }</p>
        }
        { for lessons.groups().into_iter().map(|(title, items)| html! { <>
            <h3 class="lesson-group">{ title }</h3>
            <ul class="lesson-list">{ for items.into_iter().map(|item| {
                let i = item.info;
                let progress = match item.done {
                    0 => String::new(),
                    d if d >= i.steps => " · ✓ done".to_string(),
                    d => format!(" · {d} of {} done", i.steps),
                };
                let body = html! { <>
                    <span class="l-title">{ i.title }</span>
                    <span class="l-meta">{ format!("{} steps · {} min{progress}", i.steps, i.minutes) }</span>
                    <span class="l-sum">{ i.summary.unwrap_or_default() }</span>
                </> };
                match item.unavailable {
                    None => html! { <li><button class="lesson-item" data-op={format!("open:{}", i.id)}>{ body }</button></li> },
                    Some(why) => html! { <li><div class="lesson-item coming">{ body }<span class="l-why">{ why }</span></div></li> },
                }
            }) }</ul>
        </> }) }
        <p class="clear-row"><button class="small-btn" data-op="clear" disabled={lessons.progress().is_empty()}>{ "Clear progress" }</button></p>
    </> }
}

fn step_card(h: &Handle, c: Card) -> Html {
    let status = match (c.phase, c.waiting) {
        (Phase::Running, Some(w)) => html! {
            <p class="step-status" role="status"><span>{ "Waiting for: " }<strong>{ w }</strong></span>
                { raw(r#"<button class="small-btn" data-op="skip-ahead" title="Run to the question or the step's end at once">Skip ahead »</button>"#) }</p>
        },
        (Phase::Ended, _) => html! {
            <p class="step-status done" role="status">{ if c.finished { "✓ Lesson complete." } else { "✓ Step done." } }</p>
        },
        _ => html! {},
    };
    let phase = match c.phase {
        Phase::Running => "running",
        Phase::Asking => "asking",
        Phase::Ended => "ended",
    };
    html! {
        <div class="lesson" data-lesson={c.id} data-step={(c.step + 1).to_string()} data-phase={phase}>
            <div class="lesson-head">
                { raw(r#"<button class="small-btn" data-op="leave" title="Leave the lesson, the cluster as it is">← Lessons</button>"#) }
                <span class="lesson-title">{ c.title }</span>
            </div>
            if let Some((label, outcome)) = c.branch {
                <div class="branch-note"><p><strong>{ label }</strong>{ ": " }{ outcome }</p>
                    { raw(r#"<button class="small-btn" data-op="back">← Back to the lesson</button>"#) }</div>
            }
            <nav class="step-nav" aria-label="Steps">
                { raw(r#"<button data-op="previous" title="Back to the start of the step before" aria-label="Previous step">◀<span class="wide-only"> Previous</span></button>"#) }
                <span class="step-count">{ format!("Step {} of {}", c.step + 1, c.steps) }</span>
                { raw(r#"<button data-op="replay" title="This step again from its start" aria-label="Replay this step">↺<span class="wide-only"> Replay</span></button>"#) }
                <button class="primary" data-op="next" disabled={!c.has_next}>{ "Next ▶" }</button>
            </nav>
            <h3 class="step-title">{ c.step_title }</h3>
            <p class="caption">{ c.caption }</p>
            { status }
            { c.question.map(|q| question(h, q, c.reveal.is_some())).unwrap_or_default() }
            if let Some(r) = c.reveal {
                { with_class(html! { <div role="status"><strong>{ r.verdict() }</strong><p>{ r.explain }</p></div> },
                    AttrValue::Static(if r.correct { "reveal right" } else { "reveal wrong" })) }
            }
            if let Some(w) = c.mismatch {
                <p class="warn bad" role="alert">{ w }</p>
            }
            if !c.offers.is_empty() {
                <div class="offers">{ for c.offers.into_iter().enumerate().map(|(i, o)| match o.requires {
                    None => html! { <button class="offer" data-op={format!("branch:{i}")} title={o.outcome}>{ format!("↻ {}", o.label) }</button> },
                    Some(r) => html! { <span class="offer coming" title={o.outcome}>{ format!("↻ {} (coming: needs {r})", o.label) }</span> },
                }) }</div>
            }
            { raw(r#"<p class="lesson-foot"><button class="small-btn" data-op="leave" title="Crash, cut and write as you like; the Lessons panel picks the lesson up again">Free play from here</button></p>"#) }
        </div>
    }
}

/// The question, and how to answer it: servers clicked on the ring, yes or no, a number, an option.
fn question(h: &Handle, q: QuestionCard, revealed: bool) -> Html {
    let skip = raw(r#"<button type="button" class="small-btn" data-op="skip-question">Skip</button>"#);
    let ui = match (&q.given, &q.kind) {
        (Some(given), _) if !revealed => {
            let words = given.as_ref().map_or("skipped".to_string(), |g| answer_words(g, &q.kind));
            html! { <p class="muted small">{ format!("Your answer: {words}. Watch: the run will tell.") }</p> }
        }
        (None, QuestionKind::Servers) if q.open => {
            let chosen: Vec<String> = q.picked.iter().map(|n| n.to_string()).collect();
            html! { <>
                <p class="muted small">{ "Click servers on the ring (again to take one back). Chosen: " }
                    <strong class="chosen">{ if chosen.is_empty() { "none".to_string() } else { chosen.join(" ") } }</strong></p>
                <div class="row-buttons">{ raw(r#"<button class="primary" data-op="check">Check</button>"#) }{ skip }</div>
            </> }
        }
        (None, QuestionKind::YesNo) if q.open => html! {
            <div class="row-buttons">{ raw(r#"<button class="primary" data-op="yes">Yes</button><button class="primary" data-op="no">No</button>"#) }{ skip }</div>
        },
        (None, QuestionKind::Choice { options }) if q.open => html! {
            <div class="row-buttons choices">{ for options.iter().enumerate().map(|(i, o)| html! {
                <button data-op={format!("choice:{i}")}>{ o }</button>
            }) }{ skip }</div>
        },
        (None, QuestionKind::Number) if q.open => number_form(h, skip),
        _ => html! {},
    };
    html! {
        <div class="question" role="group" aria-label="Question">
            <p class="q-text">{ q.text }</p>
            { ui }
        </div>
    }
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
