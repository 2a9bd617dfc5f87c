//! Bytes → text (lossy UTF-8) → every kind of in-place edit the recording
//! commands make (`yaml::edit`). An edit may be refused; it must never
//! panic, and an edit it makes must read back (apply checks the tree).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    sitrep_fuzz::edit_all(&text);
});
