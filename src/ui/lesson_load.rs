//! The lessons' browser glue: a recorded lesson fetched when it is first
//! opened (`lessons/recorded/<id>.txt`, beside the page), promises that
//! `startLesson` hands out settled when it arrives, and the progress kept in
//! `localStorage` (read when the page starts, written when it changes).
//! Every failure is said (a notice, a rejected promise); none stops the page.

use super::store::Handle;
use super::use_effect_on;
use crate::view::lesson::{lesson_url, LessonOp, PROGRESS_KEY};
use crate::view::model::Op;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function loadItem(key) {
  try { return localStorage.getItem(key); } catch (e) { return null; }
}
export function saveItem(key, value) {
  try { if (value === "") localStorage.removeItem(key); else localStorage.setItem(key, value); } catch (e) {}
}
const waiting = [];
export function waitLesson(id, open) {
  return open ? Promise.resolve() : new Promise((resolve, reject) => waiting.push([id, resolve, reject]));
}
export function settleLesson(id, why) {
  const mine = [];
  let kept = 0;
  for (const w of waiting) {
    if (w[0] === id) mine.push(w);
    else waiting[kept++] = w;
  }
  waiting.length = kept;
  for (const [, resolve, reject] of mine) {
    if (why === undefined) resolve();
    else reject(new Error(`raftPlayground.startLesson: ${why}`));
  }
}
"#)]
extern "C" {
    /// `localStorage.getItem(key)`, or nothing where storage is refused.
    fn loadItem(key: &str) -> Option<String>;
    /// `localStorage.setItem(key, value)` (removes it when `value` is empty); quiet where storage is refused.
    fn saveItem(key: &str, value: &str);
    /// A promise for lesson `id`: resolved at once if it is `open`, else
    /// kept (in JavaScript: its id, resolve and reject) until [`settleLesson`].
    fn waitLesson(id: &str, open: bool) -> js_sys::Promise;
    /// Settles the promises waiting for lesson `id`, in the order they were
    /// handed out: resolved (`why` nothing) or rejected with an `Error`
    /// "raftPlayground.startLesson: {why}".
    fn settleLesson(id: &str, why: Option<&str>);
}

/// Starts the fetch the lessons ask for, if they ask for one (called after every change of the model).
pub fn follow_fetch(h: &Handle) {
    let Some(id) = h.try_write().and_then(|mut m| m.lessons.take_fetch()) else { return };
    let h = h.clone();
    let url = lesson_url(&id);
    let done = Box::new(move |text: Result<String, String>| {
        let result = h.dispatch(Op::Lesson(LessonOp::Loaded { id: id.clone(), text }));
        let opened = h.try_read().and_then(|m| m.lessons.address()).is_some_and(|(open, _)| open == id);
        let why = match (&result, opened) {
            (_, true) => None,
            (Err(e), _) => Some(e.as_str()),
            (Ok(()), false) => Some("another lesson was opened meanwhile"),
        };
        settleLesson(&id, why);
    });
    super::fetch::fetch_text(&url, done);
}

/// A promise that settles when lesson `id` (asked for already) is open: at
/// once if it is, else when its recording arrives.
pub fn when_open(h: &Handle, id: &str) -> js_sys::Promise {
    let open = h.try_read().and_then(|m| m.lessons.address()).is_some_and(|(open, _)| open == id);
    waitLesson(id, open)
}

/// Reads the progress kept in the browser when the page mounts, and keeps
/// it whenever it changes (`progress_rev`, from the model).
#[hook]
pub fn use_lesson_progress(h: &Handle, progress_rev: u64) {
    {
        let h = h.clone();
        use_effect_on(
            0,
            Box::new(move || {
                if let Some(text) = loadItem(PROGRESS_KEY) {
                    h.send(Op::Lesson(LessonOp::Progress(text)));
                }
                None
            }),
        );
    }
    let h = h.clone();
    use_effect_on(
        progress_rev,
        Box::new(move || {
            // Nothing was read or done yet at 0: writing then would forget what is kept.
            if progress_rev > 0 {
                if let Some(m) = h.try_read() {
                    saveItem(PROGRESS_KEY, &m.lessons.progress().text());
                }
            }
            None
        }),
    );
}
