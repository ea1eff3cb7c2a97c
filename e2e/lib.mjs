// Shared helpers of the end-to-end tests and the benchmark: a tiny static
// server for dist/ and a headless Chromium from Debian driven by playwright-core.
import { before, after } from "node:test";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(ROOT, "tools", "package.json"));
const { chromium } = require("playwright-core");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

/** Serves `dir` (by default dist/, or $DIST: another build, such as main's, to check
 *  that a new test fails there) on 127.0.0.1 at a free port, under the sub-path
 *  /sub/ (proves relative URLs work). */
export function serveDist(dir = process.env.DIST ? path.resolve(process.env.DIST) : path.join(ROOT, "dist")) {
  if (!fs.existsSync(path.join(dir, "index.html"))) {
    throw new Error(`${dir}/index.html is missing: run trunk build first`);
  }
  const server = http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!p.startsWith("/sub/")) {
      res.writeHead(404).end("not under /sub/");
      return;
    }
    p = p.slice("/sub/".length) || "index.html";
    const file = path.join(dir, path.normalize(p));
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}/sub/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/** Debian's Chromium, headless. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * The set-up most test files share: before their tests, serve dist/ (or $DIST)
 * and launch Chromium once; after them, close both. Returns the object whose
 * `srv` and `browser` are set once the `before` hook has run.
 */
export function servedPageAndBrowser() {
  const env = { srv: null, browser: null };
  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    env.srv = await serveDist();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.srv?.close();
  });
  return env;
}

/**
 * A page in a context of its own, not yet at any address. Collects page errors and
 * console errors into `errors`. `hold`: a URL pattern whose requests wait until the
 * returned `release()` is called (a file that arrives late: the Script panel's, its
 * worker's, a scenario's).
 */
export async function newPage(browser, { width = 1280, height = 800, colorScheme = "light", reducedMotion = "no-preference", hold } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, reducedMotion });
  let release = () => {};
  if (hold) {
    const held = new Promise((ok) => (release = ok));
    await context.route(hold, async (r) => (await held, r.continue()));
  }
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  return { page, context, errors, release };
}

/** Opens the page (see [newPage] for the options) and waits for the API and the ring. */
export async function openPage(browser, url, options) {
  const opened = await newPage(browser, options);
  await opened.page.goto(url);
  await opened.page.waitForFunction(() => window.raftPlayground && document.querySelector("svg.ring [data-server]"));
  return opened;
}

/** Runs virtual time in slices until `cond(state)` holds (through the page's own API). */
export async function advanceUntil(page, cond, limit = 8000) {
  return page.evaluate(
    ({ src, limit }) => {
      const f = new Function("s", `return (${src})(s);`);
      const rp = window.raftPlayground;
      for (let t = 0; t <= limit; t += 50) {
        if (f(rp.state())) return true;
        rp.advance(50);
      }
      return f(rp.state());
    },
    { src: cond.toString(), limit },
  );
}

/** The page's state(), through its API. */
export const state = (page) => page.evaluate(() => window.raftPlayground.state());

export const SHOTS = path.join(ROOT, "target", "screenshots");

/** Drives the page's cluster (paused) through forced elections until a leader of term `term` or
 *  later leads, then sends a few writes and runs a little so messages are in flight. */
export async function reachTerm(page, term) {
  return page.evaluate((term) => {
    const rp = window.raftPlayground;
    rp.pause();
    const leads = () => rp.state().leader !== null;
    for (let t = 0; t < 5000 && !leads(); t += 50) rp.advance(50);
    for (let round = 0; round < 40; round++) {
      const s = rp.state();
      const top = Math.max(...s.servers.map((v) => v.term));
      if (s.leader !== null && top >= term) break;
      // A follower (never the same one twice in a row) times out and, with the most recent log, wins.
      const follower = s.servers.find((v) => v.up && v.role === "follower" && v.id % s.servers.length === round % s.servers.length)
        || s.servers.find((v) => v.up && v.role === "follower");
      rp.timeout(follower.id);
      for (let t = 0; t < 3000; t += 20) {
        rp.advance(20);
        const now = rp.state();
        if (now.leader !== null && now.servers.every((v) => !v.up || v.role !== "candidate")) break;
      }
      rp.advance(120); // the new leader's no-op reaches every follower: any of them can win the next election
    }
    rp.write("x", 3);
    rp.write("y", 7);
    rp.advance(15);
    return rp.state().servers.map((v) => v.term);
  }, term);
}

/**
 * The frame benchmark's cluster (e2e/bench.mjs, e2e/frame-profile.mjs), on a page opened with
 * `?seed=3&servers=9&paused=1`: long delays keep many messages in flight (8 followers, a heartbeat
 * every 50 ms, 70-100 ms each way, plus replies and a stream of client writes).
 */
export function setUpBenchCluster(page) {
  return page.evaluate(() => {
    const rp = window.raftPlayground;
    for (let t = 0; t < 5000 && !rp.state().leader; t += 50) rp.advance(50);
    rp.setElectionTimeout(1200, 1800);
    rp.advance(400); // every follower's timer restarts with the new range
    rp.setLatency(70, 100);
    for (let i = 0; i < 6; i++) rp.write("k" + i, i);
    rp.advance(400);
    return { leader: rp.state().leader, inFlight: rp.state().messages.length };
  });
}

/**
 * The frame benchmark's second phase (issue 12): the same cluster after 10 more virtual minutes,
 * with the Diagram tab open beside the ring. Left alone for 10 minutes, the cluster settles to its
 * heartbeats and their replies (about 24 in flight), and the measure's stream of writes (one every
 * 60 frames, 50 virtual ms at 60 fps) takes some 200 virtual ms to build up again: so that stream
 * starts some virtual ms before the measure (`PRIME_MS`, default 200: a median of about 50 in
 * flight, as the first phase has from its set-up's writes).
 */
export async function setUpBenchDiagram(page) {
  const setup = await page.evaluate((prime) => {
    const rp = window.raftPlayground;
    rp.advance(600000 - prime);
    for (let t = 0; t < prime; t += 50) {
      rp.write("w", t);
      rp.advance(50);
    }
    rp.showPanel("diagram");
    return { now: rp.state().now, inFlight: rp.state().messages.length };
  }, Number(process.env.PRIME_MS ?? 200));
  // The tab opened: its drawing is made at a first size, then again at its box's once the box is
  // laid out and measured, a frame or two later. Frames until it is (paused: no virtual time
  // passes), so that the measure starts with the tab open, not opening: when the second drawing
  // fell inside the measure, it added a whole drawing's DOM changes (some 3 a frame over 180
  // frames, session 34). At its box's size: as tall as the box within its border (1 px each side).
  const fitted = await page.evaluate(() => new Promise((done) => {
    let n = 0;
    const f = () => {
      const box = document.querySelector(".diagram-svg");
      const h = Number(box?.querySelector("svg")?.getAttribute("viewBox").split(" ")[3]);
      if (box && h === box.clientHeight - 2) done(true);
      else if (++n > 600) done(false);
      else requestAnimationFrame(f);
    };
    requestAnimationFrame(f);
  }));
  if (!fitted) throw new Error("the Diagram never drawn at its box's size (600 frames)");
  return setup;
}

/**
 * The Diagram with 9 servers as e2e/diagram-marks.test.mjs checks it and e2e/shots.mjs draws it:
 * an election, then writes soon after it (the drawing at 1280x800 shows some 170 ms), the Diagram
 * tab open at its default zoom, following "now". Returns the leader (null if none came).
 */
export async function setUpNineServerDiagram(page) {
  const leader = await page.evaluate(() => {
    const rp = window.raftPlayground;
    for (let t = 0; t < 5000 && !rp.state().leader; t += 5) rp.advance(5);
    for (let i = 0; i < 3; i++) {
      rp.write("k" + i, i);
      rp.advance(15);
    }
    rp.advance(40);
    rp.showPanel("diagram");
    return rp.state().leader;
  });
  await page.locator(".diagram-svg svg").waitFor();
  await page.waitForTimeout(200);
  return leader;
}

/**
 * Whether the built page has Cargo feature `name`: named in index.html's
 * `data-cargo-features`, or one of Cargo.toml's `default` features while
 * index.html does not build without them (`data-cargo-no-default-features`).
 */
const INDEX_HTML = fs.readFileSync(new URL("../index.html", import.meta.url), "utf8");
const CARGO_TOML = fs.readFileSync(new URL("../Cargo.toml", import.meta.url), "utf8");
const words = (list) => (list ?? "").split(/[\s,"]+/).filter(Boolean);
export function pageHasFeature(name) {
  const named = words(INDEX_HTML.match(/data-cargo-features="([^"]*)"/)?.[1]);
  const defaults = INDEX_HTML.includes("data-cargo-no-default-features") ? [] : words(CARGO_TOML.match(/^default = \[([^\]]*)\]/m)?.[1]);
  // $PAGE_FEATURES: the features of another build served from $DIST (one
  // built from an index.html naming script-panel, say), which index.html does not name.
  return named.includes(name) || defaults.includes(name) || words(process.env.PAGE_FEATURES).includes(name);
}

/**
 * Whether the built page has the Script panel (the `script-panel` feature).
 * A test of the panel skips, saying so, when it is out.
 */
export const SCRIPT_PANEL = pageHasFeature("script-panel");
export const NO_SCRIPT_PANEL = SCRIPT_PANEL ? false : "the page is built without the Script panel (index.html, Cargo.toml's script-panel feature)";
