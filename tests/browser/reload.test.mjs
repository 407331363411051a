// Browser test of `skillsite serve`: a real Chromium (Debian's, driven by playwright-core)
// sees the page reload by itself after an edit, keeps its scroll position, swaps a stylesheet
// without reloading, and shows then hides the error overlay.
//
//   SKILLSITE_BIN=target/debug/skillsite node --test tests/browser/reload.test.mjs
//
// Environment: SKILLSITE_BIN (default ../../target/debug/skillsite), CHROMIUM (default
// /usr/bin/chromium), SCREENSHOT_DIR (when set, screenshots of the overlay are saved there).

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const BIN = process.env.SKILLSITE_BIN || resolve(here, "../../target/debug/skillsite");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.SCREENSHOT_DIR;
const TIMEOUT = 30_000;

function write(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

const filler = Array.from({ length: 80 }, (_, i) => `Paragraph ${i} of filler text, so that the page scrolls.`).join("\n\n");
const skill = (body, description = "Use when testing the browser.") =>
  `---\nname: skill-a\ndescription: ${description}\n---\n# Skill A\n\n${body}\n\n${filler}\n`;

/** Polls `fn` in the page until it returns a truthy value; survives the page reloading. */
async function until(page, fn, arg, what) {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    try {
      const v = await page.evaluate(fn, arg);
      if (v) return v;
    } catch (e) {
      // The page is navigating (live reload): try again in the new document.
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const overlayText = () => document.querySelector("skillsite-overlay")?.shadowRoot?.textContent || "";

/** Starts `skillsite serve DIR -p 0`; resolves with { url, child, log() } once it listens. */
function serve(dir) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(BIN, ["serve", dir, "-p", "0"], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), TIMEOUT);
    child.stderr.on("data", (d) => {
      err += d;
      const m = err.match(/Serving at (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) {
        clearTimeout(timer);
        resolvePromise({ url: m[1], child, log: () => err });
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}:\n${err}`)));
  });
}

test("a served page reloads itself, swaps CSS and shows the overlay", { timeout: 120_000 }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), "skillsite-browser-"));
  const site = join(tmp, "site");
  write(join(site, "book.toml"), '[book]\ntitle = "Browser test"\n[output.html]\nadditional-css = ["theme/extra.css"]\n');
  write(join(site, "content/README.md"), "# Home\n\nWelcome.\n");
  write(join(site, "content/pack/README.md"), "# Pack\n");
  write(join(site, "content/pack/skill-a/SKILL.md"), skill("Original body."));
  write(join(site, "theme/extra.css"), "h1 { color: rgb(0, 0, 255); }\n");

  const server = await serve(site);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    // serve sends the site's Content-Security-Policy: nothing of ours (reload.js, the overlay,
    // additional-css) may violate it.
    await context.addInitScript(() => {
      window.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
    });
    const page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    await page.goto(server.url + "pack/skill-a/");
    assert.match(await page.textContent("main"), /Original body\./);
    // Wait until the live-reload stream is connected.
    const connected = () => window.__skillsite && window.__skillsite.connected();
    await until(page, connected, null, "the event stream");

    // 1. An edit: the page reloads by itself (the marker is gone) at the same scroll position.
    await page.evaluate(() => { window.__marker = "before"; window.scrollTo(0, 900); });
    const scrolled = await page.evaluate(() => window.scrollY);
    assert.ok(scrolled > 500, `page scrolls (${scrolled})`);
    write(join(site, "content/pack/skill-a/SKILL.md"), skill("Edited body."));
    await until(page, () => document.querySelector("main")?.textContent.includes("Edited body."), null, "the edited body");
    assert.equal(await page.evaluate(() => window.__marker), undefined, "the page was reloaded");
    await until(page, (y) => Math.abs(window.scrollY - y) < 5, scrolled, "the scroll position");

    // 1b. Many tabs: all load (browsers allow 6 connections per host, so the tabs must share
    // one event stream), and all reload on an edit.
    const tabs = [];
    for (let i = 0; i < 8; i++) {
      const t = await context.newPage();
      const r = await t.goto(server.url + "pack/skill-a/", { timeout: 10_000 });
      assert.equal(r.status(), 200, `tab ${i + 2} loads`);
      tabs.push(t);
    }
    for (const t of [page, ...tabs]) await until(t, connected, null, "every tab to hear from the server");
    write(join(site, "content/pack/skill-a/SKILL.md"), skill("Edited body, many tabs."));
    for (const t of [page, ...tabs]) {
      await until(t, () => document.querySelector("main")?.textContent.includes("Edited body, many tabs."), null, "every tab to reload");
    }
    for (const t of tabs) await t.close();
    // No wait for the first tab to take the stream over: it asks for what it missed.

    // 2. Only CSS changed: the stylesheet is swapped, the page is not reloaded.
    await page.evaluate(() => { window.__marker = "css"; });
    write(join(site, "theme/extra.css"), "h1 { color: rgb(255, 0, 0); }\n");
    await until(page, () => getComputedStyle(document.querySelector("h1")).color === "rgb(255, 0, 0)", null, "the new CSS");
    assert.equal(await page.evaluate(() => window.__marker), "css", "no full reload for CSS");

    // 3. Bad YAML: the overlay lists file, line and message.
    write(join(site, "content/pack/skill-a/SKILL.md"), skill("Edited body.", "[unclosed"));
    // (The description is lost, so the page and its parent change: the page reloads too.)
    // The page may reload once more while the overlay shows: read everything in one go, in
    // whichever document is current.
    const seen = await until(page, () => {
      const root = document.querySelector("skillsite-overlay")?.shadowRoot;
      const t = root?.textContent || "";
      if (!(t.includes("front-matter") && document.readyState === "complete")) return null;
      const panel = root.querySelector(".panel");
      // Styled by a constructed stylesheet (no <style>, which the policy would block).
      return { text: t, position: panel && getComputedStyle(panel).position, violations: window.__violations };
    }, null, "the overlay");
    assert.match(seen.text, /content\/pack\/skill-a\/SKILL\.md:3/);
    assert.match(seen.text, /invalid YAML/);
    assert.equal(seen.position, "fixed");
    assert.deepEqual(seen.violations, []);
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: join(SHOTS, "overlay.png") });
    }

    // 4. Fixed: the overlay goes away.
    write(join(site, "content/pack/skill-a/SKILL.md"), skill("Fixed body."));
    await until(page, () => document.querySelector("main")?.textContent.includes("Fixed body."), null, "the fixed body");
    await until(page, () => document.readyState === "complete" && window.__skillsite && !document.querySelector("skillsite-overlay"), null, "the overlay to go");

    // 5. A fatal error (book.toml) shows the overlay over the last good page.
    write(join(site, "book.toml"), '[book]\ntitle = "Browser test\n');
    const fatal = await until(page, () => {
      const t = document.querySelector("skillsite-overlay")?.shadowRoot?.textContent || "";
      return t.includes("config-syntax") && t;
    }, null, "the fatal error in the overlay");
    assert.match(fatal, /Build failed: still serving the last good site/);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, "overlay-fatal.png") });
    assert.match(await page.textContent("main"), /Fixed body\./);
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
  } catch (e) {
    e.message += `\n--- skillsite serve output ---\n${server.log()}`;
    throw e;
  } finally {
    await browser.close();
    server.child.kill("SIGINT");
    rmSync(tmp, { recursive: true, force: true });
  }
});
