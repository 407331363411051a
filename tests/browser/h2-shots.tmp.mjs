import { launchChromium } from "./harness.mjs";
import { pathToFileURL } from "node:url";
const [site, rel, out] = process.argv.slice(2);
const url = pathToFileURL(site).href + "/" + rel;
const browser = await launchChromium();
async function shot(name, opts, after) {
  const ctx = await browser.newContext(opts);
  const page = await ctx.newPage();
  await page.goto(url);
  if (opts.javaScriptEnabled !== false) await page.waitForSelector('#sidebar[data-nav="full"]', { state: "attached" });
  if (after) await after(page);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${out}-${name}.png` });
  await ctx.close();
}
await shot("desktop-light", { viewport: { width: 1400, height: 1000 }, colorScheme: "light" });
await shot("desktop-dark", { viewport: { width: 1400, height: 1000 }, colorScheme: "dark" });
await shot("phone-open", { viewport: { width: 390, height: 844 }, colorScheme: "light", deviceScaleFactor: 2 }, async (p) => { await p.click(".menu-button"); });
await shot("phone-dark-open", { viewport: { width: 390, height: 844 }, colorScheme: "dark", deviceScaleFactor: 2 }, async (p) => { await p.click(".menu-button"); });
await shot("nojs", { viewport: { width: 1400, height: 1000 }, colorScheme: "light", javaScriptEnabled: false });
await browser.close();
