//! What `sitrep build` writes, checked from the outside: the public view
//! leaks nothing internal, record text is escaped everywhere, feeds and the
//! calendar parse with real parsers, the API has the Statuspage v2 shapes,
//! and snapshots of every page type of the example site.

mod common;
use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const NOW: &str = "2026-11-23T12:00:00Z";

fn build(root: &Path, extra: &[&str]) -> PathBuf {
    build_at(root, NOW, extra)
}

fn files(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (
                rel,
                String::from_utf8_lossy(&fs::read(e.path()).unwrap()).into_owned(),
            )
        })
        .collect()
}

/// A site whose every internal field says CANARY.
fn canary_site() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(r, "sitrep.yaml", "title: Public Co\ntimezone: UTC\nrepository_url: https://git.example.com/CANARY-repo\nservices:\n  - { id: web, name: Web shop, group: Shop, owner: CANARY-service-owner, description: The shop }\nrecipients:\n  service-owner: CANARY-recipient\n  om-team: Ops\n  rd-leader: R&D\n  customers: Customers\n  leadership: Leaders\npolicy:\n  levels:\n    3: { name: CANARY-level-name }\n");
    write(r, "content/ops/secret.md", "---\ntitle: CANARY-runbook-title\ndescription: CANARY-runbook-description\nowner: CANARY-runbook-owner\nlast_reviewed: 2026-11-01\nservices: [web]\ntags: [CANARY-tag]\n---\n## CANARY-heading\nCANARY-runbook-body\n");
    write(
        r,
        "content/ops/_index.md",
        "---\ntitle: CANARY-section\n---\nCANARY-section-intro\n",
    );
    // A file copied beside the runbooks: internal like them.
    write(r, "content/ops/CANARY-diagram.txt", "CANARY-asset\n");
    write(
        r,
        "incidents/public.yaml",
        "id: INC-1\ntitle: Shop is slow\nseverity: 3\nimpact: degraded_performance\nservices: [web]\nrunbook: ops/secret\nroles:\n  incident_manager: CANARY-manager\n  tech_lead: CANARY-lead\n  service_owner: CANARY-owner\n  communications: CANARY-comms\nreported_at: 2026-11-20 09:00\nresponded_at: 2026-11-20 09:10\nrecovered_at: 2026-11-20 10:00\nresolved_at: 2026-11-20 11:00\nclosed_at: 2026-11-20 12:00\nescalations:\n  - at: 09:05\n    from: 3\n    to: 3\n    reason: CANARY-escalation\nnotifications:\n  - at: 09:20\n    kind: other\n    channels: [email]\n    to: [CANARY-notice-to]\n    cc: [CANARY-notice-cc]\n    summary: CANARY-notice-summary\ntimeline:\n  - at: 09:30\n    by: CANARY-timeline-by\n    text: CANARY-timeline-text\nupdates:\n  - at: 09:15\n    status: investigating\n    text: The shop is slow; we are on it.\nlinks:\n  - { title: CANARY-link-title, url: \"https://tickets.example.com/CANARY-link\" }\nreport:\n  conditions: CANARY-conditions\n  actions: CANARY-actions\n  needs: CANARY-needs\n  root_cause: CANARY-root-cause\n  completed_at: 2026-11-20 11:30\n  follow_ups:\n    - { title: CANARY-follow-up, owner: CANARY-fu-owner, due: 2026-12-01, done: false, link: \"https://x.example/CANARY-fu\" }\nwaivers:\n  - rule: response-target\n    reason: CANARY-waiver\n",
    );
    write(r, "incidents/private.yaml", "id: INC-CANARY-PRIVATE\ntitle: CANARY-private-title\nseverity: 3\npublic: false\nservices: [web]\nimpact: major_outage\nreported_at: 2026-11-21 09:00\nresponded_at: 2026-11-21 09:10\nrecovered_at: 2026-11-21 10:00\nclosed_at: 2026-11-21 12:00\nupdates:\n  - at: 09:15\n    status: investigating\n    text: CANARY-private-update\n");
    write(r, "incidents/private-mnt.yaml", "kind: maintenance\nid: MNT-CANARY\ntitle: CANARY-private-maintenance\npublic: false\nservices: [web]\nscheduled_start: 2026-12-01 10:00\nscheduled_end: 2026-12-01 11:00\n");
    // A larger site: 300 more records, every internal field a canary,
    // every third one private, children and runbook links throughout.
    for i in 0..300 {
        let day = 1 + i % 28;
        let public = if i % 3 == 0 { "false" } else { "true" };
        let title = if i % 3 == 0 {
            format!("CANARY-private-{i}")
        } else {
            format!("Public incident {i}")
        };
        write(r, &format!("incidents/gen/{i:03}.yaml"), &format!(
            "id: GEN-{i:03}\ntitle: {title}\nseverity: 3\npublic: {public}\nparent: INC-1\nrunbook: ops/secret\nservices: [web]\nroles: {{ incident_manager: CANARY-m{i} }}\nreported_at: 2026-10-{day:02} 09:00\nresponded_at: 2026-10-{day:02} 09:10\nrecovered_at: 2026-10-{day:02} 10:00\nclosed_at: 2026-10-{day:02} 12:00\ntimeline:\n  - {{ at: \"09:20\", by: CANARY-by{i}, text: CANARY-text{i} }}\nnotifications:\n  - {{ at: \"09:30\", kind: other, channels: [email], to: [CANARY-to{i}], summary: CANARY-sum{i} }}\nupdates:\n  - {{ at: \"09:15\", status: investigating, text: Looking at it {i}. }}\nreport: {{ conditions: CANARY-c{i}, actions: CANARY-a{i}, needs: CANARY-n{i} }}\n"
        ));
    }
    d
}

#[test]
fn the_public_view_carries_nothing_internal() {
    let site = canary_site();
    let out = build(site.path(), &["--public"]);
    let all = files(&out);
    assert!(all.len() > 10);
    for (path, text) in &all {
        assert!(
            !text.contains("CANARY"),
            "{path} leaks: {}",
            text.lines().find(|l| l.contains("CANARY")).unwrap_or("")
        );
    }
    // The search index holds words lower-cased: no canary in any case, and
    // the public update's words are there.
    let index: Vec<(&String, &String)> = all
        .iter()
        .filter(|(p, _)| p.starts_with("search/"))
        .collect();
    assert!(index.len() > 3, "the public view has its search");
    for (path, text) in &index {
        assert!(!text.to_lowercase().contains("canary"), "{path} leaks");
    }
    assert!(index
        .iter()
        .any(|(p, t)| p.starts_with("search/chunk/") && t.contains("\"slow\"")));
    // What is public is there.
    assert!(all["index.html"].contains("Web shop"));
    assert!(all["incidents/INC-1/index.html"].contains("we are on it"));
    assert!(all["feed.atom"].contains("Shop is slow"));
    // The private major outage does not colour the public status.
    let status: Value = serde_json::from_str(&all["api/v2/status.json"]).unwrap();
    assert_eq!(status["status"]["indicator"], "none");
    for internal in [
        "runbooks/index.html",
        "compliance/index.html",
        "analysis/index.html",
        "incidents/INC-1/report/index.html",
    ] {
        assert!(!all.contains_key(internal), "{internal} is internal");
    }
    assert!(
        !all.keys().any(|p| p.starts_with("analysis/")),
        "a month's analysis is internal"
    );
    assert!(!all["index.html"].contains("/analysis/"), "nav links to it");
}

#[test]
fn the_internal_view_shows_it_all() {
    let site = canary_site();
    let all = files(&build(site.path(), &[]));
    let report = &all["incidents/INC-1/report/index.html"];
    for c in [
        "CANARY-conditions",
        "CANARY-needs",
        "CANARY-follow-up",
        "CANARY-waiver",
    ] {
        assert!(report.contains(c), "{c}");
    }
    assert!(all["incidents/INC-1/index.html"].contains("CANARY-timeline-text"));
    assert!(all.contains_key("incidents/INC-CANARY-PRIVATE/index.html"));
    // Feeds and the API are public in every view.
    for f in [
        "feed.atom",
        "feed.rss",
        "maintenance.ics",
        "api/v2/summary.json",
        "api/v2/incidents.json",
    ] {
        assert!(!all[f].contains("CANARY"), "{f}");
    }
}

const XSS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "[click](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "</title><script>alert(1)</script>",
    "'; alert(1); //",
    "]]><!--",
    "{{ site.title }}{% raw %}",
];

#[test]
fn record_text_is_escaped_everywhere() {
    for payload in XSS {
        let q = serde_json::to_string(payload).unwrap();
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        write(r, "sitrep.yaml", &format!("title: {q}\ntimezone: UTC\nrepository_url: \"javascript:alert(1)\"\nservices:\n  - {{ id: web, name: {q}, group: {q}, description: {q} }}\n"));
        write(r, "content/a.md", &format!("---\ntitle: {q}\ndescription: {q}\nowner: {q}\nlast_reviewed: 2026-11-01\n---\n## {payload}\n{payload}\n\n[x](javascript:alert(1))\n"));
        write(
            r,
            "incidents/i.yaml",
            &format!("id: INC-1\ntitle: {q}\nseverity: 3\nservices: [web]\nroles: {{ incident_manager: {q} }}\nreported_at: 2026-11-20 09:00\nresponded_at: 2026-11-20 09:10\nrecovered_at: 2026-11-20 10:00\nclosed_at: 2026-11-20 12:00\ntimeline:\n  - {{ at: \"09:30\", by: {q}, text: {q} }}\nupdates:\n  - {{ at: \"09:15\", status: investigating, text: {q} }}\nlinks:\n  - {{ title: {q}, url: \"javascript:alert(1)\" }}\nreport:\n  conditions: {q}\n  actions: {q}\n  needs: {q}\n  follow_ups:\n    - {{ title: {q}, owner: {q}, due: 2026-12-01, link: \"javascript:alert(1)\" }}\n"),
        );
        write(r, "incidents/m.yaml", &format!("kind: maintenance\nid: MNT-1\ntitle: {q}\nservices: [web]\nscheduled_start: 2026-11-01 10:00\nscheduled_end: 2026-11-01 11:00\nupdates:\n  - {{ at: \"10:00\", status: in_progress, text: {q} }}\n"));
        for view in [&[][..], &["--public"][..]] {
            let out = build(r, view);
            for (path, text) in files(&out) {
                let lower = text.to_lowercase();
                if path.ends_with(".json") {
                    assert!(!text.contains('<'), "{payload}: {path}");
                    serde_json::from_str::<Value>(&text)
                        .unwrap_or_else(|e| panic!("{payload}: {path}: {e}"));
                } else if path.ends_with(".html") {
                    // Text may say anything once escaped; markup may not:
                    // no tag of the output carries a handler or a script URL.
                    for tag in tags(&lower) {
                        // The analysis' charts are the only SVG sitrep writes.
                        let chart = tag.starts_with("<svg class=\"chart\" viewbox=\"0 0 640 250\" role=\"img\" aria-labelledby=\"chart-");
                        assert!(
                            (chart || !tag.starts_with("<svg")) && !tag.starts_with("<iframe"),
                            "{payload}: {path}: {tag}"
                        );
                        for (name, value) in attributes(tag) {
                            assert!(!name.starts_with("on"), "{payload}: {path}: {tag}");
                            assert!(
                                !value.trim_start().starts_with("javascript:"),
                                "{payload}: {path}: {tag}"
                            );
                        }
                        if tag.starts_with("<script") {
                            assert!(
                                tag.contains(" src=\"/static/")
                                    || tag.contains(" src=\"/__sitrep/"),
                                "{payload}: {path}: {tag}"
                            );
                        }
                    }
                } else if path.ends_with(".atom") || path.ends_with(".rss") {
                    feed_rs::parser::parse(text.as_bytes())
                        .unwrap_or_else(|e| panic!("{payload}: {path}: {e}"));
                    assert!(!lower.contains("<script"), "{payload}: {path}");
                }
            }
        }
    }
}

/// A site with an open incident, finished and upcoming maintenance.
fn live_site() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(r, "sitrep.yaml", "title: Live Co\nbase_url: https://status.example.com/\ntimezone: Europe/Paris\nservices:\n  - { id: web, name: Web, group: Shop }\n  - { id: api, name: API, group: Shop }\n  - { id: mail, name: Mail }\n");
    write(r, "incidents/open.yaml", "id: INC-7\ntitle: API errors\nseverity: 3\nimpact: partial_outage\nservices: [api, { id: web, impact: degraded_performance }]\nreported_at: 2026-11-23 12:30\nresponded_at: 2026-11-23 12:40\nupdates:\n  - at: 12:35\n    status: investigating\n    text: Errors on the API.\n  - at: 12:50\n    status: identified\n    text: A bad deploy.\n");
    write(r, "incidents/old.yaml", "id: INC-6\ntitle: Mail slow\nseverity: 3\nimpact: degraded_performance\nservices: [mail]\nreported_at: 2026-11-01 12:30\nresponded_at: 2026-11-01 12:40\nrecovered_at: 2026-11-01 14:00\nclosed_at: 2026-11-02 10:00\nupdates:\n  - at: 12:35\n    status: investigating\n    text: Mail is slow.\n  - at: 14:00\n    status: resolved\n    text: Fixed.\n");
    write(r, "incidents/mnt-past.yaml", "kind: maintenance\nid: MNT-1\ntitle: Database upgrade\nservices: [api]\nscheduled_start: 2026-11-10 22:00\nscheduled_end: 2026-11-10 23:00\n");
    write(r, "incidents/mnt-next.yaml", "kind: maintenance\nid: MNT-2\ntitle: Mail relay swap\nservices: [mail]\nscheduled_start: 2026-12-02 22:00\nscheduled_end: 2026-12-02 23:30\nupdates:\n  - at: 2026-11-20 09:00\n    status: scheduled\n    text: We will swap the mail relay.\n");
    d
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

fn is_str_or_null(v: &Value) -> bool {
    v.is_string() || v.is_null()
}

/// The field names, types and enums of the Statuspage v2 public API (as in
/// the `statuspage.io` client's interfaces, and Statuspage's docs).
fn check_page(v: &Value) {
    assert_eq!(
        keys(&v["page"]),
        ["id", "name", "time_zone", "updated_at", "url"]
    );
    assert!(v["page"]["id"].as_str().unwrap().len() == 12);
}

fn check_component(c: &Value) {
    for k in [
        "id",
        "name",
        "status",
        "created_at",
        "updated_at",
        "page_id",
    ] {
        assert!(c[k].is_string(), "{k}: {c}");
    }
    assert!([
        "operational",
        "degraded_performance",
        "partial_outage",
        "major_outage",
        "under_maintenance"
    ]
    .contains(&c["status"].as_str().unwrap()));
    assert!(c["position"].is_u64());
    for k in ["group", "showcase", "only_show_if_degraded"] {
        assert!(c[k].is_boolean(), "{k}");
    }
    for k in ["description", "group_id", "start_date"] {
        assert!(is_str_or_null(&c[k]), "{k}");
    }
    if c["group"] == true {
        assert!(c["components"]
            .as_array()
            .unwrap()
            .iter()
            .all(Value::is_string));
    }
}

fn check_incident(i: &Value, statuses: &[&str]) {
    for k in [
        "id",
        "name",
        "status",
        "created_at",
        "updated_at",
        "impact",
        "shortlink",
        "page_id",
    ] {
        assert!(i[k].is_string(), "{k}: {i}");
    }
    assert!(statuses.contains(&i["status"].as_str().unwrap()), "{i}");
    assert!(["none", "minor", "major", "critical", "maintenance"]
        .contains(&i["impact"].as_str().unwrap()));
    for k in ["monitoring_at", "resolved_at", "started_at"] {
        assert!(is_str_or_null(&i[k]), "{k}");
    }
    for u in i["incident_updates"].as_array().unwrap() {
        for k in [
            "id",
            "status",
            "body",
            "incident_id",
            "created_at",
            "updated_at",
            "display_at",
        ] {
            assert!(u[k].is_string(), "{k}: {u}");
        }
        assert_eq!(u["incident_id"], i["id"]);
    }
    for c in i["components"].as_array().unwrap() {
        check_component(c);
    }
}

const INCIDENT_STATUSES: &[&str] = &[
    "investigating",
    "identified",
    "monitoring",
    "resolved",
    "postmortem",
];
const MAINTENANCE_STATUSES: &[&str] = &["scheduled", "in_progress", "verifying", "completed"];

#[test]
fn api_has_the_statuspage_v2_shapes() {
    let site = live_site();
    let all = files(&build(site.path(), &[]));
    let j = |f: &str| -> Value { serde_json::from_str(&all[&format!("api/v2/{f}")]).unwrap() };
    for f in [
        "summary.json",
        "status.json",
        "components.json",
        "incidents.json",
        "incidents/unresolved.json",
        "scheduled-maintenances.json",
        "scheduled-maintenances/upcoming.json",
        "scheduled-maintenances/active.json",
    ] {
        check_page(&j(f));
    }
    let summary = j("summary.json");
    assert_eq!(
        keys(&summary),
        [
            "components",
            "incidents",
            "page",
            "scheduled_maintenances",
            "status"
        ]
    );
    // Statuspage blends the components (one in partial outage, one
    // degraded): `minor`, whatever the incident's impact.
    assert_eq!(summary["status"]["indicator"], "minor");
    assert_eq!(summary["status"]["description"], "Minor Service Outage");
    let comps = summary["components"].as_array().unwrap();
    comps.iter().for_each(check_component);
    let group = comps.iter().find(|c| c["name"] == "Shop").unwrap();
    assert_eq!(group["group"], true);
    let web = comps.iter().find(|c| c["name"] == "Web").unwrap();
    assert_eq!(web["status"], "degraded_performance");
    assert_eq!(web["group_id"], group["id"]);
    assert!(group["components"].as_array().unwrap().contains(&web["id"]));
    // Only unresolved incidents and upcoming or running maintenance.
    let inc = summary["incidents"].as_array().unwrap();
    assert_eq!(inc.len(), 1);
    check_incident(&inc[0], INCIDENT_STATUSES);
    assert_eq!(inc[0]["name"], "API errors");
    // Derived from the latest public update (FORMATS.md v2), not "investigating".
    assert_eq!(inc[0]["status"], "identified");
    assert_eq!(inc[0]["impact"], "major");
    assert_eq!(
        inc[0]["incident_updates"][0]["body"], "A bad deploy.",
        "newest update first"
    );
    assert_eq!(
        inc[0]["shortlink"],
        "https://status.example.com/incidents/INC-7/"
    );
    // Components change on the first update and on the resolving one;
    // updates that changed nothing say `null`, as Statuspage's do.
    let ups = inc[0]["incident_updates"].as_array().unwrap();
    assert_eq!(ups[0]["affected_components"], Value::Null);
    let first: Vec<(&str, &str, &str)> = ups[1]["affected_components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap(),
                c["old_status"].as_str().unwrap(),
                c["new_status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        first,
        [
            ("API", "operational", "partial_outage"),
            ("Web", "operational", "degraded_performance")
        ]
    );
    let mail = &j("incidents.json")["incidents"][1]["incident_updates"];
    assert_eq!(
        mail[0]["affected_components"][0]["old_status"],
        "degraded_performance"
    );
    assert_eq!(
        mail[0]["affected_components"][0]["new_status"],
        "operational"
    );
    // Components' dates come from the records, not from the build.
    let mail_c = comps.iter().find(|c| c["name"] == "Mail").unwrap();
    assert_eq!(mail_c["created_at"], "2026-11-01T11:30:00.000Z");
    assert_eq!(mail_c["start_date"], "2026-11-01");
    let mnt = summary["scheduled_maintenances"].as_array().unwrap();
    assert_eq!(mnt.len(), 1);
    assert_eq!(mnt[0]["name"], "Mail relay swap");
    for m in j("scheduled-maintenances.json")["scheduled_maintenances"]
        .as_array()
        .unwrap()
    {
        check_incident(m, MAINTENANCE_STATUSES);
        assert!(m["scheduled_for"].is_string() && m["scheduled_until"].is_string());
    }
    assert_eq!(
        j("scheduled-maintenances/upcoming.json")["scheduled_maintenances"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        j("scheduled-maintenances/active.json")["scheduled_maintenances"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let all_inc = j("incidents.json");
    assert_eq!(all_inc["incidents"].as_array().unwrap().len(), 2);
    for i in all_inc["incidents"].as_array().unwrap() {
        check_incident(i, INCIDENT_STATUSES);
    }
    assert_eq!(
        j("incidents/unresolved.json")["incidents"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Ids are stable across builds.
    let again = files(&build(site.path(), &[]));
    assert_eq!(all["api/v2/incidents.json"], again["api/v2/incidents.json"]);
}

#[test]
fn feeds_keep_the_newest_feed_limit_entries() {
    let site = live_site();
    let cfg = site.path().join("sitrep.yaml");
    let text = std::fs::read_to_string(&cfg).unwrap();
    std::fs::write(&cfg, format!("{text}feed_limit: 2\n")).unwrap();
    let all = files(&build(site.path(), &[]));
    for feed in ["feed.atom", "feed.rss"] {
        let f = feed_rs::parser::parse(all[feed].as_bytes()).unwrap();
        let titles: Vec<_> = f
            .entries
            .iter()
            .map(|e| e.title.as_ref().unwrap().content.clone())
            .collect();
        assert_eq!(titles, ["Mail relay swap", "API errors"], "{feed}");
    }
    // The calendar and the history keep everything.
    assert!(all["maintenance.ics"].contains("Database upgrade"));
    std::fs::write(&cfg, format!("{text}feed_limit: -3\n")).unwrap();
    sitrep()
        .arg("--root")
        .arg(site.path())
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicates::str::contains("feed_limit"));
}

/// A day's bar names ten incidents and counts the rest: records left open
/// for months would otherwise be listed in every day of every bar.
#[test]
fn a_day_bar_names_ten_incidents_and_counts_the_rest() {
    let site = live_site();
    for i in 0..12 {
        write(
            site.path(),
            &format!("incidents/mail-{i:02}.yaml"),
            &format!("id: MAIL-{i:02}\ntitle: Mail bounce {i:02}\nseverity: 3\nimpact: degraded_performance\nservices: [mail]\nreported_at: 2026-11-20 08:00\nresponded_at: 2026-11-20 08:10\nrecovered_at: 2026-11-20 09:00\nclosed_at: 2026-11-20 10:00\n"),
        );
    }
    let all = files(&build(site.path(), &[]));
    let status = &all["index.html"];
    let named = (0..12)
        .filter(|i| status.contains(&format!(">MAIL-{i:02}</a> Mail bounce")))
        .count();
    assert_eq!(named, 10, "{status}");
    assert!(status.contains("<br>and 2 more</span>"), "{status}");
    // Every one of them keeps its own page.
    assert!(all.contains_key("incidents/MAIL-11/index.html"));
}

#[test]
fn feeds_and_calendar_parse() {
    let site = live_site();
    let all = files(&build(site.path(), &[]));
    let atom = feed_rs::parser::parse(all["feed.atom"].as_bytes()).unwrap();
    assert_eq!(atom.entries.len(), 4);
    assert_eq!(
        atom.entries[0].title.as_ref().unwrap().content,
        "Mail relay swap",
        "newest first"
    );
    let ids: std::collections::HashSet<_> = atom.entries.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids.len(), 4);
    assert!(atom.entries.iter().all(|e| e
        .links
        .first()
        .is_some_and(|l| l.href.starts_with("https://status.example.com/"))));
    let rss = feed_rs::parser::parse(all["feed.rss"].as_bytes()).unwrap();
    assert_eq!(rss.entries.len(), 4);
    let web = feed_rs::parser::parse(all["services/web/feed.atom"].as_bytes()).unwrap();
    assert_eq!(web.entries.len(), 1);
    let mail = feed_rs::parser::parse(all["services/mail/feed.atom"].as_bytes()).unwrap();
    assert_eq!(mail.entries.len(), 2);
    assert!(all["maintenance.ics"].contains("\r\n"));
    let cal = ical::IcalParser::new(all["maintenance.ics"].as_bytes())
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(cal.events.len(), 2);
    let uids: Vec<String> = cal
        .events
        .iter()
        .map(|e| {
            e.properties
                .iter()
                .find(|p| p.name == "UID")
                .unwrap()
                .value
                .clone()
                .unwrap()
        })
        .collect();
    assert_ne!(uids[0], uids[1]);
    let again = files(&build(site.path(), &[]));
    assert_eq!(all["maintenance.ics"], again["maintenance.ics"]);
    assert!(all["badge.svg"].contains("<title>Live Co: partial outage</title>"));
    assert!(all["services/mail/badge.svg"].contains("operational"));
}

#[test]
fn history_is_paginated_and_links_resolve() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(
        r,
        "sitrep.yaml",
        "title: Many\ntimezone: UTC\nservices:\n  - { id: web, name: Web }\n",
    );
    for i in 0..120 {
        write(r, &format!("incidents/i{i:03}.yaml"), &format!("id: INC-{i:03}\ntitle: Incident {i}\nseverity: 3\nservices: [web]\nreported_at: 2026-0{}-1{} 09:00\nresponded_at: 2026-0{}-1{} 09:10\nrecovered_at: 2026-0{}-1{} 10:00\nclosed_at: 2026-0{}-1{} 12:00\n", 1 + i % 9, i % 10, 1 + i % 9, i % 10, 1 + i % 9, i % 10, 1 + i % 9, i % 10));
    }
    let all = files(&build(r, &[]));
    assert!(all.contains_key("incidents/page/2/index.html"));
    assert!(all.contains_key("incidents/page/3/index.html"));
    assert!(!all.contains_key("incidents/page/4/index.html"));
    assert!(all["incidents/index.html"].contains("href=\"/incidents/page/2/\""));
    // Every internal link and fragment resolves.
    for (path, text) in &all {
        if !path.ends_with(".html") {
            continue;
        }
        for part in text.split("href=\"").skip(1) {
            let href = part.split('"').next().unwrap();
            if href.starts_with("http") || href.starts_with("mailto:") || href == "#" {
                continue;
            }
            let (p, frag) = href.split_once('#').unwrap_or((href, ""));
            let target = if p.is_empty() {
                path.clone()
            } else {
                let p = p.trim_start_matches('/');
                if p.is_empty() || p.ends_with('/') {
                    format!("{p}index.html")
                } else {
                    p.to_owned()
                }
            };
            let body = all
                .get(&target)
                .unwrap_or_else(|| panic!("{path}: broken link {href}"));
            if !frag.is_empty() {
                assert!(
                    body.contains(&format!("id=\"{frag}\"")),
                    "{path}: missing #{frag} in {target}"
                );
            }
        }
    }
}

/// Snapshots of every page type of the example site.
#[test]
fn example_site_pages() {
    let d = tempfile::tempdir().unwrap();
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let out = d.path().join("out");
    sitrep()
        .arg("--root")
        .arg(&repo)
        .args(["build", "--now", NOW, "--output"])
        .arg(&out)
        .assert()
        .success();
    let all = files(&out);
    for page in [
        "index.html",
        "incidents/index.html",
        "incidents/INC-2026-0019/index.html",
        "incidents/INC-2026-0019/report/index.html",
        "maintenance/MNT-2026-005/index.html",
        "services/storefront/index.html",
        "runbooks/index.html",
        "runbooks/outage/high-priority/index.html",
        "compliance/index.html",
        "analysis/index.html",
        "analysis/2026-07/index.html",
        "search/index.html",
        "404.html",
        "feed.atom",
        "api/v2/summary.json",
        "badge.svg",
    ] {
        let name = page.replace(['/', '.'], "_");
        insta::assert_snapshot!(name, all[page]);
    }
}

/// The tags of an HTML text (`<…>`), comments and doctype left out.
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        let after = &rest[i..];
        let end = after.find('>').map_or(after.len(), |e| e + 1);
        let tag = &after[..end];
        if !tag.starts_with("<!") && !tag.starts_with("</") {
            out.push(tag);
        }
        rest = &after[end.max(1)..];
    }
    out
}

/// The attributes of one tag, honouring quotes: (name, value).
fn attributes(tag: &str) -> Vec<(String, String)> {
    let inner = tag
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    let mut chars = inner.chars().peekable();
    // Skip the tag name.
    while chars.peek().is_some_and(|c| !c.is_whitespace()) {
        chars.next();
    }
    let mut out = Vec::new();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut name = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '=' {
                break;
            }
            name.push(c);
            chars.next();
        }
        if name.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            match chars.peek().copied() {
                Some(q @ ('"' | '\'')) => {
                    chars.next();
                    for c in chars.by_ref() {
                        if c == q {
                            break;
                        }
                        value.push(c);
                    }
                }
                _ => {
                    while let Some(&c) = chars.peek() {
                        if c.is_whitespace() {
                            break;
                        }
                        value.push(c);
                        chars.next();
                    }
                }
            }
        }
        out.push((name, value));
    }
    out
}

/// A control character in a record, a service or the site title reaches
/// no XML file: Atom, RSS, the sitemap, the SVG badges, the JUnit report
/// (all parsed by a strict XML reader), the iCalendar file and SARIF.
#[test]
fn control_characters_never_reach_an_xml_file() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    // YAML writes a control character only as an escape in a quoted text.
    let bad = r#""Bad\x01 \x08text\uFFFE here""#;
    write(
        r,
        "sitrep.yaml",
        &format!("title: {bad}\ntimezone: UTC\nservices:\n  - {{ id: web, name: {bad}, group: {bad} }}\n"),
    );
    write(
        r,
        "content/a.md",
        &format!(
            "---\ntitle: {bad}\nowner: Ops\nlast_reviewed: 2026-11-01\n---\nText \u{1} here.\n"
        ),
    );
    write(
        r,
        "incidents/i.yaml",
        &format!("id: INC-1\ntitle: {bad}\nseverity: 3\nservices: [web]\nreported_at: 2026-11-20 09:00\nresponded_at: 2026-11-20 09:10\nupdates:\n  - {{ at: \"09:15\", status: investigating, text: {bad} }}\n"),
    );
    write(
        r,
        "incidents/m.yaml",
        &format!("kind: maintenance\nid: MNT-1\ntitle: {bad}\nservices: [web]\nscheduled_start: 2026-11-30 10:00\nscheduled_end: 2026-11-30 11:00\n"),
    );
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for view in [&[][..], &["--public"][..]] {
        for (path, text) in files(&build(r, view)) {
            let ext = path.rsplit('.').next().unwrap_or("");
            match ext {
                "xml" | "atom" | "rss" | "svg" => {
                    roxmltree::Document::parse(&text)
                        .unwrap_or_else(|e| panic!("{path} is not well-formed XML: {e}\n{text}"));
                }
                "ics" => {
                    assert!(!text.contains('\u{1}'), "{path}");
                    for cal in ical::IcalParser::new(text.as_bytes()) {
                        cal.unwrap_or_else(|e| panic!("{path}: {e}"));
                    }
                }
                _ => continue,
            }
            let kind = if path.contains("sitemap") {
                "sitemap"
            } else {
                ext
            };
            *seen.entry(kind.to_owned()).or_default() += 1;
        }
    }
    for want in ["atom", "rss", "sitemap", "svg", "ics"] {
        assert!(
            seen.get(want).copied().unwrap_or(0) > 0,
            "no {want} file: {seen:?}"
        );
    }
    // The check reports: a finding whose message holds the character.
    write(
        r,
        "incidents/j.yaml",
        "id: INC-2\ntitle: T\nseverity: 3\nservices: [\"we\\x01b\"]\nreported_at: 2026-11-20 09:00\n",
    );
    let junit = run(r, NOW, &["check", "--format", "junit"]);
    assert_eq!(junit.code, 1, "{}", junit.stderr);
    assert!(
        junit.stdout.contains("we\u{fffd}b") || junit.stdout.contains("web"),
        "{}",
        junit.stdout
    );
    roxmltree::Document::parse(&junit.stdout)
        .unwrap_or_else(|e| panic!("JUnit is not well-formed XML: {e}\n{}", junit.stdout));
    let sarif = run(r, NOW, &["check", "--format", "sarif"]);
    let v: Value = serde_json::from_str(&sarif.stdout).expect("SARIF is JSON");
    assert!(v["runs"][0]["results"]
        .as_array()
        .is_some_and(|a| !a.is_empty()));
}

/// An update without a status keeps the one before it in the API, as the
/// pages show it (a Statuspage client reads every update's status).
#[test]
fn api_updates_without_status_keep_the_one_before() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(
        r,
        "sitrep.yaml",
        "title: T\ntimezone: UTC\nservices:\n  - { id: web, name: Web }\n",
    );
    write(
        r,
        "incidents/i.yaml",
        "id: INC-1\ntitle: Slow\nseverity: 3\nservices: [web]\nreported_at: 2026-11-23 09:00\nupdates:\n  - { at: \"09:05\", text: first words }\n  - { at: \"09:10\", status: identified, text: found it }\n  - { at: \"09:20\", text: still on it }\n",
    );
    let out = build(r, &["--public"]);
    let v: Value =
        serde_json::from_str(&fs::read_to_string(out.join("api/v2/incidents.json")).unwrap())
            .unwrap();
    let statuses: Vec<&str> = v["incidents"][0]["incident_updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["identified", "identified", "investigating"]);
    assert_eq!(v["incidents"][0]["status"], "identified");
}

/// A repository laid out for another tool: `content/_index.md` introduces
/// the runbooks page; other files are copied beside their pages (not from
/// hidden folders); folder links without `/` reach the section; no id
/// repeats on the runbooks page, though `a/b` and `a-b` slugify alike and
/// two intros share a heading.
#[test]
fn a_repository_from_another_tool_lays_out() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    let meta = "owner: Ops\nlast_reviewed: 2026-11-01\n";
    write(r, "sitrep.yaml", "title: T\ntimezone: UTC\n");
    write(
        r,
        "content/_index.md",
        "---\ntitle: Team runbooks\n---\nStart here.\n\n## Overview\n",
    );
    write(
        r,
        "content/general/_index.md",
        "---\ntitle: General things\n---\n## Overview\n",
    );
    write(
        r,
        "content/root.md",
        &format!("---\ntitle: At the root\n{meta}---\n"),
    );
    write(
        r,
        "content/general/disk.md",
        &format!("---\ntitle: Disk\n{meta}aliases: [/old/disk/, legacy-disk, /incidents/, /404.html, /sitemap.xml/]\n---\n![flow](img/flow%20chart.png) [logs](../general#x) [home](../_index.md) <kbd>Ctrl</kbd> [as Hugo links](/general/disk#top)\n"),
    );
    // A copy of the runbook without `.md` (as found in a real repository):
    // its path is the page's folder, so it is not copied.
    write(r, "content/general/disk", "# Disk\n");
    write(r, "content/general/img/flow chart.png", "PNG");
    write(
        r,
        "content/a-b/x.md",
        &format!("---\ntitle: X\n{meta}---\n"),
    );
    write(
        r,
        "content/a/b/y.md",
        &format!("---\ntitle: Y\n{meta}---\n"),
    );
    write(r, "content/.git/config", "[core]\n");
    write(r, "content/.github/template.md", "# Not a runbook\n");
    let out = build(r, &[]);
    let index = fs::read_to_string(out.join("runbooks/index.html")).unwrap();
    assert!(index.contains("<h1>Team runbooks</h1>"), "{index}");
    assert!(index.contains("<p>Start here.</p>"), "{index}");
    let mut ids: Vec<&str> = index
        .split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all, "{ids:?} in {index}");
    for id in [
        "section-a-b",
        "section-a-b-1",
        "section-general",
        "section-general-1",
    ] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
    assert!(
        index.contains(">General things</h2>") && index.contains(">General</h2>"),
        "{index}"
    );
    let disk = fs::read_to_string(out.join("runbooks/general/disk/index.html")).unwrap();
    assert!(
        disk.contains("src=\"/runbooks/general/img/flow%20chart.png\""),
        "{disk}"
    );
    assert!(disk.contains("href=\"/runbooks/#section-general"), "{disk}");
    assert!(disk.contains("href=\"/runbooks/\""), "{disk}");
    assert!(disk.contains("<kbd>Ctrl</kbd>"), "{disk}");
    assert!(
        disk.contains("href=\"/runbooks/general/disk/#top\""),
        "{disk}"
    );
    assert!(out.join("runbooks/general/disk/index.html").is_file());
    assert_eq!(
        fs::read(out.join("runbooks/general/img/flow chart.png")).unwrap(),
        b"PNG"
    );
    // Old paths redirect; one that is a page's path does not replace it.
    for old in [
        "old/disk/index.html",
        "runbooks/general/legacy-disk/index.html",
    ] {
        let page = fs::read_to_string(out.join(old)).unwrap();
        assert!(
            page.contains(
                "<meta http-equiv=\"refresh\" content=\"0; url=/runbooks/general/disk/\">"
            ),
            "{page}"
        );
    }
    for page in ["incidents/index.html", "404.html"] {
        let text = fs::read_to_string(out.join(page)).unwrap();
        assert!(!text.contains("http-equiv"), "{page}: {text}");
    }
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        !sitemap.contains("/old/disk/") && !sitemap.contains("img/"),
        "{sitemap}"
    );
    assert!(!out.join("runbooks/.git").exists());
    assert!(!out.join("runbooks/.github").exists());
}

/// The post-incident report, complete: key times against their targets,
/// the escalation history, the merged timeline, and record ids in its text
/// linked (not inside code or an existing link).
#[test]
fn the_report_is_complete() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(
        r,
        "sitrep.yaml",
        "title: T\ntimezone: UTC\nservices:\n  - { id: web, name: Web }\n",
    );
    write(r, "incidents/a.yaml", "id: INC-1\ntitle: Before\nseverity: 3\nservices: [web]\nreported_at: 2026-10-01 09:00\nresponded_at: 2026-10-01 09:30\nrecovered_at: 2026-10-01 10:00\nresolved_at: 2026-10-01 11:00\nclosed_at: 2026-10-01 12:00\n");
    write(r, "incidents/b.yaml", "id: INC-2\ntitle: After\nseverity: 2\nservices: [web]\nstarted_at: 2026-11-20 08:40\nreported_at: 2026-11-20 09:00\nresponded_at: 2026-11-20 09:20\nrecovered_at: 2026-11-20 16:00\nresolved_at: 2026-11-20 17:00\nclosed_at: 2026-11-20 18:00\nescalations:\n  - { at: \"09:40\", from: 2, to: 1, reason: Every shipper affected }\n  - { at: \"12:00\", from: 1, to: 2, reason: Half of them back }\ntimeline:\n  - { at: \"09:10\", by: Ana, text: Looking at the pool }\nreport:\n  conditions: \"# Timeline\\nSame pool as INC-1. Not `INC-1` in code, nor [INC-1](https://x.invalid/), nor https://x.invalid/INC-1.\"\n  actions: Restarted.\n  needs: A spare.\n");
    let all = files(&build(r, &[]));
    let page = &all["incidents/INC-2/report/index.html"];
    for want in [
        "<th scope=\"row\">Time to detect</th><td>Started → Reported</td><td>20m</td>",
        "<th scope=\"row\">Time to respond</th><td>Reported → Responded</td><td>20m</td><td>10m</td><td class=\"result-missed\">missed</td>",
        "<th scope=\"row\">Impact duration</th><td>Started → Recovered</td><td>7h20m</td>",
        "Reported at level 2 (Major)",
        "Escalated from level 2 (Major) to level 1 (Critical)",
        "Lowered from level 1 (Critical) to level 2 (Major)",
        "Looking at the pool",
        "Same pool as <a href=\"/incidents/INC-1/\">INC-1</a>.",
        "<code>INC-1</code>",
        ">INC-1</a>, nor https://x.invalid/INC-1.</p>",
        // A heading in the text does not take the page's own id.
        "<h2 id=\"timeline-1\">Timeline</h2>",
    ] {
        assert!(page.contains(want), "{want}\n{page}");
    }
    assert_eq!(
        page.matches("href=\"/incidents/INC-1/\"").count(),
        1,
        "{page}"
    );
}

/// The status page as Statuspage readers expect it: an active parent with
/// its open children under it (not listed again), its latest update and
/// how long it has been going on; a link to the history; `refresh: 60s`
/// reloads the status page only. Incident pages list updates newest first.
#[test]
fn status_page_parent_children_updates_and_refresh() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(r, "sitrep.yaml", "title: T\ntimezone: UTC\nrefresh: 60s\nhistory_days: 3\nservices:\n  - { id: web, name: Web }\n  - { id: api, name: API }\n");
    write(r, "incidents/p.yaml", "id: INC-P\ntitle: Checkout down\nseverity: 2\nimpact: major_outage\nservices: [web]\nstarted_at: 2026-11-23 09:45\nreported_at: 2026-11-23 10:00\nresponded_at: 2026-11-23 10:10\nupdates:\n  - { at: \"10:05\", status: investigating, text: First we look. }\n  - { at: \"10:30\", status: identified, text: Then we find. }\n  - { at: \"11:00\", status: monitoring, text: Now we watch. }\n");
    write(r, "incidents/c1.yaml", "id: INC-C1\ntitle: Card payments fail\nseverity: 2\nimpact: partial_outage\nparent: INC-P\nservices: [api]\nreported_at: 2026-11-23 10:20\nresponded_at: 2026-11-23 10:25\nupdates:\n  - { at: \"10:21\", status: investigating, text: Cards too. }\n");
    write(r, "incidents/c2.yaml", "id: INC-C2\ntitle: Receipts late\nseverity: 3\nimpact: degraded_performance\nparent: INC-P\nservices: [api]\nreported_at: 2026-11-23 10:40\nresponded_at: 2026-11-23 10:50\nresolved_at: 2026-11-23 11:10\n");
    let all = files(&build(r, &["--public"]));
    let status = &all["index.html"];
    insta::assert_snapshot!("status_parent_children", status);
    // The open child sits under its parent, once; the resolved one is not active.
    let active = &status[..status.find("id=\"svc-h\"").unwrap()];
    assert_eq!(
        active.matches(">Card payments fail</a>").count(),
        1,
        "{active}"
    );
    assert!(active.contains("<ul class=\"children\""), "{active}");
    assert!(!active.contains("Receipts late"), "{active}");
    assert!(
        active.contains("going on for <span class=\"duration\">2h15m</span>"),
        "{active}"
    );
    assert!(active.contains("Now we watch."), "latest update");
    assert!(!active.contains("First we look."), "only the latest update");
    assert!(status.contains("<meta http-equiv=\"refresh\" content=\"60\">"));
    assert!(status.contains("href=\"/incidents/\">Incident history</a>"));
    let page = &all["incidents/INC-P/index.html"];
    assert!(
        !page.contains("http-equiv=\"refresh\""),
        "only the status page reloads"
    );
    let (a, b, c) = (
        page.find("Now we watch.").unwrap(),
        page.find("Then we find.").unwrap(),
        page.find("First we look.").unwrap(),
    );
    assert!(a < b && b < c, "updates newest first");
}

/// A service's incidents are split into pages of 50, newest first, like the
/// history: a service of a large site had a page of 800 KB.
#[test]
fn service_pages_split_long_incident_lists() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(
        r,
        "sitrep.yaml",
        "title: T\ntimezone: UTC\nservices:\n  - { id: web, name: Web }\n",
    );
    for i in 0..120 {
        write(
            r,
            &format!("incidents/i{i:03}.yaml"),
            &format!("id: INC-{i:03}\ntitle: Incident {i:03}\nseverity: 3\nservices: [web]\nreported_at: 2026-{:02}-{:02} 09:00\nresponded_at: 2026-{:02}-{:02} 09:10\nrecovered_at: 2026-{:02}-{:02} 10:00\nresolved_at: 2026-{:02}-{:02} 11:00\nclosed_at: 2026-{:02}-{:02} 12:00\n", 1 + i / 28, 1 + i % 28, 1 + i / 28, 1 + i % 28, 1 + i / 28, 1 + i % 28, 1 + i / 28, 1 + i % 28, 1 + i / 28, 1 + i % 28),
        );
    }
    let all = files(&build(r, &["--public"]));
    let first = &all["services/web/index.html"];
    assert_eq!(first.matches(">Incident ").count(), 50);
    assert!(first.contains(">Incident 119</a>"), "newest first");
    assert!(first.contains("href=\"/services/web/page/2/\" rel=\"next\""));
    assert!(first.contains("Page 1 of 3 (120 incidents)"));
    let last = &all["services/web/page/3/index.html"];
    assert_eq!(last.matches(">Incident ").count(), 20);
    assert!(last.contains(">Incident 000</a>"));
    assert!(last.contains("href=\"/services/web/page/2/\" rel=\"prev\""));
    assert!(!all.contains_key("services/web/page/4/index.html"));
}

/// The compliance table is split into pages of 400 rows, newest first; the
/// totals count every incident on each page.
#[test]
fn compliance_pages_split_long_tables() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(
        r,
        "sitrep.yaml",
        "title: T\ntimezone: UTC\nservices:\n  - { id: web, name: Web }\n",
    );
    for i in 0..405 {
        let (m, day) = (1 + i / 28 % 12, 1 + i % 28);
        write(
            r,
            &format!("incidents/i{i:03}.yaml"),
            &format!("id: INC-{i:03}\ntitle: Incident {i:03}\nseverity: 3\nservices: [web]\nreported_at: 2025-{m:02}-{day:02} 09:{:02}\nresponded_at: 2025-{m:02}-{day:02} 11:{:02}\nrecovered_at: 2025-{m:02}-{day:02} 12:00\nresolved_at: 2025-{m:02}-{day:02} 12:30\nclosed_at: 2025-{m:02}-{day:02} 13:00\n", i % 60, i % 60),
        );
    }
    let all = files(&build(r, &[]));
    let first = &all["compliance/index.html"];
    let rows = |page: &str| page.matches("<tr data-open=").count();
    assert_eq!(rows(first), 400);
    assert!(
        first.contains("Incidents 1–400 of 405, page 1 of 2"),
        "pager"
    );
    assert!(first.contains("href=\"/compliance/page/2/\" rel=\"next\""));
    let second = &all["compliance/page/2/index.html"];
    assert_eq!(rows(second), 5);
    // Every response took two hours against level 3's hour: the totals
    // are the whole table's on both pages.
    let total = |page: &str| {
        let i = page
            .find("<code>response-target</code>")
            .expect("total row");
        page[i..]
            .split("<td>")
            .nth(2)
            .and_then(|c| c.split('<').next())
            .map(str::to_owned)
    };
    let n: usize = total(first).and_then(|t| t.parse().ok()).expect("a count");
    assert!(n > 400, "{n}: counts beyond the first page");
    assert_eq!(total(first), total(second));
    assert!(!all.contains_key("compliance/page/3/index.html"));
}

/// A long section of runbooks lists its first 25 on /runbooks/ and links to
/// its own page; a short one, or one whose address a runbook already has,
/// is listed whole (SITE.md, "Page weight").
#[test]
fn long_runbook_sections_get_their_own_pages() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(r, "sitrep.yaml", "title: T\ntimezone: UTC\n");
    for i in 0..30 {
        write(
            r,
            &format!("content/db/rb-{i:02}.md"),
            &format!("---\ntitle: Database {i:02}\nlast_reviewed: 2026-11-01\n---\nText.\n"),
        );
        write(
            r,
            &format!("content/net/rb-{i:02}.md"),
            &format!("---\ntitle: Network {i:02}\nlast_reviewed: 2026-11-01\n---\nText.\n"),
        );
    }
    write(
        r,
        "content/net.md",
        "---\ntitle: Network overview\nlast_reviewed: 2026-11-01\n---\nText.\n",
    );
    for i in 0..5 {
        write(
            r,
            &format!("content/dns/rb-{i}.md"),
            &format!("---\ntitle: DNS {i}\nlast_reviewed: 2026-11-01\n---\nText.\n"),
        );
    }
    let all = files(&build(r, &[]));
    let index = &all["runbooks/index.html"];
    assert_eq!(index.matches(">Database ").count(), 25, "{index}");
    assert!(
        index.contains("<a href=\"/runbooks/db/\">All 30 runbooks in Db</a>"),
        "{index}"
    );
    let db = &all["runbooks/db/index.html"];
    assert_eq!(db.matches(">Database ").count(), 30);
    assert!(
        db.contains("<a href=\"/runbooks/\">Runbooks</a>"),
        "a way back"
    );
    // `content/net.md` has /runbooks/net/: its section stays whole here.
    assert_eq!(index.matches(">Network 2").count(), 10);
    assert!(all["runbooks/net/index.html"].contains("Network overview"));
    assert_eq!(index.matches(">DNS ").count(), 5);
    assert!(!all.contains_key("runbooks/dns/index.html"));
}

/// When most days of most services had an incident, the bars count them
/// instead of naming them, and "Past 7 days" lists the newest 50.
#[test]
fn a_busy_status_page_counts_instead_of_listing() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    let services: String = (0..400)
        .map(|i| format!("  - {{ id: s{i}, name: Service {i} }}\n"))
        .collect();
    write(
        r,
        "sitrep.yaml",
        &format!("title: T\ntimezone: UTC\nhistory_days: 3\nservices:\n{services}"),
    );
    for i in 0..400 {
        write(r, &format!("incidents/i{i}.yaml"), &format!("id: INC-{i}\ntitle: Trouble {i}\nseverity: 3\nimpact: degraded_performance\nservices: [s{i}]\nreported_at: 2026-11-21 09:00\nresponded_at: 2026-11-21 09:05\nrecovered_at: 2026-11-23 10:00\nresolved_at: 2026-11-23 10:30\n"));
    }
    let all = files(&build(r, &["--public"]));
    let status = &all["index.html"];
    // 400 services x 3 days with an incident: over the page's 1,000 names.
    assert!(
        !status.contains(">INC-1</a> Trouble 1<"),
        "no day names its incident"
    );
    assert_eq!(status.matches("<br>Incidents: 1</span>").count(), 1200);
    let recent = &status[status.find("id=\"recent-h\"").unwrap()..];
    assert_eq!(recent.matches("<li><a href=\"/incidents/").count(), 50);
    assert!(
        recent.contains("<p>350 more in the incident history.</p>"),
        "{recent}"
    );
}
