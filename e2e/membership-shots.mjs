// Screenshots of membership changes on the page (not a test): a 6-server
// cluster with a learner (S6) and a removed server (S2), at 1280x800 and
// 480x360, and the Legend panel's membership items, into $SHOTS_DIR (default
// target/screenshots). Run after a build with the membership feature
// (index.html's data-cargo-features="membership"): node e2e/membership-shots.mjs
import path from "node:path";
import fs from "node:fs";
import { serveDist, launch, SHOTS } from "./lib.mjs";

const dir = process.env.SHOTS_DIR || SHOTS;
fs.mkdirSync(dir, { recursive: true });
const srv = await serveDist();
const browser = await launch();
try {
  for (const [w, h] of [[1280, 800], [480, 360]]) {
    const context = await browser.newContext({ viewport: { width: w, height: h } });
    const page = await context.newPage();
    await page.goto(`${srv.url}index.html?seed=7&paused=1`);
    await page.waitForFunction(() => window.raftPlayground && document.querySelector("svg.ring [data-server]"));
    await page.evaluate(() => {
      const rp = window.raftPlayground;
      const tryAct = (f) => {
        for (let t = 0; t < 20000; t += 20) {
          try {
            return f();
          } catch (e) {
            rp.advance(20);
          }
        }
      };
      tryAct(() => rp.write("x", 1));
      rp.advance(300);
      tryAct(() => rp.removeServer(2));
      rp.advance(200);
      tryAct(() => rp.addServer());
      rp.advance(8);
    });
    await page.waitForTimeout(300);
    const file = path.join(dir, `membership-${w}x${h}.png`);
    await page.screenshot({ path: file });
    console.log(file);
    if (w === 1280) {
      await page.evaluate(() => window.raftPlayground.showPanel("legend"));
      await page.waitForTimeout(200);
      const legend = path.join(dir, `membership-legend-${w}x${h}.png`);
      await page.locator(".legend").evaluate((el) => el.querySelector(".server.learner")?.closest("li")?.scrollIntoView());
      await page.screenshot({ path: legend });
      console.log(legend);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await srv.close();
}
