// Reads a running `sitrep serve` with the `statuspage.io` client library,
// exactly as an existing Statuspage integration would, and checks what it
// gets. Usage: node check.cjs http://127.0.0.1:PORT
"use strict";
const assert = require("node:assert/strict");
const { Statuspage } = require("statuspage.io");

const base = process.argv[2];
const sp = new Statuspage("sitrepcheck");
sp.setApiUrl(base);

const COMPONENT = ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"];
const INCIDENT = ["investigating", "identified", "monitoring", "resolved", "postmortem"];
const MAINTENANCE = ["scheduled", "in_progress", "verifying", "completed"];
let checks = 0;
function ok(cond, what) { assert.ok(cond, what); checks++; }

function page(p) {
  ok(typeof p.id === "string" && p.id.length === 12, "page.id");
  for (const k of ["name", "url", "time_zone", "updated_at"]) ok(typeof p[k] === "string", "page." + k);
}

function incident(i, statuses) {
  for (const k of ["id", "name", "created_at", "updated_at", "shortlink", "page_id"]) ok(typeof i[k] === "string", "incident." + k);
  ok(statuses.includes(i.status), "incident.status " + i.status);
  ok(["none", "minor", "major", "critical", "maintenance"].includes(i.impact), "impact");
  ok(Array.isArray(i.incident_updates), "incident_updates");
  for (const u of i.incident_updates) {
    for (const k of ["id", "body", "created_at", "display_at", "updated_at", "status"]) ok(typeof u[k] === "string", "update." + k);
    ok(u.incident_id === i.id, "update.incident_id");
  }
}

(async () => {
  const summary = await sp.api.getSummary();
  page(summary.page);
  ok(summary.status.indicator === "minor", "summary indicator (a component in partial outage)");
  ok(summary.components.every((c) => COMPONENT.includes(c.status)), "component statuses");
  const group = summary.components.find((c) => c.group);
  ok(group && Array.isArray(group.components) && group.components.length === 2, "group lists its children");
  ok(summary.incidents.length === 1 && summary.incidents[0].name === "API errors", "unresolved incidents in summary");
  summary.incidents.forEach((i) => incident(i, INCIDENT));
  ok(summary.scheduled_maintenances.length === 2, "upcoming and in-progress maintenance in summary");

  const status = await sp.api.getStatus();
  page(status.page);
  ok(typeof status.status.description === "string", "status.description");

  const comps = await sp.api.getComponents();
  ok(comps.components.length === 4, "3 components + 1 group");
  for (const c of comps.components) {
    ok(typeof c.position === "number" && typeof c.showcase === "boolean" && typeof c.only_show_if_degraded === "boolean", "component fields");
  }

  const all = await sp.api.incidents.getAll();
  ok(all.incidents.length === 2, "all incidents");
  all.incidents.forEach((i) => incident(i, INCIDENT));
  const unresolved = await sp.api.incidents.getUnresolved();
  ok(unresolved.incidents.length === 1, "unresolved");

  const mnt = await sp.api.scheduledMaintenances.getAll();
  mnt.scheduled_maintenances.forEach((m) => {
    incident(m, MAINTENANCE);
    ok(typeof m.scheduled_for === "string" && typeof m.scheduled_until === "string", "scheduled window");
  });
  const upcoming = await sp.api.scheduledMaintenances.getUpcoming();
  ok(upcoming.scheduled_maintenances.length === 1 && upcoming.scheduled_maintenances[0].status === "scheduled", "upcoming");
  // statuspage.io 3.3.8's getActive() asks for upcoming.json (a bug of the
  // client), so read active.json through the same client's HTTP instance.
  const { data: active } = await sp.apiClient.get("/api/v2/scheduled-maintenances/active.json");
  page(active.page);
  ok(active.scheduled_maintenances.length === 1 && active.scheduled_maintenances[0].status === "in_progress", "active");
  console.log(`statuspage.io client: ${checks} checks passed`);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
