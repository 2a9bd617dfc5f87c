//! Property tests: no input, however broken, panics the loaders or the
//! checker.

use proptest::prelude::*;
use sitrep::check;
use sitrep::config::{self, Config};
use sitrep::model::{incident, runbook, site::Site};
use std::path::PathBuf;

fn cfg() -> Config {
    config::read(
        "title: P\ntimezone: Europe/Paris\nservices:\n  - { id: web, name: Web }\n  - { id: api, name: API }\nrecipients:\n  service-owner: Owner\n  leadership: IT leadership\n",
    )
    .0
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339("2026-03-29T12:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc)
}

/// A value a hurried author might write in any field.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2026-03-29 02:30".to_owned()), // skipped by DST in Paris
        Just("2026-03-29 01:59".to_owned()),
        Just("2026-10-25 02:30".to_owned()), // ambiguous
        Just("2026-03-28T23:00:00Z".to_owned()),
        Just("03:12".to_owned()),
        Just("24:00".to_owned()),
        Just("2026-02-30".to_owned()),
        Just("1".to_owned()),
        Just("2".to_owned()),
        Just("-7".to_owned()),
        Just("99999999999999999999999".to_owned()),
        Just("[web, api]".to_owned()),
        Just("{ id: web, impact: major_outage }".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        Just("~".to_owned()),
        Just("true".to_owned()),
        Just("INC-1".to_owned()),
        Just("\"quoted: text\"".to_owned()),
        "[a-z0-9 :-]{0,12}",
    ]
}

const KEYS: &[&str] = &[
    "kind",
    "id",
    "title",
    "severity",
    "status",
    "impact",
    "services",
    "parent",
    "runbook",
    "public",
    "started_at",
    "reported_at",
    "responded_at",
    "recovered_at",
    "resolved_at",
    "closed_at",
    "scheduled_start",
    "scheduled_end",
    "bogus",
];

fn entry() -> impl Strategy<Value = String> {
    (
        value(),
        prop::sample::select(vec!["initial", "progress", "overdue", "customer", "rectification", "other", "fax"]),
        prop::sample::select(vec!["[sms, email]", "[phone]", "[]", "sms", "[carrier-pigeon]"]),
        prop::sample::select(vec!["[service-owner]", "[IT leadership]", "[]", "x"]),
    )
        .prop_map(|(at, kind, ch, to)| {
            format!("  - at: {at}\n    kind: {kind}\n    channels: {ch}\n    to: {to}\n    cc: [om-team]\n")
        })
}

/// A record built from random keys, values and list entries.
fn record() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((prop::sample::select(KEYS.to_vec()), value()), 0..14),
        prop::collection::vec(entry(), 0..5),
        prop::collection::vec((0i64..4, 0i64..4, value()), 0..3),
        any::<bool>(),
    )
        .prop_map(|(fields, notes, escs, waiver)| {
            let mut s = String::new();
            let mut seen = std::collections::HashSet::new();
            for (k, v) in fields {
                if seen.insert(k) {
                    s.push_str(&format!("{k}: {v}\n"));
                }
            }
            if !notes.is_empty() {
                s.push_str("notifications:\n");
                for n in notes {
                    s.push_str(&n);
                }
            }
            if !escs.is_empty() {
                s.push_str("escalations:\n");
                for (f, t, at) in escs {
                    s.push_str(&format!("  - at: {at}\n    from: {f}\n    to: {t}\n"));
                }
            }
            if waiver {
                s.push_str("waivers:\n  - rule: notify-initial\n    reason: test\n");
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn yaml_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = sitrep::yaml::parse(&text);
    }

    #[test]
    fn loaders_never_panic_on_text(text in "\\PC{0,300}") {
        let c = cfg();
        let _ = config::read(&text);
        let _ = incident::read("incidents/x.yaml", &text, &c);
        let _ = runbook::read("content/x.md", "x.md", &text, &c);
        let _ = runbook::read("content/x.md", "x.md", &format!("---\n{text}\n---\nbody [l](y.md#z)\n"), &c);
    }

    #[test]
    fn checker_never_panics_on_random_records(recs in prop::collection::vec(record(), 1..5)) {
        let c = cfg();
        let mut records = Vec::new();
        let mut load_diags = Vec::new();
        for (i, text) in recs.iter().enumerate() {
            let (rec, diags) = incident::read(&format!("incidents/{i}.yaml"), text, &c);
            records.push(rec);
            load_diags.extend(diags);
        }
        let site = Site::new(PathBuf::from("."), c.clone(), Vec::new(), records, load_diags);
        let diags = check::check(&site, now());
        for d in &diags {
            prop_assert!(d.line >= 1 && d.column >= 1);
            prop_assert!(sitrep::diag::rules::by_id(d.rule.id).is_some());
        }
        // The same input gives the same findings.
        prop_assert_eq!(diags, check::check(&site, now()));
    }
}
