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

/// `summary`, `linkTitle` and a TOML date-time review date of other tools'
/// front matter reach the pages (the rule fixture's clean site).
#[test]
fn other_tools_keys_reach_the_pages() {
    let root = repo().join("tests/fixtures/rules/unknown-key/clean");
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    let b = run(
        &root,
        "2026-05-20T12:00:00Z",
        &["build", "-o", &site.to_string_lossy()],
    );
    assert_eq!(b.code, 0, "{}", b.stderr);
    let index = std::fs::read_to_string(site.join("runbooks/index.html")).expect("index");
    // The list shows `linkTitle` and the `summary` as the description.
    assert!(index.contains(">Checkout workers<"), "{index}");
    assert!(
        index.contains("When orders stay in &quot;paying&quot;."),
        "{index}"
    );
    let page =
        std::fs::read_to_string(site.join("runbooks/hugo/old-names/index.html")).expect("page");
    assert!(
        page.contains("<h1>Restart the checkout workers</h1>"),
        "{page}"
    );
    // The JSON front matter's repeated `# Flush the page cache` is not shown twice.
    let page =
        std::fs::read_to_string(site.join("runbooks/hugo/cache-flush/index.html")).expect("page");
    assert_eq!(page.matches("Flush the page cache</h").count(), 1, "{page}");
}

/// Plain GitHub Markdown repositories copied as they are
/// (tests/fixtures/real/github-as-is, credited there): no error; the
/// co-located diagram is copied and its link resolves; `<details>` is kept;
/// the doctoc comments are gone; GitHub anchors reach their headings,
/// including the one that became the page's title.
#[test]
fn real_material_github_as_is() {
    let root = repo().join("tests/fixtures/real/github-as-is");
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    let b = run(
        &root,
        "2026-12-04T00:00:00Z",
        &["build", "-o", &site.to_string_lossy()],
    );
    assert_eq!(b.code, 0, "{}", b.stderr);
    let read = |p: &str| std::fs::read_to_string(site.join(p)).expect(p);
    let alert = read("runbooks/openshift/cluster-network-operator/NorthboundStaleAlert/index.html");
    let svg = "runbooks/openshift/cluster-network-operator/hierarchy/alerts-hierarchy.svg";
    assert!(alert.contains(&format!("href=\"/{svg}\"")), "{alert}");
    assert_eq!(
        std::fs::read(site.join(svg)).expect("copied"),
        std::fs::read(
            root.join("content/openshift/cluster-network-operator/hierarchy/alerts-hierarchy.svg")
        )
        .expect("source")
    );
    let terraform = read("runbooks/gitlab/cloudflare/terraform/index.html");
    assert!(
        terraform.contains("<details>\n<summary>Bulk Rule Set</summary>"),
        "{terraform}"
    );
    assert!(!terraform.contains("&lt;details"), "{terraform}");
    let elastic = read("runbooks/gitlab/elastic/elastic-cloud/index.html");
    assert!(!elastic.contains("doctoc TO UPDATE"), "{elastic}");
    assert!(
        elastic.contains("<h1 id=\"quick-start\">Quick start</h1>"),
        "{elastic}"
    );
    assert!(
        elastic
            .contains("href=\"/runbooks/gitlab/logging/README/#index-lifecycle-management-ilm\""),
        "{elastic}"
    );
    for page in [&alert, &terraform, &elastic] {
        assert_eq!(page.matches("<h1").count(), 1);
    }
}
