// The Diagram's lane marks at the default zoom with 9 servers (issue 12: "labels not
// overlapping at the default zoom"): after an election and writes, the labels of the
// marks (their <text>: "♛ leader t1", "+2", "✓2", "write #0"...) drawn in the visible
// part of the drawing do not overlap one another's boxes, beyond a pixel's rounding.
// Saves target/screenshots/diagram-marks-9servers-1280x800-<scheme>.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { servedPageAndBrowser, openPage, setUpNineServerDiagram, SHOTS } from "./lib.mjs";

const env = servedPageAndBrowser();

/** The 9-server run (e2e/lib.mjs), with a leader. */
async function nineServersWithWrites(page) {
  assert.ok(await setUpNineServerDiagram(page), "a leader");
}

/** The boxes (client rects) of the mark labels shown in the drawing's visible part. */
function labelBoxes(page) {
  return page.evaluate(() => {
    const view = document.querySelector(".diagram-svg").getBoundingClientRect();
    return [...document.querySelectorAll(".diagram-svg text[paint-order]")]
      .map((t) => {
        const r = t.getBoundingClientRect();
        return { text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      })
      .filter((b) => b.right > view.left && b.left < view.right && b.bottom > view.top && b.top < view.bottom);
  });
}

/** The pairs of boxes that overlap by more than `slack` px both across and down. */
function overlaps(boxes, slack = 1) {
  const out = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (across > slack && down > slack) out.push(`"${a.text}" and "${b.text}" (${across.toFixed(1)} x ${down.toFixed(1)} px)`);
    }
  }
  return out;
}

test("the overlap check finds overlapping boxes and lets touching ones be", () => {
  const box = (text, left, top, w = 40, h = 12) => ({ text, left, top, right: left + w, bottom: top + h });
  assert.deepEqual(overlaps([box("a", 0, 0), box("b", 39.5, 0), box("c", 0, 11.5)]), []);
  assert.equal(overlaps([box("a", 0, 0), box("b", 30, 5)]).length, 1);
});

for (const scheme of ["light", "dark"]) {
  test(`9 servers at the default zoom, ${scheme}: the Diagram's mark labels do not overlap`, async () => {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1&servers=9`, {
      width: 1280,
      height: 800,
      colorScheme: scheme,
    });
    try {
      await nineServersWithWrites(page);
      const file = path.join(SHOTS, `diagram-marks-9servers-1280x800-${scheme}.png`);
      await page.screenshot({ path: file });
      const boxes = await labelBoxes(page);
      const texts = boxes.map((b) => b.text);
      // What the run shows: the election's marks and the writes' (not an empty drawing).
      assert.ok(texts.some((t) => /^♛ leader t\d+$/.test(t)), `a leader's crown among ${JSON.stringify(texts)}`);
      assert.ok(texts.some((t) => /^\+\d+$/.test(t)) && texts.some((t) => /^write #\d+$/.test(t)), JSON.stringify(texts));
      const bad = overlaps(boxes);
      assert.deepEqual(bad, [], `${bad.length} overlapping label pair(s) of ${boxes.length} (see ${file})`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}
