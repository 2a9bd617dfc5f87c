//! `sitrep man`: the man page in roff, from the same definitions as
//! `--help` (clap_mangen): the options and a line per subcommand, whose own
//! options `sitrep COMMAND --help` prints.

use anyhow::{Context, Result};
use clap::CommandFactory;
use std::process::ExitCode;

pub fn run() -> Result<ExitCode> {
    let mut out = Vec::new();
    clap_mangen::Man::new(crate::cli::Cli::command())
        .render(&mut out)
        .context("cannot write the man page")?;
    crate::term::print(&String::from_utf8_lossy(&out))?;
    Ok(ExitCode::SUCCESS)
}
