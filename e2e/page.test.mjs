// End-to-end tests of the built page (dist/, from `trunk build`), in Debian's
// headless Chromium through playwright-core: node --test e2e/
// The page is served under a sub-path to prove its URLs are relative.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { servedPageAndBrowser, newPage, openPage, advanceUntil, state, SHOTS } from "./lib.mjs";

const env = servedPageAndBrowser();

/** Clicks a message in flight: Drop and Duplicate are on screen without scrolling, and the
 *  inspector does not hide the message (except on the smallest screens, where it fills the ring). */
async function inspectorFitsAndAvoidsItsMessage(page, width, height) {
  await page.evaluate(() => window.raftPlayground.pause());
  assert.ok(await advanceUntil(page, (s) => s.messages.some((m) => m.progress < 0.5), 2000), "a message in flight");
  const id = (await state(page)).messages.find((m) => m.progress < 0.5).id;
  await page.click(`svg.ring [data-message="${id}"]`, { force: true });
  const inspector = page.getByRole("region", { name: `Message #${id}` });
  await inspector.waitFor();
  for (const name of [/Drop/, /Duplicate/]) {
    const b = await inspector.getByRole("button", { name }).boundingBox();
    assert.ok(b && b.y >= 0 && b.y + b.height <= height && b.x + b.width <= width, `${name} is on screen at ${width}x${height}`);
  }
  assert.equal(await inspector.evaluate((el) => el.scrollTop), 0);
  if (width >= 800) {
    const box = await inspector.boundingBox();
    const m = await page.locator(`svg.ring [data-message="${id}"]`).boundingBox();
    const [cx, cy] = [m.x + m.width / 2, m.y + m.height / 2];
    const covered = cx >= box.x && cx <= box.x + box.width && cy >= box.y && cy <= box.y + box.height;
    assert.ok(!covered, `the inspector does not hide message #${id} at ${width}x${height}`);
  }
  await page.keyboard.press("Escape");
}

test("open the page, click a server, crash it, make a write, see it commit", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1`, { width: 1280, height: 800 });
  try {
    assert.equal(await page.locator("svg.ring [data-server]").count(), 5);
    assert.match(await page.locator(".seed").textContent(), /seed 7/);
    assert.ok(await advanceUntil(page, (s) => s.leader !== null), "a leader is elected");
    const leader = (await state(page)).leader;
    const victim = (await state(page)).servers.find((s) => s.name !== leader);

    // Click the server: its menu opens; crash it from there.
    await page.click(`svg.ring [data-server="${victim.id}"]`);
    const menu = page.getByRole("menu", { name: `Actions on ${victim.name}` });
    await menu.waitFor();
    await menu.getByRole("menuitem", { name: `Crash ${victim.name}` }).click();
    await page.waitForSelector(`svg.ring [data-server="${victim.id}"][data-role="crashed"]`);
    assert.equal((await state(page)).servers[victim.id - 1].role, "crashed");

    // Write through the client panel.
    await page.getByRole("tab", { name: "Client" }).click();
    await page.getByLabel("Key to write").fill("k");
    await page.getByLabel("Value to write").fill("42");
    await page.getByRole("button", { name: "Write", exact: true }).click();
    assert.ok(
      await advanceUntil(page, (s) => s.client.length === 1 && s.client[0].status === "acknowledged"),
      "the write is acknowledged",
    );
    // Followers learn the new commit index with the leader's next AppendEntries.
    assert.ok(
      await advanceUntil(page, (s) =>
        s.servers.filter((x) => x.up).every((x) => x.log.some((e) => e.command === "k ← 42" && e.committed)),
      ),
      "committed on every running server",
    );
    await page.waitForSelector(".ops .op.acked");
    assert.match(await page.locator(".ops .op.acked").first().textContent(), /k ← 42.*acknowledged/);

    // Every running server's row of the log grid shows it committed.
    const s = await state(page);
    for (const srvState of s.servers.filter((x) => x.up)) {
      assert.ok(
        srvState.log.some((e) => e.command === "k ← 42" && e.committed),
        `${srvState.name} has k ← 42 committed`,
      );
      const cells = await page.locator(`[data-log="${srvState.id}"] .cell.committed .cmd`).allTextContents();
      assert.ok(cells.includes("k←42"), `${srvState.name}'s row shows k←42 committed: ${cells}`);
    }
    assert.equal(s.safety.safe, true);
    await page.screenshot({ path: path.join(SHOTS, "e2e-1280x800.png") });
    await inspectorFitsAndAvoidsItsMessage(page, 1280, 800);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("keyboard shortcuts go through the API: ?, Esc, digits, space, arrow", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=3&paused=1`);
  try {
    await page.locator("body").click({ position: { x: 5, y: 790 } });
    await page.keyboard.press("?");
    await page.getByRole("dialog", { name: "Help" }).waitFor();
    await page.keyboard.press("Escape");
    assert.equal(await page.getByRole("dialog", { name: "Help" }).count(), 0);
    await page.keyboard.press("2");
    await page.getByRole("menu", { name: "Actions on S2" }).waitFor();
    assert.equal((await state(page)).selected, "S2");
    await page.keyboard.press("Escape");
    const t0 = (await state(page)).now;
    await page.keyboard.press("ArrowRight");
    assert.ok((await state(page)).now > t0, "→ steps to the next event");
    await page.locator("body").click({ position: { x: 5, y: 790 } });
    await page.keyboard.press(" ");
    assert.equal((await state(page)).playing, true, "space plays");
    await page.keyboard.press(" ");
    assert.equal((await state(page)).playing, false, "space pauses");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("keys after mouse clicks: space plays after clicking a button or the slider; arrows stay in menus and tabs; focus returns", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=3&paused=1`);
  const active = () => page.evaluate(() => {
    const a = document.activeElement;
    return a ? (a.getAttribute("data-server") ? `server ${a.getAttribute("data-server")}` : a.id || a.textContent.trim()) : null;
  });
  try {
    // A mouse click on Step, then space: play, not a second step.
    await page.getByRole("button", { name: /^Step/ }).click();
    const t0 = (await state(page)).now;
    await page.keyboard.press(" ");
    let s = await state(page);
    assert.equal(s.playing, true, "space after clicking Step plays");
    await page.evaluate(() => window.raftPlayground.pause());
    // The same in a server's menu: a write clicked there is not sent again by space.
    await page.click('svg.ring [data-server="1"]');
    await page.getByRole("menu", { name: "Actions on S1" }).getByRole("menuitem", { name: /Client write/ }).click();
    await page.keyboard.press(" ");
    s = await state(page);
    assert.equal(s.client.length, 1, "one write, not two");
    assert.equal(s.playing, true, "space after a click in the menu plays");
    await page.evaluate(() => {
      window.raftPlayground.pause();
      window.raftPlayground.escape();
    });
    // Touching the speed slider: space and digits still work; arrows move the slider, not the run.
    await page.locator(".speed input").click();
    await page.keyboard.press(" ");
    assert.equal((await state(page)).playing, true, "space on the slider plays");
    await page.keyboard.press(" ");
    assert.equal((await state(page)).playing, false, "and pauses");
    const t1 = (await state(page)).now;
    assert.ok(t1 >= t0);
    await page.locator(".speed input").focus();
    await page.keyboard.press("ArrowRight");
    assert.equal((await state(page)).now, t1, "→ on the slider does not step");
    await page.keyboard.press("3");
    const menu = page.getByRole("menu", { name: "Actions on S3" });
    await menu.waitFor();
    // In the menu: ↓ / ↑ move between its items and do not step.
    assert.equal(await active(), "✕Crash S3");
    await page.keyboard.press("ArrowDown");
    assert.equal(await active(), "✂Disconnect");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    assert.match(await active(), /Client write/, "↑ from the first item wraps to the last");
    assert.equal((await state(page)).now, t1, "arrows in the menu do not step");
    // Esc closes it and gives the focus back to S3.
    await page.keyboard.press("Escape");
    assert.equal(await menu.count(), 0);
    assert.equal(await active(), "server 3");
    // The tab bar: ← / → move between the tabs and open them, without stepping.
    await page.locator("#tab-client").focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(await active(), "tab-events");
    assert.equal(await page.locator("#tab-events").getAttribute("aria-selected"), "true");
    await page.keyboard.press("ArrowLeft");
    assert.equal(await active(), "tab-client");
    assert.equal((await state(page)).now, t1, "arrows in the tab bar do not step");
    // The help dialog takes the focus and gives it back.
    await page.keyboard.press("?");
    await page.getByRole("dialog", { name: "Help" }).waitFor();
    assert.ok(await page.evaluate(() => !!document.activeElement.closest('[role="dialog"]')), "the dialog has the focus");
    await page.keyboard.press("Tab");
    assert.equal(await active(), "×", "Tab stays in the dialog");
    await page.keyboard.press("Escape");
    assert.equal(await page.getByRole("dialog", { name: "Help" }).count(), 0);
    assert.equal(await active(), "tab-client", "the focus is back where it was");
    // A keyboard user's space still clicks the focused button.
    await page.getByRole("button", { name: /^Step/ }).focus();
    await page.keyboard.press(" ");
    assert.ok((await state(page)).now > t1, "space on a focused Step button steps");
    assert.equal((await state(page)).playing, false);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("Setup refuses invalid timing with the engine's sentence, warns only about valid timing, says why a new run is off", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=4&paused=1`);
  try {
    await page.getByRole("tab", { name: "Setup" }).click();
    const apply = page.getByRole("button", { name: "Apply timing now" });
    const start = page.getByRole("button", { name: "Start a new run" });
    const problems = page.locator(".field-errors");
    const warnings = page.locator(".setup .warn");
    // An upside-down range: refused with the engine's sentence, and no "spread over 0 ms" warning.
    await page.getByLabel("Shortest election timeout (ms)").fill("300");
    await page.getByLabel("Longest election timeout (ms)").fill("150");
    assert.match(await problems.textContent(), /The election timeout 300\.\.150 is not valid: the low end is above the high end\./);
    assert.equal(await warnings.count(), 0, "no warnings about an invalid config");
    assert.equal(await apply.isDisabled(), true);
    assert.equal(await start.isDisabled(), true);
    assert.match(await page.locator("#run-why").textContent(), /timing below/);
    assert.equal(await page.getByLabel("Longest election timeout (ms)").getAttribute("aria-invalid"), "true");
    await page.getByLabel("Longest election timeout (ms)").fill("400");
    // A loss of 150 % or -3 % is refused, not just warned about.
    for (const bad of ["150", "-3"]) {
      await page.getByLabel("Share of messages lost (%)").fill(bad);
      assert.match(await problems.textContent(), new RegExp(`The loss must be a percentage from 0 to 100, not "${bad}"`));
      assert.equal(await warnings.count(), 0);
      assert.equal(await apply.isDisabled(), true);
    }
    // Latency: a negative or fractional number of ms is refused too.
    await page.getByLabel("Share of messages lost (%)").fill("40");
    await page.getByLabel("Shortest message delay (ms)").fill("-3");
    assert.match(await problems.textContent(), /shortest latency must be a whole number of milliseconds/);
    await page.getByLabel("Shortest message delay (ms)").fill("10");
    // Valid again: the warnings of that config, and Apply changes the run.
    assert.equal(await problems.count(), 0);
    assert.match(await warnings.allTextContents().then((w) => w.join(" ")), /40% of messages are lost/);
    assert.equal(await start.isDisabled(), false);
    await apply.click();
    const s = await state(page);
    assert.ok(s.warnings.some((w) => /40% of messages are lost/.test(w)), "the run now has that timing");
    assert.ok(s.events.some((e) => e.kind === "Settings"), "a Settings event");
    assert.equal(await apply.isDisabled(), true, "nothing left to apply");
    // A bad seed: the new run is off, and says why.
    await page.getByLabel("Seed (blank: a fresh random one)").fill("-1");
    assert.equal(await start.isDisabled(), true);
    assert.match(await page.locator("#run-why").textContent(), /The seed must be a whole number/);
    // Visible without scrolling at 1280x800.
    const box = await warnings.last().boundingBox();
    assert.ok(box.y + box.height <= 800, "the warnings are above the fold");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a visitor who prefers reduced motion gets a paused page, unless the address says otherwise", async () => {
  for (const [query, playing] of [["seed=2", false], ["seed=2&paused=0", true]]) {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?${query}`, { reducedMotion: "reduce" });
    try {
      assert.equal((await state(page)).playing, playing, query);
      if (!playing) assert.match(await page.locator(".hint").textContent(), /reduced motion/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
  const { page, context } = await openPage(env.browser, `${env.srv.url}index.html?seed=2`);
  try {
    assert.equal((await state(page)).playing, true, "others get a running page");
  } finally {
    await context.close();
  }
});

test("a wasm trap (how the release build panics) puts up the crash notice; other errors do not", async () => {
  const { page, context } = await openPage(env.browser, `${env.srv.url}index.html?seed=3&paused=1`);
  try {
    // An uncaught error that is not a trap: no notice.
    await page.evaluate(() => setTimeout(() => { throw new Error("not a trap"); }));
    await page.evaluate(() => Promise.reject(new TypeError("not a trap either")).catch(() => {}));
    await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
    assert.equal(await page.locator("#panic-overlay").count(), 0);
    // The panic strategy immediate-abort turns a panic into a trap: a RuntimeError out of a
    // callback (the window's "error") or out of a promise ("unhandledrejection").
    const overlay = page.getByRole("alert").filter({ hasText: "a bug made it panic" });
    for (const trap of [
      () => setTimeout(() => { throw new WebAssembly.RuntimeError("unreachable"); }),
      () => { Promise.reject(new WebAssembly.RuntimeError("unreachable")); },
    ]) {
      await page.evaluate(trap);
      await overlay.waitFor();
      assert.match(await overlay.locator("pre").textContent(), /RuntimeError: unreachable/);
      assert.equal(await overlay.getByRole("button", { name: "Reload the page" }).getAttribute("onclick"), "location.reload()");
      // Once: a second trap does not stack a second notice.
      await page.evaluate(trap);
      await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
      assert.equal(await page.locator("#panic-overlay").count(), 1);
      await page.evaluate(() => document.getElementById("panic-overlay").remove());
    }
  } finally {
    await context.close();
  }
});

test("a host page that made window.raftPlayground read-only or getter-only still gets a working page, and no error", async () => {
  for (const define of [
    () => Object.defineProperty(window, "raftPlayground", { value: "the host's", writable: false, configurable: false }),
    () => Object.defineProperty(window, "raftPlayground", { get: () => "the host's", configurable: false }),
  ]) {
    const { page, context, errors } = await newPage(env.browser);
    try {
      await page.addInitScript(define);
      await page.goto(`${env.srv.url}index.html?seed=3&paused=1`);
      await page.locator("svg.ring [data-server]").first().waitFor();
      // The name stays the host's (the page's keys, which go through it, are the host's
      // problem); the page started whole and threw nothing.
      assert.equal(await page.evaluate(() => window.raftPlayground), "the host's");
      assert.equal(await page.locator("svg.ring [data-server]").count(), 5);
      await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test("mounting the page again (mountPlayground) replaces it without an error: the old clock's last frame finds its closure", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=3`);
  try {
    // Playing: the clock asks for a frame every frame, so one is always pending when the page goes.
    for (let i = 0; i < 3; i++) {
      // Each page's object kept (`mounted[0]` is seed 10's), to read its time once it is gone.
      await page.evaluate((seed) => {
        const p = window.wasmBindings.mountPlayground(document.getElementById("raft-playground"), { seed });
        (window.mounted ||= []).push(p);
      }, 10 + i);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    }
    await page.evaluate(() => new Promise((r) => setTimeout(r, 200)));
    assert.match(await page.locator(".seed").textContent(), /seed 12/);
    assert.equal(await page.locator("svg.ring [data-server]").count(), 5);
    // The new page's clock runs; the old pages' clocks stopped (their time stands still
    // across frames and a backup tick while the new page plays).
    const before = await page.evaluate(() => window.mounted.map((p) => p.now()));
    const t = await page.evaluate(() => window.raftPlayground.now());
    await page.waitForFunction((t) => window.raftPlayground.now() > t, t);
    await page.evaluate(() => new Promise((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 300)));
    assert.ok((await page.evaluate(() => window.raftPlayground.now())) > t);
    const after = await page.evaluate(() => window.mounted.map((p) => p.now()));
    assert.deepEqual(after.slice(0, 2), before.slice(0, 2), "the old pages' time stands still");
    assert.ok(after[2] > before[2], "the last page's object is the new page's");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a partition cuts links, healing restores them; the safety badge stays green", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=5&paused=1`);
  try {
    assert.ok(await advanceUntil(page, (s) => s.leader !== null));
    await page.getByRole("tab", { name: "Network" }).click();
    await page.getByRole("button", { name: "Isolate the leader" }).click();
    assert.ok((await page.locator("svg.ring line.link.cut").count()) >= 4, "the leader's links are cut");
    assert.ok(await advanceUntil(page, (s) => s.servers.filter((x) => x.role === "leader").length === 2, 6000),
      "the majority elects its own leader while the old one still thinks it leads");
    await page.getByRole("button", { name: "Heal" }).click();
    assert.equal(await page.locator("svg.ring line.link.cut").count(), 0);
    assert.ok(await advanceUntil(page, (s) => s.servers.filter((x) => x.role === "leader").length === 1, 4000));
    assert.equal(await page.locator('[data-safety="ok"]').count(), 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("no scrollbars at 800x600 (the embed size) or 480x360; screenshots for review", async () => {
  for (const [width, height] of [
    [800, 600],
    [480, 360],
  ]) {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1&servers=9`, { width, height });
    try {
      assert.ok(await advanceUntil(page, (s) => s.leader !== null));
      await page.evaluate(() => {
        window.raftPlayground.write("x", 1);
        window.raftPlayground.advance(300);
      });
      await page.waitForTimeout(100);
      const scroll = await page.evaluate(() => ({
        x: document.documentElement.scrollWidth > innerWidth,
        y: document.documentElement.scrollHeight > innerHeight,
      }));
      assert.deepEqual(scroll, { x: false, y: false }, `no page scrollbars at ${width}x${height}`);
      // The ring and the essential controls are on screen.
      for (const sel of ["svg.ring", "button.play", ".speed input", ".seed", ".badge"]) {
        const box = await page.locator(sel).first().boundingBox();
        assert.ok(box && box.width > 0 && box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 0.5 && box.y + box.height <= height + 0.5,
          `${sel} is fully visible at ${width}x${height}`);
      }
      await page.screenshot({ path: path.join(SHOTS, `e2e-${width}x${height}.png`) });
      await inspectorFitsAndAvoidsItsMessage(page, width, height);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

// The embed example (www/embed.html) is tested across origins in e2e/embed.test.mjs.

test("the Network panel's chosen groups start from the groups in force whenever those change, and a choice stays until then", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=5&paused=1`);
  try {
    await page.getByRole("tab", { name: "Network" }).click();
    const pressed = (id, g) => page.getByRole("button", { name: `Put ${id} in group ${g}` }).getAttribute("aria-pressed");
    assert.equal(await pressed("S3", "A"), "true", "no partition: everyone in A");
    // A choice made in the panel stays while the groups in force stay.
    await page.getByRole("button", { name: "Put S4 in group C" }).click();
    await page.evaluate(() => window.raftPlayground.advance(200));
    assert.equal(await pressed("S4", "C"), "true");
    // A partition from elsewhere (the JS API): the choice starts from it.
    await page.evaluate(() => window.raftPlayground.partition([["S1", "S2"], ["S3", "S4", "S5"]]));
    await page.waitForTimeout(100);
    assert.equal(await pressed("S1", "A"), "true");
    assert.equal(await pressed("S4", "B"), "true", "S4 is in the partition's second group");
    assert.equal(await pressed("S4", "C"), "false");
    // Healed: everyone back in A.
    await page.evaluate(() => window.raftPlayground.heal());
    await page.waitForTimeout(100);
    for (const id of ["S1", "S3", "S4", "S5"]) assert.equal(await pressed(id, "A"), "true", `${id} back in A`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the Network panel gives the focus back to the button pressed, not to another with the same number", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=5&paused=1`);
  try {
    await page.getByRole("tab", { name: "Network" }).click();
    // S2's link button and S1's group A button carry the same number (data-t="1", data-g="1").
    await page.getByRole("button", { name: "Disconnect S2" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector('button[aria-label="Reconnect S2"]');
    await page.waitForTimeout(100);
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Reconnect S2");
    // Enter again reconnects S2 (and changes no group).
    await page.keyboard.press("Enter");
    await page.waitForSelector('button[aria-label="Disconnect S2"]');
    assert.equal(await page.getByRole("button", { name: "Put S1 in group A" }).getAttribute("aria-pressed"), "true");
    const s = await page.evaluate(() => window.raftPlayground.state());
    assert.equal(s.servers[1].disconnected, false, "S2 is connected again");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("Setup's options: a preset and a switch change the running cluster, recorded as events and in the share link", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=4&paused=1`);
  try {
    await page.getByRole("tab", { name: "Setup" }).click();
    const seedRaft = page.getByRole("button", { name: "The seed's Raft" });
    assert.equal(await seedRaft.getAttribute("aria-pressed"), "true", "the defaults are the seed's Raft");
    const before = await page.evaluate(() => window.raftPlayground.shareLink());
    await page.getByRole("button", { name: "Production Raft" }).click();
    assert.equal(await page.getByRole("button", { name: "Production Raft" }).getAttribute("aria-pressed"), "true");
    assert.equal(await seedRaft.getAttribute("aria-pressed"), "false");
    const texts = () => page.evaluate(() => window.raftPlayground.events(0, 1000).map((e) => e.text));
    const t = await texts();
    for (const line of ["options: fast log back-up on", "options: pre-vote on", "options: check-quorum on"]) {
      assert.ok(t.includes(line), `${line} in the feed: ${t.slice(-5)}`);
    }
    assert.equal(await page.locator('.opt input[data-opt="pre_vote"]').isChecked(), true);
    // A what-if switch, by its checkbox: marked as not Raft in the feed.
    await page.locator('.whatif input[data-opt="unsafe_stale_reads"]').click();
    assert.ok((await texts()).includes("what if (not Raft): reads from any server's own store on"));
    assert.equal(await page.locator(".preset[aria-pressed=true]").count(), 0, "no preset matches now");
    // Read mode: a radio button.
    await page.getByRole("radio", { name: "lease" }).click();
    assert.ok((await texts()).includes("options: read mode lease"));
    // The history has the changes: the share link grew and replays them.
    const after = await page.evaluate(() => window.raftPlayground.shareLink());
    assert.notEqual(after, before);
    await page.goto(after);
    await page.getByRole("tab", { name: "Setup" }).click();
    assert.equal(await page.locator('.opt input[data-opt="pre_vote"]').isChecked(), true, "replayed from the link");
    assert.equal(await page.getByRole("radio", { name: "lease" }).isChecked(), true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the Diagram tab's Export SVG saves the drawing shown, made when clicked", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1`, { width: 1280, height: 800 });
  try {
    await advanceUntil(page, (s) => s.leader !== null && s.messages.length > 0);
    await page.evaluate(() => window.raftPlayground.advance(300)); // (the leader's heartbeats too)
    await page.getByRole("tab", { name: "Diagram" }).click();
    const arrows = Number(await page.locator(".diagram").getAttribute("data-arrows"));
    assert.ok(arrows > 0, "arrows drawn");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export SVG" }).click()]);
    assert.equal(download.suggestedFilename(), "raft-diagram.svg");
    const file = (await import("node:fs")).readFileSync(await download.path(), "utf8");
    assert.match(file, /^<\?xml/);
    assert.match(file, /<title>Raft Playground: space-time diagram<\/title>/);
    // It stands on its own: well-formed XML (the browser's own parser), an SVG
    // root sized as its viewBox, fonts named, nothing fetched from elsewhere.
    const parsed = await page.evaluate((text) => {
      const d = new DOMParser().parseFromString(text, "image/svg+xml");
      const r = d.documentElement;
      return { error: d.getElementsByTagName("parsererror").length, root: r.localName, ns: r.namespaceURI, viewBox: r.getAttribute("viewBox"), size: `${r.getAttribute("width")} ${r.getAttribute("height")}`, font: r.getAttribute("font-family") };
    }, file);
    assert.equal(parsed.error, 0, "parses as XML");
    assert.equal(parsed.root, "svg");
    assert.equal(parsed.ns, "http://www.w3.org/2000/svg");
    assert.equal(`0 0 ${parsed.size}`, parsed.viewBox, "width and height as the viewBox");
    assert.match(parsed.font, /system-ui|sans-serif/);
    assert.doesNotMatch(file, /href=|url\(|<script|<image|<foreignObject|@import/);
    // The same arrows as the panel shows.
    assert.equal((file.match(/<g[^>]* data-id="/g) || []).length, await page.locator(".diagram-svg g[data-id]").count());
    // What the filter hides is not in the file either: with heartbeats hidden, no heartbeat.
    assert.match(file, /<title>#\d+ Heartbeat /);
    await page.getByRole("button", { name: /^Filter/ }).click();
    await page.locator(".dfilter label", { hasText: /^Heartbeat$/ }).locator("input").click();
    const [again] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export SVG" }).click()]);
    const filtered = (await import("node:fs")).readFileSync(await again.path(), "utf8");
    assert.doesNotMatch(filtered, /<title>#\d+ Heartbeat /);
    assert.equal((filtered.match(/<g[^>]* data-id="/g) || []).length, await page.locator(".diagram-svg g[data-id]").count());
    assert.ok(await page.locator(".diagram-svg g[data-id]").count() > 0, "the other arrows stay");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the mouse wheel on the Diagram moves its window back and on, no further than \"now\", and stops following", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1`, { width: 1280, height: 800 });
  try {
    await advanceUntil(page, (s) => s.leader !== null);
    await page.evaluate(() => window.raftPlayground.advance(3000));
    await page.getByRole("tab", { name: "Diagram" }).click();
    const diagram = page.locator(".diagram");
    // The time axis's first label (ms) and whether "now" is drawn (1 ms a pixel at the default zoom).
    const look = () =>
      page.evaluate(async () => {
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const texts = [...document.querySelectorAll(".diagram-svg text")].map((t) => t.textContent);
        const axis = texts.filter((t) => /^\d+ ms$/.test(t)).map((t) => parseInt(t, 10));
        return { first: Math.min(...axis), now: texts.some((t) => /^now \d+ ms$/.test(t)), follow: document.querySelector(".diagram").dataset.follow };
      });
    const before = await look();
    assert.equal(before.follow, "true");
    assert.ok(before.now, "following: \"now\" is drawn");
    const box = await page.locator(".diagram-svg").boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    // Up: back in time by about the wheel's pixels (ticks every 100 ms), no longer following.
    await page.mouse.wheel(0, -400);
    await page.waitForFunction(() => document.querySelector(".diagram").dataset.follow === "false");
    const back = await look();
    assert.ok(before.first - back.first >= 300 && before.first - back.first <= 500, `back 400 ms: ${before.first} -> ${back.first}`);
    // Down: on in time, but no further than following would show ("now" in view again).
    const first = () => page.evaluate(() => Math.min(...[...document.querySelectorAll(".diagram-svg text")].filter((t) => /^\d+ ms$/.test(t.textContent)).map((t) => parseInt(t.textContent, 10))));
    await page.mouse.wheel(0, 150);
    await page.waitForFunction((f) => [...document.querySelectorAll(".diagram-svg text")].every((t) => t.textContent !== `${f} ms`), back.first);
    const on = await first();
    assert.ok(on > back.first && on <= back.first + 200, `on 150 ms: ${back.first} -> ${on}`);
    await page.mouse.wheel(0, 5000);
    await page.waitForFunction(() => [...document.querySelectorAll(".diagram-svg text")].some((t) => /^now \d+ ms$/.test(t.textContent)));
    const end = await look();
    assert.equal(end.first, before.first, "stopped where following puts the window");
    assert.equal(end.follow, "false", "the wheel does not follow");
    // Not following: "now" runs on out of the window; Follow now brings it back.
    await page.evaluate(() => window.raftPlayground.advance(800));
    assert.equal((await look()).now, false);
    await page.getByRole("button", { name: "Follow now" }).click();
    const resumed = await look();
    assert.ok(resumed.now && resumed.follow === "true");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the Diagram follows \"now\" in whole steps, stops following when scrolled back, and Follow now resumes", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1`, { width: 1280, height: 800 });
  try {
    await advanceUntil(page, (s) => s.leader !== null);
    await page.evaluate(() => window.raftPlayground.advance(3000));
    await page.getByRole("tab", { name: "Diagram" }).click();
    const diagram = page.locator(".diagram");
    // "Now" as drawn: its time, the height of its line (px of the drawing, as tall as its box), and the time axis's place.
    const look = () =>
      page.evaluate(() => {
        const text = [...document.querySelectorAll(".diagram-svg text")].find((t) => /^now \d+ ms$/.test(t.textContent));
        const axis = [...document.querySelectorAll(".diagram-svg text")].find((t) => / ms$/.test(t.textContent) && !t.textContent.startsWith("now"));
        return {
          now: text ? Number(text.textContent.split(" ")[1]) : null,
          // (Its line and words in a group moved to "now": `translate(0 y)`.)
          y: text ? Number(/^translate\(0 (-?[\d.]+)\)$/.exec(text.parentElement.getAttribute("transform"))?.[1] ?? NaN) : null,
          axis: axis ? `${axis.textContent} ${axis.parentElement.getAttribute("transform")}` : null,
          height: Number(document.querySelector(".diagram-svg svg").getAttribute("viewBox").split(" ")[3]),
          state: window.raftPlayground.state().now,
        };
      });
    const step = async (ms) => {
      await page.evaluate((ms) => window.raftPlayground.advance(ms), ms);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      return look();
    };
    assert.equal(await diagram.getAttribute("data-follow"), "true", "it follows at first");
    // Following: "now" is drawn at its time, in the drawing's lower part; it moves down across a
    // still window (the time axis stays put) and the window jumps on by a step when "now" reaches its line.
    let before = await look();
    let jumps = 0;
    for (let i = 0; i < 30; i++) {
      const after = await step(8);
      assert.equal(after.now, after.state, "\"now\" drawn at the cluster's time");
      assert.ok(after.y > after.height - 24 - 64 - 1 && after.y <= after.height - 24 + 0.5, `"now" in the lower part: ${after.y} of ${after.height}`);
      if (after.y > before.y) assert.equal(after.axis, before.axis, "between steps the window stays put");
      else jumps++;
      before = after;
    }
    assert.ok(jumps >= 2 && jumps <= 5, `240 ms at 1 ms a pixel: about 4 steps of 64 px (${jumps})`);
    // Scrolled back: it no longer follows, and "now" runs on out of the window.
    await page.getByRole("button", { name: "▲ Earlier" }).click();
    assert.equal(await diagram.getAttribute("data-follow"), "false");
    const back = await step(1);
    const later = await step(600);
    assert.equal(later.axis, back.axis, "the window stays where the visitor put it");
    assert.equal(later.now, null, "\"now\" is below the window");
    // Follow now: "now" in view again, at its time.
    await page.getByRole("button", { name: "Follow now" }).click();
    assert.equal(await diagram.getAttribute("data-follow"), "true");
    const resumed = await step(1);
    assert.equal(resumed.now, resumed.state);
    assert.ok(resumed.y > resumed.height - 24 - 64 - 1 && resumed.y <= resumed.height - 24 + 0.5, `"now" in view: ${resumed.y}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the Diagram is as tall as its panel: following, \"now\" and the lane names show without scrolling", async () => {
  for (const [width, height] of [[1280, 800], [800, 600]]) {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=3&servers=9&paused=1`, { width, height });
    try {
      await advanceUntil(page, (s) => s.leader !== null);
      await page.evaluate(() => window.raftPlayground.advance(4000));
      await page.getByRole("tab", { name: "Diagram" }).click();
      // Drawn at its box's size once the box is measured: the first frame after the tab
      // opens may draw at the default size before that (the drawing is sized by its own
      // width and height since session 31, no longer stretched by the style sheet).
      const fitted = () =>
        page.waitForFunction(() => {
          const box = document.querySelector(".diagram-svg");
          return Number(box?.querySelector("svg")?.getAttribute("viewBox").split(" ")[3]) === box.clientHeight - 2;
        }, null, { timeout: 5000 });
      await fitted().catch(() => {});
      const inside = () =>
        page.evaluate(() => {
          const body = document.querySelector(".tab-panel");
          const b = body.getBoundingClientRect();
          const texts = [...document.querySelectorAll(".diagram-svg text")];
          const now = texts.find((t) => /^now \d+ ms$/.test(t.textContent));
          const boxes = {
            now: now && now.previousElementSibling.getBoundingClientRect(),
            S1: texts.find((t) => t.textContent === "S1")?.getBoundingClientRect(),
            client: texts.find((t) => t.textContent === "client")?.getBoundingClientRect(),
          };
          const out = Object.entries(boxes)
            // Top to bottom inside the panel body; S1 across too (narrower than 520 px the drawing scrolls sideways).
            .filter(([k, r]) => !r || r.top < b.top || r.bottom > b.bottom || (k === "S1" && (r.left < b.left || r.right > b.right)))
            .map(([k, r]) => `${k} ${r ? `${r.left},${r.top}..${r.right},${r.bottom}` : "missing"}`);
          return { out, scrolled: body.scrollTop, panel: `${b.left},${b.top}..${b.right},${b.bottom}` };
        });
      for (let i = 0; i < 6; i++) {
        const r = await inside();
        assert.deepEqual(r.out, [], `at ${width}x${height}, inside the panel ${r.panel}`);
        assert.equal(r.scrolled, 0, "the panel body is not scrolled");
        await page.evaluate(() => window.raftPlayground.advance(23));
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      }
      // The window made smaller: the drawing follows its box, "now" still inside.
      await page.setViewportSize({ width, height: height - 120 });
      // (Until it has drawn at its box's new size, up to 5 s: its redraw may come some frames
      // later on a busy machine, see the next test.)
      await fitted().catch(() => {});
      const r = await inside();
      assert.deepEqual(r.out, [], `at ${width}x${height - 120}, inside the panel ${r.panel}`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test("the Diagram follows its box when the log grid above it grows (servers added)", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=3&servers=3&paused=1`, { width: 1280, height: 800 });
  try {
    await advanceUntil(page, (s) => s.leader !== null);
    await page.getByRole("tab", { name: "Diagram" }).click();
    // What the page draws after a change is not all done two animation frames later: Yew's
    // scheduler yields to the browser (a setTimeout) once it has worked 16 ms, and the log grid's
    // rows and the Diagram's measured size are written by effects, which can then run after
    // those frames (on a busy machine the grid was seen 1 to 3 rows short of the servers). So
    // wait until the grid has a row per server and the drawing has had time to follow its box
    // (up to 5 s, not a fixed number of frames); the assertions below then say whether it did.
    const look = async () => {
      await page
        .waitForFunction(
          () => {
            const box = document.querySelector(".diagram-svg");
            const drawn = Number(box?.querySelector("svg")?.getAttribute("viewBox").split(" ")[3]);
            const rows = document.querySelectorAll(".loggrid tbody tr").length;
            return rows === window.raftPlayground.state().servers.length && drawn === box.clientHeight - 2;
          },
          null,
          { timeout: 5000 },
        )
        .catch(() => {});
      return page.evaluate(() => {
        const box = document.querySelector(".diagram-svg");
        const rows = document.querySelectorAll(".loggrid tbody tr").length;
        return { drawn: Number(box.querySelector("svg").getAttribute("viewBox").split(" ")[3]), room: box.clientHeight, rows };
      });
    };
    const before = await look();
    assert.equal(before.drawn, before.room - 2, "as tall as its box (less its border)");
    for (let i = 0; i < 4; i++) {
      await page.evaluate(() => window.raftPlayground.addServer());
      await page.evaluate(() => window.raftPlayground.advance(1500));
    }
    const after = await look();
    assert.equal(after.rows, 7, "a row per server in the log grid");
    assert.ok(after.room < before.room - 100, `the grid's rows took room: ${before.room} -> ${after.room}`);
    assert.equal(after.drawn, after.room - 2, "the drawing followed its box");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
