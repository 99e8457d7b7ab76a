//! Demo keys are known by fingerprint: every key the test issuer derives for the committed
//! fixtures is in `dcc_verifier::trust::demo`, and is a demo key in every format that loads it.
// Native only: the test issuer is a native dev-dependency (wasm-pack test builds every test).
#![cfg(not(target_arch = "wasm32"))]

use dcc_test_issuer::keys::keys_made;
use dcc_verifier::trust::demo::{fingerprint, fingerprint_hex, DEMO_KEY_FINGERPRINTS};
use dcc_verifier::trust::keys::public_key_from_spki;
use dcc_verifier::{verify, Status, TrustList};
use sha2::{Digest, Sha256};

#[test]
fn every_key_the_issuer_derives_is_a_known_demo_key() {
    // Building the fixtures makes every key they use (the demo set's, the test cases', the
    // trust-list signer's); the issuer records each one.
    let _ = dcc_test_issuer::fixtures::build();
    let made = keys_made();
    assert!(made.len() >= 15, "{} keys made", made.len());
    let mut fingerprints: Vec<[u8; 32]> = Vec::new();
    let mut missing = Vec::new();
    for (name, spki) in &made {
        let key = public_key_from_spki(spki).unwrap_or_else(|err| panic!("{name}: {err}"));
        let digest: [u8; 32] = Sha256::digest(spki).into();
        // The verifier's canonical encoding is the issuer's encoding.
        assert_eq!(fingerprint(&key), digest, "{name}");
        if DEMO_KEY_FINGERPRINTS.binary_search(&digest).is_err() {
            missing.push(name.as_str());
        }
        fingerprints.push(digest);
    }
    fingerprints.sort_unstable();
    fingerprints.dedup();
    if fingerprints != DEMO_KEY_FINGERPRINTS {
        let listing: String = fingerprints
            .iter()
            .map(|f| format!("    hex32(\"{}\"),\n", fingerprint_hex(f)))
            .collect();
        panic!(
            "src/trust/demo.rs's DEMO_KEY_FINGERPRINTS differs from the {} keys the issuer made \
             (missing: {missing:?}); it should be:\n{listing}",
            fingerprints.len()
        );
    }
    println!("{} demo keys, all known by fingerprint", made.len());
}

const FIXTURE_LISTS: [&str; 8] = [
    "trust/dsc_list.json",
    "trust/dsc_list.signed.json",
    "trust/dsc_bundle.pem",
    "trust/dsc/es256.der",
    "trust/trust_fr.json",
    "trust/trust_ch.json",
    "trust/trust_nl.json",
    "demo/dsc_list.json",
];

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|err| panic!("{full}: {err}"))
}

#[test]
fn every_format_marks_the_issuers_keys_as_demo() {
    for path in FIXTURE_LISTS {
        let list =
            TrustList::from_bytes(&fixture(path)).unwrap_or_else(|err| panic!("{path}: {err}"));
        assert!(!list.is_empty(), "{path}");
        for dsc in list.dscs() {
            assert!(dsc.demo, "{path}: {:?} is not marked demo", dsc.subject);
        }
        // A compact list that says it is not a demo list changes nothing.
        let compact = list.to_compact_json("not a demo, it says", "2026-01-01T00:00:00Z", false);
        let reloaded = TrustList::from_bytes(compact.as_bytes()).expect("compact");
        assert!(
            reloaded.dscs().iter().all(|dsc| dsc.demo),
            "{path} as compact"
        );
    }
}

#[test]
fn a_report_says_demo_for_a_demo_signature_only() {
    let demo_list = TrustList::from_bytes(&fixture("demo/dsc_list.json")).expect("demo list");
    let text = String::from_utf8(fixture("demo/vaccination_es256.txt")).expect("text");
    let at = dcc_verifier::time::parse_rfc3339("2026-06-01T00:00:00Z").expect("time");
    let report = verify(text.trim(), &demo_list, at);
    assert_eq!(report.status, Status::Valid);
    assert!(report.demo);
    assert!(report.to_json().contains("\"demo\":true"));
    // Tampered: the signature fails, so the report is INVALID and not a demo's VALID.
    let tampered = String::from_utf8(fixture("demo/tampered.txt")).expect("text");
    let report = verify(tampered.trim(), &demo_list, at);
    assert_eq!(report.status, Status::Invalid);
    assert!(!report.demo);
}

#[test]
fn the_fixture_list_signer_is_a_demo_key_when_pinned() {
    let mut pinned = dcc_verifier::trust::PinnedKeys::new();
    pinned
        .add(&fixture("trust/dsc_list.signer.pem"))
        .expect("an EC key");
    assert_eq!(pinned.demo_fingerprints().len(), 1);
    let mut production = dcc_verifier::trust::PinnedKeys::new();
    production
        .add(
            dcc_test_issuer::Key::es256_random()
                .public_key_pem()
                .as_bytes(),
        )
        .expect("an EC key");
    assert!(production.demo_fingerprints().is_empty());
}
