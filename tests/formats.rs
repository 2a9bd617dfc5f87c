//! Snapshots of every output format of `sitrep check` on one fixture site,
//! and the SARIF output validated against the OASIS SARIF 2.1.0 schema.

use assert_cmd::Command;
use std::path::PathBuf;

const NOW: &str = "2026-11-23T12:00:00Z";

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats")
}

fn check(format: &str) -> String {
    let out = Command::cargo_bin("sitrep")
        .unwrap()
        .env("NO_COLOR", "1")
        .arg("--root")
        .arg(fixture())
        .args(["check", "--now", NOW, "--format", format])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{format}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn human() {
    insta::assert_snapshot!(check("human"));
}

#[test]
fn json() {
    insta::assert_snapshot!(check("json"));
}

#[test]
fn github() {
    insta::assert_snapshot!(check("github"));
}

#[test]
fn sarif() {
    insta::assert_snapshot!(check("sarif"));
}

#[test]
fn junit() {
    insta::assert_snapshot!(check("junit"));
}

#[test]
fn gitlab() {
    insta::assert_snapshot!(check("gitlab"));
}

#[test]
fn sarif_validates_against_the_oasis_schema() {
    let schema_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&check("sarif")).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // An empty run validates too.
    let clean = Command::cargo_bin("sitrep")
        .unwrap()
        .arg("--root")
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .args(["check", "--now", NOW, "--format", "sarif"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&clean.stdout).unwrap();
    assert!(validator.is_valid(&doc));
}

#[test]
fn junit_is_well_formed() {
    let x = check("junit");
    // Every opened element is closed, in order.
    let mut stack: Vec<String> = Vec::new();
    for tag in x.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap();
        if tag.starts_with('?') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_alphanumeric())
            .collect();
        if tag.starts_with('/') {
            assert_eq!(stack.pop().as_deref(), Some(name.as_str()));
        } else if !tag.ends_with('/') {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "{stack:?}");
}
