// End-to-end tests of log compaction on the page (issue 13): the address's
// ?snapshot=N, the Setup panel's snapshot threshold, the log grid's snapshot
// cells, and a restarted follower brought up to date by InstallSnapshot.
import { test } from "node:test";
import assert from "node:assert/strict";
import { servedPageAndBrowser, openPage, advanceUntil, state, pageHasFeature } from "./lib.mjs";

const env = servedPageAndBrowser();

// The page has log compaction only when index.html builds it with the
// `compaction` feature (data-cargo-features="compaction"): out while it does
// not fit the 300 KB budget (README, "Log compaction", "On the page").
const COMPACTION = pageHasFeature("compaction");
const skip = COMPACTION ? false : "the page is built without the compaction feature (index.html)";

test("?snapshot=5: snapshot cells in the log grid, InstallSnapshot to a restarted follower, the Setup panel's threshold", { skip }, async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=21&servers=3&paused=1&snapshot=5`);
  try {
    assert.ok(await advanceUntil(page, (s) => s.leader !== null), "a leader");
    const follower = await page.evaluate(() => {
      const rp = window.raftPlayground;
      const s = rp.state();
      const f = s.servers.find((v) => v.name !== s.leader).name;
      rp.crash(f);
      for (let v = 0; v < 30; v++) {
        rp.write("k" + (v % 6), v);
        rp.advance(30);
      }
      rp.restart(f);
      return f;
    });
    // The follower gets the leader's snapshot (one message, its own kind) and installs it.
    const kinds = await page.evaluate((f) => {
      const rp = window.raftPlayground;
      const seen = new Set();
      for (let t = 0; t < 3000; t += 5) {
        for (const m of rp.state().messages) if (m.to === f || m.from === f) seen.add(m.kind);
        const me = rp.state().servers.find((v) => v.name === f);
        if (me.snapshot && me.snapshot.index > 5 && seen.has("SnapshotReply")) break;
        rp.advance(5);
      }
      return [...seen];
    }, follower);
    assert.ok(kinds.includes("InstallSnapshot") && kinds.includes("SnapshotReply"), `kinds to and from ${follower}: ${kinds}`);
    const s = await state(page);
    const header = await page.locator(".loggrid thead th.idx").count();
    for (const v of s.servers) {
      assert.ok(v.snapshot && v.snapshot.index > 0, `${v.name} compacted`);
      const cell = page.locator(`[data-log="${v.id}"] td.cell.snap`);
      await cell.waitFor();
      assert.equal(await cell.locator(".cmd").textContent(), `≤${v.snapshot.index} t${v.snapshot.term}`);
      assert.match(await cell.getAttribute("title"), new RegExp(`last included index ${v.snapshot.index}, term ${v.snapshot.term}`));
      // The row still covers every column of the grid: aligned by index.
      const spans = await page.locator(`[data-log="${v.id}"] td`).evaluateAll((tds) => tds.map((td) => td.colSpan));
      assert.equal(spans.reduce((a, b) => a + b, 0), header, `${v.name}'s row`);
    }
    // The Setup panel shows the threshold; setting it to 0 turns compaction off (an event of the run).
    await page.getByRole("tab", { name: "Setup" }).click();
    const input = page.locator("#set-snapshot");
    assert.equal(await input.inputValue(), "5");
    // Text that is not a whole number ("-", "1e": what a number field would
    // read as blank, so off) is refused with a sentence, and the run keeps 5.
    for (const bad of ["-", "1e"]) {
      await input.fill(bad);
      await input.press("Enter");
      const why = page.locator("#snapshot-why");
      // Wait for this value's sentence (the one for the value before may still show for a moment).
      await page.waitForFunction((b) => (document.querySelector("#snapshot-why")?.textContent || "").includes(`not "${b}"`), bad);
      assert.match(await why.textContent(), new RegExp(`must be a whole number.*not "${bad}"; it is still 5`));
      assert.equal(await input.getAttribute("aria-invalid"), "true");
      const feed = await page.evaluate(() => window.raftPlayground.events(0).map((e) => e.text));
      assert.ok(!feed.some((t) => /options: snapshot threshold/.test(t)), `nothing applied: ${feed.slice(-3)}`);
    }
    await input.fill("0");
    await input.press("Enter");
    await input.blur();
    await page.locator("#snapshot-why").waitFor({ state: "detached" });
    const texts = await page.evaluate(() => window.raftPlayground.events(0).map((e) => e.text));
    assert.ok(texts.some((t) => /options: snapshot threshold off/.test(t)), `the feed tells the change: ${texts.slice(-3)}`);
    // A new run through the API keeps the address in step: ?snapshot= follows;
    // left out, the threshold is the current run's (as the size is), 0 turns it off.
    await page.evaluate(() => window.raftPlayground.reset({ seed: 3, snapshotThreshold: 7 }));
    await page.waitForFunction(() => new URLSearchParams(location.search).get("snapshot") === "7");
    await page.evaluate(() => window.raftPlayground.reset({ seed: 4 }));
    await page.waitForFunction(() => new URLSearchParams(location.search).get("seed") === "4");
    assert.equal(new URL(page.url()).searchParams.get("snapshot"), "7", "reset({ seed }) keeps the threshold");
    await page.evaluate(() => window.raftPlayground.reset({ seed: 3, snapshotThreshold: 0 }));
    await page.waitForFunction(() => !new URLSearchParams(location.search).has("snapshot"));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
