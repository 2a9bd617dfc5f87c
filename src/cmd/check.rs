//! `sitrep check`: every rule, reported in the chosen format; writes nothing.

use crate::check;
use crate::diag::{count, Diagnostic};
use crate::load;
use crate::output::{self, Totals};
use crate::{term, time};
use anyhow::{anyhow, Result};
use clap::ValueEnum;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// The report formats of CLI.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
    Junit,
    Gitlab,
}

pub fn run(
    root: &Path,
    now: Option<&str>,
    format: Format,
    deny_warnings: bool,
    incident: &[String],
) -> Result<ExitCode> {
    let t = std::time::Instant::now();
    let site = load::load(root)?;
    term::trace("load", t);
    let now = time::resolve_now(now, &site.config.timezone)?;
    if let Some(e) = site.unknown_id(incident) {
        return Err(anyhow!(e));
    }
    let diags = check::filter_incidents(check::check(&site, now), incident);
    term::trace("check", t);
    let text = match format {
        Format::Human => output::human(&diags, root, Totals::of(&site), term::color_enabled()),
        Format::Json => {
            let now = time::rfc3339(now);
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            let written = output::write_json(&mut w, &diags, &now, Totals::of(&site))
                .and_then(|()| w.flush());
            term::written(written)?;
            String::new()
        }
        Format::Github => output::github(&diags),
        Format::Sarif => output::sarif(&diags),
        Format::Junit => {
            let files: Vec<String> = std::iter::once(crate::model::config::CONFIG_FILE.to_owned())
                .chain(site.runbooks.iter().map(|r| r.file.clone()))
                .chain(site.records.iter().map(|r| r.file.clone()))
                .collect();
            output::junit(&diags, &files)
        }
        Format::Gitlab => output::gitlab(&diags),
    };
    term::print(&text)?;
    term::trace("output", t);
    let code = exit_for(&diags, deny_warnings);
    // The process ends here: freeing a large site piece by piece (half a
    // second for 100,000 records) would only delay the exit.
    std::mem::forget((site, diags, text));
    Ok(code)
}

/// 0 when no unwaived error (and with --deny-warnings no warning) is left.
pub fn exit_for(diags: &[Diagnostic], deny_warnings: bool) -> ExitCode {
    let c = count(diags);
    if c.errors > 0 || (deny_warnings && c.warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
