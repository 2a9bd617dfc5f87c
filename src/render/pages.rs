//! Renders every page of SITE.md that this version writes, into memory.
//!
//! The renderer takes a prepared model (site, diagnostics, now) and never
//! reads input files itself, so `build` and `serve` share it.

use super::status;
use super::theme::{tera_error, Theme};
use crate::check::{self, Ctx, DutyState};
use crate::diag::rules;
use crate::diag::Diagnostic;
use crate::markdown;
use crate::model::incident::{Kind, Record, Time};
use crate::model::runbook::Runbook;
use crate::model::site::Site;
use crate::time::{self, format_duration};
use anyhow::{anyhow, Result};
use chrono::Duration;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

/// Output files by path below the output folder.
pub type Files = BTreeMap<String, Vec<u8>>;

/// One page or file of the output.
#[derive(Debug, Clone, Copy)]
pub enum Page<'a> {
    Status,
    History,
    Incident(&'a Record),
    Report(&'a Record),
    Maintenance(&'a Record),
    Service(&'a str),
    RunbookIndex,
    Runbook(&'a Runbook),
    Search,
    SearchIndex,
    NotFound,
    Static(&'a str),
    Sitemap,
    /// `/incidents/page/<n>/` (1-based; page 1 is `/incidents/`).
    HistoryPage(usize),
    Compliance,
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
                | Page::SearchIndex
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

/// `: text` after a timeline line's head, or nothing.
fn detail(text: Option<&str>) -> String {
    text.map(|t| format!(": {t}")).unwrap_or_default()
}

/// Incidents a day's bar lists by name; the rest are counted. Records
/// left open for months would otherwise put every one of them into every
/// day of every bar (90 x 20,000 entries for one service).
const BAR_INCIDENTS: usize = 10;

/// Incidents per page of the history.
pub const HISTORY_PAGE: usize = 50;

pub struct Renderer<'a> {
    pub site: &'a Site,
    pub diags: &'a [Diagnostic],
    pub now: Time,
    pub base: String,
    pub public: bool,
    pub drafts: bool,
    pub theme: &'a Theme,
    prep: Prepared<'a>,
    /// An incident's page context, kept between rendering its page and its
    /// report (which shows the same context): the pair is adjacent in the
    /// page list, so this holds a few entries at a time.
    /// Keyed by the record's address: records do not move while borrowed.
    pair: std::sync::Mutex<HashMap<usize, Value>>,
}

/// Look-ups computed once per render, so that every page costs time in
/// proportion to what it shows, never to the size of the whole site.
#[derive(Default)]
struct Prepared<'a> {
    /// Incidents shown, newest first.
    incidents: Vec<&'a Record>,
    /// Maintenance windows shown, by start.
    maintenance: Vec<&'a Record>,
    runbooks: Vec<&'a Runbook>,
    by_runbook: HashMap<&'a str, Vec<&'a Record>>,
    by_service: HashMap<&'a str, Vec<&'a Record>>,
    children: HashMap<&'a str, Vec<&'a Record>>,
    runbooks_by_service: HashMap<&'a str, Vec<&'a Runbook>>,
    sections: HashMap<&'a str, &'a Runbook>,
    diags_by_file: HashMap<&'a str, Vec<&'a Diagnostic>>,
    /// Service id → (status, uptime %).
    service_state: HashMap<&'a str, (String, f64)>,
}

fn page_path(url_path: &str) -> String {
    format!("{}index.html", url_path.trim_start_matches('/'))
}

impl<'a> Renderer<'a> {
    pub fn new(
        site: &'a Site,
        diags: &'a [Diagnostic],
        now: Time,
        public: bool,
        drafts: bool,
        theme: &'a Theme,
    ) -> Renderer<'a> {
        let mut r = Renderer {
            site,
            diags,
            now,
            base: site.config.base_path(),
            public,
            drafts,
            theme,
            prep: Prepared::default(),
            pair: Default::default(),
        };
        r.prep = r.prepare();
        r
    }

    fn prepare(&self) -> Prepared<'a> {
        let site: &'a Site = self.site;
        let mut p = Prepared::default();
        // Newest first, then by id; the keys are taken once, not per
        // comparison (100,000 records: 1.7 million comparisons).
        let mut keyed: Vec<(Option<Time>, &'a Record)> = site
            .records
            .iter()
            .filter(|r| r.kind == Kind::Incident && r.id.is_some() && r.reported().is_some())
            .filter(|r| !self.public || r.public)
            .map(|r| (r.reported(), r))
            .collect();
        keyed.sort_by(|(ta, a), (tb, b)| tb.cmp(ta).then(a.id.cmp(&b.id)));
        let incidents: Vec<&'a Record> = keyed.into_iter().map(|(_, r)| r).collect();
        let mut maintenance: Vec<&'a Record> = site
            .records
            .iter()
            .filter(|r| {
                r.kind == Kind::Maintenance
                    && r.id.is_some()
                    && r.scheduled_start.is_some()
                    && r.scheduled_end.is_some()
            })
            .filter(|r| !self.public || r.public)
            .collect();
        maintenance.sort_by(|a, b| {
            a.scheduled_start
                .as_ref()
                .map(|s| s.time)
                .cmp(&b.scheduled_start.as_ref().map(|s| s.time))
                .then(a.id.cmp(&b.id))
        });
        for r in &incidents {
            if let Some((slug, _)) = &r.runbook {
                p.by_runbook.entry(slug.as_str()).or_default().push(r);
            }
            for s in &r.services {
                let list = p.by_service.entry(s.id.as_str()).or_default();
                if !list.last().is_some_and(|l| std::ptr::eq(*l, *r)) {
                    list.push(r);
                }
            }
            if let Some((parent, _)) = &r.parent {
                p.children.entry(parent.as_str()).or_default().push(r);
            }
        }
        for list in p.children.values_mut() {
            list.sort_by(|a, b| a.id.cmp(&b.id));
        }
        p.runbooks = site
            .runbooks
            .iter()
            .filter(|r| !r.is_index && (self.drafts || !r.draft))
            .collect();
        for rb in &p.runbooks {
            for s in &rb.services {
                p.runbooks_by_service
                    .entry(s.as_str())
                    .or_default()
                    .push(rb);
            }
        }
        for rb in site.runbooks.iter().filter(|r| r.is_index) {
            p.sections.entry(rb.slug.as_str()).or_insert(rb);
        }
        for d in self.diags {
            p.diags_by_file.entry(d.file.as_str()).or_default().push(d);
        }
        // Services in parallel: each one's uptime walks its records.
        p.service_state = site
            .config
            .services
            .par_iter()
            .map(|s| {
                // Only the records of this view count: a record with
                // `public: false` does not exist in the public view.
                let mut recs: Vec<&Record> =
                    p.by_service.get(s.id.as_str()).cloned().unwrap_or_default();
                recs.extend(
                    maintenance
                        .iter()
                        .copied()
                        .filter(|m| m.services.iter().any(|x| x.id == s.id)),
                );
                let st = status::service_status(&recs, &s.id, self.now);
                let up = status::uptime(&recs, &s.id, self.now, site.config.history_days);
                (s.id.as_str(), (st, up))
            })
            .collect();
        p.incidents = incidents;
        p.maintenance = maintenance;
        p
    }

    /// `scheme://host` of a full `base_url`, else empty (links stay
    /// root-relative).
    pub(crate) fn origin(&self) -> String {
        let b = &self.site.config.base_url;
        match b.split_once("://") {
            Some((scheme, rest)) => format!("{scheme}://{}", rest.split('/').next().unwrap_or("")),
            None => String::new(),
        }
    }

    /// An absolute URL when `base_url` is one, else a root-relative path.
    pub(crate) fn abs_url(&self, path: &str) -> String {
        format!("{}{}", self.origin(), self.url(path))
    }

    /// Incidents anyone may see, whatever the view: feeds, API and badges
    /// never carry a record with `public: false`.
    pub(crate) fn public_incidents(&self) -> Vec<&'a Record> {
        self.prep
            .incidents
            .iter()
            .copied()
            .filter(|r| r.public)
            .collect()
    }

    pub(crate) fn public_maintenance(&self) -> Vec<&'a Record> {
        self.prep
            .maintenance
            .iter()
            .copied()
            .filter(|r| r.public)
            .collect()
    }

    pub(crate) fn overall(&self) -> String {
        let mut overall = "operational".to_owned();
        for s in &self.site.config.services {
            let (st, _) = self.service_state(&s.id);
            if status::rank(&st) > status::rank(&overall) {
                overall = st;
            }
        }
        overall
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path.trim_start_matches('/'))
    }

    /// `5 Mar 2026, 09:05 CET`: every time on every page, so written out
    /// by hand rather than through a strftime pattern parsed per call.
    pub(crate) fn fmt(&self, t: Time) -> String {
        use chrono::{Datelike, Timelike};
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let z = &self.site.config.timezone;
        let l = z.local(t);
        match MONTHS.get(l.month0() as usize) {
            Some(month) if (0..=9999).contains(&l.year()) => format!(
                "{} {month} {:04}, {:02}:{:02} {}",
                l.day(),
                l.year(),
                l.hour(),
                l.minute(),
                z.abbreviation(t)
            ),
            _ => format!("{} {}", l.format("%-d %b %Y, %H:%M"), z.abbreviation(t)),
        }
    }

    fn site_ctx(&self) -> Value {
        let c = &self.site.config;
        json!({
            "title": c.title,
            "base": self.base,
            "language": c.language,
            "timezone": c.timezone.to_string(),
            "repository_url": c.repository_url,
            "history_days": c.history_days,
            "public": self.public,
            "now": self.fmt(self.now),
            "version": env!("CARGO_PKG_VERSION"),
        })
    }

    pub(crate) fn render(&self, template: &str, mut ctx: Value) -> Result<Vec<u8>> {
        if let Some(o) = ctx.as_object_mut() {
            o.insert("site".to_owned(), self.site_ctx());
        }
        self.render_with(template, ctx).map(String::into_bytes)
    }

    /// Renders `template` with exactly `ctx` (which holds `site` already).
    fn render_with(&self, template: &str, ctx: Value) -> Result<String> {
        let c = tera::Context::from_value(ctx).map_err(|e| anyhow!("{e}"))?;
        self.theme
            .tera
            .render(template, &c)
            .map_err(|e| anyhow!("rendering {template}: {}", tera_error(&e)))
    }

    fn visible_runbooks(&self) -> &[&'a Runbook] {
        &self.prep.runbooks
    }

    pub(crate) fn incidents(&self) -> &[&'a Record] {
        &self.prep.incidents
    }

    pub(crate) fn maintenance(&self) -> &[&'a Record] {
        &self.prep.maintenance
    }

    pub(crate) fn service_state(&self, id: &str) -> (String, f64) {
        self.prep
            .service_state
            .get(id)
            .cloned()
            .unwrap_or_else(|| ("operational".to_owned(), 100.0))
    }

    pub(crate) fn incident_url(&self, id: &str) -> String {
        self.url(&format!("incidents/{}/", slug_id(id)))
    }

    fn runbook_url(&self, slug: &str) -> String {
        self.url(&format!("runbooks/{slug}/"))
    }

    pub(crate) fn status_label(s: &str) -> String {
        let mut c = s.replace('_', " ");
        if let Some(f) = c.get(..1) {
            let up = f.to_uppercase();
            c.replace_range(..1, &up);
        }
        c
    }

    fn incident_summary(&self, r: &Record) -> Value {
        let sev = r.severity.and_then(|l| self.site.config.policy.level(l));
        json!({
            "id": r.id_str(),
            "title": r.title,
            "url": self.incident_url(r.id_str()),
            "status": r.effective_status(),
            "status_label": Self::status_label(r.effective_status()),
            "severity": if self.public { None } else { r.severity },
            // Severity levels are the procedure's, not the customer's.
            "severity_label": if self.public { String::new() } else { sev.map_or_else(|| "unknown level".to_owned(), |l| format!("Level {} ({})", l.level, l.name)) },
            "impact": r.impact,
            "impact_label": status::label(&r.impact),
            "reported": r.reported().map(|t| self.fmt(t)),
            "started": r.started().map(|t| self.fmt(t)),
            "recovered": r.recovered().map(|t| self.fmt(t)),
            "reported_iso": r.reported().map(time::rfc3339),
            "started_iso": r.started().map(time::rfc3339),
            "recovered_iso": r.recovered().map(time::rfc3339),
        })
    }

    fn services_of(&self, r: &Record) -> Vec<Value> {
        r.services
            .iter()
            .map(|s| {
                let name = self
                    .site
                    .config
                    .service(&s.id)
                    .map_or(s.id.clone(), |x| x.name.clone());
                json!({ "id": s.id, "name": name, "url": self.url(&format!("services/{}/", s.id)) })
            })
            .collect()
    }

    fn updates(&self, ups: &[crate::model::incident::Update]) -> Vec<Value> {
        ups.iter()
            .filter_map(|u| {
                let at = u.at?;
                Some(json!({
                    "at": self.fmt(at),
                    "iso": time::rfc3339_offset(at),
                    "status": Self::status_label(u.status.as_deref().unwrap_or("update")),
                    "html": markdown::inline_html(&u.text),
                }))
            })
            .collect()
    }

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
        for f in super::api::FILES {
            out.push((format!("api/v2/{f}"), Page::Api(f)));
        }
        if !self.public {
            out.push(("compliance/index.html".into(), Page::Compliance));
            out.push(("runbooks/index.html".into(), Page::RunbookIndex));
            for &rb in self.visible_runbooks() {
                out.push((
                    page_path(&format!("runbooks/{}/", rb.slug)),
                    Page::Runbook(rb),
                ));
            }
            out.push(("search/index.html".into(), Page::Search));
            out.push(("search-index.json".into(), Page::SearchIndex));
        }
        out.push(("404.html".into(), Page::NotFound));
        for k in self.theme.statics.keys() {
            out.push((format!("static/{k}"), Page::Static(k.as_str())));
        }
        out.push(("sitemap.xml".into(), Page::Sitemap));
        out
    }

    /// Renders one page.
    pub fn render_page(&self, page: &Page<'a>, all: &[(String, Page<'a>)]) -> Result<Vec<u8>> {
        match page {
            Page::Status => self.status_page(),
            Page::History => self.history_page(1),
            Page::HistoryPage(n) => self.history_page(*n),
            Page::Compliance => self.compliance_page(),
            Page::Atom => Ok(super::feeds::atom(self, None)),
            Page::ServiceAtom(id) => Ok(super::feeds::atom(self, Some(id))),
            Page::Rss => Ok(super::feeds::rss(self)),
            Page::Ics => Ok(super::feeds::ics(self)),
            Page::Api(name) => Ok(crate::json::json_bytes(
                &super::api::Api::new(self).file(name),
            )),
            Page::Badge => Ok(super::badges::badge(
                &self.site.config.title,
                &self.overall(),
            )),
            Page::ServiceBadge(id) => {
                let name = self
                    .site
                    .config
                    .service(id)
                    .map_or(*id, |s| s.name.as_str());
                Ok(super::badges::badge(name, &self.service_state(id).0))
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
            Page::Service(id) => self.service_page(id),
            Page::RunbookIndex => self.runbooks_index(),
            Page::Runbook(rb) => self.runbook_page(rb),
            // The page lists titles only; the text goes in the index.
            Page::Search => self.render(
                "search.html",
                json!({ "entries": self.search_entries(false).collect::<Vec<_>>() }),
            ),
            Page::SearchIndex => Ok(crate::json::json_bytes(&crate::json::Lazy(|| {
                self.search_entries(true)
            }))),
            Page::NotFound => self.render("404.html", json!({})),
            Page::Static(k) => Ok(self.theme.statics.get(*k).cloned().unwrap_or_default()),
            Page::Sitemap => Ok(self.sitemap(all.iter().map(|(p, _)| p.as_str()))),
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

    fn status_page(&self) -> Result<Vec<u8>> {
        let now = self.now;
        let cfg = &self.site.config;
        let mut overall = "operational".to_owned();
        let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
        for s in &cfg.services {
            let (st, up) = self.service_state(&s.id);
            if status::rank(&st) > status::rank(&overall) {
                overall = st.clone();
            }
            let g = s.group.clone().unwrap_or_else(|| "Services".to_owned());
            let entry = json!({
                "id": s.id, "name": s.name, "url": self.url(&format!("services/{}/", s.id)),
                "status": st, "status_label": status::label(&st),
                "uptime": format!("{up:.2}"),
                "days": self.history_bars(&s.id),
            });
            match groups.iter_mut().find(|(n, _)| *n == g) {
                Some((_, v)) => v.push(entry),
                None => groups.push((g, vec![entry])),
            }
        }
        let incidents = self.incidents();
        let active: Vec<Value> = incidents
            .iter()
            .filter(|r| r.is_open())
            .map(|r| {
                let mut v = self.incident_summary(r);
                let latest = self.updates(&r.updates).pop();
                if let Some(o) = v.as_object_mut() {
                    o.insert("latest_update".into(), latest.unwrap_or(Value::Null));
                }
                v
            })
            .collect();
        let week = now - Duration::days(7);
        let recent: Vec<Value> = incidents
            .iter()
            .filter(|r| r.reported().is_some_and(|t| t >= week && t <= now))
            .map(|r| self.incident_summary(r))
            .collect();
        let maintenance: Vec<Value> = self
            .maintenance()
            .iter()
            .filter(|m| m.scheduled_end.as_ref().is_some_and(|e| e.time > now))
            .map(|m| self.maintenance_summary(m))
            .collect();
        self.render(
            "status.html",
            json!({
                "overall": { "status": overall, "label": status::overall_label(&overall), "indicator": status::indicator(&overall) },
                "groups": groups.into_iter().map(|(n, s)| json!({"name": n, "services": s})).collect::<Vec<_>>(),
                "active": active,
                "recent": recent,
                "maintenance": maintenance,
            }),
        )
    }

    /// One bar per day of the history window, oldest first: the worst
    /// impact on the service that day and the incidents behind it.
    fn history_bars(&self, service: &str) -> Vec<Value> {
        let zone = &self.site.config.timezone;
        let days = i64::from(self.site.config.history_days);
        let today = time::local_date(self.now, zone);
        let first = today - Duration::days(days - 1);
        let n = usize::try_from(days).unwrap_or(0);
        let mut worst: Vec<&str> = vec!["operational"; n];
        let mut lists: Vec<Vec<&Record>> = vec![Vec::new(); n];
        // Marks the days from `a` to `b` with a status and the record.
        let mut mark = |a: Time, b: Time, st: &'static str, rec: &'a Record| {
            let (mut d, last) = (
                time::local_date(a, zone).max(first),
                time::local_date(b, zone).min(today),
            );
            while d <= last {
                let i = usize::try_from((d - first).num_days())
                    .ok()
                    .filter(|i| *i < n);
                if let Some((w, l)) = i.and_then(|i| worst.get_mut(i).zip(lists.get_mut(i))) {
                    if status::rank(st) > status::rank(w) {
                        *w = st;
                    }
                    l.push(rec);
                }
                d += Duration::days(1);
            }
        };
        for rec in self
            .prep
            .by_service
            .get(service)
            .map_or(&[][..], Vec::as_slice)
        {
            let Some(impact) = status::impact_on(rec, service) else {
                continue;
            };
            let Some((a, b)) = status::impact_span(rec, self.now) else {
                continue;
            };
            let st = status::ORDER
                .iter()
                .find(|o| **o == impact)
                .copied()
                .unwrap_or("operational");
            mark(a, b, st, rec);
        }
        for m in self
            .maintenance()
            .iter()
            .filter(|m| m.services.iter().any(|s| s.id == service))
        {
            if let (Some(a), Some(b)) = (&m.scheduled_start, &m.scheduled_end) {
                if a.time <= self.now {
                    mark(a.time, b.time.min(self.now), "under_maintenance", m);
                }
            }
        }
        worst
            .iter()
            .zip(lists.iter())
            .enumerate()
            .map(|(i, (w, l))| {
                let date = first + Duration::days(i as i64);
                json!({
                    "date": date.format("%Y-%m-%d").to_string(),
                    "label": date.format("%-d %b %Y").to_string(),
                    "status": w,
                    "status_label": if *w == "operational" { "No incidents" } else { status::label(w) },
                    "incidents": l.iter().take(BAR_INCIDENTS).map(|r| json!({"id": r.id_str(), "title": r.title, "url": match r.kind {
                        Kind::Incident => self.incident_url(r.id_str()),
                        Kind::Maintenance => self.url(&format!("maintenance/{}/", slug_id(r.id_str()))),
                    }})).collect::<Vec<_>>(),
                    "more": l.len().saturating_sub(BAR_INCIDENTS),
                })
            })
            .collect()
    }

    pub(crate) fn maintenance_status(&self, m: &Record) -> String {
        if let Some(s) = &m.status {
            return s.clone();
        }
        let (Some(s), Some(e)) = (&m.scheduled_start, &m.scheduled_end) else {
            return "scheduled".into();
        };
        if self.now < s.time {
            "scheduled".into()
        } else if self.now < e.time {
            "in_progress".into()
        } else {
            "completed".into()
        }
    }

    fn maintenance_summary(&self, m: &Record) -> Value {
        let st = self.maintenance_status(m);
        json!({
            "id": m.id_str(), "title": m.title,
            "url": self.url(&format!("maintenance/{}/", slug_id(m.id_str()))),
            "status": st, "status_label": Self::status_label(&st),
                        "start": m.scheduled_start.as_ref().map(|a| self.fmt(a.time)),
            "end": m.scheduled_end.as_ref().map(|a| self.fmt(a.time)),
            "start_iso": m.scheduled_start.as_ref().map(|a| time::rfc3339(a.time)),
            "end_iso": m.scheduled_end.as_ref().map(|a| time::rfc3339(a.time)),
        })
    }

    /// Columns of the compliance page: a family of rules each.
    const COMPLIANCE_GROUPS: &'static [(&'static str, &'static str)] = &[
        ("input", "Input"),
        ("targets", "Targets"),
        ("notices", "Notices"),
        ("ownership", "Owner & report"),
        ("links", "Parent & child"),
        ("waivers", "Waivers"),
    ];

    /// The compliance page's group of a rule (the registry says which).
    fn compliance_group(rule: &str) -> &'static str {
        rules::by_id(rule).map_or("input", |r| r.group.key())
    }

    fn compliance_page(&self) -> Result<Vec<u8>> {
        // Each row renders on its own (`compliance_row.html`), in parallel,
        // and is dropped as text: one context of every row at once took
        // 1.1 GB and seven seconds at 100,000 incidents.
        let site = self.site_ctx();
        let rows: Vec<String> = self
            .incidents()
            .par_iter()
            .map(|r| {
                let row = self.compliance_row(r, self.diags_of(r));
                let ctx = object([("r", row), ("site", site.clone())]);
                self.render_with("compliance_row.html", ctx)
            })
            .collect::<Result<_>>()?;
        let mut totals: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        let mut clean = 0;
        for r in self.incidents() {
            let diags = self.diags_of(r);
            for d in diags {
                let e = totals.entry(d.rule.id).or_default();
                if d.waived {
                    e.1 += 1;
                } else {
                    e.0 += 1;
                }
            }
            // Every rule has a column, so a row is clean when all its findings are waived.
            clean += usize::from(diags.iter().all(|d| d.waived));
        }
        // Rows are separated by a blank line, as the page's loop wrote them.
        let mut rows_html = String::with_capacity(rows.iter().map(|h| h.len() + 1).sum());
        for html in &rows {
            rows_html.push('\n');
            rows_html.push_str(html);
        }
        let groups: Vec<Value> = Self::COMPLIANCE_GROUPS
            .iter()
            .map(|(k, l)| json!({"key": k, "label": l}))
            .collect();
        let totals: Vec<Value> = totals
            .into_iter()
            .map(|(rule, (open, waived))| json!({"rule": rule, "group": Self::compliance_group(rule), "open": open, "waived": waived}))
            .collect();
        self.render(
            "compliance.html",
            object([
                ("groups", Value::from(groups)),
                ("rows_html", Value::from(rows_html)),
                ("incidents", Value::from(rows.len())),
                ("totals", Value::from(totals)),
                ("clean", Value::from(clean)),
            ]),
        )
    }

    /// The diagnostics of a record's file.
    fn diags_of(&self, r: &Record) -> &[&'a Diagnostic] {
        self.prep
            .diags_by_file
            .get(r.file.as_str())
            .map_or(&[][..], Vec::as_slice)
    }

    /// One incident of the compliance page: its summary, its findings per
    /// column (`cells`), how many are open, and where its report is.
    fn compliance_row(&self, r: &Record, diags: &[&Diagnostic]) -> Value {
        let mut open = 0;
        let cells: Vec<Value> = Self::COMPLIANCE_GROUPS
            .iter()
            .map(|(key, _)| {
                let mine: Vec<&&Diagnostic> = diags
                    .iter()
                    .filter(|d| Self::compliance_group(d.rule.id) == *key)
                    .collect();
                let open_n = mine.iter().filter(|d| !d.waived).count();
                open += open_n;
                json!({
                    "group": key,
                    "open": open_n,
                    "waived": mine.len() - open_n,
                    "rules": mine.iter().map(|d| json!({"rule": d.rule.id, "waived": d.waived, "message": d.message})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut v = self.incident_summary(r);
        if let Some(o) = v.as_object_mut() {
            o.insert("cells".into(), Value::from(cells));
            o.insert("open".into(), json!(open));
            o.insert(
                "report_url".into(),
                json!(self.url(&format!("incidents/{}/report/", slug_id(r.id_str())))),
            );
            o.insert("has_report".into(), json!(self.has_report(r)));
        }
        v
    }

    fn history_pages(&self) -> usize {
        self.prep.incidents.len().div_ceil(HISTORY_PAGE).max(1)
    }

    fn history_url(&self, n: usize) -> String {
        if n <= 1 {
            self.url("incidents/")
        } else {
            self.url(&format!("incidents/page/{n}/"))
        }
    }

    fn history_page(&self, n: usize) -> Result<Vec<u8>> {
        let zone = &self.site.config.timezone;
        let mut months: Vec<(String, String, Vec<Value>)> = Vec::new();
        let start = (n.max(1) - 1) * HISTORY_PAGE;
        let list = self.incidents().get(start..).unwrap_or(&[]);
        for r in list.iter().take(HISTORY_PAGE) {
            let Some(t) = r.reported() else { continue };
            let local = zone.local(t);
            let key = local.format("%Y-%m").to_string();
            let label = local.format("%B %Y").to_string();
            let v = self.incident_summary(r);
            match months.last_mut() {
                Some((k, _, list)) if *k == key => list.push(v),
                _ => months.push((key, label, vec![v])),
            }
        }
        let months: Vec<Value> = months
            .into_iter()
            .map(|(k, l, i)| {
                object([
                    ("key", Value::from(k)),
                    ("label", Value::from(l)),
                    ("incidents", Value::from(i)),
                ])
            })
            .collect();
        let total = self.history_pages();
        let pagination = json!({
            "current": n,
            "total": total,
            "prev_url": (n > 1).then(|| self.history_url(n - 1)),
            "next_url": (n < total).then(|| self.history_url(n + 1)),
        });
        self.render(
            "incidents.html",
            object([("months", Value::from(months)), ("pagination", pagination)]),
        )
    }

    /// The context of an incident with a report is built once for both
    /// pages: whichever is rendered first leaves it for the other.
    fn paired_incident_context(&self, r: &Record) -> Value {
        if !self.has_report(r) {
            return self.incident_context(r);
        }
        let key = std::ptr::from_ref(r) as usize;
        let kept = self.pair.lock().ok().and_then(|mut m| m.remove(&key));
        if let Some(v) = kept {
            return v;
        }
        let v = self.incident_context(r);
        if let Ok(mut m) = self.pair.lock() {
            m.insert(key, v.clone());
        }
        v
    }

    fn incident_context(&self, r: &Record) -> Value {
        let base = format!("incidents/{}/", slug_id(r.id_str()));
        let mut inc = self.incident_summary(r);
        let children: Vec<Value> = self
            .prep
            .children
            .get(r.id_str())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|c| self.incident_summary(c))
            .collect();
        let has_report = self.has_report(r);
        if let Some(o) = inc.as_object_mut() {
            o.insert("services".into(), Value::from(self.services_of(r)));
            o.insert("updates".into(), Value::from(self.updates(&r.updates)));
            o.insert("children".into(), Value::from(children));
            o.insert("has_report".into(), json!(has_report));
            o.insert(
                "report_url".into(),
                json!(self.url(&format!("{base}report/"))),
            );
            if !self.public {
                o.insert(
                    "roles".into(),
                    Value::from(
                        r.roles
                            .iter()
                            .map(|(k, v)| json!({"label": Self::status_label(k), "name": v}))
                            .collect::<Vec<_>>(),
                    ),
                );
                o.insert("timeline".into(), Value::from(self.merged_timeline(r)));
                o.insert(
                    "links".into(),
                    json!(r
                        .links
                        .iter()
                        .map(|l| json!({"title": l.title, "url": markdown::safe_url(&l.url)}))
                        .collect::<Vec<_>>()),
                );
                o.insert(
                    "runbook".into(),
                    match r.runbook.as_ref().and_then(|(s, _)| self.site.runbook(s)) {
                        Some(rb) => json!({"title": rb.title, "url": self.runbook_url(&rb.slug)}),
                        None => Value::Null,
                    },
                );
                o.insert(
                    "parent".into(),
                    match r.parent.as_ref().and_then(|(p, _)| self.site.record(p)) {
                        Some(p) => self.incident_summary(p),
                        None => Value::Null,
                    },
                );
            }
        }
        inc
    }

    fn has_report(&self, r: &Record) -> bool {
        !self.public && !r.is_open()
    }

    fn merged_timeline(&self, r: &Record) -> Vec<Value> {
        // (time, order among equal times, kind, label, text as HTML)
        let mut items: Vec<(Time, u8, &str, String, String)> = Vec::new();
        for e in &r.timeline {
            if let Some(t) = e.at {
                let label = e.by.clone().unwrap_or_else(|| "Note".into());
                items.push((t, 0, "entry", label, markdown::inline_html(&e.text)));
            }
        }
        for n in &r.notifications {
            if let Some(t) = n.at {
                let to: Vec<&str> = n.to.iter().chain(&n.cc).map(String::as_str).collect();
                let text = format!(
                    "{} notice by {} to {}{}",
                    n.kind,
                    n.channels.join(", "),
                    to.join(", "),
                    detail(n.summary.as_deref())
                );
                let html = markdown::inline_html(&text);
                items.push((t, 1, "notice", "Notice".into(), html));
            }
        }
        for e in &r.escalations {
            if let Some(t) = e.at {
                let text = format!(
                    "Level {} → {}{}",
                    e.from.unwrap_or_default(),
                    e.to.unwrap_or_default(),
                    detail(e.reason.as_deref())
                );
                let html = markdown::inline_html(&text);
                items.push((t, 2, "escalation", "Escalation".into(), html));
            }
        }
        for u in &r.updates {
            if let Some(t) = u.at {
                let label = format!(
                    "Public update ({})",
                    u.status.as_deref().unwrap_or("update")
                );
                items.push((t, 3, "update", label, markdown::inline_html(&u.text)));
            }
        }
        for (f, a) in r.times.iter() {
            let label = Self::status_label(f.trim_end_matches("_at"));
            items.push((a.time, 4, "lifecycle", label, String::new()));
        }
        items.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        items
            .into_iter()
            .map(|(t, _, kind, label, html)| {
                object([
                    ("kind", Value::from(kind)),
                    ("label", Value::from(label)),
                    ("html", Value::from(html)),
                    ("at", Value::from(self.fmt(t))),
                    ("iso", Value::from(time::rfc3339_offset(t))),
                ])
            })
            .collect()
    }

    fn report(&self, r: &Record) -> Value {
        let ctx = Ctx {
            site: self.site,
            rec: r,
            now: self.now,
        };
        let reported = r.reported();
        let targets: Vec<Value> = check::targets_of(&ctx)
            .into_iter()
            .map(|t| {
                let actual = t.actual.zip(reported).map(|(a, rep)| format_duration(a - rep));
                let (result, class) = match (t.actual, t.missed) {
                    (Some(a), true) => (format!("missed by {}", format_duration(a - t.due)), "missed"),
                    (None, true) => ("missed".to_owned(), "missed"),
                    (Some(_), false) => ("met".to_owned(), "met"),
                    (None, false) => ("not yet due".to_owned(), "pending"),
                };
                json!({"name": t.name, "goal": format_duration(t.target), "actual": actual.unwrap_or_else(|| "—".into()), "result": result, "class": class})
            })
            .collect();
        let notices: Vec<Value> = check::duties(&ctx)
            .into_iter()
            .map(|d| {
                let (result, class) = match &d.state {
                    DutyState::Pending => ("not yet due".to_owned(), "pending"),
                    DutyState::Met(t) => (format!("sent {}", ctx.t(*t)), "met"),
                    DutyState::Missing { late: Some(t) } => (format!("late by {}", format_duration(*t - d.due)), "late"),
                    DutyState::Missing { late: None } => match d.gap {
                        Some((a, b)) => (format!("gap {} – {}", ctx.t(a), ctx.t(b)), "missing"),
                        None => ("missing".to_owned(), "missing"),
                    },
                    DutyState::Recipients(m) => (format!("did not reach {}", m.join("; ")), "missing"),
                    DutyState::Lapsed => ("lapsed (level lowered)".to_owned(), "pending"),
                };
                json!({"name": d.name, "cause": d.cause, "due": ctx.t(d.due), "result": result, "class": class})
            })
            .collect();
        let rep = r.report.clone().unwrap_or_default();
        let md = |s: &Option<String>| s.as_ref().map(|t| markdown::inline_html(t));
        let today = time::local_date(self.now, &self.site.config.timezone);
        let follow_ups: Vec<Value> = rep
            .follow_ups
            .iter()
            .map(|f| {
                let overdue = !f.done && f.due.is_some_and(|d| today > d);
                let (state, class) = if f.done { ("done", "met") } else if overdue { ("overdue", "missed") } else { ("open", "pending") };
                json!({"title": f.title, "owner": f.owner, "due": f.due.map(|d| d.to_string()), "state": state, "class": class, "link": f.link.as_deref().map(markdown::safe_url)})
            })
            .collect();
        let findings: Vec<Value> = self
            .diags_of(r)
            .iter()
            .map(|d| json!({"rule": d.rule.id, "message": d.message, "waived": d.waived, "level": d.level.as_str()}))
            .collect();
        let waivers: Vec<Value> = r
            .waivers
            .iter()
            .map(|w| json!({"rule": w.rule, "reason": w.reason}))
            .collect();
        object([
            ("targets", Value::from(targets)),
            ("notices", Value::from(notices)),
            ("conditions", Value::from(md(&rep.conditions))),
            ("actions", Value::from(md(&rep.actions))),
            ("needs", Value::from(md(&rep.needs))),
            ("root_cause", Value::from(md(&rep.root_cause))),
            ("follow_ups", Value::from(follow_ups)),
            ("findings", Value::from(findings)),
            ("waivers", Value::from(waivers)),
        ])
    }

    fn maintenance_page(&self, m: &Record) -> Result<Vec<u8>> {
        let mut v = self.maintenance_summary(m);
        if let Some(o) = v.as_object_mut() {
            o.insert("services".into(), json!(self.services_of(m)));
            o.insert("updates".into(), json!(self.updates(&m.updates)));
        }
        self.render("maintenance.html", json!({ "maintenance": v }))
    }

    fn service_page(&self, id: &str) -> Result<Vec<u8>> {
        let cfg = &self.site.config;
        let s = cfg.service(id).ok_or_else(|| anyhow!("no service {id}"))?;
        let (st, up) = self.service_state(id);
        let incidents: Vec<Value> = self
            .prep
            .by_service
            .get(id)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|r| self.incident_summary(r))
            .collect();
        let runbooks: Vec<Value> = self
            .prep
            .runbooks_by_service
            .get(id)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .map(|r| json!({"title": r.title, "url": self.runbook_url(&r.slug)}))
            .collect();
        self.render(
            "service.html",
            json!({ "service": {
                                "id": s.id, "name": s.name, "description": s.description,
                "owner": if self.public { None } else { s.owner.clone() },
                "status": st, "status_label": status::label(&st),
                                "uptime": format!("{up:.2}"),
                "incidents": incidents, "runbooks": if self.public { json!([]) } else { json!(runbooks) },
            }}),
        )
    }

    fn is_stale(&self, rb: &Runbook) -> bool {
        let every = rb.review_every.unwrap_or(self.site.config.review_every);
        let today = time::local_date(self.now, &self.site.config.timezone);
        rb.last_reviewed.is_none_or(|d| today - d > every)
    }

    fn section_title(&self, section: &str) -> String {
        self.prep.sections.get(section).map_or_else(
            || {
                if section.is_empty() {
                    "General".to_owned()
                } else {
                    Runbook {
                        slug: section.to_owned(),
                        ..Runbook::default()
                    }
                    .title_or_slug()
                }
            },
            |r| r.title.clone(),
        )
    }

    fn runbooks_index(&self) -> Result<Vec<u8>> {
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
                rbs.sort_by(|a, b| a.weight.cmp(&b.weight).then_with(|| a.title.cmp(&b.title)).then_with(|| a.slug.cmp(&b.slug)));
                                let index = self.prep.sections.get(sec.as_str()).copied();
                let title = self.section_title(&sec);
                let intro = index.filter(|i| !i.body.trim().is_empty()).map(|i| self.runbook_html(i));
                let weight = index.map_or(0, |i| i.weight);
                let v = json!({
                    "title": title,
                    "anchor": section_anchor(&sec),
                    "intro": intro,
                    "runbooks": rbs.iter().map(|r| json!({"title": r.title, "url": self.runbook_url(&r.slug), "description": r.description, "stale": self.is_stale(r)})).collect::<Vec<_>>(),
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
    fn runbook_html(&self, rb: &Runbook) -> String {
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

    fn runbook_page(&self, rb: &Runbook) -> Result<Vec<u8>> {
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

    /// The search index's entries, one at a time: the index of a large site
    /// is never held twice.
    fn search_entries(&self, with_text: bool) -> impl Iterator<Item = SearchEntry<'a>> + '_ {
        let runbooks = self.visible_runbooks().iter().map(move |&rb| SearchEntry {
            title: rb.title.as_str().into(),
            url: self.runbook_url(&rb.slug),
            kind: "runbook",
            // Headings and the opening text: enough to find a runbook,
            // small enough that the index stays light on a phone.
            text: with_text.then(|| {
                let mut t: String = rb
                    .outline
                    .headings
                    .iter()
                    .map(|h| h.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                t.push(' ');
                t.extend(rb.outline.text.chars().take(markdown::SEARCH_TEXT));
                t
            }),
        });
        let incidents = self.incidents().iter().map(move |&r| SearchEntry {
            title: format!("{} {}", r.id_str(), r.title).into(),
            url: self.incident_url(r.id_str()),
            kind: "incident",
            text: with_text.then(|| {
                let t: String = r
                    .updates
                    .iter()
                    .map(|u| u.text.as_str())
                    .chain(r.timeline.iter().map(|e| e.text.as_str()))
                    .collect::<Vec<_>>()
                    .join(" ");
                t.chars().take(1000).collect::<String>()
            }),
        });
        runbooks.chain(incidents)
    }

    fn sitemap<'p>(&self, paths: impl Iterator<Item = &'p str>) -> Vec<u8> {
        let cfg = &self.site.config;
        let origin = if cfg.base_url.contains("://") {
            let after = cfg.base_url.split_once("://").map_or("", |(_, a)| a);
            let host = after.split('/').next().unwrap_or("");
            format!(
                "{}://{}",
                cfg.base_url.split("://").next().unwrap_or("https"),
                host
            )
        } else {
            String::new()
        };
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        let mut paths: Vec<&str> = paths.filter(|p| p.ends_with("index.html")).collect();
        paths.sort_unstable();
        for path in paths {
            let url = format!(
                "{origin}{}{}",
                self.base,
                path.trim_end_matches("index.html")
            );
            s.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                crate::escape::markup(&url)
            ));
        }
        s.push_str("</urlset>\n");
        s.into_bytes()
    }
}

impl Runbook {
    fn title_or_slug(&self) -> String {
        let last = self.slug.rsplit('/').next().unwrap_or(&self.slug);
        let t = last.replace(['-', '_'], " ");
        let mut c = t.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => t,
        }
    }
}

/// Record ids as URL segments: keep letters, digits, `-`, `_` and `.`.
pub fn slug_id(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn section_anchor(section: &str) -> String {
    if section.is_empty() {
        "general".to_owned()
    } else {
        markdown::slugify(section)
    }
}

/// One entry of the search index (`search.json`) or of the search page.
#[derive(serde::Serialize)]
struct SearchEntry<'a> {
    title: std::borrow::Cow<'a, str>,
    url: String,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

/// A JSON object from owned values, without the copy `json!` makes of an
/// interpolated `Value`.
fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}
