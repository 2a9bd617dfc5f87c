// The checks' harness shared by generated.cjs and french.cjs: every check
// bounded, recorded and never aborting the run; axe-core on a page; the
// results file run-browser.sh reads.
"use strict";
const fs = require("node:fs");

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const AXE_JS = require.resolve("axe-core/axe.min.js");
const checks = [];
let axeRuns = 0;

function assert(cond, what) { if (!cond) throw new Error(what); }

async function check(name, fn) {
  const t0 = Date.now();
  let timer;
  try {
    await Promise.race([fn(), new Promise((_, rej) => { timer = setTimeout(() => rej(new Error("timed out after 45 s")), 45_000); })]);
    checks.push({ name, ok: true, ms: Date.now() - t0 });
    console.log(`  ok    ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    const msg = String((e && e.message) || e).split("\n").slice(0, 20).join("\n      ");
    checks.push({ name, ok: false, error: msg });
    console.log(`  FAIL  ${name}\n      ${msg}`);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs axe-core (WCAG 2.0/2.1 A and AA) on the page; fails on any violation. */
async function axe(page, what) {
  await page.addScriptTag({ path: AXE_JS });
  const res = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }), AXE_TAGS);
  axeRuns++;
  assert(res.violations.length === 0, `${what}: ` + res.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`).join("; "));
}

/** Runs main, then writes { passed, failed, axeRuns, checks } and exits. */
function run(main, resultsFile) {
  main()
    .catch((e) => checks.push({ name: "browser session", ok: false, error: String(e && e.stack || e) }))
    .finally(() => {
      const passed = checks.filter((c) => c.ok).length;
      const failed = checks.length - passed;
      fs.writeFileSync(resultsFile, JSON.stringify({ passed, failed, axeRuns, checks }, null, 2));
      process.exit(failed ? 1 : 0);
    });
}

module.exports = { assert, check, axe, run };
