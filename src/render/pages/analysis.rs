//! `/analysis/` and `/analysis/<YYYY-MM>/` (SITE.md, internal view): the
//! monthly review over time. Every number comes from `report`'s rows, which
//! read `check`'s findings and duties, so a month page says what
//! `sitrep report --month` says.

use crate::model::incident::Record;
use crate::render::chart::{self, Chart, Series, Steps};
use crate::render::context::*;
use crate::report::{self, Outcome, Row, TARGETS};
use crate::time::{self, format_duration};
use anyhow::Result;
use chrono::{Datelike, Duration, Months, NaiveDate};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The months a chart spans at least (a year shows a trend), else the
/// months of `history_days`.
const SPAN_MONTHS: u32 = 12;
/// And at most: five years of bars still read at a chart's width.
const MAX_SPAN_MONTHS: u32 = 60;
/// Services listed under "most incidents".
const TOP_SERVICES: usize = 10;

/// The review's rows, worked out once per render, on first use.
pub(crate) struct Analysis<'a> {
    rows: Vec<Row<'a>>,
    /// Each month's rows (indices into `rows`).
    by_month: BTreeMap<NaiveDate, Vec<usize>>,
    history: BTreeMap<NaiveDate, usize>,
    /// The charts' months, oldest first, ending with this month.
    span: Vec<NaiveDate>,
}

impl<'a> Analysis<'a> {
    fn month(&self, m: NaiveDate) -> Vec<&Row<'a>> {
        self.by_month
            .get(&m)
            .map(|ix| ix.iter().filter_map(|&i| self.rows.get(i)).collect())
            .unwrap_or_default()
    }

    /// Every month with a page: each month with a record. (A month of the
    /// span with none shows in the charts and their tables.)
    pub(crate) fn months(&self) -> Vec<NaiveDate> {
        let mut all: BTreeSet<NaiveDate> = self.by_month.keys().copied().collect();
        all.extend(self.history.keys());
        all.into_iter().collect()
    }
}

/// Recurring incidents named per service on `/analysis/` (the latest).
const RECURRING_SHOWN: usize = 10;

/// Rows a month page lists at most per list: a month of a large site has
/// thousands of late notices, and a page stays under 512 KB (SITE.md);
/// `report --month --format csv` has them all.
const LIST_MAX: usize = 200;

/// `{ items, total }`: the first [`LIST_MAX`] of `list` and its length.
fn capped(mut list: Vec<Value>) -> Value {
    let total = list.len();
    list.truncate(LIST_MAX);
    json!({ "items": list, "total": total })
}

fn ym(m: NaiveDate) -> String {
    format!("{:04}-{:02}", m.year(), m.month())
}

/// A count as the charts and their tables write it.
fn whole(v: f64) -> String {
    format!("{v:.0}")
}

/// A chart of whole counts.
fn counts(id: &str, title: String, desc: String, labels: &[String], series: Vec<Series>) -> Chart {
    Chart {
        id: id.to_owned(),
        title,
        desc,
        labels: labels.to_vec(),
        series,
        y_max: None,
        format: whole,
        steps: Steps::Count,
        refs: Vec::new(),
    }
}

fn share(met: usize, missed: usize) -> Option<f64> {
    let decided = met + missed;
    (decided > 0).then(|| (met * 100) as f64 / decided as f64)
}

fn minutes(d: Duration) -> f64 {
    d.num_seconds() as f64 / 60.0
}

impl<'a> Renderer<'a> {
    /// A month in the analysis: `Nov 2026` in English.
    fn month_label(&self, m: NaiveDate) -> String {
        self.strings().month_short(m.year(), m.month())
    }

    pub(crate) fn analysis(&self) -> &Analysis<'a> {
        self.prep.analysis.get_or_init(|| {
            let site = self.site;
            let zone = &site.config.timezone;
            let (rows, history) = report::rows(site, self.diags, self.now, |_| true);
            let mut by_month: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
            for (i, r) in rows.iter().enumerate() {
                by_month.entry(r.month).or_default().push(i);
            }
            let today = time::local_date(self.now, zone);
            let this = today.with_day(1).unwrap_or(today);
            let n = (site.config.history_days.div_ceil(30) + 1).clamp(SPAN_MONTHS, MAX_SPAN_MONTHS);
            let span = (0..n)
                .rev()
                .filter_map(|k| this.checked_sub_months(Months::new(k)))
                .collect();
            Analysis {
                rows,
                by_month,
                history,
                span,
            }
        })
    }

    pub(crate) fn analysis_url(&self, m: NaiveDate) -> String {
        self.url(&format!("analysis/{}/", ym(m)))
    }

    /// An incident named by the review: `link` is its report where it has
    /// one, else its page.
    fn incident_link(&self, r: &Record) -> Value {
        let url = self.incident_url(r.id_str());
        let link = if self.has_report(r) {
            format!("{url}report/")
        } else {
            url.clone()
        };
        json!({ "id": r.id_str(), "title": r.title, "url": url, "link": link })
    }

    /// Each service's recurring incidents, the services with the most
    /// first; the latest `limit` incidents of each are named and `total`
    /// counts them all (a year of a large site recurs by the thousand).
    fn recurring_ctx(&self, rows: &[&Row<'a>], limit: usize) -> Vec<Value> {
        let mut all: Vec<(&str, Vec<&Record>)> = report::recurring(rows).into_iter().collect();
        all.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        all.into_iter()
            .map(|(service, list)| {
                let name = self
                    .site
                    .config
                    .service(service)
                    .map_or(service, |s| s.name.as_str());
                let shown = &list[list.len().saturating_sub(limit)..];
                json!({
                    "service": name,
                    "url": self.url(&format!("services/{service}/")),
                    "incidents": shown.iter().map(|r| self.incident_link(r)).collect::<Vec<_>>(),
                    "total": list.len(),
                })
            })
            .collect()
    }

    pub(crate) fn analysis_page(&self) -> Result<Vec<u8>> {
        let a = self.analysis();
        let policy = &self.site.config.policy;
        let levels: Vec<i64> = policy.levels.keys().copied().collect();
        let span: Vec<(NaiveDate, Vec<&Row<'a>>)> =
            a.span.iter().map(|&m| (m, a.month(m))).collect();
        let labels: Vec<String> = span
            .iter()
            .enumerate()
            .map(|(i, (m, _))| {
                let name = self.strings().mon(m.month());
                if i == 0 || m.month() == 1 {
                    format!("{name}|{}", m.year())
                } else {
                    name.to_owned()
                }
            })
            .collect();
        let (first, last) = (
            span.first()
                .map(|(m, _)| self.month_label(*m))
                .unwrap_or_default(),
            span.last()
                .map(|(m, _)| self.month_label(*m))
                .unwrap_or_default(),
        );
        let words = self.strings();
        let months_said = words.fill("chart.months", &[("first", &first), ("last", &last)]);
        let mut charts = Vec::new();

        // Incidents per month by level.
        let by_level: Vec<BTreeMap<String, usize>> = span
            .iter()
            .map(|(_, rows)| report::by_level(rows))
            .collect();
        let mut series: Vec<Series> = levels
            .iter()
            .map(|l| Series {
                class: match l {
                    1 => "k-level1",
                    2 => "k-level2",
                    3 => "k-level3",
                    4 => "k-level4",
                    // Further levels share a colour; the table tells them apart.
                    _ => "k-level5",
                },
                name: policy.level(*l).map_or_else(
                    || words.fill("chart.level", &[("level", &l.to_string())]),
                    |s| {
                        words.fill(
                            "chart.level_named",
                            &[("level", &l.to_string()), ("name", &s.name)],
                        )
                    },
                ),
                values: by_level
                    .iter()
                    .map(|b| Some(b.get(&l.to_string()).copied().unwrap_or(0) as f64))
                    .collect(),
            })
            .collect();
        // Imported history, or incidents before `policy.applies_from`: on
        // top, so a team that brought its past in sees it here too.
        let history: Vec<Option<f64>> = span
            .iter()
            .map(|(m, _)| Some(a.history.get(m).copied().unwrap_or(0) as f64))
            .collect();
        let has_history = history.iter().flatten().any(|v| *v > 0.0);
        if has_history {
            series.push(Series {
                class: "k-history",
                name: words.get("chart.history").to_owned(),
                values: history,
            });
        }
        let desc_key = if has_history {
            "chart.levels_desc_history"
        } else {
            "chart.levels_desc"
        };
        let desc = words.fill(desc_key, &[("months", &months_said)]);
        let title = words.get("chart.levels_title").to_owned();
        let c = counts("chart-levels", title, desc, &labels, series);
        charts.push(self.chart_ctx(c, chart::stacked_bars, &span, whole));

        // The share of each target met.
        let series: Vec<Series> = TARGETS
            .iter()
            .map(|(name, _)| Series {
                class: match *name {
                    "respond" => "k-respond",
                    "recover" => "k-recover",
                    _ => "k-resolve",
                },
                name: words.get(&format!("target.{name}")).to_owned(),
                values: span
                    .iter()
                    .map(|(_, rows)| {
                        let [met, missed, _] = report::tally(rows, name);
                        share(met, missed)
                    })
                    .collect(),
            })
            .collect();
        charts.push(self.chart_ctx(
            Chart {
                id: "chart-targets".into(),
                title: words.get("chart.targets_title").to_owned(),
                desc: words.fill("chart.targets_desc", &[("months", &months_said)]),
                labels: labels.clone(),
                series,
                y_max: Some(100.0),
                format: |v| format!("{v:.0}%"),
                steps: Steps::Count,
                refs: Vec::new(),
            },
            chart::lines,
            &span,
            |v| format!("{v:.0}%"),
        ));

        // Median times to respond and to recover against the targets.
        for (i, label) in ["respond", "recover"].into_iter().enumerate() {
            let refs: Vec<(String, f64)> = levels
                .iter()
                .filter_map(|l| policy.level(*l))
                .map(|s| {
                    let t = if i == 0 { s.respond } else { s.recover };
                    let level = s.level.to_string();
                    let duration = format_duration(t);
                    (
                        words.fill(
                            "chart.level_target",
                            &[("level", &level), ("duration", &duration)],
                        ),
                        minutes(t),
                    )
                })
                .collect();
            let targets_said: Vec<String> = refs.iter().map(|(l, _)| l.clone()).collect();
            let series = vec![Series {
                class: "k-median",
                name: words.get(&format!("chart.{label}_series")).to_owned(),
                values: span
                    .iter()
                    .map(|(_, rows)| {
                        report::nearest_rank(&report::sorted_times(rows, i), 50).map(minutes)
                    })
                    .collect(),
            }];
            charts.push(self.chart_ctx(
                Chart {
                    id: format!("chart-{label}"),
                    title: words.get(&format!("chart.{label}_title")).to_owned(),
                    desc: words.fill(
                        &format!("chart.{label}_desc"),
                        &[
                            ("months", &months_said),
                            ("targets", &targets_said.join(", ")),
                        ],
                    ),
                    labels: labels.clone(),
                    series,
                    y_max: None,
                    format: |v| format_duration(Duration::minutes(v.round() as i64)),
                    steps: Steps::Minutes,
                    refs,
                },
                chart::lines,
                &span,
                // The table says the median to the second, as `report --month` does.
                |v| format_duration(Duration::seconds((v * 60.0).round() as i64)),
            ));
        }

        // Notices on time, late and missing.
        let notices: Vec<[usize; 3]> = span
            .iter()
            .map(|(_, rows)| {
                let mut n = [0; 3];
                for r in rows {
                    n[0] += r.notices_on_time;
                    for m in &r.notice_misses {
                        n[if m.late.is_some() { 1 } else { 2 }] += 1;
                    }
                }
                n
            })
            .collect();
        let series: Vec<Series> = [
            ("chart.on_time", "k-ontime"),
            ("chart.late", "k-late"),
            ("chart.not_sent", "k-missing"),
        ]
        .iter()
        .enumerate()
        .map(|(k, (name, class))| Series {
            class,
            name: words.get(name).to_owned(),
            values: notices.iter().map(|n| Some(n[k] as f64)).collect(),
        })
        .collect();
        let desc = words.fill("chart.notices_desc", &[("months", &months_said)]);
        let title = words.get("chart.notices_title").to_owned();
        let c = counts("chart-notices", title, desc, &labels, series);
        charts.push(self.chart_ctx(c, chart::stacked_bars, &span, whole));

        // Services with the most incidents, and recurring ones, in the span.
        let in_span: Vec<&Row<'a>> = span.iter().flat_map(|(_, r)| r.iter().copied()).collect();
        let mut per_service: BTreeMap<&str, usize> = BTreeMap::new();
        for r in &in_span {
            let ids: BTreeSet<&str> = r.rec.services.iter().map(|s| s.id.as_str()).collect();
            for s in ids {
                *per_service.entry(s).or_default() += 1;
            }
        }
        let mut top: Vec<(&str, usize)> = per_service.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        top.truncate(TOP_SERVICES);
        let services: Vec<Value> = top
            .iter()
            .map(|(id, n)| {
                let name = self
                    .site
                    .config
                    .service(id)
                    .map_or(*id, |s| s.name.as_str());
                json!({ "name": name, "url": self.url(&format!("services/{id}/")), "incidents": n })
            })
            .collect();

        // A row per month, newest first.
        let months: Vec<Value> = a
            .months()
            .into_iter()
            .rev()
            .map(|m| {
                let rows = a.month(m);
                let targets: Vec<Value> = TARGETS
                    .iter()
                    .map(|(name, _)| {
                        let [met, missed, open] = report::tally(&rows, name);
                        json!({ "name": name, "met": met, "missed": missed, "open": open })
                    })
                    .collect();
                let late = rows.iter().flat_map(|r| &r.notice_misses).count();
                json!({
                    "month": ym(m),
                    "name": self.month_label(m),
                    "url": self.analysis_url(m),
                    "incidents": rows.len(),
                    "history": a.history.get(&m).copied().unwrap_or(0),
                    "targets": targets,
                    "notices_on_time": rows.iter().map(|r| r.notices_on_time).sum::<usize>(),
                    "notices_late_or_missing": late,
                })
            })
            .collect();
        self.render(
            "analysis.html",
            object([
                ("charts", Value::from(charts)),
                ("months", Value::from(months)),
                ("services", Value::from(services)),
                (
                    "recurring",
                    Value::from(self.recurring_ctx(&in_span, RECURRING_SHOWN)),
                ),
                ("span", json!({ "first": first, "last": last })),
            ]),
        )
    }

    /// A chart's SVG and the table of the same numbers.
    fn chart_ctx(
        &self,
        c: Chart,
        draw: fn(&Chart) -> String,
        span: &[(NaiveDate, Vec<&Row<'a>>)],
        cell: fn(f64) -> String,
    ) -> Value {
        let svg = draw(&c);
        let rows: Vec<Value> = span
            .iter()
            .enumerate()
            .map(|(i, (m, _))| {
                let cells: Vec<String> = c
                    .series
                    .iter()
                    .map(|s| {
                        s.values
                            .get(i)
                            .copied()
                            .flatten()
                            .map_or_else(|| "–".to_owned(), cell)
                    })
                    .collect();
                let has_page = self.analysis().by_month.contains_key(m)
                    || self.analysis().history.contains_key(m);
                json!({ "month": self.month_label(*m), "url": has_page.then(|| self.analysis_url(*m)), "cells": cells })
            })
            .collect();
        json!({
            "id": c.id,
            "title": c.title,
            "svg": svg,
            "head": c.series.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            "rows": rows,
            "refs": c.refs.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(),
        })
    }

    pub(crate) fn analysis_month_page(&self, m: NaiveDate) -> Result<Vec<u8>> {
        let a = self.analysis();
        let rows = a.month(m);
        let today = time::local_date(self.now, &self.site.config.timezone);
        let history = a.history.get(&m).copied().unwrap_or(0);
        let summary = report::summary(m, &rows, history, today);
        let mut missed = Vec::new();
        let mut late = Vec::new();
        let mut follow_ups = Vec::new();
        let mut lessons = Vec::new();
        let mut sorted = rows.clone();
        sorted.sort_by(|x, y| {
            (x.rec.reported(), x.rec.id_str()).cmp(&(y.rec.reported(), y.rec.id_str()))
        });
        for r in &sorted {
            let link = self.incident_link(r.rec);
            // The month's missed targets; the incidents themselves are on
            // the history pages (a month of a large site has thousands).
            let lost: Vec<Value> = TARGETS
                .iter()
                .enumerate()
                .filter_map(|(i, (name, _))| {
                    let t = r.target(name).filter(|t| t.outcome == Outcome::Missed)?;
                    Some(json!({
                        "name": name,
                        "target": format_duration(t.target),
                        "took": r.times[i].map(format_duration),
                    }))
                })
                .collect();
            if !lost.is_empty() {
                missed.push(json!({ "incident": link, "targets": lost }));
            }
            for n in &r.notice_misses {
                late.push(json!({
                    "incident": link,
                    "notice": n.name,
                    "cause": n.cause,
                    "due": self.fmt(n.due),
                    "sent": n.late.map(|t| self.fmt(t)),
                }));
            }
            if let Some(rep) = &r.rec.report {
                if let Some(needs) = rep.needs.as_deref().filter(|n| !n.trim().is_empty()) {
                    lessons.push(json!({ "incident": link, "needs": needs }));
                }
                for f in rep.follow_ups.iter().filter(|f| !f.done) {
                    follow_ups.push(json!({
                        "incident": link,
                        "title": f.title,
                        "owner": f.owner.as_deref().unwrap_or("–"),
                        "due": f.due.map(|d| d.to_string()),
                        "overdue": f.due.is_some_and(|d| d < today),
                    }));
                }
            }
        }
        let all = a.months();
        let at = all.iter().position(|x| *x == m);
        let near = |i: Option<usize>| {
            i.and_then(|i| all.get(i))
                .map(|x| json!({ "name": self.month_label(*x), "url": self.analysis_url(*x) }))
        };
        self.render(
            "analysis_month.html",
            object([
                ("month", json!({ "id": ym(m), "name": self.month_label(m) })),
                ("report", summary),
                ("missed", capped(missed)),
                ("late_notices", capped(late)),
                (
                    "recurring",
                    Value::from(self.recurring_ctx(&rows, LIST_MAX)),
                ),
                ("lessons", capped(lessons)),
                ("follow_ups", capped(follow_ups)),
                ("previous", json!(near(at.and_then(|i| i.checked_sub(1))))),
                ("next", json!(near(at.map(|i| i + 1)))),
                ("analysis_url", Value::from(self.url("analysis/"))),
            ]),
        )
    }
}
