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
mod tests {
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
        ' ', ':', '#', '-', '"', '\'', '[', ']', ',', '\t', '\r', 'é', '\\', '{', '&', '*', '!',
        '|', '>', '\n', '?', '%', '@', '\u{85}', '\u{2028}', '~',
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
}
