//! Bytes → text (lossy UTF-8) → up to four incident records → `check` on a
//! tiny site (tests/properties.rs does the same with generated records).
//!
//! A line `#8<` splits the input into records (`incidents/fuzz-N.yaml`),
//! so rules across records (parent/children, duplicate ids) are reached; an
//! input without it is one record, as every seed is. The site also holds
//! the fixed runbooks of `sitrep_fuzz`, so `runbook:` slugs resolve.
#![no_main]

use libfuzzer_sys::fuzz_target;

/// Splits records; a YAML comment, so a record never needs to avoid it.
const SPLIT: &str = "\n#8<\n";

fuzz_target!(init: sitrep_fuzz::init(), |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let cfg = sitrep_fuzz::config();
    let texts = text
        .splitn(4, SPLIT)
        .enumerate()
        .map(|(i, t)| (format!("incidents/fuzz-{i}.yaml"), t));
    let (records, diags) = sitrep_fuzz::read_records(texts, cfg);
    sitrep_fuzz::check_site(
        cfg.clone(),
        sitrep_fuzz::fixed_runbooks().to_vec(),
        records,
        diags,
    );
});
