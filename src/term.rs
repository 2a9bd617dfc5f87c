//! The terminal: colour, the `SITREP_TRACE` timings, and writing results
//! to stdout.

use anyhow::{Context, Result};
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU8, Ordering};

/// `-q` (0), the default (1) or `-v` (2), set once by the command line.
static VERBOSITY: AtomicU8 = AtomicU8::new(1);

/// Sets how much the commands say besides their results (`-q`/`-v`).
pub fn set_verbosity(quiet: bool, verbose: bool) {
    let v = if quiet {
        0
    } else if verbose {
        2
    } else {
        1
    };
    VERBOSITY.store(v, Ordering::Relaxed);
}

/// `-q`: results and errors only (no progress bars, no checklists after a
/// recording command).
pub fn quiet() -> bool {
    VERBOSITY.load(Ordering::Relaxed) == 0
}

/// Colour only on a terminal, and never with `NO_COLOR` set (CLI.md).
pub fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stderr().is_terminal()
        && std::io::stdout().is_terminal()
}

/// Whether `-v` or `SITREP_TRACE` asks for each step's timing on stderr.
pub fn tracing() -> bool {
    VERBOSITY.load(Ordering::Relaxed) == 2 || std::env::var_os("SITREP_TRACE").is_some()
}

/// With `SITREP_TRACE` set, prints when a step ended and the memory held.
pub fn trace(step: &str, since: std::time::Instant) {
    if tracing() {
        // Resident memory from /proc (Linux), to see which step holds it.
        let rss_mb = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map_or(0, |pages| pages * 4096 / 1_000_000);
        eprintln!(
            "trace: {step} done at {:.1} ms, {rss_mb} MB resident",
            since.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// Writes a command's result to stdout.
pub fn print(text: &str) -> Result<()> {
    let mut o = std::io::stdout().lock();
    written(o.write_all(text.as_bytes()).and_then(|_| o.flush()))
}

/// The result of writing to stdout: a closed pipe (`| head`) is not an
/// error of ours.
pub fn written(result: std::io::Result<()>) -> Result<()> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(e).context("cannot write to stdout")
        }
        _ => Ok(()),
    }
}
