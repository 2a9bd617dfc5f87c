//! Runbooks: `content/**/*.md` with YAML front matter.

use crate::diag::rules;
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
    pub body: String,
    /// Line of the file where the body starts (1-based).
    pub body_line: u32,
    pub outline: Outline,
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

    /// Line and column in the file of a byte offset in the body.
    pub fn body_pos(&self, offset: usize) -> Pos {
        let before = self.body.get(..offset).unwrap_or(&self.body);
        let line = before.matches('\n').count() as u32;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32;
        Pos::new(self.body_line + line, col + 1)
    }
}

/// Splits `---` front matter from the body. Returns the YAML, the body and
/// the line the body starts on; `Err(line)` when the block never closes.
pub fn split_front_matter(text: &str) -> Result<(Option<&str>, &str, u32), u32> {
    let t = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = t.find('\n').unwrap_or(t.len());
    if t.get(..first_end).map(str::trim_end) != Some("---") {
        return Ok((None, t, 1));
    }
    let mut offset = first_end + 1;
    let mut line = 2u32;
    while offset <= t.len() {
        let rest = t.get(offset..).unwrap_or("");
        let end = rest.find('\n').map_or(t.len(), |i| offset + i);
        let l = t.get(offset..end).unwrap_or("");
        if l.trim_end() == "---" || l.trim_end() == "..." {
            let yaml = t.get(first_end + 1..offset).unwrap_or("");
            let body = t.get((end + 1).min(t.len())..).unwrap_or("");
            return Ok((Some(yaml), body, line + 1));
        }
        if end >= t.len() {
            break;
        }
        offset = end + 1;
        line += 1;
    }
    Err(1)
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
    let (fm, body, body_line) = match split_front_matter(text) {
        Ok(x) => x,
        Err(line) => {
            r.emit(
                &rules::YAML,
                Pos::new(line, 1),
                "the front matter opened with `---` never closes",
                "end the front matter with a line of `---`",
            );
            rb.input_errors = true;
            rb.body = text.to_owned();
            return (rb, r.out);
        }
    };
    rb.body = body.to_owned();
    rb.body_line = body_line;
    rb.outline = markdown::outline(body);
    match fm {
        None if !is_index => {
            r.schema(
                Pos::START,
                "the runbook has no front matter",
                "start the file with `---`, `title: ...`, `---`",
            );
        }
        None => {}
        Some(y) => match yaml::parse(y) {
            Err(e) => r.emit(
                &rules::YAML,
                e.pos.shifted(1),
                format!("front matter: {}", e.message),
                "",
            ),
            Ok(mut node) => {
                // Front-matter lines count from the line after `---`.
                node.shift_lines(1);
                read_fields(&mut r, &node, &mut rb, cfg);
            }
        },
    }
    if rb.title.is_empty() {
        rb.title = default_title(&rb.slug);
    }
    rb.input_errors = r.has_input_errors();
    (rb, r.out)
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

fn read_fields(r: &mut Reader, node: &yaml::Node, rb: &mut Runbook, cfg: &Config) {
    let Some(f) = r.fields(node, KEYS, "the front matter") else {
        return;
    };
    if !rb.is_index {
        r.require(&f, &["title"], Pos::START, "the front matter");
    }
    for (k, v) in f {
        match k {
            "title" => {
                rb.title = r.text(v, k).unwrap_or_default();
                rb.title_pos = v.pos;
            }
            "description" => rb.description = r.text(v, k),
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
                rb.last_reviewed = r.date(v, k);
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
    fn front_matter_split() {
        let (fm, body, line) = split_front_matter("---\ntitle: A\n---\n# Hi\n").unwrap();
        assert_eq!(fm, Some("title: A\n"));
        assert_eq!(body, "# Hi\n");
        assert_eq!(line, 4);
        assert!(split_front_matter("---\ntitle: A\n").is_err());
        assert_eq!(split_front_matter("# No fm").unwrap().0, None);
    }

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
}
