//! Helpers shared by the integration tests.
#![allow(dead_code)] // each test binary uses its own subset

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

/// The sitrep binary, without colour.
pub(crate) fn sitrep() -> Command {
    let mut c = Command::cargo_bin("sitrep").expect("the sitrep binary is built");
    c.env("NO_COLOR", "1");
    c
}

/// What one run of sitrep printed and returned.
pub(crate) struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs sitrep on `root` at a fixed `--now`.
pub(crate) fn run(root: &Path, now: &str, args: &[&str]) -> Out {
    output(
        sitrep()
            .arg("--root")
            .arg(root)
            .args(["--now", now])
            .args(args),
    )
}

/// Runs sitrep and reads its stdout as JSON (`check --format json`, `due
/// --format json`), or fails the test saying what came instead.
pub(crate) fn json_of(root: &Path, now: &str, args: &[&str]) -> serde_json::Value {
    let o = run(root, now, args);
    serde_json::from_str(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "`sitrep {args:?}` at {now} on {}: not JSON ({e}); exit {}\n{}\n{}",
            root.display(),
            o.code,
            o.stdout,
            o.stderr
        )
    })
}

/// Builds `root` at `now` into `out` or `out-public` (one folder per view:
/// a build refuses a folder holding the other one), or fails the test.
pub(crate) fn build_at(root: &Path, now: &str, extra: &[&str]) -> PathBuf {
    let out = root.join(if extra.contains(&"--public") {
        "out-public"
    } else {
        "out"
    });
    let o = sitrep()
        .arg("--root")
        .arg(root)
        .args(["build", "--now", now, "--output"])
        .arg(&out)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// Runs a prepared sitrep command and collects what it printed.
pub(crate) fn output(cmd: &mut Command) -> Out {
    let o = cmd.output().expect("sitrep runs");
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// The repository root, which is the example site.
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Writes a file below `root`, creating its folders.
pub(crate) fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(p, text).expect("write");
}

/// Every file below `dir` with its bytes, sorted by path.
pub(crate) fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .expect("below dir")
                    .to_string_lossy()
                    .into_owned(),
                fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    out.sort();
    out
}

/// Copies a folder tree (files and folders; links are skipped).
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let dest = to.join(e.path().strip_prefix(from).expect("below from"));
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else if e.file_type().is_file() {
            fs::copy(e.path(), &dest).expect("copy");
        }
    }
}
