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
use crate::view::model::LINK_PREFIX;
use std::fmt::Write as _;
use wasm_bindgen::prelude::*;

// The address's keys set and deleted in JavaScript (one import, where the
// `URLSearchParams`, `Location` and `History` calls from Rust were each one).
#[wasm_bindgen(inline_js = r#"
export function followRun(changes, dropLink, linkPrefix) {
  try {
    const loc = location;
    const params = new URLSearchParams(loc.search);
    for (const c of changes.split("\n")) {
      const i = c.indexOf("=");
      if (i < 0) params.delete(c);
      else params.set(c.slice(0, i), c.slice(i + 1));
    }
    const hash = loc.hash;
    const kept = dropLink && hash.replace(/^#/, "").startsWith(linkPrefix) ? "" : hash;
    const url = `${loc.pathname}?${params}${kept}`;
    if (url !== loc.pathname + loc.search + hash) history.replaceState(null, "", url);
  } catch (e) {}
}
"#)]
extern "C" {
    /// Applies `changes` to the address's query, one a line (`key=value`
    /// sets the key, in place if it is there; `key` deletes it), leaves out
    /// the fragment if `dropLink` and it holds a share link (`linkPrefix`,
    /// after an optional `#`), and replaces the address (no history entry)
    /// if that changed it.
    #[wasm_bindgen(js_name = followRun)]
    fn follow_run_js(changes: &str, drop_link: bool, link_prefix: &str);
}

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
    let mut changes = String::new();
    for (key, value) in address_settings(start) {
        let _ = writeln!(changes, "{key}={value}");
    }
    #[cfg(feature = "compaction")]
    match crate::view::args::address_snapshot(start) {
        Some(n) => {
            let _ = writeln!(changes, "snapshot={n}");
        }
        None => changes.push_str("snapshot\n"),
    }
    match lesson {
        Some((id, step)) => {
            let _ = writeln!(changes, "lesson={id}\nstep={step}");
        }
        None if had_lesson => changes.push_str("lesson\nstep\n"),
        None => {}
    }
    if drop_script {
        changes.push_str("scenario\nscript\n");
    }
    follow_run_js(changes.trim_end(), left_link, LINK_PREFIX);
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
