//! response-target, recovery-target, resolution-target.

use super::Ctx;
use crate::diag::rules;
use crate::diag::Diagnostic;
use crate::model::incident::Time;
use crate::time::format_duration;
use chrono::Duration;

/// One target of the most severe level, measured from `reported_at`.
#[derive(Debug, Clone)]
pub struct Target {
    pub name: &'static str,
    pub rule: &'static crate::diag::Rule,
    pub field: &'static str,
    pub target: Duration,
    pub due: Time,
    pub actual: Option<Time>,
    /// When the target was missed (`due`), if it was and is due.
    pub missed: bool,
}

pub fn targets(ctx: &Ctx) -> Vec<Target> {
    let rec = ctx.rec;
    let (Some(reported), Some(level)) = (rec.reported(), rec.most_severe()) else {
        return Vec::new();
    };
    let Some(spec) = ctx.site.config.policy.level(level) else {
        return Vec::new();
    };
    [
        (
            "respond",
            &rules::RESPONSE_TARGET,
            "responded_at",
            spec.respond,
            rec.time("responded_at"),
        ),
        (
            "recover",
            &rules::RECOVERY_TARGET,
            "recovered_at",
            spec.recover,
            rec.recovered(),
        ),
        (
            "resolve",
            &rules::RESOLUTION_TARGET,
            "resolved_at",
            spec.resolve,
            rec.resolved(),
        ),
    ]
    .into_iter()
    .map(|(name, rule, field, target, actual)| {
        let due = reported + target;
        // Not yet due: a due time at or after now is not checked.
        let missed = match actual {
            Some(a) => a > due && due < ctx.now,
            None => due < ctx.now,
        };
        Target {
            name,
            rule,
            field,
            target,
            due,
            actual,
            missed,
        }
    })
    .collect()
}

pub(super) fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let rec = ctx.rec;
    let Some(reported) = rec.reported() else {
        return Vec::new();
    };
    let level = rec.most_severe().unwrap_or_default();
    let mut out = Vec::new();
    for t in targets(ctx).into_iter().filter(|t| t.missed) {
        let verb = match t.name {
            "respond" => "response",
            "recover" => "recovery",
            _ => "resolution",
        };
        let (msg, pos) = match t.actual {
            Some(a) => (
                format!(
                    "{verb} took {} against the level {level} target of {} (reported {}, due by {}, {} {}; late by {})",
                    format_duration(a - reported),
                    format_duration(t.target),
                    ctx.t(reported),
                    ctx.t(t.due),
                    t.field.trim_end_matches("_at"),
                    ctx.t(a),
                    format_duration(a - t.due)
                ),
                rec.times.get(t.field).map_or(rec.id_pos, |x| x.pos),
            ),
            None => (
                format!(
                    "no {verb} yet, and the level {level} target of {} passed at {} (reported {}; late by {})",
                    format_duration(t.target),
                    ctx.t(t.due),
                    ctx.t(reported),
                    format_duration(ctx.now - t.due)
                ),
                rec.id_pos,
            ),
        };
        let help = format!(
            "send the overdue notice, record `{}` when it happens, or add a waiver with a reason",
            t.field
        );
        out.push(ctx.finding(t.rule, pos, msg, help));
    }
    out
}
