//! The notice rules: notify-initial, -progress, -rectification, -overdue,
//! -customer, -leadership and notify-recipients (RULES.md, "Notices: what
//! counts" and "Precise semantics").

use super::{targets, Ctx};
use crate::diag::rules;
use crate::diag::Diagnostic;
use crate::model::incident::{Notice, Time};
use crate::model::policy::NoticeSpec;
use crate::time::format_duration;
use crate::yaml::Pos;

/// What became of one required notice.
#[derive(Debug, Clone, PartialEq)]
pub enum DutyState {
    /// Due at or after now: not checked yet.
    Pending,
    /// Sent in time to everyone by every channel; the last counted notice.
    Met(Time),
    /// No notice of the kind in the window (`late` = the first one after).
    Missing { late: Option<Time> },
    /// Sent in time, but these recipients/channels were not reached.
    Recipients(Vec<String>),
    /// A de-escalation made it lapse before it was due.
    Lapsed,
}

/// One required notice of one record.
#[derive(Debug, Clone)]
pub struct Duty {
    pub name: &'static str,
    /// What started it: "the report", "the escalation to level 1 at 09:40" …
    pub cause: String,
    pub start: Time,
    /// Notices before this do not count (escalations, recovery, misses).
    pub from: Option<Time>,
    pub due: Time,
    pub state: DutyState,
    /// For progress: the gap (start, end) that broke the cadence.
    pub gap: Option<(Time, Time)>,
    /// The notice a finding points at (a late or incomplete one).
    pub pos: Option<Pos>,
    pub spec: NoticeSpec,
}

fn has(spec: &NoticeSpec, level: Option<i64>) -> bool {
    level.is_some_and(|l| spec.applies_to(l))
}

/// Does an entry of `to`/`cc` name this recipient key? Keys match exactly;
/// descriptions case-insensitively.
fn names(ctx: &Ctx, entry: &str, key: &str) -> bool {
    entry == key
        || ctx
            .site
            .config
            .recipient_description(key)
            .is_some_and(|d| d.to_lowercase() == entry.trim().to_lowercase())
}

fn reaches(ctx: &Ctx, n: &Notice, key: &str) -> bool {
    n.to.iter().chain(&n.cc).any(|e| names(ctx, e, key))
}

/// Whether a notice is of the kind a duty counts. For `kind: any`, a
/// notice counts only when it reaches one of the requirement's recipients.
fn of_kind(ctx: &Ctx, spec: &NoticeSpec, n: &Notice) -> bool {
    spec.counts(&n.kind)
        && (spec.kind != "any"
            || spec
                .deliver
                .iter()
                .flat_map(|d| &d.to)
                .any(|k| reaches(ctx, n, k)))
}

/// The notices that count for a duty in its window `[from, until]`.
fn counted<'a>(
    ctx: &'a Ctx,
    spec: &NoticeSpec,
    from: Option<Time>,
    until: Time,
) -> Vec<&'a Notice> {
    ctx.rec
        .notifications
        .iter()
        .filter(|n| {
            n.at.is_some_and(|t| t <= until && from.is_none_or(|f| t >= f))
        })
        .filter(|n| of_kind(ctx, spec, n))
        .collect()
}

/// Recipient/channel pairs that the counted notices miss, as text.
fn missing_deliveries(ctx: &Ctx, spec: &NoticeSpec, notices: &[&Notice]) -> Vec<String> {
    let mut missing = Vec::new();
    for d in &spec.deliver {
        for key in &d.to {
            if d.channels.is_empty() {
                if !notices.iter().any(|n| reaches(ctx, n, key)) {
                    missing.push(format!("{key} (any channel)"));
                }
                continue;
            }
            let lacking: Vec<&str> = d
                .channels
                .iter()
                .filter(|c| {
                    !notices
                        .iter()
                        .any(|n| reaches(ctx, n, key) && n.channels.contains(c))
                })
                .map(String::as_str)
                .collect();
            if !lacking.is_empty() {
                missing.push(format!("{key} by {}", lacking.join("+")));
            }
        }
    }
    missing
}

/// The first moment after `start` at which a level change drops the
/// requirement (for lapses).
fn dropped_at(ctx: &Ctx, spec: &NoticeSpec, start: Time) -> Option<Time> {
    ctx.rec
        .level_changes()
        .into_iter()
        .find(|(t, _, after)| *t > start && !has(spec, *after))
        .map(|(t, _, _)| t)
}

fn evaluate(
    ctx: &Ctx,
    name: &'static str,
    spec: &NoticeSpec,
    cause: String,
    start: Time,
    from: Option<Time>,
) -> Duty {
    let due = start + spec.within;
    let mut duty = Duty {
        name,
        cause,
        start,
        from,
        due,
        state: DutyState::Pending,
        gap: None,
        pos: None,
        spec: spec.clone(),
    };
    // A de-escalation before the due time makes it lapse; one exactly at
    // the due time does not.
    if dropped_at(ctx, spec, start).is_some_and(|t| due > t) {
        duty.state = DutyState::Lapsed;
        return duty;
    }
    if due >= ctx.now {
        return duty;
    }
    let notices = counted(ctx, spec, from, due);
    duty.state = if notices.is_empty() {
        let late = ctx
            .rec
            .notifications
            .iter()
            .find(|n| of_kind(ctx, spec, n) && n.at.is_some_and(|t| t > due));
        duty.pos = late.map(|n| n.pos);
        DutyState::Missing {
            late: late.and_then(|n| n.at),
        }
    } else {
        let missing = missing_deliveries(ctx, spec, &notices);
        if missing.is_empty() {
            DutyState::Met(notices.iter().filter_map(|n| n.at).max().unwrap_or(due))
        } else {
            duty.pos = notices.first().map(|n| n.pos);
            DutyState::Recipients(missing)
        }
    };
    duty
}

/// Every notice duty of a record, in time order.
pub fn duties(ctx: &Ctx) -> Vec<Duty> {
    let rec = ctx.rec;
    let policy = &ctx.site.config.policy;
    let Some(reported) = rec.reported() else {
        return Vec::new();
    };
    let changes = rec.level_changes();
    let mut out = Vec::new();
    for spec in &policy.notices {
        match spec.name {
            "initial" | "customer" | "leadership" => {
                if has(spec, rec.level_at(reported)) {
                    out.push(evaluate(
                        ctx,
                        spec.name,
                        spec,
                        format!("the report at {}", ctx.t(reported)),
                        reported,
                        None,
                    ));
                }
                for (t, before, after) in &changes {
                    if has(spec, *after) && !has(spec, *before) {
                        let cause = format!(
                            "the change to level {} at {}",
                            after.unwrap_or_default(),
                            ctx.t(*t)
                        );
                        out.push(evaluate(ctx, spec.name, spec, cause, *t, Some(*t)));
                    }
                }
            }
            "rectification" => {
                if let Some(rc) = rec.recovered() {
                    if has(spec, rec.level_at(rc)) {
                        out.push(evaluate(
                            ctx,
                            spec.name,
                            spec,
                            format!("recovery at {}", ctx.t(rc)),
                            rc,
                            Some(rc),
                        ));
                    }
                }
            }
            "overdue" => {
                for t in targets::targets(ctx).into_iter().filter(|t| t.missed) {
                    if has(spec, rec.level_at(t.due)) {
                        let cause = format!("the missed {} target at {}", t.name, ctx.t(t.due));
                        out.push(evaluate(ctx, spec.name, spec, cause, t.due, Some(t.due)));
                    }
                }
            }
            "progress" => out.extend(progress(ctx, spec, reported)),
            _ => {}
        }
    }
    out.sort_by_key(|d| (d.due, d.name));
    out
}

/// Progress runs while the level in force has it, from the first initial
/// notice at or after the moment the duty began, until recovery or now.
fn progress(ctx: &Ctx, spec: &NoticeSpec, reported: Time) -> Vec<Duty> {
    let rec = ctx.rec;
    let every = spec.every;
    let end_all = rec.recovered().map_or(ctx.now, |r| r.min(ctx.now));
    // Periods (start, end, ended by a de-escalation).
    let mut periods: Vec<(Time, Time, bool)> = Vec::new();
    let mut open: Option<Time> = has(spec, rec.level_at(reported)).then_some(reported);
    for (t, before, after) in rec.level_changes() {
        if has(spec, after) && !has(spec, before) && open.is_none() {
            open = Some(t);
        } else if !has(spec, after) && has(spec, before) {
            if let Some(s) = open.take() {
                periods.push((s, t, true));
            }
        }
    }
    if let Some(s) = open {
        periods.push((s, end_all, false));
    }
    let mut out = Vec::new();
    for (start, end, by_change) in periods {
        let (end, by_change) = if by_change && end > end_all {
            (end_all, false)
        } else {
            (end, by_change)
        };
        if start >= end_all {
            continue;
        }
        let first = rec
            .notifications
            .iter()
            .filter(|n| n.kind == "initial")
            .filter_map(|n| n.at)
            .find(|t| *t >= start && *t <= end);
        let Some(first) = first else { continue };
        let notices = counted(ctx, spec, Some(first), end);
        let mut times: Vec<Time> = notices.iter().filter_map(|n| n.at).collect();
        times.sort();
        let mut gap: Option<(Time, Time)> = None;
        for w in times.windows(2) {
            if let [a, b] = w {
                if *b - *a > every {
                    gap = Some((*a, *b));
                    break;
                }
            }
        }
        let last = times.last().copied().unwrap_or(first);
        if gap.is_none() {
            // The open end: a change of level owes a notice due exactly at
            // it; recovery or now allow a gap of exactly `every`.
            let over = if by_change {
                end - last >= every
            } else {
                end - last > every
            };
            if over && last + every < ctx.now {
                let next = rec
                    .notifications
                    .iter()
                    .filter(|n| spec.counts(&n.kind))
                    .filter_map(|n| n.at)
                    .find(|t| *t > last);
                gap = Some((last, next.map_or(end, |n| n.min(end).max(last + every))));
            }
        }
        let cause = if start == reported {
            "the first initial notice".to_owned()
        } else {
            format!("the change of level at {}", ctx.t(start))
        };
        let mut duty = Duty {
            name: "progress",
            cause,
            start: first,
            from: Some(first),
            due: last + every,
            state: DutyState::Pending,
            gap,
            pos: None,
            spec: spec.clone(),
        };
        if let Some((a, _)) = gap {
            duty.due = a + every;
            duty.state = DutyState::Missing { late: None };
        } else if end - first > every {
            let missing = missing_deliveries(ctx, spec, &notices);
            duty.state = if missing.is_empty() {
                DutyState::Met(last)
            } else {
                DutyState::Recipients(missing)
            };
        }
        out.push(duty);
    }
    out
}

pub(super) fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let rec = ctx.rec;
    let mut out = Vec::new();
    for d in duties(ctx) {
        let pos = d.pos.unwrap_or(rec.id_pos);
        match &d.state {
            DutyState::Missing { late } if d.name == "progress" => {
                let (a, b) = d.gap.unwrap_or((d.start, d.due));
                let pos = rec
                    .notifications
                    .iter()
                    .find(|n| n.at == Some(b))
                    .map_or(rec.id_pos, |n| n.pos);
                let msg = format!(
                    "no progress notice for {} between {} and {} (every {} is required until recovery)",
                    format_duration(b - a),
                    ctx.t(a),
                    ctx.t(b),
                    format_duration(d.spec.every)
                );
                out.push(ctx.finding(&rules::NOTIFY_PROGRESS, pos, msg, format!("send a progress notice at least every {} ({}), or add a waiver with a reason", format_duration(d.spec.every), d.spec.deliveries_text())));
            }
            DutyState::Missing { late } => {
                let sent = match late {
                    Some(t) => format!(
                        "first {} notice {}, late by {}",
                        d.name,
                        ctx.t(*t),
                        format_duration(*t - d.due)
                    ),
                    None => format!("no {} notice sent", d.name),
                };
                let msg = format!(
                    "no {} notice within {} of {} (due by {}; {sent})",
                    d.name,
                    format_duration(d.spec.within),
                    d.cause,
                    ctx.t(d.due)
                );
                let help = format!(
                    "send the {} notice ({}) by {}, or add a waiver with a reason",
                    d.name,
                    d.spec.deliveries_text(),
                    ctx.t(d.due)
                );
                out.push(ctx.finding(d.spec.rule(), pos, msg, help));
            }
            DutyState::Recipients(missing) => {
                let msg = format!(
                    "the {} notices for {} (due by {}) did not reach {}",
                    d.name,
                    d.cause,
                    ctx.t(d.due),
                    missing.join("; ")
                );
                let help = format!("the {} notice goes {}; add the missing recipients or channels, or a waiver with a reason", d.name, d.spec.deliveries_text());
                out.push(ctx.finding(&rules::NOTIFY_RECIPIENTS, pos, msg, help));
            }
            _ => {}
        }
    }
    out
}
