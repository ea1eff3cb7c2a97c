//! What `window.raftPlayground` (and `mountPlayground`'s result) is: a plain
//! JavaScript object whose methods forward to the page's [`RaftPlayground`],
//! kept where no caller can reach it. So nothing outside can `free()` the
//! page's instance (which would break every later call and the page's own
//! shortcuts), and a method called without its object
//! (`const f = rp.crash; f(1)`) throws an `Error` that says so, instead of
//! wasm-bindgen's "null pointer passed to rust".

use super::{RaftPlayground, METHODS};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
const inner = new WeakMap();
export function guard(api, names) {
  const outer = {};
  names.split(" ").forEach((name, i) => {
    Object.defineProperty(outer, name, {
      enumerable: true,
      value: function (...args) {
        const target = inner.get(this);
        if (target === undefined) {
          throw new Error(`raftPlayground.${name}: called without its object; call it as raftPlayground.${name}(...), ` +
            `or bind it first: const ${name} = raftPlayground.${name}.bind(raftPlayground)`);
        }
        return target.call(i, args[0], args[1], args[2]);
      },
    });
  });
  inner.set(outer, api);
  // A host page may have made the name read-only: the object is returned all the same.
  try { window.raftPlayground = outer; } catch (e) {}
  return outer;
}
"#)]
extern "C" {
    /// The plain object that forwards to `api` (see the module's text), with
    /// a function for each of `names` ([`METHODS`], one string, a space
    /// between names: no `Array` built from Rust), also set as
    /// `window.raftPlayground`.
    fn guard(api: JsValue, names: &str) -> JsValue;
}

/// The page's API as callers get it: a plain object, `api` kept out of
/// reach; also set as `window.raftPlayground` (where there is a window).
pub fn expose(api: RaftPlayground) -> JsValue {
    let mut names = String::new();
    for (_, n) in METHODS {
        if !names.is_empty() {
            names.push(' ');
        }
        names.push_str(n);
    }
    guard(JsValue::from(api), &names)
}
