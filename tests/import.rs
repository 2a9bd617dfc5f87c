//! `sitrep import statuspage` (CLI.md, "sitrep import"): a real export and
//! invented ones (tests/fixtures/import/statuspage, credited there) become
//! records that pass `check` and come back through `/api/v2` with their
//! ids, names, statuses, creation times and update bodies; a re-run
//! duplicates nothing; bad input writes nothing.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

const NOW: &str = "2026-12-04T12:00:00Z";
const CONFIG: &str = "title: Harbor\ntimezone: UTC\nservices:\n  - { id: booking, name: Booking, group: Shipper portal }   # ours already\n";

fn fixture(name: &str) -> String {
    repo()
        .join("tests/fixtures/import/statuspage")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

fn site() -> tempfile::TempDir {
    let d = tempfile::tempdir().expect("tempdir");
    write(d.path(), "sitrep.yaml", CONFIG);
    d
}

fn import(root: &Path, files: &[&str]) -> Out {
    let paths: Vec<String> = files.iter().map(|f| fixture(f)).collect();
    let mut args = vec!["import", "statuspage"];
    args.extend(paths.iter().map(String::as_str));
    run(root, NOW, &args)
}

/// Every file below `dir`, with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().to_path_buf(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    out.sort();
    out
}

fn instant(v: &Value) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(v.as_str().expect("a time"))
        .expect("RFC 3339")
        .to_utc()
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("JSON")
}

/// The incidents of a source and of the built API agree on what a client
/// keys on.
fn round_trips(source: &Value, api: &Value, key: &str) {
    for s in source[key].as_array().expect("list") {
        let id = &s["id"];
        let o = api[key]
            .as_array()
            .expect("list")
            .iter()
            .find(|o| &o["id"] == id)
            .unwrap_or_else(|| panic!("{id} is not in the API"));
        assert_eq!(o["name"], s["name"]);
        let status = match s["status"].as_str() {
            Some("postmortem") => "resolved",
            other => other.unwrap_or(""),
        };
        assert_eq!(o["status"], status, "{id}");
        assert_eq!(instant(&o["created_at"]), instant(&s["created_at"]), "{id}");
        let mut su: Vec<&Value> = s["incident_updates"]
            .as_array()
            .expect("updates")
            .iter()
            .collect();
        let mut ou: Vec<&Value> = o["incident_updates"]
            .as_array()
            .expect("updates")
            .iter()
            .collect();
        su.sort_by_key(|u| instant(&u["created_at"]));
        ou.sort_by_key(|u| instant(&u["created_at"]));
        assert_eq!(su.len(), ou.len(), "{id}");
        for (a, b) in su.iter().zip(&ou) {
            assert_eq!(a["body"], b["body"], "{id}");
            assert_eq!(instant(&a["created_at"]), instant(&b["created_at"]), "{id}");
        }
    }
}

#[test]
fn a_real_statuspage_export_round_trips_through_the_api() {
    let d = site();
    let r = d.path();
    let o = import(r, &["instructure-summary.json"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("1 new"), "{}", o.stdout);
    let config = std::fs::read_to_string(r.join("sitrep.yaml")).expect("config");
    assert!(
        config.starts_with(CONFIG),
        "the rest of sitrep.yaml is kept:\n{config}"
    );
    assert!(
        config.contains("statuspage_id: \"9dlvqx1drp3d\""),
        "{config}"
    );
    let c = run(r, NOW, &["check"]);
    assert_eq!(c.code, 0, "{}{}", c.stdout, c.stderr);
    let out = r.join("out");
    let b = run(r, NOW, &["build", "-o", &out.to_string_lossy()]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let source = json(Path::new(&fixture("instructure-summary.json")));
    round_trips(
        &source,
        &json(&out.join("api/v2/incidents.json")),
        "incidents",
    );
    round_trips(
        &source,
        &json(&out.join("api/v2/summary.json")),
        "incidents",
    );
    // The page reads as the real one did, and components keep their ids.
    let summary = json(&out.join("api/v2/summary.json"));
    assert_eq!(summary["status"], source["status"]);
    let ids: Vec<&Value> = summary["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert!(ids.contains(&&Value::from("9dlvqx1drp3d")), "{ids:?}");
    // Again: nothing new, nothing rewritten.
    let before = tree(r);
    let again = import(r, &["instructure-summary.json"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains("0 new, 0 updated, 1 unchanged"),
        "{}",
        again.stdout
    );
    assert_eq!(tree(r), before);
}

#[test]
fn resolved_incidents_and_maintenance_import_as_history() {
    let d = site();
    let r = d.path();
    let files = [
        "incidents.json",
        "scheduled-maintenances.json",
        "components.json",
    ];
    let o = import(r, &files);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    // `Booking` is the site's already (same name and group); `Tracking` is new.
    let config = std::fs::read_to_string(r.join("sitrep.yaml")).expect("config");
    assert!(config.starts_with(CONFIG), "{config}");
    assert_eq!(config.matches("- id: tracking").count(), 1, "{config}");
    assert!(!config.contains("name: Booking\n"), "{config}");
    let rec = std::fs::read_to_string(r.join("incidents/imported/statuspage-ljwdk6qml8z8.yaml"))
        .expect("record");
    for line in [
        "id: SP-ljwdk6qml8z8\n",
        "severity: 2\n",
        "services: [booking, { id: tracking, impact: degraded_performance }]\n",
        "started_at: \"2026-03-01T08:10:00.000Z\"\n",
        "recovered_at: \"2026-03-01T09:02:11.500Z\"\n",
        "resolved_at: \"2026-03-01T09:40:00.004Z\"\n",
        "    text: |-\n      Root cause: a connection pool sized for last year's traffic.\n",
    ] {
        assert!(rec.contains(line), "{line} in {rec}");
    }
    let c = run(r, NOW, &["check"]);
    assert_eq!(c.code, 0, "{}{}", c.stdout, c.stderr);
    let out = r.join("out");
    let b = run(r, NOW, &["build", "-o", &out.to_string_lossy()]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    round_trips(
        &json(Path::new(&fixture("incidents.json"))),
        &json(&out.join("api/v2/incidents.json")),
        "incidents",
    );
    round_trips(
        &json(Path::new(&fixture("scheduled-maintenances.json"))),
        &json(&out.join("api/v2/scheduled-maintenances.json")),
        "scheduled_maintenances",
    );
    let api = json(&out.join("api/v2/incidents.json"));
    let ups = api["incidents"][0]["incident_updates"]
        .as_array()
        .expect("updates");
    // Newest first: the post-mortem and "monitoring" changed no component.
    assert_eq!(ups[0]["affected_components"], Value::Null);
    assert_eq!(ups[2]["affected_components"], Value::Null);
    assert_eq!(
        api["incidents"][0]["resolved_at"],
        "2026-03-01T09:40:00.004Z"
    );
    // History: no procedure finding, counted apart.
    let page = std::fs::read_to_string(out.join("compliance/index.html")).expect("page");
    assert!(page.contains("1 imported record"), "{page}");
}

#[test]
fn a_moved_record_is_the_users() {
    let d = site();
    let r = d.path();
    assert_eq!(import(r, &["incidents.json"]).code, 0);
    let from = r.join("incidents/imported/statuspage-ljwdk6qml8z8.yaml");
    let to = r.join("incidents/2026-booking.yaml");
    std::fs::rename(&from, &to).expect("move");
    let edited = std::fs::read_to_string(&to)
        .expect("read")
        .replace("Booking form times out", "Booking form timed out");
    std::fs::write(&to, &edited).expect("write");
    let o = import(r, &["incidents.json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("kept incidents/2026-booking.yaml"),
        "{}",
        o.stdout
    );
    assert!(!from.exists(), "not imported twice");
    assert_eq!(std::fs::read_to_string(&to).expect("read"), edited);
}

#[test]
fn bad_input_writes_nothing() {
    let d = site();
    let r = d.path();
    let bad = r.join("bad.json");
    std::fs::write(&bad, "{\"incidents\": [\n  {\"id\": \"x\",}\n]}\n").expect("write");
    let before = tree(r);
    let o = run(
        r,
        NOW,
        &[
            "import",
            "statuspage",
            &fixture("incidents.json"),
            &bad.to_string_lossy(),
        ],
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("bad.json:2:"), "{}", o.stderr);
    assert_eq!(
        o.stderr.lines().count(),
        2,
        "one line and `nothing was imported`: {}",
        o.stderr
    );
    assert_eq!(tree(r), before);
    std::fs::write(&bad, "{\"page\": {}}").expect("write");
    let o = run(r, NOW, &["import", "statuspage", &bad.to_string_lossy()]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains("not a Statuspage v2 file"),
        "{}",
        o.stderr
    );
    let o = run(r, NOW, &["import", "statuspage", "no-such-file.json"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    // A sitrep.yaml with errors is fixed first.
    write(r, "sitrep.yaml", "title: Harbor\nservices: 3\n");
    let before = tree(r);
    let o = import(r, &["incidents.json"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("sitrep.yaml:2:"), "{}", o.stderr);
    assert_eq!(tree(r), before);
}

/// cState's own example site (tests/fixtures/import/cstate, credited
/// there): every issue a record that passes `check`, its updates split
/// from the body oldest first, served through `/api/v2` under its name.
#[test]
fn a_cstate_site_imports() {
    let d = site();
    let r = d.path();
    let dir = repo().join("tests/fixtures/import/cstate");
    let o = run(r, NOW, &["import", "cstate", &dir.to_string_lossy()]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains("imported 4 records: 4 new"),
        "{}",
        o.stdout
    );
    let c = run(r, NOW, &["check"]);
    assert_eq!(c.code, 0, "{}{}", c.stdout, c.stderr);
    let out = r.join("out");
    let b = run(r, NOW, &["build", "-o", &out.to_string_lossy()]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let api = json(&out.join("api/v2/incidents.json"));
    let guilds = api["incidents"]
        .as_array()
        .expect("incidents")
        .iter()
        .find(|i| i["id"] == "2018-04-13-unavailable-guilds-connection-issues")
        .expect("the resolved issue, under its name");
    assert_eq!(guilds["name"], "Unavailable Guilds & Connection Issues");
    assert_eq!(guilds["status"], "resolved");
    assert_eq!(guilds["created_at"], "2018-04-13T15:54:00.000Z");
    assert_eq!(guilds["impact"], "critical");
    let bodies: Vec<(&str, &str)> = guilds["incident_updates"]
        .as_array()
        .expect("updates")
        .iter()
        .map(|u| {
            (
                u["status"].as_str().unwrap_or(""),
                u["body"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(bodies.len(), 4, "{bodies:?}");
    assert!(
        bodies[0]
            .1
            .starts_with("*Post-mortem*\n\nAt approximately 14:01"),
        "{bodies:?}"
    );
    assert_eq!(
        bodies[3],
        (
            "investigating",
            "We're aware of users experiencing unavailable guilds and issues when attempting to connect. We're currently investigating."
        )
    );
    assert_eq!(bodies[2].0, "monitoring");
    let open = json(&out.join("api/v2/incidents/unresolved.json"));
    assert_eq!(open["incidents"][0]["id"], "2024-12-27-dns-resolution-api");
    let mnt = json(&out.join("api/v2/scheduled-maintenances.json"));
    assert_eq!(
        mnt["scheduled_maintenances"].as_array().map(Vec::len),
        Some(2)
    );
    // The systems became services, with their categories as groups.
    let config = std::fs::read_to_string(r.join("sitrep.yaml")).expect("config");
    assert!(
        config.contains("  - id: gateway\n    name: Gateway\n    group: North Coast\n"),
        "{config}"
    );
    let again = run(r, NOW, &["import", "cstate", &dir.to_string_lossy()]);
    assert!(
        again.stdout.contains("0 new, 0 updated, 4 unchanged"),
        "{}",
        again.stdout
    );
}

/// What real exports hold at the edges: ids that differ only in what a file
/// name cannot hold, a backfilled incident (updates dated before it, resolved
/// before it was created), a maintenance ending before it starts. Each is a
/// record of its own that passes `check`; a time in the future refuses the
/// whole import. sitrep.yaml, a link to a file with mode 0600, stays one.
#[cfg(unix)]
#[test]
fn awkward_exports_import_cleanly_or_not_at_all() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().expect("tempdir");
    let r = d.path();
    write(
        r,
        "real.yaml",
        "title: T\ntimezone: UTC\nservices:\n  - { id: web, name: Web }\n",
    );
    std::fs::set_permissions(r.join("real.yaml"), std::fs::Permissions::from_mode(0o600))
        .expect("chmod");
    std::os::unix::fs::symlink("real.yaml", r.join("sitrep.yaml")).expect("link");
    let edges = r.join("edges.json");
    std::fs::write(&edges, r#"{"incidents":[
 {"id":"a/b","name":"One","status":"resolved","created_at":"2026-03-01T10:00:00Z","resolved_at":"2026-03-01T09:00:00Z","impact":"minor","incident_updates":[{"status":"resolved","body":"x","created_at":"2026-03-01T10:05:00Z"}],"components":[{"id":"c1","name":"Api"}]},
 {"id":"a b","name":"Two","status":"investigating","created_at":"2026-03-02T10:00:00Z","started_at":"2026-03-02T09:59:00Z","impact":"major","incident_updates":[{"status":"investigating","body":"early","created_at":"2026-03-02T09:00:00Z"}]}
],"scheduled_maintenances":[{"id":"m1","name":"M","status":"completed","created_at":"2026-02-01T10:00:00Z","scheduled_for":"2026-02-02T10:00:00Z","scheduled_until":"2026-02-02T09:00:00Z","incident_updates":[]}]}"#).expect("write");
    let o = run(r, NOW, &["import", "statuspage", &edges.to_string_lossy()]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("3 new"), "{}", o.stdout);
    let c = run(r, NOW, &["check"]);
    assert_eq!(c.code, 0, "{}{}", c.stdout, c.stderr);
    assert!(std::fs::symlink_metadata(r.join("sitrep.yaml"))
        .expect("meta")
        .file_type()
        .is_symlink());
    let mode = std::fs::metadata(r.join("real.yaml"))
        .expect("meta")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(std::fs::read_to_string(r.join("real.yaml"))
        .expect("read")
        .contains("statuspage_id: c1"));
    let future = r.join("future.json");
    std::fs::write(&future, r#"{"incidents":[{"id":"f","name":"F","created_at":"9999-01-01T00:00:00Z","incident_updates":[]}]}"#).expect("write");
    let before = tree(r);
    let o = run(r, NOW, &["import", "statuspage", &future.to_string_lossy()]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stderr.contains("[future-time]"), "{}", o.stderr);
    assert_eq!(tree(r), before);
}
