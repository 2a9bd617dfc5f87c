//! `sitrep new incident` and `sitrep new runbook`: files that pass
//! `sitrep check`'s input rules as written (docs/due.md).

use crate::diag::{did_you_mean, Level};
use crate::load;
use crate::model::config::Config;
use crate::model::incident::{self, Record, Time};
use crate::model::policy::{Policy, RECORD_KINDS};
use crate::time;
use crate::yaml;
pub mod draft;
pub mod init;
pub mod record;

use anyhow::{anyhow, bail, Context, Result};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The prefix of the ids `sitrep new incident` writes: `INC-<year>-<NNNN>`.
pub const ID_PREFIX: &str = "INC";
/// The prefix of `sitrep new maintenance`'s ids: `MNT-<year>-<NNNN>`.
pub const MAINTENANCE_PREFIX: &str = "MNT";

/// The configuration, refusing a `sitrep.yaml` with errors: levels and
/// services are checked against it.
pub(crate) fn config_without_errors(cfg_diags: &[crate::diag::Diagnostic]) -> Result<()> {
    if let Some(d) = cfg_diags
        .iter()
        .find(|d| d.level == Level::Error && d.file == crate::model::config::CONFIG_FILE)
    {
        bail!(
            "{}:{}:{}: {} [{}]; fix sitrep.yaml first (`sitrep check`)",
            d.file,
            d.line,
            d.column,
            d.message,
            d.rule.id
        );
    }
    Ok(())
}

/// What `sitrep new incident` is given (CLI.md).
#[derive(Debug, Clone, Copy, Default)]
pub struct NewIncident<'a> {
    pub title: &'a str,
    pub severity: &'a str,
    pub services: &'a [String],
    pub manager: Option<&'a str>,
    pub parent: Option<&'a str>,
    /// `reported_at` (default: now).
    pub at: Option<&'a str>,
    pub started: Option<&'a str>,
    pub impact: Option<&'a str>,
}

/// A new incident's fields, checked and resolved.
#[derive(Debug, Clone, Default)]
pub struct IncidentFields<'a> {
    pub id: String,
    pub title: &'a str,
    pub level: i64,
    pub services: Vec<String>,
    pub reported: Time,
    pub started: Option<Time>,
    pub manager: Option<&'a str>,
    pub parent: Option<&'a str>,
    pub impact: Option<&'a str>,
}

/// Writes `incidents/<ID>.yaml` with the next free id; returns its path.
pub fn new_incident(root: &Path, now: Time, n: &NewIncident) -> Result<PathBuf> {
    let site = load::load(root)?;
    config_without_errors(&site.load_diagnostics)?;
    let cfg = &site.config;
    if n.title.trim().is_empty() {
        bail!("--title must not be empty");
    }
    let level = parse_level(&cfg.policy, n.severity)?;
    let services = check_services(cfg, n.services)?;
    let zone = &cfg.timezone;
    let reported = time::resolve_past(n.at, zone, now)?;
    if reported > now {
        bail!(
            "--at {} is in the future (now is {}); an incident is recorded once reported",
            time::format_local(reported, zone, None),
            time::format_local(now, zone, None)
        );
    }
    let started = match n.started {
        Some(t) => {
            let s = time::option_time("--started", t, zone, reported)?;
            if s > reported {
                bail!(
                    "--started {} is after the report at {}; impact begins at or before the report",
                    time::format_local(s, zone, None),
                    time::format_local(reported, zone, None)
                );
            }
            Some(s)
        }
        None => None,
    };
    if let Some(i) = n.impact {
        if !incident::IMPACTS.contains(&i) {
            bail!(
                "unknown impact `{i}`: use one of {}",
                incident::IMPACTS.join(", ")
            );
        }
    }
    if let Some(p) = n.parent {
        if let Some(e) = site.unknown_id(&[p.to_owned()]) {
            bail!("--parent: {e}");
        }
    }
    if n.manager.is_some_and(|m| m.trim().is_empty()) {
        bail!("--manager must not be empty");
    }
    let id = next_id(&site.records, ID_PREFIX, time::local_year(reported, zone));
    let rel = format!("incidents/{id}.yaml");
    let fields = IncidentFields {
        id,
        title: n.title,
        level,
        services,
        reported,
        started,
        manager: n.manager,
        parent: n.parent,
        impact: n.impact,
    };
    write_new(root, &rel, &incident_yaml(cfg, &fields))
}

/// Writes a maintenance record `incidents/MNT-<year>-<NNNN>.yaml`.
pub fn new_maintenance(
    root: &Path,
    now: Time,
    title: &str,
    services: &[String],
    from: &str,
    until: &str,
) -> Result<PathBuf> {
    let site = load::load(root)?;
    config_without_errors(&site.load_diagnostics)?;
    let cfg = &site.config;
    if title.trim().is_empty() {
        bail!("--title must not be empty");
    }
    let services = check_services(cfg, services)?;
    let zone = &cfg.timezone;
    let start = time::option_time("--from", from, zone, now)?;
    let end = time::option_time("--until", until, zone, now)?;
    if end <= start {
        bail!(
            "--until {} is not after --from {}",
            time::format_local(end, zone, None),
            time::format_local(start, zone, None)
        );
    }
    let id = next_id(
        &site.records,
        MAINTENANCE_PREFIX,
        time::local_year(start, zone),
    );
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Written by `sitrep new maintenance`. Times are {zone} unless written in RFC 3339."
    );
    s.push_str("kind: maintenance\n");
    let _ = writeln!(s, "id: {}", yaml::write::scalar(&id));
    let _ = writeln!(s, "title: {}", yaml::write::scalar(title));
    let list: Vec<String> = services.iter().map(|x| yaml::write::scalar(x)).collect();
    let _ = writeln!(s, "services: [{}]", list.join(", "));
    let _ = writeln!(s, "scheduled_start: {}", time::record_form(start, zone));
    let _ = writeln!(s, "scheduled_end: {}", time::record_form(end, zone));
    s.push_str(
        "\n# updates:                      # status page posts during the window\n\
         #   - at: \"HH:MM\"\n\
         #     status: in_progress        # scheduled | in_progress | verifying | completed\n\
         #     text:\n",
    );
    write_new(root, &format!("incidents/{id}.yaml"), &s)
}

/// Writes `content/<PATH>.md` with its front matter; returns its path.
pub fn new_runbook(root: &Path, now: Time, path: &str, title: Option<&str>) -> Result<PathBuf> {
    let (cfg, diags) = load::load_config(root)?;
    config_without_errors(&diags)?;
    let slug = runbook_slug(path)?;
    let title = match title {
        Some(t) if t.trim().is_empty() => bail!("--title must not be empty"),
        Some(t) => t.to_owned(),
        None => title_from_slug(&slug),
    };
    let today = time::local_date(now, &cfg.timezone);
    let text = runbook_markdown(&cfg, &title, &today.format("%Y-%m-%d").to_string());
    write_new(root, &format!("content/{slug}.md"), &text)
}

/// Writes a file that must not exist yet, creating its folder.
fn write_new(root: &Path, rel: &str, text: &str) -> Result<PathBuf> {
    let path = root.join(rel);
    if path.exists() || path.is_symlink() {
        bail!(
            "{} already exists; sitrep new never overwrites files",
            path.display()
        );
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => anyhow!(
                "{} already exists; sitrep new never overwrites files",
                path.display()
            ),
            _ => anyhow!("cannot write {}: {e}", path.display()),
        })?;
    f.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// Levels as `1 (Critical), 2 (Major), 3 (Minor)`.
fn levels_text(policy: &Policy) -> String {
    policy
        .levels
        .values()
        .map(|l| format!("{} ({})", l.level, l.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A severity the policy defines, or an error listing the defined ones.
pub fn parse_level(policy: &Policy, severity: &str) -> Result<i64> {
    severity
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|l| policy.level(*l).is_some())
        .ok_or_else(|| {
            anyhow!(
                "unknown severity level `{severity}`: the policy defines {} (1 is the most severe)",
                levels_text(policy)
            )
        })
}

/// The services, each in the catalog, without repeats.
pub fn check_services(cfg: &Config, services: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for s in services {
        let s = s.trim();
        if cfg.service(s).is_none() {
            if cfg.services.is_empty() {
                bail!("unknown service `{s}`: sitrep.yaml lists no services yet (add them under `services:`)");
            }
            let hint = did_you_mean(s, cfg.services.iter().map(|x| x.id.as_str()))
                .map_or_else(String::new, |m| format!(" (did you mean `{m}`?)"));
            bail!(
                "unknown service `{s}`{hint}: the services in sitrep.yaml are {}",
                cfg.service_list()
            );
        }
        if !out.iter().any(|o| o == s) {
            out.push(s.to_owned());
        }
    }
    Ok(out)
}

/// The number of an id `<PREFIX>-<year>-<digits>` (prefix case-insensitive).
fn id_number(id: &str, prefix: &str, year: i32) -> Option<u64> {
    let (p, rest) = id.trim().split_once('-')?;
    if !p.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let (y, n) = rest.split_once('-')?;
    if y != year.to_string() || n.is_empty() || n.len() > 12 {
        return None;
    }
    if !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok()
}

/// The next free id of `year`: one more than the highest number among the
/// records' ids of that year (`INC-2026-0043` → `INC-2026-0044`), from 1.
pub fn next_id(records: &[Record], prefix: &str, year: i32) -> String {
    let highest = records
        .iter()
        .filter_map(|r| r.id.as_deref())
        .filter_map(|id| id_number(id, prefix, year))
        .max()
        .unwrap_or(0);
    format!("{prefix}-{year}-{:04}", highest.saturating_add(1))
}

/// The text of a new incident record. Its comments say nothing that a
/// later change makes wrong (an escalation changes the notices owed):
/// `sitrep due` says what is owed.
pub fn incident_yaml(cfg: &Config, f: &IncidentFields) -> String {
    let zone = &cfg.timezone;
    let clock = zone.local(f.reported).format("%H:%M").to_string();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Written by `sitrep new incident`. Times are {zone} unless written in RFC 3339."
    );
    let _ = writeln!(
        s,
        "# `sitrep respond`, `update`, `log`, `notify`, `escalate`, `recover`, `resolve` and"
    );
    let _ = writeln!(
        s,
        "# `close` fill in the slots below; `sitrep due` lists what is owed next."
    );
    let _ = writeln!(s, "id: {}", yaml::write::scalar(&f.id));
    let _ = writeln!(s, "title: {}", yaml::write::scalar(f.title));
    let _ = writeln!(
        s,
        "severity: {}                     # levels: {}",
        f.level,
        levels_text(&cfg.policy)
    );
    let _ = writeln!(
        s,
        "impact: {:<22} # none | degraded_performance | partial_outage | major_outage",
        f.impact.unwrap_or("partial_outage")
    );
    if f.services.is_empty() {
        let known = if cfg.services.is_empty() {
            "none in sitrep.yaml yet".to_owned()
        } else {
            cfg.service_list()
        };
        let _ = writeln!(
            s,
            "# services: []                 # ids from sitrep.yaml: {known}"
        );
    } else {
        let list: Vec<String> = f.services.iter().map(|x| yaml::write::scalar(x)).collect();
        let _ = writeln!(s, "services: [{}]", list.join(", "));
    }
    match f.parent {
        Some(p) => {
            let _ = writeln!(s, "parent: {}", yaml::write::scalar(p));
        }
        None => s.push_str("# parent: INC-YYYY-NNNN          # the incident this one is part of\n"),
    }
    let _ = writeln!(
        s,
        "# runbook: section/runbook      # slug of the runbook followed"
    );
    match f.manager {
        Some(m) => {
            let _ = writeln!(s, "\nroles:\n  incident_manager: {}", yaml::write::scalar(m));
            s.push_str("#   tech_lead:\n#   service_owner:\n#   communications:\n");
        }
        None => s.push_str(
            "\n# roles:\n#   incident_manager:\n#   tech_lead:\n#   service_owner:\n#   communications:\n",
        ),
    }
    s.push('\n');
    match f.started {
        Some(t) => {
            let _ = writeln!(s, "started_at: {}", time::record_form(t, zone));
        }
        None => s.push_str(
            "# started_at:                   # when impact began, if before the report\n",
        ),
    }
    let _ = writeln!(s, "reported_at: {}", time::record_form(f.reported, zone));
    s.push_str("# responded_at:\n# recovered_at:\n# resolved_at:\n# closed_at:\n");
    s.push_str(
        "\n# escalations:                  # severity changes, in order (`sitrep escalate`)\n#   - at: \"HH:MM\"\n#     from: 2\n#     to: 1\n#     reason:\n",
    );
    s.push_str("\n# notifications:                # every notice sent (`sitrep notify`)\n");
    let _ = writeln!(s, "#   - at: \"{clock}\"");
    let _ = writeln!(
        s,
        "#     kind: initial              # {}",
        RECORD_KINDS.join(" | ")
    );
    s.push_str(
        "#     channels: [sms, email]     # sms | email | phone | chat | pager | pa | web | other\n\
         #     to: [service-owner]\n\
         #     cc: [om-team]\n\
         #     summary:\n",
    );
    let _ = writeln!(
        s,
        "\n# timeline:                     # what happened, internal (`sitrep log`)"
    );
    let _ = writeln!(s, "#   - at: \"{clock}\"\n#     by:\n#     text:");
    let _ = writeln!(
        s,
        "\n# updates:                      # public status page posts (`sitrep update`)"
    );
    let _ = writeln!(
        s,
        "#   - at: \"{clock}\"\n#     status: investigating      # investigating | identified | monitoring | resolved\n#     text:"
    );
    s
}

/// The slug of `PATH` (below `content/`, `.md` optional), or why not.
pub fn runbook_slug(path: &str) -> Result<String> {
    let p = path.trim();
    let p = p.strip_prefix("./").unwrap_or(p);
    let p = p.strip_prefix("content/").unwrap_or(p);
    let p = p.strip_suffix(".md").unwrap_or(p);
    if p.is_empty() {
        bail!("PATH must name a runbook below content/, such as `outage/database`");
    }
    if p.starts_with('/') {
        bail!("PATH `{path}` must be relative to content/ (such as `outage/database`)");
    }
    for part in p.split('/') {
        if part.is_empty() || part.starts_with('.') {
            bail!("PATH `{path}` has an empty, `.` or `..` or hidden part; write it like `outage/database`");
        }
        if !part
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        {
            bail!("PATH `{path}`: use letters, digits, `-`, `_` and `.` in its parts (it becomes the runbook's URL)");
        }
    }
    if p == "_index" || p.ends_with("/_index") {
        bail!("`_index.md` is a section page, not a runbook; write it by hand");
    }
    Ok(p.to_owned())
}

/// `outage/database-failover` → `Database failover`.
pub fn title_from_slug(slug: &str) -> String {
    let last = slug.rsplit('/').next().unwrap_or(slug);
    let words = last.replace(['-', '_'], " ");
    let words = words.trim();
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => "Runbook".to_owned(),
    }
}

/// The text of a new runbook.
pub fn runbook_markdown(cfg: &Config, title: &str, today: &str) -> String {
    let levels: Vec<String> = cfg.policy.levels.keys().map(i64::to_string).collect();
    let services = if cfg.services.is_empty() {
        "sitrep.yaml lists none yet".to_owned()
    } else {
        format!("ids from sitrep.yaml: {}", cfg.service_list())
    };
    let mut s = String::from("---\n");
    let _ = writeln!(s, "title: {}", yaml::write::scalar(title));
    let _ = writeln!(
        s,
        "owner: \"\"                    # who keeps this runbook current (a warning until set)"
    );
    let _ = writeln!(s, "last_reviewed: {today}");
    let _ = writeln!(
        s,
        "levels: [{}]  # the severity levels it applies to: {}",
        levels.join(", "),
        levels_text(&cfg.policy)
    );
    let _ = writeln!(s, "services: []                  # {services}");
    s.push_str(
        "# description: one line for lists and search\n\
         # tags: []\n\
         # review_every: 180d\n\
         # weight: 10\n\
         ---\n\n\
         ## When to use this\n\n\
         Say which reports or alerts start this procedure.\n\n\
         ## Steps\n\n\
         1. The first thing to do.\n",
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        let (c, d) = crate::model::config::read(
            "title: T\ntimezone: Europe/Paris\nservices:\n  - { id: web, name: Web }\n  - { id: api, name: API }\n",
        );
        assert!(d.is_empty(), "{d:?}");
        c
    }

    fn rec(id: &str) -> Record {
        let text = format!("id: {id}\ntitle: X\nseverity: 3\nreported_at: 2026-01-01 10:00\n");
        incident::read("incidents/x.yaml", &text, &cfg()).0
    }

    fn next_id(records: &[Record], year: i32) -> String {
        super::next_id(records, ID_PREFIX, year)
    }

    #[test]
    fn ids() {
        assert_eq!(next_id(&[], 2026), "INC-2026-0001");
        let recs = [
            rec("INC-2026-0007"),
            rec("inc-2026-0042"),
            rec("INC-2025-0099"),
            rec("INC-2026-0100-b"),
            rec("OPS-2026-5000"),
        ];
        assert_eq!(next_id(&recs, 2026), "INC-2026-0043");
        assert_eq!(next_id(&recs, 2025), "INC-2025-0100");
        assert_eq!(next_id(&[rec("INC-2026-9999")], 2026), "INC-2026-10000");
        assert_eq!(
            next_id(&[rec("INC-2026-999999999999")], 2026),
            "INC-2026-1000000000000"
        );
    }

    #[test]
    fn levels_and_services() {
        let c = cfg();
        assert_eq!(parse_level(&c.policy, " 2 ").ok(), Some(2));
        let e = parse_level(&c.policy, "7").err().map(|e| e.to_string());
        assert!(e.is_some_and(|e| e.contains("1 (Critical), 2 (Major), 3 (Minor)")));
        let e = check_services(&c, &["wbe".to_owned()])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("did you mean `web`") && e.contains("web, api"),
            "{e}"
        );
        assert_eq!(
            check_services(&c, &["web".into(), "web".into()]).ok(),
            Some(vec!["web".to_owned()])
        );
    }

    #[test]
    fn titles_round_trip() {
        let c = cfg();
        let now = chrono::DateTime::parse_from_rfc3339("2026-03-29T01:30:00Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .unwrap_or_default();
        for title in [
            "Checkout failing",
            "Login: broken # really",
            "- dash",
            "yes",
            "123",
            "\"quoted\" and \\back",
            "two\nlines\ttab",
            "null",
            "[x]",
            "{a: b}",
            "*alias",
            "&anchor",
            "!tag",
            "%pct",
            "@at",
            "`tick`",
            "ends with colon:",
            "weird \u{2028} sep \u{feff} bom \u{7} bell",
            "Ünïcödé 日本",
            " leading space",
            "trailing space ",
        ] {
            let fields = IncidentFields {
                id: "INC-2026-0001".to_owned(),
                title,
                level: 1,
                services: vec!["web".to_owned()],
                reported: now,
                ..IncidentFields::default()
            };
            let text = incident_yaml(&c, &fields);
            let (r, d) = incident::read("incidents/INC-2026-0001.yaml", &text, &c);
            assert!(d.is_empty(), "{title:?}: {d:?}\n{text}");
            assert_eq!(r.title, title, "{text}");
            assert_eq!(r.reported(), Some(now));
            assert_eq!(r.severity, Some(1));
        }
    }

    #[test]
    fn slugs() {
        assert_eq!(runbook_slug("outage/db").ok().as_deref(), Some("outage/db"));
        assert_eq!(
            runbook_slug("content/outage/db.md").ok().as_deref(),
            Some("outage/db")
        );
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a//b",
            "a/./b",
            "a b",
            "x/_index",
            ".hidden",
        ] {
            assert!(runbook_slug(bad).is_err(), "{bad}");
        }
        assert_eq!(
            title_from_slug("outage/database-failover"),
            "Database failover"
        );
    }
}
