//! `sitrep init [DIR]`: a new site, dated from `--now`.

use crate::{authoring, time};
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(dir: &Path, now: Option<&str>) -> Result<ExitCode> {
    // A new site's time zone is UTC (its sitrep.yaml says so).
    let now = time::resolve_now(now, &time::Zone::default())?;
    let said = authoring::init::init(dir, now)?;
    crate::term::print(&said)?;
    Ok(ExitCode::SUCCESS)
}
