//! `sitrep new incident` and `sitrep new runbook`.

use crate::cli::NewCommand;
use anyhow::{bail, Result};
use std::path::Path;
use std::process::ExitCode;

pub fn run(_root: &Path, _now: Option<&str>, _what: NewCommand) -> Result<ExitCode> {
    bail!("`sitrep new` is not implemented yet")
}
