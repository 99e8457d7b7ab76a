//! SMART Health Cards from text: the input after `shc:/` (digits, chunk headers, line breaks),
//! and, when it is a JWS, the JWS itself (header, raw DEFLATE, claims, FHIR bundle). Never a
//! panic, always a complete report.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let report = dcc_verifier::verify(&format!("shc:/{text}"), &common::TRUST, common::NOW);
    common::check_report(&report, common::Entry::Text);
    let report = dcc_verifier::formats::shc::verify_jws(&text, &common::TRUST, common::NOW);
    common::check_report(&report, common::Entry::Text);
});
