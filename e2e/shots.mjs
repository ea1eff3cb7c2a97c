// Screenshots for review: node e2e/shots.mjs (after trunk build).
// Saves target/screenshots/*.png at 1280x800, 800x600 (and inside an 800x600
// iframe) and 480x360, in light and dark: a busy 5-server moment, and 9
// servers at term 9; the Diagram tab; the Diagram with 9 servers after an election and
// writes at 1280x800 (diagram-9servers-1280x800-<scheme>.png); and on phones (390x844 portrait, 844x390 landscape,
// touch emulated): tap a server, crash it, write, read the log; time travel
// (the timeline in the past with a tooltip, the branch list, the share box,
// the Script panel with a failing line) at 1280x800 and 480x360. Lessons: one
// step of each lesson at 1280x800 and two lessons at 480x360, light and dark
// (lesson-<id>-<w>x<h>-<scheme>.png): the step that asks first, servers picked.
import fs from "node:fs";
import path from "node:path";
import { serveDist, launch, openPage, reachTerm, setUpNineServerDiagram, SHOTS, SCRIPT_PANEL } from "./lib.mjs";
import { answers } from "./lessons.mjs";

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
      // The space-time diagram of the same moment (issue 12).
      await page.click("#tab-diagram");
      await page.waitForTimeout(150);
      await page.screenshot({ path: path.join(SHOTS, `diagram-${w}x${h}-${scheme}.png`) });
      await page.click("#tab-events");
      await page.waitForTimeout(50);
      if (scheme === "light") {
        // The server menu (of a server beside the client) and the message inspector.
        await page.click('svg.ring [data-server="2"] .body');
        await page.waitForTimeout(150);
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
      // Nine servers at term 9, one crashed, writes in flight.
      {
        const { page, context, errors } = await openPage(browser, `${srv.url}index.html?seed=7&paused=1&servers=9`, {
          width: w,
          height: h,
          colorScheme: scheme,
        });
        const terms = await reachTerm(page, 9);
        await page.evaluate(() => {
          const rp = window.raftPlayground;
          const s = rp.state();
          rp.crash(s.servers.find((v) => v.role === "follower").name);
          rp.advance(8);
        });
        await page.waitForTimeout(150);
        const file = path.join(SHOTS, `term9-9servers-${w}x${h}-${scheme}.png`);
        await page.screenshot({ path: file });
        out.push(`${file} terms=${terms} errors=${JSON.stringify(errors)}`);
        if (scheme === "light") {
          // A menu on the crowded ring (S8, on the left).
          await page.click('svg.ring [data-server="8"] .body');
          await page.waitForTimeout(150);
          await page.screenshot({ path: path.join(SHOTS, `menu-9servers-${w}x${h}.png`) });
        }
        await context.close();
      }
    }
  }
  // The Diagram with 9 servers at its default zoom, following "now": an election, then writes
  // (issue 12: lane marks and arrows readable with the most lanes; e2e/diagram-marks.test.mjs checks the labels).
  for (const scheme of ["light", "dark"]) {
    const { page, context, errors } = await openPage(browser, `${srv.url}index.html?seed=7&paused=1&servers=9`, {
      width: 1280,
      height: 800,
      colorScheme: scheme,
    });
    await setUpNineServerDiagram(page);
    const file = path.join(SHOTS, `diagram-9servers-1280x800-${scheme}.png`);
    await page.screenshot({ path: file });
    out.push(`${file} errors=${JSON.stringify(errors)}`);
    await context.close();
  }
  // Time travel (issue 8): a run with a fork, seen in the past with the pointer on a
  // mark; the branch list; the share box; the Script panel with a failing line.
  for (const scheme of ["light", "dark"]) {
    for (const [w, h] of [
      [1280, 800],
      [480, 360],
    ]) {
      const { page, context, errors } = await openPage(browser, `${srv.url}index.html?seed=11&paused=1`, {
        width: w,
        height: h,
        colorScheme: scheme,
      });
      await context.grantPermissions(["clipboard-read", "clipboard-write"]);
      await page.evaluate(() => {
        const rp = window.raftPlayground;
        for (let t = 0; t < 5000 && !rp.state().leader; t += 50) rp.advance(50);
        for (let i = 0; i < 40; i++) {
          rp.write("x", i);
          rp.advance(150);
        }
        rp.crash(rp.state().leader);
        rp.advance(2500);
        rp.partition([[1, 2]]);
        rp.advance(3000);
        rp.heal();
        rp.advance(4000);
        rp.seek(9000);
        rp.timeout(3);
        rp.advance(6000);
        rp.seek(11000);
      });
      const shot = (what) => path.join(SHOTS, `timeline-${what}-${w}x${h}-${scheme}.png`);
      const box = await page.locator(".tl-strip").boundingBox();
      const crash = await page.evaluate(() => window.raftPlayground.events(0).find((e) => e.data.type === "crashed").time);
      const latest = await page.evaluate(() => window.raftPlayground.branches().find((b) => b.current).latest);
      await page.mouse.move(box.x + (crash / Math.max(latest, 10000)) * box.width, box.y + box.height / 2);
      await page.locator(".tl-tip").waitFor();
      await page.screenshot({ path: shot("past") });
      await page.mouse.move(1, 1);
      await page.getByRole("button", { name: "Share" }).click();
      await page.locator(".share-box [data-copied]").first().waitFor();
      await page.waitForTimeout(100);
      await page.screenshot({ path: shot("share") });
      await page.locator(".share-box .x").click();
      if (SCRIPT_PANEL) {
        await page.evaluate(() => window.raftPlayground.showPanel("script"));
        await page.locator("textarea.script-text").fill("servers 5\nseed 3\nwait until leader within 3s\nat 2s crash S1\nexpect leader S1\nsay \"S1 is down\"\n");
        await page.getByRole("button", { name: "Run the script" }).click();
        // The script worker answers a moment later: its run, the failing line marked.
        await page.locator(".gutter .bad-line").waitFor();
        await page.evaluate(() => window.raftPlayground.pause());
        await page.waitForTimeout(150);
        await page.screenshot({ path: shot("script") });
      }
      out.push(`${shot("*")} errors=${JSON.stringify(errors)}`);
      await context.close();
    }
  }
  // Phones, touch emulated: tap a server, crash it, write, read the log.
  for (const scheme of ["light", "dark"]) {
    for (const [w, h] of [
      [390, 844],
      [844, 390],
    ]) {
      const context = await browser.newContext({ viewport: { width: w, height: h }, colorScheme: scheme, hasTouch: true, isMobile: true });
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await page.goto(`${srv.url}index.html?seed=7&paused=1`);
      await page.waitForFunction(() => window.raftPlayground && document.querySelector("svg.ring [data-server]"));
      await page.evaluate(() => window.raftPlayground.advance(1500));
      const name = (step) => path.join(SHOTS, `phone-${w}x${h}-${scheme}-${step}.png`);
      await page.locator('svg.ring [data-server="3"] .body').tap();
      await page.getByRole("menu").waitFor();
      await page.screenshot({ path: name("1-menu") });
      await page.getByRole("menuitem", { name: /Crash S3/ }).tap();
      await page.waitForTimeout(100);
      await page.screenshot({ path: name("2-crashed") });
      await page.getByRole("tab", { name: "Client" }).tap();
      await page.getByLabel("Key to write").fill("k");
      await page.getByLabel("Value to write").fill("42");
      await page.getByRole("button", { name: "Write", exact: true }).tap();
      await page.evaluate(() => window.raftPlayground.advance(400));
      await page.waitForTimeout(100);
      await page.screenshot({ path: name("3-written") });
      await page.getByRole("tab", { name: "Logs" }).tap();
      await page.waitForTimeout(100);
      await page.screenshot({ path: name("4-log") });
      const scroll = await page.evaluate(() => ({
        x: document.documentElement.scrollWidth > innerWidth,
        y: document.documentElement.scrollHeight > innerHeight,
      }));
      out.push(`${name("*")} scrollbars=${JSON.stringify(scroll)} errors=${JSON.stringify(errors)}`);
      await context.close();
    }
  }
  // Lessons: the step that first asks a question (else the first), at its question, the right servers picked.
  const list = await (async () => {
    const { page, context } = await openPage(browser, `${srv.url}index.html?paused=1`);
    const l = await page.evaluate(() => window.raftPlayground.lessons());
    await context.close();
    return l.filter((x) => x.available);
  })();
  const small = new Set([list[0].id, "figure-8"]);
  // The list, with some progress.
  for (const scheme of ["light", "dark"]) {
    for (const [w, h] of [[1280, 800], [480, 360]]) {
      const { page, context, errors } = await openPage(browser, `${srv.url}index.html?paused=1&seed=7`, { width: w, height: h, colorScheme: scheme });
      await page.evaluate(() => localStorage.setItem("raftPlayground.lessons", "replication=6;failover=2"));
      await page.reload();
      await page.waitForFunction(() => window.raftPlayground && document.querySelector("svg.ring [data-server]"));
      await page.getByRole("tab", { name: "Lessons" }).click();
      await page.waitForTimeout(150);
      const file = path.join(SHOTS, `lessons-list-${w}x${h}-${scheme}.png`);
      await page.screenshot({ path: file });
      await page.locator(".lesson-item.coming").first().scrollIntoViewIfNeeded().catch(() => {});
      await page.screenshot({ path: path.join(SHOTS, `lessons-list-end-${w}x${h}-${scheme}.png`) });
      out.push(`${file} errors=${JSON.stringify(errors)}`);
      await context.close();
    }
  }
  for (const scheme of ["light", "dark"]) {
    for (const l of list) {
      for (const [w, h] of [[1280, 800], [480, 360]]) {
        if (w === 480 && !small.has(l.id)) continue;
        const qs = answers(l.id);
        const k = Math.max(0, qs.findIndex((q) => q));
        const { page, context, errors } = await openPage(browser, `${srv.url}index.html?paused=1&lesson=${l.id}&step=${k + 1}`, {
          width: w,
          height: h,
          colorScheme: scheme,
        });
        await page.waitForSelector(`.lesson[data-step="${k + 1}"]`);
        if (qs[k]) {
          if ((await page.locator('.lesson[data-phase="running"]').count()) > 0) await page.click('[data-op="skip-ahead"]');
          if (qs[k].kind === "servers") {
            for (const id of qs[k].answer.slice(1)) await page.click(`svg.ring [data-server="${id}"] .body`, { force: true });
          }
        } else {
          await page.evaluate(() => window.raftPlayground.advance(60));
        }
        await page.waitForTimeout(200);
        const file = path.join(SHOTS, `lesson-${l.id}-${w}x${h}-${scheme}.png`);
        await page.screenshot({ path: file });
        out.push(`${file} errors=${JSON.stringify(errors)}`);
        await context.close();
      }
    }
  }
  // An offer's branch card (running and ended) and a reveal with its highlights (term-inflation: step 3's
  // pre-vote replay, step 4's "which servers could win now?" answered wrong, S2 picked).
  for (const [w, h] of [[1280, 800], [480, 360]]) {
    const shot = (what) => path.join(SHOTS, `lesson-${what}-${w}x${h}.png`);
    {
      const { page, context, errors } = await openPage(browser, `${srv.url}index.html?paused=1&lesson=term-inflation&step=3`, { width: w, height: h });
      await page.waitForSelector('.lesson[data-step="3"]');
      await page.click('[data-op="branch:0"]');
      await page.waitForSelector(".branch-note");
      await page.evaluate(() => window.raftPlayground.advance(40));
      await page.waitForTimeout(200);
      await page.screenshot({ path: shot("branch-running") });
      if ((await page.locator('.lesson[data-phase="ended"]').count()) === 0) await page.click('[data-op="skip-ahead"]');
      await page.waitForSelector('.lesson[data-phase="ended"]');
      await page.waitForTimeout(200);
      await page.screenshot({ path: shot("branch-ended") });
      out.push(`${shot("branch-*")} errors=${JSON.stringify(errors)}`);
      await context.close();
    }
    {
      const { page, context, errors } = await openPage(browser, `${srv.url}index.html?paused=1&lesson=term-inflation&step=4`, { width: w, height: h });
      await page.waitForSelector('.lesson[data-step="4"]');
      if ((await page.locator('.lesson[data-phase="running"]').count()) > 0) await page.click('[data-op="skip-ahead"]');
      await page.waitForSelector('.lesson[data-phase="asking"]');
      await page.click('svg.ring [data-server="2"] .body', { force: true });
      await page.click('[data-op="check"]');
      await page.waitForSelector(".reveal");
      await page.waitForTimeout(200);
      await page.screenshot({ path: shot("reveal") });
      out.push(`${shot("reveal")} errors=${JSON.stringify(errors)}`);
      await context.close();
    }
  }
  // The embed example: two playgrounds side by side, driven through the client.
  const { page, context } = await openPage(browser, `${srv.url}index.html?seed=7&paused=1`, { width: 1100, height: 1000 });
  await page.goto(`${srv.url}embed.html`);
  await page.waitForFunction(() => window.playgrounds);
  await page.waitForTimeout(2500);
  const frameScroll = await page.evaluate(() =>
    ["left", "right"].map((id) => {
      const d = document.getElementById(id).contentDocument.documentElement;
      return { x: d.scrollWidth > d.clientWidth, y: d.scrollHeight > d.clientHeight };
    }),
  );
  await page.screenshot({ path: path.join(SHOTS, "embed.png") });
  out.push(`embed.png iframes' scrollbars=${JSON.stringify(frameScroll)}`);
  await context.close();
} finally {
  await browser.close();
  await srv.close();
}
console.log(out.join("\n"));
