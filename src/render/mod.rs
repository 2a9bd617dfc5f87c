//! Rendering the site: pages, search index, sitemap, and the build itself.

pub mod build;
pub mod init;

use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub public: bool,
    pub now: Option<String>,
}
