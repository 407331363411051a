import { chromium } from "playwright-core";
const [,, url] = process.argv;
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const p = await (await b.newContext({ viewport: { width: 390, height: 844 } })).newPage();
await p.goto(url, { waitUntil: "load" });
console.log(await p.evaluate(() => {
  const out = [document.documentElement.scrollWidth, document.body.scrollWidth];
  document.querySelectorAll("*").forEach((el) => {
    if (el.scrollWidth > 1000 && el.children.length < 50) { const cs = getComputedStyle(el); out.push(el.tagName + "." + el.className + " sw=" + el.scrollWidth + " cw=" + el.clientWidth + " ov=" + cs.overflowX + " pos=" + cs.position); }
  });
  return out.slice(0, 30).join("\n");
}));
await b.close();
