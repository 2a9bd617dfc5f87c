//! The default theme in every built-in language: each string a template
//! shows has a key, each key is in every language with the same `{names}`,
//! and a French site's public pages hold no English theme string.

mod common;
use common::*;
use sitrep::render::i18n::{built_in_map, BUILT_IN};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

const NOW: &str = "2026-11-23T12:00:00Z";

fn templates() -> BTreeMap<String, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

/// The keys a template asks for: `t(k="…"`.
fn keys_used(text: &str) -> Vec<String> {
    text.split("t(k=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

fn names(text: &str) -> BTreeSet<String> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(n, _)| n.to_owned()))
        .collect()
}

/// Removes every span from `open` to the next `close` (and the rest when
/// one is not closed).
fn strip(text: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(open) {
        out.push_str(&rest[..at]);
        out.push(' ');
        match rest[at..].find(close) {
            Some(end) => rest = &rest[at + end + close.len()..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// What a reader would read in a template: its letters outside Tera's
/// blocks and comments (first: they may hold `>`), scripts and tags.
fn bare_text(template: &str) -> String {
    let mut t = template.to_owned();
    for (open, close) in [
        ("{{", "}}"),
        ("{%", "%}"),
        ("{#", "#}"),
        ("<script", "</script>"),
        ("<", ">"),
    ] {
        t = strip(&t, open, close);
    }
    t.chars().filter(|c| c.is_alphabetic()).collect()
}

/// Templates exempt from the words-outside-t() check (none).
const NOT_YET: &[&str] = &[];

#[test]
fn every_theme_string_has_a_key_in_every_built_in_language() {
    let en = built_in_map("en").unwrap();
    for (name, text) in templates() {
        for key in keys_used(&text) {
            assert!(
                en.contains_key(&key),
                "{name}: key `{key}` is not in i18n/en.yaml"
            );
        }
        // A word written into a template is a string no language can change.
        if NOT_YET.contains(&name.as_str()) {
            continue;
        }
        let left = bare_text(&text);
        assert!(left.is_empty(), "{name}: text outside t(): {left:?}");
    }
    for lang in BUILT_IN {
        let map = built_in_map(lang).unwrap();
        let missing: Vec<&String> = en.keys().filter(|k| !map.contains_key(*k)).collect();
        let extra: Vec<&String> = map.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{lang}.yaml lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{lang}.yaml has keys English has not: {extra:?}"
        );
        for (k, v) in &map {
            assert_eq!(
                names(v),
                names(&en[k]),
                "{lang}.yaml `{k}`: other {{names}} than English"
            );
            assert!(
                !v.trim().is_empty() || en[k].is_empty(),
                "{lang}.yaml `{k}` is empty"
            );
        }
    }
}

/// A site with an active incident and its child, maintenance and history,
/// so that the status page shows nearly every one of its strings.
fn busy_site(language: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    write(r, "sitrep.yaml", &format!("title: Boutique\nlanguage: {language}\ntimezone: Europe/Paris\nhistory_days: 7\nservices:\n  - {{ id: web, name: Boutique en ligne }}\n  - {{ id: api, name: API }}\n"));
    write(r, "incidents/p.yaml", "id: INC-P\ntitle: Paiement indisponible\nseverity: 2\nimpact: major_outage\nservices: [web]\nstarted_at: 2026-11-23 09:45\nreported_at: 2026-11-23 10:00\nresponded_at: 2026-11-23 10:10\nupdates:\n  - { at: \"10:05\", status: investigating, text: Nous analysons. }\n  - { at: \"11:00\", status: monitoring, text: Nous surveillons. }\n");
    write(r, "incidents/c.yaml", "id: INC-C\ntitle: Cartes refusées\nseverity: 2\nimpact: partial_outage\nparent: INC-P\nservices: [api]\nreported_at: 2026-11-23 10:20\nresponded_at: 2026-11-23 10:25\nupdates:\n  - { at: \"10:21\", status: identified, text: Les cartes aussi. }\n");
    write(r, "incidents/old.yaml", "id: INC-O\ntitle: Lenteurs\nseverity: 3\nimpact: degraded_performance\nservices: [web]\nreported_at: 2026-11-20 09:00\nresponded_at: 2026-11-20 09:10\nrecovered_at: 2026-11-20 10:00\nclosed_at: 2026-11-20 12:00\nupdates:\n  - { at: \"09:15\", status: resolved, text: Réglé. }\n");
    write(r, "incidents/m.yaml", "kind: maintenance\nid: MNT-1\ntitle: Mise à jour\nservices: [api]\nscheduled_start: 2026-11-23 11:30\nscheduled_end: 2026-11-23 13:00\n");
    d
}

/// The HTML pages of a build, by path.
fn build(root: &Path, extra: &[&str]) -> BTreeMap<String, String> {
    let out = build_at(root, NOW, extra);
    walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn a_french_status_page_has_no_english_theme_string() {
    let site = busy_site("fr");
    let pages = build(site.path(), &["--public"]);
    let fr = built_in_map("fr").unwrap();
    let en = built_in_map("en").unwrap();
    let status = &pages["index.html"];
    assert!(status.contains("<html lang=\"fr\">"));
    assert!(status.contains(&fr["overall.major_outage"]), "{status}");
    assert!(status.contains("nov. 2026"), "French dates");
    // Every English string of more than one word that French says otherwise.
    for (k, v) in &en {
        let english = v.split('{').next().unwrap_or("").trim();
        if english.split_whitespace().count() < 2 || fr[k].contains(english) {
            continue;
        }
        for (path, page) in [
            ("index.html", status),
            (
                "incidents/INC-P/index.html",
                &pages["incidents/INC-P/index.html"],
            ),
        ] {
            assert!(!page.contains(english), "{path} says `{english}` ({k})");
        }
    }
    // Single English words the status page would show.
    for word in [
        "Investigating",
        "Monitoring",
        "Identified",
        "Subscribe",
        "Operational",
    ] {
        assert!(!status.contains(&format!(">{word}<")), "{word}");
    }
}

#[test]
fn a_site_file_overrides_a_built_in_string() {
    let site = busy_site("de");
    write(
        site.path(),
        "i18n/de.yaml",
        "status.subscribe: \"Benachrichtigungen\"\n",
    );
    let pages = build(site.path(), &[]);
    let status = &pages["index.html"];
    assert!(status.contains("<html lang=\"de\">"));
    assert!(status.contains(">Benachrichtigungen</h2>"));
    assert!(status.contains(&built_in_map("de").unwrap()["status.active"]));
    // A broken file stops the build with its name, and writes nothing.
    write(site.path(), "i18n/de.yaml", "status.subscribe: [a\n");
    let o = sitrep()
        .arg("--root")
        .arg(site.path())
        .args(["build", "--now", NOW, "--output"])
        .arg(site.path().join("out2"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("i18n/de.yaml"));
    assert!(!site.path().join("out2").exists());
}
