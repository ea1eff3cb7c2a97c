// Trunk's post-build hook (Trunk.toml): in a release build, minifies the
// page's JavaScript (the wasm-bindgen glue and keys.js, with terser) and its
// style sheet (comments and spaces only: nothing is rewritten), then puts the
// new files' hashes in index.html's integrity attributes. Trunk's own
// minifiers are not used: its JavaScript minifier cannot read the glue (an ES
// module), and its CSS minifier rewrites media queries into the range syntax
// (width<=620px), which Safari reads only from 16.4 on.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
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

const sri = (text) => "sha384-" + createHash("sha384").update(text).digest("base64");

async function main() {
  const dir = process.env.TRUNK_STAGING_DIR;
  if (!dir) throw new Error("tools/minify.mjs runs as trunk's post_build hook (TRUNK_STAGING_DIR is not set)");
  if (process.env.TRUNK_PROFILE !== "release") return;
  const htmlPath = join(dir, "index.html");
  let html = readFileSync(htmlPath, "utf8");
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    let before, after;
    if (name.endsWith(".js")) {
      before = readFileSync(path, "utf8");
      // The glue is an ES module (top-level names are its own); keys.js a plain script.
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
  writeFileSync(htmlPath, html);
}

// Run by trunk (not when a test imports minifyCss).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}
