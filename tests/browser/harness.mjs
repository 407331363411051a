// Shared set-up of the browser tests: a plain static server on 127.0.0.1 (Python's
// http.server, like any static host) and Debian's Chromium through playwright-core.
import { spawn } from "node:child_process";
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
