use super::*;

/// Equal trees, positions included; NaN equals NaN.
fn same(a: &Node, b: &Node) -> bool {
    a.pos == b.pos
        && match (&a.value, &b.value) {
            (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
            (Value::Seq(x), Value::Seq(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
            }
            (Value::Map(x), Value::Map(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y)
                        .all(|((ka, va), (kb, vb))| same(ka, kb) && same(va, vb))
            }
            (x, y) => x == y,
        }
}

/// The event-based tree is the tree serde-saphyr builds; where
/// serde-saphyr refuses a text, so does `parse`.
fn agrees_with_serde(text: &str) -> Result<(), String> {
    let ours = parse(text);
    let theirs = if is_blank(text) {
        Some(Node::new(Value::Null, Pos::START))
    } else {
        reference::parse(text)
    };
    match (&ours, &theirs) {
        (Ok(a), Some(b)) if same(a, b) => Ok(()),
        (Err(_), None) => Ok(()),
        // `!!binary` stays the text as written, not decoded.
        _ if text.contains("!!binary") => Ok(()),
        _ => Err(format!("{text:?}\nours:   {ours:?}\nserde:  {theirs:?}")),
    }
}

/// Every first character, and the spellings near null, booleans and
/// numbers: the resolver's shortcut for words must not change a value.
#[test]
fn scalars_resolve_as_serde_does() {
    let mut words: Vec<String> = (0x21u8..0x7f).map(|b| format!("{}x", b as char)).collect();
    words.extend(
        [
            "y",
            "Y",
            "n",
            "N",
            "yes",
            "YES",
            "No",
            "on",
            "ON",
            "Off",
            "true",
            "True",
            "FALSE",
            "null",
            "Null",
            "NULL",
            "nul",
            "~",
            "+1",
            "-1",
            "+.5",
            "-.5",
            ".5",
            "5.",
            "0",
            "-0",
            "00",
            "0o17",
            "0x1F",
            "0b101",
            "1e3",
            "-1e3",
            "e3",
            ".inf",
            "-.inf",
            "+.inf",
            ".NaN",
            "nan",
            "NaN",
            "inf",
            "Infinity",
            "-inf",
            "1_0",
            "oN",
            "tRUE",
            "offf",
            "yess",
            "2025-04-08",
            "12:30",
            "9",
            "1.5.2",
        ]
        .map(str::to_owned),
    );
    for w in &words {
        // A word `!`, `&`, `*`, `|` … cannot open a plain scalar: skip those.
        for text in [format!("k: {w}\n"), format!("k: [{w}]\n")] {
            if reference::parse(&text).is_some() || parse(&text).is_ok() {
                assert_eq!(agrees_with_serde(&text), Ok(()), "{text}");
            }
        }
    }
}

#[test]
fn same_tree_as_serde_on_every_yaml_file_of_the_repository() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    let mut failures = Vec::new();
    for entry in walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| {
            !matches!(
                e.file_name().to_str(),
                Some("target" | ".git" | "node_modules")
            )
        })
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        if !matches!(ext, "yaml" | "yml") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        seen += 1;
        if let Err(e) = agrees_with_serde(&text) {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(seen > 100, "only {seen} YAML files found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn same_scalars_as_serde() {
    for s in [
        "~",
        "null",
        "Null",
        "NULL",
        "true",
        "False",
        "yes",
        "No",
        "on",
        "OFF",
        "y",
        "n",
        "0",
        "-0",
        "+7",
        "42",
        "-42",
        "0x1F",
        "0o17",
        "0b101",
        "0755",
        "-012",
        "1_000",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "1.5",
        "-.5",
        "5.",
        "1e3",
        "1E-3",
        "1e999",
        "-1e999",
        ".inf",
        "-.Inf",
        "+.INF",
        ".nan",
        ".NaN",
        "inf",
        "nan",
        "infinity",
        "0x",
        "0xZZ",
        "-0x10",
        "+0b1",
        "1.2.3",
        "12:30",
        "02:46",
        "2025-04-08",
        "2025-04-08T09:05:00Z",
        "P1D",
        "'quoted'",
        "\"42\"",
        "'true'",
        "!!str 42",
        "!!int 42",
        "!!float 1",
        "!!bool yes",
        "!!null ''",
        "! 42",
        "!custom 42",
        "|\n  block\n",
        ">\n  folded\n  text\n",
        "\"a\\tb\"",
        "<<",
        "a b",
        "- x",
        "[1, 2]",
        "{a: 1}",
    ] {
        for text in [s.to_owned(), format!("k: {s}\n"), format!("- {s}\n")] {
            if let Err(e) = agrees_with_serde(&text) {
                panic!("{e}");
            }
        }
    }
}

#[test]
fn merge_keys_and_aliases() {
    let text = "base: &b\n  x: 1\n  w: 2\nother: &o {z: 3}\nuse:\n  <<: [*b, *o]\n  x: 9\nlist: &l [1, 2]\nagain: *l\n";
    agrees_with_serde(text).unwrap();
    let n = parse(text).unwrap();
    let u = n.get("use").unwrap();
    let keys: Vec<_> = u
        .as_map()
        .unwrap()
        .iter()
        .map(|(k, _)| k.scalar_text().unwrap())
        .collect();
    assert_eq!(keys, ["x", "w", "z"]);
    assert_eq!(u.get("x").unwrap().value, Value::Int(9));
    assert!(parse("a: &a [*a]\n").is_err());
    assert!(parse("a: *nothing\n").is_err());
    assert!(parse("a:\n  <<: 3\n").is_err());
}

#[test]
fn large_mappings_find_duplicates_by_value() {
    let mut text: String = (0..5_000).map(|i| format!("k{i}: {i}\n")).collect();
    assert_eq!(parse(&text).unwrap().as_map().unwrap().len(), 5_000);
    agrees_with_serde(&text).unwrap();
    text.push_str("k17: again\n");
    let e = parse(&text).unwrap_err();
    assert_eq!(e.pos.line, 5_001);
    // Numbers and text are different keys, as they were through serde.
    let mixed: String = (0..40).map(|i| format!("{i}: a\n'{i}': b\n")).collect();
    agrees_with_serde(&mixed).unwrap();
    // A merge of a large mapping keeps the keys spelled out.
    let base: String = (0..100).map(|i| format!("  m{i}: {i}\n")).collect();
    let merged = format!("base: &b\n{base}use:\n  m5: mine\n  <<: *b\n");
    agrees_with_serde(&merged).unwrap();
    let n = parse(&merged).unwrap();
    let used = n.get("use").unwrap();
    assert_eq!(used.as_map().unwrap().len(), 100);
    assert_eq!(used.get("m5").unwrap().as_str(), Some("mine"));
}

#[test]
fn one_document_per_file() {
    let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
    assert_eq!(e.pos.line, 2);
    assert!(reference::parse("a: 1\n---\nb: 2\n").is_none());
}

#[test]
fn deep_nesting_is_refused() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    assert!(parse(&deep).is_err());
    let mut block = String::new();
    for i in 0..100 {
        block.push_str(&format!("{}k{i}:\n", "  ".repeat(i)));
    }
    assert!(parse(&block).is_err());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
    /// Texts assembled from YAML fragments, broken ones included.
    #[test]
    fn same_tree_as_serde_on_generated_yaml(
        lines in proptest::collection::vec(
            (0usize..4, proptest::sample::select(FRAGMENTS.to_vec())), 0..12)
    ) {
        let text: String = lines
            .iter()
            .map(|(indent, f)| format!("{}{f}\n", "  ".repeat(*indent)))
            .collect();
        if let Err(e) = agrees_with_serde(&text) {
            proptest::prop_assert!(false, "{}", e);
        }
    }
}

const FRAGMENTS: &[&str] = &[
    "a: 1",
    "b: two",
    "a: 2",
    "c:",
    "- x",
    "- 3",
    "- k: v",
    "-",
    "d: [1, 'x', \"y\"]",
    "e: {f: g, h: 02:46}",
    "g: &anc",
    "h: *anc",
    "<<: *anc",
    "i: &m {p: 1}",
    "<<: *m",
    "j: |",
    "text line",
    "k: >-",
    "l: 'it''s'",
    "m: \"q\\\"\"",
    "n: yes",
    "o: 0755",
    "p: 1_000",
    "q: .inf",
    "r: 1e999",
    "s: ~",
    "t: !!str 5",
    "u: !!int x",
    "# note",
    "---",
    "...",
    "v: [unclosed",
    "w: }",
    "x: : y",
    "  - nested",
    "? complex",
    ": value",
    "y: 2025-04-08T09:05:00Z",
    "z: -0x1f",
    "1: one",
    "true: t",
    "null: n",
    "~: again",
    "aa: 'multi",
    "line'",
    "bb: \"tab\\there\"",
    "cc: @bad",
    "dd: `bad",
    "ee: %x",
    "ff: a # comment",
    "gg: [a, [b, {c: d}]]",
    "hh: !custom tag",
    "ii: ! 42",
    "jj: &x 1",
    "kk: *x",
    "ll: 'a: b'",
    "mm:   spaced   ",
    "\t tab",
    "nn: -1",
];

#[test]
fn positions_of_nested_values() {
    let n = parse("a: 1\nb:\n  - x: y\n    z: 02:46\n").unwrap();
    let b = n.get("b").unwrap();
    assert_eq!(b.pos.line, 3);
    let item = &b.as_seq().unwrap()[0];
    assert_eq!(item.pos, Pos::new(3, 5));
    let z = item.get("z").unwrap();
    assert_eq!(z.as_str(), Some("02:46"));
    assert_eq!(z.pos, Pos::new(4, 8));
}

#[test]
fn times_stay_text() {
    let n = parse("a: 2025-04-08 09:05\nb: 2025-04-08\nc: 0755\n").unwrap();
    assert_eq!(n.get("a").unwrap().as_str(), Some("2025-04-08 09:05"));
    assert_eq!(n.get("b").unwrap().as_str(), Some("2025-04-08"));
    assert_eq!(n.get("c").unwrap().as_str(), Some("0755"));
}

#[test]
fn duplicate_key_is_an_error_with_position() {
    let e = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
    assert_eq!(e.pos.line, 3);
}

#[test]
fn syntax_error_has_position() {
    let e = parse("a: [1, 2\nb: 3\n").unwrap_err();
    assert!(e.pos.line >= 1);
    assert!(!e.message.is_empty());
}

#[test]
fn empty_is_null() {
    assert!(parse("").unwrap().is_null());
    assert!(parse("# only a comment\n").unwrap().is_null());
}

#[test]
fn alias_bomb_is_refused() {
    let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        s.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    assert!(parse(&s).is_err());
}
