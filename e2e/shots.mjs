// Screenshots for review: node e2e/shots.mjs (after trunk build).
// Saves target/screenshots/*.png at 1280x800, 800x600 (and inside an 800x600
// iframe) and 480x360, in light and dark.
import fs from "node:fs";
import path from "node:path";
import { serveDist, launch, openPage, SHOTS } from "./lib.mjs";

fs.mkdirSync(SHOTS, { recursive: true });
const srv = await serveDist();
const browser = await launch();
const out = [];
try {
  const sizes = [
    [1280, 800],
    [800, 600],
    [480, 360],
  ];
  for (const scheme of ["light", "dark"]) {
    for (const [w, h] of sizes) {
      const { page, context, errors } = await openPage(browser, `${srv.url}index.html?seed=7&paused=1`, {
        width: w,
        height: h,
        colorScheme: scheme,
      });
      // A busy, deterministic moment: a leader, writes in flight, one crashed follower.
      await page.evaluate(() => {
        const rp = window.raftPlayground;
        rp.advance(1500);
        rp.write("x", 3);
        rp.write("y", 7);
        rp.advance(400);
        const s = rp.state();
        const follower = s.servers.find((v) => v.role === "follower");
        rp.crash(follower.name);
        rp.write("z", 1);
        rp.advance(12);
      });
      await page.waitForTimeout(150);
      const scroll = await page.evaluate(() => ({
        x: document.documentElement.scrollWidth > innerWidth,
        y: document.documentElement.scrollHeight > innerHeight,
      }));
      const file = path.join(SHOTS, `page-${w}x${h}-${scheme}.png`);
      await page.screenshot({ path: file });
      out.push(`${file} scrollbars=${JSON.stringify(scroll)} errors=${JSON.stringify(errors)}`);
      if (scheme === "light" && w === 1280) {
        // The server menu and the message inspector.
        await page.click('svg.ring [data-server="1"]');
        await page.waitForTimeout(100);
        await page.screenshot({ path: path.join(SHOTS, `menu-${w}x${h}.png`) });
        await page.keyboard.press("Escape");
        const id = await page.evaluate(() => window.raftPlayground.state().messages[0]?.id);
        if (id !== undefined) {
          await page.click(`svg.ring [data-message="${id}"]`, { force: true });
          await page.waitForTimeout(100);
          await page.screenshot({ path: path.join(SHOTS, `inspector-${w}x${h}.png`) });
        }
      }
      await context.close();
    }
  }
  // The embed example: the page in an 800x600 iframe.
  const { page, context } = await openPage(browser, `${srv.url}index.html?seed=7&paused=1`, { width: 1100, height: 900 });
  await page.goto(`${srv.url}embed.html`);
  await page.waitForFunction(() => {
    const f = document.getElementById("playground");
    return f.contentWindow && f.contentWindow.raftPlayground;
  });
  await page.waitForTimeout(2500);
  const frameScroll = await page.evaluate(() => {
    const d = document.getElementById("playground").contentDocument.documentElement;
    return { x: d.scrollWidth > d.clientWidth, y: d.scrollHeight > d.clientHeight };
  });
  await page.screenshot({ path: path.join(SHOTS, "embed.png") });
  out.push(`embed.png iframe scrollbars=${JSON.stringify(frameScroll)}`);
  await context.close();
} finally {
  await browser.close();
  await srv.close();
}
console.log(out.join("\n"));
