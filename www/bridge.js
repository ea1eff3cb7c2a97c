// The playground's postMessage API (issue 11; docs/embedding.md): a page on
// any origin that shows the playground in an iframe drives it and hears its
// events. Plain JavaScript on top of the public API, window.raftPlayground,
// which checks every argument itself (as keys.js does).
//   request  { raftPlayground: 1, id, method, args }: any method of the API,
//            or subscribe([names]) / unsubscribe([names])
//   reply    { raftPlayground: 1, id, ok: true, result } or { ..., ok: false, error }
//            (the message of the Error the API threw), to the sender only:
//            event.source, with event.origin as the target origin
//   event    { raftPlayground: 1, event, time, detail }, to each subscriber
// Anything else is ignored without a word, and so is everything from another
// origin than ?origin= when the address names one. Events come from the run's
// trace (events(from, count), EventData in src/sim/trace.rs), read after each
// call and every 100 ms while someone listens; `step` from lessonState().
(function () {
  "use strict";
  var EVENTS = ["leader", "commit", "violation", "crash", "restart", "partition", "heal", "write", "step"];
  // The one parent origin allowed, as given (src/view/embed.rs names a bad one in the
  // notice; no event.origin equals a bad one, so then nobody may drive the page).
  var allowed = new URLSearchParams(location.search).get("origin");
  var subs = []; // { source, origin, on: { name: true } }
  var seen = 0; // events of the trace already read
  var last; // the last of them, to notice a new run
  var lesson; // the lesson step last reported
  var timer = 0;

  function fail(method, what) {
    return new Error("raftPlayground." + method + ": " + what);
  }
  // The event each type of the trace's events makes (EventData in src/sim/trace.rs).
  var NAMES = {
    leader_elected: "leader",
    committed: "commit",
    violation: "violation",
    crashed: "crash",
    restarted: "restart",
    partitioned: "partition",
    disconnected: "partition",
    healed: "heal",
    reconnected: "heal",
    client_write: "write",
    client_acked: "write",
    client_gave_up: "write",
  };
  // One trace event's events: its data, its sentence (`text`) and the server
  // it is about by name (`server`); a commit of several entries makes one
  // event per entry, with its `index`, `term` and `command`.
  function derive(e) {
    var d = e.data;
    var name = NAMES[d.type];
    var node = d.node || d.to || d.by;
    var detail = Object.assign({}, d, { text: e.text }, node ? { server: "S" + node } : {});
    if (!name) return [];
    if (d.groups) detail.groups = d.groups.map(function (g) {
      return g.map(function (id) { return "S" + id; });
    });
    return d.entries
      ? d.entries.map(function (x) { return [name, Object.assign({}, detail, x)]; })
      : [[name, detail]];
  }
  function send(name, time, detail) {
    subs.forEach(function (s) {
      if (s.on[name]) post(s.source, s.origin, { raftPlayground: 1, event: name, time: time, detail: detail });
    });
  }
  function post(to, origin, message) {
    try {
      to.postMessage(message, origin);
      return true;
    } catch (err) {
      return false; // a closed window, an opaque ("null") origin: nobody to answer
    }
  }
  function same(a, b) {
    return a && b && a.time === b.time && a.text === b.text;
  }
  // Sends what happened since the last look.
  function poll() {
    var rp = window.raftPlayground;
    if (!rp || !subs.length) return;
    try {
      // A new run (reset, Setup): its events from its first one.
      if (seen && !same(rp.events(seen - 1, 1)[0], last)) seen = 0;
      for (var batch; (batch = rp.events(seen, 1000)).length; seen += batch.length) {
        batch.forEach(function (e) {
          derive(e).forEach(function (x) {
            send(x[0], e.time, x[1]);
          });
        });
        last = batch[batch.length - 1];
      }
      var l = rp.lessonState();
      var key = l && l.id + " " + l.step + " " + l.branch;
      if (key !== lesson) {
        lesson = key;
        if (l) send("step", rp.now(), l);
      }
    } catch (err) {
      // The page is busy (a frame being drawn): next time.
    }
  }
  // subscribe([names]) / unsubscribe([names]) for the sender (all events when left out).
  function subscribe(e, method, args) {
    var names = args.length ? args[0] : EVENTS;
    if (!Array.isArray(names)) {
      throw fail(method, 'expected an array of event names such as ["leader", "commit"], got ' + typeof names);
    }
    names.forEach(function (n) {
      if (EVENTS.indexOf(n) < 0) {
        throw fail(method, "unknown event " + (typeof n === "string" ? '"' + n.slice(0, 30) + '"' : typeof n) + "; the events are " + EVENTS.join(", "));
      }
    });
    var s = subs.filter(function (x) {
      return x.source === e.source && x.origin === e.origin;
    })[0];
    if (!s) {
      if (method !== "subscribe") return [];
      s = { source: e.source, origin: e.origin, on: {} };
      if (!subs.length) {
        // From now on: the trace so far is not news.
        var rp = window.raftPlayground;
        seen = rp.state().eventCount;
        last = seen ? rp.events(seen - 1, 1)[0] : undefined;
        var l = rp.lessonState();
        lesson = l && l.id + " " + l.step + " " + l.branch;
        timer = setInterval(poll, 100);
      }
      subs.push(s);
    }
    names.forEach(function (n) {
      if (method === "subscribe") s.on[n] = true;
      else delete s.on[n];
    });
    var on = EVENTS.filter(function (n) {
      return s.on[n];
    });
    if (!on.length) subs.splice(subs.indexOf(s), 1);
    if (!subs.length) clearInterval(timer);
    return on;
  }

  addEventListener("message", function (e) {
    var m = e.data;
    var rp = window.raftPlayground;
    var id = m && m.id;
    // Not of the protocol, not from the parent allowed, or nothing to answer to: ignored.
    if (!m || typeof m !== "object" || m.raftPlayground !== 1 || !("method" in m) || !e.source || e.source === window) return;
    if (allowed !== null && e.origin !== allowed) return;
    if (typeof id !== "string" && !(typeof id === "number" && isFinite(id))) return;
    if (!rp) return; // still loading: the client asks again
    function reply(ok, value) {
      poll(); // the events a call caused come before its answer
      var r = { raftPlayground: 1, id: id, ok: ok };
      if (ok) r.result = value;
      else r.error = value && value.message ? String(value.message) : String(value);
      if (!post(e.source, e.origin, r) && ok) {
        reply(false, fail(method, "its result cannot be sent back"));
      }
    }
    var method = m.method;
    try {
      var args = m.args === undefined ? [] : m.args;
      var result;
      var bridge = method === "subscribe" || method === "unsubscribe";
      if (!bridge && !(typeof method === "string" && Object.prototype.hasOwnProperty.call(rp, method) && typeof rp[method] === "function")) {
        throw new Error(
          "raftPlayground: unknown method " + (typeof method === "string" ? '"' + method.slice(0, 30) + '"' : "(a " + typeof method + ")") +
            "; the methods are " + Object.keys(rp).concat("subscribe", "unsubscribe").join(", "),
        );
      }
      if (!Array.isArray(args)) throw fail(method, "args must be an array of the method's arguments, got " + typeof args);
      result = bridge ? subscribe(e, method, args) : rp[method].apply(rp, args);
      if (result && typeof result.then === "function") {
        result.then(function (v) { reply(true, v); }, function (err) { reply(false, err); });
      } else {
        reply(true, result);
      }
    } catch (err) {
      reply(false, err);
    }
  });
})();
