// Browser test of the hostile pack (tests/fixtures/hostile): Chromium (playwright-core driving
// Debian's /usr/bin/chromium) opens every page of the built site, served over HTTP on 127.0.0.1
// and from file://, and tries to make the pack's scripts run: it dispatches every event an
// inline handler could listen to on every element, focuses every focusable element, clicks
// every link, types hostile queries into the search box, opens the results page with a hostile
// ?q=, and clicks every chip of the catalog page. Any alert/confirm/prompt/print/open call or
// dialog is a fired vector (its message is the vector's marker, see the fixture's README.md).
// Afterwards the DOM must hold no on* attribute, no URL attribute with a scheme other than
// http/https/mailto/tel, and no script that is not one of our files.
//
//   SKILLSITE_BOOK=/path/to/built/hostile/site node --test tests/browser/hostile.test.mjs
//
// `cargo test --test browser_hostile` builds the fixture and runs this when
// SKILLSITE_BROWSER_TESTS=1. Environment: SKILLSITE_BOOK (required), CHROMIUM (default
// /usr/bin/chromium), HOSTILE_SUMMARY (a file to write the JSON summary to).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { serveStatic, launchChromium } from "./harness.mjs";

const book = process.env.SKILLSITE_BOOK && path.resolve(process.env.SKILLSITE_BOOK);
// 404.html's inline root finder (allowed there by its hash): the one inline script we write.
// The data files skillsite writes as scripts (fetch() fails from file://): the navigation tree
// and the catalog's rows, each one call with JSON arguments (tests/security.rs checks them).
const OUR_DATA_SCRIPTS = ["toc.js", "catalog/data.js"];
const REBASE_404 = fs.readFileSync(new URL("../../themes/default/static/js/rebase-404.js", import.meta.url), "utf8");

const EVENTS = ["click", "dblclick", "mouseover", "mouseenter", "mousedown", "mouseup", "focus", "blur", "focusin", "input", "change", "toggle", "load", "error", "animationstart", "animationend", "transitionend", "pointerdown", "pointerover", "keydown", "keyup", "submit", "begin", "start", "beforetoggle", "scroll", "wheel", "copy", "contextmenu"];
const QUERIES = ["<img", "onerror", "script", "alert", "search", "svg onload", "\"><svg", "md-inline", "fm-description", "plan-type", "html-img", "javascript"];

let server, browser, httpBase;
const summary = { pages: 0, elements: 0, events: 0, focused: 0, links: 0, queries: 0, chips: 0, fired: [], dialogs: [], foreign: [], dom: [], pageerrors: [] };

function htmlPages(dir, prefix = "") {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix + e.name;
    if (e.isDirectory()) out.push(...htmlPages(path.join(dir, e.name), rel + "/"));
    else if (e.name.endsWith(".html")) out.push(rel);
  }
  return out.sort();
}

before(async () => {
  assert.ok(book && fs.existsSync(path.join(book, "index.html")), `set SKILLSITE_BOOK to the built hostile site (got ${book})`);
  server = await serveStatic(book);
  httpBase = server.url;
  browser = await launchChromium();
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.stop();
  const lines = [
    `hostile site: ${summary.pages} pages visited (http and file), ${summary.elements} elements poked with ${summary.events} events, ${summary.focused} focused, ${summary.links} links clicked, ${summary.queries} queries typed, ${summary.chips} chips clicked`,
    `fired vectors: ${summary.fired.length}`, ...summary.fired.map((f) => `  FIRED ${f.mode} ${f.page}: ${f.fn}(${JSON.stringify(f.arg)}) during ${f.phase}${f.url && f.url !== f.pageUrl ? ` in ${f.url}` : ""}`),
    `dialogs: ${summary.dialogs.length}`, ...summary.dialogs.map((d) => `  DIALOG ${d.mode} ${d.page}: ${d.type} ${JSON.stringify(d.message)} during ${d.phase}`),
    `foreign requests blocked: ${summary.foreign.length}`, ...summary.foreign.map((f) => `  ${f.type === "script" ? "FOREIGN SCRIPT" : "foreign"} ${f.mode} ${f.page}: ${f.type} ${f.url}`),
    `DOM violations: ${summary.dom.length}`, ...summary.dom.map((d) => `  DOM ${d.mode} ${d.page}: ${d.what}`),
    `page errors: ${summary.pageerrors.length}`, ...summary.pageerrors.map((e) => `  PAGEERROR ${e.mode} ${e.page}: ${e.error}`),
  ];
  console.log(lines.join("\n"));
  if (process.env.HOSTILE_SUMMARY) fs.writeFileSync(process.env.HOSTILE_SUMMARY, JSON.stringify(summary, null, 2));
});

/** Runs in every frame before any script of the page: records every dialog-like call. */
function initScript() {
  window.__fired = [];
  const record = (fn, arg) => {
    const entry = { fn, arg: String(arg), url: String(location.href) };
    try { window.__fired.push(entry); } catch (e) {}
    try { if (window.__hostileReport) window.__hostileReport(entry); } catch (e) {}
    try { if (window.top && window.top !== window && window.top.__fired) window.top.__fired.push(entry); } catch (e) {}
  };
  for (const fn of ["alert", "confirm", "prompt", "print", "open"]) {
    try {
      Object.defineProperty(window, fn, { configurable: false, writable: false, value: function (a) { record(fn, a); return fn === "confirm" ? false : null; } });
    } catch (e) {}
  }
}

/** In the page: fire every event on every element, focus every focusable one. */
function pokeAll(events) {
  const stop = (e) => { e.preventDefault(); };
  window.addEventListener("click", stop, true);
  window.addEventListener("submit", stop, true);
  window.addEventListener("dblclick", stop, true);
  let elements = 0, fired = 0, focused = 0;
  const all = [document.documentElement, ...document.querySelectorAll("*")];
  for (const el of all) {
    elements++;
    for (const type of events) {
      let ev;
      try {
        if (/^(click|dblclick|mouse|contextmenu)/.test(type)) ev = new MouseEvent(type, { bubbles: true, cancelable: true });
        else if (type.startsWith("pointer")) ev = new PointerEvent(type, { bubbles: true, cancelable: true });
        else if (type.startsWith("key")) ev = new KeyboardEvent(type, { bubbles: true, cancelable: true, key: "Enter" });
        else if (type.startsWith("focus") || type === "blur") ev = new FocusEvent(type, { bubbles: type === "focusin" });
        else if (type.startsWith("animation")) ev = new AnimationEvent(type, { bubbles: true });
        else if (type === "transitionend") ev = new TransitionEvent(type, { bubbles: true });
        else if (type === "wheel") ev = new WheelEvent(type, { bubbles: true });
        else ev = new Event(type, { bubbles: true, cancelable: true });
        el.dispatchEvent(ev);
        fired++;
      } catch (e) {}
    }
    if (typeof el.focus === "function" && (el.tabIndex >= 0 || el.matches("a[href],button,input,select,textarea,summary,[contenteditable],[tabindex]"))) {
      try { el.focus(); el.blur(); focused++; } catch (e) {}
    }
  }
  for (const d of document.querySelectorAll("details")) { try { d.open = !d.open; d.open = !d.open; } catch (e) {} }
  window.removeEventListener("click", stop, true);
  window.removeEventListener("submit", stop, true);
  window.removeEventListener("dblclick", stop, true);
  return { elements, fired, focused };
}

/** In the page: everything in the DOM that must not be there. */
function domViolations([siteRoot, REBASE_404]) {
  const out = [];
  const allowed = ["http", "https", "mailto", "tel"];
  const scheme = (v) => {
    const s = String(v).replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "").replace(/[\t\n\r]/g, "");
    const i = s.indexOf(":");
    if (i <= 0) return null;
    const head = s.slice(0, i);
    if (/[/?#]/.test(head)) return null;
    return allowed.includes(head.toLowerCase()) ? null : head.toLowerCase();
  };
  const desc = (el) => el.outerHTML.slice(0, 160);
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      const n = a.name.toLowerCase();
      if (n.startsWith("on")) out.push(`on* attribute ${n} on ${desc(el)}`);
      if (["href", "src", "action", "formaction", "poster", "xlink:href", "data", "background", "cite"].includes(n)) {
        const s = scheme(a.value);
        if (s) out.push(`${s}: URL in ${n} of ${desc(el)}`);
      }
      if (n === "srcdoc") out.push(`srcdoc on ${desc(el)}`);
      if (n === "style" && /url\(\s*['"]?\s*(javascript|data|vbscript)|expression\(/i.test(a.value)) out.push(`style url() on ${desc(el)}`);
    }
    const tag = el.localName;
    if (["iframe", "frame", "object", "embed", "base", "animate", "set"].includes(tag)) out.push(`<${tag}> element: ${desc(el)}`);
    if (tag === "meta" && /refresh/i.test(el.getAttribute("http-equiv") || "")) out.push(`meta refresh: ${desc(el)}`);
    if (tag === "script") {
      const src = el.getAttribute("src");
      // The one inline script skillsite writes: 404.html's root finder, allowed there by its hash.
      if (!src) {
        if (el.textContent !== REBASE_404) out.push(`inline script: ${el.textContent.trim().slice(0, 60).replace(/\s+/g, " ")}`);
      } else if (!(el.src.startsWith(siteRoot + "static/js/") || el.src.startsWith(siteRoot + "search/") ||
                   OUR_DATA_SCRIPTS.some((p) => el.src === siteRoot + p))) out.push(`foreign script src=${src}`);
    }
  }
  return out;
}

async function runMode(mode, base) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  let current = { page: "", phase: "load", pageUrl: "" };
  await context.exposeBinding("__hostileReport", (_source, entry) => {
    summary.fired.push({ mode, page: current.page, phase: current.phase, pageUrl: current.pageUrl, ...entry });
  });
  await context.addInitScript(initScript);
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    if (u.protocol === "file:" || u.protocol === "data:" || u.protocol === "blob:" || (u.protocol === "http:" && u.hostname === "127.0.0.1")) return route.continue();
    summary.foreign.push({ mode, page: current.page, type: route.request().resourceType(), url: u.href });
    return route.abort();
  });
  const page = await context.newPage();
  page.on("dialog", async (d) => {
    summary.dialogs.push({ mode, page: current.page, phase: current.phase, type: d.type(), message: d.message() });
    await d.dismiss().catch(() => {});
  });
  page.on("pageerror", (e) => summary.pageerrors.push({ mode, page: current.page, error: String(e).slice(0, 200) }));
  // A new window: a fired vector when it runs a script URL, else a (blocked) foreign navigation.
  page.on("popup", async (p) => {
    const u = p.url();
    if (/^(javascript|data|vbscript|blob):/i.test(u)) summary.fired.push({ mode, page: current.page, phase: current.phase, fn: "popup", arg: u });
    else summary.foreign.push({ mode, page: current.page, type: "popup", url: u });
    await p.close().catch(() => {});
  });

  const go = async (rel, phase = "load") => {
    current = { page: rel, phase, pageUrl: base + rel };
    try { await page.goto(base + rel, { waitUntil: "load", timeout: 10000 }); } catch (e) { summary.pageerrors.push({ mode, page: rel, error: `goto: ${String(e).split("\n")[0]}` }); }
    await page.waitForTimeout(150);
  };
  const collectFired = async () => {
    // window.__fired of the current document (a backup for the binding, e.g. in frames).
    try {
      const list = await page.evaluate(() => (window.__fired || []).splice(0));
      for (const f of list) if (!summary.fired.some((x) => x.mode === mode && x.page === current.page && x.arg === f.arg && x.fn === f.fn)) summary.fired.push({ mode, page: current.page, phase: current.phase, pageUrl: current.pageUrl, ...f });
    } catch (e) {}
  };
  const checkDom = async (rel) => {
    try {
      for (const what of await page.evaluate(domViolations, [base, REBASE_404])) summary.dom.push({ mode, page: rel, what });
    } catch (e) {}
  };

  for (const rel of htmlPages(book)) {
    summary.pages++;
    await go(rel);
    current.phase = "events";
    try {
      const r = await page.evaluate(pokeAll, EVENTS);
      summary.elements += r.elements; summary.events += r.fired; summary.focused += r.focused;
    } catch (e) { summary.pageerrors.push({ mode, page: rel, error: `poke: ${String(e).split("\n")[0]}` }); }
    // Real keyboard focus too: Tab through the page.
    for (let i = 0; i < 40; i++) await page.keyboard.press("Tab").catch(() => {});
    await page.waitForTimeout(300);
    await collectFired();
    // A synthetic Enter in the search box navigates to the results page: check the DOM of
    // this page, poked, if we are still on it, else as loaded.
    if (page.url() === base + rel) await checkDom(rel);
    else { await go(rel, "dom"); await checkDom(rel); }

    // Click every link (HTML and SVG), one at a time, from a fresh load of the page.
    await go(rel, "links");
    const n = await page.evaluate(() => document.querySelectorAll("a, area").length).catch(() => 0);
    for (let i = 0; i < n; i++) {
      if (page.url() !== base + rel) await go(rel, "links");
      current.phase = `click link #${i}`;
      const href = await page.evaluate((i) => {
        const a = document.querySelectorAll("a, area")[i];
        if (!a) return null;
        const h = a.getAttribute("href") || a.getAttribute("xlink:href");
        // Ordinary destinations (pages of the site, the web, mailto:, tel:) are visited
        // anyway or are not code: their handlers run, their navigation is skipped. Anything
        // else (javascript:, data:, ...) is followed for real.
        const dest = String(a.href && a.href.baseVal !== undefined ? a.href.baseVal : a.href || "");
        if (/^(https?|file|mailto|tel):/i.test(dest)) window.addEventListener("click", (e) => e.preventDefault(), { capture: true, once: true });
        if (typeof a.click === "function") a.click();
        else a.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
        return h;
      }, i).catch(() => null);
      summary.links++;
      current.phase = `click link #${i} (${href})`;
      await page.waitForTimeout(80);
      if (page.url() !== base + rel) await page.waitForLoadState("load", { timeout: 3000 }).catch(() => {});
      await collectFired();
    }
  }

  // The search box: hostile queries, then poke the results.
  await go("index.html", "search");
  const box = page.locator(".search-input");
  if (await box.count()) {
    for (const q of QUERIES) {
      current.phase = `search ${JSON.stringify(q)}`;
      await box.fill("");
      await box.pressSequentially(q, { delay: 10 });
      await page.waitForSelector(".search-results[data-query]", { state: "attached", timeout: 5000 }).catch(() => {});
      await page.waitForTimeout(250);
      summary.queries++;
      await page.evaluate(pokeAll, ["mouseover", "mouseenter", "focus", "error", "load"]).catch(() => {});
      await collectFired();
    }
    await checkDom("index.html (search dropdown)");
  } else summary.dom.push({ mode, page: "index.html", what: "no search box" });

  // The results page with hostile ?q= values (reflected into the page by search.js).
  for (const q of ["<img src=x onerror=alert('search-q-param')>", "\"><svg onload=alert('search-q-attr')>", "onerror", "javascript:alert('search-q-js')"]) {
    await go(`search/index.html?q=${encodeURIComponent(q)}&kind=${encodeURIComponent("<img src=x onerror=alert('search-kind-param')>")}`, "results page");
    await page.waitForSelector(".search-page-results[data-query]", { state: "attached", timeout: 5000 }).catch(() => {});
    await page.waitForTimeout(250);
    summary.queries++;
    await page.evaluate(pokeAll, EVENTS).catch(() => {});
    await collectFired();
    await checkDom(`search/index.html?q=${q}`);
  }

  // The catalog chips, each on and off.
  await go("catalog.html", "chips");
  const chips = await page.locator("[data-facets] .chip").count();
  for (let i = 0; i < chips; i++) {
    current.phase = `chip #${i}`;
    const chip = page.locator("[data-facets] .chip").nth(i);
    await chip.click({ timeout: 2000 }).catch(() => {});
    await page.waitForTimeout(50);
    await page.evaluate(pokeAll, ["mouseover", "focus", "error", "load"]).catch(() => {});
    await chip.click({ timeout: 2000 }).catch(() => {});
    summary.chips++;
    await collectFired();
  }
  await checkDom("catalog.html (after chips)");
  await context.close();
}

test("no script of the hostile pack runs (http)", async () => {
  await runMode("http", httpBase);
});

test("no script of the hostile pack runs (file)", async () => {
  await runMode("file", pathToFileURL(book).href + "/");
});

test("nothing fired, nothing foreign, nothing left in the DOM", () => {
  const problems = [
    ...summary.fired.map((f) => `fired ${f.mode} ${f.page}: ${f.fn}(${f.arg}) during ${f.phase}`),
    ...summary.dialogs.map((d) => `dialog ${d.mode} ${d.page}: ${d.message}`),
    ...summary.foreign.filter((f) => f.type === "script").map((f) => `foreign script ${f.mode} ${f.page}: ${f.url}`),
    ...summary.dom.map((d) => `DOM ${d.mode} ${d.page}: ${d.what}`),
    ...summary.pageerrors.map((e) => `page error ${e.mode} ${e.page}: ${e.error}`),
  ];
  assert.ok(summary.links > 0 && summary.elements > 0, "nothing was poked");
  assert.deepEqual(problems, [], `${problems.length} problem(s); see the summary above`);
});
