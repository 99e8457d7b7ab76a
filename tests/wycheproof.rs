//! The signature arithmetic against Project Wycheproof's test vectors (C2SP/wycheproof,
//! `testvectors_v1/`), read from `../shared/crypto/wycheproof/` (never committed):
//!
//! - ES256: `ecdsa_secp256r1_sha256_p1363_test.json` (raw `r‖s` signatures, as COSE carries
//!   them), for each key both before its table of multiples exists (the `p256` crate's verifier)
//!   and after (this crate's table arithmetic, `es256.rs`);
//! - PS256: `rsa_pss_{2048,3072,4096}_sha256_mgf1_32_test.json` (SHA-256, MGF1-SHA-256, salt 32:
//!   the parameters COSE's PS256 fixes).
//!
//! - X.509 chain signatures (a VDS-NC barcode signer under its CSCA, a CSCA's CRL), DER-encoded
//!   ECDSA: `ecdsa_secp256r1_sha256_test.json`, `ecdsa_secp384r1_sha384_test.json`,
//!   `ecdsa_secp521r1_sha512_test.json` (ecdsa-with-SHA256/384/512), and RSA PKCS#1 v1.5:
//!   `rsa_signature_{2048,3072,4096}_sha256_test.json`, `rsa_signature_4096_sha512_test.json`;
//! - ES384 and ES512 as VDS-NC seals carry them (raw `r‖s`): `ecdsa_secp384r1_sha384_p1363_test.json`,
//!   `ecdsa_secp521r1_sha512_p1363_test.json`.
//!
//! Every `valid` vector must verify and every `invalid` one must fail. Wycheproof's
//! `acceptable` means "a verifier may accept or reject this" (legacy encodings, weak parameters);
//! a verifier of health certificates has no legacy to honour, so this verifier must *reject*
//! every acceptable vector too.
//!
//! Each test prints how many vectors it ran. Without `../shared` they skip with one line; with it,
//! a missing file fails.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

#[cfg(feature = "ecdsa-p384-p521")]
use dcc_verifier::crypto::ecdsa::{self, EcdsaEncoding, EcdsaHash};
use dcc_verifier::crypto::{es256, ps256, x509_signature, PublicKey};
use dcc_verifier::trust::keys::{public_key_from_spki, public_key_from_spki_any_curve};
use serde_json::Value;

fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.is_dir() {
        Some(dir.join("crypto/wycheproof"))
    } else {
        println!("skipped: ../shared is absent (Wycheproof vectors are read from ../shared/crypto/wycheproof)");
        None
    }
}

/// The parsed file, or `None` (and a line saying so) without `../shared`.
fn vectors(file: &str) -> Option<Value> {
    let path = shared_dir()?.join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| {
        panic!(
            "{}: {err} (../shared is present, so it must be)",
            path.display()
        )
    });
    Some(serde_json::from_str(&text).unwrap_or_else(|err| panic!("{file}: {err}")))
}

fn hex(text: &str) -> Vec<u8> {
    assert!(text.len().is_multiple_of(2), "odd hex {text}");
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

/// One test vector: its id, message, signature and expected result.
struct Vector {
    id: u64,
    comment: String,
    msg: Vec<u8>,
    sig: Vec<u8>,
    result: String,
}

/// Every group of the file: its public key (SPKI DER) and its vectors.
fn groups(file: &Value) -> Vec<(Vec<u8>, Vec<Vector>)> {
    file["testGroups"]
        .as_array()
        .expect("testGroups")
        .iter()
        .map(|group| {
            let key = hex(group["publicKeyDer"].as_str().expect("publicKeyDer"));
            let tests = group["tests"]
                .as_array()
                .expect("tests")
                .iter()
                .map(|test| Vector {
                    id: test["tcId"].as_u64().expect("tcId"),
                    comment: test["comment"].as_str().unwrap_or_default().to_owned(),
                    msg: hex(test["msg"].as_str().expect("msg")),
                    sig: hex(test["sig"].as_str().expect("sig")),
                    result: test["result"].as_str().expect("result").to_owned(),
                })
                .collect();
            (key, tests)
        })
        .collect()
}

/// Tallies of one run, checked and printed at the end.
#[derive(Default)]
struct Tally {
    valid: usize,
    invalid: usize,
    acceptable: usize,
    wrong: Vec<String>,
}

impl Tally {
    fn check(&mut self, what: &str, vector: &Vector, accepted: bool) {
        let expected = match vector.result.as_str() {
            "valid" => {
                self.valid += 1;
                true
            }
            "invalid" => {
                self.invalid += 1;
                false
            }
            "acceptable" => {
                self.acceptable += 1;
                false
            }
            other => panic!("tcId {}: unknown result {other}", vector.id),
        };
        if accepted != expected {
            self.wrong.push(format!(
                "{what} tcId {} ({}, {}): {}",
                vector.id,
                vector.result,
                vector.comment,
                if accepted { "accepted" } else { "rejected" }
            ));
        }
    }

    fn finish(self, name: &str, expected_total: u64) {
        let total = self.valid + self.invalid + self.acceptable;
        println!(
            "{name}: ran {total} vectors ({} valid, {} invalid, {} acceptable), {} wrong",
            self.valid,
            self.invalid,
            self.acceptable,
            self.wrong.len()
        );
        assert!(self.wrong.is_empty(), "{name}:\n{}", self.wrong.join("\n"));
        assert_eq!(
            total as u64, expected_total,
            "{name}: every vector of the file ran"
        );
    }
}

/// The crypto layer's verdict on one vector.
fn verify(key: &PublicKey, vector: &Vector) -> bool {
    match key {
        PublicKey::EcP256(key) => es256::verify(key, &vector.msg, &vector.sig),
        PublicKey::Rsa(key) => ps256::verify(key, &vector.msg, &vector.sig),
        #[allow(unreachable_patterns)]
        other => panic!("no ES256/PS256 with {}", other.describe()),
    }
}

#[test]
fn wycheproof_es256_p1363_before_and_after_the_key_table() {
    let file_name = "ecdsa_secp256r1_sha256_p1363_test.json";
    let Some(file) = vectors(file_name) else {
        return;
    };
    let expected = file["numberOfTests"].as_u64().expect("numberOfTests");
    assert_eq!(expected, 262);
    let mut before = Tally::default();
    let mut after = Tally::default();
    for (spki, tests) in groups(&file) {
        let key = public_key_from_spki(&spki).expect("a P-256 key");
        assert!(matches!(key, PublicKey::EcP256(_)));
        // Before: a fresh copy of the key per vector, so each is the key's first use (no table).
        for vector in &tests {
            let fresh = public_key_from_spki(&spki).expect("key");
            before.check("before the table", vector, verify(&fresh, vector));
        }
        // After: two uses build the key's table; every vector then runs on the table arithmetic.
        let warm = public_key_from_spki(&spki).expect("key");
        let mut dummy = [0u8; 64];
        (dummy[31], dummy[63]) = (1, 1);
        for _ in 0..2 {
            let PublicKey::EcP256(warm) = &warm else {
                unreachable!("checked above")
            };
            assert!(!es256::verify(warm, b"warm-up", &dummy));
        }
        assert!(has_table(&warm), "the key's table is built after two uses");
        for vector in &tests {
            after.check("with the table", vector, verify(&warm, vector));
        }
    }
    before.finish(&format!("{file_name} (before the key table)"), expected);
    after.finish(&format!("{file_name} (with the key table)"), expected);
}

/// Whether the key's table of multiples has been built.
fn has_table(key: &PublicKey) -> bool {
    match key {
        PublicKey::EcP256(key) => key.has_table(),
        _ => false,
    }
}

fn run_pss(bits: u32) {
    let file_name = format!("rsa_pss_{bits}_sha256_mgf1_32_test.json");
    let Some(file) = vectors(&file_name) else {
        return;
    };
    let expected = file["numberOfTests"].as_u64().expect("numberOfTests");
    for group in file["testGroups"].as_array().expect("testGroups") {
        // PS256's parameters, which the file name promises.
        assert_eq!(group["sLen"].as_u64(), Some(32));
        assert_eq!(group["mgfSha"].as_str(), Some("SHA-256"));
    }
    let mut tally = Tally::default();
    for (spki, tests) in groups(&file) {
        let key = public_key_from_spki(&spki).expect("an RSA key");
        assert!(matches!(key, PublicKey::Rsa(_)));
        for vector in &tests {
            tally.check("PS256", vector, verify(&key, vector));
        }
    }
    tally.finish(&file_name, expected);
}

#[test]
fn wycheproof_ps256_rsa_2048() {
    run_pss(2048);
}

#[test]
fn wycheproof_ps256_rsa_3072() {
    run_pss(3072);
}

#[test]
fn wycheproof_ps256_rsa_4096() {
    run_pss(4096);
}

/// X.509 signature algorithm OIDs, as a certificate's signatureAlgorithm names them.
const ECDSA_WITH_SHA256: &str = "1.2.840.10045.4.3.2";
#[cfg(feature = "ecdsa-p384-p521")]
const ECDSA_WITH_SHA384: &str = "1.2.840.10045.4.3.3";
#[cfg(feature = "ecdsa-p384-p521")]
const ECDSA_WITH_SHA512: &str = "1.2.840.10045.4.3.4";
const SHA256_WITH_RSA: &str = "1.2.840.113549.1.1.11";
const SHA512_WITH_RSA: &str = "1.2.840.113549.1.1.13";

/// Every vector of a DER-signature file through the X.509 chain check, with the algorithm `oid`.
fn run_x509(file_name: &str, oid: &str) {
    let Some(file) = vectors(file_name) else {
        return;
    };
    let expected = file["numberOfTests"].as_u64().expect("numberOfTests");
    let oid = der::asn1::ObjectIdentifier::new(oid).expect("oid");
    let mut tally = Tally::default();
    for (spki, tests) in groups(&file) {
        let key = public_key_from_spki_any_curve(&spki).expect("a key this build reads");
        for vector in &tests {
            let accepted = x509_signature::verify(oid, &key, &vector.msg, &vector.sig).is_ok();
            tally.check(&oid.to_string(), vector, accepted);
        }
    }
    tally.finish(file_name, expected);
}

#[test]
fn wycheproof_x509_ecdsa_p256_sha256() {
    run_x509("ecdsa_secp256r1_sha256_test.json", ECDSA_WITH_SHA256);
}

#[cfg(feature = "ecdsa-p384-p521")]
#[test]
fn wycheproof_x509_ecdsa_p384_sha384() {
    run_x509("ecdsa_secp384r1_sha384_test.json", ECDSA_WITH_SHA384);
}

#[cfg(feature = "ecdsa-p384-p521")]
#[test]
fn wycheproof_x509_ecdsa_p521_sha512() {
    run_x509("ecdsa_secp521r1_sha512_test.json", ECDSA_WITH_SHA512);
}

#[test]
fn wycheproof_x509_rsa_pkcs1_sha256() {
    for bits in [2048, 3072, 4096] {
        run_x509(
            &format!("rsa_signature_{bits}_sha256_test.json"),
            SHA256_WITH_RSA,
        );
    }
}

#[test]
fn wycheproof_x509_rsa_pkcs1_sha512() {
    run_x509("rsa_signature_4096_sha512_test.json", SHA512_WITH_RSA);
}

/// Every vector of a P1363 file as a seal's ES384/ES512 signature (raw r‖s).
#[cfg(feature = "ecdsa-p384-p521")]
fn run_fixed(file_name: &str, hash: EcdsaHash) {
    let Some(file) = vectors(file_name) else {
        return;
    };
    let expected = file["numberOfTests"].as_u64().expect("numberOfTests");
    let mut tally = Tally::default();
    for (spki, tests) in groups(&file) {
        let key = public_key_from_spki_any_curve(&spki).expect("a key this build reads");
        for vector in &tests {
            let accepted =
                ecdsa::verify(&key, hash, &vector.msg, &vector.sig, EcdsaEncoding::Fixed);
            tally.check(file_name, vector, accepted);
        }
    }
    tally.finish(file_name, expected);
}

#[cfg(feature = "ecdsa-p384-p521")]
#[test]
fn wycheproof_es384_p1363() {
    run_fixed("ecdsa_secp384r1_sha384_p1363_test.json", EcdsaHash::Sha384);
}

#[cfg(feature = "ecdsa-p384-p521")]
#[test]
fn wycheproof_es512_p1363() {
    run_fixed("ecdsa_secp521r1_sha512_p1363_test.json", EcdsaHash::Sha512);
}
