//! ICAO VDS-NC seals: any JSON whose header names a seal type (the input is wrapped so that
//! most inputs reach the seal's own stages: message, signer certificate, canonical JSON).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let report = dcc_verifier::verify(&text, &common::TRUST, common::NOW);
    common::check_report(&report, common::Entry::Text);
    let wrapped = format!(r#"{{"data":{{"hdr":{{"t":"icao.vacc","v":1,"is":"AUS"}},"msg":{text}}},"sig":{{"alg":"ES256","cer":"{text}","sigvl":"AAAA"}}}}"#);
    let report = dcc_verifier::formats::vds_nc::verify(&wrapped, &common::TRUST, common::NOW);
    common::check_report(&report, common::Entry::Text);
});
