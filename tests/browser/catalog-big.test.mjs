// Browser test of the catalog page at scale (issue 14): Chromium (playwright-core driving
// Debian's /usr/bin/chromium) opens catalog.html of a generated site of several hundred skills
// (tests/common/skills.rs, built by tests/browser_catalog.rs) from file:// and checks the text
// filter, sorting, the URL state (reload, Back), Clear and the empty state, the card and table
// views, chip counts that follow the filter, rows that come from catalog/data.js, every skill
// reachable without JavaScript, and no sideways scroll on a 390 px screen. The expected rows
// are computed here from the site's catalog.json, not from the page.
//
//   SKILLSITE_CATALOG_BOOK=/path/to/book node --test tests/browser/catalog-big.test.mjs
//
// Environment: SKILLSITE_CATALOG_BOOK (required), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOTS (folder for PNGs; default target/browser-screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launchChromium } from "./harness.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const book = process.env.SKILLSITE_CATALOG_BOOK;
const shots = path.resolve(repo, process.env.SCREENSHOTS || "target/browser-screenshots");
const url = book && pathToFileURL(path.join(book, "catalog.html")).href;

let browser, skills;

before(async () => {
  assert.ok(book && fs.existsSync(path.join(book, "catalog.html")), `no built catalog in ${book}`);
  skills = JSON.parse(fs.readFileSync(path.join(book, "catalog.json"), "utf8")).skills;
  assert.ok(skills.length >= 150, `a big catalog: ${skills.length} skills`);
  fs.mkdirSync(shots, { recursive: true });
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
});

/** What the filter should keep: every word in the name, description or tags. */
function matches(s, q) {
  const hay = [s.name, s.description, ...s.tags].join("\n").toLowerCase();
  return q.toLowerCase().split(/\s+/).filter(Boolean).every((t) => hay.includes(t));
}
const shownNames = (page) => page.$$eval("[data-catalog] tbody tr", (trs) => trs.filter((tr) => !tr.hidden && tr.offsetParent !== null).map((tr) => tr.querySelector(".skill-link").textContent.trim()));
const status = async (page) => (await page.locator("[data-facet-status]").textContent()).trim();
const chip = (page, facet, value) => page.locator(`[data-facet="${facet}"] .chip[data-value="${value}"]`);

async function open(context, hash = "") {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url + hash);
  await page.waitForSelector(`[data-catalog][data-loaded="${skills.length}"]`);
  return { page, errors };
}

test("filter, sort, URL state, Back, Clear, views and chip counts over every skill", async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const { page, errors } = await open(context);
  const total = skills.length;
  assert.equal(await status(page), `${total} skills`);
  assert.equal(await page.locator("[data-pager]").isVisible(), false, "the pager is for readers without JavaScript");
  assert.equal((await shownNames(page)).length, 100, "the first 100 rows, then Show more");
  await page.locator("#skills, [data-catalog]").first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shots, "catalog-big-table.png") });

  // A skill from the data file (after the first 200 rows) is found by its name.
  const late = skills[total - 3];
  await page.fill("[data-filter]", late.name);
  assert.ok((await shownNames(page)).includes(late.name), `${late.name} (a row of catalog/data.js) is found`);
  const lateHref = await page.locator(".skill-link", { hasText: late.name }).first().getAttribute("href");
  assert.equal(lateHref, late.url, "its link is the page the build made");

  // A word: the rows shown are exactly the skills whose name, description or tags hold it.
  // The first word of the descriptions that some but not too many skills have (so every match
  // is drawn at once), in upper case: the filter ignores case.
  const words = [...new Set(skills.flatMap((s) => s.description.toLowerCase().split(/[^a-z]+/)))].filter((w) => w.length >= 4).sort();
  const fits = (q) => { const n = skills.filter((s) => matches(s, q)).length; return n >= 10 && n <= 90; };
  const common = words.slice(0, 20);
  const pairs = common.flatMap((a) => common.filter((b) => b > a).map((b) => `${a} ${b}`));
  const word = words.find(fits) || pairs.find(fits) || pairs.flatMap((p) => common.filter((c) => c > p.split(" ")[1]).map((c) => `${p} ${c}`)).find(fits);
  assert.ok(word, "a query for the filter");
  const q = word.toUpperCase();
  await page.fill("[data-filter]", q);
  const want = skills.filter((s) => matches(s, q));
  assert.ok(want.length > 0 && want.length <= 100, `${want.length} matches for "${q}"`);
  assert.deepEqual((await shownNames(page)).sort(), want.map((s) => s.name).sort());
  assert.equal(await status(page), `${want.length} of ${total} skills`);
  assert.equal(await page.locator("#catalog-count").getAttribute("aria-live"), "polite");

  // Chip counts follow the filter: each type chip counts the matching skills of that type.
  for (const t of ["Technique", "Pattern", "Reference"]) {
    const n = want.filter((s) => s.types.includes(t)).length;
    assert.equal(Number(await chip(page, "type", t).locator(".chip-count").textContent()), n, `${t} count`);
  }
  // A chip narrows within the filter (AND across facets).
  await chip(page, "type", "Pattern").click();
  assert.equal(await chip(page, "type", "Pattern").getAttribute("aria-pressed"), "true");
  const patterns = want.filter((s) => s.types.includes("Pattern")).map((s) => s.name).sort();
  assert.deepEqual((await shownNames(page)).sort(), patterns);
  assert.equal(await status(page), `${patterns.length} of ${total} skills`);
  assert.match(page.url(), new RegExp(`#q=${q.replace(/ /g, "\\+")}&type=Pattern`));

  // Sort by the Skill column: ascending, then descending; aria-sort says which.
  const nameHeader = page.locator('th[data-sort-key="name"]');
  await nameHeader.locator("button").click();
  assert.equal(await nameHeader.getAttribute("aria-sort"), "ascending");
  const asc = [...patterns].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.deepEqual(await shownNames(page), asc);
  await nameHeader.locator("button").click();
  assert.equal(await nameHeader.getAttribute("aria-sort"), "descending");
  assert.deepEqual(await shownNames(page), [...asc].reverse());
  await page.screenshot({ path: path.join(shots, "catalog-big-filtered.png") });

  // Reload: the same state from the URL.
  const before = page.url();
  await page.reload();
  await page.waitForSelector(`[data-catalog][data-loaded="${total}"]`);
  assert.equal(page.url(), before);
  assert.equal(await page.inputValue("[data-filter]"), q);
  assert.equal(await chip(page, "type", "Pattern").getAttribute("aria-pressed"), "true");
  assert.equal(await nameHeader.getAttribute("aria-sort"), "descending");
  assert.deepEqual(await shownNames(page), [...asc].reverse());

  // Back undoes the last change (the descending sort), then the ascending one.
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('th[data-sort-key="name"]').getAttribute("aria-sort") === "ascending");
  assert.deepEqual(await shownNames(page), asc);
  await page.goBack();
  await page.waitForFunction(() => !document.querySelector('th[data-sort-key="name"]').hasAttribute("aria-sort"));
  assert.equal(await chip(page, "type", "Pattern").getAttribute("aria-pressed"), "true");
  await page.goBack();
  await page.waitForFunction(() => document.querySelector('[data-facet="type"] .chip[data-value="Pattern"]').getAttribute("aria-pressed") === "false");
  assert.deepEqual((await shownNames(page)).sort(), want.map((s) => s.name).sort());

  // Cards: the same rows as cards; in the URL; back to the table.
  await page.click('[data-view="cards"]');
  assert.equal(await page.locator('[data-view="cards"]').getAttribute("aria-pressed"), "true");
  assert.ok(await page.locator("[data-catalog]").evaluate((e) => e.classList.contains("view-cards")));
  assert.equal(await page.locator("[data-table] thead").isVisible(), false);
  assert.match(page.url(), /view=cards/);
  assert.deepEqual((await shownNames(page)).sort(), want.map((s) => s.name).sort());
  await page.screenshot({ path: path.join(shots, "catalog-big-cards.png") });
  await page.click('[data-view="table"]');
  assert.equal(await page.locator("[data-table] thead").isVisible(), true);
  assert.doesNotMatch(page.url(), /view=cards/);

  // Nothing matches: the empty state, whose Clear brings every skill back.
  await page.fill("[data-filter]", "zzqx-no-such-skill");
  assert.equal(await page.locator("[data-empty]").isVisible(), true);
  assert.equal(await page.locator("[data-table]").isVisible(), false);
  assert.equal(await status(page), `0 of ${total} skills`);
  await page.locator("[data-empty] [data-clear]").click();
  assert.equal(await page.locator("[data-empty]").isVisible(), false);
  assert.equal(await page.inputValue("[data-filter]"), "");
  assert.equal(await status(page), `${total} skills`);

  // Show more reaches the last rows.
  while (await page.locator("[data-more]").isVisible()) await page.click("[data-more-button]");
  assert.equal((await shownNames(page)).length, total);
  assert.deepEqual(errors, []);
  await context.close();
});

test("chips are one Tab stop per facet, and a description clamps with its full text kept", async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const { page } = await open(context);
  const tabbable = await page.$$eval('[data-facet="pack"] .chip', (cs) => cs.filter((c) => c.tabIndex === 0).length);
  assert.equal(tabbable, 1, "one chip of a facet in the Tab order");
  await page.locator('[data-facet="pack"] .chip').first().focus();
  await page.keyboard.press("Tab");
  const next = await page.evaluate(() => document.activeElement.matches('[data-facet="pack"] .chip'));
  assert.equal(next, false, "Tab leaves the pack chips");
  // Arrow keys move between the chips of a facet.
  await page.locator('[data-facet="pack"] .chip').first().focus();
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.evaluate(() => document.activeElement.matches('[data-facet="pack"] .chip') && document.activeElement.tabIndex === 0), true);
  const desc = page.locator("[data-catalog] tbody .desc").first();
  assert.equal(await desc.getAttribute("title"), (await desc.textContent()));
  await context.close();
});

test("without JavaScript every skill is reachable through the catalog pages", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url);
  assert.equal(await page.locator("[data-tools]").isVisible(), false);
  assert.equal(await page.locator("[data-pager]").isVisible(), true);
  const pages = [url, ...(await page.$$eval("[data-pager] a", (as) => as.map((a) => a.href)))];
  const seen = new Set();
  for (const p of pages) {
    await page.goto(p);
    const hrefs = await page.$$eval("[data-catalog] tbody .skill-link", (as) => as.filter((a) => a.offsetParent !== null).map((a) => a.href));
    hrefs.forEach((h) => seen.add(h));
  }
  const want = new Set(skills.map((s) => new URL(s.url, url).href));
  assert.equal(seen.size, want.size);
  assert.deepEqual([...seen].sort(), [...want].sort());
  await context.close();
});

test("no sideways scroll at 390 px: table, cards, no JavaScript, dark", async () => {
  for (const [js, hash, scheme, name] of [[true, "", "light", "catalog-big-phone.png"], [true, "#view=cards", "dark", "catalog-big-phone-dark.png"], [false, "", "light", null]]) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: js, colorScheme: scheme });
    const page = await context.newPage();
    await page.goto(url + hash);
    if (js) await page.waitForSelector(`[data-catalog][data-loaded="${skills.length}"]`);
    const { sw, iw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, iw: window.innerWidth }));
    assert.ok(sw <= iw, `scrollWidth ${sw} > innerWidth ${iw} (js ${js}, ${hash || "table"})`);
    if (name) {
      await page.locator("#skills, [data-catalog]").first().evaluate((h) => h.scrollIntoView());
      await page.screenshot({ path: path.join(shots, name) });
      await page.locator("[data-table]").evaluate((t) => t.scrollIntoView());
      await page.screenshot({ path: path.join(shots, name.replace(".png", "-rows.png")) });
    }
    await context.close();
  }
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, colorScheme: "dark" });
  const { page } = await open(context);
  await page.locator("#skills, [data-catalog]").first().evaluate((h) => h.scrollIntoView());
  await page.screenshot({ path: path.join(shots, "catalog-big-dark.png") });
  await page.click('[data-view="cards"]');
  await page.screenshot({ path: path.join(shots, "catalog-big-cards-dark.png") });
  await context.close();
});
