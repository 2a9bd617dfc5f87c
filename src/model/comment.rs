//! Rule `comment-in-text`: an unquoted text cut short by ` #`.
//!
//! YAML reads ` #` after a plain value as the start of a comment, so
//! `text: Rolled back deploy #4821` holds only "Rolled back deploy". The
//! parsed tree cannot tell, so this looks at the source line of each
//! free-text value.

use crate::diag::rules;
use crate::model::read::Reader;
use crate::yaml::{Node, Pos, Value};

/// Free-text keys of list entries, by list.
const ENTRY_TEXTS: &[(&str, &str)] = &[
    ("timeline", "text"),
    ("updates", "text"),
    ("notifications", "summary"),
    ("escalations", "reason"),
    ("waivers", "reason"),
];

/// Free-text keys of the report.
const REPORT_TEXTS: &[&str] = &["conditions", "actions", "needs", "root_cause"];

/// Reports each free-text value of a record (`record` is its tree, `src`
/// its text) that a comment cut short.
pub fn check(src: &str, record: &Node, r: &mut Reader) {
    // Nearly every record has no ` #` at all: nothing to look at.
    if !src.contains(" #") && !src.contains("\t#") {
        return;
    }
    let lines: Vec<&str> = src.lines().collect();
    let mut found: Vec<(&Node, &Node, String)> = Vec::new();
    if let Some((k, t)) = entry(record, "title") {
        found.push((k, t, "title".into()));
    }
    for (list, key) in ENTRY_TEXTS {
        for item in record.get(list).and_then(Node::as_seq).unwrap_or(&[]) {
            if let Some((k, t)) = entry(item, key) {
                found.push((k, t, format!("{list}: {key}")));
            }
        }
    }
    if let Some(report) = record.get("report") {
        for key in REPORT_TEXTS {
            if let Some((k, t)) = entry(report, key) {
                found.push((k, t, format!("report: {key}")));
            }
        }
        for f in report
            .get("follow_ups")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            if let Some((k, t)) = entry(f, "title") {
                found.push((k, t, "report: follow_ups: title".into()));
            }
        }
    }
    for (key, node, field) in found {
        if node.is_null() {
            emptied(&lines, key, &field, r);
            continue;
        }
        let Value::Str(kept) = &node.value else {
            continue;
        };
        let Some(line) = (node.pos.line as usize)
            .checked_sub(1)
            .and_then(|i| lines.get(i))
        else {
            continue;
        };
        // A block text (`|`, `>`) starts on the line after its indicator
        // and keeps its `#`: only a value that lost the rest is cut.
        if let Some((col, comment)) =
            cut_at(line, node.pos.column).filter(|(_, c)| !kept.contains(c))
        {
            let whole = format!("{} {comment}", kept.trim_end());
            r.emit(
                &rules::COMMENT_IN_TEXT,
                Pos::new(node.pos.line, col),
                format!(
                    "`{field}` is cut at ` #`: YAML reads `{comment}` as a comment, so the text is only \"{}\"",
                    kept.trim_end()
                ),
                &format!(
                    "put the whole text in quotes: \"{}\" (or, if it is a comment, move it to a line of its own)",
                    whole.replace('\\', "\\\\").replace('"', "\\\"")
                ),
            );
        }
    }
}

/// A mapping's entry: its key node and its value node.
fn entry<'n, 't>(map: &'n Node<'t>, key: &str) -> Option<(&'n Node<'t>, &'n Node<'t>)> {
    map.as_map()?
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(k, v)| (k, v))
}

/// `text: #4821 rolled back`: the whole value is a comment, so the text is
/// empty. Reported at the `#` after the key's colon.
fn emptied(lines: &[&str], key: &Node, field: &str, r: &mut Reader) {
    let Some(line) = (key.pos.line as usize)
        .checked_sub(1)
        .and_then(|i| lines.get(i))
    else {
        return;
    };
    let Some(start) = line
        .char_indices()
        .nth(key.pos.column.saturating_sub(1) as usize)
        .map(|(b, _)| b)
    else {
        return;
    };
    let Some(rest) = line.get(start..) else {
        return;
    };
    let Some(colon) = rest.find(':') else {
        return;
    };
    let after = rest.get(colon + 1..).unwrap_or("");
    let value = after.trim_start_matches([' ', '\t']);
    if !value.starts_with('#') || value.len() == after.len() {
        return;
    }
    let comment = value.trim_end();
    let col = key.pos.column
        + rest.get(..colon + 1).map_or(0, |s| s.chars().count()) as u32
        + (after.len() - value.len()) as u32;
    r.emit(
        &rules::COMMENT_IN_TEXT,
        Pos::new(key.pos.line, col),
        format!("`{field}` is empty: YAML reads `{comment}` as a comment, not as the text"),
        &format!(
            "put the text in quotes: \"{}\"",
            comment.replace('\\', "\\\\").replace('"', "\\\"")
        ),
    );
}

/// For a plain value starting at the 1-based character `column` of `line`:
/// the column of a `#` that starts a comment after it on the same line,
/// and the comment's text.
fn cut_at(line: &str, column: u32) -> Option<(u32, &str)> {
    let start = line
        .char_indices()
        .nth(column.checked_sub(1)? as usize)
        .map(|(b, _)| b)?;
    let (before, value) = line.split_at(start);
    // Quoted and block texts keep their `#`.
    if value.starts_with(['"', '\'', '|', '>']) {
        return None;
    }
    // Inside `{ … }` or `[ … ]` a plain value also ends at `,`, `]`, `}`.
    let flow = before.contains(['{', '[']);
    let mut prev = ' ';
    for (col, (i, c)) in (column..).zip(value.char_indices()) {
        if c == '#' && i > 0 && (prev == ' ' || prev == '\t') {
            return Some((col, value.get(i..)?.trim_end()));
        }
        if flow && matches!(c, ',' | ']' | '}') {
            return None;
        }
        prev = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::cut_at;

    #[test]
    fn finds_the_comment_after_a_plain_value() {
        let l = "    text: Rolled back deploy #4821";
        assert_eq!(cut_at(l, 11), Some((30, "#4821")));
        assert_eq!(cut_at("title: a\t# b", 8), Some((10, "# b")));
    }

    #[test]
    fn leaves_quoted_block_and_hash_inside_words_alone() {
        assert_eq!(cut_at("text: \"deploy #4821\"", 7), None);
        assert_eq!(cut_at("text: 'deploy #4821'", 7), None);
        assert_eq!(cut_at("text: |  # note", 7), None);
        assert_eq!(cut_at("text: issue#4821 fixed", 7), None);
        assert_eq!(cut_at("- { text: a, by: b # c }", 11), None);
        assert_eq!(cut_at("- { text: a # c }", 11), Some((13, "# c }")));
        assert_eq!(cut_at("text: é #x", 7), Some((9, "#x")));
        assert_eq!(cut_at("short", 40), None);
        assert_eq!(cut_at("short", 0), None);
    }
}
