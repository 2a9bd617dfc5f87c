//! `sitrep due`: the incident manager's checklist.

use crate::cli::DueFormat;
use anyhow::{bail, Result};
use std::path::Path;
use std::process::ExitCode;

pub fn run(
    _root: &Path,
    _now: Option<&str>,
    _ids: &[String],
    _format: DueFormat,
) -> Result<ExitCode> {
    bail!("`sitrep due` is not implemented yet")
}
