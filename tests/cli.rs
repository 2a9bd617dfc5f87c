//! The command line as a user runs it: exit codes, formats, build
//! guarantees, init, and bad input that must never panic.

mod common;
use common::*;
use predicates::prelude::*;
use std::fs;

const NOW: &str = "2026-11-23T12:00:00Z";

const CONFIG: &str = "title: T\ntimezone: UTC\nservices:\n  - { id: web, name: Web }\n";

fn small_site() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "sitrep.yaml", CONFIG);
    write(
        d.path(),
        "content/a.md",
        "---\ntitle: A\nowner: Ops\nlast_reviewed: 2026-11-01\n---\n## Step one\nSee [b](b.md#later).\n",
    );
    write(
        d.path(),
        "content/b.md",
        "---\ntitle: B\nowner: Ops\nlast_reviewed: 2026-11-01\n---\n## Later\nText.\n",
    );
    write(
        d.path(),
        "incidents/i.yaml",
        "id: INC-1\ntitle: Slow\nseverity: 3\nservices: [web]\nreported_at: 2026-11-20 09:00\nresponded_at: 2026-11-20 09:10\nrecovered_at: 2026-11-20 10:00\nresolved_at: 2026-11-20 11:00\nclosed_at: 2026-11-20 12:00\n",
    );
    d
}

/// Builds the site at `root` into `root/o` (which must succeed) and returns `root/o`.
fn built(root: &std::path::Path) -> std::path::PathBuf {
    let out = root.join("o");
    sitrep()
        .arg("--root")
        .arg(root)
        .args(["build", "--now", NOW, "--output"])
        .arg(&out)
        .assert()
        .success();
    out
}

#[test]
fn version_and_help() {
    sitrep()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains("sitrep"));
    sitrep()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("check"));
    sitrep()
        .args(["check", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("--deny-warnings"));
}

#[test]
fn wrong_usage_is_exit_2() {
    sitrep().arg("frobnicate").assert().code(2);
    sitrep().args(["check", "--format", "xml"]).assert().code(2);
}

#[test]
fn missing_site_is_exit_2_with_a_hint() {
    let d = tempfile::tempdir().unwrap();
    sitrep()
        .arg("--root")
        .arg(d.path())
        .arg("check")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sitrep init"));
}

#[test]
fn bad_now_is_exit_2() {
    let d = small_site();
    sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["check", "--now", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--now"));
}

#[test]
fn example_site_passes_now_and_later() {
    for now in [NOW, "2027-06-01T00:00:00Z", "2031-01-01T00:00:00Z"] {
        sitrep()
            .arg("--root")
            .arg(repo())
            .args(["check", "--now", now])
            .assert()
            .success();
    }
}

#[test]
fn check_human_output_is_compiler_like() {
    let d = small_site();
    write(
        d.path(),
        "incidents/bad.yaml",
        "id: INC-2\ntitle: X\nseverity: 3\nreportd_at: 2026-11-20 09:00\n",
    );
    sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["check", "--now", NOW])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "error[schema]: INC-2: unknown key `reportd_at`",
        ))
        .stdout(predicate::str::contains("--> incidents/bad.yaml:4:1"))
        .stdout(predicate::str::contains("did you mean `reported_at`?"))
        .stdout(predicate::str::contains(
            "2 errors, 0 warnings in 5 files (2 runbooks, 2 incidents)",
        ))
        .stdout(predicate::str::contains("\u{1b}[").not());
}

#[test]
fn check_formats() {
    let d = small_site();
    write(
        d.path(),
        "incidents/bad.yaml",
        "id: INC-2\ntitle: \"a, b\"\nseverity: 9\nreported_at: 2026-11-20 09:00\n",
    );
    let run = |f: &str| {
        let o = sitrep()
            .arg("--root")
            .arg(d.path())
            .args(["check", "--now", NOW, "--format", f])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{f}");
        String::from_utf8(o.stdout).unwrap()
    };
    let j: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(j["version"], 1);
    assert_eq!(j["summary"]["errors"], 1);
    assert_eq!(j["diagnostics"][0]["rule"], "unknown-level");
    assert_eq!(j["diagnostics"][0]["line"], 3);
    assert_eq!(j["diagnostics"][0]["incident"], "INC-2");
    let gh = run("github");
    assert!(
        gh.starts_with(
            "::error file=incidents/bad.yaml,line=3,col=11,title=unknown-level::INC-2: "
        ),
        "{gh}"
    );
    let s: serde_json::Value = serde_json::from_str(&run("sarif")).unwrap();
    assert_eq!(s["version"], "2.1.0");
    assert_eq!(s["runs"][0]["results"][0]["ruleId"], "unknown-level");
    let g: serde_json::Value = serde_json::from_str(&run("gitlab")).unwrap();
    assert_eq!(g[0]["location"]["lines"]["begin"], 3);
    let ju = run("junit");
    assert!(
        ju.contains("<testcase name=\"unknown-level\" classname=\"incidents/bad.yaml\">"),
        "{ju}"
    );
}

#[test]
fn deny_warnings_fails_on_warnings() {
    let d = small_site();
    write(
        d.path(),
        "content/c.md",
        "---\ntitle: C\nlast_reviewed: 2026-11-01\n---\nNo owner.\n",
    );
    sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["check", "--now", NOW])
        .assert()
        .success();
    sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["check", "--now", NOW, "--deny-warnings"])
        .assert()
        .code(1);
}

#[test]
fn incident_filter() {
    let d = small_site();
    write(
        d.path(),
        "incidents/bad.yaml",
        "id: INC-2\ntitle: X\nseverity: 9\nreported_at: 2026-11-20 09:00\n",
    );
    sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["check", "--now", NOW, "--incident", "INC-1"])
        .assert()
        .success();
    sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["check", "--now", NOW, "--incident", "INC-2"])
        .assert()
        .code(1);
}

#[test]
fn policy_prints_pasteable_yaml() {
    let d = small_site();
    sitrep()
        .arg("--root")
        .arg(d.path())
        .arg("policy")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "1: { name: Critical, respond: 10m, recover: 2h, resolve: 7d }",
        ))
        .stdout(predicate::str::contains("kind: any"));
}

#[test]
fn build_is_deterministic_across_threads() {
    let d = small_site();
    let out1 = d.path().join("o1");
    let out2 = d.path().join("o2");
    sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["build", "--now", NOW, "--output"])
        .arg(&out1)
        .env("RAYON_NUM_THREADS", "1")
        .assert()
        .success()
        .stdout(predicate::str::contains("built"));
    sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["build", "--now", NOW, "--output"])
        .arg(&out2)
        .env("RAYON_NUM_THREADS", "4")
        .assert()
        .success();
    assert_eq!(tree(&out1), tree(&out2));
    let page = fs::read_to_string(out1.join("runbooks/a/index.html")).unwrap();
    assert!(page.contains("href=\"/runbooks/b/#later\""), "{page}");
    assert!(out1.join("search/manifest.json").is_file());
    assert!(out1.join("sitemap.xml").is_file());
    assert!(out1.join("404.html").is_file());
    assert!(out1.join("incidents/INC-1/index.html").is_file());
}

#[test]
fn failed_build_leaves_previous_output() {
    let d = small_site();
    let out = d.path().join("internal");
    sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["build", "--now", NOW])
        .assert()
        .success();
    let before = tree(&out);
    write(d.path(), "incidents/broken.yaml", "id: [unclosed\n");
    sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["build", "--now", NOW])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("incidents/broken.yaml"));
    assert_eq!(tree(&out), before);
    // No staging folders are left behind.
    let names: Vec<_> = fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("sitrep-new")), "{names:?}");
}

#[test]
fn a_rebuild_swaps_in_and_removes_the_previous_output() {
    let d = small_site();
    let out = d.path().join("internal");
    let build = || {
        sitrep()
            .arg("--root")
            .arg(d.path())
            .args(["build", "--now", NOW])
            .assert()
            .success()
    };
    build();
    fs::write(out.join("stale.html"), "old").unwrap();
    // The summary says what the swap cost: the renames, then the removal.
    build().stdout(
        predicate::str::is_match(
            r"\(swap \d+ ms: renames [\d.]+ ms, removing the previous output \d+ ms\)",
        )
        .unwrap(),
    );
    assert!(!out.join("stale.html").exists());
    let names: Vec<_> = fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("sitrep-old")), "{names:?}");
}

#[test]
fn build_under_a_path_prefix() {
    let d = small_site();
    let out = d.path().join("o");
    sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["build", "--now", NOW, "--base-url", "/ops/", "--output"])
        .arg(&out)
        .assert()
        .success();
    let page = fs::read_to_string(out.join("runbooks/a/index.html")).unwrap();
    assert!(page.contains("href=\"/ops/static/style.css\""));
    assert!(page.contains("href=\"/ops/runbooks/b/#later\""));
}

#[test]
fn public_build_has_no_internal_pages() {
    let d = small_site();
    write(d.path(), "incidents/secret.yaml", "id: INC-9\ntitle: Secret thing\nseverity: 3\npublic: false\nreported_at: 2026-11-20 09:00\nresponded_at: 2026-11-20 09:10\nrecovered_at: 2026-11-20 10:00\nclosed_at: 2026-11-20 12:00\ntimeline:\n  - at: 09:05\n    text: internal-only-note\n");
    let out = d.path().join("o");
    sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["build", "--public", "--now", NOW, "--output"])
        .arg(&out)
        .assert()
        .success();
    assert!(!out.join("runbooks").exists());
    for e in walkdir::WalkDir::new(out.join("search"))
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_file() {
            let text = fs::read_to_string(e.path()).unwrap().to_lowercase();
            assert!(
                !text.contains("secret") && !text.contains("internal"),
                "{}",
                e.path().display()
            );
        }
    }
    assert!(!out.join("incidents/INC-1/report").exists());
    for (path, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Secret thing") && !text.contains("internal-only-note"),
            "{path}"
        );
    }
}

#[test]
fn site_theme_overrides_one_template() {
    let d = small_site();
    write(
        d.path(),
        "themes/default/templates/404.html",
        "custom 404 for {{ site.title }}",
    );
    write(d.path(), "static/extra.txt", "hello");
    let out = built(d.path());
    assert_eq!(
        fs::read_to_string(out.join("404.html")).unwrap(),
        "custom 404 for T"
    );
    assert_eq!(
        fs::read_to_string(out.join("static/extra.txt")).unwrap(),
        "hello"
    );
    assert!(out.join("static/style.css").is_file());
}

#[test]
fn site_theme_overrides_the_compliance_row() {
    let d = small_site();
    write(
        d.path(),
        "themes/default/templates/compliance_row.html",
        "<tr><td>{{ r.id }} of {{ site.title }}: {{ r.open }} open, {{ r.title }}</td></tr>\n",
    );
    write(
        d.path(),
        "incidents/x.yaml",
        "id: INC-2\ntitle: \"<b>bold</b>\"\nseverity: 3\nreported_at: 2026-11-20 09:00\n",
    );
    let out = built(d.path());
    let page = fs::read_to_string(out.join("compliance/index.html")).unwrap();
    assert!(
        page.contains("<p>1 of 2 incidents has no open finding."),
        "{page}"
    );
    assert!(
        page.contains("<tr><td>INC-1 of T: 0 open, Slow</td></tr>"),
        "{page}"
    );
    // The row's text is escaped like any page's.
    assert!(page.contains("<tr><td>INC-2 of T: "), "{page}");
    assert!(page.contains("&lt;b&gt;bold&lt;/b&gt;"), "{page}");
}

#[test]
fn escapes_record_text_in_html() {
    let d = small_site();
    write(d.path(), "incidents/x.yaml", "id: INC-3\ntitle: \"<script>alert(1)</script>\"\nseverity: 3\nreported_at: 2026-11-20 09:00\nresponded_at: 2026-11-20 09:10\nrecovered_at: 2026-11-20 10:00\nclosed_at: 2026-11-20 12:00\nupdates:\n  - at: 09:30\n    status: investigating\n    text: \"<img src=x onerror=alert(1)>hi\"\n");
    let out = built(d.path());
    for (path, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        if path.ends_with(".json") {
            assert!(!text.contains('<'), "{path}: JSON must escape <");
        } else {
            // Escaped text may say anything; markup may not.
            assert!(!text.contains("<script>alert"), "{path}");
            assert!(!text.contains("<img src=x onerror"), "{path}");
        }
    }
}

#[test]
fn init_creates_a_passing_site_and_never_overwrites() {
    let d = tempfile::tempdir().unwrap();
    let site = d.path().join("new");
    sitrep()
        .args(["init"])
        .arg(&site)
        .assert()
        .success()
        .stdout(predicate::str::contains("created"));
    sitrep()
        .arg("--root")
        .arg(&site)
        .arg("check")
        .assert()
        .success();
    let before = fs::read(site.join("sitrep.yaml")).unwrap();
    sitrep()
        .args(["init"])
        .arg(&site)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("never overwrites"));
    assert_eq!(fs::read(site.join("sitrep.yaml")).unwrap(), before);
    sitrep()
        .arg("--root")
        .arg(&site)
        .args(["build"])
        .assert()
        .success();
}

/// Broken inputs of every kind end with diagnostics and exit 1, never a
/// panic (exit 101) or a hang.
#[test]
fn broken_inputs_never_panic() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..15 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let deep = format!("id: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", b"id: INC-1\ntitle: \"unterminated\nseverity: 1\n".to_vec()),
        ("wrong-types", b"id: [1, 2]\ntitle: {a: b}\nseverity: [1]\nreported_at: 12\nservices: web\nnotifications: yes\ntimeline: {at: 1}\nreport: []\nwaivers: 3\n".to_vec()),
        ("list-items-wrong", b"id: X\ntitle: T\nseverity: 1\nreported_at: 2026-01-01 10:00\nnotifications: [1, null, [2], {at: null}]\nescalations: [null, {}]\nupdates: [\"x\"]\n".to_vec()),
        ("deep", deep.into_bytes()),
        ("bomb", bomb.into_bytes()),
        ("huge-numbers", b"id: 1\ntitle: 99999999999999999999999999999\nseverity: 1e400\nreported_at: 2026-01-01 10:00\n".to_vec()),
        ("bad-dates", b"id: X\ntitle: T\nseverity: 1\nreported_at: 2026-02-30 10:00\nresponded_at: 2026-03-01 24:00\n".to_vec()),
        ("not-utf8", vec![b'i', b'd', b':', b' ', 0xff, 0xfe, b'\n']),
        ("binary", (0u8..=255).cycle().take(4096).collect()),
        ("empty", Vec::new()),
        ("only-dashes", b"---\n---\n".to_vec()),
        ("multi-doc", b"id: A\n---\nid: B\n".to_vec()),
        ("tabs", b"id: X\n\ttitle: T\n".to_vec()),
        ("scalar", b"just text\n".to_vec()),
    ];
    for (name, bytes) in &cases {
        let d = small_site();
        fs::write(d.path().join(format!("incidents/{name}.yaml")), bytes).unwrap();
        fs::write(
            d.path().join(format!("content/{name}.md")),
            [b"---\n".to_vec(), bytes.clone(), b"\n---\nbody\n".to_vec()].concat(),
        )
        .unwrap();
        for cmd in ["check", "build"] {
            let o = sitrep()
                .arg("--root")
                .arg(d.path())
                .args([cmd, "--now", NOW])
                .timeout(std::time::Duration::from_secs(60))
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(!err.contains("panicked"), "{name} {cmd}: {err}");
            assert_eq!(o.status.code(), Some(1), "{name} {cmd}: {err}");
        }
    }
}

#[test]
fn broken_site_config_never_panics() {
    for cfg in [
        "",
        "title: [",
        "- a\n- b\n",
        "title: T\ntimezone: Nowhere/Land\n",
        "title: T\npolicy: {levels: {x: 1}, notices: {initial: {levels: [9], within: soon}}}\n",
        "title: T\nservices: [{id: Bad Id}]\n",
    ] {
        let d = small_site();
        fs::write(d.path().join("sitrep.yaml"), cfg).unwrap();
        let o = sitrep()
            .arg("--root")
            .arg(d.path())
            .args(["check", "--now", NOW])
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(1), "{cfg:?}: {out}");
        assert!(out.contains("sitrep.yaml:"), "{cfg:?}: {out}");
    }
}

#[test]
fn odd_files_in_the_tree() {
    let d = small_site();
    // A folder named like a record, and a large file.
    fs::create_dir_all(d.path().join("incidents/folder.yaml")).unwrap();
    fs::write(
        d.path().join("incidents/big.yaml"),
        "x".repeat(17 * 1024 * 1024),
    )
    .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.path().join("incidents"), d.path().join("incidents/loop"))
        .unwrap();
    let o = sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["check", "--now", NOW, "--format", "json"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: Vec<&str> = j["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["incidents/big.yaml"]);
}

#[test]
fn check_incident_with_an_unknown_id_is_a_usage_error_as_in_due() {
    let d = small_site();
    for cmd in [&["check"][..], &["due"][..]] {
        let o = run(
            d.path(),
            NOW,
            &[cmd, &["--incident", "INC-TYPO"][..]].concat(),
        );
        assert_eq!(o.code, 2, "{cmd:?}: {}{}", o.stdout, o.stderr);
        assert_eq!(
            o.stderr.trim(),
            "error: no record has the id `INC-TYPO`; there is no open incident",
            "{cmd:?}"
        );
        assert!(o.stdout.is_empty(), "{cmd:?}: {}", o.stdout);
    }
    // A known id is fine.
    assert_eq!(
        run(d.path(), NOW, &["check", "--incident", "INC-1"]).code,
        0
    );
}

#[test]
fn init_is_dated_from_now_and_checks_clean_then() {
    let d = tempfile::tempdir().unwrap();
    let site = d.path().join("new");
    sitrep()
        .args(["--now", "2025-01-10", "init"])
        .arg(&site)
        .assert()
        .success();
    let rec = fs::read_to_string(site.join("incidents/INC-2025-0001.yaml")).unwrap();
    assert!(rec.contains("reported_at: 2025-01-09 09:00"), "{rec}");
    let o = run(&site, "2025-01-10", &["check"]);
    assert_eq!(o.code, 0, "{}", o.stdout);
    assert!(o.stdout.contains("0 errors, 0 warnings"), "{}", o.stdout);
    let ignore = fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(ignore.contains("/internal/\n/public/\n"), "{ignore}");
    // A .gitignore of the user's own is kept as it is.
    let other = d.path().join("other");
    write(&other, ".gitignore", "target/\n");
    sitrep().args(["init"]).arg(&other).assert().success();
    assert_eq!(
        fs::read_to_string(other.join(".gitignore")).unwrap(),
        "target/\n"
    );
}

#[test]
fn due_fails_like_check_while_a_file_cannot_be_read() {
    let d = small_site();
    write(d.path(), "incidents/broken.yaml", "id: [unclosed\n");
    let check = run(d.path(), NOW, &["check"]);
    assert_eq!(check.code, 1);
    let o = run(d.path(), NOW, &["due"]);
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.starts_with("Due at "), "{}", o.stdout);
    assert_eq!(
        o.stderr.trim(),
        "error: input errors in 1 file (incidents/broken.yaml): this checklist may miss incidents until they are fixed; run `sitrep check` for each error and its fix"
    );
    let j = run(d.path(), NOW, &["due", "--format", "json"]);
    assert_eq!(j.code, 1);
    let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
    assert_eq!(v["input_errors"][0]["file"], "incidents/broken.yaml");
    assert_eq!(v["input_errors"][0]["rule"], "yaml");
}

/// `sitrep policy` prints YAML that reads back as the same policy, even
/// where a name looks like another type or like YAML syntax.
#[test]
fn policy_round_trips_names_that_look_like_other_things() {
    let names = ["No", "on", "1.5", "null", "- x", "a: b", "#x"];
    let mut cfg =
        String::from("title: T\nrecipients:\n  leadership: \"off\"\npolicy:\n  levels:\n");
    for (i, n) in names.iter().enumerate() {
        let q = serde_json::to_string(n).unwrap();
        cfg.push_str(&format!(
            "    {}: {{ name: {q}, respond: 10m, recover: 1h, resolve: 1d }}\n",
            i + 1
        ));
    }
    cfg.push_str("  notices:\n    leadership:\n      deliver:\n        - { channels: [], to: [\"No\", \"a: b\", \"#x\", \"- x\"] }\n");
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "sitrep.yaml", &cfg);
    let first = run(d.path(), NOW, &["policy"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    // Paste it back under `policy:` and print again: the same text.
    let pasted: String = first.stdout.lines().map(|l| format!("  {l}\n")).collect();
    let e = tempfile::tempdir().unwrap();
    write(
        e.path(),
        "sitrep.yaml",
        &format!("title: T\npolicy:\n{pasted}"),
    );
    let second = run(e.path(), NOW, &["policy"]);
    assert_eq!(second.code, 0, "{}\n{}", second.stderr, first.stdout);
    assert_eq!(second.stdout, first.stdout);
    for n in names {
        let q = serde_json::to_string(n).unwrap();
        assert!(
            first.stdout.contains(&format!("name: {q},")),
            "{n}: {}",
            first.stdout
        );
    }
    assert!(
        first
            .stdout
            .contains(r##"to: ["No", "a: b", "#x", "- x"]"##),
        "{}",
        first.stdout
    );
}

/// Without --root, sitrep finds sitrep.yaml in the current folder or the
/// nearest parent (CLI.md, "Conventions"); --root may name the file itself.
#[test]
fn the_site_is_found_from_a_subfolder() {
    let d = small_site();
    let sub = d.path().join("content");
    let o = sitrep()
        .current_dir(&sub)
        .args(["--now", NOW, "check"])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("(2 runbooks, 1 incident)"));
    let o = run(&d.path().join("sitrep.yaml"), NOW, &["check"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // Nothing above: the message says how to start.
    let lonely = tempfile::tempdir().unwrap();
    let o = sitrep()
        .current_dir(lonely.path())
        .args(["check"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("sitrep init"));
}

/// time-order names the entry a list goes back before: the one above it,
/// or an earlier, later one (newest-first lists, as cState writes them).
#[test]
fn time_order_names_the_entry_gone_back_before() {
    let d = small_site();
    write(
        d.path(),
        "incidents/t.yaml",
        "id: INC-2\ntitle: T\nseverity: 3\nservices: [web]\nreported_at: 2026-11-20 09:00\ntimeline:\n  - { at: \"10:00\", text: a }\n  - { at: \"17:30\", text: b }\n  - { at: \"16:50\", text: c }\n  - { at: \"17:00\", text: d }\n",
    );
    let o = run(d.path(), NOW, &["check", "--incident", "INC-2"]);
    assert!(
        o.stdout.contains("this `timeline` entry (2026-11-20 16:50) is before the entry above it (2026-11-20 17:30)"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout.contains("this `timeline` entry (2026-11-20 17:00) is before the entry on line 8 (2026-11-20 17:30)"),
        "{}",
        o.stdout
    );
}
