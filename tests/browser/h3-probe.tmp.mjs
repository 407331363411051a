import { chromium } from "playwright-core";
const [,, url, sel] = process.argv;
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const p = await (await b.newContext({ viewport: { width: 390, height: 844 } })).newPage();
await p.goto(url, { waitUntil: "load" });
console.log(await p.evaluate((sel) => {
  const MINR = 1000; const out = [document.documentElement.scrollWidth];
  document.querySelectorAll(sel).forEach((el) => { const r = el.getBoundingClientRect(); if (r.right > MINR) out.push(el.tagName + "." + el.className + " " + Math.round(r.left) + "-" + Math.round(r.right) + " " + (el.textContent || "").slice(0, 40)); });
  return out.slice(0, 25).join("\n");
}, sel));
await b.close();
