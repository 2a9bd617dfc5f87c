//! `sitrep import statuspage FILE…` and `sitrep import cstate DIR`: history
//! from another system, written all or nothing (CLI.md, "sitrep import").

use crate::cli::ImportFrom;
use crate::import::{self, statuspage};
use crate::model::config;
use crate::model::incident;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(root: &Path, from: &ImportFrom, dry_run: bool) -> Result<ExitCode> {
    let site = import::site_for_import(root)?;
    let batch = match from {
        ImportFrom::Statuspage { files } => {
            let mut read = Vec::with_capacity(files.len());
            for f in files {
                // A file that cannot be read is an I/O failure (exit 2);
                // one that is not Statuspage JSON, bad input (exit 1).
                if let Err(e) = std::fs::metadata(f) {
                    anyhow::bail!("{}: cannot be read: {e}; nothing was imported", f.display());
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
    // What would be written must read back without an input error, with
    // the services it adds: else nothing is written.
    let cfg = match &plan.config {
        Some(text) => config::read(text).0,
        None => site.config.clone(),
    };
    for (file, text) in &plan.writes {
        let (_, diags) = incident::read(file, text, &cfg);
        if let Some(d) = diags.iter().find(|d| d.is_input_error()) {
            return refused(&format!(
                "{file}:{}:{}: the imported record would not read back: {} [{}]",
                d.line, d.column, d.message, d.rule.id
            ));
        }
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
