//! The renderer's shared state: the prepared model, URLs, times and the
//! helpers every page builder uses. Page builders (`render/pages/`), the
//! API, feeds and badges depend on this, never on each other.

use crate::diag::Diagnostic;
use crate::markdown;
use crate::model::incident::{Kind, Record, Time};
use crate::model::runbook::Runbook;
use crate::model::site::Site;
use crate::render::status;
use crate::render::theme::{tera_error, Theme};
use crate::time::{self};
use anyhow::{anyhow, Result};
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

/// Output files by path below the output folder.
pub type Files = BTreeMap<String, Vec<u8>>;

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
    pub(crate) prep: Prepared<'a>,
    /// An incident's page context, kept between rendering its page and its
    /// report (which shows the same context): the pair is adjacent in the
    /// page list, so this holds a few entries at a time.
    /// Keyed by the record's address: records do not move while borrowed.
    pub(crate) pair: std::sync::Mutex<HashMap<usize, Value>>,
}

/// Look-ups computed once per render, so that every page costs time in
/// proportion to what it shows, never to the size of the whole site.
#[derive(Default)]
pub(crate) struct Prepared<'a> {
    /// Incidents shown, newest first.
    pub(crate) incidents: Vec<&'a Record>,
    /// Maintenance windows shown, by start.
    pub(crate) maintenance: Vec<&'a Record>,
    pub(crate) runbooks: Vec<&'a Runbook>,
    pub(crate) by_runbook: HashMap<&'a str, Vec<&'a Record>>,
    pub(crate) by_service: HashMap<&'a str, Vec<&'a Record>>,
    pub(crate) children: HashMap<&'a str, Vec<&'a Record>>,
    pub(crate) runbooks_by_service: HashMap<&'a str, Vec<&'a Runbook>>,
    pub(crate) sections: HashMap<&'a str, &'a Runbook>,
    /// Each section's anchor on the runbooks page, none repeated (`a/b`
    /// and `a-b` would both be `a-b`; the first by name keeps it).
    pub(crate) section_anchors: HashMap<&'a str, String>,
    pub(crate) diags_by_file: HashMap<&'a str, Vec<&'a Diagnostic>>,
    /// Service id → (status, uptime %).
    pub(crate) service_state: HashMap<&'a str, (String, f64)>,
    /// The monthly review's rows, on first use (internal view only).
    pub(crate) analysis: std::sync::OnceLock<crate::render::pages::analysis::Analysis<'a>>,
    /// The runbooks page's sections, on first use.
    pub(crate) runbook_sections:
        std::sync::OnceLock<Vec<crate::render::pages::runbooks::Section<'a>>>,
    /// The search index's files, on first use.
    pub(crate) search: std::sync::OnceLock<crate::render::search_index::Index>,
    /// The compliance table's rows and totals, on first use.
    pub(crate) compliance: std::sync::OnceLock<crate::render::pages::compliance::Compliance<'a>>,
}

pub(crate) fn page_path(url_path: &str) -> String {
    format!("{}index.html", url_path.trim_start_matches('/'))
}

/// Record ids as URL segments (the model's [`crate::model::incident::page_slug`]).
pub fn slug_id(id: &str) -> String {
    crate::model::incident::page_slug(id)
}

/// A JSON object from owned values, without the copy `json!` makes of an
/// interpolated `Value`.
pub(crate) fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

impl Runbook {
    pub(crate) fn title_or_slug(&self) -> String {
        let last = self.slug.rsplit('/').next().unwrap_or(&self.slug);
        let t = last.replace(['-', '_'], " ");
        let mut c = t.chars();
        match c.next() {
            Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
            None => t,
        }
    }
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

    pub(crate) fn prepare(&self) -> Prepared<'a> {
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
        let mut names: Vec<&str> = p.runbooks.iter().map(|r| r.section()).collect();
        names.extend(p.sections.keys().copied());
        names.sort_unstable();
        names.dedup();
        let mut ids = crate::markdown::IdMaker::default();
        for n in names {
            let anchor = ids.make(if n.is_empty() { "general" } else { n });
            p.section_anchors.insert(n, anchor);
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

    /// `5 Mar 2026, 09:05 CET` in English: every time on every page, in
    /// the site's language ([`crate::render::i18n::Strings::date_time`]).
    pub(crate) fn fmt(&self, t: Time) -> String {
        use chrono::{Datelike, Timelike};
        let z = &self.site.config.timezone;
        let l = z.local(t);
        self.strings().date_time(
            l.year(),
            l.month(),
            l.day(),
            l.hour(),
            l.minute(),
            &z.abbreviation(t),
        )
    }

    pub(crate) fn strings(&self) -> &crate::render::i18n::Strings {
        &self.theme.strings
    }

    /// The text of `{prefix}.{id}`, or `id` as a label (`tech_lead`:
    /// "Tech lead") when no language has one: roles and moments are open
    /// lists.
    pub(crate) fn word(&self, prefix: &str, id: &str) -> String {
        match self.strings().lookup(&format!("{prefix}.{id}")) {
            Some(l) => l.to_owned(),
            None => Self::status_label(id),
        }
    }

    /// An incident's or maintenance's state (`monitoring`) in the site's
    /// language; a state no language names reads as written.
    pub(crate) fn state_label(&self, s: &str) -> String {
        self.word("state", s)
    }

    /// A service's status or an incident's impact in the site's language.
    pub(crate) fn impact_label(&self, s: &str) -> &str {
        let id = status::Status::of(s).id();
        self.strings()
            .lookup(&format!("status.{id}"))
            .unwrap_or(status::label(s))
    }

    pub(crate) fn overall_label(&self, s: &str) -> &str {
        let id = status::Status::of(s).id();
        self.strings()
            .lookup(&format!("overall.{id}"))
            .unwrap_or(status::overall_label(s))
    }

    fn duration_units(&self) -> String {
        let (units, sep) = self.strings().duration_units();
        let all = [&units[0], &units[1], &units[2], &units[3], sep];
        serde_json::to_string(&all).unwrap_or_default()
    }

    pub(crate) fn site_ctx(&self) -> Value {
        let c = &self.site.config;
        json!({
            "title": c.title,
            "base": self.base,
            "language": c.language,
            "timezone": c.timezone.to_string(),
            "repository_url": c.repository_url,
            "history_days": c.history_days,
            // Seconds, for the status page's `<meta http-equiv=refresh>`.
            "refresh": c.refresh.map(|d| d.num_seconds()),
            "public": self.public,
            "now": self.fmt(self.now),
            // For the page's script, which keeps "going on for 2h15m" current.
            "duration_units": self.duration_units(),
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
    pub(crate) fn render_with(&self, template: &str, ctx: Value) -> Result<String> {
        let c = tera::Context::from_value(ctx).map_err(|e| anyhow!("{e}"))?;
        self.theme
            .tera
            .render(template, &c)
            .map_err(|e| anyhow!("rendering {template}: {}", tera_error(&e)))
    }

    pub(crate) fn visible_runbooks(&self) -> &[&'a Runbook] {
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

    pub(crate) fn runbook_url(&self, slug: &str) -> String {
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

    pub(crate) fn incident_summary(&self, r: &Record) -> Value {
        let sev = r.severity.and_then(|l| self.site.config.policy.level(l));
        json!({
            "id": r.id_str(),
            "title": r.title,
            "url": self.incident_url(r.id_str()),
            "status": r.effective_status(),
            "status_label": self.state_label(r.effective_status()),
            "severity": if self.public { None } else { r.severity },
            // Severity levels are the procedure's, not the customer's.
            "severity_label": if self.public { String::new() } else { sev.map_or_else(|| self.strings().get("level.unknown").to_owned(), |l| self.strings().fill("level.label", &[("level", &l.level.to_string()), ("name", &l.name)])) },
            "impact": r.impact,
            "impact_label": self.impact_label(&r.impact),
            "reported": r.reported().map(|t| self.fmt(t)),
            "started": r.started().map(|t| self.fmt(t)),
            "recovered": r.recovered().map(|t| self.fmt(t)),
            "reported_iso": r.reported().map(time::rfc3339),
            "started_iso": r.started().map(time::rfc3339),
            "recovered_iso": r.recovered().map(time::rfc3339),
        })
    }

    pub(crate) fn services_of(&self, r: &Record) -> Vec<Value> {
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

    pub(crate) fn updates(&self, ups: &[crate::model::incident::Update]) -> Vec<Value> {
        ups.iter()
            .filter_map(|u| {
                let at = u.at?;
                Some(json!({
                    "at": self.fmt(at),
                    "iso": time::rfc3339_offset(at),
                    "status": self.state_label(u.status.as_deref().unwrap_or("update")),
                    "html": markdown::inline_html(&u.text),
                }))
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

    pub(crate) fn maintenance_summary(&self, m: &Record) -> Value {
        let st = self.maintenance_status(m);
        json!({
            "id": m.id_str(), "title": m.title,
            "url": self.url(&format!("maintenance/{}/", slug_id(m.id_str()))),
            "status": st, "status_label": self.state_label(&st),
                        "start": m.scheduled_start.as_ref().map(|a| self.fmt(a.time)),
            "end": m.scheduled_end.as_ref().map(|a| self.fmt(a.time)),
            "start_iso": m.scheduled_start.as_ref().map(|a| time::rfc3339(a.time)),
            "end_iso": m.scheduled_end.as_ref().map(|a| time::rfc3339(a.time)),
        })
    }

    /// Columns of the compliance page: a family of rules each.
    pub(crate) const COMPLIANCE_GROUPS: &'static [(&'static str, &'static str)] = &[
        ("input", "Input"),
        ("targets", "Targets"),
        ("notices", "Notices"),
        ("ownership", "Owner & report"),
        ("links", "Parent & child"),
        ("waivers", "Waivers"),
    ];

    pub(crate) fn history_pages(&self) -> usize {
        self.prep.incidents.len().div_ceil(HISTORY_PAGE).max(1)
    }

    /// Page `n` of the list at `folder` (`incidents/`): the folder itself
    /// for page 1, else `<folder>page/<n>/`.
    pub(crate) fn paged_url(&self, folder: &str, n: usize) -> String {
        if n <= 1 {
            self.url(folder)
        } else {
            self.url(&format!("{folder}page/{n}/"))
        }
    }

    /// The pager of page `n` of `total` of the list at `folder`: `{ current,
    /// total, prev_url, next_url }` (the history, a service, compliance).
    pub(crate) fn pagination(&self, folder: &str, n: usize, total: usize) -> Value {
        json!({
            "current": n,
            "total": total,
            "prev_url": (n > 1).then(|| self.paged_url(folder, n - 1)),
            "next_url": (n < total).then(|| self.paged_url(folder, n + 1)),
        })
    }

    /// A record's children in this view, by id.
    pub(crate) fn children_of(&self, r: &Record) -> &[&'a Record] {
        self.prep
            .children
            .get(r.id_str())
            .map_or(&[][..], Vec::as_slice)
    }

    /// The diagnostics of a record's file.
    pub(crate) fn diags_of(&self, r: &Record) -> &[&'a Diagnostic] {
        self.prep
            .diags_by_file
            .get(r.file.as_str())
            .map_or(&[][..], Vec::as_slice)
    }

    pub(crate) fn is_stale(&self, rb: &Runbook) -> bool {
        let every = rb.review_every.unwrap_or(self.site.config.review_every);
        let today = time::local_date(self.now, &self.site.config.timezone);
        rb.last_reviewed.is_none_or(|d| today - d > every)
    }

    /// A section's title: its `_index.md`'s, else its folder's name;
    /// "General" for the runbooks directly under `content/` (whose
    /// `_index.md` introduces the runbooks page instead).
    pub(crate) fn section_title(&self, section: &str) -> String {
        if section.is_empty() {
            return "General".to_owned();
        }
        self.prep.sections.get(section).map_or_else(
            || {
                Runbook {
                    slug: section.to_owned(),
                    ..Runbook::default()
                }
                .title_or_slug()
            },
            |r| r.title.clone(),
        )
    }
}
