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
    /// Replace an output folder that sitrep did not write, or that holds
    /// the other view (never the site's own folders).
    pub force: bool,
}

/// The result of loading, checking and (when inputs are clean) rendering.
pub struct Rendered {
    pub site: Site,
    pub diags: Vec<Diagnostic>,
    /// `None` when an input error stands.
    pub files: Option<pages::Files>,
}

/// A site loaded and checked, ready to render.
pub struct Checked {
    pub site: Site,
    pub diags: Vec<Diagnostic>,
    pub now: crate::model::incident::Time,
}

impl Checked {
    /// Whether an input error stands (then nothing may be rendered).
    pub fn blocked(&self) -> bool {
        self.diags
            .iter()
            .any(|d| d.is_input() && !d.waived && d.level == crate::diag::Level::Error)
    }
}

/// load → check.
pub fn load_and_check(root: &Path, opts: &BuildOptions) -> Result<Checked> {
    let mut site = load::load(root)?;
    if let Some(b) = &opts.base_url {
        site.config.base_url = b.clone();
    }
    let now = resolve_now(opts.now.as_deref(), &site.config.timezone)?;
    let diags = check::check(&site, now);
    Ok(Checked { site, diags, now })
}

/// load → check → render, all in memory.
pub fn render_site(root: &Path, opts: &BuildOptions) -> Result<Rendered> {
    let c = load_and_check(root, opts)?;
    if c.blocked() {
        return Ok(Rendered {
            site: c.site,
            diags: c.diags,
            files: None,
        });
    }
    let theme = theme::load(root, &c.site.config.theme)?;
    let r = pages::Renderer::new(&c.site, &c.diags, c.now, opts.public, opts.drafts, &theme);
    let files = r.render_all()?;
    Ok(Rendered {
        site: c.site,
        diags: c.diags,
        files: Some(files),
    })
}
