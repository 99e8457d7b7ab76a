//! The whole pipeline from QR text: prefix, base45, zlib, COSE, CWT, payload, schema and every
//! check, against the fixed test trust list.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let report = dcc_verifier::verify(&text, &common::TRUST, common::NOW);
    common::check_report(&report, common::Entry::Text);
});
