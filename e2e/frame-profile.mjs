// Where a frame's time goes, from a Chromium trace (not a test; run after scripts/build-page.sh):
//   node e2e/frame-profile.mjs            the bench's 9-server ring, then the Diagram tab
//   CSS='svg.ring text{display:none}' node e2e/frame-profile.mjs   A/B with an injected style
//   JS='...' node e2e/frame-profile.mjs   a script run in the page after the set-up (A/B of a DOM change)
//   RINGONLY=1 node e2e/frame-profile.mjs  skips the Diagram phase
//   PANEL=client                           that panel open beside the ring (the event feed by default)
//   CPU=1 node e2e/frame-profile.mjs       a sampled CPU profile instead of the trace: the
//       functions with the most self time, and the page's own functions (raft_playground::
//       module, yew, web_sys...) with their total time, per frame. Needs a wasm with names:
//       DIST=dir with a build whose wasm kept its name section (wasm-bindgen, then
//       wasm-opt -Oz -g, see the brief's twiggy recipe), or the names are wasm-function[N].
//   STEP=1                                 paused, each frame advances 1 virtual ms (SECONDS_*60 frames):
//       the same frames whatever the machine's load, for A/B comparisons of work per frame
//   SEEK=1 (with CPU=1)                   profiles 40 seeks of timeline-bench.mjs's run instead
//   SLOW=1                                 also splits the slowest tenth of the main thread's frames
// Prints ms per frame of the main thread's animation-frame callbacks (script), style, layout,
// paint and commit, and the raster on worker threads; the spread of the main thread's frames
// (p50, p95, max CPU); and, not load-dependent, the layout objects laid out, elements restyled,
// tiles and drawing operations rastered and DOM changes per frame. Written while profiling the frame
// benchmark's p95 (stop 18): the engine's tick was 0.13 ms of a frame; Yew ~3.4 ms, layout ~4-5,
// paint ~3-4, software raster 6-10 on workers.
import { serveDist, launch, openPage, setUpBenchCluster, setUpBenchDiagram } from "./lib.mjs";
const SECONDS = Number(process.env.SECONDS_ || 3);
const srv = await serveDist();
const browser = await launch();
const NAMES = ["ProxyMain::BeginMainFrame", "FireAnimationFrame", "UpdateLayoutTree", "Layout", "Paint", "PrePaint", "Commit", "RunMicrotasks", "DisplayItemList::Raster", "Display::DrawAndSwap"];
/** Plays at 1/20 of real time for SECONDS (a write every 60 frames); returns the frames. */
let mutations = { count: 0, by: {} };
const play = async (page) => { const r = await page.evaluate(async ([seconds, step]) => {
  // DOM changes (MutationObserver records: attributes, texts, child lists) by the region they are in.
  const by = {}; let count = 0;
  const where = (n) => { const e = n.nodeType === 1 ? n : n.parentElement;
    return e?.closest("svg.ring, .loggrid, .tabs, .tab-panel, .toolbar, .tl, .hint")?.classList[0] || e?.tagName || "?"; };
  const mo = new MutationObserver((rs) => { for (const m of rs) { count++; const k = where(m.target); by[k] = (by[k] || 0) + 1; } });
  mo.observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
  const rp = window.raftPlayground; let n = 0, w = 0;
  // STEP=1: paused, 1 virtual ms a frame, 60 frames a second's worth: the same frames whatever the load.
  if (step) rp.pause(); else { rp.setSpeed(0.05); rp.play(); }
  await new Promise((resolve) => { const end = performance.now() + seconds * 1000;
    function f(t) { if (++n % 60 === 0) rp.write("w", w++); if (step) rp.advance(1);
      if (step ? n < seconds * 60 : t < end) requestAnimationFrame(f); else resolve(); } requestAnimationFrame(f); });
  rp.pause(); mo.disconnect(); return { n, count, by };
}, [SECONDS, !!process.env.STEP]); mutations = r; return r.n; };
/** 40 seeks in a 10-minute run of 5 servers with a write every 100 ms (timeline-bench.mjs's). */
const seeks = (page) => page.evaluate(async () => {
  const rp = window.raftPlayground; const end = rp.now();
  const frame = () => new Promise((res) => requestAnimationFrame(res));
  let x = 12345; const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < 40; i++) { await frame(); rp.seek(Math.floor(rand() * end)); await frame(); }
  return 40;
});
async function trace(page, cdp, label) {
  const events = [];
  cdp.on("Tracing.dataCollected", (d) => events.push(...d.value));
  const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
  await cdp.send("Tracing.start", { traceConfig: { includedCategories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink", "cc", "viz"] }, transferMode: "ReportEvents" });
  const frames = await play(page);
  await cdp.send("Tracing.end"); await done;
  cdp.removeAllListeners("Tracing.dataCollected");
  // Wall time (dur) and the thread's CPU time (tdur: what a loaded machine inflates less).
  const by = {}, cpu = {};
  for (const e of events) if (e.ph === "X" && e.dur && NAMES.includes(e.name)) { by[e.name] = (by[e.name] || 0) + e.dur; cpu[e.name] = (cpu[e.name] || 0) + (e.tdur || 0); }
  const per = (o) => NAMES.map((k) => `${k.replace(/.*::/, "")} ${((o[k] || 0) / 1000 / frames).toFixed(2)}`).join(", ");
  console.log(`${label}: ${frames} frames in ${SECONDS}s; ms per frame: ${per(by)}`);
  console.log(`${label}: CPU ms per frame: ${per(cpu)}`);
  const ms = (k) => (cpu[k] || 0) / 1000 / frames;
  const sum = ms("ProxyMain::BeginMainFrame") + ms("DisplayItemList::Raster") + ms("Display::DrawAndSwap");
  console.log(`${label}: CPU ms per frame in all: ${sum.toFixed(2)} (main thread's frame ${ms("ProxyMain::BeginMainFrame").toFixed(2)}, raster ${ms("DisplayItemList::Raster").toFixed(2)}, draw ${ms("Display::DrawAndSwap").toFixed(2)})`);
  // The spread of the main thread's frames (CPU): late frames come from the long ones.
  const q = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] / 1000;
  const mains = events.filter((e) => e.ph === "X" && e.name === "ProxyMain::BeginMainFrame").map((e) => e.tdur || 0).sort((a, b) => a - b);
  if (mains.length) console.log(`${label}: main thread's frame CPU p50 ${q(mains, 0.5).toFixed(2)}, p95 ${q(mains, 0.95).toFixed(2)}, max ${q(mains, 1).toFixed(2)} ms`);
  if (process.env.SLOW) {
    // The slowest tenth of the main thread's frames, split (CPU ms): what makes them long.
    const bmf = events.filter((e) => e.ph === "X" && e.name === "ProxyMain::BeginMainFrame").sort((a, b) => (b.tdur || 0) - (a.tdur || 0));
    for (const f of bmf.slice(0, Math.ceil(bmf.length / 10))) {
      const inside = events.filter((e) => e.ph === "X" && e.tid === f.tid && e.ts >= f.ts && e.ts + (e.dur || 0) <= f.ts + f.dur && NAMES.includes(e.name) && e !== f);
      const sums = {};
      for (const e of inside) sums[e.name] = (sums[e.name] || 0) + (e.tdur || 0);
      console.log(`  slow frame ${((f.tdur || 0) / 1000).toFixed(2)} ms: ` + Object.entries(sums).map(([k, v]) => `${k.replace(/.*::/, "")} ${(v / 1000).toFixed(2)}`).join(", "));
    }
  }
  // What was rastered (not load-dependent): tiles, and the drawing operations replayed into
  // them (cc's rastered_op_count, or total_op_count for a whole tile), by layer.
  const tiles = {}, ops = {};
  for (const e of events) {
    if (e.name === "RasterTask" && e.ph !== "E") { const l = e.args.tileData?.layerId; tiles[l] = (tiles[l] || 0) + 1; }
    if (e.name === "DisplayItemList::Raster" && e.args) ops.all = (ops.all || 0) + (e.args.rastered_op_count ?? e.args.total_op_count ?? 0);
  }
  const n = Object.values(tiles).reduce((a, b) => a + b, 0);
  const layers = Object.entries(tiles).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([l, k]) => `${l}: ${(k / frames).toFixed(2)}`).join(", ");
  // Layout objects laid out and elements restyled (not load-dependent either).
  const sumArg = (name, key) => events.filter((e) => e.name === name && e.ph === "X").reduce((a, e) => a + (key(e.args) || 0), 0);
  console.log(`${label}: per frame: layout objects laid out ${(sumArg("Layout", (a) => a.beginData?.dirtyObjects) / frames).toFixed(0)}, ` +
    `elements restyled ${(sumArg("UpdateLayoutTree", (a) => a.elementCount) / frames).toFixed(1)}, paint layers painted ${(events.filter((e) => e.name === "Paint" && e.ph === "X").length / frames).toFixed(1)}`);
  console.log(`${label}: per frame: tiles rastered ${(n / frames).toFixed(2)} (by layer ${layers}), ops rastered ${((ops.all || 0) / frames).toFixed(0)}, ` +
    `layers with a tile rastered ${Object.keys(tiles).length}, DOM changes ${(mutations.count / frames).toFixed(1)} (${Object.entries(mutations.by).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / frames).toFixed(1)}`).join(", ")})`);
}
/** A sampled CPU profile of `run`: self time per function, and total time per group of functions. */
async function cpu(page, cdp, label, run) {
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  const frames = await run(page);
  const { profile } = await cdp.send("Profiler.stop");
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) || 0) + (profile.timeDeltas[i + 1] || 0)));
  const self = {}, total = {}, fn = {};
  const name = (n) => n.callFrame.functionName || `(${n.callFrame.url.split("/").pop() || "anonymous"})`;
  // A function's group: the crate::module of a Rust name, else the name.
  const group = (s) => { const m = s.match(/^<*([a-z_0-9]+(?:\[[0-9a-f]+\])?(?:::[a-z_0-9]+)?)/); return m && s.includes("::") ? m[1].replace(/\[[0-9a-f]+\]/, "") : s; };
  for (const [id, us] of dt) {
    const n = nodes.get(id);
    self[name(n)] = (self[name(n)] || 0) + us;
    const seen = new Set();
    for (let k = id; k !== undefined; k = parent.get(k)) {
      const f = name(nodes.get(k)), g = group(f);
      if (!seen.has(g)) { seen.add(g); total[g] = (total[g] || 0) + us; }
      if (!seen.has(" " + f)) { seen.add(" " + f); fn[f] = (fn[f] || 0) + us; }
    }
  }
  const top = (o, k) => Object.entries(o).sort((a, b) => b[1] - a[1]).slice(0, k)
    .map(([f, us]) => `  ${(us / 1000 / frames).toFixed(3)} ms  ${f.slice(0, 150)}`).join("\n");
  console.log(`${label}: ${frames} ${process.env.SEEK ? "seeks" : "frames"}; self time per one:\n${top(self, Number(process.env.TOP || 40))}`);
  console.log(`${label}: total time per one, by group:\n${top(total, 20)}`);
  // The page's own functions with their callees (names shortened: no crate hashes).
  const short = Object.fromEntries(Object.entries(fn).filter(([f]) => /raft_playground|yew|web_sys::|innerHTML|setAttribute/.test(f)).map(([f, us]) => [f.replace(/\[[0-9a-f]{16}\]/g, ""), us]));
  console.log(`${label}: the page's functions, total time per one:\n${top(short, Number(process.env.TOP || 40))}`);
}
try {
  const seek = process.env.SEEK;
  const { page, context } = await openPage(browser, `${srv.url}index.html?seed=${seek ? 8 : 3}&servers=${seek ? 5 : 9}&paused=1`);
  const cdp = await page.context().newCDPSession(page);
  if (seek) {
    await page.evaluate(() => { const rp = window.raftPlayground; for (let i = 0; i < 6000; i++) { rp.write("k" + (i % 10), i); rp.advance(100); } });
    await cpu(page, cdp, "seeks", seeks);
  } else {
    await setUpBenchCluster(page);
    if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
    if (process.env.JS) await page.evaluate(process.env.JS);
    if (process.env.PANEL) await page.evaluate((p) => window.raftPlayground.showPanel(p), process.env.PANEL);
    if (process.env.CPU) await cpu(page, cdp, "ring", play); else await trace(page, cdp, "ring");
    if (!process.env.RINGONLY) { await setUpBenchDiagram(page);
    if (process.env.CPU) await cpu(page, cdp, "diagram", play); else await trace(page, cdp, "diagram"); }
  }
  await context.close();
} finally { await browser.close(); await srv.close(); }
