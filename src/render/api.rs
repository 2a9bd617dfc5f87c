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

fn status_description(indicator: &str, overall: &str) -> &'static str {
    if overall == "under_maintenance" {
        return "Service Under Maintenance";
    }
    match indicator {
        "critical" => "Major System Outage",
        "major" => "Partial System Outage",
        "minor" => "Minor Service Outage",
        _ => "All Systems Operational",
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
}

impl<'r, 'a> Api<'r, 'a> {
    pub fn new(r: &'r Renderer<'a>) -> Self {
        let cfg = &r.site.config;
        Api {
            r,
            page_id: stable_id("page", &format!("{}\u{0}{}", cfg.title, cfg.base_url)),
        }
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

    fn component(&self, id: &str) -> Option<Value> {
        let cfg = &self.r.site.config;
        let (pos, s) = cfg.services.iter().enumerate().find(|(_, s)| s.id == id)?;
        let (st, _) = self.r.service_state(id);
        Some(json!({
            "id": stable_id("component", &s.id),
            "name": s.name,
            "status": st,
            "created_at": time::rfc3339_millis(self.r.now),
            "updated_at": time::rfc3339_millis(self.r.now),
            "position": pos + 1,
            "description": s.description,
            "showcase": true,
            "start_date": null,
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
            out.push(json!({
                "id": stable_id("group", g),
                "name": g,
                "status": worst,
                "created_at": time::rfc3339_millis(self.r.now),
                "updated_at": time::rfc3339_millis(self.r.now),
                "position": cfg.services.len() + i + 1,
                "description": null,
                "showcase": false,
                "start_date": null,
                "group_id": null,
                "page_id": self.page_id,
                "group": true,
                "only_show_if_degraded": false,
                "components": members.iter().map(|m| stable_id("component", m)).collect::<Vec<_>>(),
            }));
        }
        out
    }

    fn updates(&self, rec: &Record, incident_id: &str) -> Vec<Value> {
        let comps: Vec<Value> = rec
            .services
            .iter()
            .filter_map(|s| {
                let svc = self.r.site.config.service(&s.id)?;
                let (st, _) = self.r.service_state(&s.id);
                Some(json!({ "code": stable_id("component", &s.id), "name": svc.name, "old_status": st, "new_status": st }))
            })
            .collect();
        // An update without a status keeps the one before it (Statuspage
        // clients read every update's status; the first defaults).
        let mut last = "investigating";
        let mut ups: Vec<Value> = rec
            .updates
            .iter()
            .enumerate()
            .filter_map(|(i, u)| {
                if let Some(st) = u.status.as_deref() {
                    last = st;
                }
                let at = u.at?;
                Some(json!({
                    "id": stable_id("update", &format!("{incident_id}\u{0}{i}")),
                    "status": last,
                    "body": u.text,
                    "incident_id": incident_id,
                    "created_at": time::rfc3339_millis(at),
                    "updated_at": time::rfc3339_millis(at),
                    "display_at": time::rfc3339_millis(at),
                    "affected_components": comps,
                    "deliver_notifications": true,
                    "custom_tweet": null,
                    "tweet_id": null,
                }))
            })
            .collect();
        ups.reverse();
        ups
    }

    fn incident(&self, rec: &Record) -> Value {
        let id = stable_id("incident", rec.id_str());
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
        let id = stable_id("maintenance", rec.id_str());
        let comps: Vec<Value> = rec
            .services
            .iter()
            .filter_map(|s| self.component(&s.id))
            .collect();
        let st = self.r.maintenance_status(rec);
        let start = rec.scheduled_start.as_ref().map(|a| a.time);
        let end = rec.scheduled_end.as_ref().map(|a| a.time);
        json!({
            "id": id,
            "name": rec.title,
            "status": st,
            "created_at": start.map(time::rfc3339_millis),
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
        let overall = self.r.overall();
        let ind = status::indicator(&overall);
        json!({ "indicator": ind, "description": status_description(ind, &overall) })
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
    fn impacts() {
        assert_eq!(impact("major_outage"), "critical");
        assert_eq!(impact("partial_outage"), "major");
        assert_eq!(impact("degraded_performance"), "minor");
        assert_eq!(impact("none"), "none");
    }
}
