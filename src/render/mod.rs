//! Rendering the site: pages, feeds, the API, badges, the search index.

pub mod api;
pub mod badges;
pub mod chart;
pub mod context;
pub mod feeds;
pub mod i18n;
mod pages;
pub mod search_index;
pub mod status;
pub mod theme;

pub use context::{slug_id, Files, Renderer, HISTORY_PAGE};

use crate::model::incident::Record;
use crate::model::runbook::Runbook;
use anyhow::Result;
use chrono::Datelike;
use rayon::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

use crate::render::context::*;

/// One page or file of the output.
#[derive(Debug, Clone, Copy)]
pub enum Page<'a> {
    Status,
    History,
    Incident(&'a Record),
    Report(&'a Record),
    Maintenance(&'a Record),
    Service(&'a str),
    /// `/services/<id>/page/<n>/`: a service's older incidents (n ≥ 2).
    ServicePage(&'a str, usize),
    RunbookIndex,
    /// A long section's own list: `runbooks/<section>/`, page n (1-based).
    RunbookSection(usize, usize),
    Runbook(&'a Runbook),
    Search,
    /// `search/manifest.json`, a chunk of words, a fragment of results.
    SearchManifest,
    SearchChunk(usize),
    SearchFragment(usize),
    NotFound,
    Static(&'a str),
    /// A file under `content/` copied beside its page (`content/…`).
    Asset(&'a str),
    /// A redirect from one of a runbook's `aliases` to its page.
    Alias(&'a Runbook),
    Sitemap,
    /// `/incidents/page/<n>/` (1-based; page 1 is `/incidents/`).
    HistoryPage(usize),
    Compliance,
    /// `/compliance/page/<n>/` (n ≥ 2).
    CompliancePage(usize),
    /// `/analysis/`, and one month's page (its first day).
    Analysis,
    AnalysisMonth(chrono::NaiveDate),
    Atom,
    Rss,
    ServiceAtom(&'a str),
    Ics,
    Api(&'static str),
    Badge,
    ServiceBadge(&'a str),
}

/// The pages in the order to render them: those that go over the whole
/// site (the compliance table, the search index, …) first, so that on two
/// cores none of them is left running alone at the end of a build.
fn heavy_first<'p, 'a>(all: &'p [(String, Page<'a>)]) -> Vec<&'p (String, Page<'a>)> {
    let whole_site = |page: &Page| {
        matches!(
            page,
            Page::Compliance
                | Page::Analysis
                | Page::SearchManifest
                | Page::Search
                | Page::Sitemap
                | Page::Status
                | Page::History
                | Page::RunbookIndex
                | Page::Service(_)
                | Page::ServiceAtom(_)
                | Page::Api(_)
                | Page::Atom
                | Page::Rss
                | Page::Ics
        )
    };
    let (mut first, rest): (Vec<_>, Vec<_>) = all.iter().partition(|(_, p)| whole_site(p));
    first.extend(rest);
    first
}

/// The output's paths so far, as files and the folders they need: a new
/// path may be neither of them, nor lie below a file.
struct Taken {
    files: std::collections::HashSet<String>,
    folders: std::collections::HashSet<String>,
}

impl Taken {
    fn new<'p>(paths: impl Iterator<Item = &'p str>) -> Taken {
        let mut t = Taken {
            files: Default::default(),
            folders: Default::default(),
        };
        for p in paths {
            t.add(p);
        }
        t
    }

    fn add(&mut self, path: &str) {
        let mut at = 0;
        while let Some(i) = path.get(at..).and_then(|r| r.find('/')) {
            self.folders
                .insert(path.get(..at + i).unwrap_or_default().to_owned());
            at += i + 1;
        }
        self.files.insert(path.to_owned());
    }

    /// Takes `path` when it is free.
    fn claim(&mut self, path: &str) -> bool {
        let below_a_file = path
            .match_indices('/')
            .any(|(i, _)| path.get(..i).is_some_and(|p| self.files.contains(p)));
        if self.files.contains(path) || self.folders.contains(path) || below_a_file {
            return false;
        }
        self.add(path);
        true
    }
}

/// Where a file under `content/` goes: beside the pages of its folder
/// (`content/db/img/a.png` → `runbooks/db/img/a.png`).
pub(crate) fn asset_path(file: &str) -> String {
    format!("runbooks/{}", file.strip_prefix("content/").unwrap_or(file))
}

impl<'a> Renderer<'a> {
    /// Renders all pages.
    /// Every page and file of the site, with its path below the output.
    pub fn pages(&self) -> Vec<(String, Page<'a>)> {
        let mut out: Vec<(String, Page<'a>)> = vec![
            ("index.html".into(), Page::Status),
            ("incidents/index.html".into(), Page::History),
        ];
        let pages = self.history_pages();
        for n in 2..=pages {
            out.push((
                format!("incidents/page/{n}/index.html"),
                Page::HistoryPage(n),
            ));
        }
        for &r in self.incidents() {
            let base = format!("incidents/{}/", slug_id(r.id_str()));
            if self.has_report(r) {
                out.push((page_path(&format!("{base}report/")), Page::Report(r)));
            }
            out.push((page_path(&base), Page::Incident(r)));
        }
        for &m in self.maintenance() {
            out.push((
                page_path(&format!("maintenance/{}/", slug_id(m.id_str()))),
                Page::Maintenance(m),
            ));
        }
        for s in &self.site.config.services {
            out.push((
                page_path(&format!("services/{}/", s.id)),
                Page::Service(s.id.as_str()),
            ));
            for n in 2..=self.service_pages(&s.id) {
                out.push((
                    page_path(&format!("services/{}/page/{n}/", s.id)),
                    Page::ServicePage(s.id.as_str(), n),
                ));
            }
            out.push((
                format!("services/{}/feed.atom", s.id),
                Page::ServiceAtom(s.id.as_str()),
            ));
            out.push((
                format!("services/{}/badge.svg", s.id),
                Page::ServiceBadge(s.id.as_str()),
            ));
        }
        out.push(("feed.atom".into(), Page::Atom));
        out.push(("feed.rss".into(), Page::Rss));
        out.push(("maintenance.ics".into(), Page::Ics));
        out.push(("badge.svg".into(), Page::Badge));
        for f in crate::render::api::FILES {
            out.push((format!("api/v2/{f}"), Page::Api(f)));
        }
        if !self.public {
            out.push(("compliance/index.html".into(), Page::Compliance));
            for n in 2..=self.compliance().pages {
                out.push((
                    format!("compliance/page/{n}/index.html"),
                    Page::CompliancePage(n),
                ));
            }
            out.push(("analysis/index.html".into(), Page::Analysis));
            for m in self.analysis().months() {
                out.push((
                    format!("analysis/{:04}-{:02}/index.html", m.year(), m.month()),
                    Page::AnalysisMonth(m),
                ));
            }
            out.push(("runbooks/index.html".into(), Page::RunbookIndex));
            for (i, sec) in self.runbook_sections().iter().enumerate() {
                for n in 1..=sec.pages {
                    let folder = format!("runbooks/{}/", sec.key);
                    let path = if n == 1 {
                        folder
                    } else {
                        format!("{folder}page/{n}/")
                    };
                    out.push((page_path(&path), Page::RunbookSection(i, n)));
                }
            }
            for &rb in self.visible_runbooks() {
                out.push((
                    page_path(&format!("runbooks/{}/", rb.slug)),
                    Page::Runbook(rb),
                ));
            }
        }
        out.push(("search/index.html".into(), Page::Search));
        out.push(("search/manifest.json".into(), Page::SearchManifest));
        let index = self.search_index();
        for i in 0..index.chunks.len() {
            out.push((format!("search/chunk/{i}.json"), Page::SearchChunk(i)));
        }
        for i in 0..index.fragments.len() {
            out.push((format!("search/fragment/{i}.json"), Page::SearchFragment(i)));
        }
        out.push(("404.html".into(), Page::NotFound));
        for k in self.theme.statics.keys() {
            out.push((format!("static/{k}"), Page::Static(k.as_str())));
        }
        out.push(("sitemap.xml".into(), Page::Sitemap));
        // Last, so that no file or alias takes the path of any page.
        if !self.public {
            self.place_files_and_aliases(&mut out);
        }
        out
    }

    /// The files copied from `content/` and the redirect pages of the
    /// runbooks' old paths, where no page is: a page wins over a file
    /// that would take its path or its folder's (`content/a/index.html`,
    /// or a file `content/a` beside `content/a.md`), and an alias never
    /// replaces a page, a file or an earlier alias.
    fn place_files_and_aliases(&self, out: &mut Vec<(String, Page<'a>)>) {
        let aliases = self
            .visible_runbooks()
            .iter()
            .any(|r| !r.aliases.is_empty());
        // A set of every path is 10,000 strings on a large site: only
        // built when there is something to place.
        if self.site.assets.is_empty() && !aliases {
            return;
        }
        let mut taken = Taken::new(out.iter().map(|(p, _)| p.as_str()));
        for a in &self.site.assets {
            let path = asset_path(a);
            if taken.claim(&path) {
                out.push((path, Page::Asset(a.as_str())));
            }
        }
        for &rb in self.visible_runbooks() {
            for alias in &rb.aliases {
                let Some(mut path) = crate::model::runbook::alias_path(alias) else {
                    continue;
                };
                if !alias.trim_start().starts_with('/') {
                    let section = rb.section();
                    path = if section.is_empty() {
                        format!("runbooks/{path}")
                    } else {
                        format!("runbooks/{section}/{path}")
                    };
                }
                if taken.claim(&path) {
                    out.push((path, Page::Alias(rb)));
                }
            }
        }
    }

    /// Renders one page.
    pub fn render_page(&self, page: &Page<'a>, all: &[(String, Page<'a>)]) -> Result<Vec<u8>> {
        match page {
            Page::Status => self.status_page(),
            Page::History => self.history_page(1),
            Page::HistoryPage(n) => self.history_page(*n),
            Page::Compliance => self.compliance_page(1),
            Page::CompliancePage(n) => self.compliance_page(*n),
            Page::Analysis => self.analysis_page(),
            Page::AnalysisMonth(m) => self.analysis_month_page(*m),
            Page::Atom => Ok(crate::render::feeds::atom(self, None)),
            Page::ServiceAtom(id) => Ok(crate::render::feeds::atom(self, Some(id))),
            Page::Rss => Ok(crate::render::feeds::rss(self)),
            Page::Ics => Ok(crate::render::feeds::ics(self)),
            Page::Api(name) => Ok(crate::json::json_bytes(
                &crate::render::api::Api::new(self).file(name),
            )),
            Page::Badge => Ok(crate::render::badges::badge(
                &self.site.config.title,
                &self.overall(),
            )),
            Page::ServiceBadge(id) => {
                let name = self
                    .site
                    .config
                    .service(id)
                    .map_or(*id, |s| s.name.as_str());
                Ok(crate::render::badges::badge(
                    name,
                    &self.service_state(id).0,
                ))
            }
            // Contexts are moved into the page's, not copied through `json!`
            // (which serializes an interpolated value into a new one).
            Page::Incident(r) => self.render(
                "incident.html",
                object([("incident", self.paired_incident_context(r))]),
            ),
            Page::Report(r) => self.render(
                "report.html",
                object([
                    ("incident", self.paired_incident_context(r)),
                    ("report", self.report(r)),
                ]),
            ),
            Page::Maintenance(m) => self.maintenance_page(m),
            Page::Service(id) => self.service_page(id, 1),
            Page::ServicePage(id, n) => self.service_page(id, *n),
            Page::RunbookIndex => self.runbooks_index(),
            Page::RunbookSection(i, n) => self.runbook_section_page(*i, *n),
            Page::Runbook(rb) => self.runbook_page(rb),
            Page::Search => self.render("search.html", json!({})),
            Page::SearchManifest => Ok(self.search_index().manifest.clone()),
            Page::SearchChunk(i) => Ok(self
                .search_index()
                .chunks
                .get(*i)
                .cloned()
                .unwrap_or_default()),
            Page::SearchFragment(i) => Ok(self
                .search_index()
                .fragments
                .get(*i)
                .cloned()
                .unwrap_or_default()),
            Page::NotFound => self.render("404.html", json!({})),
            Page::Static(k) => Ok(self.theme.statics.get(*k).cloned().unwrap_or_default()),
            Page::Alias(rb) => Ok(self.redirect(rb)),
            Page::Asset(file) => std::fs::read(self.site.root.join(file))
                .map_err(|e| anyhow::anyhow!("{file}: cannot be read to copy it: {e}")),
            // Pages only: not the copied files, not the old paths.
            Page::Sitemap => Ok(self.sitemap(
                all.iter()
                    .filter(|(_, p)| !matches!(p, Page::Alias(_) | Page::Asset(_)))
                    .map(|(p, _)| p.as_str()),
            )),
        }
    }

    /// Renders the pages `pick` selects, in parallel.
    pub fn render_pages(
        &self,
        all: &[(String, Page<'a>)],
        pick: &(dyn Fn(&str, &Page<'a>) -> bool + Sync),
    ) -> Result<Files> {
        let rendered: Vec<Result<(String, Vec<u8>)>> = heavy_first(all)
            .par_iter()
            .filter(|(p, page)| pick(p, page))
            .map(|(p, page)| Ok((p.clone(), self.render_page(page, all)?)))
            .collect();
        rendered.into_iter().collect()
    }

    /// Renders every page and hands it to `sink` as soon as it is done,
    /// so that a build never holds the whole output in memory. Returns the
    /// number of files.
    pub fn render_each(&self, sink: &(dyn Fn(&str, &[u8]) -> Result<()> + Sync)) -> Result<usize> {
        let all = self.pages();
        // With SITREP_TRACE set, the time spent per kind of page.
        let trace = crate::term::tracing();
        let times: std::sync::Mutex<BTreeMap<String, (usize, f64)>> = Default::default();
        heavy_first(&all).par_iter().try_for_each(|(p, page)| {
            let t = std::time::Instant::now();
            let bytes = self.render_page(page, &all)?;
            if trace {
                let kind = format!("{page:?}")
                    .split(['(', ' '])
                    .next()
                    .unwrap_or("")
                    .to_owned();
                if let Ok(mut m) = times.lock() {
                    let e = m.entry(kind).or_default();
                    e.0 += 1;
                    e.1 += t.elapsed().as_secs_f64();
                }
            }
            sink(p, &bytes)
        })?;
        if trace {
            for (kind, (n, secs)) in times.lock().map(|m| m.clone()).unwrap_or_default() {
                eprintln!("trace: {kind:14} {n:6} pages {:9.1} ms", secs * 1000.0);
            }
        }
        Ok(all.len())
    }

    /// Renders the whole site.
    pub fn render_all(&self) -> Result<Files> {
        let all = self.pages();
        self.render_pages(&all, &|_, _| true)
    }
}
