//! `sitrep due`: the checklist at a fixed `--now`, the seed scenario of a
//! level 2 incident escalated to level 1, and the promise that `due` and
//! `check` never disagree — on every fixture site, at many times.

mod common;
use chrono::{DateTime, Duration, Utc};
use common::*;
use serde_json::Value;
use sitrep::model::incident::Kind;
use sitrep::model::site::Site;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

fn items_of<'a>(due: &'a Value, id: &str) -> &'a Vec<Value> {
    due["incidents"]
        .as_array()
        .and_then(|a| a.iter().find(|i| i["id"] == id))
        .and_then(|i| i["items"].as_array())
        .unwrap_or_else(|| panic!("no incident {id} in {due:#}"))
}

fn item<'a>(items: &'a [Value], name: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["name"] == name)
        .unwrap_or_else(|| panic!("no item {name} in {items:#?}"))
}

// ---------------------------------------------------------------- scenario

#[test]
fn seed_scenario_what_is_due_after_the_escalation() {
    let dir = fixture("due/escalated");
    // 09:45: escalated to level 1 at 09:40; the duties level 1 adds are
    // due from the escalation, not from the report.
    let due = json_of(&dir, "2026-05-12T09:45:00Z", &["due", "--format", "json"]);
    assert_eq!(due["version"], 1);
    assert_eq!(due["now"], "2026-05-12T09:45:00Z");
    let items = items_of(&due, "INC-2026-0401");
    let customer = item(items, "customer");
    assert_eq!(customer["state"], "due");
    assert_eq!(customer["due"], "2026-05-12T10:10:00Z");
    assert_eq!(customer["rule"], "notify-customer");
    assert_eq!(customer["recipients"], serde_json::json!(["customers"]));
    assert_eq!(customer["channels"], serde_json::json!(["email"]));
    assert!(customer["cause"]
        .as_str()
        .is_some_and(|c| c.contains("level 1 at 09:40")));
    let leadership = item(items, "leadership");
    assert_eq!(leadership["state"], "due");
    assert_eq!(leadership["due"], "2026-05-12T09:55:00Z");
    // Shared with level 2: keeps its due time from the report, and is met.
    let initial = item(items, "initial");
    assert_eq!(initial["state"], "done");
    assert_eq!(initial["done_at"], "2026-05-12T09:20:00Z");
    // Targets are those of the most severe level, from the report.
    let recover = item(items, "recover");
    assert_eq!(recover["due"], "2026-05-12T11:00:00Z");
    assert_eq!(recover["target"]["level"], 1);
    // Soonest first: leadership (09:55), then customer (10:10).
    let names: Vec<&str> = items.iter().filter_map(|i| i["name"].as_str()).collect();
    let pos = |n: &str| names.iter().position(|x| *x == n);
    assert!(pos("leadership") < pos("customer"), "{names:?}");

    let human = run(&dir, "2026-05-12T09:45:00Z", &["due"]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(human
        .stdout
        .contains("due 09:55             leadership notice: any channel to IT leadership (for the change to level 1 at 09:40)"),
        "{}", human.stdout);
    assert!(
        human.stdout.contains(
            "due 10:10             customer notice: email to Customer distribution lists"
        ),
        "{}",
        human.stdout
    );
    // Nothing is late yet, and check agrees.
    let check = run(&dir, "2026-05-12T09:45:00Z", &["check"]);
    assert_eq!(check.code, 0, "{}", check.stdout);

    // 10:20: both are late, and check reports both.
    let due = json_of(&dir, "2026-05-12T10:20:00Z", &["due", "--format", "json"]);
    let items = items_of(&due, "INC-2026-0401");
    assert_eq!(item(items, "customer")["state"], "late");
    assert_eq!(item(items, "customer")["late_by_seconds"], 600);
    assert_eq!(item(items, "leadership")["state"], "late");
    assert_eq!(item(items, "leadership")["late_by_seconds"], 1500);
    let human = run(&dir, "2026-05-12T10:20:00Z", &["due"]);
    assert!(human.stdout.contains("  LATE 25m "), "{}", human.stdout);
    assert!(human.stdout.contains("  LATE 10m "), "{}", human.stdout);
    let check = json_of(&dir, "2026-05-12T10:20:00Z", &["check", "--format", "json"]);
    let rules: Vec<&str> = check["diagnostics"]
        .as_array()
        .map(|a| a.iter().filter_map(|d| d["rule"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(rules, ["notify-customer", "notify-leadership"]);
}

// ------------------------------------------------------------ golden files

/// Compares with a golden file; `SITREP_BLESS=1` rewrites it.
fn golden(path: &Path, got: &str) {
    if std::env::var_os("SITREP_BLESS").is_some() {
        fs::write(path, got).expect("write golden file");
        return;
    }
    let want = fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with SITREP_BLESS=1)", path.display()));
    assert!(
        want == got,
        "{} differs (SITREP_BLESS=1 rewrites it)\n--- want\n{want}\n--- got\n{got}",
        path.display()
    );
}

#[test]
fn human_checklist_at_a_fixed_now() {
    let dir = fixture("due/states");
    let o = run(&dir, "2026-06-01 12:00", &["due"]);
    // A record with input errors: the checklist, then exit 1 as `check`.
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(
        o.stderr.trim(),
        "error: input errors in 1 file (incidents/inc-0108-input-error.yaml): this checklist may miss incidents until they are fixed; run `sitrep check` for each error and its fix"
    );
    golden(&dir.join("due-human.txt"), &o.stdout);
    let lines: Vec<&str> = o.stdout.lines().collect();
    for want in [
        "Due at 2026-06-01 12:00 UTC: 8 open incidents, 5 late items",
        "  LATE 30m              initial notice: did not reach R&D leader by phone",
        "  LATE 15m              leadership notice: any channel to IT leadership",
        "  due 12:00             initial notice: SMS+email to Service owner, O&M team; phone to R&D leader",
        "  done 11:30            rectification notice (for recovery at 11:00)",
        "  lapsed 10:30          customer notice: dropped by a change of level (was due by 10:30)",
        "  LATE 1h30m            initial notice: SMS+email to Service owner, O&M team; phone to R&D leader [waived]",
        "  done 10:45            initial notice: 15m late, due by 10:30",
    ] {
        assert!(lines.contains(&want), "missing line {want:?} in\n{}", o.stdout);
    }
    // The resolved record is not listed; the one with input errors says so.
    assert!(!o.stdout.contains("INC-2026-0107"));
    assert!(o
        .stdout
        .contains("inc-0108-input-error.yaml has input errors"));
    // No line is wider than a wide terminal needs for the longest message.
    assert!(
        lines.iter().all(|l| !l.contains('\x1b')),
        "no colour off a terminal"
    );
}

#[test]
fn json_is_stable_and_documented() {
    let dir = fixture("due/states");
    let o = run(&dir, "2026-06-01 12:00", &["due", "--format", "json"]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    golden(&dir.join("due.json"), &o.stdout);
    let v: Value = serde_json::from_str(&o.stdout).expect("JSON");
    assert_eq!(v["timezone"], "UTC");
    let keys = [
        "kind",
        "name",
        "rule",
        "state",
        "cause",
        "due",
        "done_at",
        "late_by_seconds",
        "recipients",
        "channels",
        "deliver",
        "missing",
        "target",
        "finding",
        "waived",
        "level",
        "message",
    ];
    for inc in v["incidents"].as_array().expect("incidents") {
        for k in [
            "id",
            "title",
            "file",
            "status",
            "level",
            "level_name",
            "reported_at",
            "open",
            "input_errors",
            "items",
        ] {
            assert!(inc.get(k).is_some(), "incident lacks {k}: {inc:#}");
        }
        for it in inc["items"].as_array().expect("items") {
            let got: Vec<&str> = it
                .as_object()
                .map(|o| o.keys().map(String::as_str).collect())
                .unwrap_or_default();
            assert_eq!(got, keys, "item keys, in order");
            assert!(["late", "due", "done", "missed", "lapsed"]
                .contains(&it["state"].as_str().unwrap_or("")));
            assert!(["notice", "target"].contains(&it["kind"].as_str().unwrap_or("")));
        }
    }
    let missing = item(items_of(&v, "INC-2026-0101"), "initial");
    assert_eq!(missing["state"], "late");
    assert_eq!(missing["rule"], "notify-recipients");
    assert_eq!(
        missing["missing"],
        serde_json::json!(["rd-leader by phone"])
    );
    let progress = items_of(&v, "INC-2026-0103")
        .iter()
        .filter(|i| i["name"] == "progress")
        .collect::<Vec<_>>();
    assert_eq!(progress.len(), 2, "the closed gap and the next notice");
}

#[test]
fn incident_filter_and_errors() {
    let dir = fixture("due/states");
    let v = json_of(
        &dir,
        "2026-06-01 12:00",
        &[
            "due",
            "--format",
            "json",
            "--incident",
            "INC-2026-0102",
            "--incident",
            "INC-2026-0107",
        ],
    );
    let ids: Vec<&str> = v["incidents"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids, ["INC-2026-0102", "INC-2026-0107"]);
    assert_eq!(v["incidents"][1]["open"], false);
    assert_eq!(v["incidents"][1]["items"], serde_json::json!([]));
    let human = run(
        &dir,
        "2026-06-01 12:00",
        &["due", "--incident", "INC-2026-0107"],
    );
    assert!(
        human.stdout.contains("resolved: nothing is due"),
        "{}",
        human.stdout
    );

    let o = run(&dir, "2026-06-01 12:00", &["due", "--incident", "INC-9"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("no record has the id `INC-9`"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("INC-2026-0101"),
        "lists the open ones: {}",
        o.stderr
    );

    let empty = tempfile::tempdir().expect("tempdir");
    let o = run(empty.path(), "2026-06-01 12:00", &["due"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no sitrep.yaml"), "{}", o.stderr);
    let o = run(&dir, "soon", &["due"]);
    assert_eq!(o.code, 2);
}

#[test]
fn rules_the_policy_turns_off_owe_nothing() {
    let dir = fixture("due/policy");
    let v = json_of(
        &dir,
        "2026-06-01T12:00:00+02:00",
        &["due", "--format", "json"],
    );
    let all: Vec<&Value> = v["incidents"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|i| i["items"].as_array().into_iter().flatten())
        .collect();
    assert!(all.iter().all(|i| i["rule"] != "notify-progress"));
    assert!(all.iter().all(|i| i["rule"] != "notify-recipients"));
    let response = item(items_of(&v, "INC-2026-0110"), "respond");
    assert_eq!(response["state"], "late");
    assert_eq!(response["level"], "warning");
    // The initial notice that missed the R&D leader is fine for this site.
    assert_eq!(
        item(items_of(&v, "INC-2026-0101"), "initial")["state"],
        "done"
    );
}

#[test]
fn an_empty_site_has_nothing_due() {
    let d = tempfile::tempdir().expect("tempdir");
    fs::write(d.path().join("sitrep.yaml"), "title: T\n").expect("write");
    let o = run(d.path(), "2026-06-01 12:00", &["due"]);
    assert_eq!(o.code, 0);
    assert!(o
        .stdout
        .starts_with("Due at 2026-06-01 12:00 UTC: 0 open incidents"));
    let v = json_of(d.path(), "2026-06-01 12:00", &["due", "--format", "json"]);
    assert_eq!(v["incidents"], serde_json::json!([]));
}

// ---------------------------------------------- due and check never disagree

/// The rules `due` speaks for.
const DUE_RULES: [&str; 10] = [
    "response-target",
    "recovery-target",
    "resolution-target",
    "notify-initial",
    "notify-progress",
    "notify-rectification",
    "notify-overdue",
    "notify-customer",
    "notify-leadership",
    "notify-recipients",
];

/// Every site under tests/fixtures, and the example site at the root.
fn all_sites() -> Vec<PathBuf> {
    let mut out = vec![repo()];
    for e in walkdir::WalkDir::new(repo().join("tests/fixtures"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_name() == "sitrep.yaml" {
            if let Some(p) = e.path().parent() {
                out.push(p.to_path_buf());
            }
        }
    }
    out
}

fn fixture_now(dir: &Path) -> Option<String> {
    let text = fs::read_to_string(dir.join("expected.json")).ok()?;
    let v: Value = serde_json::from_str(&text).ok()?;
    v["now"].as_str().map(str::to_owned)
}

/// One comparison of `due` and `check` JSON documents of the same site and
/// now. Returns what disagrees.
fn disagreements(due: &Value, check: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let diags: Vec<&Value> = check["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    for inc in due["incidents"].as_array().into_iter().flatten() {
        let id = inc["id"].as_str().unwrap_or("");
        let file = inc["file"].as_str().unwrap_or("");
        let of_rec: Vec<&&Value> = diags
            .iter()
            .filter(|d| d["file"] == file && d["incident"] == id)
            .collect();
        if inc["input_errors"] == true || inc["open"] == false {
            if let Some(d) = of_rec
                .iter()
                .find(|d| DUE_RULES.contains(&d["rule"].as_str().unwrap_or("")))
            {
                bad.push(format!(
                    "{id}: check reports {} but due lists nothing",
                    d["rule"]
                ));
            }
            continue;
        }
        let items: Vec<&Value> = inc["items"].as_array().into_iter().flatten().collect();
        for it in &items {
            let rule = it["rule"].as_str().unwrap_or("");
            let state = it["state"].as_str().unwrap_or("");
            if matches!(state, "late" | "missed") && it["finding"] != true {
                bad.push(format!(
                    "{id}: {state} item {} is not a finding",
                    it["name"]
                ));
            }
            if it["finding"] == true {
                match of_rec.iter().find(|d| d["rule"] == rule) {
                    None => bad.push(format!(
                        "{id}: due shows {} {} ({rule}) but check has no {rule} finding",
                        state, it["name"]
                    )),
                    Some(d) if d["waived"] != it["waived"] => {
                        bad.push(format!("{id}: {rule} waived differs"))
                    }
                    Some(d) if d["level"] != it["level"] => {
                        bad.push(format!("{id}: {rule} level differs"))
                    }
                    Some(_) => {}
                }
            }
            let due_at = it["due"].as_str().unwrap_or("");
            let now = due["now"].as_str().unwrap_or("");
            let t = |s: &str| DateTime::parse_from_rfc3339(s).ok();
            if state == "due" && t(due_at) < t(now) {
                bad.push(format!(
                    "{id}: {} due {due_at} before now {now}",
                    it["name"]
                ));
            }
            if state == "late" && t(due_at) >= t(now) {
                bad.push(format!(
                    "{id}: {} late but due {due_at} ≥ now {now}",
                    it["name"]
                ));
            }
        }
        // The other way: every finding of these rules is an item.
        let mut want: BTreeMap<&str, usize> = BTreeMap::new();
        for d in &of_rec {
            let rule = d["rule"].as_str().unwrap_or("");
            if DUE_RULES.contains(&rule) {
                *want.entry(rule).or_default() += 1;
            }
        }
        let mut got: BTreeMap<&str, usize> = BTreeMap::new();
        for it in items.iter().filter(|i| i["finding"] == true) {
            *got.entry(it["rule"].as_str().unwrap_or("")).or_default() += 1;
        }
        for (rule, n) in &want {
            let g = got.get(rule).copied().unwrap_or(0);
            // One progress finding per period can show as the closed gap and
            // the next late notice.
            let ok = if *rule == "notify-progress" {
                g >= *n
            } else {
                g == *n
            };
            if !ok {
                bad.push(format!("{id}: check has {n} {rule}, due {g}"));
            }
        }
        for rule in got.keys() {
            if !want.contains_key(rule) {
                bad.push(format!("{id}: due has {rule} findings, check none"));
            }
        }
    }
    bad
}

#[test]
fn due_and_check_never_disagree_on_every_fixture() {
    let sites = all_sites();
    assert!(sites.len() > 60, "found only {} sites", sites.len());
    let mut late_seen = 0;
    for dir in sites {
        let nows = match fixture_now(&dir) {
            Some(n) => vec![n],
            None => vec![
                "2026-11-23T12:00:00Z".to_owned(),
                "2031-01-01T00:00:00Z".to_owned(),
            ],
        };
        for now in nows {
            let due = json_of(&dir, &now, &["due", "--format", "json"]);
            let check = json_of(&dir, &now, &["check", "--format", "json"]);
            let bad = disagreements(&due, &check);
            assert!(
                bad.is_empty(),
                "{} at {now}: due and check disagree:\n  {}",
                dir.display(),
                bad.join("\n  ")
            );
            late_seen += due["incidents"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|i| i["items"].as_array().into_iter().flatten())
                .filter(|i| i["state"] == "late")
                .count();
        }
    }
    assert!(
        late_seen >= 5,
        "the fixtures exercise late items ({late_seen})"
    );
}

// In-process, at many moments, and with closed records reopened, so that
// every duty passes through due, late and done.

fn copy_tree(from: &Path, to: &Path, edit: &dyn Fn(&str, String) -> String) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let Ok(rel) = e.path().strip_prefix(from) else {
            continue;
        };
        let first = rel
            .components()
            .next()
            .map(|c| c.as_os_str().to_string_lossy().into_owned());
        if !matches!(
            first.as_deref(),
            Some("sitrep.yaml" | "content" | "incidents")
        ) {
            continue;
        }
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else if e.file_type().is_file() {
            let rel_s = rel.to_string_lossy().replace('\\', "/");
            match fs::read_to_string(e.path()) {
                Ok(text) => fs::write(&dest, edit(&rel_s, text)).expect("write"),
                Err(_) => {
                    fs::copy(e.path(), &dest).expect("copy");
                }
            }
        }
    }
}

fn reopen(fields: &'static [&'static str]) -> impl Fn(&str, String) -> String {
    move |rel: &str, text: String| {
        if !rel.starts_with("incidents/") {
            return text;
        }
        text.lines()
            .filter(|l| !fields.iter().any(|f| l.starts_with(f)))
            .map(|l| format!("{l}\n"))
            .collect()
    }
}

fn moments(site: &Site, extra: Option<DateTime<Utc>>) -> Vec<DateTime<Utc>> {
    let mut out: Vec<DateTime<Utc>> = extra.into_iter().collect();
    for rec in site.records.iter().filter(|r| r.kind == Kind::Incident) {
        let Some(rep) = rec.reported() else { continue };
        for m in (0..=30).map(|k| k * 7) {
            out.push(rep + Duration::minutes(m));
        }
        for h in [4, 7, 25, 24 * 8, 24 * 21, 24 * 61] {
            out.push(rep + Duration::hours(h));
        }
        for t in rec.notifications.iter().filter_map(|n| n.at) {
            out.push(t);
            out.push(t + Duration::seconds(1));
        }
        for e in rec.escalations.iter().filter_map(|e| e.at) {
            out.push(e + Duration::minutes(15));
            out.push(e + Duration::minutes(30));
            out.push(e + Duration::minutes(30) + Duration::seconds(1));
        }
        if let Some(r) = rec.recovered() {
            out.push(r + Duration::hours(1));
            out.push(r + Duration::hours(1) + Duration::seconds(1));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn agree_in_process(dir: &Path, label: &str, extra: Option<DateTime<Utc>>) -> usize {
    let site = sitrep::load::load(dir).expect("loads");
    let mut checked = 0;
    for now in moments(&site, extra) {
        let rep = sitrep::due::report(&site, now, &[]).expect("due report");
        let due = sitrep::due::to_json(&site, &rep);
        let diags = sitrep::check::check(&site, now);
        let check = serde_json::json!({ "diagnostics": diags });
        let bad = disagreements(&due, &check);
        assert!(
            bad.is_empty(),
            "{label} at {now}: due and check disagree:\n  {}",
            bad.join("\n  ")
        );
        // Every open incident is listed.
        let listed = rep.incidents.len();
        let open = site
            .records
            .iter()
            .filter(|r| r.kind == Kind::Incident && r.is_open())
            .count();
        assert_eq!(listed, open, "{label} at {now}");
        checked += rep.incidents.iter().map(|i| i.items.len()).sum::<usize>();
    }
    checked
}

#[test]
fn due_and_check_agree_at_every_moment_and_on_reopened_records() {
    let mut items = 0;
    for dir in all_sites() {
        let extra = fixture_now(&dir)
            .and_then(|n| DateTime::parse_from_rfc3339(&n).ok())
            .map(|t| t.with_timezone(&Utc));
        let label = dir.display().to_string();
        items += agree_in_process(&dir, &label, extra);
        for (name, fields) in [
            ("unresolved", &["resolved_at:", "closed_at:", "status:"][..]),
            (
                "unrecovered",
                &["recovered_at:", "resolved_at:", "closed_at:", "status:"][..],
            ),
        ] {
            let tmp = tempfile::tempdir().expect("tempdir");
            copy_tree(&dir, tmp.path(), &reopen(fields));
            items += agree_in_process(tmp.path(), &format!("{label} ({name})"), extra);
        }
    }
    assert!(items > 1000, "only {items} items compared");
}
