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
    let diags = check::check(site, now);
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
        let items = if open && !input_errors {
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

/// `service-owner` → its description in sitrep.yaml, else the key.
fn who(site: &Site, key: &str) -> String {
    site.config
        .recipient_description(key)
        .map_or_else(|| key.to_owned(), str::to_owned)
}

fn channel(c: &str) -> String {
    match c {
        "sms" | "pa" => c.to_uppercase(),
        _ => c.to_owned(),
    }
}

/// `SMS+email to Service owner, O&M team; phone to R&D leader`.
fn deliveries_text(site: &Site, deliver: &[(Vec<String>, Vec<String>)]) -> String {
    deliver
        .iter()
        .map(|(ch, to)| {
            let to: Vec<String> = to.iter().map(|k| who(site, k)).collect();
            if ch.is_empty() {
                format!("any channel to {}", to.join(", "))
            } else {
                let ch: Vec<String> = ch.iter().map(|c| channel(c)).collect();
                format!("{} to {}", ch.join("+"), to.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `rd-leader by phone` → `R&D leader by phone`.
fn missing_text(site: &Site, item: &Item, m: &str) -> String {
    let mut keys: Vec<&String> = item.deliver.iter().flat_map(|(_, to)| to).collect();
    keys.sort_by_key(|k| std::cmp::Reverse(k.len()));
    for k in keys {
        if let Some(rest) = m.strip_prefix(k.as_str()) {
            if rest.is_empty() || rest.starts_with(' ') {
                return format!("{}{rest}", who(site, k));
            }
        }
    }
    m.to_owned()
}

fn target_noun(name: &str) -> &'static str {
    match name {
        "respond" => "response",
        "recover" => "recovery",
        _ => "resolution",
    }
}

/// The sentence of an item, for people and chat bots alike.
pub fn message(site: &Site, rec_reported: Option<Time>, now: Time, item: &Item) -> String {
    let zone = &site.config.timezone;
    let day = Some(time::local_date(now, zone));
    let t = |x: Time| time::format_local(x, zone, day);
    if let Some((level, limit, field)) = item.target {
        let head = format!(
            "{} (level {level} target {})",
            target_noun(item.name),
            format_duration(limit)
        );
        return match (item.state, item.done_at) {
            (State::Done, Some(_)) if item.late_by.is_some() => {
                format!("{head}: `{field}` late, due by {}", t(item.due))
            }
            (State::Done, _) => head,
            (State::Late, _) => format!("{head}: no `{field}` yet, due by {}", t(item.due)),
            _ => format!("{head}: record `{field}` when it happens"),
        };
    }
    let mut s = format!("{} notice", item.name);
    let since = (Some(item.start) != rec_reported && item.name != "progress")
        .then(|| format!(" (for {})", item.cause));
    match item.state {
        State::Late | State::Due if !item.missing.is_empty() => {
            let m: Vec<String> = item
                .missing
                .iter()
                .map(|m| missing_text(site, item, m))
                .collect();
            let verb = if item.state == State::Late {
                "did not reach"
            } else {
                "still to reach"
            };
            let _ = write!(s, ": {verb} {}", m.join("; "));
        }
        State::Late | State::Due => {
            let _ = write!(s, ": {}", deliveries_text(site, &item.deliver));
        }
        State::Missed => match item.gap {
            Some((a, b)) => {
                let _ = write!(
                    s,
                    ": none between {} and {} (every {} until recovery)",
                    t(a),
                    t(b),
                    format_duration(item.due - a)
                );
            }
            None => {
                let m: Vec<String> = item
                    .missing
                    .iter()
                    .map(|m| missing_text(site, item, m))
                    .collect();
                let _ = write!(s, ": did not reach {}", m.join("; "));
            }
        },
        State::Done => {
            if let (Some(late), Some((a, _))) = (item.late_by, item.gap) {
                let _ = write!(
                    s,
                    ": none between {} and the one at {} ({} late)",
                    t(a),
                    item.done_at.map_or_else(String::new, t),
                    format_duration(late)
                );
            } else if let Some(late) = item.late_by {
                let _ = write!(
                    s,
                    ": {} late, due by {}",
                    format_duration(late),
                    t(item.due)
                );
            }
        }
        State::Lapsed => {
            let _ = write!(
                s,
                ": dropped by a change of level (was due by {})",
                t(item.due)
            );
        }
    }
    if let Some(since) = since {
        s.push_str(&since);
    }
    if item.waived {
        s.push_str(" [waived]");
    }
    s
}

/// The left column of a line: `LATE 12m`, `due 03:10`, `done 02:52` …
fn label(site: &Site, now: Time, item: &Item) -> String {
    let zone = &site.config.timezone;
    let day = Some(time::local_date(now, zone));
    let t = |x: Time| time::format_local(x, zone, day);
    match item.state {
        State::Late => format!(
            "LATE {}",
            format_duration(item.late_by.unwrap_or_else(Duration::zero))
        ),
        State::Due => format!("due {}", t(item.due)),
        State::Done => match item.done_at {
            Some(d) => format!("done {}", t(d)),
            None => "done".to_owned(),
        },
        State::Missed => format!("missed {}", t(item.due)),
        State::Lapsed => format!("lapsed {}", t(item.due)),
    }
}

/// The checklist for a terminal.
pub fn human(site: &Site, rep: &Report, color: bool) -> String {
    let zone = &site.config.timezone;
    let local = zone.local(rep.now).format("%Y-%m-%d %H:%M");
    let mut s = String::new();
    let open = rep.incidents.iter().filter(|i| i.open).count();
    let late: usize = rep
        .incidents
        .iter()
        .flat_map(|i| &i.items)
        .filter(|i| i.state == State::Late)
        .count();
    let _ = writeln!(
        s,
        "Due at {local} {}: {open} open incident{}, {late} late item{}",
        zone.abbreviation(rep.now),
        if open == 1 { "" } else { "s" },
        if late == 1 { "" } else { "s" }
    );
    if !rep.input_errors.is_empty() {
        let _ = writeln!(s, "\n{}", input_error_line(&rep.input_errors));
    }
    for inc in &rep.incidents {
        s.push('\n');
        let level = match (inc.level, &inc.level_name) {
            (Some(l), Some(n)) => format!("level {l} ({n})"),
            (Some(l), None) => format!("level {l}"),
            _ => "level ?".to_owned(),
        };
        let _ = writeln!(
            s,
            "{}  {level}, {}  {}",
            inc.id,
            inc.status,
            inc.title
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect::<String>()
        );
        if inc.input_errors {
            let _ = writeln!(
                s,
                "  {} has input errors: fix them first (`sitrep check --incident {}`)",
                inc.file, inc.id
            );
            continue;
        }
        if !inc.open {
            let _ = writeln!(s, "  {}: nothing is due", inc.status);
            continue;
        }
        if inc.items.is_empty() {
            let _ = writeln!(s, "  nothing is due");
            continue;
        }
        let labels: Vec<String> = inc.items.iter().map(|i| label(site, rep.now, i)).collect();
        let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        for (item, l) in inc.items.iter().zip(&labels) {
            let pad = " ".repeat(width.saturating_sub(l.chars().count()));
            let l = if color && item.state == State::Late {
                format!("\x1b[1;31m{l}\x1b[0m")
            } else {
                l.clone()
            };
            let _ = writeln!(
                s,
                "  {l}{pad}  {}",
                message(site, inc.reported, rep.now, item)
            );
        }
    }
    s
}

/// The JSON document (docs/due.md): stable, for chat bots.
pub fn to_json(site: &Site, rep: &Report) -> Value {
    let incidents: Vec<Value> = rep
        .incidents
        .iter()
        .map(|inc| {
            let items: Vec<Value> = inc
                .items
                .iter()
                .map(|i| {
                    let mut recipients: Vec<&String> = Vec::new();
                    let mut channels: Vec<&String> = Vec::new();
                    for (ch, to) in &i.deliver {
                        for k in to {
                            if !recipients.contains(&k) {
                                recipients.push(k);
                            }
                        }
                        for c in ch {
                            if !channels.contains(&c) {
                                channels.push(c);
                            }
                        }
                    }
                    let deliver: Vec<Value> = i
                        .deliver
                        .iter()
                        .map(|(ch, to)| {
                            let names: Vec<String> = to.iter().map(|k| who(site, k)).collect();
                            json!({ "channels": ch, "to": to, "to_names": names })
                        })
                        .collect();
                    json!({
                        "kind": i.kind,
                        "name": i.name,
                        "rule": i.rule,
                        "state": i.state.as_str(),
                        "cause": i.cause,
                        "due": time::rfc3339(i.due),
                        "done_at": i.done_at.map(time::rfc3339),
                        "late_by_seconds": i.late_by.map(|d| d.num_seconds()),
                        "recipients": recipients,
                        "channels": channels,
                        "deliver": deliver,
                        "missing": i.missing,
                        "target": i.target.map(|(level, limit, field)| json!({
                            "level": level,
                            "limit_seconds": limit.num_seconds(),
                            "field": field,
                        })),
                        "finding": i.finding,
                        "waived": i.waived,
                        "level": i.level.as_str(),
                        "message": message(site, inc.reported, rep.now, i),
                    })
                })
                .collect();
            json!({
                "id": inc.id,
                "title": inc.title,
                "file": inc.file,
                "status": inc.status,
                "level": inc.level,
                "level_name": inc.level_name,
                "reported_at": inc.reported.map(time::rfc3339),
                "open": inc.open,
                "input_errors": inc.input_errors,
                "items": items,
            })
        })
        .collect();
    json!({
        "version": 1,
        "now": time::rfc3339(rep.now),
        "timezone": site.config.timezone.to_string(),
        "input_errors": rep.input_errors.iter().map(|d| json!({
            "rule": d.rule.id,
            "file": d.file,
            "line": d.line,
            "column": d.column,
            "message": d.message,
        })).collect::<Vec<Value>>(),
        "incidents": incidents,
    })
}
