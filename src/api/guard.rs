//! What `window.raftPlayground` (and `mountPlayground`'s result) is: a plain
//! JavaScript object whose methods forward to the page's [`RaftPlayground`],
//! kept where no caller can reach it. So nothing outside can `free()` the
//! page's instance (which would break every later call and the page's own
//! shortcuts), and a method called without its object
//! (`const f = rp.crash; f(1)`) throws an `Error` that says so, instead of
//! wasm-bindgen's "null pointer passed to rust".

use super::RaftPlayground;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
const inner = new WeakMap();
export function guard(api) {
  const proto = Object.getPrototypeOf(api);
  const outer = {};
  for (const name of Object.getOwnPropertyNames(proto)) {
    const method = proto[name];
    // wasm-bindgen's own doors (free, __destroy_into_raw) stay inside.
    if (name === "constructor" || name === "free" || name.startsWith("__") || typeof method !== "function") continue;
    Object.defineProperty(outer, name, {
      enumerable: true,
      value: function (...args) {
        const target = inner.get(this);
        if (target === undefined) {
          throw new Error(`raftPlayground.${name}: called without its object; call it as raftPlayground.${name}(...), ` +
            `or bind it first: const ${name} = raftPlayground.${name}.bind(raftPlayground)`);
        }
        return method.apply(target, args);
      },
    });
  }
  inner.set(outer, api);
  return outer;
}
"#)]
extern "C" {
    /// The plain object that forwards to `api` (see the module's text).
    fn guard(api: JsValue) -> JsValue;
}

/// The page's API as callers get it: a plain object, `api` kept out of reach.
pub fn expose(api: RaftPlayground) -> JsValue {
    guard(JsValue::from(api))
}
