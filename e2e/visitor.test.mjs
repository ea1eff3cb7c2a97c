// End-to-end tests of what a first-time visitor, a teacher and a phone user
// stumbled on (issue 7): catching messages, telling them apart, reading the
// ring at embed and projector sizes, the server's menu, a first visit that
// moves at once, and phones. node --test e2e/ (after trunk build); DIST=dir
// runs them against another build.
import { test } from "node:test";
import assert from "node:assert/strict";
import { servedPageAndBrowser, openPage, reachTerm } from "./lib.mjs";

const env = servedPageAndBrowser();

const state = (page) => page.evaluate(() => window.raftPlayground.state());

/** Runs virtual time in slices until `cond(state)` holds (through the page's own API). */
async function advanceUntil(page, cond, limit = 8000, slice = 50) {
  return page.evaluate(
    ({ src, limit, slice }) => {
      const f = new Function("s", `return (${src})(s);`);
      const rp = window.raftPlayground;
      for (let t = 0; t <= limit; t += slice) {
        if (f(rp.state())) return true;
        rp.advance(slice);
      }
      return f(rp.state());
    },
    { src: cond.toString(), limit, slice },
  );
}

/** Where each message in flight is drawn on screen: { id: [x, y] }. */
const messageCentres = (page) =>
  page.evaluate(() => {
    const out = {};
    for (const m of window.raftPlayground.state().messages) {
      const el = document.querySelector(`svg.ring [data-message="${m.id}"]`);
      if (!el) continue;
      const b = el.getBoundingClientRect();
      out[m.id] = [b.left + b.width / 2, b.top + b.height / 2];
    }
    return out;
  });

/** Each server's disc on screen (its shape): { id, x, y, r }. */
const serverDiscs = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("svg.ring [data-server]")].map((g) => {
      const b = g.querySelector(".body").getBoundingClientRect();
      return { id: Number(g.getAttribute("data-server")), x: b.left + b.width / 2, y: b.top + b.height / 2, r: b.width / 2 };
    }),
  );

const inspectorOf = (page, id) => page.getByRole("region", { name: `Message #${id}` });

// ----- 1. moving messages are easy to catch --------------------------------------------

test("a click beside a message, outside its drawing, inspects it (a 44-pixel target)", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=4&paused=1`, { width: 800, height: 600 });
  try {
    assert.ok(await advanceUntil(page, (s) => s.leader !== null));
    // A message alone in its neighbourhood, and a point 15 px from its centre that is on
    // nothing else (no server, no client, no other message within 24 px).
    let found = null;
    for (let tries = 0; tries < 60 && !found; tries++) {
      await page.evaluate(() => window.raftPlayground.advance(7));
      const centres = Object.entries(await messageCentres(page));
      for (const [id, [x, y]] of centres) {
        for (const [dx, dy] of [[15, 0], [-15, 0], [0, 15], [0, -15], [11, 11], [-11, -11], [11, -11], [-11, 11]]) {
          const [px, py] = [x + dx, y + dy];
          const clear = centres.every(([other, [ox, oy]]) => other === id || Math.hypot(ox - px, oy - py) > 24);
          const under = await page.evaluate(([px, py]) => {
            const el = document.elementFromPoint(px, py);
            return el ? (el.closest(".server, .client-box, [data-message]") ? "taken" : el.closest("svg.ring") ? "ring" : "off") : "off";
          }, [px, py]);
          if (clear && under === "ring") {
            found = { id, px, py };
            break;
          }
        }
        if (found) break;
      }
    }
    assert.ok(found, "a lone message in flight");
    await page.mouse.click(found.px, found.py);
    await inspectorOf(page, found.id).waitFor({ timeout: 2000 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the pointer resting on a message holds the clock; leaving plays on, unless the visitor had paused", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=4&paused=1`, { width: 1280, height: 800 });
  try {
    assert.ok(await advanceUntil(page, (s) => s.leader !== null && s.messages.some((m) => m.progress < 0.4)));
    const ring = await page.locator("svg.ring").first().boundingBox();
    const blank = [ring.x + 4, ring.y + 4]; // a corner of the ring: no message goes there
    await page.mouse.move(...blank);
    await page.evaluate(() => {
      window.raftPlayground.setSpeed(0.001); // the slowest: the message stays put under load too
      window.raftPlayground.play();
    });
    const onMessage = async () => {
      const centres = Object.values(await messageCentres(page));
      await page.mouse.move(...centres[0], { steps: 2 });
    };
    await onMessage();
    await page.waitForFunction(() => !window.raftPlayground.state().playing, null, { timeout: 3000 });
    assert.equal(await page.locator("button.play").getAttribute("data-held"), "true", "the play button says why it paused");
    await page.mouse.move(...blank, { steps: 2 });
    await page.waitForFunction(() => window.raftPlayground.state().playing, null, { timeout: 3000 });
    // A visitor who paused stays paused when the pointer comes and goes.
    await page.evaluate(() => window.raftPlayground.pause());
    await onMessage();
    await page.mouse.move(...blank, { steps: 2 });
    await page.waitForTimeout(300);
    assert.equal((await state(page)).playing, false);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a real mouse on a message in flight lights it on the ring and its arrow in the Diagram; leaving the ring puts both out", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=4&paused=1`, { width: 1280, height: 800 });
  try {
    assert.ok(await advanceUntil(page, (s) => s.leader !== null && s.messages.length >= 2));
    await page.getByRole("tab", { name: "Diagram" }).click();
    const ring = await page.locator("svg.ring").first().boundingBox();
    await page.mouse.move(ring.x + 4, ring.y + 4); // a corner of the ring: no message goes there
    // A message whose centre is on it alone (no other message within 30 px, no server, no client there).
    let found = null;
    for (let tries = 0; tries < 60 && !found; tries++) {
      const centres = Object.entries(await messageCentres(page));
      for (const [id, [x, y]] of centres) {
        const clear = centres.every(([other, [ox, oy]]) => other === id || Math.hypot(ox - x, oy - y) > 30);
        const under = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest(".server, .client-box, [data-message]")?.getAttribute("data-message"), [x, y]);
        if (clear && under === id) {
          found = { id, x, y };
          break;
        }
      }
      if (!found) await page.evaluate(() => window.raftPlayground.advance(7));
    }
    assert.ok(found, "a lone message in flight");
    const { id } = found;
    // Whether message `id`'s arrow is drawn lit (its line 5 px wide), and the messages lit on the ring.
    const arrowLit = (id) =>
      page.evaluate((id) => {
        const l = document.querySelector(`.diagram-svg g[data-id="${id}"] line`);
        return !!l && getComputedStyle(l).strokeWidth === "5px";
      }, id);
    const hovered = () => page.evaluate(() => [...document.querySelectorAll("svg.ring .msg.hovered")].map((m) => m.getAttribute("data-message")));
    await page.locator(`.diagram-svg g[data-id="${id}"] line`).waitFor({ timeout: 3000 });
    assert.equal(await arrowLit(id), false, "nothing lit at first");
    assert.deepEqual(await hovered(), []);

    await page.mouse.move(found.x, found.y, { steps: 3 });
    await page.waitForFunction((id) => document.querySelector(`svg.ring .msg.hovered[data-message="${id}"]`), id, { timeout: 3000 });
    assert.deepEqual(await hovered(), [id], "that message alone is lit on the ring");
    const ringMark = (id) => page.evaluate((id) => !!document.querySelector(`svg.ring [data-message="${id}"] .mark-ring`), id);
    assert.ok(await ringMark(id), "it wears the dashed ring of the one a click would inspect");
    assert.equal(await page.locator("svg.ring [data-message] .mark-ring").count(), 1);
    await page.waitForFunction(
      (id) => getComputedStyle(document.querySelector(`.diagram-svg g[data-id="${id}"] line`)).strokeWidth === "5px",
      id,
      { timeout: 3000 },
    );
    const lit = await page.evaluate(() =>
      [...document.querySelectorAll(".diagram-svg g[data-id]")].filter((g) => getComputedStyle(g.querySelector("line") || g).strokeWidth === "5px").map((g) => g.getAttribute("data-id")),
    );
    assert.deepEqual(lit, [id], "its arrow alone is lit in the Diagram");

    // The pointer leaves the ring (over the toolbar): both go out.
    await page.mouse.move(ring.x + ring.width / 2, 2, { steps: 3 });
    await page.waitForFunction(() => !document.querySelector("svg.ring .msg.hovered"), null, { timeout: 3000 });
    await page.waitForFunction(
      (id) => getComputedStyle(document.querySelector(`.diagram-svg g[data-id="${id}"] line`)).strokeWidth !== "5px",
      id,
      { timeout: 3000 },
    );
    assert.equal(await ringMark(id), false);
    assert.equal(await arrowLit(id), false);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("M and Shift+M inspect the next and the previous message in flight, the inspector following", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=4&paused=1`, { width: 1280, height: 800 });
  try {
    assert.ok(await advanceUntil(page, (s) => s.leader !== null && s.messages.length >= 3, 8000, 5));
    const ids = (await state(page)).messages.map((m) => m.id).sort((a, b) => a - b);
    await page.keyboard.press("m");
    await inspectorOf(page, ids[0]).waitFor({ timeout: 2000 });
    await page.keyboard.press("m");
    await inspectorOf(page, ids[1]).waitFor({ timeout: 2000 });
    await page.keyboard.press("m");
    await inspectorOf(page, ids[2]).waitFor({ timeout: 2000 });
    await page.keyboard.press("Shift+M");
    await inspectorOf(page, ids[1]).waitFor({ timeout: 2000 });
    assert.equal((await state(page)).playing, false);
    await page.keyboard.press("?");
    // The help's text is fetched with the other panels' texts (panel-texts.txt) when it first opens.
    await page.getByRole("dialog", { name: "Help" }).getByText("inspect the next / previous message").waitFor();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("stray clicks do nothing destructive: a double click on a server's edge performs no action from its menu", async () => {
  for (const [width, height] of [[1280, 800], [800, 600]]) {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=4&paused=1`, { width, height });
    try {
      assert.ok(await advanceUntil(page, (s) => s.leader !== null));
      const ring = await page.locator("svg.ring").first().boundingBox();
      const mid = ring.x + ring.width / 2;
      for (const d of await serverDiscs(page)) {
        const before = await page.evaluate(() => window.raftPlayground.traceHash());
        // The edge facing the middle, below the centre: where a hurried click aimed at a message lands.
        const side = d.x < mid ? 1 : -1;
        await page.mouse.dblclick(d.x + side * 0.8 * d.r, d.y + 0.5 * d.r);
        await page.waitForTimeout(50);
        const s = await state(page);
        assert.equal(await page.evaluate(() => window.raftPlayground.traceHash()), before, `nothing happened to the run (S${d.id}, ${width}x${height})`);
        assert.ok(s.servers.every((v) => v.up && !v.disconnected) && s.client.length === 0);
        await page.keyboard.press("Escape");
      }
      // The second click of a double click never acts, wherever it lands.
      await page.evaluate(() => window.raftPlayground.select(1));
      const crash = page.getByRole("menuitem", { name: "Crash S1" });
      await crash.dispatchEvent("click", { detail: 2 });
      assert.equal((await state(page)).servers[0].up, true, "a click with detail 2 is not an action");
      await crash.click();
      assert.equal((await state(page)).servers[0].up, false, "a deliberate click is");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

// ----- 2. every kind of message has its own shape --------------------------------------

test("every kind of message is told apart by its shape alone, in the ring and in the legend", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=4&paused=1`, { width: 1280, height: 800 });
  try {
    // Collect each kind's drawing from the ring (replies saying ✓), as it flies.
    const collect = () =>
      page.evaluate(async () => {
        const rp = window.raftPlayground;
        const got = (window.__glyphs ||= {});
        const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        const look = async () => {
          await frame();
          for (const m of rp.state().messages) {
            if (got[m.kind] || (m.reply && m.ok !== true) || m.duplicate) continue;
            const el = document.querySelector(`svg.ring [data-message="${m.id}"]`);
            if (el) got[m.kind] = [...el.children].filter((c) => !c.classList.contains("mark-ring")).map((c) => c.outerHTML).join("");
          }
        };
        for (let t = 0; t < 600; t += 3) {
          rp.advance(3);
          await look();
          if (rp.state().leader) break;
        }
        rp.write("x", 1);
        for (let t = 0; t < 300; t += 3) {
          rp.advance(3);
          await look();
        }
        const s = rp.state();
        rp.transferLeadership(s.servers.find((v) => v.role === "follower").id);
        for (let t = 0; t < 400; t += 3) {
          rp.advance(3);
          await look();
        }
        return Object.keys(got).sort();
      });
    const seen = await collect();
    const ALL = ["AppendEntries", "AppendReply", "ClientReply", "ClientRequest", "Heartbeat", "RequestVote", "TimeoutNow", "VoteReply"];
    assert.deepEqual(seen, ALL, "every kind flew");
    // Draw them side by side, every colour the same grey: only shapes and marks remain.
    const diffs = await page.evaluate(async (ALL) => {
      const box = document.createElement("div");
      box.id = "glyph-row";
      box.style.cssText = "position:fixed;left:0;top:0;z-index:999;background:#fff;padding:4px;display:flex;gap:4px;" +
        "--t0:#888;--t1:#888;--t2:#888;--t3:#888;--t4:#888;--t5:#888;--t6:#888;--ink:#000;--surface:#fff";
      for (const k of ALL) {
        box.insertAdjacentHTML("beforeend",
          `<svg class="ring" data-k="${k}" viewBox="-16 -16 32 32" width="32" height="32" style="width:32px;height:32px;background:#fff"><g class="msg">${window.__glyphs[k]}</g></svg>`);
      }
      document.body.appendChild(box);
      return true;
    }, ALL);
    assert.ok(diffs);
    const pixels = {};
    for (const k of ALL) {
      const png = await page.locator(`svg[data-k="${k}"]`).screenshot();
      pixels[k] = await page.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement("canvas");
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext("2d");
        ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        const out = [];
        for (let i = 0; i < d.length; i += 4) out.push((d[i] + d[i + 1] + d[i + 2]) / 3);
        return out;
      }, png.toString("base64"));
    }
    // The share of the picture that differs, pixel by pixel (0: the same drawing).
    const differ = (a, b) => a.reduce((sum, v, i) => sum + Math.abs(v - b[i]), 0) / (a.length * 255);
    const pairs = [];
    for (let i = 0; i < ALL.length; i++) {
      for (let j = i + 1; j < ALL.length; j++) pairs.push([ALL[i], ALL[j], differ(pixels[ALL[i]], pixels[ALL[j]])]);
    }
    pairs.sort((a, b) => a[2] - b[2]);
    const least = pairs[0];
    console.log(`# closest shapes: ${least[0]} and ${least[1]} differ by ${(least[2] * 100).toFixed(1)}%`);
    console.log(`# ${pairs.slice(0, 6).map(([a, b, d]) => `${a}/${b} ${(d * 100).toFixed(1)}%`).join(", ")}`);
    for (const [a, b, d] of pairs) assert.ok(d >= 0.08, `${a} and ${b} look alike without colour: ${(d * 100).toFixed(1)}% differs`);
    // The legend draws each kind with the ring's own shapes.
    await page.evaluate(() => document.getElementById("glyph-row").remove());
    await page.getByRole("tab", { name: "Legend" }).click();
    await page.locator(".legend li[data-kind]").first().waitFor();
    for (const k of ALL) {
      const legend = await page.evaluate((k) => {
        const li = document.querySelector(`.legend li[data-kind="${k}"] svg.mini`);
        return li ? [...li.querySelectorAll("circle, rect, path")].map((e) => e.tagName + (e.getAttribute("d") || e.getAttribute("r") || e.getAttribute("width"))).join() : null;
      }, k);
      const ring = await page.evaluate((k) => {
        const g = document.createElement("div");
        g.innerHTML = `<svg>${window.__glyphs[k]}</svg>`;
        return [...g.querySelectorAll("circle, rect, path")].map((e) => e.tagName + (e.getAttribute("d") || e.getAttribute("r") || e.getAttribute("width"))).join();
      }, k);
      assert.equal(legend, ring, `the legend's ${k} is the ring's`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// ----- 3. readable at embed and projector sizes ------------------------------------------

/** The rendered size (px) of every word of the ring but the marks inside message glyphs: on the
 * ring and on the layer over it (the group tags), not the tags' unseen copies on the ring (which
 * take the pointer there), nor anything else unseen. */
const ringWords = (page) =>
  page.evaluate(() => {
    const seen = (t) => {
      for (let e = t; e instanceof SVGElement; e = e.parentElement) if (getComputedStyle(e).opacity === "0") return false;
      return t.getClientRects().length > 0 && getComputedStyle(t).display !== "none";
    };
    return [...document.querySelectorAll("svg.ring text")]
      .filter((t) => !t.closest(".msg") && !t.closest(".server .group-tag") && seen(t))
      .map((t) => ({
        text: t.textContent,
        cls: t.getAttribute("class") || t.parentElement.getAttribute("class"),
        px: parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a,
      }));
  });

/** Boxes of server labels and terms, and each server's disc, on screen. */
const serverWords = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("svg.ring [data-server]")].map((g) => {
      const box = (el) => {
        const b = el.getBoundingClientRect();
        return { l: b.left, t: b.top, r: b.right, b: b.bottom };
      };
      const body = g.querySelector(".body").getBoundingClientRect();
      const stroke = parseFloat(getComputedStyle(g.querySelector(".body")).strokeWidth) * g.ownerSVGElement.getScreenCTM().a;
      return {
        id: g.getAttribute("data-server"),
        label: box(g.querySelector(".label")),
        term: box(g.querySelector(".term")),
        termText: g.querySelector(".term").textContent,
        disc: { x: body.left + body.width / 2, y: body.top + body.height / 2, r: body.width / 2 - stroke / 2 },
      };
    }),
  );

const meets = (a, b) => a.l < b.r && b.l < a.r && a.t < b.b && b.t < a.b;

/** Whether the box lies inside the disc (its four corners), with `slack` px. */
const inDisc = (box, d, slack = 0.5) =>
  [[box.l, box.t], [box.r, box.t], [box.l, box.b], [box.r, box.b]].every(([x, y]) => Math.hypot(x - d.x, y - d.y) <= d.r + slack);

test("at 800x600 every word of the ring is at least 12 px, with 3, 5, 7 and 9 servers at term 9; nothing overlaps", async () => {
  for (const n of [3, 5, 7, 9]) {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1&servers=${n}`, { width: 800, height: 600 });
    try {
      await reachTerm(page, 9);
      // A candidate (its votes), a partition (group letters) and a crashed server: every kind of word.
      await page.evaluate((n) => {
        const rp = window.raftPlayground;
        rp.partition([[1], [...Array(n - 1).keys()].map((i) => i + 2)]);
        const s = rp.state();
        rp.crash(s.servers.find((v) => v.role === "follower" && v.id !== 1).id);
        rp.timeout(1);
        rp.advance(5);
      }, n);
      await page.waitForTimeout(100);
      const words = await ringWords(page);
      for (const cls of ["name", "term", "label", "client-box", "group-tag"]) {
        assert.ok(words.some((w) => w.cls === cls), `some ${cls} words are drawn (${n} servers)`);
      }
      for (const w of words) assert.ok(w.px >= 11.95, `"${w.text}" (${w.cls}) is ${w.px.toFixed(1)} px with ${n} servers`);
      const sw = await serverWords(page);
      for (const s of sw) assert.ok(inDisc(s.term, s.disc), `S${s.id}'s "${s.termText}" stays in its circle (${n} servers)`);
      for (const a of sw) {
        for (const b of sw) {
          if (a.id < b.id) assert.ok(!meets(a.label, b.label), `the labels of S${a.id} and S${b.id} do not overlap (${n} servers)`);
        }
      }
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test("a term of 7492 stays inside its circle with 9 servers, at every size", async () => {
  for (const [width, height] of [[1280, 800], [800, 600], [480, 360]]) {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=3&paused=1&servers=9`, { width, height });
    try {
      const term = await page.evaluate(() => {
        const rp = window.raftPlayground;
        for (let i = 2; i <= 9; i++) rp.crash(i);
        for (let k = 0; k < 7492; k++) {
          rp.timeout(1);
          if (k % 100 === 99) rp.advance(40);
        }
        rp.advance(40);
        return rp.state().servers[0].term;
      });
      assert.equal(term, 7492);
      // The page draws the change on a frame after this long burst of calls: wait for it (bounded),
      // then measure where the words are.
      await page
        .waitForFunction(() => /7492/.test(document.querySelector("svg.ring [data-server]").textContent), null, { timeout: 10000 })
        .catch(() => {});
      await page.waitForTimeout(100);
      const s1 = (await serverWords(page))[0];
      assert.match(s1.termText, /7492/);
      assert.ok(inDisc(s1.term, s1.disc), `"${s1.termText}" fits in S1's circle at ${width}x${height}: ${JSON.stringify(s1)}`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test("links run from edge to edge, never through a server", async () => {
  for (const n of [3, 5, 9]) {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1&servers=${n}`, { width: 1280, height: 800 });
    try {
      const bad = await page.evaluate(() => {
        const discs = [...document.querySelectorAll("svg.ring [data-server]")].map((g) => {
          const m = /translate\(([-\d.]+)[ ,]+([-\d.]+)\)/.exec(g.getAttribute("transform"));
          return { x: Number(m[1]), y: Number(m[2]), r: Number(g.querySelector(".body").getAttribute("r") || 0) };
        });
        const out = [];
        for (const l of document.querySelectorAll("svg.ring line.link")) {
          for (const [x, y] of [[l.x1, l.y1], [l.x2, l.y2]].map(([a, b]) => [a.baseVal.value, b.baseVal.value])) {
            for (const d of discs) if (Math.hypot(x - d.x, y - d.y) < d.r + 4) out.push([x, y, d]);
          }
        }
        return { lines: document.querySelectorAll("svg.ring line.link").length, bad: out };
      });
      assert.ok(bad.lines >= n, "links are drawn");
      assert.deepEqual(bad.bad, [], `${n} servers`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

/** WCAG contrast ratio of two CSS colours "rgb(r, g, b)". */
function contrast(a, b) {
  const lum = (c) => {
    const [r, g, bl] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

test("every message's outline stands out from the background (3:1) in every term's colour, light and dark", async () => {
  for (const colorScheme of ["light", "dark"]) {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1`, { width: 1280, height: 800, colorScheme });
    try {
      const seen = new Set();
      for (let term = 1; term <= 7; term++) {
        await reachTerm(page, term);
        for (let k = 0; k < 6; k++) {
          await page.evaluate(() => window.raftPlayground.advance(9));
          await page.waitForTimeout(40);
          const edges = await page.evaluate(() => {
            const bg = getComputedStyle(document.body).backgroundColor;
            return [...document.querySelectorAll("svg.ring .msg[data-message]")].map((g) => {
              // The outermost painted shape (not a transparent hit area, not the selection ring).
              const painted = (c) => {
                const cs = getComputedStyle(c);
                const seen = (p) => p !== "none" && !/rgba\(.*, 0\)$/.test(p);
                return seen(cs.fill) || (seen(cs.stroke) && parseFloat(cs.strokeWidth) > 0);
              };
              const shape = [...g.children].find((c) => /^(circle|rect|path)$/.test(c.tagName) && !c.classList.contains("mark-ring") && painted(c));
              const cs = getComputedStyle(shape);
              const stroked = cs.stroke !== "none" && !/rgba\(.*, 0\)$/.test(cs.stroke) && parseFloat(cs.strokeWidth) > 0;
              return { kind: g.getAttribute("class"), term: g.querySelector("[class*=tf]")?.getAttribute("class"), edge: stroked ? cs.stroke : cs.fill, bg };
            });
          });
          for (const e of edges) {
            seen.add(e.kind);
            const c = contrast(e.edge, e.bg);
            assert.ok(c >= 3, `${e.kind} (${e.term}) edge ${e.edge} on ${e.bg}: ${c.toFixed(2)}:1 (${colorScheme})`);
          }
        }
      }
      assert.ok([...seen].some((k) => /Heartbeat/.test(k)) && [...seen].some((k) => /Reply/.test(k)), `heartbeats and replies were checked: ${[...seen]}`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test("at 480x360 every server still shows its role and term, and the tabs keep to one row", async () => {
  for (const n of [3, 5, 9]) {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1&servers=${n}`, { width: 480, height: 360 });
    try {
      await reachTerm(page, 3);
      await page.waitForTimeout(100);
      const shown = await page.evaluate(() =>
        [...document.querySelectorAll("svg.ring [data-server]")].map((g, i) => {
          const vis = (el) => {
            if (!el || getComputedStyle(el).display === "none") return null;
            const b = el.getBoundingClientRect();
            return b.width > 0 && b.left >= 0 && b.top >= 0 && b.right <= innerWidth && b.bottom <= innerHeight ? el.textContent : null;
          };
          const term = window.raftPlayground.state().servers[i].term;
          return { role: vis(g.querySelector(".label-role")), term: vis(g.querySelector(".term")), want: g.getAttribute("data-role"), t: term };
        }),
      );
      for (const s of shown) {
        assert.ok(s.role && s.role.startsWith(s.want), `role shown: ${JSON.stringify(s)}`);
        assert.ok(s.term === `term ${s.t}` || s.term === `t${s.t}`, `term shown: ${JSON.stringify(s)}`);
      }
      const tops = await page.evaluate(() => [...document.querySelectorAll('[role="tab"]')].filter((t) => t.offsetWidth > 0).map((t) => t.offsetTop));
      assert.equal(new Set(tops).size, 1, `the tabs on one row: ${tops}`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

// ----- 4. the server's menu ----------------------------------------------------------------

test("a server's menu opens beside it, covering neither it nor the client, at every size", async () => {
  const sizes = [[1280, 800], [800, 600], [480, 360]];
  for (const [width, height] of sizes) {
    for (const n of [3, 5, 9]) {
      const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1&servers=${n}`, { width, height });
      try {
        for (let i = 1; i <= n; i++) {
          await page.evaluate((i) => window.raftPlayground.select(i), i);
          await page.waitForFunction(() => {
            const m = document.querySelector(".menu");
            return m && getComputedStyle(m).opacity === "1";
          });
          await page.waitForTimeout(30);
          const r = await page.evaluate((i) => {
            const box = (el) => {
              const b = el.getBoundingClientRect();
              return { l: b.left, t: b.top, r: b.right, b: b.bottom };
            };
            const g = document.querySelector(`svg.ring [data-server="${i}"]`);
            const body = g.querySelector(".body").getBoundingClientRect();
            const k = g.ownerSVGElement.getScreenCTM().a;
            return {
              menu: box(document.querySelector(".menu")),
              // The server's shape and its timer arc (10 units beyond its radius).
              server: { x: body.left + body.width / 2, y: body.top + body.height / 2, r: body.width / 2 + 8 * k },
              client: box(document.querySelector("svg.ring .client-box rect:not(.hit)")),
            };
          }, i);
          const { menu, server, client } = r;
          const nx = Math.max(menu.l, Math.min(server.x, menu.r));
          const ny = Math.max(menu.t, Math.min(server.y, menu.b));
          const where = `S${i} of ${n} at ${width}x${height}`;
          assert.ok(Math.hypot(nx - server.x, ny - server.y) >= server.r, `the menu does not cover ${where}: ${JSON.stringify(r)}`);
          assert.ok(!meets(menu, client), `the menu does not cover the client (${where})`);
          assert.ok(menu.l >= 0 && menu.t >= 0 && menu.r <= width && menu.b <= height, `the menu is on screen (${where}): ${JSON.stringify(menu)}`);
        }
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    }
  }
});

test("every action closes the menu, and after one chosen with the keyboard the focus is back on the server", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1`, { width: 1280, height: 800 });
  try {
    assert.ok(await advanceUntil(page, (s) => s.leader !== null));
    await page.click('svg.ring [data-server="1"] .body');
    await page.getByRole("menuitem", { name: /Client write/ }).click();
    assert.equal(await page.getByRole("menu").count(), 0, "a write closes the menu");
    await page.click('svg.ring [data-server="2"] .body');
    await page.getByRole("menuitem", { name: "Disconnect" }).click();
    assert.equal(await page.getByRole("menu").count(), 0, "a fault closes it too");
    // The keyboard: 3 opens S3's menu, ↓ Enter disconnects it, and the focus is on S3 again.
    await page.keyboard.press("3");
    await page.getByRole("menu", { name: "Actions on S3" }).waitFor();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    assert.equal(await page.getByRole("menu").count(), 0);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-server")), "3");
    assert.equal((await state(page)).servers[2].disconnected, true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// ----- 5. a first visit moves at once -------------------------------------------------------

test("a first visit at the default speed shows an election within seconds, says what is coming, then settles", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=11`, { width: 1280, height: 800 });
  try {
    // Nothing runs out for at least 150 virtual ms: 6 s of wall time at the default speed.
    const shown = await page.evaluate(() => performance.now()); // the page is on screen (openPage waited for it)
    assert.match(await page.locator(".hint").textContent(), /election timer|runs out/);
    const at = await page.waitForFunction(
      () => {
        const s = window.raftPlayground.state();
        return (s.messages.length > 0 || s.servers.some((v) => v.role !== "follower")) && performance.now();
      },
      null,
      { timeout: 6000, polling: 50 },
    );
    const ms = await at.jsonValue();
    console.log(`# the first candidate appeared ${((ms - shown) / 1000).toFixed(1)} s after the page was on screen (${(ms / 1000).toFixed(1)} s after it began loading)`);
    assert.ok(ms - shown < 4000, `something moved ${ms - shown} ms after the page was on screen`);
    // Then the default speed: 40 times slower.
    await page.waitForFunction(() => /40× slower/.test(document.querySelector(".speed-label").textContent), null, { timeout: 2000 });
    assert.equal((await state(page)).speed, 0.025);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

// ----- 6. phones -------------------------------------------------------------------------

/** Every control on screen that is smaller than 44 px either way. */
const smallTargets = (page) =>
  page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('button, input, select, [role="tab"], [role="button"], [role="menuitem"]')) {
      const b = el.getBoundingClientRect();
      if (b.width === 0 || b.height === 0 || b.right <= 0 || b.bottom <= 0 || b.left >= innerWidth || b.top >= innerHeight) continue;
      if (getComputedStyle(el).visibility === "hidden") continue;
      // A tab scrolled half out of view is still one tap from view: its full size counts.
      if (b.width < 44 || b.height < 44) out.push(`${el.tagName.toLowerCase()} "${(el.getAttribute("aria-label") || el.textContent).trim().slice(0, 30)}" ${Math.round(b.width)}x${Math.round(b.height)}`);
    }
    return out;
  });

for (const [width, height] of [[390, 844], [844, 390]]) {
  test(`a phone at ${width}x${height}: tap a server, crash it, write, read the log, inspect a message; targets of 44 px; no page scroll`, async () => {
    const context = await env.browser.newContext({ viewport: { width, height }, hasTouch: true, isMobile: true });
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    try {
      await page.goto(`${env.srv.url}index.html?seed=7&paused=1`);
      await page.waitForFunction(() => window.raftPlayground && document.querySelector("svg.ring [data-server]"));
      assert.ok(await advanceUntil(page, (s) => s.leader !== null));
      const ring = await page.locator("svg.ring").first().boundingBox();
      if (height > width) {
        assert.ok(ring.width >= width * 0.95, `the ring is as wide as the screen: ${ring.width}`);
        const tabs = await page.locator('[role="tablist"]').boundingBox();
        assert.ok(tabs.y >= ring.y + ring.height - 1, "the panels are under the ring");
      } else {
        const side = await page.locator(".side").boundingBox();
        assert.ok(side.x >= ring.x + ring.width - 1 && side.y < ring.y + ring.height, "ring and panels side by side");
      }
      assert.deepEqual(await smallTargets(page), [], "the toolbar, the ring and the tabs");
      const victim = (await state(page)).servers.find((s) => s.role === "follower");
      await page.locator(`svg.ring [data-server="${victim.id}"] .body`).tap();
      const menu = page.getByRole("menu", { name: `Actions on ${victim.name}` });
      await menu.waitFor();
      assert.deepEqual(await smallTargets(page), [], "the menu");
      await menu.getByRole("menuitem", { name: `Crash ${victim.name}` }).tap();
      assert.equal((await state(page)).servers[victim.id - 1].up, false);
      await page.getByRole("tab", { name: "Client" }).tap();
      await page.getByLabel("Key to write").tap();
      await page.getByLabel("Key to write").fill("k");
      await page.getByLabel("Value to write").fill("42");
      assert.deepEqual(await smallTargets(page), [], "the client panel");
      await page.getByRole("button", { name: "Write", exact: true }).tap();
      assert.ok(await advanceUntil(page, (s) => s.client.length === 1 && s.client[0].status === "acknowledged"));
      await page.getByRole("tab", { name: "Logs" }).tap();
      await page.evaluate(() => window.raftPlayground.advance(200));
      const leader = (await state(page)).leader.replace("S", "");
      await page.waitForFunction((l) => [...document.querySelectorAll(`[data-log="${l}"] .cell.committed .cmd`)].some((c) => c.textContent === "k←42"), leader);
      // Tap near a message: its inspector opens, with buttons as big as a finger.
      assert.ok(await advanceUntil(page, (s) => s.messages.some((m) => m.progress > 0.3 && m.progress < 0.7), 2000, 3));
      const m = (await state(page)).messages.find((x) => x.progress > 0.3 && x.progress < 0.7);
      const [x, y] = (await messageCentres(page))[m.id];
      await page.touchscreen.tap(x + 6, y + 6);
      const nearest = await page.getByRole("region", { name: /^Message #/ }).getAttribute("aria-label");
      assert.ok(nearest, "a tap inspects a message");
      assert.deepEqual(await smallTargets(page), [], "the inspector");
      await page.getByRole("button", { name: "Close the inspector" }).tap();
      for (const tab of ["Network", "Setup", "State", "Events", "Legend"]) {
        await page.getByRole("tab", { name: tab }).tap();
        if (tab === "Legend") await page.locator(".legend li[data-kind]").first().waitFor();
        assert.deepEqual(await smallTargets(page), [], `the ${tab} panel`);
      }
      const scroll = await page.evaluate(() => ({
        x: document.documentElement.scrollWidth > innerWidth,
        y: document.documentElement.scrollHeight > innerHeight,
      }));
      assert.deepEqual(scroll, { x: false, y: false }, "no page scroll");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}
