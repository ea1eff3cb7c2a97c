// End-to-end tests of the Pseudocode panel (issue 10) on the built page:
// the text fetched beside the page (dist/pseudocode.txt, under a sub-path),
// the procedures shown, the lines an election ran lit with their values, an
// event clicked in the feed, a message inspected; screenshots at 1280x800
// and 480x360, light and dark (target/screenshots/pseudocode-*.png).
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { servedPageAndBrowser, openPage, advanceUntil, SHOTS, pageHasFeature } from "./lib.mjs";

const env = servedPageAndBrowser();

// The page has the panel when index.html builds it with the
// `pseudocode-panel` feature (e2e/lib.mjs, pageHasFeature): out while it does not fit the
// 300 KB budget (README, "The page" and "Figures").
const PANEL = pageHasFeature("pseudocode-panel");
const skip = PANEL ? false : "the page is built without the pseudocode-panel feature (index.html)";

// Waits until the line that ran first (numbered 1) shows within the panel's scrolling area (the panel scrolls it into view).
const litInView = (page) =>
  page.waitForFunction(() => {
    const first = [...document.querySelectorAll(".pc-lit")].find((l) => l.querySelector(".pc-n").textContent === "1");
    const l = first?.getBoundingClientRect();
    const v = document.querySelector(".tab-panel").getBoundingClientRect();
    // Below the panel's head, which stays on top as the panel scrolls.
    const head = document.querySelector(".pc-head").getBoundingClientRect();
    return l && l.top >= Math.max(v.top, head.bottom) && l.bottom <= v.bottom;
  });
const lit = (page) => page.locator(".pc-lit").evaluateAll((ls) => ls.map((l) => l.dataset.id));
const seen = (page, id) => page.locator(`.pc-lit[data-id="${id}"] .pc-seen`).textContent();

test("the panel fetches its text, lights a vote's lines with both sides, and shows a clicked event's lines", { skip }, async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=3&servers=5&paused=1`);
  try {
    await page.getByRole("tab", { name: "Pseudocode" }).click();
    await page.locator(".pc-proc").first().waitFor();
    const titles = await page.locator(".pc-title").evaluateAll((ts) => ts.map((t) => t.firstChild.textContent));
    assert.deepEqual(titles.slice(0, 8), [
      "RequestVote receiver", "AppendEntries receiver", "Rules for all servers", "Rules for followers",
      "Rules for candidates", "Rules for leaders", "Clients", "The commit rule",
    ]);
    assert.ok(titles.includes("Membership changes (one server at a time)"), titles.join(" | "));
    assert.ok(!titles.includes("Pre-vote"), "pre-vote is off: its procedure is not shown");
    assert.ok(!titles.includes("InstallSnapshot (log compaction)"), "log compaction is off: InstallSnapshot is not shown");
    // Following the run, step by step, until a vote is granted.
    let ids = [];
    for (let i = 0; i < 300 && !ids.includes("rv.grant"); i++) {
      await page.evaluate(() => window.raftPlayground.step());
      await page.waitForTimeout(20);
      ids = await lit(page);
    }
    assert.deepEqual(ids, ["rv.receive", "rv.stale-term", "rv.voted-for", "rv.log-ok", "rv.grant"]);
    assert.equal(await seen(page, "rv.log-ok"), "lastLogTerm 0 = mine; candidate lastLogIndex 0 >= my lastLogIndex 0: true");
    assert.match(await page.locator(".pc-showing").textContent(), /Latest event.*voted for/);
    // The lit line is in view inside the panel, and the page itself did not scroll.
    const box = await page.locator(".pc-lit").first().boundingBox();
    const panel = await page.locator(".tab-panel").boundingBox();
    assert.ok(box.y >= panel.y && box.y + box.height <= panel.y + panel.height, "the lit line shows");
    assert.equal(await page.evaluate(() => document.scrollingElement.scrollTop), 0);
    await page.screenshot({ path: path.join(SHOTS, "pseudocode-vote-1280.png") });

    // After the election: the feed's "became leader" row opens the panel on its lines.
    assert.ok(await advanceUntil(page, (s) => s.leader !== null));
    await page.evaluate(() => window.raftPlayground.advance(300));
    await page.getByRole("tab", { name: "Events" }).click();
    await page.locator(".feed .ev", { hasText: "became leader" }).first().click();
    await page.locator(".pc-lit").first().waitFor();
    assert.equal(await page.locator(".app").getAttribute("data-tab"), "pseudocode");
    assert.match(await page.locator(".pc-showing").textContent(), /^Event \d+ of \d+.*became leader/);
    assert.deepEqual(await lit(page), ["cand.win", "ldr.elected"]);
    assert.match(await seen(page, "cand.win"), /^\d votes, majority 3 of 5: true$/);
    await litInView(page);
    await page.screenshot({ path: path.join(SHOTS, "pseudocode-event-1280.png") });
    // Its why, opened, stays open while the run goes on.
    await page.locator('.pc-proc[data-key="cand"] summary').click();
    const scrolled = () => page.evaluate(() => document.querySelector(".tab-panel").scrollTop);
    const before = await scrolled();
    await page.evaluate(() => window.raftPlayground.advance(200));
    await page.waitForTimeout(100);
    assert.equal(await page.locator('.pc-why[data-why="cand"][open]').count(), 1);
    assert.equal(await scrolled(), before, "the panel stays where it was as its markup is redrawn");
    await page.screenshot({ path: path.join(SHOTS, "pseudocode-why-1280.png") });
    // Follow the run again; then a message inspected on the ring shows its own lines.
    await page.getByRole("button", { name: "Follow the run" }).click();
    assert.match(await page.locator(".pc-showing").textContent(), /^Latest event/);
    await page.evaluate(() => window.raftPlayground.inspectNext(false));
    await page.locator(".pc-showing", { hasText: "Message #" }).waitFor();
    assert.ok((await lit(page)).length > 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the panel on a small screen and in the dark theme", { skip }, async () => {
  for (const [width, height, colorScheme] of [[480, 360, "light"], [1280, 800, "dark"], [480, 360, "dark"]]) {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=3&servers=5&paused=1`, { width, height, colorScheme });
    try {
      await page.evaluate(() => window.raftPlayground.showPanel("pseudocode"));
      await page.locator(".pc-proc").first().waitFor();
      assert.ok(await advanceUntil(page, (s) => s.leader !== null));
      await page.evaluate(() => window.raftPlayground.advance(120));
      await page.locator(".pc-lit").first().waitFor();
      await litInView(page);
      await page.screenshot({ path: path.join(SHOTS, `pseudocode-${width}-${colorScheme}.png`) });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

// Runs the page until a message of `kind` (to or from `server`, when given)
// is in flight; returns it (state().messages' entry) or null.
const untilInFlight = (page, kind, server) =>
  page.evaluate(({ kind, server }) => {
    const rp = window.raftPlayground;
    const find = () => rp.state().messages.find((m) => m.kind === kind && (!server || m.to === server || m.from === server));
    for (let t = 0; t < 5000 && !find(); t += 1) rp.advance(1);
    return find() ?? null;
  }, { kind, server });

// Selects message `m` (a click on its glyph on the ring, or the inspector's
// API on a phone, where the open panel covers the ring), waits for the panel to show it.
async function select(page, m, click) {
  if (click) await page.click(`svg.ring [data-message="${m.id}"]`, { force: true });
  else await page.evaluate((id) => window.raftPlayground.inspect(id), m.id);
  await page.locator(".pc-showing", { hasText: `Message #${m.id}` }).waitFor();
}

// Lets message `m` arrive; waits for the panel to say so.
async function deliver(page, m) {
  await page.evaluate((at) => window.raftPlayground.advance(at - window.raftPlayground.now()), m.arriveAt);
  await page.locator(".pc-showing", { hasText: "delivered" }).waitFor();
}

test("a client's write and an InstallSnapshot selected light their lines, sent and delivered", { skip }, async () => {
  for (const [width, height] of [[1280, 800], [480, 360]]) {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=21&servers=3&paused=1&snapshot=5`, { width, height });
    try {
      await page.evaluate(() => window.raftPlayground.showPanel("pseudocode"));
      await page.locator(".pc-proc").first().waitFor();
      const titles = await page.locator(".pc-title").evaluateAll((ts) => ts.map((t) => t.firstChild.textContent));
      assert.ok(titles.includes("InstallSnapshot (log compaction)"), `log compaction is on: ${titles.join(" | ")}`);
      assert.ok(await advanceUntil(page, (s) => s.leader !== null));
      await page.evaluate(() => window.raftPlayground.advance(300));
      // A write sent to a follower: the client's line, then the follower's refusal naming the leader.
      const { leader, follower } = await page.evaluate(() => {
        const s = window.raftPlayground.state();
        return { leader: s.leader, follower: s.servers.find((v) => v.name !== s.leader).name };
      });
      await page.evaluate((f) => window.raftPlayground.write("x", 1, f), follower);
      const request = await untilInFlight(page, "ClientRequest", follower);
      assert.ok(request, "the write is in flight");
      await select(page, request, width > 480);
      assert.deepEqual(await lit(page), ["cl.send"]);
      assert.match(await seen(page, "cl.send"), new RegExp(`^write x = 1 to ${follower} \\(client \\d+, seq \\d+, attempt 1\\)$`));
      await page.screenshot({ path: path.join(SHOTS, `pseudocode-client-${width}.png`) });
      await deliver(page, request);
      assert.deepEqual(await lit(page), ["cl.send", "cl.not-leader"]);
      assert.equal(await seen(page, "cl.not-leader"), `not the leader: true; reply NotLeader, leader ${leader}`);
      // A follower back after the leader compacted gets the leader's snapshot.
      const back = await page.evaluate((f) => {
        const rp = window.raftPlayground;
        rp.crash(f);
        for (let v = 0; v < 30; v++) {
          rp.write("k" + (v % 6), v);
          rp.advance(30);
        }
        rp.restart(f);
        return f;
      }, follower);
      const snapshot = await untilInFlight(page, "InstallSnapshot", back);
      assert.ok(snapshot, "the snapshot is in flight");
      await select(page, snapshot, width > 480);
      assert.deepEqual(await lit(page), ["is.send"]);
      assert.match(await seen(page, "is.send"), new RegExp(`^snapshot up to index \\d+, term \\d+ to ${back}$`));
      await deliver(page, snapshot);
      assert.deepEqual(await lit(page), ["is.send", "is.receive", "is.stale-term", "is.install"]);
      assert.match(await seen(page, "is.install"), /^nothing kept after index \d+; state machine = the snapshot's \(term \d+\)$/);
      // Scrolled to: the first lit line wholly in view (on a phone its top: it is taller than the view's three quarters).
      if (width > 480) await litInView(page);
      else
        await page.waitForFunction(() => {
          const l = document.querySelector('.pc-lit[data-id="is.send"]').getBoundingClientRect();
          const head = document.querySelector(".pc-head").getBoundingClientRect();
          return l.top >= head.bottom && l.top < document.querySelector(".tab-panel").getBoundingClientRect().bottom;
        });
      await page.screenshot({ path: path.join(SHOTS, `pseudocode-snapshot-${width}.png`) });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});
