// raft-playground-embed.js: drives a Raft Playground shown in an iframe, from
// a page on any origin, over its postMessage API (docs/embedding.md).
//
//   <script src="https://…/raft-playground-embed.js"></script>
//   const rp = await RaftPlayground.connect(document.querySelector("iframe"));
//   rp.on("leader", (e) => console.log(e.detail.server, "leads term", e.detail.term));
//   await rp.crash(2);                 // any method of the JavaScript API, as a promise
//   const s = await rp.state();
//
// connect(iframe, { timeout, origin, wait }) waits until the playground
// answers (up to `wait` ms, 20000). Each call is a promise that rejects with the playground's
// Error message, or after `timeout` ms (5000) without an answer. Messages go
// to the iframe's origin only (from its src, or `origin`), and only answers
// from that window and origin are read.
(function (root) {
  "use strict";
  var next = 1;
  function connect(iframe, options) {
    options = options || {};
    var timeout = options.timeout || 5000;
    var win = iframe && iframe.contentWindow;
    if (!win) return Promise.reject(new Error("RaftPlayground.connect: expected an iframe in the document"));
    var origin = options.origin || new URL(iframe.src, location.href).origin;
    var pending = {};
    var handlers = {};
    function receive(e) {
      var m = e.data;
      if (e.source !== win || e.origin !== origin || !m || m.raftPlayground !== 1) return;
      if (typeof m.event === "string") {
        (handlers[m.event] || []).slice().forEach(function (f) {
          f(m);
        });
      } else if (pending[m.id]) {
        var p = pending[m.id];
        delete pending[m.id];
        clearTimeout(p.timer);
        if (m.ok) p.resolve(m.result);
        else p.reject(new Error(m.error));
      }
    }
    addEventListener("message", receive);
    function call(method, args, ms) {
      return new Promise(function (resolve, reject) {
        var id = "rp" + next++;
        pending[id] = {
          resolve: resolve,
          reject: reject,
          timer: setTimeout(function () {
            delete pending[id];
            reject(new Error("raftPlayground." + method + ": no answer within " + ms + " ms"));
          }, ms),
        };
        win.postMessage({ raftPlayground: 1, id: id, method: method, args: args }, origin);
      });
    }
    var client = {
      /** call("crash", 2): any method by name. */
      call: function (method) {
        return call(method, [].slice.call(arguments, 1), timeout);
      },
      /** on("leader", f): f({ event, time, detail }) for each such event; resolves once subscribed. */
      on: function (event, f) {
        (handlers[event] = handlers[event] || []).push(f);
        return call("subscribe", [[event]], timeout);
      },
      /** off("leader", f) stops f (off("leader"): every handler of it). */
      off: function (event, f) {
        var list = (handlers[event] || []).filter(function (g) {
          return f && g !== f;
        });
        handlers[event] = list;
        return list.length ? Promise.resolve() : call("unsubscribe", [[event]], timeout);
      },
      /** Stops listening to the iframe. */
      close: function () {
        removeEventListener("message", receive);
      },
    };
    // Any other name is a method of the playground's API (rp.crash(2), rp.seek(...)).
    var rp = new Proxy(client, {
      get: function (target, name) {
        if (name in target || typeof name !== "string" || name === "then") return target[name];
        return function () {
          return call(name, [].slice.call(arguments), timeout);
        };
      },
    });
    var start = Date.now();
    return new Promise(function (resolve, reject) {
      (function ask() {
        call("now", [], 250).then(
          function () {
            resolve(rp);
          },
          function () {
            if (Date.now() - start < (options.wait || 20000)) return ask();
            client.close();
            reject(new Error("RaftPlayground.connect: the playground at " + origin + " did not answer (is this page's origin allowed by its origin= setting?)"));
          },
        );
      })();
    });
  }
  root.RaftPlayground = { connect: connect };
})(window);
