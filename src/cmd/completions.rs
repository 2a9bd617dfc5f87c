//! `sitrep completions SHELL`: completions from the same definitions as
//! `--help` (clap_complete).

use anyhow::Result;
use clap::CommandFactory;
use std::process::ExitCode;

pub fn run(shell: clap_complete::Shell) -> Result<ExitCode> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut crate::cli::Cli::command(), "sitrep", &mut out);
    crate::term::print(&String::from_utf8_lossy(&out))?;
    Ok(ExitCode::SUCCESS)
}
