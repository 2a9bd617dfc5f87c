use crate::render::BuildOptions;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

pub fn run(_root: &Path, _opts: &BuildOptions, _bind: &str, _port: u16) -> Result<ExitCode> {
    anyhow::bail!("serve is not implemented yet")
}
