//! A cState site (`config.yml` systems, `content/issues/*.md`) as a
//! [`Batch`]. cState keeps an issue's updates in its body, newest first,
//! each a paragraph opening with an italic label (`*Monitoring* - …`) and
//! maybe a `{{< track "time" >}}` shortcode; times without a zone are UTC.

use super::{Batch, RecordText, SourceRecord, SourceService};
use crate::frontmatter;
use crate::model::config::Config;
use crate::model::incident::Imported;
use crate::yaml::{self, Node};
use anyhow::{anyhow, bail, Result};
use std::collections::BTreeMap;
use std::path::Path;

fn text(n: &Node, key: &str) -> Option<String> {
    n.get(key)
        .and_then(|v| v.scalar_text())
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

fn yes(n: &Node, key: &str) -> bool {
    n.get(key).and_then(|v| v.scalar_text()).is_some_and(|t| {
        matches!(
            t.trim().to_ascii_lowercase().as_str(),
            "true" | "yes" | "on"
        )
    })
}

/// A cState time as RFC 3339: `2018-04-13 15:54:00` is UTC.
fn time(t: &str) -> Option<String> {
    let t = t.trim().trim_matches('"');
    if chrono::DateTime::parse_from_rfc3339(t).is_ok() {
        return Some(t.to_owned());
    }
    for form in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(t, form) {
            return Some(
                d.and_utc()
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            );
        }
    }
    crate::time::parse_date(t)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| {
            d.and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
}

fn instant(t: &str) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    chrono::DateTime::parse_from_rfc3339(t).ok()
}

/// Reads a cState site's systems and issues.
pub fn batch(dir: &Path, config: &Config) -> Result<Batch> {
    let cfg_path = ["config.yml", "config.yaml", "hugo.yml", "hugo.yaml"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
        .ok_or_else(|| anyhow!("{}: no config.yml: not a cState site", dir.display()))?;
    let cfg_text = std::fs::read_to_string(&cfg_path)
        .map_err(|e| anyhow!("{}: cannot be read: {e}", cfg_path.display()))?;
    let cfg = yaml::parse(&cfg_text).map_err(|e| {
        anyhow!(
            "{}:{}:{}: not valid YAML: {}",
            cfg_path.display(),
            e.pos.line,
            e.pos.column,
            e.message
        )
    })?;
    let params = cfg.get("params");
    let base_url = text(&cfg, "baseURL").or_else(|| text(&cfg, "baseurl"));
    let mut batch = Batch::default();
    let mut by_name: BTreeMap<String, usize> = BTreeMap::new();
    for s in params
        .and_then(|p| p.get("systems"))
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        let Some(name) = text(s, "name") else {
            continue;
        };
        let group = text(s, "category").filter(|c| c != "Uncategorized");
        by_name.insert(name.clone(), batch.services.len());
        batch.services.push(SourceService {
            source_id: None,
            name,
            group,
            description: text(s, "description"),
            since: None,
        });
    }
    let issues = dir.join("content/issues");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&issues)
        .map_err(|e| anyhow!("{}: cannot be read: {e}", issues.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(['.', '_']))
        })
        .collect();
    files.sort();
    for path in files {
        let name = path.display().to_string();
        let raw =
            std::fs::read_to_string(&path).map_err(|e| anyhow!("{name}: cannot be read: {e}"))?;
        let split = frontmatter::split(&raw)
            .map_err(|u| anyhow!("{name}:{}:1: the front matter is not closed", u.line))?;
        let Some((format, front)) = split.front else {
            bail!("{name}:1:1: no front matter: not a cState issue");
        };
        let fm = frontmatter::parse(format, front, split.front_line)
            .map_err(|e| anyhow!("{name}:{}:{}: {}", e.pos.line, e.pos.column, e.message))?;
        if yes(&fm, "draft") {
            continue;
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let rec = issue(
            &name,
            &stem,
            &fm,
            split.body,
            config,
            base_url.as_deref(),
            &mut batch,
            &mut by_name,
        )?;
        batch.records.push(rec);
    }
    Ok(batch)
}

/// The updates of a body: `(at, label, text)`, as written (newest
/// first). A paragraph without a label continues the update above it (a
/// post-mortem's text under its `*Post-mortem*`), unless a `---` line
/// stands between them.
fn updates(body: &str) -> Vec<(Option<String>, Option<String>, String)> {
    let mut out: Vec<(Option<String>, Option<String>, String)> = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut separated = true;
    let mut flush = |para: &mut Vec<&str>, separated: &mut bool| {
        if para.is_empty() {
            return;
        }
        let (at, label, rest) = paragraph(&para.join("\n"));
        para.clear();
        match out.last_mut() {
            Some(prev) if label.is_none() && !*separated => {
                if prev.2.is_empty() {
                    prev.2 = rest;
                } else {
                    prev.2 = format!("{}\n\n{rest}", prev.2);
                }
                prev.0 = prev.0.take().or(at);
            }
            _ => out.push((at, label, rest)),
        }
        *separated = false;
    };
    for line in body.lines() {
        if line.trim() == "---" {
            flush(&mut para, &mut separated);
            separated = true;
        } else if line.trim().is_empty() {
            flush(&mut para, &mut separated);
        } else {
            para.push(line);
        }
    }
    flush(&mut para, &mut separated);
    out.into_iter()
        .map(|(at, label, text)| {
            let text = if text.is_empty() {
                label.clone().unwrap_or_default()
            } else {
                text
            };
            (at, label, text)
        })
        .filter(|(_, _, t)| !t.is_empty())
        .collect()
}

/// One paragraph: its `track` time, its label and the rest of its text.
fn paragraph(p: &str) -> (Option<String>, Option<String>, String) {
    let mut t = p.to_owned();
    let mut at = None;
    while let Some(start) = t.find("{{<") {
        let Some(len) = t.get(start..).and_then(|r| r.find(">}}")) else {
            break;
        };
        let inner = t
            .get(start + 3..start + len)
            .unwrap_or("")
            .trim()
            .to_owned();
        let Some(arg) = inner.strip_prefix("track") else {
            break;
        };
        at = at.or_else(|| time(arg.trim()));
        t.replace_range(start..start + len + 3, "");
    }
    let t = t.trim().to_owned();
    // `*Label* - text`, or `**Label* - …*` as cState's monitor bot writes.
    let lead = t.trim_start_matches('*');
    let close = lead.find('*');
    let label = close
        .and_then(|end| lead.get(..end))
        .map(str::trim)
        .filter(|l| t.starts_with('*') && !l.is_empty() && l.len() <= 30 && !l.contains('\n'))
        .map(str::to_owned);
    let rest = match (&label, close) {
        (Some(_), Some(end)) => {
            // `*Label*`, or `**Label**`: its closing stars together.
            let after = lead
                .get(end..)
                .unwrap_or("")
                .trim_start_matches('*')
                .trim_start();
            let after = after.strip_prefix('-').unwrap_or(after);
            let after = after.trim();
            // The bot's closing `*` of its italic line.
            if t.starts_with("**") {
                after.trim_end_matches('*').trim().to_owned()
            } else {
                after.to_owned()
            }
        }
        _ => t.clone(),
    };
    (at, label, rest)
}

/// A label's status: `Investigating` … `Resolved`; `Update` keeps the one
/// before it.
fn status_of(label: &str) -> Option<&'static str> {
    let l = label.to_ascii_lowercase();
    if l.contains("investigat") {
        Some("investigating")
    } else if l.contains("identif") {
        Some("identified")
    } else if l.contains("monitor") {
        Some("monitoring")
    } else if l.contains("resolv")
        || l.contains("fixed")
        || l.contains("post-mortem")
        || l.contains("postmortem")
    {
        Some("resolved")
    } else {
        None
    }
}

#[allow(clippy::too_many_arguments)]
fn issue(
    name: &str,
    stem: &str,
    fm: &Node,
    body: &str,
    config: &Config,
    base_url: Option<&str>,
    batch: &mut Batch,
    by_name: &mut BTreeMap<String, usize>,
) -> Result<SourceRecord> {
    let Some(start) = text(fm, "date").and_then(|d| time(&d)) else {
        bail!("{name}: no `date` to date the issue by");
    };
    let severity = text(fm, "severity")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let informational = yes(fm, "informational");
    let resolved = yes(fm, "resolved");
    let end = text(fm, "resolvedWhen").and_then(|d| time(&d));
    let maintenance = informational || severity == "notice";
    let mut affected: Vec<usize> = Vec::new();
    let names: Vec<String> = match fm.get("affected") {
        Some(n) if n.as_seq().is_some() => n
            .as_seq()
            .unwrap_or_default()
            .iter()
            .filter_map(|i| i.scalar_text().map(|t| t.trim().to_owned()))
            .collect(),
        Some(n) => n
            .scalar_text()
            .map(|t| t.trim().to_owned())
            .into_iter()
            .collect(),
        None => Vec::new(),
    };
    for n in names.into_iter().filter(|n| !n.is_empty()) {
        let at = *by_name.entry(n.clone()).or_insert_with(|| {
            batch.services.push(SourceService {
                source_id: None,
                name: n.clone(),
                group: None,
                description: None,
                since: None,
            });
            batch.services.len() - 1
        });
        if !affected.contains(&at) {
            affected.push(at);
        }
    }
    let mut t = RecordText {
        maintenance,
        title: text(fm, "title").unwrap_or_else(|| stem.to_owned()),
        imported: Some(Imported {
            from: "cstate".to_owned(),
            id: stem.to_owned(),
            url: base_url.map(|b| format!("{}/issues/{stem}/", b.trim_end_matches('/'))),
        }),
        ..RecordText::default()
    };
    // Oldest first; an update without a time takes the one before it (or
    // the issue's date), and none goes back in time.
    let mut ups = updates(body);
    ups.reverse();
    let mut last = start.clone();
    let mut status = if maintenance {
        "scheduled"
    } else {
        "investigating"
    };
    for (at, label, body) in ups {
        let at = at
            .filter(|a| matches!((instant(a), instant(&last)), (Some(x), Some(y)) if x >= y))
            .unwrap_or_else(|| last.clone());
        last = at.clone();
        if maintenance {
            status = if resolved || informational {
                "completed"
            } else {
                "scheduled"
            };
        } else if let Some(s) = label.as_deref().and_then(status_of) {
            status = s;
        }
        // A post-mortem says so: its status alone (`resolved`) would not.
        let body = match label.as_deref() {
            Some(l) if l.to_ascii_lowercase().contains("post") && body != l => {
                format!("*{l}*\n\n{body}")
            }
            _ => body,
        };
        t.updates.push((at, status.to_owned(), body));
    }
    if maintenance {
        t.scheduled_start = Some(start.clone());
        let end =
            end.filter(|e| matches!((instant(e), instant(&start)), (Some(x), Some(y)) if x >= y));
        t.scheduled_end = Some(end.unwrap_or_else(|| start.clone()));
    } else {
        let (impact, level) = match severity.as_str() {
            "down" => ("major_outage", "critical"),
            _ => ("partial_outage", "major"),
        };
        t.impact = Some(impact);
        t.severity = {
            let levels: Vec<i64> = config.policy.levels.keys().copied().collect();
            match level {
                "critical" => levels.first().copied(),
                _ => levels.get(1).or(levels.last()).copied(),
            }
        };
        t.reported_at = Some(start.clone());
        if resolved {
            // Resolved when it says, else at its last update.
            let when = end.unwrap_or_else(|| last.clone());
            let when = match (instant(&when), instant(&last)) {
                (Some(w), Some(l)) if w < l => last.clone(),
                _ => when,
            };
            t.resolved_at = Some(when.clone());
            if let Some(u) = t.updates.last_mut() {
                u.1 = "resolved".to_owned();
            } else {
                t.updates
                    .push((when, "resolved".to_owned(), "Resolved.".to_owned()));
            }
        }
    }
    Ok(SourceRecord {
        imported: t.imported.clone().unwrap_or_else(|| Imported {
            from: "cstate".to_owned(),
            id: stem.to_owned(),
            url: None,
        }),
        new_id: format!("CS-{}", super::statuspage::file_safe(stem)),
        file_stem: format!("cstate-{}", super::statuspage::file_safe(stem)),
        text: t,
        services: affected.into_iter().map(|i| (i, None)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn updates_split_from_the_body() {
        let body = "**Post-mortem**\n\nWhat happened.\n\n---\n\n*Resolved* -\nAll good. {{< track \"2018-04-13 17:30:00\" >}}\n\n*Investigating* - Looking. {{< track \"2018-04-13T15:54:00Z\" >}}\n\nMore detail.\n";
        let u = updates(body);
        let got: Vec<(Option<&str>, Option<&str>, &str)> = u
            .iter()
            .map(|(a, l, t)| (a.as_deref(), l.as_deref(), t.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (None, Some("Post-mortem"), "What happened."),
                (Some("2018-04-13T17:30:00Z"), Some("Resolved"), "All good."),
                (
                    Some("2018-04-13T15:54:00Z"),
                    Some("Investigating"),
                    "Looking.\n\nMore detail."
                ),
            ]
        );
    }

    proptest::proptest! {
        #[test]
        fn any_body_splits_without_a_panic(body in "[*{}<>\"a-z0-9 :\\n-]{0,120}") {
            for (_, _, t) in updates(&body) {
                proptest::prop_assert!(!t.is_empty());
            }
        }
    }
}
