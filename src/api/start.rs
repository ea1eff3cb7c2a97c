//! Start-up: the panic overlay, the page mounted into `#raft-playground` with
//! the address's settings, and `mountPlayground(element, options)` for pages
//! that mount it themselves.

use super::args::{arg, err, read_options};
use super::guard::expose;
use super::RaftPlayground;
use crate::ui::app::AppProps;
use crate::ui::focus::prefers_reduced_motion;
use crate::ui::fresh_seed;
use crate::ui::part::{Part, PartProps, Which};
use crate::ui::store::Handle;
use crate::view::args::{address_options, show, MountOptions};
use crate::view::lesson::{lesson_address, LessonOp};
use crate::view::model::{link_in_fragment, Model, Notice, Op, StartOptions, Tab};
use crate::view::timeline::ms_text;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::AppHandle;

thread_local! {
    static MOUNTED: RefCell<Option<(AppHandle<Part>, Handle)>> = const { RefCell::new(None) };
}

// Without `paused` in the address, a visitor whose system prefers reduced
// motion starts paused, with a notice saying so.
/// Runs when the module loads: the panic overlay, then the page if the document has `#raft-playground`.
#[wasm_bindgen(start)]
pub fn start() {
    install_panic_hook();
    listen_for_traps();
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(root) = doc.get_element_by_id("raft-playground") else { return };
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
    let mut address = address_options(|k| params.as_ref().and_then(|p| p.get(k)));
    // Motion is the point of the page, but it waits for a visitor who asked for less.
    let calm = !address.paused_given && address.start.playing && prefers_reduced_motion();
    if calm {
        address.start.playing = false;
    }
    // www/embed.js read the settings for embedding (embed=, theme=, panels=, ...) before
    // this module ran: it set them as attributes of <html> for the style sheet, and what
    // it ignored as `data-ignored`, for the notice.
    let html = doc.document_element();
    let attr = |name: &str| html.as_ref().and_then(|h| h.get_attribute(name));
    address.problems.extend(attr("data-ignored"));
    // ?scenario=<name> / ?script=<base64url>: run by the Script panel (www/script-panel.js,
    // which reads and checks them) once the page is up.
    #[cfg(feature = "script-panel")]
    let asked = ["scenario", "script"].iter().any(|k| params.as_ref().and_then(|p| p.get(k)).is_some());
    // A share link in the fragment opens its run at its moment, paused; a
    // link that cannot be opened says why over the default playground.
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    let from_link = link_in_fragment(&hash).map(|code| Model::from_link(code, address.start.speed));
    let opened_link = matches!(from_link, Some(Ok(_)));
    let mounted = match from_link {
        Some(Ok(model)) => {
            let said = format!(
                "Opened the shared run at {}, paused: press Space or Play to run on, or go back in time on the timeline.",
                ms_text(model.cluster().now())
            );
            Ok((mount_exposed(root, model).0, Some(Notice::info(said))))
        }
        Some(Err(e)) => mount_with(root, &address.start).map(|(api, _)| {
            (api, Some(Notice::error(format!("This link could not be opened: {e}. Here is a new run instead."))))
        }),
        None => mount_with(root, &address.start).map(|(api, _)| (api, None)),
    };
    match mounted {
        Ok((api, link_problem)) => {
            // panels= hides the page's first panel: the first one shown opens.
            if let (Some(shown), Some(m)) = (attr("data-panels"), api.handle.try_read()) {
                let first = shown.split(' ').next().and_then(Tab::from_id);
                let tab = m.tab;
                drop(m);
                if let (false, Some(first)) = (shown.split(' ').any(|s| s == tab.id()), first) {
                    api.handle.send(Op::Tab(first));
                }
            }
            // ?lesson=<id>&step=<n>: that step opens once the lesson is loaded
            // (not over a shared run the link opened).
            let lesson = api
                .handle
                .try_read()
                .filter(|_| !opened_link)
                .map(|m| lesson_address(|k| params.as_ref().and_then(|p| p.get(k)), &m.lessons));
            #[cfg(feature = "script-panel")]
            let lesson_opens = matches!(lesson, Some(Ok(Some(_))));
            match lesson {
                Some(Ok(Some((id, step)))) => api.handle.send(Op::Lesson(LessonOp::Open { id, step })),
                Some(Err(problem)) => address.problems.push(problem),
                _ => {}
            }
            let notice = if link_problem.is_some() {
                link_problem
            } else if !address.problems.is_empty() {
                Some(Notice::error(format!("Ignored in the address: {}.", address.problems.join("; "))))
            } else if calm {
                Some(Notice::info(
                    "Paused at the start, as your system asks for reduced motion: press Space or Play to run.",
                ))
            } else {
                None
            };
            if notice.is_some() {
                let _ = api.handle.update(|m| m.notice = notice);
            }
            // Its run leaves its own notice, naming the other problems again.
            // A script is not run over the shared run or the lesson the address opens.
            #[cfg(feature = "script-panel")]
            if asked {
                let open = attr("data-panels").is_none_or(|shown| shown.split(' ').any(|s| s == "script"));
                let flags = address.start.playing as u32
                    | (open as u32) << 1
                    | (opened_link as u32) << 2
                    | (lesson_opens as u32) << 3;
                crate::ui::script_panel::run_address(&api.handle, &address.problems.join("; "), flags);
            }
            // This page's address is a link to its run, whichever run that is.
            api.handle.own_address();
        }
        Err(e) => web_sys::console::error_1(&JsValue::from_str(&e)),
    }
}

/// Installs the panic hook: the panic message goes to the console and to an
/// overlay with a Reload button, instead of a silently frozen page. The
/// page's release build (scripts/build-page.sh) has the panic strategy
/// immediate-abort: a panic there is a bare wasm trap and runs no hook (none
/// is set, and the patched Yew sets none of its own there); the overlay
/// then comes from the trap's listener (see [`show_panic_overlay`]).
pub fn install_panic_hook() {
    #[cfg(not(panic = "immediate-abort"))]
    yew::set_custom_panic_hook(Box::new(|info| {
        let text = info.to_string();
        web_sys::console::error_1(&JsValue::from_str(&format!("Raft Playground panicked: {text}")));
        show_panic_overlay(&text);
    }));
}

// The overlay is written in JavaScript, so that it still works after a wasm
// trap, when the module's state (a borrowed cell, the stack pointer) may be
// left half way. A trap reaches JavaScript as a `WebAssembly.RuntimeError`
// thrown out of whichever callback was running: the page's event listeners,
// animation frames and tasks (reported as the window's `error`), or a
// promise (`unhandledrejection`). [`start`] adds the listeners when the module
// is loaded, for the page and for pages that call `mountPlayground`.
#[wasm_bindgen(inline_js = r#"
export function showCrash(text) {
  const doc = globalThis.document;
  if (!doc || !doc.body || doc.getElementById("panic-overlay")) return;
  const overlay = doc.createElement("div");
  overlay.id = "panic-overlay";
  overlay.setAttribute("role", "alert");
  overlay.innerHTML = '<div class="panic-card"><h2>The playground stopped: a bug made it panic</h2>' +
    "<p>Nothing more will move on this page. The message below says what went wrong; please report it with the seed shown in the toolbar.</p>" +
    '<pre></pre><button onclick="location.reload()" class="primary">Reload the page</button></div>';
  // The message as text, never as markup.
  overlay.querySelector("pre").textContent = text;
  doc.body.appendChild(overlay);
}
export function listenForTraps() {
  if (typeof addEventListener !== "function") return;
  const trapped = (e) => {
    if (e instanceof WebAssembly.RuntimeError) showCrash(String(e.stack || e));
  };
  addEventListener("error", (ev) => trapped(ev.error));
  addEventListener("unhandledrejection", (ev) => trapped(ev.reason));
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = showCrash)]
    fn show_crash(text: &str);
    #[wasm_bindgen(js_name = listenForTraps)]
    fn listen_for_traps();
}

/// Puts the "it crashed" overlay on the page (once): what happened, the
/// message (`text`), and a Reload button. A wasm trap (a panic of the release
/// build) puts it up by itself, with the trap's error and stack as the message.
pub fn show_panic_overlay(text: &str) {
    show_crash(text);
}

/// Mounts a new run; returns the page's instance and the object callers get.
fn mount_with(root: web_sys::Element, opts: &StartOptions) -> Result<(RaftPlayground, JsValue), String> {
    let model = Model::new(opts, fresh_seed).map_err(|e| e.to_string())?;
    Ok(mount_exposed(root, model))
}

/// Mounts the page around a ready-made model (any [`Config`](crate::sim::Config),
/// including the "break Raft" switches), replacing any page mounted before, and
/// sets `window.raftPlayground` (a plain object forwarding to the returned
/// instance, see [`guard`](super::guard)). For tests, and later for lessons and embeds.
pub fn mount_model(root: web_sys::Element, model: Model) -> RaftPlayground {
    mount_exposed(root, model).0
}

/// Mounts the page; returns its instance and the object set as `window.raftPlayground`.
fn mount_exposed(root: web_sys::Element, model: Model) -> (RaftPlayground, JsValue) {
    let handle = Handle::new(model);
    // One page at a time: a new mount replaces the previous one.
    let old = MOUNTED.with(|m| m.borrow_mut().take());
    if let Some((app, h)) = old {
        h.set_redraw(None);
        app.destroy();
    }
    let props = PartProps { which: Which::App(AppProps { handle: handle.clone() }) };
    #[cfg(feature = "script-panel")]
    crate::ui::script_panel::listen_for_drops(&root, &handle);
    let app = yew::Renderer::<Part>::with_root_and_props(root, props).render();
    MOUNTED.with(|m| *m.borrow_mut() = Some((app, handle.clone())));
    let api = RaftPlayground { handle };
    // Also set as `window.raftPlayground` (by the guard's JavaScript).
    let exposed = expose(api.clone());
    (api, exposed)
}

/// Mounts the page into `element` (replacing any page mounted before) and
/// returns its API (a plain object, see [`guard`](super::guard)), also set as
/// `window.raftPlayground`.
///
/// `options` (optional): `{ servers: 3..9, seed: number, paused: bool, speed: 0.001..1 }`.
#[wasm_bindgen(js_name = mountPlayground)]
pub fn mount_playground(element: JsValue, options: JsValue) -> Result<JsValue, JsError> {
    const M: &str = "mountPlayground";
    let el: web_sys::Element = element
        .dyn_into()
        .map_err(|v| err(M, format!("expected a DOM element to mount into, got {}", show(&arg(&v)))))?;
    let opts = read_options::<MountOptions>(M, options, "")?.start_options().map_err(|e| err(M, e))?;
    mount_with(el, &opts).map(|(_, exposed)| exposed).map_err(|e| err(M, e))
}
