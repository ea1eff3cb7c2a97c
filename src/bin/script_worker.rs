//! The script worker: the script language (`script-lang`) as a second wasm
//! that the Script panel (www/script-panel.js) loads in a Web Worker when it
//! first needs it (Run, "From the run", an upload or a drop, the address's
//! scenario= / script=), so that the page carries none of it and keeps
//! animating while a long script runs.
//!
//! scripts/build-page.sh builds it for wasm32 without the `page` feature (no
//! Yew, no JavaScript API) and runs wasm-bindgen `--target no-modules` on it;
//! www/script-worker.js loads it in the worker and answers the page's
//! messages with [`answer`]. Natively it answers one request read from stdin
//! (`r` and a script, or `x` and a share link's code) on stdout.

/// Answers a request from the page (see `script::answer::answer_request`).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn answer(request: &str) -> String {
    raft_playground::script::answer::answer_request(request)
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::io::Read;
        let mut request = String::new();
        if std::io::stdin().read_to_string(&mut request).is_ok() {
            println!("{}", raft_playground::script::answer::answer_request(&request));
        }
    }
}
