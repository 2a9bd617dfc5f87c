//! `sitrep due`: the incident manager's checklist; exit 1 while input
//! errors stand, as `check` (docs/due.md).

use crate::due;
use crate::{load, term, time};
use anyhow::{Context, Result};
use clap::ValueEnum;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

pub fn run(root: &Path, now: Option<&str>, ids: &[String], format: Format) -> Result<ExitCode> {
    let site = load::load(root)?;
    let now = time::resolve_now(now, &site.config.timezone)?;
    let rep = due::report(&site, now, ids)?;
    let text = match format {
        Format::Human => due::human(&site, &rep, term::color_enabled()),
        Format::Json => {
            let mut t = serde_json::to_string_pretty(&due::to_json(&site, &rep))
                .context("cannot write JSON")?;
            t.push('\n');
            t
        }
    };
    term::print(&text)?;
    if rep.input_errors.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("error: {}", due::input_error_line(&rep.input_errors));
        Ok(ExitCode::from(1))
    }
}
