//! The runbook index and the runbook pages.

use crate::check::{self};
use crate::markdown;
use crate::model::runbook::Runbook;
use crate::render::context::*;
use anyhow::Result;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub(crate) fn section_anchor(section: &str) -> String {
    if section.is_empty() {
        "general".to_owned()
    } else {
        markdown::slugify(section)
    }
}

impl<'a> Renderer<'a> {
    pub(crate) fn runbooks_index(&self) -> Result<Vec<u8>> {
        let mut sections: BTreeMap<String, Vec<&Runbook>> = BTreeMap::new();
        for &rb in self.visible_runbooks() {
            sections
                .entry(rb.section().to_owned())
                .or_default()
                .push(rb);
        }
        for idx in self.site.runbooks.iter().filter(|r| r.is_index) {
            sections.entry(idx.slug.clone()).or_default();
        }
        let mut list: Vec<(i64, String, Value)> = sections
            .into_iter()
            .map(|(sec, mut rbs)| {
                rbs.sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.list_title().cmp(b.list_title())).then_with(|| a.slug.cmp(&b.slug)));
                                let index = self.prep.sections.get(sec.as_str()).copied();
                let title = self.section_title(&sec);
                let intro = index.filter(|i| !i.body.trim().is_empty()).map(|i| self.runbook_html(i));
                let weight = index.map_or(0, |i| i.weight);
                let v = json!({
                    "title": title,
                    "anchor": section_anchor(&sec),
                    "intro": intro,
                    "runbooks": rbs.iter().map(|r| json!({"title": r.list_title(), "url": self.runbook_url(&r.slug), "description": r.description, "stale": self.is_stale(r)})).collect::<Vec<_>>(),
                });
                (weight, title, v)
            })
            .collect();
        list.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        self.render(
            "runbooks.html",
            json!({ "sections": list.into_iter().map(|(_, _, v)| v).collect::<Vec<_>>() }),
        )
    }

    /// A runbook's HTML with `.md` links rewritten to page URLs.
    pub(crate) fn runbook_html(&self, rb: &Runbook) -> String {
        let rewrite = |dest: &str| -> String {
            match check::checked_link(&rb.file, dest) {
                Some((Some(file), frag)) => {
                    let target = self.site.runbook_by_file(&file);
                    let url = match target {
                        Some(t) if t.is_index => format!(
                            "{}#section-{}",
                            self.url("runbooks/"),
                            section_anchor(&t.slug)
                        ),
                        Some(t) => self.runbook_url(&t.slug),
                        // A folder without `_index.md`: its section all the same.
                        None if self.site.is_section_index(&file) => format!(
                            "{}#section-{}",
                            self.url("runbooks/"),
                            section_anchor(
                                file.strip_prefix("content/")
                                    .and_then(|f| f.strip_suffix("/_index.md"))
                                    .unwrap_or("")
                            )
                        ),
                        None => return dest.to_owned(),
                    };
                    match frag {
                        Some(f) if !f.is_empty() && !url.contains('#') => format!("{url}#{f}"),
                        _ => url,
                    }
                }
                _ => dest.to_owned(),
            }
        };
        markdown::to_html(&rb.body, &rewrite)
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
                "title": rb.title, "slug": rb.slug, "description": rb.description, "owner": rb.owner,
                "levels": rb.levels, "services": services, "tags": rb.tags,
                "last_reviewed": rb.last_reviewed.map(|d| d.to_string()),
                "next_review": rb.last_reviewed.and_then(|d| d.checked_add_signed(every)).map(|d| d.to_string()),
                "stale": self.is_stale(rb),
                "toc": rb.outline.headings.iter().filter(|h| h.level >= 2 && h.level <= 3).map(|h| json!({"level": h.level, "text": h.text, "id": h.id})).collect::<Vec<_>>(),
                "html": self.runbook_html(rb),
                "incidents": incidents,
                "edit_url": edit_url,
                "section_title": if section.is_empty() { Value::Null } else { json!(self.section_title(section)) },
                "section_anchor": section_anchor(section),
            }}),
        )
    }
}
