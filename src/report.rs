//! `sitrep report --month YYYY-MM` (CLI.md): the month's incidents, their
//! targets and notices, times, findings, recurring incidents, follow-ups and
//! lessons. Every number comes from what `check` computes (its findings,
//! targets and duties), never from a second reading of the rules.

use crate::check::{self, Ctx, DutyState};
use crate::diag::Diagnostic;
use crate::model::incident::{Kind, Record, Time};
use crate::model::site::Site;
use crate::time::{self, format_duration};
use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

/// A month, `YYYY-MM`; anything else is a usage error naming the form.
pub fn parse_month(text: &str) -> Result<NaiveDate, String> {
    let bad = || format!("--month `{text}` is not a month: write YYYY-MM, as 2026-09");
    let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(bad());
    }
    let (y, m) = (
        y.parse::<i32>().map_err(|_| bad())?,
        m.parse::<u32>().map_err(|_| bad())?,
    );
    NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(bad)
}

/// The value at the nearest rank `p` (0–100) of sorted durations.
pub fn nearest_rank(sorted: &[Duration], p: usize) -> Option<Duration> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

#[derive(Default)]
struct Tally {
    met: usize,
    missed: usize,
    open: usize,
}

/// The report of the incidents reported in `month` (its first day), in the
/// site's time zone, as of `now`.
pub fn month(site: &Site, now: Time, month: NaiveDate) -> Value {
    let zone = &site.config.timezone;
    let in_month = |r: &Record| {
        r.kind == Kind::Incident
            && r.reported().is_some_and(|t| {
                let d = time::local_date(t, zone);
                d.year() == month.year() && d.month() == month.month()
            })
    };
    let all: Vec<&Record> = site.records.iter().filter(|r| in_month(r)).collect();
    // History is counted apart: the procedure does not apply to it.
    let (history, incidents): (Vec<&Record>, Vec<&Record>) = all
        .into_iter()
        .partition(|r| r.history(&site.config).is_some());
    let diags = check::check(site, now);
    let mut by_incident: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
    for d in &diags {
        if let Some(id) = d.incident.as_deref() {
            by_incident.entry(id).or_default().push(d);
        }
    }
    let today = time::local_date(now, zone);
    let mut by_level: BTreeMap<String, usize> = BTreeMap::new();
    let mut open = 0;
    let mut targets: BTreeMap<&str, Tally> = BTreeMap::new();
    for name in ["respond", "recover", "resolve"] {
        targets.insert(name, Tally::default());
    }
    let (mut on_time, mut late, mut missing) = (0, 0, 0);
    let mut times: BTreeMap<&str, Vec<Duration>> = BTreeMap::new();
    let mut findings: BTreeMap<&str, usize> = BTreeMap::new();
    let mut recurring: BTreeMap<String, Vec<(Option<Time>, String)>> = BTreeMap::new();
    let (mut fu_open, mut fu_overdue, mut fu_done) = (0, 0, 0);
    let mut lessons = Vec::new();
    for rec in &incidents {
        let id = rec.id_str();
        if let Some(l) = rec.most_severe() {
            *by_level.entry(l.to_string()).or_default() += 1;
        }
        open += usize::from(rec.is_open());
        let mine = by_incident.get(id).map_or(&[][..], Vec::as_slice);
        for d in mine {
            *findings.entry(d.rule.id).or_default() += 1;
        }
        let ctx = Ctx { site, rec, now };
        for t in check::targets_of(&ctx) {
            let tally = targets.entry(t.name).or_default();
            if mine.iter().any(|d| std::ptr::eq(d.rule, t.rule)) {
                tally.missed += 1;
            } else if t.actual.is_some_and(|a| a <= t.due) {
                tally.met += 1;
            } else {
                tally.open += 1;
            }
        }
        for duty in check::duties(&ctx) {
            match duty.state {
                DutyState::Met(_) => on_time += 1,
                DutyState::Missing { late: Some(_) } => late += 1,
                DutyState::Missing { late: None } | DutyState::Recipients(_) => missing += 1,
                DutyState::Pending | DutyState::Lapsed => {}
            }
        }
        if let Some(reported) = rec.reported() {
            for (name, at) in [
                ("respond", rec.time("responded_at")),
                ("recover", rec.time("recovered_at")),
                ("resolve", rec.time("resolved_at")),
            ] {
                if let Some(at) = at {
                    times.entry(name).or_default().push(at - reported);
                }
            }
        }
        if let Some((service, earlier)) = check::recurs_after(site, rec) {
            let list = recurring.entry(service.to_owned()).or_default();
            for r in [earlier, *rec] {
                if !list.iter().any(|(_, x)| x == r.id_str()) {
                    list.push((r.reported(), r.id_str().to_owned()));
                }
            }
        }
        if let Some(rep) = &rec.report {
            for f in &rep.follow_ups {
                if f.done {
                    fu_done += 1;
                } else {
                    fu_open += 1;
                    fu_overdue += usize::from(f.due.is_some_and(|d| d < today));
                }
            }
            if let Some(needs) = rep.needs.as_deref().filter(|n| !n.trim().is_empty()) {
                lessons.push(json!({ "incident": id, "needs": needs }));
            }
        }
    }
    let times: BTreeMap<&str, Value> = ["respond", "recover", "resolve"]
        .iter()
        .map(|name| {
            let mut list = times.remove(name).unwrap_or_default();
            list.sort();
            let show = |d: Option<Duration>| d.map(format_duration);
            (
                *name,
                json!({ "median": show(nearest_rank(&list, 50)), "p90": show(nearest_rank(&list, 90)) }),
            )
        })
        .collect();
    json!({
        "month": format!("{:04}-{:02}", month.year(), month.month()),
        "incidents": { "total": incidents.len(), "by_level": by_level, "open": open },
        "targets": targets.iter().map(|(k, t)| (*k, json!({ "met": t.met, "missed": t.missed, "open": t.open }))).collect::<BTreeMap<_, _>>(),
        "notices": { "on_time": on_time, "late": late, "missing": missing },
        "times": times,
        "findings": findings,
        // Each service's recurring incidents in the order they were reported.
        "recurring": recurring.into_iter().map(|(s, mut ids)| {
            ids.sort();
            json!({ "service": s, "incidents": ids.into_iter().map(|(_, i)| i).collect::<Vec<_>>() })
        }).collect::<Vec<_>>(),
        "follow_ups": { "open": fu_open, "overdue": fu_overdue, "done": fu_done },
        "lessons": lessons,
        "history": history.len(),
    })
}

/// The same in words, for a terminal.
pub fn human(r: &Value) -> String {
    let n = |v: &Value| v.as_u64().unwrap_or(0);
    let mut s = format!(
        "Incidents reported in {}\n",
        r["month"].as_str().unwrap_or("")
    );
    let inc = &r["incidents"];
    let levels: Vec<String> = inc["by_level"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(l, c)| format!("level {l}: {}", n(c)))
                .collect()
        })
        .unwrap_or_default();
    s.push_str(&format!(
        "  {} incidents ({}), {} still open\n",
        n(&inc["total"]),
        if levels.is_empty() {
            "none".to_owned()
        } else {
            levels.join(", ")
        },
        n(&inc["open"])
    ));
    if n(&r["history"]) > 0 {
        s.push_str(&format!(
            "  {} more are history (imported, or before policy.applies_from): not counted\n",
            n(&r["history"])
        ));
    }
    s.push_str("\nTargets (met / missed / open)\n");
    for name in ["respond", "recover", "resolve"] {
        let t = &r["targets"][name];
        let tm = &r["times"][name];
        s.push_str(&format!(
            "  {name:8} {} / {} / {}   median {}, p90 {}\n",
            n(&t["met"]),
            n(&t["missed"]),
            n(&t["open"]),
            tm["median"].as_str().unwrap_or("–"),
            tm["p90"].as_str().unwrap_or("–")
        ));
    }
    let no = &r["notices"];
    s.push_str(&format!(
        "\nNotices: {} on time, {} late, {} missing\n",
        n(&no["on_time"]),
        n(&no["late"]),
        n(&no["missing"])
    ));
    if let Some(f) = r["findings"].as_object().filter(|f| !f.is_empty()) {
        s.push_str("\nFindings\n");
        for (rule, c) in f {
            s.push_str(&format!("  {rule:24} {}\n", n(c)));
        }
    }
    if let Some(list) = r["recurring"].as_array().filter(|l| !l.is_empty()) {
        s.push_str("\nRecurring\n");
        for x in list {
            let ids: Vec<&str> = x["incidents"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            s.push_str(&format!(
                "  {}: {}\n",
                x["service"].as_str().unwrap_or(""),
                ids.join(", ")
            ));
        }
    }
    let fu = &r["follow_ups"];
    s.push_str(&format!(
        "\nFollow-ups: {} open ({} overdue), {} done\n",
        n(&fu["open"]),
        n(&fu["overdue"]),
        n(&fu["done"])
    ));
    if let Some(list) = r["lessons"].as_array().filter(|l| !l.is_empty()) {
        s.push_str("\nLessons (what is still needed)\n");
        for l in list {
            s.push_str(&format!(
                "  {}: {}\n",
                l["incident"].as_str().unwrap_or(""),
                l["needs"].as_str().unwrap_or("").replace('\n', " ")
            ));
        }
    }
    s
}

/// The same as Markdown tables, to paste into the review's minutes.
pub fn markdown(r: &Value) -> String {
    let n = |v: &Value| v.as_u64().unwrap_or(0);
    let txt = |v: &Value| {
        v.as_str()
            .unwrap_or("–")
            .replace('|', "\\|")
            .replace('\n', " ")
    };
    let inc = &r["incidents"];
    let mut s = format!("# Incidents reported in {}\n\n", txt(&r["month"]));
    s.push_str("| Incidents | Open |");
    let levels: Vec<(&String, &Value)> = inc["by_level"]
        .as_object()
        .map(|m| m.iter().collect())
        .unwrap_or_default();
    for (l, _) in &levels {
        s.push_str(&format!(" Level {l} |"));
    }
    s.push_str("\n|---:|---:|");
    s.push_str(&"---:|".repeat(levels.len()));
    s.push_str(&format!("\n| {} | {} |", n(&inc["total"]), n(&inc["open"])));
    for (_, c) in &levels {
        s.push_str(&format!(" {} |", n(c)));
    }
    s.push('\n');
    if n(&r["history"]) > 0 {
        s.push_str(&format!(
            "\n{} more records of the month are history (imported, or before `policy.applies_from`) and are not counted.\n",
            n(&r["history"])
        ));
    }
    s.push_str("\n## Targets\n\n| Target | Met | Missed | Open | Median | 90th percentile |\n|---|---:|---:|---:|---:|---:|\n");
    for name in ["respond", "recover", "resolve"] {
        let t = &r["targets"][name];
        let tm = &r["times"][name];
        s.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {} |\n",
            n(&t["met"]),
            n(&t["missed"]),
            n(&t["open"]),
            txt(&tm["median"]),
            txt(&tm["p90"])
        ));
    }
    let no = &r["notices"];
    s.push_str(&format!(
        "\n## Notices\n\n| On time | Late | Missing |\n|---:|---:|---:|\n| {} | {} | {} |\n",
        n(&no["on_time"]),
        n(&no["late"]),
        n(&no["missing"])
    ));
    if let Some(f) = r["findings"].as_object().filter(|f| !f.is_empty()) {
        s.push_str("\n## Findings\n\n| Rule | Incidents |\n|---|---:|\n");
        for (rule, c) in f {
            s.push_str(&format!("| `{rule}` | {} |\n", n(c)));
        }
    }
    if let Some(list) = r["recurring"].as_array().filter(|l| !l.is_empty()) {
        s.push_str("\n## Recurring\n\n| Service | Incidents |\n|---|---|\n");
        for x in list {
            let ids: Vec<String> = x["incidents"]
                .as_array()
                .into_iter()
                .flatten()
                .map(txt)
                .collect();
            s.push_str(&format!(
                "| {} | {} |\n",
                txt(&x["service"]),
                ids.join(", ")
            ));
        }
    }
    let fu = &r["follow_ups"];
    s.push_str(&format!(
        "\n## Follow-ups\n\n| Open | Overdue | Done |\n|---:|---:|---:|\n| {} | {} | {} |\n",
        n(&fu["open"]),
        n(&fu["overdue"]),
        n(&fu["done"])
    ));
    if let Some(list) = r["lessons"].as_array().filter(|l| !l.is_empty()) {
        s.push_str("\n## Lessons\n\n| Incident | Still needed |\n|---|---|\n");
        for l in list {
            s.push_str(&format!(
                "| {} | {} |\n",
                txt(&l["incident"]),
                txt(&l["needs"])
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_ranks() {
        assert_eq!(
            parse_month("2026-09"),
            Ok(NaiveDate::from_ymd_opt(2026, 9, 1).unwrap())
        );
        for bad in ["2026-13", "26-01", "2026-9", "2026", "x"] {
            assert!(parse_month(bad).is_err(), "{bad}");
        }
        let d: Vec<Duration> = (1..=10).map(Duration::minutes).collect();
        assert_eq!(nearest_rank(&d, 50), Some(Duration::minutes(5)));
        assert_eq!(nearest_rank(&d, 90), Some(Duration::minutes(9)));
        assert_eq!(nearest_rank(&d[..1], 90), Some(Duration::minutes(1)));
        assert_eq!(nearest_rank(&[], 50), None);
    }
}
