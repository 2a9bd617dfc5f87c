//! Every kind of edit the recording commands make (`yaml::edit`), on one
//! text: shared by the `edit` fuzz target and tests/fuzz_seeds.rs.

use sitrep::yaml::edit::{apply, Edit, Field};

/// Applies each edit to `text`; a refusal is fine, a panic or an edit that
/// does not read back is not.
pub fn edit_all(text: &str) {
    let entry = || {
        vec![
            ("at", Field::Scalar("2026-03-14 02:46".to_owned())),
            ("text", Field::Scalar("\"x # y: [z]\"".to_owned())),
            ("to", Field::List(vec!["om-team".to_owned()])),
        ]
    };
    let edits = [
        Edit::Set {
            path: &["severity"],
            value: "1".to_owned(),
        },
        Edit::Set {
            path: &["responded_at"],
            value: "2026-03-14 02:46".to_owned(),
        },
        Edit::Set {
            path: &["roles", "tech_lead"],
            value: "Sam Roe".to_owned(),
        },
        Edit::Insert {
            key: "timeline",
            index: 0,
            fields: entry(),
        },
        Edit::Insert {
            key: "updates",
            index: usize::MAX,
            fields: entry(),
        },
        Edit::Insert {
            key: "notifications",
            index: 1,
            fields: entry(),
        },
    ];
    for e in &edits {
        if let Ok(new) = apply(text, e, sitrep::model::incident::KEYS) {
            assert!(
                sitrep::yaml::parse(&new).is_ok(),
                "an edit that does not read back: {e:?}\n{text:?}\n→ {new:?}"
            );
        }
    }
}
