// Browser test of the Content-Security-Policy: Chromium (playwright-core driving Debian's
// /usr/bin/chromium) opens the home page, a skill page, a pack page (diagrams, progress bar),
// the catalog, the search page and the 404 page of the built sample site, over HTTP (a plain
// static server, under a sub-path) and from file://, and checks that
//
// - every page has the CSP <meta>, first thing after <meta charset>;
// - nothing is reported as a `securitypolicyviolation` and nothing is logged as an error
//   (a blocked theme script, shard or style would be both);
// - the theme toggle works, and the stored theme applies on the next page before paint;
// - search works (the index shards are loaded as <script src>: 'self' must allow them, also
//   from file://), in the header box and on the results page;
// - an inline script, an event handler attribute and a javascript: URL put into the page are
//   blocked (the policy is enforced, not only present).
//
//   node --test tests/browser/csp.test.mjs     (from the repository root)
//
// `cargo test` runs it (tests/browser_search.rs) when SKILLSITE_BROWSER_TESTS=1.
// Environment: SKILLSITE_BOOK (default book/), CHROMIUM (default /usr/bin/chromium),
// SKILLSITE_EXTRA_BOOK (optional: a second built site whose index.html has a Markdown table
// with aligned columns and a diagram, and whose skill `tools` has a script with a viewer page,
// checked the same way).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serveStatic, launchChromium } from "./harness.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const book = path.resolve(repo, process.env.SKILLSITE_BOOK || "book");
const extra = process.env.SKILLSITE_EXTRA_BOOK ? path.resolve(process.env.SKILLSITE_EXTRA_BOOK) : null;

let server, browser, httpRoot;

before(async () => {
  assert.ok(fs.existsSync(path.join(book, "index.html")), `no built site in ${book}`);
  // Serve the parent folder, so that the sites live under sub-paths (/book/, /extra/).
  const parent = path.dirname(book);
  if (extra) assert.equal(path.dirname(extra), parent, "SKILLSITE_EXTRA_BOOK must be a sibling of SKILLSITE_BOOK");
  server = await serveStatic(parent);
  httpRoot = server.url;
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
});

function bases(dir) {
  return [["http", httpRoot + path.basename(dir) + "/"], ["file", pathToFileURL(dir).href + "/"]];
}

/** A fresh context that records CSP violations (from the first script on) and console errors. */
async function context() {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await ctx.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile || ""}:${e.lineNumber || 0}) ${e.sample || ""}`);
    });
  });
  return ctx;
}

async function open(ctx, url) {
  const page = await ctx.newPage();
  const problems = [];
  page.on("console", (m) => {
    // The static server has no favicon.ico; the browser asks for one on its own.
    if (m.type() === "error" && !/\/favicon\.ico$/.test(m.location().url || "")) problems.push(`console: ${m.text()} ${m.location().url || ""}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e}`));
  await page.goto(url);
  await page.waitForLoadState("load");
  return { page, problems };
}

async function violations(page) {
  return page.evaluate(() => window.__violations);
}

async function assertClean(page, problems, what) {
  // Let late loads (shards, images) settle.
  await page.waitForTimeout(150);
  assert.deepEqual(await violations(page), [], `CSP violations on ${what}`);
  assert.deepEqual(problems, [], `console errors on ${what}`);
}

async function assertMeta(page, what) {
  const meta = await page.evaluate(() => {
    const head = document.head.children;
    const m = document.querySelector('meta[http-equiv="Content-Security-Policy" i]');
    return { policy: m && m.getAttribute("content"), index: Array.prototype.indexOf.call(head, m), charset: head[0] && head[0].getAttribute("charset") };
  });
  assert.ok(meta.policy, `no CSP meta on ${what}`);
  assert.equal(meta.charset, "utf-8", what);
  assert.equal(meta.index, 1, `the CSP meta must come right after <meta charset> on ${what}`);
  // 404.html's script-src also lists the hash of its root finder (checked by the caller).
  const directives = meta.policy.split("; ").map((d) => d.replace(/^(script-src 'self') 'sha256-[A-Za-z0-9+/=]+'$/, "$1"));
  for (const d of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'"]) {
    assert.ok(directives.includes(d), `${d} in ${meta.policy}`);
  }
  assert.ok(!/unsafe-inline|unsafe-eval|frame-ancestors/.test(meta.policy), meta.policy);
  return meta.policy;
}

const PAGES = [
  "index.html",
  "axiom-cloud-infrastructure/index.html", // pack page: progress bar, diagrams
  "platform-skills/devops-crypto-architect/index.html", // skill page
  "catalog.html",
  "search/index.html?q=incident",
  "404.html",
];

for (const [name] of bases(".")) {
  test(`every page has the policy and violates it nowhere (${name})`, async () => {
    const base = bases(book).find((b) => b[0] === name)[1];
    const ctx = await context();
    let policy = null;
    for (const rel of PAGES) {
      if (!fs.existsSync(path.join(book, rel.split("?")[0]))) continue;
      const { page, problems } = await open(ctx, base + rel);
      const p = await assertMeta(page, rel);
      // 404.html adds the hash of its one inline script (the root finder) to script-src.
      const same = p.replace(/ 'sha256-[^']+'(?=; style-src)/, "");
      if (rel === "404.html") assert.match(p, /script-src 'self' 'sha256-[A-Za-z0-9+/=]+'; /, "404.html allows its root finder by hash");
      else assert.equal(p, same, `${rel}: no script hash outside 404.html`);
      if (policy) assert.equal(same, policy, `${rel}: the same policy on every page`);
      policy = same;
      // The scripts ran: theme.js marks <html>, skillsite.js shows the toggle.
      assert.ok(await page.evaluate(() => document.documentElement.classList.contains("js")), `theme.js ran on ${rel}`);
      if (rel !== "404.html" || name === "http") {
        await page.waitForSelector(".theme-toggle:not([hidden])", { timeout: 5000 });
      }
      await assertClean(page, problems, `${rel} (${name})`);
      await page.close();
    }
    await ctx.close();
  });

  test(`theme toggle and search work under the policy (${name})`, async () => {
    const base = bases(book).find((b) => b[0] === name)[1];
    const ctx = await context();
    let { page, problems } = await open(ctx, base + "index.html");
    const before = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const theme = await page.evaluate(() => document.documentElement.getAttribute("data-theme"));
    await page.click(".theme-toggle");
    const flipped = await page.evaluate(() => document.documentElement.getAttribute("data-theme"));
    assert.ok(flipped === "light" || flipped === "dark", String(flipped));
    assert.notEqual(flipped, theme);
    const after = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.notEqual(after, before, "the background changes with the theme");
    // The header box: results appear, with <mark> highlighting built from text nodes.
    await page.waitForSelector("#search:not([hidden]) .search-input");
    await page.locator(".search-input").pressSequentially("incident", { delay: 10 });
    await page.waitForSelector('.search-results[data-query="incident"] .search-item', { timeout: 10000 });
    const hits = await page.$$eval(".search-results .search-item a", (as) => as.map((a) => a.getAttribute("href")));
    assert.ok(hits.length > 0);
    assert.ok(hits.every((h) => !/^[a-z]+:|^\/\//i.test(h)), hits.join(" "));
    assert.ok((await page.$$(".search-results mark")).length > 0);
    await assertClean(page, problems, `index.html search box (${name})`);
    await page.close();
    // The stored theme is applied on the next page by theme.js, before the first paint.
    ({ page, problems } = await open(ctx, base + "search/index.html?q=terraform"));
    assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-theme")), flipped);
    await page.waitForSelector(".search-page-results .search-page-item", { timeout: 10000 });
    assert.match(await page.textContent(".search-page-status"), /\d+ results? for “terraform”/);
    await assertClean(page, problems, `search page (${name})`);
    await page.close();
    await ctx.close();
  });

  test(`the policy is enforced: injected script, handler and javascript: URL are blocked (${name})`, async () => {
    const base = bases(book).find((b) => b[0] === name)[1];
    const ctx = await context();
    const { page } = await open(ctx, base + "index.html");
    await page.evaluate(() => {
      window.__ran = [];
      const s = document.createElement("script");
      s.textContent = "window.__ran.push('inline')";
      document.body.appendChild(s);
      const img = document.createElement("img");
      img.setAttribute("onerror", "window.__ran.push('handler')");
      img.src = "does-not-exist.png";
      document.body.appendChild(img);
      const a = document.createElement("a");
      a.href = "javascript:window.__ran.push('url')";
      document.body.appendChild(a);
      a.click();
      const div = document.createElement("div");
      div.setAttribute("style", "color: red");
      document.body.appendChild(div);
      const b = document.createElement("base");
      b.href = "https://example.invalid/";
      document.head.appendChild(b);
    });
    await page.waitForTimeout(300);
    assert.deepEqual(await page.evaluate(() => window.__ran), []);
    const v = (await violations(page)).join("\n");
    for (const d of ["script-src-elem", "script-src-attr", "style-src-attr", "base-uri"]) assert.ok(v.includes(d), `${d} in:\n${v}`);
    await ctx.close();
  });
}

if (extra) {
  for (const [name] of bases(".")) {
    test(`aligned table columns and a Markdown diagram pass the policy (${name})`, async () => {
      const base = bases(extra).find((b) => b[0] === name)[1];
      const ctx = await context();
      const { page, problems } = await open(ctx, base + "index.html");
      await assertMeta(page, "extra index.html");
      const aligns = await page.$$eval("td, th", (cells) => cells.map((c) => getComputedStyle(c).textAlign));
      for (const a of ["left", "center", "right"]) assert.ok(aligns.includes(a), `text-align ${a} applied: ${aligns.join(",")}`);
      await assertClean(page, problems, `extra index.html (${name})`);
      await ctx.close();
    });

    test(`a skill's file tree leads to a highlighted viewer page that passes the policy (${name})`, async () => {
      const base = bases(extra).find((b) => b[0] === name)[1];
      const ctx = await context();
      let { page, problems } = await open(ctx, base + "tools/index.html");
      // The tree: the scripts/ folder is an open <details>, its file links to the viewer.
      assert.ok(await page.isVisible(".file-tree details[open] > summary"), "folder shown open");
      await page.click('.file-tree a[href$="files/scripts/run.sh.html"]');
      await page.waitForLoadState("load");
      await assertClean(page, problems, `tools/index.html (${name})`);
      await page.close();
      ({ page, problems } = await open(ctx, base + "tools/files/scripts/run.sh.html"));
      await assertMeta(page, "viewer page");
      const view = await page.evaluate(() => ({
        spans: document.querySelectorAll(".file-view pre.code span[class^='hl-']").length,
        text: document.querySelector(".file-view pre.code").textContent,
        scripts: [...document.querySelectorAll("script")].map((s) => s.getAttribute("src")),
        crumb: [...document.querySelectorAll(".breadcrumbs a")].map((a) => a.textContent),
        raw: document.querySelector("a.file-download").getAttribute("download"),
        metaDisplay: getComputedStyle(document.querySelector(".file-view-meta")).display,
      }));
      assert.ok(view.spans > 0, "highlighted");
      assert.ok(view.text.includes("</pre><script>alert(1)</script>"), "hostile text shown as text");
      // The theme's scripts and the navigation tree (toc.js at the site root, three levels up).
      assert.ok(view.scripts.every((s) => s && (s.includes("static/js/") || s === "../../../toc.js")), `only the theme's scripts: ${view.scripts}`);
      assert.ok(view.crumb.includes("tools"), `breadcrumbs back to the skill: ${view.crumb}`);
      assert.equal(view.raw, "", "the raw link downloads");
      assert.equal(view.metaDisplay, "flex", "the theme's stylesheet applies");
      await assertClean(page, problems, `viewer page (${name})`);
      await ctx.close();
    });
  }
}
