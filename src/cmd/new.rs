//! `sitrep new incident|runbook`: write a new file and print its path.

use crate::authoring;
use crate::term;
use anyhow::Result;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What `sitrep new` writes.
pub enum What<'a> {
    Incident {
        title: &'a str,
        severity: &'a str,
        services: &'a [String],
    },
    Runbook {
        path: &'a str,
        title: Option<&'a str>,
    },
}

pub fn run(root: &Path, now: Option<&str>, what: What) -> Result<ExitCode> {
    let now = super::now_at(root, now)?;
    let path = match what {
        What::Incident {
            title,
            severity,
            services,
        } => authoring::new_incident(root, now, title, severity, services)?,
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
