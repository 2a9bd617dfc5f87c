//! Watching the site folder: notify events, filtered and debounced.

use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Quiet time that ends a burst of events (editors write a temp file, then
/// rename it), and the longest a burst may delay a rebuild.
const QUIET: Duration = Duration::from_millis(15);
const MAX_WAIT: Duration = Duration::from_millis(300);

pub(super) struct SiteWatcher {
    _watcher: notify::RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    /// Both views' output folders: a build there must not trigger a rebuild.
    outputs: Vec<PathBuf>,
}

/// Whether a changed path can matter to the site: not the output folder,
/// version control, build folders, or an editor's temporary file.
pub(super) fn relevant(rel: &str, output_dirs: &[String]) -> bool {
    let inside = |out: &String| {
        let out = out.trim_matches('/');
        !out.is_empty() && (rel == out || rel.starts_with(&format!("{out}/")))
    };
    if rel.is_empty() || output_dirs.iter().any(inside) {
        return false;
    }
    let first = rel.split('/').next().unwrap_or("");
    if matches!(first, ".git" | "target" | "node_modules") {
        return false;
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    !(name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913")
}

impl SiteWatcher {
    pub(super) fn new(root: &Path, output_dirs: &[&str]) -> notify::Result<SiteWatcher> {
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |ev| {
            let _ = tx.send(ev);
        })?;
        watcher.watch(root, RecursiveMode::Recursive)?;
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        Ok(SiteWatcher {
            _watcher: watcher,
            rx,
            outputs: output_dirs.iter().map(|d| root.join(d)).collect(),
            root,
        })
    }

    fn rel(&self, p: &Path) -> Option<String> {
        let p = p.strip_prefix(&self.root).ok()?;
        let parts: Vec<String> = p
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        Some(parts.join("/"))
    }

    fn collect(&self, ev: notify::Result<notify::Event>, into: &mut Vec<String>) {
        let Ok(ev) = ev else { return };
        if matches!(ev.kind, notify::EventKind::Access(_)) {
            return;
        }
        let outs: Vec<String> = self.outputs.iter().filter_map(|o| self.rel(o)).collect();
        for p in &ev.paths {
            if let Some(rel) = self.rel(p) {
                if relevant(&rel, &outs) && !into.contains(&rel) {
                    into.push(rel);
                }
            }
        }
    }

    /// Blocks until a burst of relevant changes has settled; returns the
    /// changed paths, relative to the site, sorted. `None` when the watcher
    /// has stopped.
    pub(super) fn next_batch(&self) -> Option<Vec<String>> {
        let mut changed = Vec::new();
        loop {
            let first = self.rx.recv().ok()?;
            self.collect(first, &mut changed);
            if !changed.is_empty() {
                break;
            }
        }
        let start = Instant::now();
        while start.elapsed() < MAX_WAIT {
            match self.rx.recv_timeout(QUIET) {
                Ok(ev) => self.collect(ev, &mut changed),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        changed.sort();
        Some(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::relevant;

    #[test]
    fn filters() {
        let outs = ["internal".to_owned(), "public".to_owned()];
        assert!(relevant("content/a.md", &outs));
        assert!(relevant("sitrep.yaml", &outs));
        assert!(!relevant("public/index.html", &outs));
        assert!(!relevant("internal/index.html", &outs));
        assert!(!relevant(".git/index", &outs));
        assert!(!relevant("content/.a.md.swp", &outs));
        assert!(!relevant("content/a.md~", &outs));
        assert!(!relevant("content/4913", &outs));
        assert!(relevant("publications/a.md", &outs));
    }
}
