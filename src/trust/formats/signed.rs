//! The signature line of a signed trust list: the live gateway mirrors put a base64 ECDSA
//! P-256 / SHA-256 signature (DER or raw `r‖s`) on the first line, over every byte after the
//! first newline.

use der::asn1::{AnyRef, UintRef};
use der::{Decode, Reader, SliceReader, Tag, Tagged};
use p256::ecdsa::Signature;

use super::{decode_base64, decode_key_text};
use crate::crypto::{es256, EcP256Key, PublicKey};
use crate::error::{Error, Result};
use crate::trust::keys::{public_key_from_spki, public_key_to_spki};

/// The longest first line taken for a signature: a DER ECDSA P-256 signature is at most 72
/// bytes, 96 in base64; the margin allows a CR and padding variants.
const MAX_SIGNATURE_LINE_LEN: usize = 160;

/// Splits a file into its signature line and the signed rest, when its first line looks like
/// base64 (and nothing else).
pub(super) fn split(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let newline = bytes
        .iter()
        .take(MAX_SIGNATURE_LINE_LEN + 1)
        .position(|&b| b == b'\n')?;
    let (line, rest) = bytes.split_at(newline);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let is_base64 =
        |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_');
    if line.is_empty() || !line.iter().all(is_base64) {
        return None;
    }
    Some((line, rest.get(1..).unwrap_or_default()))
}

/// Reads the pinned key (SPKI, DER or PEM); it must be an EC P-256 key.
pub(super) fn pinned_key(bytes: &[u8]) -> Result<EcP256Key> {
    let bad_key =
        |why: String| Error::TrustListFormat(format!("the pinned key cannot be used: {why}"));
    let der = match std::str::from_utf8(bytes) {
        Ok(text) if text.contains("-----BEGIN") => {
            decode_key_text(text, "pinned key").map_err(|err| bad_key(err.to_string()))?
        }
        _ => bytes.to_vec(),
    };
    match public_key_from_spki(&der).map_err(|err| bad_key(err.to_string()))? {
        PublicKey::EcP256(key) => Ok(key),
        other => Err(bad_key(format!(
            "it is {}, and trust lists are signed with EC P-256",
            other.describe()
        ))),
    }
}

/// The keys that sign trust lists, pinned by whoever deploys the verifier (the CLI's
/// `--pinned-key`, `scripts/build-web --pinned-key`): a signed list must verify with one of them.
#[derive(Debug, Clone, Default)]
pub struct PinnedKeys {
    keys: Vec<EcP256Key>,
    fingerprints: Vec<[u8; 32]>,
}

impl PinnedKeys {
    /// No pinned key: a signed list's signature cannot be checked.
    pub fn new() -> Self {
        Self::default()
    }

    /// Pins one key: an EC P-256 SubjectPublicKeyInfo, DER or PEM.
    pub fn add(&mut self, spki: &[u8]) -> Result<()> {
        let key = pinned_key(spki)?;
        self.fingerprints
            .push(crate::trust::demo::fingerprint(&PublicKey::EcP256(
                key.clone(),
            )));
        self.keys.push(key);
        Ok(())
    }

    /// Whether no key is pinned.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The number of pinned keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Each pinned key as a DER SubjectPublicKeyInfo (to hand on, e.g. to the web page).
    pub fn spki_ders(&self) -> Vec<Vec<u8>> {
        self.keys
            .iter()
            .map(|key| public_key_to_spki(&PublicKey::EcP256(key.clone())))
            .collect()
    }

    /// The SHA-256 fingerprints of the pinned keys that are demo keys (the test issuer's), which a
    /// production build refuses.
    pub fn demo_fingerprints(&self) -> Vec<[u8; 32]> {
        self.fingerprints
            .iter()
            .filter(|fingerprint| {
                crate::trust::demo::DEMO_KEY_FINGERPRINTS
                    .binary_search(fingerprint)
                    .is_ok()
            })
            .copied()
            .collect()
    }

    /// Checks a signature line with each pinned key until one verifies.
    pub(super) fn verify(&self, signature_line: &[u8], signed: &[u8]) -> Result<()> {
        if self
            .keys
            .iter()
            .any(|key| verify(key, signature_line, signed).is_ok())
        {
            Ok(())
        } else {
            Err(Error::TrustListSignature)
        }
    }
}

/// How a loaded trust list was authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authentication {
    /// Its signature verified with a pinned key.
    Signed,
    /// It carries a signature, but no key is pinned to check it: nothing vouches for it.
    SignatureNotChecked,
    /// It carries no signature this verifier reads: nothing vouches for it.
    Unsigned,
}

impl Authentication {
    /// Whether a pinned key vouches for the list.
    pub fn is_signed(self) -> bool {
        self == Authentication::Signed
    }
}

/// Checks the signature line against the signed bytes.
pub(super) fn verify(key: &EcP256Key, signature_line: &[u8], signed: &[u8]) -> Result<()> {
    let text = std::str::from_utf8(signature_line).map_err(|_| Error::TrustListSignature)?;
    let bytes = decode_base64(text).ok_or(Error::TrustListSignature)?;
    let candidates = [Signature::from_slice(&bytes).ok(), der_signature(&bytes)];
    if candidates
        .into_iter()
        .flatten()
        .any(|signature| es256::verify(key, signed, &signature.to_bytes()))
    {
        Ok(())
    } else {
        Err(Error::TrustListSignature)
    }
}

/// An ECDSA signature in DER, `SEQUENCE { INTEGER r, INTEGER s }`, as `r‖s`.
fn der_signature(bytes: &[u8]) -> Option<Signature> {
    let sequence = AnyRef::from_der(bytes).ok()?;
    if sequence.tag() != Tag::Sequence {
        return None;
    }
    let mut reader = SliceReader::new(sequence.value()).ok()?;
    let r: UintRef<'_> = reader.decode().ok()?;
    let s: UintRef<'_> = reader.decode().ok()?;
    if !reader.is_finished() {
        return None;
    }
    let mut raw = [0u8; 64];
    let (r_slot, s_slot) = raw.split_at_mut(32);
    for (slot, value) in [(r_slot, r.as_bytes()), (s_slot, s.as_bytes())] {
        let start = 32usize.checked_sub(value.len())?;
        slot.get_mut(start..)?.copy_from_slice(value);
    }
    Signature::from_slice(&raw).ok()
}

// The test issuer is a native-only dev-dependency (wasm-pack test builds these for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::trust::TrustList;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use dcc_test_issuer::der::*;
    use p256::ecdsa::signature::Signer;

    fn der_encode(signature: &Signature) -> Vec<u8> {
        let bytes = signature.to_bytes();
        tlv(
            0x30,
            &[
                unsigned_integer(&bytes[..32]),
                unsigned_integer(&bytes[32..]),
            ]
            .concat(),
        )
    }

    fn body() -> String {
        let der = certificate(&CertSpec::default());
        format!(
            "{{\"certificates\":[{{\"kid\":\"AAECAwQFBgc=\",\"rawData\":\"{}\"}}]}}",
            STANDARD.encode(der)
        )
    }

    fn pem_key(seed: u8) -> String {
        format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            STANDARD.encode(ec_spki(seed))
        )
    }

    #[test]
    fn verifies_raw_and_der_signatures_with_a_der_or_pem_key() {
        let body = body();
        let signature: Signature = ec_signing_key(9).sign(body.as_bytes());
        for signature_bytes in [signature.to_bytes().to_vec(), der_encode(&signature)] {
            for newline in ["\n", "\r\n"] {
                let file = format!("{}{newline}{body}", STANDARD.encode(&signature_bytes));
                for key in [ec_spki(9), pem_key(9).into_bytes()] {
                    let list = TrustList::from_bytes_with_pinned_key(file.as_bytes(), &key)
                        .expect("verifies");
                    assert_eq!(list.len(), 1);
                }
                // The unpinned loader reads the same file and ignores the signature.
                assert_eq!(
                    TrustList::from_bytes(file.as_bytes()).expect("loads").len(),
                    1
                );
            }
        }
    }

    #[test]
    fn refuses_a_wrong_key_an_altered_body_or_a_missing_signature() {
        let body = body();
        let signature: Signature = ec_signing_key(9).sign(body.as_bytes());
        let signed = format!("{}\n{body}", STANDARD.encode(signature.to_bytes()));
        let altered = signed.replacen("AAECAwQFBgc=", "AAECAwQFBgg=", 1);
        let garbage = format!("AAAA\n{body}");
        let cases: [(&str, Vec<u8>); 5] = [
            (signed.as_str(), ec_spki(8)),
            (altered.as_str(), ec_spki(9)),
            (body.as_str(), ec_spki(9)),
            (garbage.as_str(), ec_spki(9)),
            ("", ec_spki(9)),
        ];
        for (file, key) in cases {
            let err =
                TrustList::from_bytes_with_pinned_key(file.as_bytes(), &key).expect_err("refused");
            assert_eq!(err, Error::TrustListSignature, "{file:.40}");
        }
    }

    #[test]
    fn authenticated_loading_checks_every_signed_list_against_the_pinned_keys() {
        let body = body();
        let signature: Signature = ec_signing_key(9).sign(body.as_bytes());
        let signed = format!("{}\n{body}", STANDARD.encode(signature.to_bytes()));
        let altered = signed.replacen("AAECAwQFBgc=", "AAECAwQFBgg=", 1);
        let pinned = |seeds: &[u8]| {
            let mut pinned = PinnedKeys::new();
            for &seed in seeds {
                pinned.add(&ec_spki(seed)).expect("an EC key");
            }
            pinned
        };
        let load = |file: &str, keys: &PinnedKeys| {
            TrustList::from_bytes_authenticated(file.as_bytes(), keys)
                .map(|(list, authentication)| (list.len(), authentication))
        };
        // Any one of several pinned keys may vouch for a list.
        assert_eq!(
            load(&signed, &pinned(&[9])),
            Ok((1, Authentication::Signed))
        );
        assert_eq!(
            load(&signed, &pinned(&[7, 9])),
            Ok((1, Authentication::Signed))
        );
        assert_eq!(
            load(&signed, &pinned(&[7, 8])),
            Err(Error::TrustListSignature)
        );
        assert_eq!(
            load(&altered, &pinned(&[9])),
            Err(Error::TrustListSignature)
        );
        // Nothing pinned: the signature cannot be checked, and the caller is told so.
        assert_eq!(
            load(&signed, &PinnedKeys::new()),
            Ok((1, Authentication::SignatureNotChecked))
        );
        // No signature line: unsigned, whatever is pinned.
        assert_eq!(
            load(&body, &pinned(&[9])),
            Ok((1, Authentication::Unsigned))
        );
        assert_eq!(pinned(&[7, 9]).len(), 2);
        assert_eq!(pinned(&[9]).spki_ders(), vec![ec_spki(9)]);
        assert!(pinned(&[9]).demo_fingerprints().is_empty());
    }

    #[test]
    fn refuses_a_pinned_key_that_is_not_ec_p256() {
        for key in [rsa_spki(2048), p384_spki(), b"nonsense".to_vec()] {
            let err =
                TrustList::from_bytes_with_pinned_key(b"AAAA\n{}", &key).expect_err("refused");
            assert_eq!(err.code(), "trust_list_format", "{err}");
            assert!(err.to_string().contains("pinned key"));
        }
    }

    #[test]
    fn splits_only_a_base64_first_line() {
        assert_eq!(
            split(b"MEUC+/==\r\n{}"),
            Some((&b"MEUC+/=="[..], &b"{}"[..]))
        );
        assert_eq!(split(b"{\"a\":1}\n{}"), None);
        assert_eq!(split(b"no newline"), None);
        assert_eq!(split(b"\n{}"), None);
        let long = format!("{}\n{{}}", "A".repeat(MAX_SIGNATURE_LINE_LEN + 1));
        assert_eq!(split(long.as_bytes()), None);
    }

    #[test]
    fn der_signatures_must_be_two_integers_of_at_most_32_bytes() {
        assert!(der_signature(&tlv(0x30, &[0x02, 0x01, 0x01, 0x02, 0x01, 0x01])).is_some());
        assert!(der_signature(&tlv(0x30, &[0x02, 0x01, 0x01])).is_none());
        assert!(der_signature(&tlv(0x31, &[0x02, 0x01, 0x01, 0x02, 0x01, 0x01])).is_none());
        let mut long = vec![0x02, 33, 0x01];
        long.extend([0u8; 32]);
        long.extend([0x02, 0x01, 0x01]);
        assert!(der_signature(&tlv(0x30, &long)).is_none());
    }
}
