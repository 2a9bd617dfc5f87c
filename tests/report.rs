//! `sitrep report --month` (CLI.md): its numbers agree with `check` on
//! every fixture site and the example site, months are the site zone's,
//! and bad months are usage errors.

mod common;
use common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each month with an incident, from the records' `reported_at` as `check`
/// echoes them is not available: ask the report of every month of a span.
fn months() -> Vec<String> {
    (2025..=2027)
        .flat_map(|y| (1..=12).map(move |m| format!("{y}-{m:02}")))
        .collect()
}

fn agrees_with_check(root: &Path, now: &str) {
    let check = json_of(root, now, &["check", "--format", "json"]);
    // Incidents with each target's finding, waived or not.
    let mut missed: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for d in check["diagnostics"].as_array().into_iter().flatten() {
        let target = match d["rule"].as_str() {
            Some("response-target") => "respond",
            Some("recovery-target") => "recover",
            Some("resolution-target") => "resolve",
            _ => continue,
        };
        if let Some(id) = d["incident"].as_str() {
            missed.entry(target).or_default().insert(id.to_owned());
        }
    }
    let mut total: BTreeMap<&str, u64> = BTreeMap::new();
    for m in months() {
        let r = json_of(root, now, &["report", "--month", &m, "--format", "json"]);
        for t in ["respond", "recover", "resolve"] {
            *total.entry(t).or_default() += r["targets"][t]["missed"].as_u64().unwrap_or(0);
        }
    }
    for t in ["respond", "recover", "resolve"] {
        let want = missed.get(t).map_or(0, BTreeSet::len) as u64;
        assert_eq!(
            total.get(t).copied().unwrap_or(0),
            want,
            "{} {t}",
            root.display()
        );
    }
}

#[test]
fn missed_targets_are_checks_findings() {
    agrees_with_check(&repo(), "2026-11-23T12:00:00Z");
    for rule in ["response-target", "recovery-target", "resolution-target"] {
        for case in ["fires", "clean"] {
            let dir = repo().join("tests/fixtures/rules").join(rule).join(case);
            let expected: Value = serde_json::from_str(
                &std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"),
            )
            .expect("JSON");
            agrees_with_check(
                &dir,
                expected["now"].as_str().unwrap_or("2026-05-20T12:00:00Z"),
            );
        }
    }
}

#[test]
fn months_are_the_site_zones() {
    let d = tempfile::tempdir().expect("tempdir");
    let r = d.path();
    write(r, "sitrep.yaml", "title: T\ntimezone: \"-07:00\"\n");
    // 23:30 on 31 October at UTC−7 is 1 November in UTC: October's.
    write(r, "incidents/a.yaml", "id: INC-1\ntitle: Late\nseverity: 3\nreported_at: 2026-10-31 23:30\nresponded_at: 2026-10-31 23:40\nrecovered_at: 2026-11-01 01:00\nresolved_at: 2026-11-01 02:00\nclosed_at: 2026-11-01 03:00\n");
    let now = "2026-12-01T00:00:00Z";
    let oct = json_of(
        r,
        now,
        &["report", "--month", "2026-10", "--format", "json"],
    );
    assert_eq!(oct["incidents"]["total"], 1, "{oct}");
    assert_eq!(oct["times"]["respond"]["median"], "10m");
    let nov = json_of(
        r,
        now,
        &["report", "--month", "2026-11", "--format", "json"],
    );
    assert_eq!(nov["incidents"]["total"], 0, "{nov}");
    // A month with nothing, and one to come: valid, empty, exit 0.
    let o = run(r, now, &["report", "--month", "2027-03"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("0 incidents"), "{}", o.stdout);
    assert!(o.stderr.contains("has not begun"), "{}", o.stderr);
    for bad in ["2026-13", "26-01", "2026-1"] {
        let o = run(r, now, &["report", "--month", bad]);
        assert_eq!(o.code, 2, "{bad}");
        assert!(o.stderr.contains("write YYYY-MM"), "{}", o.stderr);
    }
}

/// The recurring list: each service's incidents in the order they were
/// reported, the earlier one included (the `recurrence` fixture).
#[test]
fn recurring_incidents_by_service() {
    let dir = repo().join("tests/fixtures/rules/recurrence/fires");
    let r = json_of(
        &dir,
        "2026-07-01T12:00:00Z",
        &["report", "--month", "2026-05", "--format", "json"],
    );
    assert_eq!(
        r["recurring"],
        serde_json::json!([{ "service": "webshop", "incidents": ["INC-2026-0301", "INC-2026-0302", "INC-2026-0303"] }]),
        "{r}"
    );
    assert_eq!(r["findings"]["recurrence"], 2);
    assert_eq!(r["incidents"]["by_level"], serde_json::json!({ "3": 3 }));
}

/// The Markdown form says the same in tables; a `|` in a lesson stays in
/// its cell.
#[test]
fn markdown_says_the_same_in_tables() {
    let dir = repo().join("tests/fixtures/rules/recurrence/fires");
    let o = run(
        &dir,
        "2026-07-01T12:00:00Z",
        &["report", "--month", "2026-05", "--format", "markdown"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    for line in [
        "# Incidents reported in 2026-05\n",
        "| 3 | 0 | 3 |\n",
        "| respond | 3 | 0 | 0 | 20m | 20m |\n",
        "| `recurrence` | 2 |\n",
        "| webshop | INC-2026-0301, INC-2026-0302, INC-2026-0303 |\n",
    ] {
        assert!(o.stdout.contains(line), "{line:?} in\n{}", o.stdout);
    }
    let r = sitrep::report::markdown(&serde_json::json!({
        "month": "2026-05",
        "lessons": [{ "incident": "INC-1", "needs": "a | b\nc" }]
    }));
    assert!(r.contains("| INC-1 | a \\| b c |"), "{r}");
}

/// The four formats on the example site, as snapshots: a change to any of
/// them shows in review.
#[test]
fn the_four_formats_on_the_example_site() {
    for format in ["human", "markdown", "json", "csv"] {
        let o = run(
            &repo(),
            "2026-11-23T12:00:00Z",
            &["report", "--month", "2026-10", "--format", format],
        );
        assert_eq!(o.code, 0, "{}", o.stderr);
        insta::assert_snapshot!(format!("report-2026-10.{format}"), o.stdout);
    }
}

/// CSV: one row per incident; a title that a spreadsheet would run as a
/// formula is quoted with `'`, and a comma or quote stays inside its cell.
#[test]
fn csv_rows_are_cells_not_formulas() {
    let d = tempfile::tempdir().expect("tempdir");
    let r = d.path();
    write(r, "sitrep.yaml", "title: T\ntimezone: UTC\n");
    write(r, "incidents/a.yaml", "id: INC-1\ntitle: \"=HYPERLINK(\\\"http://x.invalid\\\", \\\"a, b\\\")\"\nseverity: 3\nreported_at: 2026-10-01 10:00\nresponded_at: 2026-10-01 10:30\n");
    write(
        r,
        "incidents/b.yaml",
        "id: INC-2\ntitle: Plain\nseverity: 3\nreported_at: 2026-10-02 10:00\n",
    );
    let o = run(
        r,
        "2026-10-03T00:00:00Z",
        &["report", "--month", "2026-10", "--format", "csv"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.stdout.matches("\r\n").count(), 3, "RFC 4180 line ends");
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", o.stdout);
    assert!(
        lines[0].starts_with("id,title,status,level,"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1]
            .starts_with(r#"INC-1,"'=HYPERLINK(""http://x.invalid"", ""a, b"")",investigating,3,"#),
        "{}",
        lines[1]
    );
    // Responded after 30 minutes against level 3's target.
    assert!(lines[1].contains(",30,,,"), "{}", lines[1]);
    assert!(lines[2].starts_with("INC-2,Plain,"), "{}", lines[2]);
}

/// Each month page of /analysis/ states the numbers `report --month` gives
/// for that month (the example site, every month it has).
#[test]
fn analysis_months_say_what_the_report_says() {
    let d = tempfile::tempdir().expect("tempdir");
    let out = d.path().join("out");
    let now = "2026-11-23T12:00:00Z";
    let o = run(
        &repo(),
        now,
        &["build", "--output", out.to_str().expect("utf-8")],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let mut months = 0;
    for e in std::fs::read_dir(out.join("analysis")).expect("analysis/") {
        let e = e.expect("entry");
        if !e.path().is_dir() {
            continue;
        }
        let month = e.file_name().to_string_lossy().into_owned();
        let html = std::fs::read_to_string(e.path().join("index.html")).expect("page");
        let r = json_of(
            &repo(),
            now,
            &["report", "--month", &month, "--format", "json"],
        );
        for (name, label) in [
            ("respond", "Respond"),
            ("recover", "Recover"),
            ("resolve", "Resolve"),
        ] {
            let t = &r["targets"][name];
            let row = format!(
                "<th scope=\"row\">{label}</th><td>{}</td><td>{}</td><td>{}</td>",
                t["met"], t["missed"], t["open"]
            );
            assert!(html.contains(&row), "{month}: {row}");
        }
        let no = &r["notices"];
        let said = format!(
            "{} sent on time, {} late, {} not sent.",
            no["on_time"], no["late"], no["missing"]
        );
        assert!(html.contains(&said), "{month}: {said}");
        months += 1;
    }
    assert!(months >= 5, "{months} month pages");
}

/// History (an imported record) is not counted in the month's numbers but
/// stands on top of the levels in the incidents chart, named as such.
#[test]
fn history_shows_in_the_incidents_chart_apart() {
    let d = tempfile::tempdir().expect("tempdir");
    let r = d.path();
    write(
        r,
        "sitrep.yaml",
        "title: T\ntimezone: UTC\nservices:\n  - { id: web, name: Web }\n",
    );
    write(r, "incidents/a.yaml", "id: INC-1\ntitle: Ours\nseverity: 3\nservices: [web]\nreported_at: 2026-10-01 09:00\nresponded_at: 2026-10-01 09:30\nrecovered_at: 2026-10-01 10:00\nresolved_at: 2026-10-01 11:00\nclosed_at: 2026-10-01 12:00\n");
    write(r, "incidents/b.yaml", "id: sp-1\ntitle: Theirs\nseverity: 3\nservices: [web]\nimported: { from: statuspage, id: sp-1 }\nreported_at: 2026-10-02 09:00\nresolved_at: 2026-10-02 10:00\n");
    let now = "2026-11-23T12:00:00Z";
    let month = json_of(
        r,
        now,
        &["report", "--month", "2026-10", "--format", "json"],
    );
    assert_eq!(month["incidents"]["total"], 1, "{month}");
    assert_eq!(month["history"], 1, "{month}");
    let out = d.path().join("out");
    let o = run(r, now, &["build", "--output", out.to_str().expect("utf-8")]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let page = std::fs::read_to_string(out.join("analysis/index.html")).expect("page");
    assert!(page.contains(" k-history\" x="), "{page}");
    assert!(
        page.contains("<th scope=\"col\">History (not checked)</th>"),
        "{page}"
    );
    assert!(
        page.contains("<td>1 <span class=\"muted\">(+1 history)</span></td>"),
        "{page}"
    );
}

/// A month page lists 200 rows per list at most and says how many there
/// are; the human report sends no terminal escape from a record on.
#[test]
fn long_months_are_capped_and_text_is_tamed() {
    let d = tempfile::tempdir().expect("tempdir");
    let r = d.path();
    write(
        r,
        "sitrep.yaml",
        "title: T\ntimezone: UTC\nservices:\n  - { id: web, name: Web }\n",
    );
    for i in 0..205 {
        write(
            r,
            &format!("incidents/i{i}.yaml"),
            &format!("id: INC-{i}\ntitle: T{i}\nseverity: 2\nservices: [web]\nreported_at: 2026-10-01 09:00\nresponded_at: 2026-10-01 09:20\nrecovered_at: 2026-10-01 10:00\nresolved_at: 2026-10-01 11:00\nclosed_at: 2026-10-01 12:00\nreport: {{ conditions: c, actions: a, needs: \"more \\e[31mred\\e]0;title\\a\" }}\n"),
        );
    }
    let now = "2026-11-23T12:00:00Z";
    let out = d.path().join("out");
    let o = run(r, now, &["build", "--output", out.to_str().expect("utf-8")]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let page = std::fs::read_to_string(out.join("analysis/2026-10/index.html")).expect("page");
    assert!(page.len() < 512 * 1024, "{} bytes", page.len());
    assert!(page.contains("The first 200 of 205;"), "lessons capped");
    assert!(
        page.contains("205 incidents, the latest 200:"),
        "recurring capped"
    );
    let index = std::fs::read_to_string(out.join("analysis/index.html")).expect("index");
    assert!(
        index.contains("205 incidents, the latest 10:"),
        "recurring on /analysis/"
    );
    let h = run(r, now, &["report", "--month", "2026-10"]);
    assert_eq!(h.code, 0, "{}", h.stderr);
    assert!(h.stdout.contains("more [31mred]0;title"), "{}", h.stdout);
    assert!(
        !h.stdout.contains('\u{1b}') && !h.stdout.contains('\u{7}'),
        "{:?}",
        h.stdout
    );
}
