//! `sitrep draft ID KIND`: print a notice to send; writes nothing.

use crate::authoring::draft;
use crate::{load, term};
use anyhow::Result;
use clap::ValueEnum;
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The recipients, the subject and the body, to copy
    Text,
    /// An RFC 5322 message that a mail client opens as a draft
    Eml,
}

pub fn run(
    root: &Path,
    now: Option<&str>,
    at: Option<&str>,
    id: &str,
    kind: &str,
    format: Format,
    from: Option<&str>,
) -> Result<ExitCode> {
    let (_, at) = super::now_and_past(root, now, at)?;
    let site = load::load(root)?;
    let notice = draft::draft(site, id, kind, at)?;
    let text = match format {
        Format::Text => draft::text(&notice),
        Format::Eml => draft::eml(&notice, from)?,
    };
    term::print(&text)?;
    Ok(ExitCode::SUCCESS)
}
