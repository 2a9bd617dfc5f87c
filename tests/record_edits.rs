//! Property: an entry added to any record of the example site (and the
//! recording fixture) changes the file by one inserted span, and the file
//! reads back as the old tree plus that entry, nothing else changed.

use proptest::prelude::*;
use sitrep::model::incident::KEYS;
use sitrep::yaml::edit::{apply, same, Edit, Field};
use sitrep::yaml::{parse, write::scalar, Node};
use std::path::PathBuf;

fn records() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["incidents", "tests/fixtures/record/incidents"] {
        for e in walkdir::WalkDir::new(root.join(dir))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        {
            let text = std::fs::read_to_string(e.path()).expect("read");
            out.push((e.path().display().to_string(), text));
        }
    }
    out.sort();
    assert!(out.len() > 10, "the example site has records");
    out
}

/// The span `new` has that `old` lacks, when `new` is `old` with one span
/// inserted or replaced: (common prefix, common suffix) lengths.
fn one_span(old: &str, new: &str) -> (usize, usize) {
    let pre = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let max_suf = old.len().min(new.len()) - pre;
    let suf = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suf)
        .take_while(|(a, b)| a == b)
        .count();
    (pre, suf)
}

fn list_of<'a>(root: &'a Node<'a>, key: &str) -> &'a [Node<'a>] {
    root.get(key).and_then(Node::as_seq).unwrap_or(&[])
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z][a-zA-Z0-9 ,.]{0,30}",
        "[ -~]{1,40}",
        Just("Rolled back deploy #4821".to_owned()),
        Just("- dash: colon, [bracket] {brace}".to_owned()),
        Just("Ünïcödé 日本 \u{2028} line".to_owned()),
        Just("two\nlines".to_owned()),
    ]
}

const LISTS: &[&str] = &["timeline", "updates", "notifications", "escalations"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn an_added_entry_changes_nothing_else(
        pick in any::<prop::sample::Index>(),
        list in prop::sample::select(LISTS),
        index in 0usize..12,
        minute in 0u32..60,
        msg in text(),
        by in proptest::option::of(text()),
    ) {
        let recs = records();
        let (path, old) = &recs[pick.index(recs.len())];
        let old_root = parse(old).expect("example records parse");
        let len = list_of(&old_root, list).len();
        let index = index.min(len);
        let mut fields = vec![
            ("at", Field::Scalar(format!("2026-03-14 02:{minute:02}"))),
            ("text", Field::Scalar(scalar(&msg))),
        ];
        if let Some(b) = &by {
            fields.push(("by", Field::Scalar(scalar(b))));
        }
        fields.push(("to", Field::List(vec![scalar("om-team"), scalar(&msg)])));
        let new = apply(old, &Edit::Insert { key: list, index, fields: fields.clone() }, KEYS)
            .unwrap_or_else(|e| panic!("{path}: {list}: {e}"));
        // One inserted span, the rest byte for byte.
        let (pre, suf) = one_span(old, &new);
        prop_assert_eq!(pre + suf, old.len(), "{}: more than one span changed", path);
        // The old tree plus the entry.
        let new_root = parse(&new).expect("reads back");
        let old_items = list_of(&old_root, list);
        let new_items = list_of(&new_root, list);
        prop_assert_eq!(new_items.len(), len + 1);
        let entry_text: Vec<String> = fields.iter().map(|(k, f)| match f {
            Field::Scalar(s) => format!("{k}: {s}"),
            Field::List(l) => format!("{k}: [{}]", l.join(", ")),
        }).collect();
        let entry_text = entry_text.join("\n");
        let entry = parse(&entry_text).expect("entry");
        prop_assert!(same(&new_items[index], &entry), "{}: entry", path);
        let others: Vec<&Node> = new_items.iter().enumerate().filter(|(i, _)| *i != index).map(|(_, n)| n).collect();
        prop_assert!(old_items.iter().zip(others).all(|(a, b)| same(a, b)));
        let (Some(om), Some(nm)) = (old_root.as_map(), new_root.as_map()) else { panic!("maps") };
        for (k, v) in om.iter().filter(|(k, _)| k.as_str() != Some(list)) {
            let key = k.as_str().unwrap_or_default();
            prop_assert!(nm.iter().any(|(k2, v2)| same(k, k2) && same(v, v2)), "{}: `{}` changed", path, key);
        }
        prop_assert_eq!(nm.len(), om.len() + usize::from(old_root.get(list).is_none()));
    }

    #[test]
    fn a_set_field_changes_only_its_value(
        pick in any::<prop::sample::Index>(),
        field in prop::sample::select(&["severity", "responded_at", "closed_at", "title"][..]),
        msg in text(),
    ) {
        let recs = records();
        let (path, old) = &recs[pick.index(recs.len())];
        let value = match field {
            "severity" => "1".to_owned(),
            "title" => scalar(&msg),
            _ => "2026-03-14 02:46".to_owned(),
        };
        let path_keys = [field];
        let new = apply(old, &Edit::Set { path: &path_keys, value: value.clone() }, KEYS)
            .unwrap_or_else(|e| panic!("{path}: {field}: {e}"));
        let (pre, suf) = one_span(old, &new);
        // One span replaced (or inserted), nothing else.
        prop_assert!(pre + suf <= old.len());
        let old_root = parse(old).expect("parses");
        let new_root = parse(&new).expect("reads back");
        let want_text = format!("v: {value}");
        let want = parse(&want_text).expect("value");
        prop_assert!(new_root.get(field).is_some_and(|v| want.get("v").is_some_and(|w| same(v, w))));
        for (k, v) in old_root.as_map().unwrap_or(&[]).iter().filter(|(k, _)| k.as_str() != Some(field)) {
            prop_assert!(new_root.get(k.as_str().unwrap_or_default()).is_some_and(|n| same(n, v)), "{}: {:?} changed", path, k.as_str());
        }
    }
}
