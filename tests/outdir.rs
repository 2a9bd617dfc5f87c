//! Output folders (CLI.md, "Output folders"): where each view goes, the
//! mark, and every refusal. A refused build exits 2 with one line naming
//! the folder and why, and changes nothing on disk: not an input file,
//! not the output, no temporary folder.

mod common;
use common::*;
use std::fs;
use std::path::Path;

const NOW: &str = "2026-11-23T12:00:00Z";

/// A small site at `<tmp>/work/site`, so that its parent can be named too.
fn site() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().join("work/site");
    write(
        &root,
        "sitrep.yaml",
        "title: T\ntimezone: UTC\nservices:\n  - { id: web, name: Web }\n",
    );
    write(
        &root,
        "content/a.md",
        "---\ntitle: A\nowner: Ops\nlast_reviewed: 2026-11-01\n---\n## Step\nText.\n",
    );
    write(
        &root,
        "incidents/i.yaml",
        "id: INC-1\ntitle: Slow\nseverity: 3\nservices: [web]\nreported_at: 2026-11-20 09:00\nresponded_at: 2026-11-20 09:10\nrecovered_at: 2026-11-20 10:00\nresolved_at: 2026-11-20 11:00\nclosed_at: 2026-11-20 12:00\n",
    );
    write(&root, "themes/mine/templates/README", "mine");
    write(&root, "static/logo.txt", "logo");
    d
}

fn root(d: &tempfile::TempDir) -> std::path::PathBuf {
    d.path().join("work/site")
}

/// Runs `sitrep build` with `args` from the site folder.
fn build(d: &tempfile::TempDir, args: &[&str]) -> Out {
    output(
        sitrep()
            .current_dir(root(d))
            .env("HOME", d.path().join("home"))
            .args(["--now", NOW, "build"])
            .args(args),
    )
}

/// Asserts that `args` is refused with a message holding `why`, and that
/// nothing below the temporary folder changed.
fn refused(d: &tempfile::TempDir, args: &[&str], why: &str) {
    let before = tree(d.path());
    let o = build(d, args);
    assert_eq!(o.code, 2, "{args:?}: {}{}", o.stdout, o.stderr);
    assert_eq!(
        o.stderr.lines().count(),
        1,
        "{args:?}: one line\n{}",
        o.stderr
    );
    assert!(o.stderr.starts_with("error: refusing to "), "{}", o.stderr);
    assert!(
        o.stderr.contains(why),
        "{args:?}: want {why:?} in {}",
        o.stderr
    );
    assert!(o.stdout.is_empty(), "{}", o.stdout);
    assert_eq!(tree(d.path()), before, "{args:?} changed files");
    let dirs: Vec<String> = walkdir::WalkDir::new(d.path())
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".sitrep-new") || n.contains(".sitrep-old"))
        .collect();
    assert!(dirs.is_empty(), "{args:?} left {dirs:?}");
}

fn mark(dir: &Path) -> String {
    fs::read_to_string(dir.join(".sitrep-output")).unwrap_or_default()
}

#[test]
fn each_view_goes_to_its_own_folder_with_its_mark() {
    let d = site();
    let o = build(&d, &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.starts_with("built the internal view: 12 pages (")
            && o.stdout.contains(" into internal/ in "),
        "{}",
        o.stdout
    );
    assert!(mark(&root(&d).join("internal")).ends_with("view: internal\n"));
    assert!(!root(&d).join("public").exists());
    let o = build(&d, &["--public"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.starts_with("built the public view: ") && o.stdout.contains(" into public/ in "),
        "{}",
        o.stdout
    );
    assert!(mark(&root(&d).join("public")).ends_with("view: public\n"));
    // The public view holds no runbook.
    assert!(!root(&d).join("public/runbooks").exists());
    assert!(root(&d).join("internal/runbooks").exists());
    // Each rebuilds over its own output.
    for args in [&[][..], &["--public"][..]] {
        assert_eq!(build(&d, args).code, 0);
    }
}

#[test]
fn sitrep_yaml_names_the_folders() {
    let d = site();
    let r = root(&d);
    let cfg = fs::read_to_string(r.join("sitrep.yaml")).unwrap();
    fs::write(
        r.join("sitrep.yaml"),
        format!("{cfg}output_dir: site/all\npublic_output_dir: site/status\n"),
    )
    .unwrap();
    assert_eq!(build(&d, &[]).code, 0);
    assert_eq!(build(&d, &["--public"]).code, 0);
    assert!(mark(&r.join("site/all")).ends_with("view: internal\n"));
    assert!(mark(&r.join("site/status")).ends_with("view: public\n"));
    // -o overrides it for one build.
    let o = build(&d, &["-o", "elsewhere"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains(" into elsewhere/ in "), "{}", o.stdout);
}

#[test]
fn the_sites_own_folders_are_never_replaced() {
    let d = site();
    for (out, why) in [
        ("content", "it is content, the site's runbooks"),
        ("incidents", "it is incidents, the site's incident records"),
        ("themes", "it is themes, the site's themes"),
        ("static", "it is static, the site's static files"),
        ("sitrep.yaml", "it is sitrep.yaml, the site's configuration"),
        ("content/sub", "it is inside content"),
        ("themes/mine/templates", "it is inside themes"),
        (".", "it is the site folder itself"),
        ("..", "it contains the site folder"),
        ("../..", "it contains the site folder"),
        ("/", "it is the root of the file system"),
    ] {
        refused(&d, &["--output", out], why);
        refused(&d, &["--output", out, "--force"], why);
        refused(&d, &["--public", "--output", out, "--force"], why);
    }
    // The home folder (HOME is set to <tmp>/home by `build`).
    fs::create_dir_all(d.path().join("home")).unwrap();
    let home = d.path().join("home");
    refused(
        &d,
        &["--output", home.to_str().unwrap(), "--force"],
        "it is your home folder",
    );
    // A link is the folder it points at.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root(&d).join("incidents"), d.path().join("work/link")).unwrap();
        refused(&d, &["--output", "../link", "--force"], "it is incidents");
    }
    // Through --root from elsewhere, the same.
    let before = tree(d.path());
    let o = run(
        &root(&d),
        NOW,
        &[
            "build",
            "--output",
            root(&d).join("content").to_str().unwrap(),
        ],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert_eq!(tree(d.path()), before);
}

#[test]
fn a_folder_sitrep_did_not_write_needs_force() {
    let d = site();
    write(&root(&d), "notes/todo.txt", "keep me");
    refused(
        &d,
        &["--output", "notes"],
        "refusing to replace notes/: it holds 1 entry that sitrep did not write (no .sitrep-output mark)",
    );
    // The other view's folder, likewise.
    assert_eq!(build(&d, &["--public"]).code, 0);
    refused(
        &d,
        &["--output", "public"],
        "it holds sitrep's public view and this build writes the internal view",
    );
    assert_eq!(build(&d, &[]).code, 0);
    refused(
        &d,
        &["--public", "--output", "internal"],
        "it holds sitrep's internal view and this build writes the public view",
    );
    // A file where the folder should be: not even with --force.
    write(&root(&d), "afile", "x");
    refused(
        &d,
        &["--output", "afile", "--force"],
        "it is a file, not a folder",
    );
    // --force replaces a foreign folder and the other view's.
    let o = build(&d, &["--output", "notes", "--force"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(!root(&d).join("notes/todo.txt").exists());
    assert!(mark(&root(&d).join("notes")).ends_with("view: internal\n"));
    assert_eq!(build(&d, &["--output", "public", "--force"]).code, 0);
    assert!(mark(&root(&d).join("public")).ends_with("view: internal\n"));
    // An empty folder is taken as it is.
    fs::create_dir_all(root(&d).join("empty")).unwrap();
    assert_eq!(build(&d, &["--output", "empty"]).code, 0);
}

#[test]
fn a_refused_output_dir_in_sitrep_yaml_is_a_config_error() {
    let d = site();
    let r = root(&d);
    let cfg = fs::read_to_string(r.join("sitrep.yaml")).unwrap();
    for (line, why) in [
        (
            "output_dir: content",
            "`output_dir: content`: it is content, the site's runbooks",
        ),
        ("output_dir: ~/www", "sitrep does not expand `~`"),
        (
            "public_output_dir: internal",
            "`output_dir` and `public_output_dir` are both `internal`",
        ),
        (
            "output_dir: public/ops",
            "are nested: `public/ops` and `public`",
        ),
    ] {
        fs::write(r.join("sitrep.yaml"), format!("{cfg}{line}\n")).unwrap();
        let o = run(&r, NOW, &["check"]);
        assert_eq!(o.code, 1, "{line}");
        assert!(o.stdout.contains(why), "{line}: {}", o.stdout);
        let before = tree(d.path());
        let b = build(&d, &[]);
        assert_eq!(b.code, 1, "{line}: {}", b.stderr);
        assert_eq!(tree(d.path()), before, "{line}");
    }
}

/// The internal view inside the public view's folder would be published
/// with it; the other way round, deleted by its next build.
#[test]
fn one_view_never_goes_inside_the_others_folder() {
    let d = site();
    refused(
        &d,
        &["--output", "public/ops"],
        "it is inside public, the public view's folder",
    );
    refused(&d, &["--output", "public/ops", "--force"], "inside public");
    refused(
        &d,
        &["--public", "--output", "internal/status", "--force"],
        "it is inside internal, the internal view's folder",
    );
    refused(
        &d,
        &["--output", ".", "--force"],
        "it is the site folder itself",
    );
    fs::create_dir_all(root(&d).join("out")).unwrap();
    let cfg = fs::read_to_string(root(&d).join("sitrep.yaml")).unwrap();
    // A folder that contains the other view's folder.
    fs::write(
        root(&d).join("sitrep.yaml"),
        format!("{cfg}public_output_dir: out/public\n"),
    )
    .unwrap();
    refused(
        &d,
        &["--output", "out", "--force"],
        "it contains out/public, the public view's folder",
    );
}

#[test]
fn a_folder_that_holds_the_home_folder_is_never_replaced() {
    let d = site();
    write(d.path(), "home/thesis.txt", "years of work");
    refused(
        &d,
        &["--output", d.path().to_str().unwrap(), "--force"],
        "it contains",
    );
    let home_parent = d.path().join("home");
    let o = sitrep()
        .current_dir(root(&d))
        .env("HOME", home_parent.join("alice"))
        .args(["--now", NOW, "build", "--force", "--output"])
        .arg(&home_parent)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("it contains your home folder"));
    assert!(home_parent.join("thesis.txt").exists());
}

/// A link to a web server's folder stays a link, and that folder gets the
/// new output; a link to nothing is refused.
#[cfg(unix)]
#[test]
fn an_output_link_is_followed_and_a_dangling_one_refused() {
    let d = site();
    let www = d.path().join("www/ops");
    std::os::unix::fs::symlink(&www, root(&d).join("internal")).unwrap();
    refused(&d, &[], "it is a link to");
    refused(&d, &["--force"], "which does not exist");
    fs::create_dir_all(&www).unwrap();
    for _ in 0..2 {
        let o = build(&d, &[]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert!(o.stdout.contains(" into internal/ in "), "{}", o.stdout);
        let link = fs::symlink_metadata(root(&d).join("internal")).unwrap();
        assert!(link.file_type().is_symlink(), "the link stays a link");
        assert!(mark(&www).ends_with("view: internal\n"));
        assert!(www.join("index.html").is_file());
    }
}
