//! Markdown: heading ids, links with positions, and HTML.

use pulldown_cmark::{
    html, BlockQuoteKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};
use std::collections::HashMap;

mod raw_html;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        // `## Overview {#overview .class}` (Hugo, Zola, kramdown): the id is
        // the heading's, the braces are not shown.
        | Options::ENABLE_HEADING_ATTRIBUTES
        // GitHub alerts, `> [!NOTE]` … `> [!CAUTION]`: call-outs.
        | Options::ENABLE_GFM
}

/// Heading id: lower-case letters and digits; every other run of
/// characters becomes one `-` (`O&M escalation` → `o-m-escalation`).
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".to_owned()
    } else {
        out
    }
}

/// Gives repeated ids `-1`, `-2`, … in document order.
#[derive(Default)]
pub struct IdMaker {
    seen: HashMap<String, usize>,
}

/// Ids a runbook page gives its own elements (the skip link's `main`, the
/// contents and "followed by" headings of the default theme): a heading
/// never takes one (`# Main` is `main-1`), so the outline that checks
/// links and the page agree.
pub const PAGE_IDS: &[&str] = &["main", "toc-h", "followed-h"];

impl IdMaker {
    /// An id maker for a runbook page, [`PAGE_IDS`] taken.
    pub fn for_page() -> IdMaker {
        IdMaker::taken(PAGE_IDS)
    }

    /// An id maker for a page whose template gives these ids itself.
    pub fn taken(ids: &[&str]) -> IdMaker {
        let mut maker = IdMaker::default();
        for id in ids {
            maker.make_or(Some(id), "");
        }
        maker
    }

    /// The heading's own id (`{#id}`) when it has one, else one made from
    /// its text; either way, later headings will not repeat it.
    pub fn make_or(&mut self, own: Option<&str>, text: &str) -> String {
        match own.map(str::trim).filter(|i| !i.is_empty()) {
            // An id set twice (or one the page has) is numbered too: no
            // id repeats on a page.
            Some(id) => {
                if !self.seen.contains_key(id) {
                    self.seen.insert(id.to_owned(), 1);
                    return id.to_owned();
                }
                let mut n = self.seen.get(id).copied().unwrap_or(1);
                loop {
                    let candidate = format!("{id}-{n}");
                    n += 1;
                    if !self.seen.contains_key(&candidate) {
                        self.seen.insert(id.to_owned(), n);
                        self.seen.insert(candidate.clone(), 1);
                        return candidate;
                    }
                }
            }
            None => self.make(text),
        }
    }

    /// An id made from `text`, not yet given on the page.
    pub fn make(&mut self, text: &str) -> String {
        let base = slugify(text);
        let n = self.seen.entry(base.clone()).or_insert(0);
        let id = if *n == 0 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        *n += 1;
        // A generated `x-1` may clash with a heading literally named "x 1".
        self.seen.entry(id.clone()).or_insert(1);
        id
    }
}

/// How much of a runbook's text the search index keeps.
pub const SEARCH_TEXT: usize = 1500;

#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
    /// The id GitHub, Hugo and mdBook would give it, when it differs
    /// (`failoverswitchover` for `failover-switchover`): links written
    /// for those tools keep working.
    pub github: Option<String>,
}

impl Heading {
    /// Whether a link's `#fragment` names this heading.
    pub fn answers(&self, fragment: &str) -> bool {
        self.id == fragment || self.github.as_deref() == Some(fragment)
    }
}

/// The id GitHub gives a heading: lower case, each space a `-`, other
/// punctuation dropped (`Failover/Switchover` → `failoverswitchover`,
/// `Docs & video` → `docs--video`).
pub fn github_slug(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub dest: String,
    /// Byte offset of the link in the Markdown text.
    pub offset: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outline {
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    /// The opening plain text, at most `SEARCH_TEXT` bytes, for the search
    /// index (keeping all of it doubled the memory a site takes).
    pub text: String,
}

fn level_num(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A Hugo or Zola shortcode in Markdown text (outside code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortcode {
    /// Its bytes in the Markdown, braces included.
    pub range: std::ops::Range<usize>,
    /// `ref`, `hint`, `param`, … (`/hint` for a closing one).
    pub name: String,
    /// For `ref` and `relref`: the path it links to.
    pub target: Option<String>,
}

/// The shortcodes of a Markdown text: `{{< name … >}}`, `{{% name … %}}`
/// (Hugo) and `{{ name(…) }}` (Zola), not inside code spans or blocks,
/// where they are examples.
pub fn shortcodes(md: &str) -> Vec<Shortcode> {
    if !md.contains("{{") {
        return Vec::new();
    }
    let mut code: Vec<std::ops::Range<usize>> = Vec::new();
    let mut block_start = None;
    for (ev, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match ev {
            Event::Code(_) => code.push(range),
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block_start.take() {
                    code.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = md.get(from..).and_then(|r| r.find("{{")).map(|i| from + i) {
        from = at + 2;
        if code.iter().any(|c| c.contains(&at)) {
            continue;
        }
        let rest = md.get(at..).unwrap_or("");
        let (close, inner) = if let Some(r) = rest.strip_prefix("{{<") {
            (">}}", r)
        } else if let Some(r) = rest.strip_prefix("{{%") {
            ("%}}", r)
        } else {
            ("}}", rest.get(2..).unwrap_or(""))
        };
        // One line at most: a lone `{{` elsewhere is text, not a shortcode.
        let line = inner.split('\n').next().unwrap_or("");
        let Some(end) = line.find(close) else {
            continue;
        };
        let body = line.get(..end).unwrap_or("").trim();
        let name: String = body
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/' | '.'))
            .collect();
        if name.is_empty() {
            continue;
        }
        // Zola's form needs its call parentheses: `{{ name(…) }}`.
        if close == "}}" && !body.get(name.len()..).is_some_and(|r| r.starts_with('(')) {
            continue;
        }
        let total = (rest.len() - inner.len()) + end + close.len();
        let target = matches!(name.as_str(), "ref" | "relref")
            .then(|| {
                let arg = body.get(name.len()..).unwrap_or("").trim();
                let arg = arg.trim_matches(|c| c == '"' || c == '\'' || c == '`');
                (!arg.is_empty() && !arg.contains('"')).then(|| arg.to_owned())
            })
            .flatten();
        out.push(Shortcode {
            range: at..at + total,
            name,
            target,
        });
        from = at + total;
    }
    out
}

/// Headings, links and plain text of a Markdown document.
pub fn outline(md: &str) -> Outline {
    outline_and_first_h1(md).0
}

/// The first level-1 heading: its bytes in the Markdown and its text.
pub type FirstH1 = Option<(std::ops::Range<usize>, String)>;

/// [`outline`], and the first level-1 heading, in one parse (a runbook
/// drops a heading that repeats its title).
pub fn outline_and_first_h1(md: &str) -> (Outline, FirstH1) {
    let mut first_h1: FirstH1 = None;
    let mut h1_start: Option<usize> = None;
    let mut out = Outline::default();
    let mut ids = IdMaker::for_page();
    let mut github_ids: HashMap<String, usize> = HashMap::new();
    let mut heading: Option<(u8, Option<CowStr>, String)> = None;
    for (ev, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { level, id, .. }) => {
                if level == HeadingLevel::H1 && first_h1.is_none() && h1_start.is_none() {
                    h1_start = Some(range.start);
                }
                heading = Some((level_num(level), id, String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, own, text)) = heading.take() {
                    if level == 1 && first_h1.is_none() {
                        if let Some(start) = h1_start {
                            first_h1 = Some((start..range.end, text.trim().to_owned()));
                        }
                    }
                    let id = ids.make_or(own.as_deref(), &text);
                    // GitHub numbers repeats as `-1`, `-2` too, but on its own ids.
                    let base = github_slug(&text);
                    let n = github_ids.entry(base.clone()).or_insert(0);
                    let github = if *n == 0 { base } else { format!("{base}-{n}") };
                    *n += 1;
                    out.headings.push(Heading {
                        level,
                        text: text.trim().to_owned(),
                        github: (github != id && !github.is_empty()).then_some(github),
                        id,
                    });
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) if !matches!(link_type, LinkType::Email | LinkType::Autolink) => {
                out.links.push(Link {
                    dest: dest_url.to_string(),
                    offset: range.start,
                });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, h)) = heading.as_mut() {
                    h.push_str(&t);
                }
                if out.text.len() < SEARCH_TEXT {
                    out.text.push_str(&t);
                    out.text.push(' ');
                }
            }
            Event::SoftBreak | Event::HardBreak if out.text.len() < SEARCH_TEXT => {
                out.text.push(' ')
            }
            _ => {}
        }
    }
    (out, first_h1)
}

/// Renders a runbook's Markdown to HTML with heading ids, and links and
/// images passed through `rewrite`. Raw HTML is sanitised: allow-listed
/// tags are kept and cleaned by ammonia, scripts and styles dropped, other
/// tags shown as text ([`raw_html`]); link and image URLs that could run
/// code become `#`.
pub fn to_html(md: &str, rewrite: &dyn Fn(&str) -> String) -> String {
    to_html_among(md, rewrite, &mut IdMaker::default())
}

/// [`to_html`] for one of several texts on a page (the sections' intros):
/// `ids` holds the ids given so far, and no heading repeats one.
pub fn to_html_among(md: &str, rewrite: &dyn Fn(&str) -> String, ids: &mut IdMaker) -> String {
    let (html, kept) = render(md, rewrite, true, ids);
    if kept {
        clean_runbook(&html)
    } else {
        html
    }
}

/// Markdown to HTML; returns whether a raw tag was kept (`sanitise`),
/// which the caller must then clean. Without `sanitise` every raw tag is
/// text (record text).
fn render(
    md: &str,
    rewrite: &dyn Fn(&str) -> String,
    sanitise: bool,
    ids: &mut IdMaker,
) -> (String, bool) {
    let events: Vec<Event> = Parser::new_ext(md, options()).collect();
    // Heading ids need the heading's text, which follows its start event.
    let mut out_events = Vec::with_capacity(events.len());
    let mut raw = raw_html::RawHtml::default();
    // Footnote labels become ids too (`fn-<label>`), made unique among the
    // page's ids; a reference and its definition share the one made.
    let mut notes: HashMap<String, String> = HashMap::new();
    let mut note_id = |label: &str, ids: &mut IdMaker| -> CowStr<'static> {
        let id = notes
            .entry(label.to_owned())
            .or_insert_with(|| ids.make_or(Some(&format!("fn-{label}")), ""))
            .clone();
        CowStr::from(id)
    };
    let mut i = 0;
    while let Some(ev) = events.get(i) {
        match ev {
            Event::FootnoteReference(label) => {
                out_events.push(Event::FootnoteReference(note_id(label, ids)));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                out_events.push(Event::Start(Tag::FootnoteDefinition(note_id(label, ids))));
            }
            Event::Start(Tag::Heading {
                level,
                id: own,
                classes,
                attrs,
            }) => {
                let mut text = String::new();
                let mut j = i + 1;
                while let Some(e) = events.get(j) {
                    match e {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        _ => {}
                    }
                    j += 1;
                }
                let id = ids.make_or(own.as_deref(), &text);
                out_events.push(Event::Start(Tag::Heading {
                    level: below_title(*level),
                    id: Some(CowStr::from(id)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                out_events.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: CowStr::from(rewrite(&safe_url(dest_url))),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => out_events.push(Event::Start(Tag::Image {
                link_type: *link_type,
                dest_url: CowStr::from(rewrite(&safe_url(dest_url))),
                title: title.clone(),
                id: id.clone(),
            })),
            Event::End(TagEnd::Heading(level)) => {
                out_events.push(Event::End(TagEnd::Heading(below_title(*level))))
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = callout(*kind);
                out_events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                out_events.push(Event::Html(CowStr::from("</div>\n")))
            }
            // Comments (a licence header, notes to editors) and scripts go;
            // allowed tags are HTML, others text.
            Event::Html(h) | Event::InlineHtml(h) => {
                let block = matches!(ev, Event::Html(_));
                let closes_later = |name: &str| closes_later(&events, i, block, name);
                for piece in raw.filter(h, sanitise, rewrite, &closes_later) {
                    out_events.push(match piece {
                        raw_html::Piece::Html(t) => Event::InlineHtml(CowStr::from(t)),
                        raw_html::Piece::Text(t) => Event::Text(CowStr::from(t)),
                    });
                }
            }
            Event::Text(_) | Event::Code(_) | Event::SoftBreak | Event::HardBreak
                if raw.skipping() => {}
            // A bare checkbox has no accessible name; say what it is.
            Event::TaskListMarker(done) => {
                out_events.push(Event::InlineHtml(CowStr::from(if *done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"To do\"> "
                })))
            }
            other => out_events.push(other.clone()),
        }
        i += 1;
    }
    let mut out = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut out, out_events.into_iter());
    (without_controls(out), raw.kept)
}

/// Whether `</name` comes after event `at` in its block: the rest of an
/// HTML block (its consecutive raw lines), or of the paragraph, item or
/// cell holding inline HTML.
fn closes_later(events: &[Event], at: usize, block: bool, name: &str) -> bool {
    let has = |h: &str| h.to_ascii_lowercase().contains(&format!("</{name}"));
    let mut depth = 0usize;
    for ev in events.iter().skip(at + 1) {
        match ev {
            Event::Html(h) if has(h) => return true,
            Event::Html(_) if block => {}
            _ if block => return false,
            Event::InlineHtml(h) if has(h) => return true,
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                if depth == 0 {
                    return false;
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    false
}

/// A GitHub alert's class and title.
fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// A body's `#` heading is an `<h2>`: the page's title is its one `<h1>`
/// (a repository written for another tool often repeats it in the body,
/// as `# KubeletPlegDurationHigh` under "Kubelet Pod Lifecycle Event
/// Generator Duration High").
fn below_title(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        other => other,
    }
}

/// HTML holds no control character: NUL becomes U+FFFD (as CommonMark
/// asks), the other C0 controls but tab and line breaks go (they are parse
/// errors, and invisible).
fn without_controls(html: String) -> String {
    if !html
        .bytes()
        .any(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
    {
        return html;
    }
    html.chars()
        .filter_map(|c| match c {
            '\0' => Some('\u{fffd}'),
            c if c < ' ' && !matches!(c, '\t' | '\n' | '\r') => None,
            c => Some(c),
        })
        .collect()
}

/// A URL from a record, or `#` when it could run code (`javascript:`,
/// `data:`, …): only http, https, mailto, tel and relative URLs pass.
pub fn safe_url(url: &str) -> String {
    let t = url.trim();
    let lower: String = t
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_lowercase();
    let scheme = lower
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.contains(['/', '?', '#']));
    match scheme {
        None => t.to_owned(),
        Some("http" | "https" | "mailto" | "tel") => t.to_owned(),
        Some(_) => "#".to_owned(),
    }
}

/// Renders untrusted Markdown (incident text), cleaned by ammonia as well.
///
/// Text with no `<` and no `[` can hold no raw HTML, autolink, link, image
/// or footnote: pulldown-cmark then only emits its own structural tags
/// around escaped text, and the cleaning (the larger part of rendering an
/// incident page) is skipped.
pub fn inline_html(md: &str) -> String {
    inline_html_among(md, &mut IdMaker::default())
}

/// [`inline_html`] for one of several texts on a page: `ids` holds the ids
/// the page and the texts before gave, so no heading repeats one.
pub fn inline_html_among(md: &str, ids: &mut IdMaker) -> String {
    if let Some(html) = plain_paragraph(md) {
        return without_controls(html);
    }
    let (html, _) = render(md, &|d| d.to_owned(), false, ids);
    if md.contains(['<', '[']) {
        clean(&html)
    } else {
        html
    }
}

/// Most record text is one line of plain prose: it starts with a letter and
/// holds no character Markdown or HTML gives a meaning, so it renders as a
/// paragraph of itself, with no parser (a property test holds this to
/// pulldown-cmark's output).
fn plain_paragraph(md: &str) -> Option<String> {
    let b = md.as_bytes();
    let plain = b.first().is_some_and(u8::is_ascii_alphabetic)
        && b.last() != Some(&b' ')
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b" .,:;()?/'%-+=@".contains(c));
    plain.then(|| format!("<p>{md}</p>\n"))
}

/// What both cleaners keep: ids and classes, the task-list checkbox, links
/// as written (no `rel` added, relative URLs as they are).
fn cleaner() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class"])
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .link_rel(None)
        .url_relative(ammonia::UrlRelative::PassThrough);
    b
}

fn clean(raw: &str) -> String {
    // Built once: a Builder holds a dozen sets of allowed names.
    static CLEANER: std::sync::LazyLock<ammonia::Builder<'static>> =
        std::sync::LazyLock::new(cleaner);
    CLEANER.clean(raw).to_string()
}

/// The cleaner for a runbook that kept raw tags: event handlers, styles
/// (but a table cell's alignment) and unsafe URLs go.
fn clean_runbook(raw: &str) -> String {
    static CLEANER: std::sync::LazyLock<ammonia::Builder<'static>> =
        std::sync::LazyLock::new(|| {
            let mut b = cleaner();
            b.add_tag_attributes("div", ["role", "align"])
                .add_tag_attributes("p", ["align"])
                .add_tag_attributes("img", ["align"])
                .add_tag_attributes("details", ["open"])
                .add_tag_attributes("td", ["align"])
                .add_tag_attributes("th", ["align"])
                .attribute_filter(|_, attr, value| {
                    let alignment = matches!(
                        value,
                        "text-align: left" | "text-align: center" | "text-align: right"
                    );
                    (attr != "style" || alignment).then_some(value.into())
                });
            b
        });
    CLEANER.clean(raw).to_string()
}

/// Links the words of sanitised `html` that `link` knows (record ids
/// written in a report's text) to the URL it gives. Words inside tags,
/// character references, links and code are left alone; a word is a run of
/// letters, digits, `-`, `_` and `.` without a final `.`.
pub fn link_words(html: &str, link: &dyn Fn(&str) -> Option<String>) -> String {
    let word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.');
    let mut out = String::with_capacity(html.len());
    // Open `<a>` and `<code>`/`<pre>` elements around the text.
    let (mut in_a, mut in_code) = (0usize, 0usize);
    let mut rest = html;
    while !rest.is_empty() {
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            let (tag, after) = rest.split_at(end);
            let name: String = tag
                .trim_start_matches(['<', '/'])
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            let closing = tag.starts_with("</");
            let counter = match name.as_str() {
                "a" => Some(&mut in_a),
                "code" | "pre" => Some(&mut in_code),
                _ => None,
            };
            if let Some(n) = counter {
                *n = if closing { n.saturating_sub(1) } else { *n + 1 };
            }
            out.push_str(tag);
            rest = after;
        } else if rest.starts_with('&') {
            let end = rest.find(';').map_or(1, |e| e + 1);
            let (entity, after) = rest.split_at(end);
            out.push_str(entity);
            rest = after;
        } else {
            let len = rest.find(|c: char| !word(c)).unwrap_or(rest.len());
            if len == 0 {
                let c = rest.chars().next().map_or(1, char::len_utf8);
                out.push_str(&rest[..c]);
                rest = &rest[c..];
                continue;
            }
            let (w, after) = rest.split_at(len);
            let core = w.trim_end_matches('.');
            // A word within a URL or a mail address written as text stays
            // as it is: the run of text around it (to the nearest space or
            // tag) holds `://` or `@`, or starts with `www.`.
            let in_url = || {
                let start = out
                    .rfind(|c: char| c.is_whitespace() || c == '>')
                    .map_or(0, |i| i + out[i..].chars().next().map_or(1, char::len_utf8));
                let end = after
                    .find(|c: char| c.is_whitespace() || c == '<')
                    .unwrap_or(after.len());
                let run = format!("{}{w}{}", &out[start..], &after[..end]);
                run.contains("://") || run.contains('@') || run.starts_with("www.")
            };
            let target = (in_a + in_code == 0).then(|| link(core)).flatten();
            match target.filter(|_| !in_url()) {
                Some(url) => {
                    out.push_str(&format!(
                        "<a href=\"{}\">{core}</a>{}",
                        crate::escape::markup(&url),
                        &w[core.len()..]
                    ));
                }
                None => out.push_str(w),
            }
            rest = after;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_urls_are_dropped() {
        assert_eq!(safe_url("https://x.example/a"), "https://x.example/a");
        assert_eq!(safe_url("../a/b.md"), "../a/b.md");
        assert_eq!(safe_url("/a?x=1:2"), "/a?x=1:2");
        assert_eq!(safe_url("javascript:alert(1)"), "#");
        assert_eq!(safe_url(" JaVa\tScript:alert(1)"), "#");
        assert_eq!(safe_url("data:text/html,<b>"), "#");
    }

    proptest::proptest! {
        /// Plain prose renders as pulldown-cmark would render it.
        #[test]
        fn plain_paragraphs_need_no_parser(text in "[A-Za-z0-9 .,:;()?/'%+=@-]{0,40}") {
            if let Some(fast) = plain_paragraph(&text) {
                proptest::prop_assert_eq!(fast, to_html(&text, &|d| d.to_owned()));
            }
        }

        /// Markdown without `<` or `[` renders to HTML that ammonia leaves
        /// as it is (but for spelling `<br />` and `&#39;` differently), which is why
        /// `inline_html` may skip cleaning it.
        #[test]
        fn text_without_brackets_needs_no_cleaning(
            md in "([a-z0-9 ]|\\*|_|`|#|-|>|\\||~|!|\\(|\\)|:|&|\"|'|=|/|\\\\|\\.|\n|\t|1\\. |- \\[x\\] ){0,60}"
        ) {
            let md = md.replace('[', "");
            let html = to_html(&md, &|d| d.to_owned());
            // The two serializers spell some things differently.
            let norm = |s: &str| s.replace(" />", ">").replace("&#39;", "'");
            proptest::prop_assert_eq!(norm(&clean(&html)), norm(&html));
        }
    }

    #[test]
    fn inline_html_cleans_what_can_carry_markup() {
        let out =
            inline_html("<script>alert(1)</script> [x](javascript:alert(1)) <b onclick=x>y</b>");
        assert!(
            !out.contains("<script") && !out.contains("<b ") && !out.contains("href=\"javascript"),
            "{out}"
        );
        assert_eq!(
            inline_html("**Fixed** at 10:05 & `done`"),
            "<p><strong>Fixed</strong> at 10:05 &amp; <code>done</code></p>\n"
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("O&M escalation"), "o-m-escalation");
        assert_eq!(
            slugify("Up to 5 minutes from the report"),
            "up-to-5-minutes-from-the-report"
        );
        assert_eq!(slugify("  --Hello, World!-- "), "hello-world");
        assert_eq!(slugify("!!!"), "section");
    }

    #[test]
    fn repeated_headings_are_numbered() {
        let o = outline("# Example\n## Example\n## Example\n");
        let ids: Vec<_> = o.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["example", "example-1", "example-2"]);
    }

    #[test]
    fn links_outside_code_only() {
        let o = outline("[a](x.md) and `[b](y.md)`\n\n    [c](z.md)\n");
        let d: Vec<_> = o.links.iter().map(|l| l.dest.as_str()).collect();
        assert_eq!(d, ["x.md"]);
    }

    #[test]
    fn html_has_ids_and_no_scripts() {
        let h = to_html(
            "## Hello there\n<script>alert(1)</script>\n[x](a.md) [y](javascript:alert(1)) <b onclick=x>b</b>",
            &|d| format!("/r/{d}"),
        );
        assert!(h.contains(r#"<h2 id="hello-there">"#), "{h}");
        // A script goes with its content; an allowed tag loses its handler.
        assert!(!h.contains("script") && !h.contains("alert(1)<"), "{h}");
        assert!(h.contains("<b>b</b>"), "{h}");
        assert!(h.contains(r##"href="/r/#""##), "{h}");
        assert!(h.contains(r#"href="/r/a.md""#), "{h}");
        let i = inline_html("<img src=x onerror=alert(1)> [z](javascript:x)");
        assert!(!i.contains("<img"), "{i}");
    }

    #[test]
    fn tables_tasks_footnotes_strike() {
        let h = to_html(
            "|a|b|\n|-|-|\n|1|2|\n\n- [x] done\n\n~~old~~ text[^1]\n\n[^1]: note\n",
            &|d| d.to_owned(),
        );
        assert!(h.contains("<table>"), "{h}");
        assert!(
            h.contains(r#"<input type="checkbox" disabled checked aria-label="Done">"#),
            "{h}"
        );
        assert!(h.contains("<del>"), "{h}");
        assert!(h.contains("footnote"), "{h}");
    }

    /// A fuzzed runbook: NUL and other control characters never reach HTML.
    #[test]
    fn no_control_characters_in_html() {
        for md in [
            "c\0\0<a href=\"\0javascript:x\">\u{1}",
            "plain\0 text\u{8}",
            "# T\0\n\ntext",
        ] {
            for html in [to_html(md, &|d| d.to_owned()), inline_html(md)] {
                assert!(
                    !html
                        .chars()
                        .any(|c| c < ' ' && !matches!(c, '\t' | '\n' | '\r')),
                    "{md:?} -> {html:?}"
                );
            }
        }
    }

    #[test]
    fn heading_attributes_set_the_id() {
        let md = "## Overview {#overview .lead}\n\n## Overview\n\n## Steps {#steps}\n";
        let o = outline(md);
        let ids: Vec<&str> = o.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, vec!["overview", "overview-1", "steps"]);
        assert_eq!(
            o.headings.first().map(|h| h.text.as_str()),
            Some("Overview")
        );
        let html = to_html(md, &|d| d.to_owned());
        assert!(
            html.contains("<h2 id=\"overview\" class=\"lead\">Overview</h2>"),
            "{html}"
        );
        assert!(!html.contains('{'), "{html}");
        let (_, h1) = outline_and_first_h1("text\n\n# Title {#t}\n\n# Again\n");
        assert_eq!(h1, Some((6..19, "Title".to_owned())));
        // Under the page's title, a body's `#` is an `<h2>`.
        let html = to_html("# Other name\n", &|d| d.to_owned());
        assert_eq!(html, "<h2 id=\"other-name\">Other name</h2>\n");
    }

    #[test]
    fn shortcodes_outside_code() {
        let md = "[a]({{< ref \"x.md\" >}}) {{% relref \"/y.md#b\" %}}\n`{{< hint >}}`\n\n    {{< hint >}}\n\n{{ youtube(id=\"v\") }} {{range .x}} {{< /hint >}}\n";
        let got: Vec<(String, Option<String>)> = shortcodes(md)
            .into_iter()
            .map(|s| (s.name, s.target))
            .collect();
        assert_eq!(
            got,
            vec![
                ("ref".to_owned(), Some("x.md".to_owned())),
                ("relref".to_owned(), Some("/y.md#b".to_owned())),
                ("youtube".to_owned(), None),
                ("/hint".to_owned(), None),
            ]
        );
        let first = shortcodes(md).into_iter().next().map(|s| s.range);
        assert_eq!(first, Some(4..22));
    }

    #[test]
    fn html_comments_are_not_shown() {
        let md = "<!--\nCopyright 2024 The Authors.\nLicensed under Apache 2.0.\n-->\n\n# Title\n\nText <!-- note --> more, and <b>raw</b>.\n";
        let html = to_html(md, &|d| d.to_owned());
        assert!(
            !html.contains("Copyright") && !html.contains("note"),
            "{html}"
        );
        assert!(html.contains("Text  more, and <b>raw</b>."), "{html}");
    }

    #[test]
    fn raw_html_is_sanitised_not_escaped() {
        let md = "<details>\n<summary>Logs</summary>\n\nRun `tail`.<br>Press <kbd>Ctrl</kbd>+<kbd>C</kbd> on <pod-name>.\n\n</details>\n\n\
| a | b |\n|:-|-:|\n| 1 | 2 |\n\n\
<div style=\"color:red\" onclick=\"x()\" align=\"center\"><a href=\"javascript:alert(1)\">j</a> <img src=\"img/f.png\" onerror=\"x()\"></div>\n\n<h1>Raw</h1>\n";
        let h = to_html(md, &|d| d.replace("img/", "/r/img/"));
        for kept in [
            "<details>\n<summary>Logs</summary>",
            "<p>Run <code>tail</code>.<br>Press <kbd>Ctrl</kbd>+<kbd>C</kbd> on &lt;pod-name&gt;.</p>",
            "</details>",
            r#"<th style="text-align: left">a</th>"#,
            r##"<div align="center"><a href="#">j</a> <img src="/r/img/f.png"></div>"##,
            "&lt;h1&gt;Raw&lt;/h1&gt;",
        ] {
            assert!(h.contains(kept), "{kept} in {h}");
        }
        for gone in ["style=\"color", "onclick", "onerror", "javascript"] {
            assert!(!h.contains(gone), "{gone} in {h}");
        }
        // Record text keeps showing every tag as text.
        let i = inline_html("Press <kbd>Ctrl</kbd>");
        assert!(i.contains("&lt;kbd&gt;"), "{i}");
    }

    #[test]
    fn headings_never_take_the_pages_own_ids() {
        let o = outline("## Main\n\n## Main\n");
        let ids: Vec<&str> = o.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["main-1", "main-2"]);
        let html = to_html_among(
            "## Main\n\n## Main\n",
            &|d| d.to_owned(),
            &mut IdMaker::for_page(),
        );
        assert!(
            html.contains("id=\"main-1\"") && html.contains("id=\"main-2\""),
            "{html}"
        );
    }

    #[test]
    fn an_unclosed_dropped_tag_is_text_and_nothing_after_it_is_lost() {
        for md in [
            "Run kubectl describe <object> <name> to see it.\n\n## Next step\n\ntext\n",
            "Replace <title> and <script> here.\n\n## Next step\n\ntext\n",
        ] {
            let h = to_html(md, &|d| d.to_owned());
            assert!(
                h.contains("<h2 id=\"next-step\">Next step</h2>"),
                "{md}: {h}"
            );
            assert!(h.contains("<p>text</p>"), "{md}: {h}");
            assert!(!h.contains("<script") && !h.contains("<style"), "{h}");
        }
        // An unclosed `<style>` starting a block runs to the end (CommonMark's
        // HTML block of kind 1): shown as the text it is, not lost.
        let h = to_html("<style>\n\n## Next step\n", &|d| d.to_owned());
        assert!(
            h.contains("&lt;style&gt;") && h.contains("## Next step"),
            "{h}"
        );
        let h = to_html(
            "a <script>x()</script> b\n\n<style>\np {}\n</style>\n\nafter\n",
            &|d| d.to_owned(),
        );
        assert!(
            !h.contains("x()") && !h.contains("p {}") && h.contains("after"),
            "{h}"
        );
    }

    #[test]
    fn own_ids_are_numbered_when_taken() {
        let o = outline("## A {#same}\n## B {#same}\n## Setup\n## E {#setup}\n## X {#main}\n");
        let ids: Vec<&str> = o.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["same", "same-1", "setup", "setup-1", "main-1"]);
    }

    #[test]
    fn github_alerts_are_call_outs() {
        let html = to_html(
            "> [!WARNING]\n> Purging slows the shop.\n\n> A plain quote.\n",
            &|d| d.to_owned(),
        );
        assert_eq!(
            html,
            "<div class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">Warning</p>\n<p>Purging slows the shop.</p>\n</div>\n<blockquote>\n<p>A plain quote.</p>\n</blockquote>\n"
        );
    }

    #[test]
    fn words_become_links_outside_links_and_code() {
        let link = |w: &str| (w == "INC-1").then(|| "/incidents/INC-1/".to_owned());
        assert_eq!(
            link_words("<p>See INC-1. Not INC-12, <code>INC-1</code>, <a href=\"x\">INC-1</a> or &amp;INC-1x.</p>", &link),
            "<p>See <a href=\"/incidents/INC-1/\">INC-1</a>. Not INC-12, <code>INC-1</code>, <a href=\"x\">INC-1</a> or &amp;INC-1x.</p>"
        );
        assert_eq!(
            link_words("é INC-1", &link),
            "é <a href=\"/incidents/INC-1/\">INC-1</a>"
        );
    }
}
