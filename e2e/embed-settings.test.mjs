// The address's settings for embedding (www/embed.js, part 1), run in Node
// with a stand-in for the page: the attributes of <html> each address sets
// (www/style.css reads them) and the bad values it names for the notice.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./lib.mjs";

const SOURCE = fs.readFileSync(path.join(ROOT, "www", "embed.js"), "utf8");

/** The attributes www/embed.js sets on <html> for the address `search`. */
function settings(search) {
  const attrs = {};
  const html = { setAttribute: (k, v) => (attrs[k] = v), hasAttribute: (k) => k in attrs };
  const page = { location: { search }, document: { documentElement: html }, addEventListener: () => {}, URLSearchParams, URL };
  new Function(...Object.keys(page), SOURCE)(...Object.values(page));
  return attrs;
}
const EMBED_CONTROLS = "play step speed time seed safety timeline";
const USE_PANELS = "use logs, lessons, client, events, diagram, state, network, setup, legend, script, pseudocode";
const USE_CONTROLS = "use title, play, step, speed, time, seed, safety, help, timeline";

test("without settings nothing is set; embed=1 shows the ring and a small control bar", () => {
  assert.deepEqual(settings(""), {});
  assert.deepEqual(settings("?seed=7&embed=0"), {});
  for (const v of ["1", "true", "yes", ""]) {
    assert.deepEqual(settings(`?embed=${v}`), { "data-embed": "1", "data-panels": "", "data-controls": EMBED_CONTROLS }, `embed=${v}`);
  }
  assert.deepEqual(settings("?embed=please"), { "data-ignored": "embed=please (use embed=1)" });
});

test("an embedded lesson shows its Lessons panel unless panels= says otherwise", () => {
  assert.equal(settings("?embed=1&lesson=failover")["data-panels"], "lessons");
  assert.equal(settings("?embed=1&lesson=failover&panels=events")["data-panels"], "events");
  assert.equal(settings("?lesson=failover")["data-panels"], undefined, "not embedded: every panel");
});

test("panels and controls list what shows, in any order; unknown names are named and the known ones apply", () => {
  assert.deepEqual(settings("?panels=client,%20logs,,events,logs&controls=speed,play"), { "data-panels": "logs client events", "data-controls": "play speed" });
  assert.deepEqual(settings("?panels=&controls="), { "data-panels": "", "data-controls": "" });
  assert.deepEqual(settings("?embed=1&controls=title,help")["data-controls"], "title help");
  assert.deepEqual(settings("?panels=legend,logs,lessons,client,events,diagram,state,network,setup,script,pseudocode&theme=dark"), { "data-theme": "dark" });
  assert.deepEqual(settings("?panels=logs,stats,events&controls=play,rewind"), {
    "data-panels": "logs events",
    "data-controls": "play",
    "data-ignored": `panels=logs,stats,events (${USE_PANELS}); controls=play,rewind (${USE_CONTROLS})`,
  });
  // Nothing known: the default stays.
  assert.deepEqual(settings("?panels=Logs"), { "data-ignored": `panels=Logs (${USE_PANELS})` });
  assert.deepEqual(settings("?embed=1&panels=stats&controls=x"), {
    "data-embed": "1",
    "data-panels": "",
    "data-controls": EMBED_CONTROLS,
    "data-ignored": `panels=stats (${USE_PANELS}); controls=x (${USE_CONTROLS})`,
  });
});

test("the theme is light, dark or the system's", () => {
  assert.deepEqual(settings("?theme=dark"), { "data-theme": "dark" });
  assert.deepEqual(settings("?theme=light"), { "data-theme": "light" });
  assert.deepEqual(settings("?theme=auto"), {});
  assert.deepEqual(settings("?theme=solarized"), { "data-ignored": "theme=solarized (use light, dark or auto)" });
});

test("origin must be written as browsers write event.origin; a long value is cut short", () => {
  for (const ok of ["https://course.example", "http://localhost:8000", "http://127.0.0.1:5173", "http://[::1]:8080"]) {
    assert.deepEqual(settings(`?origin=${encodeURIComponent(ok)}`), {}, ok);
  }
  for (const bad of ["course.example", "ftp://x.example", "https://x.example/", "https://X.example", "https://x.example:443", "http://x.example:80", "https://user@x.example", "null", "*", "https://"]) {
    assert.match(settings(`?origin=${encodeURIComponent(bad)}`)["data-ignored"] ?? "", /^origin=.* \(an origin as browsers write it, .*no page may drive this one\)$/, bad);
  }
  assert.equal(
    settings("?origin=https://course.example/a/very/long/path")["data-ignored"].split(" (")[0],
    "origin=https://course.example/…",
  );
});

test("scenario and script are left to the page's wasm (src/api/start.rs), which runs or names them", () => {
  assert.deepEqual(settings("?scenario=figure-8&script=c2VydmVycyAz&theme=x"), {
    "data-ignored": "theme=x (use light, dark or auto)",
  });
});
