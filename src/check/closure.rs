//! owner-missing, report-missing, report-late, parent-closed-early,
//! parent-severity and follow-up-overdue.

use super::Ctx;
use crate::diag::rules;
use crate::diag::Diagnostic;
use crate::model::incident::Kind;
use crate::time;

pub(super) fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let rec = ctx.rec;
    let policy = &ctx.site.config.policy;
    let mut out = Vec::new();
    let level = rec.most_severe();
    let id = rec.id_str();

    if level.is_some_and(|l| l == 1 || l == 2)
        && !rec.roles.contains_key("incident_manager")
        && !rec.roles.contains_key("tech_lead")
    {
        out.push(ctx.finding(
            &rules::OWNER_MISSING,
            rec.id_pos,
            format!(
                "a level {} incident names no incident manager or tech lead",
                level.unwrap_or_default()
            ),
            "add `roles: { incident_manager: NAME }` or `tech_lead`".to_owned(),
        ));
    }

    let children: Vec<_> = ctx
        .site
        .children(id)
        .filter(|c| c.kind == Kind::Incident && c.file != rec.file)
        .collect();

    if let Some(closed) = rec.closed() {
        let required = level.is_some_and(|l| policy.report_levels.contains(&l))
            || (policy.report_parents && !children.is_empty());
        if required {
            let rep = rec.report.as_ref();
            let lacking: Vec<&str> = [
                ("conditions", rep.and_then(|r| r.conditions.as_ref())),
                ("actions", rep.and_then(|r| r.actions.as_ref())),
                ("needs", rep.and_then(|r| r.needs.as_ref())),
            ]
            .into_iter()
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| k)
            .collect();
            if !lacking.is_empty() {
                let why = if children.is_empty() {
                    format!("a level {} incident", level.unwrap_or_default())
                } else {
                    "a parent incident".to_owned()
                };
                out.push(ctx.finding(
                    &rules::REPORT_MISSING,
                    rep.map_or(rec.id_pos, |r| r.pos),
                    format!("{why} was closed without a complete post-incident report: `report` lacks {}", lacking.join(", ")),
                    "write the CAN report (conditions, actions, needs) before closing".to_owned(),
                ));
            }
        }
        if let Some(c) = rec.report.as_ref().and_then(|r| r.completed_at.as_ref()) {
            if c.time > closed {
                out.push(ctx.finding(
                    &rules::REPORT_LATE,
                    c.pos,
                    format!(
                        "the report was completed at {}, after the record was closed at {}",
                        ctx.t(c.time),
                        ctx.t(closed)
                    ),
                    "complete the report before closing the record".to_owned(),
                ));
            }
        }
        for c in &children {
            let problem = match c.closed() {
                None => Some(format!(
                    "parent closed at {} while child {} is not closed",
                    ctx.t(closed),
                    c.id_str()
                )),
                Some(cc) if cc > closed => Some(format!(
                    "parent closed at {}, before child {} (closed {})",
                    ctx.t(closed),
                    c.id_str(),
                    ctx.t(cc)
                )),
                _ => None,
            };
            if let Some(msg) = problem {
                let pos = rec.times.get("closed_at").map_or(rec.id_pos, |a| a.pos);
                out.push(ctx.finding(
                    &rules::PARENT_CLOSED_EARLY,
                    pos,
                    msg,
                    "close every child first, then the parent".to_owned(),
                ));
            }
        }
    }
    for c in &children {
        if let (Some(ps), Some(cs)) = (rec.severity, c.severity) {
            if ps > cs {
                out.push(ctx.finding(
                    &rules::PARENT_SEVERITY,
                    rec.severity_pos,
                    format!(
                        "parent is level {ps}, less severe than its child {} at level {cs}",
                        c.id_str()
                    ),
                    format!(
                        "raise the parent to `severity: {cs}` (escalate it), or correct the child"
                    ),
                ));
            }
        }
    }

    let today = time::local_date(ctx.now, &ctx.site.config.timezone);
    for f in rec.report.iter().flat_map(|r| &r.follow_ups) {
        if let Some(due) = f.due.filter(|d| !f.done && today > *d) {
            out.push(ctx.finding(
                &rules::FOLLOW_UP_OVERDUE,
                f.pos,
                format!("follow-up \"{}\" was due on {due} and is not done", f.title),
                format!(
                        "finish it and set `done: true`, or move `due`{}",
                        f.owner
                            .as_ref()
                            .map(|o| format!(" (owner: {o})"))
                            .unwrap_or_default()
                    ),
            ));
        }
    }
    out
}
