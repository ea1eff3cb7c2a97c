// The address's scenario= and script= (issue 11) on the built page: a shipped
// scenario fetched from scenarios/ and an inline base64url script, each put in
// the Script panel and run as its Run does; a bad value named in the notice
// while the rest of the page works. They need the Script panel (the
// `script-panel` feature, e2e/lib.mjs pageHasFeature): without it the page
// names them as not available in this build, which the last test checks.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { servedPageAndBrowser, openPage, state, SHOTS, pageHasFeature } from "./lib.mjs";

const PANEL = pageHasFeature("script-panel");
const NEEDS_PANEL = PANEL ? false : "the page is built without the Script panel (index.html's data-cargo-features lacks script-panel)";
const env = servedPageAndBrowser();

/** `text` as a script= value: base64url of its UTF-8 bytes, without padding. */
const base64url = (text) => Buffer.from(text, "utf8").toString("base64url");

/** The notice line once it says something: [kind ("info" / "error"), text]. */
async function notice(page, includes) {
  await page.waitForFunction((s) => document.querySelector(".hint[data-notice]")?.textContent.includes(s), includes, { timeout: 15000 });
  return page.evaluate(() => {
    const n = document.querySelector(".hint[data-notice]");
    return [n.getAttribute("data-notice"), n.textContent.replace(/×$/, "")];
  });
}

/** The Script panel's editor text and its marked line (null when none). */
const panel = (page) =>
  page.evaluate(() => ({
    text: document.querySelector("textarea.script-text")?.value ?? null,
    bad: document.querySelector(".gutter .bad-line")?.textContent ?? null,
  }));

test("?scenario= runs a shipped scenario in the Script panel, meeting its expectations", { skip: NEEDS_PANEL }, async () => {
  for (const [width, height] of [[1280, 800], [480, 360]]) {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?scenario=split-vote`, { width, height });
    const [kind, said] = await notice(page, "scenario=split-vote: the script ran to");
    assert.equal(kind, "info", said);
    assert.match(said, /expectations met\.$/);
    const [met, all] = said.match(/(\d+) of (\d+) expectations met/).slice(1).map(Number);
    assert.ok(all > 0 && met === all, said);
    const s = await state(page);
    assert.deepEqual([s.seed, s.servers.length], [1, 5], "the scenario's own settings (servers 5, seed 1)");
    const p = await panel(page);
    assert.ok(p.text.includes("# A split vote: several followers time out"), "the scenario's text is in the editor");
    assert.equal(p.bad, null);
    assert.ok(await page.locator("textarea.script-text").isVisible(), "the Script panel is open");
    // The run is the page's own: time travel reaches its events, the address names it.
    const found = await page.evaluate(() => {
      const rp = window.raftPlayground;
      rp.pause();
      rp.seek(1000);
      return rp.events(0, 200).some((e) => e.text.includes("S1 timed out waiting for a leader"));
    });
    assert.ok(found, "the scenario's events are in the run");
    const search = await page.evaluate(() => location.search);
    assert.match(search, /scenario=split-vote/);
    assert.match(search, /seed=1(&|$)/);
    if (width === 1280) {
      // A new run leaves the scenario's: the address no longer names it (a reload must not run it again).
      const after = await page.evaluate(() => (window.raftPlayground.reset(), location.search));
      assert.doesNotMatch(after, /scenario=/, after);
      await page.goto(`${env.srv.url}index.html?scenario=split-vote`);
      await notice(page, "scenario=split-vote: the script ran to");
    }
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, `address-scenario-${width}x${height}.png`) });
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test("embed=1&scenario=...&paused=1: the run is the scenario's, paused, with no panel opened", { skip: NEEDS_PANEL }, async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?embed=1&scenario=figure-8.txt&paused=1`, { width: 480, height: 360 });
  const [kind, said] = await notice(page, "scenario=figure-8.txt: the script ran to");
  assert.equal(kind, "info", said);
  const s = await state(page);
  assert.deepEqual([s.seed, s.servers.length, s.playing], [8, 5, false]);
  assert.equal(await page.locator("textarea.script-text").count(), 0, "embedded without panels: the Script panel stays shut");
  const fits = await page.evaluate(() => document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth);
  assert.ok(fits, "no scroll bars at 480x360");
  await page.screenshot({ path: path.join(SHOTS, "address-scenario-embed-480x360.png") });
  assert.deepEqual(errors, []);
  await context.close();
});

test("?script= runs an inline script; an unmet expectation is marked in the panel and named", { skip: NEEDS_PANEL }, async () => {
  const script = 'servers 3\nseed 9\nsay "Élection ✓ from the address"\nwait 2s\nexpect leader\nexpect no leader\n';
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?script=${base64url(script)}`);
  const [kind, said] = await notice(page, "the script ran to 2.000 s");
  assert.equal(kind, "error", said);
  assert.match(said, /^script=.*…: the script ran to 2\.000 s and plays from its start: 1 of 2 expectations met\. Not met: line 6/);
  const s = await state(page);
  assert.deepEqual([s.seed, s.servers.length], [9, 3]);
  assert.deepEqual(await panel(page), { text: script, bad: "6" });
  assert.deepEqual(errors, []);
  await context.close();
});

test("a bad scenario= or script= is named in the notice and the rest of the address applies", { skip: NEEDS_PANEL }, async () => {
  const cases = [
    ["scenario=nope&theme=x", "scenario=nope (not a scenario of this page: use a file name from scenarios/"],
    ["scenario=..%2Findex.html", "scenario=../index.html (not a scenario of this page"],
    ["script=c2Vy*dmVy", "script=c2Vy*dmVy (not base64url: “*” at character 5)"],
    ["script=c2Vy+dmVy", "script=c2Vy dmVy (not base64url: “ ” at character 5 (standard base64's + and / are written - and _ in base64url))"],
    ["script=Zm9vY", "script=Zm9vY (not base64url: one character too many or too few at the end)"],
    [`script=${Buffer.from([0xff, 0xfe, 0x61]).toString("base64url")}`, "(not a script: its bytes are not UTF-8 text)"],
    [`script=${base64url("servers 3\nfly to the moon\n")}`, "(the script was not run, line 2"],
  ];
  for (const [query, why] of cases) {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=5&servers=4&${query}`);
    const [kind, said] = await notice(page, why);
    assert.equal(kind, "error", said);
    assert.ok(said.startsWith("Ignored in the address: "), said);
    if (query.includes("theme=x")) assert.ok(said.includes("theme=x (use light, dark or auto)"), said);
    const s = await state(page);
    assert.deepEqual([s.seed, s.servers.length], [5, 4], `${query}: the address's seed and size apply`);
    assert.ok(await page.evaluate(() => (window.raftPlayground.advance(500), window.raftPlayground.now() >= 500)), "the page works");
    assert.deepEqual(errors, [], query);
    await context.close();
  }
  // Both given: the scenario runs, script= is named as not run.
  {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?scenario=split-vote&script=c2VydmVycyAz`);
    const [kind, said] = await notice(page, "scenario=split-vote: the script ran to");
    assert.equal(kind, "error", said);
    assert.ok(said.endsWith("Ignored in the address: script=c2VydmVycyAz (not run: give scenario= or script=, not both)."), said);
    assert.equal((await state(page)).seed, 1, "the scenario's run");
    assert.deepEqual(errors, []);
    await context.close();
  }
  // A lesson in the same address wins: the scenario is named as not run, also when the
  // lesson plays (and has rewritten the address) before the panel's file arrives.
  {
    const url = `${env.srv.url}index.html?lesson=failover&scenario=split-vote`;
    const { page, context, errors, release } = await openPage(env.browser, url, { hold: "**/script-panel.js" });
    await page.waitForFunction(() => window.raftPlayground.lessonState()?.id === "failover");
    assert.doesNotMatch(await page.evaluate(() => location.search), /scenario=/);
    release();
    const [kind, said] = await notice(page, "scenario=split-vote (not run: the address opens the lesson)");
    assert.equal(kind, "error", said);
    assert.equal(await page.locator("textarea.script-text").count(), 0, "the Script panel stays shut");
    assert.doesNotMatch(await page.evaluate(() => location.search), /scenario=/, "the address keeps the lesson, not the scenario it did not run");
    assert.deepEqual(errors, []);
    await context.close();
  }
  // The visitor starts another run before the scenario's file arrives: it does not replace that run.
  {
    const url = `${env.srv.url}index.html?scenario=split-vote&seed=6`;
    const { page, context, errors, release } = await openPage(env.browser, url, { hold: "**/scenarios/split-vote.txt" });
    const search = await page.evaluate(() => (window.raftPlayground.reset({ seed: 9 }), location.search));
    assert.doesNotMatch(search, /scenario=/, search);
    release();
    const [kind, said] = await notice(page, "scenario=split-vote (not run: the page had moved on before its file arrived)");
    assert.equal(kind, "error", said);
    assert.equal((await state(page)).seed, 9, "the visitor's run stays");
    assert.deepEqual(errors, []);
    await context.close();
  }
  // The scenario's file cannot be fetched: said, and the page goes on.
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.route("**/scenarios/split-vote.txt", (r) => r.abort());
  const page = await context.newPage();
  await page.goto(`${env.srv.url}index.html?scenario=split-vote&seed=6`);
  const [kind, said] = await notice(page, "scenario=split-vote (its file could not be fetched");
  assert.equal(kind, "error", said);
  assert.equal((await state(page)).seed, 6);
  await context.close();
});

test("without the Script panel, scenario= and script= are named as not available in this build", { skip: PANEL ? "the page has the Script panel: the tests above run them" : false }, async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?scenario=split-vote&script=c2VydmVycyAz&seed=5`);
  const [kind, said] = await notice(page, "Ignored in the address");
  assert.equal(kind, "error");
  const why = "not available in this build of the page: it has no Script panel to run scenarios with";
  assert.ok(said.includes(`scenario=split-vote (${why})`) && said.includes(`script=c2VydmVycyAz (${why})`), said);
  assert.equal((await state(page)).seed, 5);
  assert.deepEqual(errors, []);
  await context.close();
});
