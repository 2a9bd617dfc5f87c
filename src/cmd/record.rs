//! `sitrep respond|update|log|notify|escalate|recover|resolve|close`: one
//! family of commands that record an incident as it happens (CLI.md,
//! "Recording an incident"); each says what it wrote, then what falls due
//! next for that incident, as `sitrep due --incident ID` would.

use crate::authoring::record::{self, Change, Finding};
use crate::{due, term, time};
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(
    root: &Path,
    now: Option<&str>,
    at: Option<&str>,
    id: &str,
    change: &Change,
    quiet: bool,
) -> Result<ExitCode> {
    let (now, at) = super::now_and_past(root, now, at)?;
    let out = match record::record(root, now, at, id, change) {
        Ok(out) => out,
        Err(e) => {
            if let Some(f) = e.downcast_ref::<Finding>() {
                eprintln!("error: {f}");
                return Ok(ExitCode::from(1));
            }
            return Err(e);
        }
    };
    let mut text = if out.recorded.is_empty() {
        format!(
            "nothing is owed for {id} at {}: no notice is due or late, {} is unchanged\n",
            time::format_local(at, &out.site.config.timezone, None),
            out.file
        )
    } else {
        format!("recorded in {}:\n", out.file)
    };
    for line in &out.recorded {
        text.push_str(&format!("  {line}\n"));
    }
    if !quiet {
        let rep = due::report(&out.site, now, &[id.to_owned()])?;
        text.push('\n');
        text.push_str(&due::human(&out.site, &rep, term::color_enabled()));
    }
    term::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
