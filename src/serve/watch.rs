//! Watching the site folder: notify events, filtered and debounced.

use notify::{RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Quiet time that ends a burst of events (editors write a temp file, then
/// rename it), and the longest a burst may delay a rebuild.
const QUIET: Duration = Duration::from_millis(15);
const MAX_WAIT: Duration = Duration::from_millis(300);

pub struct SiteWatcher {
    _watcher: notify::RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    root: PathBuf,
    output: PathBuf,
}

/// Whether a changed path can matter to the site: not the output folder,
/// version control, build folders, or an editor's temporary file.
pub fn relevant(rel: &str, output_dir: &str) -> bool {
    let out = output_dir.trim_matches('/');
    if rel.is_empty() || (!out.is_empty() && (rel == out || rel.starts_with(&format!("{out}/")))) {
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
    pub fn new(root: &Path, output_dir: &str) -> notify::Result<SiteWatcher> {
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(move |ev| {
            let _ = tx.send(ev);
        })?;
        watcher.watch(root, RecursiveMode::Recursive)?;
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        Ok(SiteWatcher {
            _watcher: watcher,
            rx,
            output: root.join(output_dir),
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
        let out_rel = self.rel(&self.output).unwrap_or_default();
        for p in &ev.paths {
            if let Some(rel) = self.rel(p) {
                if relevant(&rel, &out_rel) && !into.contains(&rel) {
                    into.push(rel);
                }
            }
        }
    }

    /// Blocks until a burst of relevant changes has settled; returns the
    /// changed paths, relative to the site, sorted. `None` when the watcher
    /// has stopped.
    pub fn next_batch(&self) -> Option<Vec<String>> {
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
        assert!(relevant("content/a.md", "public"));
        assert!(relevant("sitrep.yaml", "public"));
        assert!(!relevant("public/index.html", "public"));
        assert!(!relevant(".git/index", "public"));
        assert!(!relevant("content/.a.md.swp", "public"));
        assert!(!relevant("content/a.md~", "public"));
        assert!(!relevant("content/4913", "public"));
        assert!(relevant("publications/a.md", "public"));
    }
}
