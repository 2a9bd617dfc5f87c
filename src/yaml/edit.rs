//! Edits a record in place (CLI.md, "Recording an incident"): set one
//! field, or add one entry to a list, and leave every other byte of the file
//! as it was. The edit is made on the text, at the positions the tree keeps;
//! then the result is read back, and it must be the old tree plus the change
//! exactly, or the edit is refused and the caller writes nothing.

use super::{parse, Node, Pos, Value};
use std::borrow::Cow;

/// One field of a new list entry, as YAML text.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    /// A scalar, already quoted where needed (`yaml::write::scalar`).
    Scalar(String),
    /// A list of scalars, written in flow style (`[sms, email]`).
    List(Vec<String>),
}

impl Field {
    fn text(&self) -> String {
        match self {
            Field::Scalar(s) => s.clone(),
            Field::List(items) => format!("[{}]", items.join(", ")),
        }
    }
}

/// What to change.
#[derive(Debug, Clone)]
pub enum Edit<'e> {
    /// Set a top-level key (`["responded_at"]`) or a key one level down
    /// (`["roles", "tech_lead"]`) to a scalar, given as YAML text.
    Set { path: &'e [&'e str], value: String },
    /// Insert a mapping into the top-level list `key` before its item
    /// `index` (its length appends); the list is created when missing.
    Insert {
        key: &'e str,
        index: usize,
        fields: Vec<(&'e str, Field)>,
    },
}

/// Why an edit was refused; the file is to be left as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError(pub String);

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn refuse<T>(why: impl Into<String>) -> Result<T, EditError> {
    Err(EditError(why.into()))
}

/// The text after `edit`, or why it cannot be made safely. A key the
/// mapping lacks goes after the nearest key before it in `order` (the
/// caller's model knows the order of its keys).
pub fn apply(text: &str, edit: &Edit, order: &[&str]) -> Result<String, EditError> {
    let root = parse(text).map_err(|e| {
        EditError(format!(
            "the file has a YAML error at line {}: {}; fix it first (`sitrep check`)",
            e.pos.line, e.message
        ))
    })?;
    let Some(entries) = root.as_map() else {
        return refuse("the record is not a mapping of keys to values");
    };
    let doc = Doc::new(text, order);
    if entries.first().is_some_and(|(k, _)| k.pos.column != 1)
        || doc.first_content_byte() == Some(b'{')
    {
        return refuse(
            "the record is not written as a block mapping at the left margin; edit it by hand",
        );
    }
    let (new_text, expected) = match edit {
        Edit::Set { path, value } => {
            let new_text = set(&doc, entries, path, value)?;
            let mut expected = owned(&root);
            let v = snippet_value(value)?;
            set_path(&mut expected, path, v);
            (new_text, expected)
        }
        Edit::Insert { key, index, fields } => {
            let (new_text, entry) = insert(&doc, entries, key, *index, fields)?;
            let mut expected = owned(&root);
            insert_path(&mut expected, key, *index, entry);
            (new_text, expected)
        }
    };
    match parse(&new_text) {
        Ok(back) if same(&back, &expected) => Ok(new_text),
        _ => refuse(
            "the change would not read back as written in this file's layout; make it by hand",
        ),
    }
}

/// The text with its line starts, to turn positions into byte offsets, and
/// the order of the keys of its mapping.
struct Doc<'t> {
    text: &'t str,
    starts: Vec<usize>,
    order: &'t [&'t str],
}

impl<'t> Doc<'t> {
    fn new(text: &'t str, order: &'t [&'t str]) -> Doc<'t> {
        let starts = super::line_starts(text);
        Doc {
            text,
            starts,
            order,
        }
    }

    fn first_content_byte(&self) -> Option<u8> {
        (1..=self.starts.len())
            .map(|n| self.line(n).trim_start())
            .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---")
            .and_then(|l| l.bytes().next())
    }

    /// Line `n` (1-based) without its line break.
    fn line(&self, n: usize) -> &'t str {
        let Some(&start) = self.starts.get(n.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(n).map_or(self.text.len(), |e| e - 1);
        let l = self.text.get(start..end).unwrap_or("");
        l.strip_suffix('\r').unwrap_or(l)
    }

    fn lines(&self) -> usize {
        self.starts.len()
    }

    /// The byte offset where line `n` starts (the text's end past the last).
    fn line_start(&self, n: usize) -> usize {
        self.starts
            .get(n.wrapping_sub(1))
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The byte offset just past line `n`'s line break.
    fn line_end(&self, n: usize) -> usize {
        self.starts.get(n).copied().unwrap_or(self.text.len())
    }

    /// The byte offset of a position (columns count characters).
    fn offset(&self, pos: Pos) -> usize {
        let line = pos.line as usize;
        let start = self.line_start(line);
        let l = self.line(line);
        let col = (pos.column as usize).saturating_sub(1);
        start + l.char_indices().nth(col).map_or(l.len(), |(i, _)| i)
    }

    /// The line break the file uses.
    fn eol(&self) -> &'static str {
        if self.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        }
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn key_text(k: &Node) -> String {
    k.scalar_text().map(Cow::into_owned).unwrap_or_default()
}

fn find<'n, 'a>(
    entries: &'n [(Node<'a>, Node<'a>)],
    key: &str,
) -> Option<&'n (Node<'a>, Node<'a>)> {
    entries.iter().find(|(k, _)| key_text(k) == key)
}

/// The byte offset just past the `:` that ends the key at `key`.
fn colon_after(doc: &Doc, key: &Node) -> Result<usize, EditError> {
    let start = doc.offset(key.pos);
    let end = doc.line_end(key.pos.line as usize);
    let bytes = doc.text.as_bytes();
    let mut i = start;
    // A quoted key: skip to its closing quote first.
    if let Some(q @ (b'"' | b'\'')) = bytes.get(i).copied() {
        i += 1;
        while i < end && bytes.get(i) != Some(&q) {
            i += if bytes.get(i) == Some(&b'\\') && q == b'"' {
                2
            } else {
                1
            };
        }
    }
    while i < end {
        if bytes.get(i) == Some(&b':')
            && matches!(bytes.get(i + 1), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
        {
            return Ok(i + 1);
        }
        i += 1;
    }
    refuse(format!(
        "cannot find the `:` after `{}`; edit it by hand",
        key_text(key)
    ))
}

/// The span of the scalar written after a key's `:` on its own line
/// (`(at, at)` when nothing is written there), or a refusal when the value
/// goes on past the line.
fn value_span(doc: &Doc, key: &Node, value: &Node) -> Result<(usize, usize), EditError> {
    let after = colon_after(doc, key)?;
    let line_end = doc.line_end(key.pos.line as usize);
    let rest = doc.text.get(after..line_end).unwrap_or("");
    let lead = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let p = after + lead;
    let bytes = doc.text.as_bytes();
    match bytes.get(p).copied() {
        None | Some(b'\n' | b'\r' | b'#') => {
            if value.is_null() {
                Ok((after, after))
            } else {
                refuse(format!(
                    "`{}` is written over several lines; edit it by hand",
                    key_text(key)
                ))
            }
        }
        Some(q @ (b'"' | b'\'')) => {
            let mut i = p + 1;
            while i < line_end {
                match bytes.get(i).copied() {
                    Some(b'\\') if q == b'"' => i += 2,
                    Some(b'\'') if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    Some(c) if c == q => return Ok((p, i + 1)),
                    _ => i += 1,
                }
            }
            refuse(format!(
                "`{}` is a quoted text over several lines; edit it by hand",
                key_text(key)
            ))
        }
        Some(b'[' | b'{' | b'|' | b'>' | b'&' | b'*' | b'!') => refuse(format!(
            "`{}` is not a plain value; edit it by hand",
            key_text(key)
        )),
        Some(_) => {
            let line = doc.text.get(p..line_end).unwrap_or("");
            let cut = line
                .find(" #")
                .or_else(|| line.find("\t#"))
                .unwrap_or(line.len());
            let v = line.get(..cut).unwrap_or("").trim_end();
            Ok((p, p + v.len()))
        }
    }
}

/// Splices `insert` into the text in place of `from..to`.
fn splice(text: &str, from: usize, to: usize, insert: &str) -> String {
    let mut s = String::with_capacity(text.len() + insert.len());
    s.push_str(text.get(..from).unwrap_or(""));
    s.push_str(insert);
    s.push_str(text.get(to..).unwrap_or(""));
    s
}

/// Sets a scalar at `path` (one or two keys).
fn set(
    doc: &Doc,
    entries: &[(Node, Node)],
    path: &[&str],
    value: &str,
) -> Result<String, EditError> {
    match path {
        [key] => set_in(doc, entries, 0, None, key, value),
        [outer, key] => match find(entries, outer) {
            Some((k, v)) => match &v.value {
                Value::Map(inner) => {
                    if colon_rest_starts_flow(doc, k)? {
                        return refuse(format!(
                            "`{outer}` is written in flow style; edit it by hand"
                        ));
                    }
                    let indent = inner
                        .first()
                        .map_or(2, |(ik, _)| (ik.pos.column as usize).saturating_sub(1));
                    set_in(doc, inner, indent, Some((k, v)), key, value)
                }
                Value::Null => {
                    let (from, to) = value_span(doc, k, v)?;
                    if from != to {
                        return refuse(format!("`{outer}` is not a mapping; edit it by hand"));
                    }
                    let line = k.pos.line as usize;
                    let at = doc.line_end(line);
                    let indent = indent_of(doc.line(line)) + 2;
                    let text =
                        with_line_break(doc, at, &format!("{}{key}: {value}", " ".repeat(indent)));
                    Ok(splice(doc.text, at, at, &text))
                }
                _ => refuse(format!("`{outer}` is not a mapping; edit it by hand")),
            },
            None => {
                let at = insertion_point(doc, entries, outer);
                let eol = doc.eol();
                let block = format!("{outer}:{eol}  {key}: {value}");
                Ok(splice(doc.text, at, at, &with_line_break(doc, at, &block)))
            }
        },
        _ => refuse("a path of one or two keys"),
    }
}

/// `line` with the file's line break, and one before it when it goes at
/// the end of a file that lacks its last line break.
fn with_line_break(doc: &Doc, at: usize, line: &str) -> String {
    let eol = doc.eol();
    let lead = if at == doc.text.len() && !doc.text.is_empty() && !doc.text.ends_with('\n') {
        eol
    } else {
        ""
    };
    format!("{lead}{line}{eol}")
}

fn colon_rest_starts_flow(doc: &Doc, key: &Node) -> Result<bool, EditError> {
    let after = colon_after(doc, key)?;
    let rest = doc
        .text
        .get(after..doc.line_end(key.pos.line as usize))
        .unwrap_or("");
    Ok(rest.trim_start().starts_with(['[', '{']))
}

/// Sets `key` in one mapping: its value replaced, or a line added (in the
/// template's commented slot, or after the key before it in the order).
fn set_in(
    doc: &Doc,
    entries: &[(Node, Node)],
    indent: usize,
    parent: Option<(&Node, &Node)>,
    key: &str,
    value: &str,
) -> Result<String, EditError> {
    if let Some((k, v)) = find(entries, key) {
        if matches!(v.value, Value::Seq(_) | Value::Map(_)) {
            return refuse(format!(
                "`{key}` holds a {}; edit it by hand",
                v.type_name()
            ));
        }
        let (from, to) = value_span(doc, k, v)?;
        let text = if from == to {
            format!(" {value}")
        } else {
            value.to_owned()
        };
        return Ok(splice(doc.text, from, to, &text));
    }
    let pad = " ".repeat(indent);
    // The template's slot for it, `# responded_at:` alone on its line (one
    // level down, `#   tech_lead:` in the comment lines after the block).
    let (first, last) = match parent {
        None => (1, doc.lines()),
        Some((k, _)) => {
            let line = k.pos.line as usize;
            let mut last = block_end_line(doc, line, indent_of(doc.line(line)));
            while last < doc.lines() && doc.line(last + 1).trim_start().starts_with('#') {
                last += 1;
            }
            (line + 1, last)
        }
    };
    let is_slot = |l: &str| match parent {
        None => l.trim_end() == format!("# {key}:"),
        Some(_) => l
            .trim_start()
            .strip_prefix('#')
            .is_some_and(|r| r.trim() == format!("{key}:")),
    };
    if let Some(n) = (first..=last).find(|&n| is_slot(doc.line(n))) {
        let from = doc.line_start(n);
        let to = from + doc.line(n).len();
        return Ok(splice(doc.text, from, to, &format!("{pad}{key}: {value}")));
    }
    let at = match parent {
        None => insertion_point(doc, entries, key),
        Some((k, _)) => {
            let line = block_end_line(
                doc,
                k.pos.line as usize,
                indent_of(doc.line(k.pos.line as usize)),
            );
            doc.line_end(line)
        }
    };
    Ok(splice(
        doc.text,
        at,
        at,
        &with_line_break(doc, at, &format!("{pad}{key}: {value}")),
    ))
}

/// The last line of the block that starts with the key on line `key_line`
/// at `indent`: the lines after it that are more indented (or list items
/// at its indent), without trailing blank lines or comments at its indent.
fn block_end_line(doc: &Doc, key_line: usize, indent: usize) -> usize {
    let mut last = key_line;
    for n in key_line + 1..=doc.lines() {
        let l = doc.line(n);
        if l.trim().is_empty() {
            continue;
        }
        let ind = indent_of(l);
        let t = l.trim_start();
        if t.starts_with('#') {
            if ind > indent {
                last = n;
            }
            continue;
        }
        if ind > indent || (ind == indent && (t == "-" || t.starts_with("- "))) {
            last = n;
            continue;
        }
        break;
    }
    last
}

/// Where a missing top-level `key` goes: after its commented slot in the
/// template, else after the key before it in the order, else before the
/// first key after it, else at the end.
fn insertion_point(doc: &Doc, entries: &[(Node, Node)], key: &str) -> usize {
    if let Some(n) = (1..=doc.lines()).find(|&n| {
        let l = doc.line(n);
        l.strip_prefix("# ")
            .and_then(|r| r.strip_prefix(key))
            .is_some_and(|r| r.starts_with(':'))
    }) {
        // The slot and its commented example lines (`#   - at: …`).
        let mut last = n;
        while last < doc.lines() && doc.line(last + 1).starts_with("#  ") {
            last += 1;
        }
        return doc.line_end(last);
    }
    let rank = |k: &str| doc.order.iter().position(|o| *o == k);
    let Some(mine) = rank(key) else {
        return doc.text.len();
    };
    let before = entries
        .iter()
        .filter_map(|(k, _)| rank(&key_text(k)).filter(|r| *r < mine).map(|r| (r, k)))
        .max_by_key(|(r, _)| *r);
    if let Some((_, k)) = before {
        return doc.line_end(block_end_line(doc, k.pos.line as usize, 0));
    }
    let after = entries
        .iter()
        .filter_map(|(k, _)| rank(&key_text(k)).filter(|r| *r > mine).map(|_| k))
        .min_by_key(|k| k.pos.line);
    after.map_or(doc.text.len(), |k| doc.line_start(k.pos.line as usize))
}

/// Inserts a list entry; returns the text and the entry as a tree.
fn insert(
    doc: &Doc,
    entries: &[(Node, Node)],
    key: &str,
    index: usize,
    fields: &[(&str, Field)],
) -> Result<(String, Node<'static>), EditError> {
    let block_lines: Vec<String> = fields
        .iter()
        .map(|(k, f)| format!("{k}: {}", f.text()))
        .collect();
    let entry = parse(&block_lines.join("\n"))
        .map(|n| owned(&n))
        .map_err(|_| EditError("the new entry does not read as YAML".to_owned()))?;
    let eol = doc.eol();
    // An item whose dash is at column `dash` and its keys at `content`
    // (0-based), as the list's first item has them.
    let block_item = |dash: usize, content: usize| -> String {
        let mut s = String::new();
        for (i, l) in block_lines.iter().enumerate() {
            if i == 0 {
                let gap = content.saturating_sub(dash + 1).max(1);
                s.push_str(&format!("{}-{}{l}{eol}", " ".repeat(dash), " ".repeat(gap)));
            } else {
                s.push_str(&format!("{}{l}{eol}", " ".repeat(content)));
            }
        }
        s
    };
    let unit = indent_unit(doc, entries);
    let text = match find(entries, key) {
        None => {
            let at = insertion_point(doc, entries, key);
            let lead = if at == doc.text.len() && !doc.text.is_empty() && !doc.text.ends_with('\n')
            {
                eol
            } else {
                ""
            };
            let body = format!("{lead}{key}:{eol}{}", block_item(unit, unit + 2));
            splice(doc.text, at, at, &body)
        }
        Some((k, v)) => match &v.value {
            Value::Null => {
                let (from, to) = value_span(doc, k, v)?;
                let line = k.pos.line as usize;
                let at = doc.line_end(line);
                let indent = indent_of(doc.line(line));
                let items = with_line_break(
                    doc,
                    at,
                    block_item(indent + unit, indent + unit + 2).trim_end_matches(['\r', '\n']),
                );
                // `key: ~` loses its `~` (and the space before it, unless a
                // comment follows): the list takes its place.
                let line_end = doc.text.get(to..at).unwrap_or("");
                let from = if line_end.trim().is_empty() && from != to {
                    colon_after(doc, k)?
                } else {
                    from
                };
                let cleared = splice(doc.text, from, to, "");
                let at = at - (to - from);
                splice(&cleared, at, at, &items)
            }
            Value::Seq(items) => {
                if colon_rest_starts_flow(doc, k)? {
                    flow_insert(doc, k, items, index, fields)?
                } else {
                    let Some(first) = items.first() else {
                        return refuse(format!(
                            "`{key}` is an empty list in block style; edit it by hand"
                        ));
                    };
                    let line = doc.line(first.pos.line as usize);
                    let dash = indent_of(line);
                    if !line.trim_start().starts_with('-') {
                        return refuse(format!("`{key}`'s entries are laid out in a way sitrep does not edit; edit it by hand"));
                    }
                    let content = (first.pos.column as usize).saturating_sub(1);
                    if content <= dash {
                        return refuse(format!("`{key}`'s entries are laid out in a way sitrep does not edit; edit it by hand"));
                    }
                    let at = match items.get(index) {
                        Some(next) => doc.line_start(next.pos.line as usize),
                        None => doc.line_end(block_end_line(
                            doc,
                            k.pos.line as usize,
                            indent_of(doc.line(k.pos.line as usize)),
                        )),
                    };
                    let item = block_item(dash, content);
                    let item = if at == doc.text.len() && !doc.text.ends_with('\n') {
                        format!("{eol}{}", item.trim_end_matches(['\r', '\n']))
                    } else {
                        item
                    };
                    splice(doc.text, at, at, &item)
                }
            }
            _ => {
                return refuse(format!(
                    "`{key}` is not a list; fix it first (`sitrep check`)"
                ))
            }
        },
    };
    Ok((text, entry))
}

/// How far the file indents a block collection below its key: the first
/// one's, else 2.
fn indent_unit(doc: &Doc, entries: &[(Node, Node)]) -> usize {
    entries
        .iter()
        .filter_map(|(k, v)| {
            let first = match &v.value {
                Value::Seq(items) => items.first()?,
                Value::Map(m) => &m.first()?.0,
                _ => return None,
            };
            let line = first.pos.line as usize;
            (line > k.pos.line as usize).then(|| indent_of(doc.line(line)))
        })
        .find(|n| *n > 0)
        .unwrap_or(2)
}

/// Inserts into a flow list (`notifications: [{…}, {…}]`).
fn flow_insert(
    doc: &Doc,
    key: &Node,
    items: &[Node],
    index: usize,
    fields: &[(&str, Field)],
) -> Result<String, EditError> {
    let entry = format!(
        "{{ {} }}",
        fields
            .iter()
            .map(|(k, f)| format!("{k}: {}", f.text()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(next) = items.get(index) {
        let at = doc.offset(next.pos);
        return Ok(splice(doc.text, at, at, &format!("{entry}, ")));
    }
    let open = colon_after(doc, key)?;
    let bytes = doc.text.as_bytes();
    let mut i = open;
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    while let Some(&c) = bytes.get(i) {
        match quote {
            Some(b'"') if c == b'\\' => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'"' | b'\'' => quote = Some(c),
                b'#' if matches!(bytes.get(i.wrapping_sub(1)), Some(b' ' | b'\t' | b'\n')) => {
                    while bytes.get(i).is_some_and(|b| *b != b'\n') {
                        i += 1;
                    }
                    continue;
                }
                b'[' | b'{' => depth += 1,
                b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        let sep = if items.is_empty() { "" } else { ", " };
                        return Ok(splice(doc.text, i, i, &format!("{sep}{entry}")));
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    refuse(format!(
        "cannot find the end of `{}`; edit it by hand",
        key_text(key)
    ))
}

/// The tree of a scalar written as YAML text.
fn snippet_value(value: &str) -> Result<Node<'static>, EditError> {
    let text = format!("v: {value}");
    let root = parse(&text).map_err(|_| EditError(format!("`{value}` is not a YAML value")))?;
    root.get("v")
        .map(owned)
        .ok_or_else(|| EditError(format!("`{value}` is not a YAML value")))
}

/// A tree that owns its text.
fn owned(n: &Node) -> Node<'static> {
    let value = match &n.value {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Int(i) => Value::Int(*i),
        Value::Float(f) => Value::Float(*f),
        Value::Str(s) => Value::Str(Cow::Owned(s.to_string())),
        Value::Seq(items) => Value::Seq(items.iter().map(owned).collect()),
        Value::Map(m) => Value::Map(m.iter().map(|(k, v)| (owned(k), owned(v))).collect()),
    };
    Node::new(value, n.pos)
}

fn key_node(key: &str) -> Node<'static> {
    Node::new(Value::Str(Cow::Owned(key.to_owned())), Pos::START)
}

/// The tree with `path` set to `v`, making maps on the way.
fn set_path(root: &mut Node<'static>, path: &[&str], v: Node<'static>) {
    let Some((first, rest)) = path.split_first() else {
        *root = v;
        return;
    };
    if !matches!(root.value, Value::Map(_)) {
        root.value = Value::Map(Vec::new());
    }
    if let Value::Map(m) = &mut root.value {
        if let Some(i) = m.iter().position(|(k, _)| key_text(k) == *first) {
            if let Some((_, child)) = m.get_mut(i) {
                set_path(child, rest, v);
            }
        } else {
            let mut child = Node::new(Value::Null, Pos::START);
            set_path(&mut child, rest, v);
            m.push((key_node(first), child));
        }
    }
}

fn insert_path(root: &mut Node<'static>, key: &str, index: usize, entry: Node<'static>) {
    if let Value::Map(m) = &mut root.value {
        match m.iter().position(|(k, _)| key_text(k) == key) {
            Some(i) => {
                if let Some((_, list)) = m.get_mut(i) {
                    if !matches!(list.value, Value::Seq(_)) {
                        list.value = Value::Seq(Vec::new());
                    }
                    if let Value::Seq(items) = &mut list.value {
                        items.insert(index.min(items.len()), entry);
                    }
                }
            }
            None => m.push((
                key_node(key),
                Node::new(Value::Seq(vec![entry]), Pos::START),
            )),
        }
    }
}

/// Equal trees, whatever their positions and the order of mapping keys.
pub fn same(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| {
                    y.iter()
                        .find(|(k2, _)| same(k, k2))
                        .is_some_and(|(_, v2)| same(v, v2))
                })
        }
        (x, y) => x == y,
    }
}

#[cfg(test)]
mod tests;
