//! `sitrep init [DIR]`: a small working site.

use crate::time::Zone;
use anyhow::{bail, Context, Result};
use chrono::{DateTime, Duration, Utc};
use std::fmt::Write as _;
use std::path::Path;

/// Writes the new site into `dir`, dated the day before `now` (the wall
/// clock, or `--now`), so that it checks clean at `now`. Returns what it
/// did, in words, for the terminal.
pub fn init(dir: &Path, now: DateTime<Utc>) -> Result<String> {
    let zone = Zone::default();
    let local = zone.local(now - Duration::days(1));
    let day = local.format("%Y-%m-%d").to_string();
    let year = local.format("%Y").to_string();
    let files: Vec<(String, String)> = vec![
        ("sitrep.yaml".into(), SITE.to_owned()),
        (
            "content/getting-started/first-response.md".into(),
            RUNBOOK.replace("{DAY}", &day),
        ),
        (
            format!("incidents/INC-{year}-0001.yaml"),
            INCIDENT.replace("{DAY}", &day).replace("{YEAR}", &year),
        ),
    ];
    let existing: Vec<&str> = files
        .iter()
        .filter(|(p, _)| dir.join(p).exists())
        .map(|(p, _)| p.as_str())
        .collect();
    if !existing.is_empty() {
        bail!(
            "{} already has {}; sitrep init never overwrites files",
            dir.display(),
            existing.join(", ")
        );
    }
    let mut said = String::new();
    for (p, text) in &files {
        let path = dir.join(p);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        let _ = writeln!(said, "created {}", path.display());
    }
    // A .gitignore of its own only where there is none: the output folders
    // are built, not written by hand, and `internal/` is not for the world.
    let ignore = dir.join(".gitignore");
    if std::fs::symlink_metadata(&ignore).is_err() {
        std::fs::write(&ignore, GITIGNORE)
            .with_context(|| format!("cannot write {}", ignore.display()))?;
        let _ = writeln!(said, "created {}", ignore.display());
    } else {
        let _ = writeln!(
            said,
            "kept your {}: add `/internal/` and `/public/` to it (sitrep's output folders)",
            ignore.display()
        );
    }
    if dir == Path::new(".") {
        let _ = writeln!(said, "\nnext: sitrep check && sitrep serve");
    } else {
        let _ = writeln!(
            said,
            "\nnext: cd {} && sitrep check && sitrep serve",
            dir.display()
        );
    }
    Ok(said)
}

const GITIGNORE: &str =
    "# sitrep's output folders: `sitrep build` (internal view), `sitrep build --public`
/internal/
/public/
";

const SITE: &str = "# The site configuration: see the sitrep README for every key.
title: Example Operations
timezone: UTC
services:
  - { id: website, name: Website, group: Customer facing, owner: Web team }
  - { id: api, name: Public API, group: Customer facing, owner: Platform team }
recipients:
  service-owner: Owner of the affected service
  om-team: Operations and maintenance team
  rd-leader: R&D leader
  customers: Customer distribution lists
  leadership: IT leadership
";

const RUNBOOK: &str = "---
title: First response to an outage
description: What the first responder does in the first 30 minutes
services: [website, api]
levels: [1, 2]
owner: Operations lead
last_reviewed: {DAY}
---

## Up to 5 minutes from the report

1. Open a ticket and decide whether this may be a high-priority outage.

## Up to 15 minutes from the report

1. Agree on the severity with the on-call lead.
2. Send the initial notice by SMS and email to the service owner and the
   operations team, and phone the R&D leader.

## Up to 30 minutes from the report

1. For a level 1 incident, email customers and tell IT leadership.
";

const INCIDENT: &str = "# A minor incident, handled within the level 3 targets.
id: INC-{YEAR}-0001
title: Website images load slowly
severity: 3
impact: degraded_performance
services: [website]
runbook: getting-started/first-response
roles:
  incident_manager: Alex Example
reported_at: {DAY} 09:00
responded_at: {DAY} 09:20
recovered_at: {DAY} 10:30
resolved_at: {DAY} 11:00
closed_at: {DAY} 12:00
timeline:
  - at: 09:20
    by: On-call engineer
    text: Image cache hit rate dropped after a deploy.
updates:
  - at: 09:30
    status: investigating
    text: Images on the website load slowly. We are looking into it.
  - at: 10:30
    status: resolved
    text: Images load normally again.
";
