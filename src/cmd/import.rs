//! `sitrep import statuspage FILE…` and `sitrep import cstate DIR`: history
//! from another system, written all or nothing (CLI.md, "sitrep import").

use crate::cli::ImportFrom;
use crate::import::{self, statuspage};
use crate::model::config;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(root: &Path, now: Option<&str>, from: &ImportFrom, dry_run: bool) -> Result<ExitCode> {
    let site = import::site_for_import(root)?;
    let now = super::now_at(root, now)?;
    let batch = match from {
        ImportFrom::Statuspage { files } => {
            let mut read = Vec::with_capacity(files.len());
            for f in files {
                // A file that cannot be read is an I/O failure (exit 2);
                // one that is not Statuspage JSON, bad input (exit 1).
                match std::fs::metadata(f) {
                    Err(e) => {
                        anyhow::bail!("{}: cannot be read: {e}; nothing was imported", f.display())
                    }
                    Ok(m) if m.is_dir() => anyhow::bail!(
                        "{}: is a folder, not a JSON file; nothing was imported",
                        f.display()
                    ),
                    Ok(_) => {}
                }
                match statuspage::read_file(f) {
                    Ok(v) => read.push((f.display().to_string(), v)),
                    Err(e) => return refused(&e.to_string()),
                }
            }
            statuspage::batch(&read, &site.config)
        }
        ImportFrom::Cstate { dir } => import::cstate::batch(dir, &site.config),
    };
    let batch = match batch {
        Ok(b) => b,
        Err(e) => return refused(&e.to_string()),
    };
    let plan = import::plan(root, &site, &batch)?;
    // The site as it would be must pass the input rules in what the
    // import writes (a record in order, no time in the future): else
    // nothing is written.
    if let Some(d) = import::would_fail(root, &site, &plan, now) {
        return refused(&format!(
            "{}:{}:{}: the imported record would not pass `check`: {} [{}]",
            d.file, d.line, d.column, d.message, d.rule.id
        ));
    }
    let verb = if dry_run { "would import" } else { "imported" };
    if !dry_run {
        import::apply(root, &plan)?;
    }
    let mut line = format!(
        "{verb} {} records: {} new, {} updated, {} unchanged",
        plan.created + plan.updated + plan.unchanged,
        plan.created,
        plan.updated,
        plan.unchanged
    );
    if !plan.new_services.is_empty() {
        line.push_str(&format!(
            "; {} services added to {}: {}",
            plan.new_services.len(),
            config::CONFIG_FILE,
            plan.new_services.join(", ")
        ));
    }
    crate::term::print(&format!("{line}\n"))?;
    for k in &plan.kept {
        crate::term::print(&format!(
            "kept {k} as it is: it was moved out of {}/, so it is yours now\n",
            import::FOLDER
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A source sitrep cannot import: one line naming the file, nothing written.
fn refused(message: &str) -> Result<ExitCode> {
    eprintln!("error: {message}\nnothing was imported");
    Ok(ExitCode::from(1))
}
