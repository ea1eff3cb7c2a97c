// The release build's minification (tools/minify.mjs, trunk's post-build
// hook): the style sheet loses only comments and spaces, and every file
// index.html names carries the hash of what is on disk, or the browser would
// refuse it.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./lib.mjs";
import { execFileSync } from "node:child_process";
import os from "node:os";
import { WASM_OPT_ARGS, inlineSnippets, joinScripts, minifyCss, pruneTable, shortenWasmNames } from "../tools/minify.mjs";

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

test("index.html names files that exist, without integrity hashes (same origin: about 310 B gzipped saved)", () => {
  const html = fs.readFileSync(path.join(DIST, "index.html"), "utf8");
  assert.ok(!/integrity=/.test(html), "no integrity attribute is left");
  const names = [...html.matchAll(/(?:href|src|module_or_path:)\s*=?\s*["']\.\/([^"'\s>]+)["']/g)].map((m) => m[1]);
  for (const name of names) assert.ok(fs.existsSync(path.join(DIST, name)), `index.html names ${name}, which dist/ has`);
  assert.ok(names.some((n) => n.endsWith("_bg.wasm")) && names.some((n) => n.endsWith(".css")) && names.filter((n) => n.endsWith(".js")).length >= 2, `the wasm, the glue, the style sheet and keys.js are named (${names.join(", ")})`);
});

/** A wasm module: one function type, `imports` ([module, name] functions), the exports (of function 0) and a custom section. */
function tinyWasm(imports, exports) {
  const str = (s) => [s.length, ...Buffer.from(s)];
  const section = (id, bytes) => [id, bytes.length, ...bytes];
  return Buffer.from([
    ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(1, [1, 0x60, 0, 0]),
    ...section(2, [imports.length, ...imports.flatMap(([m, n]) => [...str(m), ...str(n), 0, 0])]),
    ...section(7, [exports.length, ...exports.flatMap((n) => [...str(n), 0, 0])]),
    ...section(0, [...str("producers"), 0]),
  ]);
}

test("the wasm's imports from its glue and wasm-bindgen's exports get short names, in the wasm and the glue alike", () => {
  const wasm = tinyWasm(
    [
      ["./x_bg.js", "__wbg_width_0123456789abcdef"],
      ["./x_bg.js", "__wbindgen_object_drop_ref"],
      ["./snippets/x-0/inline0.js", "guard"],
    ],
    ["__wbindgen_malloc", "x_state", "mountPlayground"],
  );
  const glue = [
    "const import0 = { __proto__: null, __wbg_width_0123456789abcdef: function(a) { return a.width; },",
    "  __wbindgen_object_drop_ref : function(a) {} };",
    'return { "./x_bg.js": import0, "./snippets/x-0/inline0.js": import1 };',
    "wasm.__wbindgen_malloc(1); wasm.x_state(2); wasm.x_state(3); wasm.mountPlayground();",
  ].join("\n");
  const r = shortenWasmNames(wasm, glue);
  const mod = new WebAssembly.Module(r.wasm);
  assert.deepEqual(
    WebAssembly.Module.imports(mod).map((i) => [i.module, i.name]),
    [[".", "a"], [".", "b"], ["./snippets/x-0/inline0.js", "guard"]],
  );
  assert.deepEqual(WebAssembly.Module.exports(mod).map((e) => e.name), ["a", "b", "mountPlayground"]);
  assert.equal(WebAssembly.Module.customSections(mod, "producers").length, 0);
  assert.equal(
    r.glue,
    [
      "const import0 = { __proto__: null, a: function(a) { return a.width; },",
      "  b : function(a) {} };",
      'return { ".": import0, "./snippets/x-0/inline0.js": import1 };',
      "wasm.a(1); wasm.b(2); wasm.b(3); wasm.mountPlayground();",
    ].join("\n"),
  );
  // A glue that does not name an import is refused, not half renamed.
  assert.throws(() => shortenWasmNames(wasm, glue.replace("__wbindgen_object_drop_ref", "other")), /does not name/);
});

test("the function table's entries whose index the module never has as a number are emptied", () => {
  // Table indices 100 to 105: 100 the first entry (kept: what emptied ones
  // become), 101 an i32.const in the code, 102 four bytes of the data, 104
  // the high half of an i64.const; 103 and 105 appear nowhere. `call(i)`
  // calls entry i (for the test only: the page's code has every index it
  // calls as such a number). 106 is a global's initial value; the function
  // at 107 is named by a `ref.func` (kept though its index appears nowhere).
  const wat = `(module
    (type $v (func (result i32)))
    (table 110 funcref)
    (memory 1)
    (global $held i32 (i32.const 106))
    (elem (i32.const 100) $a $b $c $d $e $f $g $h)
    (data (i32.const 16) "\\66\\00\\00\\00")
    (func $a (result i32) (i32.const 1))
    (func $b (result i32) (call_indirect (type $v) (i32.const 101)))
    (func $c (result i32) (i32.const 3))
    (func $d (result i32) (i32.const 4))
    (func $e (result i32) (drop (i64.const 0x0000006800000000)) (i32.const 5))
    (func $f (result i32) (i32.const 6))
    (func $g (result i32) (i32.const 7))
    (func $h (result i32) (drop (ref.func $h)) (i32.const 8))
    (func (export "held") (result i32) (global.get $held))
    (func (export "call") (param i32) (result i32) (call_indirect (type $v) (local.get 0))))`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prune-test-"));
  fs.writeFileSync(path.join(dir, "t.wat"), wat);
  execFileSync(path.join(ROOT, "tools", "node_modules", ".bin", "wasm-as"), ["--enable-reference-types", path.join(dir, "t.wat"), "-o", path.join(dir, "t.wasm")]);
  const wasm = fs.readFileSync(path.join(dir, "t.wasm"));
  fs.rmSync(dir, { recursive: true });
  const calls = (bytes) => {
    const { call } = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports;
    return [100, 102, 103, 104, 105, 106, 107].map((i) => call(i));
  };
  assert.deepEqual(calls(wasm), [1, 3, 4, 5, 6, 7, 8]);
  const r = pruneTable(wasm);
  assert.equal(r.pruned, 2);
  assert.deepEqual(calls(r.wasm), [1, 3, 1, 5, 1, 7, 8], "103 and 105 now hold the first entry's function; 106 (a global's value) and 107 (a ref.func's) are kept");
  assert.equal(pruneTable(r.wasm).pruned, 0, "nothing more to empty");
});

test("the second wasm-opt run uses the settings index.html gives trunk's", () => {
  const html = fs.readFileSync(path.join(ROOT, "index.html"), "utf8");
  const tag = /<link data-trunk rel="rust"[^>]*>/.exec(html);
  assert.ok(tag, "index.html has the rust link");
  const level = / data-wasm-opt="([^"]+)"/.exec(tag[0]);
  const params = / data-wasm-opt-params="([^"]*)"/.exec(tag[0]);
  assert.ok(level && params, "the rust link names wasm-opt's level and parameters");
  assert.deepEqual(WASM_OPT_ARGS, [`-O${level[1]}`, ...params[1].split(/\s+/).filter(Boolean)]);
});

test("the built wasm imports nothing from its glue by a long name", () => {
  const name = fs.readdirSync(DIST).find((f) => f.endsWith("_bg.wasm"));
  const mod = new WebAssembly.Module(fs.readFileSync(path.join(DIST, name)));
  const own = WebAssembly.Module.imports(mod).filter((i) => !i.module.startsWith("./snippets/"));
  assert.ok(own.length > 100, `the wasm imports from its glue (${own.length})`);
  for (const i of own) assert.ok(i.module === "." && i.name.length <= 2, `${i.module} ${i.name}`);
});

test("wasm-bindgen's snippets go inside the glue, each run once for what it exports", async () => {
  const snippets = {
    "snippets/x-0/inline0.js": "export function one() { return 1; }\nconst hidden = 2;\nexport const two = () => hidden;\n",
    "snippets/x-0/inline1.js": "export function three() { return 3; }\n",
    "snippets/x-0/inline2.js": 'import { z } from "./z.js";\nexport function four() { return z; }\n',
  };
  const glue = [
    "import { one, two as deux } from './snippets/x-0/inline0.js';",
    'import * as import1 from "./snippets/x-0/inline1.js"',
    "import { four } from './snippets/x-0/inline2.js';",
    "export const all = () => [one(), deux(), import1.three(), typeof four];",
  ].join("\n");
  const r = inlineSnippets(glue, (p) => snippets[p]);
  assert.deepEqual(r.inlined, ["snippets/x-0/inline0.js", "snippets/x-0/inline1.js"]);
  // The one with an import of its own stays a module.
  assert.match(r.glue, /^import \{ four \} from '\.\/snippets\/x-0\/inline2\.js';$/m);
  const inlined = r.glue.replace(/^import .*$/m, "const four = () => 4;");
  const mod = await import("data:text/javascript," + encodeURIComponent(inlined));
  assert.deepEqual(mod.all(), [1, 2, 3, "function"]);
  assert.doesNotMatch(r.glue, /hidden = 2;\s*\n\s*export/);
});

test("a snippet imported twice (by name, and whole for the wasm's direct imports) is inlined once", async () => {
  const snippets = {
    "snippets/x-0/inline0.js": "let runs = 0;\nruns++;\nexport function one() { return runs; }\nexport function two() { return 2; }\n",
  };
  const glue = [
    "import { one } from './snippets/x-0/inline0.js';",
    'import * as import1 from "./snippets/x-0/inline0.js"',
    "export const all = () => [one(), import1.two(), import1.one()];",
  ].join("\n");
  const r = inlineSnippets(glue, (p) => snippets[p]);
  assert.deepEqual(r.inlined, ["snippets/x-0/inline0.js"], "listed once (deleted once)");
  assert.doesNotMatch(r.glue, /^import /m);
  assert.equal(r.glue.match(/runs\+\+/g).length, 1, "its code once");
  const mod = await import("data:text/javascript," + encodeURIComponent(r.glue));
  assert.deepEqual(mod.all(), [1, 2, 1], "run once: both imports see the same module");
});

test("the built page has no snippet files left: they are inside the glue", () => {
  assert.ok(!fs.existsSync(path.join(DIST, "snippets")), "dist/snippets/ is gone");
  const html = fs.readFileSync(path.join(DIST, "index.html"), "utf8");
  assert.doesNotMatch(html, /snippets\//);
});

test("the classic scripts index.html loads one after the other become one file, in the same order", () => {
  const files = { "a-1.js": "(function () { window.order = ['a']; })();\n", "b-2.js": "(function () { window.order.push('b'); })()" };
  const html = [
    '<script src="./a-1.js" integrity="sha384-A"></script>',
    '  <script src="./b-2.js" integrity="sha384-B"></script>',
    '  <script type="module">import x from "./c.js";</script>',
  ].join("\n");
  const j = joinScripts(html, (n) => files[n]);
  assert.equal(j.into, "a-1.js");
  assert.deepEqual(j.joined, ["b-2.js"]);
  assert.equal(j.html, '<script src="./a-1.js" integrity="sha384-A"></script>\n<script type="module">import x from "./c.js";</script>');
  const window = {};
  new Function("window", j.text)(window);
  assert.deepEqual(window.order, ["a", "b"]);
  // A lone script stays as it is.
  assert.equal(joinScripts('<script src="./a-1.js" integrity="sha384-A"></script>', (n) => files[n]).into, null);
});
