//! Input rules across records: duplicate ids, parent links, runbook
//! references, time order, future times, status and escalation chains.

use crate::diag::rules;
use crate::diag::Diagnostic;
use crate::model::incident::{page_slug, Kind, Record, Time, LIFECYCLE};
use crate::model::site::Site;
use crate::time;
use crate::yaml::Pos;
use std::collections::{HashMap, HashSet};

fn d(
    rec: &Record,
    rule: &'static crate::diag::Rule,
    pos: Pos,
    msg: String,
    help: &str,
) -> Diagnostic {
    let mut d = Diagnostic::new(rule, &rec.file, pos, msg).incident(rec.id.as_deref());
    if !help.is_empty() {
        d = d.help(help);
    }
    d
}

pub(super) fn check(site: &Site, now: Time) -> Vec<Diagnostic> {
    check_only(site, now, None)
}

/// [`check`]'s findings on the record files in `only` (all with `None`):
/// the rules still look across every record, but report on those.
pub(super) fn check_only(site: &Site, now: Time, only: Option<&HashSet<&str>>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mine = |r: &&Record| only.is_none_or(|f| f.contains(r.file.as_str()));
    let zone = &site.config.timezone;
    let fmt = |t: Time| time::format_local(t, zone, None);

    // duplicate-id: every record involved names the others.
    let mut by_id: HashMap<&str, Vec<&Record>> = HashMap::new();
    // Page folders: incidents and maintenance each have their own.
    let mut by_page: HashMap<(bool, String), Vec<&Record>> = HashMap::new();
    for r in &site.records {
        if let Some(id) = &r.id {
            by_id.entry(id.as_str()).or_default().push(r);
            by_page
                .entry((r.kind == Kind::Maintenance, page_slug(id)))
                .or_default()
                .push(r);
        }
    }
    for r in site.records.iter().filter(mine) {
        let Some(id) = &r.id else { continue };
        let same = by_id.get(id.as_str()).map_or(&[][..], Vec::as_slice);
        if same.len() > 1 {
            // Ten names at most: a thousand copies of one record would
            // otherwise give a thousand messages naming a thousand files.
            let named: Vec<&str> = same
                .iter()
                .filter(|o| o.file != r.file)
                .take(10)
                .map(|o| o.file.as_str())
                .collect();
            // Files are unique, so every other entry is another record.
            let rest = (same.len() - 1).saturating_sub(named.len());
            let more = if rest > 0 {
                format!(" and {rest} more")
            } else {
                String::new()
            };
            out.push(d(
                r,
                &rules::DUPLICATE_ID,
                r.id_pos,
                format!("id `{id}` is also used by {}{more}", named.join(", ")),
                "give each record its own id",
            ));
        }
    }

    // Different ids, one page: `a/b` and `a-b` are both `/incidents/a-b/`,
    // and the build would write one over the other.
    for r in site.records.iter().filter(mine) {
        let Some(id) = &r.id else { continue };
        let key = (r.kind == Kind::Maintenance, page_slug(id));
        let others: Vec<&str> = by_page
            .get(&key)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|o| o.id.as_deref())
            .filter(|o| o != id)
            .take(10)
            .collect();
        if let Some(first) = others.first() {
            let folder = if key.0 { "maintenance" } else { "incidents" };
            out.push(d(
                r,
                &rules::DUPLICATE_ID,
                r.id_pos,
                format!(
                    "id `{id}` has the same page as `{first}`{} (/{folder}/{}/): one would hide the other",
                    if others.len() > 1 { " and others" } else { "" },
                    key.1
                ),
                "ids are page addresses: use letters, digits, `-`, `_` and `.`, and make them differ there",
            ));
        }
    }

    for r in site.records.iter().filter(mine) {
        if r.kind == Kind::Maintenance {
            if let (Some(s), Some(e)) = (&r.scheduled_start, &r.scheduled_end) {
                if e.time < s.time {
                    out.push(d(
                        r,
                        &rules::TIME_ORDER,
                        e.pos,
                        format!(
                            "`scheduled_end` ({}) is before `scheduled_start` ({})",
                            fmt(e.time),
                            fmt(s.time)
                        ),
                        "swap them, or correct the date",
                    ));
                }
            }
            list_order(
                r,
                &mut out,
                &fmt,
                r.scheduled_start.as_ref().map(|a| a.time),
                "scheduled_start",
            );
            for u in &r.updates {
                future(r, &mut out, u.at, u.pos, "an update", now, &fmt);
            }
            continue;
        }
        // link-missing (link-cycle is below).
        if let Some((p, pos)) = &r.parent {
            if site.record(p).is_none() {
                let help = crate::diag::did_you_mean(
                    p,
                    site.records.iter().filter_map(|x| x.id.as_deref()),
                )
                .map_or_else(
                    || "name the id of an existing incident".to_owned(),
                    |m| format!("did you mean `{m}`?"),
                );
                out.push(d(
                    r,
                    &rules::LINK_MISSING,
                    *pos,
                    format!("parent `{p}` is not the id of any record"),
                    &help,
                ));
            }
        }
        if let Some((slug, pos)) = &r.runbook {
            if site.runbook(slug).is_none() {
                let help = crate::diag::did_you_mean(
                    slug,
                    site.runbooks
                        .iter()
                        .filter(|x| !x.is_index)
                        .map(|x| x.slug.as_str()),
                )
                .map_or_else(
                    || "use a runbook's path below content/ without .md".to_owned(),
                    |m| format!("did you mean `{m}`?"),
                );
                out.push(d(
                    r,
                    &rules::UNKNOWN_RUNBOOK,
                    *pos,
                    format!("runbook `{slug}` does not exist"),
                    &help,
                ));
            }
        }
        // time-order on the lifecycle, for the fields present.
        let present: Vec<(&str, Time, Pos)> = LIFECYCLE
            .iter()
            .filter_map(|f| r.times.get(f).map(|a| (*f, a.time, a.pos)))
            .collect();
        for (i, (f, t, pos)) in present.iter().enumerate() {
            if let Some((pf, pt, _)) = present
                .get(..i)
                .and_then(|s| s.iter().rev().find(|(_, pt, _)| pt > t))
            {
                out.push(d(
                    r,
                    &rules::TIME_ORDER,
                    *pos,
                    format!("`{f}` ({}) is before `{pf}` ({})", fmt(*t), fmt(*pt)),
                    "the order is started ≤ reported ≤ responded ≤ recovered ≤ resolved ≤ closed",
                ));
            }
        }
        let floor = r.started();
        let floor_name = if r.time("started_at").is_some() {
            "started_at"
        } else {
            "reported_at"
        };
        list_order(r, &mut out, &fmt, floor, floor_name);
        // future-time.
        for (f, t, pos) in &present {
            future(r, &mut out, Some(*t), *pos, &format!("`{f}`"), now, &fmt);
        }
        for e in &r.escalations {
            future(r, &mut out, e.at, e.pos, "an escalation", now, &fmt);
        }
        for n in &r.notifications {
            future(r, &mut out, n.at, n.pos, "a notification", now, &fmt);
        }
        for e in &r.timeline {
            future(r, &mut out, e.at, e.pos, "a timeline entry", now, &fmt);
        }
        for u in &r.updates {
            future(r, &mut out, u.at, u.pos, "an update", now, &fmt);
        }
        if let Some(c) = r.report.as_ref().and_then(|x| x.completed_at.as_ref()) {
            future(
                r,
                &mut out,
                Some(c.time),
                c.pos,
                "`report.completed_at`",
                now,
                &fmt,
            );
        }
        // status-mismatch.
        if let Some(s) = &r.status {
            let resolved = r.time("resolved_at").is_some();
            let closed = r.time("closed_at").is_some();
            let problem = match s.as_str() {
                "resolved" if !resolved => Some("`status: resolved` but no `resolved_at`"),
                "resolved" if closed => Some("`status: resolved` but `closed_at` is set"),
                "closed" if !closed => Some("`status: closed` but no `closed_at`"),
                "investigating" | "identified" | "monitoring" if resolved || closed => {
                    Some("an open status but `resolved_at` or `closed_at` is set")
                }
                _ => None,
            };
            if let Some(p) = problem {
                out.push(d(
                    r,
                    &rules::STATUS_MISMATCH,
                    r.status_pos,
                    p.to_string(),
                    "remove `status:` to derive it from the timestamps, or fix the times",
                ));
            }
        }
        if r.kind == Kind::Incident {
            update_status(r, &mut out, &fmt);
        }
        // escalation-mismatch.
        let mut prev_to: Option<i64> = None;
        for (i, e) in r.escalations.iter().enumerate() {
            if i > 0 && e.from.is_some() && prev_to.is_some() && e.from != prev_to {
                out.push(d(r, &rules::ESCALATION_MISMATCH, e.from_pos, format!("escalation from level {} does not follow the previous escalation to level {}", e.from.unwrap_or_default(), prev_to.unwrap_or_default()), "each `from` is the `to` of the escalation before it"));
            }
            prev_to = e.to;
        }
        if let (Some(last), Some(sev)) = (r.escalations.last().and_then(|e| e.to), r.severity) {
            if last != sev {
                out.push(d(
                    r,
                    &rules::ESCALATION_MISMATCH,
                    r.severity_pos,
                    format!("`severity` is {sev} but the last escalation went to level {last}"),
                    &format!("set `severity: {last}`"),
                ));
            }
        }
    }

    // link-cycle: on every record of a cycle, not on records leading into one.
    let parent_of: HashMap<&str, &str> = site
        .records
        .iter()
        .filter_map(|r| Some((r.id.as_deref()?, r.parent.as_ref()?.0.as_str())))
        .collect();
    let cycles = cycles(&parent_of);
    for r in site.records.iter().filter(mine) {
        let (Some(id), Some((_, pos))) = (r.id.as_deref(), &r.parent) else {
            continue;
        };
        if let Some(path) = cycles.get(id) {
            out.push(d(
                r,
                &rules::LINK_CYCLE,
                *pos,
                format!(
                    "following `parent:` comes back here: {} → {id}",
                    path.join(" → ")
                ),
                "remove `parent:` from one record of the cycle",
            ));
        }
    }
    out
}

/// For each id on a cycle of `parent:` links, the cycle from that id on
/// (`[id, its parent, …]`). Each id is walked once, so a long chain, or
/// many records below a cycle, cost no more than their number.
fn cycles<'a>(parent_of: &HashMap<&'a str, &'a str>) -> HashMap<&'a str, Vec<&'a str>> {
    let mut out: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut done: std::collections::HashSet<&str> = std::collections::HashSet::new();
    // Walk from every id (sorted, so the walks do not depend on hashing).
    let mut starts: Vec<&str> = parent_of.keys().copied().collect();
    starts.sort_unstable();
    for start in starts {
        // Where each id of this walk stands in it.
        let mut at: HashMap<&str, usize> = HashMap::new();
        let mut walk: Vec<&str> = Vec::new();
        let mut cur = start;
        loop {
            if done.contains(cur) {
                break;
            }
            if let Some(&i) = at.get(cur) {
                let cycle = walk.get(i..).unwrap_or(&[]);
                for (j, id) in cycle.iter().enumerate() {
                    let from_here = cycle.iter().cycle().skip(j).take(cycle.len());
                    out.insert(id, from_here.copied().collect());
                }
                break;
            }
            at.insert(cur, walk.len());
            walk.push(cur);
            match parent_of.get(cur) {
                Some(p) => cur = p,
                None => break,
            }
        }
        done.extend(walk);
    }
    out
}

/// A list entry before the floor, or before the entry above it.
fn list_order(
    r: &Record,
    out: &mut Vec<Diagnostic>,
    fmt: &dyn Fn(Time) -> String,
    floor: Option<Time>,
    floor_name: &str,
) {
    type Entries = Vec<(Option<Time>, Pos)>;
    let lists: [(&str, Entries); 4] = [
        (
            "timeline",
            r.timeline.iter().map(|e| (e.at, e.pos)).collect(),
        ),
        (
            "notifications",
            r.notifications.iter().map(|e| (e.at, e.pos)).collect(),
        ),
        ("updates", r.updates.iter().map(|e| (e.at, e.pos)).collect()),
        (
            "escalations",
            r.escalations.iter().map(|e| (e.at, e.pos)).collect(),
        ),
    ];
    for (name, items) in lists {
        // The latest time so far (and where it is), and the entry just above.
        let mut latest: Option<(Time, Pos)> = None;
        let mut above: Option<Time> = None;
        for (at, pos) in items {
            let Some(t) = at else { continue };
            if let Some((p, p_pos)) = latest.filter(|(p, _)| t < *p) {
                // Name the entry it goes back before: the one just above, or
                // an earlier one that is later still.
                let which = match above {
                    Some(a) if t < a => format!("the entry above it ({})", fmt(a)),
                    _ => format!("the entry on line {} ({})", p_pos.line, fmt(p)),
                };
                out.push(d(
                    r,
                    &rules::TIME_ORDER,
                    pos,
                    format!("this `{name}` entry ({}) is before {which}", fmt(t)),
                    "keep lists in time order; when a list crosses midnight, write the full date",
                ));
            } else if let Some(f) = floor.filter(|f| t < *f) {
                if r.kind == Kind::Incident {
                    out.push(d(
                        r,
                        &rules::TIME_ORDER,
                        pos,
                        format!(
                            "this `{name}` entry ({}) is before `{floor_name}` ({})",
                            fmt(t),
                            fmt(f)
                        ),
                        "correct the time, or `started_at` if the impact began earlier",
                    ));
                }
            }
            above = Some(t);
            if latest.is_none_or(|(p, _)| t >= p) {
                latest = Some((t, pos));
            }
        }
    }
}

fn future(
    r: &Record,
    out: &mut Vec<Diagnostic>,
    at: Option<Time>,
    pos: Pos,
    what: &str,
    now: Time,
    fmt: &dyn Fn(Time) -> String,
) {
    if let Some(t) = at.filter(|t| *t > now) {
        out.push(d(
            r,
            &rules::FUTURE_TIME,
            pos,
            format!("{what} at {} lies after now ({})", fmt(t), fmt(now)),
            "record things that have happened; check the date, or pass --now",
        ));
    }
}

/// Rule `update-status`: the public updates tell the same story as the
/// lifecycle times (resolved counts from `resolved_at`, else `closed_at`).
fn update_status(r: &Record, out: &mut Vec<Diagnostic>, fmt: &dyn Fn(Time) -> String) {
    let resolved = r.resolved();
    // Which time made the incident resolved, for the message and its fix.
    let field = if r.time("resolved_at").is_some() {
        "resolved_at"
    } else {
        "closed_at"
    };
    for u in &r.updates {
        let Some(status) = u.status.as_deref() else {
            continue;
        };
        match resolved {
            None if status == "resolved" => out.push(d(
                r,
                &rules::UPDATE_STATUS,
                u.status_pos,
                "an update says `resolved`, but the record has no `resolved_at` (nor `closed_at`)".to_owned(),
                &format!(
                    "add `resolved_at:` with the time it was resolved{}, or give the update the status it had",
                    u.at.map(|t| format!(" (this update is at {})", fmt(t)))
                        .unwrap_or_default()
                ),
            )),
            Some(done) if status != "resolved" && u.at.is_some_and(|t| t > done) => out.push(d(
                r,
                &rules::UPDATE_STATUS,
                u.status_pos,
                format!(
                    "an update at {} says `{status}`, after the incident was resolved (`{field}` {})",
                    u.at.map(fmt).unwrap_or_default(),
                    fmt(done)
                ),
                &format!("an update after `{field}` says `resolved`; if the incident came back, move `{field}` to when it was really over, or open a new incident"),
            )),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cycles;
    use std::collections::HashMap;

    /// The plain statement: follow the links from each id and see whether
    /// they come back to it (quadratic, but clearly right).
    fn by_walking<'a>(parent_of: &HashMap<&'a str, &'a str>) -> HashMap<&'a str, Vec<&'a str>> {
        let mut out = HashMap::new();
        for &id in parent_of.keys() {
            let mut path = vec![id];
            let mut cur = id;
            while let Some(&p) = parent_of.get(cur) {
                if p == id {
                    out.insert(id, path);
                    break;
                }
                if path.len() > parent_of.len() {
                    break;
                }
                path.push(p);
                cur = p;
            }
        }
        out
    }

    proptest::proptest! {
        /// Random `parent:` links among 12 ids: cycles, self-links, chains
        /// into cycles and links to ids that have none.
        #[test]
        fn cycles_match_following_the_links(links in proptest::collection::vec((0u8..12, 0u8..14), 0..14)) {
            const IDS: [&str; 14] = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n"];
            let parent_of: HashMap<&str, &str> = links
                .iter()
                .filter_map(|(c, p)| Some((*IDS.get(usize::from(*c))?, *IDS.get(usize::from(*p))?)))
                .collect();
            proptest::prop_assert_eq!(cycles(&parent_of), by_walking(&parent_of));
        }
    }

    #[test]
    fn a_long_chain_into_a_cycle() {
        let ids: Vec<String> = (0..50_000).map(|i| format!("INC-{i}")).collect();
        let mut parent_of: HashMap<&str, &str> = HashMap::new();
        for w in ids.windows(2) {
            parent_of.insert(&w[0], &w[1]);
        }
        // The last two point at each other: 49,998 records lead into it.
        parent_of.insert(&ids[49_999], &ids[49_998]);
        let c = cycles(&parent_of);
        assert_eq!(c.len(), 2);
        assert_eq!(c["INC-49998"], ["INC-49998", "INC-49999"]);
        assert_eq!(c["INC-49999"], ["INC-49999", "INC-49998"]);
    }
}
