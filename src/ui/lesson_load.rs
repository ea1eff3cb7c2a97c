//! The lessons' browser glue: a recorded lesson fetched when it is first
//! opened (`lessons/recorded/<id>.txt`, beside the page), promises that
//! `startLesson` hands out settled when it arrives, and the progress kept in
//! `localStorage` (read when the page starts, written when it changes).
//! Every failure is said (a notice, a rejected promise); none stops the page.

use super::store::Handle;
use super::use_effect_on;
use crate::view::lesson::{lesson_url, LessonOp, PROGRESS_KEY};
use crate::view::model::Op;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function loadItem(key) {
  try { return localStorage.getItem(key); } catch (e) { return null; }
}
export function saveItem(key, value) {
  try { if (value === "") localStorage.removeItem(key); else localStorage.setItem(key, value); } catch (e) {}
}
"#)]
extern "C" {
    /// `localStorage.getItem(key)`, or nothing where storage is refused.
    fn loadItem(key: &str) -> Option<String>;
    /// `localStorage.setItem(key, value)` (removes it when `value` is empty); quiet where storage is refused.
    fn saveItem(key: &str, value: &str);
}

/// A promise handed out by `startLesson`, waiting for its lesson: (id, resolve, reject).
type Waiter = (String, js_sys::Function, js_sys::Function);

thread_local! {
    static WAITERS: RefCell<Vec<Waiter>> = const { RefCell::new(Vec::new()) };
}

/// Starts the fetch the lessons ask for, if they ask for one (called after every change of the model).
pub fn follow_fetch(h: &Handle) {
    let Some(id) = h.try_write().and_then(|mut m| m.lessons.take_fetch()) else { return };
    let h = h.clone();
    let url = lesson_url(&id);
    let done = Box::new(move |text: Result<String, String>| {
        let result = h.dispatch(Op::Lesson(LessonOp::Loaded { id: id.clone(), text }));
        let opened = h.try_read().and_then(|m| m.lessons.address()).is_some_and(|(open, _)| open == id);
        let waiting: Vec<Waiter> = WAITERS.with(|w| {
            let mut w = w.borrow_mut();
            let (mine, rest) = w.drain(..).partition(|(wid, _, _)| *wid == id);
            *w = rest;
            mine
        });
        for (_, resolve, reject) in waiting {
            let _ = match (&result, opened) {
                (_, true) => resolve.call0(&JsValue::NULL),
                (Err(e), _) => reject.call1(&JsValue::NULL, &js_error(e)),
                (Ok(()), false) => reject.call1(&JsValue::NULL, &js_error("another lesson was opened meanwhile")),
            };
        }
    });
    super::fetch::fetch_text(&url, done);
}

fn js_error(why: &str) -> JsValue {
    js_sys::Error::new(&format!("raftPlayground.startLesson: {why}")).into()
}

/// A promise that settles when lesson `id` (asked for already) is open: at
/// once if it is, else when its recording arrives.
pub fn when_open(h: &Handle, id: &str) -> js_sys::Promise {
    let open = h.try_read().and_then(|m| m.lessons.address()).is_some_and(|(open, _)| open == id);
    if open {
        return js_sys::Promise::resolve(&JsValue::UNDEFINED);
    }
    let id = id.to_string();
    js_sys::Promise::new(&mut |resolve, reject| WAITERS.with(|w| w.borrow_mut().push((id.clone(), resolve, reject))))
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
