//! The fuzz targets' seed corpus (fuzz/seeds) and every input the fuzzer
//! ever crashed on (fuzz/crashes), replayed through the same paths without
//! the fuzzer: so that CI, which has no time to build the instrumented
//! targets, still runs each of them on every change.

use sitrep::check;
use sitrep::config;
use sitrep::markdown;
use sitrep::model::incident;
use sitrep::model::runbook;
use sitrep::model::site::Site;
use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out: Vec<PathBuf> = Vec::new();
    for dir in [fuzz.join("seeds").join(target), fuzz.join("crashes")] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        out.extend(entries.flatten().map(|e| e.path()).filter(|p| {
            dir.ends_with(target)
                || p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(&format!("{target}-")))
        }));
    }
    out.sort();
    out
}

fn text(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned()
}

fn now() -> incident::Time {
    "2026-11-23T12:00:00Z".parse().unwrap()
}

const CONFIG: &str = "title: Fuzz\ntimezone: Europe/Paris\nservices:\n  - { id: web, name: Web }\n  - { id: webshop, name: Web shop }\n  - { id: storefront, name: Storefront }\nrecipients:\n  service-owner: Service owner\n  om-team: O&M team\n  leadership: IT leadership\n";

fn checked(site: &Site) {
    for d in check::check(site, now()) {
        assert!(d.line >= 1 && d.column >= 1, "no position: {d:?}");
    }
}

#[test]
fn record_seeds() {
    let (cfg, _) = config::read(CONFIG);
    let files = inputs("record");
    assert!(
        files.len() > 50,
        "the seed corpus is missing: {}",
        files.len()
    );
    for f in files {
        let t = text(&f);
        // The record target splits an input into records at `#8<` lines.
        let mut records = Vec::new();
        let mut diags = Vec::new();
        for (i, part) in t.splitn(4, "\n#8<\n").enumerate() {
            let (rec, d) = incident::read(&format!("incidents/fuzz-{i}.yaml"), part, &cfg);
            records.push(rec);
            diags.extend(d);
        }
        checked(&Site::new(
            PathBuf::from("."),
            cfg.clone(),
            Vec::new(),
            records,
            diags,
        ));
    }
}

#[test]
fn runbook_seeds() {
    let (cfg, _) = config::read(CONFIG);
    for f in inputs("runbook") {
        let (rb, diags) =
            runbook::read("content/outage/fuzz.md", "outage/fuzz.md", &text(&f), &cfg);
        let html = markdown::to_html(&rb.body, &|d: &str| d.to_owned());
        no_script::assert_no_script(&html, &f.display().to_string());
        let _ = markdown::inline_html(&rb.body);
        checked(&Site::new(
            PathBuf::from("."),
            cfg.clone(),
            vec![rb],
            Vec::new(),
            diags,
        ));
    }
}

#[test]
fn config_seeds() {
    for f in inputs("config") {
        let (cfg, diags) = config::read(&text(&f));
        let _ = cfg.base_path();
        checked(&Site::new(
            PathBuf::from("."),
            cfg,
            Vec::new(),
            Vec::new(),
            diags,
        ));
    }
}

// The fuzz crate's file, shared as is: `pub` there, for its target.
#[allow(unreachable_pub)]
#[path = "../fuzz/src/no_script.rs"]
mod no_script;

#[allow(unreachable_pub)]
#[path = "../fuzz/src/edit_all.rs"]
mod edit_all;

/// The `edit` target's seeds are the record seeds (fuzz/seeds.sh), plus
/// any crash it found (`edit-*` in fuzz/crashes).
#[test]
fn edit_seeds() {
    let files: Vec<PathBuf> = inputs("record").into_iter().chain(inputs("edit")).collect();
    assert!(files.len() > 100, "the record seeds are there");
    for f in files {
        edit_all::edit_all(&text(&f));
    }
}
