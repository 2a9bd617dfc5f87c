//! Front matter as other tools write it (FORMATS.md, "Runbooks from other
//! tools"): YAML between `---` lines, TOML between `+++` lines (Hugo,
//! Zola), or a JSON object that opens the file (Hugo). Each is read into
//! the YAML tree with positions in the file, so one reader of the fields
//! serves all three.

use crate::yaml::{self, Node, Pos, SyntaxError, Value};
use std::borrow::Cow;

/// The format of a file's front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
    Json,
}

/// A file split into its front matter and its body.
#[derive(Debug, Clone, PartialEq)]
pub struct Split<'t> {
    /// The front matter's text and format, if the file has one.
    pub front: Option<(Format, &'t str)>,
    /// The line of the file the front matter's text starts on.
    pub front_line: u32,
    pub body: &'t str,
    /// The line of the file the body starts on (1-based).
    pub body_line: u32,
}

/// Why a front matter could not be split off: it opens and never closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unclosed {
    pub format: Format,
    pub line: u32,
}

/// Splits the front matter off; a file without one is all body.
pub fn split(text: &str) -> Result<Split<'_>, Unclosed> {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = t.find('\n').unwrap_or(t.len());
    let first = t.get(..first_end).unwrap_or("").trim_end();
    let fence = match first {
        "---" => Some(("---", Format::Yaml)),
        "+++" => Some(("+++", Format::Toml)),
        _ => None,
    };
    if let Some((fence, format)) = fence {
        return fenced(t, first_end, fence, format);
    }
    if first.starts_with('{') {
        return json(t);
    }
    Ok(Split {
        front: None,
        front_line: 1,
        body: t,
        body_line: 1,
    })
}

/// Front matter between two fence lines (`---` may also close with `...`).
fn fenced<'t>(
    t: &'t str,
    first_end: usize,
    fence: &str,
    format: Format,
) -> Result<Split<'t>, Unclosed> {
    let mut offset = first_end + 1;
    let mut line = 2u32;
    while offset <= t.len() {
        let rest = t.get(offset..).unwrap_or("");
        let end = rest.find('\n').map_or(t.len(), |i| offset + i);
        let l = t.get(offset..end).unwrap_or("").trim_end();
        if l == fence || (format == Format::Yaml && l == "...") {
            let front = t.get(first_end + 1..offset).unwrap_or("");
            let body = t.get((end + 1).min(t.len())..).unwrap_or("");
            return Ok(Split {
                front: Some((format, front)),
                front_line: 2,
                body,
                body_line: line + 1,
            });
        }
        if end >= t.len() {
            break;
        }
        offset = end + 1;
        line += 1;
    }
    Err(Unclosed { format, line: 1 })
}

/// A JSON object at the start of the file, up to its matching `}`.
fn json(t: &str) -> Result<Split<'_>, Unclosed> {
    let bytes = t.as_bytes();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match c {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        let front = t.get(..=i).unwrap_or("");
                        // The body starts on the line after the object's last.
                        let rest = t.get(i + 1..).unwrap_or("");
                        let skip = rest.find('\n').map_or(rest.len(), |n| n + 1);
                        let body = rest.get(skip..).unwrap_or("");
                        let lines = front.matches('\n').count() as u32;
                        return Ok(Split {
                            front: Some((Format::Json, front)),
                            front_line: 1,
                            body,
                            body_line: lines + 2,
                        });
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    Err(Unclosed {
        format: Format::Json,
        line: 1,
    })
}

/// Parses front matter into the YAML tree, positions counted in the file
/// (`front_line` is the file line its text starts on).
pub fn parse(format: Format, text: &str, front_line: u32) -> Result<Node<'_>, SyntaxError> {
    let shift = front_line.saturating_sub(1);
    match format {
        // JSON is YAML (1.2) as far as front matter goes: the parser reads it.
        Format::Yaml | Format::Json => {
            let mut node = yaml::parse(text).map_err(|e| SyntaxError {
                pos: e.pos.shifted(shift),
                message: e.message,
            })?;
            node.shift_lines(shift);
            Ok(node)
        }
        Format::Toml => {
            let lines = LineIndex::new(text);
            let table = toml::de::DeTable::parse(text).map_err(|e| SyntaxError {
                pos: e
                    .span()
                    .map_or(Pos::START, |s| lines.pos(s.start))
                    .shifted(shift),
                message: e.message().trim().to_owned(),
            })?;
            let span = table.span();
            let mut node = Node::new(
                Value::Map(map(table.get_ref(), &lines)),
                lines.pos(span.start),
            );
            node.shift_lines(shift);
            Ok(node)
        }
    }
}

fn map<'t>(table: &toml::de::DeTable<'_>, lines: &LineIndex) -> Vec<(Node<'t>, Node<'t>)> {
    table
        .iter()
        .map(|(k, v)| {
            let key = Node::new(
                Value::Str(Cow::Owned(k.get_ref().to_string())),
                lines.pos(k.span().start),
            );
            (key, value(v, lines))
        })
        .collect()
}

fn value<'t>(v: &toml::Spanned<toml::de::DeValue<'_>>, lines: &LineIndex) -> Node<'t> {
    use toml::de::DeValue;
    let pos = lines.pos(v.span().start);
    let value = match v.get_ref() {
        DeValue::String(s) => Value::Str(Cow::Owned(s.to_string())),
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .map_or_else(
                |_| Value::Str(Cow::Owned(i.as_str().to_owned())),
                Value::Int,
            ),
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().map_or_else(
            |_| Value::Str(Cow::Owned(f.as_str().to_owned())),
            Value::Float,
        ),
        DeValue::Boolean(b) => Value::Bool(*b),
        // A date or date-time is text, as YAML's would be.
        DeValue::Datetime(d) => Value::Str(Cow::Owned(d.to_string())),
        DeValue::Array(a) => Value::Seq(a.iter().map(|x| value(x, lines)).collect()),
        DeValue::Table(t) => Value::Map(map(t, lines)),
    };
    Node::new(value, pos)
}

/// Byte offsets to 1-based lines and character columns.
struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    fn new(text: &'t str) -> LineIndex<'t> {
        LineIndex {
            text,
            starts: yaml::line_starts(text),
        }
    }

    fn pos(&self, offset: usize) -> Pos {
        let line = self.starts.partition_point(|s| *s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset.min(self.text.len()))
            .map_or(0, |s| s.chars().count());
        Pos::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(col + 1).unwrap_or(u32::MAX),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_formats_split() {
        let s = split("---\ntitle: A\n---\n# Hi\n").unwrap();
        assert_eq!(s.front, Some((Format::Yaml, "title: A\n")));
        assert_eq!((s.body, s.body_line, s.front_line), ("# Hi\n", 4, 2));
        let s = split("+++\ntitle = \"A\"\n+++\nbody\n").unwrap();
        assert_eq!(s.front, Some((Format::Toml, "title = \"A\"\n")));
        assert_eq!((s.body, s.body_line), ("body\n", 4));
        let s = split("{\n  \"title\": \"A {b}\",\n  \"tags\": [\"x\"]\n}\nbody\n").unwrap();
        assert_eq!(s.front.map(|f| f.0), Some(Format::Json));
        assert_eq!((s.body, s.body_line), ("body\n", 5));
        let s = split("# Only a heading\n").unwrap();
        assert_eq!((s.front, s.body_line), (None, 1));
        assert_eq!(split("+++\ntitle = 1\n").unwrap_err().format, Format::Toml);
        assert_eq!(split("{ \"a\": 1\n").unwrap_err().format, Format::Json);
    }

    #[test]
    fn toml_reads_with_file_positions() {
        let text = "title = \"Disk full\"\nweight = 1_0\ntags = [\"a\", \"b\"]\ndate = 2024-05-01T10:00:00Z\n\n[menu.main]\nparent = \"ops\"\n";
        let node = parse(Format::Toml, text, 2).unwrap();
        let title = node.get("title").unwrap();
        assert_eq!(title.as_str(), Some("Disk full"));
        assert_eq!(title.pos, Pos::new(2, 9));
        assert_eq!(node.get("weight").unwrap().value, Value::Int(10));
        assert_eq!(
            node.get("tags").unwrap().as_seq().map(<[Node]>::len),
            Some(2)
        );
        assert_eq!(
            node.get("date").unwrap().as_str(),
            Some("2024-05-01T10:00:00Z")
        );
        assert!(node.get("menu").unwrap().get("main").is_some());
        let e = parse(Format::Toml, "title = \n", 2).unwrap_err();
        assert_eq!(e.pos.line, 2);
    }

    #[test]
    fn json_reads_as_yaml() {
        let node = parse(
            Format::Json,
            "{\n  \"title\": \"A\",\n  \"draft\": false\n}",
            1,
        )
        .unwrap();
        assert_eq!(node.get("title").unwrap().pos, Pos::new(2, 12));
        assert_eq!(node.get("draft").unwrap().value, Value::Bool(false));
    }
}
