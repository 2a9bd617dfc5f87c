//! The floor that `sitrep check` is measured against (issue: check costs at
//! most 1.5x reading and parsing the records with the same YAML parser):
//! walk `incidents/`, read every file and parse it with serde-saphyr into a
//! plain value, in parallel, and nothing else.
//!
//!     cargo run --release --example parse_only -- SITE

#![allow(clippy::print_stdout)] // a measuring tool: its output is the point

use rayon::prelude::*;
use std::time::Instant;

fn main() {
    let root = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let started = Instant::now();
    let files: Vec<_> = walkdir::WalkDir::new(std::path::Path::new(&root).join("incidents"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    // `--spanned`: parse into sitrep's positioned tree instead (its quick
    // reader for plain records, the parser for the rest), to see what
    // positions on every value cost; `--events`: only run the parser.
    let spanned = std::env::args().any(|a| a == "--spanned");
    let events = std::env::args().any(|a| a == "--events");
    let parsed: usize = files
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            if events {
                let parser = serde_saphyr::granit_parser::Parser::new_from_str(&text);
                usize::from(parser.into_iter().all(|e| e.is_ok()))
            } else if spanned {
                usize::from(sitrep::yaml::parse(&text).is_ok())
            } else {
                usize::from(serde_saphyr::from_str::<serde_json::Value>(&text).is_ok())
            }
        })
        .sum();
    println!(
        "parsed {parsed} of {} files in {} ms",
        files.len(),
        started.elapsed().as_millis()
    );
}
