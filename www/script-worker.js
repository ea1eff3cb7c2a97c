// The script worker (src/bin/script_worker.rs): the script language, which
// the page leaves out, run in a Web Worker the Script panel starts the first
// time it needs it (www/script-panel.js). Each message is [id, request]; the
// answer is [id, text] or, when the language could not answer, [id, null, why].
importScripts("script-worker-lang.js");
const ready = wasm_bindgen({ module_or_path: "script-worker-lang.wasm" });
onmessage = (e) => {
  const [id, request] = e.data;
  ready.then(
    () => {
      try {
        postMessage([id, wasm_bindgen.answer(String(request))]);
      } catch (err) {
        postMessage([id, null, "it stopped: " + ((err && err.message) || err)]);
      }
    },
    (err) => postMessage([id, null, "its code did not load: " + ((err && err.message) || err)]),
  );
};
