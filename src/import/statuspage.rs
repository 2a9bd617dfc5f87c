//! Statuspage v2 public-API JSON (`summary.json`, `components.json`,
//! `incidents.json`, `scheduled-maintenances.json`, in any mix) as a
//! [`Batch`].

use super::{Batch, RecordText, SourceRecord, SourceService};
use crate::model::config::Config;
use crate::model::incident::Imported;
use anyhow::{bail, Result};
use chrono::{DateTime, FixedOffset};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// One file's JSON, or a one-line error naming the file (and, for JSON
/// that does not parse, its line and column).
pub fn read_file(path: &Path) -> Result<Value> {
    let name = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("{name}: cannot be read: {e}"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let v: Value = serde_json::from_str(text).map_err(|e| {
        anyhow::anyhow!(
            "{name}:{}:{}: not valid JSON: {e}",
            e.line(),
            e.column().max(1)
        )
    })?;
    let known = ["components", "incidents", "scheduled_maintenances"];
    if !known.iter().any(|k| v.get(k).is_some_and(Value::is_array)) {
        bail!(
            "{name}: not a Statuspage v2 file: it has no `components`, `incidents` or `scheduled_maintenances` list (summary.json, components.json, incidents.json and scheduled-maintenances.json have)"
        );
    }
    Ok(v)
}

/// The items of a list field; none when it is missing or not a list.
fn items<'v>(v: &'v Value, key: &str) -> impl Iterator<Item = &'v Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

fn text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

fn time(v: &Value, key: &str) -> Option<(String, DateTime<FixedOffset>)> {
    let t = text(v, key)?;
    DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|d| (t.to_owned(), d))
}

/// The level for a Statuspage impact, from the site's levels (1 the most
/// severe): `critical` the first, `major` the second, others the last.
fn level_of(impact: &str, config: &Config) -> Option<i64> {
    let levels: Vec<i64> = config.policy.levels.keys().copied().collect();
    match impact {
        "critical" => levels.first().copied(),
        "major" => levels.get(1).or(levels.last()).copied(),
        _ => levels.last().copied(),
    }
}

/// Statuspage's incident impact as sitrep's.
fn impact_of(impact: &str) -> &'static str {
    match impact {
        "critical" => "major_outage",
        "major" => "partial_outage",
        "none" => "none",
        _ => "degraded_performance",
    }
}

fn status_rank(s: &str) -> u8 {
    match s {
        "major_outage" => 4,
        "partial_outage" => 3,
        "degraded_performance" => 2,
        "under_maintenance" => 1,
        _ => 0,
    }
}

/// Reads the files' components, incidents and maintenances into a batch.
/// The same object in several files (a summary and an incidents list) is
/// taken once, from the file that shows it with the most updates.
pub fn batch(files: &[(String, Value)], config: &Config) -> Result<Batch> {
    let mut components: BTreeMap<String, (usize, Value)> = BTreeMap::new();
    // Each with the file it was read from, for errors.
    let mut incidents: BTreeMap<String, (&str, Value)> = BTreeMap::new();
    let mut maintenances: BTreeMap<String, (&str, Value)> = BTreeMap::new();
    let mut order = 0;
    let mut add_component = |c: &Value, components: &mut BTreeMap<String, (usize, Value)>| {
        if let Some(id) = text(c, "id") {
            order += 1;
            components
                .entry(id.to_owned())
                .or_insert((order, c.clone()));
        }
    };
    for (file, v) in files {
        for c in items(v, "components") {
            add_component(c, &mut components);
        }
        for (key, into) in [
            ("incidents", &mut incidents),
            ("scheduled_maintenances", &mut maintenances),
        ] {
            for (at, i) in items(v, key).enumerate() {
                let Some(id) = text(i, "id") else {
                    bail!("{file}: {key}[{at}] has no `id` (a text): it cannot be imported, nor updated later");
                };
                let n = |x: &Value| {
                    x.get("incident_updates")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len)
                };
                let better = into.get(id).is_none_or(|(_, old)| n(i) > n(old));
                if better {
                    into.insert(id.to_owned(), (file.as_str(), i.clone()));
                }
            }
        }
    }
    // Components an incident names that no components list had.
    for (_, i) in incidents.values().chain(maintenances.values()) {
        for c in items(i, "components") {
            add_component(c, &mut components);
        }
    }
    let groups: BTreeMap<&str, &str> = components
        .iter()
        .filter(|(_, (_, c))| c.get("group").and_then(Value::as_bool) == Some(true))
        .filter_map(|(id, (_, c))| Some((id.as_str(), text(c, "name")?)))
        .collect();
    let mut members: Vec<(&usize, &String, &Value)> = components
        .iter()
        .filter(|(_, (_, c))| c.get("group").and_then(Value::as_bool) != Some(true))
        .map(|(id, (pos, c))| (pos, id, c))
        .collect();
    members.sort_by_key(|(pos, _, _)| **pos);
    let mut batch = Batch::default();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (_, id, c) in members {
        let Some(name) = text(c, "name") else {
            continue;
        };
        index.insert(id.clone(), batch.services.len());
        batch.services.push(SourceService {
            source_id: Some(id.clone()),
            name: name.to_owned(),
            group: text(c, "group_id")
                .and_then(|g| groups.get(g))
                .map(|g| (*g).to_owned()),
            description: text(c, "description").map(str::to_owned),
            since: text(c, "start_date").and_then(crate::time::parse_date),
        });
    }
    for (list, maintenance) in [(&incidents, false), (&maintenances, true)] {
        for (id, (file, i)) in list {
            let r = record(id, i, maintenance, config, &mut batch.services, &mut index)
                .map_err(|e| anyhow::anyhow!("{file}: {e}"))?;
            batch.records.push(r);
        }
    }
    Ok(batch)
}

/// An id as a file name: letters, digits, `-`, `_`, anything else `-`;
/// when that changed it (or it is long), a hash of the id follows, so
/// that `a/b` and `a b` stay two files.
pub(super) fn file_safe(id: &str) -> String {
    let safe: String = id
        .chars()
        .take(80)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if safe == id {
        return safe;
    }
    let h = crate::hash::fnv1a([id.as_bytes()]);
    format!("{safe}-{:08x}", h & 0xffff_ffff)
}

/// One incident or maintenance as a record.
fn record(
    id: &str,
    i: &Value,
    maintenance: bool,
    config: &Config,
    services: &mut Vec<SourceService>,
    index: &mut BTreeMap<String, usize>,
) -> Result<SourceRecord> {
    let what = if maintenance {
        "maintenance"
    } else {
        "incident"
    };
    let Some((created, created_t)) = time(i, "created_at") else {
        bail!("{what} {id}: no `created_at` time (RFC 3339) to date it by");
    };
    let impact = text(i, "impact").unwrap_or("none");
    let mut t = RecordText {
        maintenance,
        title: text(i, "name").unwrap_or(id).to_owned(),
        imported: Some(Imported {
            from: "statuspage".to_owned(),
            id: id.to_owned(),
            url: text(i, "shortlink").map(str::to_owned),
        }),
        ..RecordText::default()
    };
    // Updates, oldest first (Statuspage lists them newest first).
    let mut ups: Vec<(DateTime<FixedOffset>, String, &Value)> = items(i, "incident_updates")
        .filter_map(|u| time(u, "created_at").map(|(s, d)| (d, s, u)))
        .collect();
    ups.sort_by_key(|(d, _, _)| *d);
    // The worst status each component reached, from the updates.
    let mut worst: BTreeMap<String, &str> = BTreeMap::new();
    for (_, _, u) in &ups {
        for a in items(u, "affected_components") {
            let (Some(code), Some(new)) = (text(a, "code"), text(a, "new_status")) else {
                continue;
            };
            let e = worst.entry(code.to_owned()).or_insert("operational");
            if status_rank(new) > status_rank(e) {
                *e = new;
            }
            if !index.contains_key(code) {
                // A component only an update names: its name there is
                // "Group - Name" or an old one; taken as it is.
                index.insert(code.to_owned(), services.len());
                services.push(SourceService {
                    source_id: Some(code.to_owned()),
                    name: text(a, "name").unwrap_or(code).to_owned(),
                    group: None,
                    description: None,
                    since: None,
                });
            }
        }
    }
    let mut codes: Vec<String> = items(i, "components")
        .filter_map(|c| text(c, "id").map(str::to_owned))
        .collect();
    for c in worst.keys() {
        if !codes.contains(c) {
            codes.push(c.clone());
        }
    }
    let own_impact = if maintenance {
        "under_maintenance"
    } else {
        impact_of(impact)
    };
    let affected: Vec<(usize, Option<String>)> = codes
        .iter()
        .filter_map(|c| {
            let at = *index.get(c)?;
            let hit = match worst.get(c) {
                Some(&"operational") => Some("none".to_owned()),
                Some(s) if !maintenance && *s != own_impact && status_rank(s) > 1 => {
                    Some((*s).to_owned())
                }
                _ => None,
            };
            Some((at, if maintenance { None } else { hit }))
        })
        .collect();
    let last_update = ups.last().map(|(d, s, _)| (s.clone(), *d));
    if maintenance {
        t.scheduled_start = time(i, "scheduled_for")
            .map(|x| x.0)
            .or_else(|| Some(created.clone()));
        let start = t
            .scheduled_start
            .as_deref()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok());
        t.scheduled_end = time(i, "scheduled_until")
            .or_else(|| time(i, "resolved_at"))
            .filter(|(_, d)| start.is_none_or(|s| *d >= s))
            .map(|x| x.0)
            .or_else(|| t.scheduled_start.clone());
        t.updates = ups
            .iter()
            .map(|(_, at, u)| {
                let st = match text(u, "status").unwrap_or("scheduled") {
                    s @ ("scheduled" | "in_progress" | "verifying" | "completed") => s,
                    "resolved" | "postmortem" => "completed",
                    _ => "in_progress",
                };
                (
                    at.clone(),
                    st.to_owned(),
                    text(u, "body").unwrap_or("").to_owned(),
                )
            })
            .collect();
    } else {
        t.severity = level_of(impact, config);
        t.impact = Some(impact_of(impact));
        // Reported when created, or at its first update if that came
        // earlier (a backfilled incident's updates are dated before it).
        let first = ups.first().map(|(d, s, _)| (s.clone(), *d));
        let (created, created_t) = match &first {
            Some((s, d)) if *d < created_t => (s.clone(), *d),
            _ => (created, created_t),
        };
        let first = first.map(|(_, d)| d);
        t.reported_at = Some(created.clone());
        // Impact that began before the report, and before any update.
        if let Some((s, d)) = time(i, "started_at") {
            if d < created_t && first.is_none_or(|f| d <= f) {
                t.started_at = Some(s);
            }
        }
        let done = matches!(text(i, "status"), Some("resolved" | "postmortem"));
        let resolved =
            time(i, "resolved_at").or_else(|| done.then_some(last_update.clone()).flatten());
        // Resolved before it was created (a backfilled incident): at its
        // creation, so the record stays in order.
        if let Some((s, d)) = &resolved {
            t.resolved_at = Some(if *d >= created_t {
                s.clone()
            } else {
                created.clone()
            });
        }
        if let Some((s, d)) = time(i, "monitoring_at") {
            let before_resolved = resolved.as_ref().is_none_or(|(_, r)| d <= *r);
            if d >= created_t && before_resolved {
                t.recovered_at = Some(s);
            }
        }
        t.updates = ups
            .iter()
            .map(|(_, at, u)| {
                let st = match text(u, "status").unwrap_or("investigating") {
                    s @ ("investigating" | "identified" | "monitoring" | "resolved") => s,
                    "postmortem" => "resolved",
                    _ => "investigating",
                };
                (
                    at.clone(),
                    st.to_owned(),
                    text(u, "body").unwrap_or("").to_owned(),
                )
            })
            .collect();
    }
    Ok(SourceRecord {
        imported: t.imported.clone().unwrap_or_else(|| Imported {
            from: "statuspage".to_owned(),
            id: id.to_owned(),
            url: None,
        }),
        // The record's id is its page's address too: `a/b` and `a b` would
        // both be `/incidents/SP-a-b/`, so the file name's form is used.
        new_id: format!("SP-{}", file_safe(id)),
        file_stem: format!("statuspage-{}", file_safe(id)),
        text: t,
        services: affected,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Any JSON in the files' shape reads without a panic: fields of
        /// the wrong type, times that are not times, missing ids.
        #[test]
        fn any_json_reads_without_a_panic(
            fields in proptest::collection::vec(
                ("(id|name|status|impact|created_at|resolved_at|monitoring_at|started_at|group_id|group|shortlink|scheduled_for|scheduled_until|body|code|new_status)",
                 "(null|true|1|\"x\"|\"2026-01-01T00:00:00Z\"|\"2025-13-01\"|\"resolved\"|\"postmortem\"|\"major_outage\"|\\[\\]|\\{\\})"),
                0..12,
            )
        ) {
            let obj = fields
                .iter()
                .map(|(k, v)| format!("\"{k}\": {v}"))
                .collect::<Vec<_>>()
                .join(", ");
            let update = format!("{{{obj}, \"affected_components\": [{{{obj}}}]}}");
            let item = format!("{{{obj}, \"incident_updates\": [{update}], \"components\": [{{{obj}}}]}}");
            let text = format!(
                "{{\"components\": [{{{obj}}}], \"incidents\": [{item}], \"scheduled_maintenances\": [{item}]}}"
            );
            if let Ok(v) = serde_json::from_str::<Value>(&text) {
                let _ = batch(&[("f.json".to_owned(), v)], &Config::default());
            }
        }
    }
}
