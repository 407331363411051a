// Shared set-up of the browser tests: a plain static server on 127.0.0.1 (Python's
// http.server, like any static host) and Debian's Chromium through playwright-core.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { chromium } from "playwright-core";

/** Chromium's binary: $CHROMIUM, else Debian's. */
export const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

/** Serves `dir` on a free port of 127.0.0.1; resolves with { url, stop } (url ends in `/`). */
export async function serveStatic(dir) {
  // Its request log (stderr) is not read: a pipe nobody drains fills up and stalls the server
  // after a few hundred requests.
  const server = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", dir], { stdio: ["ignore", "pipe", "ignore"] });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("http.server did not start")), 10000);
    server.stdout.on("data", (d) => {
      const m = /port (\d+)/.exec(String(d));
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    server.stdout.resume();
    server.on("exit", (code) => reject(new Error(`http.server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => server.kill() };
}

/** Launches headless Chromium with no network chatter of its own. */
export function launchChromium() {
  return chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

const TYPES = { ".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".json": "application/json", ".svg": "image/svg+xml" };

/** Serves the built site `book` under /site/ on a free port of 127.0.0.1, answering anything
    missing with /site/404.html and status 404, as GitHub Pages, Netlify and Cloudflare Pages
    do. Resolves with { url, stop } (url ends in `/site/`). */
export async function serveWith404(book) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith("/site/")) rel = "/site/404.html";
    let file = path.join(book, rel.slice("/site/".length));
    if (file.startsWith(book) && fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    const found = file.startsWith(book) && fs.existsSync(file) && fs.statSync(file).isFile();
    if (!found) file = path.join(book, "404.html");
    res.writeHead(found ? 200 : 404, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
    res.end(req.method === "HEAD" ? undefined : fs.readFileSync(file));
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${server.address().port}/site/`, stop: () => server.close() };
}
