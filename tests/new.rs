//! `sitrep new incident` and `sitrep new runbook`: on an empty site, on a
//! site with ids, where the file exists, and with bad input — and what
//! they write passes `sitrep check`'s input rules as written.

mod common;
use common::*;
use std::fs;
use std::path::Path;

const NOW: &str = "2026-03-14 02:40";

/// A site from tests/fixtures/new/<name>, copied so that it can be written.
fn site(name: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().expect("tempdir");
    copy_dir(&repo().join("tests/fixtures/new").join(name), d.path());
    d
}

/// The check findings of one file, as (rule, family, level).
fn findings(root: &Path, now: &str, file: &str) -> Vec<(String, String, String)> {
    let v = json_of(root, now, &["check", "--format", "json"]);
    v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["file"] == file)
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("").to_owned(),
                d["family"].as_str().unwrap_or("").to_owned(),
                d["level"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn input_errors(root: &Path, now: &str) -> Vec<String> {
    let v = json_of(root, now, &["check", "--format", "json"]);
    v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["family"] == "input")
        .map(|d| format!("{}:{} {} {}", d["file"], d["line"], d["rule"], d["message"]))
        .collect()
}

// ---------------------------------------------------------------- incident

#[test]
fn new_incident_on_an_empty_site() {
    let d = site("empty");
    let o = run(
        d.path(),
        NOW,
        &[
            "new",
            "incident",
            "--title",
            "Checkout: payments fail",
            "--severity",
            "2",
            "--service",
            "shop",
            "--service",
            "payments",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let path = d.path().join("incidents/INC-2026-0001.yaml");
    assert_eq!(
        o.stdout.trim(),
        path.display().to_string(),
        "prints the path"
    );
    let text = fs::read_to_string(&path).expect("written");
    assert!(text.contains("\nid: INC-2026-0001\n"), "{text}");
    assert!(
        text.contains("\ntitle: \"Checkout: payments fail\"\n"),
        "{text}"
    );
    assert!(text.contains("\nseverity: 2 "), "{text}");
    assert!(text.contains("\nservices: [shop, payments]\n"), "{text}");
    // reported_at = now in the site zone (Europe/Paris).
    assert!(text.contains("\nreported_at: 2026-03-14 02:40\n"), "{text}");
    // Commented slots for roles, notifications, timeline and updates.
    for slot in [
        "# roles:",
        "#   incident_manager:",
        "# notifications:",
        "# timeline:",
        "# updates:",
    ] {
        assert!(text.contains(slot), "no `{slot}` in\n{text}");
    }
    // What is owed is left to `sitrep due`: an escalation would make a
    // list written here wrong (issue 18).
    assert!(!text.contains("owes"), "{text}");
    assert!(
        text.contains("`sitrep due` lists what is owed next"),
        "{text}"
    );

    // It passes the input rules as written; only procedure findings (no
    // owner yet for a level 2 incident) remain.
    assert_eq!(input_errors(d.path(), NOW), Vec::<String>::new());
    let f = findings(d.path(), NOW, "incidents/INC-2026-0001.yaml");
    assert!(
        f.iter().all(|(_, family, _)| family == "procedure"),
        "{f:?}"
    );
    // And `due` picks it up at once.
    let due = run(d.path(), NOW, &["due"]);
    assert!(
        due.stdout
            .contains("INC-2026-0001  level 2 (Major), investigating  Checkout: payments fail"),
        "{}",
        due.stdout
    );
    assert!(due.stdout.contains("due 03:10"), "{}", due.stdout);
}

#[test]
fn a_level_3_incident_passes_check_entirely() {
    let d = site("empty");
    let o = run(
        d.path(),
        NOW,
        &[
            "new",
            "incident",
            "--title",
            "Slow images",
            "--severity",
            "3",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let check = run(d.path(), NOW, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    let text = fs::read_to_string(d.path().join("incidents/INC-2026-0001.yaml")).expect("written");
    assert!(
        text.contains("# services: []"),
        "no services given: a commented slot\n{text}"
    );
    assert!(!text.contains("owes"), "{text}");
}

#[test]
fn new_incident_takes_the_next_free_id_of_the_year() {
    let d = site("with-ids");
    // 2027-01-01 03:00 UTC is still 2026-12-31 in Chicago: the year of the
    // site zone decides.
    let o = run(
        d.path(),
        "2027-01-01T03:00:00Z",
        &[
            "new",
            "incident",
            "--title",
            "Scanners offline",
            "--severity",
            "1",
            "--service",
            "scanners",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let path = d.path().join("incidents/INC-2026-0043.yaml");
    assert_eq!(o.stdout.trim(), path.display().to_string());
    let text = fs::read_to_string(&path).expect("written");
    assert!(text.contains("reported_at: 2026-12-31 21:00"), "{text}");
    assert_eq!(
        input_errors(d.path(), "2027-01-01T03:00:00Z"),
        Vec::<String>::new()
    );

    // A new year starts from 0001.
    let o = run(
        d.path(),
        "2027-01-02 09:00",
        &["new", "incident", "--title", "New year", "--severity", "3"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.trim().ends_with("INC-2027-0001.yaml"),
        "{}",
        o.stdout
    );
    // And the next one in 2026 after that counts the one just written.
    let o = run(
        d.path(),
        "2026-12-31 23:00",
        &["new", "incident", "--title", "Again", "--severity", "3"],
    );
    assert!(
        o.stdout.trim().ends_with("INC-2026-0044.yaml"),
        "{} {}",
        o.stdout,
        o.stderr
    );
}

#[test]
fn new_incident_on_the_example_site() {
    let d = tempfile::tempdir().expect("tempdir");
    fs::copy(repo().join("sitrep.yaml"), d.path().join("sitrep.yaml")).expect("copy");
    for e in walkdir::WalkDir::new(repo().join("incidents"))
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(repo()).expect("below");
            let dest = d.path().join(rel);
            fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
            fs::copy(e.path(), dest).expect("copy");
        }
    }
    let now = "2026-11-23 10:00";
    let o = run(
        d.path(),
        now,
        &[
            "new",
            "incident",
            "--title",
            "Order API errors",
            "--severity",
            "2",
            "--service",
            "order-api",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.trim().ends_with("incidents/INC-2026-0044.yaml"),
        "{}",
        o.stdout
    );
    let errs: Vec<String> = input_errors(d.path(), now)
        .into_iter()
        .filter(|e| e.contains("INC-2026-0044"))
        .collect();
    assert!(errs.is_empty(), "{errs:?}");
}

#[test]
fn new_incident_refuses_to_overwrite() {
    let d = site("empty");
    // A file of that name whose record carries another id.
    let original = "id: OTHER-1\ntitle: Placeholder\nseverity: 3\nreported_at: 2026-03-01 10:00\n";
    write(d.path(), "incidents/INC-2026-0001.yaml", original);
    let o = run(
        d.path(),
        NOW,
        &["new", "incident", "--title", "T", "--severity", "3"],
    );
    assert_eq!(o.code, 2, "{}", o.stdout);
    assert!(o.stderr.contains("already exists"), "{}", o.stderr);
    assert!(o.stderr.contains("INC-2026-0001.yaml"), "{}", o.stderr);
    assert!(o.stdout.is_empty());
    assert_eq!(
        fs::read_to_string(d.path().join("incidents/INC-2026-0001.yaml")).expect("still there"),
        original
    );
}

#[test]
fn unknown_service_or_level_lists_the_valid_ones() {
    let d = site("empty");
    let o = run(
        d.path(),
        NOW,
        &["new", "incident", "--title", "T", "--severity", "7"],
    );
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("unknown severity level `7`"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("1 (Critical), 2 (Major), 3 (Minor)"),
        "{}",
        o.stderr
    );
    let o = run(
        d.path(),
        NOW,
        &["new", "incident", "--title", "T", "--severity", "high"],
    );
    assert_eq!(o.code, 2);
    let o = run(
        d.path(),
        NOW,
        &[
            "new",
            "incident",
            "--title",
            "T",
            "--severity",
            "1",
            "--service",
            "shp",
        ],
    );
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("unknown service `shp` (did you mean `shop`?)"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("shop, payments"), "{}", o.stderr);
    let o = run(
        d.path(),
        NOW,
        &["new", "incident", "--title", "  ", "--severity", "1"],
    );
    assert_eq!(o.code, 2);
    assert!(
        !d.path().join("incidents").exists(),
        "nothing written on errors"
    );
}

#[test]
fn new_refuses_without_a_site_or_with_a_broken_config() {
    let d = tempfile::tempdir().expect("tempdir");
    let o = run(
        d.path(),
        NOW,
        &["new", "incident", "--title", "T", "--severity", "1"],
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no sitrep.yaml"), "{}", o.stderr);
    write(d.path(), "sitrep.yaml", "title: T\ntimezon: UTC\n");
    let o = run(d.path(), NOW, &["new", "runbook", "x"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("sitrep.yaml:2:1"), "{}", o.stderr);
}

// ----------------------------------------------------------------- runbook

#[test]
fn new_runbook_creates_the_section_and_fills_the_front_matter() {
    let d = site("empty");
    let o = run(
        d.path(),
        NOW,
        &["new", "runbook", "outage/database-failover"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let path = d.path().join("content/outage/database-failover.md");
    assert_eq!(o.stdout.trim(), path.display().to_string());
    let text = fs::read_to_string(&path).expect("written");
    assert!(
        text.starts_with("---\ntitle: Database failover\n"),
        "{text}"
    );
    assert!(text.contains("\nowner: \"\""), "{text}");
    assert!(text.contains("\nlast_reviewed: 2026-03-14\n"), "{text}");
    assert!(text.contains("\nlevels: [1, 2, 3] "), "{text}");
    assert!(
        text.contains("\nservices: [] ") && text.contains("shop, payments"),
        "{text}"
    );
    // Valid as written; the empty owner is a reminder (a warning).
    let f = findings(d.path(), NOW, "content/outage/database-failover.md");
    assert_eq!(
        f,
        [(
            "runbook-owner".to_owned(),
            "procedure".to_owned(),
            "warning".to_owned()
        )]
    );
    assert_eq!(run(d.path(), NOW, &["check"]).code, 0);

    // A title of its own, `.md` and a `content/` prefix are accepted.
    let o = run(
        d.path(),
        NOW,
        &[
            "new",
            "runbook",
            "content/comms/customer-alert.md",
            "--title",
            "Customer alert: email #1",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let text =
        fs::read_to_string(d.path().join("content/comms/customer-alert.md")).expect("written");
    assert!(
        text.contains("title: \"Customer alert: email #1\"\n"),
        "{text}"
    );
    assert_eq!(input_errors(d.path(), NOW), Vec::<String>::new());
}

#[test]
fn new_runbook_refuses_to_overwrite_and_bad_paths() {
    let d = site("empty");
    write(d.path(), "content/outage/db.md", "---\ntitle: Mine\n---\n");
    let o = run(d.path(), NOW, &["new", "runbook", "outage/db"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("already exists"), "{}", o.stderr);
    assert_eq!(
        fs::read_to_string(d.path().join("content/outage/db.md")).expect("kept"),
        "---\ntitle: Mine\n---\n"
    );
    for bad in [
        "../escape",
        "/abs",
        "a//b",
        "outage/_index",
        "has space",
        "",
    ] {
        let o = run(d.path(), NOW, &["new", "runbook", bad]);
        assert_eq!(o.code, 2, "{bad}: {}", o.stdout);
    }
    assert!(!d.path().join("escape.md").exists());
}

// ------------------------------------------------ incident options, maintenance

#[test]
fn new_incident_with_manager_parent_times_and_impact() {
    let d = site("empty");
    let parent = run(
        d.path(),
        NOW,
        &["new", "incident", "--title", "Outage", "--severity", "1"],
    );
    assert_eq!(parent.code, 0, "{}", parent.stderr);
    let o = run(
        d.path(),
        NOW,
        &[
            "new",
            "incident",
            "--title",
            "Payments part",
            "--severity",
            "2",
            "--manager",
            "Pat Doe",
            "--parent",
            "INC-2026-0001",
            "--at",
            "-10m",
            "--started",
            "02:20",
            "--impact",
            "major_outage",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let text = fs::read_to_string(d.path().join("incidents/INC-2026-0002.yaml")).expect("written");
    for line in [
        "\nimpact: major_outage ",
        "\nparent: INC-2026-0001\n",
        "\nroles:\n  incident_manager: Pat Doe\n#   tech_lead:\n",
        "\nstarted_at: 2026-03-14 02:20\nreported_at: 2026-03-14 02:30\n",
    ] {
        assert!(text.contains(line), "no {line:?} in\n{text}");
    }
    assert_eq!(input_errors(d.path(), NOW), Vec::<String>::new());
}

#[test]
fn new_incident_refuses_bad_options() {
    let d = site("empty");
    for (args, msg) in [
        (
            &["--parent", "INC-2026-0009"][..],
            "--parent: no record has the id `INC-2026-0009`",
        ),
        (&["--at", "2026-03-14 03:00"][..], "is in the future"),
        (
            &["--at", "02:30", "--started", "02:35"][..],
            "--started 2026-03-14 02:35 is after the report",
        ),
        (&["--impact", "total"][..], "unknown impact `total`"),
        (&["--manager", " "][..], "--manager must not be empty"),
    ] {
        let mut all = vec!["new", "incident", "--title", "T", "--severity", "2"];
        all.extend_from_slice(args);
        let o = run(d.path(), NOW, &all);
        assert_eq!(o.code, 2, "{args:?}");
        assert!(o.stderr.contains(msg), "{args:?}: {}", o.stderr);
    }
    assert!(
        !d.path().join("incidents").exists()
            || fs::read_dir(d.path().join("incidents")).unwrap().count() == 0
    );
}

#[test]
fn new_maintenance_writes_a_window() {
    let d = site("empty");
    let o = run(
        d.path(),
        NOW,
        &[
            "new",
            "maintenance",
            "--title",
            "Database failover test",
            "--service",
            "shop",
            "--from",
            "2026-03-20 22:00",
            "--until",
            "2026-03-21 01:00",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(
        o.stdout.trim(),
        format!(
            "{}",
            d.path().join("incidents/MNT-2026-0001.yaml").display()
        )
    );
    let text = fs::read_to_string(d.path().join("incidents/MNT-2026-0001.yaml")).expect("written");
    assert!(text.contains("kind: maintenance\nid: MNT-2026-0001\ntitle: Database failover test\nservices: [shop]\nscheduled_start: 2026-03-20 22:00\nscheduled_end: 2026-03-21 01:00\n"), "{text}");
    assert_eq!(input_errors(d.path(), NOW), Vec::<String>::new());
    let o = run(
        d.path(),
        NOW,
        &[
            "new",
            "maintenance",
            "--title",
            "X",
            "--from",
            "2026-03-21 01:00",
            "--until",
            "2026-03-20 22:00",
        ],
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("is not after --from"), "{}", o.stderr);
}
