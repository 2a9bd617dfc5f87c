//! Incident pages and their reports, the history pages, maintenance pages.

use crate::check::{self, Ctx, DutyState};
use crate::escape::markup;
use crate::markdown;
use crate::model::incident::{Record, Time};
use crate::render::context::*;
use crate::time::{self, format_duration};
use anyhow::Result;
use serde_json::{json, Value};

/// `: text` after a timeline line's head, or nothing.
/// The ids the default report template gives its own elements.
const REPORT_IDS: &[&str] = &[
    "main",
    "targets",
    "escalations",
    "notices",
    "timeline",
    "conditions",
    "actions",
    "needs",
    "root-cause",
    "follow-ups",
    "children",
    "findings",
];

/// The merged timeline's rows as the default theme writes them.
fn timeline_rows(items: &[Value]) -> String {
    let mut out = String::new();
    for e in items {
        let text = |k: &str| e[k].as_str().unwrap_or_default();
        out.push_str(&format!(
            "<tr class=\"kind-{}\"><td><time datetime=\"{}\">{}</time></td><td>{}</td><td>{}</td></tr>",
            markup(text("kind")),
            markup(text("iso")),
            markup(text("at")),
            markup(text("label")),
            text("html")
        ));
    }
    out
}

fn detail(text: Option<&str>) -> String {
    text.map(|t| format!(": {t}")).unwrap_or_default()
}

impl<'a> Renderer<'a> {
    pub(crate) fn history_page(&self, n: usize) -> Result<Vec<u8>> {
        let zone = &self.site.config.timezone;
        let mut months: Vec<(String, String, Vec<Value>)> = Vec::new();
        let start = (n.max(1) - 1) * HISTORY_PAGE;
        let list = self.incidents().get(start..).unwrap_or(&[]);
        for r in list.iter().take(HISTORY_PAGE) {
            let Some(t) = r.reported() else { continue };
            let local = zone.local(t);
            let key = local.format("%Y-%m").to_string();
            let label = {
                use chrono::Datelike;
                self.strings().month(local.year(), local.month())
            };
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
        let pagination = self.pagination("incidents/", n, total);
        self.render(
            "incidents.html",
            object([("months", Value::from(months)), ("pagination", pagination)]),
        )
    }

    /// The context of an incident with a report is built once for both
    /// pages: whichever is rendered first leaves it for the other.
    pub(crate) fn paired_incident_context(&self, r: &Record) -> Value {
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

    /// Why the procedure does not apply to a record, for its page: `{ text,
    /// url }` (the page it came from), or null.
    fn history_note(&self, r: &Record) -> Value {
        use crate::model::incident::History;
        match r.history(&self.site.config) {
            None => Value::Null,
            Some(History::Imported) => {
                let i = r.imported.as_ref();
                let other = self.strings().get("history.imported_other");
                let from = match i.map(|i| i.from.as_str()) {
                    Some("statuspage") => "Statuspage",
                    Some("cstate") => "cState",
                    _ => other,
                };
                let id = i.map_or("", |i| i.id.as_str());
                json!({
                    "text": self.strings().fill("history.imported", &[("from", from), ("id", id)]),
                    "url": i.and_then(|i| i.url.as_deref()).map(crate::markdown::safe_url),
                })
            }
            Some(History::BeforePolicy(d)) => json!({
                "text": self.strings().fill("history.before", &[("date", &d.to_string())]),
                "url": null,
            }),
        }
    }

    pub(crate) fn incident_context(&self, r: &Record) -> Value {
        let base = format!("incidents/{}/", slug_id(r.id_str()));
        let mut inc = self.incident_summary(r);
        let children: Vec<Value> = self
            .children_of(r)
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
                o.insert("history".into(), self.history_note(r));
                o.insert(
                    "roles".into(),
                    Value::from(
                        r.roles
                            .iter()
                            .map(|(k, v)| json!({"label": self.word("role", k), "name": v}))
                            .collect::<Vec<_>>(),
                    ),
                );
                let timeline = self.merged_timeline(r);
                // The rows as HTML too, written once for both the incident
                // page and its report: a Tera loop over them was a third of
                // the report pages' time on a 10,000-record site.
                o.insert(
                    "timeline_html".into(),
                    Value::from(timeline_rows(&timeline)),
                );
                o.insert("timeline".into(), Value::from(timeline));
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

    pub(crate) fn has_report(&self, r: &Record) -> bool {
        !self.public && !r.is_open()
    }

    pub(crate) fn merged_timeline(&self, r: &Record) -> Vec<Value> {
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
                let change = self.strings().fill(
                    "timeline.level_change",
                    &[
                        ("from", &e.from.unwrap_or_default().to_string()),
                        ("to", &e.to.unwrap_or_default().to_string()),
                    ],
                );
                let text = format!("{change}{}", detail(e.reason.as_deref()));
                let html = markdown::inline_html(&text);
                let label = self.strings().get("timeline.escalation").to_owned();
                items.push((t, 2, "escalation", label, html));
            }
        }
        for u in &r.updates {
            if let Some(t) = u.at {
                let status = self.state_label(u.status.as_deref().unwrap_or("update"));
                let label = self
                    .strings()
                    .fill("timeline.update", &[("status", &status)]);
                items.push((t, 3, "update", label, markdown::inline_html(&u.text)));
            }
        }
        for (f, a) in r.times.iter() {
            let label = self.word("moment", f.trim_end_matches("_at"));
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

    /// The report's key times (PagerDuty's postmortem reads the same):
    /// time to detect, respond, recover and resolve, and how long the
    /// impact lasted, each against its target where the procedure has one.
    fn key_times(&self, r: &Record, targets: &[check::Target]) -> Vec<Value> {
        let reported = r.reported();
        // As the targets read them: recovered, else resolved, else closed.
        let recovered = r.recovered();
        // Without `started_at` the impact is counted from the report.
        let (start_name, started) = match r.time("started_at") {
            Some(t) => ("started", Some(t)),
            None => ("reported", reported),
        };
        // A moment: its name and time.
        type At<'m> = (&'m str, Option<Time>);
        let rows: [(&str, At, At, Option<&str>); 5] = [
            (
                "times.detect",
                ("started", r.time("started_at")),
                ("reported", reported),
                None,
            ),
            (
                "times.respond",
                ("reported", reported),
                ("responded", r.time("responded_at")),
                Some("respond"),
            ),
            (
                "times.recover",
                ("reported", reported),
                ("recovered", recovered),
                Some("recover"),
            ),
            (
                "times.impact",
                (start_name, started),
                ("recovered", recovered),
                None,
            ),
            (
                "times.resolve",
                ("reported", reported),
                ("resolved", r.resolved()),
                Some("resolve"),
            ),
        ];
        rows.into_iter()
            .map(|(name, (from, a), (to, b), target)| {
                // In the page's words (`1 h 45 min` in French).
                let took = a.zip(b).map(|(a, b)| self.strings().duration(b - a));
                let t = target.and_then(|n| targets.iter().find(|t| t.name == n));
                let (result, class) = match t {
                    None => ("", "none"),
                    Some(t) if t.missed => (self.strings().get("result.missed"), "missed"),
                    Some(t) if t.actual.is_some() => (self.strings().get("result.met"), "met"),
                    Some(_) => (self.strings().get("result.pending"), "pending"),
                };
                json!({
                    "name": self.strings().get(name),
                    "span": format!("{} → {}", self.word("moment", from), self.word("moment", to)),
                    "took": took,
                    "target": t.map(|t| self.strings().duration(t.target)),
                    "result": result,
                    "class": class,
                })
            })
            .collect()
    }

    /// The level the incident was reported at, then each escalation.
    fn escalation_history(&self, r: &Record) -> Vec<Value> {
        let policy = &self.site.config.policy;
        let words = self.strings();
        let level = |l: Option<i64>| match l.and_then(|l| policy.level(l)) {
            Some(s) => words.fill(
                "escalation.level",
                &[("level", &s.level.to_string()), ("name", &s.name)],
            ),
            None => l.map_or_else(
                || words.get("level.unknown").to_owned(),
                |l| words.fill("escalation.level_bare", &[("level", &l.to_string())]),
            ),
        };
        let mut out = Vec::new();
        if let Some(t) = r.reported() {
            out.push(json!({
                "at": self.fmt(t),
                "iso": time::rfc3339_offset(t),
                "change": words.fill("escalation.reported", &[("level", &level(r.initial_level()))]),
                "reason": null,
            }));
        }
        let mut esc: Vec<_> = r.escalations.iter().filter(|e| e.at.is_some()).collect();
        esc.sort_by_key(|e| e.at);
        for e in esc {
            let Some(t) = e.at else { continue };
            // Level 1 is the most severe.
            let key = match (e.from, e.to) {
                (Some(f), Some(to)) if to < f => "escalation.up",
                (Some(f), Some(to)) if to > f => "escalation.down",
                _ => "escalation.changed",
            };
            out.push(json!({
                "at": self.fmt(t),
                "iso": time::rfc3339_offset(t),
                "change": words.fill(key, &[("from", &level(e.from)), ("to", &level(e.to))]),
                "reason": e.reason.as_deref().map(markdown::inline_html),
            }));
        }
        out
    }

    pub(crate) fn report(&self, r: &Record) -> Value {
        let ctx = Ctx {
            site: self.site,
            rec: r,
            now: self.now,
        };
        let reported = r.reported();
        let found = check::targets_of(&ctx);
        let targets: Vec<Value> = found
            .iter()
            .map(|t| {
                let actual = t.actual.zip(reported).map(|(a, rep)| format_duration(a - rep));
                let words = self.strings();
                let (result, class) = match (t.actual, t.missed) {
                    (Some(a), true) => (words.fill("result.missed_by", &[("duration", &format_duration(a - t.due))]), "missed"),
                    (None, true) => (words.get("result.missed").to_owned(), "missed"),
                    (Some(_), false) => (words.get("result.met").to_owned(), "met"),
                    (None, false) => (words.get("result.pending").to_owned(), "pending"),
                };
                json!({"name": t.name, "goal": format_duration(t.target), "actual": actual.unwrap_or_else(|| "—".into()), "result": result, "class": class})
            })
            .collect();
        let notices: Vec<Value> = check::duties(&ctx)
            .into_iter()
            .map(|d| {
                let words = self.strings();
                let (result, class) = match &d.state {
                    DutyState::Pending => (words.get("result.pending").to_owned(), "pending"),
                    DutyState::Met(t) => (words.fill("result.sent", &[("time", &ctx.t(*t))]), "met"),
                    DutyState::Missing { late: Some(t) } => (words.fill("result.late_by", &[("duration", &format_duration(*t - d.due))]), "late"),
                    DutyState::Missing { late: None } => match d.gap {
                        Some((a, b)) => (words.fill("result.gap", &[("from", &ctx.t(a)), ("to", &ctx.t(b))]), "missing"),
                        None => (words.get("result.missing").to_owned(), "missing"),
                    },
                    DutyState::Recipients(m) => (words.fill("result.unreached", &[("who", &m.join("; "))]), "missing"),
                    DutyState::Lapsed => (words.get("result.lapsed").to_owned(), "pending"),
                };
                json!({"name": d.name, "cause": d.cause, "due": ctx.t(d.due), "result": result, "class": class})
            })
            .collect();
        let rep = r.report.clone().unwrap_or_default();
        // Record ids written in the text link to their pages.
        let link = |w: &str| {
            let rec = self.site.record(w)?;
            Some(match rec.kind {
                crate::model::incident::Kind::Maintenance => {
                    self.url(&format!("maintenance/{}/", slug_id(w)))
                }
                _ => self.incident_url(w),
            })
        };
        // One id maker for the four texts, with the template's own ids
        // taken: a `# Timeline` in the conditions is `timeline-1`.
        let mut ids = markdown::IdMaker::taken(REPORT_IDS);
        let mut md = |s: &Option<String>| {
            s.as_ref()
                .map(|t| markdown::link_words(&markdown::inline_html_among(t, &mut ids), &link))
        };
        let (conditions, actions, needs, root_cause) = (
            md(&rep.conditions),
            md(&rep.actions),
            md(&rep.needs),
            md(&rep.root_cause),
        );
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
            ("times", Value::from(self.key_times(r, &found))),
            ("escalations", Value::from(self.escalation_history(r))),
            ("targets", Value::from(targets)),
            ("notices", Value::from(notices)),
            ("conditions", Value::from(conditions)),
            ("actions", Value::from(actions)),
            ("needs", Value::from(needs)),
            ("root_cause", Value::from(root_cause)),
            ("follow_ups", Value::from(follow_ups)),
            ("findings", Value::from(findings)),
            ("waivers", Value::from(waivers)),
        ])
    }

    pub(crate) fn maintenance_page(&self, m: &Record) -> Result<Vec<u8>> {
        let mut v = self.maintenance_summary(m);
        if let Some(o) = v.as_object_mut() {
            o.insert("services".into(), json!(self.services_of(m)));
            o.insert("updates".into(), json!(self.updates(&m.updates)));
        }
        self.render("maintenance.html", json!({ "maintenance": v }))
    }
}
