//! Rule `comment-in-text`: an unquoted text cut short by ` #`.
//!
//! YAML reads ` #` after a plain value as the start of a comment, so
//! `text: Rolled back deploy #4821` holds only "Rolled back deploy". The
//! parsed tree cannot tell, so this looks at the source line of each
//! free-text value.

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
    let mut found: Vec<(&Node, String)> = Vec::new();
    if let Some(t) = record.get("title") {
        found.push((t, "title".into()));
    }
    for (list, key) in ENTRY_TEXTS {
        for item in record.get(list).and_then(Node::as_seq).unwrap_or(&[]) {
            if let Some(t) = item.get(key) {
                found.push((t, format!("{list}: {key}")));
            }
        }
    }
    if let Some(report) = record.get("report") {
        for key in REPORT_TEXTS {
            if let Some(t) = report.get(key) {
                found.push((t, format!("report: {key}")));
            }
        }
        for f in report
            .get("follow_ups")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
        {
            if let Some(t) = f.get("title") {
                found.push((t, "report: follow_ups: title".into()));
            }
        }
    }
    for (node, field) in found {
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
                "comment-in-text",
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
