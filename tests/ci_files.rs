//! The CI definitions shipped in the repository (docs/ci.md): they parse,
//! they hold the essential keys, and the `sitrep` commands they run are
//! commands the binary accepts.

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yaml(rel: &str) -> Value {
    let path = repo().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{rel} is not YAML: {e}"))
}

/// Every `sitrep …` command line in a list of shell scripts.
fn sitrep_commands(scripts: &[&str]) -> Vec<String> {
    scripts
        .iter()
        .flat_map(|s| s.lines())
        .map(str::trim)
        .filter(|l| l.starts_with("sitrep "))
        .map(|l| {
            // Up to a redirection or `||`.
            let end = l.find(['>', '|']).unwrap_or(l.len());
            l.get(..end).unwrap_or(l).trim().to_owned()
        })
        .collect()
}

/// Runs a command line of a CI file on the example site: it must be a
/// command sitrep accepts (exit 0 or 1, never 2).
fn runs_on_the_example(line: &str) {
    let args: Vec<&str> = line.split_whitespace().skip(1).collect();
    let out = Command::cargo_bin("sitrep")
        .expect("binary")
        .env("NO_COLOR", "1")
        .current_dir(repo())
        .args(["--now", "2026-11-23T12:00:00Z"])
        .args(&args)
        .output()
        .expect("sitrep runs");
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "`{line}` exits {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn github_workflow_checks_pull_requests_and_uploads_sarif() {
    let w = yaml(".github/workflows/sitrep.yml");
    let paths: Vec<&str> = w["on"]["pull_request"]["paths"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for p in ["incidents/**", "content/**", "sitrep.yaml"] {
        assert!(
            paths.contains(&p),
            "pull_request.paths lacks {p}: {paths:?}"
        );
    }
    assert_eq!(w["permissions"]["security-events"], "write");
    let steps = w["jobs"]["check"]["steps"]
        .as_array()
        .expect("jobs.check.steps");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(uses.iter().any(|u| u.starts_with("actions/checkout@")));
    assert!(runs
        .iter()
        .any(|r| r.contains("cargo install --locked --path .")));
    // SARIF is written without failing, then uploaded, then the check fails.
    let sarif = steps
        .iter()
        .position(|s| {
            s["run"].as_str().is_some_and(|r| {
                r.contains("sitrep check --format sarif > sitrep.sarif || status=$?")
            })
        })
        .expect("a step writes sitrep.sarif");
    let upload = steps
        .iter()
        .position(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .expect("a step uploads SARIF");
    assert_eq!(steps[upload]["with"]["sarif_file"], "sitrep.sarif");
    assert!(steps[upload]["if"]
        .as_str()
        .is_some_and(|c| c.contains("always()")));
    let annotate = steps
        .iter()
        .position(|s| s["run"] == "sitrep check --format github")
        .expect("a step annotates and fails");
    assert!(sarif < upload && upload < annotate);
    let cmds = sitrep_commands(&runs);
    assert!(cmds.len() >= 3, "{cmds:?}");
    for c in cmds {
        runs_on_the_example(&c);
    }
}

#[test]
fn gitlab_job_has_the_code_quality_report() {
    let g = yaml(".gitlab-ci.yml");
    let job = &g["sitrep"];
    assert_eq!(
        job["artifacts"]["reports"]["codequality"],
        "gl-code-quality-report.json"
    );
    assert_eq!(job["artifacts"]["reports"]["junit"], "sitrep-junit.xml");
    assert_eq!(job["artifacts"]["when"], "always");
    let script: Vec<&str> = job["script"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert!(
        script
            .iter()
            .any(|l| l.starts_with("sitrep check --format gitlab > gl-code-quality-report.json")),
        "{script:?}"
    );
    assert_eq!(
        script.last().copied(),
        Some("sitrep check"),
        "the verdict comes last"
    );
    let changes = job["rules"][0]["changes"]
        .as_array()
        .expect("rules[0].changes");
    assert!(changes.iter().any(|c| c == "incidents/**/*"));
    for c in sitrep_commands(&script) {
        runs_on_the_example(&c);
    }
}

#[test]
fn pre_commit_hook_definition() {
    let h = yaml(".pre-commit-hooks.yaml");
    let hooks = h.as_array().expect("a list of hooks");
    let hook = hooks
        .iter()
        .find(|x| x["id"] == "sitrep-check")
        .expect("hook sitrep-check");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["entry"], "sitrep check");
    assert_eq!(hook["pass_filenames"], false);
    let files = hook["files"].as_str().expect("files regex");
    for part in ["incidents/", "content/", "sitrep\\.yaml"] {
        assert!(files.contains(part), "files `{files}` lacks {part}");
    }
    assert!(hook["name"].is_string());
    runs_on_the_example("sitrep check");
}
