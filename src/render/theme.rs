//! The theme: templates and static files embedded from `themes/default/`,
//! overridden file by file by the site's `themes/<name>/`.

use anyhow::{Context, Result};
use include_dir::{include_dir, Dir};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use tera::Tera;

use crate::render::i18n::Strings;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub struct Theme {
    pub tera: Tera,
    /// The theme's words in the site's language (`t()` in templates).
    pub strings: Arc<Strings>,
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

/// A text file of the embedded default theme (`i18n/fr.yaml`).
pub fn embedded_text(path: &str) -> Option<&'static str> {
    DEFAULT_THEME.get_file(path).and_then(|f| f.contents_utf8())
}

/// `t(k="nav.status", n=3)`: the key's text with `{n}` filled in, escaped
/// like any other value.
struct Translate {
    strings: Arc<Strings>,
}

impl tera::Function for Translate {
    fn call(
        &self,
        args: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let key = args
            .get("k")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| tera::Error::msg("t() needs k=\"key\""))?;
        let text = self.strings.get(key);
        let value = |name: &str| -> Option<String> {
            args.get(name).map(|v| match v {
                tera::Value::String(s) => s.clone(),
                other => other.to_string(),
            })
        };
        let owned: Vec<(String, String)> = args
            .keys()
            .filter(|k| *k != "k")
            .filter_map(|k| value(k).map(|v| (k.clone(), v)))
            .collect();
        Ok(tera::Value::String(crate::render::i18n::fill(
            text,
            |name| {
                owned
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, v)| v.as_str())
            },
        )))
    }
}

/// `{{ t(k="key") }}` without arguments, written into the template as its
/// text when the theme loads: a page has a dozen, a site 10,000 pages, and
/// a function call per string would cost a fifth of the render.
fn inline_strings(template: &str, strings: &Strings) -> String {
    const OPEN: &str = "{{ t(k=\"";
    const CLOSE: &str = "\") }}";
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        match after.find(CLOSE) {
            Some(end) if !after[..end].contains(['"', '\n']) => {
                let text = crate::escape::markup(strings.get(&after[..end]));
                if text.contains(['{', '}']) {
                    // Kept as a call: Tera would read braces as its own.
                    out.push_str(&rest[at..at + OPEN.len() + end + CLOSE.len()]);
                } else {
                    out.push_str(&text);
                }
                rest = &after[end + CLOSE.len()..];
            }
            _ => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

pub fn load(root: &Path, name: &str, language: &str) -> Result<Theme> {
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
    let strings = Arc::new(Strings::load(root, language)?);
    for text in templates.values_mut() {
        *text = inline_strings(text, &strings);
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(crate::escape::markup);
    tera.add_raw_templates(templates.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|e| anyhow::anyhow!("theme templates: {}", tera_error(&e)))?;
    tera.register_function(
        "t",
        Translate {
            strings: strings.clone(),
        },
    );
    Ok(Theme {
        tera,
        statics,
        strings,
    })
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
