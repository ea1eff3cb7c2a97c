//! The page's way to the script language when it is built without it (the
//! `script-lang` feature; see Cargo.toml): a Web Worker running the script
//! worker's wasm (src/bin/script_worker.rs, loaded by www/script-worker.js),
//! started the first time the model asks it something
//! ([`ScriptDraft::ask`](crate::view::model::ScriptDraft::ask): Run, "From
//! the run", an upload or a drop, the address's scenario= / script=). Its
//! answer comes back as [`Op::ScriptAnswer`]; a worker that does not load
//! answers every request with why, which the notice line says.

use super::store::Handle;
use crate::view::model::Op;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
let worker = null;
const waiting = new Map();
export function askScriptWorker(id, request, done) {
  try {
    if (!worker) {
      // Beside the page (scripts/build-page.sh puts it there), by the
      // document's address: tools/minify.mjs inlines this snippet into the
      // glue only while it has no module syntax (no "meta.url" either).
      worker = new Worker("script-worker.js");
      worker.onmessage = (e) => {
        const [i, text, why] = e.data;
        const d = waiting.get(i);
        waiting.delete(i);
        if (d) d(text ?? undefined, why ?? undefined);
      };
      worker.onerror = (e) => {
        e.preventDefault();
        worker.terminate();
        worker = null;
        for (const d of waiting.values()) d(undefined, "its worker did not load or stopped (script-worker.js)");
        waiting.clear();
      };
    }
    waiting.set(id, done);
    worker.postMessage([id, request]);
  } catch (e) {
    done(undefined, String((e && e.message) || e));
  }
}
"#)]
extern "C" {
    /// Posts request `id` to the worker (started if need be); calls
    /// `done(answer, undefined)` or `done(undefined, why)` once.
    fn askScriptWorker(id: f64, request: &str, done: &JsValue);
}

/// What to do once a request is answered: (request, continuation).
type Then = (u64, Box<dyn FnOnce(Result<(), String>)>);

thread_local! {
    static THEN: RefCell<Vec<Then>> = const { RefCell::new(Vec::new()) };
}

/// Posts the model's pending request, if any (after every change of the model).
pub fn follow(h: &Handle) {
    let Some((id, request)) = h.try_write().and_then(|mut m| m.script.ask.take()) else { return };
    let h = h.clone();
    let done = super::fetch::text_callback(
        "its worker failed",
        Box::new(move |answer: Result<String, String>| {
            // An answer no longer awaited (the page moved on, or a later request
            // replaced it) is not applied, and its caller is told so.
            let awaited = h.try_read().is_some_and(|m| m.awaits_script(id));
            let applied = if awaited {
                h.dispatch(Op::ScriptAnswer(id, answer))
            } else {
                Err("not run: the page had moved on before the script's answer came".into())
            };
            let then = THEN.with(|t| {
                let mut t = t.borrow_mut();
                let at = t.iter().position(|(i, _)| *i == id)?;
                Some(t.swap_remove(at).1)
            });
            if let Some(then) = then {
                then(applied);
            }
        }),
    );
    askScriptWorker(id as f64, &request, &done);
}

/// Calls `then` with what applying the answer to request `id` gave.
pub fn then(id: u64, then: Box<dyn FnOnce(Result<(), String>)>) {
    THEN.with(|t| t.borrow_mut().push((id, then)));
}
