use super::BuildOptions;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(_root: &Path, _opts: &BuildOptions) -> Result<ExitCode> {
    anyhow::bail!("build is not implemented yet")
}
