//! Criterion benchmarks of the hot functions: parsing a record with
//! positions, reading it into the model, timestamps, Markdown, and the
//! whole check of a small site. `cargo bench --bench hot`.

use criterion::{criterion_group, criterion_main, Criterion};
use sitrep::config;
use sitrep::model::{incident, runbook, site::Site};
use std::hint::black_box;
use std::path::PathBuf;

const RECORD: &str = "id: INC-2026-0042\ntitle: Customers cannot log in\nseverity: 1\nservices: [web, { id: api, impact: partial_outage }]\nroles:\n  incident_manager: Pat Doe\nreported_at: 2026-03-14 02:40\nresponded_at: 2026-03-14 02:46\nrecovered_at: 2026-03-14 04:10\nresolved_at: 2026-03-15 11:00\nclosed_at: 2026-03-16 09:00\nescalations:\n  - at: 03:29\n    from: 2\n    to: 1\n    reason: All customers affected\nnotifications:\n  - at: 02:55\n    kind: initial\n    channels: [sms, email]\n    to: [service-owner, om-team]\n  - at: 02:56\n    kind: initial\n    channels: [phone]\n    to: [rd-leader]\n  - at: 03:40\n    kind: customer\n    channels: [email]\n    to: [customers]\n  - at: 03:41\n    kind: other\n    channels: [phone]\n    to: [leadership]\ntimeline:\n  - at: 02:46:23\n    by: Network SME\n    text: Bridge opened.\nupdates:\n  - at: 03:20\n    status: investigating\n    text: We are investigating failed logins.\nreport:\n  conditions: Logins failed.\n  actions: Rolled back.\n  needs: A canary.\n  completed_at: 2026-03-16 08:30\n";

const CONFIG: &str = "title: Bench\ntimezone: Europe/Paris\nservices:\n  - { id: web, name: Web }\n  - { id: api, name: API }\nrecipients:\n  service-owner: Owner\n  om-team: Ops\n  rd-leader: R&D\n  customers: Customers\n  leadership: IT leadership\n";

fn runbook_text() -> String {
    let mut s = String::from(
        "---\ntitle: Outage\nowner: Ops\nlast_reviewed: 2026-10-01\nservices: [web]\n---\n",
    );
    for i in 0..12 {
        s.push_str(&format!("## Step {i}: check the replica\n\n1. Look at the [dashboard](other.md#step-1).\n2. Run `kubectl get pods`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"));
    }
    s
}

fn benches(c: &mut Criterion) {
    let (cfg, _) = config::read(CONFIG);
    let zone = cfg.timezone;
    c.bench_function("yaml::parse record", |b| {
        b.iter(|| sitrep::yaml::parse(black_box(RECORD)))
    });
    // A directive sends the same record to the full parser.
    let directive = format!("%YAML 1.2\n---\n{RECORD}");
    c.bench_function("yaml::parse record, full parser", |b| {
        b.iter(|| sitrep::yaml::parse(black_box(&directive)))
    });
    // One long line of short non-ASCII items: positions are counted in
    // characters, and must stay linear in the line's length.
    let long_line = format!("services: [{}]\n", vec!["é"; 50_000].join(", "));
    c.bench_function("yaml::parse one line of 50,000 non-ASCII items", |b| {
        b.iter(|| sitrep::yaml::parse(black_box(&long_line)))
    });
    c.bench_function("incident::read", |b| {
        b.iter(|| incident::read("incidents/a.yaml", black_box(RECORD), &cfg))
    });
    c.bench_function("time::parse_stamp local", |b| {
        b.iter(|| sitrep::time::parse_stamp(black_box("2026-03-14 02:40"), &zone, false))
    });
    let md = runbook_text();
    c.bench_function("runbook::read", |b| {
        b.iter(|| runbook::read("content/a.md", "a.md", black_box(&md), &cfg))
    });
    c.bench_function("markdown::to_html", |b| {
        b.iter(|| sitrep::markdown::to_html(black_box(&md), &|d| d.to_owned()))
    });
    let records: Vec<_> = (0..200)
        .map(|i| {
            incident::read(
                &format!("incidents/{i}.yaml"),
                &RECORD.replace("INC-2026-0042", &format!("INC-{i}")),
                &cfg,
            )
            .0
        })
        .collect();
    let site = Site::new(
        PathBuf::from("."),
        cfg.clone(),
        Vec::new(),
        records,
        Vec::new(),
    );
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T12:00:00Z")
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_default();
    c.bench_function("check 200 records", |b| {
        b.iter(|| sitrep::check::check(black_box(&site), now))
    });
}

criterion_group!(hot, benches);
criterion_main!(hot);
