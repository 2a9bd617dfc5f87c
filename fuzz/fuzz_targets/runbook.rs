//! Bytes → text (lossy UTF-8) → a runbook (`model::runbook::read`) → its
//! Markdown rendered to HTML as a runbook page renders it
//! (`markdown::to_html`, `.md` links through `check::checked_link`) and as
//! record text renders (`markdown::inline_html`); then `check` on a tiny
//! site holding it with the fixed runbooks. The HTML must carry no script.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sitrep::markdown;
use sitrep::model::runbook;

fuzz_target!(init: sitrep_fuzz::init(), |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let cfg = sitrep_fuzz::config();
    let (rb, diags) = runbook::read("content/outage/fuzz.md", "outage/fuzz.md", &text, cfg);
    let html = sitrep_fuzz::runbook_html(&rb);
    sitrep_fuzz::assert_no_script(&html, &text);
    let inline = markdown::inline_html(&rb.body);
    sitrep_fuzz::assert_no_script(&inline, &text);
    let mut runbooks = sitrep_fuzz::fixed_runbooks().to_vec();
    runbooks.push(rb);
    sitrep_fuzz::check_site(cfg.clone(), runbooks, Vec::new(), diags);
});
