//! `sitrep policy`: the policy in force, as YAML to paste under `policy:`.

use crate::diag::Level;
use crate::{load, term};
use anyhow::{anyhow, Result};
use std::path::Path;
use std::process::ExitCode;

pub fn run(root: &Path) -> Result<ExitCode> {
    let (cfg, diags) = load::load_config(root)?;
    if let Some(d) = diags.iter().find(|d| d.level == Level::Error) {
        return Err(anyhow!(
            "{}:{}:{}: {} [{}]",
            d.file,
            d.line,
            d.column,
            d.message,
            d.rule.id
        ));
    }
    term::print(&cfg.policy.to_yaml())?;
    Ok(ExitCode::SUCCESS)
}
