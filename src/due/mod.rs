//! `sitrep due`: the incident manager's checklist (docs/due.md).
//!
//! Built on the same duties and targets as `sitrep check`
//! ([`check::duties`], [`check::targets_of`]), so the two never disagree:
//! an item that is late, missed or done late is a finding of `check` at
//! the same now, and every notice or target finding of `check` on an open
//! incident is such an item.

use crate::check::{self, Ctx, Duty, DutyState};
use crate::diag::rules;
use crate::diag::{Diagnostic, Level};
use crate::model::incident::{Kind, Time};
use crate::model::policy::NoticeSpec;
use crate::model::site::Site;
use crate::time::{self, format_duration};
use anyhow::{bail, Result};
use chrono::Duration;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::fmt::Write as _;

/// What became of one item, from the incident manager's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Owed, and its due time has passed: do it now.
    Late,
    /// Owed, due at or after now.
    Due,
    /// Its window closed without it (a progress gap until recovery).
    Missed,
    /// Done (on time, or late with `late_by`).
    Done,
    /// A de-escalation dropped it before it was due.
    Lapsed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Late => "late",
            State::Due => "due",
            State::Missed => "missed",
            State::Done => "done",
            State::Lapsed => "lapsed",
        }
    }

    fn rank(self) -> u8 {
        match self {
            State::Late => 0,
            State::Due => 1,
            State::Missed | State::Done => 2,
            State::Lapsed => 3,
        }
    }
}

/// One notice duty or target of one incident.
#[derive(Debug, Clone)]
pub struct Item {
    /// `notice` or `target`.
    pub kind: &'static str,
    /// `initial` … `leadership`; `respond`, `recover`, `resolve`.
    pub name: &'static str,
    /// The rule of `sitrep check` that reports it when it goes wrong.
    pub rule: &'static crate::diag::Rule,
    pub state: State,
    /// What started it (`the report at 09:00`, `the change to level 1 at 09:40`).
    pub cause: String,
    pub start: Time,
    pub due: Time,
    pub done_at: Option<Time>,
    /// How late: until it was done, or until now while it is owed.
    pub late_by: Option<Duration>,
    /// For a notice: the deliveries owed (channels, recipient keys).
    pub deliver: Vec<(Vec<String>, Vec<String>)>,
    /// Recipient/channel pairs the notices sent in time missed.
    pub missing: Vec<String>,
    /// For a target: the level, its limit and the field that records it.
    pub target: Option<(i64, Duration, &'static str)>,
    /// For a progress gap: its start and end.
    pub gap: Option<(Time, Time)>,
    /// `sitrep check` reports it at this now.
    pub finding: bool,
    pub waived: bool,
    /// The level of that finding (`error` or `warning`) under the policy.
    pub level: Level,
}

/// One incident's block.
#[derive(Debug, Clone)]
pub struct IncidentDue {
    pub id: String,
    pub title: String,
    pub file: String,
    pub status: String,
    pub level: Option<i64>,
    pub level_name: Option<String>,
    pub reported: Option<Time>,
    pub open: bool,
    /// The file has input errors: `check` evaluates no procedure rule on it.
    pub input_errors: bool,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub now: Time,
    pub incidents: Vec<IncidentDue>,
    /// Unwaived input errors: while one stands, the checklist may miss an
    /// incident (a record that cannot be read has no status), so `due`
    /// exits 1, as `check` does.
    pub input_errors: Vec<Diagnostic>,
}

/// `input errors in 2 files (incidents/a.yaml, sitrep.yaml): …`.
pub fn input_error_line(errors: &[Diagnostic]) -> String {
    let mut files: Vec<&str> = errors.iter().map(|d| d.file.as_str()).collect();
    files.sort_unstable();
    files.dedup();
    format!(
        "input errors in {} file{} ({}): this checklist may miss incidents until they are fixed; run `sitrep check` for each error and its fix",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        files.join(", ")
    )
}

/// The checklist at `now`: every open incident (or the records `ids`
/// names, whatever their status), in file order.
pub fn report(site: &Site, now: Time, ids: &[String]) -> Result<Report> {
    if let Some(e) = site.unknown_id(ids) {
        bail!(e);
    }
    for id in ids {
        let rec = site.records.iter().find(|r| r.id.as_deref() == Some(id));
        if rec.is_some_and(|r| r.kind == Kind::Maintenance) {
            bail!("`{id}` is a maintenance record: nothing is due for it")
        }
    }
    // The files `check` evaluates no procedure rule on, exactly as it decides.
    // For some ids, only their records are checked (`check_record` reports
    // for a record what `check` does), so that a recording command's
    // checklist does not check the whole site again.
    let diags = if ids.is_empty() {
        check::check(site, now)
    } else {
        let mut files: Vec<&str> = site
            .records
            .iter()
            .filter(|r| r.id.as_ref().is_some_and(|i| ids.contains(i)))
            .map(|r| r.file.as_str())
            .collect();
        files.dedup();
        files
            .into_iter()
            .flat_map(|f| check::check_record(site, now, f))
            .collect()
    };
    let bad: HashSet<&str> = diags
        .iter()
        .filter(|d| d.is_input_error())
        .map(|d| d.file.as_str())
        .collect();
    // The input errors that make `check` fail (for the same `--incident`
    // ids), so that `due` fails with it instead of listing nothing.
    let blocking = check::filter_incidents(
        diags
            .iter()
            .filter(|d| d.is_input_error() && !d.waived)
            .cloned()
            .collect(),
        ids,
    );
    let mut incidents = Vec::new();
    for rec in &site.records {
        if rec.kind != Kind::Incident {
            continue;
        }
        let chosen = if ids.is_empty() {
            rec.is_open()
        } else {
            rec.id.as_ref().is_some_and(|i| ids.contains(i))
        };
        if !chosen {
            continue;
        }
        let input_errors = rec.input_errors || bad.contains(rec.file.as_str());
        let open = rec.is_open();
        // History owes nothing: the procedure does not apply to it.
        let history = rec.history(&site.config).is_some();
        let items = if open && !input_errors && !history {
            items(&Ctx { site, rec, now })
        } else {
            Vec::new()
        };
        let level = rec.level_at(now).or(rec.severity);
        incidents.push(IncidentDue {
            id: rec.id_str().to_owned(),
            title: rec.title.clone(),
            file: rec.file.clone(),
            status: rec.effective_status().to_owned(),
            level,
            level_name: level
                .and_then(|l| site.config.policy.level(l))
                .map(|l| l.name.clone()),
            reported: rec.reported(),
            open,
            input_errors,
            items,
        });
    }
    Ok(Report {
        now,
        incidents,
        input_errors: blocking,
    })
}

fn deliver_of(spec: &NoticeSpec) -> Vec<(Vec<String>, Vec<String>)> {
    spec.deliver
        .iter()
        .map(|d| (d.channels.clone(), d.to.clone()))
        .collect()
}

/// Every item of one open record without input errors, sorted.
pub fn items(ctx: &Ctx) -> Vec<Item> {
    let rec = ctx.rec;
    let policy = &ctx.site.config.policy;
    let duties = check::duties(ctx);
    // The same duties judged as if every due time had passed, with the
    // notices recorded so far: tells whether a pending duty is already met.
    let latest = duties.iter().map(|d| d.due).max().unwrap_or(ctx.now);
    let ahead = Ctx {
        site: ctx.site,
        rec,
        now: latest
            .max(ctx.now)
            .checked_add_signed(Duration::seconds(1))
            .unwrap_or(ctx.now),
    };
    let judged = check::duties(&ahead);
    let mut out = Vec::new();
    for d in &duties {
        if d.name == "progress" {
            out.extend(progress_items(ctx, d, &duties));
        } else {
            let prior = judged
                .iter()
                .find(|j| j.name == d.name && j.start == d.start)
                .map(|j| &j.state);
            out.extend(notice_item(ctx, d, prior));
        }
    }
    for t in check::targets_of(ctx) {
        let level = rec.most_severe().unwrap_or_default();
        let mut item = Item {
            kind: "target",
            name: t.name,
            rule: t.rule,
            state: State::Due,
            cause: match rec.reported() {
                Some(r) => format!("the report at {}", ctx.t(r)),
                None => "the report".to_owned(),
            },
            start: t.due - t.target,
            due: t.due,
            done_at: t.actual,
            late_by: None,
            deliver: Vec::new(),
            missing: Vec::new(),
            target: Some((level, t.target, t.field)),
            gap: None,
            finding: t.missed,
            waived: false,
            level: Level::Error,
        };
        match t.actual {
            Some(a) => {
                item.state = State::Done;
                if t.missed {
                    item.late_by = Some(a - t.due);
                }
            }
            None if t.missed => {
                item.state = State::Late;
                item.late_by = Some(ctx.now - t.due);
            }
            None => {}
        }
        out.push(item);
    }
    // The policy decides: a rule that is off owes nothing and reports nothing.
    let mut out: Vec<Item> = out
        .into_iter()
        .filter_map(|mut it| {
            let level = policy.rule_level(it.rule.id)?;
            it.level = level;
            it.waived = it.finding && rec.waives(it.rule.id);
            Some(it)
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |i: &Item| {
            let t = match i.state {
                State::Done => i.done_at.unwrap_or(i.due),
                _ => i.due,
            };
            (i.state.rank(), t, i.name)
        };
        key(a).cmp(&key(b))
    });
    out
}

/// A notice duty as an item due, before its state is known.
fn notice_base(d: &Duty) -> Item {
    Item {
        kind: "notice",
        name: d.name,
        rule: d.spec.rule(),
        state: State::Due,
        cause: d.cause.clone(),
        start: d.start,
        due: d.due,
        done_at: None,
        late_by: None,
        deliver: deliver_of(&d.spec),
        missing: Vec::new(),
        target: None,
        gap: None,
        finding: false,
        waived: false,
        level: Level::Error,
    }
}

fn notice_item(ctx: &Ctx, d: &Duty, prior: Option<&DutyState>) -> Vec<Item> {
    let mut item = notice_base(d);
    match &d.state {
        DutyState::Pending => match prior {
            // Already met by the notices sent so far.
            Some(DutyState::Met(t)) => {
                item.state = State::Done;
                item.done_at = Some(*t);
            }
            Some(DutyState::Recipients(m)) => item.missing = m.clone(),
            _ => {}
        },
        DutyState::Met(t) => {
            item.state = State::Done;
            item.done_at = Some(*t);
        }
        DutyState::Missing { late: Some(t) } => {
            item.state = State::Done;
            item.done_at = Some(*t);
            item.late_by = Some(*t - d.due);
            item.finding = true;
        }
        DutyState::Missing { late: None } => {
            item.state = State::Late;
            item.late_by = Some(ctx.now - d.due);
            item.finding = true;
        }
        DutyState::Recipients(m) => {
            item.rule = &rules::NOTIFY_RECIPIENTS;
            item.state = State::Late;
            item.late_by = Some(ctx.now - d.due);
            item.missing = m.clone();
            item.finding = true;
            // With notify-recipients off, check is content with it.
            if ctx.site.config.policy.rule_level(item.rule.id).is_none() {
                item.rule = d.spec.rule();
                item.state = State::Done;
                item.late_by = None;
                item.finding = false;
                item.missing.clear();
            }
        }
        DutyState::Lapsed => item.state = State::Lapsed,
    }
    vec![item]
}

/// Is the progress period of this duty still running at now?
fn progress_running(ctx: &Ctx, d: &Duty, all: &[Duty]) -> bool {
    let rec = ctx.rec;
    let recovered = rec.recovered().is_some_and(|r| r <= ctx.now);
    let level_has = rec.level_at(ctx.now).is_some_and(|l| d.spec.applies_to(l));
    let last_period = all
        .iter()
        .filter(|x| x.name == "progress")
        .all(|x| x.start <= d.start);
    !recovered && level_has && last_period
}

/// The progress notices counted since `from`, up to now.
fn last_progress(ctx: &Ctx, spec: &NoticeSpec, from: Time) -> Option<Time> {
    ctx.rec
        .notifications
        .iter()
        .filter(|n| spec.counts(&n.kind))
        .filter_map(|n| n.at)
        .filter(|t| *t >= from && *t <= ctx.now)
        .max()
}

fn progress_items(ctx: &Ctx, d: &Duty, all: &[Duty]) -> Vec<Item> {
    let running = progress_running(ctx, d, all);
    let base = notice_base(d);
    let every = d.spec.every;
    // The next progress notice while the period runs.
    // `late` only where check reports notify-progress for this period.
    let next = |may_be_late: bool| -> Item {
        let last = last_progress(ctx, &d.spec, d.start).unwrap_or(d.start);
        let due = last + every;
        let mut it = base.clone();
        it.due = due;
        if due < ctx.now && may_be_late {
            it.state = State::Late;
            it.late_by = Some(ctx.now - due);
            it.finding = true;
        }
        it
    };
    let mut out = Vec::new();
    match &d.state {
        DutyState::Pending | DutyState::Met(_) => {
            if running {
                out.push(next(false));
            } else if let DutyState::Met(t) = d.state {
                let mut it = base.clone();
                it.state = State::Done;
                it.done_at = Some(t);
                it.due = t;
                out.push(it);
            }
        }
        DutyState::Recipients(m) => {
            let mut it = base.clone();
            it.rule = &rules::NOTIFY_RECIPIENTS;
            it.missing = m.clone();
            it.due = d.start + every;
            it.finding = true;
            if running {
                it.state = State::Late;
                it.late_by = Some(ctx.now - it.due);
            } else {
                it.state = State::Missed;
            }
            if ctx.site.config.policy.rule_level(it.rule.id).is_some() {
                out.push(it);
            }
            if running {
                out.push(next(false));
            }
        }
        DutyState::Missing { .. } => {
            let (a, b) = d.gap.unwrap_or((d.start, d.due));
            let closed_by_notice = ctx
                .rec
                .notifications
                .iter()
                .any(|n| n.at == Some(b) && d.spec.counts(&n.kind));
            let mut it = base.clone();
            it.due = a + every;
            it.gap = Some((a, b));
            it.finding = true;
            if closed_by_notice {
                it.state = State::Done;
                it.done_at = Some(b);
                it.late_by = Some(b - it.due);
                out.push(it);
                if running {
                    out.push(next(true));
                }
            } else if running {
                // The gap is still open: the next notice is late now.
                it.state = State::Late;
                it.late_by = Some(ctx.now - it.due);
                it.gap = None;
                out.push(it);
            } else {
                it.state = State::Missed;
                it.late_by = Some(b - it.due);
                out.push(it);
            }
        }
        DutyState::Lapsed => {
            let mut it = base;
            it.state = State::Lapsed;
            out.push(it);
        }
    }
    out
}

mod text;
pub use text::{human, message, to_json};
