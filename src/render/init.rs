use anyhow::Result;
use std::path::Path;

pub fn init(_dir: &Path) -> Result<()> {
    anyhow::bail!("init is not implemented yet")
}
