//! One fixture site per rule id of RULES.md that fires it, and the closest
//! clean site that must not.
//!
//! Each fixture directory under `tests/fixtures/` is a complete site with an
//! `expected.json`:
//!
//! ```json
//! { "now": "2026-05-20T12:00:00Z",
//!   "findings": [ { "rule": "notify-initial", "file": "incidents/inc-0201.yaml", "line": 12 } ] }
//! ```
//!
//! `findings` lists exactly every unwaived diagnostic (rule, file, line) that
//! `sitrep --root DIR check --format json --now NOW` must print; the exit code
//! must be 1 when one of them is an error and 0 otherwise.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every rule id, from the registry.
fn all_rules() -> Vec<&'static str> {
    sitrep::diag::RULES.iter().map(|r| r.id).collect()
}

/// Whether a rule warns by default (the registry says).
fn warns(rule: &str) -> bool {
    sitrep::diag::rules::by_id(rule).is_some_and(|r| r.level == sitrep::diag::Level::Warning)
}

type Finding = (String, String, u64);

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

struct Run {
    json: Value,
    code: i32,
    stdout: String,
    stderr: String,
}

fn expected_of(dir: &Path) -> (String, Vec<Finding>) {
    let path = dir.join("expected.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let v: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    let now = v["now"]
        .as_str()
        .expect("expected.json: `now` string")
        .to_owned();
    let mut findings: Vec<Finding> = v["findings"]
        .as_array()
        .expect("expected.json: `findings` array")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("finding.rule").to_owned(),
                f["file"].as_str().expect("finding.file").to_owned(),
                f["line"].as_u64().expect("finding.line"),
            )
        })
        .collect();
    findings.sort();
    (now, findings)
}

fn run_check(dir: &Path, now: &str) -> Run {
    let out = Command::cargo_bin("sitrep")
        .expect("the sitrep binary is built")
        .env("NO_COLOR", "1")
        .arg("--root")
        .arg(dir)
        .args(["check", "--format", "json", "--now", now])
        .output()
        .expect("sitrep runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "stdout of `sitrep --root {} check --format json` is not JSON ({e})\n\
             exit: {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            dir.display(),
            out.status.code()
        )
    });
    Run {
        json,
        code: out.status.code().unwrap_or(-1),
        stdout,
        stderr,
    }
}

fn diagnostics(run: &Run) -> &Vec<Value> {
    run.json["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no `diagnostics` array in:\n{}", run.stdout))
}

fn unwaived(run: &Run) -> Vec<&Value> {
    diagnostics(run)
        .iter()
        .filter(|d| !d["waived"].as_bool().expect("diagnostic.waived is a bool"))
        .collect()
}

fn as_finding(d: &Value) -> Finding {
    (
        d["rule"].as_str().expect("diagnostic.rule").to_owned(),
        d["file"].as_str().expect("diagnostic.file").to_owned(),
        d["line"].as_u64().expect("diagnostic.line"),
    )
}

fn show(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "    (none)".to_owned();
    }
    findings
        .iter()
        .map(|(r, f, l)| format!("    {r:<22} {f}:{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs the fixture at `tests/fixtures/<rel>` and checks it against its
/// `expected.json`. Returns the run for further assertions.
fn check_fixture(rel: &str) -> Run {
    let dir = fixtures().join(rel);
    assert!(
        dir.join("sitrep.yaml").is_file(),
        "no fixture site at {}",
        dir.display()
    );
    let (now, expected) = expected_of(&dir);
    let run = run_check(&dir, &now);

    let mut got: Vec<Finding> = unwaived(&run).into_iter().map(as_finding).collect();
    got.sort();
    assert!(
        got == expected,
        "fixture {rel} (--now {now}): unwaived findings differ\n  expected:\n{}\n  got:\n{}\n\
         full output:\n{}\nstderr:\n{}",
        show(&expected),
        show(&got),
        run.stdout,
        run.stderr
    );

    // Levels are the defaults of RULES.md (no fixture overrides the policy).
    for d in unwaived(&run) {
        let rule = d["rule"].as_str().unwrap();
        let want = if warns(rule) { "warning" } else { "error" };
        assert_eq!(
            d["level"].as_str(),
            Some(want),
            "fixture {rel}: {rule} should have level {want}: {d}"
        );
    }

    // Exit 1 exactly when an unwaived error is expected; warnings exit 0.
    let errors = expected.iter().filter(|(r, _, _)| !warns(r)).count();
    let warnings = expected.len() - errors;
    let want_code = if errors > 0 { 1 } else { 0 };
    assert_eq!(
        run.code, want_code,
        "fixture {rel}: exit code (expected {errors} unwaived errors)\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );

    let summary = &run.json["summary"];
    assert_eq!(
        summary["errors"].as_u64(),
        Some(errors as u64),
        "fixture {rel}: summary.errors in {summary}"
    );
    assert_eq!(
        summary["warnings"].as_u64(),
        Some(warnings as u64),
        "fixture {rel}: summary.warnings in {summary}"
    );
    run
}

/// Each rule of the registry fires on its `fires` fixture and not on its
/// `clean` one, with exactly the findings each `expected.json` lists.
#[test]
fn every_rule_on_its_fixtures() {
    for rule in all_rules() {
        for kind in ["fires", "clean"] {
            let rel = format!("rules/{rule}/{kind}");
            let (_, expected) = expected_of(&fixtures().join(&rel));
            let lists = expected.iter().any(|(r, _, _)| r == rule);
            assert_eq!(
                lists,
                kind == "fires",
                "{rel}/expected.json must {}list a `{rule}` finding",
                if kind == "fires" { "" } else { "not " }
            );
            check_fixture(&rel);
        }
    }
}

/// Every rule id has a `fires` and a `clean` fixture, and no fixture folder
/// is named after a rule that does not exist.
#[test]
fn every_rule_has_fixtures() {
    let rules_dir = fixtures().join("rules");
    for rule in all_rules() {
        for kind in ["fires", "clean"] {
            let dir = rules_dir.join(rule).join(kind);
            assert!(
                dir.join("expected.json").is_file(),
                "missing fixture {}",
                dir.display()
            );
        }
    }
    let on_disk: BTreeSet<String> = std::fs::read_dir(&rules_dir)
        .expect("tests/fixtures/rules")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let known: BTreeSet<String> = all_rules().iter().map(|s| s.to_string()).collect();
    assert_eq!(on_disk, known, "fixture folders vs RULES.md rule ids");
}

// ---------------------------------------------------------------------------
// Seed scenario: a level 2 incident escalated to level 1 at 09:40 (reported
// 09:00) with no customer and no leadership notice. RULES.md, "Levels and
// escalation": it owes the customer notice by 10:10 and the leadership notice
// by 09:55.

const ESCALATED: &str = "scenarios/escalated-l2-to-l1";

fn message_of<'a>(run: &'a Run, rule: &str) -> &'a str {
    let found: Vec<&Value> = unwaived(run)
        .into_iter()
        .filter(|d| d["rule"] == rule)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "exactly one {rule} diagnostic expected in:\n{}",
        run.stdout
    );
    found[0]["message"].as_str().expect("diagnostic.message")
}

#[test]
fn escalation_customer_notice_due_by_1010() {
    let run = check_fixture(ESCALATED);
    let msg = message_of(&run, "notify-customer");
    assert!(
        msg.contains("10:10"),
        "notify-customer message should name the due time 10:10: {msg}"
    );
}

#[test]
fn escalation_leadership_notice_due_by_0955() {
    let run = check_fixture(ESCALATED);
    let msg = message_of(&run, "notify-leadership");
    assert!(
        msg.contains("09:55"),
        "notify-leadership message should name the due time 09:55: {msg}"
    );
}

/// No notice in this record reaches `leadership`, so the message must not
/// claim that a leadership notice was sent (the only notice after 09:55 is the
/// 10:15 progress notice to service-owner/om-team).
#[test]
fn escalation_leadership_message_claims_no_notice() {
    let run = check_fixture(ESCALATED);
    let msg = message_of(&run, "notify-leadership");
    assert!(
        !msg.contains("10:15"),
        "no leadership notice was sent, yet the message says: {msg}"
    );
}

// ---------------------------------------------------------------------------
// Where findings point, and what their messages claim.

/// A leadership notice sent 1m late: the finding concerns that entry, so it
/// should point at its `- at:` line (as notify-initial, -customer and
/// -rectification do for late notices).
#[test]

fn notify_leadership_fires_late() {
    check_fixture("rules/notify-leadership/fires-late");
}

/// Escalated 2 -> 1 at 09:40; customer notices at 09:35 (before the
/// escalation: does not count) and 10:20 (late). The finding concerns the
/// late 10:20 notice that its own message names.
#[test]
fn notify_customer_fires_after_escalation() {
    check_fixture("rules/notify-customer/fires-after-escalation");
}

/// A parent closed with no `report` at all: a missing field is reported at
/// the record's `id:` line (RULES.md intro, CLI.md "line/column").
#[test]

fn report_missing_fires_no_report() {
    check_fixture("rules/report-missing/fires-no-report");
}

/// Real material (tests/fixtures/real/platform-ops/CREDITS.md): runbooks
/// and post-mortems that other teams wrote, as a new team would bring them.
#[test]
fn real_material_platform_ops() {
    check_fixture("real/platform-ops");
    // Both views build; the public one holds no runbook and no timeline.
    let out = tempfile::tempdir().unwrap();
    for (view, flag) in [("internal", None), ("public", Some("--public"))] {
        let dir = out.path().join(view);
        let o = Command::cargo_bin("sitrep")
            .unwrap()
            .arg("--root")
            .arg(fixtures().join("real/platform-ops"))
            .args(["build", "--now", "2026-12-01T00:00:00Z", "--output"])
            .arg(&dir)
            .args(flag)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert!(out.path().join("internal/runbooks").is_dir());
    assert!(!out.path().join("public/runbooks").exists());
    let page =
        std::fs::read_to_string(out.path().join("public/incidents/PM2021-006/index.html")).unwrap();
    assert!(
        !page.contains("Kubernetes upgrade commenced"),
        "a timeline entry in the public view"
    );
}
