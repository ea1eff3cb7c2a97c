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
use super::{to_js, RaftPlayground};
use crate::ui::lesson_load::when_open;
use crate::view::json::Json;
use crate::view::lesson::{lesson_arg, LessonOp};
use crate::view::model::Op;
use wasm_bindgen::prelude::*;

impl RaftPlayground {
    /// The lesson list: `[{ id, title, steps, group, summary, available, why }]`.
    pub fn lessons(&self) -> Result<JsValue, JsError> {
        let m = self.handle.try_read().ok_or_else(|| err("lessons", "the page is busy; try again"))?;
        // As JSON read by `JSON.parse` (see `to_js`): smaller code than an
        // object built field by field through `Reflect::set`.
        let mut j = Json::new();
        j.open_list();
        for (_, items) in m.lessons.groups() {
            for item in items {
                let i = &item.info;
                j.open().key("id").str(&i.id).key("title").str(&i.title).key("steps").uint(i.steps as u64);
                j.key("group").str(&i.group_title).key("summary").opt_str(i.summary.as_deref());
                j.key("available").bool(item.unavailable.is_none()).key("why").opt_str(item.unavailable.as_deref());
                j.close();
            }
        }
        j.close_list();
        to_js("lessons", &j.finish())
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
        let mut j = Json::new();
        j.open().key("id").str(&s.id).key("title").str(&s.title).key("step").uint(s.step as u64);
        j.key("steps")
            .uint(s.steps as u64)
            .key("stepTitle")
            .str(&s.step_title)
            .key("waiting")
            .opt_str(s.waiting.as_deref());
        j.key("asking").bool(s.asking).key("ended").bool(s.ended).key("finished").bool(s.finished);
        j.key("branch").opt_str(s.branch.as_deref()).close();
        to_js("lessonState", &j.finish()).unwrap_or(JsValue::NULL)
    }
}
