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
}

pub fn run(root: &Path, now: Option<&str>, month: &str, format: Format) -> Result<ExitCode> {
    let first = match report::parse_month(month) {
        Ok(d) => d,
        Err(e) => anyhow::bail!("{e}"),
    };
    let site = load::load(root)?;
    let now = time::resolve_now(now, &site.config.timezone)?;
    if first > time::local_date(now, &site.config.timezone) {
        eprintln!("note: {month} has not begun; its report is empty");
    }
    let r = report::month(&site, now, first);
    let text = match format {
        Format::Human => report::human(&r),
        Format::Markdown => report::markdown(&r),
        Format::Json => {
            let mut t = serde_json::to_string_pretty(&r).context("cannot write JSON")?;
            t.push('\n');
            t
        }
    };
    term::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
