//! `sitrep check`: every rule of RULES.md over a loaded site.
//!
//! Input rules run on everything; procedure rules only on files without
//! input errors, and not on history (imported records, records reported
//! before `policy.applies_from`). Then waivers and the policy's rule
//! levels apply.

mod closure;
mod notices;
mod records;
mod recurrence;
mod runbooks;
mod targets;
mod waivers;

pub use notices::{duties, Duty, DutyState};
pub use recurrence::recurs_after;
pub use runbooks::{checked_link, resolve_path};
pub use targets::{targets as targets_of, Target};

use crate::diag::Diagnostic;
use crate::model::incident::{Kind, Record, Time};
use crate::model::site::Site;
use crate::time;
use rayon::prelude::*;
use std::collections::HashSet;

/// Context shared by the procedure rules of one record.
pub struct Ctx<'a> {
    pub site: &'a Site,
    pub rec: &'a Record,
    pub now: Time,
}

impl Ctx<'_> {
    /// Formats a time for a message, with the date when it is not the day
    /// of the report.
    pub fn t(&self, t: Time) -> String {
        let zone = &self.site.config.timezone;
        let day = self.rec.reported().map(|r| time::local_date(r, zone));
        time::format_local(t, zone, day)
    }

    pub fn finding(
        &self,
        rule: &'static crate::diag::Rule,
        pos: crate::yaml::Pos,
        message: String,
        help: String,
    ) -> Diagnostic {
        Diagnostic::new(rule, &self.rec.file, pos, message)
            .incident(self.rec.id.as_deref())
            .help(help)
    }
}

/// Runs every rule. The result is sorted by file, line, column, rule.
pub fn check(site: &Site, now: Time) -> Vec<Diagnostic> {
    let mut diags = site.load_diagnostics.clone();
    diags.extend(records::check(site, now));
    diags.extend(runbooks::input(site, now, None));

    let bad = input_error_files(&diags);

    diags.extend(runbooks::procedure(site, now, &bad, None));
    // Each record's procedure rules read the site and write nothing, so
    // records are checked in parallel; the sort below fixes the order.
    let procedure: Vec<Vec<Diagnostic>> = site
        .records
        .par_iter()
        .filter(|rec| rec.kind == Kind::Incident && !bad.contains(&rec.file))
        .filter(|rec| rec.history(&site.config).is_none())
        .map(|rec| procedure(site, rec, now))
        .collect();
    // The procedure findings had the policy applied per record.
    let mut diags = apply_policy(site, diags);
    diags.extend(procedure.into_iter().flatten());
    sorted(diags)
}

/// [`check`] after an edit of the runbook `files` that added, removed or
/// renamed no runbook and changed no heading id: no other file's findings
/// can change then (links find pages by file and anchors by id; records
/// name runbooks by slug), so those are taken from `before` and only the
/// edited runbooks are checked again. `serve` does this on each save.
pub fn recheck_runbooks(
    before: &[Diagnostic],
    site: &Site,
    now: Time,
    files: &HashSet<String>,
) -> Vec<Diagnostic> {
    let mut fresh: Vec<Diagnostic> = site
        .load_diagnostics
        .iter()
        .filter(|d| files.contains(&d.file))
        .cloned()
        .collect();
    fresh.extend(runbooks::input(site, now, Some(files)));
    let bad = input_error_files(&fresh);
    fresh.extend(runbooks::procedure(site, now, &bad, Some(files)));
    let mut diags: Vec<Diagnostic> = before
        .iter()
        .filter(|d| !files.contains(&d.file))
        .cloned()
        .collect();
    diags.extend(apply_policy(site, fresh));
    sorted(diags)
}

/// The procedure rules of one incident, with the policy and its waivers
/// applied.
fn procedure(site: &Site, rec: &Record, now: Time) -> Vec<Diagnostic> {
    let ctx = Ctx { site, rec, now };
    let mut found = Vec::new();
    found.extend(targets::check(&ctx));
    found.extend(notices::check(&ctx));
    found.extend(closure::check(&ctx));
    found.extend(recurrence::check(&ctx));
    let found = apply_policy(site, found);
    waivers::apply(&ctx, found)
}

/// What [`check`] reports for one record file, without checking the rest
/// of the site: its read findings, the record rules (which look across
/// records: duplicate ids, parents), and its procedure rules. A recording
/// command checks the record it writes before and after the edit.
pub fn check_record(site: &Site, now: Time, file: &str) -> Vec<Diagnostic> {
    check_records(site, now, &HashSet::from([file]))
}

/// [`check_record`] for several record files at once (`report --month`
/// checks the month's records only).
pub fn check_records(site: &Site, now: Time, files: &HashSet<&str>) -> Vec<Diagnostic> {
    let mut diags: Vec<Diagnostic> = site
        .load_diagnostics
        .iter()
        .filter(|d| files.contains(d.file.as_str()))
        .cloned()
        .collect();
    diags.extend(records::check_only(site, now, Some(files)));
    let bad = input_error_files(&diags);
    let mut diags = apply_policy(site, diags);
    let procedure: Vec<Vec<Diagnostic>> = site
        .records
        .par_iter()
        .filter(|r| files.contains(r.file.as_str()) && r.kind == Kind::Incident)
        .filter(|r| !bad.contains(&r.file) && r.history(&site.config).is_none())
        .map(|rec| procedure(site, rec, now))
        .collect();
    diags.extend(procedure.into_iter().flatten());
    sorted(diags)
}

/// The files with an input error: their procedure rules are not run.
fn input_error_files(diags: &[Diagnostic]) -> HashSet<String> {
    let files: HashSet<&str> = diags
        .iter()
        .filter(|d| d.is_input_error())
        .map(|d| d.file.as_str())
        .collect();
    files.into_iter().map(str::to_owned).collect()
}

/// In the order of the report: file, line, column, rule; no repeats.
fn sorted(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
    diags
}

/// Sets each finding's level from the policy and drops rules that are off.
fn apply_policy(site: &Site, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let policy = &site.config.policy;
    diags
        .into_iter()
        .filter_map(|mut d| {
            if d.rule.fixed {
                return Some(d);
            }
            d.level = policy.rule_level(d.rule.id)?;
            Some(d)
        })
        .collect()
}

/// Keeps the diagnostics of some records (`--incident`), plus every
/// diagnostic without a record.
pub fn filter_incidents(diags: Vec<Diagnostic>, ids: &[String]) -> Vec<Diagnostic> {
    if ids.is_empty() {
        return diags;
    }
    diags
        .into_iter()
        .filter(|d| d.incident.as_ref().is_some_and(|i| ids.contains(i)))
        .collect()
}
