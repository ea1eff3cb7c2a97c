// The Script panel (issue 8) and the address's scenario= / script= (issue 11),
// in plain JavaScript, loaded beside the page the first time it is needed: the
// Script tab opened, a file dropped onto the page, or an address with
// scenario= / script= (the loader: src/ui/script_panel.rs). Not part of the
// page as it opens, so not counted in its size (scripts/test-web.sh prints it
// apart, with the script worker).
//
// It draws the editor (line numbers, Run, "From the run", Copy, Download,
// Upload, the failing line marked, what the run did) into the element the
// page gives it, and asks the script worker (www/script-worker.js: the script
// language) to run a script or to write a run as a script. The page gives it
// two things: the current run as a share link's code (raftPlayground.shareLink())
// and a door, its instance's call(999, code, notice, error) (src/api/mod.rs,
// SCRIPT_DOOR), through which a script's run (the worker's answer carries it
// as a share link's code) replaces the page's run, as a share link opens one,
// and the notice line is set. Every change of the cluster goes through the
// page's timeline.
(function () {
  "use strict";
  // The largest script (bytes), as src/script/mod.rs's MAX_SCRIPT_BYTES.
  var MAX_SCRIPT_BYTES = 1024 << 10;
  var TOO_LARGE = "that file is too large for a script (at most 1024 KB)";
  // The most outcomes kept for the panel (src/script/answer.rs's MAX_OUTCOMES).
  var MAX_OUTCOMES = 200;
  // The scenarios shipped beside the page (scenarios/<name>.txt, copied by
  // index.html): scenario= names one of these and nothing else (tests/scenario_files.rs
  // checks the list against the folder).
  var SCENARIOS = [
    "ack-before-commit",
    "check-quorum",
    "dropped-and-duplicated",
    "exactly-once",
    "fast-backup",
    "figure-8",
    "figure-8-unsafe",
    "follower-catch-up",
    "forget-vote",
    "lagging-transfer",
    "leader-failure",
    "leadership-transfer",
    "membership-change",
    "no-majority",
    "out-of-date-candidate",
    "out-of-date-candidate-unsafe",
    "persistence",
    "pre-vote",
    "reads",
    "reordering",
    "replication",
    "split-brain",
    "split-vote",
    "stale-reads",
  ];

  // ----- the script worker -----
  var worker = null;
  var waiting = new Map();
  var asked = 0;
  // Asks the worker (started if need be) `request` ("r" and a script: run it;
  // "x" and a share link's code: write it as a script): a promise of its
  // answer's text, or rejected with why there is none.
  function ask(request) {
    return new Promise(function (ok, no) {
      var id = ++asked;
      try {
        if (!worker) {
          worker = new Worker("script-worker.js");
          worker.onmessage = function (e) {
            var d = waiting.get(e.data[0]);
            waiting.delete(e.data[0]);
            if (d) d(e.data[1], e.data[2]);
          };
          worker.onerror = function (e) {
            e.preventDefault();
            worker.terminate();
            worker = null;
            waiting.forEach(function (d) {
              d(null, "its worker did not load or stopped (script-worker.js)");
            });
            waiting.clear();
          };
        }
        waiting.set(id, function (text, why) {
          if (typeof text === "string") ok(text);
          else no(why || "its worker failed");
        });
        worker.postMessage([id, request]);
      } catch (e) {
        no(String((e && e.message) || e));
      }
    });
  }

  // Reads the worker's answer (src/script/answer.rs, Answer::encode: a tag,
  // then fields after one space each; a number in decimal, a text as its
  // length in UTF-8 bytes, ":", and its bytes). null for anything else.
  function decode(s) {
    var b = new TextEncoder().encode(s);
    var i = 1;
    var utf8 = new TextDecoder();
    function until(end) {
      if (b[i] !== 32) throw 0;
      var j = ++i;
      while (j < b.length && b[j] !== end) j++;
      var field = utf8.decode(b.subarray(i, j));
      if (end !== 32 && j >= b.length) throw 0;
      i = end === 32 ? j : j + 1;
      return field;
    }
    function num() {
      var d = until(32);
      if (!/^[0-9]{1,19}$/.test(d)) throw 0;
      return Number(d);
    }
    function text() {
      var n = until(58);
      if (!/^[0-9]{1,19}$/.test(n)) throw 0;
      n = Number(n);
      if (i + n > b.length) throw 0;
      var t = utf8.decode(b.subarray(i, i + n));
      i += n;
      return t;
    }
    function outcome() {
      var line = num();
      var kind = until(32);
      if (!/^[amfs]$/.test(kind)) throw 0;
      var time = num();
      return { line: line, kind: kind, time: time, text: text() };
    }
    try {
      var a;
      switch (s[0]) {
        case "R": {
          a = { ran: true, met: num(), failed: num(), code: text() };
          a.failure = num() === 0 ? null : outcome();
          var n = num();
          a.outcomes = [];
          for (var k = 0; k < n; k++) a.outcomes.push(outcome());
          break;
        }
        case "P":
          a = { problem: { line: num(), column: num(), message: "" } };
          a.problem.message = text();
          break;
        case "E":
          a = { refused: text() };
          break;
        case "S":
          a = { script: text() };
          break;
        default:
          return null;
      }
      return i === b.length ? a : null;
    } catch (e) {
      return null;
    }
  }

  // ----- the page -----
  var door = null;
  // The page's public API (window.raftPlayground: the page mounted last).
  function rp() {
    return self.raftPlayground;
  }
  // The page's run now (a number that changes with each new run).
  function pageRun() {
    return door.call(999);
  }
  // Says `text` in the notice line (an error when `error`).
  function say(text, error) {
    try {
      door.call(999, undefined, text, !!error);
    } catch (e) {}
  }
  // A refusal, as the page words one.
  function refuse(why) {
    say("Not done: " + why + ".", true);
  }
  // "2.500 s", as src/view/timeline.rs's ms_text.
  function msText(ms) {
    return Math.floor(ms / 1000) + "." + String(ms % 1000).padStart(3, "0") + " s";
  }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  // ----- the panel's state -----
  var st = {
    text: "",
    // Changed by hand since it was exported or run (opening the panel then keeps it).
    edited: false,
    // The line that failed: { line, column (0: none), message }.
    problem: null,
    outcomes: [],
    // The request awaited: { id, run: true (a script run) or false (an export) }.
    waiting: null,
    // The last Copy: 2 copied, 1 refused by the browser.
    copied: 0,
    // What the last run said in the notice line.
    ran: "",
    el: null,
  };
  var requests = 0;

  // Runs `text` from its start on a fresh timeline, which replaces the page's
  // run (and plays from its start); a script that does not parse is not run:
  // its line is marked and the page keeps its run. `then(null)` once it ran,
  // `then(why)` when it did not.
  function run(text, then) {
    var id = ++requests;
    var before = pageRun();
    st.waiting = { id: id, run: true };
    render();
    var fail = function (why) {
      refuse(why);
      then(why);
    };
    ask("r" + text).then(
      function (answer) {
        if (!st.waiting || st.waiting.id !== id || pageRun() !== before) {
          // (A newer request of the panel's own answers for itself.)
          if (st.waiting && st.waiting.id === id) {
            st.waiting = null;
            refuse("the script was not run: the page had moved on to another run before its answer came");
          }
          render();
          return then("not run: the page had moved on before the script's answer came");
        }
        st.waiting = null;
        var a = decode(answer);
        if (!a) return render(), fail("the script language could not answer: its answer could not be read");
        if (a.refused !== undefined) return render(), fail(a.refused);
        if (a.problem) {
          st.problem = a.problem;
          st.outcomes = [];
          render();
          return fail("the script was not run, " + a.problem.message);
        }
        try {
          door.call(999, a.code);
        } catch (e) {
          return render(), fail(String((e && e.message) || e));
        }
        var f = a.failure;
        st.problem = f && { line: f.line, column: 0, message: "line " + f.line + " (at " + msText(f.time) + "): " + f.text };
        st.outcomes = a.outcomes.slice(0, MAX_OUTCOMES);
        var end = 0;
        try {
          end = rp().branches().find(function (b) { return b.current; }).latest;
        } catch (e) {}
        var checks = a.met === 0 && a.failed === 0 ? "" : ": " + a.met + " of " + (a.met + a.failed) + " expectations met";
        st.ran = "The script ran to " + msText(end) + " and plays from its start" + checks + ".";
        say(st.ran, false);
        render();
        then(null);
      },
      function (why) {
        if (st.waiting && st.waiting.id === id) {
          st.waiting = null;
          render();
          fail("the script language could not answer: " + why);
        } else then("not run: the page had moved on before the script's answer came");
      },
    );
  }

  // Puts the current run (its branch up to the moment shown) in the editor, as a script.
  function exportRun() {
    var code;
    try {
      var link = rp().shareLink();
      code = link.slice(link.indexOf("#run=") + 5);
    } catch (e) {
      return refuse("the run cannot be written as a script: " + String((e && e.message) || e).replace(/^raftPlayground\.shareLink: /, ""));
    }
    var id = ++requests;
    st.waiting = { id: id, run: false };
    render();
    ask("x" + code).then(
      function (answer) {
        if (!st.waiting || st.waiting.id !== id) return;
        st.waiting = null;
        var a = decode(answer);
        if (a && a.script !== undefined) {
          st.text = a.script;
          st.edited = false;
          st.problem = null;
          st.outcomes = [];
          render(true);
        } else {
          render();
          refuse(a ? a.refused : "the script language could not answer: its answer could not be read");
        }
      },
      function (why) {
        if (!st.waiting || st.waiting.id !== id) return;
        st.waiting = null;
        render();
        refuse("the script language could not answer: " + why);
      },
    );
  }

  // Puts `text` in the editor and runs it, the panel opened first when `open`:
  // the one way in for an upload, a drop and the address's script.
  function loadAndRun(text, open, then) {
    st.text = text;
    st.edited = true;
    st.waiting = null;
    if (open) {
      try {
        rp().showPanel("script");
      } catch (e) {}
    }
    render(true);
    run(text, then);
  }

  // Reads a file (from an upload or a drop) and runs it.
  function importFile(file) {
    if (!file || typeof file !== "object" || typeof file.text !== "function") return;
    if (file.size > MAX_SCRIPT_BYTES) return refuse(TOO_LARGE);
    file.text().then(
      function (text) {
        loadAndRun(text, true, function () {});
      },
      function () {},
    );
  }

  // ----- drawing -----
  var BUTTONS =
    '<button class="primary" data-sp="1" aria-label="Run the script" title="Run this script from its start on a fresh timeline (the run now is replaced)">Run</button>' +
    '<button class="small-btn" data-sp="2" title="Replace the text with the run as it is now, up to the moment shown">From the run</button>' +
    '<button class="small-btn" data-sp="3" title="Copy the script">Copy</button>' +
    '<a class="small-btn button" href="#" download="raft-playground-run.txt" data-sp="4" title="Download the script as a text file">Download</a>' +
    '<label class="small-btn button" title="Open a script file and run it (or drop one onto the page)">Upload…<input type="file" accept=".txt,text/plain" class="sr-only"></label>';
  var NOTE =
    '<p class="muted small" data-note>A plain-text scenario: settings, then one action, wait, expect or say per line (docs/scenarios.md). Drop a file onto the page to run it.</p>';
  var ICONS = { m: ["✓", "met"], f: ["✗", "failed"], s: ["“", "said"], a: ["·", "acted"] };

  function lineCount(text) {
    return text.split("\n").length;
  }

  // Where line `line` (from 1) of `text` starts and how long it is, in
  // UTF-16 code units (what setSelectionRange takes).
  function lineSpan(text, line) {
    var lines = text.split("\n");
    var k = Math.min(Math.max(line, 1), lines.length) - 1;
    var start = 0;
    for (var i = 0; i < k; i++) start += lines[i].length + 1;
    return [start, lines[k].length];
  }

  // Draws the panel's state into its element: the editor's text only when
  // `text` (it changed other than by typing), the rest each time.
  function render(text) {
    var el = st.el;
    if (!el || !el.isConnected) return;
    var area = el.querySelector("textarea.script-text");
    if (!area) {
      el.innerHTML =
        '<div class="row-buttons script-buttons">' + BUTTONS + '<span class="muted small" role="status"></span></div>' +
        '<div class="script-editor"><pre class="gutter" aria-hidden="true"></pre>' +
        '<textarea class="script-text" spellcheck="false" aria-label="Scenario script" wrap="off"></textarea></div>';
      area = el.querySelector("textarea.script-text");
      wire(el, area);
      text = true;
    }
    if (text && area.value !== st.text) {
      // Someone in the editor with all of it selected (Ctrl+A, about to type or
      // paste over it) keeps all of it selected: what they type replaces the
      // new text as it would have the old, not lands after it.
      // An empty editor with the caret in it counts too: what is typed there
      // was meant for an empty editor (and Ctrl+A in one selects nothing).
      var all = area === document.activeElement && area.selectionStart === 0 && area.selectionEnd === area.value.length;
      area.value = st.text;
      if (all) area.setSelectionRange(0, st.text.length);
    }
    var w = st.waiting;
    el.querySelector('[role="status"]').textContent = w
      ? w.run
        ? "Running the script…"
        : "Writing the run as a script…"
      : st.copied === 2
        ? "Copied."
        : st.copied === 1
          ? "The browser did not let the page copy: select the text and copy it."
          : "";
    var old = el.querySelector(".script-error");
    if (old) old.remove();
    var p = st.problem;
    if (p) {
      el.querySelector(".script-editor").insertAdjacentHTML(
        "beforebegin",
        '<p class="script-error" role="alert" data-line="' + p.line + '" data-sp="5" title="Select this line in the editor">' + esc(p.message) + "</p>",
      );
    }
    gutter(el, area);
    el.querySelectorAll(".outcomes, [data-note]").forEach(function (n) {
      n.remove();
    });
    var out = "";
    if (st.outcomes.length) {
      out = '<ol class="outcomes" aria-label="What the script\'s run did">';
      st.outcomes.forEach(function (o) {
        var icon = ICONS[o.kind];
        out +=
          '<li class="outcome ' + icon[1] + '"><span class="ev-icon" aria-hidden="true">' + icon[0] +
          '</span><button class="link-btn" data-t="' + o.time + '" title="Go to this moment">line ' + o.line + " · " + msText(o.time) +
          "</button><span>" + esc(o.text) + "</span></li>";
      });
      out += "</ol>";
    }
    el.insertAdjacentHTML("beforeend", out + NOTE);
  }

  // The line numbers, the failing one marked.
  function gutter(el, area) {
    var n = lineCount(area.value);
    var bad = st.problem && st.problem.line;
    var g = "";
    for (var i = 1; i <= n; i++) {
      g += i === bad ? '<mark class="bad-line" title="This line failed">' + i + "</mark>" : i + "\n";
    }
    var pre = el.querySelector(".gutter");
    if (pre.innerHTML !== g) pre.innerHTML = g;
    pre.scrollTop = area.scrollTop;
  }

  // The panel's listeners (on its element, which lives as long as the panel is open).
  function wire(el, area) {
    el.addEventListener("click", function (e) {
      var t = e.target.closest && e.target.closest("[data-t]");
      if (t) {
        try {
          rp().seek(Number(t.getAttribute("data-t")));
        } catch (err) {
          refuse(String((err && err.message) || err));
        }
        return;
      }
      var b = e.target.closest && e.target.closest("[data-sp]");
      if (!b) return;
      switch (b.getAttribute("data-sp")) {
        case "1":
          run(st.text, function () {});
          break;
        case "2":
          exportRun();
          break;
        case "3":
          try {
            navigator.clipboard.writeText(st.text).then(
              function () {
                st.copied = 2;
                render();
              },
              function () {
                st.copied = 1;
                render();
              },
            );
          } catch (err) {
            st.copied = 1;
            render();
          }
          break;
        case "4":
          b.setAttribute("href", "data:text/plain;charset=utf-8," + encodeURIComponent(st.text));
          break;
        default: {
          var span = lineSpan(st.text, st.problem ? st.problem.line : 1);
          area.focus();
          area.setSelectionRange(span[0], span[0] + span[1]);
        }
      }
    });
    el.addEventListener("change", function (e) {
      if (e.target.type === "file") {
        importFile(e.target.files && e.target.files[0]);
        e.target.value = "";
      }
    });
    area.addEventListener("input", function () {
      st.text = area.value;
      st.edited = true;
      // A run written as a script must not come back over what is typed.
      if (st.waiting && !st.waiting.run) {
        st.waiting = null;
        render();
      } else gutter(el, area);
    });
    area.addEventListener("scroll", function () {
      el.querySelector(".gutter").scrollTop = area.scrollTop;
    });
  }

  // ----- the address's scenario= and script= -----
  // A value as the notice echoes it: cut short when long (src/view/args.rs's brief).
  function brief(v) {
    var c = Array.from(v);
    return c.length > 24 ? c.slice(0, 23).join("") + "…" : v;
  }
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  // base64url (RFC 4648 §5) without padding (up to two "=" at the end
  // tolerated), as the share links' decoder reads it: the bytes, or throws why.
  function base64url(text) {
    var body = text.endsWith("==") ? text.slice(0, -2) : text.endsWith("=") ? text.slice(0, -1) : text;
    var chars = Array.from(body);
    var bad = chars.findIndex(function (c) {
      return ALPHABET.indexOf(c) < 0;
    });
    if (bad >= 0) {
      var ch = chars[bad];
      var hint = "+/ ".indexOf(ch) >= 0 ? " (standard base64's + and / are written - and _ in base64url)" : "";
      throw "not base64url: “" + ch + "” at character " + (bad + 1) + hint;
    }
    var ending = "not base64url: one character too many or too few at the end";
    if (body.length % 4 === 1) throw ending;
    var out = [];
    for (var i = 0; i < body.length; i += 4) {
      var chunk = body.slice(i, i + 4);
      var n = 0;
      for (var k = 0; k < chunk.length; k++) n |= ALPHABET.indexOf(chunk[k]) << (18 - 6 * k);
      var whole = chunk.length - 1;
      // Bits below the last whole byte must be zero, as an encoder leaves them.
      if (n & ((1 << (24 - 8 * whole)) - 1)) throw ending;
      for (k = 0; k < whole; k++) out.push((n >> (16 - 8 * k)) & 255);
    }
    return new Uint8Array(out);
  }
  // A script's text from script=: base64url of UTF-8 text, or throws why.
  function scriptText(value) {
    var v = value.trim();
    if (!v) throw "empty: give a script's text in base64url";
    if (Math.floor(v.length / 4) * 3 > MAX_SCRIPT_BYTES) throw "too long for a script (at most 1024 KB)";
    var bytes = base64url(v);
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch (e) {
      throw "not a script: its bytes are not UTF-8 text";
    }
  }
  // A scenario's name as scenario= gives it (split-vote or split-vote.txt), or throws why.
  function scenarioName(value) {
    var v = value.trim();
    var name = v.endsWith(".txt") ? v.slice(0, -4) : v;
    if (SCENARIOS.indexOf(name) < 0) {
      throw "not a scenario of this page: use a file name from scenarios/, such as split-vote or figure-8";
    }
    return name;
  }

  // Runs what the address asks for: a scenario (fetched from scenarios/) or
  // an inline script; the notice names what went wrong with the address's
  // other bad settings (`others`). `flags` 1: it plays once run (else it is
  // paused); 2: the Script panel opens; 4: the address opens a shared run, 8:
  // a lesson, and the script is not run over it. `before`: the page's run
  // when the page asked (if the page has moved on since, it is not replaced);
  // `search`: the address's query then (a lesson opened since has rewritten
  // the address bar's).
  function address(others, flags, before, search) {
    var q = new URLSearchParams(search);
    var problems = others ? [others] : [];
    if (flags & 12) {
      // (Over a shared run the page's notice says it opened it: nothing is added.)
      if (flags & 4) return;
      ["scenario", "script"].forEach(function (k) {
        if (q.get(k) !== null) problems.push(k + "=" + brief(q.get(k)) + " (not run: the address opens the lesson)");
      });
      return said(null, null, problems, flags);
    }
    var setting = null;
    var source = null;
    var scenario = q.get("scenario");
    if (scenario !== null) {
      setting = "scenario=" + brief(scenario);
      try {
        source = { url: "scenarios/" + scenarioName(scenario) + ".txt" };
      } catch (why) {
        problems.push(setting + " (" + why + ")");
      }
    }
    var script = q.get("script");
    if (script !== null) {
      var s = "script=" + brief(script);
      if (source) problems.push(s + " (not run: give scenario= or script=, not both)");
      else {
        setting = s;
        try {
          source = { text: scriptText(script) };
        } catch (why) {
          problems.push(s + " (" + why + ")");
        }
      }
    }
    var finish = function (text, why) {
      if (why === undefined && pageRun() !== before) why = "not run: the page had moved on before its file arrived";
      if (why !== undefined) return said(setting, why, problems, flags);
      loadAndRun(text, flags & 2, function (why) {
        // The address names the run the script made (the page took it out with the run it replaced).
        if (why === null) keep(q);
        said(setting, why, problems, flags);
      });
    };
    if (!source) return said(null, null, problems, flags);
    if (source.text !== undefined) return finish(source.text);
    fetch(source.url)
      .then(function (r) {
        return r.ok ? r.text() : Promise.reject(new Error((r.status + " " + r.statusText).trim() + " for " + source.url));
      })
      .then(
        function (text) {
          finish(text);
        },
        function (e) {
          finish(null, "its file could not be fetched: " + String((e && e.message) || e));
        },
      );
  }

  // Puts the address's scenario= and script= (from `q`) back in the address:
  // it is a link to the script's run (a reload runs it again) until the page
  // leaves that run (src/ui/store.rs takes them out with each new run).
  function keep(q) {
    var now = new URLSearchParams(location.search);
    ["scenario", "script"].forEach(function (k) {
      if (q.get(k) !== null) now.set(k, q.get(k));
    });
    try {
      history.replaceState(history.state, "", location.pathname + "?" + now + location.hash);
    } catch (e) {}
  }

  // Leaves the notice once the address's script has run (`why`: null) or did not.
  function said(setting, why, problems, flags) {
    var text = "";
    var unmet = false;
    if (setting && why === null) {
      if (!(flags & 1)) {
        try {
          rp().pause();
        } catch (e) {}
      }
      var ran = st.ran;
      // "The script ran to 2.500 s and plays from its start: 3 of 4
      // expectations met." goes on as "the script ran to ...".
      text = setting + ": " + (ran[0] === "T" ? "t" + ran.slice(1) : ran);
      if (st.problem) {
        text += " Not met: " + st.problem.message + ".";
        unmet = true;
      }
    } else if (setting) problems.push(setting + " (" + why + ")");
    if (problems.length) text += (text ? " " : "") + "Ignored in the address: " + problems.join("; ") + ".";
    if (text) say(text, unmet || problems.length > 0);
  }

  // The panel's style (the page's style sheet leaves it out: not loaded
  // until the panel is); the colours are the page's (its light and dark themes).
  var style = document.createElement("style");
  style.textContent =
    ".script-panel{display:flex;flex-direction:column;gap:6px;min-height:100%}" +
    ".script-buttons{margin:0;align-items:center}" +
    "label.button{display:inline-flex;align-items:center;border:1px solid var(--line);border-radius:7px;background:var(--surface2);cursor:pointer}" +
    "label.button:focus-within{outline:3px solid var(--accent);outline-offset:1px}" +
    ".script-editor{flex:1 1 220px;min-height:160px;display:flex;border:1px solid var(--line);border-radius:6px;background:var(--surface);overflow:hidden;font:12.5px/1.45 ui-monospace,\"DejaVu Sans Mono\",Menlo,Consolas,monospace}" +
    ".gutter{flex:none;margin:0;padding:6px 6px 30px 8px;min-width:3.2em;text-align:right;color:var(--muted);background:var(--surface2);border-right:1px solid var(--line);overflow:hidden;user-select:none;font:inherit}" +
    ".gutter .bad-line{display:block;background:var(--bad);color:var(--bg);font-weight:700;border-radius:3px}" +
    ".script-text{flex:1 1 auto;min-width:0;margin:0;padding:6px 8px;border:none;border-radius:0;resize:none;font:inherit;color:var(--ink);background:transparent;white-space:pre;overflow:auto}" +
    ".script-text:focus-visible{outline:none;box-shadow:inset 0 0 0 2px var(--accent)}" +
    ".script-error{margin:0;padding:5px 8px;border-radius:6px;border-left:4px solid var(--bad);cursor:pointer;background:color-mix(in srgb,var(--bad) 14%,var(--surface));color:var(--ink);font-size:13px;font-weight:600}" +
    ".outcomes{list-style:none;margin:0;padding:0;max-height:30%;overflow:auto;font-size:12.5px}" +
    ".outcome{display:grid;grid-template-columns:18px auto minmax(0,1fr);gap:6px;padding:2px 0;border-bottom:1px solid var(--line);align-items:baseline}" +
    ".outcome.met .ev-icon{color:var(--ok)}" +
    ".outcome.failed{background:color-mix(in srgb,var(--bad) 12%,transparent)}" +
    ".outcome.failed .ev-icon{color:var(--bad)}" +
    ".link-btn{min-height:0;padding:0 4px;border:none;background:none;color:var(--accent);text-decoration:underline;font-size:12px;font-variant-numeric:tabular-nums}";
  document.head.appendChild(style);

  self.raftScriptPanel = {
    // Draws the panel into `el` (the Script tab opened); opening it shows
    // the run as it is now, unless a script is being written.
    mount: function (d, el) {
      door = d;
      st.el = el;
      st.copied = 0;
      el.innerHTML = "";
      render(true);
      if (!st.edited && !st.waiting) exportRun();
    },
    // A file dropped onto the page: run it.
    drop: function (d, file) {
      door = d;
      importFile(file);
    },
    // The address's scenario= / script=.
    address: function (d, others, flags, asked) {
      door = d;
      address(others, flags, asked[0], asked[1]);
    },
  };
})();
