//! Abuse: a committed corpus of broken inputs, builds killed midway, an
//! output folder that cannot be written, links under a path prefix, and
//! byte-identical output whatever the thread count.

mod common;
use common::*;
use std::fs;
use std::time::Duration;

const NOW: &str = "2026-11-23T12:00:00Z";

/// Every file of tests/fixtures/broken gets a diagnostic with a position;
/// check and build end with exit 1, never a panic or a hang.
#[test]
fn broken_corpus_ends_in_diagnostics() {
    let d = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures/broken"), d.path());
    #[cfg(unix)]
    {
        // A symlink loop and a folder named like a record, made here
        // because git would not keep them.
        std::os::unix::fs::symlink(d.path().join("incidents"), d.path().join("incidents/loop"))
            .unwrap();
        fs::create_dir_all(d.path().join("incidents/folder.yaml")).unwrap();
    }
    let out = sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["check", "--format", "json", "--now", NOW])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = j["diagnostics"].as_array().unwrap();
    for e in walkdir::WalkDir::new(d.path())
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(d.path())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if rel == "sitrep.yaml" {
            continue;
        }
        let mine: Vec<_> = diags.iter().filter(|x| x["file"] == rel.as_str()).collect();
        assert!(!mine.is_empty(), "{rel} got no diagnostic");
        assert!(mine
            .iter()
            .all(|x| x["line"].as_u64().unwrap() >= 1 && x["column"].as_u64().unwrap() >= 1));
    }
    let b = sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["build", "--now", NOW])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(b.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&b.stderr).contains("panicked"));
    assert!(!d.path().join("internal").exists());
    assert!(!d.path().join("public").exists());
}

/// Copies of one record: each duplicate-id finding names ten of the
/// others and counts the rest, so findings grow with the copies, not with
/// their square.
#[test]
fn many_copies_of_one_record_name_ten_others() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "sitrep.yaml",
        "title: Copies\nservices:\n  - { id: web, name: Web }\n",
    );
    for i in 0..15 {
        write(
            d.path(),
            &format!("incidents/copy-{i:02}.yaml"),
            "id: INC-1\ntitle: Copied\nseverity: 3\nservices: [web]\nreported_at: 2026-11-20T08:00:00Z\n",
        );
    }
    let out = sitrep()
        .arg("--root")
        .arg(d.path())
        .args(["check", "--format", "json", "--now", NOW])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let dups: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "duplicate-id")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(dups.len(), 15);
    for m in dups {
        assert_eq!(m.matches("incidents/copy-").count(), 10, "{m}");
        assert!(m.ends_with(" and 4 more"), "{m}");
    }
}

#[test]
fn unwritable_output_is_a_clear_error() {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("a-file"), "x").unwrap();
    sitrep()
        .arg("--root")
        .arg(repo())
        .args(["build", "--now", NOW, "--output"])
        .arg(d.path().join("a-file/out"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot create"));
}

/// A build killed at any moment leaves the previous output whole.
#[test]
fn killed_builds_leave_the_old_output() {
    let d = tempfile::tempdir().unwrap();
    let site = d.path().join("site");
    fs::create_dir_all(&site).unwrap();
    copy_dir(&repo().join("content"), &site.join("content"));
    copy_dir(&repo().join("incidents"), &site.join("incidents"));
    fs::copy(repo().join("sitrep.yaml"), site.join("sitrep.yaml")).unwrap();
    // More pages, so that a kill lands mid-build.
    for i in 0..400 {
        fs::write(
            site.join(format!("content/outage/extra-{i}.md")),
            format!(
                "---\ntitle: Extra {i}\nowner: Ops\nlast_reviewed: 2026-11-01\n---\n## Step\n{}\n",
                "Text. ".repeat(200)
            ),
        )
        .unwrap();
    }
    let out = d.path().join("public");
    sitrep()
        .arg("--root")
        .arg(&site)
        .args(["build", "--now", NOW, "--output"])
        .arg(&out)
        .assert()
        .success();
    let before = tree(&out);
    for delay_ms in [5u64, 20, 40, 80, 120] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sitrep"))
            .arg("--root")
            .arg(&site)
            .args(["build", "--now", "2027-01-01T00:00:00Z", "--output"])
            .arg(&out)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&out);
        // Either the old output, or a complete new one (the kill came late).
        if now != before {
            let mut fresh = tempfile::tempdir().unwrap().keep();
            fresh.push("o");
            sitrep()
                .arg("--root")
                .arg(&site)
                .args(["build", "--now", "2027-01-01T00:00:00Z", "--output"])
                .arg(&fresh)
                .assert()
                .success();
            assert_eq!(
                now,
                tree(&fresh),
                "a mix of old and new after a kill at {delay_ms} ms"
            );
            return;
        }
    }
    // Leftover staging folders of killed builds are cleared by the next one.
    sitrep()
        .arg("--root")
        .arg(&site)
        .args(["build", "--now", NOW, "--output"])
        .arg(&out)
        .assert()
        .success();
    let leftovers: Vec<_> = fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sitrep-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Every internal link and #fragment resolves under a path prefix, in both
/// views, and output is byte-identical on 1 and on 4 threads.
#[test]
fn links_resolve_under_a_prefix_and_output_is_deterministic() {
    for public in [false, true] {
        let d = tempfile::tempdir().unwrap();
        let mut outs = Vec::new();
        for threads in ["1", "4"] {
            let out = d.path().join(format!("out-{threads}"));
            let mut cmd = sitrep();
            cmd.env("RAYON_NUM_THREADS", threads)
                .arg("--root")
                .arg(repo())
                .args(["build", "--now", NOW, "--base-url", "/status/", "--output"])
                .arg(&out);
            if public {
                cmd.arg("--public");
            }
            cmd.assert().success();
            outs.push(out);
        }
        let a = tree(&outs[0]);
        assert_eq!(
            a,
            tree(&outs[1]),
            "public={public}: thread count changed the output"
        );
        let files: std::collections::BTreeMap<String, String> = a
            .iter()
            .map(|(k, v)| (k.clone(), String::from_utf8_lossy(v).into_owned()))
            .collect();
        for (path, text) in &files {
            if !path.ends_with(".html") {
                continue;
            }
            for part in text.split("href=\"").skip(1) {
                let href = part.split('"').next().unwrap();
                if href.starts_with("http")
                    || href.starts_with("mailto:")
                    || href.starts_with("tel:")
                    || href == "#"
                {
                    continue;
                }
                let (p, frag) = href.split_once('#').unwrap_or((href, ""));
                let target = if p.is_empty() {
                    path.clone()
                } else {
                    let rel = p
                        .strip_prefix("/status/")
                        .unwrap_or_else(|| panic!("{path}: link outside the prefix: {href}"));
                    if rel.is_empty() || rel.ends_with('/') {
                        format!("{rel}index.html")
                    } else {
                        rel.to_owned()
                    }
                };
                let body = files
                    .get(&target)
                    .unwrap_or_else(|| panic!("public={public} {path}: broken link {href}"));
                if !frag.is_empty() {
                    assert!(
                        body.contains(&format!("id=\"{frag}\"")),
                        "public={public} {path}: missing #{frag} in {target}"
                    );
                }
            }
        }
    }
}
