// Where a seek's time goes on the page, from a Chromium trace (not a test; run after scripts/build-page.sh):
//   node e2e/seek-profile.mjs        (DIST=dir for another build, PANEL=client for another panel beside the ring,
//                                     CSS='...' a style injected first: A/B of a style on one build)
// The run of timeline-bench.mjs (10 minutes of 5 servers, a write every 100 ms), then 40 seeks to
// random moments, each a frame apart. Prints per seek: the main thread's CPU time by kind of work,
// the DOM changes by region (a MutationObserver's records: one per attribute or text set, one per
// node added or removed, one for an innerHTML that replaces a whole table: a count of calls, not of
// work), and what the load does not change: the layout objects laid out and the elements restyled
// (the trace's Layout and UpdateLayoutTree counts), the figures to compare.
import { serveDist, launch, openPage } from "./lib.mjs";
const srv = await serveDist();
const browser = await launch();
const NAMES = ["FunctionCall", "UpdateLayoutTree", "Layout", "PrePaint", "Paint", "ParseHTML"];
const N = 40;
try {
  const { page, context } = await openPage(browser, `${srv.url}index.html?seed=8&servers=5&paused=1`);
  if (process.env.PANEL) await page.evaluate((p) => window.raftPlayground.showPanel(p), process.env.PANEL);
  if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
  const cdp = await page.context().newCDPSession(page);
  await page.evaluate(() => { const rp = window.raftPlayground; for (let i = 0; i < 6000; i++) { rp.write("k" + (i % 10), i); rp.advance(100); } });
  const events = [];
  cdp.on("Tracing.dataCollected", (d) => events.push(...d.value));
  const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
  await cdp.send("Tracing.start", { traceConfig: { includedCategories: ["devtools.timeline", "disabled-by-default-devtools.timeline"] }, transferMode: "ReportEvents" });
  const r = await page.evaluate(async (n) => {
    const by = {}; let count = 0;
    const where = (x) => { const e = x.nodeType === 1 ? x : x.parentElement;
      return e?.closest("svg.ring, .loggrid, .tabs, .tab-panel, .toolbar, .tl, .hint")?.classList[0] || e?.tagName || "?"; };
    const mo = new MutationObserver((rs) => { for (const m of rs) { count++; const k = where(m.target); by[k] = (by[k] || 0) + 1; } });
    mo.observe(document.body, { subtree: true, attributes: true, childList: true, characterData: true });
    const rp = window.raftPlayground; const end = rp.now();
    const frame = () => new Promise((res) => requestAnimationFrame(res));
    let x = 12345; const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < n; i++) { await frame(); rp.seek(Math.floor(rand() * end)); await frame(); }
    mo.disconnect();
    return { count, by };
  }, N);
  await cdp.send("Tracing.end"); await done;
  const cpu = {};
  for (const e of events) if (e.ph === "X" && NAMES.includes(e.name)) cpu[e.name] = (cpu[e.name] || 0) + (e.tdur || 0);
  console.log(`seek profile: CPU ms per seek: ${NAMES.map((k) => `${k.replace(/.*::/, "")} ${((cpu[k] || 0) / 1000 / N).toFixed(2)}`).join(", ")}`);
  const sum = (name, key) => events.filter((e) => e.name === name && e.ph === "X").reduce((a, e) => a + (key(e.args) || 0), 0);
  const total = Math.max(0, ...events.filter((e) => e.name === "Layout").map((e) => e.args.beginData?.totalObjects || 0));
  console.log(`seek profile: per seek: layout objects laid out ${(sum("Layout", (a) => a.beginData?.dirtyObjects) / N).toFixed(0)} (of ${total} in the page), ` +
    `elements restyled ${(sum("UpdateLayoutTree", (a) => a.elementCount) / N).toFixed(0)}, DOM changes ${(r.count / N).toFixed(1)} ` +
    `(${Object.entries(r.by).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / N).toFixed(1)}`).join(", ")})`);
  await context.close();
} finally { await browser.close(); await srv.close(); }
