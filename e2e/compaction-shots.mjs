// Screenshots of log compaction on the page (not a test): 3 servers with a
// snapshot threshold of 5, 30 writes while a follower is down, then the
// follower restarted and paused with the leader's InstallSnapshot on its way
// (inspected), at 1280x800 and 480x360; the log grid once it installed it;
// the Setup panel's threshold and the legend's InstallSnapshot, into
// $SHOTS_DIR (default target/screenshots). Run after a build with the
// compaction feature (index.html's data-cargo-features="compaction"):
// node e2e/compaction-shots.mjs
import path from "node:path";
import fs from "node:fs";
import { serveDist, launch, SHOTS } from "./lib.mjs";

const dir = process.env.SHOTS_DIR || SHOTS;
fs.mkdirSync(dir, { recursive: true });
const srv = await serveDist();
const browser = await launch();
const shot = async (page, name) => {
  const file = path.join(dir, name);
  await page.screenshot({ path: file });
  console.log(file);
};
try {
  for (const [w, h] of [[1280, 800], [480, 360]]) {
    const context = await browser.newContext({ viewport: { width: w, height: h } });
    const page = await context.newPage();
    await page.goto(`${srv.url}index.html?seed=21&servers=3&paused=1&snapshot=5`);
    await page.waitForFunction(() => window.raftPlayground && document.querySelector("svg.ring [data-server]"));
    const follower = await page.evaluate(() => {
      const rp = window.raftPlayground;
      for (let t = 0; t < 10000 && !rp.state().leader; t += 20) rp.advance(20);
      const s = rp.state();
      const f = s.servers.find((v) => v.name !== s.leader).name;
      rp.crash(f);
      for (let v = 0; v < 30; v++) {
        rp.write("k" + (v % 6), v);
        rp.advance(30);
      }
      rp.advance(200);
      rp.restart(f);
      // Until InstallSnapshot is half-way to it.
      for (let t = 0; t < 3000; t += 1) {
        const m = rp.state().messages.find((x) => x.kind === "InstallSnapshot" && x.progress >= 0.5);
        if (m) {
          rp.inspect(m.id);
          break;
        }
        rp.advance(1);
      }
      return f;
    });
    await page.waitForTimeout(300);
    await shot(page, `compaction-install-${w}x${h}.png`);
    if (w === 1280) {
      // The Diagram around InstallSnapshot: the heavy dashed arrow to the follower.
      await page.evaluate(() => {
        window.raftPlayground.escape();
        window.raftPlayground.advance(40);
        window.raftPlayground.showPanel("diagram");
      });
      await page.waitForTimeout(300);
      await shot(page, `compaction-diagram-${w}x${h}.png`);
    }
    await page.evaluate(() => {
      const rp = window.raftPlayground;
      rp.escape();
      rp.advance(360);
      rp.showPanel("events");
    });
    if (w < 600) await page.evaluate(() => window.raftPlayground.showPanel("logs"));
    await page.waitForTimeout(300);
    await shot(page, `compaction-logs-${w}x${h}.png`);
    if (w === 1280) {
      // The snapshot cell's tooltip text, printed (a screenshot does not show titles).
      console.log(await page.locator(`td.cell.snap`).first().getAttribute("title"));
      await page.evaluate(() => window.raftPlayground.showPanel("setup"));
      await page.waitForTimeout(200);
      await page.locator("#set-snapshot").scrollIntoViewIfNeeded();
      await shot(page, `compaction-setup-${w}x${h}.png`);
      await page.evaluate(() => window.raftPlayground.showPanel("legend"));
      await page.waitForTimeout(200);
      await page.locator('.legend-list [data-kind="InstallSnapshot"]').scrollIntoViewIfNeeded();
      await shot(page, `compaction-legend-${w}x${h}.png`);
    }
    void follower;
    await context.close();
  }
} finally {
  await browser.close();
  await srv.close();
}
