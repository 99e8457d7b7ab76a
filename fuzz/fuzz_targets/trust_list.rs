//! Every trust-list format, detected from content: gateway DSC list (signed or not), PEM and
//! DER certificates, the FR, CH and NL lists, and the compact list.
#![no_main]

use dcc_verifier::TrustList;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(list) = TrustList::from_bytes(data) {
        assert!(list.len() <= dcc_verifier::limits::MAX_TRUST_LIST_ENTRIES);
        for skipped in list.skipped() {
            assert!(!skipped.reason.is_empty());
        }
        // What was loaded can be written back and read again, key for key.
        let compact = list.to_compact_json("fuzz", "2026-01-01T00:00:00Z", false);
        let again = TrustList::from_bytes(compact.as_bytes()).expect("a compact list reloads");
        assert_eq!(again.len(), list.len());
    }
});
