//! A YAML tree in which every node keeps its line and column.
//!
//! Records are read in two steps: serde-saphyr's parser (or, for plain
//! records, the quick reader in `fast`) turns the text into this tree
//! (syntax errors, duplicate keys), then the model readers walk it and
//! report every problem they find, instead of stopping at the first one as a
//! derived `Deserialize` would.

use serde_saphyr::granit_parser::{self, Event, ScalarStyle};
use std::borrow::Cow;
use std::collections::HashSet;

pub mod edit;
mod fast;
pub mod write;

/// The byte offset where each line of `text` starts (the first is 0).
pub fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        text.bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i + 1),
    );
    starts
}

/// A 1-based position in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };

    pub fn new(line: u32, column: u32) -> Pos {
        Pos {
            line: line.max(1),
            column: column.max(1),
        }
    }

    /// Moves a position found inside a front-matter block to the file.
    pub fn shifted(self, lines: u32) -> Pos {
        Pos::new(self.line.saturating_add(lines), self.column)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// Borrowed from the document where the parser could: a record's keys
    /// and plain words cost no allocation.
    Str(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    Map(Vec<(Node<'a>, Node<'a>)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    pub value: Value<'a>,
    pub pos: Pos,
}

impl<'a> Node<'a> {
    pub fn new(value: Value<'a>, pos: Pos) -> Node<'a> {
        Node { value, pos }
    }

    /// Moves every position down by `lines` (front matter inside a file).
    pub fn shift_lines(&mut self, lines: u32) {
        self.pos = self.pos.shifted(lines);
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.shift_lines(lines)),
            Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.shift_lines(lines);
                v.shift_lines(lines);
            }),
            _ => {}
        }
    }

    /// Puts this node and everything in it at `pos`.
    fn move_to(&mut self, pos: Pos) {
        self.pos = pos;
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.move_to(pos)),
            Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
                k.move_to(pos);
                v.move_to(pos);
            }),
            _ => {}
        }
    }

    /// The text of a scalar, as a user would have written it.
    /// Borrowed when the scalar is text, so reading keys allocates nothing.
    pub fn scalar_text(&self) -> Option<Cow<'_, str>> {
        match &self.value {
            Value::Str(s) => Some(Cow::Borrowed(s)),
            Value::Int(i) => Some(Cow::Owned(i.to_string())),
            Value::Float(f) => Some(Cow::Owned(f.to_string())),
            Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
            Value::Null | Value::Seq(_) | Value::Map(_) => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[(Node<'a>, Node<'a>)]> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node<'a>]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The value under a string key of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.scalar_text().as_deref() == Some(key))
            .map(|(_, v)| v)
    }

    /// A short name of the node's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing",
            Value::Bool(_) => "a true/false value",
            Value::Int(_) => "a number",
            Value::Float(_) => "a number",
            Value::Str(_) => "text",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A YAML syntax error with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

/// Limits that keep a hostile file (alias bombs, deep nesting) from
/// exhausting memory or the stack.
const MAX_DEPTH: usize = 64;
const MAX_ALIASES: usize = 1_000;
const MAX_NODES: usize = 2_000_000;

/// Parses one YAML document. An empty document is `Value::Null` at 1:1.
///
/// The tree is built straight from the events of serde-saphyr's parser
/// (granit-parser): going through serde with a `Spanned` wrapper on every
/// value cost three times as much as the parsing itself. Scalars resolve as
/// serde-saphyr resolves them for an untyped value (a test compares both).
/// Plain records are read by a quick reader first (`fast`), which hands
/// anything unusual to the parser; the parser took half of a `check`.
pub fn parse(text: &str) -> Result<Node<'_>, SyntaxError> {
    if is_blank(text) {
        return Ok(Node::new(Value::Null, Pos::START));
    }
    match fast::parse(text) {
        Some(node) => Ok(node),
        None => Builder::default().run(text),
    }
}

/// Only blank lines, comments and `---`: an empty record.
fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---"
    })
}

fn pos_of(marker: &granit_parser::Marker) -> Pos {
    Pos::new(
        u32::try_from(marker.line()).unwrap_or(u32::MAX),
        u32::try_from(marker.col().saturating_add(1)).unwrap_or(u32::MAX),
    )
}

fn error(pos: Pos, message: impl Into<String>) -> SyntaxError {
    SyntaxError {
        pos,
        message: message.into(),
    }
}

/// A collection still being read.
enum Open<'a> {
    Seq(Vec<Node<'a>>),
    Map {
        entries: Vec<(Node<'a>, Node<'a>)>,
        key: Option<Node<'a>>,
        /// The pending key is a plain `<<`.
        merge_key: bool,
        /// The texts of null and true/false keys: serde-saphyr tells those
        /// apart by their spelling (`~` and `null` are different keys).
        spelled: Vec<String>,
        /// The other keys by value, once the mapping is large enough that
        /// scanning it for each new key would be quadratic.
        seen: Option<HashSet<String>>,
        /// `<<` values, merged when the mapping ends.
        merges: Vec<Node<'a>>,
    },
}

struct Frame<'a> {
    open: Open<'a>,
    pos: Pos,
    anchor: usize,
    /// The node count when the collection opened, to size an anchored one.
    nodes_before: usize,
}

#[derive(Default)]
struct Builder<'a> {
    stack: Vec<Frame<'a>>,
    /// Anchored values by the parser's anchor id, with their node counts.
    anchors: std::collections::HashMap<usize, (Node<'a>, usize)>,
    aliases: usize,
    nodes: usize,
    root: Option<Node<'a>>,
}

impl<'a> Builder<'a> {
    fn run(mut self, text: &'a str) -> Result<Node<'a>, SyntaxError> {
        let options = granit_parser::options! {
            block_nesting_limit: MAX_DEPTH + 1,
        };
        let mut documents = 0usize;
        // An empty document is null where the stream ends, as in serde-saphyr.
        let mut end = Pos::START;
        for event in granit_parser::Parser::new_from_str_with_options(text, options) {
            let (event, span) =
                event.map_err(|e| error(pos_of(e.marker()), scan_message(&e.info())))?;
            let pos = pos_of(&span.start);
            end = pos;
            match event {
                Event::DocumentStart(..) => {
                    documents += 1;
                    if documents > 1 {
                        return Err(error(
                            pos,
                            "a second YAML document starts here; a file holds one",
                        ));
                    }
                }
                Event::Scalar(value, style, anchor, tag) => {
                    self.scalar(value, style, anchor, tag.as_deref(), pos)?
                }
                Event::SequenceStart(_, anchor, _) => self.open_seq(anchor, pos)?,
                Event::MappingStart(_, anchor, _) => self.open_map(anchor, pos)?,
                Event::SequenceEnd | Event::MappingEnd => self.close()?,
                Event::Alias(id) => self.alias(id, pos)?,
                _ => {}
            }
        }
        Ok(self.root.unwrap_or(Node::new(Value::Null, end)))
    }

    fn scalar(
        &mut self,
        value: Cow<'a, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&granit_parser::Tag>,
        pos: Pos,
    ) -> Result<(), SyntaxError> {
        self.count(1, pos)?;
        match resolve(&value, style, tag, pos)? {
            // Text moves into the tree: the parser's copy when it made one.
            None => {
                let kind = if style == ScalarStyle::Plain && tag.is_none() && value == MERGE_KEY {
                    Scalar::Merge
                } else {
                    Scalar::Other
                };
                self.finish(Node::new(Value::Str(value), pos), anchor, 1, kind)
            }
            Some(v) => {
                let kind = if matches!(v, Value::Null | Value::Bool(_)) {
                    Scalar::Spelled(&value)
                } else {
                    Scalar::Other
                };
                self.finish(Node::new(v, pos), anchor, 1, kind)
            }
        }
    }

    fn open_seq(&mut self, anchor: usize, pos: Pos) -> Result<(), SyntaxError> {
        self.open(Open::Seq(Vec::new()), pos, anchor)
    }

    fn open_map(&mut self, anchor: usize, pos: Pos) -> Result<(), SyntaxError> {
        self.open(
            Open::Map {
                entries: Vec::new(),
                key: None,
                merge_key: false,
                spelled: Vec::new(),
                seen: None,
                merges: Vec::new(),
            },
            pos,
            anchor,
        )
    }

    fn alias(&mut self, id: usize, pos: Pos) -> Result<(), SyntaxError> {
        let Some((node, size)) = self.anchors.get(&id) else {
            return Err(error(
                pos,
                "this alias refers to the value that contains it",
            ));
        };
        let (mut node, size) = (node.clone(), *size);
        // Every value of a copy points at the alias, as serde-saphyr's do.
        node.move_to(pos);
        self.aliases += 1;
        if self.aliases > MAX_ALIASES {
            return Err(error(pos, format!("more than {MAX_ALIASES} aliases")));
        }
        self.count(size, pos)?;
        self.finish(node, 0, size, Scalar::Other)
    }

    fn count(&mut self, nodes: usize, pos: Pos) -> Result<(), SyntaxError> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > MAX_NODES {
            return Err(error(
                pos,
                format!("the document expands to more than {MAX_NODES} values"),
            ));
        }
        Ok(())
    }

    fn open(&mut self, open: Open<'a>, pos: Pos, anchor: usize) -> Result<(), SyntaxError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(error(
                pos,
                format!("values are nested more than {MAX_DEPTH} levels deep"),
            ));
        }
        self.count(1, pos)?;
        self.stack.push(Frame {
            open,
            pos,
            anchor,
            nodes_before: self.nodes - 1,
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), SyntaxError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let value = match frame.open {
            Open::Seq(items) => Value::Seq(items),
            Open::Map {
                mut entries,
                merges,
                ..
            } => {
                merge(&mut entries, merges)?;
                Value::Map(entries)
            }
        };
        let size = self.nodes - frame.nodes_before;
        self.finish(
            Node::new(value, frame.pos),
            frame.anchor,
            size,
            Scalar::Other,
        )
    }

    /// Puts a finished node into its parent (or makes it the root).
    fn finish(
        &mut self,
        node: Node<'a>,
        anchor: usize,
        size: usize,
        kind: Scalar,
    ) -> Result<(), SyntaxError> {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), size));
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut frame.open {
            Open::Seq(items) => items.push(node),
            Open::Map {
                entries,
                key,
                merge_key,
                spelled,
                seen,
                merges,
            } => match key.take() {
                None => {
                    let duplicate = match kind {
                        Scalar::Merge => {
                            *merge_key = true;
                            false
                        }
                        Scalar::Spelled(text) => {
                            let seen = spelled.iter().any(|s| s == text);
                            spelled.push(text.to_owned());
                            seen
                        }
                        Scalar::Other => seen_before(entries, seen, &node.value),
                    };
                    if duplicate {
                        let name = node.scalar_text().unwrap_or_default();
                        return Err(error(
                            node.pos,
                            format!("duplicate key `{name}`: it already appears in this mapping"),
                        ));
                    }
                    *key = Some(node);
                }
                Some(_) if *merge_key => {
                    *merge_key = false;
                    merges.push(node);
                }
                Some(k) => entries.push((k, node)),
            },
        }
        Ok(())
    }
}

const MERGE_KEY: &str = "<<";

/// Above this many keys a mapping keeps a set of its keys.
const SCAN_KEYS: usize = 32;

/// Whether a key (not null, not true/false) is already in the mapping.
fn seen_before(entries: &[(Node, Node)], seen: &mut Option<HashSet<String>>, key: &Value) -> bool {
    let other = |k: &Node| !matches!(k.value, Value::Null | Value::Bool(_));
    if seen.is_none() {
        if entries.len() < SCAN_KEYS {
            return entries.iter().any(|(k, _)| other(k) && k.value == *key);
        }
        *seen = Some(
            entries
                .iter()
                .filter(|(k, _)| other(k))
                .map(|(k, _)| fingerprint(&k.value))
                .collect(),
        );
    }
    seen.as_mut()
        .is_some_and(|set| !set.insert(fingerprint(key)))
}

/// A key's value as text, positions left out, for sets of keys.
fn fingerprint(v: &Value) -> String {
    match v {
        Value::Null => "~".to_owned(),
        Value::Bool(b) => format!("b{b}"),
        Value::Int(i) => format!("i{i}"),
        Value::Float(f) => format!("f{}", f.to_bits()),
        Value::Str(s) => format!("s{s}"),
        Value::Seq(items) => {
            let inner: Vec<String> = items.iter().map(|n| fingerprint(&n.value)).collect();
            format!("[{}]", inner.join(","))
        }
        Value::Map(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}:{}", fingerprint(&k.value), fingerprint(&v.value)))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
    }
}

/// What a finished node was, for the mapping that may take it as a key.
enum Scalar<'a> {
    Merge,
    Spelled(&'a str),
    Other,
}

/// Applies `<<` merge keys: the keys a mapping spells out win, then the
/// merged mappings in order.
fn merge<'a>(
    entries: &mut Vec<(Node<'a>, Node<'a>)>,
    merges: Vec<Node<'a>>,
) -> Result<(), SyntaxError> {
    for value in merges {
        let sources = match value.value {
            // Merging nothing changes nothing, as in serde-saphyr.
            Value::Null => continue,
            Value::Map(m) => vec![m],
            Value::Seq(items) => {
                let mut maps = Vec::with_capacity(items.len());
                for item in items {
                    match item.value {
                        Value::Map(m) => maps.push(m),
                        _ => return Err(merge_error(item.pos)),
                    }
                }
                maps
            }
            _ => return Err(merge_error(value.pos)),
        };
        let mut keys: HashSet<String> =
            entries.iter().map(|(k, _)| fingerprint(&k.value)).collect();
        for (k, v) in sources.into_iter().flatten() {
            if keys.insert(fingerprint(&k.value)) {
                entries.push((k, v));
            }
        }
    }
    Ok(())
}

fn merge_error(pos: Pos) -> SyntaxError {
    error(
        pos,
        "a `<<` merge takes a mapping or a list of mappings (usually aliases like `*defaults`)",
    )
}

/// The value of a scalar, as serde-saphyr resolves one for an untyped value:
/// null, then YAML 1.1 booleans, then integers, then floats, else text;
/// numbers with leading zeros or underscores stay text (times like `02:46`,
/// ids like `0755`). `None` is text: the scalar as written.
fn resolve(
    text: &str,
    style: ScalarStyle,
    tag: Option<&granit_parser::Tag>,
    pos: Pos,
) -> Result<Option<Value<'static>>, SyntaxError> {
    let core = tag.and_then(granit_parser::Tag::core_suffix);
    let invalid = |ty: &str| error(pos, format!("`{text}` is not {ty}"));
    match core {
        Some("str") => return Ok(None),
        Some("null") => return Ok(Some(Value::Null)),
        Some("bool") => {
            return parse_bool(text)
                .map(|b| Some(Value::Bool(b)))
                .ok_or_else(|| invalid("a true/false value"))
        }
        Some("int") => {
            return parse_int(text)
                .map(Some)
                .ok_or_else(|| invalid("an integer"))
        }
        Some("float") => {
            return parse_float(text)
                .or_else(|| {
                    parse_int(text).map(|v| match v {
                        Value::Int(i) => Value::Float(i as f64),
                        other => other,
                    })
                })
                .map(Some)
                .ok_or_else(|| invalid("a number"));
        }
        _ => {}
    }
    // A non-specific `!` tag keeps the text as it is.
    let forced_text = tag.is_some_and(|t| t.handle().is_empty() && t.suffix() == "!");
    if style != ScalarStyle::Plain || forced_text {
        return Ok(None);
    }
    let t = trim(text);
    let first = t.bytes().next();
    // Most plain scalars are words: only these can begin null, a boolean or
    // a number (`.5`, `.inf`), so the rest need no further test.
    if first.is_some_and(|b| {
        !(b.is_ascii_digit()
            || matches!(
                b,
                b'+' | b'-'
                    | b'.'
                    | b'~'
                    | b'n'
                    | b'N'
                    | b't'
                    | b'T'
                    | b'f'
                    | b'F'
                    | b'y'
                    | b'Y'
                    | b'o'
                    | b'O'
            ))
    }) {
        return Ok(None);
    }
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return Ok(Some(Value::Null));
    }
    if let Some(b) = parse_bool(text) {
        return Ok(Some(Value::Bool(b)));
    }
    // Numbers begin with a digit, a sign or a point: keys like `title` or
    // `notifications` are text without trying to read them as numbers.
    if first.is_some_and(|b| b.is_ascii_alphabetic()) {
        return Ok(None);
    }
    if leading_zero_decimal(t) || t.contains('_') {
        return Ok(None);
    }
    match parse_int(t).or_else(|| parse_float(t)) {
        // As serde-saphyr does by default: `.inf`, `.nan` and `1e999` are
        // almost always a typo in a record.
        Some(Value::Float(f)) if !f.is_finite() => Err(error(
            pos,
            format!("`{text}` is not a finite number; quote it to keep it as text"),
        )),
        Some(v) => Ok(Some(v)),
        None => Ok(None),
    }
}

fn trim(s: &str) -> &str {
    let space = |b: Option<&u8>| matches!(b, Some(b' ' | b'\t' | b'\r' | b'\n'));
    // Nearly every scalar has nothing to trim: skip the char-set search.
    if !space(s.as_bytes().first()) && !space(s.as_bytes().last()) {
        return s;
    }
    s.trim_matches([' ', '\t', '\r', '\n'])
}

fn parse_bool(s: &str) -> Option<bool> {
    let t = trim(s);
    // The longest spelling is `false`.
    if t.len() > 5 {
        return None;
    }
    let is = |words: [&str; 4]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    if is(["true", "yes", "y", "on"]) {
        Some(true)
    } else if is(["false", "no", "n", "off"]) {
        Some(false)
    } else {
        None
    }
}

fn leading_zero_decimal(t: &str) -> bool {
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// An integer in decimal, `0x`, `0o` or `0b` form; one too large for i64
/// becomes a float, as it would through serde.
fn parse_int(s: &str) -> Option<Value<'static>> {
    let t = trim(s);
    let (negative, rest) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let (radix, digits) =
        if let Some(d) = rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
            (16, d)
        } else if let Some(d) = rest.strip_prefix("0o").or_else(|| rest.strip_prefix("0O")) {
            (8, d)
        } else if let Some(d) = rest.strip_prefix("0b").or_else(|| rest.strip_prefix("0B")) {
            (2, d)
        } else {
            if rest.starts_with('0') && rest != "0" {
                return None;
            }
            (10, rest)
        };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let magnitude = u128::from_str_radix(digits, radix).ok()?;
    if negative {
        let v = i128::try_from(magnitude).ok()?.checked_neg()?;
        i64::try_from(v).ok().map(Value::Int)
    } else {
        let v = u64::try_from(magnitude).ok()?;
        Some(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
}

/// A YAML 1.2 float, `.inf` and `.nan` included; a literal too large for
/// f64 is infinity.
fn parse_float(s: &str) -> Option<Value<'static>> {
    let t = trim(s);
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(Value::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" => {
            return Some(Value::Float(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }));
        }
        _ => {}
    }
    let v = t.parse::<f64>().ok()?;
    if v.is_finite()
        || (v.is_infinite() && unsigned.as_bytes().first().is_some_and(u8::is_ascii_digit))
    {
        Some(Value::Float(v))
    } else {
        None
    }
}

/// The parser's message, in the words of the rest of sitrep where the
/// parser's own are obscure.
fn scan_message(raw: &str) -> String {
    if raw.contains("unknown anchor") {
        return "this alias (`*name`) refers to no anchor (`&name`) defined before it".to_owned();
    }
    clean_message(raw)
}

/// serde-saphyr's messages may end with " at line L column C"; the
/// position is shown separately, so keep only the first line of the text.
fn clean_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let cut = first
        .find(" at line ")
        .map_or(first, |i| first.get(..i).unwrap_or(first));
    cut.trim_end_matches(['.', ':', ' ']).to_owned()
}

/// The tree as serde-saphyr's deserializer builds it, through `Spanned` on
/// every value: the reference the event-based builder is compared with.
#[cfg(test)]
mod reference;

#[cfg(test)]
mod tests;
