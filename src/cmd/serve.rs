//! `sitrep serve`: build into memory and serve it, rebuilding on save.

use crate::pipeline::BuildOptions;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(
    root: &Path,
    now: Option<&str>,
    opts: BuildOptions,
    bind: &str,
    port: u16,
    open: bool,
) -> Result<ExitCode> {
    let opts = BuildOptions {
        now: super::now_at(root, now)?,
        ..opts
    };
    crate::serve::run(root, &opts, bind, port, open)
}
