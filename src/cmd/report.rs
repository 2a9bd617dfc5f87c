//! `sitrep report --month YYYY-MM`: the monthly review (CLI.md).

use crate::{load, report, term, time};
use anyhow::{Context, Result};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Markdown,
    Json,
    Csv,
}

pub fn run(root: &Path, now: Option<&str>, month: &str, format: Format) -> Result<ExitCode> {
    let first = match report::parse_month(month) {
        Ok(d) => d,
        Err(e) => anyhow::bail!("{e}"),
    };
    let site = load::load(root)?;
    let now = time::resolve_now(now, &site.config.timezone)?;
    if first > time::local_date(now, &site.config.timezone) {
        eprintln!("note: {month} has not begun yet: its numbers are those of its incidents so far");
    }
    let text = match format {
        Format::Human => report::human(&report::month(&site, now, first)),
        Format::Markdown => report::markdown(&report::month(&site, now, first)),
        Format::Json => {
            let r = report::month(&site, now, first);
            let mut t = serde_json::to_string_pretty(&r).context("cannot write JSON")?;
            t.push('\n');
            t
        }
        Format::Csv => report::with_month(&site, now, first, |rows, _| report::csv(&site, rows))?,
    };
    term::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
