//! The lessons in the JavaScript API: `lessons()`, `startLesson(id, step)`,
//! `nextStep()`, `previousStep()` and `lessonState()`.
//!
//! ```js
//! const rp = window.raftPlayground;
//! rp.lessons();                      // [{ id, title, steps, group, summary, available, why }]
//! await rp.startLesson("failover");  // a promise: the lesson is open (its recording fetched the first time)
//! rp.lessonState();                  // { id, title, step, steps, stepTitle, waiting, asking, ended, finished, branch }
//! rp.nextStep(); rp.previousStep();  // each returns lessonState()
//! ```
//!
//! Steps count from 1, as `?lesson=<id>&step=<n>` does. A wrong argument or
//! a call that does not fit (no lesson open, the last step) throws an `Error`
//! that says why; a lesson that cannot be fetched rejects the promise.

use super::args::{arg, err};
use super::RaftPlayground;
use crate::ui::lesson_load::when_open;
use crate::view::lesson::{lesson_arg, LessonOp};
use crate::view::model::Op;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

/// A plain object of these fields.
fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

fn text(s: &str) -> JsValue {
    JsValue::from_str(s)
}

fn maybe(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from_str)
}

impl RaftPlayground {
    /// The lesson list: `[{ id, title, steps, group, summary, available, why }]`.
    pub fn lessons(&self) -> Result<JsValue, JsError> {
        let m = self.handle.try_read().ok_or_else(|| err("lessons", "the page is busy; try again"))?;
        let list = Array::new();
        for (_, items) in m.lessons.groups() {
            for item in items {
                let i = &item.info;
                list.push(&object(&[
                    ("id", text(&i.id)),
                    ("title", text(&i.title)),
                    ("steps", JsValue::from(i.steps as u32)),
                    ("group", text(&i.group_title)),
                    ("summary", maybe(i.summary.as_deref())),
                    ("available", JsValue::from_bool(item.unavailable.is_none())),
                    ("why", maybe(item.unavailable.as_deref())),
                ]));
            }
        }
        Ok(list.into())
    }

    /// Opens lesson `id` at `step` (from 1; 1 when left out); a promise,
    /// settled once the lesson is open or could not be loaded.
    pub fn start_lesson(&self, id: JsValue, step: JsValue) -> Result<js_sys::Promise, JsError> {
        const M: &str = "startLesson";
        let (id, step) = {
            let m = self.handle.try_read().ok_or_else(|| err(M, "the page is busy; try again"))?;
            lesson_arg(&arg(&id), &arg(&step), &m.lessons).map_err(|e| err(M, e))?
        };
        self.op(M, Op::Lesson(LessonOp::Open { id: id.clone(), step }))?;
        Ok(when_open(&self.handle, &id))
    }

    /// The next step (the rest of this one runs at once); returns `lessonState()`.
    pub fn next_step(&self) -> Result<JsValue, JsError> {
        self.op("nextStep", Op::Lesson(LessonOp::Next))?;
        Ok(self.lesson_state())
    }

    /// Back to the start of the step before; returns `lessonState()`.
    pub fn previous_step(&self) -> Result<JsValue, JsError> {
        self.op("previousStep", Op::Lesson(LessonOp::Previous))?;
        Ok(self.lesson_state())
    }

    /// The lesson played, or null: `{ id, title, step (from 1), steps,
    /// stepTitle, waiting (what the step waits for, while it runs), asking,
    /// ended, finished, branch (an offer's label) }`.
    pub fn lesson_state(&self) -> JsValue {
        let Some(m) = self.handle.try_read() else { return JsValue::NULL };
        let Some(s) = m.lessons.state(m.cluster().now()) else { return JsValue::NULL };
        object(&[
            ("id", text(&s.id)),
            ("title", text(&s.title)),
            ("step", JsValue::from(s.step as u32)),
            ("steps", JsValue::from(s.steps as u32)),
            ("stepTitle", text(&s.step_title)),
            ("waiting", maybe(s.waiting.as_deref())),
            ("asking", JsValue::from_bool(s.asking)),
            ("ended", JsValue::from_bool(s.ended)),
            ("finished", JsValue::from_bool(s.finished)),
            ("branch", maybe(s.branch.as_deref())),
        ])
    }
}
