//! The address bar kept in step with the run, for the page mounted from the
//! address (`#raft-playground`, not a page mounted by `mountPlayground`): after
//! each new run, `?seed=` and `?servers=` say its seed and size, so the address
//! is a link to it. Only those keys change; any other key and the fragment
//! stay, and no history entry is added (`history.replaceState`).

use crate::sim::Config;
use crate::view::args::address_settings;
use wasm_bindgen::JsValue;

/// Writes the run's settings into the address.
pub fn follow_run(start: &Config) {
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let (Ok(path), Ok(search), Ok(hash)) = (loc.pathname(), loc.search(), loc.hash()) else { return };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else { return };
    for (key, value) in address_settings(start) {
        params.set(key, &value);
    }
    let query: String = params.to_string().into();
    let url = format!("{path}?{query}{hash}");
    if url != format!("{path}{search}{hash}") {
        if let Ok(history) = w.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}
