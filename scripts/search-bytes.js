#!/usr/bin/env node
// What a first query downloads from a built site's static search index: runs the browser
// client (static/js/search-core.js) on a cold cache and counts the bytes of every file it
// loads (manifest, lexicons, shards, facets) plus the fragments of the results a page shows.
//
//   node scripts/search-bytes.js BOOK_DIR [--shown N] [--typed] QUERY...
//
// --shown N   fragments loaded for the first N results (default 6, the search box's list).
// --typed     type each query letter by letter in prefix mode, as the search box does, and
//             count everything loaded along the way (one cold cache per query).
// Prints one JSON object per line: {query, total, bytes, files, parts: {kind: bytes}}.
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const Core = require("../themes/default/static/js/search-core.js");

const args = process.argv.slice(2);
const book = args.shift();
let shown = 6, typed = false;
const queries = [];
while (args.length) {
  const a = args.shift();
  if (a === "--shown") shown = Number(args.shift());
  else if (a === "--typed") typed = true;
  else queries.push(a);
}
if (!book || !queries.length) {
  console.error("usage: search-bytes.js BOOK_DIR [--shown N] [--typed] QUERY...");
  process.exit(2);
}
const dir = path.join(book, "search");

function loader(stats) {
  return (kind, key) => new Promise((resolve, reject) => {
    let data;
    const hub = { manifest: (d) => (data = d), shard: (_k, d) => (data = d), lex: (_h, d) => (data = d), norms: (_f, d) => (data = d), pos: (_k, d) => (data = d), facet: (_n, d) => (data = d), docs: (_c, d) => (data = d) };
    try {
      const text = fs.readFileSync(path.join(dir, Core.indexPath(kind, key)));
      stats.bytes += text.length;
      stats.files += 1;
      stats.parts[kind] = (stats.parts[kind] || 0) + text.length;
      vm.runInNewContext(text.toString("utf8"), { window: { __skillsiteSearch: hub } });
      resolve(data);
    } catch (e) {
      reject(e);
    }
  });
}

(async () => {
  for (const q of queries) {
    const stats = { bytes: 0, files: 0, parts: {} };
    const load = loader(stats);
    const engine = new Core.Engine(await load("manifest"), load);
    let r;
    const steps = typed ? Array.from(q).map((_, i) => Array.from(q).slice(0, i + 1).join("")) : [q];
    for (const s of steps) {
      r = await engine.search(s, { prefix: typed });
      await Promise.all(r.hits.slice(0, shown).map((h) => engine.doc(h.doc)));
    }
    process.stdout.write(JSON.stringify({ query: q, typed, total: r.total, bytes: stats.bytes, files: stats.files, parts: stats.parts }) + "\n");
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
