//! `/api/v2/*.json` in the shape of the Statuspage v2 public API, so that
//! existing clients and widgets read it unchanged. Only public records and
//! public updates appear here, in either view.

use super::context::{slug_id, Renderer};
use super::status;
use crate::model::incident::Record;
use crate::time;
use serde_json::{json, Value};

/// The files this module writes, below `api/v2/`.
pub const FILES: &[&str] = &[
    "summary.json",
    "status.json",
    "components.json",
    "incidents.json",
    "incidents/unresolved.json",
    "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json",
    "scheduled-maintenances/active.json",
];

/// Statuspage lists the 50 most recent incidents and maintenances.
const LIMIT: usize = 50;

/// A stable id in Statuspage's form (12 lower-case letters and digits),
/// derived from what the object is, so it never changes between builds.
pub fn stable_id(kind: &str, key: &str) -> String {
    let mut h = crate::hash::fnv1a([kind.as_bytes(), key.as_bytes()]);
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = String::with_capacity(12);
    for _ in 0..12 {
        let d = (h % 36) as usize;
        out.push(DIGITS.get(d).map_or('0', |c| *c as char));
        h /= 36;
        if h == 0 {
            h = 0x9e37_79b9_7f4a_7c15 ^ out.len() as u64;
        }
    }
    out
}

/// Our impact → Statuspage's incident impact.
pub fn impact(i: &str) -> &'static str {
    status::Status::of(i).indicator()
}

/// The page's indicator and description from its components' statuses,
/// as Statuspage blends them (checked against real exports: a component in
/// partial outage reads `minor`, one in major outage among working ones
/// `major`; every one down is `critical`). Incidents do not enter into it.
pub fn page_status<'s>(statuses: impl Iterator<Item = &'s str>) -> (&'static str, &'static str) {
    let (mut n, mut major, mut worst) = (0, 0, status::Status::Operational);
    for s in statuses {
        let st = status::Status::of(s);
        n += 1;
        major += usize::from(st == status::Status::MajorOutage);
        if st.rank() > worst.rank() {
            worst = st;
        }
    }
    match worst {
        status::Status::MajorOutage if major == n => ("critical", "Major System Outage"),
        status::Status::MajorOutage => ("major", "Partial System Outage"),
        status::Status::PartialOutage => ("minor", "Minor Service Outage"),
        status::Status::DegradedPerformance => ("minor", "Partially Degraded Service"),
        status::Status::UnderMaintenance => ("maintenance", "Service Under Maintenance"),
        _ => ("none", "All Systems Operational"),
    }
}

/// Incident status: `closed` is `resolved` (reports are internal, so
/// never `postmortem`).
fn incident_status(r: &Record) -> &'static str {
    match r.effective_status() {
        "identified" => "identified",
        "monitoring" => "monitoring",
        "resolved" | "closed" => "resolved",
        _ => "investigating",
    }
}

pub struct Api<'r, 'a> {
    r: &'r Renderer<'a>,
    page_id: String,
    /// The first time any record names: components without a record of
    /// their own were created no later.
    site_first: Option<crate::model::incident::Time>,
    /// Each service's (created, updated, start date), worked out once: a
    /// component is written for every incident that names it.
    dates: std::collections::HashMap<String, (String, String, Option<String>)>,
}

impl<'r, 'a> Api<'r, 'a> {
    pub fn new(r: &'r Renderer<'a>) -> Self {
        let cfg = &r.site.config;
        let mut api = Api {
            r,
            page_id: stable_id("page", &format!("{}\u{0}{}", cfg.title, cfg.base_url)),
            site_first: r
                .site
                .records
                .iter()
                .filter(|x| x.public)
                .filter_map(|x| x.reported())
                .min(),
            dates: Default::default(),
        };
        api.dates = cfg
            .services
            .iter()
            .map(|s| (s.id.clone(), api.dates_of(&s.id)))
            .collect();
        api
    }

    fn component_dates(&self, id: &str) -> (String, String, Option<String>) {
        self.dates
            .get(id)
            .cloned()
            .unwrap_or_else(|| self.dates_of(id))
    }

    fn page(&self) -> Value {
        let cfg = &self.r.site.config;
        json!({
            "id": self.page_id,
            "name": cfg.title,
            "url": self.r.abs_url(""),
            "time_zone": cfg.timezone.to_string(),
            "updated_at": time::rfc3339_millis(self.r.now),
        })
    }

    /// A component's id: its Statuspage id when it came from there.
    fn component_id(&self, service: &str) -> String {
        self.r
            .site
            .config
            .service(service)
            .and_then(|s| s.statuspage_id.clone())
            .unwrap_or_else(|| stable_id("component", service))
    }

    /// When a component was created and last changed, and its start date,
    /// from the records (never the build time, which would change them on
    /// every build): `since:` or its first record, its latest change.
    fn dates_of(&self, id: &str) -> (String, String, Option<String>) {
        let cfg = &self.r.site.config;
        // Public records only: the API shows no other, in either view.
        let recs: Vec<&Record> = self
            .r
            .prep
            .by_service
            .get(id)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .copied()
            .filter(|r| r.public)
            .collect();
        let first = recs
            .iter()
            .filter_map(|r| r.reported().or(r.scheduled_start.as_ref().map(|a| a.time)))
            .min();
        let since = cfg.service(id).and_then(|s| s.since);
        let start_date = since.or_else(|| first.map(|t| time::local_date(t, &cfg.timezone)));
        let created = since
            .and_then(|d| cfg.timezone.instant(d.and_hms_opt(0, 0, 0)?))
            .or(first)
            .or(self.site_first)
            .unwrap_or(self.r.now);
        let updated = recs
            .iter()
            .filter_map(|r| r.last_change())
            .max()
            .unwrap_or(created)
            .max(created);
        (
            time::rfc3339_millis(created),
            time::rfc3339_millis(updated),
            start_date.map(|d| d.to_string()),
        )
    }

    fn component(&self, id: &str) -> Option<Value> {
        let cfg = &self.r.site.config;
        let (pos, s) = cfg.services.iter().enumerate().find(|(_, s)| s.id == id)?;
        let (st, _) = self.r.service_state(id);
        let (created, updated, start_date) = self.component_dates(id);
        Some(json!({
            "id": self.component_id(&s.id),
            "name": s.name,
            "status": st,
            "created_at": created,
            "updated_at": updated,
            "position": pos + 1,
            "description": s.description,
            "showcase": true,
            "start_date": start_date,
            "group_id": s.group.as_ref().map(|g| stable_id("group", g)),
            "page_id": self.page_id,
            "group": false,
            "only_show_if_degraded": false,
        }))
    }

    fn components(&self) -> Vec<Value> {
        let cfg = &self.r.site.config;
        let mut out: Vec<Value> = cfg
            .services
            .iter()
            .filter_map(|s| self.component(&s.id))
            .collect();
        let mut groups: Vec<&str> = Vec::new();
        for s in &cfg.services {
            if let Some(g) = s.group.as_deref() {
                if !groups.contains(&g) {
                    groups.push(g);
                }
            }
        }
        for (i, g) in groups.iter().enumerate() {
            let members: Vec<&str> = cfg
                .services
                .iter()
                .filter(|s| s.group.as_deref() == Some(*g))
                .map(|s| s.id.as_str())
                .collect();
            let worst = members
                .iter()
                .map(|m| self.r.service_state(m).0)
                .max_by_key(|s| status::rank(s))
                .unwrap_or_else(|| "operational".into());
            let dates: Vec<(String, String, Option<String>)> =
                members.iter().map(|m| self.component_dates(m)).collect();
            let created = dates.iter().map(|d| d.0.clone()).min();
            let updated = dates.iter().map(|d| d.1.clone()).max();
            out.push(json!({
                "id": stable_id("group", g),
                "name": g,
                "status": worst,
                "created_at": created,
                "updated_at": updated,
                "position": cfg.services.len() + i + 1,
                "description": null,
                "showcase": false,
                "start_date": null,
                "group_id": null,
                "page_id": self.page_id,
                "group": true,
                "only_show_if_degraded": false,
                "components": members.iter().map(|m| self.component_id(m)).collect::<Vec<_>>(),
            }));
        }
        out
    }

    /// The components an update changed, as Statuspage lists them: the
    /// first update takes the record's services from operational to their
    /// impact, the first `resolved` (or `completed`) one brings them back;
    /// any other update changed nothing, and says `null`.
    fn changed_components(&self, rec: &Record, first: bool, closing: bool) -> Value {
        if !first && !closing {
            return Value::Null;
        }
        let list: Vec<Value> = rec
            .services
            .iter()
            .filter_map(|s| {
                let svc = self.r.site.config.service(&s.id)?;
                let hit = if rec.kind == crate::model::incident::Kind::Maintenance {
                    "under_maintenance".to_owned()
                } else {
                    s.impact.clone().unwrap_or_else(|| rec.impact.clone())
                };
                let hit = if hit == "none" { "operational".to_owned() } else { hit };
                let (old, new) = if first && !closing {
                    ("operational".to_owned(), hit)
                } else if first {
                    ("operational".to_owned(), "operational".to_owned())
                } else {
                    (hit, "operational".to_owned())
                };
                Some(json!({ "code": self.component_id(&s.id), "name": svc.name, "old_status": old, "new_status": new }))
            })
            .collect();
        if list.is_empty() {
            Value::Null
        } else {
            Value::from(list)
        }
    }

    fn updates(&self, rec: &Record, incident_id: &str) -> Vec<Value> {
        // An update without a status keeps the one before it (Statuspage
        // clients read every update's status; the first defaults).
        let mut last = if rec.kind == crate::model::incident::Kind::Maintenance {
            "scheduled"
        } else {
            "investigating"
        };
        let mut closed = false;
        let mut ups: Vec<Value> = rec
            .updates
            .iter()
            .enumerate()
            .filter_map(|(i, u)| {
                if let Some(st) = u.status.as_deref() {
                    last = st;
                }
                let at = u.at?;
                let closing = !closed && matches!(last, "resolved" | "completed");
                closed |= closing;
                Some(json!({
                    "id": stable_id("update", &format!("{incident_id}\u{0}{i}")),
                    "status": last,
                    "body": u.text,
                    "incident_id": incident_id,
                    "created_at": time::rfc3339_millis(at),
                    "updated_at": time::rfc3339_millis(at),
                    "display_at": time::rfc3339_millis(at),
                    "affected_components": self.changed_components(rec, i == 0, closing),
                    "deliver_notifications": true,
                    "custom_tweet": null,
                    "tweet_id": null,
                }))
            })
            .collect();
        ups.reverse();
        ups
    }

    /// A record's id here: its id in the system it was imported from (a
    /// Statuspage id, a cState issue's name), so clients that stored it
    /// keep finding it.
    fn record_id(rec: &Record, kind: &str) -> String {
        match &rec.imported {
            Some(i) => i.id.clone(),
            None => stable_id(kind, rec.id_str()),
        }
    }

    fn incident(&self, rec: &Record) -> Value {
        let id = Self::record_id(rec, "incident");
        let comps: Vec<Value> = rec
            .services
            .iter()
            .filter_map(|s| self.component(&s.id))
            .collect();
        json!({
            "id": id,
            "name": rec.title,
            "status": incident_status(rec),
            "created_at": rec.reported().map(time::rfc3339_millis),
            "updated_at": rec.last_change().map(time::rfc3339_millis),
            "monitoring_at": rec.recovered().map(time::rfc3339_millis),
            "resolved_at": rec.resolved().map(time::rfc3339_millis),
            "impact": impact(&rec.impact),
            "shortlink": self.r.abs_url(&format!("incidents/{}/", slug_id(rec.id_str()))),
            "started_at": rec.started().map(time::rfc3339_millis),
            "page_id": self.page_id,
            "incident_updates": self.updates(rec, &id),
            "components": comps,
        })
    }

    fn maintenance(&self, rec: &Record) -> Value {
        let id = Self::record_id(rec, "maintenance");
        let comps: Vec<Value> = rec
            .services
            .iter()
            .filter_map(|s| self.component(&s.id))
            .collect();
        let st = self.r.maintenance_status(rec);
        let start = rec.scheduled_start.as_ref().map(|a| a.time);
        let end = rec.scheduled_end.as_ref().map(|a| a.time);
        // Created when it was announced: its first update, if that came
        // before the window (as a Statuspage export's maintenance was).
        let announced = rec.updates.iter().filter_map(|u| u.at).min();
        let created = match (announced, start) {
            (Some(a), Some(s)) => Some(a.min(s)),
            (a, s) => s.or(a),
        };
        json!({
            "id": id,
            "name": rec.title,
            "status": st,
            "created_at": created.map(time::rfc3339_millis),
            "updated_at": rec.last_change().map(time::rfc3339_millis),
            "monitoring_at": null,
            "resolved_at": if st == "completed" { end.map(time::rfc3339_millis) } else { None },
            "impact": "maintenance",
            "shortlink": self.r.abs_url(&format!("maintenance/{}/", slug_id(rec.id_str()))),
            "started_at": start.map(time::rfc3339_millis),
            "page_id": self.page_id,
            "incident_updates": self.updates(rec, &id),
            "components": comps,
            "scheduled_for": start.map(time::rfc3339_millis),
            "scheduled_until": end.map(time::rfc3339_millis),
        })
    }

    fn status(&self) -> Value {
        let states: Vec<String> = self
            .r
            .site
            .config
            .services
            .iter()
            .map(|s| self.r.service_state(&s.id).0)
            .collect();
        let (ind, description) = page_status(states.iter().map(String::as_str));
        json!({ "indicator": ind, "description": description })
    }

    fn unresolved(&self) -> Vec<Value> {
        self.r
            .public_incidents()
            .into_iter()
            .filter(|r| r.is_open())
            .map(|r| self.incident(r))
            .collect()
    }

    fn maintenances(&self, pick: &dyn Fn(&str) -> bool) -> Vec<Value> {
        let mut list: Vec<&Record> = self
            .r
            .public_maintenance()
            .into_iter()
            .filter(|m| pick(&self.r.maintenance_status(m)))
            .collect();
        list.reverse();
        list.into_iter()
            .take(LIMIT)
            .map(|m| self.maintenance(m))
            .collect()
    }

    /// The JSON of one file of `FILES`.
    pub fn file(&self, name: &str) -> Value {
        let page = self.page();
        match name {
            "status.json" => json!({ "page": page, "status": self.status() }),
            "components.json" => json!({ "page": page, "components": self.components() }),
            "incidents.json" => json!({
                "page": page,
                "incidents": self.r.public_incidents().into_iter().take(LIMIT).map(|r| self.incident(r)).collect::<Vec<_>>(),
            }),
            "incidents/unresolved.json" => json!({ "page": page, "incidents": self.unresolved() }),
            "scheduled-maintenances.json" => {
                json!({ "page": page, "scheduled_maintenances": self.maintenances(&|_| true) })
            }
            "scheduled-maintenances/upcoming.json" => {
                json!({ "page": page, "scheduled_maintenances": self.maintenances(&|s| s == "scheduled") })
            }
            "scheduled-maintenances/active.json" => {
                json!({ "page": page, "scheduled_maintenances": self.maintenances(&|s| s == "in_progress" || s == "verifying") })
            }
            _ => json!({
                "page": page,
                "components": self.components(),
                "incidents": self.unresolved(),
                "scheduled_maintenances": self.maintenances(&|s| s != "completed"),
                "status": self.status(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_ids_look_like_statuspage_ids() {
        let a = stable_id("component", "web");
        assert_eq!(a.len(), 12);
        assert!(a
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        assert_eq!(a, stable_id("component", "web"));
        assert_ne!(a, stable_id("component", "api"));
        assert_ne!(a, stable_id("group", "web"));
    }

    #[test]
    fn page_status_blends_components_as_statuspage() {
        let of = |s: &[&str]| page_status(s.iter().copied());
        assert_eq!(of(&[]), ("none", "All Systems Operational"));
        assert_eq!(of(&["operational", "degraded_performance"]).0, "minor");
        assert_eq!(
            of(&["operational", "partial_outage"]),
            ("minor", "Minor Service Outage")
        );
        assert_eq!(
            of(&["operational", "major_outage"]),
            ("major", "Partial System Outage")
        );
        assert_eq!(
            of(&["major_outage", "major_outage"]),
            ("critical", "Major System Outage")
        );
        assert_eq!(of(&["under_maintenance", "operational"]).0, "maintenance");
    }

    #[test]
    fn impacts() {
        assert_eq!(impact("major_outage"), "critical");
        assert_eq!(impact("partial_outage"), "major");
        assert_eq!(impact("degraded_performance"), "minor");
        assert_eq!(impact("none"), "none");
    }
}
