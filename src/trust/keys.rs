//! Signing keys as trust lists give them: a DER SubjectPublicKeyInfo (inside a certificate, or
//! alone in the French, Dutch and compact formats), EC coordinates or RSA components (the Swiss
//! format's JWK-like entries), and the SPKI encoding the compact format writes.

use der::asn1::{AnyRef, ObjectIdentifier};
use der::Decode;
use rsa::traits::PublicKeyParts;
use rsa::BoxedUint;

use crate::crypto::PublicKey;
use crate::error::{Error, Result};
use crate::limits::{MAX_RSA_BITS, MAX_TRUST_ENTRY_LEN, MIN_RSA_BITS};

const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const PRIME256V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const ID_RSASSA_PSS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const ID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// Reads a signing key from a DER SubjectPublicKeyInfo: EC P-256, or RSA
/// ([`MIN_RSA_BITS`]..=[`MAX_RSA_BITS`] bits, `rsaEncryption` or `id-RSASSA-PSS`).
pub fn public_key_from_spki(der: &[u8]) -> Result<PublicKey> {
    read_spki(der, key_from_parts)
}

/// Reads a key from a DER SubjectPublicKeyInfo as [`public_key_from_spki`] does, and with
/// feature `ecdsa-p384-p521` EC P-384 and P-521 keys too (chain and directory signers, never
/// DCC signers).
pub fn public_key_from_spki_any_curve(der: &[u8]) -> Result<PublicKey> {
    read_spki(der, chain_key_from_parts)
}

/// Reads a SubjectPublicKeyInfo (at most [`MAX_TRUST_ENTRY_LEN`] bytes) and hands its parts to
/// `read_key`.
fn read_spki(
    der: &[u8],
    read_key: fn(ObjectIdentifier, Option<AnyRef<'_>>, &[u8]) -> Result<PublicKey>,
) -> Result<PublicKey> {
    if der.len() > MAX_TRUST_ENTRY_LEN {
        return Err(entry_error(format!(
            "the key is {} bytes long, far more than any signing key",
            der.len()
        )));
    }
    let spki = spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|err| {
        entry_error(format!(
            "not a readable public key (SubjectPublicKeyInfo: {err})"
        ))
    })?;
    let key_bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| entry_error("the public key is malformed".to_owned()))?;
    read_key(spki.algorithm.oid, spki.algorithm.parameters, key_bits)
}

/// Encodes a key as a DER SubjectPublicKeyInfo (`id-ecPublicKey`/`prime256v1` or
/// `rsaEncryption`): the inverse of [`public_key_from_spki`].
pub fn public_key_to_spki(key: &PublicKey) -> Vec<u8> {
    match key {
        PublicKey::EcP256(key) => ec_key_spki(
            PRIME256V1,
            key.verifying_key().to_sec1_point(false).as_bytes(),
        ),
        #[cfg(feature = "ecdsa-p384-p521")]
        PublicKey::EcP384(key) => ec_key_spki(SECP384R1, key.to_sec1_point(false).as_bytes()),
        #[cfg(feature = "ecdsa-p384-p521")]
        PublicKey::EcP521(key) => ec_key_spki(SECP521R1, key.to_sec1_point(false).as_bytes()),
        PublicKey::Rsa(key) => {
            let algorithm = tlv(0x30, &[oid_tlv(RSA_ENCRYPTION), tlv(0x05, &[])].concat());
            let modulus = unsigned_integer_tlv(&key.n().to_be_bytes());
            let exponent = unsigned_integer_tlv(&key.e().to_be_bytes());
            spki_tlv(&algorithm, &tlv(0x30, &[modulus, exponent].concat()))
        }
    }
}

/// An elliptic-curve SubjectPublicKeyInfo: id-ecPublicKey with the curve's OID, the SEC1 point.
fn ec_key_spki(curve: ObjectIdentifier, point: &[u8]) -> Vec<u8> {
    let algorithm = tlv(0x30, &[oid_tlv(ID_EC_PUBLIC_KEY), oid_tlv(curve)].concat());
    spki_tlv(&algorithm, point)
}

/// An EC P-256 key from its affine coordinates (big-endian, at most 32 bytes each; shorter ones
/// are left-padded, as JWK encoders that drop leading zeros produce).
pub fn ec_p256_from_coordinates(x: &[u8], y: &[u8]) -> Result<PublicKey> {
    let mut point = [0u8; 65];
    point[0] = 0x04;
    let (x_slot, y_slot) = point[1..].split_at_mut(32);
    for (coordinate, slot) in [(x, x_slot), (y, y_slot)] {
        let coordinate = strip_leading_zeros(coordinate);
        let start = slot.len().checked_sub(coordinate.len()).ok_or_else(|| {
            entry_error("an EC coordinate is longer than 32 bytes: not a P-256 key".to_owned())
        })?;
        slot.get_mut(start..)
            .ok_or_else(|| entry_error("an EC coordinate is malformed".to_owned()))?
            .copy_from_slice(coordinate);
    }
    ec_p256_from_sec1(&point)
}

/// An RSA key from its modulus and public exponent (big-endian), within
/// [`MIN_RSA_BITS`]..=[`MAX_RSA_BITS`] bits.
pub fn rsa_from_components(modulus: &[u8], exponent: &[u8]) -> Result<PublicKey> {
    let modulus = strip_leading_zeros(modulus);
    let exponent = strip_leading_zeros(exponent);
    let bits = match modulus.first() {
        Some(first) => (modulus.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
        None => 0,
    };
    if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
        return Err(entry_error(format!(
            "unsupported key type: RSA with a {bits}-bit modulus (only {MIN_RSA_BITS} to {MAX_RSA_BITS} bits are accepted)"
        )));
    }
    // An exponent above 2^33 is refused by `rsa` anyway; checking the length first keeps a hostile
    // list from making it allocate a huge number.
    if exponent.is_empty() || exponent.len() > 8 {
        return Err(entry_error(
            "the RSA key's exponent is malformed".to_owned(),
        ));
    }
    let n = BoxedUint::from_be_slice_vartime(modulus);
    let e = BoxedUint::from_be_slice_vartime(exponent);
    rsa::PublicKey::new_with_size_limits(n, e, MIN_RSA_BITS..=MAX_RSA_BITS)
        .map(PublicKey::Rsa)
        .map_err(|err| entry_error(format!("the RSA key is malformed ({err})")))
}

/// A key from a SubjectPublicKeyInfo's parts: the algorithm, its parameters and the key bits.
pub(crate) fn key_from_parts(
    algorithm: ObjectIdentifier,
    parameters: Option<AnyRef<'_>>,
    key: &[u8],
) -> Result<PublicKey> {
    if algorithm == ID_EC_PUBLIC_KEY {
        let curve = parameters.and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        return match curve {
            Some(curve) if curve == PRIME256V1 => ec_p256_from_sec1(key),
            Some(curve) if curve == SECP384R1 => Err(unsupported("EC P-384")),
            Some(curve) if curve == SECP521R1 => Err(unsupported("EC P-521")),
            Some(curve) => Err(unsupported(&format!("EC on curve {curve}"))),
            None => Err(unsupported("EC without a named curve")),
        };
    }
    if algorithm == RSA_ENCRYPTION || algorithm == ID_RSASSA_PSS {
        let rsa = rsa::pkcs1::RsaPublicKeyRef::from_der(key)
            .map_err(|err| entry_error(format!("the RSA key is malformed ({err})")))?;
        return rsa_from_components(rsa.modulus.as_bytes(), rsa.public_exponent.as_bytes());
    }
    if algorithm == ID_ED25519 {
        return Err(unsupported("Ed25519"));
    }
    Err(unsupported(&format!("algorithm {algorithm}")))
}

/// A certificate authority's or chain signer's key from a SubjectPublicKeyInfo's parts: what
/// [`key_from_parts`] reads, and with feature `ecdsa-p384-p521` EC P-384 and P-521 keys too
/// (VDS-NC CSCAs and barcode signers, the VCI directory's signer). DCC trust lists keep
/// [`key_from_parts`]: no DCC is signed with those curves.
pub(crate) fn chain_key_from_parts(
    algorithm: ObjectIdentifier,
    parameters: Option<AnyRef<'_>>,
    key: &[u8],
) -> Result<PublicKey> {
    #[cfg(feature = "ecdsa-p384-p521")]
    if algorithm == ID_EC_PUBLIC_KEY {
        let curve = parameters.and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
        if curve == Some(SECP384R1) {
            return p384::ecdsa::VerifyingKey::from_sec1_bytes(key)
                .map(PublicKey::EcP384)
                .map_err(|_| entry_error("the EC key is not a valid P-384 point".to_owned()));
        }
        if curve == Some(SECP521R1) {
            return p521::ecdsa::VerifyingKey::from_sec1_bytes(key)
                .map(PublicKey::EcP521)
                .map_err(|_| entry_error("the EC key is not a valid P-521 point".to_owned()));
        }
    }
    key_from_parts(algorithm, parameters, key)
}

fn ec_p256_from_sec1(point: &[u8]) -> Result<PublicKey> {
    p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
        .map(|key| PublicKey::EcP256(key.into()))
        .map_err(|_| entry_error("the EC key is not a valid P-256 point".to_owned()))
}

fn unsupported(what: &str) -> Error {
    entry_error(format!(
        "unsupported key type {what} (DCCs are signed only with EC P-256 or RSA)"
    ))
}

fn entry_error(why: String) -> Error {
    Error::TrustEntry(why)
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    bytes.get(zeros..).unwrap_or_default()
}

// The few DER elements an SPKI needs. Written by hand because `der`'s encoder is fallible and
// larger, and an SPKI of a key that loaded is always encodable.

/// One DER TLV, with a definite length in the short or long form.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let len = content.len();
    let mut out = Vec::with_capacity(len + 10);
    out.push(tag);
    match u8::try_from(len) {
        Ok(short) if short < 0x80 => out.push(short),
        _ => {
            let len_bytes = (len as u64).to_be_bytes();
            let significant = strip_leading_zeros(&len_bytes);
            // At most 8 length bytes: 0x81..=0x88.
            out.push(0x80 | significant.len() as u8);
            out.extend_from_slice(significant);
        }
    }
    out.extend_from_slice(content);
    out
}

fn oid_tlv(oid: ObjectIdentifier) -> Vec<u8> {
    tlv(0x06, oid.as_bytes())
}

fn unsigned_integer_tlv(be_bytes: &[u8]) -> Vec<u8> {
    let digits = strip_leading_zeros(be_bytes);
    let mut content = Vec::with_capacity(digits.len() + 1);
    // A positive INTEGER whose top bit is set needs a leading zero byte; zero itself is one 0x00.
    if digits.first().is_none_or(|&b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(digits);
    tlv(0x02, &content)
}

fn spki_tlv(algorithm: &[u8], key: &[u8]) -> Vec<u8> {
    let bit_string = tlv(0x03, &[&[0u8][..], key].concat());
    tlv(0x30, &[algorithm, &bit_string[..]].concat())
}

// The test issuer is a native-only dev-dependency (wasm-pack test builds these for wasm32).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use dcc_test_issuer::der::*;

    use super::*;

    #[test]
    fn rsa_keys_load_within_the_size_bounds() {
        for (spki, ok) in [
            (rsa_spki(2048), true),
            (rsa_spki(MIN_RSA_BITS), true),
            (rsa_spki(MAX_RSA_BITS), true),
            (rsa_pss_spki(3072), true),
            (rsa_spki(MIN_RSA_BITS - 8), false),
            (rsa_spki(MAX_RSA_BITS + 8), false),
        ] {
            let key = public_key_from_spki(&spki);
            assert_eq!(key.is_ok(), ok, "{key:?}");
            if let Ok(key) = key {
                assert!(matches!(key, PublicKey::Rsa(_)));
            }
        }
    }

    #[test]
    fn refuses_unsupported_and_broken_keys() {
        let cases: [(Vec<u8>, &str); 4] = [
            (p384_spki(), "unsupported key type EC P-384"),
            (rsa_spki(512), "512-bit"),
            (
                vec![0x30, 0x03, 0x02, 0x01, 0x01],
                "not a readable public key",
            ),
            (
                {
                    let mut spki = ec_spki(2);
                    let last = spki.len() - 1;
                    spki[last] ^= 0xff; // no longer on the curve
                    spki
                },
                "not a valid P-256 point",
            ),
        ];
        for (spki, reason) in cases {
            let err = public_key_from_spki(&spki).expect_err("refused");
            assert_eq!(err.code(), "trust_entry");
            assert!(
                err.to_string().contains(reason),
                "{err} should mention {reason}"
            );
        }
    }

    #[test]
    fn spki_encoding_round_trips() {
        for spki in [ec_spki(3), rsa_spki(2048), rsa_spki(4096)] {
            let key = public_key_from_spki(&spki).expect("loads");
            assert_eq!(public_key_to_spki(&key), spki);
        }
        // A PSS SPKI is re-encoded as rsaEncryption, with the same key.
        let key = public_key_from_spki(&rsa_pss_spki(2048)).expect("loads");
        assert_eq!(public_key_to_spki(&key), rsa_spki(2048));
    }

    #[test]
    fn ec_keys_from_coordinates_accept_stripped_leading_zeros() {
        let spki = ec_spki(4);
        let point = &spki[spki.len() - 64..];
        let (x, y) = point.split_at(32);
        let key = ec_p256_from_coordinates(x, y).expect("loads");
        assert_eq!(public_key_to_spki(&key), spki);
        let mut padded_x = vec![0, 0];
        padded_x.extend_from_slice(x);
        assert_eq!(ec_p256_from_coordinates(&padded_x, y).expect("loads"), key);
        assert!(ec_p256_from_coordinates(&[1u8; 33], y).is_err());
        assert!(ec_p256_from_coordinates(&[], &[]).is_err());
    }

    #[test]
    fn the_spki_writer_agrees_with_the_test_issuers() {
        for len in [0, 3, 127, 128, 200, 300, 70_000] {
            let content = vec![7u8; len];
            assert_eq!(
                super::tlv(0x04, &content),
                dcc_test_issuer::der::tlv(0x04, &content)
            );
        }
        for integer in [&[0u8][..], &[0, 0, 0x80], &[0x7f], &[1, 0, 1]] {
            assert_eq!(unsigned_integer_tlv(integer), unsigned_integer(integer));
        }
    }
}
