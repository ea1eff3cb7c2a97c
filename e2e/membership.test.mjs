// End-to-end tests of membership changes on the page (issue 13): the toolbar's
// Add server button, Remove in a server's menu, learners and removed servers in
// the ring, `+S6` / `−S2` in the log grid, the refusals in tooltips, the notice
// line and the JavaScript API (addServer, removeServer).
import { test } from "node:test";
import assert from "node:assert/strict";
import { servedPageAndBrowser, openPage, advanceUntil, state, pageHasFeature } from "./lib.mjs";

const env = servedPageAndBrowser();

// The page has membership changes only when index.html builds it with the
// `membership` feature (data-cargo-features="membership"): out while it does
// not fit the 300 KB budget (README, "Membership changes", "On the page").
const MEMBERSHIP = pageHasFeature("membership");
const skip = MEMBERSHIP ? false : "the page is built without the membership feature (index.html)";

/** Runs virtual time until the Add server button is enabled (a leader that has committed an entry of its term). */
async function untilAddable(page) {
  for (let i = 0; i < 200; i++) {
    if (await page.locator(".add-btn:not([disabled])").count()) return;
    await page.evaluate(() => window.raftPlayground.advance(50));
  }
  assert.fail("the Add server button never became enabled");
}

test("Add server: a learner joins, catches up, becomes a voter and can lead", { skip }, async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1`);
  try {
    // No leader yet: disabled, and the tooltip says why in the engine's words.
    const add = page.locator(".add-btn");
    assert.equal(await add.isDisabled(), true);
    assert.match(await add.getAttribute("title"), /Cannot add a server now: no running server is the leader/);
    assert.equal((await state(page)).servers.length, 5);

    await untilAddable(page);
    await add.click();
    await page.waitForSelector('svg.ring [data-server="6"][data-member="learner"]');
    let s = await state(page);
    assert.equal(s.servers.length, 6);
    assert.equal(s.servers[5].member, "learner");
    assert.match(await page.locator('[data-notice="info"]').textContent(), /S6 joins as a learner/);
    // The ring's label says so, and a second change waits for this one.
    assert.match(await page.locator('svg.ring [data-server="6"] .label-role').textContent(), /learner/);
    assert.equal(await add.isDisabled(), true);
    assert.match(await add.getAttribute("title"), /Cannot add a server now: .*(one change at a time|not committed yet)/);

    // It catches up and the leader promotes it (+S6, committed).
    assert.ok(await advanceUntil(page, (s) => s.servers[5].member === "voter"), "S6 becomes a voter");
    assert.ok(
      await advanceUntil(page, (s) => s.servers.find((v) => v.name === s.leader).log.some((e) => e.command === "+S6" && e.committed)),
      "+S6 commits",
    );
    const texts = await page.evaluate(() => window.raftPlayground.events(0).map((e) => e.text));
    assert.ok(texts.some((t) => /S6 joined with an empty log/.test(t)), "the feed tells the join");
    assert.ok(texts.some((t) => /S6 stores every committed entry .* promotes it to a voter/.test(t)), "the feed tells the promotion");
    await page.waitForSelector('svg.ring [data-server="6"][data-member="voter"]');
    const cells = await page.locator(".loggrid .cell .cmd").allTextContents();
    assert.ok(cells.includes("+S6") && cells.includes("learner S6"), `the log grid shows the configuration entries: ${cells.join(" ")}`);

    // As a voter it stands and wins: its log holds every committed entry.
    await page.evaluate(() => window.raftPlayground.timeout(6));
    assert.ok(await advanceUntil(page, (s) => s.leader === "S6"), "S6 is elected");
    s = await state(page);
    assert.ok(s.servers[5].votes.length >= 4, `S6 won with a majority of six: ${s.servers[5].votes}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("Remove the leader from its menu: it leaves, a new leader is elected; refusals are explained", { skip }, async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=11&paused=1`);
  try {
    await untilAddable(page);
    const old = (await state(page)).leader;
    const id = Number(old.slice(1));
    await page.click(`svg.ring [data-server="${id}"]`);
    const menu = page.getByRole("menu", { name: `Actions on ${old}` });
    await menu.getByRole("menuitem", { name: `Remove ${old} from the cluster` }).click();
    assert.match(await page.locator('[data-notice="info"]').textContent(), new RegExp(`appended −${old}`));

    // While −S is not committed another change is refused, with the reason in the item's tooltip.
    const other = id === 1 ? 2 : 1;
    await page.click(`svg.ring [data-server="${other}"]`);
    const item = page.getByRole("menu", { name: `Actions on S${other}` }).getByRole("menuitem", { name: `Remove S${other}` });
    if (await item.isDisabled()) {
      assert.match(await item.getAttribute("title"), /Cannot remove S\d now: /);
    }
    await page.keyboard.press("Escape");

    assert.ok(await advanceUntil(page, new Function("s", `return s.leader !== null && s.leader !== "${old}";`)), "a new leader is elected");
    const s = await state(page);
    assert.equal(s.servers[id - 1].member, "removed");
    await page.waitForSelector(`svg.ring [data-server="${id}"][data-member="removed"]`);
    const texts = await page.evaluate(() => window.raftPlayground.events(0).map((e) => e.text));
    assert.ok(texts.some((t) => t.includes(`${old}'s removal is committed: it steps down as leader`)), "the feed tells the old leader stepping down");

    // A removed server is no longer in the configuration: its own item says so.
    await untilAddable(page);
    await page.click(`svg.ring [data-server="${id}"]`);
    const gone = page.getByRole("menu", { name: `Actions on ${old}` }).getByRole("menuitem", { name: `Remove ${old}` });
    assert.equal(await gone.isDisabled(), true);
    assert.match(await gone.getAttribute("title"), new RegExp(`${old} is not in the configuration`));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("addServer and removeServer through the API: the new name, or an Error in the engine's words", { skip }, async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=5&servers=3&paused=1`);
  try {
    const r = await page.evaluate(() => {
      const rp = window.raftPlayground;
      const caught = (f) => {
        try {
          return ["ok", f()];
        } catch (e) {
          return [e.constructor.name, e.message];
        }
      };
      const out = { noLeader: caught(() => rp.addServer()) };
      out.unknown = caught(() => rp.removeServer(42));
      out.wrongType = caught(() => rp.removeServer({ id: 2 }));
      out.missing = caught(() => rp.removeServer());
      for (let t = 0; t < 10000 && !rp.state().leader; t += 50) rp.advance(50);
      // Until 9 servers: each added once the previous one is a voter.
      out.added = [];
      for (let k = 0; k < 6; k++) {
        let got = caught(() => rp.addServer());
        for (let t = 0; t < 10000 && got[0] !== "ok"; t += 50) {
          rp.advance(50);
          got = caught(() => rp.addServer());
        }
        out.added.push(got[1]);
        out.busy = out.busy || caught(() => rp.addServer());
      }
      out.tenth = caught(() => rp.addServer());
      out.servers = rp.state().servers.map((v) => v.member);
      return out;
    });
    assert.deepEqual(r.noLeader, ["Error", "raftPlayground.addServer: no running server is the leader right now"]);
    assert.deepEqual(r.unknown[0], "Error");
    assert.match(r.unknown[1], /^raftPlayground\.removeServer: there is no server S42/);
    assert.match(r.wrongType[1], /^raftPlayground\.removeServer: /);
    assert.match(r.missing[1], /^raftPlayground\.removeServer: /);
    assert.deepEqual(r.added, ["S4", "S5", "S6", "S7", "S8", "S9"]);
    assert.match(r.busy[1], /^raftPlayground\.addServer: .*one change at a time/);
    assert.deepEqual(r.tenth, ["Error", "raftPlayground.addServer: a cluster has at most 9 servers, removed ones included"]);
    assert.equal(r.servers.length, 9);
    // The button says the same.
    const add = page.locator(".add-btn");
    await page.waitForFunction(() => document.querySelectorAll("svg.ring [data-server]").length === 9);
    assert.equal(await add.isDisabled(), true);
    assert.match(await add.getAttribute("title"), /at most 9 servers/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
