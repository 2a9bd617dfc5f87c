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
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

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

/// The three targets, in the order of the procedure, with the record
/// field each one's moment is.
pub const TARGETS: [(&str, &str); 3] = [
    ("respond", "responded_at"),
    ("recover", "recovered_at"),
    ("resolve", "resolved_at"),
];

/// How one target of one incident came out (CLI.md): `missed` when `check`
/// reports its rule, `met` when its moment is within the target, else `open`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Met,
    Missed,
    Open,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::Missed => "missed",
            Outcome::Open => "open",
        }
    }
}

/// One target of one incident.
#[derive(Debug, Clone)]
pub struct TargetResult {
    pub name: &'static str,
    pub target: Duration,
    pub outcome: Outcome,
}

/// A required notice that was sent late, or not at all.
#[derive(Debug, Clone)]
pub struct NoticeMiss {
    pub name: &'static str,
    /// What started it ("the report", "the escalation to level 1 at …").
    pub cause: String,
    pub due: Time,
    /// When the first notice after the window went out, if one did.
    pub late: Option<Time>,
}

/// One incident's part in the review: what `check` found for it, read once
/// and shared by `report --month` and the /analysis/ pages.
pub struct Row<'a> {
    pub rec: &'a Record,
    /// The month it was reported in (its first day), in the site's zone.
    pub month: NaiveDate,
    pub level: Option<i64>,
    pub targets: Vec<TargetResult>,
    /// From `reported_at` to each of [`TARGETS`]' moments, where recorded.
    pub times: [Option<Duration>; 3],
    pub notices_on_time: usize,
    pub notice_misses: Vec<NoticeMiss>,
    /// Rule ids of its findings, one per finding.
    pub findings: Vec<&'static str>,
    /// The service and the earlier incident it recurs after.
    pub recurs: Option<(&'a str, &'a Record)>,
}

impl Row<'_> {
    pub fn target(&self, name: &str) -> Option<&TargetResult> {
        self.targets.iter().find(|t| t.name == name)
    }
}

/// The month (its first day, site zone) an incident was reported in.
pub fn month_of(rec: &Record, site: &Site) -> Option<NaiveDate> {
    let d = time::local_date(rec.reported()?, &site.config.timezone);
    d.with_day(1)
}

/// The incidents reported in the months `keep` accepts, as rows, from the
/// findings `diags` that `check` gave; and the number of history records
/// (imported, or before `policy.applies_from`) per month, counted apart.
pub fn rows<'a>(
    site: &'a Site,
    diags: &'a [Diagnostic],
    now: Time,
    keep: impl Fn(NaiveDate) -> bool + Sync,
) -> (Vec<Row<'a>>, BTreeMap<NaiveDate, usize>) {
    let mut by_incident: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
    for d in diags {
        if let Some(id) = d.incident.as_deref() {
            by_incident.entry(id).or_default().push(d);
        }
    }
    let mut history: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    let mut picked = Vec::new();
    for rec in site.records.iter().filter(|r| r.kind == Kind::Incident) {
        let Some(month) = month_of(rec, site).filter(|m| keep(*m)) else {
            continue;
        };
        if rec.history(&site.config).is_some() {
            *history.entry(month).or_default() += 1;
        } else {
            picked.push((rec, month));
        }
    }
    let rows = picked
        .par_iter()
        .map(|&(rec, month)| {
            let mine = by_incident.get(rec.id_str()).map_or(&[][..], Vec::as_slice);
            row(site, rec, month, mine, now)
        })
        .collect();
    (rows, history)
}

fn row<'a>(
    site: &'a Site,
    rec: &'a Record,
    month: NaiveDate,
    mine: &[&Diagnostic],
    now: Time,
) -> Row<'a> {
    let ctx = Ctx { site, rec, now };
    let targets = check::targets_of(&ctx)
        .into_iter()
        .map(|t| TargetResult {
            name: t.name,
            target: t.target,
            outcome: if mine.iter().any(|d| std::ptr::eq(d.rule, t.rule)) {
                Outcome::Missed
            } else if t.actual.is_some_and(|a| a <= t.due) {
                Outcome::Met
            } else {
                Outcome::Open
            },
        })
        .collect();
    let (mut on_time, mut misses) = (0, Vec::new());
    for duty in check::duties(&ctx) {
        let late = match duty.state {
            DutyState::Met(_) => {
                on_time += 1;
                continue;
            }
            DutyState::Missing { late } => late,
            DutyState::Recipients(_) => None,
            DutyState::Pending | DutyState::Lapsed => continue,
        };
        misses.push(NoticeMiss {
            name: duty.name,
            cause: duty.cause,
            due: duty.due,
            late,
        });
    }
    let reported = rec.reported();
    Row {
        rec,
        month,
        level: rec.most_severe(),
        targets,
        times: TARGETS.map(|(_, field)| Some(rec.time(field)? - reported?)),
        notices_on_time: on_time,
        notice_misses: misses,
        findings: mine.iter().map(|d| d.rule.id).collect(),
        recurs: check::recurs_after(site, rec),
    }
}

/// Calls `f` with the rows of the incidents reported in `month` (its first
/// day, site zone) and the month's history count. Only that month's records
/// are checked, so a report of one month reads the rest of the site only
/// where the rules look across records.
pub fn with_month<T>(
    site: &Site,
    now: Time,
    month: NaiveDate,
    f: impl FnOnce(&[&Row], usize) -> T,
) -> T {
    let files: HashSet<&str> = site
        .records
        .iter()
        .filter(|r| r.kind == Kind::Incident && month_of(r, site) == Some(month))
        .map(|r| r.file.as_str())
        .collect();
    let diags = check::check_records(site, now, &files);
    let (rows, history) = rows(site, &diags, now, |m| m == month);
    let rows: Vec<&Row> = rows.iter().collect();
    f(&rows, history.get(&month).copied().unwrap_or(0))
}

/// The CLI.md JSON of the incidents reported in `month`, as of `now`.
pub fn month(site: &Site, now: Time, month: NaiveDate) -> Value {
    let today = time::local_date(now, &site.config.timezone);
    with_month(site, now, month, |rows, history| {
        summary(month, rows, history, today)
    })
}

/// One CSV row per incident: its level, times and target results
/// (`--format csv`). Times are RFC 3339 in the site's zone; durations are
/// whole minutes, so a spreadsheet can add them up.
pub fn csv(site: &Site, rows: &[&Row]) -> anyhow::Result<String> {
    let zone = &site.config.timezone;
    // RFC 4180: records end in CRLF.
    let mut w = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut head = vec!["id", "title", "status", "level", "services", "reported_at"];
    for (_, field) in TARGETS {
        head.push(field);
    }
    for (name, _) in TARGETS {
        head.push(name);
    }
    head.extend([
        "minutes_to_respond",
        "minutes_to_recover",
        "minutes_to_resolve",
        "notices_on_time",
        "notices_late",
        "notices_missing",
        "findings",
        "recurs_after",
    ]);
    w.write_record(&head)?;
    for r in rows {
        let rec = r.rec;
        let at = |field: &str| rec.time(field).map(|t| zone.rfc3339(t)).unwrap_or_default();
        let mut line = vec![
            cell(rec.id_str()),
            cell(&rec.title),
            rec.effective_status().to_owned(),
            r.level.map(|l| l.to_string()).unwrap_or_default(),
            cell(
                &rec.services
                    .iter()
                    .map(|s| s.id.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            at("reported_at"),
        ];
        for (_, field) in TARGETS {
            line.push(at(field));
        }
        for (name, _) in TARGETS {
            line.push(
                r.target(name)
                    .map(|t| t.outcome.as_str())
                    .unwrap_or("")
                    .to_owned(),
            );
        }
        for d in r.times {
            line.push(d.map(|d| d.num_minutes().to_string()).unwrap_or_default());
        }
        let late = r.notice_misses.iter().filter(|m| m.late.is_some()).count();
        line.push(r.notices_on_time.to_string());
        line.push(late.to_string());
        line.push((r.notice_misses.len() - late).to_string());
        line.push(r.findings.join(" "));
        line.push(r.recurs.map(|(_, e)| cell(e.id_str())).unwrap_or_default());
        w.write_record(&line)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// A record's text as a CSV cell: a leading `=`, `+`, `-`, `@`, tab or CR
/// would make a spreadsheet read it as a formula, so it gets a `'` first
/// (OWASP's advice on CSV injection).
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// Incidents per level, each under the most severe level it had.
pub fn by_level(rows: &[&Row]) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for l in rows.iter().filter_map(|r| r.level) {
        *out.entry(l.to_string()).or_default() += 1;
    }
    out
}

/// Met, missed and open counts of one target over `rows`.
pub fn tally(rows: &[&Row], name: &str) -> [usize; 3] {
    let mut t = [0; 3];
    for r in rows {
        match r.target(name).map(|t| t.outcome) {
            Some(Outcome::Met) => t[0] += 1,
            Some(Outcome::Missed) => t[1] += 1,
            Some(Outcome::Open) => t[2] += 1,
            None => {}
        }
    }
    t
}

/// The sorted times to one target's moment (index into [`TARGETS`]).
pub fn sorted_times(rows: &[&Row], i: usize) -> Vec<Duration> {
    let mut list: Vec<Duration> = rows.iter().filter_map(|r| r.times[i]).collect();
    list.sort();
    list
}

/// Each service's recurring incidents in the order they were reported.
pub fn recurring<'a>(rows: &[&Row<'a>]) -> BTreeMap<&'a str, Vec<&'a Record>> {
    let mut out: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for r in rows {
        if let Some((service, earlier)) = r.recurs {
            let list = out.entry(service).or_default();
            for x in [earlier, r.rec] {
                if !list.iter().any(|y| std::ptr::eq(*y, x)) {
                    list.push(x);
                }
            }
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| (a.reported(), a.id_str()).cmp(&(b.reported(), b.id_str())));
    }
    out
}

/// The CLI.md JSON of `rows`, the incidents of `month`.
pub fn summary(month: NaiveDate, rows: &[&Row], history: usize, today: NaiveDate) -> Value {
    let mut findings: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut on_time, mut late, mut missing) = (0, 0, 0);
    let (mut fu_open, mut fu_overdue, mut fu_done) = (0, 0, 0);
    let mut lessons = Vec::new();
    for r in rows {
        for f in &r.findings {
            *findings.entry(f).or_default() += 1;
        }
        on_time += r.notices_on_time;
        for m in &r.notice_misses {
            if m.late.is_some() {
                late += 1;
            } else {
                missing += 1;
            }
        }
        if let Some(rep) = &r.rec.report {
            for f in &rep.follow_ups {
                if f.done {
                    fu_done += 1;
                } else {
                    fu_open += 1;
                    fu_overdue += usize::from(f.due.is_some_and(|d| d < today));
                }
            }
            if let Some(needs) = rep.needs.as_deref().filter(|n| !n.trim().is_empty()) {
                lessons.push(json!({ "incident": r.rec.id_str(), "needs": needs }));
            }
        }
    }
    let show = |d: Option<Duration>| d.map(format_duration);
    // In the procedure's order, as CLI.md shows them.
    let mut targets = serde_json::Map::new();
    let mut times = serde_json::Map::new();
    for (i, (name, _)) in TARGETS.iter().enumerate() {
        let [met, missed, open] = tally(rows, name);
        targets.insert(
            (*name).to_owned(),
            json!({ "met": met, "missed": missed, "open": open }),
        );
        let list = sorted_times(rows, i);
        times.insert(
            (*name).to_owned(),
            json!({ "median": show(nearest_rank(&list, 50)), "p90": show(nearest_rank(&list, 90)) }),
        );
    }
    json!({
        "month": format!("{:04}-{:02}", month.year(), month.month()),
        "incidents": {
            "total": rows.len(),
            "by_level": by_level(rows),
            "open": rows.iter().filter(|r| r.rec.is_open()).count(),
        },
        "targets": targets,
        "notices": { "on_time": on_time, "late": late, "missing": missing },
        "times": times,
        "findings": findings,
        "recurring": recurring(rows).into_iter().map(|(s, list)| {
            json!({ "service": s, "incidents": list.iter().map(|r| r.id_str()).collect::<Vec<_>>() })
        }).collect::<Vec<_>>(),
        "follow_ups": { "open": fu_open, "overdue": fu_overdue, "done": fu_done },
        "lessons": lessons,
        "history": history,
    })
}

/// `text` without control characters but line breaks and tabs: record
/// text may hold terminal escapes, which a report must not send on.
fn without_controls(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

/// The same in words, for a terminal.
pub fn human(r: &Value) -> String {
    without_controls(&human_text(r))
}

fn human_text(r: &Value) -> String {
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
    // A cell's text on one line, `|` escaped, and `<` written as `&lt;` so
    // that the Markdown renderer of the minutes' wiki runs no HTML from it.
    let txt = |v: &Value| {
        without_controls(v.as_str().unwrap_or("–"))
            .replace('|', "\\|")
            .replace('<', "&lt;")
            .replace(['\n', '\r'], " ")
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
        s.push_str("\n## Findings\n\n| Rule | Findings |\n|---|---:|\n");
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
