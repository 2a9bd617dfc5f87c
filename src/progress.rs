//! Progress bars for long builds and checks: on a terminal only, never in
//! CI logs or when stderr is piped, and only once a phase has taken more
//! than a second, so that quick runs print nothing extra.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const SHOW_AFTER: Duration = Duration::from_secs(1);

/// One phase (`reading`, `rendering`) with a known count of steps.
pub struct Phase {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: AtomicBool,
}

fn enabled() -> bool {
    std::io::stderr().is_terminal()
        && !crate::term::quiet()
        && std::env::var_os("CI").is_none()
        && std::env::var_os("NO_PROGRESS").is_none()
}

impl Phase {
    pub fn new(name: &str, total: usize) -> Phase {
        let bar = enabled().then(|| {
            let b = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
            if let Ok(style) =
                ProgressStyle::with_template("{prefix:>10} [{bar:30}] {pos}/{len} {elapsed}")
            {
                b.set_style(style.progress_chars("=> "));
            }
            b.set_prefix(name.to_owned());
            b
        });
        Phase {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }

    /// One step done; safe to call from many threads.
    pub fn inc(&self) {
        let Some(bar) = &self.bar else { return };
        bar.inc(1);
        if !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() > SHOW_AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
