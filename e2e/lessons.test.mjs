// End-to-end tests of the lessons (issue 10): the lesson list, every available
// lesson taken from its first step to its last with Next, each question answered
// correctly through the page (servers clicked on the ring, Yes / No, a number
// typed, an option picked), Previous and Replay, ?lesson=&step=, an offer's replay.
import { test } from "node:test";
import assert from "node:assert/strict";
import { servedPageAndBrowser, openPage, state } from "./lib.mjs";
import { answers } from "./lessons.mjs";

const env = servedPageAndBrowser();

/** The step card's phase, step and lesson. */
const card = (page) =>
  page.locator(".lesson").evaluate((el) => ({ id: el.dataset.lesson, step: Number(el.dataset.step), phase: el.dataset.phase }));

/** Answers the question that waits, through the page, with `a` ({ kind, answer }). */
async function answer(page, a) {
  const [word, ...rest] = a.answer;
  if (a.kind === "servers") {
    for (const id of rest) await page.click(`svg.ring [data-server="${id}"] .body`, { force: true });
    assert.equal(await page.locator(".question .chosen").textContent(), rest.length ? rest.map((k) => `S${k}`).join(" ") : "none");
    await page.click('[data-op="check"]');
  } else if (a.kind === "yes-no") {
    await page.click(`[data-op="${word}"]`);
  } else if (a.kind === "number") {
    await page.getByLabel("Your answer, a whole number").fill(rest[0]);
    await page.getByRole("button", { name: "Check" }).click();
  } else if (a.kind === "choice") {
    await page.click(`[data-op="choice:${rest[0]}"]`);
  } else {
    throw new Error(`a question of kind ${a.kind}`);
  }
}

test("the lesson list shows every lesson by section then topic, with its length, and says why one is not available", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1`);
  try {
    await page.getByRole("tab", { name: "Lessons" }).click();
    const groups = await page.locator(".lesson-group").allTextContents();
    assert.deepEqual(groups.slice(0, 4).map((g) => g.slice(0, 17)), ["The seed text, 1.", "The seed text, 2.", "The seed text, 3.", "The seed text, 4."]);
    const list = await page.evaluate(() => window.raftPlayground.lessons());
    assert.ok(list.length >= 14);
    assert.equal(await page.locator(".lesson-item").count(), list.length);
    for (const l of list) {
      const meta = page.locator(".lesson-item", { hasText: l.title }).locator(".l-meta");
      assert.match(await meta.textContent(), new RegExp(`^${l.steps} steps · \\d+ min`));
    }
    for (const l of list.filter((l) => !l.available)) {
      const item = page.locator(".lesson-item.coming", { hasText: l.title });
      assert.match(await item.textContent(), /Coming: it needs/);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("every available lesson runs from its first step to its last with Next, each question answered right on the page", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1`);
  try {
    const list = await page.evaluate(() => window.raftPlayground.lessons());
    for (const l of list.filter((l) => l.available)) {
      const qs = answers(l.id);
      assert.equal(qs.length, l.steps, l.id);
      await page.getByRole("tab", { name: "Lessons" }).click();
      await page.click(`[data-op="open:${l.id}"]`);
      await page.waitForSelector(`.lesson[data-lesson="${l.id}"][data-step="1"]`);
      for (let k = 0; k < l.steps; k++) {
        const where = `${l.id} step ${k + 1}`;
        assert.equal((await card(page)).step, k + 1, where);
        if ((await card(page)).phase === "running") await page.click('[data-op="skip-ahead"]');
        if (qs[k]) {
          await page.waitForSelector('.lesson[data-phase="asking"]');
          await answer(page, qs[k]);
          if ((await card(page)).phase === "running") await page.click('[data-op="skip-ahead"]');
          await page.waitForSelector(".reveal");
          assert.equal(await page.locator(".reveal.right").count(), 1, `${where}: the answer ${qs[k].answer.join(" ")} is right`);
        }
        await page.waitForSelector('.lesson[data-phase="ended"]');
        assert.equal(await page.locator(".lesson .warn.bad").count(), 0, `${where}: the replay matches its recording`);
        if (k + 1 < l.steps) {
          await page.click('[data-op="next"]');
          await page.waitForSelector(`.lesson[data-step="${k + 2}"]`);
        }
      }
      assert.match(await page.locator(".step-status").textContent(), /Lesson complete/, l.id);
      assert.equal(await page.locator('[data-op="next"]').isDisabled(), true);
      assert.equal((await state(page)).safety.safe, true, `${l.id}: no safety property broke`);
      await page.click('.lesson-foot [data-op="leave"]');
      await page.waitForSelector(`[data-op="open:${l.id}"]`);
      assert.match(await page.locator(`[data-op="open:${l.id}"] .l-meta`).textContent(), /✓ done/, `${l.id} is marked done`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("Previous and Replay go back to a step's start exactly; free play and resume", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1`);
  try {
    await page.getByRole("tab", { name: "Lessons" }).click();
    await page.click('[data-op="open:catch-up"]');
    await page.waitForSelector('.lesson[data-step="1"]');
    await page.click('[data-op="next"]');
    await page.waitForSelector('.lesson[data-step="2"]');
    const start = (await state(page)).traceHash;
    await page.click('[data-op="next"]');
    await page.waitForSelector('.lesson[data-step="3"]');
    assert.notEqual((await state(page)).traceHash, start);
    await page.click('[data-op="previous"]');
    await page.waitForSelector('.lesson[data-step="2"]');
    assert.equal((await state(page)).traceHash, start, "Previous: the step before, from its start");
    if ((await card(page)).phase === "running") await page.click('[data-op="skip-ahead"]');
    await page.click('[data-op="replay"]');
    assert.equal((await state(page)).traceHash, start, "Replay: the step again from its start");
    assert.equal((await page.evaluate(() => window.raftPlayground.lessonState())).step, 2);
    // The address links the step.
    assert.equal(await page.evaluate(() => new URLSearchParams(location.search).get("step")), "2");
    // Free play: the cluster is the visitor's; the lesson can be picked up again.
    await page.click('.lesson-foot [data-op="leave"]');
    assert.equal(await page.evaluate(() => new URLSearchParams(location.search).get("lesson")), null);
    await page.evaluate(() => window.raftPlayground.crash(1));
    assert.equal((await state(page)).servers[0].role, "crashed");
    await page.click('[data-op="resume"]');
    await page.waitForSelector('.lesson[data-lesson="catch-up"][data-step="2"]');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("progress is kept in localStorage across a reload, shown in the list, and Clear progress forgets it", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=7&paused=1`);
  try {
    const kept = () => page.evaluate(() => localStorage.getItem("raftPlayground.lessons"));
    assert.equal(await kept(), null, "a fresh browser has no progress");
    await page.getByRole("tab", { name: "Lessons" }).click();
    await page.click('[data-op="open:catch-up"]');
    await page.waitForSelector('.lesson[data-step="1"]');
    await page.click('[data-op="next"]');
    await page.waitForSelector('.lesson[data-step="2"]');
    await page.click('[data-op="next"]');
    await page.waitForSelector('.lesson[data-step="3"]');
    await page.waitForFunction(() => /(^|;)catch-up=[1-9]/.test(localStorage.getItem("raftPlayground.lessons") || ""));
    const done = Number(/catch-up=(\d+)/.exec(await kept())[1]);
    // A new visit in the same browser: the list says how far the lesson went.
    await page.goto(`${env.srv.url}index.html?seed=7&paused=1`);
    await page.waitForFunction(() => window.raftPlayground && document.querySelector("svg.ring [data-server]"));
    await page.getByRole("tab", { name: "Lessons" }).click();
    const meta = page.locator('[data-op="open:catch-up"] .l-meta');
    const steps = (await page.evaluate(() => window.raftPlayground.lessons())).find((l) => l.id === "catch-up").steps;
    assert.match(await meta.textContent(), done >= steps ? /✓ done/ : new RegExp(`${done} of ${steps} done`));
    assert.equal(Number(/catch-up=(\d+)/.exec(await kept())[1]), done, "the reload kept it as it was");
    // Clear progress: the key goes, the list says nothing is done, the button is disabled.
    await page.click('[data-op="clear"]');
    await page.waitForFunction(() => localStorage.getItem("raftPlayground.lessons") === null);
    assert.doesNotMatch(await meta.textContent(), /done/);
    assert.equal(await page.locator('[data-op="clear"]').isDisabled(), true);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("?lesson=<id>&step=<n> opens that step; a bad one is said and the page opens as usual", async () => {
  {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?lesson=split-vote&step=3`);
    try {
      await page.waitForSelector('.lesson[data-lesson="split-vote"][data-step="3"]');
      const st = await page.evaluate(() => window.raftPlayground.lessonState());
      assert.equal(st.id, "split-vote");
      assert.equal(st.step, 3);
      assert.equal(st.steps, 4);
      assert.match(await page.locator(".hint").textContent(), /Lesson, step 3 of 4/);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
  for (const [query, said] of [
    ["lesson=nope", /lesson=nope \(there is no such lesson/],
    ["lesson=split-vote&step=9", /step=9 \(lesson split-vote has steps 1 to 4\)/],
  ]) {
    const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?paused=1&${query}`);
    try {
      await page.waitForSelector('[data-notice="error"]');
      assert.match(await page.locator('[data-notice="error"]').textContent(), said);
      assert.equal(await page.evaluate(() => window.raftPlayground.lessonState()), null);
      assert.equal(await page.locator("svg.ring [data-server]").count(), 5, "the default page");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test("an offer replays the step with its change on a branch of the timeline; switching branches and Back go back to the lesson", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?paused=1&lesson=election-restriction&step=3`);
  try {
    await page.waitForSelector('.lesson[data-step="3"]');
    await page.click('[data-op="branch:0"]');
    await page.waitForSelector(".branch-note");
    if ((await card(page)).phase !== "ended") await page.click('[data-op="skip-ahead"]');
    await page.waitForSelector('.lesson[data-phase="ended"]');
    // The card tells the replay, not the lesson: the offer's words, the lesson's caption marked as the lesson's.
    assert.match(await page.locator(".branch-note").textContent(), /This is the replay with the vote check switched off/);
    assert.match(await page.locator(".caption.muted").textContent(), /^In the lesson/);
    assert.match(await page.locator(".step-status.done").textContent(), /The replay with .* has played this step/);
    const s = await state(page);
    assert.ok(s.safety && JSON.stringify(s.safety).includes("Leader Completeness"), "the broken switch breaks Leader Completeness");
    assert.match(await page.locator('[data-safety="violated"]').textContent(), /broken/);
    const label = "Replay this with the vote check switched off (breaks Raft)";
    assert.equal((await page.evaluate(() => window.raftPlayground.lessonState())).branch, label);
    // The replay is a branch of the timeline, beside the lesson's: the branch list and the API switch between them.
    const branches = await page.evaluate(() => window.raftPlayground.branches());
    assert.deepEqual(branches.map((b) => [b.id, b.parent, b.current, b.ownStart === true]), [[1, null, false, false], [2, 1, true, true]]);
    assert.equal(branches[1].name, "branch 2: with the vote check switched off (breaks Raft) from step 3");
    await page.evaluate(() => window.raftPlayground.switchBranch(1));
    await page.waitForSelector('.lesson[data-step="3"]:not(:has(.branch-note))');
    assert.equal((await page.evaluate(() => window.raftPlayground.lessonState())).branch, null);
    assert.equal((await state(page)).seed, 42);
    assert.deepEqual((await page.evaluate(() => window.raftPlayground.branches())).map((b) => b.current), [true, false]);
    await page.click('.tl-branches [data-branch="2"]');
    await page.waitForSelector(".branch-note");
    assert.equal((await page.evaluate(() => window.raftPlayground.lessonState())).branch, label);
    assert.equal(await page.locator('[data-safety="violated"]').count(), 1);
    await page.click('[data-op="back"]');
    await page.waitForSelector('.lesson[data-step="3"]:not(:has(.branch-note))');
    assert.equal((await state(page)).seed, 42);
    assert.equal(await page.locator('[data-safety="ok"]').count(), 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("startLesson's promises: several for one lesson settle when its recording arrives, in the order handed out; one whose lesson another replaced meanwhile is rejected", async () => {
  const { page, context, errors } = await openPage(env.browser, `${env.srv.url}index.html?seed=42&paused=1`);
  // Each lesson's recording held until the test lets it through.
  const held = {};
  const asked = {};
  for (const id of ["failover", "split-vote", "replication"]) {
    const letThrough = new Promise((ok) => (held[id] = ok));
    let seen;
    asked[id] = new Promise((ok) => (seen = ok));
    await page.route(`**/lessons/${id}.txt`, async (r) => (seen(), await letThrough, r.continue()));
  }
  const got = () => page.evaluate(() => window.got);
  const ask = (id, step, what) =>
    page.evaluate(([id, step, what]) => {
      const note = (e) => window.got.push(`${what} ${e ? e.message : "resolved"}`);
      window.raftPlayground.startLesson(id, step).then(() => note(), note);
    }, [id, step, what]);
  try {
    await page.evaluate(() => (window.got = []));
    await ask("failover", 1, "first");
    await ask("failover", 2, "second");
    await ask("failover", 3, "third");
    await asked.failover;
    await page.evaluate(() => new Promise((r) => setTimeout(r, 100)));
    assert.deepEqual(await got(), [], "nothing settles before the recording arrives");
    held.failover();
    await page.waitForFunction(() => window.got.length === 3);
    assert.deepEqual(await got(), ["first resolved", "second resolved", "third resolved"]);
    // Asked for again once open: resolved at once.
    await ask("failover", 1, "again");
    await page.waitForFunction(() => window.got.length === 4);
    assert.equal((await got())[3], "again resolved");
    // Two lessons asked for, the second's recording first: it opens and its promise resolves;
    // the first's, waiting meanwhile, is rejected when its recording arrives.
    await page.evaluate(() => (window.got = []));
    await ask("split-vote", 1, "split-vote");
    await asked["split-vote"];
    await ask("replication", 1, "replication");
    await asked.replication;
    held.replication();
    await page.waitForFunction(() => window.got.length === 1);
    assert.deepEqual(await got(), ["replication resolved"]);
    held["split-vote"]();
    await page.waitForFunction(() => window.got.length === 2);
    assert.deepEqual(await got(), [
      "replication resolved",
      "split-vote raftPlayground.startLesson: another lesson was opened meanwhile",
    ]);
    assert.equal((await page.evaluate(() => window.raftPlayground.lessonState())).id, "replication");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
