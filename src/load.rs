//! Walks a site folder and reads every file with positions.

use crate::diag::rules;
use crate::diag::Diagnostic;
use crate::model::config::{self, Config, CONFIG_FILE};
use crate::model::incident;
use crate::model::runbook;
use crate::model::site::Site;
use crate::yaml::Pos;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use thiserror::Error;
use walkdir::WalkDir;

/// Files larger than this are refused rather than parsed.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Error)]
pub enum LoadError {
    #[error("no sitrep.yaml in {0}: run `sitrep init` to create a site, or pass --root DIR")]
    NoConfig(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A file's text, or a diagnostic saying why it cannot be read as text.
#[allow(clippy::result_large_err)] // one per unreadable file, never hot
pub fn read_text(root: &Path, rel: &str) -> Result<String, Diagnostic> {
    use std::io::Read;
    let cannot = |e: std::io::Error| {
        Diagnostic::new(
            &rules::YAML,
            rel,
            Pos::START,
            format!("cannot read the file: {e}"),
        )
    };
    // One open: the size comes from the open file, not a second lookup of
    // the path (100,000 records are 100,000 path walks fewer).
    let mut file = std::fs::File::open(root.join(rel)).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if len > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            &rules::YAML,
            rel,
            Pos::START,
            format!("the file is {len} bytes; sitrep reads files up to {MAX_FILE_BYTES} bytes"),
        )
        .help("split it into smaller files"));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.read_to_end(&mut bytes).map_err(cannot)?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e
            .as_bytes()
            .get(..e.utf8_error().valid_up_to())
            .unwrap_or(&[]);
        let text = String::from_utf8_lossy(valid);
        let line = text.matches('\n').count() as u32 + 1;
        let col = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        Diagnostic::new(
            &rules::YAML,
            rel,
            Pos::new(line, col),
            "the file is not UTF-8 text",
        )
        .help("save the file as UTF-8")
    })
}

/// Relative, `/`-separated paths of the files below `dir` with one of the
/// extensions, sorted. Symlinks are not followed, so loops cannot hang it.
fn files(root: &Path, dir: &str, exts: &[&str]) -> Vec<String> {
    files_where(root, dir, &|ext| exts.contains(&ext))
}

/// The files below `content/` that are not Markdown (images, diagrams,
/// downloads): copied beside their pages.
pub fn content_assets(root: &Path) -> Vec<String> {
    inside_site(root, files_where(root, "content", &|ext| ext != "md"))
}

/// The files of `content/` that are published: a link may point anywhere,
/// and what it points to is published only when it lies inside the site
/// (a link to `~/.ssh/id_rsa` or `/proc/self/environ` slipped into a pull
/// request must not end up on the web server).
fn inside_site(root: &Path, files: Vec<String>) -> Vec<String> {
    if !files.iter().any(|f| root.join(f).is_symlink()) {
        return files;
    }
    let inside = root.canonicalize().ok();
    files
        .into_iter()
        .filter(|rel| {
            let p = root.join(rel);
            !p.is_symlink()
                || matches!((p.canonicalize(), &inside), (Ok(t), Some(r)) if t.starts_with(r))
        })
        .collect()
}

/// Files below `dir` whose extension (`""` for none) passes `keep`;
/// hidden files and folders (`.git/`, `.github/`) are left out.
fn files_where(root: &Path, dir: &str, keep: &dyn Fn(&str) -> bool) -> Vec<String> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut out: Vec<String> = WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        // A link to a file is read as the file (a record kept elsewhere and
        // linked in); links to folders are not followed.
        .filter(|e| e.file_type().is_file() || (e.path_is_symlink() && e.path().is_file()))
        .filter(|e| keep(e.path().extension().and_then(|s| s.to_str()).unwrap_or("")))
        .filter_map(|e| {
            let rel = e.path().strip_prefix(root).ok()?;
            // Unix paths already use `/`: one copy, not one per part.
            if cfg!(unix) {
                return Some(rel.to_string_lossy().into_owned());
            }
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            Some(parts.join("/"))
        })
        .collect();
    out.sort();
    out
}

/// Reads one runbook (`rel` is `content/…`); an unreadable file is a
/// runbook with an input error.
pub fn read_runbook(
    root: &Path,
    rel: &str,
    config: &Config,
) -> (runbook::Runbook, Vec<Diagnostic>) {
    let below = rel.strip_prefix("content/").unwrap_or(rel);
    match read_text(root, rel) {
        Ok(text) => runbook::read(rel, below, &text, config),
        Err(d) => {
            let (mut rb, _) = runbook::read(rel, below, "", config);
            rb.input_errors = true;
            (rb, vec![d])
        }
    }
}

/// Reads one record (`rel` is `incidents/…`).
pub fn read_record(root: &Path, rel: &str, config: &Config) -> (incident::Record, Vec<Diagnostic>) {
    match read_text(root, rel) {
        Ok(text) => incident::read(rel, &text, config),
        Err(d) => {
            let (mut rec, _) = incident::read(rel, "", config);
            rec.input_errors = true;
            (rec, vec![d])
        }
    }
}

/// Whether a site-relative path is a runbook or a record sitrep reads.
pub fn is_runbook_path(rel: &str) -> bool {
    rel.starts_with("content/") && rel.ends_with(".md") && !hidden(rel)
}

pub fn is_record_path(rel: &str) -> bool {
    rel.starts_with("incidents/")
        && (rel.ends_with(".yaml") || rel.ends_with(".yml"))
        && !hidden(rel)
}

/// A file or folder whose name starts with `.` (`.git/`, `.a.md.swp`).
fn hidden(rel: &str) -> bool {
    rel.split('/').any(|n| n.starts_with('.'))
}

/// A file under `content/` that is copied, not read: an image, a diagram.
pub fn is_asset_path(rel: &str) -> bool {
    rel.starts_with("content/") && !rel.ends_with(".md") && !hidden(rel)
}

/// Reads sitrep.yaml alone (for commands that need only the configuration).
pub fn load_config(root: &Path) -> Result<(Config, Vec<Diagnostic>), LoadError> {
    let path = root.join(CONFIG_FILE);
    if !path.is_file() {
        return Err(LoadError::NoConfig(root.to_path_buf()));
    }
    match read_text(root, CONFIG_FILE) {
        Ok(text) => Ok(config::read(&text)),
        Err(d) => Ok((Config::default(), vec![d])),
    }
}

/// Loads the whole site. Every file is read, in parallel; one bad file
/// never hides the others.
pub fn load(root: &Path) -> Result<Site, LoadError> {
    let (config, mut diags) = load_config(root)?;
    let md = inside_site(root, files(root, "content", &["md"]));
    let yml = files(root, "incidents", &["yaml", "yml"]);

    let phase = crate::progress::Phase::new("reading", md.len() + yml.len());
    let runbooks: Vec<_> = md
        .par_iter()
        .map(|rel| {
            phase.inc();
            read_runbook(root, rel, &config)
        })
        .collect();
    let records: Vec<_> = yml
        .par_iter()
        .map(|rel| {
            phase.inc();
            read_record(root, rel, &config)
        })
        .collect();
    phase.finish();

    let mut rbs = Vec::with_capacity(runbooks.len());
    for (rb, d) in runbooks {
        rbs.push(rb);
        diags.extend(d);
    }
    let mut recs = Vec::with_capacity(records.len());
    for (rec, d) in records {
        recs.push(rec);
        diags.extend(d);
    }
    let mut site = Site::new(root.to_path_buf(), config, rbs, recs, diags);
    site.assets = content_assets(root);
    Ok(site)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A linked file under `content/` is copied when it lies inside the
    /// site, never when it points outside.
    #[cfg(unix)]
    #[test]
    fn linked_files_outside_the_site_are_not_published() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "key").unwrap();
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        std::fs::create_dir_all(r.join("content/img")).unwrap();
        std::fs::write(r.join("content/img/a.png"), "PNG").unwrap();
        std::os::unix::fs::symlink(r.join("content/img/a.png"), r.join("content/b.png")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), r.join("content/c.txt"))
            .unwrap();
        assert_eq!(content_assets(r), ["content/b.png", "content/img/a.png"]);
        // Nor is a page: `passwd.md` → /etc/passwd is no runbook.
        std::fs::write(outside.path().join("notes.md"), "# Notes\n").unwrap();
        std::os::unix::fs::symlink(outside.path().join("notes.md"), r.join("content/n.md"))
            .unwrap();
        std::fs::write(r.join("sitrep.yaml"), "title: T\n").unwrap();
        let site = load(r).unwrap();
        assert!(site.runbooks.is_empty(), "{:?}", site.runbooks.len());
    }

    /// A file that cannot be read (here: a folder, since root reads any
    /// file whatever its mode) is a positioned `yaml` diagnostic.
    #[test]
    fn unreadable_files_are_diagnostics() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("incidents/x.yaml")).unwrap();
        let diag = read_text(d.path(), "incidents/x.yaml").unwrap_err();
        assert_eq!(diag.rule.id, "yaml");
        assert_eq!((diag.line, diag.column), (1, 1));
        assert!(
            diag.message.starts_with("cannot read the file"),
            "{}",
            diag.message
        );
        let missing = read_text(d.path(), "incidents/none.yaml").unwrap_err();
        assert!(missing.message.starts_with("cannot read the file"));
    }

    #[test]
    fn non_utf8_points_at_the_first_bad_byte() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a.yaml"), b"id: x\ntitle: caf\xe9\n").unwrap();
        let diag = read_text(d.path(), "a.yaml").unwrap_err();
        assert_eq!((diag.line, diag.column), (2, 11));
    }
}
