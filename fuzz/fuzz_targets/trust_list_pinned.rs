//! A signed trust list checked against a pinned key: the fuzzed bytes are either the list
//! (with the fixture's pinned key) or the pinned key (with the fixture's signed list).
#![no_main]

use dcc_verifier::TrustList;
use libfuzzer_sys::fuzz_target;

const SIGNED_LIST: &[u8] = include_bytes!("../../tests/fixtures/trust/dsc_list.signed.json");
const PINNED_KEY: &[u8] = include_bytes!("../../tests/fixtures/trust/dsc_list.signer.pem");

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let result = if selector & 1 == 0 {
        TrustList::from_bytes_with_pinned_key(rest, PINNED_KEY)
    } else {
        TrustList::from_bytes_with_pinned_key(SIGNED_LIST, rest)
    };
    if let Err(error) = result {
        assert!(!error.to_string().is_empty());
    }
});
