//! Derived status and uptime (SITE.md, "Derived status").

use crate::model::incident::{Kind, Record, Time};
use chrono::Duration;

pub const ORDER: &[&str] = &[
    "operational",
    "under_maintenance",
    "degraded_performance",
    "partial_outage",
    "major_outage",
];

pub fn rank(status: &str) -> usize {
    ORDER.iter().position(|s| *s == status).unwrap_or(0)
}

pub fn label(status: &str) -> &'static str {
    match status {
        "major_outage" => "Major outage",
        "partial_outage" => "Partial outage",
        "degraded_performance" => "Degraded performance",
        "under_maintenance" => "Under maintenance",
        "none" => "No impact",
        _ => "Operational",
    }
}

pub fn overall_label(status: &str) -> &'static str {
    match status {
        "operational" => "All systems operational",
        s => label(s),
    }
}

/// Statuspage's indicator for an overall status.
pub fn indicator(status: &str) -> &'static str {
    match status {
        "major_outage" => "critical",
        "partial_outage" => "major",
        "degraded_performance" => "minor",
        _ => "none",
    }
}

/// The impact an incident has on one of its services.
pub fn impact_on(rec: &Record, service: &str) -> Option<String> {
    let s = rec.services.iter().find(|s| s.id == service)?;
    Some(s.impact.clone().unwrap_or_else(|| rec.impact.clone()))
}

/// The span during which an incident affects its services: from
/// `started_at` (or `reported_at`) until recovery, or `now`.
pub fn impact_span(rec: &Record, now: Time) -> Option<(Time, Time)> {
    let start = rec.started()?;
    let end = rec.recovered().unwrap_or(now).min(now);
    (end > start).then_some((start, end))
}

/// The current status of a service from the records shown in this view.
pub fn service_status(records: &[&Record], service: &str, now: Time) -> String {
    let mut worst = "operational".to_owned();
    for rec in records.iter().filter(|r| !r.input_errors) {
        match rec.kind {
            Kind::Incident => {
                let affecting = rec.started().is_some_and(|s| s <= now)
                    && rec.recovered().is_none_or(|r| r > now);
                if affecting {
                    if let Some(i) = impact_on(rec, service).filter(|i| i != "none") {
                        if rank(&i) > rank(&worst) {
                            worst = i;
                        }
                    }
                }
            }
            Kind::Maintenance => {
                if in_window(rec, now)
                    && rec.services.iter().any(|s| s.id == service)
                    && rank("under_maintenance") > rank(&worst)
                {
                    worst = "under_maintenance".to_owned();
                }
            }
        }
    }
    worst
}

pub fn in_window(rec: &Record, now: Time) -> bool {
    matches!((&rec.scheduled_start, &rec.scheduled_end), (Some(s), Some(e)) if s.time <= now && now < e.time)
}

/// Statuspage counts partial outages at this weight of a major outage.
pub const PARTIAL_WEIGHT: f64 = 0.3;

/// Uptime % of a service over `[now - days, now]`: major outage time counts
/// whole, partial outage time at `PARTIAL_WEIGHT`; overlapping incidents
/// count once, at the worst impact.
pub fn uptime(records: &[&Record], service: &str, now: Time, days: u32) -> f64 {
    let from = now - Duration::days(i64::from(days));
    let mut spans: Vec<(Time, Time, f64)> = Vec::new();
    for rec in records
        .iter()
        .filter(|r| r.kind == Kind::Incident && !r.input_errors)
    {
        let Some(impact) = impact_on(rec, service) else {
            continue;
        };
        let w = match impact.as_str() {
            "major_outage" => 1.0,
            "partial_outage" => PARTIAL_WEIGHT,
            _ => continue,
        };
        if let Some((s, e)) = impact_span(rec, now) {
            let (s, e) = (s.max(from), e.min(now));
            if e > s {
                spans.push((s, e, w));
            }
        }
    }
    uptime_of(&spans, from, now)
}

/// Weighted downtime of possibly overlapping spans, as an uptime %.
pub fn uptime_of(spans: &[(Time, Time, f64)], from: Time, to: Time) -> f64 {
    let total = (to - from).num_seconds() as f64;
    if total <= 0.0 {
        return 100.0;
    }
    let mut points: Vec<Time> = spans.iter().flat_map(|(s, e, _)| [*s, *e]).collect();
    points.sort();
    points.dedup();
    let mut down = 0.0;
    for w in points.windows(2) {
        if let [a, b] = w {
            let weight = spans
                .iter()
                .filter(|(s, e, _)| s <= a && e >= b)
                .map(|(_, _, w)| *w)
                .fold(0.0, f64::max);
            down += weight * (*b - *a).num_seconds() as f64;
        }
    }
    (100.0 * (1.0 - down / total)).clamp(0.0, 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn t(s: &str) -> Time {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn uptime_spanning_midnight() {
        // 2h major outage across midnight in a 2-day window: 1 - 2/48.
        let spans = [(t("2026-01-01T23:00:00Z"), t("2026-01-02T01:00:00Z"), 1.0)];
        let u = uptime_of(&spans, t("2026-01-01T00:00:00Z"), t("2026-01-03T00:00:00Z"));
        assert!((u - (100.0 * (1.0 - 2.0 / 48.0))).abs() < 1e-9, "{u}");
    }

    #[test]
    fn overlapping_incidents_count_once_at_the_worst() {
        // A partial 10:00-12:00 and a major 11:00-13:00 over 10 hours:
        // 1h partial (0.3) + 2h major = 2.3h down.
        let spans = [
            (
                t("2026-01-01T10:00:00Z"),
                t("2026-01-01T12:00:00Z"),
                PARTIAL_WEIGHT,
            ),
            (t("2026-01-01T11:00:00Z"), t("2026-01-01T13:00:00Z"), 1.0),
        ];
        let u = uptime_of(&spans, t("2026-01-01T05:00:00Z"), t("2026-01-01T15:00:00Z"));
        assert!((u - 77.0).abs() < 1e-9, "{u}");
    }

    #[test]
    fn open_incident_counts_until_now() {
        let spans = [(t("2026-01-01T09:00:00Z"), t("2026-01-01T10:00:00Z"), 1.0)];
        let u = uptime_of(&spans, t("2026-01-01T00:00:00Z"), t("2026-01-01T10:00:00Z"));
        assert!((u - 90.0).abs() < 1e-9, "{u}");
    }
}
