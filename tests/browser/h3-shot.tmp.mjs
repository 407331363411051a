import { chromium } from "playwright-core";
const [,, url, out, w, h, scheme, full] = process.argv;
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const ctx = await b.newContext({ viewport: { width: +w, height: +h }, colorScheme: scheme });
const p = await ctx.newPage();
await p.goto(url, { waitUntil: "load" });
const sel = process.argv[8];
if (sel) { await p.locator(sel).first().scrollIntoViewIfNeeded(); await p.locator(sel).first().screenshot({ path: out }); }
else await p.screenshot({ path: out, fullPage: full === "1" });
console.log(await p.evaluate(() => [document.documentElement.scrollWidth, innerWidth].join(" ")));
await b.close();
