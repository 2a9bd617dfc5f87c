//! Where a build may write (CLI.md, "Output folders"): the view mark that
//! sitrep leaves in every output folder, and the guard that refuses to
//! replace a folder sitrep does not own.
//!
//! A build replaces its output folder whole, so the guard runs before
//! anything is written: a refused build changes nothing on disk.

pub mod swap;

use crate::model::config::{Config, SITE_FOLDERS};
use anyhow::{bail, Result};
use std::path::{Component, Path, PathBuf};

/// The file in every output folder that says which view it holds. A dot
/// file, so that static servers that hide dot files do not publish it; its
/// text names only the view, so publishing it leaks nothing.
pub const MARK_FILE: &str = ".sitrep-output";

/// Which of the two views (SITE.md) an output holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Internal,
    Public,
}

impl View {
    pub fn from_public(public: bool) -> View {
        if public {
            View::Public
        } else {
            View::Internal
        }
    }

    pub fn other(self) -> View {
        match self {
            View::Internal => View::Public,
            View::Public => View::Internal,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            View::Internal => "internal",
            View::Public => "public",
        }
    }

    /// The text of [`MARK_FILE`] for this view.
    pub fn mark(self) -> String {
        format!(
            "# Written by sitrep: this folder holds the {} view of a sitrep site.\n\
             # sitrep replaces this folder on every build; keep no files of your own here.\n\
             view: {}\n",
            self.name(),
            self.name()
        )
    }

    /// The view named in a mark's text, if any.
    fn from_mark(text: &str) -> Option<View> {
        text.lines()
            .find_map(|l| l.strip_prefix("view:"))
            .and_then(|v| match v.trim() {
                "internal" => Some(View::Internal),
                "public" => Some(View::Public),
                _ => None,
            })
    }
}

/// What a folder holds, as far as the guard is concerned.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    Absent,
    Empty,
    Marked(View),
    /// A folder with entries and no readable mark: the count of entries.
    Foreign(usize),
    NotAFolder,
}

fn inspect(out: &Path) -> Result<Found> {
    let Ok(meta) = std::fs::symlink_metadata(out) else {
        return Ok(Found::Absent);
    };
    // The guard passes the folder with its links followed; a link left here
    // is one to nothing, which holds nothing of ours.
    if meta.file_type().is_symlink() {
        return Ok(Found::Foreign(1));
    }
    if !meta.is_dir() {
        return Ok(Found::NotAFolder);
    }
    let entries = match std::fs::read_dir(out) {
        Ok(e) => e.count(),
        Err(e) => bail!("cannot read the output folder {}: {e}", out.display()),
    };
    if entries == 0 {
        return Ok(Found::Empty);
    }
    let view = std::fs::read_to_string(out.join(MARK_FILE))
        .ok()
        .and_then(|t| View::from_mark(&t));
    Ok(view.map_or(Found::Foreign(entries), Found::Marked))
}

/// `path` made absolute, with `.` and `..` resolved and every link in the
/// part that exists followed, so that two names of one folder compare
/// equal even when the folder does not exist yet.
pub fn resolve(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    // Lexical first, so `a/../b` does not depend on whether `a` exists.
    let mut clean = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                clean.pop();
            }
            Component::CurDir => {}
            other => clean.push(other),
        }
    }
    // Then follow links through the longest part that exists.
    let mut rest = Vec::new();
    let mut head = clean.clone();
    loop {
        if let Ok(real) = head.canonicalize() {
            let mut p = real;
            for name in rest.iter().rev() {
                p.push(name);
            }
            return p;
        }
        match (head.file_name().map(|n| n.to_owned()), head.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                head = parent.to_path_buf();
            }
            _ => return clean,
        }
    }
}

/// Refuses (with a one-line reason and the fix) an output folder that a
/// build of `view` may not replace; else returns the folder to swap the new
/// output into: `out` with its links followed, so that a link to a web
/// server's folder stays a link and that folder is updated. `shown` is the
/// folder as the user should read it; `other` is the other view's folder.
pub fn guard(
    root: &Path,
    out: &Path,
    shown: &str,
    view: View,
    force: bool,
    other: &Path,
) -> Result<PathBuf> {
    if let Some(to) = dangling_link(out) {
        bail!(
            "refusing to build into {shown}: it is a link to {}, which does not exist; \
             create that folder or remove the link",
            to.display()
        );
    }
    let target = resolve(out);
    let site = resolve(root);
    let own = match view {
        View::Internal => "internal/",
        View::Public => "public/",
    };
    let never = |why: String| -> Result<PathBuf> {
        bail!(
            "refusing to build into {shown}: {why}; a build replaces its output folder whole, \
             so choose a folder of its own with --output (such as {own}); --force cannot override this"
        )
    };
    if target.parent().is_none() {
        return never("it is the root of the file system".into());
    }
    if target == site {
        return never("it is the site folder itself".into());
    }
    if site.starts_with(&target) {
        return never(format!("it contains the site folder ({})", site.display()));
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let home = resolve(Path::new(&home));
        if target == home {
            return never("it is your home folder".into());
        }
        if home.starts_with(&target) {
            return never(format!("it contains your home folder ({})", home.display()));
        }
    }
    for (name, what) in SITE_FOLDERS {
        let p = resolve(&root.join(name));
        if target == p {
            return never(format!("it is {name}, {what}"));
        }
        if target.starts_with(&p) {
            return never(format!("it is inside {name}, {what}"));
        }
        if p.starts_with(&target) {
            return never(format!("it contains {name}, {what}"));
        }
    }
    // One view inside the other's folder would be published with it (the
    // internal view inside public/) or deleted by its next build.
    let other_dir = resolve(other);
    let other_name = view.other().name();
    if target != other_dir && target.starts_with(&other_dir) {
        return never(format!(
            "it is inside {}, the {other_name} view's folder",
            shown_path(other)
        ));
    }
    if target != other_dir && other_dir.starts_with(&target) {
        return never(format!(
            "it contains {}, the {other_name} view's folder",
            shown_path(other)
        ));
    }
    match inspect(&target)? {
        Found::Absent | Found::Empty => Ok(target),
        Found::Marked(v) if v == view => Ok(target),
        Found::NotAFolder => bail!(
            "refusing to build into {shown}: it is a file, not a folder; remove it or choose another --output"
        ),
        _ if force => Ok(target),
        Found::Marked(v) => bail!(
            "refusing to replace {shown}: it holds sitrep's {} view and this build writes the {} view; \
             build into {} instead (`--output`, or `{}` in sitrep.yaml), or pass --force to replace it",
            v.name(),
            view.name(),
            own,
            match view {
                View::Internal => "output_dir",
                View::Public => "public_output_dir",
            }
        ),
        Found::Foreign(n) => bail!(
            "refusing to replace {shown}: it holds {n} {} that sitrep did not write (no {MARK_FILE} mark); \
             move what is there or choose another --output, or pass --force to replace the folder",
            if n == 1 { "entry" } else { "entries" }
        ),
    }
}

/// Where a build of `view` goes: `--output` as given, else the view's folder
/// of sitrep.yaml below the root; the same as the user should read it
/// (ending in `/`); and the other view's folder, which it must keep clear of.
pub fn folders(
    root: &Path,
    output: Option<&Path>,
    view: View,
    config: &Config,
) -> (PathBuf, String, PathBuf) {
    let path = match output {
        Some(o) => o.to_path_buf(),
        None if view == View::Public => root.join(&config.public_output_dir),
        None => root.join(&config.output_dir),
    };
    let mut shown = shown_path(&path);
    if !shown.ends_with('/') {
        shown.push('/');
    }
    let other = root.join(match view {
        View::Internal => &config.public_output_dir,
        View::Public => &config.output_dir,
    });
    (path, shown, other)
}

/// A path as the user should read it: without a leading `./`.
pub fn shown_path(p: &Path) -> String {
    let s = p.display().to_string();
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_owned(),
        _ => s,
    }
}

/// Where `path` points when it is a link to nothing.
fn dangling_link(path: &Path) -> Option<PathBuf> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if meta.file_type().is_symlink() && std::fs::metadata(path).is_err() {
        return std::fs::read_link(path).ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_names_its_view() {
        for v in [View::Internal, View::Public] {
            assert_eq!(View::from_mark(&v.mark()), Some(v));
        }
        assert_eq!(View::from_mark("view: other\n"), None);
        assert_eq!(View::from_mark(""), None);
    }

    #[test]
    fn resolve_follows_dots_and_missing_parts() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("a")).unwrap();
        assert_eq!(resolve(&real.join("a/../b/c")), real.join("b/c"));
        assert_eq!(resolve(&real.join("a/./x")), real.join("a/x"));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(real.join("a"), real.join("l")).unwrap();
            assert_eq!(resolve(&real.join("l/new")), real.join("a/new"));
        }
    }

    #[test]
    fn what_a_folder_holds() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        assert_eq!(inspect(&d.join("none")).unwrap(), Found::Absent);
        std::fs::create_dir(d.join("empty")).unwrap();
        assert_eq!(inspect(&d.join("empty")).unwrap(), Found::Empty);
        std::fs::create_dir(d.join("mine")).unwrap();
        std::fs::write(d.join("mine").join(MARK_FILE), View::Public.mark()).unwrap();
        assert_eq!(
            inspect(&d.join("mine")).unwrap(),
            Found::Marked(View::Public)
        );
        std::fs::write(d.join("empty/x"), "").unwrap();
        assert_eq!(inspect(&d.join("empty")).unwrap(), Found::Foreign(1));
        assert_eq!(inspect(&d.join("empty/x")).unwrap(), Found::NotAFolder);
    }
}
