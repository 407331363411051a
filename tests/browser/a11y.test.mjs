// Accessibility test: axe-core (npm `axe-core`, run inside Chromium through playwright-core)
// on the built sample site's home page, a skill page, a pack page with its dependency diagram,
// the catalog, the milestone page (a long task list), a skill with prompt tags and the search
// page with a query, each in three colour set-ups:
//
// - `light`: prefers-color-scheme light, nothing stored;
// - `dark`: prefers-color-scheme dark, nothing stored (the theme follows the system);
// - `dark-toggle`: prefers-color-scheme light, but the theme toggle's stored choice
//   (localStorage `skillsite-theme` = `dark`, read by themes/default/static/js/theme.js).
//
// It asserts that axe reports no violation of impact `serious` or `critical` (WCAG 2.x A/AA
// rules and axe's best practices) and prints every violation found with its targets.
// With SKILLSITE_A11Y_REPORT=1 it also prints the count of serious/critical violations (nodes)
// per page and set-up, and does not fail (for before/after figures).
//
//   SKILLSITE_BOOK=/tmp/book node --test tests/browser/a11y.test.mjs
//
// `cargo test --test browser_search` runs it when SKILLSITE_BROWSER_TESTS=1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { serveStatic, launchChromium } from "./harness.mjs";

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const book = path.resolve(repo, process.env.SKILLSITE_BOOK || "book");
const report = process.env.SKILLSITE_A11Y_REPORT === "1";

/** The pages checked: [name, path under the site, axe rule ids not run on it]. */
const PAGES = [
  ["home", "index.html", []],
  ["skill", "axiom-cloud-infrastructure/terraform-state-management/index.html", []],
  ["pack (diagram)", "axiom-cloud-infrastructure/index.html", []],
  ["catalog", "catalog.html", []],
  ["milestone", "milestones/skill-registry-milestone.html", []],
  ["prompt-tag skill", "platform-skills/devops-crypto-architect/index.html", []],
  ["search", "search/index.html?q=terraform", []],
];

const SETUPS = [
  ["light", "light", null],
  ["dark", "dark", null],
  ["dark-toggle", "light", "dark"],
];

let server, browser, base;

before(async () => {
  assert.ok(fs.existsSync(path.join(book, "index.html")), `no built site in ${book}`);
  server = await serveStatic(book);
  base = server.url;
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
});

/** Runs axe on `url` in a fresh context; resolves with the serious/critical violations. */
async function audit(url, colorScheme, stored, disabled) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
  if (stored) await ctx.addInitScript((t) => localStorage.setItem("skillsite-theme", t), stored);
  const page = await ctx.newPage();
  try {
    await page.goto(url, { waitUntil: "load" });
    if (url.includes("search/")) {
      await page.waitForFunction(() => document.querySelectorAll(".search-page-results li").length > 0, null, { timeout: 15000 });
    }
    const theme = await page.evaluate(() => {
      const t = document.documentElement.getAttribute("data-theme");
      return t || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark (system)" : "light (system)");
    });
    if (stored) assert.equal(theme, stored, `${url}: the stored theme applies`);
    // Evaluated through the DevTools protocol: the page's Content-Security-Policy (no inline
    // scripts) does not apply to it, and the page itself is not changed.
    await page.evaluate(axeSource);
    const result = await page.evaluate((disabled) => {
      const rules = {};
      for (const id of disabled) rules[id] = { enabled: false };
      return window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
        rules,
        resultTypes: ["violations"],
      });
    }, disabled);
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  } finally {
    await ctx.close();
  }
}

function describe(violations) {
  return violations
    .map((v) => `  ${v.id} (${v.impact}, ${v.nodes.length}): ${v.help}\n` +
      v.nodes.slice(0, 8).map((n) => `    ${n.target.join(" ")}: ${(n.failureSummary || "").split("\n").slice(1, 2).join(" ").trim()}`).join("\n"))
    .join("\n");
}

for (const [name, rel, disabled] of PAGES) {
  test(`axe: no serious or critical violations on the ${name} page`, async () => {
    const file = path.join(book, rel.split("?")[0]);
    assert.ok(fs.existsSync(file), `the sample site has no ${rel}`);
    const failures = [];
    for (const [setup, scheme, stored] of SETUPS) {
      const found = await audit(base + rel, scheme, stored, disabled);
      const nodes = found.reduce((n, v) => n + v.nodes.length, 0);
      if (report) console.log(`a11y ${name} [${setup}]: ${found.length} rules, ${nodes} nodes${found.length ? "\n" + describe(found) : ""}`);
      if (found.length) failures.push(`[${setup}]\n${describe(found)}`);
    }
    if (!report) assert.equal(failures.length, 0, `${rel}:\n${failures.join("\n")}`);
  });
}

test("the header search box keeps its chips to one Tab stop, and Tab leaves it", async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  try {
    await page.goto(base + "index.html", { waitUntil: "load" });
    await page.locator(".search-input").focus();
    await page.keyboard.type("terraform");
    await page.waitForFunction(() => document.querySelectorAll(".search-item").length > 0, null, { timeout: 15000 });
    const chips = await page.locator(".search-chips button").count();
    assert.ok(chips >= 2, `the dropdown shows facet chips (${chips})`);
    const stops = await page.locator(".search-chips button[tabindex='0']").count();
    assert.equal(stops, 1, "one chip is in the Tab order");
    // Tab: onto the chip group; arrow keys move inside it; Tab again: out of the box.
    await page.keyboard.press("Tab");
    const onChip = await page.evaluate(() => document.activeElement.closest(".search-chips") !== null);
    const links = await page.locator(".search-results a").count();
    assert.ok(onChip || links > 0, "Tab goes to the chips or a result");
    if (onChip) {
      const first = await page.evaluate(() => document.activeElement.textContent);
      await page.keyboard.press("ArrowRight");
      assert.notEqual(await page.evaluate(() => document.activeElement.textContent), first, "ArrowRight moves to the next chip");
    }
    let presses = 0;
    while (presses < 3 + links && (await page.evaluate(() => document.activeElement.closest(".search-chips") !== null))) {
      await page.keyboard.press("Tab");
      presses++;
    }
    assert.ok(presses <= 1, `Tab left the chip group after ${presses} presses (${chips} chips)`);
  } finally {
    await ctx.close();
  }
});
