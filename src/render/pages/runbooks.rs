//! The runbook index and the runbook pages.

use crate::check::{self};
use crate::markdown;
use crate::model::runbook::Runbook;
use crate::render::context::*;
use anyhow::Result;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// The id of the heading a `#fragment` names (its own id, or the one
/// GitHub would give it); the fragment itself when none does.
fn heading_id<'r>(rb: &'r Runbook, fragment: &'r str) -> &'r str {
    rb.outline
        .headings
        .iter()
        .find(|h| h.answers(fragment))
        .map_or(fragment, |h| h.id.as_str())
}

/// Runbooks a long section shows on the runbooks page; the rest are on
/// its own pages, [`SECTION_PAGE`] each (SITE.md, "Page weight").
pub(crate) const SECTION_SHOWN: usize = 25;
pub(crate) const SECTION_PAGE: usize = 500;

/// A section of the runbooks page.
pub(crate) struct Section<'a> {
    /// Its folder below `content/` (`""`: the runbooks directly in it).
    pub(crate) key: String,
    pub(crate) title: String,
    weight: i64,
    pub(crate) runbooks: Vec<&'a Runbook>,
    /// Its own pages: none when the runbooks page lists it whole.
    pub(crate) pages: usize,
}

impl<'a> Renderer<'a> {
    /// A section's anchor on the runbooks page (`general` for the
    /// runbooks directly under `content/`).
    pub(crate) fn section_anchor(&self, section: &str) -> String {
        self.prep
            .section_anchors
            .get(section)
            .cloned()
            .unwrap_or_else(|| {
                if section.is_empty() {
                    "general".to_owned()
                } else {
                    markdown::slugify(section)
                }
            })
    }

    /// The runbooks by section, in the order of the runbooks page, each
    /// sorted by weight and title (once per render).
    pub(crate) fn runbook_sections(&self) -> &[Section<'a>] {
        self.prep.runbook_sections.get_or_init(|| {
            let mut sections: BTreeMap<String, Vec<&'a Runbook>> = BTreeMap::new();
            for &rb in self.visible_runbooks() {
                sections
                    .entry(rb.section().to_owned())
                    .or_default()
                    .push(rb);
            }
            // `content/_index.md` introduces the whole page; it is no section.
            for idx in self
                .site
                .runbooks
                .iter()
                .filter(|r| r.is_index && !r.slug.is_empty())
            {
                sections.entry(idx.slug.clone()).or_default();
            }
            let slugs: std::collections::HashSet<&str> = self
                .visible_runbooks()
                .iter()
                .map(|r| r.slug.as_str())
                .collect();
            let mut list: Vec<Section<'a>> = sections
                .into_iter()
                .map(|(key, mut runbooks)| {
                    runbooks.sort_by(|a, b| {
                        a.weight
                            .cmp(&b.weight)
                            .then_with(|| a.list_title().cmp(b.list_title()))
                            .then_with(|| a.slug.cmp(&b.slug))
                    });
                    // Its own pages when the runbooks page would be too
                    // long, at its folder's address unless a runbook has it.
                    let paged = runbooks.len() > SECTION_SHOWN
                        && !key.is_empty()
                        && !slugs.contains(key.as_str());
                    Section {
                        weight: self.index_of(&key).map_or(0, |i| i.weight),
                        title: self.section_title(&key),
                        pages: if paged {
                            runbooks.len().div_ceil(SECTION_PAGE)
                        } else {
                            0
                        },
                        key,
                        runbooks,
                    }
                })
                .collect();
            list.sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.title.cmp(&b.title)));
            list
        })
    }

    fn runbook_entry(&self, r: &Runbook) -> Value {
        json!({"title": r.list_title(), "url": self.runbook_url(&r.slug), "description": r.description, "stale": self.is_stale(r)})
    }

    pub(crate) fn runbooks_index(&self) -> Result<Vec<u8>> {
        // The intros share the page: no heading id twice, none a section's.
        let mut ids = markdown::IdMaker::for_page();
        for anchor in self.prep.section_anchors.values() {
            ids.make_or(Some(&format!("section-{anchor}")), "");
        }
        let root = self.index_of("");
        let mut intro = |i: Option<&Runbook>| {
            i.filter(|i| !i.body.trim().is_empty())
                .map(|i| self.runbook_html_among(i, &mut ids))
        };
        let home = intro(root);
        let sections: Vec<Value> = self
            .runbook_sections()
            .iter()
            .map(|sec| {
                let shown = if sec.pages > 0 { SECTION_SHOWN } else { sec.runbooks.len() };
                json!({
                    "title": sec.title,
                    "anchor": self.section_anchor(&sec.key),
                    "intro": intro(self.index_of(&sec.key)),
                    "runbooks": sec.runbooks.iter().take(shown).map(|r| self.runbook_entry(r)).collect::<Vec<_>>(),
                    "count": sec.runbooks.len(),
                    "url": (sec.pages > 0).then(|| self.url(&format!("runbooks/{}/", sec.key))),
                })
            })
            .collect();
        self.render(
            "runbooks.html",
            json!({
                "title": root.map_or("Runbooks", |r| r.title.as_str()),
                "intro": home,
                "sections": sections,
            }),
        )
    }

    /// Page `n` of a long section's own list (`runbooks/<section>/`).
    pub(crate) fn runbook_section_page(&self, section: usize, n: usize) -> Result<Vec<u8>> {
        let Some(sec) = self.runbook_sections().get(section) else {
            return Ok(Vec::new());
        };
        let folder = format!("runbooks/{}/", sec.key);
        let start = (n.max(1) - 1) * SECTION_PAGE;
        let list = sec.runbooks.get(start..).unwrap_or(&[]);
        let mut ids = markdown::IdMaker::for_page();
        let intro = self
            .index_of(&sec.key)
            .filter(|i| !i.body.trim().is_empty() && n == 1)
            .map(|i| self.runbook_html_among(i, &mut ids));
        self.render(
            "runbooks.html",
            json!({
                "title": sec.title,
                "section_page": true,
                "sections": [{
                    "title": sec.title,
                    "anchor": self.section_anchor(&sec.key),
                    "intro": intro,
                    "runbooks": list.iter().take(SECTION_PAGE).map(|r| self.runbook_entry(r)).collect::<Vec<_>>(),
                    "count": sec.runbooks.len(),
                }],
                "pagination": self.pagination(&folder, n, sec.pages),
            }),
        )
    }

    /// A section's `_index.md` (`""`: `content/_index.md`).
    fn index_of(&self, section: &str) -> Option<&'a Runbook> {
        self.prep.sections.get(section).copied()
    }

    /// A runbook's HTML with `.md` links rewritten to page URLs.
    pub(crate) fn runbook_html(&self, rb: &Runbook) -> String {
        let mut ids = markdown::IdMaker::for_page();
        // The title heading went to the page's `<h1>`, with its id.
        if let Some(id) = &rb.title_id {
            ids.make_or(Some(id), "");
        }
        self.runbook_html_among(rb, &mut ids)
    }

    /// [`Self::runbook_html`] beside other texts on one page (`ids`).
    fn runbook_html_among(&self, rb: &Runbook, ids: &mut markdown::IdMaker) -> String {
        let rewrite = |dest: &str| -> String {
            match check::checked_link(&rb.file, dest) {
                Some((Some(file), frag)) => {
                    let target = self.site.runbook_by_file(&file);
                    let url = match target {
                        Some(t) if t.is_index && t.slug.is_empty() => self.url("runbooks/"),
                        Some(t) if t.is_index => format!(
                            "{}#section-{}",
                            self.url("runbooks/"),
                            self.section_anchor(&t.slug)
                        ),
                        Some(t) => self.runbook_url(&t.slug),
                        // A folder without `_index.md`: its section all the same.
                        None if self.site.is_section_index(&file) => format!(
                            "{}#section-{}",
                            self.url("runbooks/"),
                            self.section_anchor(
                                file.strip_prefix("content/")
                                    .and_then(|f| f.strip_suffix("/_index.md"))
                                    .unwrap_or("")
                            )
                        ),
                        None => return dest.to_owned(),
                    };
                    match (frag, target) {
                        (Some(f), Some(t)) if !f.is_empty() && !url.contains('#') => {
                            format!("{url}#{}", heading_id(t, &f))
                        }
                        (Some(f), None) if !f.is_empty() && !url.contains('#') => {
                            format!("{url}#{f}")
                        }
                        _ => url,
                    }
                }
                // `#anchor` on this page, as GitHub would have named it.
                Some((None, Some(f))) => format!("#{}", heading_id(rb, &f)),
                _ => self
                    .asset_url(&rb.file, dest)
                    .or_else(|| self.folder_url(&rb.file, dest))
                    .or_else(|| self.slug_url(dest))
                    .unwrap_or_else(|| dest.to_owned()),
            }
        };
        markdown::to_html_among(&rb.body, &rewrite, ids)
    }

    /// A relative link or image to a file copied from `content/`: its URL
    /// beside the page (`img/flow.png` from `content/db/a.md` →
    /// `/runbooks/db/img/flow.png`), its `?query` and `#fragment` kept.
    fn asset_url(&self, from_file: &str, dest: &str) -> Option<String> {
        if dest.contains(':') || dest.starts_with(['/', '#']) {
            return None;
        }
        let cut = dest.find(['?', '#']).unwrap_or(dest.len());
        let (path, tail) = dest.split_at(cut);
        // `a%23b.png` names `a#b.png`; a `%` that escapes nothing is itself.
        let path = crate::escape::percent_decode(path).unwrap_or_else(|| path.to_owned());
        let file = check::resolve_path(from_file, &path)?;
        self.site.is_asset(&file).then(|| {
            let at = crate::escape::percent_encode_path(&crate::render::asset_path(&file));
            format!("{}{tail}", self.url(&at))
        })
    }

    /// A link to a folder written without its `/` (`../logging#search`,
    /// as GitHub allows): its section, like `../logging/`.
    fn folder_url(&self, from_file: &str, dest: &str) -> Option<String> {
        if dest.contains(':') || dest.starts_with(['/', '#']) {
            return None;
        }
        let path = dest.split(['?', '#']).next().unwrap_or(dest);
        let last = path.rsplit('/').next().unwrap_or(path);
        if last.contains('.') || path.is_empty() {
            return None;
        }
        let index = check::resolve_path(from_file, &format!("{path}/_index.md"))?;
        let section = index.strip_prefix("content/")?.strip_suffix("/_index.md")?;
        (self.site.runbook_by_file(&index).is_some() || self.site.is_section_index(&index)).then(
            || {
                format!(
                    "{}#section-{}",
                    self.url("runbooks/"),
                    self.section_anchor(section)
                )
            },
        )
    }

    /// The page at one of a runbook's old paths: it sends the reader on
    /// (a refresh, as static hosts allow no redirect) and tells search
    /// engines where the page is now.
    pub(crate) fn redirect(&self, rb: &Runbook) -> Vec<u8> {
        let url = crate::escape::markup(&self.runbook_url(&rb.slug));
        let title = crate::escape::markup(&rb.title);
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
<link rel=\"canonical\" href=\"{url}\">\n<meta name=\"robots\" content=\"noindex\">\n\
<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n</head>\n\
<body>\n<p>This runbook has moved to <a href=\"{url}\">{title}</a>.</p>\n</body>\n</html>\n"
        )
        .into_bytes()
    }

    /// A site-rooted link to a page as Hugo writes it, by its path
    /// without `.md` (`/docs/add-runbook`): that runbook's page.
    fn slug_url(&self, dest: &str) -> Option<String> {
        let rest = dest.strip_prefix('/').filter(|r| !r.starts_with('/'))?;
        let (path, frag) = match rest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (rest, None),
        };
        let slug = path.split('?').next().unwrap_or(path).trim_end_matches('/');
        let target = self.site.runbook(slug).filter(|t| !t.is_index)?;
        let url = self.runbook_url(&target.slug);
        Some(match frag {
            Some(f) if !f.is_empty() => format!("{url}#{}", heading_id(target, f)),
            _ => url,
        })
    }

    pub(crate) fn runbook_page(&self, rb: &Runbook) -> Result<Vec<u8>> {
        let cfg = &self.site.config;
        let every = rb.review_every.unwrap_or(cfg.review_every);
        let incidents: Vec<Value> = self
            .prep
            .by_runbook
            .get(rb.slug.as_str())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|r| self.incident_summary(r))
            .collect();
        let edit_url = cfg.repository_url.as_ref().map(|u| {
            markdown::safe_url(&format!(
                "{}/edit/main/{}",
                u.trim_end_matches('/'),
                rb.file
            ))
        });
        let section = rb.section();
        let services: Vec<Value> = rb
            .services
            .iter()
            .map(|s| json!({"name": cfg.service(s).map_or(s.clone(), |x| x.name.clone()), "url": self.url(&format!("services/{s}/"))}))
            .collect();
        self.render(
            "runbook.html",
            json!({ "runbook": {
                "title": rb.title, "title_id": rb.title_id, "slug": rb.slug, "description": rb.description, "owner": rb.owner,
                "levels": rb.levels, "services": services, "tags": rb.tags,
                "last_reviewed": rb.last_reviewed.map(|d| d.to_string()),
                "next_review": rb.last_reviewed.and_then(|d| d.checked_add_signed(every)).map(|d| d.to_string()),
                "stale": self.is_stale(rb),
                "toc": rb.outline.headings.iter().filter(|h| h.level >= 2 && h.level <= 3).map(|h| json!({"level": h.level, "text": h.text, "id": h.id})).collect::<Vec<_>>(),
                "html": self.runbook_html(rb),
                "incidents": incidents,
                "edit_url": edit_url,
                "section_title": if section.is_empty() { Value::Null } else { json!(self.section_title(section)) },
                "section_anchor": self.section_anchor(section),
            }}),
        )
    }
}
