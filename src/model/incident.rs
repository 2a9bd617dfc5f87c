//! Incident and maintenance records: `incidents/**/*.yaml`.

use crate::yaml::Pos;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

pub type Time = DateTime<Utc>;

pub const STATUSES: &[&str] = &[
    "investigating",
    "identified",
    "monitoring",
    "resolved",
    "closed",
];
pub const IMPACTS: &[&str] = &[
    "none",
    "degraded_performance",
    "partial_outage",
    "major_outage",
];
/// An incident record's keys, in the order of FORMATS.md and of the
/// template `sitrep new incident` writes: the recording commands add a
/// missing key after the one before it here.
pub const KEYS: &[&str] = &[
    "kind",
    "id",
    "title",
    "severity",
    "status",
    "impact",
    "services",
    "parent",
    "problem",
    "runbook",
    "public",
    "roles",
    "started_at",
    "reported_at",
    "responded_at",
    "recovered_at",
    "resolved_at",
    "closed_at",
    "escalations",
    "notifications",
    "timeline",
    "updates",
    "links",
    "report",
    "imported",
    "waivers",
];
/// The systems `imported.from` names.
pub const IMPORT_SOURCES: &[&str] = &["statuspage", "cstate", "other"];
pub const UPDATE_STATUSES: &[&str] = &["investigating", "identified", "monitoring", "resolved"];
pub const MAINTENANCE_STATUSES: &[&str] = &["scheduled", "in_progress", "verifying", "completed"];
pub const ROLES: &[&str] = &[
    "incident_manager",
    "tech_lead",
    "service_owner",
    "communications",
];

pub const LIFECYCLE: &[&str] = &[
    "started_at",
    "reported_at",
    "responded_at",
    "recovered_at",
    "resolved_at",
    "closed_at",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Incident,
    Maintenance,
}

#[derive(Debug, Clone, PartialEq)]
pub struct At {
    pub time: Time,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRef {
    pub id: String,
    pub impact: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Escalation {
    pub at: Option<Time>,
    pub pos: Pos,
    pub from: Option<i64>,
    pub from_pos: Pos,
    pub to: Option<i64>,
    pub to_pos: Pos,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub at: Option<Time>,
    pub pos: Pos,
    pub kind: String,
    pub channels: Vec<String>,
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub summary: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub at: Option<Time>,
    pub pos: Pos,
    pub by: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub at: Option<Time>,
    pub pos: Pos,
    pub status: Option<String>,
    /// Where `status:` is written (the entry's position when it is not).
    pub status_pos: Pos,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LinkRef {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub title: String,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    pub done: bool,
    pub link: Option<String>,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    pub pos: Pos,
    pub conditions: Option<String>,
    pub actions: Option<String>,
    pub needs: Option<String>,
    pub root_cause: Option<String>,
    pub completed_at: Option<At>,
    pub follow_ups: Vec<FollowUp>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Waiver {
    pub rule: String,
    pub reason: String,
    pub pos: Pos,
}

/// Where an imported record came from (`imported:`).
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// `statuspage`, `cstate` or `other`.
    pub from: String,
    /// Its id there: the site's `/api/v2` serves the record under it.
    pub id: String,
    pub url: Option<String>,
}

/// Why a record is history, checked by the input rules only (RULES.md,
/// "History").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum History {
    /// It has an `imported:` block.
    Imported,
    /// It was reported before `policy.applies_from`.
    BeforePolicy(chrono::NaiveDate),
}

/// A record's lifecycle times, held in the record itself: every scan of
/// a large site (the status page, the API, sorting by time) reads them,
/// and a map of its own cost a cache miss per record.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Times([Option<At>; 6]);

impl Times {
    /// Slots in the order of `LIFECYCLE`; `iter` gives them by name, as the
    /// map this replaced did.
    const BY_NAME: [usize; 6] = [5, 3, 1, 4, 2, 0];

    fn slot(field: &str) -> Option<usize> {
        LIFECYCLE.iter().position(|f| *f == field)
    }

    pub fn get(&self, field: &str) -> Option<&At> {
        self.0.get(Self::slot(field)?)?.as_ref()
    }

    /// Sets a field of `LIFECYCLE`; any other name is ignored.
    pub fn insert(&mut self, field: &str, at: At) {
        if let Some(s) = Self::slot(field).and_then(|i| self.0.get_mut(i)) {
            *s = Some(at);
        }
    }

    pub fn values(&self) -> impl Iterator<Item = &At> {
        self.0.iter().flatten()
    }

    /// Forgets the times after `at`.
    pub fn retain_until(&mut self, at: Time) {
        for slot in &mut self.0 {
            if slot.as_ref().is_some_and(|a| a.time > at) {
                *slot = None;
            }
        }
    }

    /// The times set, by field name in alphabetical order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &At)> {
        Self::BY_NAME
            .iter()
            .filter_map(|&i| Some((*LIFECYCLE.get(i)?, self.0.get(i)?.as_ref()?)))
    }
}

#[derive(Debug, Clone)]
pub struct Record {
    pub file: String,
    pub kind: Kind,
    pub id: Option<String>,
    pub id_pos: Pos,
    pub title: String,
    pub severity: Option<i64>,
    pub severity_pos: Pos,
    pub status: Option<String>,
    pub status_pos: Pos,
    pub impact: String,
    pub services: Vec<ServiceRef>,
    pub parent: Option<(String, Pos)>,
    /// The problem record (a ticket id or URL) that tracks the cause.
    pub problem: Option<String>,
    pub runbook: Option<(String, Pos)>,
    pub public: bool,
    pub roles: BTreeMap<String, String>,
    /// The lifecycle times, by field name (`reported_at` …).
    pub times: Times,
    pub escalations: Vec<Escalation>,
    pub notifications: Vec<Notice>,
    pub timeline: Vec<Entry>,
    pub updates: Vec<Update>,
    pub links: Vec<LinkRef>,
    pub report: Option<Report>,
    /// History from another system (`sitrep import`).
    pub imported: Option<Imported>,
    pub waivers: Vec<Waiver>,
    pub scheduled_start: Option<At>,
    pub scheduled_end: Option<At>,
    pub input_errors: bool,
}

/// A record id as the URL segment of its page: letters, digits, `-`, `_`
/// and `.` kept, anything else `-`. Two ids can give one segment (`a/b`,
/// `a-b`); `duplicate-id` reports them, as one page would hide the other.
pub fn page_slug(id: &str) -> String {
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

impl Record {
    /// Whether the procedure applies to this record: not when it is
    /// imported history or was reported before `policy.applies_from`.
    pub fn history(&self, config: &crate::model::config::Config) -> Option<History> {
        if self.imported.is_some() {
            return Some(History::Imported);
        }
        let from = config.policy.applies_from?;
        let reported = self.reported()?;
        (crate::time::local_date(reported, &config.timezone) < from)
            .then_some(History::BeforePolicy(from))
    }

    fn empty(file: &str) -> Record {
        Record {
            file: file.to_owned(),
            kind: Kind::Incident,
            id: None,
            id_pos: Pos::START,
            title: String::new(),
            severity: None,
            severity_pos: Pos::START,
            status: None,
            status_pos: Pos::START,
            impact: "partial_outage".to_owned(),
            services: Vec::new(),
            parent: None,
            problem: None,
            runbook: None,
            public: true,
            roles: BTreeMap::new(),
            times: Times::default(),
            escalations: Vec::new(),
            notifications: Vec::new(),
            timeline: Vec::new(),
            updates: Vec::new(),
            links: Vec::new(),
            report: None,
            imported: None,
            waivers: Vec::new(),
            scheduled_start: None,
            scheduled_end: None,
            input_errors: false,
        }
    }

    /// The record as it stood at `at`: the times, entries and level changes
    /// after it left out (`sitrep draft --at` writes for that moment).
    pub fn as_of(&self, at: Time) -> Record {
        let mut r = self.clone();
        let later = |t: Option<Time>| t.is_some_and(|t| t > at);
        r.times.retain_until(at);
        if let Some(first_later) = r.escalations.iter().find(|e| later(e.at)) {
            r.severity = first_later.from.or(r.severity);
        }
        r.escalations.retain(|e| !later(e.at));
        r.notifications.retain(|n| !later(n.at));
        r.timeline.retain(|e| !later(e.at));
        r.updates.retain(|u| !later(u.at));
        if r.report
            .as_ref()
            .is_some_and(|rep| later(rep.completed_at.as_ref().map(|c| c.time)))
        {
            r.report = None;
        }
        r
    }

    pub fn id_str(&self) -> &str {
        self.id.as_deref().unwrap_or("")
    }

    pub fn time(&self, field: &str) -> Option<Time> {
        self.times.get(field).map(|a| a.time)
    }

    pub fn reported(&self) -> Option<Time> {
        self.time("reported_at")
    }

    /// When impact began: `started_at`, else `reported_at`.
    pub fn started(&self) -> Option<Time> {
        self.time("started_at").or_else(|| self.reported())
    }

    /// Recovered from `recovered_at`, else `resolved_at`, else `closed_at`.
    pub fn recovered(&self) -> Option<Time> {
        self.time("recovered_at").or_else(|| self.resolved())
    }

    /// Resolved from `resolved_at`, else `closed_at`.
    pub fn resolved(&self) -> Option<Time> {
        self.time("resolved_at").or_else(|| self.time("closed_at"))
    }

    pub fn closed(&self) -> Option<Time> {
        self.time("closed_at")
    }

    /// The status written, or derived (FORMATS.md): from the closing and
    /// resolving times, else the latest public update's status, else the
    /// recovery time. Every page, feed and API file shows this one.
    pub fn effective_status(&self) -> &str {
        if let Some(s) = &self.status {
            return s;
        }
        if self.closed().is_some() {
            "closed"
        } else if self.time("resolved_at").is_some() {
            "resolved"
        } else if let Some(s) = self
            .updates
            .iter()
            .rev()
            .find_map(|u| u.status.as_deref())
            .filter(|_| self.kind == Kind::Incident)
        {
            s
        } else if self.time("recovered_at").is_some() {
            "monitoring"
        } else {
            "investigating"
        }
    }

    pub fn is_open(&self) -> bool {
        !matches!(self.effective_status(), "resolved" | "closed")
    }

    /// The level at the report: the first escalation's `from`, else `severity`.
    pub fn initial_level(&self) -> Option<i64> {
        match self.escalations.first() {
            Some(e) => e.from,
            None => self.severity,
        }
    }

    /// The level in force at `t`: an escalation takes effect at its own time.
    pub fn level_at(&self, t: Time) -> Option<i64> {
        let mut level = self.initial_level();
        for e in &self.escalations {
            if e.at.is_some_and(|at| at <= t) {
                level = e.to;
            }
        }
        level
    }

    /// The most severe level the incident ever had (the lowest number).
    pub fn most_severe(&self) -> Option<i64> {
        let all = self
            .initial_level()
            .into_iter()
            .chain(self.severity)
            .chain(self.escalations.iter().filter_map(|e| e.to));
        all.min()
    }

    /// Level changes in time order: (time, level before, level after).
    pub fn level_changes(&self) -> Vec<(Time, Option<i64>, Option<i64>)> {
        let mut prev = self.initial_level();
        let mut out = Vec::new();
        for e in &self.escalations {
            if let Some(at) = e.at {
                out.push((at, prev, e.to));
            }
            prev = e.to;
        }
        out
    }

    /// The latest moment the record speaks of: public updates, lifecycle
    /// times, or the start of a maintenance window.
    pub fn last_change(&self) -> Option<Time> {
        self.updates
            .iter()
            .filter_map(|u| u.at)
            .chain(self.times.values().map(|a| a.time))
            .chain(self.scheduled_start.iter().map(|a| a.time))
            .max()
    }

    pub fn waives(&self, rule: &str) -> bool {
        self.waivers.iter().any(|w| w.rule == rule)
    }
}

mod read;
pub use read::read;

#[cfg(test)]
mod tests;
