// Embedding the playground (issue 11; docs/embedding.md), in plain JavaScript
// to keep the page's wasm small. Two parts:
//
// 1. The address's settings for embedding, read as the page loads (before the
//    wasm module runs): embed=1, theme=light|dark|auto, panels=, controls=,
//    origin= (scenario= and script= are the wasm's: src/api/start.rs). Each is set
//    as an attribute of <html> that www/style.css reads (data-embed,
//    data-theme, data-panels="logs events", data-controls="play step");
//    each bad value goes into data-ignored, which the page's start-up
//    (src/api/start.rs) names in its notice with its own settings'.
//
// 2. The postMessage API: a page on any origin that shows the playground in
//    an iframe drives it and hears its events. It sits on the public API,
//    window.raftPlayground, which checks every argument itself.
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
// Events are told as the run goes forward (playing, stepping, a seek ahead);
// going back in time tells nothing, and playing on from there tells again
// what the run goes through.
(function () {
  "use strict";
  var EVENTS = ["leader", "commit", "violation", "crash", "restart", "partition", "heal", "write", "step"];
  var q = new URLSearchParams(location.search);
  var html = document.documentElement;

  // ----- 1. the address's settings -----
  var TABS = ["logs", "lessons", "client", "events", "diagram", "state", "network", "setup", "legend", "script", "pseudocode"];
  // The title, play / pause, step, the speed slider, the virtual time, the seed,
  // the safety badge, the help button, time travel's strip (once the page has one).
  var CONTROLS = ["title", "play", "step", "speed", "time", "seed", "safety", "help", "timeline"];
  var ignored = [];
  function bad(key, value, hint) {
    ignored.push(key + "=" + (value.length > 24 ? value.slice(0, 23) + "…" : value) + " (" + hint + ")");
  }
  function get(key) {
    var v = q.get(key);
    return v === null ? v : v.trim();
  }
  // A comma-separated list of `known` names (in any order): those named, or
  // `dflt` when it names only unknown ones (each named in the notice).
  function names(key, known, dflt) {
    var v = get(key);
    if (v === null) return dflt;
    var items = v.split(",").map(function (s) { return s.trim(); }).filter(Boolean);
    var shown = known.filter(function (k) { return items.indexOf(k) >= 0; });
    if (items.some(function (s) { return known.indexOf(s) < 0; })) bad(key, v, "use " + known.join(", "));
    return shown.length || !items.length ? shown : dflt;
  }
  var embed = get("embed");
  if (embed !== null && !/^(0|false|no)$/.test(embed)) {
    if (/^(1|true|yes|)$/.test(embed)) html.setAttribute("data-embed", "1");
    else bad("embed", embed, "use embed=1");
  }
  embed = html.hasAttribute("data-embed");
  var theme = get("theme");
  if (theme === "light" || theme === "dark") html.setAttribute("data-theme", theme);
  else if (theme !== null && theme !== "auto") bad("theme", theme, "use light, dark or auto");
  // Embedded: no panels (a lesson's own), every control but the title and help.
  var panels = names("panels", TABS, !embed ? TABS : q.has("lesson") ? ["lessons"] : []);
  var controls = names("controls", CONTROLS, !embed ? CONTROLS : CONTROLS.filter(function (c) { return c !== "title" && c !== "help"; }));
  if (panels.length < TABS.length) html.setAttribute("data-panels", panels.join(" "));
  if (controls.length < CONTROLS.length) html.setAttribute("data-controls", controls.join(" "));
  // The one parent origin allowed, as browsers write one (event.origin). A bad one is
  // named, and as no event.origin equals it, no page may drive this one then.
  var allowed = q.get("origin");
  if (allowed !== null && !isOrigin(allowed)) {
    bad("origin", allowed, "an origin as browsers write it, such as https://course.example: no path, no default port; no page may drive this one");
  }
  function isOrigin(o) {
    try {
      return /^https?:\/\/[^/]/.test(o) && new URL(o).origin === o;
    } catch (err) {
      return false;
    }
  }
  if (ignored.length) html.setAttribute("data-ignored", ignored.join("; "));

  // ----- 2. the postMessage API -----
  var subs = []; // { source, origin, on: { name: true } }
  var seen = 0; // events of the trace already read
  var last; // the last of them, to notice a new run or a move back in time
  // Events read, at indices 0, 1, 3, 7, 15, ... (2^k - 1), as [index, event]:
  // a new run differs from the old one in some of them (its seed, its
  // settings), a move back in time does not.
  var marks = [];
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
  // Keeps the events of `batch` (the run's from index `from` on) whose index is 2^k - 1.
  function mark(batch, from) {
    for (var i = 0; i < batch.length; i++) {
      if (!((from + i + 1) & (from + i))) marks.push([from + i, batch[i]]);
    }
  }
  // Sends what happened since the last look.
  function poll() {
    var rp = window.raftPlayground;
    if (!rp || !subs.length) return;
    try {
      if (seen && !same(rp.events(seen - 1, 1)[0], last)) {
        // Not where it was left: the same run moved back in time (seek,
        // stepBack, Home, another branch), or a new run (reset, Setup, a
        // lesson). The mark nearest below the run's end tells them apart.
        var n = rp.state().eventCount;
        while (marks.length && marks[marks.length - 1][0] >= n) marks.pop();
        var m = marks[marks.length - 1];
        if (m && same(rp.events(m[0], 1)[0], m[1])) {
          // Moved back: what it shows now was told already, or skipped over
          // like a jump. Playing on from there tells what it goes through again.
          seen = n;
          last = rp.events(n - 1, 1)[0];
        } else {
          // A new run: its events from its first one.
          seen = 0;
          marks = [];
        }
      }
      for (var batch; (batch = rp.events(seen, 1000)).length; seen += batch.length) {
        mark(batch, seen);
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
        marks = [];
        for (var i = 0; i < seen; i = 2 * i + 1) mark(rp.events(i, 1), i);
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
    // An opaque origin ("null": a sandboxed frame, a file opened from disk) could not be answered.
    if (e.origin === "null" || (allowed !== null && e.origin !== allowed)) return;
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
