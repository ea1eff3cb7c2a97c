// The release build's minification (tools/minify.mjs, trunk's post-build
// hook): the style sheet loses only comments and spaces, and every file
// index.html names carries the hash of what is on disk, or the browser would
// refuse it.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { ROOT } from "./lib.mjs";
import { minifyCss } from "../tools/minify.mjs";

const DIST = process.env.DIST ? path.resolve(process.env.DIST) : path.join(ROOT, "dist");

test("the style sheet loses comments and spaces, nothing else", () => {
  const cases = [
    ["a  >  b { color : red ; }", "a>b{color : red;}"],
    ["/* note */ .x .y,\n.z:hover { margin: 0 }", ".x .y,.z:hover{margin: 0}"],
    ['.q::before { content: "a  /* b */  c"; }', '.q::before{content: "a  /* b */  c";}'],
    [".w { width: calc(100% - 2 * 4px); }", ".w{width: calc(100% - 2 * 4px);}"],
    ["@media (max-width: 620px), (max-height: 420px) { .a{x:1} }", "@media (max-width: 620px),(max-height: 420px){.a{x:1}}"],
    ["a/**/b{}", "a b{}"],
  ];
  for (const [css, want] of cases) assert.equal(minifyCss(css), want, css);
  const sheet = fs.readdirSync(DIST).find((f) => /^style-.*\.css$/.test(f));
  assert.ok(sheet, "dist/ has the style sheet");
  const source = fs.readFileSync(path.join(ROOT, "www", "style.css"), "utf8");
  assert.equal(fs.readFileSync(path.join(DIST, sheet), "utf8"), minifyCss(source), "the built sheet is the minified source");
});

test("every integrity attribute of index.html matches its file", () => {
  const html = fs.readFileSync(path.join(DIST, "index.html"), "utf8");
  const tags = [...html.matchAll(/<(?:link|script)\b[^>]*>/g)].map((m) => m[0]);
  let checked = 0;
  for (const tag of tags) {
    const sri = /integrity="?(sha384-[A-Za-z0-9+/=]+)/.exec(tag);
    const href = /(?:href|src)="?\.\/([^"\s>]+)/.exec(tag);
    if (!sri || !href) continue;
    const body = fs.readFileSync(path.join(DIST, href[1]));
    assert.equal("sha384-" + createHash("sha384").update(body).digest("base64"), sri[1], href[1]);
    checked++;
  }
  assert.ok(checked >= 4, `the glue, the wasm, the style sheet and keys.js are checked (${checked})`);
});
