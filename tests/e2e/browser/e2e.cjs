// Drives headless Chromium (system /usr/bin/chromium through playwright-core;
// no browser is ever downloaded) against a running `sitrep serve` of a copy
// of the example site, and runs axe-core on every page type in light and
// dark mode.
//
// Usage: node e2e.cjs URL SITE_DIR RESULTS_JSON
//   URL          the address `sitrep serve` printed (ends with the base path)
//   SITE_DIR     the site folder the server watches (edited by the tests)
//   RESULTS_JSON where to write { passed, failed, checks: [...] }
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { chromium } = require("playwright-core");

const [base, siteDir, resultsFile] = process.argv.slice(2);
if (!base || !siteDir || !resultsFile) {
  console.error("usage: node e2e.cjs URL SITE_DIR RESULTS_JSON");
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const AXE_JS = require.resolve("axe-core/axe.min.js");
const STEP_TIMEOUT = 10_000; // any single browser action
const CHECK_TIMEOUT = 45_000; // any whole check

const url = (p) => new URL(p.replace(/^\//, ""), base).href;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- a tiny harness: every check is bounded, recorded and never aborts the run
const checks = [];
async function check(name, fn, limit = CHECK_TIMEOUT) {
  const t0 = Date.now();
  let timer;
  try {
    await Promise.race([
      fn(),
      new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`timed out after ${limit} ms`)), limit); }),
    ]);
    const ms = Date.now() - t0;
    checks.push({ name, ok: true, ms });
    console.log(`  ok    ${name} (${ms} ms)`);
  } catch (e) {
    const ms = Date.now() - t0;
    const msg = String((e && e.message) || e).split("\n").slice(0, 40).join("\n      ");
    checks.push({ name, ok: false, ms, error: msg });
    console.log(`  FAIL  ${name} (${ms} ms)\n      ${msg}`);
  } finally {
    clearTimeout(timer);
  }
}
function assert(cond, what) { if (!cond) throw new Error(what); }

/** Polls fn (which may throw while the page navigates) until it returns truthy. */
async function until(fn, ms, what) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    try { const v = await fn(); if (v) return v; } catch (e) { last = e; }
    await sleep(100);
  }
  throw new Error(`${what}: not within ${ms} ms${last ? ` (last error: ${last.message.split("\n")[0]})` : ""}`);
}

async function main() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "sitrep-chromium-"));
  const t0 = Date.now();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    viewport: { width: 1280, height: 800 },
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  console.log(`chromium ${context.browser() ? context.browser().version() : ""} started in ${Date.now() - t0} ms`);
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);

  // Every page opened is watched for script errors and failed sub-requests.
  const jsErrors = [];
  const badRequests = [];
  const watch = (p) => {
    p.on("pageerror", (e) => jsErrors.push(`${p.url()}: ${e.message}`));
    p.on("requestfailed", (r) => {
      // Leaving a page aborts its live-reload event stream: expected.
      if (!r.url().includes("/__sitrep/events")) badRequests.push(`${r.failure() && r.failure().errorText} ${r.url()} (from ${p.url()})`);
    });
    p.on("response", (r) => {
      const req = r.request();
      if (r.status() >= 400 && req.resourceType() !== "document") badRequests.push(`${r.status()} ${r.url()} (from ${p.url()})`);
    });
  };
  context.pages().forEach(watch);
  context.on("page", watch);

  const page = context.pages()[0] || (await context.newPage());
  const open = async (p) => {
    const r = await page.goto(url(p), { waitUntil: "load" });
    return r;
  };
  const h1 = () => page.locator("h1").first().textContent();

  // URLs of each page type, found by following links, not hard-coded ids.
  const found = {};
  try {
    await open("/incidents/");
    found.incident = await page.locator('main a[href*="/incidents/INC-"], main a[href*="/incidents/"]:not([href$="/incidents/"])').first().getAttribute("href");
    await open("/compliance/");
    found.report = await page.locator('main a[href$="/report/"]').first().getAttribute("href");
    await open("/analysis/");
    found.month = await page.locator("main table.months tbody a").first().getAttribute("href");
    await open("/runbooks/");
    found.runbook = await page.locator("main .runbook-list a").first().getAttribute("href");
    await open("/");
    found.maintenance = await page.locator('main a[href*="/maintenance/"]').first().getAttribute("href");
    found.service = await page.locator('main a[href*="/services/"]').first().getAttribute("href");
  } catch (e) {
    console.log(`  (could not discover every page type: ${e.message.split("\n")[0]})`);
  }
  console.log(`page types: ${JSON.stringify(found)}`);

  // ---------------------------------------------------------------- pages
  console.log("\n== pages");
  await check("status page: title, overall banner, services with history bars", async () => {
    const r = await open("/");
    assert(r.status() === 200, `status ${r.status()}`);
    assert((await page.title()).length > 0, "no <title>");
    assert(await page.locator("section.banner").isVisible(), "no overall status banner");
    const bars = await page.locator("ol.bars li.bar").count();
    assert(bars > 0, "no uptime history bars");
    assert(await page.locator("main#main").count() === 1, "no <main id=main>");
  });
  await check("incident page opens from the history", async () => {
    assert(found.incident, "no incident link on /incidents/");
    const r = await open(found.incident);
    assert(r.status() === 200, `status ${r.status()}`);
    assert((await h1()).trim().length > 0, "empty h1");
    assert(await page.locator("#updates-h").isVisible(), "no Updates section");
    assert(await page.locator("table.timeline").isVisible(), "no timeline (internal view)");
  });
  await check("post-incident report opens", async () => {
    assert(found.report, "no report link on /compliance/");
    const r = await open(found.report);
    assert(r.status() === 200, `status ${r.status()}`);
    assert(/^Post-incident report/.test((await h1()).trim()), `h1 is ${await h1()}`);
    assert(await page.locator("#targets").isVisible(), "no Targets section");
  });
  await check("analysis: charts with a title, a description and a table of the same numbers; dark mode recolours them", async () => {
    const r = await open("/analysis/");
    assert(r.status() === 200, `status ${r.status()}`);
    const charts = page.locator('main svg.chart[role="img"]');
    const n = await charts.count();
    assert(n >= 3, `${n} charts`);
    for (let i = 0; i < n; i++) {
      const c = charts.nth(i);
      const ids = (await c.getAttribute("aria-labelledby")).split(" ");
      for (const id of ids) assert((await page.locator(`[id="${id}"]`).textContent()).trim().length > 0, `chart ${i}: empty #${id}`);
      const section = page.locator("section.figure").nth(i);
      assert(await section.locator("table.chart-data tbody tr").count() > 0, `chart ${i}: no table`);
    }
    const fill = () => page.locator("main svg.chart rect.k-level1, main svg.chart rect.k-level2, main svg.chart rect.k-level3").first().evaluate((e) => getComputedStyle(e).fill);
    const light = await fill();
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await fill();
    await page.emulateMedia({ colorScheme: "light" });
    assert(light !== dark, `same fill in light and dark: ${light}`);
    assert(found.month, "no month link on /analysis/");
    const m = await open(found.month);
    assert(m.status() === 200, `month page: status ${m.status()}`);
    assert(/^Analysis of /.test((await h1()).trim()), `h1 is ${await h1()}`);
    assert(await page.locator("#targets").isVisible(), "month page: no Targets section");
  });
  await check("post-incident report: key times, escalation history, merged timeline", async () => {
    assert(found.report, "no report link on /compliance/");
    await open(found.report);
    const rows = await page.locator("table.key-times tbody th").allTextContents();
    for (const want of ["Time to detect", "Time to respond", "Time to recover", "Impact duration", "Time to resolve"]) {
      assert(rows.includes(want), `no "${want}" row: ${rows.join(", ")}`);
    }
    assert(await page.locator("#escalations").isVisible(), "no escalation history");
    assert(await page.locator("table.timeline tbody tr").count() > 0, "no timeline");
  });
  // Printing: Chromium's print-to-PDF on A4 and Letter, and in print media
  // at each paper's printable width (15 mm margins) no table of any report
  // is wider than the page, nor any cell wider than itself (a long
  // exception name in INC-2026-0043's timeline did both before).
  for (const [paper, widthMm] of [["A4", 210], ["Letter", 215.9]]) {
    await check(`post-incident reports print on ${paper} without cut tables`, async () => {
      await open("/compliance/");
      const reports = [...new Set(await page.locator('main a[href$="/report/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href"))))];
      assert(reports.length > 0, "no report link on /compliance/");
      const px = Math.floor(((widthMm - 30) / 25.4) * 96);
      try {
        await page.setViewportSize({ width: px, height: 1000 });
        await page.emulateMedia({ media: "print" });
        const cut = [];
        for (const r of reports) {
          await open(r);
          const wide = await page.evaluate((w) => [...document.querySelectorAll("main table")]
            .flatMap((t) => [t, ...t.querySelectorAll("th, td")])
            .filter((e) => e.getBoundingClientRect().right > w + 1 || e.scrollWidth > e.clientWidth + 1)
            .map((e) => `${e.tagName} ${Math.round(e.getBoundingClientRect().right)} px`), px);
          if (wide.length) cut.push(`${r}: ${wide.slice(0, 3).join(", ")}`);
        }
        assert(cut.length === 0, `wider than ${px} px: ${cut.join("; ")}`);
        await open(reports[0]);
        const pdf = await page.pdf({ format: paper, margin: { top: "15mm", bottom: "15mm", left: "15mm", right: "15mm" } });
        assert(pdf.subarray(0, 5).toString() === "%PDF-", "not a PDF");
        const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
        assert(pages >= 1, "no page in the PDF");
        console.log(`        ${paper}: ${reports.length} reports laid out at ${px} px; ${reports[0]} as PDF: ${pdf.length} bytes, ${pages} page(s)`);
      } finally {
        await page.emulateMedia({ media: "screen" });
        await page.setViewportSize({ width: 1280, height: 800 });
      }
    });
  }
  await check("runbook opens from the runbooks index", async () => {
    assert(found.runbook, "no runbook link on /runbooks/");
    await open("/runbooks/");
    await Promise.all([page.waitForURL((u) => u.href === url(found.runbook)), page.locator("main .runbook-list a").first().click()]);
    assert((await h1()).trim().length > 0, "empty h1");
    assert(await page.locator('nav[aria-label="Breadcrumb"]').isVisible(), "no breadcrumb");
  });

  await check("search: a word on one runbook only finds it; the hit opens", async () => {
    await open("/search/");
    // Read the chunked index through the browser (an idle keep-alive socket
    // left by Node's own fetch was seen to stall the next page's requests).
    const pick = await page.evaluate(async (root) => {
      const get = (p) => fetch(root + p).then((r) => r.json());
      const m = await get("manifest.json");
      const words = [];
      for (let i = 0; i < m.chunks.length; i++) {
        for (const [w, [all]] of Object.entries(await get(`chunk/${i}.json`))) {
          // One document, written as one gap in base 36.
          if (/^[a-z]{7,}$/.test(w) && /^[0-9a-z]+$/.test(all)) words.push([w, parseInt(all, 36)]);
        }
      }
      const frags = {};
      for (const [w, id] of words.sort()) {
        const f = Math.floor(id / m.fragment);
        frags[f] = frags[f] || await get(`fragment/${f}.json`);
        const doc = frags[f][id % m.fragment];
        if (doc[2] === "runbook") return { word: w, url: doc[1] };
      }
      return null;
    }, url("/search/"));
    assert(pick, "no word on a single runbook in the index");
    await page.locator("#q").click();
    await page.keyboard.type(pick.word, { delay: 20 });
    await page.waitForFunction((w) => document.getElementById("search-status").textContent.includes(w), pick.word, { timeout: 10_000 });
    const hrefs = await page.locator("#results li a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    assert(hrefs.length === 1 && hrefs[0] === pick.url, `"${pick.word}" found ${JSON.stringify(hrefs)}, not only ${pick.url}`);
    assert(/1/.test(await page.locator("#search-status").textContent()), "no result count announced");
    const first = page.locator("#results li a").first();
    const href = await first.getAttribute("href");
    await Promise.all([page.waitForURL((u) => u.pathname === new URL(href, base).pathname), first.click()]);
    const text = (await page.locator("main").innerText()).toLowerCase();
    assert(text.includes(pick.word), `"${pick.word}" is not on ${href}`);
    console.log(`        searched "${pick.word}" -> ${href}`);
  });

  await check("dark mode: prefers-color-scheme: dark changes the background", async () => {
    await open("/");
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await bg();
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await bg();
    await page.emulateMedia({ colorScheme: "light" });
    assert(light !== dark, `background stays ${light}`);
    const lum = (c) => { const [r, g, b] = c.match(/\d+/g).map(Number); return (r + g + b) / 3; };
    assert(lum(dark) < 80 && lum(light) > 175, `light ${light}, dark ${dark}`);
    console.log(`        light ${light} -> dark ${dark}`);
  });

  await check("keyboard: Tab reaches an incident day bar; its tooltip shows an incident link", async () => {
    await open("/");
    await page.locator("body").evaluate((b) => b.focus && document.activeElement && document.activeElement.blur());
    let presses = 0;
    let onBar = false;
    while (presses < 400) {
      await page.keyboard.press("Tab");
      presses++;
      onBar = await page.evaluate(() => {
        const a = document.activeElement;
        return !!(a && a.matches("li.bar") && a.querySelector('[role="tooltip"] a[href*="/incidents/"]'));
      });
      if (onBar) break;
    }
    assert(onBar, `no day bar with an incident took focus in ${presses} Tab presses`);
    const tip = page.locator(':focus [role="tooltip"]');
    assert(await tip.isVisible(), "tooltip not visible on focus");
    const link = tip.locator('a[href*="/incidents/"]').first();
    assert(await link.isVisible(), "incident link in the tooltip not visible");
    const tipText = (await tip.innerText()).replace(/\s+/g, " ");
    // The tooltip is on screen, not clipped off the viewport.
    const box = await tip.boundingBox();
    const vp = page.viewportSize();
    assert(box && box.y >= 0 && box.x >= 0 && box.x + box.width <= vp.width, `tooltip off screen: ${JSON.stringify(box)}`);
    // One more Tab goes into the tooltip's link, which stays visible.
    await page.keyboard.press("Tab");
    const inTip = await page.evaluate(() => !!document.activeElement.closest('[role="tooltip"]'));
    assert(inTip, "the next Tab does not reach the tooltip's link");
    assert(await page.locator(":focus").isVisible(), "focused tooltip link is not visible");
    console.log(`        ${presses} Tab presses; tooltip: ${tipText.slice(0, 90)}`);
  });

  await check("phone width (375 px): no page scrolls sideways", async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    const wide = [];
    try {
      for (const p of ["/", "/incidents/", found.incident, found.report, found.runbook, "/compliance/", "/analysis/", found.month, "/search/"].filter(Boolean)) {
        await open(p);
        const w = await page.evaluate(() => document.documentElement.scrollWidth);
        if (w > 376) wide.push(`${p}: ${w} px`);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    assert(wide.length === 0, `wider than the screen: ${wide.join(", ")}`);
  });

  await check("day tooltips stay on screen (375 px and 1280 px wide)", async () => {
    const off = [];
    let seen = 0;
    try {
      for (const width of [375, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        await open("/");
        const bars = page.locator('li.bar[tabindex="0"]');
        const n = await bars.count();
        for (let i = 0; i < n; i++) {
          await bars.nth(i).focus();
          const box = await bars.nth(i).locator('[role="tooltip"]').boundingBox();
          seen++;
          if (!box || box.x < 0 || box.x + box.width > width) off.push(`${width} px, bar ${i}: ${box ? `${Math.round(box.x)}..${Math.round(box.x + box.width)}` : "hidden"}`);
        }
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    assert(seen > 0, "no focusable day bar");
    assert(off.length === 0, `tooltips off screen: ${off.join("; ")}`);
  });

  // ------------------------------------------------------------------ axe
  console.log("\n== axe-core (" + AXE_TAGS.join(", ") + ")");
  // [page type, path, what to do before the run (states only scripts or focus show)]
  const focusIncidentBar = async () => {
    const bar = page.locator('li.bar:has([role="tooltip"] a[href*="/incidents/"])').first();
    await bar.focus();
    assert(await bar.locator('[role="tooltip"]').isVisible(), "tooltip not shown on focus");
  };
  const typeSearch = async () => {
    await page.locator("#q").fill("incident");
    await page.locator("#results li").first().waitFor({ state: "visible" });
  };
  const axeTargets = [
    ["status", "/"],
    ["status, day tooltip open", "/", focusIncidentBar],
    ["incidents history", "/incidents/"],
    ["incident", found.incident],
    ["report", found.report],
    ["maintenance", found.maintenance],
    ["service", found.service],
    ["runbooks index", "/runbooks/"],
    ["runbook", found.runbook],
    ["compliance", "/compliance/"],
    ["analysis", "/analysis/"],
    ["analysis month", found.month],
    ["search", "/search/"],
    ["search, results shown", "/search/", typeSearch],
    ["404", "/no-such-page-e2e/"],
  ];
  let axeRuns = 0;
  for (const [kind, p, prepare] of axeTargets) {
    for (const scheme of ["light", "dark"]) {
      await check(`axe ${kind} (${scheme})${p ? " " + p : ""}`, async () => {
        assert(p, `no ${kind} page found`);
        await page.emulateMedia({ colorScheme: scheme });
        const r = await open(p);
        assert(r.status() === (kind === "404" ? 404 : 200), `HTTP ${r.status()}`);
        if (prepare) await prepare();
        await page.addScriptTag({ path: AXE_JS });
        const res = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }), AXE_TAGS);
        axeRuns++;
        const v = res.violations;
        if (v.length) {
          throw new Error(v.map((x) => `${x.id} (${x.impact}): ${x.help} — ${x.nodes.length} node(s): ` +
            x.nodes.slice(0, 3).map((n) => `${n.target.join(" ")} [${(n.failureSummary || "").replace(/\s+/g, " ").slice(0, 160)}]`).join("; ")).join("\n"));
        }
      });
    }
  }
  await page.emulateMedia({ colorScheme: "light" });

  // ------------------------------------------------------- live reload
  console.log("\n== live reload and error overlay");
  const runbookPath = found.runbook && new URL(found.runbook, base).pathname.replace(new URL(base).pathname, "/");
  const mdFile = runbookPath && path.join(siteDir, "content", runbookPath.replace(/^\/runbooks\//, "").replace(/\/$/, "") + ".md");
  await check("editing a runbook on disk reloads the open page within 5 s", async () => {
    assert(mdFile && fs.existsSync(mdFile), `runbook source not found: ${mdFile}`);
    await open(found.runbook);
    await page.evaluate(() => { window.__e2eSamePage = true; });
    const marker = `e2e-marker-${process.pid}-${Date.now()}`;
    await sleep(300); // let the event stream connect (the generation makes it race-free anyway)
    const t = Date.now();
    fs.appendFileSync(mdFile, `\n\nLive reload ${marker}.\n`);
    await until(() => page.evaluate((m) => document.body.innerText.includes(m), marker), 5000, "marker on the page");
    const reloaded = await page.evaluate(() => window.__e2eSamePage === undefined);
    assert(reloaded, "the page changed without reloading?");
    console.log(`        shown after ${Date.now() - t} ms`);
  }, 15_000);

  const incDir = path.join(siteDir, "incidents");
  const records = fs.readdirSync(incDir, { recursive: true }).filter((f) => f.endsWith(".yaml")).sort();
  const victim = records[0] && path.join(incDir, records[0]);
  const rel = victim && path.relative(siteDir, victim).split(path.sep).join("/");
  const good = victim && fs.readFileSync(victim, "utf8");
  try {
    await check("a broken incident record shows the overlay, naming the file", async () => {
      assert(victim, "no incident record to break");
      await open(found.runbook);
      const t = Date.now();
      fs.writeFileSync(victim, "id: [broken\n");
      const overlay = page.locator("#sitrep-overlay");
      await until(() => overlay.isVisible(), 10_000, "overlay on the open page");
      const text = await overlay.innerText();
      assert(text.includes(rel), `overlay does not name ${rel}: ${text.slice(0, 300)}`);
      console.log(`        overlay after ${Date.now() - t} ms: ${text.replace(/\s+/g, " ").slice(0, 120)}`);
    }, 20_000);
  } finally {
    if (victim) fs.writeFileSync(victim, good);
  }
  await check("fixing the record removes the overlay", async () => {
    const t = Date.now();
    await until(async () => (await page.locator("#sitrep-overlay").count()) === 0 && (await page.locator("h1").count()) === 1, 10_000, "overlay gone");
    console.log(`        gone after ${Date.now() - t} ms`);
  }, 20_000);

  // ---------------------------------------------------- whole-run checks
  console.log("\n== whole run");
  await check("no JavaScript errors on any page", async () => {
    assert(jsErrors.length === 0, jsErrors.join("\n"));
  });
  await check("no failed sub-requests (styles, scripts, index)", async () => {
    assert(badRequests.length === 0, badRequests.join("\n"));
  });

  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  return axeRuns;
}

main()
  .then((axeRuns) => finish(axeRuns))
  .catch((e) => {
    checks.push({ name: "browser session", ok: false, error: String(e && e.stack || e) });
    console.log(`  FAIL  browser session: ${e && e.stack || e}`);
    finish(0);
  });

function finish(axeRuns) {
  const passed = checks.filter((c) => c.ok).length;
  const failed = checks.length - passed;
  fs.writeFileSync(resultsFile, JSON.stringify({ passed, failed, axeRuns, checks }, null, 2));
  process.exit(failed ? 1 : 0);
}
