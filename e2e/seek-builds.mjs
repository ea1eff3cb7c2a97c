// Interleaved A/B of two builds at a seek (not a test; run after scripts/build-page.sh):
//   B=/work/main-dist node e2e/seek-builds.mjs      (A: DIST or dist/; ROUNDS, 8; SEEKS a round, 10)
// timeline-bench.mjs's run in a page of each build, then rounds of SEEKS seeks to random moments (the
// same moments in both), a round in A's page then one in B's: per build, the wall time from seek(t)
// to drawn and the main thread's CPU by kind of work per seek from one Chromium trace of both pages.
// The two builds share the machine's load round by round, which runs of one build after the other do not.
// "later": the CPU of those kinds from a frame after a seek's drawn frame to the next seek (about 150 ms):
// work a build puts off after a seek, such as the event feed's rows out of view (60 ms on).
import { serveDist, launch, openPage } from "./lib.mjs";
const ROUNDS = Number(process.env.ROUNDS || 8), SEEKS = Number(process.env.SEEKS || 10);
const NAMES = ["FunctionCall", "UpdateLayoutTree", "Layout", "PrePaint", "Paint", "ParseHTML"];
if (!process.env.B) { console.error("seek-builds.mjs: set B to the other build's dist (B=/work/main-dist node e2e/seek-builds.mjs)"); process.exit(2); }
const srvA = await serveDist(), srvB = await serveDist(process.env.B);
const browser = await launch();
try {
  const pages = {};
  for (const [v, srv] of [["A", srvA], ["B", srvB]]) {
    const { page } = await openPage(browser, `${srv.url}index.html?seed=8&servers=5&paused=1`);
    await page.evaluate(() => { const rp = window.raftPlayground; for (let i = 0; i < 6000; i++) { rp.write("k" + (i % 10), i); rp.advance(100); } });
    pages[v] = page;
  }
  const cdp = await browser.newBrowserCDPSession();
  const events = [];
  cdp.on("Tracing.dataCollected", (d) => events.push(...d.value));
  const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
  await cdp.send("Tracing.start", { traceConfig: { includedCategories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing"] }, transferMode: "ReportEvents" });
  const wall = { A: [], B: [] };
  for (let r = 0; r < ROUNDS; r++) for (const v of r % 2 ? ["B", "A"] : ["A", "B"]) {
    wall[v].push(...(await pages[v].evaluate(async ([n, seed, v]) => {
      const rp = window.raftPlayground; const end = rp.now(); const w = [];
      const frame = () => new Promise((res) => requestAnimationFrame(res));
      const settle = () => new Promise((res) => { const c = new MessageChannel(); c.port1.onmessage = res; c.port2.postMessage(0); });
      let x = seed; const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
      for (let i = 0; i < n; i++) {
        await frame(); await frame();
        const t = Math.floor(rand() * end);
        await frame(); performance.mark("seek" + v); const t0 = performance.now(); rp.seek(t);
        const strip = document.querySelector(".tl-strip");
        for (let k = 0; strip.getAttribute("aria-valuenow") !== String(t); k++) {
          if (k > 600) throw new Error(`seek(${t}): the strip never showed it (aria-valuenow ${strip.getAttribute("aria-valuenow")})`);
          await settle();
        }
        void document.body.offsetHeight; w.push(performance.now() - t0); await frame(); performance.mark("idle");
        for (let k = 0; k < 6; k++) await frame(); // (time for work put off after a seek: about 60 ms on, counted as "later")
      }
      return w;
    }, [SEEKS, 12345 + r, v])));
  }
  await cdp.send("Tracing.end"); await done;
  // Each page's marks are in its own renderer's process: an event counts for the build whose
  // seek mark, in the same process, last came before it.
  const marks = events.filter((e) => /^(seek[AB]|idle)$/.test(e.name)).sort((a, b) => a.ts - b.ts);
  // "all": the main thread's CPU in these kinds of work, each moment once (a layout that a script
  // forced is in the script's time too); "layouts": how many layouts a seek runs.
  const cpu = { A: {}, B: {} };
  const ours = events.filter((e) => e.ph === "X" && NAMES.includes(e.name)).sort((a, b) => a.pid - b.pid || a.tid - b.tid || a.ts - b.ts);
  let outer = null;
  for (const e of ours) {
    let m = null, seek = null; for (const k of marks) { if (k.pid !== e.pid) continue; if (k.ts <= e.ts) { m = k; if (k.name !== "idle") seek = k; } else break; }
    // After a seek's "idle" mark, until the next seek: work the page put off (the
    // event feed's rows out of view, written about 60 ms on), counted apart as "later".
    if (m && m.name === "idle" && seek) {
      const c = cpu[seek.name.slice(4)];
      if (!c.outerLater || c.outerLater.pid !== e.pid || c.outerLater.tid !== e.tid || e.ts >= c.outerLater.ts + c.outerLater.dur) { c.outerLater = e; c.later = (c.later || 0) + (e.tdur || 0); }
      continue;
    }
    if (!m) continue;
    const c = cpu[m.name.slice(4)];
    c[e.name] = (c[e.name] || 0) + (e.tdur || 0);
    if (e.name === "Layout") c.layouts = (c.layouts || 0) + 1;
    if (!outer || outer.pid !== e.pid || outer.tid !== e.tid || e.ts >= outer.ts + outer.dur) { outer = e; c.all = (c.all || 0) + (e.tdur || 0); }
  }
  const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; };
  for (const v of ["A", "B"]) {
    const c = cpu[v], n = wall[v].length, ms = (k) => (c[k] || 0) / 1000 / n;
    console.log(`${v}: seek to drawn p50 ${pct(wall[v], 50).toFixed(1)} p95 ${pct(wall[v], 95).toFixed(1)} ms; CPU ms per seek: ${NAMES.map((k) => `${k} ${ms(k).toFixed(2)}`).join(", ")}; all ${ms("all").toFixed(2)}, layouts ${((c.layouts || 0) / n).toFixed(2)}; later (from a frame after the drawn one to the next seek: put off) ${ms("later").toFixed(2)}`);
  }
} finally { await browser.close(); await srvA.close(); await srvB.close(); }
