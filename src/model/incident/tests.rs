use super::{At, Times, LIFECYCLE};
use crate::yaml::Pos;

/// Pages list the times by name, as the map they were kept in did.
#[test]
fn times_go_by_name() {
    let mut t = Times::default();
    for (i, f) in LIFECYCLE.iter().enumerate() {
        let time = chrono::DateTime::from_timestamp(1_700_000_000 + i as i64, 0).unwrap();
        t.insert(
            f,
            At {
                time,
                pos: Pos::START,
            },
        );
    }
    t.insert(
        "not_a_field",
        At {
            time: chrono::DateTime::UNIX_EPOCH,
            pos: Pos::START,
        },
    );
    let mut sorted = LIFECYCLE.to_vec();
    sorted.sort_unstable();
    let names: Vec<&str> = t.iter().map(|(f, _)| f).collect();
    assert_eq!(names, sorted);
    assert_eq!(t.values().count(), 6);
    let reported = t.get("reported_at").map(|a| a.time.timestamp());
    assert_eq!(reported, Some(1_700_000_001));
    assert!(t.get("not_a_field").is_none());
}

fn status_of(extra: &str) -> String {
    let text = format!("id: I\ntitle: T\nseverity: 3\nreported_at: 2026-05-10 09:00\n{extra}");
    let (rec, diags) = super::read(
        "incidents/i.yaml",
        &text,
        &crate::model::config::Config::default(),
    );
    assert!(diags.is_empty(), "{diags:?}");
    rec.effective_status().to_owned()
}

/// FORMATS.md v2: while open, the latest public update's status.
#[test]
fn derived_status_follows_the_latest_update() {
    let ups = "updates:\n  - { at: \"09:10\", status: investigating, text: a }\n  - { at: \"09:20\", status: identified, text: b }\n  - { at: \"09:30\", text: no status }\n";
    assert_eq!(status_of(""), "investigating");
    assert_eq!(status_of("recovered_at: 2026-05-10 10:00\n"), "monitoring");
    assert_eq!(status_of(ups), "identified");
    assert_eq!(
        status_of(&format!("recovered_at: 2026-05-10 10:00\n{ups}")),
        "identified"
    );
    assert_eq!(
        status_of(&format!("resolved_at: 2026-05-10 10:00\n{ups}")),
        "resolved"
    );
    assert_eq!(
        status_of(&format!("status: monitoring\n{ups}")),
        "monitoring"
    );
}
