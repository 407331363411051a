// Browser test of 404.html on a host that serves it for any missing path (as GitHub Pages,
// Netlify and Cloudflare Pages do), for a site built without `site-url`, under a sub-path:
// at depth 3 the page finds the site root (static/js/rebase-404.js, inlined and allowed by
// its hash), so it is styled, its scripts run, and its links lead into the site.
//
//   node --test tests/browser/notfound.test.mjs     (SKILLSITE_BOOK: a built site)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, serveWith404 } from "./harness.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const book = path.resolve(repo, process.env.SKILLSITE_BOOK || "book");

let server, base, browser;

before(async () => {
  assert.ok(fs.existsSync(path.join(book, "404.html")), `no built site in ${book}`);
  // The site lives at /site/; anything missing gets /site/404.html with status 404.
  server = await serveWith404(book);
  base = server.url;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test("404 at depth 3 is styled and links into the site", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error" && !/404 \(Not Found\)/.test(m.text())) errors.push(m.text()); });
  const r = await page.goto(base + "a/b/c/missing.html");
  assert.equal(r.status(), 404);
  await page.waitForFunction(() => document.documentElement.getAttribute("data-root") !== null, null, { timeout: 10000 });
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-root")), "/site/");
  // The stylesheet applied: the header is laid out by skillsite.css (not the browser's default).
  await page.waitForFunction(() => getComputedStyle(document.querySelector(".site-header")).position === "sticky", null, { timeout: 10000 });
  const home = await page.evaluate(() => document.querySelector("a.button").href);
  assert.equal(home, base + "index.html");
  await page.click("a.button");
  await page.waitForURL(base + "index.html");
  assert.deepEqual(errors, []);
  await page.close();
});
