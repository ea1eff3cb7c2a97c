// End-to-end tests of what first-time visitors, teachers and test writers
// stumbled on (issue 7): each drives the built page (dist/, or $DIST) as they did.
import { test } from "node:test";
import assert from "node:assert/strict";
import { servedPageAndBrowser, openPage, advanceUntil, state, SHOTS } from "./lib.mjs";

const env = servedPageAndBrowser();

test("the client's value box writes only what was typed, and says what is wrong otherwise", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1`);
  try {
    assert.ok(await advanceUntil(page, (s) => s.leader !== null), "a leader is elected");
    await page.getByRole("tab", { name: "Client" }).click();
    const value = page.getByLabel("Value to write");
    const write = page.getByRole("button", { name: "Write", exact: true });
    const problem = page.locator("#write-problem");
    const cases = [
      ["", /type a value: a whole number such as 3/],
      ["1e3", /the value must be a whole number written in digits, such as 3 or -12, not "1e3"/],
      ["99999999999999999999", /the value "99999999999999999999" is too large: at most 9007199254740991/],
      ["2.5", /written in digits/],
    ];
    for (const [typed, said] of cases) {
      await value.fill(typed);
      assert.match(await problem.textContent(), said, `the panel says what is wrong with ${JSON.stringify(typed)}`);
      assert.equal(await value.getAttribute("aria-invalid"), "true");
      assert.equal(await value.inputValue(), typed, "the box keeps what was typed");
      await write.click();
      assert.match(await page.locator(".hint").textContent(), said, "so does the notice line after Write");
      // The server menu offers the same draft: it cannot send it either.
      await page.click('svg.ring [data-server="2"]');
      const item = page.getByRole("menu", { name: "Actions on S2" }).getByRole("menuitem", { name: /Client write/ });
      assert.equal(await item.isDisabled(), true, `the menu's write is off for ${JSON.stringify(typed)}`);
      assert.match(await item.getAttribute("title"), said);
      await item.click({ force: true });
      await page.keyboard.press("Escape");
      assert.deepEqual((await state(page)).client, [], `nothing was sent for ${JSON.stringify(typed)}`);
    }
    await page.screenshot({ path: `${SHOTS}/client-refused-1280x800.png` });
    // A whole number is sent exactly as typed, from the panel and from the menu.
    await value.fill("-12");
    assert.equal(await problem.count(), 0);
    await write.click();
    await page.click('svg.ring [data-server="3"]');
    await page.getByRole("menu", { name: "Actions on S3" }).getByRole("menuitem", { name: "Client write x ← -11 here" }).click();
    const sent = (await state(page)).client.map((o) => o.command);
    assert.deepEqual(sent, ["x ← -12", "x ← -11"]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the address follows the run: seed and servers, other keys and the fragment kept, no new history entry", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?paused=1&lesson=two%20words#part-2`);
  const address = () =>
    page.evaluate(() => {
      const p = new URLSearchParams(location.search);
      return { seed: p.get("seed"), servers: p.get("servers"), paused: p.get("paused"), lesson: p.get("lesson"), hash: location.hash, entries: history.length };
    });
  try {
    // A fresh seed was drawn: the address says which.
    const first = await address();
    const s = await state(page);
    assert.deepEqual(first, { seed: String(s.seed), servers: "5", paused: "1", lesson: "two words", hash: "#part-2", entries: first.entries });
    // "Start a new run" with seed 7 and 3 servers.
    await page.getByRole("tab", { name: "Setup" }).click();
    await page.getByLabel("Number of servers").selectOption("3");
    await page.getByLabel("Seed (blank: a fresh random one)").fill("7");
    await page.getByRole("button", { name: "Start a new run" }).click();
    assert.equal((await state(page)).seed, 7);
    assert.deepEqual(await address(), { seed: "7", servers: "3", paused: "1", lesson: "two words", hash: "#part-2", entries: first.entries });
    // A reset through the API too.
    await page.evaluate(() => window.raftPlayground.reset({ seed: 9, servers: 4 }));
    assert.deepEqual(await address(), { seed: "9", servers: "4", paused: "1", lesson: "two words", hash: "#part-2", entries: first.entries });
    // The address is a link to the run: opened again, the same run.
    await page.evaluate(() => window.raftPlayground.advance(3000));
    const hash = (await state(page)).traceHash;
    await page.reload();
    await page.waitForFunction(() => window.raftPlayground && document.querySelector("svg.ring [data-server]"));
    await page.evaluate(() => window.raftPlayground.advance(3000));
    const again = await state(page);
    assert.equal(again.seed, 9);
    assert.equal(again.servers.length, 4);
    assert.equal(again.traceHash, hash, "the same run");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
