//! The COSE / CWT / payload decoder from bytes: `verify_cose` (every check from COSE on), and the
//! CWT and payload stages fed directly, so that CWT-shaped inputs are not stopped by the envelope.
#![no_main]

mod common;

use dcc_verifier::decode::{cose, cwt, payload};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = dcc_verifier::verify_cose(data, &common::TRUST, common::NOW);
    common::check_report(&report, common::Entry::Cose);

    // What verify_cose did, stage by stage, must agree with its report.
    match cose::parse(data) {
        Ok(sign1) => {
            assert_eq!(
                report.outcome(dcc_verifier::CheckId::Cose),
                dcc_verifier::Outcome::Pass
            );
            let _ = cwt::parse(&sign1.payload);
        }
        Err(error) => {
            assert!(!error.to_string().is_empty());
            assert_eq!(
                report.outcome(dcc_verifier::CheckId::Cose),
                dcc_verifier::Outcome::Fail
            );
        }
    }

    // The same bytes as CWT claims, and as a payload.
    if let Ok(claims) = cwt::parse(data) {
        if let Ok((json, _dcc)) = payload::read(&claims.hcert) {
            let _ = dcc_verifier::dcc::schema::validate(&json);
        }
    }
    if let Ok(value) =
        ciborium::de::from_reader_with_recursion_limit::<ciborium::Value, _>(data, 64)
    {
        if let Ok((json, _dcc)) = payload::read(&value) {
            let _ = dcc_verifier::dcc::schema::validate(&json);
        }
    }
});
