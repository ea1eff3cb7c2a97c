// Interleaved A/B of a style at a seek, on one build (not a test; run after scripts/build-page.sh):
//   CSS='.feed{display:none}' node e2e/seek-ab.mjs      (DIST=dir for another build, N=seeks, 120)
// timeline-bench.mjs's run, then N seeks to random moments that alternate between the page as built (A)
// and the page with the style CSS added (B, a <style> switched on and off two frames before each seek):
// per variant, the wall time from seek(t) to drawn, and the main thread's CPU by kind of work per seek
// from a Chromium trace. The two variants share the machine's load minute by minute, so a difference
// of a millisecond shows where runs of two builds one after the other differ by several from the load.
import { serveDist, launch, openPage } from "./lib.mjs";
const srv = await serveDist(); const browser = await launch();
const N = Number(process.env.N || 120);
const NAMES = ["FunctionCall", "UpdateLayoutTree", "Layout", "PrePaint", "Paint"];
try {
  const { page, context } = await openPage(browser, `${srv.url}index.html?seed=8&servers=5&paused=1`);
  await page.addStyleTag({ content: process.env.CSS || "" });
  const cdp = await page.context().newCDPSession(page);
  await page.evaluate(() => { const rp = window.raftPlayground; for (let i = 0; i < 6000; i++) { rp.write("k" + (i % 10), i); rp.advance(100); } });
  const events = [];
  cdp.on("Tracing.dataCollected", (d) => events.push(...d.value));
  const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
  await cdp.send("Tracing.start", { traceConfig: { includedCategories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing"] }, transferMode: "ReportEvents" });
  const work = await page.evaluate(async (n) => {
    const st = [...document.querySelectorAll("style")].pop();
    const rp = window.raftPlayground; const end = rp.now();
    const frame = () => new Promise((res) => requestAnimationFrame(res));
    const settle = () => new Promise((res) => { const c = new MessageChannel(); c.port1.onmessage = res; c.port2.postMessage(0); });
    let x = 12345; const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    const w = { A: [], B: [] };
    for (let i = 0; i < n; i++) {
      const v = i % 2 ? "B" : "A"; st.disabled = v === "A";
      await frame(); await frame();
      const t = Math.floor(rand() * end);
      await frame(); performance.mark("seek" + v); const t0 = performance.now(); rp.seek(t);
      const strip = document.querySelector(".tl-strip");
      while (strip.getAttribute("aria-valuenow") !== String(t)) await settle();
      void document.body.offsetHeight; w[v].push(performance.now() - t0); await frame(); await frame(); performance.mark("idle");
    }
    performance.mark("idle");
    return w;
  }, N);
  await cdp.send("Tracing.end"); await done;
  const marks = events.filter((e) => /^(seek[AB]|idle)$/.test(e.name)).sort((a, b) => a.ts - b.ts);
  const cpu = { A: {}, B: {} };
  for (const e of events) if (e.ph === "X" && NAMES.includes(e.name)) {
    let m = null; for (const k of marks) { if (k.ts <= e.ts) m = k; else break; }
    if (m && m.name !== "idle") { const v = m.name.slice(4); cpu[v][e.name] = (cpu[v][e.name] || 0) + (e.tdur || 0); }
  }
  const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
  for (const v of ["A", "B"]) console.log(`${v}: seek to drawn p50 ${pct(work[v], 50).toFixed(1)} p95 ${pct(work[v], 95).toFixed(1)} ms; CPU ms per seek: ${NAMES.map((k) => `${k} ${((cpu[v][k] || 0) / 1000 / work[v].length).toFixed(2)}`).join(", ")}`);
  await context.close();
} finally { await browser.close(); await srv.close(); }
