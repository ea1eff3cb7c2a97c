// End-to-end tests of the panels' long texts (the Legend's, the help's, the
// Setup options' explanations): not in the page's wasm but in
// dist/panel-texts.txt, fetched when one of them is first shown
// (src/ui/texts.rs). The first paint does not fetch it; the Legend and the
// help show it once it arrives; a failed fetch is said, with a Retry button.
// Screenshots of the Legend and the help at 1280x800 and 480x360
// (target/screenshots/texts-*.png).
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { servedPageAndBrowser, openPage, SHOTS } from "./lib.mjs";

const env = servedPageAndBrowser();
const asked = (page) => {
  const urls = [];
  page.on("request", (r) => {
    if (r.url().endsWith("panel-texts.txt")) urls.push(r.url());
  });
  return urls;
};

test("the texts are fetched when the Legend first opens, not before, and once", async () => {
  for (const [width, height] of [[1280, 800], [480, 360]]) {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=3&servers=5&paused=1`, { width, height });
    try {
      const urls = asked(page);
      await page.evaluate(() => window.raftPlayground.advance(3000));
      await page.waitForTimeout(200);
      assert.deepEqual(urls, [], "the first paint does not fetch the panels' texts");
      await page.evaluate(() => window.raftPlayground.showPanel("legend"));
      await page.locator(".legend").getByText("received so far / needed to win").waitFor();
      const legend = await page.locator(".legend").textContent();
      for (const words of ["Servers", "term 8 has term 1's colour", "committed entry: solid", "Client writes", "Leader Completeness"]) {
        assert.ok(legend.includes(words), `the legend says ${words}`);
      }
      assert.equal(await page.locator(".legend li[data-kind]").count() >= 10, true, "with the page's own shapes");
      await page.screenshot({ path: path.join(SHOTS, `texts-legend-${width}x${height}.png`) });
      await page.keyboard.press("?");
      const help = page.getByRole("dialog", { name: "Help" });
      await help.getByText("inspect the next / previous message").waitFor();
      await page.screenshot({ path: path.join(SHOTS, `texts-help-${width}x${height}.png`) });
      await page.keyboard.press("Escape");
      await page.evaluate(() => window.raftPlayground.showPanel("setup"));
      await page.locator('.opt[data-name="pre_vote"]').getByText("cannot depose a working leader").waitFor();
      assert.equal(urls.length, 1, "fetched once for the Legend, the help and Setup");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test("a failed fetch is said in the help, and Retry fetches the texts again", async () => {
  const { page, context } = await openPage(env.browser, `${env.srv.url}index.html?seed=3&servers=5&paused=1`);
  try {
    await page.route("**/panel-texts.txt", (route) => route.fulfill({ status: 404, body: "no" }));
    await page.keyboard.press("?");
    const help = page.getByRole("dialog", { name: "Help" });
    const error = help.getByRole("alert");
    await error.waitFor();
    assert.match(await error.textContent(), /could not load panel-texts\.txt \(404/);
    // The page runs on.
    await page.evaluate(() => window.raftPlayground.advance(2000));
    assert.equal(await page.locator("svg.ring [data-server]").count(), 5);
    await page.unroute("**/panel-texts.txt");
    await help.getByRole("button", { name: "Retry" }).click();
    await help.getByText("inspect the next / previous message").waitFor();
    assert.equal(await help.getByRole("alert").count(), 0);
  } finally {
    await context.close();
  }
});
