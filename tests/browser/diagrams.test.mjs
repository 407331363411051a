// Browser test of diagrams and narrow screens (issue 14, parts 3 and 6), on the site that
// tests/diagrams.rs generates (SKILLSITE_DIAGRAM_BOOK) and on the sample site (SKILLSITE_BOOK):
//
// - at a 1400 × 1000 window, every label of the 14-skill pack diagram renders at 11 px or
//   more (computed font size × the SVG's scale), and the SVG has a <title>;
// - a ```mermaid fence renders as an inline SVG (and a ```dot one);
// - a pack without dependencies has no diagram, and one with a single dependency among 60
//   skills draws those two skills only (not a row of 60 boxes);
// - a diagram wider than the column gets zoom buttons: "Fit" scales it into its box, "+"
//   zooms in by 1.25, "1:1" restores its natural size, and the page itself never widens;
// - at 390 px (a phone), no page scrolls sideways (documentElement.scrollWidth ≤ innerWidth):
//   pack and skill pages here (with a 300-character URL, base64, a ===== line and a 12-column
//   table) and on the sample site.
//
//   SKILLSITE_DIAGRAM_BOOK=/tmp/d SKILLSITE_BOOK=/tmp/book node --test tests/browser/diagrams.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic, launchChromium } from "./harness.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dbook = path.resolve(repo, process.env.SKILLSITE_DIAGRAM_BOOK || "book-diagrams");
const sample = process.env.SKILLSITE_BOOK ? path.resolve(process.env.SKILLSITE_BOOK) : null;

let dserver, sserver, browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(dbook, "graph/index.html")), `no diagram site in ${dbook}`);
  dserver = await serveStatic(dbook);
  if (sample) sserver = await serveStatic(sample);
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (dserver) dserver.stop();
  if (sserver) sserver.stop();
});

async function open(url, width, height, colorScheme = "light") {
  const ctx = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: "load" });
  return { page, ctx, errors };
}

/** Rendered label sizes (px) of every diagram on the page: font size × the SVG's scale. */
function labelSizes(page) {
  return page.evaluate(() => {
    const out = [];
    document.querySelectorAll("svg.diagram").forEach((svg) => {
      const vb = svg.viewBox.baseVal;
      const scale = svg.getBoundingClientRect().width / (vb && vb.width ? vb.width : svg.width.baseVal.value);
      svg.querySelectorAll("text").forEach((t) => {
        if (!t.textContent.trim()) return;
        out.push({ text: t.textContent.trim(), px: parseFloat(getComputedStyle(t).fontSize) * scale });
      });
    });
    return out;
  });
}

for (const scheme of ["light", "dark"]) {
  test(`the 14-skill pack diagram: labels at 11 px or more at 1400 px, titled (${scheme})`, async () => {
    const { page, ctx, errors } = await open(dserver.url + "graph/index.html", 1400, 1000, scheme);
    try {
      const svgs = await page.locator("svg.diagram").count();
      assert.equal(svgs, 1);
      const title = await page.evaluate(() => document.querySelector("svg.diagram > title")?.textContent || "");
      assert.match(title, /^Dependencies of /);
      const described = await page.evaluate(() => {
        const id = document.querySelector("svg.diagram").getAttribute("aria-describedby");
        return id && document.getElementById(id) ? document.getElementById(id).textContent : "";
      });
      assert.match(described, /14 skills, 13 dependencies/);
      const sizes = await labelSizes(page);
      assert.ok(sizes.length >= 14, `labels found: ${sizes.length}`);
      const small = sizes.filter((s) => s.px < 11);
      assert.deepEqual(small, [], "labels under 11 px");
      // Labels contrast with their node's fill (WCAG 4.5:1) in both schemes.
      const low = await page.evaluate(() => {
        const rgb = (c) => (c.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
        const lum = (c) => {
          const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
        const bg = getComputedStyle(document.body).backgroundColor;
        const out = [];
        const rects = [...document.querySelectorAll("svg.diagram rect")];
        document.querySelectorAll("svg.diagram text").forEach((t) => {
          const box = t.getBoundingClientRect();
          const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
          const rect = rects.find((r) => { const b = r.getBoundingClientRect(); return cx >= b.left && cx <= b.right && cy >= b.top && cy <= b.bottom; });
          const cs = rect ? getComputedStyle(rect) : null;
          // A node's fill over the page background (fill-opacity below 1 is a tint of the page).
          const fill = cs && Number(cs.fillOpacity) === 1 ? cs.fill : bg;
          const r = ratio(getComputedStyle(t).fill, fill);
          if (r < 4.5) out.push(`${t.textContent.trim()}: ${r.toFixed(2)} (${getComputedStyle(t).fill} on ${fill})`);
        });
        return out;
      });
      assert.deepEqual(low, [], "labels under 4.5:1");
      const pageWide = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(pageWide <= 0, `page scrolls sideways by ${pageWide}px`);
      assert.deepEqual(errors, []);
    } finally {
      await ctx.close();
    }
  });
}

test("a mermaid fence renders as SVG, and a dot fence", async () => {
  const { page, ctx } = await open(dserver.url + "fences.html", 1400, 1000);
  try {
    assert.equal(await page.locator("svg.diagram.mermaid").count(), 1, "mermaid SVG");
    assert.equal(await page.locator("pre[data-lang=mermaid]").count(), 0, "not shown as code");
    assert.equal(await page.locator("svg.diagram:not(.mermaid)").count(), 1, "dot SVG");
    const titles = await page.evaluate(() => [...document.querySelectorAll("svg.diagram")].map((s) => s.querySelector("title")?.textContent || ""));
    assert.ok(titles.every((t) => t.length > 0), `titles: ${titles}`);
    const sizes = await labelSizes(page);
    assert.deepEqual(sizes.filter((s) => s.px < 11), [], "labels under 11 px");
  } finally {
    await ctx.close();
  }
});

test("a pack without dependencies has no diagram; one with 1 edge in 60 skills draws 2 nodes", async () => {
  const none = await open(dserver.url + "none/index.html", 1400, 1000);
  try {
    assert.equal(await none.page.locator("svg.diagram").count(), 0);
  } finally {
    await none.ctx.close();
  }
  const { page, ctx } = await open(dserver.url + "flat/index.html", 1400, 1000);
  try {
    assert.equal(await page.locator("svg.diagram rect").count(), 2);
    const w = await page.locator("svg.diagram").evaluate((s) => s.getBoundingClientRect().width);
    assert.ok(w < 737, `the diagram is ${w}px wide`);
    const pageWide = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(pageWide <= 0, `page scrolls sideways by ${pageWide}px`);
  } finally {
    await ctx.close();
  }
});

test("a wide diagram scrolls in its box, with working fit, zoom and 1:1 buttons", async () => {
  const { page, ctx, errors } = await open(dserver.url + "wide.html", 1400, 1000);
  try {
    const svg = page.locator("svg.diagram");
    const natural = Number(await svg.getAttribute("width"));
    const box = page.locator(".diagram-scroll");
    const room = await box.evaluate((b) => b.clientWidth);
    assert.ok(natural > room * 1.5, `the fixture is wide: ${natural} in ${room}`);
    const width = () => svg.evaluate((s) => s.getBoundingClientRect().width);
    // Fitting would shrink labels under 11 px: it opens at 1:1, scrolling in its box.
    assert.ok(Math.abs((await width()) - natural) < 2, "opens at natural size");
    assert.ok(await box.evaluate((b) => b.scrollWidth > b.clientWidth), "the box scrolls");
    assert.equal(await box.getAttribute("tabindex"), "0", "the box is focusable");
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)) <= 0, "the page does not widen");
    await page.getByRole("button", { name: "Fit to the column" }).click();
    const fitted = await width();
    assert.ok(fitted <= room + 1, `fit: ${fitted} <= ${room}`);
    await page.getByRole("button", { name: "Zoom in" }).click();
    assert.ok(Math.abs((await width()) - fitted * 1.25) < 2, "zoom in ×1.25");
    await page.getByRole("button", { name: "Zoom out" }).click();
    assert.ok(Math.abs((await width()) - fitted) < 2, "zoom out ÷1.25");
    await page.getByRole("button", { name: "1:1 (natural size)" }).click();
    assert.ok(Math.abs((await width()) - natural) < 2, "1:1");
    // Drag to pan.
    const b = await box.boundingBox();
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2 - 200, b.y + b.height / 2, { steps: 5 });
    await page.mouse.up();
    assert.ok((await box.evaluate((el) => el.scrollLeft)) >= 150, "dragging pans");
    assert.deepEqual(errors, []);
  } finally {
    await ctx.close();
  }
});

const PHONE_PAGES = [
  ["diagram site", () => dserver.url, ["graph/index.html", "graph/foundations-of-testing/index.html", "long/index.html", "long/long-strings/index.html", "fences.html", "wide.html", "split/index.html"]],
  ["sample site", () => sserver && sserver.url, ["index.html", "axiom-cloud-infrastructure/index.html", "axiom-cloud-infrastructure/terraform-state-management/index.html", "platform-skills/index.html", "platform-skills/devops-crypto-architect/index.html", "milestones/skill-registry-milestone.html", "architecture/aspora-production-architecture.html"]],
];

for (const [site, base, pages] of PHONE_PAGES) {
  test(`no horizontal page scroll at 390 px on the ${site}`, async (t) => {
    if (!base()) return t.skip("SKILLSITE_BOOK not set");
    const wide = [];
    for (const rel of pages) {
      const { page, ctx } = await open(base() + rel, 390, 844);
      try {
        assert.notEqual(await page.title(), "", `${rel} loads`);
        const over = await page.evaluate(() => {
          const w = innerWidth, culprits = [];
          if (document.documentElement.scrollWidth <= w) return null;
          document.querySelectorAll("body *").forEach((el) => {
            const r = el.getBoundingClientRect();
            if (r.right > w + 1 && culprits.length < 5) culprits.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(r.right)})`);
          });
          return `${document.documentElement.scrollWidth}px: ${culprits.join(", ")}`;
        });
        if (over) wide.push(`${rel}: ${over}`);
      } finally {
        await ctx.close();
      }
    }
    assert.deepEqual(wide, [], "pages wider than the phone");
  });
}
