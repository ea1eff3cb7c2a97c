//! The Script panel's place in the page. The panel itself (the editor with
//! line numbers, Run, "From the run", copy, download, upload, the failing line
//! marked, the outcomes) is plain JavaScript, www/script-panel.js, loaded the
//! first time it is needed: the Script tab opened, a file dropped onto the
//! page, or the address's `scenario=` / `script=`. It talks to the script
//! worker (www/script-worker.js: the script language) itself, and hands the
//! page only a script's run, as a share link's code, through one door
//! ([`RaftPlayground::script_door`](crate::api::RaftPlayground::script_door)),
//! which opens it as a share link is opened (`Model::open_script_run`). So
//! the page's wasm carries this loader only (README, "What keeps the page small").

use super::store::Handle;
use super::use_node;
use wasm_bindgen::prelude::*;
use yew::functional::{Hook, HookContext};
use yew::prelude::*;

#[wasm_bindgen(inline_js = r#"
let loading;
export function scriptPanel(how, arg, door, flags) {
  // A file dropped anywhere on the page (the element it is mounted in) goes to the panel.
  // (Properties, not addEventListener: a page mounted again into the same element
  // replaces these with its own door, where listeners would pile up and run a file once per mount.)
  if (how == "listen") return (arg.ondragover = (e) => e.preventDefault()), (arg.ondrop = (e) => {
    const f = e.dataTransfer?.files[0];
    if (f) e.preventDefault(), scriptPanel("drop", f, door, 0);
  });
  // The run asked over (the address's script does not replace another) and
  // the address as asked (a lesson's run may rewrite it before the file loads).
  const run = how == "address" ? [door.call(999), location.search] : 0;
  // Said when the file did not load, or loaded without the panel in it (a
  // server that answers every address with index.html); the tab says it too.
  const failed = () => {
    if (how == "mount") arg.textContent = "The Script panel could not load (script-panel.js). Open the tab again to try again.";
    door.call(999, 0, "The Script panel could not load: its file did not load (script-panel.js).", 1);
  };
  // Beside the page (scripts/build-page.sh puts it there), by the document's
  // address, as the script worker is: a classic script that sets self.raftScriptPanel.
  (loading ||= new Promise((ok, no) => {
    const s = document.createElement("script");
    s.src = "script-panel.js";
    s.onload = () => (self.raftScriptPanel ? ok(self.raftScriptPanel) : s.onerror());
    s.onerror = () => (s.remove(), no((loading = 0)));
    document.head.append(s);
  })).then((p) => p[how](door, arg, flags, run)).catch(failed);
}
"#)]
extern "C" {
    /// Loads www/script-panel.js once, then calls its `how`: `mount` (draw
    /// the panel into element `arg`), `drop` (run file `arg`) or `address`
    /// (run the address's scenario= / script=; `arg`: the address's other
    /// problems, `flags`: see [`run_address`]). `listen`: a file dropped
    /// onto element `arg` goes to the panel (`drop`), with `door`.
    fn scriptPanel(how: &str, arg: &JsValue, door: &JsValue, flags: u32);
}

/// The panel's props.
#[derive(Properties, PartialEq)]
pub struct ScriptProps {
    /// The model.
    pub handle: Handle,
}

/// What www/script-panel.js reaches the page through: the page's
/// [`RaftPlayground`](crate::api::RaftPlayground), whose `scriptDoor` opens a script's run.
fn door(h: &Handle) -> JsValue {
    crate::api::script_door_of(h)
}

/// The Script panel (a part of the page: `Which::Script`): a place that
/// www/script-panel.js draws into (its children are the script's, not Yew's).
pub fn script_panel(ctx: &mut HookContext, props: &ScriptProps) -> Html {
    let node = use_node().run(ctx);
    let (h, el) = (props.handle.clone(), node.clone());
    super::use_effect_on(
        0,
        Box::new(move || {
            if let Some(el) = el.get() {
                scriptPanel("mount", &el, &door(&h), 0);
            }
            None
        }),
    )
    .run(ctx);
    html! { <div class="panel-body script-panel" ref={node} /> }
}

/// A file dropped anywhere on the page (`root`, where it is mounted) goes to the Script panel, which runs it.
pub fn listen_for_drops(root: &web_sys::Element, h: &Handle) {
    scriptPanel("listen", root, &door(h), 0);
}

/// Runs the address's `scenario=` / `script=` in the Script panel (which
/// reads and checks them): `problems`, the address's other bad settings,
/// go into its notice; `flags`: 1 the run plays once it has run (else it
/// is paused), 2 the Script panel opens, 4 the address opens a shared run
/// and 8 a lesson instead (the script is not run, and said so).
pub fn run_address(h: &Handle, problems: &str, flags: u32) {
    scriptPanel("address", &JsValue::from_str(problems), &door(h), flags);
}
