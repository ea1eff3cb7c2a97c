//! The address bar kept in step with the run, for the page mounted from the
//! address (`#raft-playground`, not a page mounted by `mountPlayground`): after
//! each new run, `?seed=` and `?servers=` say its seed and size (and
//! `?snapshot=` its snapshot threshold, with log compaction), so the address
//! is a link to it; while a lesson plays, `?lesson=` and `?step=` say which
//! and where (a teacher copies the address to link that step), and they go
//! when the lesson is left. Only those keys change; any other key and the
//! fragment stay, and no history entry is added (`history.replaceState`), but
//! for a share link in the fragment (`#run=...`) once the page has left its
//! run (a new run, a script run): reloading must not bring the link's run back.

use crate::sim::Config;
use crate::view::args::address_settings;
use crate::view::model::{link_in_fragment, LINK_PREFIX};
use wasm_bindgen::JsValue;

/// Writes the run's settings into the address, with the lesson played and
/// its step (from 1); `had_lesson`: the address named one, which is left now;
/// `left_link`: the run is no longer the one a share link in the fragment
/// holds, which goes; `drop_script`: the address's `scenario=` and `script=`
/// no longer stand for the run (a new one), and go (the Script panel puts
/// them back when the new run is theirs).
pub fn follow_run(
    start: &Config,
    lesson: Option<&(String, usize)>,
    had_lesson: bool,
    left_link: bool,
    drop_script: bool,
) {
    let Some(w) = web_sys::window() else { return };
    let loc = w.location();
    let (Ok(path), Ok(search), Ok(hash)) = (loc.pathname(), loc.search(), loc.hash()) else { return };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else { return };
    for (key, value) in address_settings(start) {
        params.set(key, &value);
    }
    #[cfg(feature = "compaction")]
    match crate::view::args::address_snapshot(start) {
        Some(n) => params.set("snapshot", &n),
        None => params.delete("snapshot"),
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
    if drop_script {
        params.delete("scenario");
        params.delete("script");
    }
    let query: String = params.to_string().into();
    let kept = if left_link && link_in_fragment(&hash).is_some() { "" } else { hash.as_str() };
    let url = format!("{path}?{query}{kept}");
    if url != format!("{path}{search}{hash}") {
        if let Ok(history) = w.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}

/// The address of this page with a share link in its fragment (`#run=...`):
/// the page's own address (path and settings), its fragment replaced.
pub fn share_url(code: &str) -> String {
    let Some(loc) = web_sys::window().map(|w| w.location()) else { return format!("#{LINK_PREFIX}{code}") };
    let (origin, path, search) = (loc.origin(), loc.pathname(), loc.search());
    format!(
        "{}{}{}#{LINK_PREFIX}{code}",
        origin.unwrap_or_default(),
        path.unwrap_or_default(),
        search.unwrap_or_default()
    )
}

/// Copies `text` to the clipboard when the browser lets the page, then calls
/// `done` with whether it did (it may not: an insecure page, a denied permission).
/// (A `Callback`, not a generic closure: one copy of this code for its callers.)
pub fn copy_text(text: &str, done: yew::Callback<bool>) {
    super::fetch::copy_text(text, Box::new(move |ok| done.emit(ok)));
}
