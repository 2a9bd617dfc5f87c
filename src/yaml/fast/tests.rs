use super::super::{Builder, Node, SyntaxError};
use super::parse;

fn full(text: &str) -> Result<Node<'_>, SyntaxError> {
    Builder::default().run(text)
}

/// The quick reader either gives up or finds what the parser finds.
fn agrees(text: &str) -> Result<bool, String> {
    match parse(text) {
        None => Ok(false),
        Some(quick) => match full(text) {
            Ok(tree) if tree == quick => Ok(true),
            other => Err(format!("{text:?}\nquick: {quick:?}\nfull: {other:?}")),
        },
    }
}

#[test]
fn reads_plain_records_as_the_parser_does() {
    let texts = [
            "id: INC-1\ntitle: \"ledger: node not ready\"\nseverity: 3\n",
            "---\n# note\nid: INC-1   # trailing\nk:\n- a\n- \"b\\\"c\"\nm:\n  n: 'x''y'\n  é: é1\n  o:\n    - p: [a, \"b\", c]\n      q: \n    - r\ns: []\nt: ~\n",
            "a:\nb :   # c\nc:\n  - x\nd:\n- y\n- z\ne:",
            "d:\n- p: 1\n  q: 2\n- \"y\"\ne:\n-   [a]\nf:\n  -   x\n  - y: 1\n    z: [ ]\ng:\n  h:   \"a\\u00e9\\x41\\n\"\n",
            "a: b#c\nurl: http://example.test/a:b\nt: 2025-04-08T09:05:00Z\nlist: a, b[c]\nn: -1\n",
            "a:\n\n# c\n\nb: 1\nc:\n",
            "  a: 1\n  b:\n    - x\n",
            r#"all: "\0\a\b\t\n\v\f\r\e\ \"\/\\\N\_\L\P\x41\u00e9\U0001F600.""#,
            "q: 'a''b''''c'\n",
            "a: |\n  one\n\n  two\n\n\nb: >-\n  x\n  y\n\n  z\nc:\n  - |\n    k\n  - >\n    f\n    h\nd: |  # c\n   x\n# end\ne: |\n x",
            "k:\n- |\n x\n-  >-\n  y\n  z\n- a: |\n   # not a comment\n     indented\n",
            "s: [api, { id: web, impact: partial_outage }, {a: 'b'}]\n",
            "services:\n  - { id: order-api, impact: degraded_performance }\n  - {id: b,impact: 'x'}\nm: {}\n",
        ];
    for text in texts {
        assert_eq!(agrees(text), Ok(true), "{text}");
    }
}

#[test]
fn leaves_the_rest_to_the_parser() {
    let texts = [
        "a: &x 1\nb: *x\n",
        "a: !!str 5\n",
        "a: |+\n  text\n",
        "a: |2\n  text\n",
        "a: |\n\n  text\n",
        "a: >\n  x\n    y\n",
        "- b: |\n  y\n",
        "a: {b: {c: d}}\n",
        "a: [x, [y]]\n",
        "a: [{b: [c]}]\n",
        "a: {b}\n",
        "a: one\n  two\n",
        "a:\tb\n",
        "a: b\r\n",
        "\u{feff}a: b\n",
        "- a\n- b\n",
        "a: b: c\n",
        "a: \"open\n",
        "a: [x,\n  y]\n",
        "a: [x, ]\n",
        "a: 1\n---\nb: 2\n",
        "\"a\": 1\n",
        "a:\n  b: 1\n c: 2\n",
        "a: \"x\" y\n",
        "a: \"\\q\"\n",
        "- - a\n",
        "a:\n-\n",
        "k:\n- # c\n  c: 3\n",
        "k:\n-   # c\n# c\n  c: 3\n",
    ];
    for text in texts {
        assert_eq!(agrees(text), Ok(false), "{text}");
    }
}

/// The parser gives up looking for a key's colon after 1,024
/// characters; so does the quick reader, a little before.
#[test]
fn long_keys_go_to_the_parser() {
    let long = "k".repeat(1000);
    let texts = [
        format!("{long}{}: b\n", " ".repeat(25)),
        format!("x:\n  {long}{}: b\n", " ".repeat(25)),
        format!("x:\n- {long}{}: b\n", " ".repeat(25)),
        format!("a: {{{long}kkkkkkkkkkkkkkkkkkkkkkkkk: b}}\n"),
        format!("a: [{{{long}kkkkkkkkkkkkkkkkkkkkkkkkk: b}}]\n"),
        format!("a: {{ k: b, {long}{}: c}}\n", " ".repeat(30)),
    ];
    for text in &texts {
        assert_eq!(agrees(text), Ok(false), "{text}");
    }
    let short = format!("{}: b\nc: {{{}: d}}\n", "k".repeat(990), "k".repeat(990));
    assert_eq!(agrees(&short), Ok(true));
}

#[test]
fn reads_every_record_of_the_example_site() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("incidents");
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let text = std::fs::read_to_string(path).unwrap();
        assert_eq!(agrees(&text), Ok(true), "{}", path.display());
        seen += 1;
    }
    assert!(seen > 3);
}

const LINES: &[&str] = &[
    "a: 1",
    "b: two words",
    "c:",
    "c2 :",
    "- x",
    "- k: v",
    "- [a, b]",
    "-   spaced",
    "d: [1, 'x', \"y\"]",
    "e: []",
    "f: [ ]",
    "g: \"q\\\"\\u00e9\\x41\\t\"",
    "h: 'it''s'",
    "i: a # c",
    "j: a#b",
    "k: \"a\" # c",
    "k2: \"a\"# c",
    "# note",
    "---",
    "",
    "l: é ü",
    "mé: x",
    "n: -1",
    "n2: -a",
    "o: 02:46",
    "p: 2025-04-08T09:05:00Z",
    "q: yes",
    "r: ~",
    "s: null",
    "true: t",
    "1: one",
    "t: a, b",
    "u: a[b]",
    "v: http://x.y/z",
    "w:   spaced   ",
    "x: a: b",
    "y: 'unclosed",
    "z: \"bad \\q\"",
    "aa: [a, ]",
    "bb: [a, [b]]",
    "cc: - x",
    "- - x",
    "-",
    "- a:",
    "ee: 'a' b",
    "ff: x:",
    "gg: \"\"",
    "hh: ''",
    "<<: x",
    "- \"q\": v",
    "ii: [\"a, b\", 'c]']",
    "jj: [x y, z]",
    "kk: [-1, -a, - b]",
    "ll: ?x",
    "mm: :x",
    "nn: ---",
    "...",
    "oo: \"\\U0001F600\"",
    "pp: \"\\ud800\"",
    "qq: é1 #é",
    "- 'a': 1",
    "rr: \"a\\\\\"",
    "ss: a ' b",
    "tt: [don't, x]",
    "uu: 0x1F",
    "vv: 1e3",
    "ww: .inf",
    "a: 3",
    "- 3",
    "xx: a  #  b",
    "yy: [ a , b ]",
    "zz: [a,b]",
    "-x: 1",
    "a b: c d",
    "a:b: c",
    "sv: { id: a, impact: b }",
    "- { id: a, impact: \"b\" }",
    "fm: {a: 1,b: 2}",
    "fm2: {}",
    "fm3: {a:1}",
    "fm4: {a: [b]}",
    "fm5: {a: }",
    "fm6: {a, b}",
    "fm7: {a: b]",
    "fm8: [a}",
    "fm9: {a: b, a: c}",
    "bl: |",
    "bl2: >-",
    "bl3: |+",
    "- |",
    "- >",
    "text line",
    "second text line",
    "# comment",
    "bl4: | # c",
    "bl5: |x",
];

/// Characters that change how a line reads.
const SHARP: &[char] = &[
    ' ', ':', '#', '-', '"', '\'', '[', ']', ',', '\t', '\r', 'é', '\\', '{', '&', '*', '!', '|',
    '>', '\n', '?', '%', '@', '\u{85}', '\u{2028}', '~',
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
    /// Documents of record-like lines at any indentation, some with one
    /// character put in anywhere.
    #[test]
    fn gives_up_or_agrees_with_the_parser(
        lines in proptest::collection::vec((0usize..7, proptest::sample::select(LINES)), 1..14),
        extra in proptest::option::of((proptest::prelude::any::<proptest::sample::Index>(), proptest::sample::select(SHARP))),
    ) {
        let mut text: String = lines
            .iter()
            .map(|(indent, l)| format!("{}{l}\n", " ".repeat(*indent)))
            .collect();
        if let Some((at, c)) = extra {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            text.insert(i, c);
        }
        if let Err(e) = agrees(&text) {
            proptest::prop_assert!(false, "{}", e);
        }
    }
}

/// Writes a record-like document (mappings, lists, one-line and block
/// texts, at varied indentation) from a list of choices.
struct Writer<'c> {
    choices: std::slice::Iter<'c, u8>,
    out: String,
}

const KEYS: &[&str] = &[
    "a", "b", "id", "c d", "é", "true", "1", "at", "kind", "to", "text", "x-y", "k",
];
const SCALARS: &[&str] = &[
    "1",
    "two words",
    "\"q\\\"x\"",
    "'it''s'",
    "~",
    "yes",
    "2025-04-08T09:05:00Z",
    "02:46",
    "a # c",
    "é ü",
    "-1",
    "http://x/y",
    "\"\"",
    "a, b",
    "say \"hi\"",
];
const FLOWS: &[&str] = &[
    "[a, b]",
    "[]",
    "{ id: a, impact: b }",
    "{}",
    "[\"x\", 'y', z]",
    "{a: 1,b: \"2\"}",
    "[ one two , 3 ]",
    "{ a : b }",
    "[a,b ,c]",
    "[ 'a''b' ]",
    "[api, { id: web, impact: partial_outage }]",
    "[{a: b},{ c: \"d\" } ,{}]",
    "[{a: [b]}]",
    "[[a]]",
    "{a: {b: c}}",
];
const TEXTS: &[&str] = &["one line", "", "# not a comment", "x: y", "- z", "é"];

impl Writer<'_> {
    fn pick(&mut self, n: usize) -> usize {
        self.choices.next().map_or(0, |&c| usize::from(c) % n)
    }

    fn map(&mut self, indent: usize, depth: usize, inline_first: bool) {
        for i in 0..=self.pick(4) {
            if !(inline_first && i == 0) {
                self.out.push_str(&" ".repeat(indent));
            }
            let key = KEYS[self.pick(KEYS.len())];
            self.out.push_str(key);
            self.out.push(':');
            self.value(indent, depth, true);
        }
    }

    fn seq(&mut self, indent: usize, depth: usize) {
        for _ in 0..=self.pick(3) {
            self.out.push_str(&" ".repeat(indent));
            self.out.push('-');
            if depth < 3 && self.pick(3) == 0 {
                self.out.push(' ');
                self.map(indent + 2, depth + 1, true);
            } else {
                self.value(indent, depth, false);
            }
        }
    }

    /// What follows `key:` or `-` in a collection at `indent`.
    fn value(&mut self, indent: usize, depth: usize, in_map: bool) {
        let step = 1 + self.pick(3);
        match self.pick(if depth < 3 { 7 } else { 4 }) {
            0 | 1 => {
                let s = SCALARS[self.pick(SCALARS.len())];
                self.out.push_str(&format!(" {s}\n"));
            }
            2 => {
                let s = FLOWS[self.pick(FLOWS.len())];
                self.out.push_str(&format!(" {s}\n"));
            }
            3 => {
                let header = ["|", ">", "|-", ">-", "|  # c"][self.pick(5)];
                self.out.push_str(&format!(" {header}\n"));
                for i in 0..=self.pick(4) {
                    let t = if i == 0 {
                        "first"
                    } else {
                        TEXTS[self.pick(TEXTS.len())]
                    };
                    if !t.is_empty() {
                        self.out.push_str(&" ".repeat(indent + step));
                    }
                    self.out.push_str(&format!("{t}\n"));
                }
            }
            4 if in_map => self.out.push('\n'),
            4 | 5 => {
                self.out.push('\n');
                self.map(indent + step, depth + 1, false);
            }
            _ => {
                self.out.push('\n');
                let at = if in_map && self.pick(2) == 0 {
                    indent
                } else {
                    indent + step
                };
                self.seq(at, depth + 1);
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]
    /// Well-formed record-like documents, and the same with one
    /// character put in or taken out.
    #[test]
    fn agrees_with_the_parser_on_generated_records(
        choices in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80),
        change in proptest::option::of((
            proptest::prelude::any::<proptest::sample::Index>(),
            proptest::option::of(proptest::sample::select(SHARP)),
        )),
    ) {
        let mut w = Writer { choices: choices.iter(), out: String::new() };
        w.map(0, 0, false);
        let mut text = w.out;
        if let Some((at, c)) = change {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            match c {
                Some(c) => text.insert(i, c),
                None if i < text.len() => {
                    text.remove(i);
                }
                None => {}
            }
        }
        if let Err(e) = agrees(&text) {
            proptest::prop_assert!(false, "{}", e);
        }
    }
}
