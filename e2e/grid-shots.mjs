// Pictures of the log grid with committed and not yet committed entries (not a test):
// the frame bench's 9 servers (seed 3), writes sent and a few virtual ms played, so that
// the leader and some followers hold entries not committed yet; 1280x800 and 480x360,
// light and dark, the page and the grid alone (with the Logs tab at 480x360).
//   node e2e/grid-shots.mjs             writes target/screenshots/grid-*.png
//   OUT=dir DIST=dir CSS='...' node e2e/grid-shots.mjs   another build or an injected style
import path from "node:path";
import fs from "node:fs";
import { serveDist, launch, openPage, setUpBenchCluster, SHOTS } from "./lib.mjs";
const out = process.env.OUT || SHOTS;
fs.mkdirSync(out, { recursive: true });
const srv = await serveDist();
const browser = await launch();
try {
  for (const colorScheme of ["light", "dark"]) {
    for (const [width, height] of [[1280, 800], [480, 360]]) {
      const { page, context } = await openPage(browser, `${srv.url}index.html?seed=3&servers=9&paused=1`, { width, height, colorScheme });
      if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
      await setUpBenchCluster(page);
      await page.evaluate(() => {
        const rp = window.raftPlayground;
        rp.write("a", 1);
        rp.advance(120);
        rp.write("b", 2);
        rp.write("c", 3);
        rp.advance(85);
        if (innerWidth < 700) rp.showPanel("logs");
      });
      await page.waitForTimeout(300);
      const name = `grid-${width}x${height}-${colorScheme}`;
      await page.screenshot({ path: path.join(out, `${name}.png`) });
      const grid = page.locator(".loggrid").first();
      if (await grid.isVisible()) await grid.screenshot({ path: path.join(out, `${name}-grid.png`) });
      await context.close();
    }
  }
} finally {
  await browser.close();
  await srv.close();
}
console.log(`grid-shots: written to ${out}`);
