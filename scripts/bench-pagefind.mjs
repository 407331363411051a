#!/usr/bin/env node
// Side by side in Chromium: skillsite's search box against Pagefind on the same built site.
//
//   node scripts/bench-pagefind.mjs SITE_DIR NODE_MODULES LABEL QUERY...
//
// SITE_DIR holds a site built by skillsite and indexed by Pagefind into SITE_DIR/pagefind/
// (scripts/bench-pagefind.sh does both). NODE_MODULES has playwright-core. For each query,
// in a fresh browser context each time (cold cache), over a local static server:
//
// - first query: skillsite: the query put in the header box at once, until its list shows;
//   Pagefind: `pagefind.search(q)` then `data()` of the first 6 results (what a results list
//   shows; skillsite's box shows 6);
// - typed query: skillsite: typed letter by letter, 120 ms apart (slower than the box's
//   60 ms debounce, so every prefix is searched); Pagefind: `search()` and 6 `data()` for
//   every prefix (what its UI does on each keystroke after its debounce);
// - bytes and requests: every response of the search, from the page load on: for skillsite
//   search-core.js, search.js and the index files it loads; for Pagefind pagefind.js, its
//   WebAssembly and index files (the page, its CSS and theme script excluded), as the server
//   sent them (no compression);
// - recall@10: of the pages whose text (the HTML's <main>, tags stripped, lowercased)
//   contains the query's words, the share found in the top 10 (of min(10, relevant));
// - latency: from the query to the results (median over the queries, warm page).
// Prints one JSON line per query and a Markdown table on stdout.
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import zlib from "node:zlib";

const [site, nodeModules, label, ...queries] = process.argv.slice(2);
if (!site || !nodeModules || !queries.length) {
  console.error("usage: bench-pagefind.mjs SITE_DIR NODE_MODULES LABEL QUERY...");
  process.exit(2);
}
const require = createRequire(path.join(nodeModules, "x.js"));
const { chromium } = require("playwright-core");
const Core = createRequire(import.meta.url)("../themes/default/static/js/search-core.js");

// ---- ground truth: page URL → text of its <main>
function walk(dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) { if (!["search", "pagefind", "static"].includes(e.name)) walk(p, out); }
    else if (e.name.endsWith(".html") && e.name !== "404.html") out.push(p);
  }
  return out;
}
function norm(u) {
  return decodeURI(u.replace(/^https?:\/\/[^/]+/, "").replace(/^\//, "").replace(/#.*$/, "").replace(/(^|\/)index\.html$/, "$1").replace(/\.html$/, ""));
}
const pages = new Map();
for (const f of walk(site)) {
  const html = fs.readFileSync(f, "utf8");
  const m = /<main[^>]*>([\s\S]*?)<\/main>/.exec(html);
  if (!m) continue;
  const text = m[1].replace(/<script[\s\S]*?<\/script>/g, " ").replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").toLowerCase();
  pages.set(norm(path.relative(site, f).split(path.sep).join("/")), text);
}
function relevant(q) {
  const words = q.toLowerCase().split(/\s+/).filter(Boolean);
  return new Set([...pages].filter(([, t]) => words.every((w) => t.includes(w))).map(([u]) => u));
}
function recallAt10(found, rel) {
  if (!rel.size) return null;
  const top = found.slice(0, 10).map(norm);
  return top.filter((u) => rel.has(u)).length / Math.min(10, rel.size);
}

// ---- skillsite's top 10 (the browser client on the files, prefix mode as the box)
const vm = require("node:vm");
function loadIndex(kind, key) {
  return new Promise((resolve, reject) => {
    let data;
    const hub = {};
    for (const k of ["manifest", "shard", "lex", "norms", "facet", "docs", "pos"]) hub[k] = (...a) => (data = a[a.length - 1]);
    try {
      vm.runInNewContext(fs.readFileSync(path.join(site, "search", Core.indexPath(kind, key)), "utf8"), { window: { __skillsiteSearch: hub } });
      resolve(data);
    } catch (e) { reject(e); }
  });
}
const engine = new Core.Engine(await loadIndex("manifest"), loadIndex);
async function skillsiteTop(q) {
  const r = await engine.search(q, { prefix: true });
  const out = [];
  for (const h of r.hits.slice(0, 10)) out.push((await engine.doc(h.doc)).u);
  return out;
}

// ---- a static server over the site
const server = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", site], { stdio: ["ignore", "pipe", "ignore"] });
const port = await new Promise((resolve, reject) => {
  server.stdout.on("data", (d) => { const m = /port (\d+)/.exec(String(d)); if (m) resolve(m[1]); });
  server.on("exit", (c) => reject(new Error("http.server exited " + c)));
});
const base = `http://127.0.0.1:${port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });

async function withPage(fn) {
  const context = await browser.newContext();
  const page = await context.newPage();
  // What search loads, from the page load on: skillsite's search scripts and index files,
  // Pagefind's script, WebAssembly and index (the page, its CSS and theme script excluded).
  const seen = [];
  page.on("response", async (r) => {
    if (!/\/(search\/|pagefind\/|static\/js\/search)/.test(r.url())) return;
    try {
      const body = await r.body();
      seen.push({ url: r.url(), bytes: body.length, gz: zlib.gzipSync(body).length });
    } catch { /* redirects */ }
  });
  await page.goto(base + "index.html");
  await page.waitForLoadState("load");
  const t0 = Date.now();
  const result = await fn(page);
  const ms = Date.now() - t0;
  await page.waitForTimeout(300);
  await context.close();
  return { result, ms, requests: seen.length, bytes: seen.reduce((a, s) => a + s.bytes, 0), gz: seen.reduce((a, s) => a + s.gz, 0) };
}

async function ours(q, typed) {
  return withPage(async (page) => {
    const input = page.locator(".search-input");
    await input.focus();
    if (typed) await input.pressSequentially(q, { delay: 120 });
    else await input.fill(q);
    await page.waitForSelector(`.search-results[data-query="${q.replace(/"/g, '\\"')}"]`, { state: "attached", timeout: 20000 });
  });
}

async function pagefind(q, typed) {
  return withPage((page) => page.evaluate(async ({ q, typed }) => {
    const pf = await import("/pagefind/pagefind.js");
    await pf.init();
    const steps = typed ? Array.from(q).map((_, i) => Array.from(q).slice(0, i + 1).join("")) : [q];
    let urls = [];
    for (const s of steps) {
      const r = await pf.search(s);
      const d = await Promise.all(r.results.slice(0, 6).map((x) => x.data()));
      urls = d.map((x) => x.url);
    }
    return urls;
  }, { q, typed }));
}

async function pagefindTop(q) {
  const r = await withPage((page) => page.evaluate(async (q) => {
    const pf = await import("/pagefind/pagefind.js");
    const r = await pf.search(q);
    return (await Promise.all(r.results.slice(0, 10).map((x) => x.data()))).map((x) => x.url);
  }, q));
  return r.result;
}

const rows = [];
for (const q of queries) {
  const rel = relevant(q);
  const row = { label, query: q, relevant: rel.size };
  for (const [name, run, top] of [["skillsite", ours, skillsiteTop], ["pagefind", pagefind, pagefindTop]]) {
    const first = await run(q, false);
    const typed = await run(q, true);
    row[name] = {
      first: { bytes: first.bytes, gz: first.gz, requests: first.requests, ms: first.ms },
      typed: { bytes: typed.bytes, gz: typed.gz, requests: typed.requests },
      recall: recallAt10(await top(q), rel),
    };
  }
  console.error(JSON.stringify(row));
  rows.push(row);
}
await browser.close();
server.kill();

const kb = (b) => (b / 1024).toFixed(1);
const pct = (r) => (r === null ? "–" : Math.round(r * 100) + "%");
const cell = (m) => `${kb(m.bytes)} KB, ${kb(m.gz)} gz, ${m.requests} req`;
console.log(`| Corpus | Query | Relevant | Recall@10 skillsite / Pagefind | First query: skillsite | First query: Pagefind | Typed: skillsite | Typed: Pagefind | First results, ms: skillsite / Pagefind |`);
console.log(`|--------|-------|---------:|:------:|------:|------:|------:|------:|:------:|`);
for (const r of rows) {
  const s = r.skillsite, p = r.pagefind;
  console.log(`| ${label} | \`${r.query}\` | ${r.relevant} | ${pct(s.recall)} / ${pct(p.recall)} | ${cell(s.first)} | ${cell(p.first)} | ${cell(s.typed)} | ${cell(p.typed)} | ${s.first.ms} / ${p.first.ms} |`);
}
