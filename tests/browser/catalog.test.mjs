// Browser test of the catalog page's filter chips: Chromium (playwright-core driving Debian's
// /usr/bin/chromium) opens catalog.html of the built sample site from file://, clicks chips and
// checks which table rows stay visible: values of one facet are OR-ed, facets are AND-ed, the
// status line counts the rows, and without JavaScript the chips stay hidden and every row shows.
// (The catalog at scale — text filter, sort, URL state, views — is catalog-big.test.mjs.)
//
//   node --test tests/browser/catalog.test.mjs     (from the repository root)
//
// `cargo test` runs it (tests/browser_search.rs) when SKILLSITE_BROWSER_TESTS=1, as CI does.
// Environment: SKILLSITE_BOOK (default book/), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOTS (folder for PNGs; default target/browser-screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const book = path.resolve(repo, process.env.SKILLSITE_BOOK || "book");
const shots = path.resolve(repo, process.env.SCREENSHOTS || "target/browser-screenshots");
const url = pathToFileURL(path.join(book, "catalog.html")).href;

let browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(book, "catalog.html")), `no built catalog in ${book}`);
  fs.mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  if (browser) await browser.close();
});

/** Every row in the table (catalog.js takes the rows that do not match out of it): its skill
    name (the link), its facet values, and whether it is shown. */
function rows(page) {
  return page.$$eval("[data-catalog] tbody tr", (trs) => trs.map((tr) => ({
    name: tr.querySelector(".skill-link").textContent.trim(),
    type: (tr.getAttribute("data-type") || "").split("|"),
    status: tr.getAttribute("data-status"),
    pack: tr.getAttribute("data-pack"),
    shown: !tr.hidden && tr.offsetParent !== null,
  })));
}

const chip = (page, facet, value) => page.locator(`[data-facet="${facet}"] .chip[data-value="${value}"]`);
const status = (page) => page.locator("[data-facet-status]").textContent();
const shownNames = (all) => all.filter((r) => r.shown).map((r) => r.name).sort();

test("chips filter the catalog table: OR within a facet, AND across facets", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector("[data-facets]:not([hidden])");

  const every = await rows(page);
  assert.equal(every.length, 14, "the sample catalog has 14 skills (12 in the axiom pack, 2 in platform-skills)");
  assert.equal(every.filter((r) => r.shown).length, 14);
  assert.equal((await status(page)).trim(), "14 skills");
  let all;

  // One chip: only Pattern skills; the chip's own count matches.
  await chip(page, "type", "Pattern").click();
  assert.equal(await chip(page, "type", "Pattern").getAttribute("aria-pressed"), "true");
  all = await rows(page);
  const pattern = every.filter((r) => r.type.includes("Pattern")).map((r) => r.name).sort();
  assert.equal(pattern.length, 5);
  assert.deepEqual(shownNames(all), pattern);
  const count = await chip(page, "type", "Pattern").locator(".chip-count").textContent();
  assert.equal(Number(count), 5);
  assert.equal((await status(page)).trim(), "5 of 14 skills");

  // A second value of the same facet widens: Pattern or Reference. cloud-provider-selection
  // is both (the plan lists it under both types), so 5 + 2 - 1.
  await chip(page, "type", "Reference").click();
  all = await rows(page);
  const patternOrReference = every.filter((r) => r.type.includes("Pattern") || r.type.includes("Reference")).map((r) => r.name).sort();
  assert.deepEqual(shownNames(all), patternOrReference);
  assert.equal(patternOrReference.length, 6);
  assert.ok(patternOrReference.includes("cloud-provider-selection"), patternOrReference.join(", "));
  assert.equal((await status(page)).trim(), "6 of 14 skills");

  // Another facet narrows: and planned.
  await chip(page, "status", "planned").click();
  all = await rows(page);
  const narrowed = every.filter((r) => (r.type.includes("Pattern") || r.type.includes("Reference")) && r.status === "planned").map((r) => r.name).sort();
  assert.deepEqual(shownNames(all), narrowed);
  assert.ok(narrowed.length > 0 && narrowed.length < 6, narrowed.join(", "));
  assert.equal((await status(page)).trim(), `${narrowed.length} of 14 skills`);
  await page.screenshot({ path: path.join(shots, "catalog-chips.png"), fullPage: true });

  // Facets with nothing in common: no row.
  await chip(page, "pack", "platform-skills").click();
  all = await rows(page);
  assert.deepEqual(shownNames(all), []);
  assert.equal((await status(page)).trim(), "0 of 14 skills");

  // Every chip off again: the whole table, no status.
  for (const [facet, value] of [["type", "Pattern"], ["type", "Reference"], ["status", "planned"], ["pack", "platform-skills"]]) {
    await chip(page, facet, value).click();
    assert.equal(await chip(page, facet, value).getAttribute("aria-pressed"), "false");
  }
  all = await rows(page);
  assert.equal(all.filter((r) => r.shown).length, 14);
  assert.equal((await status(page)).trim(), "14 skills");
  assert.deepEqual(errors, []);
  await context.close();
});

test("without JavaScript the chips are hidden and every skill shows", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(url);
  assert.equal(await page.locator("[data-facets]").isVisible(), false);
  const shown = await page.$$eval("[data-catalog] tbody tr", (trs) => trs.filter((tr) => tr.offsetParent !== null).length);
  assert.equal(shown, 14);
  await context.close();
});
