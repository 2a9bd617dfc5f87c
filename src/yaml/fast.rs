//! A quick reader for the plain YAML most records are written in.
//!
//! Records are block mappings and lists of one-line values: words, times,
//! quoted sentences, `[a, b]` lists, `{ id: a, impact: b }` mappings, and
//! `|` or `>` texts. For those, this reader finds the same values at the
//! same positions as serde-saphyr's parser in a fraction of its time, and
//! feeds them to the same tree builder. At the first thing it does not know
//! (anchors, aliases, tags, flow collections nested deeper than
//! `[a, { id: b }]`, a scalar over two lines, `|+` or an indentation
//! indicator, a tab or carriage return, anything that may be an error) it
//! gives up, and the file is read again by the full parser, which stays the
//! judge of what is valid YAML and the only source of syntax errors. Tests
//! hold the two to the same trees, positions included.

use super::{Builder, Node, Pos};
use serde_saphyr::granit_parser::ScalarStyle;
use std::borrow::Cow;

/// The tree of `text`, or `None` where the full parser must decide.
pub(super) fn parse(text: &str) -> Option<Node<'_>> {
    if !plain_characters(text) {
        return None;
    }
    let mut reader = Reader {
        tree: Builder::default(),
        open: Vec::new(),
        pending: None,
        content: false,
        marker: false,
        block: None,
    };
    for (i, line) in text.split('\n').enumerate() {
        let no = u32::try_from(i.checked_add(1)?).ok()?;
        reader.line(Line::new(no, line))?;
    }
    reader.end()
}

/// Characters this reader handles: printable text and line feeds, no tabs,
/// carriage returns, byte-order marks or Unicode line breaks.
fn plain_characters(text: &str) -> bool {
    // Whole chunks without an early exit, which the compiler vectorizes.
    let bytes_ok = text.as_bytes().chunks(64).all(|chunk| {
        chunk.iter().fold(true, |ok, &b| {
            ok & (((b >= b' ') & (b != 0x7f)) | (b == b'\n'))
        })
    });
    bytes_ok
        && (text.is_ascii()
            || text.chars().all(|c| {
                !matches!(
                    c,
                    '\u{80}'
                        ..='\u{9f}'
                            | '\u{feff}'
                            | '\u{2028}'
                            | '\u{2029}'
                            | '\u{fffe}'
                            | '\u{ffff}'
                )
            }))
}

/// One line, and the column (in characters, as the parser counts) of each
/// of its bytes.
struct Line<'t> {
    no: u32,
    text: &'t str,
    ascii: bool,
    /// The last byte offset asked for and its column: positions are asked
    /// for left to right, so counting goes on from there (a long line of
    /// short non-ASCII items stays linear).
    counted: std::cell::Cell<(usize, usize)>,
}

impl<'t> Line<'t> {
    fn new(no: u32, text: &'t str) -> Line<'t> {
        Line {
            no,
            text,
            ascii: text.is_ascii(),
            counted: std::cell::Cell::new((0, 0)),
        }
    }

    fn pos(&self, at: usize) -> Option<Pos> {
        let col = if self.ascii {
            at
        } else {
            let (from, col) = match self.counted.get() {
                (byte, col) if byte <= at => (byte, col),
                _ => (0, 0),
            };
            let col = col + self.text.get(from..at)?.chars().count();
            self.counted.set((at, col));
            col
        };
        Some(Pos::new(self.no, u32::try_from(col.checked_add(1)?).ok()?))
    }

    fn rest(&self, at: usize) -> Option<&'t str> {
        self.text.get(at..)
    }
}

/// An open block collection: its indentation, and whether it is a list
/// written at the indentation of the mapping that holds it (`key:\n- a`).
struct Block {
    indent: usize,
    seq: bool,
    indentless: bool,
}

struct Reader<'a> {
    tree: Builder<'a>,
    open: Vec<Block>,
    /// A key or `-` whose value has not appeared yet: where the key's colon
    /// is (`None` for a `-`).
    pending: Option<Option<Pos>>,
    /// Whether the document's content has begun.
    content: bool,
    /// Whether a `---` has been read.
    marker: bool,
    /// A `|` or `>` text whose lines are being read.
    block: Option<BlockText<'a>>,
}

impl<'a> Reader<'a> {
    fn line(&mut self, line: Line<'a>) -> Option<()> {
        if let Some(block) = &mut self.block {
            if block.take(&line)? {
                return Some(());
            }
            self.end_block()?;
        }
        let indent = spaces(line.text);
        let rest = line.rest(indent)?;
        if rest.is_empty() || rest.starts_with('#') {
            return Some(());
        }
        if indent == 0 && (rest.starts_with("---") || rest.starts_with("...")) {
            // One `---` before the content; anything else goes to the parser.
            if rest == "---" && !self.content && !self.marker {
                self.marker = true;
                return Some(());
            }
            return None;
        }
        if !self.content {
            self.content = true;
            if is_item(rest) {
                return None;
            }
            self.open_block(line.pos(indent)?, indent, false, false)?;
            return self.entry(&line, indent);
        }
        if let Some(colon) = self.pending.take() {
            let parent = self.open.last()?.indent;
            if indent > parent {
                return self.nested(&line, indent);
            }
            // A `-` alone is followed by its value on the lines below.
            let colon = colon?;
            if indent == parent && is_item(rest) {
                // `key:` then `- item` at the key's indentation: the list
                // begins where its first item's value does.
                let first = indent + 1 + spaces(rest.get(1..)?);
                // After `- # note` the parser starts the list past the
                // comment; not worth following.
                if line.rest(first)?.starts_with('#') {
                    return None;
                }
                self.open_block(line.pos(first)?, indent, true, true)?;
                return self.item(&line, indent);
            }
            self.null(colon)?;
        }
        loop {
            let top = self.open.last()?;
            if indent > top.indent {
                // More to a finished value: a scalar over two lines or an error.
                return None;
            }
            if indent < top.indent || (top.seq && top.indentless && !is_item(rest)) {
                self.open.pop();
                self.tree.close().ok()?;
                continue;
            }
            return if top.seq {
                if !is_item(rest) {
                    return None;
                }
                self.item(&line, indent)
            } else {
                self.entry(&line, indent)
            };
        }
    }

    /// The first line of a collection under a key that had no value.
    fn nested(&mut self, line: &Line<'a>, indent: usize) -> Option<()> {
        let seq = is_item(line.rest(indent)?);
        self.open_block(line.pos(indent)?, indent, seq, false)?;
        if seq {
            self.item(line, indent)
        } else {
            self.entry(line, indent)
        }
    }

    /// `key: value` or `key:` at `at`.
    fn entry(&mut self, line: &Line<'a>, at: usize) -> Option<()> {
        let colon = key_colon(line.rest(at)?)?;
        self.entry_with(line, at, colon)
    }

    /// The same, its colon (`key_colon`) found already.
    fn entry_with(&mut self, line: &Line<'a>, at: usize, colon: usize) -> Option<()> {
        let rest = line.rest(at)?;
        let key = rest.get(..colon)?.trim_end_matches(' ');
        // The parser looks at most 1,024 characters ahead for a key's colon.
        if key.is_empty() || colon > MAX_KEY || !plain_start(key) {
            return None;
        }
        self.scalar(Cow::Borrowed(key), ScalarStyle::Plain, line.pos(at)?)?;
        let after = rest.get(colon + 1..)?;
        let gap = spaces(after);
        let value = after.get(gap..)?;
        if value.is_empty() || value.starts_with('#') {
            self.pending = Some(Some(line.pos(at + colon)?));
            return Some(());
        }
        self.inline(line, at + colon + 1 + gap)
    }

    /// `- value` or `- key: value` at `at`.
    fn item(&mut self, line: &Line<'a>, at: usize) -> Option<()> {
        let after = line.rest(at)?.get(1..)?;
        let start = at + 1 + spaces(after);
        let content = line.rest(start)?;
        if content.is_empty() || content.starts_with('#') {
            self.pending = Some(None);
            return Some(());
        }
        if is_item(content) {
            return None;
        }
        if let Some(colon) = key_colon(content).filter(|_| plain_start(content)) {
            self.open_block(line.pos(start)?, start, false, false)?;
            return self.entry_with(line, start, colon);
        }
        self.inline(line, start)
    }

    /// A value that ends on this line, starting at `at`.
    fn inline(&mut self, line: &Line<'a>, at: usize) -> Option<()> {
        let rest = line.rest(at)?;
        let (value, style, len) = match rest.as_bytes().first()? {
            b'[' | b'{' => return self.flow(line, at),
            b'|' | b'>' => {
                let parent = self.open.last()?.indent;
                self.block = Some(BlockText::new(rest, parent)?);
                return Some(());
            }
            _ => token(rest, block_word)?,
        };
        if !comment_or_nothing(rest.get(len..)?) {
            return None;
        }
        self.scalar(value, style, line.pos(at)?)
    }

    /// `[a, "b", c]` or `{ id: a, impact: b }` on one line, starting at `at`.
    fn flow(&mut self, line: &Line<'a>, at: usize) -> Option<()> {
        let end = self.flow_collection(line, at, true)?;
        comment_or_nothing(line.rest(end)?).then_some(())
    }

    /// A `[...]` or `{...}` at `at` (whose lists may hold `{...}` if
    /// `outer`): where it ends.
    fn flow_collection(&mut self, line: &Line<'a>, at: usize, outer: bool) -> Option<usize> {
        let text = line.text;
        let map = text.as_bytes().get(at) == Some(&b'{');
        let close = if map { b'}' } else { b']' };
        if map {
            self.tree.open_map(0, line.pos(at)?).ok()?;
        } else {
            self.tree.open_seq(0, line.pos(at)?).ok()?;
        }
        let mut i = at + 1;
        let mut first = true;
        loop {
            i += spaces(text.get(i..)?);
            if first && text.as_bytes().get(i) == Some(&close) {
                break;
            }
            first = false;
            if map {
                let (key, len) = flow_word(text.get(i..)?)?;
                self.scalar(Cow::Borrowed(key), ScalarStyle::Plain, line.pos(i)?)?;
                let start = i;
                i += len;
                i += spaces(text.get(i..)?);
                if i - start > MAX_KEY {
                    return None;
                }
                if text.get(i..)?.starts_with(": ") {
                    i += 1 + spaces(text.get(i + 1..)?);
                } else {
                    return None;
                }
            }
            i = if !map && outer && text.as_bytes().get(i) == Some(&b'{') {
                self.flow_collection(line, i, false)?
            } else {
                i + self.flow_scalar(line, i)?
            };
            i += spaces(text.get(i..)?);
            match *text.as_bytes().get(i)? {
                b',' => i += 1,
                c if c == close => break,
                _ => return None,
            }
        }
        self.tree.close().ok()?;
        Some(i + 1)
    }

    /// One scalar inside `[...]` or `{...}` at `at`: its length.
    fn flow_scalar(&mut self, line: &Line<'a>, at: usize) -> Option<usize> {
        let (value, style, len) = token(line.rest(at)?, flow_word)?;
        self.scalar(value, style, line.pos(at)?)?;
        Some(len)
    }

    /// Opens a block collection whose first entry is at `pos`.
    fn open_block(&mut self, pos: Pos, indent: usize, seq: bool, indentless: bool) -> Option<()> {
        if seq {
            self.tree.open_seq(0, pos).ok()?;
        } else {
            self.tree.open_map(0, pos).ok()?;
        }
        self.open.push(Block {
            indent,
            seq,
            indentless,
        });
        Some(())
    }

    fn scalar(&mut self, value: Cow<'a, str>, style: ScalarStyle, pos: Pos) -> Option<()> {
        self.tree.scalar(value, style, 0, None, pos).ok()
    }

    /// The value of a key written with none, placed where the parser puts it.
    fn null(&mut self, colon: Pos) -> Option<()> {
        self.scalar(Cow::Borrowed("~"), ScalarStyle::Plain, colon)
    }

    fn end_block(&mut self) -> Option<()> {
        let block = self.block.take()?;
        let style = if block.literal {
            ScalarStyle::Literal
        } else {
            ScalarStyle::Folded
        };
        self.scalar(Cow::Owned(block.text()?), style, block.pos)
    }

    fn end(mut self) -> Option<Node<'a>> {
        if self.block.is_some() {
            self.end_block()?;
        }
        if let Some(colon) = self.pending.take() {
            self.null(colon?)?;
        }
        while self.open.pop().is_some() {
            self.tree.close().ok()?;
        }
        self.tree.root
    }
}

/// A `|` (literal) or `>` (folded) text, read line by line. Only the
/// plain kinds: clipped or stripped (`-`) ends, the indentation found from
/// the first line, which must not be empty, and for `>` no more-indented
/// lines.
struct BlockText<'a> {
    /// The indentation of the collection holding the text.
    parent: usize,
    literal: bool,
    strip: bool,
    indent: usize,
    /// The parser places the text at its first line.
    pos: Pos,
    /// Each line without the indentation; empty lines as "".
    lines: Vec<&'a str>,
}

impl<'a> BlockText<'a> {
    /// From the header (`|`, `>-`, ...) at the start of `rest`.
    fn new(rest: &str, parent: usize) -> Option<BlockText<'a>> {
        let literal = rest.as_bytes().first()? == &b'|';
        let strip = rest.as_bytes().get(1) == Some(&b'-');
        if !comment_or_nothing(rest.get(if strip { 2 } else { 1 }..)?) {
            return None;
        }
        Some(BlockText {
            parent,
            literal,
            strip,
            indent: 0,
            pos: Pos::START,
            lines: Vec::new(),
        })
    }

    /// Whether the line belongs to the text (and is taken).
    fn take(&mut self, line: &Line<'a>) -> Option<bool> {
        let indent = spaces(line.text);
        let rest = line.rest(indent)?;
        if self.lines.is_empty() {
            if rest.is_empty() || indent <= self.parent {
                return None;
            }
            self.indent = indent;
            self.pos = line.pos(indent)?;
        }
        if rest.is_empty() {
            if indent > self.indent {
                return None;
            }
            self.lines.push("");
            return Some(true);
        }
        if indent < self.indent {
            return Some(false);
        }
        let content = line.rest(self.indent)?;
        if !self.literal && content.starts_with(' ') {
            return None;
        }
        self.lines.push(content);
        Some(true)
    }

    fn text(&self) -> Option<String> {
        let last = self.lines.iter().rposition(|l| !l.is_empty())?;
        let body = self.lines.get(..=last)?;
        let mut out = String::new();
        for (i, l) in body.iter().enumerate() {
            if i > 0 {
                let previous = body.get(i - 1).is_some_and(|p| !p.is_empty());
                if self.literal || l.is_empty() {
                    out.push('\n');
                } else if previous {
                    out.push(' ');
                }
            }
            out.push_str(l);
        }
        if !self.strip {
            out.push('\n');
        }
        Some(out)
    }
}

/// How far (in bytes, so never more characters) a key's colon may be from
/// its start: the parser's limit is 1,024 characters.
const MAX_KEY: usize = 1000;

fn spaces(s: &str) -> usize {
    s.bytes().take_while(|&b| b == b' ').count()
}

fn is_item(rest: &str) -> bool {
    rest == "-" || rest.starts_with("- ")
}

/// Where the colon after a plain key is, if the text starts with one.
fn key_colon(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b':' if b.get(i + 1).is_none_or(|&n| n == b' ') => return Some(i),
            b'#' => return None,
            _ => {}
        }
    }
    None
}

/// A quoted scalar at the start of `rest`, or else the plain one `plain`
/// finds there: its text, style and length as written.
fn token<'t>(
    rest: &'t str,
    plain: fn(&'t str) -> Option<(&'t str, usize)>,
) -> Option<(Cow<'t, str>, ScalarStyle, usize)> {
    match rest.as_bytes().first()? {
        b'"' => double_quoted(rest).map(|(v, len)| (v, ScalarStyle::DoubleQuoted, len)),
        b'\'' => single_quoted(rest).map(|(v, len)| (v, ScalarStyle::SingleQuoted, len)),
        _ => plain(rest).map(|(w, len)| (Cow::Borrowed(w), ScalarStyle::Plain, len)),
    }
}

/// A plain value of a block mapping or list, and its length up to a
/// comment or the end of the line.
fn block_word(s: &str) -> Option<(&str, usize)> {
    let end = plain_end(s)?;
    let text = s.get(..end)?.trim_end_matches(' ');
    plain_start(text).then_some((text, end))
}

/// A plain word inside `[...]` or `{...}`, up to the next indicator, and
/// its length.
fn flow_word(s: &str) -> Option<(&str, usize)> {
    let end = s.find([',', ']', '}', ':'])?;
    let word = s.get(..end)?.trim_end_matches(' ');
    if word.is_empty() || !plain_start(word) || word.contains(['[', '{', '#']) {
        return None;
    }
    Some((word, word.len()))
}

/// Where a plain value ends: at a comment (` #`) or the end of the line;
/// `None` if a `: ` or a final `:` makes it a key.
fn plain_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'#' if i > 0 && b.get(i - 1) == Some(&b' ') => return Some(i - 1),
            b':' if b.get(i + 1).is_none_or(|&n| n == b' ') => return None,
            _ => {}
        }
    }
    Some(b.len())
}

/// Whether a plain scalar may begin as `s` does (no YAML indicator first).
fn plain_start(s: &str) -> bool {
    let b = s.as_bytes();
    match b.first() {
        None => false,
        Some(b'-') => b.get(1).is_some_and(u8::is_ascii_alphanumeric),
        Some(c) => !matches!(
            c,
            b'?' | b':'
                | b','
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'#'
                | b'&'
                | b'*'
                | b'!'
                | b'|'
                | b'>'
                | b'\''
                | b'"'
                | b'%'
                | b'@'
                | b'`'
        ),
    }
}

/// Spaces, then nothing or a comment.
fn comment_or_nothing(s: &str) -> bool {
    let gap = spaces(s);
    s.get(gap..)
        .is_some_and(|r| r.is_empty() || (gap > 0 && r.starts_with('#')))
}

/// A double-quoted scalar closed on its line: its text and its length with
/// the quotes.
fn double_quoted(s: &str) -> Option<(Cow<'_, str>, usize)> {
    let body = s.get(1..)?;
    let end = body.find(['"', '\\'])?;
    if body.as_bytes().get(end) == Some(&b'"') {
        return Some((Cow::Borrowed(body.get(..end)?), end + 2));
    }
    let mut out = String::from(body.get(..end)?);
    let mut chars = body.get(end..)?.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Cow::Owned(out), end + i + 2)),
            '\\' => {
                let (_, e) = chars.next()?;
                let hex = |n: usize, chars: &mut std::str::CharIndices| -> Option<char> {
                    let mut v = 0u32;
                    for _ in 0..n {
                        v = v * 16 + chars.next()?.1.to_digit(16)?;
                    }
                    char::from_u32(v)
                };
                out.push(match e {
                    '0' => '\0',
                    'a' => '\u{7}',
                    'b' => '\u{8}',
                    't' => '\t',
                    'n' => '\n',
                    'v' => '\u{b}',
                    'f' => '\u{c}',
                    'r' => '\r',
                    'e' => '\u{1b}',
                    ' ' => ' ',
                    '"' => '"',
                    '/' => '/',
                    '\\' => '\\',
                    'N' => '\u{85}',
                    '_' => '\u{a0}',
                    'L' => '\u{2028}',
                    'P' => '\u{2029}',
                    'x' => hex(2, &mut chars)?,
                    'u' => hex(4, &mut chars)?,
                    'U' => hex(8, &mut chars)?,
                    _ => return None,
                });
            }
            c => out.push(c),
        }
    }
    None
}

/// A single-quoted scalar closed on its line (`''` is a quote).
fn single_quoted(s: &str) -> Option<(Cow<'_, str>, usize)> {
    let body = s.get(1..)?;
    let mut out: Option<String> = None;
    let mut from = 0;
    loop {
        let q = from + body.get(from..)?.find('\'')?;
        if body.as_bytes().get(q + 1) == Some(&b'\'') {
            out.get_or_insert_with(String::new)
                .push_str(body.get(from..=q)?);
            from = q + 2;
            continue;
        }
        let text = match out {
            None => Cow::Borrowed(body.get(..q)?),
            Some(mut o) => {
                o.push_str(body.get(from..q)?);
                Cow::Owned(o)
            }
        };
        return Some((text, q + 2));
    }
}

#[cfg(test)]
mod tests;
