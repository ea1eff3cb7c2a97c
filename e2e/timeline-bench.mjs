// Time travel benchmark in headless Chromium (issue 8). Prints figures, asserts nothing.
//   node e2e/timeline-bench.mjs     (after trunk build; DIST=dir for another build,
//   CSS='...' a style injected in the seeking part: A/B of a style on one build; SEEKONLY=1 skips part 2)
// 1. Seeking: a 10-minute run of 5 servers with a client write every 100 ms
//    (virtual), then 100 random moments, each seek(t) called at the start of
//    a frame (in its animation-frame callbacks, as a drag on the timeline
//    would): for each, from seek(t) to the page drawn, that is to the first
//    task after the frame that shows moment t (the work on the main thread:
//    the seek, Yew's render, then that frame's style, layout and paint; not
//    the raster and compositing that other threads do after it), and from
//    the frame in which seek(t) was called to the next drawn frame (16.7 ms
//    when no frame is lost). p50 and p95, and the seek(t) call alone (the
//    timeline's restore and replay, before any drawing). Then 30 seeks each
//    left to settle: from seek(t) to the frame drawn after the event feed
//    has written the rows it leaves for later (those out of its view, about
//    60 ms on, the list aria-busy meanwhile), so that what is put off shows.
// 2. Memory: the default page (5 servers) run for one virtual hour as fast
//    as it goes (250 ms of virtual time per call, as the clock's largest
//    tick), idle and with a client write every second; then the wasm memory
//    (WebAssembly.Memory.buffer.byteLength).
import { serveDist, launch } from "./lib.mjs";

const srv = await serveDist();
const browser = await launch();
const MB = 1024 * 1024;

/** A page whose wasm exports (memory) the benchmark can read. */
async function open(query) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.addInitScript(() => {
    addEventListener("TrunkApplicationStarted", (e) => (window.__wasm = e.detail.wasm));
  });
  await page.goto(`${srv.url}index.html?${query}`);
  await page.waitForFunction(() => window.raftPlayground && window.__wasm && document.querySelector("svg.ring [data-server]"));
  if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
  return { page, context, errors };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const f1 = (x) => x.toFixed(1);

try {
  // ----- 1. seeking in a 10-minute run -----
  {
    const { page, context, errors } = await open("seed=8&servers=5&paused=1");
    const built = await page.evaluate(() => {
      const rp = window.raftPlayground;
      const t0 = performance.now();
      for (let i = 0; i < 6000; i++) {
        rp.write("k" + (i % 10), i);
        rp.advance(100);
      }
      return { ms: performance.now() - t0, now: rp.now(), events: rp.state().eventCount };
    });
    // PLAYED=1: then 70 more writes, each drawn (the page playing on: the
    // feed adds their rows at its top, the flow before a visitor's drag).
    if (process.env.PLAYED) {
      built.played = await page.evaluate(async () => {
        const rp = window.raftPlayground, n = rp.state().eventCount;
        for (let i = 0; i < 70; i++) {
          rp.write("p", i);
          rp.advance(100);
          await new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));
        }
        return rp.state().eventCount - n;
      });
      built.now = await page.evaluate(() => window.raftPlayground.now());
    }
    const r = await page.evaluate(async (end) => {
      const rp = window.raftPlayground;
      const frame = () => new Promise((res) => requestAnimationFrame(res));
      // Resolves once the tasks queued so far (Yew renders from a microtask) have run.
      const settle = () => new Promise((res) => { const c = new MessageChannel(); c.port1.onmessage = res; c.port2.postMessage(0); });
      let x = 12345;
      const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
      const work = [], frames = [], calls = [], put = [];
      await frame();
      for (let i = 0; i < 100; i++) {
        const t = Math.floor(rand() * end);
        const start = await frame(); // the start of a frame
        const t0 = performance.now();
        rp.seek(t);
        calls.push(performance.now() - t0);
        const strip = document.querySelector(".tl-strip");
        // The first settle() runs after the frame's rendering (Yew renders
        // from a microtask, before that frame's style, layout and paint).
        for (let k = 0; strip.getAttribute("aria-valuenow") !== String(t); k++) {
          if (k === 100) throw new Error(`not drawn at ${t}`);
          await settle();
        }
        void document.body.offsetHeight; // (style and layout, should anything be left)
        work.push(performance.now() - t0);
        // The feed's rows still put off (hidden) in the frame drawn.
        put.push(document.querySelectorAll(".feed > li[style*=hidden]").length);
        frames.push((await frame()) - start);
      }
      // Then 30 more seeks, each waited for until the page has settled: the
      // event feed writes the rows out of its view about 60 ms after a seek
      // (the list is aria-busy meanwhile; a seek before then puts them off
      // again, as the 100 seeks above, a frame apart, did): from seek(t) to
      // every row written, drawn.
      const settled = [];
      const tick = () => new Promise((res) => setTimeout(res, 1));
      for (let i = 0; i < 30; i++) {
        const t = Math.floor(rand() * end);
        await frame();
        const t0 = performance.now();
        rp.seek(t);
        const strip = document.querySelector(".tl-strip");
        for (let k = 0; strip.getAttribute("aria-valuenow") !== String(t) || document.querySelector(".feed[aria-busy]"); k++) {
          if (k === 2000) throw new Error(`not settled at ${t}`);
          await tick();
        }
        await frame();
        await settle();
        settled.push(performance.now() - t0);
      }
      return { work, frames, calls, settled, put };
    }, built.now);
    console.log(
      `timeline bench: 10-minute run of 5 servers, a write every 100 ms: ${built.events} events, built in ${f1(built.ms / 1000)} s`,
    );
    console.log(
      `timeline bench: seek to 100 random moments, seek to drawn (seek + render + style, layout and paint): p50 ${f1(pct(r.work, 50))} ms, ` +
        `p95 ${f1(pct(r.work, 95))} ms, max ${f1(Math.max(...r.work))} ms`,
    );
    console.log(
      `timeline bench: of which the seek(t) call itself (restore a checkpoint, replay to t): p50 ${f1(pct(r.calls, 50))} ms, ` +
        `p95 ${f1(pct(r.calls, 95))} ms; the rest is Yew's render, style, layout and paint`,
    );
    console.log(
      `timeline bench: the event feed's rows put off (hidden, of 50) in the frame drawn: mean ${f1(r.put.reduce((a, b) => a + b, 0) / r.put.length)} a seek, ` +
        `the first seeks ${r.put.slice(0, 5).join(", ")}${built.played ? `; after ${built.played} events played, each drawn` : ""}`,
    );
    console.log(
      `timeline bench: 30 more seeks, each left to settle: seek to settled (every row of the event feed written, then a frame drawn): ` +
        `p50 ${f1(pct(r.settled, 50))} ms, p95 ${f1(pct(r.settled, 95))} ms (the feed writes the rows out of its view 60 ms after a seek)`,
    );
    console.log(
      `timeline bench: from the frame of seek(t) to the next drawn frame: p50 ${f1(pct(r.frames, 50))} ms, ` +
        `p95 ${f1(pct(r.frames, 95))} ms (16.7 ms: no frame lost)`,
    );
    const mem = await page.evaluate(() => window.__wasm.memory.buffer.byteLength);
    console.log(`timeline bench: wasm memory after the 10-minute run with a write every 100 ms: ${f1(mem / MB)} MB`);
    if (errors.length) console.log(`timeline bench: page errors: ${errors.join("; ")}`);
    await context.close();
  }
  // ----- 2. one virtual hour at full speed -----
  for (const [label, every] of process.env.SEEKONLY ? [] : [["idle (the default page)", 0], ["a client write every second", 1000]]) {
    const { page, context, errors } = await open("seed=9&servers=5&paused=1");
    const r = await page.evaluate((every) => {
      const rp = window.raftPlayground;
      const before = window.__wasm.memory.buffer.byteLength;
      const t0 = performance.now();
      let i = 0;
      for (let t = 0; t < 3_600_000; t += 250) {
        if (every && t % every === 0) rp.write("k" + (i % 10), i++);
        rp.advance(250);
      }
      return { ms: performance.now() - t0, before, after: window.__wasm.memory.buffer.byteLength, now: rp.now() };
    }, every);
    // A frame drawn at the end of the hour, and a seek back to its middle.
    const seek = await page.evaluate(async () => {
      const t0 = performance.now();
      window.raftPlayground.seek(1_800_000);
      await new Promise((res) => requestAnimationFrame(res));
      return performance.now() - t0;
    });
    console.log(
      `timeline bench: one virtual hour, 5 servers, ${label}: ${f1(r.ms / 1000)} s of wall time; wasm memory ` +
        `${f1(r.before / MB)} MB before, ${f1(r.after / MB)} MB after; a seek to its middle then a frame: ${f1(seek)} ms`,
    );
    if (errors.length) console.log(`timeline bench: page errors: ${errors.join("; ")}`);
    await context.close();
  }
} finally {
  await browser.close();
  await srv.close();
}
