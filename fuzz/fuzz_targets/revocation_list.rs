//! The revocation batch reader: gateway JSON (one batch, an array, `{"batches": [...]}`) and
//! the compact form, detected from content.
#![no_main]

use dcc_verifier::limits::{MAX_REVOCATION_BATCHES, MAX_REVOCATION_ENTRIES};
use dcc_verifier::revocation::compact;
use dcc_verifier::RevocationList;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(list) = RevocationList::from_bytes(data) {
        assert!(list.len() <= MAX_REVOCATION_ENTRIES);
        assert!(list.batches().len() <= MAX_REVOCATION_BATCHES);
        // What was loaded can be written compact and read again, entry for entry.
        let bytes = compact::write(&list.to_batches());
        let again = RevocationList::from_bytes(&bytes).expect("a compact list reloads");
        assert_eq!(again.len(), list.len());
        assert_eq!(again.batches(), list.batches());
    }
});
