// Where a frame's time goes, from a Chromium trace (not a test; run after scripts/build-page.sh):
//   node e2e/frame-profile.mjs            the bench's 9-server ring, then the Diagram tab
//   CSS='svg.ring text{display:none}' node e2e/frame-profile.mjs   A/B with an injected style
//   RINGONLY=1 node e2e/frame-profile.mjs  skips the Diagram phase
// Prints ms per frame of the main thread's animation-frame callbacks (script), style, layout,
// paint and commit, and the raster on worker threads. Written while profiling the frame
// benchmark's p95 (stop 18): the engine's tick was 0.13 ms of a frame; Yew ~3.4 ms, layout ~4-5,
// paint ~3-4, software raster 6-10 on workers.
import { serveDist, launch, openPage, setUpBenchCluster } from "./lib.mjs";
const SECONDS = 3;
const srv = await serveDist();
const browser = await launch();
const NAMES = ["ProxyMain::BeginMainFrame", "FireAnimationFrame", "UpdateLayoutTree", "Layout", "Paint", "PrePaint", "Commit", "RunMicrotasks", "DisplayItemList::Raster", "Display::DrawAndSwap"];
async function trace(page, cdp, label) {
  const events = [];
  cdp.on("Tracing.dataCollected", (d) => events.push(...d.value));
  const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
  await cdp.send("Tracing.start", { traceConfig: { includedCategories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink", "cc", "viz"] }, transferMode: "ReportEvents" });
  const frames = await page.evaluate(async (seconds) => {
    const rp = window.raftPlayground; rp.setSpeed(0.05); rp.play(); let n = 0, w = 0;
    await new Promise((resolve) => { const end = performance.now() + seconds * 1000;
      function f(t) { if (++n % 60 === 0) rp.write("w", w++); if (t < end) requestAnimationFrame(f); else resolve(); } requestAnimationFrame(f); });
    rp.pause(); return n;
  }, SECONDS);
  await cdp.send("Tracing.end"); await done;
  cdp.removeAllListeners("Tracing.dataCollected");
  const by = {}; for (const e of events) if (e.ph === "X" && e.dur && NAMES.includes(e.name)) { by[e.name] = (by[e.name] || 0) + e.dur; }
  console.log(`${label}: ${frames} frames in ${SECONDS}s; ms per frame: ` + NAMES.map((k) => `${k.replace(/.*::/, "")} ${((by[k] || 0) / 1000 / frames).toFixed(2)}`).join(", "));
}
try {
  const { page, context } = await openPage(browser, `${srv.url}index.html?seed=3&servers=9&paused=1`);
  await setUpBenchCluster(page);
  const cdp = await page.context().newCDPSession(page);
  if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
  await trace(page, cdp, "ring");
  if (!process.env.RINGONLY) { await page.evaluate(() => { const rp = window.raftPlayground; rp.advance(600000); rp.showPanel("diagram"); });
  await trace(page, cdp, "diagram"); }
  await context.close();
} finally { await browser.close(); await srv.close(); }
