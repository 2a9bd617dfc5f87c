//! `sitrep new incident|maintenance|runbook`: write a new file and print
//! its path.

use crate::authoring::{self, NewIncident};
use crate::term;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What `sitrep new` writes.
pub enum What<'a> {
    Incident(NewIncident<'a>),
    Maintenance {
        title: &'a str,
        services: &'a [String],
        from: &'a str,
        until: &'a str,
    },
    Runbook {
        path: &'a str,
        title: Option<&'a str>,
    },
}

pub fn run(root: &Path, now: Option<&str>, what: What) -> Result<ExitCode> {
    let now = super::now_at(root, now)?;
    let path = match what {
        What::Incident(n) => authoring::new_incident(root, now, &n)?,
        What::Maintenance {
            title,
            services,
            from,
            until,
        } => authoring::new_maintenance(root, now, title, services, from, until)?,
        What::Runbook { path, title } => authoring::new_runbook(root, now, path, title)?,
    };
    let shown: PathBuf = if root == Path::new(".") {
        path.strip_prefix(".").unwrap_or(&path).to_path_buf()
    } else {
        path
    };
    term::print(&format!("{}\n", shown.display()))?;
    Ok(ExitCode::SUCCESS)
}
