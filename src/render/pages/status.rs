//! The status page, its history bars, and a service's page.

use crate::model::incident::{Kind, Record, Time};
use crate::render::context::*;
use crate::render::status;
use crate::time::{self};
use anyhow::{anyhow, Result};
use chrono::Duration;
use serde_json::{json, Value};
use std::collections::HashSet;

/// Incidents a day's bar lists by name; the rest are counted. Records
/// left open for months would otherwise put every one of them into every
/// day of every bar (90 x 20,000 entries for one service).
const BAR_INCIDENTS: usize = 10;
/// Incidents the bars of the whole status page name: a site with an
/// incident on most days of every service names fewer per day, or only
/// counts them, so that the page stays light (SITE.md, "Page weight").
const PAGE_BAR_INCIDENTS: usize = 1_000;
/// Incidents "Past 7 days" lists; the history has the rest.
const RECENT_SHOWN: usize = 50;

/// A service's days, oldest first: the worst status and the records.
type Days<'a> = (Vec<&'static str>, Vec<Vec<&'a Record>>);

impl<'a> Renderer<'a> {
    pub(crate) fn status_page(&self) -> Result<Vec<u8>> {
        let now = self.now;
        let cfg = &self.site.config;
        let mut overall = "operational".to_owned();
        let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
        let days: Vec<Days> = cfg
            .services
            .iter()
            .map(|s| self.service_days(&s.id))
            .collect();
        let busy: usize = days
            .iter()
            .map(|(_, lists)| lists.iter().filter(|l| !l.is_empty()).count())
            .sum();
        let per_day = (PAGE_BAR_INCIDENTS / busy.max(1)).min(BAR_INCIDENTS);
        for (s, (worst, lists)) in cfg.services.iter().zip(days) {
            let (st, up) = self.service_state(&s.id);
            if status::rank(&st) > status::rank(&overall) {
                overall = st.clone();
            }
            let g = s.group.clone().unwrap_or_else(|| "Services".to_owned());
            let entry = json!({
                "id": s.id, "name": s.name, "url": self.url(&format!("services/{}/", s.id)),
                "status": st, "status_label": self.impact_label(&st),
                "uptime": format!("{up:.2}"),
                "days": self.history_bars(&worst, &lists, per_day),
            });
            match groups.iter_mut().find(|(n, _)| *n == g) {
                Some((_, v)) => v.push(entry),
                None => groups.push((g, vec![entry])),
            }
        }
        let incidents = self.incidents();
        // Active incidents, each open child under its open parent (as
        // Statuspage shows them), with the latest update and how long it
        // has been going on.
        let open: Vec<&Record> = incidents.iter().copied().filter(|r| r.is_open()).collect();
        let open_ids: HashSet<&str> = open.iter().map(|r| r.id_str()).collect();
        let under_open_parent = |r: &Record| {
            r.parent
                .as_ref()
                .is_some_and(|(p, _)| p != r.id_str() && open_ids.contains(p.as_str()))
        };
        let active: Vec<Value> = open
            .iter()
            .filter(|r| !under_open_parent(r))
            .map(|r| {
                let mut v = self.active_summary(r);
                let children: Vec<Value> = self
                    .children_of(r)
                    .iter()
                    .filter(|c| c.is_open() && c.id_str() != r.id_str())
                    .map(|c| self.active_summary(c))
                    .collect();
                if let Some(o) = v.as_object_mut() {
                    o.insert("children".into(), Value::from(children));
                }
                v
            })
            .collect();
        let week = now - Duration::days(7);
        let in_week = |r: &&&Record| r.reported().is_some_and(|t| t >= week && t <= now);
        let recent: Vec<Value> = incidents
            .iter()
            .filter(in_week)
            .take(RECENT_SHOWN)
            .map(|r| self.incident_summary(r))
            .collect();
        let recent_more = incidents.iter().filter(in_week).count() - recent.len();
        let maintenance: Vec<Value> = self
            .maintenance()
            .iter()
            .filter(|m| m.scheduled_end.as_ref().is_some_and(|e| e.time > now))
            .map(|m| self.maintenance_summary(m))
            .collect();
        self.render(
            "status.html",
            json!({
                "overall": { "status": overall, "label": self.overall_label(&overall), "indicator": status::indicator(&overall) },
                "groups": groups.into_iter().map(|(n, s)| json!({"name": n, "services": s})).collect::<Vec<_>>(),
                "active": active,
                "recent": recent,
                "recent_more": recent_more,
                "maintenance": maintenance,
            }),
        )
    }

    /// An active incident for the status page: its summary, its latest
    /// public update and how long it has been going on (whole minutes, as
    /// of the build; the page's script keeps it current).
    fn active_summary(&self, r: &Record) -> Value {
        let mut v = self.incident_summary(r);
        let latest = self.updates(&r.updates).pop();
        let elapsed = r.started().filter(|s| *s <= self.now).map(|s| {
            self.strings()
                .duration(Duration::minutes((self.now - s).num_minutes()))
        });
        if let Some(o) = v.as_object_mut() {
            o.insert("latest_update".into(), latest.unwrap_or(Value::Null));
            o.insert("elapsed".into(), json!(elapsed));
        }
        v
    }

    /// One bar per day of the history window, oldest first: the worst
    /// impact on the service that day and the incidents behind it.
    fn service_days(&self, service: &str) -> Days<'a> {
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
            // A service's status: an impact of `none` shows as operational.
            let st = match status::Status::of(&impact) {
                status::Status::NoImpact => status::Status::Operational,
                s => s,
            }
            .id();
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
        (worst, lists)
    }

    /// One bar per day of the history window, oldest first, naming at
    /// most `per_day` of each day's incidents.
    fn history_bars(&self, worst: &[&str], lists: &[Vec<&Record>], per_day: usize) -> Vec<Value> {
        let zone = &self.site.config.timezone;
        let days = i64::from(self.site.config.history_days);
        let first = time::local_date(self.now, zone) - Duration::days(days - 1);
        worst
            .iter()
            .zip(lists.iter())
            .enumerate()
            .map(|(i, (w, l))| {
                let date = first + Duration::days(i as i64);
                json!({
                    "date": date.format("%Y-%m-%d").to_string(),
                    "label": self.strings().day(chrono::Datelike::year(&date), chrono::Datelike::month(&date), chrono::Datelike::day(&date)),
                    "status": w,
                    "status_label": if *w == "operational" { self.strings().get("status.day_clear") } else { self.impact_label(w) },
                    "incidents": l.iter().take(per_day).map(|r| json!({"id": r.id_str(), "title": r.title, "url": match r.kind {
                        Kind::Incident => self.incident_url(r.id_str()),
                        Kind::Maintenance => self.url(&format!("maintenance/{}/", slug_id(r.id_str()))),
                    }})).collect::<Vec<_>>(),
                    "more": l.len().saturating_sub(per_day),
                    "count": l.len(),
                })
            })
            .collect()
    }

    /// How many pages a service's incident list takes ([`HISTORY_PAGE`]
    /// each, like the history): a service of a large site has thousands.
    pub(crate) fn service_pages(&self, id: &str) -> usize {
        self.prep
            .by_service
            .get(id)
            .map_or(0, Vec::len)
            .div_ceil(HISTORY_PAGE)
            .max(1)
    }

    /// Page `n` (1-based) of a service: its status, uptime, runbooks and
    /// that page's incidents, newest first.
    pub(crate) fn service_page(&self, id: &str, n: usize) -> Result<Vec<u8>> {
        let cfg = &self.site.config;
        let s = cfg.service(id).ok_or_else(|| anyhow!("no service {id}"))?;
        let (st, up) = self.service_state(id);
        let all = self.prep.by_service.get(id).map_or(&[][..], Vec::as_slice);
        let incidents: Vec<Value> = all
            .iter()
            .skip((n.max(1) - 1) * HISTORY_PAGE)
            .take(HISTORY_PAGE)
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
        let total = self.service_pages(id);
        self.render(
            "service.html",
            json!({ "service": {
                "id": s.id, "name": s.name, "description": s.description,
                "owner": if self.public { None } else { s.owner.clone() },
                "status": st, "status_label": self.impact_label(&st),
                "uptime": format!("{up:.2}"),
                "incidents": incidents, "incident_count": all.len(),
                "runbooks": if self.public { json!([]) } else { json!(runbooks) },
            },
            "pagination": self.pagination(&format!("services/{id}/"), n, total),
            }),
        )
    }
}
