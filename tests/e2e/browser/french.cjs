// Drives headless Chromium over a running `sitrep serve` of the example site
// in French (`language: fr`) with an active incident and its open child
// (added by run-browser.sh): the status page as Statuspage and cState
// readers expect it (the child under its parent, the latest update, how
// long it has been going on, kept current by the page's script, a link to
// the history), updates newest first, no English theme string, search in
// French, and axe-core on each page type.
//
// Usage: node french.cjs URL RESULTS_JSON
"use strict";
const { chromium } = require("playwright-core");
const { assert, check, axe: axeOn, run } = require("./harness.cjs");

const [base, resultsFile] = process.argv.slice(2);
if (!base || !resultsFile) {
  console.error("usage: node french.cjs URL RESULTS_JSON");
  process.exit(2);
}
const url = (p) => new URL(p.replace(/^\//, ""), base).href;
// English theme strings that must not be on a French page.
const ENGLISH = ["Active incidents", "All systems operational", "Subscribe", "Past 7 days", "Incident history",
  "going on for", "uptime over", "Skip to content", "Times are shown in", "Investigating", "Monitoring",
  "Updates", "No incidents", "Search runbooks", "Page not found"];

async function main() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "fr-FR", timezoneId: "Europe/Paris" });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const jsErrors = [];
  page.on("pageerror", (e) => jsErrors.push(`${page.url()}: ${e.message}`));
  const open = async (p) => {
    const r = await page.goto(url(p), { waitUntil: "load" });
    assert(r && r.status() === (p.startsWith("/no-such") ? 404 : 200), `${p}: HTTP ${r && r.status()}`);
  };
  const axe = (what) => axeOn(page, what);
  const noEnglish = async (what) => {
    const text = await page.locator("body").innerText();
    const found = ENGLISH.filter((s) => text.includes(s));
    assert(found.length === 0, `${what} says in English: ${found.join(", ")}`);
    assert(await page.locator("html").getAttribute("lang") === "fr", `${what}: <html lang> is not fr`);
  };

  let incident = null;
  await check("status page in French: the active incident, its child under it, its latest update, elapsed time, history link", async () => {
    await open("/");
    await noEnglish("status page");
    const card = page.locator("#active-h ~ article").first();
    assert(await card.count() === 1, "no active incident card");
    incident = await card.locator("h3 a").getAttribute("href");
    const children = card.locator("ul.children > li");
    assert(await children.count() === 1, `${await children.count()} children under the parent`);
    // Listed once: under its parent, not as an incident of its own.
    const childTitle = (await children.first().locator("a").first().textContent()).trim();
    const titles = await page.locator("#active-h ~ article h3").allTextContents();
    assert(!titles.some((t) => t.includes(childTitle)), `the child "${childTitle}" is also listed on its own`);
    assert((await card.locator(".update").first().innerText()).includes("surveillons"), "not the latest update");
    // The page's script counts from the start to the reader's clock, in French units.
    const elapsed = (await card.locator(".elapsed .duration").first().textContent()).trim();
    assert(/^\d+\s?(j|h|min)( \d+\s?(h|min))*$/.test(elapsed.replace(/\u00a0/g, " ")), `elapsed "${elapsed}"`);
    assert(await page.locator('a[href$="/incidents/"]').filter({ hasText: "Historique" }).count() > 0, "no link to the history");
    await axe("status (fr)");
  });
  await check("incident page in French: updates newest first", async () => {
    assert(incident, "no active incident");
    await open(incident);
    await noEnglish("incident page");
    const times = await page.locator("ol.updates time").evaluateAll((ts) => ts.map((t) => t.getAttribute("datetime")));
    assert(times.length >= 2, `${times.length} updates`);
    const sorted = [...times].sort().reverse();
    assert(JSON.stringify(times) === JSON.stringify(sorted), `not newest first: ${times.join(", ")}`);
    await axe("incident (fr)");
  });
  await check("history, a service, a runbook and the 404 page in French", async () => {
    for (const p of ["/incidents/", "/services/storefront/", "/runbooks/", "/no-such-page-fr/"]) {
      await open(p);
      await noEnglish(p);
      await axe(`${p} (fr)`);
    }
  });
  await check("search in French finds an update's word and says so in French", async () => {
    await open("/search/");
    await noEnglish("search page");
    await page.locator("#q").fill("surveillons");
    await page.waitForFunction(() => document.querySelectorAll("#results li").length > 0, null, { timeout: 10_000 });
    const status = await page.locator("#search-status").textContent();
    assert(/résultat/.test(status), `status "${status}"`);
    assert(await page.locator(`#results a[href="${incident}"]`).count() === 1, "the active incident is not found");
    await axe("search (fr)");
  });
  await check("no JavaScript errors on the French site", async () => {
    assert(jsErrors.length === 0, jsErrors.join("\n"));
  });
  await browser.close();
}

run(main, resultsFile);
