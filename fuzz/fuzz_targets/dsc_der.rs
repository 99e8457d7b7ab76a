//! One DSC from DER (X.509 certificate) and one key from DER (SubjectPublicKeyInfo).
#![no_main]

use dcc_verifier::trust::keys::{public_key_from_spki, public_key_to_spki};
use dcc_verifier::trust::x509::dsc_from_der;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(dsc) = dsc_from_der(data) {
        assert_eq!(dsc.kid.len(), 8);
        // The key, re-encoded, loads as the same key.
        let spki = public_key_to_spki(&dsc.key);
        assert_eq!(public_key_from_spki(&spki).ok(), Some(dsc.key));
    }
    if let Ok(key) = public_key_from_spki(data) {
        let spki = public_key_to_spki(&key);
        assert_eq!(public_key_from_spki(&spki).ok(), Some(key));
    }
});
