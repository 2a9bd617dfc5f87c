//! The site kept in memory while serving: reload only the files that
//! changed, re-check, and re-render only the pages that show them. The
//! result always equals a full build (tests/serve.rs proves it step by step).

use crate::check;
use crate::diag::Diagnostic;
use crate::load;
use crate::model::incident::{Record, Time};
use crate::model::runbook::Runbook;
use crate::model::site::Site;
use crate::pipeline::{self, input_errors, BuildOptions};
use crate::render::theme;
use crate::render::{Files, Page, Renderer};
use crate::term::trace;
use anyhow::Result;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// What one rebuild did, for the terminal.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rebuild {
    pub pages: usize,
    pub millis: u128,
    pub full: bool,
    /// Input errors standing (the previous site is still served).
    pub errors: usize,
    /// Output paths whose bytes changed, were added or removed.
    pub changed: Vec<String>,
}

/// The pages being served. Each page's bytes are shared, so handing the
/// server a new version copies paths and counts, never the site's bytes.
pub type Served = BTreeMap<String, Arc<Vec<u8>>>;

fn served(files: Files) -> Served {
    files.into_iter().map(|(k, v)| (k, Arc::new(v))).collect()
}

/// Paths that differ between two outputs.
fn diff(old: &Served, new: &Served) -> Vec<String> {
    let mut out: Vec<String> = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(old.keys().filter(|k| !new.contains_key(*k)).cloned());
    out.sort();
    out
}

pub struct Live {
    root: PathBuf,
    opts: BuildOptions,
    now: Time,
    site: Option<Site>,
    diags: Vec<Diagnostic>,
    theme: Option<theme::Theme>,
    /// The last good output.
    pub files: Served,
    /// Input errors of the current inputs; empty when `files` is current.
    pub errors: Vec<Diagnostic>,
    /// Bumped whenever `files` or `errors` change.
    pub generation: u64,
    /// The search index of the last render, kept for edits that leave it.
    search: Option<crate::render::search_index::Index>,
}

impl Live {
    /// The findings of the current inputs.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diags
    }

    /// Loads and renders the site. `now` is fixed for the life of the
    /// server (from `--now`, else the time it starts), so that a page that
    /// is not re-rendered is never stale against one that is.
    pub fn new(root: &Path, opts: &BuildOptions) -> Result<(Live, Rebuild)> {
        let now = opts.now;
        let mut live = Live {
            root: root.to_path_buf(),
            opts: opts.clone(),
            now,
            site: None,
            diags: Vec::new(),
            theme: None,
            files: Served::new(),
            errors: Vec::new(),
            generation: 0,
            search: None,
        };
        let report = live.full()?;
        Ok((live, report))
    }

    pub fn site(&self) -> Option<&Site> {
        self.site.as_ref()
    }

    /// Reloads everything.
    pub fn full(&mut self) -> Result<Rebuild> {
        let started = Instant::now();
        let checked = pipeline::load_and_check(&self.root, &self.opts)?;
        let errors = checked.input_errors();
        self.site = Some(checked.site);
        self.diags = checked.diags;
        self.generation += 1;
        if !errors.is_empty() {
            self.errors = errors;
            return Ok(Rebuild {
                pages: 0,
                millis: started.elapsed().as_millis(),
                full: true,
                errors: self.errors.len(),
                changed: Vec::new(),
            });
        }
        self.errors.clear();
        let Some(site) = self.site.as_ref() else {
            return Ok(Rebuild::default());
        };
        let theme = theme::load(&self.root, &site.config.theme, &site.config.language)?;
        let mut r = Renderer::new(
            site,
            &self.diags,
            self.now,
            self.opts.public,
            self.opts.drafts,
            &theme,
        );
        let files = served(r.render_all()?);
        self.search = r.prep.search.take();
        let changed = diff(&self.files, &files);
        self.files = files;
        let pages = self.files.len();
        self.theme = Some(theme);
        Ok(Rebuild {
            pages,
            millis: started.elapsed().as_millis(),
            full: true,
            errors: 0,
            changed,
        })
    }

    /// Applies changed paths (relative to the site, with `/`).
    pub fn apply(&mut self, changed: &[String]) -> Result<Rebuild> {
        let started = Instant::now();
        let relevant: Vec<&String> = changed
            .iter()
            .filter(|p| load::is_runbook_path(p) || load::is_record_path(p))
            .collect();
        // A folder created, renamed or deleted under content/ or incidents/
        // arrives as one event for the folder: reload everything. A path
        // that is gone was a folder if the site had files under it; editors'
        // scratch files (vim's `4913`, sed's `sedXXXXXX`) were not.
        let folder = |p: &String| {
            if !(p.starts_with("content/")
                || p.starts_with("incidents/")
                || p == "content"
                || p == "incidents")
                || load::is_runbook_path(p)
                || load::is_record_path(p)
            {
                return false;
            }
            let path = self.root.join(p);
            if path.exists() {
                return path.is_dir();
            }
            let below = format!("{p}/");
            self.site.as_ref().is_none_or(|s| {
                s.runbooks.iter().any(|r| r.file.starts_with(&below))
                    || s.records.iter().any(|r| r.file.starts_with(&below))
            })
        };
        // A file copied beside the pages: one the site had, or a new one
        // with an extension (not an editor's scratch file such as `sedAb12`).
        let asset = |p: &String| {
            load::is_asset_path(p)
                && (self.site.as_ref().is_some_and(|s| s.is_asset(p))
                    || (p.rsplit('/').next().is_some_and(|n| n.contains('.'))
                        && self.root.join(p).is_file()))
        };
        let needs_full = changed.iter().any(|p| {
            p == crate::model::config::CONFIG_FILE
                || p.starts_with("themes/")
                || p.starts_with("static/")
                || p.starts_with("i18n/")
                || folder(p)
                || asset(p)
        });
        // After input errors the served files are older than the model, so
        // only a full render is known to be right.
        if needs_full || !self.errors.is_empty() || self.site.is_none() || self.theme.is_none() {
            return self.full();
        }
        if relevant.is_empty() {
            return Ok(Rebuild::default());
        }
        let Some(mut site) = self.site.take() else {
            return self.full();
        };
        let touched: HashSet<String> = relevant.iter().map(|s| (*s).clone()).collect();
        // What the edited files said before, to find pages that showed it.
        let old_runbooks: Vec<Runbook> = site
            .runbooks
            .iter()
            .filter(|r| touched.contains(&r.file))
            .cloned()
            .collect();
        let old_records: Vec<Record> = site
            .records
            .iter()
            .filter(|r| touched.contains(&r.file))
            .cloned()
            .collect();
        // A runbook edited in place keeps its slot and the indexes; anything
        // else (records, new or deleted files) re-sorts and re-indexes.
        let mut reindex = false;
        for rel in relevant {
            let exists = self.root.join(rel).is_file();
            site.load_diagnostics.retain(|d| &d.file != rel);
            if exists && load::is_runbook_path(rel) {
                let (rb, d) = load::read_runbook(&self.root, rel, &site.config);
                site.load_diagnostics.extend(d);
                if let Some(rb) = site.replace_runbook(rb) {
                    site.runbooks.retain(|r| &r.file != rel);
                    site.runbooks.push(rb);
                    reindex = true;
                }
                continue;
            }
            reindex = true;
            site.runbooks.retain(|r| &r.file != rel);
            site.records.retain(|r| &r.file != rel);
            if exists {
                let (rec, d) = load::read_record(&self.root, rel, &site.config);
                site.records.push(rec);
                site.load_diagnostics.extend(d);
            }
        }
        if reindex {
            site.reindex();
        }
        trace("reload", started);
        let diags = if same_outline(&old_runbooks, &site, &touched) {
            check::recheck_runbooks(&self.diags, &site, self.now, &touched)
        } else {
            check::check(&site, self.now)
        };
        trace("check", started);
        let errors = input_errors(&diags);
        let old_diags = std::mem::replace(&mut self.diags, diags);
        self.generation += 1;
        if !errors.is_empty() {
            self.errors = errors;
            self.site = Some(site);
            return Ok(Rebuild {
                pages: 0,
                millis: started.elapsed().as_millis(),
                full: false,
                errors: self.errors.len(),
                changed: Vec::new(),
            });
        }
        let Some(theme) = self.theme.as_ref() else {
            return self.full();
        };
        let mut r = Renderer::new(
            &site,
            &self.diags,
            self.now,
            self.opts.public,
            self.opts.drafts,
            theme,
        );
        let change = Change::new(
            &old_runbooks,
            &old_records,
            &site,
            &touched,
            &old_diags,
            &self.diags,
        );
        // The search index of the last render, when the edit changed
        // nothing it holds: listing the pages would build it again.
        if let Some(index) = self.search.take() {
            if !(change.any_record || change.search) {
                let _ = r.prep.search.set(index);
            }
        }
        let pages = r.pages();
        let same_shape = pages.len() == self.files.len()
            && pages.iter().all(|(p, _)| self.files.contains_key(p));
        let rendered = served(if same_shape {
            r.render_pages(&pages, &|_, page| change.affects(page))?
        } else {
            r.render_all()?
        });
        self.search = r.prep.search.take();
        trace("render", started);
        let count = rendered.len();
        let changed = if same_shape {
            let changed: Vec<String> = rendered
                .iter()
                .filter(|(k, v)| self.files.get(*k) != Some(*v))
                .map(|(k, _)| k.clone())
                .collect();
            self.files.extend(rendered);
            changed
        } else {
            let changed = diff(&self.files, &rendered);
            self.files = rendered;
            changed
        };
        self.site = Some(site);
        Ok(Rebuild {
            pages: count,
            millis: started.elapsed().as_millis(),
            full: !same_shape,
            errors: 0,
            changed,
        })
    }
}

/// Whether only runbooks were edited, each still there under the same slug
/// with the same heading ids: then no other file's findings can change.
fn same_outline(old: &[Runbook], site: &Site, touched: &HashSet<String>) -> bool {
    fn ids(rb: &Runbook) -> impl Iterator<Item = &str> {
        rb.outline.headings.iter().map(|h| h.id.as_str())
    }
    touched.len() == old.len()
        && old.iter().all(|o| {
            site.runbook_by_file(&o.file)
                .is_some_and(|n| n.slug == o.slug && n.is_index == o.is_index && ids(n).eq(ids(o)))
        })
}

/// What an edit touched, to decide which pages show it.
struct Change {
    /// Runbook slugs edited, and slugs named by edited records' `runbook:`.
    runbooks: HashSet<String>,
    /// Sections whose `_index.md` was edited.
    sections: HashSet<String>,
    /// Record ids whose pages show an edited record (itself, parents,
    /// children, namesakes) or whose findings changed.
    records: HashSet<String>,
    any_runbook: bool,
    any_record: bool,
    /// An edited runbook changed what lists of runbooks show of it (the
    /// runbook index, the search page, service pages).
    listing: bool,
    /// An edited runbook changed what the search index holds of it.
    search: bool,
    /// Services named by edited runbooks, before or after the edit.
    runbook_services: HashSet<String>,
}

/// What the runbook index, the search page and service pages show of a
/// runbook: an edit that keeps these re-renders only the runbook's page.
fn listing_of(rb: &Runbook) -> impl PartialEq + '_ {
    (
        (&rb.title, &rb.description, &rb.slug, rb.is_index, rb.draft),
        (&rb.services, rb.weight, rb.last_reviewed, rb.review_every),
        (&rb.owner, &rb.tags, &rb.levels),
    )
}

/// What the search index holds of a runbook.
fn search_of(rb: &Runbook) -> impl PartialEq + '_ {
    let headings: Vec<&str> = rb
        .outline
        .headings
        .iter()
        .map(|h| h.text.as_str())
        .collect();
    // The description is the excerpt a result shows.
    (
        &rb.title,
        &rb.slug,
        rb.draft,
        headings,
        &rb.outline.text,
        &rb.description,
    )
}

fn by_file(diags: &[Diagnostic]) -> BTreeMap<&str, Vec<&Diagnostic>> {
    let mut m: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    for d in diags.iter().filter(|d| load::is_record_path(&d.file)) {
        m.entry(d.file.as_str()).or_default().push(d);
    }
    m
}

impl Change {
    fn new(
        old_runbooks: &[Runbook],
        old_records: &[Record],
        new: &Site,
        touched: &HashSet<String>,
        old_diags: &[Diagnostic],
        new_diags: &[Diagnostic],
    ) -> Change {
        let mut c = Change {
            runbooks: HashSet::new(),
            sections: HashSet::new(),
            records: HashSet::new(),
            any_runbook: false,
            any_record: false,
            listing: false,
            search: false,
            runbook_services: HashSet::new(),
        };
        let add_record = |c: &mut Change, site: &Site, r: &Record| {
            if let Some(id) = &r.id {
                c.records.insert(id.clone());
                for child in site.children(id) {
                    c.records.extend(child.id.clone());
                }
            }
            if let Some((p, _)) = &r.parent {
                c.records.insert(p.clone());
            }
            if let Some((slug, _)) = &r.runbook {
                c.runbooks.insert(slug.clone());
            }
        };
        let new_runbooks: Vec<&Runbook> = new
            .runbooks
            .iter()
            .filter(|r| touched.contains(&r.file))
            .collect();
        for old in old_runbooks {
            match new_runbooks.iter().find(|n| n.file == old.file) {
                Some(n) => {
                    c.listing |= listing_of(old) != listing_of(n);
                    c.search |= search_of(old) != search_of(n);
                }
                None => (c.listing, c.search) = (true, true),
            }
        }
        if new_runbooks
            .iter()
            .any(|n| !old_runbooks.iter().any(|o| o.file == n.file))
        {
            (c.listing, c.search) = (true, true);
        }
        for rb in old_runbooks.iter().chain(new_runbooks.iter().copied()) {
            c.any_runbook = true;
            c.runbook_services.extend(rb.services.iter().cloned());
            if rb.is_index {
                c.sections.insert(rb.slug.clone());
            } else {
                c.runbooks.insert(rb.slug.clone());
            }
        }
        let new_records = new.records.iter().filter(|r| touched.contains(&r.file));
        for r in old_records.iter().chain(new_records) {
            c.any_record = true;
            add_record(&mut c, new, r);
        }
        // Report pages list their record's findings: any file whose
        // findings changed re-renders its record's pages.
        // Only records have such pages: runbooks' findings are not compared.
        let (a, b) = (by_file(old_diags), by_file(new_diags));
        let files: HashSet<&str> = a.keys().chain(b.keys()).copied().collect();
        for f in files {
            if a.get(f) != b.get(f) {
                for r in new.records.iter().filter(|r| r.file == f) {
                    c.records.extend(r.id.clone());
                }
            }
        }
        c
    }

    fn affects(&self, page: &Page) -> bool {
        match page {
            Page::Status
            | Page::History
            | Page::HistoryPage(_)
            | Page::Atom
            | Page::Rss
            | Page::ServiceAtom(_)
            | Page::Ics
            | Page::Api(_)
            | Page::Badge
            | Page::ServiceBadge(_) => self.any_record,
            // Findings of any record are listed there.
            // The analysis counts every record's findings too.
            Page::Compliance
            | Page::CompliancePage(_)
            | Page::Analysis
            | Page::AnalysisMonth(_) => self.any_record || !self.records.is_empty(),
            // An incident page shows its runbook's title.
            Page::Incident(r) | Page::Report(r) | Page::Maintenance(r) => {
                r.id.as_ref().is_some_and(|id| self.records.contains(id))
                    || (self.listing
                        && r.runbook
                            .as_ref()
                            .is_some_and(|(s, _)| self.runbooks.contains(s)))
            }
            Page::Service(id) | Page::ServicePage(id, _) => {
                self.any_record || (self.listing && self.runbook_services.contains(*id))
            }
            Page::Search => self.any_record || self.listing,
            Page::SearchManifest | Page::SearchChunk(_) | Page::SearchFragment(_) => {
                self.any_record || self.search
            }
            Page::RunbookIndex | Page::RunbookSection(..) => self.listing,
            Page::Runbook(rb) => {
                self.runbooks.contains(&rb.slug) || self.sections.contains(rb.section())
            }
            // It names the runbook's title.
            Page::Alias(rb) => self.runbooks.contains(&rb.slug),
            // A changed file under content/ takes a full render.
            Page::NotFound | Page::Static(_) | Page::Asset(_) | Page::Sitemap => false,
        }
    }
}
