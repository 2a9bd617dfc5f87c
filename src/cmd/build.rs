//! `sitrep build`: check, then render the view into its output folder and
//! swap it in (CLI.md, "Output folders").

use crate::diag::count;
use crate::outdir::swap::{swap_in, write_file, Swap};
use crate::outdir::{self, View};
use crate::output::{self, Totals};
use crate::pipeline::{self, BuildOptions};
use crate::term;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

pub fn run(root: &Path, opts: &BuildOptions) -> Result<ExitCode> {
    let started = Instant::now();
    let checked = pipeline::load_and_check(root, opts)?;
    term::trace("load and check", started);
    if checked.blocked() {
        let inputs: Vec<_> = checked
            .diags
            .iter()
            .filter(|d| d.is_input())
            .cloned()
            .collect();
        eprint!(
            "{}",
            output::human(
                &inputs,
                root,
                Totals::of(&checked.site),
                term::color_enabled()
            )
        );
        eprintln!("error: input errors stand; the previous output was left as it was");
        return Ok(ExitCode::from(1));
    }
    let theme = checked.theme(root)?;
    let r = checked.renderer(opts, &theme);
    term::trace("renderer", started);
    let view = View::from_public(opts.public);
    let (out, shown, other) =
        outdir::folders(root, opts.output.as_deref(), view, &checked.site.config);
    // The folder the new output is swapped into: links followed.
    let out = outdir::guard(root, &out, &shown, view, opts.force, &other)?;
    let pages = AtomicUsize::new(0);
    let mut swap = Swap::default();
    let phase = crate::progress::Phase::new("rendering", r.pages().len());
    let files = swap_in(&out, &mut swap, |stage| {
        r.render_each(&|rel, bytes| {
            phase.inc();
            if rel.ends_with(".html") {
                pages.fetch_add(1, Ordering::Relaxed);
            }
            write_file(stage, rel, bytes)
        })
        .and_then(|n| {
            write_file(stage, outdir::MARK_FILE, view.mark().as_bytes())?;
            Ok(n)
        })
    })?;
    phase.finish();
    term::trace("render and write", started);
    let c = count(&checked.diags);
    println!(
        "built the {} view: {} pages ({} files) into {} in {} ms (swap {} ms: renames {:.2} ms, removing the previous output {} ms); {} procedure findings, {} warnings",
        view.name(),
        pages.load(Ordering::Relaxed),
        files,
        shown,
        started.elapsed().as_millis(),
        swap.renames_us / 1000 + swap.remove_ms,
        swap.renames_us as f64 / 1000.0,
        swap.remove_ms,
        c.errors,
        c.warnings
    );
    // The process ends next: freeing the model record by record would take
    // the one thread left tens of milliseconds on a large site.
    std::mem::forget(r);
    std::mem::forget(checked);
    Ok(ExitCode::SUCCESS)
}
