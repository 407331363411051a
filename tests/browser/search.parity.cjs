#!/usr/bin/env node
// Runs the browser search client (static/js/search-core.js) on a built site's static index,
// without a browser: `node tests/browser/search.parity.cjs BOOK_DIR QUERY [--prefix] [--all]`.
// Prints {total, hits: [{doc, url, score}]} (top 10, or every hit with --all) as JSON, like
// `skillsite search --json`, so tests can compare the two rankings.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const Core = require("../../themes/default/static/js/search-core.js");

const [book, query, ...flags] = process.argv.slice(2);
if (!book || query === undefined) {
  console.error("usage: search.parity.cjs BOOK_DIR QUERY [--prefix] [--all]");
  process.exit(2);
}
const dir = path.join(book, "search");
// Evaluates an index script with a stand-in window.__skillsiteSearch that captures its data.
function load(kind, key) {
  return new Promise((resolve, reject) => {
    let data;
    const hub = { manifest: (d) => (data = d), shard: (_k, d) => (data = d), lex: (_h, d) => (data = d), norms: (_f, d) => (data = d), pos: (_k, d) => (data = d), facet: (_n, d) => (data = d), docs: (_c, d) => (data = d) };
    try {
      vm.runInNewContext(fs.readFileSync(path.join(dir, Core.indexPath(kind, key)), "utf8"), { window: { __skillsiteSearch: hub } });
      resolve(data);
    } catch (e) {
      reject(e);
    }
  });
}

(async () => {
  const engine = new Core.Engine(await load("manifest"), load);
  const r = await engine.search(query, { prefix: flags.includes("--prefix") });
  const hits = [];
  for (const h of flags.includes("--all") ? r.hits : r.hits.slice(0, 10)) {
    const d = await engine.doc(h.doc);
    hits.push({ doc: h.doc, url: d.u, score: h.score });
  }
  process.stdout.write(JSON.stringify({ total: r.total, hits, terms: r.terms }) + "\n");
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
