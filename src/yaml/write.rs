//! Writing YAML: the one quoting function for every text sitrep writes into
//! a YAML file (new records, `sitrep policy`), so that what it writes reads
//! back as the same string.

use std::fmt::Write as _;

/// Words that some YAML reader takes for a boolean or null in any case
/// (YAML 1.1 and 1.2 together), so they are never written plain.
const RESERVED: &[&str] = &[
    "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
];

/// `t` as a YAML scalar that reads back as the string `t`, in block or in
/// flow context (`[a, b]`, `{ k: v }`): plain when it is a run of words
/// that no reader takes for anything else, else double-quoted with escapes.
pub fn scalar(t: &str) -> String {
    if is_plain(t) {
        return t.to_owned();
    }
    let mut s = String::with_capacity(t.len() + 2);
    s.push('"');
    for c in t.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            '\r' => s.push_str("\\r"),
            // Line and paragraph separators, BOM and non-characters would be
            // taken as breaks or dropped by some readers: escaped, they survive.
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                let _ = write!(s, "\\u{:04x}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// `t` as the value of a key whose entries sit `indent` spaces in: a
/// literal block (`|-` and its lines) when it spans lines, so that a
/// person can read and edit it; else [`scalar`]. Text a literal block
/// cannot hold as it is (control characters, a first line that starts
/// with a space, line ends other than `\n`) is quoted.
pub fn block(t: &str, indent: usize) -> String {
    let body = t.trim_end_matches('\n');
    let fits = body.contains('\n')
        && !body.starts_with([' ', '\t'])
        && !body.lines().next().is_some_and(|l| l.trim().is_empty())
        && !body.lines().any(|l| l.starts_with('\t'))
        && !t.chars().any(|c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{85}')
        });
    if !fits {
        return scalar(t);
    }
    let chomp = match t.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let mut s = format!("|{chomp}");
    let pad = " ".repeat(indent);
    for line in t.strip_suffix('\n').unwrap_or(t).split('\n') {
        s.push('\n');
        if !line.is_empty() {
            s.push_str(&pad);
            s.push_str(line);
        }
    }
    s
}

/// Starts with a letter or `_`, holds only letters, digits, spaces and
/// punctuation that means nothing to YAML (not `:`, `#`, `,`, brackets or
/// quotes at the start), ends with no space, and is no reserved word.
fn is_plain(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && t.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    ' ' | '-' | '_' | '.' | '(' | ')' | '/' | '\'' | '&' | '!' | '?' | '+'
                )
        })
        && !t.ends_with(' ')
        && !RESERVED.contains(&t.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::{block, scalar};

    /// A text in a literal block reads back as itself.
    #[test]
    fn blocks_round_trip() {
        for t in [
            "one line",
            "two\nlines",
            "ends\nwith a break\n",
            "ends\nwith two\n\n",
            "a\n\n  indented # not a comment\n- not a list",
            " starts with a space\nx",
            "tab\there\nand <b>html</b>: yes",
            "\nstarts empty",
            "a\n\tb",
            "a\n   \nb",
        ] {
            let doc = format!("k:\n  - text: {}\n", block(t, 6));
            let node = crate::yaml::parse(&doc).unwrap_or_else(|e| panic!("{doc}: {e:?}"));
            let got = node.as_map().unwrap()[0].1.as_seq().unwrap()[0]
                .as_map()
                .unwrap()[0]
                .1
                .scalar_text()
                .unwrap();
            assert_eq!(got, t, "{doc}");
        }
    }

    /// Every text reads back as itself, alone, in a flow list and in a
    /// flow mapping.
    #[test]
    fn round_trips_through_the_reader() {
        let texts = [
            "No",
            "on",
            "OFF",
            "y",
            "1.5",
            "1e3",
            "0x1F",
            "null",
            "~",
            "- x",
            "a: b",
            "#x",
            "a #b",
            "[a]",
            "{a}",
            "a, b",
            "'q'",
            "\"q\"",
            "",
            " lead",
            "trail ",
            "tab\there",
            "line\nbreak",
            "\u{1}ctl",
            "\u{2028}sep",
            "Störung",
            "O&M team",
            "R&D leader",
            "it's",
            "*alias",
            "&anchor",
            "!tag",
            "%dir",
            "@at",
            "`tick`",
            "|",
            ">",
            "?",
            ".inf",
            "2026-05-10",
            "12:30",
            "back\\slash",
        ];
        for t in texts {
            let q = scalar(t);
            for doc in [
                format!("v: {q}\n"),
                format!("v: [{q}, z]\n"),
                format!("v: {{ k: {q}, z: 1 }}\n"),
            ] {
                let node = crate::yaml::parse(&doc).unwrap_or_else(|e| panic!("{doc:?}: {e:?}"));
                let v = node.get("v").unwrap();
                let got = match (v.as_seq(), v.get("k")) {
                    (Some(items), _) => items[0].scalar_text(),
                    (None, Some(k)) => k.scalar_text(),
                    (None, None) => v.scalar_text(),
                };
                // A string, not a bool, number or null read as text.
                assert!(
                    matches!(items_or(v).value, crate::yaml::Value::Str(_)),
                    "{t:?} as {q:?} in {doc:?} is not a string"
                );
                assert_eq!(got.as_deref(), Some(t), "{t:?} written as {q:?} in {doc:?}");
            }
        }
        assert_eq!(scalar("Web team"), "Web team");
        assert_eq!(scalar("No"), "\"No\"");
    }

    fn items_or<'a, 'b>(v: &'a crate::yaml::Node<'b>) -> &'a crate::yaml::Node<'b> {
        v.as_seq()
            .and_then(|s| s.first())
            .or_else(|| v.get("k"))
            .unwrap_or(v)
    }
}
