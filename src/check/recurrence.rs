//! `recurrence` (RULES.md): an incident on a service that had another
//! incident within the policy's window before it, where neither names the
//! `problem:` that tracks the cause, and the two are not parts of one
//! outage. The procedure sends recurring incidents to problem management.

use super::Ctx;
use crate::diag::rules;
use crate::diag::Diagnostic;
use crate::model::incident::Record;
use crate::model::site::Site;

/// Whether two records are parts of one outage: one is the other's parent,
/// or they share a parent.
fn one_outage(a: &Record, b: &Record) -> bool {
    fn parent(r: &Record) -> Option<&str> {
        r.parent.as_ref().map(|(p, _)| p.as_str())
    }
    let (pa, pb) = (parent(a), parent(b));
    (pa.is_some() && pa == b.id.as_deref())
        || (pb.is_some() && pb == a.id.as_deref())
        || (pa.is_some() && pa == pb)
}

/// The service an incident shares with the incident before it that makes
/// it recur, and that incident (the most recent one); `None` when it does
/// not recur. The rule and `sitrep report` both ask this.
pub fn recurs_after<'s>(site: &'s Site, rec: &'s Record) -> Option<(&'s str, &'s Record)> {
    if rec.problem.is_some() {
        return None;
    }
    let at = rec.reported()?;
    let from = at - site.config.policy.recurrence_window;
    // Earlier: reported before this one (at the same time: by file).
    let before = |o: &Record| {
        o.reported()
            .is_some_and(|t| t < at || (t == at && o.file < rec.file))
    };
    rec.services.iter().find_map(|s| {
        site.incidents_on(&s.id, from, at)
            .filter(|o| o.file != rec.file && before(o))
            .find(|o| o.problem.is_none() && !one_outage(rec, o))
            .map(|o| (s.id.as_str(), o))
    })
}

pub(super) fn check(ctx: &Ctx) -> Vec<Diagnostic> {
    let rec = ctx.rec;
    let Some((service, e)) = recurs_after(ctx.site, rec) else {
        return Vec::new();
    };
    let Some(s) = rec.services.iter().find(|s| s.id == service) else {
        return Vec::new();
    };
    let at = rec.reported().unwrap_or_default();
    let window = ctx.site.config.policy.recurrence_window;
    let ago = at - e.reported().unwrap_or(at);
    let when = if ago.is_zero() {
        "at the same time as".to_owned()
    } else {
        format!("{} before", crate::time::format_duration(ago))
    };
    vec![ctx.finding(
        &rules::RECURRENCE,
        s.pos,
        format!(
            "`{}` had {} ({}) {when} this incident, within the {} recurrence window, and neither names a `problem:`",
            s.id,
            e.id_str(),
            ctx.t(e.reported().unwrap_or(at)),
            crate::time::format_duration(window),
        ),
        "a recurring fault goes to problem management: name its problem record in `problem:` (a ticket id or URL); if both are parts of one outage, link them with `parent:`".to_owned(),
    )]
}
