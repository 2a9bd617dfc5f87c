//! History (RULES.md, "History (v2)"): imported records and records
//! reported before `policy.applies_from` get the input rules only, are
//! counted apart on the compliance page and owe nothing in `due`.

mod common;
use common::*;

const NOW: &str = "2026-12-04T12:00:00Z";

/// A level 1 incident with no response, recovery or notice: every
/// procedure rule fires on it unless it is history.
fn unanswered(id: &str, reported: &str, extra: &str) -> String {
    format!("id: {id}\ntitle: Checkout down\nseverity: 1\nreported_at: {reported}\n{extra}")
}

fn site() -> tempfile::TempDir {
    let d = tempfile::tempdir().expect("tempdir");
    let r = d.path();
    write(
        r,
        "sitrep.yaml",
        "title: T\ntimezone: Europe/Berlin\npolicy:\n  applies_from: 2026-01-01\n",
    );
    // Times are in the site zone: 1 January is current, 31 December history.
    write(
        r,
        "incidents/current.yaml",
        &unanswered("INC-NEW", "2026-01-01 00:30", ""),
    );
    write(
        r,
        "incidents/old.yaml",
        &unanswered("INC-OLD", "2025-12-31 23:59", ""),
    );
    write(
        r,
        "incidents/imported/sp.yaml",
        &unanswered(
            "SP-1",
            "2026-06-01 10:00",
            "imported: { from: statuspage, id: ljwdk6qml8z8, url: \"https://status.example.com/incidents/ljwdk6qml8z8\" }\n",
        ),
    );
    d
}

fn findings(root: &std::path::Path) -> Vec<(String, String)> {
    let v = json_of(root, NOW, &["check", "--format", "json"]);
    let mut out: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["incident"].as_str().unwrap_or("").to_owned(),
                d["rule"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn history_gets_the_input_rules_only() {
    let d = site();
    let got = findings(d.path());
    let ids: std::collections::BTreeSet<&str> = got.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(ids.into_iter().collect::<Vec<_>>(), ["INC-NEW"], "{got:?}");
    assert!(got.contains(&("INC-NEW".into(), "response-target".into())));
    // Input rules still apply to history.
    write(
        d.path(),
        "incidents/old.yaml",
        &unanswered(
            "INC-OLD",
            "2025-12-31 23:59",
            "closed_at: 2025-12-30 10:00\n",
        ),
    );
    write(
        d.path(),
        "incidents/imported/sp.yaml",
        &unanswered(
            "SP-1",
            "2026-06-01 10:00",
            "imported: { from: elsewhere }\n",
        ),
    );
    let got = findings(d.path());
    assert!(
        got.contains(&("INC-OLD".into(), "time-order".into())),
        "{got:?}"
    );
    assert!(got.contains(&("SP-1".into(), "schema".into())), "{got:?}");
    assert!(
        !got.iter()
            .any(|(i, r)| i == "INC-OLD" && r == "response-target"),
        "{got:?}"
    );
}

#[test]
fn history_is_counted_apart_and_owes_nothing() {
    let d = site();
    let out = d.path().join("out");
    let b = run(d.path(), NOW, &["build", "-o", &out.to_string_lossy()]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let page = std::fs::read_to_string(out.join("compliance/index.html")).expect("page");
    assert!(
        page.contains("0 of 1 incidents have no open finding"),
        "{page}"
    );
    assert!(
        page.contains("1 imported record and 1 incident reported before 2026-01-01"),
        "{page}"
    );
    assert!(
        !page.contains("INC-OLD") && !page.contains(">SP-1<"),
        "{page}"
    );
    let sp = std::fs::read_to_string(out.join("incidents/SP-1/index.html")).expect("page");
    assert!(
        sp.contains("History imported from Statuspage (id ljwdk6qml8z8)"),
        "{sp}"
    );
    assert!(
        sp.contains("href=\"https://status.example.com/incidents/ljwdk6qml8z8\""),
        "{sp}"
    );
    let old = std::fs::read_to_string(out.join("incidents/INC-OLD/index.html")).expect("page");
    assert!(
        old.contains("Reported before the procedure applied (2026-01-01"),
        "{old}"
    );
    let due = json_of(d.path(), NOW, &["due", "--format", "json"]);
    let owed: Vec<&str> = due["incidents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|i| i["items"].as_array().is_some_and(|a| !a.is_empty()))
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(owed, ["INC-NEW"], "{due}");
}

/// `policy.recurrence.window` sets how far back `recurrence` looks (the
/// rule's fixture: incidents 9 and 2 days after the one before on
/// `webshop`), and `sitrep policy` prints it.
#[test]
fn the_recurrence_window_is_the_policys() {
    let fixture = repo().join("tests/fixtures/rules/recurrence/fires");
    let d = tempfile::tempdir().expect("tempdir");
    let r = d.path();
    for f in ["inc-0301", "inc-0302", "inc-0303", "inc-0304"] {
        let text =
            std::fs::read_to_string(fixture.join(format!("incidents/{f}.yaml"))).expect("read");
        write(r, &format!("incidents/{f}.yaml"), &text);
    }
    let config = std::fs::read_to_string(fixture.join("sitrep.yaml")).expect("read");
    let now = "2026-07-01T12:00:00Z";
    let fired = |window: &str| -> Vec<String> {
        write(
            r,
            "sitrep.yaml",
            &format!("{config}policy:\n  recurrence: {{ window: {window} }}\n"),
        );
        let v = json_of(r, now, &["check", "--format", "json"]);
        v["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["rule"] == "recurrence")
            .filter_map(|d| d["incident"].as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(fired("14d"), ["INC-2026-0302", "INC-2026-0303"]);
    assert_eq!(fired("7d"), ["INC-2026-0303"]);
    assert!(fired("1d").is_empty());
    assert_eq!(
        fired("40d"),
        ["INC-2026-0302", "INC-2026-0303", "INC-2026-0304"]
    );
    let p = run(r, now, &["policy"]);
    assert!(
        p.stdout.contains("recurrence:\n  window: 40d\n"),
        "{}",
        p.stdout
    );
}
