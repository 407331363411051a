// Browser test of `[output.html.redirect]` (tests/fixtures/mdbook-links): Chromium opens each
// old URL of the built book, served over HTTP on 127.0.0.1, with and without a #fragment, and
// must land on the new page: the meta refresh for a plain old URL, the redirect script for a
// fragment (its own entry, or the default target with the same fragment).
//
//   SKILLSITE_BOOK=/path/to/built/mdbook-links node --test tests/browser/redirect.test.mjs
//
// `cargo test --test browser_redirect` builds the fixture and runs this when
// SKILLSITE_BROWSER_TESTS=1.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { serveStatic, launchChromium } from "./harness.mjs";

const book = process.env.SKILLSITE_BOOK && path.resolve(process.env.SKILLSITE_BOOK);
let server, browser;

before(async () => {
  assert.ok(book && fs.existsSync(path.join(book, "old/start.html")), `set SKILLSITE_BOOK to the built mdbook-links site (got ${book})`);
  server = await serveStatic(book);
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
});

/** Opens `from` and waits until the location is `expected` (a URL relative to the site). */
async function landsOn(from, expected) {
  const page = await browser.newPage();
  const errors = [];
  // A missing file (the redirect script, the new page's assets) is a failure; the favicon
  // Chromium asks for on its own is not ours to serve.
  page.on("response", (r) => { if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) errors.push(`${r.status()} ${r.url()}`); });
  page.on("pageerror", (e) => errors.push(String(e)));
  const want = new URL(expected, server.url).href;
  await page.goto(new URL(from, server.url).href);
  await page.waitForURL(want, { timeout: 10000 });
  assert.equal(page.url(), want);
  // The new page itself loaded (not only the location changed).
  await page.waitForSelector("main h1");
  assert.deepEqual(errors, [], `console errors on ${from}`);
  await page.close();
}

test("old URL without a fragment lands on the new page", async () => {
  await landsOn("old/start.html", "guide/ownership.html");
});

test("old URL with a fragment of its own entry lands on that entry's target", async () => {
  await landsOn("old/start.html#gone", "guide/ownership.html#borrowing");
});

test("old URL with any other fragment keeps the fragment on the default target", async () => {
  await landsOn("old/start.html#what-is-ownership", "guide/ownership.html#what-is-ownership");
});
