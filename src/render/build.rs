//! `sitrep build`: render, then swap the new output in atomically.

use super::{render_site, BuildOptions};
use crate::cli::{color_enabled, totals};
use crate::output;
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub fn run(root: &Path, opts: &BuildOptions) -> Result<ExitCode> {
    let started = Instant::now();
    let rendered = render_site(root, opts)?;
    let Some(files) = rendered.files else {
        let inputs: Vec<_> = rendered
            .diags
            .iter()
            .filter(|d| d.is_input())
            .cloned()
            .collect();
        eprint!(
            "{}",
            output::human(&inputs, root, totals(&rendered.site), color_enabled())
        );
        eprintln!("error: input errors stand; the previous output was left as it was");
        return Ok(ExitCode::from(1));
    };
    let out = match &opts.output {
        Some(o) => o.clone(),
        None => root.join(&rendered.site.config.output_dir),
    };
    write_atomic(&out, &files)?;
    let pages = files.keys().filter(|k| k.ends_with(".html")).count();
    let warnings = crate::diag::count(&rendered.diags);
    println!(
        "built {} pages ({} files) into {} in {} ms; {} procedure findings, {} warnings",
        pages,
        files.len(),
        out.display(),
        started.elapsed().as_millis(),
        warnings.errors,
        warnings.warnings
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes `files` into a fresh folder beside `out`, then swaps it in: a
/// failure at any point leaves the previous output as it was.
pub fn write_atomic(out: &Path, files: &super::pages::Files) -> Result<()> {
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
    let _ = std::fs::remove_dir_all(&stage);
    let result = (|| -> Result<()> {
        for (rel, bytes) in files {
            let path = stage.join(rel);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            std::fs::write(&path, bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir_all(&stage);
        return Err(e);
    }
    if out.exists() {
        std::fs::rename(out, &old)
            .with_context(|| format!("cannot move the previous {} aside", out.display()))?;
    }
    if let Err(e) = std::fs::rename(&stage, out) {
        // Put the previous output back.
        let _ = std::fs::rename(&old, out);
        let _ = std::fs::remove_dir_all(&stage);
        return Err(e).with_context(|| format!("cannot move the new output to {}", out.display()));
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}
