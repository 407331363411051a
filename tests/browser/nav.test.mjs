// Browser test of the sidebar (static/js/nav.js building the whole tree from toc.js): on a
// folder-tree site three folders deep (tests/browser_search.rs, `deep_site`), over HTTP under
// a sub-path, from file://, on the 404 page at depth 3 of a host that serves it for any
// missing path, and on the search page:
//
// - the full tree replaces the page's bounded branch, the current page is marked
//   (aria-current="page") and its ancestors are expanded, the rest folded;
// - fold buttons work by keyboard (Enter, Space) and say so (aria-expanded);
// - every link of the tree leads to a page of the site, from a page at depth 3;
// - the sidebar keeps its scroll position across page loads;
// - titles are text (a title that is HTML stays text), and nothing violates the CSP.
//
//   SKILLSITE_NAV_BOOK=built/site node --test tests/browser/nav.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serveStatic, launchChromium, serveWith404 } from "./harness.mjs";

const book = path.resolve(process.env.SKILLSITE_NAV_BOOK || "nav-book");
const DEEP = "sec-2/sub-1/deep-2/page-3.html";

let server, notFoundServer, notFoundBase, browser, httpBase;

before(async () => {
  assert.ok(fs.existsSync(path.join(book, DEEP)), `no built site in ${book}`);
  server = await serveStatic(path.dirname(book));
  httpBase = server.url + path.basename(book) + "/";
  // A host serving /site/404.html (status 404) for anything missing, as GitHub Pages does.
  notFoundServer = await serveWith404(book);
  notFoundBase = notFoundServer.url;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  server?.stop();
  notFoundServer?.stop();
});

/** A page that records CSP violations and script errors (404s of the 404 page's first,
    unrebased requests aside). */
async function open(url, options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: options.height || 860 } });
  await ctx.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error" && !/404 \(Not Found\)|Unexpected token '<'|MIME type/.test(m.text())) errors.push(m.text());
  });
  page.on("dialog", (d) => { errors.push("dialog: " + d.message()); d.dismiss(); });
  const response = await page.goto(url);
  await page.waitForSelector('#sidebar[data-nav="full"]', { timeout: 10000 });
  return { ctx, page, errors, response };
}

async function finish({ ctx, page, errors }) {
  assert.deepEqual(await page.evaluate(() => window.__violations), [], "CSP violations");
  assert.deepEqual(errors, [], "errors");
  await ctx.close();
}

/** The sidebar as data: top-level titles, the current entry, expanded entries. */
function describe(page) {
  return page.evaluate(() => {
    const sb = document.getElementById("sidebar");
    const title = (li) => li.querySelector(":scope > .nav-row .nav-title").textContent;
    return {
      top: [...sb.querySelectorAll(":scope > .nav-list > .nav-item")].map(title),
      current: [...sb.querySelectorAll('a[aria-current="page"]')].map((a) => a.textContent),
      expanded: [...sb.querySelectorAll('.nav-fold[aria-expanded="true"]')].map((b) => title(b.closest(".nav-item"))),
      folded: sb.querySelectorAll('.nav-fold[aria-expanded="false"]').length,
    };
  });
}

/** Unfolds every section, then returns every link's href. */
async function expandAll(page) {
  for (;;) {
    const n = await page.evaluate(() => {
      const closed = [...document.querySelectorAll('#sidebar .nav-fold[aria-expanded="false"]')];
      closed.forEach((b) => b.click());
      return closed.length;
    });
    if (!n) break;
  }
  return page.evaluate(() => [...document.querySelectorAll("#sidebar a")].map((a) => a.href));
}

const PAGES = 1 + 1 + 3 + 6 + 12 + 60; // home, hostile, sections, subs, deeps, pages

test("the full tree at depth 3 over HTTP: current page, ancestors, links", async () => {
  const t = await open(httpBase + DEEP);
  const { page } = t;
  const d = await describe(page);
  assert.deepEqual(d.top, ["Deep site", "<img src=x onerror=alert(1)>", "Section 1", "Section 2", "Section 3"]);
  assert.deepEqual(d.current, ["Page 2.1.2.3"]);
  assert.deepEqual(d.expanded, ["Section 2", "Sub 2.1", "Deep 2.1.2"]);
  assert.ok(d.folded >= 4, `other sections folded: ${JSON.stringify(d)}`);
  assert.equal(await page.locator("#sidebar img").count(), 0, "a title is text, not markup");
  // The branch in the HTML was replaced: the page's own HTML had no Section 1 children.
  const hrefs = await expandAll(page);
  assert.equal(hrefs.length, PAGES);
  assert.equal(new Set(hrefs).size, PAGES, "each page once");
  for (const href of hrefs) {
    assert.ok(href.startsWith(httpBase), href);
    const status = await page.evaluate((u) => fetch(u, { method: "HEAD" }).then((r) => r.status), href);
    assert.equal(status, 200, href);
  }
  await finish(t);
});

test("folds work by keyboard", async () => {
  const t = await open(httpBase + DEEP);
  const { page } = t;
  const button = page.locator("#sidebar .nav-item", { hasText: "Section 3" }).locator(":scope > .nav-row > .nav-fold");
  assert.equal(await button.getAttribute("aria-expanded"), "false");
  const children = page.locator("#" + (await button.getAttribute("aria-controls")));
  assert.equal(await children.isVisible(), false);
  await button.focus();
  await page.keyboard.press("Enter");
  assert.equal(await button.getAttribute("aria-expanded"), "true");
  assert.ok(await children.getByText("Sub 3.2").isVisible());
  await page.keyboard.press("Space");
  assert.equal(await button.getAttribute("aria-expanded"), "false");
  assert.equal(await children.isVisible(), false);
  // The current page's ancestors fold too.
  const own = page.locator("#sidebar .nav-item", { hasText: "Section 2" }).first().locator(":scope > .nav-row > .nav-fold");
  await own.focus();
  await page.keyboard.press("Enter");
  assert.equal(await own.getAttribute("aria-expanded"), "false");
  assert.equal(await page.locator('#sidebar a[aria-current="page"]').isVisible(), false);
  await finish(t);
});

test("the sidebar keeps its scroll position across page loads", async () => {
  const t = await open(httpBase + DEEP, { height: 360 });
  const { page } = t;
  // Scrolled a little, then a sibling of the current page is followed: the next page has the
  // same sections open, so the same scroll position shows the same entries.
  const top = await page.evaluate(() => {
    const sb = document.getElementById("sidebar");
    sb.scrollTop = 60;
    return sb.scrollTop;
  });
  assert.equal(top, 60, "the sidebar scrolls");
  const target = await page.evaluate(() => {
    const sb = document.getElementById("sidebar"), box = sb.getBoundingClientRect();
    const siblings = [...document.querySelector("#sidebar .nav-item.active").parentElement.querySelectorAll(":scope > .nav-item > .nav-row > a")];
    const a = siblings.find((l) => {
      const r = l.getBoundingClientRect();
      return r.top > box.top + 10 && r.bottom < box.bottom - 10 && !l.hasAttribute("aria-current");
    });
    return a.href;
  });
  await page.click(`#sidebar a[href="${target}"]`);
  await page.waitForURL(target);
  await page.waitForSelector('#sidebar[data-nav="full"]');
  const after = await page.evaluate(() => document.getElementById("sidebar").scrollTop);
  assert.equal(after, top);
  await finish(t);
});

test("from file://", async () => {
  const base = pathToFileURL(book).href + "/";
  const t = await open(base + DEEP);
  const { page } = t;
  const d = await describe(page);
  assert.deepEqual(d.current, ["Page 2.1.2.3"]);
  assert.deepEqual(d.expanded, ["Section 2", "Sub 2.1", "Deep 2.1.2"]);
  const hrefs = await expandAll(page);
  assert.equal(hrefs.length, PAGES);
  for (const href of hrefs) {
    assert.ok(href.startsWith(base), href);
    assert.ok(fs.existsSync(fileURLToPath(href)), href);
  }
  await page.click("#sidebar a >> text=Page 1.2.1.4");
  await page.waitForURL(base + "sec-1/sub-2/deep-1/page-4.html");
  await finish(t);
});

test("the 404 page at depth 3 has a working sidebar", async () => {
  const t = await open(notFoundBase + "a/b/c/missing.html");
  const { page, response } = t;
  assert.equal(response.status(), 404);
  const d = await describe(page);
  assert.deepEqual(d.top, ["Deep site", "<img src=x onerror=alert(1)>", "Section 1", "Section 2", "Section 3"]);
  assert.deepEqual(d.current, []);
  const hrefs = await expandAll(page);
  assert.equal(hrefs.length, PAGES);
  assert.ok(hrefs.every((h) => h.startsWith(notFoundBase)), hrefs.join(" "));
  assert.ok(hrefs.includes(notFoundBase + DEEP));
  await page.click("#sidebar a >> text=Page 2.1.2.3");
  await page.waitForURL(notFoundBase + DEEP);
  assert.deepEqual((await describe(page)).current, ["Page 2.1.2.3"]);
  await finish(t);
});

test("the search page has the sidebar", async () => {
  const t = await open(httpBase + "search/index.html");
  const { page } = t;
  const d = await describe(page);
  assert.deepEqual(d.top, ["Deep site", "<img src=x onerror=alert(1)>", "Section 1", "Section 2", "Section 3"]);
  const home = await page.evaluate(() => document.querySelector("#sidebar a").href);
  assert.equal(home, httpBase + "index.html");
  await finish(t);
});

test("without JavaScript the page's branch is there", async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(httpBase + DEEP);
  const titles = await page.evaluate(() => [...document.querySelectorAll("#sidebar li > a")].map((e) => e.textContent));
  assert.deepEqual(titles.slice(0, 4), ["Deep site", "Section 2", "Sub 2.1", "Deep 2.1.2"]);
  assert.ok(titles.includes("Page 2.1.2.3") && titles.includes("Page 2.1.2.5"), titles.join(", "));
  assert.ok(!titles.includes("Section 1"), "only the branch");
  const current = await page.evaluate(() => document.querySelector('#sidebar a[aria-current="page"]').getAttribute("href"));
  assert.equal(current, "page-3.html", "relative to the page's folder");
  await ctx.close();
});
