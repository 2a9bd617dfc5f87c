//! The terminal: colour, the `SITREP_TRACE` timings, and writing results
//! to stdout.

use anyhow::{Context, Result};
use std::io::{IsTerminal, Write};

/// Colour only on a terminal, and never with `NO_COLOR` set (CLI.md).
pub fn color_enabled() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stderr().is_terminal()
        && std::io::stdout().is_terminal()
}

/// Whether `SITREP_TRACE` asks for timings on stderr.
pub fn tracing() -> bool {
    std::env::var_os("SITREP_TRACE").is_some()
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
