// The page drawn by two builds, compared pixel by pixel (issue 12: the ring's
// upper layer must land on the same pixels as the ring did when one svg held all; and the
// Diagram tab's drawing, moment "diagram").
// BASE= (the build to compare with, a dist directory) is required. Every moment below is shot
// (bench, partition, hover, diagram), unless ONLY= names one (ONLY=diagram: the Diagram alone).
//   BASE=/work/main-dist node e2e/ring-pixels.mjs     dist/ against BASE's build
//   BASE=dist CSS='...' ONLY=bench node e2e/ring-pixels.mjs   a style injected into dist/'s page; one moment
//   BASE=dist BASE_CSS='.ring{will-change:auto}' ...     dist/ against itself with another style
// For each moment, size and colour scheme: the pixels that differ, by how many
// levels at most, and where; writes both pictures and a map of the differences
// (target/screenshots/pixels-<name>-{new,base,diff}.png: differences in red).
import fs from "node:fs";
import path from "node:path";
import { serveDist, launch, openPage, setUpBenchCluster, setUpBenchDiagram, SHOTS } from "./lib.mjs";

const MOMENTS = {
  // The bench's: 9 servers, their timer arcs, about 50 messages in flight.
  bench: { query: "seed=3&servers=9&paused=1", set: (page) => setUpBenchCluster(page) },
  // A partition (group tags over the arcs), a crashed server, a candidate; the
  // pointer on a server (its halo under its arc).
  partition: {
    query: "seed=7&paused=1&servers=7",
    set: async (page) => {
      await page.evaluate(() => {
        const rp = window.raftPlayground;
        for (let t = 0; t < 5000 && !rp.state().leader; t += 50) rp.advance(50);
        rp.write("x", 1);
        rp.advance(30);
        rp.partition([[1, 2], [3, 4, 5, 6, 7]]);
        rp.crash(4);
        rp.advance(20);
      });
      const b = await page.locator('svg.ring [data-server="2"] .body').boundingBox();
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    },
  },
  // The pointer on a message (its ring, the pointer cursor).
  hover: {
    query: "seed=3&servers=5&paused=1",
    set: async (page) => {
      await page.evaluate(() => {
        const rp = window.raftPlayground;
        for (let t = 0; t < 5000 && !rp.state().leader; t += 50) rp.advance(50);
        rp.write("x", 1);
        rp.advance(25);
      });
      const id = await page.evaluate(() => window.raftPlayground.state().messages[0].id);
      const b = await page.locator(`svg.ring [data-message="${id}"]`).boundingBox();
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    },
  },
  // The bench's second phase: the Diagram tab open beside the ring after 10 virtual minutes,
  // then 30 ms on (its marks, "now", the tips of the arrows in flight; session 34).
  diagram: {
    query: "seed=3&servers=9&paused=1",
    set: async (page) => {
      await setUpBenchCluster(page);
      await setUpBenchDiagram(page);
      await page.evaluate(() => window.raftPlayground.advance(30));
    },
  },
};
const SIZES = [
  [1280, 800, "light"],
  [1280, 800, "dark"],
  [800, 600, "light"],
  [480, 360, "light"],
  [480, 360, "dark"],
];

async function shoot(browser, srv, m, [width, height, colorScheme], css) {
  const { page, context, errors } = await openPage(browser, `${srv.url}index.html?${m.query}`, { width, height, colorScheme });
  if (css) await page.addStyleTag({ content: css });
  await m.set(page);
  await page.waitForTimeout(250);
  const png = await page.screenshot();
  await context.close();
  if (errors.length) console.log(`page errors: ${errors.join("; ")}`);
  return png;
}

if (!process.env.BASE) {
  console.error("BASE= the build to compare dist/ with (a dist directory), e.g. BASE=/work/main-dist");
  process.exit(2);
}
fs.mkdirSync(SHOTS, { recursive: true });
const mine = await serveDist();
const base = await serveDist(path.resolve(process.env.BASE));
const browser = await launch();
const cmp = await (await browser.newContext()).newPage();
let all = 0;
try {
  for (const [name, m] of Object.entries(MOMENTS)) {
    if (process.env.ONLY && process.env.ONLY !== name) continue;
    for (const size of SIZES) {
      const tag = `${name}-${size[0]}x${size[1]}-${size[2]}`;
      const a = await shoot(browser, mine, m, size, process.env.CSS);
      const b = await shoot(browser, base, m, size, process.env.BASE_CSS);
      const r = await cmp.evaluate(
        async ([a, b]) => {
          const load = async (s) => {
            const img = await createImageBitmap(await (await fetch("data:image/png;base64," + s)).blob());
            const c = new OffscreenCanvas(img.width, img.height);
            const x = c.getContext("2d");
            x.drawImage(img, 0, 0);
            return x.getImageData(0, 0, img.width, img.height);
          };
          const [p, q] = [await load(a), await load(b)];
          const out = new ImageData(p.width, p.height);
          let n = 0, max = 0, x0 = 1e9, y0 = 1e9, x1 = -1, y1 = -1;
          for (let i = 0; i < p.data.length; i += 4) {
            const d = Math.max(...[0, 1, 2].map((k) => Math.abs(p.data[i + k] - q.data[i + k])));
            const grey = (q.data[i] + q.data[i + 1] + q.data[i + 2]) / 6 + 128;
            out.data.set(d ? [255, 0, 0, 255] : [grey, grey, grey, 255], i);
            if (d) {
              n++;
              max = Math.max(max, d);
              const px = (i / 4) % p.width, py = Math.floor(i / 4 / p.width);
              x0 = Math.min(x0, px), y0 = Math.min(y0, py), x1 = Math.max(x1, px), y1 = Math.max(y1, py);
            }
          }
          const c = new OffscreenCanvas(p.width, p.height);
          c.getContext("2d").putImageData(out, 0, 0);
          const diff = new Uint8Array(await (await c.convertToBlob()).arrayBuffer());
          let s = "";
          for (const byte of diff) s += String.fromCharCode(byte);
          return { n, max, box: n ? [x0, y0, x1, y1] : null, diff: btoa(s) };
        },
        [a.toString("base64"), b.toString("base64")],
      );
      all += r.n;
      fs.writeFileSync(path.join(SHOTS, `pixels-${tag}-new.png`), a);
      fs.writeFileSync(path.join(SHOTS, `pixels-${tag}-base.png`), b);
      fs.writeFileSync(path.join(SHOTS, `pixels-${tag}-diff.png`), Buffer.from(r.diff, "base64"));
      console.log(`${tag}: ${r.n} pixels differ${r.n ? ` (up to ${r.max} levels, within x ${r.box[0]}..${r.box[2]}, y ${r.box[1]}..${r.box[3]})` : ""}`);
    }
  }
  console.log(`in all: ${all} pixels differ`);
} finally {
  await browser.close();
  await mine.close();
  await base.close();
}
