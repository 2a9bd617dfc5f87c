//! Derived status and uptime (SITE.md, "Derived status").

use crate::model::incident::{Kind, Record, Time};
use chrono::Duration;

/// A service's status or an incident's impact (SITE.md, "Derived status"),
/// least severe first: the one place that ranks, labels and colours them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// An incident's `impact: none`; ranks with `operational`.
    NoImpact,
    Operational,
    UnderMaintenance,
    DegradedPerformance,
    PartialOutage,
    MajorOutage,
}

impl Status {
    /// The statuses a service can have, least severe first.
    pub const SERVICE: [Status; 5] = [
        Status::Operational,
        Status::UnderMaintenance,
        Status::DegradedPerformance,
        Status::PartialOutage,
        Status::MajorOutage,
    ];

    /// From the words of records and pages; anything else is operational.
    pub fn of(s: &str) -> Status {
        match s {
            "none" => Status::NoImpact,
            "under_maintenance" => Status::UnderMaintenance,
            "degraded_performance" => Status::DegradedPerformance,
            "partial_outage" => Status::PartialOutage,
            "major_outage" => Status::MajorOutage,
            _ => Status::Operational,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Status::NoImpact => "none",
            Status::Operational => "operational",
            Status::UnderMaintenance => "under_maintenance",
            Status::DegradedPerformance => "degraded_performance",
            Status::PartialOutage => "partial_outage",
            Status::MajorOutage => "major_outage",
        }
    }

    /// Severity order: no impact counts as operational.
    pub fn rank(self) -> usize {
        match self {
            Status::NoImpact | Status::Operational => 0,
            Status::UnderMaintenance => 1,
            Status::DegradedPerformance => 2,
            Status::PartialOutage => 3,
            Status::MajorOutage => 4,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::MajorOutage => "Major outage",
            Status::PartialOutage => "Partial outage",
            Status::DegradedPerformance => "Degraded performance",
            Status::UnderMaintenance => "Under maintenance",
            Status::NoImpact => "No impact",
            Status::Operational => "Operational",
        }
    }

    /// Statuspage's indicator (overall status) and incident impact.
    pub fn indicator(self) -> &'static str {
        match self {
            Status::MajorOutage => "critical",
            Status::PartialOutage => "major",
            Status::DegradedPerformance => "minor",
            _ => "none",
        }
    }

    /// The badge's colour (WCAG AA with white text).
    pub fn colour(self) -> &'static str {
        match self {
            Status::MajorOutage => "#b42318",
            Status::PartialOutage => "#b54708",
            Status::DegradedPerformance => "#8a6100",
            Status::UnderMaintenance => "#175cd3",
            _ => "#067647",
        }
    }
}

pub fn rank(status: &str) -> usize {
    Status::of(status).rank()
}

pub fn label(status: &str) -> &'static str {
    Status::of(status).label()
}

pub fn overall_label(status: &str) -> &'static str {
    match Status::of(status) {
        Status::Operational => "All systems operational",
        s => s.label(),
    }
}

/// Statuspage's indicator for an overall status.
pub fn indicator(status: &str) -> &'static str {
    Status::of(status).indicator()
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

    #[test]
    fn statuses_read_back_and_rank_in_order() {
        for (i, st) in Status::SERVICE.iter().enumerate() {
            assert_eq!(Status::of(st.id()), *st);
            assert_eq!(st.rank(), i);
        }
        assert_eq!(Status::of("none").rank(), 0);
        assert_eq!(Status::of("anything").id(), "operational");
        assert_eq!(overall_label("operational"), "All systems operational");
        assert_eq!(indicator("partial_outage"), "major");
    }
}
