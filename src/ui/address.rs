//! The address bar kept in step with the run, for the page mounted from the
//! address (`#raft-playground`, not a page mounted by `mountPlayground`): after
//! each new run, `?seed=` and `?servers=` say its seed and size, so the address
//! is a link to it; while a lesson plays, `?lesson=` and `?step=` say which
//! and where (a teacher copies the address to link that step), and they go
//! when the lesson is left. Only those keys change; any other key and the
//! fragment stay, and no history entry is added (`history.replaceState`).

use crate::sim::Config;
use crate::view::args::address_settings;
use wasm_bindgen::JsValue;

/// Writes the run's settings into the address, with the lesson played and
/// its step (from 1); `had_lesson`: the address named one, which is left now.
pub fn follow_run(start: &Config, lesson: Option<&(String, usize)>, had_lesson: bool) {
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let (Ok(path), Ok(search), Ok(hash)) = (loc.pathname(), loc.search(), loc.hash()) else { return };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else { return };
    for (key, value) in address_settings(start) {
        params.set(key, &value);
    }
    match lesson {
        Some((id, step)) => {
            params.set("lesson", id);
            params.set("step", &step.to_string());
        }
        None if had_lesson => {
            params.delete("lesson");
            params.delete("step");
        }
        None => {}
    }
    let query: String = params.to_string().into();
    let url = format!("{path}?{query}{hash}");
    if url != format!("{path}{search}{hash}") {
        if let Ok(history) = w.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}
