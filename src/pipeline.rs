//! load → check → render, written once: `build`, `serve`'s first build and
//! its full rebuilds all go through here.

use crate::check;
use crate::diag::{Diagnostic, Level};
use crate::load;
use crate::model::incident::Time;
use crate::model::site::Site;
use crate::render::theme::{self, Theme};
use crate::render::{Files, Renderer};
use anyhow::Result;
use std::path::{Path, PathBuf};

/// What a build is asked for. `now` was resolved once, by the command.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub public: bool,
    pub now: Time,
    /// Replace an output folder that sitrep did not write, or that holds
    /// the other view (never the site's own folders).
    pub force: bool,
}

/// A site loaded and checked, ready to render.
pub struct Checked {
    pub site: Site,
    pub diags: Vec<Diagnostic>,
    pub now: Time,
}

impl Checked {
    /// The unwaived input errors: while one stands, nothing may be rendered.
    pub fn input_errors(&self) -> Vec<Diagnostic> {
        input_errors(&self.diags)
    }

    /// Whether an input error stands.
    pub fn blocked(&self) -> bool {
        self.diags.iter().any(blocks)
    }

    /// The theme and the renderer of this site for the options' view.
    pub fn theme(&self, root: &Path) -> Result<Theme> {
        theme::load(root, &self.site.config.theme, &self.site.config.language)
    }

    pub fn renderer<'a>(&'a self, opts: &BuildOptions, theme: &'a Theme) -> Renderer<'a> {
        Renderer::new(
            &self.site,
            &self.diags,
            self.now,
            opts.public,
            opts.drafts,
            theme,
        )
    }
}

fn blocks(d: &Diagnostic) -> bool {
    d.is_input() && !d.waived && d.level == Level::Error
}

/// The unwaived input errors among `diags`.
pub fn input_errors(diags: &[Diagnostic]) -> Vec<Diagnostic> {
    diags.iter().filter(|d| blocks(d)).cloned().collect()
}

/// load → check, with `--base-url` applied.
pub fn load_and_check(root: &Path, opts: &BuildOptions) -> Result<Checked> {
    let mut site = load::load(root)?;
    if let Some(b) = &opts.base_url {
        site.config.base_url = b.clone();
    }
    let diags = check::check(&site, opts.now);
    Ok(Checked {
        site,
        diags,
        now: opts.now,
    })
}

/// The result of loading, checking and (when inputs are clean) rendering.
pub struct Rendered {
    pub checked: Checked,
    pub theme: Option<Theme>,
    /// `None` when an input error stands.
    pub files: Option<Files>,
}

/// load → check → render, all in memory (serve's full rebuilds, tests).
pub fn render_site(root: &Path, opts: &BuildOptions) -> Result<Rendered> {
    let checked = load_and_check(root, opts)?;
    if checked.blocked() {
        return Ok(Rendered {
            checked,
            theme: None,
            files: None,
        });
    }
    let theme = checked.theme(root)?;
    let files = checked.renderer(opts, &theme).render_all()?;
    Ok(Rendered {
        checked,
        theme: Some(theme),
        files: Some(files),
    })
}
