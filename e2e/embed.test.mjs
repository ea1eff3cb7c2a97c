// Embedding (issue 11): the postMessage API across origins, the client script,
// the example teaching page, and embed=1 at the sizes a course page uses.
// The playground (dist/) is served on one port and the parent pages on others,
// so every call below crosses origins as on a real course site.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { serveDist, launch, newPage, openPage, advanceUntil, SHOTS, ROOT } from "./lib.mjs";

// The parent page of the protocol tests: it records every message it receives,
// adds iframes and asks one of them something, waiting for the reply by id.
const PARENT = `<!doctype html><meta charset="utf-8"><title>parent</title><link rel="icon" href="data:,"><body><script>
window.got = [];
addEventListener("message", (e) => got.push({ origin: e.origin, data: e.data }));
window.addFrame = (src) => new Promise((resolve) => {
  const f = document.createElement("iframe");
  f.src = src;
  f.style.cssText = "width:480px;height:360px";
  f.onload = () => resolve();
  document.body.append(f);
});
window.ask = (k, msg, ms = 1500) => new Promise((resolve) => {
  const target = new URL(document.querySelectorAll("iframe")[k].src).origin;
  frames[k].postMessage(msg, target);
  const t0 = Date.now();
  (function wait() {
    const r = got.find((m) => m.data && typeof m.data === "object" && m.data.id === msg.id && "ok" in m.data);
    if (r) resolve(r.data);
    else if (Date.now() - t0 > ms) resolve("no reply");
    else setTimeout(wait, 20);
  })();
});
</script></body>`;
// A page on yet another origin, in a frame beside the playground: it talks to frames[0].
const SENDER = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><body><script>
window.got = [];
addEventListener("message", (e) => got.push({ origin: e.origin, data: e.data }));
window.send = (msg, origin) => parent.frames[0].postMessage(msg, origin);
</script></body>`;

let pg; // the playground's server (dist/)
let other; // dist/ again, on another origin (the example page's parent)
let fixture; // the parent pages
let fixture2; // the same, on another origin
let browser;
before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rp-embed-"));
  fs.writeFileSync(path.join(dir, "index.html"), PARENT);
  fs.writeFileSync(path.join(dir, "sender.html"), SENDER);
  [pg, other, fixture, fixture2] = await Promise.all([serveDist(), serveDist(), serveDist(dir), serveDist(dir)]);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await Promise.all([pg, other, fixture, fixture2].map((s) => s?.close()));
});

const origin = (srv) => new URL(srv.url).origin;

/** A parent page on the fixture's origin with the playground in frame 0 (`query` added to its address). */
async function parentWith(query) {
  const { page, context, errors } = await newPage(browser, { width: 1000, height: 800 });
  await page.goto(`${fixture.url}index.html`);
  await page.evaluate((src) => window.addFrame(src), `${pg.url}index.html?seed=7&paused=1&embed=1${query}`);
  const frame = page.frames().find((f) => f.url().startsWith(pg.url));
  await frame.waitForFunction(() => window.raftPlayground && document.querySelector("svg.ring [data-server]"));
  return { page, context, errors, frame };
}

const req = (id, method, args) => ({ raftPlayground: 1, id, method, args });

test("across origins, a button of the example page crashes the leader and the page hears the new leader", async () => {
  const { page, context, errors } = await newPage(browser, { width: 1100, height: 1000 });
  try {
    // The example page on one origin, its two playgrounds on another.
    await page.goto(`${other.url}embed.html?at=${encodeURIComponent(pg.url)}`);
    await page.locator("#out", { hasText: "Connected to both playgrounds" }).waitFor({ timeout: 20000 });
    assert.ok(page.frames().filter((f) => f.url().startsWith(pg.url) && !f.url().includes("scenario=")).length === 2, "both iframes come from the other origin");
    // Time runs through the client (the same calls a course page makes).
    const leader = await page.evaluate(async () => {
      for (const rp of [window.playgrounds.left, window.playgrounds.right]) {
        await rp.pause();
        for (let i = 0; i < 40 && !(await rp.state()).leader; i++) await rp.advance(100);
      }
      return (await window.playgrounds.left.state()).leader;
    });
    assert.match(leader, /^S\d$/);
    await page.getByRole("button", { name: "Crash the leader" }).click();
    await page.locator("#out", { hasText: `left: crashed ${leader}` }).waitFor();
    await page.evaluate(async () => {
      const rp = window.playgrounds.left;
      for (let i = 0; i < 40 && !(await rp.state()).leader; i++) await rp.advance(100);
    });
    const now = await page.evaluate(() => window.playgrounds.left.state());
    assert.ok(now.leader && now.leader !== leader, "a new leader");
    // The log shows the crash, then the new leader, from the left playground's events.
    await page.locator("#log", { hasText: `${now.leader} leads term` }).waitFor();
    const log = (await page.locator("#log").textContent()).split("\n").filter((l) => l.startsWith("left"));
    const crashAt = log.findIndex((l) => l.includes(`crash  ${leader} crashed`));
    const leadAt = log.findIndex((l) => l.includes(`leader  ${now.leader} leads term`));
    assert.ok(crashAt >= 0 && leadAt >= 0 && leadAt < crashAt, `newest first: the new leader after the crash\n${log.join("\n")}`);
    // A wrong call shows the playground's own error.
    await page.getByRole("button", { name: 'A wrong call (crash "S42")' }).click();
    await page.locator("#out.error").waitFor();
    assert.match(await page.locator("#out").textContent(), /^Error: (left|right): raftPlayground\.crash: there is no server S42/);
    for (const f of page.frames().filter((f) => f.url().startsWith(pg.url) && !f.url().includes("scenario="))) {
      const scroll = await f.evaluate(() => [document.documentElement.scrollWidth > innerWidth, document.documentElement.scrollHeight > innerHeight]);
      assert.deepEqual(scroll, [false, false], "no scrollbars in the iframes");
    }
    await page.screenshot({ path: path.join(SHOTS, "e2e-embed.png") });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the example page's Figure 8 pair opens each iframe on its scenario (scenario=): Raft stays safe, the broken one does not", async () => {
  const { page, context, errors } = await newPage(browser, { width: 1100, height: 1000 });
  try {
    await page.goto(`${other.url}embed.html?at=${encodeURIComponent(pg.url)}`);
    await page.locator("#fig8-unsafe").scrollIntoViewIfNeeded();
    const frameOf = async (name) => {
      for (let i = 0; i < 200; i++) {
        // (The address names its scenario while the run is the scenario's: where, it may move.)
        const f = page.frames().find((f) => f.url().startsWith(pg.url) && new URL(f.url()).searchParams.get("scenario") === name);
        if (f) return f;
        await page.waitForTimeout(50);
      }
      throw new Error(`no iframe with scenario=${name}`);
    };
    for (const [name, safe] of [["figure-8", true], ["figure-8-unsafe", false]]) {
      const f = await frameOf(name);
      await f.waitForFunction((n) => document.querySelector(".hint[data-notice]")?.textContent.includes(`scenario=${n}: the script ran to`), name, { timeout: 20000 });
      const [notice, s] = await f.evaluate(() => [document.querySelector(".hint[data-notice]").textContent, window.raftPlayground.state()]);
      assert.match(notice, /expectations met\./, `${name}: every expectation of the scenario met\n${notice}`);
      assert.deepEqual([s.seed, s.servers.length, s.playing], [8, 5, false], `${name}: the scenario's run, paused`);
      // The run is the scenario's whole run: at its end, the safety verdict.
      const broken = await f.evaluate(() => {
        const rp = window.raftPlayground;
        rp.seek(rp.branches().find((b) => b.current).latest);
        return !rp.state().safety.safe;
      });
      assert.equal(broken, !safe, `${name}: ${safe ? "no violation" : "a violation"}`);
    }
    await page.screenshot({ path: path.join(SHOTS, "e2e-embed-figure-8.png"), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("state answers with the servers; a bad call gets ok: false with the JS Error's message", async () => {
  const { page, context, errors, frame } = await parentWith("");
  try {
    const s = await page.evaluate(() => window.ask(0, { raftPlayground: 1, id: 1, method: "state", args: [] }));
    assert.equal(s.ok, true);
    assert.deepEqual(s.result.servers.map((v) => v.name), ["S1", "S2", "S3", "S4", "S5"]);
    assert.equal(s.result.seed, 7);
    // The same message as the Error thrown in the page itself.
    const thrown = await frame.evaluate(() => {
      try {
        window.raftPlayground.crash("S42");
      } catch (e) {
        return e.message;
      }
    });
    assert.match(thrown, /^raftPlayground\.crash: there is no server S42/);
    const bad = await page.evaluate((m) => window.ask(0, m), req("two", "crash", ["S42"]));
    assert.deepEqual(bad, { raftPlayground: 1, id: "two", ok: false, error: thrown });
    // An action and its answer; the run changed.
    const crash = await page.evaluate((m) => window.ask(0, m), req(3, "crash", [2]));
    assert.deepEqual([crash.id, crash.ok, crash.result], [3, true, undefined]);
    assert.equal(await frame.evaluate(() => window.raftPlayground.state().servers[1].up), false);
    // Names outside the API, and arguments that are not a list.
    for (const [id, method, args, want] of [
      [4, "free", [], /^raftPlayground: unknown method "free"; the methods are .*\bcrash\b.*\bsubscribe, unsubscribe$/],
      [5, "constructor", [], /unknown method "constructor"/],
      [6, "__proto__", [], /unknown method "__proto__"/],
      [7, 12, [], /unknown method \(a number\)/],
      [8, "crash", 2, /^raftPlayground\.crash: args must be an array/],
      [9, "subscribe", [["leader", "gossip"]], /^raftPlayground\.subscribe: unknown event "gossip"; the events are leader, commit/],
      [10, "write", ["x"], /^raftPlayground\.write: the value must be a number, got nothing/],
    ]) {
      const r = await page.evaluate((m) => window.ask(0, m), req(id, method, args));
      assert.equal(r.ok, false, `${method} is refused`);
      assert.match(r.error, want);
    }
    // A promise the API returns is answered once settled.
    const lesson = await page.evaluate((m) => window.ask(0, m, 8000), req(11, "startLesson", ["no-such-lesson"]));
    assert.equal(lesson.ok, false);
    assert.match(lesson.error, /^raftPlayground\.startLesson: /);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("non-protocol messages and messages from a parent the origin setting does not allow get no reply and change nothing", async () => {
  // Frame 0 allows only another origin than this parent's; frame 1 allows this parent's.
  const { page, context, errors, frame } = await parentWith(`&origin=${encodeURIComponent(origin(fixture2))}`);
  try {
    await page.evaluate((src) => window.addFrame(src), `${pg.url}index.html?seed=7&paused=1&embed=1&origin=${encodeURIComponent(origin(fixture))}`);
    const allowedFrame = page.frames().filter((f) => f.url().startsWith(pg.url))[1];
    await allowedFrame.waitForFunction(() => window.raftPlayground && document.querySelector("svg.ring [data-server]"));
    const before = await frame.evaluate(() => [window.raftPlayground.traceHash(), window.raftPlayground.state().eventCount]);
    const junk = [
      "hello",
      42,
      null,
      [1, 2],
      { id: 1, method: "crash", args: [1] },
      { raftPlayground: 2, id: 1, method: "crash", args: [1] },
      { raftPlayground: "1", id: 1, method: "crash", args: [1] },
      { raftPlayground: 1, id: 1, args: [1] },
      { raftPlayground: 1, id: { x: 1 }, method: "crash", args: [1] },
      { raftPlayground: 1, method: "crash", args: [1] },
      { raftPlayground: 1, id: 1, ok: true, result: 3 },
      { raftPlayground: 1, event: "leader", time: 1, detail: {} },
    ];
    for (const m of junk) {
      for (const k of [0, 1]) await page.evaluate(([k, m]) => frames[k].postMessage(m, "*"), [k, m]);
    }
    // A real request to the frame that does not allow this parent.
    const refused = await page.evaluate((m) => window.ask(0, m), req("r", "crash", [1]));
    assert.equal(refused, "no reply");
    await page.waitForTimeout(300);
    const got = await page.evaluate(() => window.got);
    assert.deepEqual(got, [], "no message came back");
    const after = await frame.evaluate(() => [window.raftPlayground.traceHash(), window.raftPlayground.state().eventCount]);
    assert.deepEqual(after, before, "the run did not change");
    assert.ok(await frame.evaluate(() => window.raftPlayground.state().servers.every((s) => s.up)));
    // The allowed parent is answered, by the other frame.
    const ok = await page.evaluate((m) => window.ask(1, m), req("a", "crash", [1]));
    assert.equal(ok.ok, true);
    assert.equal(await allowedFrame.evaluate(() => window.raftPlayground.state().servers[0].up), false);
    // The client gives up on a playground that does not answer this parent.
    await page.addScriptTag({ url: `${pg.url}raft-playground-embed.js` });
    const message = await page.evaluate(() =>
      window.RaftPlayground.connect(document.querySelectorAll("iframe")[0], { wait: 1000 }).then(() => "connected", (e) => e.message),
    );
    assert.match(message, /^RaftPlayground\.connect: the playground at http:\/\/127\.0\.0\.1:\d+ did not answer/);
    assert.deepEqual(errors, [], "nothing in the console, here or in the iframes");
  } finally {
    await context.close();
  }
});

test("replies and events go to the sender's window and origin only", async () => {
  const { page, context, errors } = await parentWith("");
  try {
    // frames[0]: the playground; frames[1]: a page on another origin that talks to it.
    await page.evaluate((src) => window.addFrame(src), `${fixture2.url}sender.html`);
    const sender = page.frames().find((f) => f.url().startsWith(fixture2.url));
    const pgOrigin = origin(pg);
    await sender.evaluate(([m, o]) => window.send(m, o), [req("s1", "subscribe", [["crash", "leader"]]), pgOrigin]);
    await sender.waitForFunction(() => window.got.some((m) => m.data.id === "s1"));
    // The parent crashes a server: its answer goes to the parent, the event to the subscriber only.
    const r = await page.evaluate((m) => window.ask(0, m), req("p1", "crash", [3]));
    assert.equal(r.ok, true);
    await sender.waitForFunction(() => window.got.some((m) => m.data.event === "crash"));
    const toSender = await sender.evaluate(() => window.got);
    assert.deepEqual(toSender[0], { origin: pgOrigin, data: { raftPlayground: 1, id: "s1", ok: true, result: ["leader", "crash"] } });
    const crash = toSender.find((m) => m.data.event === "crash");
    assert.equal(crash.origin, pgOrigin);
    assert.deepEqual(crash.data.detail.server, "S3");
    assert.equal(typeof crash.data.time, "number");
    assert.ok(toSender.every((m) => m.data.id !== "p1"), "the parent's answer did not go to the sender");
    const toParent = await page.evaluate(() => window.got);
    assert.deepEqual(toParent.map((m) => m.data.id), ["p1"], "the sender's answer and the events did not go to the parent");
    // The sender hears the next leader once time runs; unsubscribed, nothing more.
    await page.evaluate((m) => window.ask(0, m), req("p2", "advance", [3000]));
    await sender.waitForFunction(() => window.got.some((m) => m.data.event === "leader"));
    await sender.evaluate(([m, o]) => window.send(m, o), [req("s2", "unsubscribe", []), pgOrigin]);
    await sender.waitForFunction(() => window.got.some((m) => m.data.id === "s2"));
    const count = await sender.evaluate(() => window.got.length);
    await page.evaluate((m) => window.ask(0, m), req("p3", "crash", [4]));
    await page.waitForTimeout(300);
    assert.equal(await sender.evaluate(() => window.got.length), count);
    // Subscribed again, the sender's frame then shows a page of another origin (this
    // parent's): the events meant for the sender's origin never reach it.
    await sender.evaluate(([m, o]) => window.send(m, o), [req("s3", "subscribe", []), pgOrigin]);
    await sender.waitForFunction(() => window.got.some((m) => m.data.id === "s3"));
    await page.evaluate((src) => {
      const f = document.querySelectorAll("iframe")[1];
      return new Promise((resolve) => {
        f.onload = resolve;
        f.src = src;
      });
    }, `${fixture.url}sender.html`);
    const moved = page.frames().find((f) => f.url() === `${fixture.url}sender.html`);
    await page.evaluate((m) => window.ask(0, m), req("p4", "restart", [3]));
    await page.evaluate((m) => window.ask(0, m), req("p5", "advance", [1000]));
    await page.waitForTimeout(300);
    assert.deepEqual(await moved.evaluate(() => window.got), [], "nothing reached the other origin's page");
    // A sandboxed frame (an opaque origin, "null") could not be answered: ignored, nothing changes.
    const up = (id) => page.evaluate((m) => window.ask(0, m), req(id, "state", [])).then((r) => r.result.servers.filter((v) => v.up).length);
    const before = await up("up1");
    await page.evaluate(() => {
      const f = document.createElement("iframe");
      f.sandbox = "allow-scripts";
      f.srcdoc = "<script>parent.frames[0].postMessage({ raftPlayground: 1, id: 'n', method: 'crash', args: [1] }, '*');<\/script>";
      document.body.append(f);
    });
    await page.waitForTimeout(400);
    assert.equal(await up("up2"), before, "the sandboxed frame's crash did nothing");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("a subscriber to all nine events hears each with its detail as docs/embedding.md gives it; a share link in the iframe opens an exact run, Raft broken by a switch", async () => {
  // scenarios/figure-8-unsafe.txt's run (unsafe_commit_old_terms on) at its start:
  // playing on goes through its partitions, crashes, restarts and the violation.
  const link = fs.readFileSync(path.join(ROOT, "e2e", "fixtures", "figure-8-unsafe.link"), "utf8").trim();
  const { page, context, errors, frame } = await parentWith(`#run=${link}`);
  try {
    const ALL = ["leader", "commit", "violation", "crash", "restart", "partition", "heal", "write", "step"];
    const call = async (id, method, args = []) => {
      const r = await page.evaluate((m) => window.ask(0, m, 8000), req(id, method, args));
      assert.equal(r.ok, true, `${method}: ${r.error}`);
      return r.result;
    };
    assert.deepEqual(await call("sub", "subscribe", [ALL]), ALL);
    const start = await call("s0", "state");
    assert.deepEqual([start.now, start.safety.safe], [0, true], "the link's moment: the start, safe");
    assert.match(await frame.locator("[data-notice]").textContent(), /^Opened the shared run at 0\.000 s, paused/);
    const badge = (state) => frame.locator(`.badge[data-safety="${state}"]`).waitFor();
    await badge("ok");
    // The run's own future (the events a call causes arrive before its answer).
    await call("a1", "advance", [1000]);
    const broken = await call("s1", "state");
    assert.equal(broken.safety.safe, false);
    await badge("violated");
    assert.match(await frame.locator(".badge").textContent(), /Leader Completeness broken/);
    // Back before the violation: the badge is clean again; forward, broken again.
    await call("b1", "seek", [831]);
    await badge("ok");
    await call("b2", "seek", [1000]);
    await badge("violated");
    // Then the network and the client, through the API.
    await call("d", "disconnect", [2]);
    await call("r", "reconnect", ["S2"]);
    const groups = await call("p", "partition", [[[3, 4]]]);
    assert.deepEqual(groups, [["S3", "S4"], ["S1", "S2", "S5"]]);
    await call("h", "heal");
    await call("w", "write", ["x", 9]);
    await call("a2", "advance", [2000]);
    // A lesson's step (a new run).
    await call("l", "startLesson", ["split-vote", 2]);
    await page.waitForFunction(() => window.got.some((m) => m.data.event === "step"));
    const got = await page.evaluate(() => window.got);
    const events = got.filter((m) => "event" in m.data);
    for (const m of events) {
      assert.equal(m.origin, origin(pg));
      assert.deepEqual(Object.keys(m.data).sort(), ["detail", "event", "raftPlayground", "time"]);
      assert.equal(m.data.raftPlayground, 1);
      assert.equal(typeof m.data.time, "number");
      assert.ok(ALL.includes(m.data.event), m.data.event);
      if (m.data.event !== "step") assert.equal(typeof m.data.detail.text, "string");
    }
    const of = (name, type) => events.map((m) => m.data).filter((e) => e.event === name && (!type || e.detail.type === type));
    for (const name of ALL) assert.ok(of(name).length > 0, `heard ${name}`);
    const pick = (o, keys) => Object.fromEntries(keys.map((k) => [k, o[k]]));

    // leader: server, term, votes (the scenario's trace: "36 S1 became leader of term 1 with votes from S1, S3, S4").
    const [lead] = of("leader");
    assert.equal(lead.time, 36);
    assert.deepEqual(pick(lead.detail, ["type", "server", "term", "votes"]), { type: "leader_elected", server: "S1", term: 1, votes: [1, 3, 4] });
    assert.equal(lead.detail.text, "S1 became leader of term 1 with votes from S1, S3, S4");
    // commit: one event per entry, with the leader, index, term and command ("573 S1 committed indexes 1 to 2").
    assert.deepEqual(pick(of("commit")[0].detail, ["server", "index", "term", "command"]), { server: "S1", index: 1, term: 1, command: { op: "set", key: "a", value: 1 } });
    const at573 = of("commit").filter((e) => e.time === 573).map((e) => [e.detail.index, e.detail.command.key]);
    assert.deepEqual(at573, [[1, "a"], [2, "b"]]);
    // crash / restart: server, term, log_len.
    assert.deepEqual(pick(of("crash")[0].detail, ["server", "term", "log_len"]), { server: "S1", term: 1, log_len: 2 });
    assert.equal(of("crash")[0].time, 120);
    const restart = of("restart")[0];
    assert.deepEqual([restart.time, pick(restart.detail, ["type", "server", "term", "log_len"])], [162, { type: "restarted", server: "S1", term: 1, log_len: 2 }]);
    // violation: property, explanation (the same as state()'s safety verdict), servers, index, term.
    const [v] = of("violation");
    assert.equal(v.time, broken.safety.violations[0].time);
    assert.equal(v.detail.property, "LeaderCompleteness");
    assert.equal(broken.safety.violations[0].property, "Leader Completeness");
    assert.equal(v.detail.explanation, broken.safety.violations[0].explanation);
    assert.deepEqual(pick(v.detail, ["nodes", "index", "term"]), { nodes: [5, 1], index: 2, term: 5 });
    assert.match(v.detail.text, /^SAFETY VIOLATED \(Leader Completeness\): S5 became leader of term 5 without the committed entry 2/);
    // Both violations; told again when the run went forward again from before them (831 ms to 1000).
    const props = ["LeaderCompleteness", "StateMachineSafety"];
    assert.deepEqual(of("violation").map((e) => [e.time, e.detail.property]), [[832, props[0]], [910, props[1]], [832, props[0]], [910, props[1]]]);
    // partition: the groups by name (the run's, then the API's); a disconnected server.
    assert.deepEqual([of("partition")[0].time, of("partition")[0].detail.groups], [104, [["S1", "S2"], ["S3", "S4", "S5"]]]);
    // (The same groups as partition() returned, not always in its order.)
    const sorted = (gs) => gs.map((g) => g.join(" ")).sort();
    assert.deepEqual(sorted(of("partition", "partitioned").at(-1).detail.groups), sorted(groups));
    assert.deepEqual(pick(of("partition", "disconnected")[0].detail, ["server"]), { server: "S2" });
    // heal: nothing beside type and text; a reconnected server.
    assert.deepEqual(Object.keys(of("heal", "healed")[0].detail).sort(), ["text", "type"]);
    assert.deepEqual(pick(of("heal", "reconnected")[0].detail, ["server"]), { server: "S2" });
    // write: sent, then acknowledged, with its command; the commit of it.
    const [sent] = of("write", "client_write");
    assert.deepEqual(sent.detail.command, { op: "set", key: "x", value: 9 });
    assert.equal(typeof sent.detail.op, "number");
    assert.match(sent.detail.server, /^S[1-5]$/);
    const acked = of("write", "client_acked").find((e) => e.detail.op === sent.detail.op);
    assert.ok(acked, "the write was acknowledged");
    assert.deepEqual(acked.detail.command, sent.detail.command);
    assert.match(acked.detail.server, /^S[1-5]$/);
    const committed = of("commit").find((e) => e.detail.command.key === "x");
    assert.deepEqual([committed.detail.index, committed.detail.term], [acked.detail.index, acked.detail.term]);
    // step: lessonState().
    const step = of("step").at(-1).detail;
    assert.deepEqual(pick(step, ["id", "step"]), { id: "split-vote", step: 2 });
    assert.equal(typeof step.steps, "number");
    assert.equal(typeof step.stepTitle, "string");
    assert.equal(typeof step.title, "string");
    assert.ok(await frame.evaluate(() => !!window.raftPlayground.lessonState()));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the client: connect, on, calls as promises, the playground's errors, a new run's events, lesson steps", async () => {
  const { page, context, errors } = await parentWith("");
  try {
    await page.addScriptTag({ url: `${pg.url}raft-playground-embed.js` });
    const r = await page.evaluate(async () => {
      const rp = await window.RaftPlayground.connect(document.querySelector("iframe"));
      const seen = [];
      await rp.on("leader", (e) => seen.push(e));
      await rp.on("commit", (e) => seen.push(e));
      for (let i = 0; i < 40 && !(await rp.state()).leader; i++) await rp.advance(100);
      const first = (await rp.state()).leader;
      await rp.crash(first);
      for (let i = 0; i < 40 && (await rp.state()).leader === null; i++) await rp.advance(100);
      await rp.write("x", 5);
      await rp.advance(500);
      const bad = await rp.crash(9).then(() => "resolved", (e) => e.message);
      // A new run: its own events from its start.
      await rp.reset({ seed: 3 });
      await rp.advance(2000);
      await rp.off("commit");
      const leader = (await rp.state()).leader;
      // A lesson's steps, heard as they change.
      const steps = [];
      await rp.on("step", (e) => steps.push(e.detail));
      await rp.startLesson("split-vote", 2);
      await rp.nextStep();
      for (let i = 0; i < 50 && steps.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      return { first, seen, bad, leader, steps };
    });
    assert.deepEqual(r.steps.map((s) => [s.id, s.step]), [["split-vote", 2], ["split-vote", 3]]);
    const leaders = r.seen.filter((e) => e.event === "leader");
    assert.equal(leaders[0].detail.server, r.first);
    assert.ok(leaders.some((e) => e.detail.server !== r.first && e.time > leaders[0].time), "the new leader after the crash");
    const commit = r.seen.find((e) => e.event === "commit" && e.detail.command.key === "x");
    assert.deepEqual(commit.detail.command, { op: "set", key: "x", value: 5 });
    assert.match(commit.detail.server, /^S\d$/);
    assert.equal(r.bad, "raftPlayground.crash: there is no server S9 (this cluster has S1 to S5)");
    assert.equal(leaders.at(-1).detail.server, r.leader, "the new run's leader was heard");
    assert.ok(leaders.at(-1).time < 2001, "with the new run's time");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("the client: a call to a playground that stops answering rejects after the call's timeout, with the error saying so", async () => {
  const { page, context, errors } = await parentWith("");
  try {
    await page.addScriptTag({ url: `${pg.url}raft-playground-embed.js` });
    const r = await page.evaluate(async (quiet) => {
      const iframe = document.querySelector("iframe");
      const rp = await window.RaftPlayground.connect(iframe, { timeout: 400 });
      const answered = (await rp.state()).servers.length;
      // The iframe now shows a page of the playground's origin that does not answer.
      await new Promise((resolve) => {
        iframe.onload = resolve;
        iframe.src = quiet;
      });
      // (A guard, so that a client that never gives up fails the test instead of hanging it.)
      const outcome = (p) =>
        Promise.race([
          p.then(
            (v) => ["resolved", v],
            (e) => ["rejected", e instanceof Error, e.message],
          ),
          new Promise((resolve) => setTimeout(() => resolve(["pending after 10 s"]), 10000)),
        ]);
      const [state, crash] = await Promise.all([outcome(rp.state()), outcome(rp.call("crash", 2))]);
      return { answered, state, crash };
    }, `${pg.url}raft-playground-embed.js`);
    assert.equal(r.answered, 5, "it answered before");
    assert.deepEqual(r.state, ["rejected", true, "raftPlayground.state: no answer within 400 ms"]);
    assert.deepEqual(r.crash, ["rejected", true, "raftPlayground.crash: no answer within 400 ms"]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("events are told as the run goes forward: going back in time tells nothing, playing on tells again what the run goes through; a new run is told from its start", async () => {
  const { page, context, errors } = await parentWith("");
  try {
    await page.addScriptTag({ url: `${pg.url}raft-playground-embed.js` });
    const r = await page.evaluate(async () => {
      const rp = await window.RaftPlayground.connect(document.querySelector("iframe"));
      const seen = [];
      const settle = () => new Promise((r) => setTimeout(r, 350)); // the iframe looks every 100 ms
      await rp.on("leader", (e) => seen.push(e));
      await rp.on("commit", (e) => seen.push(e));
      for (let i = 0; i < 40 && !(await rp.state()).leader; i++) await rp.advance(100);
      await rp.write("x", 1);
      await rp.advance(1000);
      const end = (await rp.state()).now;
      await settle();
      const heard = seen.slice();
      // Back to just before the first commit, after the first leader: nothing is told.
      const back = heard.find((e) => e.event === "commit").time - 1;
      await rp.seek(back);
      await rp.stepBack();
      await settle();
      const afterBack = seen.length;
      const at = (await rp.state()).now;
      // Forward again to where it was: the events after that moment again, in order.
      await rp.seek(end);
      await settle();
      const again = seen.slice(afterBack);
      // A new run is told from its start.
      await rp.reset({ seed: 3 });
      await rp.advance(1500);
      await settle();
      const newRun = seen.slice(afterBack + again.length);
      // A lesson's run of as many servers, already past its first leader when first looked at.
      const k = seen.length;
      await rp.startLesson("failover", 2);
      await settle();
      const lessonNow = (await rp.state()).now;
      const lesson = seen.slice(k);
      return { heard, afterBack, again, newRun, at, lesson, lessonNow };
    });
    assert.ok(r.heard.some((e) => e.event === "leader") && r.heard.some((e) => e.event === "commit"), "a leader and a commit before going back");
    assert.ok(r.heard.some((e) => e.event === "leader" && e.time <= r.at), "a leader before the moment gone back to");
    assert.equal(r.afterBack, r.heard.length, "seek back and stepBack tell nothing");
    assert.ok(r.again.length > 0);
    assert.deepEqual(r.again, r.heard.filter((e) => e.time > r.at), "going forward tells the events after that moment again");
    assert.ok(r.newRun.some((e) => e.event === "leader" && e.time <= 1500), "the new run's leader, with its own time");
    assert.ok(r.lesson.some((e) => e.event === "leader" && e.time < r.lessonNow), "a new run is told from its start");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("embed=1 fits 480x360, 800x600 and 1280x800 without scroll bars; panels, theme and bad values", async () => {
  const cases = [
    [480, 360, "embed=1&seed=7&servers=5"],
    [800, 600, "embed=1&seed=7&servers=7"],
    [1280, 800, "embed=1&seed=7&servers=9"],
    [480, 360, "embed=1&seed=7&panels=logs,events&theme=dark"],
    [800, 600, "embed=1&seed=7&panels=client,state&controls=play,seed&theme=light"],
    [800, 600, "embed=1&seed=7&theme=blue&panels=logs,stats&origin=https://x.example/"],
    // The controls asked for, the timeline strip among them; theme=auto (and no theme) follows a dark system.
    [480, 360, "embed=1&seed=7&controls=timeline,play&theme=auto", "dark"],
    [800, 600, "embed=1&seed=7&controls=step,speed,time", "dark"],
    [800, 600, "embed=1&seed=7&theme=light", "dark"],
  ];
  for (const [width, height, query, colorScheme = "light"] of cases) {
    const name = `embed-${width}x${height}-${query.replace(/[^a-z0-9]+/gi, "_").slice(0, 60)}-${colorScheme}`;
    const { page, context, errors } = await openPage(browser, `${pg.url}index.html?paused=1&${query}`, { width, height, colorScheme });
    try {
      if (query.includes("theme=blue")) {
        // Named in the notice (before any action replaces it), the rest applied.
        const notice = page.locator('[data-notice="error"]');
        for (const bad of ["theme=blue", "panels=logs,stats", "origin=https://x.example/"]) assert.ok((await notice.textContent()).includes(bad), `${bad} named`);
        const b = await notice.boundingBox();
        assert.ok(b && b.y >= 0 && b.y + b.height <= height, "the notice shows");
        await page.screenshot({ path: path.join(SHOTS, `${name}-notice.png`) });
      }
      assert.ok(await advanceUntil(page, (s) => s.leader !== null));
      await page.evaluate(() => {
        window.raftPlayground.write("x", 1);
        window.raftPlayground.advance(40);
      });
      await page.waitForTimeout(100);
      const scroll = await page.evaluate(() => [document.documentElement.scrollWidth > innerWidth, document.documentElement.scrollHeight > innerHeight]);
      assert.deepEqual(scroll, [false, false], `no scroll bars at ${width}x${height} (${query})`);
      const visible = async (sel) => {
        const b = await page.locator(sel).first().boundingBox();
        return !!b && b.width > 0 && b.x >= 0 && b.y >= 0 && b.x + b.width <= width + 0.5 && b.y + b.height <= height + 0.5;
      };
      assert.ok(await visible("svg.ring"), "the ring");
      const ring = await page.locator("svg.ring").first().boundingBox();
      assert.equal(await visible(".title"), false, "no title");
      assert.equal(await visible(".help-btn"), false, "no help button");
      const panels = new URLSearchParams(query).get("panels");
      if (!panels) {
        assert.equal(await visible(".side"), false, "no panels");
        assert.ok(ring.height >= height * 0.75, `the ring takes the room (${ring.height} of ${height})`);
      } else {
        const tabs = await page.locator(".tab").evaluateAll((ts) => ts.filter((t) => t.offsetParent).map((t) => t.textContent));
        const want = { "logs,events": ["Logs", "Events"], "client,state": ["Client", "State"], "logs,stats": ["Logs"] }[panels];
        for (const t of want) assert.ok(tabs.includes(t), `${t} tab in ${tabs}`);
        assert.ok(tabs.length <= 2, `only the panels asked for: ${tabs}`);
      }
      const controls = new URLSearchParams(query).get("controls");
      for (const [sel, name] of [["button.play", "play"], [".step-btn", "step"], [".speed input", "speed"], [".seed", "seed"], [".badge", "safety"], [".tl", "timeline"]]) {
        assert.equal(await visible(sel), !controls || controls.includes(name), `${name} at ${width}x${height} (${query})`);
      }
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const dark = query.includes("theme=dark") || (colorScheme === "dark" && !query.includes("theme=light"));
      assert.equal(bg, dark ? "rgb(18, 18, 22)" : "rgb(246, 246, 243)", `the ${dark ? "dark" : "light"} theme (${query}, a ${colorScheme} system)`);
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});
