// The search at scale, measured in headless Chromium as a reader gets it:
// the bytes the browser receives (CDP's encodedDataLength, headers
// included, not file sizes) to open /search/ and see the first results, then
// per further query; the time from the last keystroke to the results; and
// that results are paginated. Run against a static server of a built site
// (tests/e2e/run-browser.sh, part 6, builds a 10,000-runbook one).
//
// Usage: node search-bench.cjs URL RESULTS_JSON
// Fails (exit 1) when a byte budget of SITE.md "Search at scale" is over or
// a search finds the wrong pages; times are reported, not asserted.
"use strict";
const fs = require("node:fs");
const { chromium } = require("playwright-core");

const [base, resultsFile] = process.argv.slice(2);
if (!base || !resultsFile) {
  console.error("usage: node search-bench.cjs URL RESULTS_JSON");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const url = (p) => new URL(p.replace(/^\//, ""), base).href;
const FIRST_BUDGET = 300 * 1024;
const FURTHER_BUDGET = 50 * 1024;

// Reads the whole index in the page (outside any measurement) to pick the
// words: one on a single page, one on at least 1,000, two on a few hundred.
async function pickWords(page) {
  return page.evaluate(async (root) => {
    const get = (p) => fetch(root + p).then((r) => r.json());
    const m = await get("manifest.json");
    const decode = (s) => {
      const ids = [];
      if (!s) return ids;
      if (s[0] === "#") {
        const bin = atob(s.slice(1));
        for (let i = 0; i < bin.length; i++) for (let j = 0; j < 8; j++) if (bin.charCodeAt(i) & (1 << j)) ids.push(i * 8 + j);
        return ids;
      }
      let last = 0;
      for (const g of s.split(",")) { last += parseInt(g, 36); ids.push(last); }
      return ids;
    };
    const counts = [];
    for (let i = 0; i < m.chunks.length; i++) {
      const c = await get(`chunk/${i}.json`);
      for (const [w, [all]] of Object.entries(c)) {
        if (/^[a-z]{5,}$/.test(w)) counts.push([w, decode(all)]);
      }
    }
    const single = counts.filter(([, ids]) => ids.length === 1).sort()[0];
    const common = counts.filter(([, ids]) => ids.length >= 1000).sort((a, b) => a[1].length - b[1].length)[0];
    const largest = counts.slice().sort((a, b) => b[1].length - a[1].length)[0];
    const mid = counts.filter(([, ids]) => ids.length >= 50 && ids.length <= 5000).sort();
    const frag = single && await get(`fragment/${Math.floor(single[1][0] / m.fragment)}.json`);
    return {
      docs: m.docs,
      chunks: m.chunks.length,
      single: single && { word: single[0], url: frag[single[1][0] % m.fragment][1] },
      common: common && { word: common[0], count: common[1].length },
      largest: largest && { word: largest[0], count: largest[1].length },
      pair: mid.length > 3 ? `${mid[1][0]} ${mid[mid.length - 2][0]}` : null,
    };
  }, url("/search/"));
}

async function main() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  const out = { checks: [], queries: [] };
  const fail = (what) => { out.checks.push({ ok: false, what }); console.log(`  FAIL  ${what}`); };
  const ok = (what) => { out.checks.push({ ok: true, what }); console.log(`  ok    ${what}`); };
  try {
    const scout = await browser.newPage();
    await scout.goto(url("/search/"));
    const words = await pickWords(scout);
    await scout.close();
    out.index = words;
    console.log(`  index: ${words.docs} pages, ${words.chunks} chunks; single "${words.single && words.single.word}", common "${words.common && words.common.word}" (${words.common && words.common.count}), pair "${words.pair}"`);

    // A fresh context: nothing cached.
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });
    let bytes = 0, requests = 0;
    cdp.on("Network.loadingFinished", (e) => { bytes += e.encodedDataLength; requests += 1; });
    const settle = () => new Promise((r) => setTimeout(r, 300));
    const status = () => page.locator("#search-status").textContent();

    async function query(label, text, expect) {
      const before = bytes, reqs = requests;
      await page.fill("#q", "");
      await page.locator("#q").focus();
      const t0 = Date.now();
      await page.keyboard.type(text, { delay: 10 });
      const typed = Date.now();
      // Results of this query: the status names it once they are listed.
      await page.waitForFunction((q) => document.querySelectorAll("#results li").length > 0 && document.getElementById("search-status").textContent.includes(q), text, { timeout: 10_000 });
      const ms = Date.now() - typed;
      await settle();
      const q = { label, text, bytes: bytes - before, requests: requests - reqs, ms, typing_ms: typed - t0, status: await status() };
      out.queries.push(q);
      console.log(`  ${label}: "${text}" ${q.bytes} B in ${q.requests} requests, results ${ms} ms after the last key; ${q.status}`);
      if (expect) await expect(q);
      return q;
    }

    await page.goto(url("/search/"));
    await settle();
    const opened = bytes;
    const first = await query("first query", words.single.word, async () => {
      const hrefs = await page.locator("#results li a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      if (hrefs.length === 1 && hrefs[0] === words.single.url) ok(`a word on one page ("${words.single.word}") finds that page only`);
      else fail(`"${words.single.word}" found ${JSON.stringify(hrefs)}, not only ${words.single.url}`);
    });
    out.open_and_first = opened + first.bytes;
    if (out.open_and_first <= FIRST_BUDGET) ok(`opening /search/ and the first results: ${out.open_and_first} B (budget ${FIRST_BUDGET})`);
    else fail(`opening /search/ and the first results: ${out.open_and_first} B, over ${FIRST_BUDGET}`);

    // A small site has no word on 1,000 pages: pagination is then measured
    // on the largest site only (run-browser.sh builds 10,000 runbooks).
    const furthest = [];
    if (words.common) furthest.push((await query("further query", words.common.word, async () => {
      const n = await page.locator("#results li").count();
      const said = await status();
      if (n === 10 && said.includes(String(words.common.count))) ok(`a word on ${words.common.count} pages: 10 shown, the count said`);
      else fail(`"${words.common.word}": ${n} shown, status "${said}"`);
      const before = bytes;
      await page.locator("#search-more").click();
      await page.waitForFunction(() => document.querySelectorAll("#results li").length === 20, null, { timeout: 10_000 });
      await settle();
      ok(`"More results" shows the next 10 (${bytes - before} B)`);
      out.more_bytes = bytes - before;
    })).bytes);
    else console.log("  (no word on 1,000 pages: pagination not measured here)");
    if (words.largest) furthest.push((await query("the most common word", words.largest.word)).bytes);
    if (words.pair) furthest.push((await query("two words", words.pair)).bytes);
    const max = Math.max(0, ...furthest);
    out.further_max = max;
    if (max <= FURTHER_BUDGET) ok(`each further query: at most ${max} B (budget ${FURTHER_BUDGET})`);
    else fail(`a further query took ${max} B, over ${FURTHER_BUDGET}`);
    out.first_ms = first.ms;
    await context.close();
  } catch (e) {
    fail(`search benchmark: ${e && e.stack || e}`);
  } finally {
    await browser.close();
  }
  out.passed = out.checks.filter((c) => c.ok).length;
  out.failed = out.checks.length - out.passed;
  fs.writeFileSync(resultsFile, JSON.stringify(out, null, 2));
  process.exit(out.failed ? 1 : 0);
}
main();
