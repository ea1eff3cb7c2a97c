// Trunk's post-build hook (Trunk.toml): in a release build, minifies the
// page's JavaScript (the wasm-bindgen glue, keys.js, bridge.js and the client
// for parent pages, raft-playground-embed.js, with terser) and its
// style sheet (comments and spaces only: nothing is rewritten), then puts the
// new files' hashes in index.html's integrity attributes. Trunk's own
// minifiers are not used: its JavaScript minifier cannot read the glue (an ES
// module), and its CSS minifier rewrites media queries into the range syntax
// (width<=620px), which Safari reads only from 16.4 on.
//
// Before that, it gives the wasm's imports and exports short names
// (`shortenWasmNames`): wasm-bindgen names each import after its function
// and a 16-digit hash (`__wbg_width_d3c8d417d821d2fd`), written once in the
// wasm and once in the glue, and hashes do not compress (about 4.9 KB
// gzipped of the page). And it puts wasm-bindgen's snippets (`snippets/`)
// inside the glue (`inlineSnippets`), minified with it.
//
// First of all it empties the function table's entries that nothing can
// call (`pruneTable`), then runs wasm-opt again, which drops those functions.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { minify } from "terser";

/** The style sheet without its comments and without the spaces nothing needs:
 * runs of white space become one space, dropped next to `{ } ; , >` and at
 * the ends. Strings are copied as they are. */
export function minifyCss(css) {
  let out = "";
  let space = false;
  const tight = "{};,>";
  for (let i = 0; i < css.length; ) {
    const c = css[i];
    if (c === "/" && css[i + 1] === "*") {
      const end = css.indexOf("*/", i + 2);
      i = end < 0 ? css.length : end + 2;
      space = true; // a comment separates what is around it
      continue;
    }
    if (/\s/.test(c)) {
      space = true;
      i++;
      continue;
    }
    if (space && out !== "" && !tight.includes(out[out.length - 1]) && !tight.includes(c)) {
      out += " ";
    }
    space = false;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < css.length && css[j] !== c) j += css[j] === "\\" ? 2 : 1;
      out += css.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Reads an unsigned LEB128 number at `at`: [value, next offset]. */
function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, at];
  }
}

/** An unsigned LEB128 number's bytes. */
function lebBytes(n) {
  const out = [];
  do {
    const b = n % 128;
    n = Math.floor(n / 128);
    out.push(n ? b | 0x80 : b);
  } while (n);
  return Buffer.from(out);
}

/** The sections of a wasm module: [{ id, head, start, end }] (head: the id's offset). */
function sections(wasm) {
  const out = [];
  let at = 8;
  while (at < wasm.length) {
    const [size, start] = leb(wasm, at + 1);
    out.push({ id: wasm[at], head: at, start, end: start + size });
    at = start + size;
  }
  return out;
}

/** A signed LEB128 number at `at` as a BigInt, or null where the bytes end first. */
function sleb(bytes, at) {
  let value = 0n;
  let shift = 0n;
  let b;
  do {
    b = bytes[at++];
    if (b === undefined) return null;
    value |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  } while (b & 0x80 && shift < 70n);
  if (shift < 64n && b & 0x40) value -= 1n << shift;
  return value;
}

/**
 * The function table's entries that nothing can call, emptied: each is set to
 * the first entry's function, so that wasm-opt, run again, drops the
 * functions they held. wasm-bindgen keeps the describe function of every
 * import of js-sys and web-sys until it has read them, and a describe of an
 * import that takes a closure (`Array.prototype.find`'s, an `Int8Array`'s
 * `forEach`...) puts that closure type's `invoke` in the table; the describe
 * goes, the table entry stays, and so does the function (about 0.9 KB gzipped
 * of the page). A table index can be called only once the module has it as
 * a number: the table is not exported, and LLVM writes each function
 * pointer as a constant, in the code or in the data. So an entry is kept when
 * its function is exported, or its index is the operand of any `i32.const`
 * or either half of any `i64.const` (read at every byte of the code and of
 * the globals' initial values that could start one: more numbers than they
 * have, never fewer), or any 4-byte little-endian window of the data, or its
 * function is named by a `ref.func` anywhere in the code or the globals
 * (read the same way: more functions than are named, never fewer). Left as it is when the module has
 * no table, or not the one active segment at a constant offset LLVM makes.
 * Returns the module and how many entries were emptied.
 */
export function pruneTable(wasm) {
  const secs = sections(wasm);
  const find = (id) => secs.find((s) => s.id === id);
  const [imp, elem, code, data, exp] = [find(2), find(9), find(10), find(11), find(7)];
  if (!elem || !code) return { wasm, pruned: 0 };
  // A table that JavaScript holds (imported or exported) can be called at any index.
  const kinds = (sec, skipModule) => {
    const out = [];
    if (!sec) return out;
    const e = wasm.subarray(sec.start, sec.end);
    let [n, q] = leb(e, 0);
    for (let i = 0; i < n; i++) {
      let len;
      if (skipModule) {
        [len, q] = leb(e, q);
        q += len;
      }
      [len, q] = leb(e, q);
      q += len;
      const kind = e[q++];
      let index = 0;
      if (kind === 0 || !skipModule) [index, q] = leb(e, q);
      else if (kind === 1 || kind === 2) {
        if (kind === 1) q++;
        const flags = e[q++];
        [, q] = leb(e, q);
        if (flags & 1) [, q] = leb(e, q);
      } else q += 2;
      out.push([kind, index]);
    }
    return out;
  };
  const exportKinds = kinds(exp, false);
  if (kinds(imp, true).some(([k]) => k === 1) || exportKinds.some(([k]) => k === 1)) return { wasm, pruned: 0 };
  const b = wasm.subarray(elem.start, elem.end);
  let [segments, p] = leb(b, 0);
  if (segments !== 1 || b[p] !== 0 || b[p + 1] !== 0x41) return { wasm, pruned: 0 };
  const offsetValue = sleb(b, p + 2);
  [, p] = leb(b, p + 2);
  if (b[p++] !== 0x0b || offsetValue === null || offsetValue < 0n) return { wasm, pruned: 0 };
  const offset = Number(offsetValue);
  const listStart = p;
  let count;
  [count, p] = leb(b, p);
  const funcs = [];
  for (let i = 0; i < count; i++) {
    let f;
    [f, p] = leb(b, p);
    funcs.push(f);
  }
  const exported = new Set(exportKinds.filter(([k]) => k === 0).map(([, i]) => i));
  const seen = new Set();
  // Functions named by a `ref.func` (0xd2, then the function's index): such a
  // reference can reach the table (`table.set`) or be called (`call_ref`)
  // without any index as a number, so their entries are kept.
  const referenced = new Set();
  const scan = (c) => {
    for (let i = 0; i < c.length; i++) {
      if (c[i] === 0xd2) {
        // An index of at most 5 bytes, within the bytes (a stray 0xd2 at the end names nothing).
        let f = 0;
        for (let k = 0; k < 5 && i + 1 + k < c.length; k++) {
          f += (c[i + 1 + k] & 0x7f) * 2 ** (7 * k);
          if (c[i + 1 + k] < 0x80) {
            referenced.add(f);
            break;
          }
        }
        continue;
      }
      if (c[i] !== 0x41 && c[i] !== 0x42) continue;
      const v = sleb(c, i + 1);
      if (v === null) continue;
      const u = BigInt.asUintN(64, v);
      seen.add(Number(u & 0xffffffffn));
      if (c[i] === 0x42) seen.add(Number(u >> 32n));
    }
  };
  // The code, and the globals' initial values (a global may hold an index).
  scan(wasm.subarray(code.start, code.end));
  const globals = find(6);
  if (globals) scan(wasm.subarray(globals.start, globals.end));
  if (data) {
    // Each segment's bytes with zeros around them: wasm-opt leaves a
    // segment's leading and trailing zeros out (memory starts zeroed), so a
    // pointer's high zero bytes may be missing from the section.
    const d = wasm.subarray(data.start, data.end);
    let [n, q] = leb(d, 0);
    for (let i = 0; i < n; i++) {
      let flags, len;
      [flags, q] = leb(d, q);
      if (flags === 2) [, q] = leb(d, q); // a memory index
      if (flags !== 1) {
        if (d[q] !== 0x41) return { wasm, pruned: 0 }; // an offset LLVM does not write
        [, q] = leb(d, q + 1); // i32.const's operand (its bytes, as a signed number's)
        if (d[q++] !== 0x0b) return { wasm, pruned: 0 };
      }
      [len, q] = leb(d, q);
      const bytes = Buffer.concat([Buffer.alloc(3), d.subarray(q, q + len), Buffer.alloc(3)]);
      q += len;
      for (let j = 0; j + 4 <= bytes.length; j++) seen.add(bytes.readUInt32LE(j));
    }
  }
  let pruned = 0;
  const kept = funcs.map((f, j) => {
    if (f === funcs[0] || exported.has(f) || referenced.has(f) || seen.has(offset + j)) return f;
    pruned++;
    return funcs[0];
  });
  if (!pruned) return { wasm, pruned };
  const body = Buffer.concat([b.subarray(0, listStart), lebBytes(count), ...kept.map(lebBytes), b.subarray(p)]);
  const out = [wasm.subarray(0, elem.head), Buffer.from([9]), lebBytes(body.length), body, wasm.subarray(elem.end)];
  return { wasm: Buffer.concat(out), pruned };
}

/** wasm-opt's settings for the page, as index.html's data-wasm-opt and data-wasm-opt-params give them to trunk (e2e/minify.test.mjs checks they agree). */
export const WASM_OPT_ARGS = [
  "-Oz",
  "--enable-bulk-memory",
  "--enable-nontrapping-float-to-int",
  "--enable-sign-ext",
  "--converge",
  "--low-memory-unused",
  "--generate-global-effects",
];

/** `wasm` with its dead table entries emptied ([`pruneTable`]) and wasm-opt run again (binaryen's, from tools/node_modules). */
function pruneAndOptimize(wasm) {
  const r = pruneTable(wasm);
  if (!r.pruned) return r;
  const tmp = mkdtempSync(join(tmpdir(), "prune-"));
  try {
    writeFileSync(join(tmp, "in.wasm"), r.wasm);
    execFileSync("wasm-opt", [...WASM_OPT_ARGS, join(tmp, "in.wasm"), "-o", join(tmp, "out.wasm")], { stdio: "inherit" });
    return { wasm: readFileSync(join(tmp, "out.wasm")), pruned: r.pruned };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A short name for the k-th renamed item: a, b, ..., Z, ba, bb, ... */
function shortName(k) {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let s = "";
  do {
    s = letters[k % 52] + s;
    k = Math.floor(k / 52);
  } while (k);
  return s;
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Renames, in the wasm `wasm` (a Buffer) and in its wasm-bindgen glue `glue`
 * (the unminified JavaScript), the imports from the glue's own module
 * (`./<name>_bg.js`, which becomes ".") and the exports made by wasm-bindgen (`__wbg_*`,
 * `__wbindgen_*`, the classes' methods `<class>_<method>`, the closures'
 * `wasm_bindgen_*`): all to short names. Other imports (the snippets') and
 * exports (`memory`, `start`, the exported functions) keep theirs. The
 * custom sections (the producers and target features) are left out. Throws if
 * the glue does not name something exactly where expected, rather than
 * making a page that cannot start.
 */
export function shortenWasmNames(wasm, glue) {
  let glueModule = null;
  const out = [wasm.subarray(0, 8)];
  const imports = new Map();
  const exports = new Map();
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, start] = leb(wasm, at + 1);
    let body = wasm.subarray(start, start + size);
    at = start + size;
    if (id === 0) continue; // custom sections (producers, target_features): nothing reads them
    if (id === 2 || id === 7) {
      const parts = [];
      let [count, p] = leb(body, 0);
      parts.push(lebBytes(count));
      for (let i = 0; i < count; i++) {
        let module = null;
        if (id === 2) {
          let len;
          [len, p] = leb(body, p);
          module = body.subarray(p, p + len).toString("utf8");
          p += len;
        }
        let len;
        [len, p] = leb(body, p);
        const name = body.subarray(p, p + len).toString("utf8");
        p += len;
        const descStart = p;
        const kind = body[p++];
        if (id === 7 || kind === 0) {
          [, p] = leb(body, p); // an index
        } else if (kind === 1 || kind === 2) {
          if (kind === 1) p++; // the table's element type
          const flags = body[p++];
          [, p] = leb(body, p);
          if (flags & 1) [, p] = leb(body, p);
        } else if (kind === 3) {
          p += 2; // a global's type and mutability
        } else {
          throw new Error(`import ${name}: unknown kind ${kind}`);
        }
        let newName = name;
        if (id === 2 && glueModule === null && /^\.\/[^/]*_bg\.js$/.test(module)) glueModule = module;
        if (id === 2 && module === glueModule) {
          module = ".";
          newName = shortName(imports.size);
          imports.set(name, newName);
        } else if (id === 7 && /^(__wbg_|__wbindgen_|wasm_bindgen_|[a-z0-9]+_)/.test(name)) {
          newName = shortName(exports.size);
          exports.set(name, newName);
        }
        if (module !== null) {
          const m = Buffer.from(module);
          parts.push(lebBytes(m.length), m);
        }
        const n = Buffer.from(newName);
        parts.push(lebBytes(n.length), n, body.subarray(descStart, p));
      }
      body = Buffer.concat(parts);
    }
    out.push(Buffer.from([id]), lebBytes(body.length), body);
  }
  const replace = (text, re, to, what) => {
    let found = 0;
    const after = text.replace(re, () => {
      found++;
      return to;
    });
    if (!found) throw new Error(`shortenWasmNames: the glue does not name ${what}`);
    return after;
  };
  if (glueModule === null) throw new Error("shortenWasmNames: the wasm imports nothing from its glue");
  const quoted = JSON.stringify(glueModule);
  glue = replace(glue, new RegExp(escapeRe(quoted) + "(?=\\s*:)", "g"), '"."', glueModule);
  for (const [from, to] of imports) glue = replace(glue, new RegExp(`\\b${escapeRe(from)}(?=\\s*:)`, "g"), to, from);
  for (const [from, to] of exports) {
    glue = replace(glue, new RegExp(`\\bwasm\\.${escapeRe(from)}\\b`, "g"), `wasm.${to}`, `wasm.${from}`);
  }
  return { wasm: Buffer.concat(out), glue, imports: imports.size, exports: exports.size };
}

/**
 * Puts the glue's snippets (`inline_js` of `#[wasm_bindgen]`, each a module
 * in `snippets/`) inside the glue: each becomes a function run once that
 * returns what it exported, and its import line a `const` of those names.
 * One file instead of four, and the snippets minified with the glue (terser
 * runs after this). `read(path)` gives a snippet's text; a snippet with any
 * other `import` or `export` than `export function|const|let|class NAME` is
 * left a module. Returns the glue and the paths of the snippets inlined.
 */
export function inlineSnippets(glue, read) {
  const inlined = [];
  const lines = /^import\s+(\{[^}]*\}|\*\s+as\s+([\w$]+))\s+from\s+(['"])(\.\/snippets\/[^'"]+)\3;?[ \t]*$/gm;
  // A snippet imported twice (some of its functions by name, the others that
  // the wasm imports directly through `import * as`) is inlined once, at its
  // first import, and each import binds its names from that one value.
  const count = {};
  for (const m of glue.matchAll(lines)) count[m[4]] = (count[m[4]] || 0) + 1;
  const shared = {};
  glue = glue.replace(lines, (line, what, star, _q, path) => {
    const code = read(path.slice(2));
    const names = [];
    const body = code.replace(/^export\s+((?:async\s+)?function\*?|const|let|class)\s+([\w$]+)/gm, (_m, kw, name) => {
      names.push(name);
      return `${kw} ${name}`;
    });
    if (/\bimport\b|\bexport\b/.test(body)) return line;
    let value = `(() => {\n${body}\nreturn { ${names.join(", ")} };\n})()`;
    let first = "";
    if (count[path] > 1) {
      if (!shared[path]) {
        shared[path] = `snippet${Object.keys(shared).length}`;
        first = `const ${shared[path]} = ${value};\n`;
        inlined.push(path.slice(2));
      }
      value = shared[path];
    } else {
      inlined.push(path.slice(2));
    }
    if (star) return `${first}const ${star} = ${value};`;
    const bindings = what.replace(/([\w$]+)\s+as\s+([\w$]+)/g, "$1: $2");
    return `${first}const ${bindings} = ${value};`;
  });
  return { glue, inlined };
}

/**
 * Joins the classic scripts `index.html` loads one right after the other
 * (`<script src="./x.js" integrity=..></script>`, no `type`, `async` or
 * `defer`: keys.js and embed.js) into the first of them: the same code run
 * in the same order, one file to fetch and gzip instead of two. Returns the
 * new `html`, the file they go `into` (null when fewer than two such tags
 * stand side by side), its `text`, and the files `joined` into it (to delete).
 */
export function joinScripts(html, read) {
  const run = /(?:<script src="\.\/[\w.-]+\.js" integrity="[^"]*"><\/script>\s*){2,}/.exec(html);
  if (!run) return { html, into: null, text: null, joined: [] };
  const names = [...run[0].matchAll(/src="\.\/([\w.-]+\.js)"/g)].map((m) => m[1]);
  const text = names.map((n) => read(n).trimEnd()).join(";\n") + "\n";
  const first = run[0].match(/<script[^>]*><\/script>/)[0];
  return { html: html.replace(run[0], first + "\n"), into: names[0], text, joined: names.slice(1) };
}

const sri = (text) => "sha384-" + createHash("sha384").update(text).digest("base64");

async function main() {
  const dir = process.env.TRUNK_STAGING_DIR;
  if (!dir) throw new Error("tools/minify.mjs runs as trunk's post_build hook (TRUNK_STAGING_DIR is not set)");
  if (process.env.TRUNK_PROFILE !== "release") return;
  const htmlPath = join(dir, "index.html");
  let html = readFileSync(htmlPath, "utf8");
  // The wasm's imports and exports renamed (before the glue is minified).
  const wasmName = readdirSync(dir).find((n) => n.endsWith("_bg.wasm"));
  if (wasmName) {
    const gluePath = join(dir, wasmName.replace(/_bg\.wasm$/, ".js"));
    const wasm = readFileSync(join(dir, wasmName));
    const glue = readFileSync(gluePath, "utf8");
    const p = pruneAndOptimize(wasm);
    console.log(`${wasmName}: ${p.pruned} table entries nothing calls emptied, ${wasm.length} -> ${p.wasm.length} bytes`);
    const r = shortenWasmNames(p.wasm, glue);
    const s = inlineSnippets(r.glue, (path) => readFileSync(join(dir, path), "utf8"));
    writeFileSync(join(dir, wasmName), r.wasm);
    writeFileSync(gluePath, s.glue);
    html = html.split(sri(wasm)).join(sri(r.wasm)).split(sri(glue)).join(sri(s.glue));
    for (const path of s.inlined) {
      rmSync(join(dir, path));
      html = html.replace(new RegExp(`<link rel="modulepreload" href="\\./${escapeRe(path)}"[^>]*>`), "");
    }
    const snippets = join(dir, "snippets");
    for (const sub of existsSync(snippets) ? readdirSync(snippets) : []) {
      if (!readdirSync(join(snippets, sub)).length) rmSync(join(snippets, sub), { recursive: true });
    }
    if (existsSync(snippets) && !readdirSync(snippets).length) rmSync(snippets, { recursive: true });
    console.log(`${wasmName}: ${r.imports} imports and ${r.exports} exports renamed, ${wasm.length} -> ${r.wasm.length} bytes`);
    console.log(`snippets inlined in the glue: ${s.inlined.join(", ")}`);
  }
  // keys.js and embed.js as one file (its integrity is set again once minified, below).
  const j = joinScripts(html, (n) => readFileSync(join(dir, n), "utf8"));
  if (j.into) {
    const before = readFileSync(join(dir, j.into));
    writeFileSync(join(dir, j.into), j.text);
    html = j.html.split(sri(before)).join(sri(j.text));
    for (const n of j.joined) rmSync(join(dir, n));
    console.log(`joined into ${j.into}: ${j.joined.join(", ")}`);
  }
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    let before, after;
    if (name.endsWith(".js")) {
      before = readFileSync(path, "utf8");
      // The glue is an ES module (top-level names are its own); the others plain scripts.
      const module = /^\s*(import|export)\b/m.test(before);
      const out = await minify(before, {
        module,
        ecma: 2020,
        compress: { passes: 2 },
        mangle: true,
        keep_classnames: true,
        format: { comments: false },
      });
      after = out.code;
    } else if (name.endsWith(".css")) {
      before = readFileSync(path, "utf8");
      after = minifyCss(before);
    } else {
      continue;
    }
    writeFileSync(path, after);
    html = html.split(sri(before)).join(sri(after));
    console.log(`minified ${name}: ${before.length} -> ${after.length} bytes`);
  }
  // The integrity attributes go once every file is final (the steps above
  // find tags by them): each file comes from the page's own origin, with
  // index.html itself, so a hash in index.html guards against nothing a
  // changed index.html could not undo, and its five hashes are about 310 B
  // gzipped of the page's budget (random base64 does not compress).
  html = html.replace(/ integrity="sha384-[^"]*"/g, "").replace(/\n\s*\n/g, "\n");
  writeFileSync(htmlPath, html);
}

// Run by trunk (not when a test imports minifyCss).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}
