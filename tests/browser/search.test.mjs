// Browser test of search: Chromium (playwright-core driving Debian's /usr/bin/chromium) types
// queries into the header box of the built sample site, served by a plain static file server
// under a sub-path and opened from file://, and checks the results and their order against
// `skillsite search --json` on the same site.
//
//   node --test tests/browser/search.test.mjs     (from the repository root)
//
// `cargo test` runs it (tests/browser_search.rs) when SKILLSITE_BROWSER_TESTS=1, as CI does.
// Environment: SKILLSITE_BOOK (default book/, built by `cargo run --release -- build`),
// SKILLSITE_BIN (default target/release/skillsite, else target/debug/skillsite),
// CHROMIUM (default /usr/bin/chromium), SCREENSHOTS (folder for PNGs; default
// target/browser-screenshots).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serveStatic, launchChromium } from "./harness.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const book = path.resolve(repo, process.env.SKILLSITE_BOOK || "book");
const bin = process.env.SKILLSITE_BIN || ["target/release/skillsite", "target/debug/skillsite"].map((p) => path.join(repo, p)).find((p) => fs.existsSync(p));
const shots = path.resolve(repo, process.env.SCREENSHOTS || "target/browser-screenshots");

let server, browser, httpBase;

function cli(query, prefix) {
  const args = ["search", query, book, "--json", "-n", "8"];
  if (prefix) args.push("--prefix");
  return JSON.parse(execFileSync(bin, args, { encoding: "utf8" }));
}

before(async () => {
  assert.ok(fs.existsSync(path.join(book, "search/manifest.js")), `no built site with search in ${book}`);
  assert.ok(bin, "no skillsite binary: run cargo build first");
  fs.mkdirSync(shots, { recursive: true });
  // Serve the book's parent folder, so the site lives under a sub-path (/book/).
  const parent = path.dirname(book);
  server = await serveStatic(parent);
  httpBase = `${server.url}${path.basename(book)}/`;
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
});

const bases = () => [["http", httpBase], ["file", pathToFileURL(book).href + "/"]];

async function openPage(base, rel, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, ...opts });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(base + rel);
  return { page, context, errors };
}

/** Types `q` in the header box like a person and returns the dropdown's result URLs. */
async function typeQuery(page, q) {
  const input = page.locator(".search-input");
  await input.fill("");
  await input.pressSequentially(q, { delay: 15 });
  await page.waitForSelector(`.search-results[data-query="${q.replace(/"/g, '\\"')}"]`, { state: "attached", timeout: 10000 });
  return page.$$eval(".search-results .search-item", (items) => items.map((i) => i.getAttribute("data-url")));
}

const QUERIES = ["terraform state", "incident", "rollback", "secrets rotation", "kubernetes deployment", "deploym", "state type:technique"];

for (const [name, base] of [["http", null], ["file", null]]) {
  test(`search box ranks like the CLI (${name})`, async () => {
    const baseUrl = bases().find((b) => b[0] === name)[1];
    const { page, context, errors } = await openPage(baseUrl, "runbooks/incident-response.html");
    // Visible with JS; "/" focuses it.
    await page.waitForSelector("#search:not([hidden]) .search-input");
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.className), "search-input");
    for (const q of QUERIES) {
      const got = await typeQuery(page, q);
      const want = cli(q, true).hits.map((h) => h.url);
      assert.deepEqual(got.slice(0, 5), want.slice(0, 5), `query "${q}" (${name})`);
    }
    // The done-when checks, as typed.
    assert.equal((await typeQuery(page, "terraform state"))[0], "axiom-cloud-infrastructure/terraform-state-management/index.html");
    const incident = await typeQuery(page, "incident");
    assert.ok(incident.includes("runbooks/incident-response.html"), incident.join(" "));
    assert.ok(incident.includes("axiom-cloud-infrastructure/index.html#12-incident-response-workflows"), incident.join(" "));
    // Matched words are highlighted.
    const marks = await page.$$eval(".search-results mark", (ms) => ms.map((m) => m.textContent.toLowerCase()));
    assert.ok(marks.some((m) => m.startsWith("incident")), marks.join(","));
    await page.screenshot({ path: path.join(shots, `search-dropdown-${name}.png`) });
    // Keyboard: down to the second result, Enter opens it.
    const second = (await typeQuery(page, "terraform state"))[1];
    await page.keyboard.press("ArrowDown");
    await Promise.all([page.waitForURL((u) => decodeURI(u.href).includes(second.split("#")[0])), page.keyboard.press("Enter")]);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`facet chips, Ctrl-K and the results page (${name})`, async () => {
    const baseUrl = bases().find((b) => b[0] === name)[1];
    const { page, context, errors } = await openPage(baseUrl, "index.html");
    await page.waitForSelector("#search:not([hidden]) .search-input");
    await page.keyboard.press("Control+k");
    assert.equal(await page.evaluate(() => document.activeElement.className), "search-input");
    await typeQuery(page, "incident");
    await page.click('.search-chip[data-facet="kind:runbook"]');
    await page.waitForFunction(() => document.querySelector('.search-chip[data-facet="kind:runbook"]').classList.contains("active"));
    await page.waitForFunction(() => [...document.querySelectorAll(".search-item")].every((i) => i.getAttribute("data-url").startsWith("runbooks/")));
    const filtered = await page.$$eval(".search-item", (items) => items.map((i) => i.getAttribute("data-url")));
    assert.deepEqual(filtered.slice(0, 5), cli("incident kind:runbook", true).hits.map((h) => h.url).slice(0, 5));
    await page.screenshot({ path: path.join(shots, `search-chips-${name}.png`) });
    // Enter with the query goes to the results page, with ?q= (and the filter) in its URL.
    await page.click('.search-chip[data-facet="kind:runbook"]');
    await typeQuery(page, "terraform state");
    await page.evaluate(() => { /* no selection: Enter submits the query */ });
    await page.keyboard.press("Escape");
    await page.locator(".search-input").focus();
    await Promise.all([page.waitForURL(/search\/index\.html\?q=/), page.locator(".search-form").evaluate((f) => f.requestSubmit())]);
    await page.waitForSelector('.search-page-results[data-query="terraform state"]', { state: "attached" });
    const listed = await page.$$eval(".search-page-item", (items) => items.map((i) => i.getAttribute("data-url")));
    assert.deepEqual(listed.slice(0, 5), cli("terraform state", true).hits.map((h) => h.url).slice(0, 5));
    await page.screenshot({ path: path.join(shots, `search-page-${name}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("a results page URL works on its own, and without JavaScript the box is hidden", async () => {
  const { page, context } = await openPage(httpBase, "search/index.html?q=kubernetes&kind=skill");
  await page.waitForSelector('.search-page-results[data-query="kubernetes"]', { state: "attached" });
  const listed = await page.$$eval(".search-page-item", (items) => items.map((i) => i.getAttribute("data-url")));
  assert.deepEqual(listed.slice(0, 5), cli("kubernetes kind:skill", true).hits.map((h) => h.url).slice(0, 5));
  await context.close();
  const nojs = await openPage(httpBase, "index.html", { javaScriptEnabled: false });
  assert.equal(await nojs.page.isHidden("#search"), true);
  assert.ok(await nojs.page.isVisible(".sidebar"));
  await nojs.context.close();
});

test("dark theme and a narrow screen", async () => {
  const { page, context } = await openPage(httpBase, "index.html", { viewport: { width: 390, height: 800 }, colorScheme: "dark" });
  await page.waitForSelector("#search:not([hidden]) .search-input");
  await page.locator(".search-input").click();
  await typeQuery(page, "secrets");
  await page.screenshot({ path: path.join(shots, "search-dropdown-narrow-dark.png") });
  await context.close();
});

test("bad input in the search box: no exception, no console error", async () => {
  const { page, context, errors } = await openPage(httpBase, "index.html");
  const logged = [];
  page.on("console", (m) => { if (m.type() === "error" || /skillsite search:/.test(m.text())) logged.push(m.text()); });
  await page.waitForSelector("#search:not([hidden]) .search-input");
  const input = page.locator(".search-input");
  await input.click();
  const bad = ["", "   ", "deploy ".repeat(143).slice(0, 1000), ".*+?^${}()|[]\\ /a(b/", "<img src=x onerror=alert(1)>", "🚀🔥 👩‍💻", "naïve🚀rocket", "Kubernetes集群", "在", "在庫管理", "\"unclosed", "kind: tag:\"\""];
  for (const q of bad) {
    await input.fill(q);
    await page.waitForTimeout(250);
  }
  // The last real query still shows a list (or "No results"), not an error.
  await input.fill("incident");
  await page.waitForSelector('.search-results[data-query="incident"]', { state: "attached", timeout: 10000 });
  assert.deepEqual(errors, []);
  assert.deepEqual(logged, []);
  assert.equal(await page.locator("img[src=x]").count(), 0);
  await context.close();
});
