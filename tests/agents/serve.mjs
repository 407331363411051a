// A plain static file server for tests/agents_cli.rs: serves DIR on 127.0.0.1 (a free port)
// and prints `port N` once listening. GET and HEAD only; no directory listings; `/` and
// folder URLs serve index.html. Paths are resolved inside DIR (no `..` escape).
//
//   node serve.mjs DIR [LOG]     (LOG: a file to append `METHOD PATH STATUS` lines to)
import { appendFileSync } from "node:fs";
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { join, normalize, resolve, sep, extname } from "node:path";

const root = resolve(process.argv[2]);
const log = process.argv[3];
const note = (req, status) => { if (log) appendFileSync(log, `${req.method} ${req.url} ${status}\n`); };
const types = {
  ".html": "text/html; charset=utf-8",
  ".json": "application/json",
  ".md": "text/markdown; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".gz": "application/gzip",
  ".js": "text/javascript",
  ".css": "text/css",
};

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url, "http://localhost");
    let path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (path !== root && !path.startsWith(root + sep)) throw new Error("outside");
    if ((await stat(path)).isDirectory()) path = join(path, "index.html");
    const body = await readFile(path);
    res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream", "content-length": body.length });
    res.end(req.method === "HEAD" ? undefined : body);
    note(req, 200);
  } catch {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found\n");
    note(req, 404);
  }
});
server.listen(0, "127.0.0.1", () => console.log(`port ${server.address().port}`));
