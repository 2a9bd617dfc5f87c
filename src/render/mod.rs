//! Rendering the site: pages, search index, sitemap, and the build itself.

pub mod api;
pub mod badges;
pub mod build;
pub mod feeds;
pub mod init;
pub mod pages;
pub mod status;
pub mod theme;

use crate::check;
use crate::cli::resolve_now;
use crate::diag::Diagnostic;
use crate::load;
use crate::model::site::Site;
use anyhow::Result;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub public: bool,
    pub now: Option<String>,
}

/// The result of loading, checking and (when inputs are clean) rendering.
pub struct Rendered {
    pub site: Site,
    pub diags: Vec<Diagnostic>,
    /// `None` when an input error stands.
    pub files: Option<pages::Files>,
}

/// load → check → render, all in memory.
pub fn render_site(root: &Path, opts: &BuildOptions) -> Result<Rendered> {
    let mut site = load::load(root)?;
    if let Some(b) = &opts.base_url {
        site.config.base_url = b.clone();
    }
    let now = resolve_now(opts.now.as_deref(), &site.config.timezone)?;
    let diags = check::check(&site, now);
    let blocked = diags
        .iter()
        .any(|d| d.is_input() && !d.waived && d.level == crate::diag::Level::Error);
    if blocked {
        return Ok(Rendered {
            site,
            diags,
            files: None,
        });
    }
    let theme = theme::load(root, &site.config.theme)?;
    let r = pages::Renderer::new(&site, &diags, now, opts.public, opts.drafts, &theme);
    let files = r.render_all()?;
    Ok(Rendered {
        site,
        diags,
        files: Some(files),
    })
}
