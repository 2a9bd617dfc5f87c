//! Real material written for other tools, built as a new user would
//! (issue 19): each fixture names its source and licence beside it.

mod common;
use common::*;

/// A Hugo repository copied as it is (tests/fixtures/real/hugo-as-is,
/// credited there): no error, only `unknown-key` for the theme's keys and
/// the usual runbook warnings; each page has one `<h1>`.
#[test]
fn real_material_hugo_as_is() {
    let root = repo().join("tests/fixtures/real/hugo-as-is");
    let o = run(
        &root,
        "2026-12-04T00:00:00Z",
        &["check", "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("JSON");
    let mut rules: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or("").to_owned(),
                d["file"].as_str().unwrap_or("").to_owned(),
            )
        })
        .filter(|(r, _)| !matches!(r.as_str(), "runbook-owner" | "stale-runbook"))
        .collect();
    rules.sort();
    assert_eq!(v["summary"]["errors"], 0, "{}", o.stdout);
    assert_eq!(
        v["summary"]["runbooks"], 3,
        "files without front matter are runbooks"
    );
    let keys: Vec<&str> = rules.iter().map(|(r, _)| r.as_str()).collect();
    assert!(keys.iter().all(|r| *r == "unknown-key"), "{rules:?}");
    assert_eq!(keys.len(), 5, "{rules:?}");
    let out = tempfile::tempdir().expect("tempdir");
    let b = run(
        &root,
        "2026-12-04T00:00:00Z",
        &["build", "-o", &out.path().join("site").to_string_lossy()],
    );
    assert_eq!(b.code, 0, "{}", b.stderr);
    let page = std::fs::read_to_string(
        out.path()
            .join("site/runbooks/runbooks/etcd/etcdNoLeader/index.html"),
    )
    .expect("the page of a runbook without front matter");
    assert_eq!(page.matches("<h1").count(), 1, "{page}");
    assert!(
        page.contains("<h1>etcdNoLeader</h1>") || page.contains(">etcdNoLeader<"),
        "title from the heading"
    );
}
