// Drives headless Chromium over a running `sitrep serve` of the generated
// larger site: follows links from the status page to an incident, its
// report, a runbook and a search hit, checks that pages are whole and free
// of script errors, and runs axe-core on each of them.
//
// Usage: node generated.cjs URL RESULTS_JSON
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require("playwright-core");
const { assert, check, axe: axeOn, run } = require("./harness.cjs");

const [base, resultsFile] = process.argv.slice(2);
if (!base || !resultsFile) {
  console.error("usage: node generated.cjs URL RESULTS_JSON");
  process.exit(2);
}
const url = (p) => new URL(p.replace(/^\//, ""), base).href;

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-chromium-gen-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    timeout: 30_000,
    viewport: { width: 1280, height: 800 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] || (await context.newPage());
  const jsErrors = [];
  page.on("pageerror", (e) => jsErrors.push(`${page.url()}: ${e.message}`));
  const open = async (p) => {
    const r = await page.goto(url(p), { waitUntil: "load" });
    assert(r && r.status() === 200, `${p}: HTTP ${r && r.status()}`);
  };
  const axe = (what) => axeOn(page, what);

  const seen = {};
  await check("status page of the generated site: every service has its bars", async () => {
    await open("/");
    const services = await page.locator("li.service").count();
    const bars = await page.locator("ol.bars").count();
    assert(services > 5 && bars === services, `${services} services, ${bars} bar rows`);
    await axe("status");
  });
  await check("history: paginated, and an incident page opens", async () => {
    await open("/incidents/");
    assert(await page.locator('nav.pagination a[rel="next"]').count() === 1, "no next page");
    seen.incident = await page.locator('main li a[href*="/incidents/"]').first().getAttribute("href");
    await open(seen.incident);
    assert((await page.locator("h1").textContent()).length > 0, "no title");
    assert(await page.locator("table.timeline tbody tr").count() > 0, "no timeline");
    await axe("incident");
  });
  await check("compliance lists every incident, and a report opens from it", async () => {
    await open("/compliance/");
    const rows = await page.locator("#compliance-table tbody tr").count();
    assert(rows > 250, `${rows} rows`);
    const report = await page.locator('#compliance-table a[href$="/report/"]').first().getAttribute("href");
    await open(report);
    assert(await page.locator("#targets").count() === 1 && await page.locator("#notices").count() === 1, "report sections missing");
    await axe("report");
  });
  await check("a runbook opens from the runbook list", async () => {
    await open("/runbooks/");
    const n = await page.locator("main .runbook-list a").count();
    assert(n >= 300, `${n} runbooks listed`);
    seen.runbook = await page.locator("main .runbook-list a").nth(Math.floor(n / 2)).getAttribute("href");
    await open(seen.runbook);
    seen.title = (await page.locator("h1").textContent()).trim();
    await axe("runbook");
  });
  await check("search finds that runbook by a word of its title and follows the hit", async () => {
    await open("/search/");
    const word = seen.title.split(/\s+/).sort((a, b) => b.length - a.length)[0];
    await page.fill("#q", word);
    await page.waitForFunction(() => document.querySelectorAll("#results li").length > 0, null, { timeout: 10_000 });
    const hits = await page.locator("#results a").allTextContents();
    assert(hits.some((h) => h.includes(word)), `no hit for "${word}"`);
    await page.locator("#results a").first().click();
    await page.waitForLoadState("load");
    assert((await page.locator("h1").textContent()).includes(word) || page.url().includes("/incidents/"), "the hit did not open its page");
  });
  await check("no JavaScript errors on the generated site", async () => {
    assert(jsErrors.length === 0, jsErrors.join("\n"));
  });
  await context.close();
}

run(main, resultsFile);
