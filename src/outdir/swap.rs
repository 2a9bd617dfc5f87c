//! Swapping a new output in: it is written into a fresh folder beside the
//! old one, then renamed into place, so a failed or interrupted build never
//! leaves a mix and readers never see half a site.

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn write_file(stage: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let path = stage.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// Whether the process `pid` (from a staging folder's name) still runs;
/// where that cannot be known, it is taken as gone.
fn running(pid: &str) -> bool {
    pid.parse::<u32>()
        .is_ok_and(|p| p != std::process::id() && Path::new("/proc").join(p.to_string()).exists())
}

/// What swapping the new output in cost.
#[derive(Default)]
pub struct Swap {
    pub renames_us: u128,
    pub remove_ms: u128,
}

/// Lets `fill` write the new output into a fresh folder beside `out`, then
/// swaps it in by renaming: a failure at any point leaves the previous
/// output as it was. `swap` receives the time the swap itself took.
pub fn swap_in<T>(out: &Path, swap: &mut Swap, fill: impl FnOnce(&Path) -> Result<T>) -> Result<T> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    if out.exists() && !out.is_dir() {
        bail!("{} exists and is not a folder", out.display());
    }
    let stage = parent.join(format!(".{name}.sitrep-new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.sitrep-old-{}", std::process::id()));
    // Folders left by builds that were killed: never swapped in, safe to go
    // (but not those of a build that is still running beside this one).
    if let Ok(entries) = std::fs::read_dir(&parent) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            let pid = n
                .strip_prefix(&format!(".{name}.sitrep-new-"))
                .or_else(|| n.strip_prefix(&format!(".{name}.sitrep-old-")));
            if pid.is_some_and(|p| !running(p)) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    if let Err(e) = std::fs::create_dir_all(&stage) {
        bail!(
            "cannot create {}: {e}; a build writes the new output beside {} and then swaps it in, \
             so {} must be writable (or build into a folder of your own and copy it)",
            stage.display(),
            out.display(),
            parent.display()
        );
    }
    let value = match fill(&stage) {
        Ok(v) => v,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&stage);
            return Err(e);
        }
    };
    let t = Instant::now();
    if std::fs::symlink_metadata(out).is_ok() {
        if let Err(e) = std::fs::rename(out, &old) {
            // A mount point or a busy folder: leave nothing of ours behind.
            let _ = std::fs::remove_dir_all(&stage);
            return Err(e)
                .with_context(|| format!("cannot move the previous {} aside", out.display()));
        }
    }
    if let Err(e) = std::fs::rename(&stage, out) {
        // Put the previous output back.
        let _ = std::fs::rename(&old, out);
        let _ = std::fs::remove_dir_all(&stage);
        return Err(e).with_context(|| format!("cannot move the new output to {}", out.display()));
    }
    swap.renames_us = t.elapsed().as_micros();
    // The old tree goes after the swap; readers already see the new one.
    // A tool that writes in place removes it before writing instead (or
    // leaves stale pages behind).
    let t = Instant::now();
    remove_tree(&old);
    swap.remove_ms = t.elapsed().as_millis();
    Ok(value)
}

/// Removes a folder tree using every core: each folder's entries go in
/// parallel (rayon splits the work), which takes about half the time of one
/// `remove_dir_all` on a 10,000-page site.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    // An output that was a link to a folder: the link goes, not what it
    // points at.
    if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        let _ = std::fs::remove_file(dir);
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let entries: Vec<_> = entries.flatten().collect();
    entries.par_iter().for_each(|e| {
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            remove_tree(&e.path());
        } else {
            let _ = std::fs::remove_file(e.path());
        }
    });
    let _ = std::fs::remove_dir(dir);
}

#[cfg(test)]
mod tests {
    use super::remove_tree;

    #[test]
    fn removes_a_tree_but_not_what_its_links_point_at() {
        let tmp = tempfile::tempdir().unwrap();
        let keep = tmp.path().join("keep");
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::write(keep.join("precious"), "x").unwrap();
        let old = tmp.path().join("old");
        for d in ["a/b/c", "a/d", "e"] {
            std::fs::create_dir_all(old.join(d)).unwrap();
            std::fs::write(old.join(d).join("index.html"), "<p>").unwrap();
        }
        std::fs::write(old.join("top.json"), "{}").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(&keep, old.join("a/link")).unwrap();
        remove_tree(&old);
        assert!(!old.exists());
        assert!(keep.join("precious").exists());
    }
}
