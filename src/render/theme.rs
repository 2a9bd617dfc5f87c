//! The theme: templates and static files embedded from `themes/default/`,
//! overridden file by file by the site's `themes/<name>/`.

use anyhow::{Context, Result};
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::Path;
use tera::Tera;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub struct Theme {
    pub tera: Tera,
    /// Static files by path below `static/`.
    pub statics: BTreeMap<String, Vec<u8>>,
}

fn walk(dir: &Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
    for f in dir.files() {
        out.push((f.path().to_string_lossy().replace('\\', "/"), f.contents()));
    }
    for d in dir.dirs() {
        walk(d, out);
    }
}

fn read_dir_files(base: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    if !base.is_dir() {
        return out;
    }
    for e in walkdir::WalkDir::new(base)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if !e.file_type().is_file() {
            continue;
        }
        if let (Ok(rel), Ok(bytes)) = (e.path().strip_prefix(base), std::fs::read(e.path())) {
            out.push((rel.to_string_lossy().replace('\\', "/"), bytes));
        }
    }
    out
}

pub fn load(root: &Path, name: &str) -> Result<Theme> {
    let mut embedded = Vec::new();
    walk(&DEFAULT_THEME, &mut embedded);
    let mut templates: BTreeMap<String, String> = BTreeMap::new();
    let mut statics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (path, bytes) in embedded {
        if let Some(t) = path.strip_prefix("templates/") {
            templates.insert(t.to_owned(), String::from_utf8_lossy(bytes).into_owned());
        } else if let Some(s) = path.strip_prefix("static/") {
            statics.insert(s.to_owned(), bytes.to_vec());
        }
    }
    let site_theme = root.join("themes").join(name);
    for (rel, bytes) in read_dir_files(&site_theme.join("templates")) {
        let text = String::from_utf8(bytes)
            .with_context(|| format!("themes/{name}/templates/{rel} is not UTF-8"))?;
        templates.insert(rel, text);
    }
    for (rel, bytes) in read_dir_files(&site_theme.join("static")) {
        statics.insert(rel, bytes);
    }
    for (rel, bytes) in read_dir_files(&root.join("static")) {
        statics.insert(rel, bytes);
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(crate::escape::markup);
    tera.add_raw_templates(templates.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|e| anyhow::anyhow!("theme templates: {}", tera_error(&e)))?;
    Ok(Theme { tera, statics })
}

/// Tera errors nest their cause; show the whole chain.
pub fn tera_error(e: &tera::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}
