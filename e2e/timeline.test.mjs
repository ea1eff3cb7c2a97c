// End-to-end tests of time travel on the page (issue 8): the timeline strip
// under the ring, the keys that walk through time, branches.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { serveDist, launch, openPage, advanceUntil, state, SHOTS, NO_SCRIPT_PANEL, SCRIPT_PANEL } from "./lib.mjs";

let srv;
let browser;
before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  srv = await serveDist();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.close();
});

const now = (page) => page.evaluate(() => window.raftPlayground.now());
const hash = (page) => page.evaluate(() => window.raftPlayground.traceHash());

/** The share link's code (after `#run=`) of a run of `seed` advanced 3 virtual seconds, from a page closed after. */
async function linkCodeOf(seed) {
  const { page, context } = await openPage(browser, `${srv.url}index.html?seed=${seed}&paused=1`);
  try {
    await page.evaluate(() => window.raftPlayground.advance(3000));
    return (await page.evaluate(() => window.raftPlayground.shareLink())).split("#run=")[1];
  } finally {
    await context.close();
  }
}

/** A run with a crash, writes and a partition, 12 virtual seconds long, paused at its end. */
async function eventfulRun(page) {
  assert.ok(await advanceUntil(page, (s) => s.leader !== null), "a leader is elected");
  await page.evaluate(() => {
    const rp = window.raftPlayground;
    for (let i = 0; i < 10; i++) {
      rp.write("x", i);
      rp.advance(200);
    }
    rp.crash(rp.state().leader);
    rp.advance(3000);
    rp.partition([[1, 2]]);
    rp.advance(2000);
    rp.heal();
    rp.advance(12000 - rp.now());
  });
}

test("seek back and forth gives the state() the run had at each moment", async () => {
  const { page, context, errors } = await openPage(browser, `${srv.url}index.html?seed=41&paused=1`);
  try {
    // state() as the run first passed each moment (none of them has an action of its own).
    const seen = await page.evaluate(() => {
      const rp = window.raftPlayground;
      const out = [];
      // (A moment with an action is shown after it: those are left out.)
      for (let i = 0; i < 42; i++) {
        rp.advance(97 + ((i * 53) % 200));
        if (i === 15) rp.write("k", 7);
        else if (i === 25) rp.crash(2);
        else out.push([rp.now(), JSON.stringify(rp.state())]);
      }
      return out;
    });
    const order = [39, 0, 20, 7, 33, 15, 25, 26, 2, 38, 11, 30];
    for (const k of order) {
      const [t, want] = seen[k];
      const got = await page.evaluate((t) => {
        const rp = window.raftPlayground;
        return [rp.seek(t), JSON.stringify(rp.state())];
      }, t);
      assert.equal(got[0], t, "seek returns the moment reached");
      assert.ok(got[1] === want, `state() at ${t} ms is what it was`);
      // The page draws that moment: the strip's cursor, the clock of the strip.
      await page.waitForFunction((t) => document.querySelector(".tl-strip").getAttribute("aria-valuenow") === String(t), t);
      assert.equal(await page.locator(".tl-now").first().textContent(), `${t === seen[39][0] ? "" : "Viewing "}${(t / 1000).toFixed(3)} s`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the keys walk through time: ← → one event, Shift one second, Home and End", async () => {
  const { page, context, errors } = await openPage(browser, `${srv.url}index.html?seed=42&paused=1`);
  try {
    await eventfulRun(page);
    const end = await now(page);
    // → steps forward through the moments the run stops at; ← walks them back.
    await page.keyboard.press("Home");
    assert.equal(await now(page), 0);
    const forward = [0];
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press("ArrowRight");
      forward.push(await now(page));
    }
    assert.ok(forward[15] > 0);
    for (let i = 14; i >= 0; i--) {
      await page.keyboard.press("ArrowLeft");
      assert.equal(await now(page), forward[i], `← goes back to ${forward[i]} ms`);
    }
    await page.keyboard.press("End");
    assert.equal(await now(page), end, "End: the latest moment");
    await page.keyboard.press("Shift+ArrowLeft");
    assert.equal(await now(page), end - 1000, "Shift+←: one virtual second back");
    await page.keyboard.press("Shift+ArrowLeft");
    await page.keyboard.press("Shift+ArrowRight");
    assert.equal(await now(page), end - 1000);
    assert.equal((await state(page)).playing, false, "walking through time never starts the clock");
    // The page says it shows the past, and the Latest button goes back.
    const head = page.locator(".tl-head.past");
    assert.match(await head.textContent(), /Viewing 11\.000 s\s*— latest 12\.000 s/);
    await head.getByRole("button", { name: /Latest/ }).click();
    assert.equal(await now(page), end);
    assert.equal(await page.locator(".tl-head.past").count(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the strip: a click goes to that moment, a mark's tooltip says what happened, a drag scrubs", async () => {
  const { page, context, errors } = await openPage(browser, `${srv.url}index.html?seed=43&paused=1`);
  try {
    await eventfulRun(page);
    const strip = page.locator(".tl-strip");
    const box = await strip.boundingBox();
    // The crash mark, where the strip draws it: its tooltip names the crash; a click goes there.
    const crash = await page.evaluate(() => {
      const rp = window.raftPlayground;
      const all = rp.events(0);
      return all.find((e) => e.data.type === "crashed");
    });
    const x = box.x + (crash.time / 12000) * box.width;
    await page.mouse.move(x, box.y + box.height / 2);
    const tip = page.locator(".tl-tip");
    await tip.waitFor();
    assert.match(await tip.textContent(), new RegExp(`${(crash.time / 1000).toFixed(3)} s · .*— ${crash.text.replace(/[()]/g, ".")}`));
    await page.mouse.down();
    await page.mouse.up();
    assert.equal(await now(page), crash.time, "a click on a mark goes to its moment");
    assert.equal((await state(page)).servers.filter((s) => !s.up).length, 1, "the crash is shown");
    // A drag from a quarter to a half of the strip scrubs through the run.
    const y = box.y + 3;
    await page.mouse.move(box.x + box.width / 4, y);
    await page.mouse.down();
    const seen = [];
    for (let i = 1; i <= 5; i++) {
      await page.mouse.move(box.x + (box.width / 4) * (1 + i / 5), y);
      seen.push(await now(page));
    }
    await page.mouse.up();
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i] > seen[i - 1], `dragging right goes later: ${seen}`);
    assert.ok(Math.abs(seen[4] - 6000) <= 12000 / box.width + 1, `half way is 6 s: ${seen[4]}`);
    await page.screenshot({ path: `${SHOTS}/timeline-1280x800.png` });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("acting in the past forks a branch; the branch list switches back to the run it came from", async () => {
  const { page, context, errors } = await openPage(browser, `${srv.url}index.html?seed=44&paused=1`);
  try {
    await eventfulRun(page);
    const [end, before] = [await now(page), await hash(page)];
    await page.keyboard.press("Home");
    for (let i = 0; i < 4; i++) await page.keyboard.press("Shift+ArrowRight");
    assert.equal(await now(page), 4000);
    // Act: crash a running server from its menu.
    const up = (await state(page)).servers.find((v) => v.up).id;
    await page.click(`svg.ring [data-server="${up}"]`);
    await page.getByRole("menu", { name: `Actions on S${up}` }).getByRole("menuitem", { name: /Crash/ }).click();
    const list = page.locator(".tl-branches");
    await list.waitFor();
    const name = `branch 2: crash S${up} at 4s`;
    assert.deepEqual(await list.locator(".branch").allTextContents(), [name, "branch 1"]);
    assert.equal(await list.locator(".branch.current").textContent(), name);
    assert.match(await page.locator(".hint").textContent(), /branch 2 starts here/);
    // The new branch ends where it forked: nothing of the old future is in it.
    assert.equal((await page.evaluate(() => window.raftPlayground.branches()))[1].latest, 4000);
    await page.evaluate(() => window.raftPlayground.advance(1500));
    await page.screenshot({ path: `${SHOTS}/timeline-branches-1280x800.png` });
    // Back to the first run, at its latest moment, exactly as it was.
    await list.getByRole("button", { name: "branch 1" }).click();
    assert.equal(await now(page), end);
    assert.equal(await hash(page), before);
    assert.equal(await list.locator(".branch.current").textContent(), "branch 1");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a share link opened in a fresh page shows the same moment, paused, with the same trace hash", async () => {
  const { page, context, errors } = await openPage(browser, `${srv.url}index.html?seed=45&paused=1`);
  try {
    await eventfulRun(page);
    // A fork, so that the link holds a branch's actions, and a moment in its past.
    await page.evaluate(() => {
      const rp = window.raftPlayground;
      rp.seek(7000);
      rp.write("y", 9);
      rp.advance(2000);
      rp.seek(8200);
    });
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.getByRole("button", { name: "Share" }).click();
    const box = page.locator(".share-box");
    await box.locator('[data-copied="yes"]').waitFor();
    assert.match(await box.textContent(), /Link copied/);
    const link = await page.evaluate(() => window.raftPlayground.shareLink());
    assert.equal(await box.locator("input").inputValue(), link);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    assert.match(link, /\/sub\/index\.html\?seed=45&paused=1&servers=5#run=[A-Za-z0-9_-]+$/);
    const [want, wantState] = [await hash(page), await state(page)];
    assert.equal(wantState.now, 8200);
    // A fresh page (a fresh browser context) opens the link.
    const other = await openPage(browser, link, { width: 800, height: 600 });
    try {
      assert.equal(await hash(other.page), want);
      const got = await state(other.page);
      assert.equal(got.now, 8200);
      assert.equal(got.playing, false, "paused");
      assert.deepEqual(got.servers, wantState.servers);
      assert.deepEqual(got.messages, wantState.messages);
      assert.match(await other.page.locator(".hint").textContent(), /Opened the shared run at 8\.200 s, paused/);
      // Its future is the branch's: playing on gives what the first page saw.
      const [h1, h2] = await Promise.all([page, other.page].map((p) => p.evaluate(() => {
        const rp = window.raftPlayground;
        rp.seek(9000);
        return rp.traceHash();
      })));
      assert.equal(h1, h2, "the same future");
      assert.deepEqual(other.errors, []);
    } finally {
      await other.context.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the address keeps a share link's fragment while the page shows its run, and drops it (nothing else) once a new run leaves it", async () => {
  const code = await linkCodeOf(48);
  const url = `${srv.url}index.html?keep=me&seed=48&paused=1&servers=5#run=${code}`;
  const { page, context, errors } = await openPage(browser, url);
  const where = () => page.evaluate(() => ({ search: location.search, hash: location.hash, entries: history.length }));
  try {
    await page.locator(".hint").filter({ hasText: "Opened the shared run" }).waitFor();
    const opened = await where();
    assert.equal(opened.hash, `#run=${code}`, "the link's run is the page's: its fragment stays");
    assert.equal(opened.search, "?keep=me&seed=48&paused=1&servers=5");
    // Moving through the link's run does not leave it.
    await page.evaluate(() => {
      const rp = window.raftPlayground;
      rp.seek(1000);
      rp.advance(500);
    });
    assert.equal((await where()).hash, `#run=${code}`);
    // A new run: the fragment goes, the settings follow the run in place, the other keys stay.
    await page.evaluate(() => window.raftPlayground.reset({ servers: 3, seed: 49 }));
    await page.waitForFunction(() => location.search.includes("seed=49"));
    const left = await where();
    assert.equal(left.hash, "", "the new run is not the link's: its fragment goes");
    assert.equal(left.search, "?keep=me&seed=49&paused=1&servers=3");
    assert.equal(left.entries, opened.entries, "replaced, no history entry");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a malformed, truncated or tampered link shows a clear notice over the default playground", async () => {
  const code = await linkCodeOf(46);
  const flip = (s, i) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
  const cases = [
    ["truncated", code.slice(0, -6), /truncated|cut/],
    ["tampered", flip(code, Math.floor(code.length / 2)), /changed/],
    ["malformed", "this is not a link!", /a character it cannot hold/],
    ["empty", "", /holds no run/],
  ];
  for (const [what, bad, said] of cases) {
    const url = `${srv.url}index.html?seed=47&servers=3&paused=1#run=${bad}`;
    const { page, context, errors } = await openPage(browser, url, { width: 480, height: 360 });
    try {
      const notice = page.locator('.hint[data-notice="error"]');
      await notice.waitFor();
      const text = await notice.textContent();
      assert.match(text, /This link could not be opened: .*\. Here is a new run instead\./, `${what}: ${text}`);
      assert.match(text, said, `${what}: ${text}`);
      assert.ok(await notice.isVisible(), `${what}: the notice is visible even at 480x360`);
      const s = await state(page);
      assert.equal(s.seed, 47, `${what}: the address's playground`);
      assert.equal(s.servers.length, 3);
      assert.equal(s.now, 0);
      assert.deepEqual(errors, [], what);
      if (what === "tampered") await page.screenshot({ path: `${SHOTS}/bad-link-480x360.png` });
    } finally {
      await context.close();
    }
  }
});

test("a script exported, then imported by upload or by dropping its file, replays identically", { skip: NO_SCRIPT_PANEL }, async () => {
  const { page, context, errors } = await openPage(browser, `${srv.url}index.html?seed=48&paused=1`);
  try {
    await eventfulRun(page);
    await page.evaluate(() => window.raftPlayground.seek(9000));
    const [end, before] = [await now(page), await hash(page)];
    await page.getByRole("tab", { name: "Script" }).click();
    const area = page.locator("textarea.script-text");
    // The page asks the script worker to write the run as a script.
    await page.waitForFunction(() => document.querySelector("textarea.script-text")?.value.startsWith("# A Raft Playground run"));
    const exported = await area.inputValue();
    assert.match(exported, /^# A Raft Playground run/);
    assert.match(exported, /at [\d.]+s crash S\d/);
    // Download gives the same text.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download" }).click()]);
    const file = await download.path();
    assert.equal(fs.readFileSync(file, "utf8"), exported);
    await page.screenshot({ path: `${SHOTS}/script-1280x800.png` });
    // Upload: the file runs at once, from its start, and is the same run.
    await page.evaluate(() => window.raftPlayground.reset({ seed: 1 }));
    await page.locator('.script-panel input[type="file"]').setInputFiles({ name: "run.txt", mimeType: "text/plain", buffer: Buffer.from(exported) });
    await page.waitForFunction(() => window.raftPlayground.state().seed === 48);
    await page.locator(".hint", { hasText: /The script ran to 9\.000 s and plays from its start/ }).waitFor();
    await page.evaluate((t) => { const rp = window.raftPlayground; rp.pause(); rp.seek(t); }, end);
    assert.equal(await hash(page), before, "upload: the same run");
    // Dropped onto the page (anywhere): the same.
    await page.evaluate(() => window.raftPlayground.reset({ seed: 2 }));
    const dt = await page.evaluateHandle((text) => {
      const d = new DataTransfer();
      d.items.add(new File([text], "run.txt", { type: "text/plain" }));
      return d;
    }, exported);
    await page.dispatchEvent("svg.ring", "drop", { dataTransfer: dt });
    await page.waitForFunction(() => window.raftPlayground.state().seed === 48);
    await page.evaluate((t) => { const rp = window.raftPlayground; rp.pause(); rp.seek(t); }, end);
    assert.equal(await hash(page), before, "drop: the same run");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a bad script's error names its line; the page keeps the run it had", { skip: NO_SCRIPT_PANEL }, async () => {
  const { page, context, errors } = await openPage(browser, `${srv.url}index.html?seed=49&paused=1`);
  try {
    await eventfulRun(page);
    const [end, before] = [await now(page), await hash(page)];
    await page.evaluate(() => window.raftPlayground.showPanel("script"));
    const area = page.locator("textarea.script-text");
    await area.fill("servers 5\nseed 3\n\nat 1s crash S2\nat 2s partition S1 S2 | S3 S4 S7\nwait 1s\n");
    await page.getByRole("button", { name: "Run the script" }).click();
    const error = page.locator(".script-error");
    assert.match(await error.textContent(), /^line 5, column 31: there is no server S7/);
    assert.equal(await page.locator(".gutter .bad-line").textContent(), "5");
    assert.match(await page.locator(".hint").textContent(), /the script was not run, line 5/);
    assert.equal(await now(page), end);
    assert.equal(await hash(page), before, "the run it had");
    // A click on the error selects the line in the editor.
    await error.click();
    const selected = await area.evaluate((el) => el.value.slice(el.selectionStart, el.selectionEnd));
    assert.equal(selected, "at 2s partition S1 S2 | S3 S4 S7");
    // An expectation that fails: the script runs, its line is marked with what was seen.
    await area.fill("servers 3\nseed 5\nwait until leader within 5s\nexpect term S1 42\n");
    await page.getByRole("button", { name: "Run the script" }).click();
    // The script worker answers a moment later.
    await page.waitForFunction(() => document.querySelector(".script-error")?.textContent.startsWith("line 4"));
    assert.match(await error.textContent(), /^line 4 \(at [\d.]+ s\): .*42/);
    assert.equal(await page.locator(".gutter .bad-line").textContent(), "4");
    assert.equal((await state(page)).servers.length, 3, "the script's run");
    await page.screenshot({ path: `${SHOTS}/script-failed-1280x800.png` });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a script run in the script worker gives the trace hash the engine gives natively", { skip: NO_SCRIPT_PANEL }, async () => {
  // The scenario's file ends with the trace of its native run (tests/scenario_files.rs checks it).
  const file = fs.readFileSync(new URL("../scenarios/split-vote.txt", import.meta.url), "utf8");
  const expected = file.match(/^# trace hash 0x([0-9a-f]{16})$/m)[1];
  const { page, context, errors } = await openPage(browser, `${srv.url}index.html?seed=51&paused=1`);
  try {
    await page.evaluate(() => window.raftPlayground.showPanel("script"));
    const area = page.locator("textarea.script-text");
    await area.fill(file);
    await page.getByRole("button", { name: "Run the script" }).click();
    await page.waitForFunction(() => window.raftPlayground.state().seed === 1);
    // (The notice is drawn with the page's next frame.)
    await page.waitForFunction(() => document.querySelector(".hint")?.textContent.includes("The script ran to"));
    const [hash, notice] = await page.evaluate(() => {
      const rp = window.raftPlayground;
      rp.pause();
      rp.seek(rp.branches().find((b) => b.current).latest);
      return [rp.traceHash(), document.querySelector(".hint").textContent];
    });
    assert.equal(hash, expected, "the worker's run is the native run");
    assert.match(notice, /The script ran to [\d.]+ s and plays from its start: (\d+) of \1 expectations met/);
    // The same script again: the same run.
    await page.evaluate(() => window.raftPlayground.reset({ seed: 52 }));
    await page.getByRole("button", { name: "Run the script" }).click();
    await page.waitForFunction(() => window.raftPlayground.state().seed === 1);
    const again = await page.evaluate(() => {
      const rp = window.raftPlayground;
      rp.pause();
      rp.seek(rp.branches().find((b) => b.current).latest);
      return rp.traceHash();
    });
    assert.equal(again, expected);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a script with a bad line, run while the page plays, marks the line and the run plays on", { skip: NO_SCRIPT_PANEL }, async () => {
  const { page, context, errors } = await openPage(browser, `${srv.url}index.html?seed=53`);
  try {
    await page.evaluate(() => window.raftPlayground.play());
    const before = await page.evaluate(() => window.raftPlayground.state().seed);
    await page.evaluate(() => window.raftPlayground.showPanel("script"));
    const area = page.locator("textarea.script-text");
    await area.fill("servers 3\nseed 4\nwait 1s\nexpect leader S7\nwait 2s\n");
    const t0 = await now(page);
    await page.getByRole("button", { name: "Run the script" }).click();
    await page.waitForFunction(() => document.querySelector(".gutter .bad-line")?.textContent === "4");
    assert.match(await page.locator(".script-error").textContent(), /^line 4, column \d+: /);
    assert.match(await page.locator(".hint").textContent(), /the script was not run, line 4/);
    assert.equal((await state(page)).seed, before, "the run it had");
    // The page kept playing: its clock moves on.
    await page.waitForFunction((t) => window.raftPlayground.now() > t, t0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a script worker that does not load is said in the notice; the page goes on", { skip: NO_SCRIPT_PANEL }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route("**/script-worker.js", (r) => r.abort());
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await page.goto(`${srv.url}index.html?seed=54&paused=1`);
    await page.waitForFunction(() => window.raftPlayground);
    await page.evaluate(() => window.raftPlayground.showPanel("script"));
    await page.waitForFunction(() => document.querySelector(".hint")?.textContent.includes("the script language could not answer"));
    await page.locator("textarea.script-text").fill("servers 3\nwait 1s\n");
    await page.getByRole("button", { name: "Run the script" }).click();
    await page.waitForFunction(() => /could not answer: its worker did not load/.test(document.querySelector(".hint")?.textContent));
    assert.equal((await state(page)).seed, 54, "the run it had");
    assert.ok(await page.evaluate(() => (window.raftPlayground.advance(500), window.raftPlayground.now() >= 500)), "the page works");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a script answer that comes late: the editor selected in full stays so, a run the page moved past is refused aloud", { skip: NO_SCRIPT_PANEL }, async () => {
  // The script worker's file is held back, so both answers come when the test says.
  const { page, context, errors, release } = await openPage(browser, `${srv.url}index.html?seed=55&paused=1`, { hold: "**/script-worker.js" });
  try {
    await page.evaluate(() => (window.raftPlayground.advance(700), window.raftPlayground.showPanel("script")));
    const area = page.locator("textarea.script-text");
    await page.waitForFunction(() => document.querySelector(".script-buttons [role=status]")?.textContent.startsWith("Writing the run"));
    // Ctrl+A in the editor while the run is being written as a script.
    await area.focus();
    await page.keyboard.press("Control+A");
    release();
    await page.waitForFunction(() => /\bseed 55\b/.test(document.querySelector("textarea.script-text").value));
    // What is typed (or pasted) now replaces what came, as it would have replaced what was selected.
    const typed = "servers 3\nseed 9\nwait 1s\n";
    await page.keyboard.insertText(typed);
    assert.equal(await area.inputValue(), typed);
    // A run asked for, then the page moves to another run before the answer: refused, and said.
    await page.evaluate(() => {
      document.querySelector('[aria-label="Run the script"]').click();
      window.raftPlayground.reset({ seed: 56 });
    });
    await page.waitForFunction(() => document.querySelector(".hint")?.textContent.includes("moved on"));
    assert.match(await page.locator(".hint").textContent(), /^Not done: the script was not run: the page had moved on to another run before its answer came\./);
    assert.equal((await state(page)).seed, 56, "the run the page moved to");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a Script panel whose file does not load says so in the notice; the page goes on", { skip: NO_SCRIPT_PANEL }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route("**/script-panel.js", (r) => r.abort());
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await page.goto(`${srv.url}index.html?seed=55&paused=1`);
    await page.waitForFunction(() => window.raftPlayground);
    await page.evaluate(() => window.raftPlayground.showPanel("script"));
    const said = "The Script panel could not load: its file did not load (script-panel.js).";
    await page.waitForFunction((said) => document.querySelector(".hint[data-notice=error]")?.textContent.includes(said), said);
    await page.evaluate(() => window.raftPlayground.showPanel("events"));
    await page.evaluate(() => document.querySelector(".hint [aria-label], .hint button")?.click());
    // A file dropped onto the page: the notice says why it did not run.
    const dt = await page.evaluateHandle(() => {
      const d = new DataTransfer();
      d.items.add(new File(["servers 3\n"], "run.txt", { type: "text/plain" }));
      return d;
    });
    await page.dispatchEvent("svg.ring", "drop", { dataTransfer: dt });
    await page.waitForFunction(() => document.querySelector(".hint")?.textContent.includes("The Script panel could not load"));
    assert.equal((await state(page)).seed, 55, "the run it had");
    assert.ok(await page.evaluate(() => (window.raftPlayground.advance(500), window.raftPlayground.now() >= 500)), "the page works");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a Script panel file that loads without the panel (a server answering index.html) is said in the tab and the notice; opening the tab again retries", { skip: NO_SCRIPT_PANEL }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  let wrong = true;
  await context.route("**/script-panel.js", (r) =>
    wrong ? r.fulfill({ status: 200, contentType: "text/javascript", body: "<!doctype html><p>not the panel</p>" }) : r.continue(),
  );
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await page.goto(`${srv.url}index.html?seed=56&paused=1`);
    await page.waitForFunction(() => window.raftPlayground);
    await page.evaluate(() => window.raftPlayground.showPanel("script"));
    const said = "The Script panel could not load: its file did not load (script-panel.js).";
    await page.waitForFunction((said) => document.querySelector(".hint[data-notice=error]")?.textContent.includes(said), said);
    await page.waitForFunction(() => document.querySelector(".script-panel")?.textContent.includes("could not load (script-panel.js)"));
    assert.equal(await page.locator("script[src='script-panel.js']").count(), 0, "the failed script element is gone");
    assert.ok(errors.length >= 1 && errors.every((e) => /SyntaxError|Unexpected token/.test(e)), `only the wrong file's syntax error: ${errors}`);
    // The file right again: the tab opened again loads the panel.
    wrong = false;
    await page.evaluate(() => window.raftPlayground.showPanel("events"));
    await page.evaluate(() => window.raftPlayground.showPanel("script"));
    await page.locator(".script-panel textarea.script-text").waitFor();
    assert.equal((await state(page)).seed, 56, "the run it had");
  } finally {
    await context.close();
  }
});

test("a page built without the Script panel has no Script tab and refuses showPanel(\"script\") by name", { skip: SCRIPT_PANEL && "the page has the Script panel" }, async () => {
  const { page, context, errors } = await openPage(browser, `${srv.url}index.html?seed=50&paused=1`);
  try {
    await page.getByRole("tab", { name: "Events" }).waitFor();
    assert.equal(await page.getByRole("tab", { name: "Script" }).count(), 0, "no Script tab");
    const refused = await page.evaluate(() => {
      try {
        window.raftPlayground.showPanel("script");
        return null;
      } catch (e) {
        return String(e.message ?? e);
      }
    });
    assert.match(refused ?? "", /script/, "showPanel('script') is refused, naming what it was given");
    await page.evaluate(() => window.raftPlayground.showPanel("setup"));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

