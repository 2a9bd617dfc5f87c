//! Runbooks: `content/**/*.md`, with front matter in YAML, TOML or JSON,
//! or none (FORMATS.md, "Runbooks from other tools").

use crate::diag::rules;
use crate::frontmatter;
use crate::markdown::{self, Outline};
use crate::model::config::Config;
use crate::model::read::Reader;
use crate::yaml::{self, Pos};
use chrono::{Duration, NaiveDate};

const KEYS: &[&str] = &[
    "title",
    "description",
    "services",
    "levels",
    "owner",
    "last_reviewed",
    "review_every",
    "tags",
    "weight",
    "draft",
    // Other tools' keys with a meaning sitrep shares: read, not reported.
    "summary",
    "linkTitle",
    "aliases",
];

#[derive(Debug, Clone, Default)]
pub struct Runbook {
    /// Path relative to the site, with `/` (`content/outage/high.md`).
    pub file: String,
    /// Path below `content/` without `.md`; for `_index.md`, the section.
    pub slug: String,
    /// An `_index.md` section page.
    pub is_index: bool,
    pub title: String,
    pub description: Option<String>,
    pub services: Vec<String>,
    pub levels: Vec<i64>,
    pub owner: Option<String>,
    pub last_reviewed: Option<NaiveDate>,
    pub last_reviewed_pos: Pos,
    pub review_every: Option<Duration>,
    pub tags: Vec<String>,
    pub weight: i64,
    pub draft: bool,
    /// The title in lists (`linkTitle`), when it differs from the page's.
    pub link_title: Option<String>,
    /// Old paths that redirect to this page (`aliases`).
    pub aliases: Vec<String>,
    pub body: String,
    /// Line of the file where the body starts (1-based).
    pub body_line: u32,
    pub outline: Outline,
    /// The id of the body's first `#` heading when it gave the title and
    /// is not repeated: the page's title takes it.
    pub title_id: Option<String>,
    /// Whether the file had input errors (procedure rules skip it).
    pub input_errors: bool,
    /// Position of `title:` or the file start, for file-level findings.
    pub title_pos: Pos,
}

impl Runbook {
    /// The section folder below `content/` (`outage` for `outage/high`).
    pub fn section(&self) -> &str {
        if self.is_index {
            return &self.slug;
        }
        self.slug.rsplit_once('/').map_or("", |(s, _)| s)
    }

    /// The title in lists: `linkTitle` when set, else the title.
    pub fn list_title(&self) -> &str {
        self.link_title.as_deref().unwrap_or(&self.title)
    }

    /// Line and column in the file of a byte offset in the body.
    pub fn body_pos(&self, offset: usize) -> Pos {
        let before = self.body.get(..offset).unwrap_or(&self.body);
        let line = before.matches('\n').count() as u32;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32;
        Pos::new(self.body_line + line, col + 1)
    }
}

/// Reads one runbook. `rel` is below `content/` (`outage/high.md`).
pub fn read(
    file: &str,
    rel: &str,
    text: &str,
    cfg: &Config,
) -> (Runbook, Vec<crate::diag::Diagnostic>) {
    let mut r = Reader::new(file, cfg.timezone);
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let is_index = stem == "_index" || stem.ends_with("/_index");
    let slug = if is_index {
        stem.strip_suffix("_index")
            .unwrap_or("")
            .trim_end_matches('/')
            .to_owned()
    } else {
        stem.to_owned()
    };
    let mut rb = Runbook {
        file: file.to_owned(),
        slug,
        is_index,
        title: String::new(),
        title_pos: Pos::START,
        last_reviewed_pos: Pos::START,
        ..Runbook::default()
    };
    let split = match frontmatter::split(text) {
        Ok(x) => x,
        Err(e) => {
            let (open, close) = match e.format {
                frontmatter::Format::Yaml => ("`---`", "a line of `---`"),
                frontmatter::Format::Toml => ("`+++`", "a line of `+++`"),
                frontmatter::Format::Json => ("`{`", "the `}` that matches it"),
            };
            r.emit(
                &rules::YAML,
                Pos::new(e.line, 1),
                format!("the front matter opened with {open} never closes"),
                &format!("end the front matter with {close}"),
            );
            rb.input_errors = true;
            rb.body = text.to_owned();
            return (rb, r.out);
        }
    };
    rb.body = split.body.to_owned();
    rb.body_line = split.body_line;
    if let Some((format, front)) = split.front {
        match frontmatter::parse(format, front, split.front_line) {
            Err(e) => r.emit(
                &rules::YAML,
                e.pos,
                format!("front matter: {}", e.message),
                "",
            ),
            Ok(node) => {
                if !rb.is_index {
                    // sitrep's own rule since v1: front matter names the page.
                    if let Some(f) = node.as_map() {
                        if !f
                            .iter()
                            .any(|(k, v)| k.as_str() == Some("title") && !v.is_null())
                        {
                            r.schema(
                                node.pos,
                                "the front matter lacks the required `title`",
                                "add `title:`",
                            );
                        }
                    }
                }
                read_fields(&mut r, &node, &mut rb, cfg);
            }
        }
    }
    shortcodes(&mut r, &mut rb);
    // The page shows the title once: a first `#` heading that is the title
    // (or gives it, without front matter) is not repeated in the body. It
    // becomes blanks of the same length, so positions after it stay right.
    let (outline, h1) = markdown::outline_and_first_h1(&rb.body);
    if let Some((range, text)) = h1 {
        if rb.title.is_empty() || same_words(&rb.title, &text) {
            if rb.title.is_empty() {
                rb.title = text;
            }
            let blank: String = rb
                .body
                .get(range.clone())
                .unwrap_or("")
                .chars()
                .map(|c| {
                    if c == '\n' {
                        "\n".to_owned()
                    } else {
                        " ".repeat(c.len_utf8())
                    }
                })
                .collect();
            rb.body.replace_range(range, &blank);
            // The page's `<h1>` carries its id, so links to it still work;
            // it stays in the outline for them (the contents list skips it).
            rb.title_id = outline
                .headings
                .iter()
                .find(|h| h.level == 1)
                .map(|h| h.id.clone());
        }
    }
    rb.outline = outline;
    if rb.title.is_empty() {
        rb.title = default_title(&rb.slug);
    }
    rb.input_errors = r.has_input_errors();
    (rb, r.out)
}

/// Where an alias's redirect page goes, below the output: `/old/name/` →
/// `old/name/index.html`, `/old.html` as it is; a relative alias is below
/// the page's section (Hugo's rule), which the caller prefixes. `None` for
/// what is no path here: a URL, `..`, a query, an empty path.
pub fn alias_path(alias: &str) -> Option<String> {
    let a = alias.trim();
    if a.contains("://")
        || a.contains(['?', '#', '\\', ':'])
        || a.chars().any(char::is_control)
        || a.starts_with("//")
    {
        return None;
    }
    let parts: Vec<&str> = a
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() || parts.iter().any(|p| *p == ".." || p.starts_with('.')) {
        return None;
    }
    let path = parts.join("/");
    Some(if path.ends_with(".html") || path.ends_with(".htm") {
        path
    } else {
        format!("{path}/index.html")
    })
}

/// Hugo's `ref`/`relref` become the path they name (padded to the same
/// length, so positions after them stay right, and inside a link's
/// parentheses spaces before `)` are allowed); any other shortcode stays
/// text and is reported (rule `unsupported-shortcode`).
fn shortcodes(r: &mut Reader, rb: &mut Runbook) {
    let found = markdown::shortcodes(&rb.body);
    for sc in found.iter().rev() {
        match &sc.target {
            Some(path) if path.len() <= sc.range.len() => {
                let padded = format!("{path:<width$}", width = sc.range.len());
                rb.body.replace_range(sc.range.clone(), &padded);
            }
            _ if sc.name.starts_with('/') => {}
            _ => {
                let text = rb.body.get(sc.range.clone()).unwrap_or("").to_owned();
                r.emit(
                    &rules::UNSUPPORTED_SHORTCODE,
                    rb.body_pos(sc.range.start),
                    format!("the shortcode `{}` is shown on the page as text: sitrep does not run shortcodes", text.chars().take(80).collect::<String>()),
                    "write what it shows as Markdown (a link, a list, a `> [!NOTE]` call-out), or remove it",
                );
            }
        }
    }
}

/// Whether a heading says the title, as other tools write one beside the
/// other (`Kube Pod Crash Looping` and `# KubePodCrashLooping`): the same
/// letters and digits, whatever the case, spaces and punctuation.
fn same_words(title: &str, heading: &str) -> bool {
    let key = |t: &str| -> String {
        t.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let k = key(title);
    !k.is_empty() && k == key(heading)
}

/// A date, or (as other tools write it) a date-time whose date is taken.
fn last_reviewed(r: &mut Reader, v: &yaml::Node) -> Option<NaiveDate> {
    let t = v.scalar_text().unwrap_or_default();
    let t = t.trim();
    if t.len() > 10 && t.is_char_boundary(10) {
        let (date, rest) = t.split_at(10);
        if rest.starts_with(['T', 't', ' ']) {
            if let (Some(d), Some(_)) = (
                crate::time::parse_date(date),
                crate::time::parse_now(t, &crate::time::Zone::default()),
            ) {
                return Some(d);
            }
        }
    }
    r.date(v, "last_reviewed")
}

fn default_title(slug: &str) -> String {
    let last = slug.rsplit('/').next().unwrap_or(slug);
    let mut t = last.replace(['-', '_'], " ");
    if let Some(c) = t.get(..1) {
        let up = c.to_uppercase();
        t.replace_range(..1, &up);
    }
    if t.is_empty() {
        "Runbooks".to_owned()
    } else {
        t
    }
}

/// Front-matter keys: those sitrep knows are read; a likely typo of one is
/// a `schema` error ("did you mean"); another tool's key is an
/// `unknown-key` warning, unless `front_matter.ignore` lists it.
fn known_fields<'n, 'a>(
    r: &mut Reader,
    node: &'n yaml::Node<'a>,
    cfg: &Config,
) -> Option<Vec<(&'static str, &'n yaml::Node<'a>)>> {
    let entries = r.mapping(node, "the front matter")?;
    let mut out = Vec::with_capacity(entries.len());
    for (k, v) in entries {
        let key = k.scalar_text().unwrap_or_default();
        if let Some(known) = KEYS.iter().find(|a| **a == key) {
            out.push((*known, v));
        } else if let Some(near) = likely_typo(&key) {
            r.schema(
                k.pos,
                format!("unknown key `{key}` in the front matter"),
                &format!("did you mean `{near}`?"),
            );
        } else if !cfg.front_matter_ignore.iter().any(|i| *i == key) {
            r.emit(
                &rules::UNKNOWN_KEY,
                k.pos,
                format!("the front matter key `{key}` means nothing to sitrep; the page ignores it"),
                &format!("remove it, or list it under `front_matter: {{ ignore: [{key}] }}` in sitrep.yaml to keep it quietly"),
            );
        }
    }
    Some(out)
}

/// The known key `key` is a likely typo of: one edit away (a swapped pair
/// counts as one), two for long keys, ignoring case. Closer than
/// `did_you_mean`: other tools' keys (`date`, `menu`) are near ours by that
/// measure and are not typos.
fn likely_typo(key: &str) -> Option<&'static str> {
    let lower = key.to_lowercase();
    KEYS.iter()
        .map(|k| (strsim::osa_distance(&lower, &k.to_lowercase()), *k))
        .filter(|(d, k)| *d <= if k.len() >= 10 { 2 } else { 1 })
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn read_fields(r: &mut Reader, node: &yaml::Node, rb: &mut Runbook, cfg: &Config) {
    let Some(f) = known_fields(r, node, cfg) else {
        return;
    };
    for (k, v) in f {
        match k {
            "title" => {
                rb.title = r.text(v, k).unwrap_or_default();
                rb.title_pos = v.pos;
            }
            "description" => rb.description = r.text(v, k),
            // Hugo's `summary` is sitrep's `description`, unless both are set.
            "summary" => {
                let t = r.text(v, k);
                if rb.description.is_none() {
                    rb.description = t;
                }
            }
            "linkTitle" => rb.link_title = r.text(v, k).filter(|t| !t.trim().is_empty()),
            "aliases" => {
                let list = if v.as_seq().is_some() {
                    r.text_list(v, k)
                } else {
                    r.text(v, k).map(|t| (t, v.pos)).into_iter().collect()
                };
                for (alias, pos) in list {
                    match alias_path(&alias) {
                        Some(_) => rb.aliases.push(alias),
                        None => r.schema(
                            pos,
                            format!("`aliases`: `{alias}` is not a path on this site"),
                            "write the old path of the page, like /old/name/ (relative paths are below the page's section)",
                        ),
                    }
                }
            }
            "owner" => rb.owner = r.text(v, k).filter(|o| !o.trim().is_empty()),
            "services" => {
                for (s, pos) in r.text_list(v, k) {
                    if cfg.service(&s).is_none() {
                        let help = crate::diag::did_you_mean(
                            &s,
                            cfg.services.iter().map(|s| s.id.as_str()),
                        )
                        .map_or_else(
                            || format!("services in sitrep.yaml: {}", cfg.service_list()),
                            |m| format!("did you mean `{m}`?"),
                        );
                        r.emit(
                            &rules::UNKNOWN_SERVICE,
                            pos,
                            format!("service `{s}` is not in the catalog of sitrep.yaml"),
                            &help,
                        );
                    }
                    rb.services.push(s);
                }
            }
            "levels" => {
                for item in r.list(v, k) {
                    match item
                        .scalar_text()
                        .and_then(|t| t.trim().parse::<i64>().ok())
                    {
                        Some(l) if cfg.policy.level(l).is_some() => rb.levels.push(l),
                        _ => {
                            let t = item.scalar_text().unwrap_or_default();
                            r.emit(
                                &rules::UNKNOWN_LEVEL,
                                item.pos,
                                format!("level `{t}` is not defined by the policy"),
                                &format!("defined levels: {}", cfg.policy.level_list()),
                            );
                        }
                    }
                }
            }
            "last_reviewed" => {
                rb.last_reviewed = last_reviewed(r, v);
                rb.last_reviewed_pos = v.pos;
            }
            "review_every" => rb.review_every = r.duration(v, k),
            "tags" => rb.tags = r.text_list(v, k).into_iter().map(|(t, _)| t).collect(),
            "weight" => rb.weight = r.integer(v, k).unwrap_or(0),
            "draft" => rb.draft = r.boolean(v, k).unwrap_or(false),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_point_into_the_file() {
        let cfg = Config::default();
        let (rb, d) = read(
            "content/a.md",
            "a.md",
            "---\ntitle: A\nservices: [nope]\n---\nbody\n",
            &cfg,
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].rule.id, "unknown-service");
        assert_eq!((d[0].line, d[0].column), (3, 12));
        assert!(rb.input_errors);
    }

    #[test]
    fn index_pages() {
        let cfg = Config::default();
        let (rb, d) = read(
            "content/outage/_index.md",
            "outage/_index.md",
            "---\ntitle: Outages\nweight: 1\n---\nIntro\n",
            &cfg,
        );
        assert!(d.is_empty());
        assert!(rb.is_index);
        assert_eq!(rb.slug, "outage");
    }

    #[test]
    fn front_matter_of_other_tools() {
        let cfg = Config::default();
        let read_one = |text: &str| read("content/a.md", "a.md", text, &cfg);
        // TOML, with a date-time review date.
        let (rb, d) =
            read_one("+++\ntitle = \"Disk\"\nlast_reviewed = 2026-04-02T09:00:00Z\n+++\nbody\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(rb.title, "Disk");
        assert_eq!(
            rb.last_reviewed.map(|d| d.to_string()).as_deref(),
            Some("2026-04-02")
        );
        assert_eq!(rb.body_line, 5);
        // JSON, `summary` as the description.
        let (rb, d) =
            read_one("{\n  \"title\": \"Cache\",\n  \"summary\": \"Stale prices\"\n}\nbody\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(rb.description.as_deref(), Some("Stale prices"));
        // None: the first `#` heading is the title, and is not repeated.
        let (rb, d) = read_one("<!-- licence -->\n# Node not ready\n\nCheck the kubelet.\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(rb.title, "Node not ready");
        assert_eq!(
            rb.body,
            "<!-- licence -->\n                \n\nCheck the kubelet.\n"
        );
        assert_eq!(rb.title_id.as_deref(), Some("node-not-ready"));
        assert!(rb.outline.headings.iter().all(|h| h.level == 1));
        // None and no heading: the file name.
        let (rb, _) = read_one("Just text.\n");
        assert_eq!(rb.title, "A");
        // A heading equal to the title is not repeated; another one stays.
        let (rb, _) = read_one("---\ntitle: Disk full\n---\n# Disk full\ntext\n");
        assert_eq!(rb.body, "           \ntext\n");
        let (rb, _) =
            read_one("---\ntitle: Kube Pod Crash Looping\n---\n# KubePodCrashLooping\ntext\n");
        assert_eq!(rb.body.trim_start(), "text\n");
        assert_eq!(rb.title_id.as_deref(), Some("kubepodcrashlooping"));
        let (rb, _) = read_one("---\ntitle: Disk full\n---\n# Overview\ntext\n");
        assert_eq!(rb.body, "# Overview\ntext\n");
        assert_eq!(rb.title_id, None);
    }

    #[test]
    fn typos_are_errors_other_keys_warnings() {
        let cfg = Config::default();
        let (_, d) = read(
            "content/a.md",
            "a.md",
            "---\ntitle: A\ntitel: B\nOwner: C\ndate: 2026-01-01\nmenu: main\nlinkTitle: A2\naliases: /old/\n---\n",
            &cfg,
        );
        let got: Vec<(&str, u32)> = d.iter().map(|d| (d.rule.id, d.line)).collect();
        assert_eq!(
            got,
            vec![
                ("schema", 3),
                ("schema", 4),
                ("unknown-key", 5),
                ("unknown-key", 6)
            ]
        );
        assert!(d[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("did you mean `title`")));
    }

    #[test]
    fn aliases_are_paths_here() {
        assert_eq!(
            alias_path("/old/disk/").as_deref(),
            Some("old/disk/index.html")
        );
        assert_eq!(alias_path("old.html").as_deref(), Some("old.html"));
        assert_eq!(alias_path("./a//b").as_deref(), Some("a/b/index.html"));
        for bad in [
            "",
            "/",
            "../up",
            "/a/../../b",
            "https://x.example/a",
            "//x/a",
            "/a?b",
            "/.git/x",
            "a\\b",
            "a\u{0}b",
            "a\nb",
            "mailto:x",
        ] {
            assert_eq!(alias_path(bad), None, "{bad}");
        }
        let (rb, d) = read(
            "content/a.md",
            "a.md",
            "---\ntitle: A\naliases: [/ok/, ../../etc]\n---\n",
            &Config::default(),
        );
        assert_eq!(rb.aliases, ["/ok/"]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].rule.id, d[0].line), ("schema", 3));
    }
}
