//! One module per subcommand: each maps its arguments to library calls and
//! an exit code. `--now` is resolved here, once, and passed down as a time.
//! Only commands print their results (`clippy::print_stdout` elsewhere).
#![allow(clippy::print_stdout)]

pub mod build;
pub mod check;
pub mod completions;
pub mod draft;
pub mod due;
pub mod import;
pub mod init;
pub mod man;
pub mod new;
pub mod policy;
pub mod record;
pub mod report;
pub mod serve;

use crate::model::incident::Time;
use crate::{load, time};
use anyhow::Result;
use std::path::Path;

/// `--now` (or the wall clock) in the site's time zone, read from its
/// sitrep.yaml; a site without one is reported by the load that follows.
pub fn now_at(root: &Path, now: Option<&str>) -> Result<Time> {
    time::resolve_now(now, &site_zone(root))
}

/// `--now`, and `--at` for what has happened (a bare `HH:MM` ahead of now
/// is yesterday's), both in the site's time zone.
pub fn now_and_past(root: &Path, now: Option<&str>, at: Option<&str>) -> Result<(Time, Time)> {
    let zone = site_zone(root);
    let now = time::resolve_now(now, &zone)?;
    Ok((now, time::resolve_past(at, &zone, now)?))
}

fn site_zone(root: &Path) -> time::Zone {
    load::load_config(root)
        .map(|(c, _)| c.timezone)
        .unwrap_or_default()
}
