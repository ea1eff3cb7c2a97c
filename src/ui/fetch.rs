//! A file beside the page fetched as text: the lessons' recordings
//! (`lesson_load`), the panels' texts (`texts`), the Pseudocode panel's
//! text. Every failure is reported to the
//! caller, in words; none throws.
//!
//! Every JavaScript callback of the page that hands back a text or why there
//! is none (a fetch, a copy to the clipboard) is one
//! closure type, [`text_callback`]: each `Closure` type costs its own
//! wasm-bindgen glue (shims, a table entry, the JavaScript adapter).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function fetchText(url, done) {
  const fail = (e) => done(undefined, String((e && e.message) || e));
  try {
    fetch(url)
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`${r.status} ${r.statusText}`.trim() + ` for ${url}`))))
      .then((t) => done(t, undefined), fail);
  } catch (e) {
    fail(e);
  }
}
export function copyText(text, done) {
  const fail = () => done(undefined, "");
  try {
    navigator.clipboard.writeText(text).then(() => done(""), fail);
  } catch (e) {
    fail();
  }
}
"#)]
extern "C" {
    /// Fetches `url` as text; calls `done(text, undefined)` or `done(undefined, why)`.
    fn fetchText(url: &str, done: &JsValue);
    /// Copies `text` to the clipboard where the browser lets the page (it
    /// may not: an insecure page, a denied permission, no clipboard); calls
    /// `done("", undefined)` once it did, else `done(undefined, "")`.
    fn copyText(text: &str, done: &JsValue);
}

/// Copies `text` to the clipboard when the browser lets the page, then calls
/// `done` with whether it did.
pub(crate) fn copy_text(text: &str, done: Box<dyn FnOnce(bool)>) {
    copyText(text, &text_callback("", Box::new(move |r| done(r.is_ok()))));
}

/// What a [`text_callback`] hands on: the text, or why there is none.
pub(crate) type TextDone = Box<dyn FnOnce(Result<String, String>)>;

/// A JavaScript function `(text, why)` to be called once: `done` gets
/// `Ok(text)`, or `Err(why)` (`failed` when JavaScript gave no reason).
#[inline(never)]
pub(crate) fn text_callback(failed: &'static str, done: TextDone) -> JsValue {
    Closure::once_into_js(move |text: Option<String>, why: Option<String>| {
        done(text.ok_or_else(|| why.unwrap_or_else(|| failed.into())))
    })
}

/// Fetches `url` (beside the page) as text; `done` gets it, or why it could not.
#[inline(never)]
pub(crate) fn fetch_text(url: &str, done: TextDone) {
    fetchText(url, &text_callback("the request failed", done));
}
