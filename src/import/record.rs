//! The YAML of an imported record, written in FORMATS.md's key order.

use crate::model::incident::Imported;
use crate::yaml::write::{block, scalar};
use std::fmt::Write as _;

/// An imported record before its id and services are known. Times are
/// kept as the source wrote them (RFC 3339, with their offset and
/// milliseconds), which sitrep reads as they are.
#[derive(Debug, Clone, Default)]
pub struct RecordText {
    pub maintenance: bool,
    pub title: String,
    pub severity: Option<i64>,
    pub impact: Option<&'static str>,
    pub started_at: Option<String>,
    pub reported_at: Option<String>,
    pub recovered_at: Option<String>,
    pub resolved_at: Option<String>,
    pub scheduled_start: Option<String>,
    pub scheduled_end: Option<String>,
    /// `(at, status, text)`, oldest first.
    pub updates: Vec<(String, String, String)>,
    pub imported: Option<Imported>,
}

impl RecordText {
    /// The file's text. `services` are `(id, impact)`, the impact given
    /// when it differs from the record's.
    pub fn finish(&self, id: &str, services: &[(String, Option<String>)]) -> String {
        let mut s = String::from(
            "# Imported by `sitrep import`: a new import of the same source\n# replaces this file; move it out of incidents/imported/ to keep edits.\n",
        );
        if self.maintenance {
            s.push_str("kind: maintenance\n");
        }
        let _ = writeln!(s, "id: {}", scalar(id));
        let _ = writeln!(s, "title: {}", scalar(&self.title));
        if let Some(l) = self.severity {
            let _ = writeln!(s, "severity: {l}");
        }
        if let Some(i) = self.impact {
            let _ = writeln!(s, "impact: {i}");
        }
        if !services.is_empty() {
            let items: Vec<String> = services
                .iter()
                .map(|(id, impact)| match impact {
                    Some(i) => format!("{{ id: {id}, impact: {i} }}"),
                    None => id.clone(),
                })
                .collect();
            let _ = writeln!(s, "services: [{}]", items.join(", "));
        }
        for (key, value) in [
            ("started_at", &self.started_at),
            ("reported_at", &self.reported_at),
            ("recovered_at", &self.recovered_at),
            ("resolved_at", &self.resolved_at),
            ("scheduled_start", &self.scheduled_start),
            ("scheduled_end", &self.scheduled_end),
        ] {
            if let Some(v) = value {
                let _ = writeln!(s, "{key}: {}", scalar(v));
            }
        }
        if !self.updates.is_empty() {
            s.push_str("updates:\n");
            for (at, status, text) in &self.updates {
                let _ = writeln!(s, "  - at: {}", scalar(at));
                let _ = writeln!(s, "    status: {status}");
                let _ = writeln!(s, "    text: {}", block(text, 6));
            }
        }
        if let Some(i) = &self.imported {
            let _ = writeln!(s, "imported:\n  from: {}\n  id: {}", i.from, scalar(&i.id));
            if let Some(u) = &i.url {
                let _ = writeln!(s, "  url: {}", scalar(u));
            }
        }
        s
    }
}
