use super::*;
use crate::model::incident::KEYS;

fn set1(text: &str, key: &str, value: &str) -> Result<String, EditError> {
    apply(
        text,
        &Edit::Set {
            path: &[key],
            value: value.to_owned(),
        },
        KEYS,
    )
}

fn note(at: &str) -> Vec<(&'static str, Field)> {
    vec![
        ("at", Field::Scalar(at.to_owned())),
        ("kind", Field::Scalar("initial".to_owned())),
        ("channels", Field::List(vec!["sms".into(), "email".into()])),
    ]
}

fn push(text: &str, key: &str, index: usize, at: &str) -> Result<String, EditError> {
    apply(
        text,
        &Edit::Insert {
            key,
            index,
            fields: note(at),
        },
        KEYS,
    )
}

const RECORD: &str = "\
# Hand-written: keep me.
id: INC-1   # the id
title: 'Checkout: down'
severity: 2
reported_at: 2026-03-14 02:40
# responded_at:
# recovered_at:

notifications:
  - at: 02:50
    kind: initial   # first one
    channels: [sms]

# timeline: what happened
#   - at: \"HH:MM\"
#     text:

updates: [{ at: 02:55, status: investigating, text: \"Looking, [really]\" }]
";

#[test]
fn set_replaces_a_value_and_nothing_else() {
    let t = set1(RECORD, "severity", "1").unwrap();
    assert_eq!(t, RECORD.replace("severity: 2", "severity: 1"));
    let t = set1(RECORD, "title", "\"New\"").unwrap();
    assert_eq!(t, RECORD.replace("'Checkout: down'", "\"New\""));
    let t = set1(RECORD, "id", "INC-2").unwrap();
    assert_eq!(t, RECORD.replace("INC-1   #", "INC-2   #"));
}

#[test]
fn set_fills_the_template_slot() {
    let t = set1(RECORD, "responded_at", "2026-03-14 02:46").unwrap();
    assert_eq!(
        t,
        RECORD.replace("# responded_at:\n", "responded_at: 2026-03-14 02:46\n")
    );
}

#[test]
fn set_adds_a_missing_key_after_the_one_before_it() {
    let text = "id: X\ntitle: T\nseverity: 3\nreported_at: 2026-01-01 10:00\n\ntimeline:\n  - at: 10:05\n    text: x\n";
    let t = set1(text, "closed_at", "2026-01-02 10:00").unwrap();
    assert_eq!(
        t,
        text.replace(
            "10:00\n\ntimeline",
            "10:00\nclosed_at: 2026-01-02 10:00\n\ntimeline"
        )
    );
    // Without a final line break.
    let t = set1("id: X\ntitle: T", "severity", "1").unwrap();
    assert_eq!(t, "id: X\ntitle: T\nseverity: 1\n");
}

#[test]
fn set_an_empty_or_null_value() {
    assert_eq!(
        set1(
            "id: X\nresolved_at:   # later\n",
            "resolved_at",
            "2026-01-01 10:00"
        )
        .unwrap(),
        "id: X\nresolved_at: 2026-01-01 10:00   # later\n"
    );
    assert_eq!(
        set1("id: X\nresolved_at: ~\n", "resolved_at", "2026-01-01 10:00").unwrap(),
        "id: X\nresolved_at: 2026-01-01 10:00\n"
    );
}

#[test]
fn set_nested_role() {
    let path: &[&str] = &["roles", "tech_lead"];
    let edit = Edit::Set {
        path,
        value: "Sam Roe".into(),
    };
    let text =
        "id: X\nroles:\n    incident_manager: Pat  # on call\nreported_at: 2026-01-01 10:00\n";
    assert_eq!(
        apply(text, &edit, KEYS).unwrap(),
        "id: X\nroles:\n    incident_manager: Pat  # on call\n    tech_lead: Sam Roe\nreported_at: 2026-01-01 10:00\n"
    );
    let text = "id: X\ntitle: T\nreported_at: 2026-01-01 10:00\n";
    assert_eq!(
        apply(text, &edit, KEYS).unwrap(),
        "id: X\ntitle: T\nroles:\n  tech_lead: Sam Roe\nreported_at: 2026-01-01 10:00\n"
    );
    let text = "id: X\nroles:\n  tech_lead: Old\n";
    assert_eq!(
        apply(text, &edit, KEYS).unwrap(),
        "id: X\nroles:\n  tech_lead: Sam Roe\n"
    );
    let text = "id: X\nroles: { tech_lead: Old }\n";
    assert!(apply(text, &edit, KEYS).is_err());
}

#[test]
fn push_block_keeps_the_lists_layout() {
    let t = push(RECORD, "notifications", 1, "03:10").unwrap();
    assert_eq!(
        t,
        RECORD.replace(
            "    channels: [sms]\n",
            "    channels: [sms]\n  - at: 03:10\n    kind: initial\n    channels: [sms, email]\n"
        )
    );
    // Before an entry, for time order.
    let t = push(RECORD, "notifications", 0, "02:45").unwrap();
    assert!(t.contains("notifications:\n  - at: 02:45\n    kind: initial\n    channels: [sms, email]\n  - at: 02:50\n"), "{t}");
    // Items at the key's own indent, with wider gaps.
    let text = "id: X\ntimeline:\n-   at: 10:00\n    text: a\nupdates: []\n";
    let t = push(text, "timeline", 1, "10:05").unwrap();
    assert_eq!(
        t,
        "id: X\ntimeline:\n-   at: 10:00\n    text: a\n-   at: 10:05\n    kind: initial\n    channels: [sms, email]\nupdates: []\n"
    );
}

#[test]
fn push_flow() {
    let t = push(RECORD, "updates", 1, "03:00").unwrap();
    assert!(t.ends_with(
        "text: \"Looking, [really]\" }, { at: 03:00, kind: initial, channels: [sms, email] }]\n"
    ), "{t}");
    let t = push("id: X\nupdates: []  # none\n", "updates", 0, "03:00").unwrap();
    assert_eq!(
        t,
        "id: X\nupdates: [{ at: 03:00, kind: initial, channels: [sms, email] }]  # none\n"
    );
}

#[test]
fn push_creates_a_missing_list_after_its_slot() {
    let t = push(RECORD, "timeline", 0, "03:00").unwrap();
    assert!(t.contains(
        "#     text:\ntimeline:\n  - at: 03:00\n    kind: initial\n    channels: [sms, email]\n\nupdates:"
    ), "{t}");
    let t = push("id: X\nescalations:\n", "escalations", 0, "03:00").unwrap();
    assert_eq!(
        t,
        "id: X\nescalations:\n  - at: 03:00\n    kind: initial\n    channels: [sms, email]\n"
    );
}

#[test]
fn crlf_files_stay_crlf() {
    let text = "id: X\r\ntimeline:\r\n  - at: 10:00\r\n    text: a\r\n";
    let t = push(text, "timeline", 1, "10:05").unwrap();
    assert_eq!(
        t,
        "id: X\r\ntimeline:\r\n  - at: 10:00\r\n    text: a\r\n  - at: 10:05\r\n    kind: initial\r\n    channels: [sms, email]\r\n"
    );
}

#[test]
fn refusals_change_nothing() {
    for (text, key) in [
        ("id: [unclosed\n", "severity"),
        ("{id: X, severity: 2}\n", "severity"),
        ("id: X\nseverity: |\n  2\n", "severity"),
        ("id: X\nseverity: [2]\n", "severity"),
        ("- a\n- b\n", "severity"),
    ] {
        assert!(set1(text, key, "1").is_err(), "{text}");
    }
    assert!(push("id: X\ntimeline: text\n", "timeline", 0, "10:00").is_err());
}

#[test]
fn a_new_list_takes_the_files_indentation() {
    let text = "id: X\nservices:\n    - web\nreported_at: 2026-01-01 10:00\n";
    let t = push(text, "timeline", 0, "10:05").unwrap();
    assert!(
        t.ends_with(
            "timeline:\n    - at: 10:05\n      kind: initial\n      channels: [sms, email]\n"
        ),
        "{t}"
    );
    // `key: ~` becomes the list, with no space left after the colon.
    let t = push("id: X\ntimeline: ~\n", "timeline", 0, "10:05").unwrap();
    assert!(t.starts_with("id: X\ntimeline:\n  - at: 10:05\n"), "{t:?}");
    let t = push("id: X\ntimeline: ~  # later\n", "timeline", 0, "10:05").unwrap();
    assert!(
        t.starts_with("id: X\ntimeline:   # later\n  - at: 10:05\n"),
        "{t:?}"
    );
}
