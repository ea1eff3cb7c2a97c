//! From JavaScript values to the view-model's [`Arg`]s and options objects, and from
//! its refusals to JavaScript `Error`s named after the method
//! ("raftPlayground.crash: there is no server S7 ..."). The checks themselves
//! live in [`crate::view::args`].

use crate::view::args::{self as view_args, show, Arg, Options};
use std::fmt::Display;
use wasm_bindgen::prelude::*;

/// An `Error` for a refused call of `method`.
pub fn err(method: &str, msg: impl Display) -> JsError {
    JsError::new(&format!("raftPlayground.{method}: {msg}"))
}

/// A JavaScript value as the checks see it (arrays two levels deep).
pub fn arg(v: &JsValue) -> Arg {
    arg_at(v, 0)
}

fn arg_at(v: &JsValue, depth: u8) -> Arg {
    if v.is_undefined() {
        Arg::Undefined
    } else if v.is_null() {
        Arg::Null
    } else if let Some(s) = v.as_string() {
        Arg::Str(s)
    } else if let Some(n) = v.as_f64() {
        Arg::Number(n)
    } else if let Some(b) = v.as_bool() {
        Arg::Bool(b)
    } else if js_sys::Array::is_array(v) {
        let items =
            if depth < 2 { js_sys::Array::from(v).iter().map(|x| arg_at(&x, depth + 1)).collect() } else { Vec::new() };
        Arg::Array(items)
    } else {
        Arg::Other(v.js_typeof().as_string().unwrap_or_default())
    }
}

/// The options object of `method` (`{ servers: 5, ... }`), read into `T` by
/// [`view::args::read_options`](crate::view::args::read_options); left out
/// (`undefined` or `null`) it is `T::default()`. `example` shows what an
/// options object looks like, for the error when it is not one.
pub fn read_options<T: Options>(method: &str, v: JsValue, example: &str) -> Result<T, JsError> {
    if v.is_undefined() || v.is_null() {
        return Ok(T::default());
    }
    if !v.is_object() || js_sys::Array::is_array(&v) {
        return Err(err(method, format!("options must be an object{example}, got {}", show(&arg(&v)))));
    }
    // Its own string keys (a getter that throws reads as undefined: nothing a caller passes may panic).
    let keys = js_sys::Reflect::own_keys(&v).unwrap_or_else(|_| js_sys::Array::new());
    let entries = keys
        .iter()
        .filter_map(|k| {
            let value = js_sys::Reflect::get(&v, &k).unwrap_or(JsValue::UNDEFINED);
            Some((k.as_string()?, arg(&value)))
        })
        .collect();
    view_args::read_options(entries).map_err(|e| err(method, e))
}
