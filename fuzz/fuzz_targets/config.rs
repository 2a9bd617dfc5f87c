//! Bytes → text (lossy UTF-8) → sitrep.yaml (`config::read`), then the
//! fixed records and runbooks of `sitrep_fuzz` read with that
//! configuration (its zone, services, recipients and policy) and checked.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sitrep::config;

fuzz_target!(init: sitrep_fuzz::init(), |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (cfg, mut diags) = config::read(&text);
    let _ = cfg.base_path();
    let _ = cfg.service_list();
    let texts = sitrep_fuzz::RECORDS
        .iter()
        .map(|(file, t)| ((*file).to_owned(), *t));
    let (records, d) = sitrep_fuzz::read_records(texts, &cfg);
    diags.extend(d);
    let runbooks = sitrep_fuzz::runbooks(&cfg);
    sitrep_fuzz::check_site(cfg, runbooks, records, diags);
});
