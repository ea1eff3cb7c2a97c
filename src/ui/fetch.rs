//! A file beside the page fetched as text: the lessons' recordings
//! (`lesson_load`) and the Pseudocode panel's text. Every failure is
//! reported to the caller, in words; none throws.

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
"#)]
extern "C" {
    /// Fetches `url` as text; calls `done(text, undefined)` or `done(undefined, why)`.
    pub(crate) fn fetchText(url: &str, done: &JsValue);
}
