//! Raw HTML written in a runbook: an allow-list of tags is kept, scripts
//! and styles go with what they hold, any other tag is shown as the text
//! it is (`kubectl logs <pod-name>` keeps its `<pod-name>`), comments go.

/// Tags a runbook may write as HTML (GitHub's common ones): what
/// `<details>`, a key (`<kbd>`), a table or a sized image needs.
const ALLOWED: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "center",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Tags whose content is code or not for reading: dropped with it.
const DROPPED: &[&str] = &[
    "applet", "frameset", "iframe", "math", "noembed", "noframes", "noscript", "object", "script",
    "select", "style", "svg", "template", "textarea", "title", "xmp",
];

/// A piece of the output: HTML to write as it is, or text to escape.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Piece {
    Html(String),
    Text(String),
}

/// The state carried from one raw HTML event to the next: a comment or a
/// `<script>` may open in one and close several events later.
#[derive(Default)]
pub(super) struct RawHtml {
    in_comment: bool,
    dropping: Option<&'static str>,
    /// A tag was kept: the page must go through the cleaner for its
    /// attributes (event handlers, styles, `javascript:` URLs).
    pub(super) kept: bool,
}

impl RawHtml {
    /// Inside a comment or a dropped element: the events between go too.
    pub(super) fn skipping(&self) -> bool {
        self.in_comment || self.dropping.is_some()
    }

    /// The pieces of one raw HTML event. With `sanitise` off (record text)
    /// every tag is text; comments go either way.
    ///
    /// `closes_later(name)` says whether `</name>` comes later in the same
    /// block: a dropped element goes with its content only when it ends
    /// there; unclosed (`kubectl describe <object>` in prose) its tag is
    /// text, and nothing after it is lost.
    pub(super) fn filter(
        &mut self,
        raw: &str,
        sanitise: bool,
        rewrite: &dyn Fn(&str) -> String,
        closes_later: &dyn Fn(&str) -> bool,
    ) -> Vec<Piece> {
        let mut out = Vec::new();
        let mut text = String::new();
        let mut rest = raw;
        while !rest.is_empty() {
            if self.in_comment {
                match rest.find("-->") {
                    Some(end) => {
                        self.in_comment = false;
                        rest = rest.get(end + 3..).unwrap_or("");
                    }
                    None => rest = "",
                }
                continue;
            }
            if let Some(name) = self.dropping {
                match find_end_tag(rest, name) {
                    Some(after) => {
                        self.dropping = None;
                        rest = rest.get(after..).unwrap_or("");
                    }
                    None => rest = "",
                }
                continue;
            }
            let Some(lt) = rest.find('<') else {
                text.push_str(rest);
                break;
            };
            text.push_str(rest.get(..lt).unwrap_or(""));
            rest = rest.get(lt..).unwrap_or("");
            if let Some(after) = rest.strip_prefix("<!--") {
                self.in_comment = true;
                rest = after;
                continue;
            }
            let tag = sanitise.then(|| Tag::parse(rest)).flatten();
            let Some(tag) = tag else {
                // Text between kept tags is written as HTML: a lone `<` is
                // escaped there, and by the renderer in a text piece.
                text.push_str(if sanitise { "&lt;" } else { "<" });
                rest = rest.get(1..).unwrap_or("");
                continue;
            };
            let whole = rest.get(..tag.len).unwrap_or("");
            rest = rest.get(tag.len..).unwrap_or("");
            if let Some(&d) = DROPPED.iter().find(|d| **d == tag.name) {
                let ends = tag.closing
                    || tag.self_closing
                    || find_end_tag(rest, d).is_some()
                    || closes_later(d);
                if ends {
                    if !tag.closing && !tag.self_closing {
                        self.dropping = Some(d);
                    }
                    continue;
                }
                flush(&mut out, &mut text, sanitise);
                out.push(Piece::Text(whole.to_owned()));
                continue;
            }
            flush(&mut out, &mut text, sanitise);
            if ALLOWED.contains(&tag.name.as_str()) {
                self.kept = true;
                out.push(Piece::Html(tag.rebuilt(rewrite)));
            } else {
                out.push(Piece::Text(whole.to_owned()));
            }
        }
        flush(&mut out, &mut text, sanitise);
        out
    }
}

/// Text between tags is HTML already when sanitising (its entities
/// stand); a bare `&` is escaped so that the page stays valid.
fn flush(out: &mut Vec<Piece>, text: &mut String, sanitise: bool) {
    if text.is_empty() {
        return;
    }
    let t = std::mem::take(text);
    out.push(if sanitise {
        Piece::Html(bare_ampersands_escaped(&t))
    } else {
        Piece::Text(t)
    });
}

fn bare_ampersands_escaped(t: &str) -> String {
    if !t.contains('&') {
        return t.to_owned();
    }
    let mut out = String::with_capacity(t.len() + 8);
    for (i, c) in t.char_indices() {
        if c == '&' && !starts_entity(t.get(i + 1..).unwrap_or("")) {
            out.push_str("&amp;");
        } else {
            out.push(c);
        }
    }
    out
}

/// `nbsp;`, `#160;`, `#xA0;` after an `&`.
fn starts_entity(after: &str) -> bool {
    let Some(semi) = after.find(';').filter(|s| *s > 0 && *s <= 32) else {
        return false;
    };
    let name = after.get(..semi).unwrap_or("");
    match name.strip_prefix('#') {
        Some(num) => match num.strip_prefix(['x', 'X']) {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()),
        },
        None => name.chars().all(|c| c.is_ascii_alphanumeric()),
    }
}

/// Where the end tag `</name…>` finishes, case-insensitively.
fn find_end_tag(text: &str, name: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower.get(from..)?.find("</").map(|i| from + i) {
        let after = lower.get(at + 2..)?;
        if after.starts_with(name)
            && after
                .get(name.len()..)
                .and_then(|r| r.chars().next())
                .is_none_or(|c| c == '>' || c.is_whitespace())
        {
            return Some(at + 2 + after.find('>').map_or(after.len(), |g| g + 1));
        }
        from = at + 2;
    }
    None
}

/// One start or end tag.
#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    self_closing: bool,
    attrs: Vec<(String, Option<String>)>,
    /// Its bytes in the text, `<` to `>`.
    len: usize,
}

impl Tag {
    /// The tag at the start of `s` (which starts with `<`), if it is one.
    fn parse(s: &str) -> Option<Tag> {
        let b = s.as_bytes();
        let mut i = 1;
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let start = i;
        if !b.get(i)?.is_ascii_alphabetic() {
            return None;
        }
        while b
            .get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
        {
            i += 1;
        }
        let name = s.get(start..i)?.to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut self_closing = false;
        loop {
            while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            match b.get(i)? {
                b'>' => break,
                b'/' if b.get(i + 1) == Some(&b'>') => {
                    self_closing = true;
                    i += 1;
                    break;
                }
                _ => {}
            }
            let a = i;
            while b
                .get(i)
                .is_some_and(|c| !c.is_ascii_whitespace() && !b"=>/\"'<".contains(c))
            {
                i += 1;
            }
            if i == a {
                return None;
            }
            let attr = s.get(a..i)?.to_ascii_lowercase();
            while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            let mut value = None;
            if b.get(i) == Some(&b'=') {
                i += 1;
                while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                let v = match b.get(i)? {
                    q @ (b'"' | b'\'') => {
                        let end = i + 1 + s.get(i + 1..)?.find(*q as char)?;
                        let v = s.get(i + 1..end)?;
                        i = end + 1;
                        v
                    }
                    _ => {
                        let v0 = i;
                        while b
                            .get(i)
                            .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'>')
                        {
                            i += 1;
                        }
                        s.get(v0..i)?
                    }
                };
                value = Some(v.to_owned());
            }
            attrs.push((attr, value));
        }
        Some(Tag {
            name,
            closing,
            self_closing,
            attrs,
            len: i + 1,
        })
    }

    /// The tag written anew, quoted the same way throughout, its link
    /// going where the page's Markdown links go.
    fn rebuilt(&self, rewrite: &dyn Fn(&str) -> String) -> String {
        let mut out = String::from(if self.closing { "</" } else { "<" });
        out.push_str(&self.name);
        if !self.closing {
            for (k, v) in &self.attrs {
                out.push(' ');
                out.push_str(k);
                if let Some(v) = v {
                    let v = if matches!(k.as_str(), "href" | "src") && !v.contains('&') {
                        rewrite(&super::safe_url(v))
                    } else {
                        v.clone()
                    };
                    out.push_str("=\"");
                    out.push_str(&v.replace('"', "&quot;").replace('<', "&lt;"));
                    out.push('"');
                }
            }
        }
        out.push('>');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(parts: &[&str]) -> (Vec<Piece>, bool) {
        let mut f = RawHtml::default();
        let mut out = Vec::new();
        for p in parts {
            out.extend(f.filter(p, true, &|d| format!("/r/{d}"), &|_| true));
        }
        (out, f.kept)
    }

    #[test]
    fn allowed_tags_are_kept_and_their_links_rewritten() {
        let (out, kept) = run(&[
            "<details open>\n<summary>More</summary>\n<img src=\"img/a.png\" alt='A \"b\"'>",
        ]);
        assert!(kept);
        assert_eq!(
            out,
            vec![
                Piece::Html("<details open>".into()),
                Piece::Html("\n".into()),
                Piece::Html("<summary>".into()),
                Piece::Html("More".into()),
                Piece::Html("</summary>".into()),
                Piece::Html("\n".into()),
                Piece::Html("<img src=\"/r/img/a.png\" alt=\"A &quot;b&quot;\">".into()),
            ]
        );
    }

    #[test]
    fn other_tags_are_text_and_scripts_go_with_their_content() {
        let (out, kept) = run(&[
            "<pod-name>",
            "<script>",
            "alert(1)",
            "</SCRIPT >",
            "<x onclick=a>",
        ]);
        assert!(!kept);
        assert_eq!(
            out,
            vec![
                Piece::Text("<pod-name>".into()),
                Piece::Text("<x onclick=a>".into())
            ]
        );
    }

    #[test]
    fn comments_span_events_and_bare_ampersands_are_escaped() {
        let (out, _) = run(&["<!-- a", "b --> R&D &amp; &#160; <", "br/>"]);
        assert_eq!(
            out,
            vec![
                Piece::Html(" R&amp;D &amp; &#160; &lt;".into()),
                Piece::Html("br/>".into())
            ]
        );
    }

    #[test]
    fn records_escape_every_tag() {
        let mut f = RawHtml::default();
        let out = f.filter("<b>x</b><!-- c -->", false, &|d| d.to_owned(), &|_| true);
        assert_eq!(out, vec![Piece::Text("<b>x</b>".into())]);
        assert!(!f.kept);
    }

    proptest::proptest! {
        /// Any raw HTML: no panic, and every `<` written as HTML opens a
        /// tag of the allow-list.
        #[test]
        fn only_allowed_tags_come_out(parts in proptest::collection::vec("[<>/a-zA-Z =\"'!&;-]{0,24}", 1..6)) {
            let mut f = RawHtml::default();
            for p in &parts {
                for piece in f.filter(p, true, &|d| d.to_owned(), &|_| false) {
                    if let Piece::Html(h) = piece {
                        for (i, _) in h.match_indices('<') {
                            let rest = h.get(i + 1..).unwrap_or("").trim_start_matches('/');
                            let name: String = rest
                                .chars()
                                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                                .collect();
                            proptest::prop_assert!(ALLOWED.contains(&name.as_str()), "{h}");
                        }
                    }
                }
            }
        }
    }
}
