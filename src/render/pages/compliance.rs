//! The compliance page: every incident's findings, by group.

use crate::diag::rules;
use crate::diag::Diagnostic;
use crate::model::incident::Record;
use crate::render::context::*;
use anyhow::Result;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Incidents per page of the compliance table: a row is about 1 KB, and a
/// page stays under 512 KB (SITE.md); 100,000 incidents were one 101 MB page.
pub(crate) const COMPLIANCE_PAGE: usize = 400;

/// The compliance table's incidents and totals, shared by its pages.
pub(crate) struct Compliance<'a> {
    /// Incidents the procedure applies to, newest first.
    pub(crate) current: Vec<&'a Record>,
    pub(crate) pages: usize,
    totals: Vec<Value>,
    clean: usize,
    imported: usize,
    before: usize,
}

impl<'a> Renderer<'a> {
    /// The compliance page's group of a rule (the registry says which).
    pub(crate) fn compliance_group(rule: &str) -> &'static str {
        rules::by_id(rule).map_or("input", |r| r.group.key())
    }

    /// What every page of the compliance table shares, worked out once.
    pub(crate) fn compliance(&self) -> &Compliance<'a> {
        self.prep.compliance.get_or_init(|| {
            // History (imported, or before `policy.applies_from`) is
            // counted apart: the procedure does not apply to it.
            let config = &self.site.config;
            let (history, current): (Vec<&'a Record>, Vec<&'a Record>) = self
                .incidents()
                .iter()
                .partition(|r| r.history(config).is_some());
            let imported = history.iter().filter(|r| r.imported.is_some()).count();
            let mut totals: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
            let mut clean = 0;
            for r in &current {
                let diags = self.diags_of(r);
                for d in diags {
                    let e = totals.entry(d.rule.id).or_default();
                    if d.waived {
                        e.1 += 1;
                    } else {
                        e.0 += 1;
                    }
                }
                // Every rule has a column, so a row is clean when all its findings are waived.
                clean += usize::from(diags.iter().all(|d| d.waived));
            }
            let totals: Vec<Value> = totals
                .into_iter()
                .map(|(rule, (open, waived))| json!({"rule": rule, "group": Self::compliance_group(rule), "open": open, "waived": waived}))
                .collect();
            Compliance {
                pages: current.len().div_ceil(COMPLIANCE_PAGE).max(1),
                current,
                totals,
                clean,
                imported,
                before: history.len() - imported,
            }
        })
    }

    /// Page `n` (1-based) of the compliance table: the totals of every
    /// incident, and [`COMPLIANCE_PAGE`] rows, newest first.
    pub(crate) fn compliance_page(&self, n: usize) -> Result<Vec<u8>> {
        let c = self.compliance();
        // Each row renders on its own (`compliance_row.html`), in parallel,
        // and is dropped as text: one context of every row at once took
        // 1.1 GB and seven seconds at 100,000 incidents.
        let site = self.site_ctx();
        let start = (n.max(1) - 1) * COMPLIANCE_PAGE;
        let mine = c.current.get(start..).unwrap_or(&[]);
        let mine = &mine[..mine.len().min(COMPLIANCE_PAGE)];
        let rows: Vec<String> = mine
            .par_iter()
            .map(|r| {
                let row = self.compliance_row(r, self.diags_of(r));
                let ctx = object([("r", row), ("site", site.clone())]);
                self.render_with("compliance_row.html", ctx)
            })
            .collect::<Result<_>>()?;
        // Rows are separated by a blank line, as the page's loop wrote them.
        let mut rows_html = String::with_capacity(rows.iter().map(|h| h.len() + 1).sum());
        for html in &rows {
            rows_html.push('\n');
            rows_html.push_str(html);
        }
        let groups: Vec<Value> = Self::COMPLIANCE_GROUPS
            .iter()
            .map(|(k, _)| json!({"key": k, "label": self.word("group", k)}))
            .collect();
        let config = &self.site.config;
        let mut pagination = self.pagination("compliance/", n, c.pages);
        if let Some(o) = pagination.as_object_mut() {
            o.insert("first".into(), json!(start + 1));
            o.insert("last".into(), json!(start + mine.len()));
        }
        self.render(
            "compliance.html",
            object([
                ("groups", Value::from(groups)),
                ("rows_html", Value::from(rows_html)),
                ("incidents", Value::from(c.current.len())),
                ("totals", Value::from(c.totals.clone())),
                ("clean", Value::from(c.clean)),
                (
                    "history",
                    json!({
                        "imported": c.imported,
                        "before": c.before,
                        "applies_from": config.policy.applies_from.map(|d| d.to_string()),
                    }),
                ),
                ("pagination", pagination),
            ]),
        )
    }

    /// One incident of the compliance page: its summary, its findings per
    /// column (`cells`), how many are open, and where its report is.
    pub(crate) fn compliance_row(&self, r: &Record, diags: &[&Diagnostic]) -> Value {
        let mut open = 0;
        let cells: Vec<Value> = Self::COMPLIANCE_GROUPS
            .iter()
            .map(|(key, _)| {
                let mine: Vec<&&Diagnostic> = diags
                    .iter()
                    .filter(|d| Self::compliance_group(d.rule.id) == *key)
                    .collect();
                let open_n = mine.iter().filter(|d| !d.waived).count();
                open += open_n;
                json!({
                    "group": key,
                    "open": open_n,
                    "waived": mine.len() - open_n,
                    "rules": mine.iter().map(|d| json!({"rule": d.rule.id, "waived": d.waived, "message": d.message})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut v = self.incident_summary(r);
        if let Some(o) = v.as_object_mut() {
            o.insert("cells".into(), Value::from(cells));
            o.insert("open".into(), json!(open));
            o.insert(
                "report_url".into(),
                json!(self.url(&format!("incidents/{}/report/", slug_id(r.id_str())))),
            );
            o.insert("has_report".into(), json!(self.has_report(r)));
        }
        v
    }
}
