// The event feed at a seek, for review (not a test; run after scripts/build-page.sh; DIST=dir for another build):
//   node e2e/feed-shots.mjs
// A run of 5 servers with a client write every 100 ms for 200 virtual s, then at 1280x800 and 480x360,
// light and dark: a seek, pictured in the frame that draws it (before the feed writes its rows out of
// view, about 60 ms on); right after another seek, the feed scrolled to its middle and pictured a frame
// later; and the page settled. Saves target/screenshots/feed-<what>-<w>x<h>-<scheme>.png and prints,
// for each, how many of the feed's rows in view (and in all) show the events they should: checked in
// the frame named, just before the picture is taken (the picture may show rows written since).
import { serveDist, launch, openPage, SHOTS } from "./lib.mjs";
import fs from "node:fs";
import path from "node:path";

fs.mkdirSync(SHOTS, { recursive: true });
const srv = await serveDist();
const browser = await launch();
try {
  for (const scheme of ["light", "dark"]) {
    for (const [w, h] of [[1280, 800], [480, 360]]) {
      const { page, context, errors } = await openPage(browser, `${srv.url}index.html?seed=8&servers=5&paused=1`, { width: w, height: h, colorScheme: scheme });
      await page.evaluate(() => {
        const rp = window.raftPlayground;
        for (let i = 0; i < 2000; i++) { rp.write("k" + (i % 10), i); rp.advance(100); }
        rp.showPanel("events");
      });
      // The rows in view and in all that show the newest page's events at the moment shown.
      const check = () => page.evaluate(() => {
        const rp = window.raftPlayground, n = rp.state().eventCount, from = Math.max(0, n - 50);
        const want = rp.events(from, 50).map((e) => e.text).reverse();
        const panel = document.querySelector(".tab-panel").getBoundingClientRect();
        const rows = [...document.querySelectorAll(".feed > li")];
        const inView = rows.filter((r) => { const q = r.getBoundingClientRect(); return q.bottom > panel.top && q.top < panel.bottom; });
        const right = (r) => r.querySelector(".ev-text")?.textContent === want[rows.indexOf(r)];
        return `in view ${inView.filter(right).length}/${inView.length} right, all ${rows.filter(right).length}/${rows.length}, busy ${document.querySelector(".feed[aria-busy]") ? "yes" : "no"}`;
      });
      // seek(t) at the start of a frame; resolves after the frame that draws it.
      const seek = (t) => page.evaluate((t) => new Promise((res) => requestAnimationFrame(() => {
        window.raftPlayground.seek(t);
        requestAnimationFrame(() => setTimeout(res, 0));
      })), t);
      const shot = async (what) => {
        const file = path.join(SHOTS, `feed-${what}-${w}x${h}-${scheme}.png`);
        const note = await check();
        await page.screenshot({ path: file });
        console.log(`${path.basename(file)}: ${note}${errors.length ? ` errors ${errors.join("; ")}` : ""}`);
      };
      await seek(150_000);
      await page.waitForTimeout(200);
      await seek(60_000);
      // (The check is made in the seek's frame; the picture, taken after it, may show the rows written since.)
      await shot("seek-frame");
      await page.waitForTimeout(200);
      await shot("seek-settled");
      await seek(120_000);
      await page.evaluate(() => new Promise((res) => {
        const p = document.querySelector(".tab-panel");
        p.scrollTop = (p.scrollHeight - p.clientHeight) / 2;
        requestAnimationFrame(() => setTimeout(res, 0));
      }));
      await shot("scrolled-after-seek");
      await page.waitForTimeout(200);
      await shot("scrolled-settled");
      await context.close();
    }
  }
} finally {
  await browser.close();
  await srv.close();
}
